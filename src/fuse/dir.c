/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Directories: lookup and listings.
 *
 * Directory offsets. 1 follows ".", 2 follows "..", and the core's
 * directory cookie c (nonzero, a position in the B+tree) is offset c + 2,
 * so a listing resumes with one walk down the tree.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void nfuse_dir_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct nfuse_slot *s = nfuse_slot_get(fs);
	struct fuse_entry_param e;
	struct ntfs_dirent *ent;
	const char *colon = NULL;
	ntfs_file *dir;
	uint64_t rec, ref;
	size_t base_len;
	int err;

	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	/* streams_interface=windows: "FILE:STREAM" names a named stream. */
	if (fs->opts.streams == NFUSE_STREAMS_WINDOWS && name[0] != ':')
		colon = strchr(name, ':');
	base_len = colon != NULL ? (size_t)(colon - name) : strlen(name);
	ent = malloc(sizeof(*ent));
	err = ent == NULL ? NTFS_ERR_NOMEM : NTFS_OK;
	if (err == NTFS_OK && nfuse_stream_of(parent) != 0)
		err = NTFS_ERR_NOT_DIR;
	if (err == NTFS_OK)
		err = ntfs_file_open(s->vol, nfuse_rec_of(parent), &dir);
	if (err == NTFS_OK && fs->locase != NULL) {
		/* ignore_case: as lowntfs-3g, the first name equal without case. */
		ntfs_dir *cur;

		err = ntfs_dir_open(dir, NTFS_DIR_IGNORE_CASE, &cur);
		if (err == NTFS_OK) {
			err = ntfs_dir_find(cur, name, base_len, ent);
			ntfs_dir_close(cur);
		}
		ntfs_file_close(dir);
	} else if (err == NTFS_OK) {
		err = ntfs_dir_lookup(dir, name, base_len, ent);
		ntfs_file_close(dir);
		/* As ntfs-3g: names match exactly. The core matches without
		 * case, an exact match first: another case is none. */
		if (err == NTFS_OK &&
		    (strlen(ent->name) != base_len || memcmp(ent->name, name, base_len)))
			err = NTFS_ERR_NOT_FOUND;
	}
	memset(&e, 0, sizeof(e));
	if (err == NTFS_OK && colon != NULL) {
		struct ntfs_stream_info *si = malloc(sizeof(*si));
		ntfs_file *file = NULL;
		unsigned k = 0;

		rec = NTFS_REF_RECORD(ent->ref);
		err = si == NULL ? NTFS_ERR_NOMEM : ntfs_file_open(s->vol, rec, &file);
		if (err == NTFS_OK)
			err = nfuse_attr_named_stream(file, colon + 1, &k, si);
		ntfs_file_close(file);
		free(si);
		if (err == NTFS_OK && rec > NFUSE_NODE_REC_MASK - 1)
			err = NTFS_ERR_LIMIT;
		if (err == NTFS_OK)
			err = nfuse_attr_stat_stream(fs, s, rec, k, &e.attr, &ref);
		if (err == NTFS_OK) {
			nfuse_attr_entry(&e, rec, ref);
			e.ino |= (fuse_ino_t)k << NFUSE_NODE_STREAM_SHIFT;
		}
	} else if (err == NTFS_OK) {
		rec = NTFS_REF_RECORD(ent->ref);
		err = nfuse_attr_stat(fs, s, rec, &e.attr, &ref);
		if (err == NTFS_OK)
			nfuse_attr_entry(&e, rec, ref);
	}
	free(ent);
	if (err == NTFS_OK)
		fuse_reply_entry(req, &e);
	else
		fuse_reply_err(req, nfuse_errno(err));
	nfuse_slot_put(s);
}

void nfuse_dir_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct nfuse_slot *s = nfuse_slot_get(fs);
	ntfs_file *file;
	ntfs_dir *cur;
	int err;

	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	err = nfuse_stream_of(ino) != 0 ? NTFS_ERR_NOT_DIR
	                                : ntfs_file_open(s->vol, nfuse_rec_of(ino), &file);
	if (err == NTFS_OK) {
		err = ntfs_dir_open(file, 0, &cur);
		if (err == NTFS_OK)
			ntfs_dir_close(cur);
		ntfs_file_close(file);
	}
	nfuse_slot_put(s);
	if (err != NTFS_OK) {
		fuse_reply_err(req, nfuse_errno(err));
		return;
	}
	fi->keep_cache = 1;
	fi->cache_readdir = 1;
	fuse_reply_open(req, fi);
}

/* ignore_case: list the name in lower case, as lowntfs-3g does, with the
 * file a lookup of that name finds (of names equal without case, the first
 * in the index, also when it is a DOS name or hidden): every spelling
 * shows the one file. A name a hostile $UpCase makes unlistable so is
 * listed as stored. */
static void lower_entry(const struct nfuse *fs, ntfs_dir *look, struct ntfs_dirent *ent,
                        struct ntfs_dirent *found)
{
	uint16_t low[NTFS_NAME_MAX_UTF16];
	char name[NTFS_NAME_MAX_UTF8];
	size_t n;

