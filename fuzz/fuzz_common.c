/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared code for the harnesses: see fuzz_common.h.
 */
#define _POSIX_C_SOURCE 200809L

#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef NTFS_FUZZ_IMAGES_DIR
#define NTFS_FUZZ_IMAGES_DIR "test/images"
#endif

_Noreturn void fz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: harness check failed: %s\n", file, line, what);
	fflush(stderr);
	abort();
}

bool fz_err_known(int err)
{
	return (err <= NTFS_ERR_IO && err >= NTFS_ERR_STALE) || ntfs_error_is_corrupt(err);
}

/* ---- capped allocator: live blocks in an open-addressing table ------------- */

#define SLOTS (1u << 16)
#define SLOT_MASK (SLOTS - 1u)

static uintptr_t slot_key[SLOTS];
static size_t slot_size[SLOTS];
static size_t slot_used;

static size_t slot_hash(uintptr_t k)
{
	uint64_t h = (uint64_t)k;
	h ^= h >> 29;
	h *= UINT64_C(0x9E3779B97F4A7C15);
	return (size_t)(h >> 40) & SLOT_MASK;
}

static size_t slot_find(uintptr_t k)
{
	size_t i = slot_hash(k);
	while (slot_key[i] != 0 && slot_key[i] != k)
		i = (i + 1) & SLOT_MASK;
	return i;
}

static void slot_delete(size_t i)
{
	size_t j = i;
	for (;;) {
		size_t h;
		j = (j + 1) & SLOT_MASK;
		if (slot_key[j] == 0)
			break;
		h = slot_hash(slot_key[j]);
		/* Move j back to i unless its home lies cyclically in (i, j]. */
		if ((i <= j) ? (h <= i || h > j) : (h <= i && h > j)) {
			slot_key[i] = slot_key[j];
			slot_size[i] = slot_size[j];
			i = j;
		}
	}
	slot_key[i] = 0;
	slot_used--;
}

void fz_alloc_init(struct fz_alloc *a, size_t cap)
{
	memset(a, 0, sizeof *a);
	a->cap = cap;
}

void *fz_alloc(void *ctx, size_t size)
{
	struct fz_alloc *a = ctx;
	void *p;
	size_t i;

	a->allocs++;
	if (size > a->cap - a->bytes || slot_used >= SLOTS / 2) {
		a->refused++;
		return NULL;
	}
	p = malloc(size ? size : 1);
	FZ_CHECK(p != NULL);
	i = slot_find((uintptr_t)p);
	FZ_CHECK(slot_key[i] == 0);
	slot_key[i] = (uintptr_t)p;
	slot_size[i] = size;
	slot_used++;
	a->bytes += size;
	a->blocks++;
	if (a->bytes > a->peak)
		a->peak = a->bytes;
	return p;
}

void fz_free(void *ctx, void *ptr, size_t size)
{
	struct fz_alloc *a = ctx;
	size_t i;

	FZ_CHECK(ptr != NULL); /* the core never frees NULL through the callback */
	i = slot_find((uintptr_t)ptr);
	if (slot_key[i] == 0)
		fz_fail(__FILE__, __LINE__, "free of a pointer alloc did not return");
	if (slot_size[i] != size) {
		fprintf(stderr, "free: block of %zu bytes freed as %zu\n", slot_size[i], size);
		fz_fail(__FILE__, __LINE__, "free size differs from the size allocated");
	}
	FZ_CHECK(a->blocks > 0 && a->bytes >= size);
	slot_delete(i);
	a->bytes -= size;
	a->blocks--;
	free(ptr);
}

void fz_alloc_expect(const struct fz_alloc *a, size_t blocks, size_t bytes)
{
	if (a->blocks != blocks || a->bytes != bytes) {
		fprintf(stderr, "leak: %zu blocks / %zu bytes outstanding, expected %zu / %zu\n",
		        a->blocks, a->bytes, blocks, bytes);
		fz_fail(__FILE__, __LINE__, "allocations outstanding after close");
	}
}

