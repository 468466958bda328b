/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Extended attributes: byte 0 is flags, the rest a raw $EA value.
 *
 *   bit 0    $EA non-resident (else resident up to 700 bytes)
 *   bit 1    an $EA_INFORMATION is present
 *   bit 2    ... and holds garbage (else sizes that match the entries)
 *   bits 3-4 a reparse point: none, WSL character device, block device,
 *            FIFO (a device makes ntfs_file_stat() read $LXDEV)
 *   bit 5    the record is a directory
 *
 * The value becomes the $EA of record 16 of a synthetic volume. The
 * entries are enumerated with ntfs_ea_next(), bounded: each lies inside
 * $EA, after the one before, its header, name and NUL are the bytes where
 * it starts, and enumeration ends with 0 or NTFS_ERR_CORRUPT_EA.
 * ntfs_ea_read() of each gives the bytes at value_off (NTFS_ERR_LIMIT for
 * a buffer one short, NTFS_ERR_INVALID for a value moved outside $EA);
 * ntfs_ea_get() of each name seen, in two cases, and of $LXUID, $LXGID,
 * $LXMOD and $LXDEV gives the first entry of that name (ASCII letters
 * without case), else what ended the enumeration; ntfs_file_stat()'s WSL
 * fields are what those entries say, or its error is the one they imply.
 * Every error is a documented one, and nothing stays allocated.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#define FILE_REC 16u
#define CLUSTER 4096u
#define RESIDENT_MAX 700u
#define MAX_INPUT (NTFS_EA_MAX + 4096u)
/* An entry takes at least 10 bytes (header, one-byte name, NUL). */
#define MAX_ENTRIES (MAX_INPUT / 10u + 2u)
#define MAX_GETS 32u

static struct ntfs_ea_info seen[MAX_ENTRIES];

static struct synvol_kept v;

static ntfs_volume *volume(void)
{
	return synvol_kept_volume(&v, CLUSTER);
}

static void build(uint8_t *rec, uint8_t flags, const uint8_t *ea, size_t len)
{
	static const uint32_t tags[4] = {0, NTFS_REPARSE_TAG_LX_CHR, NTFS_REPARSE_TAG_LX_BLK,
	                                 NTFS_REPARSE_TAG_LX_FIFO};
	const uint32_t tag = tags[(flags >> 3) & 3];
	uint8_t si[72] = {0}, rp[8] = {0}, info[8];
	uint64_t lcn = SYNVOL_DATA_OFF / CLUSTER;

	fx_record(rec, 1024);
	fx_record_set(rec, 1, OD_REC_FLAG_IN_USE | (flags & 0x20 ? OD_REC_FLAG_DIRECTORY : 0), 0);
	fx_st32(rec + OD_REC_NUMBER, FILE_REC);
	fx_st32(si + OD_SI_FILE_ATTRS, tag ? NTFS_FILE_ATTR_REPARSE : NTFS_FILE_ATTR_ARCHIVE);
	TS_CHECK(fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, sizeof si));
	if (tag) {
		fx_st32(rp, tag);
		TS_CHECK(fx_add_resident(rec, NTFS_AT_REPARSE_POINT, NULL, 0, rp, sizeof rp));
	}
	if (flags & 2) {
		/* Packed size, entries with NEED_EA, unpacked size: the core
		 * does not read them; real files have them. */
		uint32_t packed = 0, need = 0, next = 1;
		for (size_t off = 0; next != 0 && off + 8 <= len; off += next) {
			packed += 5u + ea[off + 5] + fx_ld16(ea + off + 6);
			need += ea[off + 4] >> 7;
			next = fx_ld32(ea + off);
		}
		fx_st16(info, (uint16_t)packed);
		fx_st16(info + 2, (uint16_t)need);
		fx_st32(info + 4, (uint32_t)len);
		if (flags & 4)
			memset(info, 0xFF, sizeof info);
		TS_CHECK(fx_add_resident(rec, NTFS_AT_EA_INFORMATION, NULL, 0, info, sizeof info));
	}
	TS_CHECK(synvol_add_value(&v.syn, rec, NTFS_AT_EA, NULL, 0, ea, (uint32_t)len,
	                          !(flags & 1) && len <= RESIDENT_MAX, &lcn));
}

