/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The sector-device adapter (src/blockdev/blockdev.c): which devices and
 * ranges ntfs_blockdev_config() takes (one row each), what its read
 * callback turns byte reads into, and a real volume mounted through it at
 * an offset of an in-memory disk found by the partition cursor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ntfs/blockdev.h>

#include "memdev.h"
#include "template.h"

struct disk {
	uint8_t *data;
	uint64_t n;
	uint32_t ss;
	unsigned calls;
	uint64_t last_lba;
	uint32_t last_count;
	bool fail;
};

static int disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct disk *d = ctx;

	d->calls++;
	d->last_lba = lba;
	d->last_count = count;
	if (d->fail || lba >= d->n || count > d->n - lba)
		return -1;
	memcpy(buf, d->data + lba * d->ss, (size_t)count * d->ss);
	return 0;
}

struct config_case {
	const char *name;
	ntfs_sector_read_fn fn;
	uint32_t ss;
	uint64_t n;
	uint64_t offset, length;
	int err;
};

static const struct config_case config_cases[] = {
        {"whole disk", disk_read, 512, 64, 0, 64 * 512, NTFS_OK},
        {"1024-byte sectors", disk_read, 1024, 64, 1024, 1024, NTFS_OK},
        {"2048-byte sectors", disk_read, 2048, 64, 2048, 2048, NTFS_OK},
        {"4096-byte sectors, last sector", disk_read, 4096, 64, 63 * 4096, 4096, NTFS_OK},
        {"no callback", NULL, 512, 64, 0, 512, NTFS_ERR_INVALID},
        {"sector size 256", disk_read, 256, 64, 0, 512, NTFS_ERR_INVALID},
        {"sector size 768", disk_read, 768, 64, 0, 768, NTFS_ERR_INVALID},
        {"sector size 8192", disk_read, 8192, 64, 0, 8192, NTFS_ERR_INVALID},
        {"no sectors", disk_read, 512, 0, 0, 512, NTFS_ERR_INVALID},
        {"more than 2^64 bytes", disk_read, 512, UINT64_MAX >> 8, 0, 512, NTFS_ERR_INVALID},
        {"2^64 - 512 bytes", disk_read, 512, UINT64_MAX >> 9, 0, 512, NTFS_OK},
        {"unaligned offset", disk_read, 512, 64, 100, 512, NTFS_ERR_INVALID},
        {"unaligned length", disk_read, 512, 64, 0, 1000, NTFS_ERR_INVALID},
        {"empty range", disk_read, 512, 64, 512, 0, NTFS_ERR_INVALID},
        {"one sector past the end", disk_read, 512, 64, 512, 64 * 512, NTFS_ERR_INVALID},
        {"starts past the end", disk_read, 512, 64, 65 * 512, 512, NTFS_ERR_INVALID},
        {"offset + length wraps", disk_read, 512, 64, 512, UINT64_MAX - 511, NTFS_ERR_INVALID},
};

static void config_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof config_cases / sizeof config_cases[0]; i++) {
		const struct config_case *c = &config_cases[i];
		struct ntfs_blockdev dev = {c->fn, NULL, c->ss, c->n};
		struct ntfs_blockdev_range range;
		struct ntfs_config cfg;

		print_message("config: %s\n", c->name);
		memset(&cfg, 0, sizeof cfg);
		assert_int_equal(ntfs_blockdev_config(&dev, c->offset, c->length, &range, &cfg),
		                 c->err);
		if (c->err == NTFS_OK) {
			assert_ptr_equal(cfg.read, ntfs_blockdev_read);
			assert_ptr_equal(cfg.read_ctx, &range);
			assert_int_equal(cfg.read_align, c->ss);
			assert_int_equal(cfg.volume_size, c->length);
		} else {
			assert_null(cfg.read);
		}
	}
	struct ntfs_blockdev dev = {disk_read, NULL, 512, 64};
	struct ntfs_blockdev_range range;
	struct ntfs_config cfg;
	assert_int_equal(ntfs_blockdev_config(NULL, 0, 512, &range, &cfg), NTFS_ERR_INVALID);
	assert_int_equal(ntfs_blockdev_config(&dev, 0, 512, NULL, &cfg), NTFS_ERR_INVALID);
	assert_int_equal(ntfs_blockdev_config(&dev, 0, 512, &range, NULL), NTFS_ERR_INVALID);
}

