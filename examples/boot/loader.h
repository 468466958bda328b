/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The loader part of examples/boot: what a boot loader links to load one
 * file from an NTFS partition of its boot disk. Freestanding: it includes
 * only <stddef.h> <stdint.h> <stdbool.h> <limits.h> and the ntfs headers, uses no
 * heap and no C library, and keeps all its memory in static buffers (an
 * arena for the core, a block cache under it). One load at a time.
 */
#ifndef NTFS_EXAMPLE_BOOT_LOADER_H
#define NTFS_EXAMPLE_BOOT_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ntfs/blockdev.h>
#include <ntfs/cache.h>
#include <ntfs/ntfs.h>

/* The arena the core allocates from. Measured (README.md): at most 20,704
 * bytes for any file of test/images, 30,336 for a WOF XPRESS 8K file;
 * WOF XPRESS 16K and LZX files need 82,912 and get NTFS_ERR_NOMEM here. */
#ifndef BOOT_ARENA_SIZE
#define BOOT_ARENA_SIZE (40u * 1024u)
#endif
/* The block cache between the core and the sector device. */
#ifndef BOOT_CACHE_SLOTS
#define BOOT_CACHE_SLOTS 8u
#endif
#ifndef BOOT_CACHE_BLOCK
#define BOOT_CACHE_BLOCK 4096u
#endif
#define BOOT_CACHE_SIZE NTFS_CACHE_MEM(BOOT_CACHE_SLOTS, BOOT_CACHE_BLOCK)

/* Where boot_load() stopped; BOOT_DONE when it loaded the file. */
enum boot_stage {
	BOOT_DONE = 0,
	BOOT_TABLE,        /* the partition table could not be read (or no arena for its sector) */
	BOOT_NO_PARTITION, /* no such partition, or no NTFS one (NTFS_ERR_NOT_FOUND) */
	BOOT_NOT_NTFS,     /* the partition asked for is not NTFS (NTFS_ERR_NOT_FOUND) */
	BOOT_MOUNT,        /* ntfs_mount() failed */
	BOOT_OPEN,         /* the path or its data stream did not open */
	BOOT_READ,         /* the file is too large (NTFS_ERR_LIMIT) or did not read */
};

/* What boot_load() did: filled in on success and on failure alike. */
struct boot_report {
	enum boot_stage stage;
	uint32_t partition;            /* the partition's number; 0: the disk is the volume */
	uint64_t volume_offset;        /* first byte of the volume on the disk */
	uint64_t volume_length;        /* bytes */
	uint64_t file_size;            /* the file's size, once its stream is open */
	size_t loaded;                 /* bytes stored in the buffer */
	size_t arena_size;             /* BOOT_ARENA_SIZE */
	size_t arena_peak;             /* the arena's high-water mark */
	size_t arena_left;             /* still allocated after unmount (0, or a leak) */
	size_t cache_size;             /* BOOT_CACHE_SIZE */
	size_t other_static;           /* the loader's other static memory (its structs) */
	uint32_t cache_slots;          /* BOOT_CACHE_SLOTS */
	uint32_t cache_block;          /* BOOT_CACHE_BLOCK */
	struct ntfs_cache_stats cache; /* hits, misses, device reads and bytes */
};

/*
 * Load the file @path of the NTFS volume on @disk into @buf.
 *
 * @disk: the boot disk, whole (sector size 512 to 4096).
 * @partition: 0 for the first NTFS partition of its MBR or GPT, or N for
 *   partition N as Linux numbers it (MBR logicals from 5). A disk with no
 *   partition table (sector 0 is an NTFS boot sector, or carries no
 *   0x55AA) is read as one volume when @partition is 0.
 * @path: UTF-8, '/' separated, as ntfs_path_open() takes it.
 * @buf, @buf_size: where the file goes. A file larger than @buf_size is
 *   refused with NTFS_ERR_LIMIT, not truncated.
 * @report: what happened (never NULL).
 *
 * Returns NTFS_OK or a negative ntfs_error; @report->stage says where.
 */
int boot_load(const struct ntfs_blockdev *disk, uint32_t partition, const char *path, void *buf,
              size_t buf_size, struct boot_report *report);

#endif /* NTFS_EXAMPLE_BOOT_LOADER_H */
