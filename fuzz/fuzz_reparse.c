/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reparse points: the whole input is a $REPARSE_POINT value.
 *
 *  1. ntfs_reparse_parse() over an exact-size copy: every offset it gives
 *     lies inside the value. When it succeeds, ntfsi_reparse_target() into
 *     a buffer of NTFS_TARGET_MAX (never NTFS_ERR_LIMIT there; a target is
 *     non-empty, NUL-terminated UTF-8 without a NUL inside) and into
 *     exact-size heap buffers of every small size: too small is
 *     NTFS_ERR_LIMIT, never an overflow, and a size that fits gives the
 *     same target.
 *  2. Up to NTFS_REPARSE_MAX + 4 KiB, through a synthetic volume: the value
 *     becomes the $REPARSE_POINT of record 16, a file (resident up to 700
 *     bytes, else non-resident; with an unnamed $DATA), and of record 17, a
 *     directory (always non-resident); both have FILE_ATTRIBUTE_REPARSE_POINT
 *     in $STANDARD_INFORMATION. ntfs_file_reparse() gives the value back
 *     exactly up to NTFS_REPARSE_MAX (NTFS_ERR_LIMIT with the length for a
 *     smaller buffer); ntfs_file_stat() fails with NTFS_ERR_CORRUPT_REPARSE
 *     exactly when the parse does, else gives the tag and the type it
 *     implies; ntfs_file_readlink() gives what ntfsi_reparse_target() gave;
 *     ntfs_stream_open() of the unnamed $DATA is raw, WOF or refused as the
 *     tag says, and reads back the file's bytes when raw; a value that does
 *     not parse fails it only for WOF (or over NTFS_REPARSE_MAX). Every
 *     error is a documented one, and nothing stays allocated.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#define FILE_REC 16u
#define DIR_REC 17u
#define CLUSTER 4096u
#define RESIDENT_MAX 700u
#define MAX_VOLUME_INPUT (NTFS_REPARSE_MAX + 4096u)

static const uint8_t file_data[] = "the file's own unnamed $DATA\n";

/* The POSIX type a tag gives (NTFS_TYPE_FILE: none). */
static uint8_t tag_type(uint32_t tag)
{
	switch (tag) {
	case NTFS_REPARSE_TAG_SYMLINK:
	case NTFS_REPARSE_TAG_MOUNT_POINT:
	case NTFS_REPARSE_TAG_LX_SYMLINK:
		return NTFS_TYPE_SYMLINK;
	case NTFS_REPARSE_TAG_AF_UNIX:
		return NTFS_TYPE_SOCKET;
	case NTFS_REPARSE_TAG_LX_FIFO:
		return NTFS_TYPE_FIFO;
	case NTFS_REPARSE_TAG_LX_CHR:
		return NTFS_TYPE_CHAR;
	case NTFS_REPARSE_TAG_LX_BLK:
		return NTFS_TYPE_BLOCK;
	default:
		return NTFS_TYPE_FILE;
	}
}

static bool inside(uint32_t off, uint32_t len, size_t size)
{
	return off <= size && len <= size - off;
}

static void check_parse(const uint8_t *v, size_t len, const struct ntfs_reparse *rp)
{
	TS_CHECK(len >= 8 && len <= NTFS_REPARSE_MAX);
	TS_CHECK(rp->tag == fx_ld32(v));
	TS_CHECK(rp->data_off == 8 || rp->data_off == 24);
	TS_CHECK(rp->data_off + rp->data_len == len);
	TS_CHECK(inside(rp->subst_off, rp->subst_len, len));
	TS_CHECK(inside(rp->print_off, rp->print_len, len));
	TS_CHECK(inside(rp->target_off, rp->target_len, len));
	if (rp->tag == NTFS_REPARSE_TAG_SYMLINK || rp->tag == NTFS_REPARSE_TAG_MOUNT_POINT)
		TS_CHECK(rp->subst_len % 2 == 0 && rp->print_len % 2 == 0 &&
		         rp->subst_off >= rp->data_off && rp->print_off >= rp->data_off);
	if (rp->tag == NTFS_REPARSE_TAG_LX_SYMLINK)
		TS_CHECK(rp->target_off + rp->target_len == len);
}

/* A target handed out: non-empty UTF-8, NUL-terminated, no NUL inside. */
static void check_target(const char *t, size_t n, size_t cap)
{
	size_t units;

	TS_CHECK(n > 0 && n < cap && t[n] == '\0' && strlen(t) == n);
	TS_CHECK(ntfs_utf8_to_utf16(t, n, NULL, 0, &units) == NTFS_OK);
}

/* The target into an exact-size heap buffer of @cap bytes, against the
 * result @r (@n bytes of @target) with room to spare. */
