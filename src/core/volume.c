/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mount: boot sector (or its backup), the $MFT's own record and extents,
 * $Volume and $UpCase. A constant number of reads whatever the volume size.
 */
#include "volume.h"

#include "file.h"
#include "io.h"
#include "name.h"
#include "record.h"
#include "secure.h"
#include "stream.h"

#define VI_MAJOR 8
#define VI_MINOR 9
#define VI_FLAGS 10
#define VI_MIN_SIZE 12
#define LABEL_MAX_UNITS 128u

static bool config_ok(const struct ntfs_config *cfg)
{
	uint32_t a = cfg->read_align;
	return cfg->read != NULL && cfg->alloc != NULL && cfg->free != NULL &&
	       (a == 0 || (a >= 512 && a <= 65536 && (a & (a - 1)) == 0));
}

/* A volume larger than its device is not this device's volume (ntfs-3g
 * refuses it too); an unknown device size (0) is not checked. */
static bool fits_device(const ntfs_volume *vol)
{
	uint64_t size = vol->cfg.volume_size;
	uint32_t shift = vol->boot.cluster_shift;

	return size == 0 || vol->boot.total_clusters <= ntfsi_bytes_shr(size, shift);
}

static int read_boot(ntfs_volume *vol)
{
	const uint64_t size = vol->cfg.volume_size;
	uint8_t sector[512];
	int err;

	/* ss 0: the primary copy. Then the backup, in the volume's last
	 * sector, whose size is unknown while the primary is unreadable: each
	 * size is tried. */
	for (uint32_t ss = 0; ss <= 4096; ss = ss == 0 ? 512 : ss * 2) {
		if (ss != 0 && (size == 0 || size < 2u * ss))
			break;
		err = ntfsi_io_read(vol, ss == 0 ? 0 : size - ss, sector, sizeof sector);
		if (err)
			return err;
		err = ntfsi_boot_parse(sector, sizeof sector, &vol->boot);
		if (err == NTFS_OK && (ss == 0 || vol->boot.sector_size == ss) && fits_device(vol))
			return NTFS_OK;
		if (ss == 0 && err != NTFS_OK && err != NTFS_ERR_CORRUPT_BOOT)
			return err;
	}
	return NTFS_ERR_CORRUPT_BOOT;
}

/* The volume's size in bytes (below 2^64: ntfsi_boot_parse() bounds it). */
static uint64_t volume_bytes(const ntfs_volume *vol)
{
	return ntfsi_bytes_shl(vol->boot.total_clusters, vol->boot.cluster_shift);
}

/* With the device size unknown, the device must prove the volume's: the
 * volume's last whole read_align block has to be readable (a block that
 * ran past the volume's end could run past a device that holds it). Work
 * that follows the boot sector's cluster count (ntfs_volume_free_clusters)
 * is then bounded by a real device, not by a forged count. */
static int check_volume_end(ntfs_volume *vol)
{
	const uint64_t align = vol->cfg.read_align;
	const uint64_t end = volume_bytes(vol);
	uint8_t last;

	/* The boot sector's read already proved the first block. */
	if (vol->cfg.volume_size != 0 || end <= align)
		return NTFS_OK;
	return ntfsi_io_read(vol, (end & ~(align - 1)) - 1, &last, 1);
}

