/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mount and volume facts: on every committed image, against what ntfsinfo
 * and fsstat said about it (its .ref file, written by make-refs.py); on
 * the shared real-world images, when present, what holds without another
 * reader (difftest compares them with those tools). Flags and version
 * against $VOLUME_INFORMATION read raw here; the backup boot sector; bad
 * configurations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ntfs/ntfs.h>

#include "image.h"
#include "memdev.h"

#define MAX_IMAGES 64

/* Shared images mounted here (bare volumes once extracted). */
static const char *const shared_images[] = {
        "windows/ntfs_index.raw.gz",
        "windows/7-undel-ntfs.zip:7-undel-ntfs/7-ntfs-undel.dd",
        "linux/ntfs3.raw.gz",
        "linux/ntfs3_attrlist.raw.gz",
};

static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	while (n--)
		v = v << 8 | p[n];
	return v;
}

/*
 * The flags and version in $Volume's $VOLUME_INFORMATION, read here from
 * the raw image (NTFS layout, independent of the library): record 3 of the
 * $MFT, which always lies in its first run, its update sequence undone.
 */
static void raw_volume_information(const struct timage *img, uint16_t *flags, uint8_t *major,
                                   uint8_t *minor)
{
	uint64_t ss = le(img->data + 0x0B, 2), spc = img->data[0x0D];
	uint64_t cluster = ss * (spc <= 0x80 ? spc : (uint64_t)1 << (256 - spc));
	int8_t cpr = (int8_t)img->data[0x40];
	uint64_t rsize = cpr > 0 ? (uint64_t)cpr * cluster : (uint64_t)1 << -cpr;
	uint64_t pos = le(img->data + 0x30, 8) * cluster + 3 * rsize;
	uint8_t *r;
	uint32_t off, usa, cnt;

	if (pos + rsize > img->size)
		fail_msg("%s: $Volume's record is past the image", img->name);
	r = malloc(rsize);
	assert_non_null(r);
	memcpy(r, img->data + pos, rsize);
	if (memcmp(r, "FILE", 4) != 0)
		fail_msg("%s: record 3 is not a FILE record", img->name);
	usa = (uint32_t)le(r + 4, 2);
	cnt = (uint32_t)le(r + 6, 2);
	assert_true(cnt >= 2 && (cnt - 1) * 512 <= rsize && usa + 2 * cnt <= rsize);
	for (uint32_t i = 1; i < cnt; i++) {
		assert_memory_equal(r + i * 512 - 2, r + usa, 2);
		memcpy(r + i * 512 - 2, r + usa + 2 * i, 2);
	}
	for (off = (uint32_t)le(r + 0x14, 2); off + 24 <= rsize;) {
		uint32_t type = (uint32_t)le(r + off, 4), len = (uint32_t)le(r + off + 4, 4);
		if (type == 0xFFFFFFFFu || len == 0 || off + len > rsize)
			break;
		if (type == NTFS_AT_VOLUME_INFORMATION && r[off + 8] == 0) {
			uint32_t v = off + (uint32_t)le(r + off + 0x14, 2);
			assert_true(v + 12 <= off + len);
			*major = r[v + 8];
			*minor = r[v + 9];
			*flags = (uint16_t)le(r + v + 10, 2);
			free(r);
			return;
		}
		off += len;
	}
	fail_msg("%s: $Volume has no resident $VOLUME_INFORMATION", img->name);
}

/* What needs no other reader: the facts hold together, $Bitmap counts,
 * and the flags and version are $VOLUME_INFORMATION's bytes. The caller
 * unmounts. */
static void check_consistent(const struct timage *img, ntfs_volume *vol,
                             struct ntfs_volume_info *vi, uint64_t *free_clusters)
{
	uint16_t flags;
	uint8_t major, minor;

