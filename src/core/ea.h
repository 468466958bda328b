/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Extended attributes (ea.c): the entries of $EA ([MS-FSCC] 2.4.15,
 * FILE_FULL_EA_INFORMATION), and the WSL metadata kept in them.
 */
#ifndef NTFS_EA_H
#define NTFS_EA_H

#include "ntfs/ntfs.h"

#include "bytes.h"

/* Fill @st's WSL fields (uid, gid, mode; rdev of a device) from the $LX*
 * EAs of @file, if it has any. */
int ntfsi_ea_wsl(ntfs_file *file, struct ntfs_stat *st);

#endif /* NTFS_EA_H */
