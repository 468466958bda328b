/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What fuzz_mbr and fuzz_gpt share: the input as a disk, and the checks
 * every partition listed must pass.
 *
 * Input: byte 0 flags, then the disk's bytes.
 *   bits 0-1  sector size 512 << k (512, 1024, 2048, 4096)
 *   bit 2     fuzz_gpt: the harness re-signs the GPT headers (see there)
 *   bit 3     the device is 2^32 sectors (zeros past the input), else the
 *             input rounded up to whole sectors (at least one)
 * Reads past the device fail; every sector read is counted.
 */
#ifndef NTFS_FUZZ_PART_COMMON_H
#define NTFS_FUZZ_PART_COMMON_H

#include <ntfs/blockdev.h>

#include <stdint.h>
#include <string.h>

#include "check.h"

struct fz_disk {
	const uint8_t *data;
	size_t len;
	uint32_t ss;
	uint64_t n;
	uint64_t reads;
};

static int fz_disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct fz_disk *d = ctx;
	uint8_t *out = buf;

	/* The parsers never ask for a sector the device does not have. */
	TS_CHECK(count >= 1);
	TS_CHECK(lba < d->n && count <= d->n - lba);
	d->reads += count;
	for (uint64_t i = 0; i < (uint64_t)count * d->ss; i++) {
		uint64_t at = lba * d->ss + i;
		out[i] = at < d->len ? d->data[at] : 0;
	}
	return 0;
}

static void fz_disk_init(struct fz_disk *d, struct ntfs_blockdev *dev, uint8_t flags,
                         const uint8_t *data, size_t len)
{
	d->data = data;
	d->len = len;
	d->ss = 512u << (flags & 3);
	d->n = flags & 8 ? (uint64_t)1 << 32 : (len + d->ss - 1) / d->ss;
	if (d->n == 0)
		d->n = 1;
	d->reads = 0;
	dev->read_sectors = fz_disk_read;
	dev->ctx = d;
	dev->sector_size = d->ss;
	dev->sector_count = d->n;
}

/* List every partition, then every NTFS volume; check each. Returns the
 * number listed. */
static unsigned fz_part_walk(const struct ntfs_blockdev *dev, uint8_t scheme, unsigned max)
{
	static uint8_t scratch[4096];
	struct ntfs_part_iter it;
	struct ntfs_part p;
	uint64_t bytes = dev->sector_count * dev->sector_size;
	uint32_t last = 0;
	unsigned n = 0;
	int r = ntfs_part_open(&it, dev, scratch);

	TS_CHECK(r == NTFS_OK || r == NTFS_ERR_IO || r == NTFS_ERR_NOT_FOUND ||
	         r == NTFS_ERR_LIMIT || r == NTFS_ERR_CORRUPT_PARTITION);
	if (r != NTFS_OK)
		return 0;
	while ((r = ntfs_part_next(&it, &p)) == 1) {
		TS_CHECK(++n <= max);
		TS_CHECK(p.scheme == scheme);
		TS_CHECK(p.index > last);
		last = p.index;
		TS_CHECK(p.length > 0 && p.start % dev->sector_size == 0 &&
		         p.length % dev->sector_size == 0);
		TS_CHECK(p.start <= bytes && p.length <= bytes - p.start);
		TS_CHECK(memchr(p.name, 0, sizeof p.name) != NULL);
		TS_CHECK(scheme == NTFS_PART_GPT || p.name[0] == 0);
	}
	TS_CHECK(r == 0 || r == NTFS_ERR_IO || r == NTFS_ERR_LIMIT ||
	         r == NTFS_ERR_CORRUPT_PARTITION);
	TS_CHECK(ntfs_part_next(&it, &p) == r);
	r = ntfs_part_open(&it, dev, scratch);
	TS_CHECK(r == NTFS_OK);
	while ((r = ntfs_part_next_ntfs(&it, &p)) == 1)
		TS_CHECK(p.scheme == scheme && (p.scheme == NTFS_PART_GPT || p.type == 0x07));
	return n;
}

#endif /* NTFS_FUZZ_PART_COMMON_H */
