/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interix files: an empty SYSTEM file is a FIFO, a 1-byte one a socket;
 * otherwise 8 bytes of magic say symlink (a UTF-16LE target follows) or
 * character or block device (64-bit major and minor follow).
 */
#include "interix.h"

static bool magic(const uint8_t *head, const char *m)
{
	for (uint32_t i = 0; i < NTFSI_INTERIX_MAGIC; i++)
		if (head[i] != (uint8_t)m[i])
			return false;
	return true;
}

uint8_t ntfsi_interix_type(uint64_t size, const uint8_t *head, uint64_t *major, uint64_t *minor)
{
	if (size == 0)
		return NTFS_TYPE_FIFO;
	if (size == 1)
		return NTFS_TYPE_SOCKET;
	if (size < NTFSI_INTERIX_MAGIC || size > NTFSI_INTERIX_MAX)
		return NTFS_TYPE_FILE;
	if (magic(head, "IntxLNK\1"))
		return size > NTFSI_INTERIX_MAGIC && size % 2 == 0 ? NTFS_TYPE_SYMLINK
		                                                   : NTFS_TYPE_FILE;
	if (size != NTFSI_INTERIX_HEAD)
		return NTFS_TYPE_FILE;
	*major = ntfsi_le64(head + 8);
	*minor = ntfsi_le64(head + 16);
	if (magic(head, "IntxCHR\0"))
		return NTFS_TYPE_CHAR;
	if (magic(head, "IntxBLK\0"))
		return NTFS_TYPE_BLOCK;
	return NTFS_TYPE_FILE;
}
