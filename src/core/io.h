/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The core's only ways out: the caller's allocator and read callback
 * (io.c). Everything above reaches the heap and the device through here.
 */
#ifndef NTFS_IO_H
#define NTFS_IO_H

#include "ntfs/ntfs.h"

#include "bytes.h"

void *ntfsi_io_alloc(ntfs_volume *vol, size_t size);
/* NULL is accepted. */
void ntfsi_io_free(ntfs_volume *vol, void *ptr, size_t size);
/* Read @len bytes at byte @offset of the device; widened to read_align. */
int ntfsi_io_read(ntfs_volume *vol, uint64_t offset, void *buf, size_t len);

#endif /* NTFS_IO_H */
