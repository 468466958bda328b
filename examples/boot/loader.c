/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The loader part of examples/boot (see loader.h): partition table, block
 * cache, mount, path, read, with static memory only. Nothing here needs a
 * C library: .ci/freestanding.sh links it for Cortex-M4 and RV64 with the
 * core and src/blockdev and no libc.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ntfs/blockdev.h>
#include <ntfs/cache.h>
#include <ntfs/ntfs.h>

#include "loader.h"

/* All the memory the loader uses, besides its stack. The partition table
 * is read through a sector taken from the arena and given back before the
 * mount, which needs more. */
static _Alignas(16) uint8_t work[BOOT_ARENA_SIZE];      /* the core's arena */
static _Alignas(16) uint8_t cache_mem[BOOT_CACHE_SIZE]; /* the block cache */
static struct ntfs_arena arena;
static struct ntfs_cache cache;
/* The partition as a byte range: the cache reads through it while mounted. */
static struct ntfs_blockdev_range range;

/*
 * Find the volume: partition @want (0: the first NTFS one) of @disk's
 * table, or the whole disk when it has no table and @want is 0.
 */
static int find_volume(const struct ntfs_blockdev *disk, uint32_t want, uint8_t *sector,
                       struct boot_report *rep)
{
	struct ntfs_part_iter it;
	struct ntfs_part p;
	int err, r;

	err = ntfs_part_open(&it, disk, sector);
	if (err == NTFS_ERR_NOT_FOUND && want == 0) {
		/* No partition table: the disk is the volume (or nothing). */
		rep->partition = 0;
		rep->volume_offset = 0;
		rep->volume_length = disk->sector_count * disk->sector_size;
		return NTFS_OK;
	}
	if (err == NTFS_ERR_NOT_FOUND) {
		rep->stage = BOOT_NO_PARTITION;
		return err;
	}
	if (err != NTFS_OK) {
		rep->stage = BOOT_TABLE;
		return err;
	}
	/* NTFS partitions in table order (one whose boot sector does not read
	 * is skipped by the cursor). */
	while ((r = ntfs_part_next_ntfs(&it, &p)) == 1) {
		if (want == 0 || p.index == want) {
			rep->partition = p.index;
			rep->volume_offset = p.start;
			rep->volume_length = p.length;
			return NTFS_OK;
		}
	}
	if (r < 0) {
		rep->stage = BOOT_TABLE;
		return r;
	}
	/* None: tell "no partition N" from "partition N is not NTFS". */
	rep->stage = BOOT_NO_PARTITION;
	if (want != 0 && ntfs_part_open(&it, disk, sector) == NTFS_OK) {
		while ((r = ntfs_part_next(&it, &p)) == 1 && p.index != want)
			;
		if (r == 1)
			rep->stage = BOOT_NOT_NTFS;
	}
	return NTFS_ERR_NOT_FOUND;
}

/* Open @path's unnamed stream and read it whole into @buf. */
static int load_path(ntfs_volume *vol, const char *path, void *buf, size_t buf_size,
                     struct boot_report *rep)
{
	ntfs_file *file;
	ntfs_stream *stream;
	int err;

	rep->stage = BOOT_OPEN;
	err = ntfs_path_open(vol, path, &file);
	if (err != NTFS_OK)
		return err;
	err = ntfs_stream_open(file, NULL, &stream);
	if (err == NTFS_OK) {
		rep->stage = BOOT_READ;
		rep->file_size = ntfs_stream_size(stream);
		/* Refuse rather than truncate: half a kernel is worse than none. */
		if (rep->file_size > buf_size) {
			err = NTFS_ERR_LIMIT;
		} else {
			/* One read: the cache hands runs of two blocks or more
			 * straight from the device to @buf. */
			err = ntfs_stream_read(stream, 0, buf, (size_t)rep->file_size,
			                       &rep->loaded);
			if (err == NTFS_OK && rep->loaded != rep->file_size)
				err = NTFS_ERR_IO;
		}
		ntfs_stream_close(stream);
	}
	ntfs_file_close(file);
	if (err == NTFS_OK)
		rep->stage = BOOT_DONE;
	return err;
}

int boot_load(const struct ntfs_blockdev *disk, uint32_t partition, const char *path, void *buf,
              size_t buf_size, struct boot_report *rep)
{
	struct ntfs_config cfg;
	ntfs_volume *vol;
	uint8_t *sector;
	int err;

	/* Field by field: a struct initialiser or copy may become a call to
	 * memset() or memcpy(), which a loader without a C library lacks. */
	rep->stage = BOOT_MOUNT;
	rep->partition = 0;
	rep->volume_offset = 0;
	rep->volume_length = 0;
	rep->file_size = 0;
	rep->loaded = 0;
	rep->arena_size = sizeof work;
	rep->arena_peak = 0;
	rep->arena_left = 0;
	rep->cache_size = sizeof cache_mem;
	rep->other_static = sizeof arena + sizeof cache + sizeof range;
	rep->cache_slots = 0;
	rep->cache_block = BOOT_CACHE_BLOCK;
	rep->cache.hits = 0;
	rep->cache.misses = 0;
	rep->cache.device_reads = 0;
	rep->cache.device_bytes = 0;
	rep->cache.bypass_reads = 0;
	rep->cache.readahead = 0;
	if (disk == NULL || path == NULL || (buf == NULL && buf_size != 0))
		return NTFS_ERR_INVALID;
	/* Sectors are 512 to 4096 bytes (ntfs_part_open() checks which). */
	if (disk->sector_size > 4096u) {
		rep->stage = BOOT_TABLE;
		return NTFS_ERR_INVALID;
	}

	ntfs_arena_init(&arena, work, sizeof work);
	sector = ntfs_arena_alloc(&arena, disk->sector_size);
	if (sector == NULL) {
		rep->stage = BOOT_TABLE;
		return NTFS_ERR_NOMEM;
	}
	err = find_volume(disk, partition, sector, rep);
	ntfs_arena_free(&arena, sector, disk->sector_size);
	if (err != NTFS_OK)
		return err;

	/* The volume's byte range, then the cache over it, then the core over
	 * the cache; ntfs_blockdev_config() also checks the range and device. */
	rep->stage = BOOT_MOUNT;
	err = ntfs_blockdev_config(disk, rep->volume_offset, rep->volume_length, &range, &cfg);
	if (err != NTFS_OK)
		return err;
	err = ntfs_cache_init(&cache, cache_mem, sizeof cache_mem, BOOT_CACHE_BLOCK,
	                      ntfs_blockdev_read, &range, disk->sector_size);
	if (err != NTFS_OK)
		return err;
	rep->cache_slots = ntfs_cache_slots(&cache);
	cfg.read = ntfs_cache_read;
	cfg.read_ctx = &cache;
	cfg.alloc = ntfs_arena_alloc;
	cfg.free = ntfs_arena_free;
	cfg.alloc_ctx = &arena;

	err = ntfs_mount(&cfg, &vol);
	if (err == NTFS_OK) {
		err = load_path(vol, path, buf, buf_size, rep);
		ntfs_unmount(vol);
	}
	rep->arena_peak = arena.peak;
	rep->arena_left = arena.in_use;
	rep->cache.hits = cache.stats.hits;
	rep->cache.misses = cache.stats.misses;
	rep->cache.device_reads = cache.stats.device_reads;
	rep->cache.device_bytes = cache.stats.device_bytes;
	rep->cache.bypass_reads = cache.stats.bypass_reads;
	rep->cache.readahead = cache.stats.readahead;
	return err;
}
