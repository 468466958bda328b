/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attribute lists and their resolution.
 *
 * First ntfsi_attrlist_next() walks the whole input as a list. Then the input
 * becomes a file of a synthetic volume (synvol_*):
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
#include "harness.h"

#include <string.h>

#define BASE_REC 16u
#define MAX_RECS 16u

static const uint32_t clusters[4] = {512, 1024, 4096, 8192};

/* Rebuild the base record with its resident $ATTRIBUTE_LIST moved to the
 * data area; false if there is none or it does not fit. */
static bool move_list_out(struct synvol *s, uint8_t *rec)
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
	fx_record(rec, rsize);
	fx_record_set(rec, ntfsi_le16(copy + OD_REC_SEQUENCE), ntfsi_le16(copy + OD_REC_FLAGS),
	              ntfsi_le64(copy + OD_REC_BASE_REF));
	memcpy(rec + 4, copy + 4, 4);
	while (ntfsi_attr_next(copy, &off, &a) == 1) {
		uint16_t name[NTFS_NAME_MAX_UTF16];
		struct fx_nonres nr = {.type = a.type,
		                       .name = name,
		                       .name_len = a.name_len,
		                       .flags = a.flags,
		                       .lowest_vcn = a.lowest_vcn,
		                       .highest_vcn = a.highest_vcn,
		                       .alloc = a.alloc_size,
		                       .data = a.data_size,
		                       .init = a.init_size,
		                       .mp = a.mapping,
		                       .mp_len = a.mapping_len};
		uint32_t at;
		for (uint32_t i = 0; i < a.name_len; i++)
			name[i] = ntfsi_le16(a.name + 2 * i);
		if (a.type == NTFS_AT_ATTRIBUTE_LIST && a.resident && !moved && a.value_len > 0 &&
		    a.value_len <= SYNVOL_SIZE - SYNVOL_DATA_OFF) {
			uint32_t n = (a.value_len + csize - 1) / csize;
			memcpy(s->disk + SYNVOL_DATA_OFF, a.value, a.value_len);
			nr.flags = 0;
			nr.lowest_vcn = 0;
			nr.highest_vcn = n - 1;
			nr.alloc = (uint64_t)n * csize;
			nr.data = nr.init = a.value_len;
			nr.mp = mp;
			nr.mp_len = fx_runlist_one(mp, SYNVOL_DATA_OFF / csize, n);
			at = fx_add_nonresident(rec, &nr);
			moved = true;
		} else if (a.resident) {
			at = fx_add_resident(rec, a.type, name, a.name_len, a.value, a.value_len);
		} else {
			at = fx_add_nonresident(rec, &nr);
		}
		if (at == 0)
			return false;
		/* The list names attributes by id. */
		fx_attr_set_id(rec, at, a.id);
	}
	return moved;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct synvol s;
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
		TS_CHECK(err == 1 || err == 0 || err == NTFS_ERR_CORRUPT_ATTRLIST);
		if (err != 1)
			break;
		TS_CHECK(off > prev && off <= size && e.length >= 26);
		TS_CHECK(e.name_len == 0 ||
		         (e.name >= data && (size_t)(e.name - data) + 2u * e.name_len <= size));
	}

	if (size < 2 || size > 2 + MAX_RECS * 4096)
		return 0;
	rsize = data[0] & 1 ? 4096 : 1024;
	nrec = data[1] % MAX_RECS + 1;
	synvol_init(&s, clusters[(data[0] >> 3) & 3], rsize, 4096);
	for (k = 0; k < nrec; k++) {
		size_t at = 2 + (size_t)k * rsize;
		uint8_t *rec = synvol_record(&s, BASE_REC + k);
		if (at < size)
			memcpy(rec, data + at, size - at < rsize ? size - at : rsize);
		s.raw[BASE_REC + k] = (data[0] & 2) != 0;
	}
	if (data[0] & 4)
		(void)move_list_out(&s, synvol_record(&s, BASE_REC));

	err = synvol_mount(&s, 512, &vol);
	TS_CHECK(err == NTFS_OK);
	err = ntfs_file_open(vol, BASE_REC, &f);
	EXERCISE_CHECK_ERR(err);
	if (err == NTFS_OK) {
		struct ntfsi_attr a;
		off = 0;
		for (i = 0; f->alist != NULL && i < 1024; i++) {
			err = ntfsi_attrlist_next(f->alist, f->alist_len, &off, &e);
			TS_CHECK(err == 1 || err == 0 || err == NTFS_ERR_CORRUPT_ATTRLIST);
			if (err != 1)
				break;
			err = ntfsi_file_entry_attr(f, &e, &a);
			EXERCISE_CHECK_ERR(err);
			if (err == NTFS_OK)
				TS_CHECK(a.type == e.type && a.id == e.id &&
				         a.name_len == e.name_len);
		}
		exercise_file(f, 64);
		ntfs_file_close(f);
	}
	synvol_unmount(&s, vol);
	return 0;
}
