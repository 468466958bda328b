/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Security descriptors (secure.c): a file's own $SECURITY_DESCRIPTOR, or
 * the one its security id names in $Secure ($SII index, $SDS stream), and
 * the structural check of a self-relative descriptor ([MS-DTYP] 2.4.6).
 */
#ifndef NTFS_SECURE_H
#define NTFS_SECURE_H

#include "ntfs/ntfs.h"

#include "bytes.h"

/* The header $SDS puts before each descriptor, and the data of a $SII
 * entry: the same 20 bytes. */
struct ntfsi_secure_entry {
	uint32_t hash;
	uint32_t id;
	uint64_t offset; /* of the header in $SDS (the primary copy's) */
	uint32_t length; /* header and descriptor */
};
#define NTFSI_SECURE_ENTRY_SIZE 20u

/* Primary copies live in even 256 KiB blocks of $SDS; each has its mirror
 * this far on, in the odd block that follows. */
#define NTFSI_SECURE_MIRROR 0x40000u

/* Check a self-relative security descriptor of @len bytes: revision 1,
 * SE_SELF_RELATIVE, owner and group SIDs, SACL and DACL with every ACE
 * (and the SID of every ACE type that has one) inside it. NTFS_OK or
 * NTFS_ERR_CORRUPT_SECURITY. */
int ntfsi_secure_check(const uint8_t *sd, size_t len);
/* The hash $Secure keeps of a descriptor: over its 32-bit little-endian
 * words, h = rotl(h, 3) + word (a tail of fewer than 4 bytes is left out). */
uint32_t ntfsi_secure_hash(const uint8_t *sd, size_t len);
/* Parse 20 bytes of an $SDS header or $SII data. */
void ntfsi_secure_entry(const uint8_t *p, struct ntfsi_secure_entry *e);
/* Free what ntfs_file_security() kept of $Secure (unmount). */
void ntfsi_secure_free(ntfs_volume *vol);

#endif /* NTFS_SECURE_H */
