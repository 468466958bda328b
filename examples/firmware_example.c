/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * firmware_example: how a bootloader reads one file with the freestanding
 * core alone: no C library on the NTFS side, no heap, a static arena, and a
 * read callback over a sector driver.
 *
 *   firmware_example IMAGE PATH    (e.g. PATH = /boot/loader.cfg)
 *
 * The file goes to stdout and the arena's use to stderr. Only main() and
 * what it calls below the "host only" line stand in for the platform; the
 * rest is what would go into the firmware as is.
 */
#include <ntfs/ntfs.h>

/* ---------------------------------------------------------------------------
 * Firmware side: uses nothing but the core.
 * ------------------------------------------------------------------------ */

#define SECTOR_SIZE 512u

/*
 * All the memory the NTFS code may use. The core takes what it needs from
 * here through the arena and gives it back on close; nothing is global in
 * the core, so a loader can reuse this buffer once it is done.
 */
static _Alignas(16) unsigned char heap[48 * 1024];
static struct ntfs_arena arena;

/* Where the file is loaded; a real loader would use its load address. */
static unsigned char file_buf[64 * 1024];

/*
 * The boot disk as the platform driver sees it: whole sectors by LBA.
 * Here it is memory (think memory-mapped flash); a BIOS or UEFI loader
 * would call its block I/O service instead.
 */
struct disk {
	const unsigned char *base;
	uint64_t sectors;
};

static int disk_read_sectors(const struct disk *disk, uint64_t lba, uint64_t count,
                             unsigned char *dst)
{
	const unsigned char *src;
	uint64_t i;

	if (lba > disk->sectors || count > disk->sectors - lba)
		return -1;
	/* A plain loop: a freestanding build need not have memcpy(). */
	src = disk->base + lba * SECTOR_SIZE;
	for (i = 0; i < count * SECTOR_SIZE; i++)
		dst[i] = src[i];
	return 0;
}

/* The core's read callback. With read_align = 512 it asks only for whole sectors. */
static int read_cb(void *ctx, uint64_t offset, void *buf, size_t len)
{
	return disk_read_sectors(ctx, offset / SECTOR_SIZE, len / SECTOR_SIZE, buf);
}

/* Mount, load path into file_buf, unmount. Returns NTFS_OK or an ntfs_error. */
static int load_file(struct disk *disk, const char *path, size_t *len)
{
	struct ntfs_config cfg = {0};
	ntfs_volume *vol;
	ntfs_file *file;
	ntfs_stream *stream;
	uint64_t size;
	int err;

	ntfs_arena_init(&arena, heap, sizeof(heap));
	cfg.read = read_cb;
	cfg.read_ctx = disk;
	cfg.alloc = ntfs_arena_alloc;
	cfg.free = ntfs_arena_free;
	cfg.alloc_ctx = &arena;
	cfg.read_align = SECTOR_SIZE;
	/* Knowing the size lets the core fall back to the backup boot sector. */
	cfg.volume_size = disk->sectors * SECTOR_SIZE;

	err = ntfs_mount(&cfg, &vol);
	if (err != NTFS_OK)
		return err;
	err = ntfs_path_open(vol, path, &file);
	if (err == NTFS_OK) {
		err = ntfs_stream_open(file, NULL, &stream);
		if (err == NTFS_OK) {
			/* Refuse rather than truncate: a half-read config is worse than none. */
			size = ntfs_stream_size(stream);
			if (size > sizeof(file_buf))
				err = NTFS_ERR_LIMIT;
			else
				err = ntfs_stream_read(stream, 0, file_buf, (size_t)size, len);
			ntfs_stream_close(stream);
		}
		ntfs_file_close(file);
	}
	ntfs_unmount(vol);
	return err;
}

/* ---------------------------------------------------------------------------
 * Host only: stands in for the platform. Loads the image into memory with
 * stdio, then runs the firmware side and reports.
 * ------------------------------------------------------------------------ */

#include <stdio.h>
#include <stdlib.h>

static unsigned char *slurp(const char *name, size_t *size)
{
	FILE *f = fopen(name, "rb");
	unsigned char *buf = NULL, *p;
	size_t cap = 0, len = 0, n;

	if (f == NULL)
		return NULL;
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 1024 * 1024;
			p = realloc(buf, cap);
			if (p == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = len;
	return buf;
}

int main(int argc, char **argv)
{
	struct disk disk;
	unsigned char *image;
	size_t image_size, len = 0;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: %s IMAGE PATH\n", argv[0]);
		return 2;
	}
	image = slurp(argv[1], &image_size);
	if (image == NULL) {
		perror(argv[1]);
		return 1;
	}
	disk.base = image;
	disk.sectors = image_size / SECTOR_SIZE;

	err = load_file(&disk, argv[2], &len);
	if (err == NTFS_OK)
		fwrite(file_buf, 1, len, stdout);
	else
		fprintf(stderr, "%s: %s\n", argv[2], ntfs_strerror(err));
	fprintf(stderr, "arena: peak %zu of %zu bytes, %zu still in use after unmount\n",
	        arena.peak, sizeof(heap), arena.in_use);
	free(image);
	return err == NTFS_OK ? 0 : 1;
}
