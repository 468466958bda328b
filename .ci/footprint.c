/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What a boot loader links: mount, open a path, list a directory, read a
 * file (LZNT1 included), from a static arena. .ci/freestanding.sh links
 * this against the core with --gc-sections to measure the flash such a
 * program pays for, as opposed to every feature of the core.
 */
#include <ntfs/ntfs.h>

static _Alignas(16) unsigned char heap[48 * 1024];
static unsigned char buf[4096];
static struct ntfs_config cfg;
static struct ntfs_arena arena;

int footprint_read(void *ctx, uint64_t offset, void *dst, size_t len);

int footprint_entry(const char *path);

int footprint_entry(const char *path)
{
	ntfs_volume *vol;
	ntfs_file *f;
	ntfs_stream *s;
	ntfs_dir *d;
	struct ntfs_dirent e;
	size_t n;
	int err;

	ntfs_arena_init(&arena, heap, sizeof heap);
	cfg.read = footprint_read;
	cfg.alloc = ntfs_arena_alloc;
	cfg.free = ntfs_arena_free;
	cfg.alloc_ctx = &arena;
	cfg.read_align = 512;
	err = ntfs_mount(&cfg, &vol);
	if (err)
		return err;
	err = ntfs_path_open(vol, path, &f);
	if (!err) {
		if (ntfs_dir_open(f, 0, &d) == NTFS_OK) {
			while (ntfs_dir_next(d, &e) == 1)
				;
			ntfs_dir_close(d);
		}
		err = ntfs_stream_open(f, NULL, &s);
		if (!err) {
			err = ntfs_stream_read(s, 0, buf, sizeof buf, &n);
			ntfs_stream_close(s);
		}
		ntfs_file_close(f);
	}
	ntfs_unmount(vol);
	return err;
}

/* The device: a stand-in the linker keeps. */
int footprint_read(void *ctx, uint64_t offset, void *dst, size_t len)
{
	(void)ctx;
	(void)offset;
	(void)dst;
	(void)len;
	return -1;
}
