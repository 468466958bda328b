/* SPDX-License-Identifier: BSD-2-Clause */
/**
 * @file posix.h
 * @brief POSIX host adapter: an image file or block device read with
 * pread(), and a malloc()-based allocator that counts its bytes.
 */
#ifndef NTFS_POSIX_H
#define NTFS_POSIX_H

#include <ntfs/ntfs.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opened image or device. Fields are read-only for the caller. */
struct ntfs_posix_dev {
	int fd;              /**< Opened O_RDONLY. */
	uint64_t offset;     /**< Byte offset of the volume in the file. */
	uint64_t size;       /**< Bytes from offset to the end of the file/device. */
	uint32_t read_align; /**< 512, or a block device\'s logical sector size. */
	size_t heap_in_use;  /**< Bytes the library holds now. */
	size_t heap_peak;    /**< Most bytes the library ever held at once. */
	uint64_t reads;      /**< Read calls served. */
	uint64_t bytes_read; /**< Bytes served. */
};

/**
 * @brief Open an image file or block device read-only.
 * @param dev the device to fill in.
 * @param path file or device path.
 * @param offset byte offset of the NTFS volume (a partition) in it.
 * @return ::NTFS_OK; ::NTFS_ERR_IO (open or size query failed; errno is set);
 *   ::NTFS_ERR_INVALID (@p offset past the end of the file).
 */
NTFS_API int ntfs_posix_open(struct ntfs_posix_dev *dev, const char *path, uint64_t offset);

/** @brief Close the device. Safe to call again on a closed device. */
NTFS_API void ntfs_posix_close(struct ntfs_posix_dev *dev);

/**
 * @brief Fill a config that reads @p dev with pread() and allocates with
 * malloc(): read, alloc, free, their contexts, read_align (the device's)
 * and
 * volume_size.
 */
NTFS_API void ntfs_posix_config(struct ntfs_posix_dev *dev, struct ntfs_config *cfg);

/**
 * @brief Open @p path at @p offset and mount it.
 * @return ntfs_posix_open()'s and ntfs_mount()'s errors. On failure the
 *   device is closed.
 */
NTFS_API int ntfs_posix_mount(struct ntfs_posix_dev *dev, const char *path, uint64_t offset,
                              ntfs_volume **vol);

#ifdef __cplusplus
}
#endif
#endif /* NTFS_POSIX_H */