	assert_int_equal(ntfs_volume_info(vol, vi), NTFS_OK);
	assert_int_equal(vi->dirty, (vi->flags & NTFS_VOLUME_DIRTY) != 0);
	assert_int_equal(vi->label_len, strlen(vi->label));
	assert_int_equal(ntfs_volume_free_clusters(vol, free_clusters), NTFS_OK);
	assert_true(*free_clusters <= vi->total_clusters);
	{
		/* The system files alone use the first 16 records; the bitmap's
		 * room is whole 8-byte words. (ntfs-3g's statfs, which counts
		 * from the same bitmap, is compared in test/fuse_mount.py.) */
		struct ntfs_mft_usage u;
		assert_int_equal(ntfs_volume_mft_usage(vol, &u), NTFS_OK);
		assert_int_equal(u.records, vi->mft_records);
		assert_true(u.in_use >= 16 && u.in_use <= u.records);
		assert_true(u.bitmap_records >= u.records && u.bitmap_records % 64 == 0);
	}
	raw_volume_information(img, &flags, &major, &minor);
	assert_int_equal(vi->flags, flags);
	assert_int_equal(vi->major_version, major);
	assert_int_equal(vi->minor_version, minor);
}

/* A committed image against what ntfsinfo and fsstat said (its .ref). */
static void check_image(const struct timage *img)
{
	struct ntfs_volume_info vi;
	struct memdev dev;
	struct memalloc ma;
	struct tref ref;
	ntfs_volume *vol;
	const char *label;
	const struct xattr *mft;
	uint64_t free_clusters;
	int err;

	tref_load(&ref, img->name);
	/* The Sleuth Kit refuses some valid volumes (2 MiB clusters): then
	 * ntfsinfo alone is the reference. */
	print_message("  %s%s\n", img->name, ref.tsk ? "" : " (fsstat cannot read it)");

	err = timage_mount(img, 512, &dev, &ma, &vol);
	if (err)
		fail_msg("%s: mount: %s", img->name, ntfs_strerror(err));
	check_consistent(img, vol, &vi, &free_clusters);

	/* Label: both tools must agree with us. */
	label = tref_volume(&ref, "ntfsinfo", "label");
	assert_non_null(label);
	assert_string_equal(vi.label, label);
	if (ref.tsk) {
		label = tref_volume(&ref, "fsstat", "label");
		assert_non_null(label);
		assert_string_equal(vi.label, label);
		assert_int_equal(vi.serial, tref_volume_num(&ref, "fsstat", "serial"));
		assert_int_equal(vi.sector_size, tref_volume_num(&ref, "fsstat", "sector_size"));
		assert_int_equal(vi.cluster_size, tref_volume_num(&ref, "fsstat", "cluster_size"));
		assert_int_equal(vi.record_size, tref_volume_num(&ref, "fsstat", "record_size"));
		assert_int_equal(vi.index_block_size,
		                 tref_volume_num(&ref, "fsstat", "index_block_size"));
		assert_int_equal(vi.total_clusters,
		                 tref_volume_num(&ref, "fsstat", "total_clusters"));
		assert_int_equal(vi.mft_lcn, tref_volume_num(&ref, "fsstat", "mft_lcn"));
		assert_int_equal(vi.mftmirr_lcn, tref_volume_num(&ref, "fsstat", "mftmirr_lcn"));
	} else {
		assert_null(tref_volume(&ref, "fsstat", "serial"));
	}

	/* ntfs_upcase(): the table ntfscat read, unit by unit. */
	for (uint32_t u = 0; u < 65536; u++)
		if (ntfs_upcase(vol, (uint16_t)u) != ref.upcase[u])
			fail_msg("%s: ntfs_upcase(U+%04X) = U+%04X, $UpCase has U+%04X", img->name,
			         (unsigned)u, ntfs_upcase(vol, (uint16_t)u), ref.upcase[u]);

	assert_int_equal(vi.major_version, tref_volume_num(&ref, "ntfsinfo", "major"));
	assert_int_equal(vi.minor_version, tref_volume_num(&ref, "ntfsinfo", "minor"));
	assert_int_equal(vi.flags, tref_volume_num(&ref, "ntfsinfo", "flags"));
	assert_int_equal(vi.sector_size, tref_volume_num(&ref, "ntfsinfo", "sector_size"));
	assert_int_equal(vi.cluster_size, tref_volume_num(&ref, "ntfsinfo", "cluster_size"));
	assert_int_equal(vi.record_size, tref_volume_num(&ref, "ntfsinfo", "record_size"));
	assert_int_equal(vi.index_block_size,
	                 tref_volume_num(&ref, "ntfsinfo", "index_block_size"));
	assert_int_equal(vi.total_clusters, tref_volume_num(&ref, "ntfsinfo", "total_clusters"));
	assert_int_equal(vi.mft_lcn, tref_volume_num(&ref, "ntfsinfo", "mft_lcn"));
	assert_int_equal(vi.mftmirr_lcn, tref_volume_num(&ref, "ntfsinfo", "mftmirr_lcn"));
	/* The records the $MFT's initialized data holds (ntfsinfo -v -i 0). */
	mft = xattr_find(tref_record(&ref, 0), NTFS_AT_DATA, "");
	if (mft == NULL)
		fail_msg("%s: ntfsinfo -v -i 0 showed no $DATA", img->name);
	assert_int_equal(vi.mft_records, mft->init / vi.record_size);
	assert_int_equal(free_clusters, tref_volume_num(&ref, "ntfsinfo", "free_clusters"));

	assert_int_equal(dev.misaligned, 0);
	assert_int_equal(dev.oob_reads, 0);
	timage_unmount(vol, &ma);
	tref_free(&ref);
}