/* Enumerate: the entries into seen[], *end what ended the walk. */
static unsigned enumerate(ntfs_file *f, const uint8_t *ea, size_t len, int *end)
{
	uint32_t cursor = 0, prev_start = 0;
	unsigned n = 0;
	int r;

	for (;;) {
		struct ntfs_ea_info *e = &seen[n];
		uint32_t before = cursor, start;

		TS_CHECK(n < MAX_ENTRIES);
		r = ntfs_ea_next(f, &cursor, e);
		EXERCISE_CHECK_ERR(r);
		if (r != 1)
			break;
		TS_CHECK(cursor > before);
		/* Where the entry starts, from where its value does. */
		TS_CHECK(e->name_len > 0 && e->value_off >= 9u + e->name_len);
		start = e->value_off - 9u - e->name_len;
		TS_CHECK(n == 0 ? start == 0 : start > prev_start);
		TS_CHECK(e->value_off <= len && e->value_len <= len - e->value_off);
		TS_CHECK(ea[start + 4] == e->flags && ea[start + 5] == e->name_len &&
		         fx_ld16(ea + start + 6) == e->value_len);
		TS_CHECK(strlen(e->name) == e->name_len &&
		         memcmp(e->name, ea + start + 8, e->name_len) == 0 &&
		         ea[start + 8 + e->name_len] == 0);
		prev_start = start;
		n++;
	}
	TS_CHECK(r == 0 || r == NTFS_ERR_CORRUPT_EA);
	if (len > NTFS_EA_MAX)
		TS_CHECK(r == NTFS_ERR_CORRUPT_EA && n == 0);
	/* The end stays the end. */
	if (r == 0)
		TS_CHECK(ntfs_ea_next(f, &cursor, &seen[n]) == 0);
	*end = r;
	return n;
}

static uint8_t fold(uint8_t c)
{
	return c >= 'a' && c <= 'z' ? (uint8_t)(c - 'a' + 'A') : c;
}

static bool same_name(const char *a, const char *b)
{
	size_t i;

	for (i = 0; a[i] != '\0' && b[i] != '\0'; i++)
		if (fold((uint8_t)a[i]) != fold((uint8_t)b[i]))
			return false;
	return a[i] == b[i];
}

/* The first entry named @name, or NULL. */
static const struct ntfs_ea_info *lookup(const char *name, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (same_name(seen[i].name, name))
			return &seen[i];
	return NULL;
}

static void read_each(ntfs_file *f, const uint8_t *ea, size_t len, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct ntfs_ea_info moved = seen[i];
		uint8_t *buf = malloc(seen[i].value_len);

		TS_CHECK(seen[i].value_len == 0 || buf != NULL);
		TS_CHECK(ntfs_ea_read(f, &seen[i], buf, seen[i].value_len) == NTFS_OK);
		TS_CHECK(memcmp(buf, ea + seen[i].value_off, seen[i].value_len) == 0);
		if (seen[i].value_len > 0) {
			TS_CHECK(ntfs_ea_read(f, &seen[i], buf, seen[i].value_len - 1u) ==
			         NTFS_ERR_LIMIT);
			moved.value_off = (uint32_t)len - seen[i].value_len + 1u;
			TS_CHECK(ntfs_ea_read(f, &moved, buf, seen[i].value_len) ==
			         NTFS_ERR_INVALID);
		}
		free(buf);
	}
}

/* ntfs_ea_get(@name) against the enumeration. */
static void get_one(ntfs_file *f, const char *name, const uint8_t *ea, unsigned n, int end)
{
	static uint8_t buf[65536];
	const struct ntfs_ea_info *e = lookup(name, n);
	size_t got = SIZE_MAX;
	int r = ntfs_ea_get(f, name, buf, sizeof buf, &got);

	if (e == NULL) {
		TS_CHECK(r == (end == 0 ? NTFS_ERR_NOT_FOUND : end) && got == 0);
		return;
	}
	TS_CHECK(r == NTFS_OK && got == e->value_len);
	TS_CHECK(memcmp(buf, ea + e->value_off, e->value_len) == 0);
	if (e->value_len > 0) {
		got = 0;
		r = ntfs_ea_get(f, name, buf, e->value_len - 1u, &got);
		TS_CHECK(r == NTFS_ERR_LIMIT && got == e->value_len);
	}
}

