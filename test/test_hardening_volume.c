/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hardening tests, class 23 of docs HARDENING.md and the volume's part of
 * classes 26 and 27: the boot sector and its backup, system files sized by
 * the disk ($UpCase, $Bitmap, the $MFT's mapping pairs), a device of
 * unknown size. One row per test; see support/hardening_cases.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hardening_cases.h"

#define ld16(p) ((uint32_t)hu_ld((p), 2))
#define ld32(p) ((uint32_t)hu_ld((p), 4))
#define ld64(p) hu_ld((p), 8)

/* ---- 23. boot sector ----------------------------------------------------------- */

/* Field @p of the boot sector: the volume's cluster count. */
static void m_boot_past_end(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)len;
	hu_st(b + p, h->vi.total_clusters, 8);
}

/* Records of 1 KiB are the same volume whichever way the boot sector
 * encodes them. */
static void h23_clusters_per_record_positive_encoding(const struct hu_case *c)
{
	struct hu h;

	hu_case_prepare(c, &h);
	assert_int_equal(hu_mount(&h), c->expect);
	assert_int_equal(h.vi.record_size, 1024);
	assert_int_equal(hu_op_read(h.vol, R100K), NTFS_OK);
	hu_unmount(&h);
	hu_close(&h);
}

static void h23_cluster_2m_valid(const struct hu_case *c)
{
	struct hu h;

	hu_open(&h, c->image);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(h.vi.cluster_size, 2u << 20);
	assert_int_equal(c->op(h.vol, hu_case_arg(c)), c->expect);
	assert_int_equal(hu_op_read(h.vol, P3M), NTFS_OK);
	hu_unmount(&h);
	hu_close(&h);
}

/* A bad primary boot sector: the backup (the last sector) is used when the
 * volume size is known. */
static void h23_backup_boot_sector(const struct hu_case *c)
{
	struct hu h;

	hu_case_prepare(c, &h);
	hu_expect(&h, c->op, NULL, c->expect);
	h.volume_size = h.img.size;
	hu_expect(&h, hu_op_list, "/", NTFS_OK);
	hu_close(&h);
}

/* The boot sector claims twice the sectors the device has, and the caller
 * said how big the device is: the primary is not this device's, so the
 * backup is used; with both claiming too much, the mount fails. */
static void h23_total_sectors_past_device(const struct hu_case *c)
{
	struct hu h;
	uint64_t total, backup;

	hu_open(&h, c->image);
	h.volume_size = h.img.size;
	hu_expect(&h, c->op, NULL, NTFS_OK);
	total = ld64(h.img.data + OD_BS_TOTAL);
	hu_st(h.img.data + OD_BS_TOTAL, total * 2, 8);
	hu_expect(&h, c->op, NULL, NTFS_OK);
	backup = h.img.size - 512;
	assert_int_equal(ld64(h.img.data + backup + OD_BS_TOTAL), total);
	hu_st(h.img.data + backup + OD_BS_TOTAL, total * 2, 8);
	hu_expect(&h, c->op, NULL, c->expect);
	hu_close(&h);
}

/* ---- 26. allocations sized by the disk ------------------------------------------ */

/*
 * The $MFT keeps the mapping pairs of all its extents. Give the $MFT of c4k
 * an attribute list (in place of its $STANDARD_INFORMATION) that names @n
 * extents after its real one, each a one-cluster $DATA extent in its own
 * extension record (records 1000 on, which the real extent maps), with
 * mapping pairs padded to fill the record: ~900 bytes each. Returns the
 * mapping-pairs bytes of the forged extents.
 */