static void test_info_matches_refs(void **state)
{
	static char names[MAX_IMAGES][128];
	size_t n = timage_list(names, MAX_IMAGES), i;
	struct timage img;

	(void)state;
	if (n == 0)
		fail_msg("no committed test images (test/images/*.img.xz)");
	for (i = 0; i < n; i++) {
		timage_open(&img, names[i]);
		check_image(&img);
		timage_close(&img);
	}
}

/* Shared images: what needs no other reader (difftest compares their facts
 * with ntfsinfo's and fsstat's through ntfs-info). */
static void test_info_shared_consistent(void **state)
{
	struct ntfs_volume_info vi;
	struct timage img;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	uint64_t free_clusters;
	size_t i, done = 0;
	int err;

	(void)state;
	for (i = 0; i < sizeof shared_images / sizeof shared_images[0]; i++) {
		if (timage_shared(&img, shared_images[i]) != 0)
			continue;
		print_message("  %s\n", shared_images[i]);
		err = timage_mount(&img, 512, &dev, &ma, &vol);
		if (err)
			fail_msg("%s: mount: %s", img.name, ntfs_strerror(err));
		check_consistent(&img, vol, &vi, &free_clusters);
		assert_int_equal(dev.misaligned, 0);
		assert_int_equal(dev.oob_reads, 0);
		timage_unmount(vol, &ma);
		timage_close(&img);
		done++;
	}
	if (done == 0)
		skip();
}

/* The first committed image (sorted by name). */
static void first_image(struct timage *img, char *name, size_t size)
{
	static char names[MAX_IMAGES][128];
	size_t n = timage_list(names, MAX_IMAGES);

	if (n == 0)
		fail_msg("no committed test images");
	snprintf(name, size, "%s", names[0]);
	timage_open(img, name);
}

