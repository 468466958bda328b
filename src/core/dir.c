/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Directories: $I30 index entries as directory entries, and name lookup
 * by descending the B+tree.
 */
#include "internal.h"

#define FN_FLAG_DIRECTORY 0x10000000u /* "has an $I30 index" in $FILE_NAME */

struct ntfs_dir {
	struct ntfsi_index idx;
	uint64_t recno; /* the directory's own record */
	unsigned flags;
};

int ntfs_dir_open(ntfs_file *dir, unsigned flags, ntfs_dir **out)
{
	ntfs_dir *d = ntfsi_alloc(dir->vol, sizeof *d);
	int err;

	if (d == NULL)
		return NTFS_ERR_NOMEM;
	err = ntfsi_index_open(dir, &d->idx);
	if (err) {
		ntfsi_free(dir->vol, d, sizeof *d);
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
	ntfsi_free(vol, d, sizeof *d);
}

/* A name a file can have on a POSIX host: no NUL or '/', not "." or "..".
 * No NTFS namespace allows others; a disk that has them is hostile, and
 * handing them out would truncate C strings or walk out of a directory. */
static bool name_ok(const uint16_t *name, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (name[i] == 0 || name[i] == '/')
			return false;
	return !(n == 1 && name[0] == '.') && !(n == 2 && name[0] == '.' && name[1] == '.');
}

/* Fill @ent from a validated index entry; NTFS_ERR_NAME if the name is not
 * valid UTF-16 or not a name_ok() one (everything else is filled in). */
static int fill_dirent(const struct ntfsi_index_entry *e, struct ntfs_dirent *ent)
{
	const uint8_t *fn = e->key;
	uint32_t flags = ntfsi_le32(fn + NTFSI_FN_FLAGS);
	uint8_t i, n = fn[NTFSI_FN_NAME_LEN];

	ent->ref = e->ref;
	ent->parent_ref = ntfsi_le64(fn + NTFSI_FN_PARENT);
	ent->creation_time = ntfsi_le64(fn + NTFSI_FN_CTIME);
	ent->modification_time = ntfsi_le64(fn + NTFSI_FN_MTIME);
	ent->mft_change_time = ntfsi_le64(fn + NTFSI_FN_MFTTIME);
	ent->access_time = ntfsi_le64(fn + NTFSI_FN_ATIME);
	ent->allocated_size = ntfsi_le64(fn + NTFSI_FN_ALLOC);
	ent->size = ntfsi_le64(fn + NTFSI_FN_SIZE);
	ent->attributes = flags;
	ent->name_space = fn[NTFSI_FN_NAMESPACE];
	ent->is_dir = (flags & FN_FLAG_DIRECTORY) != 0;
	ent->name16_len = n;
	for (i = 0; i < n; i++)
		ent->name16[i] = ntfsi_le16(fn + NTFSI_FN_NAME + 2 * i);
	ent->name_len = 0;
	ent->name[0] = '\0';
	if (!name_ok(ent->name16, n))
		return NTFS_ERR_NAME;
	/* 255 units need at most NTFS_NAME_MAX_UTF8 bytes: LIMIT cannot occur. */
	return ntfs_utf16_to_utf8(ent->name16, n, ent->name, sizeof ent->name, &ent->name_len);
}

int ntfs_dir_next(ntfs_dir *d, struct ntfs_dirent *ent)
{
	struct ntfsi_index_entry e;
	int r;

	while ((r = ntfsi_index_next(&d->idx, &e)) == 1) {
		if (e.key[NTFSI_FN_NAMESPACE] == NTFS_NAMESPACE_DOS &&
		    !(d->flags & NTFS_DIR_DOS_NAMES))
			continue;
		/* The root indexes itself as "."; it is no child of its own. */
		if (d->recno == NTFS_ROOT_RECORD && NTFS_REF_RECORD(e.ref) == NTFS_ROOT_RECORD &&
		    e.key[NTFSI_FN_NAME_LEN] == 1 && ntfsi_le16(e.key + NTFSI_FN_NAME) == '.')
			continue;
		r = fill_dirent(&e, ent);
		return r == NTFS_OK ? 1 : r;
	}
	return r;
}

int ntfs_dir_lookup(ntfs_file *dir, const char *name, size_t name_len, struct ntfs_dirent *ent)
{
	/* The cursor and key live on the heap: path walks in firmware run on
	 * small stacks. */
	struct lookup {
		struct ntfsi_index idx;
		uint16_t key[NTFS_NAME_MAX_UTF16];
	} * l;
	struct ntfsi_index_entry e;
	size_t key_len;
	bool found = false;
	int err, r = 0;

	l = ntfsi_alloc(dir->vol, sizeof *l);
	if (l == NULL)
		return NTFS_ERR_NOMEM;
	err = ntfs_utf8_to_utf16(name, name_len, l->key, NTFS_NAME_MAX_UTF16, &key_len);
	if (err) {
		ntfsi_free(dir->vol, l, sizeof *l);
		return NTFS_ERR_NAME;
	}
	if (key_len != 0 && !name_ok(l->key, key_len)) {
		ntfsi_free(dir->vol, l, sizeof *l);
		return NTFS_ERR_NAME;
	}
	err = key_len == 0 ? NTFS_ERR_NOT_FOUND : ntfsi_index_open(dir, &l->idx);
	if (err) {
		ntfsi_free(dir->vol, l, sizeof *l);
		return err;
	}
	err = ntfsi_index_seek(&l->idx, l->key, key_len);
	/* Names equal but for case are adjacent: prefer the exact one. */
	while (err == NTFS_OK && (r = ntfsi_index_next(&l->idx, &e)) == 1) {
		const uint8_t *fn = e.key + NTFSI_FN_NAME;
		uint8_t n = e.key[NTFSI_FN_NAME_LEN];
		if (ntfsi_collate_name(dir->vol, fn, n, l->key, key_len) != 0)
			break;
		/* A forged $UpCase can make a bad name collate equal to the key:
		 * only entries ntfs_dir_next() would give out are found. */
		/* The exact name is the key, which passed name_ok(): it fills. */
		if (ntfsi_name_equal_le(fn, n, l->key, key_len)) {
			if (fill_dirent(&e, ent) == NTFS_OK)
				found = true;
			break;
		}
		if (!found)
			found = fill_dirent(&e, ent) == NTFS_OK;
	}
	if (err == NTFS_OK && r < 0)
		err = r;
	ntfsi_index_close(&l->idx);
	ntfsi_free(dir->vol, l, sizeof *l);
	if (err)
		return err;
	return found ? NTFS_OK : NTFS_ERR_NOT_FOUND;
}
