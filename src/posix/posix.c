/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * POSIX host adapter: reads an image file or block device with pread(),
 * through a block cache (src/blockdev/cache.c), and hands the core a
 * malloc()-based allocator that counts its bytes.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
/* A 32-bit host must still address images past 2 GiB. */
#define _FILE_OFFSET_BITS 64

#include <ntfs/posix.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/fs.h>
#include <sys/ioctl.h>
#endif

_Static_assert(sizeof(off_t) == 8, "pread() needs a 64-bit off_t");

#define POSIX_OFF_MAX ((uint64_t)INT64_MAX)

/* pread() may return less than asked; ask for at most this much per call. */
#define POSIX_READ_CHUNK ((size_t)1 << 30)

/* Size in bytes of what fd refers to: a regular file or a block device.
 * A block device's logical sector size becomes the read alignment, so a
 * 4Kn disk is read in whole 4096-byte sectors. */
static int dev_size(int fd, uint64_t *size, uint32_t *align)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -1;
	if (S_ISREG(st.st_mode)) {
		if (st.st_size < 0) {
			errno = EINVAL;
			return -1;
		}
		*size = (uint64_t)st.st_size;
		return 0;
	}
	if (S_ISBLK(st.st_mode)) {
#ifdef BLKGETSIZE64
		uint64_t bytes;

		int ssz = 0;

		if (ioctl(fd, BLKGETSIZE64, &bytes) != 0)
			return -1;
		*size = bytes;
#ifdef BLKSSZGET
		if (ioctl(fd, BLKSSZGET, &ssz) == 0 && ssz >= 512 && ssz <= 65536 &&
		    (ssz & (ssz - 1)) == 0)
			*align = (uint32_t)ssz;
#endif
		return 0;
#else
		/* Elsewhere, seeking to the end of a disk device reports its size. */
		off_t end = lseek(fd, 0, SEEK_END);

		if (end < 0)
			return -1;
		*size = (uint64_t)end;
		return 0;
#endif
	}
	/* A pipe or character device has no size we could check offsets against. */
	errno = EINVAL;
	return -1;
}

/* Open @path read-only and find its size and sector (read_align) size;
 * returns the descriptor, or -1 with errno set. */