static void backup_boot_one(const struct timage *img)
{
	/* NTFS boot sector: bytes per sector at 0x0B, total sectors at 0x28. */
	uint64_t ss = le(img->data + 0x0B, 2), sectors = le(img->data + 0x28, 8);
	struct ntfs_volume_info good, got;
	struct ntfs_config cfg;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	uint8_t *copy;
	int err;

	print_message("  %s (%llu sectors of %llu bytes)\n", img->name, (unsigned long long)sectors,
	              (unsigned long long)ss);
	/* The backup boot sector follows the counted sectors. */
	assert_true((sectors + 1) * ss <= img->size);

	/* The reference geometry, from the intact primary. */
	assert_int_equal(timage_mount(img, 512, &dev, &ma, &vol), NTFS_OK);
	assert_int_equal(ntfs_volume_info(vol, &good), NTFS_OK);
	timage_unmount(vol, &ma);

	/* The volume's own bytes only: the backup is in its last sector. */
	copy = malloc((size_t)((sectors + 1) * ss));
	assert_non_null(copy);
	memcpy(copy, img->data, (size_t)((sectors + 1) * ss));
	memset(copy, 0, (size_t)ss);

	memdev_init(&dev, copy, (sectors + 1) * ss, 512);
	memalloc_init(&ma);
	memdev_config(&cfg, &dev, &ma);
	err = ntfs_mount(&cfg, &vol);
	assert_int_equal(err, NTFS_ERR_CORRUPT_BOOT);
	assert_int_equal(ma.bytes, 0);

	cfg.volume_size = (sectors + 1) * ss;
	err = ntfs_mount(&cfg, &vol);
	if (err)
		fail_msg("%s: mount from the backup boot sector: %s", img->name,
		         ntfs_strerror(err));
	assert_int_equal(ntfs_volume_info(vol, &got), NTFS_OK);
	assert_memory_equal(&got, &good, sizeof got);
	timage_unmount(vol, &ma);

	/* Same with 4096-byte reads. */
	memdev_init(&dev, copy, (sectors + 1) * ss, 4096);
	memdev_config(&cfg, &dev, &ma);
	cfg.volume_size = (sectors + 1) * ss;
	assert_int_equal(ntfs_mount(&cfg, &vol), NTFS_OK);
	assert_int_equal(ntfs_volume_info(vol, &got), NTFS_OK);
	assert_memory_equal(&got, &good, sizeof got);
	timage_unmount(vol, &ma);

	/* Backup gone too. */
	memset(copy + sectors * ss, 0, (size_t)ss);
	memdev_init(&dev, copy, (sectors + 1) * ss, 512);
	memdev_config(&cfg, &dev, &ma);
	cfg.volume_size = (sectors + 1) * ss;
	assert_int_equal(ntfs_mount(&cfg, &vol), NTFS_ERR_CORRUPT_BOOT);
	assert_int_equal(ma.bytes, 0);
	free(copy);
}

static void test_backup_boot(void **state)
{
	static char names[MAX_IMAGES][128];
	size_t n = timage_list(names, MAX_IMAGES), i;
	struct timage img;

	(void)state;
	if (n == 0)
		fail_msg("no committed test images");
	/* Every image: this covers 512- and 4096-byte sectors. */
	for (i = 0; i < n; i++) {
		timage_open(&img, names[i]);
		backup_boot_one(&img);
		timage_close(&img);
	}
}

static int dummy_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
	(void)ctx;
	(void)offset;
	(void)buf;
	(void)len;
	fail_msg("an invalid configuration must be refused before any read");
	return -1;
}

static void test_bad_config(void **state)
{
	static const uint32_t bad_align[] = {1, 3, 256, 511, 513, 1000, 1536, 131072, 0x80000000u};
	struct ntfs_config cfg, base;
	struct memalloc ma;
	ntfs_volume *vol = NULL;
	size_t i;

	(void)state;
	memalloc_init(&ma);
	memset(&base, 0, sizeof base);
	base.read = dummy_read;
	base.alloc = memalloc_alloc;
	base.free = memalloc_free;
	base.alloc_ctx = &ma;

	for (i = 0; i < sizeof bad_align / sizeof bad_align[0]; i++) {
		cfg = base;
		cfg.read_align = bad_align[i];
		assert_int_equal(ntfs_mount(&cfg, &vol), NTFS_ERR_INVALID);
	}
	cfg = base;
	cfg.read = NULL;
	assert_int_equal(ntfs_mount(&cfg, &vol), NTFS_ERR_INVALID);
	cfg = base;
	cfg.alloc = NULL;
	assert_int_equal(ntfs_mount(&cfg, &vol), NTFS_ERR_INVALID);
	cfg = base;
	cfg.free = NULL;
	assert_int_equal(ntfs_mount(&cfg, &vol), NTFS_ERR_INVALID);
	assert_int_equal(ntfs_mount(NULL, &vol), NTFS_ERR_INVALID);
	assert_int_equal(ntfs_mount(&base, NULL), NTFS_ERR_INVALID);
	assert_null(vol);
	assert_int_equal(ma.allocs, 0);
	ntfs_unmount(NULL);
}

