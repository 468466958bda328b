/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Directories: $I30 index entries as directory entries, name lookup by
 * descending the B+tree, and positions a listing can be resumed from.
 */
#include "ntfs/ntfs.h"

#include "collate.h"
#include "dir.h"
#include "file.h"
#include "filename.h"
#include "index.h"
#include "io.h"
#include "name.h"
#include "volume.h"

struct ntfs_dir {
	struct ntfsi_index idx;
	uint64_t recno; /* the directory's own record */
	unsigned flags;
};

/* A name being looked up: host-order units and the $FILE_NAME search key.
 * On the heap: path walks in firmware run on small stacks. */
struct lookup_key {
	uint16_t name[NTFS_NAME_MAX_UTF16];
	size_t len;
	uint8_t key[NTFSI_FILENAME_MAX];
};

/* ntfs_dir_lookup()'s state, on the heap for the same reason. */
struct lookup {
	struct ntfsi_index idx;
	struct lookup_key k;
};

size_t ntfsi_dir_lookup_bytes(void)
{
	return sizeof(struct lookup);
}

/* An index that is not there means the file is not a directory. */
static int open_i30(ntfs_file *dir, struct ntfsi_index *idx)
{
	int err = ntfsi_index_open(dir, &ntfsi_index_i30, idx);
	return err == NTFS_ERR_NOT_FOUND ? NTFS_ERR_NOT_DIR : err;
}

int ntfs_dir_open(ntfs_file *dir, unsigned flags, ntfs_dir **out)
{
	ntfs_dir *d = ntfsi_io_alloc(dir->vol, sizeof *d);
	int err;

	if (d == NULL)
		return NTFS_ERR_NOMEM;
	err = open_i30(dir, &d->idx);
	if (err) {
		ntfsi_io_free(dir->vol, d, sizeof *d);
		return err;
	}
	d->recno = dir->recno;
	d->flags = flags;
	*out = d;
	return NTFS_OK;
}

void ntfs_dir_close(ntfs_dir *d)
{
	ntfs_volume *vol;

	if (d == NULL)
		return;
	vol = d->idx.vol;
	ntfsi_index_close(&d->idx);
	ntfsi_io_free(vol, d, sizeof *d);
}

/* Fill @ent from a validated index entry; NTFS_ERR_NAME if the name is not
 * valid UTF-16 or not an ntfsi_name_ok() one, checked as the units are copied
 * (everything else is filled in). */
static int fill_dirent(const struct ntfsi_index_entry *e, struct ntfs_dirent *ent)
{
	bool bad = false, ascii = true;
	uint8_t i, n;
	const uint8_t *name = ntfsi_filename_name(e->key, &n);

	ent->ref = e->ref;
	ntfsi_filename_dirent(e->key, ent);
	/* Names are nearly always ASCII: their UTF-8 is made in the same pass
	 * (name holds NTFS_NAME_MAX_UTF8 >= 255 bytes). */
	for (i = 0; i < n; i++) {
		uint16_t u = ntfsi_le16(name + 2 * i);

		ent->name16[i] = u;
		ent->name[i] = (char)u;
		bad |= u == 0 || u == '/';
		ascii &= u < 0x80;
	}
	ent->name_len = ascii ? n : 0;
	ent->name[ent->name_len] = '\0';
	if (bad || ntfsi_name_dot(ent->name16, n)) {
		ent->name_len = 0;
		ent->name[0] = '\0';
		return NTFS_ERR_NAME;
	}
	if (ascii)
		return NTFS_OK;
	/* 255 units need at most NTFS_NAME_MAX_UTF8 bytes: LIMIT cannot occur. */
	return ntfs_utf16_to_utf8(ent->name16, n, ent->name, sizeof ent->name, &ent->name_len);
}

int ntfs_dir_next(ntfs_dir *d, struct ntfs_dirent *ent)
{
	struct ntfsi_index_entry e;
	int r;

	while ((r = ntfsi_index_next(&d->idx, &e)) == 1) {
		uint8_t n;
		const uint8_t *name = ntfsi_filename_name(e.key, &n);

		if (ntfsi_filename_space(e.key) == NTFS_NAMESPACE_DOS &&
		    !(d->flags & NTFS_DIR_DOS_NAMES))
			continue;
		/* The root indexes itself as "."; it is no child of its own. */
		if (d->recno == NTFS_ROOT_RECORD && NTFS_REF_RECORD(e.ref) == NTFS_ROOT_RECORD &&
		    n == 1 && ntfsi_le16(name) == '.')
			continue;
		r = fill_dirent(&e, ent);
		return r == NTFS_OK ? 1 : r;
	}
	return r;
}