static int open_sized(const char *path, uint64_t *size, uint32_t *align)
{
	int fd;

	do
		fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -1;
	*align = 512;
	if (dev_size(fd, size, align) != 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Read @len bytes at @pos, whatever pread() returns at a time, adding
 * them to @bytes. A file that ends first (it shrank since open) is an
 * error (EIO), never padded with zeros. */
static int pread_all(int fd, unsigned char *p, size_t len, uint64_t pos, uint64_t *bytes)
{
	if (pos > POSIX_OFF_MAX || len > POSIX_OFF_MAX - pos) {
		errno = EOVERFLOW;
		return -1;
	}
	while (len > 0) {
		size_t want = len < POSIX_READ_CHUNK ? len : POSIX_READ_CHUNK;
		ssize_t n = pread(fd, p, want, (off_t)pos);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		pos += (uint64_t)n;
		len -= (size_t)n;
		*bytes += (uint64_t)n;
	}
	return 0;
}

int ntfs_posix_disk_open(struct ntfs_posix_disk *disk, const char *path)
{
	disk->size = 0;
	disk->sector_size = 512;
	disk->fd = open_sized(path, &disk->size, &disk->sector_size);
	return disk->fd < 0 ? NTFS_ERR_IO : NTFS_OK;
}

void ntfs_posix_disk_close(struct ntfs_posix_disk *disk)
{
	if (disk == NULL || disk->fd < 0)
		return;
	close(disk->fd);
	disk->fd = -1;
}

int ntfs_posix_read_sectors(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	const struct ntfs_posix_disk *disk = ctx;
	uint64_t bytes = 0;

	if (disk->sector_size == 0 || lba > POSIX_OFF_MAX / disk->sector_size ||
	    (uint64_t)count * disk->sector_size > SIZE_MAX) {
		errno = EOVERFLOW;
		return NTFS_ERR_IO;
	}
	if (pread_all(disk->fd, buf, (size_t)count * disk->sector_size, lba * disk->sector_size,
	              &bytes) != 0)
		return NTFS_ERR_IO;
	return NTFS_OK;
}

static int open_cache(struct ntfs_posix_dev *dev);

int ntfs_posix_open(struct ntfs_posix_dev *dev, const char *path, uint64_t offset)
{
	uint64_t size;
	int fd;

	/* Always leave dev in a state ntfs_posix_close() accepts. */
	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;

	fd = open_sized(path, &size, &dev->read_align);
	if (fd < 0)
		return NTFS_ERR_IO;
	if (offset > size || offset > POSIX_OFF_MAX) {
		close(fd);
		errno = EINVAL;
		return NTFS_ERR_INVALID;
	}
	dev->fd = fd;
	dev->offset = offset;
	dev->size = size - offset;
	return open_cache(dev);
}

void ntfs_posix_close(struct ntfs_posix_dev *dev)
{
	if (dev == NULL || dev->fd < 0)
		return;
	close(dev->fd);
	dev->fd = -1;
	free(dev->cache_mem);
	dev->cache_mem = NULL;
	dev->cache_mem_size = 0;
}

static int posix_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
	struct ntfs_posix_dev *dev = ctx;

	/* The volume ends at dev->size: anything past it is a bad request. */
	if (offset > dev->size || len > dev->size - offset) {
		errno = EINVAL;
		return -1;
	}
	dev->reads++;
	return pread_all(dev->fd, buf, len, dev->offset + offset, &dev->bytes_read);
}

/* The cache between pread() and the core, in whole blocks of at least
 * the device's sector. On failure the device is closed. */
static int open_cache(struct ntfs_posix_dev *dev)
{
	uint32_t block =
	        dev->read_align > NTFS_POSIX_CACHE_BLOCK ? dev->read_align : NTFS_POSIX_CACHE_BLOCK;
	size_t size = ntfs_cache_mem_size(NTFS_POSIX_CACHE_SLOTS, block);

	dev->cache_mem = size != 0 ? malloc(size) : NULL;
	if (dev->cache_mem == NULL) {
		ntfs_posix_close(dev);
		errno = ENOMEM;
		return NTFS_ERR_NOMEM;
	}
	dev->cache_mem_size = size;
	if (ntfs_cache_init(&dev->cache, dev->cache_mem, size, block, posix_read, dev,
	                    dev->read_align) != NTFS_OK) {
		ntfs_posix_close(dev);
		errno = EINVAL;
		return NTFS_ERR_INVALID;
	}
	return NTFS_OK;
}

static void *posix_alloc(void *ctx, size_t size)
{
	struct ntfs_posix_dev *dev = ctx;
	/* malloc(0) may return NULL, which the core would take for "no memory". */
	void *p = malloc(size != 0 ? size : 1);

	if (p == NULL)
		return NULL;
	dev->heap_in_use += size;
	if (dev->heap_in_use > dev->heap_peak)
		dev->heap_peak = dev->heap_in_use;
	return p;
}

static void posix_free(void *ctx, void *ptr, size_t size)
{
	struct ntfs_posix_dev *dev = ctx;

	if (ptr == NULL)
		return;
	free(ptr);
	/* Clamp so a size mismatch in the caller shows up as 0, not as a wrap. */
	dev->heap_in_use = size <= dev->heap_in_use ? dev->heap_in_use - size : 0;
}

void ntfs_posix_config(struct ntfs_posix_dev *dev, struct ntfs_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->read = ntfs_cache_read;
	cfg->read_ctx = &dev->cache;
	cfg->alloc = posix_alloc;
	cfg->free = posix_free;
	cfg->alloc_ctx = dev;
	cfg->read_align = dev->read_align;
	cfg->volume_size = dev->size;
}

int ntfs_posix_mount(struct ntfs_posix_dev *dev, const char *path, uint64_t offset,
                     ntfs_volume **vol)
{
	struct ntfs_config cfg;
	int err;

	*vol = NULL;
	err = ntfs_posix_open(dev, path, offset);
	if (err != NTFS_OK)
		return err;
	ntfs_posix_config(dev, &cfg);
	err = ntfs_mount(&cfg, vol);
	if (err != NTFS_OK) {
		*vol = NULL;
		ntfs_posix_close(dev);
	}
	return err;
}
