/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attribute lists (attrlist.c): the entries, loading a base record's list,
 * and finding in a record the attribute an entry names.
 */
#ifndef NTFS_ATTRLIST_H
#define NTFS_ATTRLIST_H

#include "ntfs/ntfs.h"

#include "attr.h"
#include "bytes.h"
#include "record.h"
#include "runlist.h"

/* One attribute list entry. */
struct ntfsi_attrlist_entry {
	uint32_t type;
	uint16_t length;
	uint8_t name_len;
	const uint8_t *name;
	uint64_t lowest_vcn;
	uint64_t ref; /* the record holding the attribute */
	uint16_t id;
};

/* Parse the entry at *off of a list of @len bytes, advancing *off: 1, 0 at
 * the end, or NTFS_ERR_CORRUPT_ATTRLIST. */
int ntfsi_attrlist_next(const uint8_t *list, uint32_t len, uint32_t *off,
                        struct ntfsi_attrlist_entry *e);
/* Load the $ATTRIBUTE_LIST of checked base record @rec into a new buffer
 * (*list, *len; the caller frees it); *list is NULL when there is none. */
int ntfsi_attrlist_load(ntfs_volume *vol, const uint8_t *rec, uint8_t **list, uint32_t *len);
/* The extents of attribute @type named @name: from @list when there is
 * one (count, then a new array *extents of *n), else the one extent whose
 * id is @id. The caller frees the array. */
int ntfsi_attrlist_extents(ntfs_volume *vol, const uint8_t *list, uint32_t list_len, uint32_t type,
                           const uint16_t *name, size_t name_len, uint16_t id,
                           struct ntfsi_extent **extents, uint32_t *n);
/* The attribute entry @e names, in record @rec (the one e->ref names). */
int ntfsi_attrlist_find(const uint8_t *rec, const struct ntfsi_attrlist_entry *e,
                        struct ntfsi_attr *a);
/* Check that extension record @ext, read for an entry's @ref, extends the
 * base record @base_recno whose sequence number is @base_seq. */
int ntfsi_attrlist_check_extension(const struct ntfsi_record *ext, uint64_t ref,
                                   uint64_t base_recno, uint16_t base_seq);

#endif /* NTFS_ATTRLIST_H */