static void get_each(ntfs_file *f, const uint8_t *ea, unsigned n, int end)
{
	static const char *const wsl[] = {"$LXUID", "$LXGID", "$LXMOD", "$LXDEV", "$lxuid"};
	char other[256];

	for (unsigned i = 0; i < n && i < MAX_GETS; i++) {
		get_one(f, seen[i].name, ea, n, end);
		/* The same name in the other case (ASCII letters only). */
		for (unsigned k = 0; k <= seen[i].name_len; k++) {
			uint8_t c = (uint8_t)seen[i].name[k];
			other[k] = (char)(c >= 'a' && c <= 'z'   ? c - 'a' + 'A'
			                  : c >= 'A' && c <= 'Z' ? c - 'A' + 'a'
			                                         : c);
		}
		get_one(f, other, ea, n, end);
	}
	for (unsigned i = 0; i < sizeof wsl / sizeof wsl[0]; i++)
		get_one(f, wsl[i], ea, n, end);
}

/* What ntfs_file_stat() must say of the WSL EAs; *want's WSL fields. */
static int wsl_expected(const uint8_t *ea, unsigned n, int end, bool device, struct ntfs_stat *want)
{
	static const char *const names[3] = {"$LXUID", "$LXGID", "$LXMOD"};
	uint32_t *fields[3] = {&want->uid, &want->gid, &want->mode};
	const struct ntfs_ea_info *e;

	for (unsigned k = 0; k < 3; k++) {
		e = lookup(names[k], n);
		if (e == NULL && end != 0)
			return end;
		if (e == NULL)
			continue;
		if (e->value_len != 4)
			return NTFS_ERR_CORRUPT_EA;
		*fields[k] = fx_ld32(ea + e->value_off);
		want->wsl |= (uint8_t)(1u << k);
	}
	if (!device)
		return NTFS_OK;
	e = lookup("$LXDEV", n);
	if (e == NULL)
		return end;
	if (e->value_len != 8)
		return NTFS_ERR_CORRUPT_EA;
	want->rdev_major = fx_ld32(ea + e->value_off);
	want->rdev_minor = fx_ld32(ea + e->value_off + 4);
	return NTFS_OK;
}

static void check_stat(ntfs_file *f, uint8_t flags, const uint8_t *ea, unsigned n, int end)
{
	static const uint8_t types[4] = {NTFS_TYPE_FILE, NTFS_TYPE_CHAR, NTFS_TYPE_BLOCK,
	                                 NTFS_TYPE_FIFO};
	uint8_t type = types[(flags >> 3) & 3];
	struct ntfs_stat st, want;
	int r, expect;

	if (type == NTFS_TYPE_FILE && (flags & 0x20))
		type = NTFS_TYPE_DIR;
	memset(&want, 0, sizeof want);
	expect = wsl_expected(ea, n, end, type == NTFS_TYPE_CHAR || type == NTFS_TYPE_BLOCK, &want);
	r = ntfs_file_stat(f, &st);
	TS_CHECK(r == expect);
	if (r != NTFS_OK)
		return;
	TS_CHECK(st.type == type && st.wsl == want.wsl);
	TS_CHECK(!(want.wsl & NTFS_WSL_UID) || st.uid == want.uid);
	TS_CHECK(!(want.wsl & NTFS_WSL_GID) || st.gid == want.gid);
	TS_CHECK(!(want.wsl & NTFS_WSL_MODE) || st.mode == want.mode);
	TS_CHECK(st.rdev_major == want.rdev_major && st.rdev_minor == want.rdev_minor);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t rec[1024];
	ntfs_volume *vol;
	uint8_t flags, *ea;
	size_t len;
	ntfs_file *f;
	unsigned n;
	int end;

	if (size < 1 || size > MAX_INPUT + 1)
		return 0;
	flags = data[0];
	len = size - 1;
	/* An exact-size copy, so that a read past the end is seen. */
	ea = malloc(len ? len : 1);
	TS_CHECK(ea != NULL);
	memcpy(ea, data + 1, len);

	vol = volume();
	build(rec, flags, ea, len);
	TS_CHECK(synvol_file(vol, FILE_REC, rec, &f) == NTFS_OK);
	n = enumerate(f, ea, len, &end);
	read_each(f, ea, len, n);
	get_each(f, ea, n, end);
	check_stat(f, flags, ea, n, end);
	exercise_file(f, 0);
	ntfs_file_close(f);
	synvol_kept_expect(&v);
	free(ea);
	return 0;
}
