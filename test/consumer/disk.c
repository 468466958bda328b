/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A boot-loader-shaped consumer of an installed ntfs: the block-device
 * adapter over a sector read callback, a static arena instead of a heap.
 * Built by CI through find_package(ntfs COMPONENTS blockdev) and through
 * pkg-config ntfs-blockdev. IMAGE is a bare volume, read as a device of
 * 512-byte sectors whose one range is the whole volume; PATH goes to
 * stdout.
 */
#include <stdio.h>

#include <ntfs/blockdev.h>
#include <ntfs/ntfs.h>

static int read_sectors(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	FILE *f = ctx;

	if (fseek(f, (long)(lba * 512), SEEK_SET) != 0)
		return -1;
	return fread(buf, 512, count, f) == count ? 0 : -1;
}

int main(int argc, char **argv)
{
	static _Alignas(16) unsigned char work[256 * 1024];
	static char buf[16384];
	struct ntfs_arena arena;
	struct ntfs_blockdev disk = {read_sectors, NULL, 512, 0};
	struct ntfs_blockdev_range range;
	struct ntfs_config cfg = {0};
	ntfs_volume *vol = NULL;
	ntfs_file *file = NULL;
	ntfs_stream *stream = NULL;
	uint64_t pos = 0;
	size_t n;
	long size;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: %s IMAGE PATH\n", argv[0]);
		return 2;
	}
	disk.ctx = fopen(argv[1], "rb");
	if (disk.ctx == NULL || fseek(disk.ctx, 0, SEEK_END) != 0 ||
	    (size = ftell(disk.ctx)) < 512) {
		perror(argv[1]);
		return 1;
	}
	disk.sector_count = (uint64_t)size / 512;
	ntfs_arena_init(&arena, work, sizeof work);
	err = ntfs_blockdev_config(&disk, 0, disk.sector_count * 512, &range, &cfg);
	cfg.alloc = ntfs_arena_alloc;
	cfg.free = ntfs_arena_free;
	cfg.alloc_ctx = &arena;
	if (!err)
		err = ntfs_mount(&cfg, &vol);
	if (!err)
		err = ntfs_path_open(vol, argv[2], &file);
	if (!err)
		err = ntfs_stream_open(file, NULL, &stream);
	while (!err && !(err = ntfs_stream_read(stream, pos, buf, sizeof buf, &n)) && n > 0) {
		fwrite(buf, 1, n, stdout);
		pos += n;
	}
	if (err)
		fprintf(stderr, "disk: %s\n", ntfs_strerror(err));
	ntfs_stream_close(stream);
	ntfs_file_close(file);
	ntfs_unmount(vol);
	fclose(disk.ctx);
	return err ? 1 : 0;
}