int ntfsi_volume_load_mft(ntfs_volume *vol)
{
	const struct ntfsi_boot *b = &vol->boot;
	uint8_t *rec = ntfsi_io_alloc(vol, b->record_size);
	struct ntfsi_extent *x;
	struct ntfsi_record r;
	struct ntfsi_attr a;
	ntfs_file *f;
	uint32_t n;
	int err;

	if (rec == NULL)
		return NTFS_ERR_NOMEM;
	err = ntfsi_io_read(vol, ntfsi_bytes_shl(b->mft_lcn, b->cluster_shift), rec,
	                    b->record_size);
	if (!err)
		err = ntfsi_record_check(rec, b->record_size);
	if (!err) {
		ntfsi_record_view(rec, &r);
		if (!(r.flags & NTFSI_RECORD_IN_USE))
			err = NTFS_ERR_CORRUPT_MFT;
	}
	if (err) {
		ntfsi_io_free(vol, rec, b->record_size);
		return err;
	}
	err = ntfsi_file_from_record(vol, NTFSI_RECORD_MFT, rec, &f);
	if (err)
		return err;
	err = ntfsi_file_need_attr(f, NTFS_AT_DATA, NULL, 0, NTFS_ERR_CORRUPT_MFT, &a);
	/* Records are read as stored: a $MFT compressed or encrypted cannot be. */
	if (!err && (a.resident ||
	             (a.flags & (NTFS_ATTR_FLAG_COMPRESSION_MASK | NTFS_ATTR_FLAG_ENCRYPTED))))
		err = NTFS_ERR_CORRUPT_MFT;
	if (!err)
		err = ntfsi_attrlist_extents(vol, f->alist, f->alist_len, NTFS_AT_DATA, NULL, 0,
		                             a.id, &x, &n);
	if (!err) {
		ntfsi_mft_init(vol, x, n, ntfsi_bytes_shr(a.init_size, b->record_shift));
		/* At least the system files; at most what the volume holds
		 * (what is read per record, a bitmap bit per record, follows). */
		if (a.init_size < 16u * b->record_size ||
		    vol->mft.records > ntfsi_bytes_shr(volume_bytes(vol), b->record_shift))
			err = NTFS_ERR_CORRUPT_MFT;
	}
	for (uint32_t k = 0; !err && k < n; k++) {
		err = ntfsi_file_extent_attr(f, &x[k], NTFS_AT_DATA, NULL, 0, &a);
		if (!err)
			err = ntfsi_mft_extend(vol, &a);
	}
	ntfs_file_close(f);
	return err;
}

static int read_volume_info(ntfs_volume *vol)
{
	ntfs_file *f;
	struct ntfsi_attr a;
	int err = ntfsi_file_open_system(vol, NTFSI_RECORD_VOLUME, &f);

	if (err)
		return err;
	err = ntfsi_file_need_attr(f, NTFS_AT_VOLUME_INFORMATION, NULL, 0, NTFS_ERR_CORRUPT_MFT,
	                           &a);
	if (err == NTFS_OK && (!a.resident || a.value_len < VI_MIN_SIZE))
		err = NTFS_ERR_CORRUPT_ATTR;
	if (err == NTFS_OK) {
		vol->major = a.value[VI_MAJOR];
		vol->minor = a.value[VI_MINOR];
		vol->vol_flags = ntfsi_le16(a.value + VI_FLAGS);
		if (vol->major != 3)
			err = NTFS_ERR_UNSUPPORTED;
	}
	if (err == NTFS_OK) {
		err = ntfsi_file_find_attr(f, NTFS_AT_VOLUME_NAME, NULL, 0, &a);
		if (err == NTFS_ERR_NOT_FOUND) {
			err = NTFS_OK;
		} else if (err == NTFS_OK) {
			uint32_t n = a.value_len / 2;
			if (!a.resident || (a.value_len & 1) || n > LABEL_MAX_UNITS) {
				err = NTFS_ERR_CORRUPT_ATTR;
			} else if (ntfsi_name_le_to_utf8(a.value, n, vol->label, sizeof vol->label,
			                                 &vol->label_len) != NTFS_OK) {
				/* NTFS takes any 16-bit units; a label that is not
				 * UTF-16 reads as "" rather than failing the mount. */
				vol->label_len = 0;
			}
		}
	}
	ntfs_file_close(f);
	return err;
}