/* ---- memory device ---------------------------------------------------------- */

void fz_dev_init(struct fz_dev *dev, const uint8_t *base, uint64_t base_len, uint64_t size,
                 uint32_t align)
{
	memset(dev, 0, sizeof *dev);
	dev->base = base;
	dev->base_len = base_len < size ? base_len : size;
	dev->size = size;
	dev->align = align ? align : 512;
}

int fz_dev_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
	struct fz_dev *dev = ctx;
	uint8_t *out = buf;
	size_t i;

	/* The core promises aligned reads of whole blocks. */
	FZ_CHECK(len != 0 && offset % dev->align == 0 && len % dev->align == 0);
	dev->reads++;
	if (offset > dev->size || len > dev->size - offset)
		return -1;
	dev->bytes += len;
	if (offset < dev->base_len) {
		uint64_t n = dev->base_len - offset < len ? dev->base_len - offset : len;
		memcpy(out, dev->base + offset, (size_t)n);
		memset(out + n, 0, len - (size_t)n);
	} else {
		memset(out, 0, len);
	}
	for (i = 0; i < dev->npatches; i++) {
		const struct fz_patch *p = &dev->patches[i];
		uint64_t lo = p->off > offset ? p->off : offset;
		uint64_t hi_p = p->off + p->len, hi_r = offset + len;
		uint64_t hi = hi_p < hi_r ? hi_p : hi_r;
		if (lo < hi)
			memcpy(out + (lo - offset), p->data + (lo - p->off), (size_t)(hi - lo));
	}
	return 0;
}

void fz_config(struct ntfs_config *cfg, struct fz_dev *dev, struct fz_alloc *a)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->read = fz_dev_read;
	cfg->read_ctx = dev;
	cfg->alloc = fz_alloc;
	cfg->free = fz_free;
	cfg->alloc_ctx = a;
	cfg->read_align = dev->align;
}

/* ---- test images -------------------------------------------------------------- */

struct cached_image {
	char name[64];
	uint8_t *data;
	size_t len;
};

static struct cached_image images[16];

const uint8_t *fz_image(const char *name, size_t *len)
{
	const char *dir = getenv("NTFS_FUZZ_IMAGES");
	char cmd[4096];
	size_t i, cap = 1u << 20, n = 0;
	uint8_t *buf;
	FILE *f;

	for (i = 0; i < sizeof images / sizeof images[0] && images[i].data != NULL; i++) {
		if (strcmp(images[i].name, name) == 0) {
			*len = images[i].len;
			return images[i].data;
		}
	}
	FZ_CHECK(i < sizeof images / sizeof images[0] && strlen(name) < sizeof images[i].name);
	if (dir == NULL || *dir == '\0')
		dir = NTFS_FUZZ_IMAGES_DIR;
	FZ_CHECK(strchr(dir, '\'') == NULL && strchr(name, '\'') == NULL);
	snprintf(cmd, sizeof cmd, "xz -dc -- '%s/%s.img.xz'", dir, name);
	f = popen(cmd, "r");
	if (f == NULL) {
		fprintf(stderr, "cannot run: %s\n", cmd);
		abort();
	}
	buf = malloc(cap);
	FZ_CHECK(buf != NULL);
	for (;;) {
		size_t got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			FZ_CHECK(buf != NULL);
		}
		got = fread(buf + n, 1, cap - n, f);
		if (got == 0)
			break;
		n += got;
	}
	if (pclose(f) != 0 || n < 65536) {
		fprintf(stderr,
		        "cannot decompress the template image: %s (set NTFS_FUZZ_IMAGES to "
		        "the directory holding NAME.img.xz)\n",
		        cmd);
		abort();
	}
	snprintf(images[i].name, sizeof images[i].name, "%s", name);
	images[i].data = buf;
	images[i].len = n;
	*len = n;
	return buf;
}

