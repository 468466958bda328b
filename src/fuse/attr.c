/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attributes: a file's or a named stream's struct stat as ntfs-3g gives
 * it (modes, owners, sizes, times), link targets, and the getattr and
 * readlink operations.
 */
#include "internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

/* The volume cannot change under a read-only mount: cache for a day. */
#define NFUSE_TIMEOUT 86400.0
/* 100 ns units from 1601-01-01 to 1970-01-01. */
#define NTFS_EPOCH_DELTA UINT64_C(116444736000000000)

static struct timespec time_of(uint64_t t)
{
	struct timespec ts;

	if (t >= NTFS_EPOCH_DELTA) {
		uint64_t d = t - NTFS_EPOCH_DELTA;

		ts.tv_sec = (time_t)(d / 10000000u);
		ts.tv_nsec = (long)(d % 10000000u) * 100;
	} else {
		uint64_t d = NTFS_EPOCH_DELTA - t;

		ts.tv_sec = -(time_t)(d / 10000000u);
		ts.tv_nsec = 0;
		if (d % 10000000u != 0) {
			ts.tv_sec -= 1;
			ts.tv_nsec = (long)(10000000u - d % 10000000u) * 100;
		}
	}
	return ts;
}

/* Whether the file's link is an absolute Windows one: a junction, or a
 * symlink without SYMLINK_FLAG_RELATIVE. */
static bool link_absolute(ntfs_file *file)
{
	unsigned char value[NTFS_REPARSE_MAX];
	struct ntfs_reparse rp;
	size_t len;

	if (ntfs_file_reparse(file, value, sizeof(value), &len) != NTFS_OK ||
	    ntfs_reparse_parse(value, len, &rp) != NTFS_OK)
		return false;
	return rp.tag == NTFS_REPARSE_TAG_MOUNT_POINT ||
	       (rp.tag == NTFS_REPARSE_TAG_SYMLINK && !(rp.flags & NTFS_SYMLINK_RELATIVE));
}

/*
 * A link's target as the mount shows it, as ntfs-3g shows it. Relative
 * targets stay as they are. An absolute Windows target the core gives as
 * "X:/path" points into the mount when path exists on this volume, else
 * to MOUNTPOINT/.NTFS-3G/X:/path; any other absolute one (a volume GUID,
 * UNC) to MOUNTPOINT/.NTFS-3G/target without a trailing slash.
 */
static int link_target(struct nfuse *fs, struct nfuse_slot *s, ntfs_file *file, char *out,
                       size_t cap, size_t *len)
{
	char t[NTFS_TARGET_MAX];
	size_t n;
	int err = ntfs_file_readlink(file, t, sizeof(t), &n);
	int w;

	if (err != NTFS_OK)
		return err;
	if (link_absolute(file)) {
		ntfs_file *f;

		if (n >= 3 && t[1] == ':' && t[2] == '/' &&
		    ntfs_path_open(s->vol, t + 3, &f) == NTFS_OK) {
			ntfs_file_close(f);
			w = snprintf(out, cap, "%s/%s", fs->mountpoint, t + 3);
		} else {
			while (n > 1 && t[n - 1] == '/')
				t[--n] = '\0';
			w = snprintf(out, cap, "%s/.NTFS-3G/%s", fs->mountpoint, t);
		}
		if (w < 0 || (size_t)w >= cap)
			return NTFS_ERR_LIMIT;
		*len = (size_t)w;
		return NTFS_OK;
	}
	if (n >= cap)
		return NTFS_ERR_LIMIT;
	memcpy(out, t, n + 1);
	*len = n;
	return NTFS_OK;
}

/* Bytes a sparse or compressed unnamed $DATA really holds on disk (its
 * clusters that are not holes), as ntfs-3g counts st_blocks. */
static uint64_t data_on_disk(struct nfuse_slot *s, ntfs_file *file, uint64_t fallback)
{
	struct ntfs_volume_info info;
	struct ntfs_run run;
	ntfs_stream *stream;
	uint64_t vcn = 0, clusters = 0;
	int r;

	if (ntfs_attr_open(file, NTFS_AT_DATA, NULL, 0, &stream) != NTFS_OK)
		return fallback;
	while ((r = ntfs_stream_map(stream, vcn, &run)) == 1 && run.length != 0) {
		if (run.lcn != NTFS_LCN_HOLE)
			clusters += run.length;
		vcn = run.vcn + run.length;
	}
	ntfs_stream_close(stream);
	if (r < 0 || vcn == 0) /* an error, or resident: the allocated size */
		return fallback;
	ntfs_volume_info(s->vol, &info);
	return clusters * info.cluster_size;
}

