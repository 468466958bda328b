/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MFT records ("FILE"): header validation and a parsed view of the header
 * (record.c). Reading a record by number is the $MFT's job (mft.h).
 */
#ifndef NTFS_RECORD_H
#define NTFS_RECORD_H

#include "bytes.h"

/* System files the core opens. */
#define NTFSI_RECORD_MFT 0u
#define NTFSI_RECORD_VOLUME 3u
#define NTFSI_RECORD_BITMAP 6u
#define NTFSI_RECORD_UPCASE 10u

/* Header flags. */
#define NTFSI_RECORD_IN_USE 0x0001u
#define NTFSI_RECORD_DIRECTORY 0x0002u

/* The header of a record that passed ntfsi_record_check(). */
struct ntfsi_record {
	uint16_t seq;        /* sequence number: reuse count */
	uint16_t links;      /* hard links */
	uint16_t flags;      /* NTFSI_RECORD_* */
	uint64_t base_ref;   /* 0 in a base record; its base's reference in an extension */
	uint32_t first_attr; /* offset of the first attribute */
	uint32_t used;       /* bytes in use, the end marker included */
};

/* Apply the fixups of a record of @size bytes and validate its header. */
int ntfsi_record_check(uint8_t *buf, size_t size);
/* The header of a checked record. */
void ntfsi_record_view(const uint8_t *buf, struct ntfsi_record *r);

#endif /* NTFS_RECORD_H */
