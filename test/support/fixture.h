/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Byte-array fixtures for the core unit tests: a valid boot sector and
 * valid FILE records built field by field from the NTFS on-disk layout, so
 * a test can change one field and expect one exact error.
 */
#ifndef NTFS_TEST_FIXTURE_H
#define NTFS_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "ondisk.h"

/* Little-endian stores and loads (independent of the core's bytes.h). */
void fx_st16(uint8_t *p, uint16_t v);
void fx_st32(uint8_t *p, uint32_t v);
void fx_st64(uint8_t *p, uint64_t v);
uint16_t fx_ld16(const uint8_t *p);
uint32_t fx_ld32(const uint8_t *p);
uint64_t fx_ld64(const uint8_t *p);

/* The fixture volume: 512-byte sectors, 8 sectors (4 KiB) per cluster,
 * 1 KiB records (0xF6), 4 KiB index blocks (1 cluster). */
#define FX_BOOT_TOTAL_SECTORS 0x100000ull /* 512 MiB */
#define FX_BOOT_MFT_LCN 0x4000ull
#define FX_BOOT_MFTMIRR_LCN 2ull
#define FX_BOOT_SERIAL 0x1122334455667788ull
void fx_boot(uint8_t bs[512]);

/* FILE record header (NTFS 3.1 layout). */
#define FX_REC_USA_OFF 0x30
#define FX_REC_SEQ 5
#define FX_REC_USN 0x0007
/* Offset of the first attribute for a record of @size bytes: after the
 * update sequence array, rounded up to 8. */
uint32_t fx_rec_first_attr(size_t size);
/* A FILE record in its in-memory (fixups undone) form: header, then only
 * the end marker. bytes_in_use = first + 8. */
void fx_record(uint8_t *rec, size_t size);
/* Set a record's sequence number, flags (OD_REC_FLAG_*) and base reference. */
void fx_record_set(uint8_t *rec, uint16_t seq, uint16_t flags, uint64_t base_ref);
/* Append a resident attribute before the end marker; returns its offset,
 * or 0 if it does not fit in the record's allocated size. @name is
 * @name_len host-order UTF-16 units (NULL if 0). Ids count up from 0. */
uint32_t fx_add_resident(uint8_t *rec, uint32_t type, const uint16_t *name, uint8_t name_len,
                         const void *value, uint32_t value_len);

struct fx_nonres {
	uint32_t type;
	const uint16_t *name;
	uint8_t name_len;
	uint16_t flags;
	uint8_t compression_unit;
	uint64_t lowest_vcn, highest_vcn;
	uint64_t alloc, data, init;
	const uint8_t *mp; /* mapping pairs, terminator included */
	uint32_t mp_len;
};
/* Append a non-resident attribute (64-byte header, or 72 when compressed
 * or sparse); returns its offset, or 0 if it does not fit. */
uint32_t fx_add_nonresident(uint8_t *rec, const struct fx_nonres *nr);

/* Give the attribute at @off of @rec the id @id (the builders count ids up
 * from 0; an attribute list names attributes by id). */
void fx_attr_set_id(uint8_t *rec, uint32_t off, uint16_t id);

/* Apply the update sequence in reverse, giving the on-disk form: save the
 * last two bytes of each 512-byte stride in the array and write the update
 * sequence number there. */
void fx_protect(uint8_t *rec, size_t size);
/* fx_protect() for a record or INDX block whose header may be anything (a
 * fuzz input): first make the array's offset (else FX_REC_USA_OFF), count
 * and sequence number (else 1) usable. */
void fx_protect_any(uint8_t *buf, size_t size);
/* Mapping pairs of one run (@lcn or NTFS_LCN_HOLE, @clusters) at VCN 0,
 * terminated; returns the bytes written (at most 18). */
uint32_t fx_runlist_one(uint8_t *out, uint64_t lcn, uint64_t clusters);

/* Read a whole file under NTFS_SHARED_IMAGES_DIR "/records/" into *buf
 * (malloc'd); returns its size, or 0 if absent. */
size_t fx_load_record_file(const char *name, uint8_t **buf);

#endif
