/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers for test_hardening_*.c (see hardening_util.h). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "hardening_util.h"
#include "fixture.h"
#include "ondisk.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define OP_CHUNK (64u << 10)
#define OP_MAX_STEPS 10000000u

uint64_t hu_ld(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

void hu_st(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

void hu_open(struct hu *h, const char *name)
{
	memset(h, 0, sizeof *h);
	timage_open(&h->img, name);
	alarm(HU_WATCHDOG_SECONDS);
}

void hu_close(struct hu *h)
{
	alarm(0);
	timage_close(&h->img);
}

int hu_mount(struct hu *h)
{
	struct ntfs_config cfg;
	int err;

	memdev_init(&h->dev, h->img.data, h->img.size, 512);
	memalloc_init(&h->ma);
	memdev_config(&cfg, &h->dev, &h->ma);
	cfg.volume_size = h->volume_size;
	h->vol = NULL;
	err = ntfs_mount(&cfg, &h->vol);
	if (err) {
		h->vol = NULL;
		if (h->ma.blocks != 0 || h->ma.bytes != 0)
			fail_msg("%s: failed mount (%s) leaked %zu blocks, %zu bytes", h->img.name,
			         ntfs_strerror(err), h->ma.blocks, h->ma.bytes);
		return err;
	}
	assert_int_equal(ntfs_volume_info(h->vol, &h->vi), NTFS_OK);
	return NTFS_OK;
}

void hu_unmount(struct hu *h)
{
	ntfs_unmount(h->vol);
	h->vol = NULL;
	if (h->ma.blocks != 0 || h->ma.bytes != 0)
		fail_msg("%s: leak: %zu blocks, %zu bytes outstanding after unmount", h->img.name,
		         h->ma.blocks, h->ma.bytes);
}

int hu_run(struct hu *h, hu_op op, const char *arg)
{
	int err = hu_mount(h);

	if (err == NTFS_OK) {
		err = op(h->vol, arg);
		hu_unmount(h);
	}
	if (h->ma.largest > HU_ALLOC_CAP)
		fail_msg("%s: an allocation of %zu bytes (cap %u)", h->img.name, h->ma.largest,
		         HU_ALLOC_CAP);
	assert_int_equal(h->dev.oob_reads, 0);
	return err;
}

void hu_expect(struct hu *h, hu_op op, const char *arg, int want)
{
	int got = hu_run(h, op, arg);

	if (got != want)
		fail_msg("%s '%s': got %d (%s), want %d (%s)", h->img.name, arg ? arg : "", got,
		         ntfs_strerror(got), want, ntfs_strerror(want));
}

int hu_open_spec(ntfs_volume *vol, const char *spec, ntfs_file **out)
{
	if (spec[0] == '#')
		return ntfs_file_open(vol, strtoull(spec + 1, NULL, 10), out);
	return ntfs_path_open(vol, spec, out);
}

int hu_op_mount(ntfs_volume *vol, const char *arg)
{
	(void)vol;
	(void)arg;
	return NTFS_OK;
}

int hu_op_open(ntfs_volume *vol, const char *arg)
{
	ntfs_file *f;
	int err = hu_open_spec(vol, arg, &f);

	if (err == NTFS_OK)
		ntfs_file_close(f);
	return err;
}

int hu_op_stat(ntfs_volume *vol, const char *arg)
{
	struct ntfs_stat st;
	ntfs_file *f;
	int err = hu_open_spec(vol, arg, &f);

	if (err)
		return err;
	err = ntfs_file_stat(f, &st);
	ntfs_file_close(f);
	return err;
}

/* Open "path[:stream]". */
static int open_stream(ntfs_volume *vol, const char *arg, ntfs_file **f, ntfs_stream **s)
{
	static char path[8192];
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);
	int err;

	assert_true(n < sizeof path);
	memcpy(path, arg, n);
	path[n] = '\0';
	err = hu_open_spec(vol, path, f);
	if (err)
		return err;
	err = ntfs_stream_open(*f, colon ? colon + 1 : NULL, s);
	if (err)
		ntfs_file_close(*f);
	return err;
}

int hu_op_read(ntfs_volume *vol, const char *arg)
{
	ntfs_file *f;
	ntfs_stream *s;
	uint64_t off = 0, size;
	uint8_t *buf;
	int err = open_stream(vol, arg, &f, &s);

	if (err)
		return err;
	buf = malloc(OP_CHUNK);
	assert_non_null(buf);
	size = ntfs_stream_size(s);
	while (err == NTFS_OK && off < size) {
		size_t got = 0;
		err = ntfs_stream_read(s, off, buf, OP_CHUNK, &got);
		if (err == NTFS_OK && got == 0)
			fail_msg("%s: read at %llu gave 0 bytes before the end", arg,
			         (unsigned long long)off);
		off += got;
	}
	free(buf);
	ntfs_stream_close(s);
	ntfs_file_close(f);
	return err;
}

int hu_op_map(ntfs_volume *vol, const char *arg)
{
	ntfs_file *f;
	ntfs_stream *s;
	uint64_t vcn = 0;
	unsigned steps = 0;
	int err = open_stream(vol, arg, &f, &s);

	if (err)
		return err;
	for (;;) {
		struct ntfs_run run;
		int r = ntfs_stream_map(s, vcn, &run);
		if (r <= 0) {
			err = r;
			break;
		}
		if (vcn < run.vcn || vcn - run.vcn >= run.length)
			fail_msg("%s: run [%llu, +%llu) does not hold VCN %llu", arg,
			         (unsigned long long)run.vcn, (unsigned long long)run.length,
			         (unsigned long long)vcn);
		vcn = run.vcn + run.length;
		if (++steps > OP_MAX_STEPS)
			fail_msg("%s: ntfs_stream_map does not end", arg);
	}
	ntfs_stream_close(s);
	ntfs_file_close(f);
	return err;
}

int hu_op_list(ntfs_volume *vol, const char *arg)
{
	struct ntfs_dirent *ent = malloc(sizeof *ent);
	ntfs_file *f;
	ntfs_dir *d;
	unsigned steps = 0;
	int err, r;

	assert_non_null(ent);
	err = hu_open_spec(vol, arg, &f);
	if (err) {
		free(ent);
		return err;
	}
	err = ntfs_dir_open(f, 0, &d);
	if (err) {
		ntfs_file_close(f);
		free(ent);
		return err;
	}
	while ((r = ntfs_dir_next(d, ent)) == 1)
		if (++steps > OP_MAX_STEPS)
			fail_msg("%s: ntfs_dir_next does not end", arg);
	ntfs_dir_close(d);
	ntfs_file_close(f);
	free(ent);
	return r;
}

int hu_op_streams(ntfs_volume *vol, const char *arg)
{
	struct ntfs_stream_info *info = malloc(sizeof *info);
	ntfs_file *f;
	uint32_t cursor = 0;
	unsigned steps = 0;
	int err, r, first = NTFS_OK;

	assert_non_null(info);
	err = hu_open_spec(vol, arg, &f);
	if (err) {
		free(info);
		return err;
	}
	/* NTFS_ERR_NAME leaves the cursor advanced: go on to the end. */
	while ((r = ntfs_stream_next(f, &cursor, info)) != 0) {
		if (r < 0 && first == NTFS_OK)
			first = r;
		if (r < 0 && r != NTFS_ERR_NAME)
			break;
		if (++steps > OP_MAX_STEPS)
			fail_msg("%s: ntfs_stream_next does not end", arg);
	}
	ntfs_file_close(f);
	free(info);
	return first;
}

int hu_op_free(ntfs_volume *vol, const char *arg)
{
	uint64_t n;

	(void)arg;
	return ntfs_volume_free_clusters(vol, &n);
}

int hu_op_mft_usage(ntfs_volume *vol, const char *arg)
{
	struct ntfs_mft_usage u;

	(void)arg;
	return ntfs_volume_mft_usage(vol, &u);
}

static void ascii16(const char *s, uint16_t *out, size_t *n)
{
	for (*n = 0; s != NULL && s[*n] != '\0'; (*n)++)
		out[*n] = (uint8_t)s[*n];
}

void hu_loc_stream(struct hu *h, const char *spec, uint32_t type, const char *name, uint64_t off,
                   uint64_t len, struct hu_loc *loc)
{
	const uint64_t cs = h->vi.cluster_size;
	uint16_t name16[64];
	size_t name_len;
	ntfs_file *f;
	ntfs_stream *s;
	uint64_t size;
	int err;

	assert_non_null(h->vol);
	ascii16(name, name16, &name_len);
	err = hu_open_spec(h->vol, spec, &f);
	if (err)
		fail_msg("locate %s: open: %s", spec, ntfs_strerror(err));
	err = ntfs_attr_open(f, type, name16, name_len, &s);
	if (err)
		fail_msg("locate %s type 0x%x: %s", spec, (unsigned)type, ntfs_strerror(err));
	size = ntfs_stream_size(s);
	h->stream_size = size;
	/* The last piece may run into the slack of the last cluster. */
	if (len == 0)
		len = (size - off + 511) & ~(uint64_t)511;
	if (off % 512 != 0 || len % 512 != 0 || len > HU_MAX_BYTES || off + len > size + 511)
		fail_msg("locate %s: bad range %llu+%llu of %llu", spec, (unsigned long long)off,
		         (unsigned long long)len, (unsigned long long)size);
	loc->size = len;
	loc->n = (uint32_t)(len / 512);
	for (uint32_t i = 0; i < loc->n; i++) {
		uint64_t pos = off + 512u * i;
		struct ntfs_run run;
		if (ntfs_stream_map(s, pos / cs, &run) != 1 || run.lcn == NTFS_LCN_HOLE)
			fail_msg("locate %s: byte %llu is not on disk", spec,
			         (unsigned long long)pos);
		loc->piece[i] = run.lcn * cs + (pos - run.vcn * cs);
		assert_true(loc->piece[i] + 512 <= h->img.size);
	}
	ntfs_stream_close(s);
	ntfs_file_close(f);
}

void hu_loc_record(struct hu *h, uint64_t recno, struct hu_loc *loc)
{
	hu_loc_stream(h, "#0", OD_AT_DATA, NULL, recno * h->vi.record_size, h->vi.record_size, loc);
}

void hu_loc_device(struct hu *h, uint64_t off, uint64_t len, struct hu_loc *loc)
{
	assert_true(off % 512 == 0 && len % 512 == 0 && len <= HU_MAX_BYTES);
	assert_true(off + len <= h->img.size);
	loc->size = len;
	loc->n = (uint32_t)(len / 512);
	for (uint32_t i = 0; i < loc->n; i++)
		loc->piece[i] = off + 512u * i;
}

void hu_loc_read(const struct hu *h, const struct hu_loc *loc, uint8_t *buf)
{
	for (uint32_t i = 0; i < loc->n; i++)
		memcpy(buf + 512u * i, h->img.data + loc->piece[i], 512);
}

void hu_loc_write(struct hu *h, const struct hu_loc *loc, const uint8_t *buf)
{
	for (uint32_t i = 0; i < loc->n; i++)
		memcpy(h->img.data + loc->piece[i], buf + 512u * i, 512);
}

uint64_t hu_recno(struct hu *h, const char *spec)
{
	struct ntfs_stat st;
	ntfs_file *f;
	int err = hu_open_spec(h->vol, spec, &f);

	if (err)
		fail_msg("%s: %s", spec, ntfs_strerror(err));
	assert_int_equal(ntfs_file_stat(f, &st), NTFS_OK);
	ntfs_file_close(f);
	return NTFS_REF_RECORD(st.ref);
}

uint64_t hu_alist_data_ref(struct hu *h, const char *spec, unsigned k)
{
	ntfs_file *f;
	ntfs_stream *s;
	uint8_t *buf;
	size_t got;
	uint64_t size, ref = 0;
	unsigned i = 0;

	assert_non_null(h->vol);
	assert_int_equal(hu_open_spec(h->vol, spec, &f), NTFS_OK);
	assert_int_equal(ntfs_attr_open(f, OD_AT_ATTRIBUTE_LIST, NULL, 0, &s), NTFS_OK);
	size = ntfs_stream_size(s);
	buf = malloc((size_t)size);
	assert_non_null(buf);
	assert_int_equal(ntfs_stream_read(s, 0, buf, (size_t)size, &got), NTFS_OK);
	assert_int_equal(got, size);
	for (uint32_t off = 0; off < size; off += (uint32_t)hu_ld(buf + off + OD_AL_LENGTH, 2)) {
		const uint8_t *e = buf + off;
		assert_true(hu_ld(e + OD_AL_LENGTH, 2) >= 26);
		if (hu_ld(e + OD_AL_TYPE, 4) == OD_AT_DATA && e[OD_AL_NAME_LEN] == 0 && i++ == k) {
			ref = hu_ld(e + OD_AL_REF, 8);
			break;
		}
	}
	free(buf);
	ntfs_stream_close(s);
	ntfs_file_close(f);
	if (ref == 0)
		fail_msg("%s: no $DATA entry %u in the attribute list", spec, k);
	return ref;
}

void hu_unfix(uint8_t *buf, size_t size)
{
	uint32_t off = (uint32_t)hu_ld(buf + OD_REC_USA_OFF, 2);
	uint32_t n = (uint32_t)hu_ld(buf + OD_REC_USA_COUNT, 2);
	uint16_t usn;

	if (n != size / 512 + 1 || off + 2 * n > 510)
		fail_msg("bad update sequence array (offset %u, count %u)", off, n);
	usn = (uint16_t)hu_ld(buf + off, 2);
	for (uint32_t i = 1; i < n; i++) {
		uint8_t *tail = buf + 512 * i - 2;
		if (hu_ld(tail, 2) != usn)
			fail_msg("update sequence mismatch in stride %u", i);
		tail[0] = buf[off + 2 * i];
		tail[1] = buf[off + 2 * i + 1];
	}
}

void hu_fix(uint8_t *buf, size_t size)
{
	fx_protect(buf, size);
}

static bool name_is(const uint8_t *a, const char *name)
{
	size_t n = a[OD_AH_NAME_LEN], off = (size_t)hu_ld(a + OD_AH_NAME_OFF, 2);

	if (name == NULL)
		return true;
	if (strlen(name) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (hu_ld(a + off + 2 * i, 2) != (uint8_t)name[i])
			return false;
	return true;
}

uint32_t hu_attr_find(const uint8_t *rec, uint32_t type, const char *name)
{
	uint32_t off = (uint32_t)hu_ld(rec + OD_REC_ATTRS_OFFSET, 2);
	uint32_t used = (uint32_t)hu_ld(rec + OD_REC_BYTES_IN_USE, 4);

	while (off + 8 <= used) {
		uint32_t t = (uint32_t)hu_ld(rec + off + OD_AH_TYPE, 4);
		uint32_t len = (uint32_t)hu_ld(rec + off + OD_AH_LENGTH, 4);
		if (t == OD_AT_END || len < 16)
			break;
		if (t == type && name_is(rec + off, name))
			return off;
		off += len;
	}
	fail_msg("record %llu: no attribute 0x%x '%s'",
	         (unsigned long long)hu_ld(rec + OD_REC_NUMBER, 4), (unsigned)type,
	         name ? name : "*");
	return 0;
}

uint32_t hu_attr_end(const uint8_t *rec)
{
	uint32_t off = (uint32_t)hu_ld(rec + OD_REC_ATTRS_OFFSET, 2);
	uint32_t used = (uint32_t)hu_ld(rec + OD_REC_BYTES_IN_USE, 4);

	while (off + 4 <= used) {
		uint32_t len = (uint32_t)hu_ld(rec + off + OD_AH_LENGTH, 4);
		if (hu_ld(rec + off + OD_AH_TYPE, 4) == OD_AT_END)
			return off;
		assert_true(len >= 16);
		off += len;
	}
	fail_msg("record without an end marker");
	return 0;
}

uint8_t *hu_attr_value(uint8_t *rec, uint32_t aoff)
{
	assert_int_equal(rec[aoff + OD_AH_NONRESIDENT], 0);
	return rec + aoff + hu_ld(rec + aoff + OD_AH_VALUE_OFF, 2);
}

void hu_attr_resize(uint8_t *rec, size_t size, uint32_t aoff, uint32_t new_len)
{
	uint32_t old = (uint32_t)hu_ld(rec + aoff + OD_AH_LENGTH, 4);
	uint32_t used = (uint32_t)hu_ld(rec + OD_REC_BYTES_IN_USE, 4);
	uint32_t alloc = (uint32_t)hu_ld(rec + OD_REC_BYTES_ALLOC, 4);

	assert_true(new_len % 8 == 0 && alloc == size);
	if (used - old + new_len > alloc)
		fail_msg("no room in the record for %u more bytes", new_len - old);
	memmove(rec + aoff + new_len, rec + aoff + old, used - (aoff + old));
	if (new_len > old)
		memset(rec + aoff + old, 0, new_len - old);
	hu_st(rec + aoff + OD_AH_LENGTH, new_len, 4);
	hu_st(rec + OD_REC_BYTES_IN_USE, used - old + new_len, 4);
}

size_t hu_runs_decode(const uint8_t *mp, size_t len, struct hu_run *runs, size_t max, size_t *used)
{
	size_t pos = 0, n = 0;
	int64_t lcn = 0;

	while (pos < len && mp[pos] != 0) {
		unsigned lb = mp[pos] & 15u, ob = mp[pos] >> 4;
		assert_true(lb >= 1 && lb <= 8 && ob <= 8 && pos + 1 + lb + ob <= len && n < max);
		runs[n].len = hu_ld(mp + pos + 1, (int)lb);
		runs[n].hole = ob == 0;
		if (ob != 0) {
			uint64_t d = hu_ld(mp + pos + 1 + lb, (int)ob);
			if (ob < 8 && (d >> (8 * ob - 1)) & 1)
				d |= ~0ull << (8 * ob);
			lcn = (int64_t)((uint64_t)lcn + d);
		}
		runs[n].lcn = lcn;
		n++;
		pos += 1 + lb + ob;
	}
	assert_true(pos < len);
	*used = pos;
	return n;
}

static int signed_bytes(int64_t d)
{
	int n = 1;

	while (n < 8 && (d < -(INT64_C(1) << (8 * n - 1)) || d >= (INT64_C(1) << (8 * n - 1))))
		n++;
	return n;
}

size_t hu_runs_encode(const struct hu_run *runs, size_t n, uint8_t *out, size_t cap)
{
	size_t pos = 0;
	int64_t prev = 0;

	for (size_t i = 0; i < n; i++) {
		int lb = 1, ob = 0;
		int64_t d = 0;
		while (lb < 8 && (runs[i].len >> (8 * lb)) != 0)
			lb++;
		if (!runs[i].hole) {
			d = (int64_t)((uint64_t)runs[i].lcn - (uint64_t)prev);
			ob = signed_bytes(d);
			prev = runs[i].lcn;
		}
		assert_true(pos + 1 + (size_t)lb + (size_t)ob < cap);
		out[pos] = (uint8_t)(lb | ob << 4);
		hu_st(out + pos + 1, runs[i].len, lb);
		hu_st(out + pos + 1 + lb, (uint64_t)d, ob);
		pos += 1 + (size_t)lb + (size_t)ob;
	}
	out[pos++] = 0;
	return pos;
}

void hu_runs_set(uint8_t *rec, size_t size, uint32_t aoff, const struct hu_run *runs, size_t n)
{
	uint8_t mp[1024];
	uint8_t *a = rec + aoff;
	uint32_t mp_off = (uint32_t)hu_ld(a + OD_AH_MP_OFF, 2);
	uint32_t len = (uint32_t)hu_ld(a + OD_AH_LENGTH, 4);
	size_t enc = hu_runs_encode(runs, n, mp, sizeof mp);
	uint32_t need = (uint32_t)((mp_off + enc + 7) & ~(size_t)7);

	assert_int_equal(a[OD_AH_NONRESIDENT], 1);
	if (need > len) {
		hu_attr_resize(rec, size, aoff, need);
		len = need;
	}
	memset(a + mp_off, 0, len - mp_off);
	memcpy(a + mp_off, mp, enc);
}

uint32_t hu_ie_off(const uint8_t *node, unsigned k)
{
	uint32_t off = (uint32_t)hu_ld(node + OD_NH_ENTRIES_OFF, 4);
	uint32_t used = (uint32_t)hu_ld(node + OD_NH_INDEX_LEN, 4);

	for (unsigned i = 0; i < k; i++) {
		uint32_t len = (uint32_t)hu_ld(node + off + OD_IE_LENGTH, 2);
		if (len < OD_IE_KEY || (hu_ld(node + off + OD_IE_FLAGS, 2) & OD_IE_END))
			fail_msg("index node has no entry %u", k);
		off += len;
	}
	assert_true(off + OD_IE_KEY <= used);
	return off;
}

uint8_t *hu_root_node(uint8_t *rec, uint32_t aoff)
{
	return hu_attr_value(rec, aoff) + OD_IR_NODE;
}