/* Every valid read_align gives the same volume, and every read honours it. */
static void test_read_align(void **state)
{
	struct ntfs_volume_info good, got;
	struct timage img;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	char name[128];
	uint64_t fc_good, fc;

	(void)state;
	first_image(&img, name, sizeof name);
	assert_int_equal(timage_mount(&img, 0, &dev, &ma, &vol), NTFS_OK);
	assert_int_equal(ntfs_volume_info(vol, &good), NTFS_OK);
	assert_int_equal(ntfs_volume_free_clusters(vol, &fc_good), NTFS_OK);
	timage_unmount(vol, &ma);
	for (uint32_t a = 512; a <= 65536; a *= 2) {
		assert_int_equal(timage_mount(&img, a, &dev, &ma, &vol), NTFS_OK);
		assert_int_equal(ntfs_volume_info(vol, &got), NTFS_OK);
		assert_memory_equal(&got, &good, sizeof got);
		assert_int_equal(ntfs_volume_free_clusters(vol, &fc), NTFS_OK);
		assert_int_equal(fc, fc_good);
		assert_int_equal(dev.misaligned, 0);
		timage_unmount(vol, &ma);
	}
	timage_close(&img);
}

/* A device cut short: the reads past its end fail, and mount says IO. */
static void test_truncated_device(void **state)
{
	struct timage img;
	struct ntfs_config cfg;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	char name[128];

	(void)state;
	first_image(&img, name, sizeof name);
	memdev_init(&dev, img.data, 8192, 512);
	memalloc_init(&ma);
	memdev_config(&cfg, &dev, &ma);
	assert_int_equal(ntfs_mount(&cfg, &vol), NTFS_ERR_IO);
	assert_true(dev.oob_reads > 0);
	assert_int_equal(ma.bytes, 0);

	memdev_init(&dev, img.data, 0, 512);
	memdev_config(&cfg, &dev, &ma);
	assert_int_equal(ntfs_mount(&cfg, &vol), NTFS_ERR_IO);
	assert_int_equal(ma.bytes, 0);
	timage_close(&img);
}

/* volume_size 0: mount checks that the device holds the volume through its
 * last whole read_align block. A volume (and device) ending mid-block, here
 * 4 KiB past a 64 KiB boundary, mounts with 64 KiB reads that never pass
 * the device's end. */
static void test_volume_end_unaligned(void **state)
{
	struct ntfs_volume_info vi;
	struct ntfs_config cfg;
	struct timage img;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	uint64_t end;

	(void)state;
	timage_open(&img, "ntfs-c4k");
	assert_int_equal((img.data[11] | img.data[12] << 8) * img.data[13], 4096);
	end = (img.size / 65536 - 2) * 65536 + 4096;
	for (int i = 0; i < 8; i++)
		img.data[40 + i] = (uint8_t)(end / 512 >> 8 * i);
	memdev_init(&dev, img.data, end + 512, 65536);
	memalloc_init(&ma);
	memdev_config(&cfg, &dev, &ma);
	assert_int_equal(ntfs_mount(&cfg, &vol), NTFS_OK);
	assert_int_equal(ntfs_volume_info(vol, &vi), NTFS_OK);
	assert_int_equal(vi.total_clusters, end / 4096);
	assert_int_equal(dev.oob_reads, 0);
	ntfs_unmount(vol);
	assert_int_equal(ma.bytes, 0);
	timage_close(&img);
}

/* Not NTFS at all: an all-zero device. */
static void test_not_ntfs(void **state)
{
	static uint8_t zeros[1 << 20];
	struct ntfs_config cfg;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;

	(void)state;
	memdev_init(&dev, zeros, sizeof zeros, 512);
	memalloc_init(&ma);
	memdev_config(&cfg, &dev, &ma);
	assert_int_equal(ntfs_mount(&cfg, &vol), NTFS_ERR_CORRUPT_BOOT);
	cfg.volume_size = sizeof zeros;
	assert_int_equal(ntfs_mount(&cfg, &vol), NTFS_ERR_CORRUPT_BOOT);
	assert_int_equal(ma.bytes, 0);
	assert_int_equal(dev.misaligned, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_bad_config),
	        cmocka_unit_test(test_not_ntfs),
	        cmocka_unit_test(test_info_matches_refs),
	        cmocka_unit_test(test_info_shared_consistent),
	        cmocka_unit_test(test_backup_boot),
	        cmocka_unit_test(test_read_align),
	        cmocka_unit_test(test_truncated_device),
	        cmocka_unit_test(test_volume_end_unaligned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
