/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Directories (dir.c): what other core files need of them.
 */
#ifndef NTFS_DIR_H
#define NTFS_DIR_H

#include "ntfs/ntfs.h"

/* The block ntfs_dir_lookup() allocates, for the arena budget. */
size_t ntfsi_dir_lookup_bytes(void);

#endif
