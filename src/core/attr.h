/* SPDX-License-Identifier: BSD-2-Clause */
/* Attribute headers inside an MFT record: validation and iteration (attr.c). */
#ifndef NTFS_ATTR_H
#define NTFS_ATTR_H

#include "ntfs/ntfs.h"

#include "bytes.h"

/* One validated attribute header. Pointers point into the record. */
struct ntfsi_attr {
	uint32_t type;
	uint32_t length;
	uint16_t flags;
	uint16_t id;
	bool resident;
	uint8_t name_len;    /* UTF-16 units */
	const uint8_t *name; /* name_len little-endian units */
	/* resident */
	const uint8_t *value;
	uint32_t value_len;
	/* non-resident */
	uint64_t lowest_vcn;
	uint64_t highest_vcn;
	uint64_t alloc_size;
	uint64_t data_size;
	uint64_t init_size;
	uint8_t compression_unit;
	const uint8_t *mapping;
	uint32_t mapping_len;
};

/* The type that ends a record's attributes. */
#define NTFSI_ATTR_END 0xFFFFFFFFu

/* Walk a checked record's attributes: start with *off = 0; returns 1, 0
 * at the end marker, or a negative error. */
int ntfsi_attr_next(const uint8_t *rec, uint32_t *off, struct ntfsi_attr *attr);
/* Parse the attribute at @off of a record whose used part is @used bytes. */
int ntfsi_attr_parse(const uint8_t *rec, uint32_t used, uint32_t off, struct ntfsi_attr *attr);

#endif /* NTFS_ATTR_H */