	for (unsigned i = 0; i < ent->name16_len; i++)
		low[i] = fs->locase[ent->name16[i]];
	if (ntfs_utf16_to_utf8(low, ent->name16_len, name, sizeof(name), &n) != NTFS_OK ||
	    ntfs_dir_find(look, name, n, found) != NTFS_OK)
		return;
	memcpy(ent->name16, low, 2u * ent->name16_len);
	memcpy(ent->name, name, n + 1);
	ent->name_len = n;
	ent->ref = found->ref;
	ent->is_dir = found->is_dir;
	ent->attributes = found->attributes;
}

static void do_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, bool plus)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct nfuse_slot *s = nfuse_slot_get(fs);
	uint64_t rec = nfuse_rec_of(ino), cookie, parent = 0;
	struct ntfs_dirent *ent = NULL, *found = NULL;
	struct fuse_entry_param e;
	ntfs_file *file = NULL;
	ntfs_dir *cur = NULL, *look = NULL;
	char *buf = NULL;
	size_t pos = 0, need;
	int err, r;

	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	buf = malloc(size);
	ent = malloc(sizeof(*ent));
	if (fs->locase != NULL)
		found = malloc(sizeof(*found));
	err = buf == NULL || ent == NULL || (fs->locase != NULL && found == NULL) ? NTFS_ERR_NOMEM
	                                                                          : NTFS_OK;
	if (err == NTFS_OK && off < 0)
		err = NTFS_ERR_INVALID;
	if (err == NTFS_OK && nfuse_stream_of(ino) != 0)
		err = NTFS_ERR_NOT_DIR;
	if (err == NTFS_OK)
		err = ntfs_file_open(s->vol, rec, &file);
	if (err == NTFS_OK)
		err = ntfs_dir_open(file, 0, &cur);
	if (err == NTFS_OK && fs->locase != NULL)
		err = ntfs_dir_open(file, NTFS_DIR_IGNORE_CASE, &look);
	if (err == NTFS_OK && off > 2)
		err = ntfs_dir_seek(cur, (uint64_t)off - 2);
	if (err != NTFS_OK)
		goto out;
	/* A directory without a name ($FILE_NAME) still lists: itself. */
	if (off < 2 && nfuse_attr_parent(file, &parent) != NTFS_OK)
		parent = rec;
	/* "." and ".." carry no lookup (node 0): the kernel links neither. */
	for (off_t dot = off; dot < 2; dot++) {
		const char *name = dot == 0 ? "." : "..";

		memset(&e, 0, sizeof(e));
		e.attr.st_ino = (ino_t)(dot == 0 ? rec : parent);
		e.attr.st_mode = S_IFDIR;
		if (plus)
			need = fuse_add_direntry_plus(req, buf + pos, size - pos, name, &e,
			                              dot + 1);
		else
			need = fuse_add_direntry(req, buf + pos, size - pos, name, &e.attr,
			                         dot + 1);
		if (need > size - pos)
			goto out;
		pos += need;
	}
	for (;;) {
		r = ntfs_dir_next(cur, ent);
		if (r == 0)
			break;
		if (r == NTFS_ERR_NAME)
			continue; /* not valid UTF-16: no name to give the kernel */
		if (r < 0) {
			err = r;
			break;
		}
		if (nfuse_attr_hidden(fs, ent))
			continue;
		if (look != NULL)
			lower_entry(fs, look, ent, found);
		err = ntfs_dir_tell(cur, &cookie);
		if (err == NTFS_OK && cookie > (uint64_t)INT64_MAX - 2)
			err = NTFS_ERR_LIMIT;
		if (err != NTFS_OK)
			break;
		memset(&e, 0, sizeof(e));
		if (plus) {
			uint64_t erec = NTFS_REF_RECORD(ent->ref), ref;

			if (nfuse_attr_stat(fs, s, erec, &e.attr, &ref) == NTFS_OK) {
				nfuse_attr_entry(&e, erec, ref);
			} else {
				/* No attributes: the kernel looks the name up itself. */
				e.attr.st_ino = (ino_t)erec;
			}
			need = fuse_add_direntry_plus(req, buf + pos, size - pos, ent->name, &e,
			                              (off_t)(cookie + 2));
		} else {
			e.attr.st_ino = (ino_t)NTFS_REF_RECORD(ent->ref);
			if (ent->is_dir)
				e.attr.st_mode = S_IFDIR;
			else if ((ent->attributes &
			          (NTFS_FILE_ATTR_REPARSE | NTFS_FILE_ATTR_SYSTEM)) == 0)
				e.attr.st_mode = S_IFREG;
			need = fuse_add_direntry(req, buf + pos, size - pos, ent->name, &e.attr,
			                         (off_t)(cookie + 2));
		}
		if (need > size - pos)
			break;
		pos += need;
	}
out:
	ntfs_dir_close(look);
	ntfs_dir_close(cur);
	ntfs_file_close(file);
	/* An error after some entries: give those; the next call reports it. */
	if (err != NTFS_OK && pos == 0)
		fuse_reply_err(req, nfuse_errno(err));
	else
		fuse_reply_buf(req, buf, pos);
	nfuse_slot_put(s);
	free(found);
	free(ent);
	free(buf);
}

void nfuse_dir_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                       struct fuse_file_info *fi)
{
	(void)fi;
	do_readdir(req, ino, size, off, false);
}

void nfuse_dir_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                           struct fuse_file_info *fi)
{
	(void)fi;
	do_readdir(req, ino, size, off, true);
}

void nfuse_dir_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	fuse_reply_err(req, 0);
}
