/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Files (file.c): a base record with its attribute list, and finding a
 * file's attributes wherever its list puts them.
 */
#ifndef NTFS_FILE_H
#define NTFS_FILE_H

#include "ntfs/ntfs.h"

#include "attr.h"
#include "attrlist.h"
#include "bytes.h"
#include "record.h"

struct ntfs_file {
	ntfs_volume *vol;
	uint64_t recno;
	struct ntfsi_record hdr;
	uint8_t *rec;   /* base record, fixups applied */
	uint8_t *alist; /* attribute list value, or NULL */
	uint32_t alist_len;
	uint8_t *ext; /* last extension record read, or NULL */
	uint64_t ext_recno;
};

/* Open a file from checked record @rec already in memory (owned from now on). */
int ntfsi_file_from_record(ntfs_volume *vol, uint64_t recno, uint8_t *rec, ntfs_file **out);
/* Open system file @recno: missing, not in use or reused, the $MFT is corrupt. */
int ntfsi_file_open_system(ntfs_volume *vol, uint64_t recno, ntfs_file **out);
/* The first extent (lowest VCN 0) of attribute @type named @name. */
int ntfsi_file_find_attr(ntfs_file *file, uint32_t type, const uint16_t *name, size_t name_len,
                         struct ntfsi_attr *attr);
/* As ntfsi_file_find_attr(), for an attribute that must exist: its
 * absence is the error @corrupt. */
int ntfsi_file_need_attr(ntfs_file *file, uint32_t type, const uint16_t *name, size_t name_len,
                         int corrupt, struct ntfsi_attr *attr);
/* The attribute a list entry names (reading its extension record if need
 * be; valid until the next call on @file). */
int ntfsi_file_entry_attr(ntfs_file *file, const struct ntfsi_attrlist_entry *e,
                          struct ntfsi_attr *attr);
/* The attribute header of extent @x of attribute @type named @name (from
 * ntfsi_attrlist_extents()). */
int ntfsi_file_extent_attr(ntfs_file *file, const struct ntfsi_extent *x, uint32_t type,
                           const uint16_t *name, size_t name_len, struct ntfsi_attr *attr);
/* Next attribute in list order: start with *cursor = 0 (an opaque position,
 * advanced on success); 1, 0 past the end, <0. */
int ntfsi_file_attr_next(ntfs_file *file, uint32_t *cursor, struct ntfsi_attr *attr,
                         uint64_t *recno);

#endif /* NTFS_FILE_H */
