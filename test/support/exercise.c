/* SPDX-License-Identifier: BSD-2-Clause */
#include "exercise.h"

#include <string.h>

bool exercise_err_known(int err)
{
	return (err <= NTFS_ERR_IO && err >= NTFS_ERR_STALE) || ntfs_error_is_corrupt(err);
}

void exercise_stream(ntfs_stream *s, size_t budget)
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
		EXERCISE_CHECK_ERR(err);
		if (err == NTFS_OK) {
			uint64_t left = offs[i] < size ? size - offs[i] : 0;
			TS_CHECK(got == (left < want ? left : want));
		}
		budget -= want;
		if (err == NTFS_ERR_UNSUPPORTED)
			break;
	}
	for (i = 0; i < 64; i++) {
		struct ntfs_run run;
		int r = ntfs_stream_map(s, vcn, &run);
		EXERCISE_CHECK_ERR(r);
		if (r != 1)
			break;
		TS_CHECK(run.length > 0 && run.vcn <= vcn && vcn - run.vcn < run.length);
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

		EXERCISE_CHECK_ERR(r);
		if (r == NTFS_ERR_NAME) {
			TS_CHECK(cur > before);
			continue;
		}
		if (r != 1)
			break;
		TS_CHECK(cur > before);
		TS_CHECK(info.name_len < sizeof info.name && info.name[info.name_len] == '\0');
		if (info.lowest_vcn != 0)
			continue;
		if (ntfs_utf8_to_utf16(info.name, info.name_len, name, NTFS_NAME_MAX_UTF16,
		                       &name_len) != NTFS_OK)
			continue;
		r = ntfs_attr_open(f, info.type, name, name_len, &s);
		EXERCISE_CHECK_ERR(r);
		if (r == NTFS_OK) {
			exercise_stream(s, 8192);
			ntfs_stream_close(s);
		}
	}
}

/* @recno: the file's record (UINT64_MAX if unknown). */
static void exercise_names(ntfs_file *f, uint64_t recno)
{
	uint32_t cur = 0;

	for (unsigned i = 0; i < 1024; i++) {
		struct ntfs_name_info info;
		uint32_t before = cur;
		int r = ntfs_name_next(f, &cur, &info);

		EXERCISE_CHECK_ERR(r);
		if (r != 1 && r != NTFS_ERR_NAME)
			break;
		TS_CHECK(cur > before);
		TS_CHECK(info.name16_len > 0 && info.name_len < sizeof info.name &&
		         info.name[info.name_len] == '\0' && strlen(info.name) == info.name_len);
		/* A name given out is safe as a path component (the root's "." aside). */
		TS_CHECK(r != 1 ||
		         (strchr(info.name, '/') == NULL && strcmp(info.name, "..") != 0));
		TS_CHECK(r != 1 || strcmp(info.name, ".") != 0 ||
		         (NTFS_REF_RECORD(info.parent_ref) == NTFS_ROOT_RECORD &&
		          (recno == NTFS_ROOT_RECORD || recno == UINT64_MAX)));
		TS_CHECK(r == 1 || info.name_len == 0);
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

		EXERCISE_CHECK_ERR(r);
		if (r == NTFS_ERR_NAME)
			continue;
		if (r != 1)
			break;
		r = ntfs_stream_open(f, info.name_len ? info.name : NULL, &s);
		EXERCISE_CHECK_ERR(r);
		/* Not checked: ntfs_stream_size(s) == info.size. A corrupt record
		 * may hold two $DATA attributes of one name; both are listed,
		 * the first is opened. */
		if (r == NTFS_OK) {
			exercise_stream(s, 16384);
			ntfs_stream_close(s);
		}
	}
}

#define RESUMES 8

/* What ntfs_dir_next() gave, to compare with what a resumed cursor gives. */
struct seen {
	int r;
	uint64_t ref;
	uint8_t len;
	uint16_t name[NTFS_NAME_MAX_UTF16];
};

static void see(struct seen *s, int r, const struct ntfs_dirent *e)
{
	s->r = r;
	s->ref = e->ref;
	s->len = e->name16_len;
	memcpy(s->name, e->name16, e->name16_len * sizeof e->name16[0]);
}

/* Every position ntfs_dir_tell() gave leads back to the entry that followed. */
static void resume_positions(ntfs_dir *d, const uint64_t *cookie, const bool *told,
                             const struct seen *seen, unsigned n)
{
	struct ntfs_dirent e;

	for (unsigned k = 0; k + 1 < n; k++) {
		int r;
		if (!told[k])
			continue;
		r = ntfs_dir_seek(d, cookie[k]);
		EXERCISE_CHECK_ERR(r);
		if (r != NTFS_OK)
			continue;
		r = ntfs_dir_next(d, &e);
		EXERCISE_CHECK_ERR(r);
		if (r == seen[k + 1].r)
			TS_CHECK(e.ref == seen[k + 1].ref && e.name16_len == seen[k + 1].len &&
			         memcmp(e.name16, seen[k + 1].name,
			                e.name16_len * sizeof e.name16[0]) == 0);
	}
}

