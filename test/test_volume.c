/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mount and volume facts, checked against ntfsinfo and fsstat run
 * at test time on every committed image and on the shared real-world
 * images when present; the backup boot sector; bad configurations.
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

static uint64_t num_field(const char *text, const char *key, const char *tool, int base)
{
	char buf[256], *end;
	unsigned long long v;

	if (!text_field(text, key, buf, sizeof buf))
		fail_msg("%s printed no '%s:' line", tool, key);
	v = strtoull(buf, &end, base);
	if (end == buf)
		fail_msg("%s: cannot parse '%s: %s'", tool, key, buf);
	return v;
}

/* "0 - 8190" -> 8191 */
static uint64_t range_count(const char *text, const char *key)
{
	char buf[256];
	unsigned long long lo = 1, hi = 0;

	if (!text_field(text, key, buf, sizeof buf) || sscanf(buf, "%llu - %llu", &lo, &hi) != 2)
		fail_msg("fsstat printed no '%s: A - B' line", key);
	assert_int_equal(lo, 0);
	return hi + 1;
}

/* Initialized size of the $MFT's unnamed $DATA, from ntfsinfo -v. */
static uint64_t mft_init_size(const char *path)
{
	struct xattrs xa;
	const struct xattr *x;
	uint64_t init;

	tool_attrs(path, 0, &xa);
	x = xattr_find(&xa, NTFS_AT_DATA, "");
	if (x == NULL)
		fail_msg("ntfsinfo -v -i 0 %s: no $DATA", path);
	init = x->init;
	tool_attrs_free(&xa);
	return init;
}

static void check_image(const struct timage *img)
{
	const char *info_argv[] = {"ntfsinfo", "-m", img->path, NULL};
	const char *fsstat_argv[] = {"fsstat", img->path, NULL};
	struct ntfs_volume_info vi;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	char *info, *fs, buf[512];
	uint64_t free_clusters, ver_major, ver_minor;
	int err;

	info = tool_must(info_argv, NULL);
	/* The Sleuth Kit refuses some valid volumes (2 MiB clusters): then
	 * ntfsinfo alone is the reference. */
	if (tool_run(fsstat_argv, &fs, NULL) != 0) {
		free(fs);
		fs = NULL;
	}
	print_message("  %s%s\n", img->name, fs ? "" : " (fsstat cannot read it)");

	err = timage_mount(img, 512, &dev, &ma, &vol);
	if (err)
		fail_msg("%s: mount: %s", img->name, ntfs_strerror(err));
	assert_int_equal(ntfs_volume_info(vol, &vi), NTFS_OK);

	/* Label: both tools must agree with us. */
	assert_true(text_field(info, "Volume Name", buf, sizeof buf));
	assert_string_equal(vi.label, buf);
	assert_int_equal(vi.label_len, strlen(buf));
	if (fs != NULL) {
		/* fsstat leaves the line out when there is no label. */
		if (!text_field(fs, "Volume Name", buf, sizeof buf))
			buf[0] = '\0';
		assert_string_equal(vi.label, buf);
		assert_int_equal(vi.serial, num_field(fs, "Volume Serial Number", "fsstat", 16));
		assert_int_equal(vi.sector_size, num_field(fs, "Sector Size", "fsstat", 10));
		assert_int_equal(vi.cluster_size, num_field(fs, "Cluster Size", "fsstat", 10));
		assert_int_equal(vi.record_size,
		                 num_field(fs, "Size of MFT Entries", "fsstat", 10));
		assert_int_equal(vi.index_block_size,
		                 num_field(fs, "Size of Index Records", "fsstat", 10));
		assert_int_equal(vi.total_clusters, range_count(fs, "Total Cluster Range"));
		assert_int_equal(vi.mft_lcn, num_field(fs, "First Cluster of MFT", "fsstat", 10));
		assert_int_equal(vi.mftmirr_lcn,
		                 num_field(fs, "First Cluster of MFT Mirror", "fsstat", 10));
	}

	assert_true(text_field(info, "Volume Version", buf, sizeof buf));
	assert_int_equal(sscanf(buf, "%llu.%llu", (unsigned long long *)&ver_major,
	                        (unsigned long long *)&ver_minor),
	                 2);
	assert_int_equal(vi.major_version, ver_major);
	assert_int_equal(vi.minor_version, ver_minor);
	assert_int_equal(vi.flags, num_field(info, "Volume Flags", "ntfsinfo", 16));
	assert_int_equal(vi.dirty, (vi.flags & 1) != 0);
	assert_int_equal(vi.sector_size, num_field(info, "Sector Size", "ntfsinfo", 10));
	assert_int_equal(vi.cluster_size, num_field(info, "Cluster Size", "ntfsinfo", 10));
	assert_int_equal(vi.record_size, num_field(info, "MFT Record Size", "ntfsinfo", 10));
	assert_int_equal(vi.index_block_size, num_field(info, "Index Block Size", "ntfsinfo", 10));
	assert_int_equal(vi.total_clusters,
	                 num_field(info, "Volume Size in Clusters", "ntfsinfo", 10));
	assert_int_equal(vi.mft_lcn,
	                 num_field(info, "LCN of Data Attribute for FILE_MFT", "ntfsinfo", 10));
	assert_int_equal(vi.mftmirr_lcn,
	                 num_field(info, "LCN of Data Attribute for File_MFTMirr", "ntfsinfo", 10));
	/* The records the $MFT's initialized data holds (ntfsinfo -v -i 0). */
	assert_int_equal(vi.mft_records, mft_init_size(img->path) / vi.record_size);

	assert_int_equal(ntfs_volume_free_clusters(vol, &free_clusters), NTFS_OK);
	assert_int_equal(free_clusters, num_field(info, "Free Clusters", "ntfsinfo", 10));

	assert_int_equal(dev.misaligned, 0);
	assert_int_equal(dev.oob_reads, 0);
	timage_unmount(vol, &ma);
	free(info);
	free(fs);
}

static void test_info_matches_tools(void **state)
{
	static char names[MAX_IMAGES][128];
	size_t n = timage_list(names, MAX_IMAGES), i;
	struct timage img;

	(void)state;
	tool_require("ntfsinfo");
	tool_require("fsstat");
	if (n == 0)
		fail_msg("no committed test images (test/images/*.img.xz)");
	for (i = 0; i < n; i++) {
		timage_open(&img, names[i]);
		check_image(&img);
		timage_close(&img);
	}
}

static void test_info_matches_tools_shared(void **state)
{
	struct timage img;
	size_t i, done = 0;

	(void)state;
	tool_require("ntfsinfo");
	tool_require("fsstat");
	for (i = 0; i < sizeof shared_images / sizeof shared_images[0]; i++) {
		if (timage_shared(&img, shared_images[i]) != 0)
			continue;
		check_image(&img);
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

static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	while (n--)
		v = v << 8 | p[n];
	return v;
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
	        cmocka_unit_test(test_info_matches_tools),
	        cmocka_unit_test(test_info_matches_tools_shared),
	        cmocka_unit_test(test_backup_boot),
	        cmocka_unit_test(test_read_align),
	        cmocka_unit_test(test_truncated_device),
	        cmocka_unit_test(test_volume_end_unaligned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
