/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attribute lists and their resolution.
 *
 * First ntfsi_attrlist_next() walks the whole input as a list. Then the input
 * becomes a file of a synthetic volume (fz_syn_*):
 *
 *   byte 0   flags: bit 0 records are 4 KiB (else 1 KiB); bit 1 records are
 *            stored as given (else the harness applies valid fixups);
 *            bit 2 the base record's $ATTRIBUTE_LIST is moved out of the
 *            record (made non-resident, its value in the data area);
 *            bits 3-4 cluster size 512, 1024, 4096 or 8192
 *   byte 1   number of records n (1-16)
 *   then     n records (clean: fixups not applied), padded with zeros:
 *            record 16 is the base record, 17.. its extension records
 *
 * ntfs_file_open(16) loads the list; each entry is resolved with
 * ntfsi_file_entry_attr() (loading extension records), then the file is
 * stat'ed, its attributes and streams listed, opened and read (extent
 * collection, extent loading, runlists) and its index listed.
 */
#include "fuzz_common.h"

#include <string.h>

#define BASE_REC 16u
#define MAX_RECS 16u

static const uint32_t clusters[4] = {512, 1024, 4096, 8192};

/* Rebuild the base record with its resident $ATTRIBUTE_LIST moved to the
 * data area; false if there is none or it does not fit. */
static bool move_list_out(struct fz_syn *s, uint8_t *rec)
{
	const uint32_t rsize = s->record_size, csize = s->cluster_size;
	uint8_t copy[4096], mp[24];
	uint32_t off = 0;
	struct ntfsi_attr a;
	bool moved = false;

	memcpy(copy, rec, rsize);
	/* The walk reads the clean copy: valid fixups are irrelevant here. */
	if (ntfsi_le32(copy + OD_REC_BYTES_IN_USE) > rsize)
		return false;
	fz_record_init(rec, rsize, ntfsi_le16(copy + OD_REC_SEQUENCE),
	               ntfsi_le16(copy + OD_REC_FLAGS), ntfsi_le64(copy + OD_REC_BASE_REF));
	memcpy(rec + 4, copy + 4, 4);
	while (ntfsi_attr_next(copy, &off, &a) == 1) {
		char name[NTFS_NAME_MAX_UTF16 + 1];
		uint32_t i;
		for (i = 0; i < a.name_len; i++) {
			uint16_t u = ntfsi_le16(a.name + 2 * i);
			name[i] = u != 0 && u < 0x80 ? (char)u : '?';
		}
		name[i] = '\0';
		if (a.type == NTFS_AT_ATTRIBUTE_LIST && a.resident && !moved && a.value_len > 0 &&
		    a.value_len <= FZ_SYN_SIZE - FZ_SYN_DATA_OFF) {
			uint32_t n = (a.value_len + csize - 1) / csize;
			uint32_t mp_len = fz_runlist_one(mp, FZ_SYN_DATA_OFF / csize, n);
			memcpy(s->disk + FZ_SYN_DATA_OFF, a.value, a.value_len);
			if (!fz_record_add_nonresident(rec, rsize, a.type, name, a.id, 0, 0, n - 1,
			                               (uint64_t)n * csize, a.value_len,
			                               a.value_len, mp, mp_len))
				return false;
			moved = true;
		} else if (a.resident) {
			if (!fz_record_add_resident(rec, rsize, a.type, name, a.id, a.value,
			                            a.value_len))
				return false;
		} else {
			if (!fz_record_add_nonresident(rec, rsize, a.type, name, a.id, a.flags,
			                               a.lowest_vcn, a.highest_vcn, a.alloc_size,
			                               a.data_size, a.init_size, a.mapping,
			                               a.mapping_len))
				return false;
		}
	}
	return moved;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_syn s;
	struct ntfsi_attrlist_entry e;
	ntfs_volume *vol;
	ntfs_file *f;
	uint32_t off = 0, rsize, nrec, k;
	unsigned i;
	int err;

	/* The input itself as a list. */
	for (i = 0; i < size / 8 + 1; i++) {
		uint32_t prev = off;
		err = ntfsi_attrlist_next(data, (uint32_t)size, &off, &e);
		FZ_CHECK(err == 1 || err == 0 || err == NTFS_ERR_CORRUPT_ATTRLIST);
		if (err != 1)
			break;
		FZ_CHECK(off > prev && off <= size && e.length >= 26);
		FZ_CHECK(e.name_len == 0 ||
		         (e.name >= data && (size_t)(e.name - data) + 2u * e.name_len <= size));
	}

	if (size < 2 || size > 2 + MAX_RECS * 4096)
		return 0;
	rsize = data[0] & 1 ? 4096 : 1024;
	nrec = data[1] % MAX_RECS + 1;
	fz_syn_init(&s, clusters[(data[0] >> 3) & 3], rsize, 4096);
	for (k = 0; k < nrec; k++) {
		size_t at = 2 + (size_t)k * rsize;
		uint8_t *rec = fz_syn_record(&s, BASE_REC + k);
		if (at < size)
			memcpy(rec, data + at, size - at < rsize ? size - at : rsize);
		s.raw[BASE_REC + k] = (data[0] & 2) != 0;
	}
	if (data[0] & 4)
		(void)move_list_out(&s, fz_syn_record(&s, BASE_REC));

	err = fz_syn_mount(&s, 512, &vol);
	FZ_CHECK(err == NTFS_OK);
	err = ntfs_file_open(vol, BASE_REC, &f);
	FZ_CHECK_ERR(err);
	if (err == NTFS_OK) {
		struct ntfsi_attr a;
		off = 0;
		for (i = 0; f->alist != NULL && i < 1024; i++) {
			err = ntfsi_attrlist_next(f->alist, f->alist_len, &off, &e);
			FZ_CHECK(err == 1 || err == 0 || err == NTFS_ERR_CORRUPT_ATTRLIST);
			if (err != 1)
				break;
			err = ntfsi_file_entry_attr(f, &e, &a);
			FZ_CHECK_ERR(err);
			if (err == NTFS_OK)
				FZ_CHECK(a.type == e.type && a.id == e.id &&
				         a.name_len == e.name_len);
		}
		fz_exercise_file(f, 64);
		ntfs_file_close(f);
	}
	ntfs_unmount(vol);
	fz_alloc_expect(&s.alloc, 0, 0);
	fz_syn_free(&s);
	return 0;
}
