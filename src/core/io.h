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
/* A fresh id for a stream that uses the workspace: never 0, never reused
 * (64 bits do not wrap). */
uint64_t ntfsi_io_stream_id(ntfs_volume *vol);
/* The volume's decoder workspace, at least @size bytes, for stream @id:
 * *fresh says its contents are not @id's (another stream used it, or it
 * grew). NULL if the allocator fails. Freed by ntfsi_io_workspace_free(). */
void *ntfsi_io_workspace(ntfs_volume *vol, size_t size, uint64_t id, bool *fresh);
void ntfsi_io_workspace_free(ntfs_volume *vol);
/* Read @len bytes at byte @offset of the device; widened to read_align. */
int ntfsi_io_read(ntfs_volume *vol, uint64_t offset, void *buf, size_t len);

#endif /* NTFS_IO_H */