static void exercise_dir(ntfs_file *f, unsigned flags, unsigned max_entries)
{
	static struct seen seen[RESUMES + 1];
	struct ntfs_dirent ent, found;
	uint64_t cookie[RESUMES];
	bool told[RESUMES];
	ntfs_dir *d;
	unsigned i, lookups = 0, n = 0;
	int r = ntfs_dir_open(f, flags, &d);

	EXERCISE_CHECK_ERR(r);
	if (r != NTFS_OK)
		return;
	for (i = 0; i < max_entries; i++) {
		r = ntfs_dir_next(d, &ent);
		EXERCISE_CHECK_ERR(r);
		if (r == 1 || r == NTFS_ERR_NAME) {
			if (n < RESUMES) {
				int t = ntfs_dir_tell(d, &cookie[n]);
				EXERCISE_CHECK_ERR(t);
				told[n] = t == NTFS_OK;
				TS_CHECK(!told[n] || cookie[n] != 0);
			}
			if (n < RESUMES + 1)
				see(&seen[n++], r, &ent);
		}
		if (r == NTFS_ERR_NAME)
			continue;
		if (r != 1)
			break;
		TS_CHECK(ent.name_len < sizeof ent.name && ent.name[ent.name_len] == '\0');
		TS_CHECK(ent.name16_len > 0);
		/* A name given out is safe to use as a path component. */
		TS_CHECK(strlen(ent.name) == ent.name_len && strchr(ent.name, '/') == NULL &&
		         strcmp(ent.name, ".") != 0 && strcmp(ent.name, "..") != 0);
		if (lookups++ < 8) {
			EXERCISE_CHECK_ERR(ntfs_dir_lookup(f, ent.name, ent.name_len, &found));
			EXERCISE_CHECK_ERR(ntfs_dir_find(d, ent.name, ent.name_len, &found));
		}
	}
	/* After an error other than NAME, the cursor keeps returning it. */
	if (r < 0 && r != NTFS_ERR_NAME)
		TS_CHECK(ntfs_dir_next(d, &ent) == r);
	/* A seek starts from the root, whatever the lookups did to the cursor. */
	resume_positions(d, cookie, told, seen, n);
	ntfs_dir_close(d);
	EXERCISE_CHECK_ERR(ntfs_dir_lookup(f, "a", 1, &found));
	EXERCISE_CHECK_ERR(ntfs_dir_lookup(f, "zzzzzzzz", 8, &found));
}

/* The security descriptor: a size query, then the whole of it; a
 * descriptor given out is never larger than the cap. */
static void exercise_security(ntfs_file *f)
{
	static uint8_t sd[NTFS_MAX_SECURITY_SIZE];
	size_t len = 0, again = 0;
	int r = ntfs_file_security(f, sd, 64, &len);

	EXERCISE_CHECK_ERR(r);
	TS_CHECK(len <= NTFS_MAX_SECURITY_SIZE);
	if (r == NTFS_ERR_LIMIT && len > 64) {
		r = ntfs_file_security(f, sd, len, &again);
		EXERCISE_CHECK_ERR(r);
		TS_CHECK(r != NTFS_OK || again == len);
	} else {
		TS_CHECK(r != NTFS_OK || len <= 64);
	}
}

void exercise_file(ntfs_file *f, unsigned max_entries)
{
	struct ntfs_stat st;
	int sr = ntfs_file_stat(f, &st);

	EXERCISE_CHECK_ERR(sr);
	exercise_security(f);
	exercise_attrs(f);
	exercise_streams(f);
	exercise_names(f, sr == NTFS_OK ? NTFS_REF_RECORD(st.ref) : UINT64_MAX);
	{
		uint8_t id[NTFS_OBJECT_ID_SIZE];
		size_t len;
		int r = ntfs_file_object_id(f, id, &len);

		EXERCISE_CHECK_ERR(r);
		TS_CHECK(r != NTFS_OK || (len >= 16 && len <= NTFS_OBJECT_ID_SIZE));
	}
	if (max_entries > 0) {
		exercise_dir(f, 0, max_entries);
		exercise_dir(f, NTFS_DIR_DOS_NAMES, max_entries);
	}
}

void exercise_tree(ntfs_volume *vol, unsigned max_depth, unsigned max_entries)
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

		EXERCISE_CHECK_ERR(r);
		if (r != NTFS_OK)
			continue;
		r = ntfs_dir_open(dir, depth & 1 ? NTFS_DIR_DOS_NAMES : 0, &d);
		EXERCISE_CHECK_ERR(r);
		while (r == NTFS_OK && seen < max_entries) {
			ntfs_file *child;
			int n = ntfs_dir_next(d, &ent);
			EXERCISE_CHECK_ERR(n);
			if (n == 0 || (n < 0 && n != NTFS_ERR_NAME))
				break;
			seen++;
			if (n == 1 && lookups++ < 4)
				EXERCISE_CHECK_ERR(
				        ntfs_dir_lookup(dir, ent.name, ent.name_len, &found));
			if (NTFS_REF_RECORD(ent.ref) == NTFS_REF_RECORD(ref))
				continue; /* an entry naming its own directory */
			for (k = 0; k < ndone && done[k] != NTFS_REF_RECORD(ent.ref); k++)
				;
			if (k < ndone)
				continue;
			if (ndone < sizeof done / sizeof done[0])
				done[ndone++] = NTFS_REF_RECORD(ent.ref);
			n = ntfs_file_open(vol, ent.ref, &child);
			EXERCISE_CHECK_ERR(n);
			if (n != NTFS_OK)
				continue;
			exercise_file(child, 0);
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