/* ---- building records ---------------------------------------------------------- */

static void st16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void st32(uint8_t *p, uint32_t v)
{
	st16(p, (uint16_t)v);
	st16(p + 2, (uint16_t)(v >> 16));
}

static void st64(uint8_t *p, uint64_t v)
{
	st32(p, (uint32_t)v);
	st32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t align8(uint32_t v)
{
	return (v + 7u) & ~7u;
}

void fz_record_init(uint8_t *rec, uint32_t size, uint16_t seq, uint16_t flags, uint64_t base_ref)
{
	uint32_t count = size / 512u + 1u, first = align8(FZ_USA_OFF + 2u * count);

	memset(rec, 0, size);
	memcpy(rec, "FILE", 4);
	st16(rec + 4, FZ_USA_OFF);
	st16(rec + 6, (uint16_t)count);
	st16(rec + OD_REC_SEQUENCE, seq);
	st16(rec + OD_REC_LINKS, 1);
	st16(rec + OD_REC_ATTRS_OFFSET, (uint16_t)first);
	st16(rec + OD_REC_FLAGS, flags);
	st32(rec + OD_REC_BYTES_IN_USE, first + 8u);
	st32(rec + OD_REC_BYTES_ALLOC, size);
	st64(rec + OD_REC_BASE_REF, base_ref);
	st16(rec + FZ_USA_OFF, 1); /* update sequence number */
	st32(rec + first, OD_AT_END);
}

/* Room for an attribute of @len bytes: its offset, or 0. */
static uint32_t attr_room(uint8_t *rec, uint32_t size, uint32_t len)
{
	uint32_t used = ntfsi_le32(rec + OD_REC_BYTES_IN_USE), off = used - 8u;

	if (len > size || off + len + 8u > size)
		return 0;
	st32(rec + off + len, OD_AT_END);
	st32(rec + off + len + 4, 0);
	st32(rec + OD_REC_BYTES_IN_USE, off + len + 8u);
	return off;
}

static void put_name(uint8_t *h, uint32_t name_off, const char *name)
{
	size_t i, n = name ? strlen(name) : 0;

	h[9] = (uint8_t)n;
	st16(h + 10, (uint16_t)name_off);
	for (i = 0; i < n; i++)
		st16(h + name_off + 2 * i, (uint8_t)name[i]);
}

bool fz_record_add_resident(uint8_t *rec, uint32_t size, uint32_t type, const char *name,
                            uint16_t id, const uint8_t *value, uint32_t value_len)
{
	uint32_t n = name ? (uint32_t)strlen(name) : 0, voff = align8(24u + 2u * n);
	uint32_t len = align8(voff + value_len), off;
	uint8_t *h;

	if (value_len > size)
		return false;
	off = attr_room(rec, size, len);
	if (off == 0)
		return false;
	h = rec + off;
	memset(h, 0, len);
	st32(h, type);
	st32(h + 4, len);
	put_name(h, 24, name);
	st16(h + 14, id);
	st32(h + 16, value_len);
	st16(h + 20, (uint16_t)voff);
	if (value_len)
		memcpy(h + voff, value, value_len);
	return true;
}

bool fz_record_add_nonresident(uint8_t *rec, uint32_t size, uint32_t type, const char *name,
                               uint16_t id, uint16_t flags, uint64_t lowest_vcn,
                               uint64_t highest_vcn, uint64_t alloc_size, uint64_t data_size,
                               uint64_t init_size, const uint8_t *mp, uint32_t mp_len)
{
	uint32_t n = name ? (uint32_t)strlen(name) : 0, mpoff = align8(64u + 2u * n);
	uint32_t len = align8(mpoff + mp_len), off;
	uint8_t *h;

	if (mp_len > size)
		return false;
	off = attr_room(rec, size, len);
	if (off == 0)
		return false;
	h = rec + off;
	memset(h, 0, len);
	st32(h, type);
	st32(h + 4, len);
	h[8] = 1;
	put_name(h, 64, name);
	st16(h + 12, flags);
	st16(h + 14, id);
	st64(h + 16, lowest_vcn);
	st64(h + 24, highest_vcn);
	st16(h + 32, (uint16_t)mpoff);
	st64(h + 40, alloc_size);
	st64(h + 48, data_size);
	st64(h + 56, init_size);
	if (mp_len)
		memcpy(h + mpoff, mp, mp_len);
	return true;
}

uint32_t fz_runlist_one(uint8_t *out, uint64_t lcn, uint64_t clusters)
{
	uint32_t lb = 1, ob = 0, i, o = 0;

	while (lb < 8 && (clusters >> (8 * lb)) != 0)
		lb++;
	if (lcn != NTFS_LCN_HOLE) {
		/* Signed: one more byte when the top bit would read as a sign. */
		ob = 1;
		while (ob < 8 && (lcn >> (8 * ob - 1)) != 0)
			ob++;
	}
	out[o++] = (uint8_t)(lb | ob << 4);
	for (i = 0; i < lb; i++)
		out[o++] = (uint8_t)(clusters >> (8 * i));
	for (i = 0; i < ob; i++)
		out[o++] = (uint8_t)(lcn >> (8 * i));
	out[o++] = 0;
	return o;
}

void fz_protect(uint8_t *buf, uint32_t size)
{
	uint32_t usa = ntfsi_le16(buf + 4), count = size / 512u + 1u, i;
	uint16_t seq;

	if ((usa & 1u) || usa < 8u || usa + 2u * count > 510u)
		usa = FZ_USA_OFF;
	st16(buf + 4, (uint16_t)usa);
	st16(buf + 6, (uint16_t)count);
	seq = ntfsi_le16(buf + usa);
	if (seq == 0) {
		seq = 1;
		st16(buf + usa, seq);
	}
	for (i = 1; i < count; i++) {
		uint8_t *tail = buf + i * 512u - 2u;
		buf[usa + 2u * i] = tail[0];
		buf[usa + 2u * i + 1u] = tail[1];
		st16(tail, seq);
	}
}

/* ---- a synthetic volume ------------------------------------------------------------ */

static uint8_t shift_of(uint32_t v)
{
	uint8_t s = 0;
	while ((1u << s) < v)
		s++;
	return s;
}

void fz_syn_init(struct fz_syn *s, uint32_t cluster_size, uint32_t record_size,
                 uint32_t index_block_size)
{
	static const uint8_t si[48];
	uint32_t mft_bytes = FZ_SYN_RECORDS * record_size;
	uint32_t clusters = (mft_bytes + cluster_size - 1u) / cluster_size;
	uint8_t mp[24], *rec0;
	uint32_t mp_len;

	memset(s, 0, sizeof *s);
	s->disk = calloc(1, FZ_SYN_SIZE);
	FZ_CHECK(s->disk != NULL);
	s->cluster_size = cluster_size;
	s->record_size = record_size;
	s->index_block_size = index_block_size;
	rec0 = fz_syn_record(s, 0);
	fz_record_init(rec0, record_size, 1, OD_REC_FLAG_IN_USE, 0);
	FZ_CHECK(fz_record_add_resident(rec0, record_size, NTFS_AT_STANDARD_INFORMATION, NULL, 0,
	                                si, sizeof si));
	mp_len = fz_runlist_one(mp, FZ_SYN_MFT_OFF / cluster_size, clusters);
	FZ_CHECK(fz_record_add_nonresident(rec0, record_size, NTFS_AT_DATA, NULL, 1, 0, 0,
	                                   clusters - 1u, (uint64_t)clusters * cluster_size,
	                                   mft_bytes, mft_bytes, mp, mp_len));
	fz_alloc_init(&s->alloc, FZ_ALLOC_CAP);
	fz_dev_init(&s->dev, s->disk, FZ_SYN_SIZE, FZ_SYN_SIZE, 512);
}

uint8_t *fz_syn_record(struct fz_syn *s, uint32_t recno)
{
	FZ_CHECK(recno < FZ_SYN_RECORDS);
	return s->disk + FZ_SYN_MFT_OFF + (size_t)recno * s->record_size;
}

static int syn_upcase(ntfs_volume *vol)
{
	static const struct ntfsi_upcase_range r[] = {
	        {0x61, 0x7A, 0xFFE0, 1}, {0xE0, 0xF6, 0xFFE0, 1},   {0xF8, 0xFE, 0xFFE0, 1},
	        {0xFF, 0xFF, 0x79, 1},   {0x101, 0x17F, 0xFFFF, 2},
	};
	const uint32_t n = sizeof r / sizeof r[0];

	vol->upcase.ranges = ntfsi_io_alloc(vol, n * sizeof r[0]);
	if (vol->upcase.ranges == NULL)
		return NTFS_ERR_NOMEM;
	memcpy(vol->upcase.ranges, r, sizeof r);
	vol->upcase.count = vol->upcase.cap = n;
	return NTFS_OK;
}

int fz_syn_mount(struct fz_syn *s, uint32_t read_align, ntfs_volume **out)
{
	struct ntfs_config cfg;
	struct ntfsi_boot *b;
	ntfs_volume *vol;
	uint32_t i;
	int err;

	for (i = 0; i < FZ_SYN_RECORDS; i++) {
		uint8_t *r = fz_syn_record(s, i);
		if (!s->raw[i] && memcmp(r, "FILE", 4) == 0)
			fz_protect(r, s->record_size);
	}
	s->dev.align = read_align;
	fz_config(&cfg, &s->dev, &s->alloc);
	vol = fz_alloc(&s->alloc, sizeof *vol);
	if (vol == NULL)
		return NTFS_ERR_NOMEM;
	memset(vol, 0, sizeof *vol);
	vol->cfg = cfg;
	vol->bounce = ntfsi_io_alloc(vol, read_align);
	if (vol->bounce == NULL) {
		ntfs_unmount(vol);
		return NTFS_ERR_NOMEM;
	}
	b = &vol->boot;
	b->sector_size = 512;
	b->cluster_size = s->cluster_size;
	b->cluster_shift = shift_of(s->cluster_size);
	b->record_size = s->record_size;
	b->record_shift = shift_of(s->record_size);
	b->index_block_size = s->index_block_size;
	b->index_block_shift = shift_of(s->index_block_size);
	b->total_sectors = FZ_SYN_SIZE / 512u;
	b->total_clusters = FZ_SYN_SIZE / s->cluster_size;
	b->mft_lcn = FZ_SYN_MFT_OFF / s->cluster_size;
	b->serial = UINT64_C(0x1234567890ABCDEF);
	vol->major = 3;
	vol->minor = 1;
	err = ntfsi_volume_load_mft(vol);
	if (!err)
		err = syn_upcase(vol);
	if (err) {
		ntfs_unmount(vol);
		return err;
	}
	*out = vol;
	return NTFS_OK;
}

void fz_syn_free(struct fz_syn *s)
{
	free(s->disk);
	s->disk = NULL;
}

int fz_file_from_bytes(ntfs_volume *vol, uint64_t recno, const uint8_t *rec, ntfs_file **out)
{
	uint8_t *copy = ntfsi_io_alloc(vol, vol->boot.record_size);

	if (copy == NULL)
		return NTFS_ERR_NOMEM;
	memcpy(copy, rec, vol->boot.record_size);
	return ntfsi_file_from_record(vol, recno, copy, out);
}

/* ---- exercising opened objects ----------------------------------------------------- */

void fz_exercise_stream(ntfs_stream *s, size_t budget)
{
	static uint8_t buf[4096];
	uint64_t size = ntfs_stream_size(s), vcn = 0;
	uint64_t offs[5];
	unsigned i;

	offs[0] = 0;
	offs[1] = size / 2;
	offs[2] = size > sizeof buf ? size - sizeof buf : 0;
	offs[3] = size > 0 ? size - 1 : 0;
	offs[4] = size; /* at the end: 0 bytes */
	for (i = 0; i < 5 && budget > 0; i++) {
		size_t want = budget < sizeof buf ? budget : sizeof buf, got = SIZE_MAX;
		int err = ntfs_stream_read(s, offs[i], buf, want, &got);
		FZ_CHECK_ERR(err);
		if (err == NTFS_OK) {
			uint64_t left = offs[i] < size ? size - offs[i] : 0;
			FZ_CHECK(got == (left < want ? left : want));
		}
		budget -= want;
		if (err == NTFS_ERR_UNSUPPORTED)
			break;
	}
	for (i = 0; i < 64; i++) {
		struct ntfs_run run;
		int r = ntfs_stream_map(s, vcn, &run);
		FZ_CHECK_ERR(r);
		if (r != 1)
			break;
		FZ_CHECK(run.length > 0 && run.vcn <= vcn && vcn - run.vcn < run.length);
		vcn = run.vcn + run.length;
	}
}

static void exercise_attrs(ntfs_file *f)
{
	uint32_t cur = 0;
	unsigned i;

	/* The cursor is an opaque position that only moves forward. */
	for (i = 0; i < 1024; i++) {
		struct ntfs_attr_info info;
		uint16_t name[NTFS_NAME_MAX_UTF16];
		size_t name_len = 0;
		ntfs_stream *s;
		uint32_t before = cur;
		int r = ntfs_attr_next(f, &cur, &info);

		FZ_CHECK_ERR(r);
		if (r == NTFS_ERR_NAME) {
			FZ_CHECK(cur > before);
			continue;
		}
		if (r != 1)
			break;
		FZ_CHECK(cur > before);
		FZ_CHECK(info.name_len < sizeof info.name && info.name[info.name_len] == '\0');
		if (info.lowest_vcn != 0)
			continue;
		if (ntfs_utf8_to_utf16(info.name, info.name_len, name, NTFS_NAME_MAX_UTF16,
		                       &name_len) != NTFS_OK)
			continue;
		r = ntfs_attr_open(f, info.type, name, name_len, &s);
		FZ_CHECK_ERR(r);
		if (r == NTFS_OK) {
			fz_exercise_stream(s, 8192);
			ntfs_stream_close(s);
		}
	}
}

static void exercise_streams(ntfs_file *f)
{
	uint32_t cur = 0;
	unsigned i;

	for (i = 0; i < 64; i++) {
		struct ntfs_stream_info info;
		ntfs_stream *s;
		int r = ntfs_stream_next(f, &cur, &info);

		FZ_CHECK_ERR(r);
		if (r == NTFS_ERR_NAME)
			continue;
		if (r != 1)
			break;
		r = ntfs_stream_open(f, info.name_len ? info.name : NULL, &s);
		FZ_CHECK_ERR(r);
		/* Not checked: ntfs_stream_size(s) == info.size. A corrupt record
		 * may hold two $DATA attributes of one name; both are listed,
		 * the first is opened. */
		if (r == NTFS_OK) {
			fz_exercise_stream(s, 16384);
			ntfs_stream_close(s);
		}
	}
}

static void exercise_dir(ntfs_file *f, unsigned flags, unsigned max_entries)
{
	struct ntfs_dirent ent, found;
	ntfs_dir *d;
	unsigned i, lookups = 0;
	int r = ntfs_dir_open(f, flags, &d);

	FZ_CHECK_ERR(r);
	if (r != NTFS_OK)
		return;
	for (i = 0; i < max_entries; i++) {
		r = ntfs_dir_next(d, &ent);
		FZ_CHECK_ERR(r);
		if (r == NTFS_ERR_NAME)
			continue;
		if (r != 1)
			break;
		FZ_CHECK(ent.name_len < sizeof ent.name && ent.name[ent.name_len] == '\0');
		FZ_CHECK(ent.name16_len > 0);
		/* A name given out is safe to use as a path component. */
		FZ_CHECK(strlen(ent.name) == ent.name_len && strchr(ent.name, '/') == NULL &&
		         strcmp(ent.name, ".") != 0 && strcmp(ent.name, "..") != 0);
		if (lookups++ < 8)
			FZ_CHECK_ERR(ntfs_dir_lookup(f, ent.name, ent.name_len, &found));
	}
	/* After an error other than NAME, the cursor keeps returning it. */
	if (r < 0 && r != NTFS_ERR_NAME)
		FZ_CHECK(ntfs_dir_next(d, &ent) == r);
	ntfs_dir_close(d);
	FZ_CHECK_ERR(ntfs_dir_lookup(f, "a", 1, &found));
	FZ_CHECK_ERR(ntfs_dir_lookup(f, "zzzzzzzz", 8, &found));
}

void fz_exercise_file(ntfs_file *f, unsigned max_entries)
{
	struct ntfs_stat st;

	FZ_CHECK_ERR(ntfs_file_stat(f, &st));
	exercise_attrs(f);
	exercise_streams(f);
	if (max_entries > 0) {
		exercise_dir(f, 0, max_entries);
		exercise_dir(f, NTFS_DIR_DOS_NAMES, max_entries);
	}
}

void fz_walk_tree(ntfs_volume *vol, unsigned max_depth, unsigned max_entries)
{
	struct {
		uint64_t ref;
		unsigned depth;
	} stack[64];
	uint64_t done[64]; /* records already exercised (hard links) */
	unsigned sp = 0, seen = 0, ndone = 0, k;

	stack[sp].ref = NTFS_ROOT_RECORD;
	stack[sp++].depth = 0;
	while (sp > 0 && seen < max_entries) {
		uint64_t ref = stack[--sp].ref;
		unsigned depth = stack[sp].depth, lookups = 0;
		struct ntfs_dirent ent, found;
		ntfs_file *dir;
		ntfs_dir *d;
		int r = ntfs_file_open(vol, ref, &dir);

		FZ_CHECK_ERR(r);
		if (r != NTFS_OK)
			continue;
		r = ntfs_dir_open(dir, depth & 1 ? NTFS_DIR_DOS_NAMES : 0, &d);
		FZ_CHECK_ERR(r);
		while (r == NTFS_OK && seen < max_entries) {
			ntfs_file *child;
			int n = ntfs_dir_next(d, &ent);
			FZ_CHECK_ERR(n);
			if (n == 0 || (n < 0 && n != NTFS_ERR_NAME))
				break;
			seen++;
			if (n == 1 && lookups++ < 4)
				FZ_CHECK_ERR(ntfs_dir_lookup(dir, ent.name, ent.name_len, &found));
			if (NTFS_REF_RECORD(ent.ref) == NTFS_REF_RECORD(ref))
				continue; /* an entry naming its own directory */
			for (k = 0; k < ndone && done[k] != NTFS_REF_RECORD(ent.ref); k++)
				;
			if (k < ndone)
				continue;
			if (ndone < sizeof done / sizeof done[0])
				done[ndone++] = NTFS_REF_RECORD(ent.ref);
			n = ntfs_file_open(vol, ent.ref, &child);
			FZ_CHECK_ERR(n);
			if (n != NTFS_OK)
				continue;
			fz_exercise_file(child, 0);
			ntfs_file_close(child);
			if (ent.is_dir && depth + 1 < max_depth &&
			    sp < sizeof stack / sizeof stack[0]) {
				stack[sp].ref = ent.ref;
				stack[sp++].depth = depth + 1;
			}
		}
		if (r == NTFS_OK)
			ntfs_dir_close(d);
		ntfs_file_close(dir);
	}
}
