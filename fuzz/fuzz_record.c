/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One MFT record: the input is copied into a 1 KiB and a 4 KiB record
 * buffer (truncated or padded with zeros). Each buffer is checked as is
 * (ntfsi_record_check: fixups, header), and once more after the harness
 * applied valid fixups to it (fx_protect_any), so the fuzzer need not get the
 * update sequence right to reach the attributes. A record that passes is
 * walked (ntfsi_attr_next), every $STANDARD_INFORMATION,
 * $FILE_NAME and $VOLUME_NAME value validated and converted, every runlist
 * decoded; then it is opened as a file of a synthetic volume
 * (ntfsi_file_from_record) and stat'ed, its attributes and streams listed
 * and read, its index listed.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static void check_value(const struct ntfsi_attr *a, const uint8_t *rec, uint32_t used)
{
	char utf8[NTFS_NAME_MAX_UTF8];
	uint16_t units[NTFS_NAME_MAX_UTF16];
	uint32_t i;

	TS_CHECK(a->value >= rec && a->value_len <= used &&
	         (size_t)(a->value - rec) <= used - a->value_len);
	if (a->type == NTFS_AT_STANDARD_INFORMATION && a->value_len >= 48) {
		volatile uint64_t t = ntfsi_le64(a->value) ^ ntfsi_le64(a->value + 24);
		volatile uint32_t f = ntfsi_le32(a->value + 32);
		(void)t;
		(void)f;
	}
	if (a->type == NTFS_AT_FILE_NAME && ntfsi_filename_check(a->value, a->value_len) == 0) {
		uint8_t n = a->value[OD_FN_NAME_LEN];
		TS_CHECK(OD_FN_NAME + 2u * n <= a->value_len);
		for (i = 0; i < n; i++)
			units[i] = ntfsi_le16(a->value + OD_FN_NAME + 2 * i);
		/* 255 units always fit NTFS_NAME_MAX_UTF8 bytes. */
		TS_CHECK(ntfs_utf16_to_utf8(units, n, utf8, sizeof utf8, NULL) != NTFS_ERR_LIMIT);
	}
	if (a->type == NTFS_AT_VOLUME_NAME && a->value_len / 2 <= 128) {
		char label[128 * 3 + 1];
		for (i = 0; i < a->value_len / 2; i++)
			units[i] = ntfsi_le16(a->value + 2 * i);
		TS_CHECK(ntfs_utf16_to_utf8(units, i, label, sizeof label, NULL) != NTFS_ERR_LIMIT);
	}
}

static void check_runlist(const struct ntfsi_attr *a)
{
	struct ntfsi_runlist rl;
	struct ntfs_run run;
	uint64_t vcn = a->lowest_vcn, end = a->highest_vcn + 1;
	const uint64_t total = UINT64_C(1) << 40;
	unsigned i;
	int r = 0;

	ntfsi_runlist_init(&rl, a->mapping, a->mapping_len, a->lowest_vcn, end, total);
	for (i = 0; i < 4096; i++) {
		r = ntfsi_runlist_next(&rl, &run);
		if (r != 1)
			break;
		TS_CHECK(run.vcn == vcn && run.length > 0 && run.length <= end - vcn);
		TS_CHECK(run.lcn == NTFS_LCN_HOLE ||
		         (run.lcn < total && run.length <= total - run.lcn));
		vcn += run.length;
	}
	TS_CHECK(r == 1 || r == 0 || r == NTFS_ERR_CORRUPT_RUNLIST);
	if (r == 0)
		TS_CHECK(vcn == end);
}

static void walk(const uint8_t *rec, uint32_t size)
{
	uint32_t used = ntfsi_le32(rec + OD_REC_BYTES_IN_USE), off = 0, prev;
	struct ntfsi_attr a;
	unsigned i;
	int r = 1;

	TS_CHECK(used <= size);
	for (i = 0; i < size / 16 + 1; i++) {
		prev = off;
		r = ntfsi_attr_next(rec, &off, &a);
		if (r != 1)
			break;
		TS_CHECK(off > prev && off <= used && a.length >= 16);
		if (a.name_len)
			TS_CHECK(a.name >= rec && (size_t)(a.name - rec) + 2u * a.name_len <= used);
		if (a.resident)
			check_value(&a, rec, used);
		else
			check_runlist(&a);
	}
	TS_CHECK(r == 0 || r == NTFS_ERR_CORRUPT_ATTR);
}

static struct {
	struct synvol syn;
	ntfs_volume *vol;
	size_t blocks, bytes;
} vols[2];

static ntfs_volume *syn_volume(unsigned k)
{
	static const uint32_t cluster[2] = {512, 4096}, record[2] = {1024, 4096};

	if (vols[k].vol == NULL) {
		synvol_init(&vols[k].syn, cluster[k], record[k], 4096);
		TS_CHECK(synvol_mount(&vols[k].syn, 512, &vols[k].vol) == NTFS_OK);
		vols[k].blocks = vols[k].syn.alloc.blocks;
		vols[k].bytes = vols[k].syn.alloc.bytes;
	}
	return vols[k].vol;
}

static void one_size(const uint8_t *data, size_t size, unsigned k)
{
	const uint32_t rsize = k ? 4096 : 1024;
	uint8_t *buf = malloc(rsize);
	ntfs_volume *vol = syn_volume(k);
	ntfs_file *f;
	int err;

	TS_CHECK(buf != NULL);
	for (int pass = 0; pass < 2; pass++) {
		memset(buf, 0, rsize);
		memcpy(buf, data, size < rsize ? size : rsize);
		if (pass == 1)
			fx_protect_any(buf, rsize);
		err = ntfsi_record_check(buf, rsize);
		TS_CHECK(err == 0 || err == NTFS_ERR_CORRUPT_RECORD ||
		         err == NTFS_ERR_CORRUPT_FIXUP);
		if (err)
			continue;
		walk(buf, rsize);
		if (pass == 0)
			continue;
		/* Record 16: the first one after the system files. */
		err = synvol_file(vol, 16, buf, &f);
		EXERCISE_CHECK_ERR(err);
		if (err == NTFS_OK) {
			exercise_file(f, 256);
			ntfs_file_close(f);
		}
		synvol_expect_held(vol, &vols[k].syn.alloc, vols[k].blocks, vols[k].bytes);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one_size(data, size, 0);
	one_size(data, size, 1);
	return 0;
}
