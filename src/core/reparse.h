/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reparse points (reparse.c): parsing the $REPARSE_POINT value
 * (ntfs_reparse_parse() is public) and turning a link into a POSIX target.
 */
#ifndef NTFS_REPARSE_H
#define NTFS_REPARSE_H

#include "ntfs/ntfs.h"

#include "bytes.h"

/* The POSIX target of the link @rp parsed from @value (the rule is
 * ntfs_file_readlink()'s): NTFS_ERR_NOT_FOUND for a tag that is not a
 * link, NTFS_ERR_LIMIT, NTFS_ERR_NAME, NTFS_ERR_CORRUPT_REPARSE (an empty
 * target). */
int ntfsi_reparse_target(const uint8_t *value, const struct ntfs_reparse *rp, char *dst, size_t cap,
                         size_t *len);

#endif /* NTFS_REPARSE_H */