static uint64_t forge_mft_extents(struct hu *h, const char *image, unsigned n)
{
	const uint32_t rs = 1024, cs = 4096, first_rec = 1000;
	uint8_t rec[1024], bm[4096];
	uint32_t list_len = (n + 1) * 32, nclus = (list_len + cs - 1) / cs, d, si, lcn = 0, run = 0;
	uint64_t end0, seq0, id0, total = 0;
	struct hu_run r;
	struct hu_loc loc;
	uint8_t *list = calloc(1, (size_t)nclus * cs);
	ntfs_file *bf;
	ntfs_stream *bs;
	size_t got;

	assert_non_null(list);
	hu_open(h, image);
	assert_int_equal(hu_mount(h), NTFS_OK);
	assert_true(first_rec + n <= h->vi.mft_records);
	assert_int_equal(h->vi.record_size, rs);
	assert_int_equal(h->vi.cluster_size, cs);
	/* nclus free clusters in a row for the list. */
	assert_int_equal(ntfs_file_open(h->vol, 6, &bf), NTFS_OK);
	assert_int_equal(ntfs_stream_open(bf, NULL, &bs), NTFS_OK);
	assert_int_equal(ntfs_stream_read(bs, 0, bm, sizeof bm, &got), NTFS_OK);
	ntfs_stream_close(bs);
	ntfs_file_close(bf);
	for (uint32_t c = 1; c < got * 8 && run < nclus; c++) {
		run = (bm[c / 8] >> (c % 8) & 1) ? 0 : run + 1;
		lcn = c + 1 - run;
	}
	assert_int_equal(run, nclus);
	/* Records are located through the mounted $MFT, whose extents are
	 * held in memory: writing the image underneath is harmless. */
	hu_loc_record(h, 0, &h->loc);
	hu_loc_read(h, &h->loc, rec);
	hu_unfix(rec, rs);
	seq0 = ld16(rec + OD_REC_SEQUENCE);
	d = hu_attr_find(rec, OD_AT_DATA, "");
	end0 = ld64(rec + d + OD_AH_HIGHEST_VCN) + 1;
	id0 = ld16(rec + d + OD_AH_ID);
	si = hu_attr_find(rec, OD_AT_STANDARD_INFORMATION, NULL);
	assert_true(ld32(rec + si + OD_AH_LENGTH) >= 0x48);
	/* All but the type and length. */
	memset(rec + si + OD_AH_NONRESIDENT, 0, ld32(rec + si + OD_AH_LENGTH) - OD_AH_NONRESIDENT);
	hu_st(rec + si + OD_AH_TYPE, OD_AT_ATTRIBUTE_LIST, 4);
	rec[si + OD_AH_NONRESIDENT] = 1;
	hu_st(rec + si + OD_AH_NAME_OFF, 0x40, 2);
	hu_st(rec + si + OD_AH_ID, 7, 2); /* an id no other attribute of record 0 has */
	hu_st(rec + si + OD_AH_HIGHEST_VCN, nclus - 1, 8);
	hu_st(rec + si + OD_AH_MP_OFF, 0x40, 2);
	hu_st(rec + si + OD_AH_ALLOC, (uint64_t)nclus * cs, 8);
	hu_st(rec + si + OD_AH_DATA, list_len, 8);
	hu_st(rec + si + OD_AH_INIT, list_len, 8);
	r = (struct hu_run){.len = nclus, .lcn = lcn};
	hu_runs_encode(&r, 1, rec + si + 0x40, ld32(rec + si + OD_AH_LENGTH) - 0x40);
	hu_fix(rec, rs);
	hu_loc_write(h, &h->loc, rec);

	for (unsigned k = 0; k <= n; k++) {
		uint8_t *e = list + 32 * k;
		hu_st(e + OD_AL_TYPE, OD_AT_DATA, 4);
		hu_st(e + OD_AL_LENGTH, 32, 2);
		e[OD_AL_NAME_OFF] = 26;
		hu_st(e + OD_AL_LOWEST_VCN, k == 0 ? 0 : end0 + k - 1, 8);
		hu_st(e + OD_AL_REF, k == 0 ? seq0 << 48 : first_rec + k - 1, 8);
		hu_st(e + OD_AL_ID, k == 0 ? id0 : 0, 2);
	}
	hu_loc_device(h, (uint64_t)lcn * cs, (uint64_t)nclus * cs, &loc);
	hu_loc_write(h, &loc, list);
	free(list);

	for (unsigned k = 1; k <= n; k++) {
		uint32_t a, len;
		hu_loc_record(h, first_rec + k - 1, &loc);
		hu_loc_read(h, &loc, rec);
		hu_unfix(rec, rs);
		a = ld16(rec + OD_REC_ATTRS_OFFSET);
		len = (rs - a - 8) & ~7u;
		memset(rec + a, 0, rs - a);
		hu_st(rec + OD_REC_FLAGS, OD_REC_FLAG_IN_USE, 2);
		hu_st(rec + OD_REC_BASE_REF, seq0 << 48, 8);
		hu_st(rec + a + OD_AH_TYPE, OD_AT_DATA, 4);
		hu_st(rec + a + OD_AH_LENGTH, len, 4);
		rec[a + OD_AH_NONRESIDENT] = 1;
		hu_st(rec + a + OD_AH_NAME_OFF, 0x40, 2);
		hu_st(rec + a + OD_AH_LOWEST_VCN, end0 + k - 1, 8);
		hu_st(rec + a + OD_AH_HIGHEST_VCN, end0 + k - 1, 8);
		hu_st(rec + a + OD_AH_MP_OFF, 0x40, 2);
		r = (struct hu_run){.len = 1, .lcn = 1};
		hu_runs_encode(&r, 1, rec + a + 0x40, len - 0x40);
		hu_st(rec + a + len, OD_AT_END, 4);
		hu_st(rec + OD_REC_BYTES_IN_USE, a + len + 8, 4);
		hu_fix(rec, rs);
		hu_loc_write(h, &loc, rec);
		total += len - 0x40;
	}
	hu_unmount(h);
	return total;
}