/* Stream $UpCase through a small buffer into upcase.c's ranges. */
static int load_upcase(ntfs_volume *vol)
{
	struct ntfsi_upcase_builder b;
	uint8_t chunk[512];
	ntfs_file *file;
	ntfs_stream *s;
	int err;

	err = ntfsi_upcase_start(vol, &b);
	if (err)
		return err;
	err = ntfsi_file_open_system(vol, NTFSI_RECORD_UPCASE, &file);
	if (err)
		return err;
	err = ntfsi_stream_need(file, NTFS_AT_DATA, NULL, 0, NTFS_ERR_CORRUPT_UPCASE, &s);
	if (err) {
		ntfs_file_close(file);
		return err;
	}
	if (ntfs_stream_size(s) != NTFSI_UPCASE_BYTES)
		err = NTFS_ERR_CORRUPT_UPCASE;
	for (uint32_t off = 0; err == NTFS_OK && off < NTFSI_UPCASE_BYTES; off += sizeof chunk) {
		size_t got;
		err = ntfs_stream_read(s, off, chunk, sizeof chunk, &got);
		if (err == NTFS_OK && got != sizeof chunk)
			err = NTFS_ERR_CORRUPT_UPCASE;
		if (err == NTFS_OK)
			err = ntfsi_upcase_feed(vol, &b, chunk, got);
	}
	if (err == NTFS_OK)
		err = ntfsi_upcase_finish(vol, &b);
	ntfs_stream_close(s);
	ntfs_file_close(file);
	return err;
}

int ntfs_mount(const struct ntfs_config *cfg, ntfs_volume **out)
{
	ntfs_volume *vol;
	int err;

	if (cfg == NULL || out == NULL || !config_ok(cfg))
		return NTFS_ERR_INVALID;
	vol = cfg->alloc(cfg->alloc_ctx, sizeof *vol);
	if (vol == NULL)
		return NTFS_ERR_NOMEM;
	ntfsi_bytes_zero(vol, sizeof *vol);
	ntfsi_bytes_copy(&vol->cfg, cfg, sizeof *cfg);
	if (vol->cfg.read_align == 0)
		vol->cfg.read_align = 512;
	vol->workspace_max = ntfs_decoder_workspace_size();
	vol->bounce = ntfsi_io_alloc(vol, vol->cfg.read_align);
	err = vol->bounce == NULL ? NTFS_ERR_NOMEM : read_boot(vol);
	if (!err)
		err = check_volume_end(vol);
	if (!err)
		err = ntfsi_volume_load_mft(vol);
	if (!err)
		err = read_volume_info(vol);
	if (!err)
		err = load_upcase(vol);
	if (err) {
		ntfs_unmount(vol);
		return err;
	}
	*out = vol;
	return NTFS_OK;
}

void ntfs_unmount(ntfs_volume *vol)
{
	if (vol == NULL)
		return;
	ntfsi_mft_free(vol);
	ntfsi_upcase_free(vol);
	ntfsi_io_workspace_free(vol);
	ntfsi_secure_free(vol);
	ntfsi_io_free(vol, vol->bounce, vol->cfg.read_align);
	vol->cfg.free(vol->cfg.alloc_ctx, vol, sizeof *vol);
}

int ntfs_volume_info(const ntfs_volume *vol, struct ntfs_volume_info *info)
{
	const struct ntfsi_boot *b = &vol->boot;

	ntfsi_bytes_zero(info, sizeof *info);
	info->serial = b->serial;
	info->major_version = vol->major;
	info->minor_version = vol->minor;
	info->flags = vol->vol_flags;
	info->dirty = (vol->vol_flags & NTFS_VOLUME_DIRTY) != 0;
	info->sector_size = b->sector_size;
	info->cluster_size = b->cluster_size;
	info->record_size = b->record_size;
	info->index_block_size = b->index_block_size;
	info->total_clusters = b->total_clusters;
	info->mft_lcn = b->mft_lcn;
	info->mftmirr_lcn = b->mftmirr_lcn;
	info->mft_records = vol->mft.records;
	info->label_len = vol->label_len;
	ntfsi_bytes_copy(info->label, vol->label, vol->label_len + 1);
	return NTFS_OK;
}

uint16_t ntfs_upcase(const ntfs_volume *vol, uint16_t unit)
{
	return ntfsi_upcase_map(&vol->upcase, unit);
}

/* Set bits among the first @bits of bitmap @s (whose data must hold them).
 * Holes and bytes past the initialized size read as zeros, so they are
 * skipped unread, which only a value stored as is allows (in a compressed
 * one a hole ends a unit's data). */