int ntfs_dir_tell(const ntfs_dir *d, uint64_t *cookie)
{
	return ntfsi_index_tell(&d->idx, cookie);
}

int ntfs_dir_seek(ntfs_dir *d, uint64_t cookie)
{
	return ntfsi_index_resume(&d->idx, cookie);
}

/* Turn the caller's name into a search key: NTFS_ERR_NAME if it is not
 * UTF-8 or no file may have it; NTFS_ERR_NOT_FOUND for "". */
static int make_key(struct lookup_key *k, const char *name, size_t name_len)
{
	if (ntfs_utf8_to_utf16(name, name_len, k->name, NTFS_NAME_MAX_UTF16, &k->len) != NTFS_OK)
		return NTFS_ERR_NAME;
	if (k->len == 0)
		return NTFS_ERR_NOT_FOUND;
	if (!ntfsi_name_ok(k->name, k->len))
		return NTFS_ERR_NAME;
	ntfsi_filename_key(k->key, k->name, (uint8_t)k->len);
	return NTFS_OK;
}

/* Find key @k in open index @idx: the exact name, or with @first the
 * first name equal without case. */
static int find(struct ntfsi_index *idx, const struct lookup_key *k, bool first,
                struct ntfs_dirent *ent)
{
	const uint32_t key_len = NTFSI_FILENAME_HEADER + 2u * (uint32_t)k->len;
	struct ntfsi_index_entry e;
	bool found = false;
	int err, r = 0;

	err = ntfsi_index_seek(idx, k->key, key_len);
	/* Names equal but for case are adjacent: prefer the exact one. */
	while (err == NTFS_OK && (r = ntfsi_index_next(idx, &e)) == 1) {
		if (ntfsi_collate_file_name(&idx->vol->upcase, false, e.key, e.key_len, k->key,
		                            key_len) != 0)
			break;
		/* A forged $UpCase can make a bad name collate equal to the key:
		 * only entries ntfs_dir_next() would give out are found. The
		 * exact name is the key, which passed ntfsi_name_ok(): it fills. */
		{
			uint8_t n;
			const uint8_t *fn = ntfsi_filename_name(e.key, &n);
			if (ntfsi_name_equal_le(fn, n, k->name, k->len)) {
				if (fill_dirent(&e, ent) == NTFS_OK)
					found = true;
				break;
			}
		}
		if (!found)
			found = fill_dirent(&e, ent) == NTFS_OK;
		if (found && first)
			break;
	}
	if (err == NTFS_OK && r < 0)
		err = r;
	if (err)
		return err;
	return found ? NTFS_OK : NTFS_ERR_NOT_FOUND;
}

int ntfs_dir_lookup(ntfs_file *dir, const char *name, size_t name_len, struct ntfs_dirent *ent)
{
	struct lookup *l;
	int err;

	l = ntfsi_io_alloc(dir->vol, sizeof *l);
	if (l == NULL)
		return NTFS_ERR_NOMEM;
	err = make_key(&l->k, name, name_len);
	if (err == NTFS_OK) {
		err = open_i30(dir, &l->idx);
		if (err == NTFS_OK) {
			err = find(&l->idx, &l->k, false, ent);
			ntfsi_index_close(&l->idx);
		}
	}
	ntfsi_io_free(dir->vol, l, sizeof *l);
	return err;
}

int ntfs_dir_find(ntfs_dir *d, const char *name, size_t name_len, struct ntfs_dirent *ent)
{
	struct lookup_key *k = ntfsi_io_alloc(d->idx.vol, sizeof *k);
	int err;

	if (k == NULL)
		return NTFS_ERR_NOMEM;
	err = make_key(k, name, name_len);
	if (err == NTFS_OK)
		err = find(&d->idx, k, (d->flags & NTFS_DIR_IGNORE_CASE) != 0, ent);
	ntfsi_io_free(d->idx.vol, k, sizeof *k);
	return err;
}