static void h26_mft_mapping_pairs_capped(const struct hu_case *c)
{
	struct hu h;

	/* A few forged extents: the image is valid, files still read. */
	forge_mft_extents(&h, c->image, 8);
	hu_expect(&h, hu_op_read, SMALL, NTFS_OK);
	hu_close(&h);
	/* Enough for more than NTFS_MAX_MFT_MAPPING bytes in all. */
	assert_true(forge_mft_extents(&h, c->image, NTFS_MAX_MFT_MAPPING / 896 + 1) >
	            NTFS_MAX_MFT_MAPPING);
	hu_expect(&h, c->op, NULL, c->expect);
	hu_close(&h);
}

/* ---- 27. a device of unknown size ------------------------------------------------ */

/* With the device size unknown (volume_size 0), the device must hold the
 * volume the boot sector claims: its last byte is read at mount. Without
 * this, work over the cluster count (ntfs_volume_free_clusters over a
 * forged $Bitmap) would follow a forged count of up to 2^64 bytes. */
static void h27_unknown_device_size_bounds_volume(const struct hu_case *c)
{
	struct hu h;
	uint64_t total;

	hu_open(&h, c->image);
	assert_int_equal(h.volume_size, 0);
	hu_expect(&h, c->op, NULL, NTFS_OK);
	total = ld64(h.img.data + OD_BS_TOTAL);
	/* The probe is the one read past the device (hu_run forbids any). */
	hu_st(h.img.data + OD_BS_TOTAL, total << 20, 8);
	assert_int_equal(hu_mount(&h), c->expect);
	assert_int_equal(h.dev.oob_reads, 1);
	/* One cluster (here one sector) past the device is enough to tell. */
	h.dev.oob_reads = 0;
	hu_st(h.img.data + OD_BS_TOTAL, h.img.size / 512 + 1, 8);
	assert_int_equal(hu_mount(&h), c->expect);
	assert_int_equal(h.dev.oob_reads, 1);
	/* A volume that fills the device exactly is fine. */
	hu_st(h.img.data + OD_BS_TOTAL, h.img.size / 512, 8);
	hu_expect(&h, hu_op_mount, NULL, NTFS_OK);
	hu_close(&h);
}