/* $I30's allocated bytes and size, as ntfs-3g gives a directory's
 * st_size and st_blocks (0 for a directory whose index fits its record). */
static void dir_index_size(ntfs_file *file, uint64_t *size, uint64_t *alloc)
{
	struct ntfs_attr_info ai;
	uint32_t cur = 0;
	int r;

	*size = *alloc = 0;
	while ((r = ntfs_attr_next(file, &cur, &ai)) != 0) {
		if (r < 0 && r != NTFS_ERR_NAME)
			return;
		if (r == 1 && ai.type == NTFS_AT_INDEX_ALLOCATION && !ai.resident &&
		    ai.lowest_vcn == 0 && strcmp(ai.name, "$I30") == 0) {
			*size = ai.size;
			*alloc = ai.allocated_size;
			return;
		}
	}
}

/* Records below this are NTFS's own ($MFT ... $Extend and reserved). */
#define NFUSE_FIRST_USER_RECORD 16u

/* DOS names never reach here (the cursor skips them); NTFS's own files
 * ($MFT, $Extend...) stay out unless show_sys_files; hidden files with
 * hide_hid_files. */
bool nfuse_attr_hidden(const struct nfuse *fs, const struct ntfs_dirent *ent)
{
	if (!fs->opts.show_sys_files && NTFS_REF_RECORD(ent->ref) < NFUSE_FIRST_USER_RECORD &&
	    ent->name[0] == '$')
		return true;
	if (fs->opts.hide_hid_files && (ent->attributes & NTFS_FILE_ATTR_HIDDEN))
		return true;
	return false;
}

int nfuse_attr_parent(ntfs_file *file, uint64_t *parent_rec)
{
	struct ntfs_name_info *ni = malloc(sizeof(*ni));
	uint32_t cur = 0;
	int r;

	if (ni == NULL)
		return NTFS_ERR_NOMEM;
	r = ntfs_name_next(file, &cur, ni);
	if (r == 1 || r == NTFS_ERR_NAME)
		*parent_rec = NTFS_REF_RECORD(ni->parent_ref);
	free(ni);
	if (r == 0)
		return NTFS_ERR_NOT_FOUND;
	return r < 0 && r != NTFS_ERR_NAME ? r : NTFS_OK;
}

/* Whether a directory entry is shown as a directory: a directory with a
 * reparse point is one unless it reads as a link (a junction, say). */
static bool shown_as_dir(struct nfuse_slot *s, const struct ntfs_dirent *ent)
{
	struct ntfs_stat st;
	ntfs_file *f;
	bool dir;

	if (!ent->is_dir || !(ent->attributes & NTFS_FILE_ATTR_REPARSE))
		return ent->is_dir;
	if (ntfs_file_open(s->vol, NTFS_REF_RECORD(ent->ref), &f) != NTFS_OK)
		return false;
	dir = ntfs_file_stat(f, &st) == NTFS_OK && st.type == NTFS_TYPE_DIR;
	ntfs_file_close(f);
	return dir;
}

/* posix_nlink: a directory's link count as POSIX has it, 2 + the
 * subdirectories its listing shows (find(1) skips the rest of a directory
 * once it has seen that many); a file's, one per name but DOS names. */