static int stream_bits(ntfs_stream *s, uint64_t bits, uint8_t cshift, uint64_t *set)
{
	const uint64_t need = (bits + 7) / 8;
	const uint64_t init = ntfsi_stream_init_size(s);
	uint8_t chunk[512];
	uint64_t off = 0, n = 0;
	int err = NTFS_OK;

	if (ntfs_stream_size(s) < need || !ntfsi_stream_stored(s))
		return NTFS_ERR_CORRUPT_MFT;
	while (off < need && off < init) {
		size_t got, i;
		if (!ntfsi_stream_resident(s)) {
			struct ntfs_run run;
			err = ntfs_stream_map(s, ntfsi_bytes_shr(off, cshift), &run);
			if (err <= 0)
				return err == 0 ? NTFS_ERR_CORRUPT_RUNLIST : err;
			if (run.lcn == NTFS_LCN_HOLE) {
				off = ntfsi_bytes_shl(run.vcn + run.length, cshift);
				continue;
			}
		}
		err = ntfs_stream_read(s, off, chunk, (size_t)ntfsi_min64(sizeof chunk, need - off),
		                       &got);
		if (err)
			return err;
		if (got == 0)
			return NTFS_ERR_CORRUPT_MFT;
		/* Bits past the last one counted are not counted. */
		if (off + got == need && (bits & 7) != 0)
			chunk[got - 1] &= (uint8_t)((1u << (bits & 7)) - 1);
		for (i = 0; i < got; i++)
			for (unsigned byte = chunk[i]; byte != 0; byte >>= 1)
				n += byte & 1u;
		off += got;
	}
	*set = n;
	return NTFS_OK;
}

/* stream_bits() over system file @f's unnamed attribute @type. */
static int count_bits(ntfs_file *f, uint32_t type, uint64_t bits, uint64_t *set)
{
	ntfs_stream *s;
	int err = ntfsi_stream_need(f, type, NULL, 0, NTFS_ERR_CORRUPT_MFT, &s);

	if (err)
		return err;
	err = stream_bits(s, bits, f->vol->boot.cluster_shift, set);
	ntfs_stream_close(s);
	return err;
}

int ntfs_volume_free_clusters(ntfs_volume *vol, uint64_t *free_clusters)
{
	const uint64_t total = vol->boot.total_clusters;
	uint64_t used = 0;
	ntfs_file *f;
	int err = ntfsi_file_open_system(vol, NTFSI_RECORD_BITMAP, &f);

	if (err)
		return err;
	/* What is read is at most total / 8 bytes, a cluster count the
	 * device was checked to hold at mount. */
	err = count_bits(f, NTFS_AT_DATA, total, &used);
	ntfs_file_close(f);
	if (err)
		return err;
	*free_clusters = total - used;
	return NTFS_OK;
}

int ntfs_volume_mft_usage(ntfs_volume *vol, struct ntfs_mft_usage *usage)
{
	const uint64_t records = vol->mft.records;
	struct ntfsi_attr a;
	uint64_t bytes = 0, used = 0;
	ntfs_file *f;
	int err = ntfsi_file_open_system(vol, NTFSI_RECORD_MFT, &f);

	if (err)
		return err;
	err = ntfsi_file_need_attr(f, NTFS_AT_BITMAP, NULL, 0, NTFS_ERR_CORRUPT_MFT, &a);
	/* Room: the allocation (inside the volume, and in bits below 2^64),
	 * or a resident value rounded to 8 bytes. */
	if (err == NTFS_OK) {
		bytes = a.resident ? ((uint64_t)a.value_len + 7) / 8 * 8 : a.alloc_size;
		if (bytes > volume_bytes(vol) || bytes > UINT64_MAX / 8)
			err = NTFS_ERR_CORRUPT_MFT;
	}
	/* Only bits of records the $MFT holds are read (a bitmap shorter
	 * than that is corrupt): mount checked that the volume holds them,
	 * so at most volume bytes / (8 x record size). */
	if (err == NTFS_OK)
		err = count_bits(f, NTFS_AT_BITMAP, records, &used);
	ntfs_file_close(f);
	if (err)
		return err;
	usage->records = records;
	usage->in_use = used;
	usage->bitmap_records = bytes * 8 < records ? records : bytes * 8;
	return NTFS_OK;
}