static void reads(void **state)
{
	struct disk d = {NULL, 64, 512, 0, 0, 0, false};
	struct ntfs_blockdev dev = {disk_read, &d, 512, 64};
	struct ntfs_blockdev_range range;
	struct ntfs_config cfg;
	uint8_t buf[4096];
	(void)state;

	d.data = malloc(64 * 512);
	assert_non_null(d.data);
	for (size_t i = 0; i < 64 * 512; i++)
		d.data[i] = (uint8_t)(i / 512);
	memset(&cfg, 0, sizeof cfg);
	/* Sectors 10..29. */
	assert_int_equal(ntfs_blockdev_config(&dev, 10 * 512, 20 * 512, &range, &cfg), NTFS_OK);
	assert_int_equal(cfg.read(cfg.read_ctx, 0, buf, 512), 0);
	assert_int_equal(buf[0], 10);
	assert_int_equal(cfg.read(cfg.read_ctx, 3 * 512, buf, 4096), 0);
	assert_int_equal(d.last_lba, 13);
	assert_int_equal(d.last_count, 8);
	assert_int_equal(buf[0], 13);
	assert_int_equal(buf[4095], 20);
	/* The range's last sector, and no further. */
	assert_int_equal(cfg.read(cfg.read_ctx, 19 * 512, buf, 512), 0);
	assert_int_equal(buf[0], 29);
	unsigned calls = d.calls;
	assert_int_equal(cfg.read(cfg.read_ctx, 19 * 512, buf, 1024), NTFS_ERR_INVALID);
	assert_int_equal(cfg.read(cfg.read_ctx, 20 * 512, buf, 512), NTFS_ERR_INVALID);
	assert_int_equal(cfg.read(cfg.read_ctx, UINT64_MAX - 511, buf, 512), NTFS_ERR_INVALID);
	assert_int_equal(cfg.read(cfg.read_ctx, 100, buf, 512), NTFS_ERR_INVALID);
	assert_int_equal(cfg.read(cfg.read_ctx, 0, buf, 100), NTFS_ERR_INVALID);
	assert_int_equal(d.calls, calls); /* none reached the device */
	assert_int_equal(cfg.read(cfg.read_ctx, 0, buf, 0), 0);
	d.fail = true;
	assert_int_equal(cfg.read(cfg.read_ctx, 0, buf, 512), NTFS_ERR_IO);
	free(d.data);
}

/* A committed NTFS volume written at 1 MiB of an MBR disk (type 0x07), and
 * an exFAT-looking one before it: the cursor finds the NTFS one, the
 * adapter mounts it, and the core reads it all through the adapter with
 * reads aligned to the sector size. */
static void mount_through_partition(void **state)
{
	static const uint32_t sizes[] = {512, 4096};
	(void)state;
	size_t vlen;
	const uint8_t *vol = template_image("ntfs-c4k", &vlen);

	for (size_t k = 0; k < 2; k++) {
		uint32_t ss = sizes[k];
		uint64_t start = (1u << 20) / ss, vsec = vlen / ss;
		struct disk d = {NULL, start + vsec + 8, ss, 0, 0, 0, false};
		struct ntfs_blockdev dev = {disk_read, &d, ss, d.n};
		struct ntfs_part_iter it;
		struct ntfs_part p;
		struct ntfs_blockdev_range range;
		struct ntfs_config cfg;
		struct memalloc a;
		ntfs_volume *v;
		struct ntfs_volume_info info;
		uint8_t *scratch = malloc(ss);

		assert_int_equal(vlen % ss, 0);
		d.data = calloc(d.n, ss);
		assert_non_null(d.data);
		assert_non_null(scratch);
		memcpy(d.data + start * ss, vol, vlen);
		uint8_t *e = d.data + 446;
		e[4] = 0x07; /* exFAT, 8 sectors at 8 */
		e[8] = 8;
		e[12] = 8;
		memcpy(d.data + 8 * ss + 3, "EXFAT   ", 8);
		d.data[8 * ss + 510] = 0x55;
		d.data[8 * ss + 511] = 0xAA;
		e += 16;
		e[4] = 0x07;
		for (int i = 0; i < 4; i++) {
			e[8 + i] = (uint8_t)(start >> (8 * i));
			e[12 + i] = (uint8_t)(vsec >> (8 * i));
		}
		d.data[510] = 0x55;
		d.data[511] = 0xAA;

		assert_int_equal(ntfs_part_open(&it, &dev, scratch), NTFS_OK);
		assert_int_equal(ntfs_part_next_ntfs(&it, &p), 1);
		assert_int_equal(p.index, 2);
		assert_int_equal(p.start, start * ss);
		assert_int_equal(p.length, vlen);
		assert_int_equal(ntfs_part_next_ntfs(&it, &p), 0);

		memalloc_init(&a);
		memset(&cfg, 0, sizeof cfg);
		cfg.alloc = memalloc_alloc;
		cfg.free = memalloc_free;
		cfg.alloc_ctx = &a;
		assert_int_equal(ntfs_blockdev_config(&dev, p.start, p.length, &range, &cfg),
		                 NTFS_OK);
		assert_int_equal(ntfs_mount(&cfg, &v), NTFS_OK);
		assert_int_equal(ntfs_volume_info(v, &info), NTFS_OK);
		assert_int_equal(info.cluster_size, 4096);
		ntfs_file *f;
		assert_int_equal(ntfs_path_open(v, "/", &f), NTFS_OK);
		ntfs_file_close(f);
		ntfs_unmount(v);
		memalloc_expect(&a, 0, 0);
		free(scratch);
		free(d.data);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(config_rows),
	        cmocka_unit_test(reads),
	        cmocka_unit_test(mount_through_partition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