static int posix_nlink(const struct nfuse *fs, struct nfuse_slot *s, ntfs_file *file, bool dir,
                       nlink_t *out)
{
	nlink_t n = dir ? 2 : 0;
	int r;

	if (dir) {
		struct ntfs_dirent *ent = malloc(sizeof(*ent));
		ntfs_dir *cur = NULL;

		r = ent == NULL ? NTFS_ERR_NOMEM : ntfs_dir_open(file, 0, &cur);
		while (r == NTFS_OK && (r = ntfs_dir_next(cur, ent)) != 0) {
			if (r == 1 && !nfuse_attr_hidden(fs, ent) && shown_as_dir(s, ent))
				n++;
			if (r == 1 || r == NTFS_ERR_NAME)
				r = NTFS_OK;
		}
		ntfs_dir_close(cur);
		free(ent);
	} else {
		struct ntfs_name_info *ni = malloc(sizeof(*ni));
		uint32_t pos = 0;

		r = ni == NULL ? NTFS_ERR_NOMEM : NTFS_OK;
		while (r == NTFS_OK && (r = ntfs_name_next(file, &pos, ni)) != 0) {
			if ((r == 1 || r == NTFS_ERR_NAME) && ni->name_space != NTFS_NAMESPACE_DOS)
				n++;
			if (r == 1 || r == NTFS_ERR_NAME)
				r = NTFS_OK;
		}
		free(ni);
	}
	*out = n;
	return r;
}

/* The attributes of record rec, open as file; links: count them as
 * posix_nlink asks (a stream's node does not). */
static int stat_file(struct nfuse *fs, struct nfuse_slot *s, ntfs_file *file, uint64_t rec,
                     struct stat *out, uint64_t *ref, bool links)
{
	const struct nfuse_options *o = &fs->opts;
	struct ntfs_stat st;
	mode_t type, perm;
	uint64_t size, alloc;
	int err = ntfs_file_stat(file, &st);

	if (err != NTFS_OK)
		return err;
	memset(out, 0, sizeof(*out));
	*ref = st.ref;
	size = st.size;
	alloc = st.allocated_size;
	switch (st.type) {
	case NTFS_TYPE_DIR:
		type = S_IFDIR;
		dir_index_size(file, &size, &alloc);
		break;
	case NTFS_TYPE_SYMLINK: {
		char t[NTFS_TARGET_MAX + PATH_MAX];
		size_t n;

		type = S_IFLNK;
		if (link_target(fs, s, file, t, sizeof(t), &n) == NTFS_OK)
			size = n;
		break;
	}
	case NTFS_TYPE_FIFO:
		type = S_IFIFO;
		break;
	case NTFS_TYPE_SOCKET:
		type = S_IFSOCK;
		break;
	case NTFS_TYPE_CHAR:
		type = S_IFCHR;
		break;
	case NTFS_TYPE_BLOCK:
		type = S_IFBLK;
		break;
	default:
		type = S_IFREG;
		if (st.attributes & (NTFS_FILE_ATTR_SPARSE | NTFS_FILE_ATTR_COMPRESSED))
			alloc = data_on_disk(s, file, alloc);
		break;
	}
	if (type == S_IFLNK)
		perm = 0777;
	else if (!o->masks_set && (st.wsl & NTFS_WSL_MODE))
		perm = st.mode & 07777;
	else
		perm = 0777 & ~(type == S_IFDIR ? o->dmask : o->fmask);
	out->st_mode = type | perm;
	out->st_ino = (ino_t)rec;
	out->st_nlink = type == S_IFDIR ? 1 : st.link_count;
	if (o->posix_nlink && links) {
		nlink_t n;

		/* A directory whose index is broken still has attributes: then
		 * the plain count (only a failing device or memory fails). */
		err = posix_nlink(fs, s, file, type == S_IFDIR, &n);
		if (err == NTFS_ERR_IO || err == NTFS_ERR_NOMEM)
			return err;
		if (err == NTFS_OK)
			out->st_nlink = n;
	}
	out->st_uid = !o->uid_set && (st.wsl & NTFS_WSL_UID) ? (uid_t)st.uid : o->uid;
	out->st_gid = !o->gid_set && (st.wsl & NTFS_WSL_GID) ? (gid_t)st.gid : o->gid;
	if (type == S_IFCHR || type == S_IFBLK)
		out->st_rdev = makedev((unsigned)st.rdev_major, (unsigned)st.rdev_minor);
	out->st_size = (off_t)size;
	out->st_blocks = (blkcnt_t)((alloc + 511) / 512);
	out->st_blksize = 4096;
	out->st_atim = time_of(st.access_time);
	out->st_mtim = time_of(st.modification_time);
	out->st_ctim = time_of(st.mft_change_time);
	return NTFS_OK;
}

