/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Collation (collate.c): the orders NTFS keeps its index keys in, over keys
 * in their on-disk form, one function per rule.
 */
#ifndef NTFS_COLLATE_H
#define NTFS_COLLATE_H

#include "bytes.h"
#include "upcase.h"

#define NTFSI_COLLATION_BINARY 0x00u        /* bytes, then length */
#define NTFSI_COLLATION_FILE_NAME 0x01u     /* $FILE_NAME keys: names through $UpCase */
#define NTFSI_COLLATION_ULONG 0x10u         /* one little-endian 32-bit value */
#define NTFSI_COLLATION_SID 0x11u           /* SIDs, as 32-bit values in turn */
#define NTFSI_COLLATION_SECURITY_HASH 0x12u /* (hash, security id) */
#define NTFSI_COLLATION_ULONGS 0x13u        /* 32-bit values in turn, then length */

/*
 * A rule's order of keys @a and @b (lengths checked for the rule by the
 * caller): <0, 0, >0. With @exact, file names equal through $UpCase are
 * told apart by code unit, as NTFS orders names that differ only in case
 * (POSIX namespace); other rules have no case. An index kind names its
 * rule's function, so a program links only the rules its indexes use.
 */
typedef int ntfsi_collate_fn(const struct ntfsi_upcase *u, bool exact, const uint8_t *a,
                             uint32_t alen, const uint8_t *b, uint32_t blen);

ntfsi_collate_fn ntfsi_collate_file_name;     /* NTFSI_COLLATION_FILE_NAME */
ntfsi_collate_fn ntfsi_collate_ulong;         /* NTFSI_COLLATION_ULONG */
ntfsi_collate_fn ntfsi_collate_security_hash; /* NTFSI_COLLATION_SECURITY_HASH */
ntfsi_collate_fn ntfsi_collate_ulongs;        /* NTFSI_COLLATION_ULONGS and _SID */
ntfsi_collate_fn ntfsi_collate_binary;        /* NTFSI_COLLATION_BINARY */

/* Compare two little-endian names through $UpCase (and, with @exact, then
 * by code unit). */
int ntfsi_collate_names(const struct ntfsi_upcase *u, const uint8_t *a, size_t alen,
                        const uint8_t *b, size_t blen, bool exact);

#endif /* NTFS_COLLATE_H */