static void small_target(const uint8_t *v, const struct ntfs_reparse *rp, size_t cap, int r,
                         const char *target, size_t n)
{
	char *small = malloc(cap);
	size_t m = SIZE_MAX;
	int r2;

	TS_CHECK(cap == 0 || small != NULL);
	r2 = ntfsi_reparse_target(v, rp, small, cap, &m);
	if (r == NTFS_OK && cap <= n)
		TS_CHECK(r2 == NTFS_ERR_LIMIT);
	else if (r == NTFS_OK)
		TS_CHECK(r2 == NTFS_OK && m == n && memcmp(small, target, n + 1) == 0);
	else if (r == NTFS_ERR_NAME)
		TS_CHECK(r2 == NTFS_ERR_NAME || r2 == NTFS_ERR_LIMIT);
	else /* not a link, or damage: found before the size matters */
		TS_CHECK(r2 == r);
	free(small);
}

/* The target into NTFS_TARGET_MAX bytes (@target, *@tlen), then into
 * buffers of every size up to 40 and around its length. Returns the
 * first call's result. */
static int targets(const uint8_t *v, const struct ntfs_reparse *rp, char *target, size_t *tlen)
{
	const uint8_t type = tag_type(rp->tag);
	size_t n = SIZE_MAX;
	int r = ntfsi_reparse_target(v, rp, target, NTFS_TARGET_MAX, &n);

	TS_CHECK(r == NTFS_OK || r == NTFS_ERR_NOT_FOUND || r == NTFS_ERR_NAME ||
	         r == NTFS_ERR_CORRUPT_REPARSE);
	TS_CHECK((r == NTFS_ERR_NOT_FOUND) == (type != NTFS_TYPE_SYMLINK));
	if (r == NTFS_OK)
		check_target(target, n, NTFS_TARGET_MAX);
	else
		n = 0;
	*tlen = n;
	for (size_t cap = 0; cap <= 40; cap++)
		small_target(v, rp, cap, r, target, n);
	for (size_t cap = n > 41 ? n - 1 : 41; r == NTFS_OK && cap <= n + 1; cap++)
		small_target(v, rp, cap, r, target, n);
	return r;
}

static struct synvol_kept v;

static ntfs_volume *volume(void)
{
	return synvol_kept_volume(&v, CLUSTER);
}

/* Record @recno: a file, or a directory, whose reparse point is @value. */
static void build(uint8_t *rec, uint32_t recno, const uint8_t *value, size_t len)
{
	const bool dir = recno == DIR_REC;
	uint8_t si[72] = {0};
	uint64_t lcn = SYNVOL_DATA_OFF / CLUSTER + (dir ? 8u : 0u);

	fx_record(rec, 1024);
	fx_record_set(rec, 1, OD_REC_FLAG_IN_USE | (dir ? OD_REC_FLAG_DIRECTORY : 0), 0);
	fx_st32(rec + OD_REC_NUMBER, recno);
	fx_st32(si + OD_SI_FILE_ATTRS, NTFS_FILE_ATTR_ARCHIVE | NTFS_FILE_ATTR_REPARSE |
	                                       (dir ? NTFS_FILE_ATTR_DIRECTORY : 0));
	TS_CHECK(fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, sizeof si));
	if (!dir)
		TS_CHECK(fx_add_resident(rec, NTFS_AT_DATA, NULL, 0, file_data, sizeof file_data));
	TS_CHECK(synvol_add_value(&v.syn, rec, NTFS_AT_REPARSE_POINT, NULL, 0, value, (uint32_t)len,
	                          !dir && len <= RESIDENT_MAX, &lcn));
}

static void check_reparse_value(ntfs_file *f, const uint8_t *value, size_t len)
{
	static uint8_t buf[NTFS_REPARSE_MAX];
	size_t got = SIZE_MAX;
	int r = ntfs_file_reparse(f, buf, sizeof buf, &got);

	if (len > NTFS_REPARSE_MAX) {
		TS_CHECK(r == NTFS_ERR_CORRUPT_REPARSE && got == 0);
		return;
	}
	TS_CHECK(r == NTFS_OK && got == len && memcmp(buf, value, len) == 0);
	if (len > 0) {
		got = 0;
		TS_CHECK(ntfs_file_reparse(f, buf, len - 1, &got) == NTFS_ERR_LIMIT && got == len);
		got = 0;
		TS_CHECK(ntfs_file_reparse(f, NULL, 0, &got) == NTFS_ERR_LIMIT && got == len);
	}
}