int nfuse_attr_stat(struct nfuse *fs, struct nfuse_slot *s, uint64_t rec, struct stat *out,
                    uint64_t *ref)
{
	ntfs_file *file;
	int err = ntfs_file_open(s->vol, rec, &file);

	if (err != NTFS_OK)
		return err;
	err = stat_file(fs, s, file, rec, out, ref, true);
	ntfs_file_close(file);
	return err;
}

int nfuse_attr_named_stream(ntfs_file *file, const char *name, unsigned *k,
                            struct ntfs_stream_info *si)
{
	uint32_t cur = 0;
	unsigned n = 0;
	int r;

	while ((r = ntfs_stream_next(file, &cur, si)) != 0) {
		if (r == NTFS_ERR_NAME)
			continue;
		if (r < 0)
			return r;
		if (si->name_len == 0)
			continue;
		if (++n > NFUSE_NODE_STREAMS_MAX)
			return NTFS_ERR_LIMIT;
		if (name != NULL ? strcmp(si->name, name) == 0 : n == *k) {
			*k = n;
			return NTFS_OK;
		}
	}
	return NTFS_ERR_NOT_FOUND;
}

/* Attributes of the node of a named stream (streams_interface=windows):
 * its file's owner, times and inode number, a regular file of the
 * stream's size. */
int nfuse_attr_stat_stream(struct nfuse *fs, struct nfuse_slot *s, uint64_t rec, unsigned k,
                           struct stat *out, uint64_t *ref)
{
	struct ntfs_stream_info *si = malloc(sizeof(*si));
	ntfs_file *file;
	int err = si == NULL ? NTFS_ERR_NOMEM : ntfs_file_open(s->vol, rec, &file);

	if (err == NTFS_OK) {
		err = stat_file(fs, s, file, rec, out, ref, false);
		if (err == NTFS_OK)
			err = nfuse_attr_named_stream(file, NULL, &k, si);
		ntfs_file_close(file);
	}
	if (err == NTFS_OK) {
		out->st_mode = S_IFREG | (0777 & ~fs->opts.fmask);
		out->st_nlink = 1;
		out->st_size = (off_t)si->size;
		out->st_blocks = (blkcnt_t)((si->allocated_size + 511) / 512);
		out->st_rdev = 0;
	}
	free(si);
	return err;
}

void nfuse_attr_entry(struct fuse_entry_param *e, uint64_t rec, uint64_t ref)
{
	e->ino = nfuse_node_of(rec);
	e->generation = NTFS_REF_SEQUENCE(ref);
	e->attr_timeout = NFUSE_TIMEOUT;
	e->entry_timeout = NFUSE_TIMEOUT;
}

void nfuse_attr_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct nfuse_slot *s = nfuse_slot_get(fs);
	struct stat st;
	uint64_t ref;
	int err;

	(void)fi;
	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	if (nfuse_stream_of(ino) != 0)
		err = nfuse_attr_stat_stream(fs, s, nfuse_rec_of(ino), nfuse_stream_of(ino), &st,
		                             &ref);
	else
		err = nfuse_attr_stat(fs, s, nfuse_rec_of(ino), &st, &ref);
	if (err == NTFS_OK)
		fuse_reply_attr(req, &st, NFUSE_TIMEOUT);
	else
		fuse_reply_err(req, nfuse_errno(err));
	nfuse_slot_put(s);
}

void nfuse_attr_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct nfuse_slot *s = nfuse_slot_get(fs);
	ntfs_file *file;
	char *t;
	size_t n;
	int err;

	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	t = (char *)nfuse_slot_buf(s, NTFS_TARGET_MAX + PATH_MAX);
	err = t == NULL ? NTFS_ERR_NOMEM : NTFS_OK;
	if (err == NTFS_OK && nfuse_stream_of(ino) != 0)
		err = NTFS_ERR_NOT_FOUND; /* a stream is no link: EINVAL */
	if (err == NTFS_OK)
		err = ntfs_file_open(s->vol, nfuse_rec_of(ino), &file);
	if (err == NTFS_OK) {
		err = link_target(fs, s, file, t, NTFS_TARGET_MAX + PATH_MAX, &n);
		ntfs_file_close(file);
	}
	if (err == NTFS_OK)
		fuse_reply_readlink(req, t);
	else
		fuse_reply_err(req, err == NTFS_ERR_NOT_FOUND ? EINVAL : nfuse_errno(err));
	nfuse_slot_put(s);
}
