/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One directory index: $INDEX_ROOT and up to 16 INDX blocks, walked and
 * searched through a synthetic volume.
 *
 *   byte 0     flags: bits 0-1 geometry (cluster / index block size):
 *              512/4096, 4096/4096, 4096/1024 (subnode VCNs in 512-byte
 *              units), 65536/4096 (likewise); bit 2 INDX blocks and the
 *              root are used as given (else the harness applies fixups to
 *              each block and sets the root's block-size field); bit 3
 *              4 KiB records (else 1 KiB)
 *   bytes 1-2  $BITMAP of the allocation (little-endian: bit k = block k)
 *   bytes 3-4  length of the $INDEX_ROOT value (clipped to what fits)
 *   then       the $INDEX_ROOT value, then the INDX blocks (clean, each an
 *              index block long; the last padded with zeros)
 *
 * Record 16 becomes a directory with $INDEX_ROOT, $INDEX_ALLOCATION and
 * $BITMAP named $I30; it is listed (with and without DOS names), entries
 * looked up again, and seeks done directly with ntfsi_index_seek(); every
 * position ntfsi_index_tell() gives must resume to the entry that followed
 * it, and the input's last 8 bytes, as a forged position, must resume
 * cleanly or be refused.
 */
#include "harness.h"

#include <string.h>

#define DIR_REC 16u
#define MAX_BLOCKS 16u

static const uint32_t geo_cluster[4] = {512, 4096, 4096, 65536};
static const uint32_t geo_block[4] = {4096, 4096, 1024, 4096};

#define RESUMES 24u

static void seeks(ntfs_file *f, uint64_t forged)
{
	static const uint16_t names[4][3] = {
	        {'a', 0, 0}, {'M', 'M', 0}, {0xFFFF, 0, 0}, {'.', 0, 0}};
	static uint8_t keys[RESUMES + 1][NTFSI_INDEX_KEY_MAX];
	uint16_t key_len[RESUMES + 1];
	uint64_t cookies[RESUMES];
	uint8_t key[NTFSI_FILENAME_MAX];
	struct ntfsi_index idx;
	struct ntfsi_index_entry e;
	int err = ntfsi_index_open(f, &ntfsi_index_i30, &idx);
	unsigned i, k, n;

	EXERCISE_CHECK_ERR(err);
	if (err)
		return;
	for (i = 0; i < 4; i++) {
		uint8_t len = names[i][1] ? 2 : 1;
		ntfsi_filename_key(key, names[i], len);
		err = ntfsi_index_seek(&idx, key, NTFSI_FILENAME_HEADER + 2u * len);
		EXERCISE_CHECK_ERR(err);
		for (k = 0; err == NTFS_OK && k < 4; k++) {
			int r = ntfsi_index_next(&idx, &e);
			EXERCISE_CHECK_ERR(r);
			if (r != 1)
				break;
		}
	}
	/* Every position tell() gives leads back to the entry that followed it. */
	ntfsi_index_rewind(&idx);
	for (n = 0; n < RESUMES + 1; n++) {
		int r = ntfsi_index_next(&idx, &e);
		EXERCISE_CHECK_ERR(r);
		if (r != 1)
			break;
		memcpy(keys[n], e.key, e.key_len);
		key_len[n] = e.key_len;
		if (n < RESUMES && ntfsi_index_tell(&idx, &cookies[n]) != NTFS_OK)
			break;
	}
	for (i = 0; i + 1 < n && i < RESUMES; i++) {
		int r;
		err = ntfsi_index_resume(&idx, cookies[i]);
		EXERCISE_CHECK_ERR(err);
		if (err)
			continue;
		r = ntfsi_index_next(&idx, &e);
		EXERCISE_CHECK_ERR(r);
		if (r == 1)
			TS_CHECK(e.key_len == key_len[i + 1] &&
			         memcmp(e.key, keys[i + 1], e.key_len) == 0);
	}
	/* A cookie from nowhere is refused or leads to an entry: never more. */
	err = ntfsi_index_resume(&idx, forged);
	EXERCISE_CHECK_ERR(err);
	if (err == NTFS_OK)
		EXERCISE_CHECK_ERR(ntfsi_index_next(&idx, &e));
	ntfsi_index_close(&idx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t si[48];
	struct synvol s;
	ntfs_volume *vol;
	ntfs_file *f;
	uint32_t geo, csize, bsize, rsize, root_len, nblocks, k, room;
	const uint8_t *root, *blocks;
	size_t rest;
	uint8_t *rec, bitmap[8] = {0}, mp[24];
	static const uint16_t i30[4] = {'$', 'I', '3', '0'};
	uint64_t forged = 0;
	uint32_t at;
	int err;

	if (size < 5 || size > 5 + 65536 + MAX_BLOCKS * 4096)
		return 0;
	geo = data[0] & 3;
	csize = geo_cluster[geo];
	bsize = geo_block[geo];
	rsize = data[0] & 8 ? 4096 : 1024;
	bitmap[0] = data[1];
	bitmap[1] = data[2];
	root_len = ntfsi_le16(data + 3);
	root = data + 5;
	if (root_len > size - 5)
		root_len = (uint32_t)(size - 5);
	/* Room in the record for the root after SI, the allocation and the
	 * bitmap: header, four attribute headers with names, the end. */
	room = rsize - 0x48 - (24 + 48) - (24 + 8 + 8) - (64 + 8 + 24) - (24 + 8 + 8) - 8 - 16;
	if (root_len > room)
		root_len = room;
	blocks = root + root_len;
	rest = size - 5 - root_len;
	nblocks = (uint32_t)((rest + bsize - 1) / bsize);
	if (nblocks > MAX_BLOCKS)
		nblocks = MAX_BLOCKS;

	synvol_init(&s, csize, rsize, bsize);
	for (k = 0; k < nblocks; k++) {
		uint8_t *b = s.disk + SYNVOL_DATA_OFF + (size_t)k * bsize;
		size_t at = (size_t)k * bsize;
		memcpy(b, blocks + at, rest - at < bsize ? rest - at : bsize);
		if (!(data[0] & 4) && memcmp(b, "INDX", 4) == 0)
			fx_protect_any(b, bsize);
	}
	rec = synvol_record(&s, DIR_REC);
	fx_record(rec, rsize);
	fx_record_set(rec, 1, OD_REC_FLAG_IN_USE | OD_REC_FLAG_DIRECTORY, 0);
	TS_CHECK(fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, sizeof si));
	at = fx_add_resident(rec, NTFS_AT_INDEX_ROOT, i30, 4, root, root_len);
	TS_CHECK(at != 0);
	if (!(data[0] & 4) && root_len >= 12) {
		/* The block size field of the root value just written. */
		uint8_t *v = rec + at + ntfsi_le16(rec + at + OD_AH_VALUE_OFF);
		v[8] = (uint8_t)bsize;
		v[9] = (uint8_t)(bsize >> 8);
		v[10] = (uint8_t)(bsize >> 16);
		v[11] = (uint8_t)(bsize >> 24);
	}
	if (nblocks > 0) {
		uint32_t bytes = nblocks * bsize, n = (bytes + csize - 1) / csize;
		struct fx_nonres alloc = {.type = NTFS_AT_INDEX_ALLOCATION,
		                          .name = i30,
		                          .name_len = 4,
		                          .highest_vcn = n - 1,
		                          .alloc = (uint64_t)n * csize,
		                          .data = bytes,
		                          .init = bytes,
		                          .mp = mp};
		alloc.mp_len = fx_runlist_one(mp, SYNVOL_DATA_OFF / csize, n);
		TS_CHECK(fx_add_nonresident(rec, &alloc));
		TS_CHECK(fx_add_resident(rec, NTFS_AT_BITMAP, i30, 4, bitmap, sizeof bitmap));
	}

	err = synvol_mount(&s, 512, &vol);
	TS_CHECK(err == NTFS_OK);
	err = ntfs_file_open(vol, DIR_REC, &f);
	TS_CHECK(err == NTFS_OK);
	exercise_file(f, 4096);
	/* The input's last 8 bytes double as a forged position. */
	for (k = 0; k < 8 && k < size; k++)
		forged = forged << 8 | data[size - 1 - k];
	seeks(f, forged);
	ntfs_file_close(f);
	synvol_unmount(&s, vol);
	return 0;
}