static void check_unnamed(ntfs_file *f, bool dir, const uint8_t *value, size_t len, bool valid,
                          const struct ntfs_reparse *rp)
{
	const uint32_t tag = len >= 4 ? fx_ld32(value) : 0;
	uint8_t buf[64];
	ntfs_stream *s = NULL;
	size_t got = SIZE_MAX;
	int r = ntfs_stream_open(f, NULL, &s);

	EXERCISE_CHECK_ERR(r);
	if (dir) {
		TS_CHECK(r == NTFS_ERR_IS_DIR);
		return;
	}
	/* Only a WOF value must parse (it says where the data is), and any
	 * value must fit NTFS_REPARSE_MAX; another tag's damage leaves the
	 * file's own data readable. */
	if (len > NTFS_REPARSE_MAX || (!valid && tag == NTFS_REPARSE_TAG_WOF)) {
		TS_CHECK(r == NTFS_ERR_CORRUPT_REPARSE);
		return;
	}
	if (!valid) {
		TS_CHECK(r == NTFS_OK);
		if (tag == NTFS_REPARSE_TAG_DEDUP) {
			TS_CHECK(ntfs_stream_read(s, 0, buf, sizeof buf, &got) ==
			         NTFS_ERR_UNSUPPORTED);
		} else {
			TS_CHECK(ntfs_stream_read(s, 0, buf, sizeof buf, &got) == NTFS_OK);
			TS_CHECK(got == sizeof file_data && memcmp(buf, file_data, got) == 0);
		}
		ntfs_stream_close(s);
		return;
	}
#if NTFS_WITH_WOF
	if (rp->tag == NTFS_REPARSE_TAG_WOF && rp->wof_provider == NTFS_WOF_PROVIDER_FILE) {
		/* No WofCompressedData stream. */
		TS_CHECK(r == NTFS_ERR_CORRUPT_COMPRESSED);
		return;
	}
#endif
	TS_CHECK(r == NTFS_OK);
	if (rp->tag == NTFS_REPARSE_TAG_WOF || rp->tag == NTFS_REPARSE_TAG_DEDUP) {
		TS_CHECK(ntfs_stream_refusal(s) != NULL);
		TS_CHECK(ntfs_stream_read(s, 0, buf, sizeof buf, &got) == NTFS_ERR_UNSUPPORTED);
	} else {
		TS_CHECK(ntfs_stream_refusal(s) == NULL);
		TS_CHECK(ntfs_stream_read(s, 0, buf, sizeof buf, &got) == NTFS_OK);
		TS_CHECK(got == sizeof file_data && memcmp(buf, file_data, got) == 0);
	}
	ntfs_stream_close(s);
}

static void through_volume(const uint8_t *value, size_t len, bool valid,
                           const struct ntfs_reparse *rp, int target_r, const char *target,
                           size_t tlen)
{
	static char link[NTFS_TARGET_MAX];
	static uint8_t rec[1024];
	ntfs_volume *vol = volume();

	for (uint32_t recno = FILE_REC; recno <= DIR_REC; recno++) {
		const bool dir = recno == DIR_REC;
		struct ntfs_stat st;
		ntfs_file *f;
		size_t n = SIZE_MAX;
		int r;

		build(rec, recno, value, len);
		TS_CHECK(synvol_file(vol, recno, rec, &f) == NTFS_OK);
		check_reparse_value(f, value, len);

		r = ntfs_file_stat(f, &st);
		if (!valid) {
			TS_CHECK(r == NTFS_ERR_CORRUPT_REPARSE);
		} else {
			const uint8_t type = tag_type(rp->tag);
			TS_CHECK(r == NTFS_OK && st.reparse_tag == rp->tag);
			TS_CHECK(st.is_dir == dir && (st.attributes & NTFS_FILE_ATTR_REPARSE));
			TS_CHECK(st.type == (type != NTFS_TYPE_FILE ? type
			                     : dir                  ? NTFS_TYPE_DIR
			                                            : NTFS_TYPE_FILE));
			TS_CHECK(st.wsl == 0 && st.rdev_major == 0 && st.rdev_minor == 0);
			TS_CHECK(dir || st.size == sizeof file_data);
		}

		r = ntfs_file_readlink(f, link, sizeof link, &n);
		if (!valid) {
			TS_CHECK(r == NTFS_ERR_CORRUPT_REPARSE);
		} else {
			TS_CHECK(r == target_r);
			if (r == NTFS_OK) {
				TS_CHECK(n == tlen && memcmp(link, target, tlen + 1) == 0);
				TS_CHECK(ntfs_file_readlink(f, link, tlen, NULL) == NTFS_ERR_LIMIT);
			}
		}

		check_unnamed(f, dir, value, len, valid, rp);
		exercise_file(f, 0);
		ntfs_file_close(f);
		synvol_kept_expect(&v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char target[NTFS_TARGET_MAX];
	struct ntfs_reparse rp;
	size_t tlen = 0;
	int r, target_r = NTFS_ERR_CORRUPT_REPARSE;
	uint8_t *copy;

	if (size > 65536)
		return 0;
	/* An exact-size copy, so that a read past the end is seen. */
	copy = malloc(size ? size : 1);
	TS_CHECK(copy != NULL);
	memcpy(copy, data, size);
	r = ntfs_reparse_parse(copy, size, &rp);
	TS_CHECK(r == NTFS_OK || r == NTFS_ERR_CORRUPT_REPARSE);
	if (r == NTFS_OK) {
		check_parse(copy, size, &rp);
		target_r = targets(copy, &rp, target, &tlen);
	}
	if (size <= MAX_VOLUME_INPUT)
		through_volume(copy, size, r == NTFS_OK, &rp, target_r, target, tlen);
	free(copy);
	return 0;
}