static const struct hu_case cases[] = {
        /* 23. boot sector */
        HU_ROW(.name = "h23_bytes_per_sector_not_power_of_two", .cls = 23, .image = C512,
               .kind = HU_BOOT, .mutate = m_set16, .param = P(OD_BS_BPS, 384), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "bytes per sector 384"),
        HU_ROW(.name = "h23_bytes_per_sector_128", .cls = 23, .image = C512, .kind = HU_BOOT,
               .mutate = m_set16, .param = P(OD_BS_BPS, 128), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "bytes per sector 128"),
        HU_ROW(.name = "h23_bytes_per_sector_8192", .cls = 23, .image = C512, .kind = HU_BOOT,
               .mutate = m_set16, .param = P(OD_BS_BPS, 8192), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "bytes per sector 8192"),
        HU_ROW(.name = "h23_sectors_per_cluster_zero", .cls = 23, .image = C512, .kind = HU_BOOT,
               .mutate = m_set8, .param = P(OD_BS_SPC, 0), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "sectors per cluster 0"),
        HU_ROW(.name = "h23_sectors_per_cluster_not_power_of_two", .cls = 23, .image = C512,
               .kind = HU_BOOT, .mutate = m_set8, .param = P(OD_BS_SPC, 3), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "sectors per cluster 3"),
        HU_ROW(.name = "h23_sectors_per_cluster_exponent_too_large", .cls = 23, .image = C512,
               .kind = HU_BOOT, .mutate = m_set8, .param = P(OD_BS_SPC, 0xE0), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "sectors per cluster 0xE0 (2^32)"),
        HU_ROW(.name = "h23_cluster_over_2m", .cls = 23, .image = C512, .kind = HU_BOOT,
               .mutate = m_set8, .param = P(OD_BS_SPC, 0xF3), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT,
               .what = "sectors per cluster 0xF3: 2^13 sectors of 512 bytes, 4 MiB clusters"),
        HU_ROW(.name = "h23_clusters_per_record_zero", .cls = 23, .image = C512, .kind = HU_BOOT,
               .mutate = m_set8, .param = P(OD_BS_CPR, 0), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "clusters per record 0"),
        HU_ROW(.name = "h23_clusters_per_record_not_power_of_two", .cls = 23, .image = C512,
               .kind = HU_BOOT, .mutate = m_set8, .param = P(OD_BS_CPR, 3), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "clusters per record 3"),
        HU_ROW(.name = "h23_record_size_exponent_too_large", .cls = 23, .image = C512,
               .kind = HU_BOOT, .mutate = m_set8, .param = P(OD_BS_CPR, 0xE0), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "clusters per record 0xE0 (2^32 bytes)"),
        HU_ROW(.name = "h23_clusters_per_index_block_zero", .cls = 23, .image = C512,
               .kind = HU_BOOT, .mutate = m_set8, .param = P(OD_BS_CPI, 0), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "clusters per index block 0"),
        HU_ROW(.name = "h23_total_sectors_zero", .cls = 23, .image = C512, .kind = HU_BOOT,
               .mutate = m_set64, .param = P(OD_BS_TOTAL, 0), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "total sectors 0"),
        HU_ROW(.name = "h23_total_sectors_overflow", .cls = 23, .image = C512, .kind = HU_BOOT,
               .mutate = m_set64, .param = P(OD_BS_TOTAL, 0xFFFFFFFFu), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "total sectors 2^64 - 1"),
        HU_ROW(.name = "h23_oem_id", .cls = 23, .image = C512, .kind = HU_BOOT, .mutate = m_set8,
               .param = P(OD_BS_OEM, 'X'), .op = hu_op_mount, .expect = NTFS_ERR_CORRUPT_BOOT,
               .what = "OEM id \"XTFS\""),
        HU_ROW(.name = "h23_signature", .cls = 23, .image = C512, .kind = HU_BOOT, .mutate = m_set8,
               .param = P(OD_BS_SIG, 0), .op = hu_op_mount, .expect = NTFS_ERR_CORRUPT_BOOT,
               .what = "no 0x55AA signature"),
        HU_ROW(.name = "h23_mft_lcn_past_volume", .cls = 23, .image = C512, .kind = HU_BOOT,
               .mutate = m_boot_past_end, .param = OD_BS_MFT, .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "`$MFT` LCN = the cluster count"),
        HU_ROW(.name = "h23_mftmirr_lcn_past_volume", .cls = 23, .image = C512, .kind = HU_BOOT,
               .mutate = m_boot_past_end, .param = OD_BS_MFTMIRR, .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_BOOT, .what = "`$MFTMirr` LCN = the cluster count"),
        HU_ROW(.name = "h23_clusters_per_record_positive_encoding", .cls = 23,
               .run = h23_clusters_per_record_positive_encoding, .image = C512, .kind = HU_BOOT,
               .mutate = m_set8, .param = P(OD_BS_CPR, 2), .op = hu_op_list, .arg = "/",
               .expect = NTFS_OK,
               .what = "clusters per record 0xF6 (2^10 bytes) -> 2 (2 clusters of 512 bytes): "
                       "record size 1024, files read"),
        HU_ROW(.name = "h23_cluster_2m_valid", .cls = 23, .run = h23_cluster_2m_valid, .image = C2M,
               .op = hu_op_list, .arg = "/", .expect = NTFS_OK,
               .what = "nothing: 2 MiB clusters (sectors per cluster 0xF4) list and read"),
        HU_ROW(.name = "h23_backup_boot_sector", .cls = 23, .run = h23_backup_boot_sector,
               .image = C512, .kind = HU_BOOT, .mutate = m_set8, .param = P(OD_BS_SPC, 0),
               .op = hu_op_mount, .expect = NTFS_ERR_CORRUPT_BOOT,
               .what = "primary sectors per cluster 0: the mount fails; with `volume_size` given, "
                       "the backup is used (`OK`)"),
        HU_ROW(.name = "h23_total_sectors_past_device", .cls = 23,
               .run = h23_total_sectors_past_device, .image = C512, .kind = HU_BOOT,
               .op = hu_op_mount, .expect = NTFS_ERR_CORRUPT_BOOT,
               .what = "total sectors x 2 with `volume_size` given: `OK` from the backup; both "
                       "copies x 2: the error"),

        /* 26. allocations sized by the disk */
        HU_ROW(.name = "h26_upcase_size_huge", .cls = 26, .image = C512, .kind = HU_RECORD,
               .target = "#10", .mutate = m_sizes, .param = P(OD_AT_DATA, 40), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_UPCASE, .what = "`$UpCase` sizes 1 TiB"),
        HU_ROW(.name = "h26_volume_bitmap_size_huge", .cls = 26, .image = C512, .kind = HU_RECORD,
               .target = "#6", .mutate = m_sizes, .param = P(OD_AT_DATA, 40), .op = hu_op_free,
               .expect = NTFS_OK,
               .what = "`$Bitmap` sizes 1 TiB: only what the volume needs is read"),
        HU_ROW(.name = "h26_mft_records_past_volume", .cls = 26, .image = C512, .kind = HU_RECORD,
               .target = "#0", .mutate = m_sizes, .param = P(OD_AT_DATA, 40), .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_MFT,
               .what = "`$MFT` sizes 1 TiB: more records than the volume holds, whose "
                       "`$BITMAP` bits would be read"),
        HU_ROW(.name = "h26_mft_bitmap_size_huge", .cls = 26, .image = C512, .kind = HU_RECORD,
               .target = "#0", .mutate = m_sizes, .param = P(OD_AT_BITMAP, 40),
               .op = hu_op_mft_usage, .expect = NTFS_ERR_CORRUPT_MFT,
               .what = "`$MFT`'s `$BITMAP` sizes 1 TiB: room beyond the volume"),
        HU_ROW(.name = "h26_mft_mapping_pairs_capped", .cls = 26,
               .run = h26_mft_mapping_pairs_capped, .image = C4K, .target = "#0", .op = hu_op_mount,
               .expect = NTFS_ERR_LIMIT,
               .what = "`$STANDARD_INFORMATION` replaced by a 10-cluster attribute list naming "
                       "1,171 "
                       "one-cluster `$DATA` extents, one per extension record (records 1000 on), "
                       "each with ~900 bytes of mapping pairs (`NTFS_MAX_MFT_MAPPING`); with 8 "
                       "such "
                       "extents `/small.txt` reads `OK`"),

        /* 27. a device of unknown size */
        HU_ROW(.name = "h27_unknown_device_size_bounds_volume", .cls = 27,
               .run = h27_unknown_device_size_bounds_volume, .image = C512, .kind = HU_BOOT,
               .op = hu_op_free, .expect = NTFS_ERR_IO,
               .what = "`volume_size` 0; total sectors x 2^20, then the device's sector count + 1: "
                       "the mount's one read past the device is the probe of the volume's last "
                       "block; exactly the device's sector count: `OK`"),
};

int main(void)
{
	return hu_main("hardening_volume", cases, sizeof cases / sizeof cases[0]);
}
