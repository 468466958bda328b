/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FUSE adapter: libfuse3's low-level API over the core.
 *
 * Threads. The core allows one thread per volume handle, so the adapter
 * keeps a pool of up to NFUSE_SLOTS handles, each a mounted volume with
 * its own block cache over the one shared O_RDONLY descriptor, guarded by
 * a mutex of its own. A request takes a slot (the one its thread used
 * last if it is free, else any free one, else a new one while there are
 * fewer than NFUSE_SLOTS, else it waits for its own), does its work and
 * replies with the slot held, then lets it go. Nothing of the core ever
 * leaves a slot: inode numbers are MFT record numbers, file handles carry
 * nothing, and each request opens what it needs by record number in the
 * slot it holds. A slot keeps the file and stream it read last open, so a
 * sequential read costs no record parse per request.
 *
 * Inodes. FUSE's node id 1 is the root: record 5 and node 1 swap places,
 * and since node 0 is invalid every other record r is node r + 1 (record
 * 0, $MFT, is node 6, which record 5 left free). st_ino is the record
 * number. Nodes hold no state, so forget has nothing to release.
 *
 * Directory offsets. 1 follows ".", 2 follows "..", and the core's
 * directory cookie c (nonzero, a position in the B+tree) is offset c + 2,
 * so a listing resumes with one walk down the tree.
 */
#define FUSE_USE_VERSION 312 /* fuse_loop_cfg_*() and the loop that takes them */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* makedev() via sys/sysmacros.h, pread() */
#endif
#define _FILE_OFFSET_BITS 64

#include "ntfs_fuse.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <ntfs/cache.h>
#include <ntfs/ntfs.h>

/* Volume handles at most; also the most worker threads libfuse starts. */
#define NFUSE_SLOTS 16
/* Block cache of each handle: 48 blocks of 4 KiB, as the POSIX adapter. */
#define NFUSE_CACHE_SLOTS 48u
#define NFUSE_CACHE_BLOCK 4096u
/* The volume cannot change under a read-only mount: cache for a day. */
#define NFUSE_TIMEOUT 86400.0
/* Largest value getxattr hands out (the kernel's XATTR_SIZE_MAX). */
#define NFUSE_XATTR_MAX 65536u
/* Records below this are NTFS's own ($MFT ... $Extend and reserved). */
#define NFUSE_FIRST_USER_RECORD 16u
/* 100 ns units from 1601-01-01 to 1970-01-01. */
#define NTFS_EPOCH_DELTA UINT64_C(116444736000000000)

struct slot {
	pthread_mutex_t lock;
	ntfs_volume *vol;
	struct ntfs_cache cache;
	void *cache_mem;
	/* The file and stream the slot read last, kept open; file_rec is
	 * UINT64_MAX when none. */
	uint64_t file_rec;
	ntfs_file *file;
	ntfs_stream *stream;
	/* Read buffer, grown to the largest read asked. */
	unsigned char *buf;
	size_t buf_cap;
};

struct nfuse {
	struct nfuse_source src;
	struct nfuse_options opts;
	char *mountpoint; /* absolute: symlink targets point into it */
	struct slot slots[NFUSE_SLOTS];
	atomic_int nslots;
	pthread_mutex_t grow;
	pthread_mutex_t statfs_lock;
	bool free_known;
	uint64_t free_clusters;
};

static _Thread_local int nfuse_pref = -1;

/* ---- inode numbers ---------------------------------------------------- */

/* With streams_interface=windows, node bits 48-63 name a file's named
 * stream: k for its k-th (1-based, in ntfs_stream_next() order). */
#define NODE_STREAM_SHIFT 48
#define NODE_REC_MASK ((UINT64_C(1) << NODE_STREAM_SHIFT) - 1)
#define NODE_STREAMS_MAX 0xFFFFu

static unsigned stream_of(fuse_ino_t node)
{
	return (unsigned)((uint64_t)node >> NODE_STREAM_SHIFT);
}

static fuse_ino_t node_of(uint64_t rec)
{
	if (rec == NTFS_ROOT_RECORD)
		return FUSE_ROOT_ID;
	if (rec == 0)
		return NTFS_ROOT_RECORD + 1;
	return (fuse_ino_t)rec + 1;
}

static uint64_t rec_of(fuse_ino_t node)
{
	node &= NODE_REC_MASK;
	if (node == FUSE_ROOT_ID)
		return NTFS_ROOT_RECORD;
	if (node == NTFS_ROOT_RECORD + 1)
		return 0;
	return (uint64_t)node - 1;
}

/* ---- errors ------------------------------------------------------------ */

static int errno_of(int err)
{
	switch (err) {
	case NTFS_OK:
		return 0;
	case NTFS_ERR_NOMEM:
		return ENOMEM;
	case NTFS_ERR_UNSUPPORTED:
		return EOPNOTSUPP;
	case NTFS_ERR_NOT_FOUND:
		return ENOENT;
	case NTFS_ERR_NOT_DIR:
		return ENOTDIR;
	case NTFS_ERR_IS_DIR:
		return EISDIR;
	case NTFS_ERR_INVALID:
		return EINVAL;
	case NTFS_ERR_NAME:
		return ENOENT;
	case NTFS_ERR_STALE:
		return ESTALE;
	case NTFS_ERR_LIMIT:
		return E2BIG;
	default:
		return EIO; /* I/O and every corrupt code */
	}
}

/* ---- the volume handles ------------------------------------------------ */

static int src_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
	const struct nfuse_source *s = ctx;
	unsigned char *p = buf;
	uint64_t pos;

	if (offset > s->size || len > s->size - offset)
		return -1;
	pos = s->offset + offset;
	if (pos > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - pos)
		return -1;
	while (len > 0) {
		ssize_t n = pread(s->fd, p, len, (off_t)pos);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		pos += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static void *heap_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size != 0 ? size : 1);
}

static void heap_free(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	(void)size;
	free(ptr);
}

static void slot_forget_file(struct slot *s)
{
	ntfs_stream_close(s->stream);
	ntfs_file_close(s->file);
	s->stream = NULL;
	s->file = NULL;
	s->file_rec = UINT64_MAX;
}

static void slot_close(struct slot *s)
{
	slot_forget_file(s);
	ntfs_unmount(s->vol);
	s->vol = NULL;
	free(s->cache_mem);
	s->cache_mem = NULL;
	free(s->buf);
	s->buf = NULL;
	s->buf_cap = 0;
}

static int slot_open(struct nfuse *fs, struct slot *s)
{
	uint32_t block =
	        fs->src.read_align > NFUSE_CACHE_BLOCK ? fs->src.read_align : NFUSE_CACHE_BLOCK;
	size_t size = ntfs_cache_mem_size(NFUSE_CACHE_SLOTS, block);
	struct ntfs_config cfg;
	int err;

	s->file_rec = UINT64_MAX;
	s->cache_mem = size != 0 ? malloc(size) : NULL;
	if (s->cache_mem == NULL)
		return NTFS_ERR_NOMEM;
	err = ntfs_cache_init(&s->cache, s->cache_mem, size, block, src_read, &fs->src,
	                      fs->src.read_align);
	if (err == NTFS_OK) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.read = ntfs_cache_read;
		cfg.read_ctx = &s->cache;
		cfg.alloc = heap_alloc;
		cfg.free = heap_free;
		cfg.read_align = fs->src.read_align;
		cfg.volume_size = fs->src.size;
		err = ntfs_mount(&cfg, &s->vol);
	}
	if (err != NTFS_OK) {
		free(s->cache_mem);
		s->cache_mem = NULL;
		s->vol = NULL;
	}
	return err;
}

/* Take a volume handle for this request; NULL if none could be mounted. */
static struct slot *slot_get(struct nfuse *fs)
{
	int n = atomic_load(&fs->nslots), i;
	struct slot *s;

	if (nfuse_pref >= 0 && nfuse_pref < n &&
	    pthread_mutex_trylock(&fs->slots[nfuse_pref].lock) == 0)
		return &fs->slots[nfuse_pref];
	for (i = 0; i < n; i++) {
		if (pthread_mutex_trylock(&fs->slots[i].lock) == 0) {
			nfuse_pref = i;
			return &fs->slots[i];
		}
	}
	pthread_mutex_lock(&fs->grow);
	n = atomic_load(&fs->nslots);
	if (n < NFUSE_SLOTS) {
		s = &fs->slots[n];
		if (slot_open(fs, s) != NTFS_OK) {
			pthread_mutex_unlock(&fs->grow);
			return NULL;
		}
		pthread_mutex_lock(&s->lock);
		atomic_store(&fs->nslots, n + 1);
		pthread_mutex_unlock(&fs->grow);
		nfuse_pref = n;
		return s;
	}
	pthread_mutex_unlock(&fs->grow);
	if (nfuse_pref < 0 || nfuse_pref >= n)
		nfuse_pref = (int)((uintptr_t)pthread_self() % (uintptr_t)n);
	pthread_mutex_lock(&fs->slots[nfuse_pref].lock);
	return &fs->slots[nfuse_pref];
}

static void slot_put(struct slot *s)
{
	pthread_mutex_unlock(&s->lock);
}

/* A buffer of at least len bytes, owned by the slot. */
static unsigned char *slot_buf(struct slot *s, size_t len)
{
	if (len > s->buf_cap) {
		unsigned char *b = realloc(s->buf, len);

		if (b == NULL)
			return NULL;
		s->buf = b;
		s->buf_cap = len;
	}
	return s->buf;
}

/* ---- attributes -------------------------------------------------------- */

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
static int link_target(struct nfuse *fs, struct slot *s, ntfs_file *file, char *out, size_t cap,
                       size_t *len)
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
static uint64_t data_on_disk(struct slot *s, ntfs_file *file, uint64_t fallback)
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

static int stat_file(struct nfuse *fs, struct slot *s, ntfs_file *file, uint64_t rec,
                     struct stat *out, uint64_t *ref)
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

static int stat_rec(struct nfuse *fs, struct slot *s, uint64_t rec, struct stat *out, uint64_t *ref)
{
	ntfs_file *file;
	int err = ntfs_file_open(s->vol, rec, &file);

	if (err != NTFS_OK)
		return err;
	err = stat_file(fs, s, file, rec, out, ref);
	ntfs_file_close(file);
	return err;
}

/* The k-th (1-based) named stream of file, or the one called name when
 * name is not NULL (then *k is set). */
static int named_stream(ntfs_file *file, const char *name, unsigned *k, struct ntfs_stream_info *si)
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
		if (++n > NODE_STREAMS_MAX)
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
static int stat_stream(struct nfuse *fs, struct slot *s, uint64_t rec, unsigned k, struct stat *out,
                       uint64_t *ref)
{
	struct ntfs_stream_info *si = malloc(sizeof(*si));
	ntfs_file *file;
	int err = si == NULL ? NTFS_ERR_NOMEM : ntfs_file_open(s->vol, rec, &file);

	if (err == NTFS_OK) {
		err = stat_file(fs, s, file, rec, out, ref);
		if (err == NTFS_OK)
			err = named_stream(file, NULL, &k, si);
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

static void fill_entry(struct fuse_entry_param *e, uint64_t rec, uint64_t ref)
{
	e->ino = node_of(rec);
	e->generation = NTFS_REF_SEQUENCE(ref);
	e->attr_timeout = NFUSE_TIMEOUT;
	e->entry_timeout = NFUSE_TIMEOUT;
}

/* ---- operations -------------------------------------------------------- */

static void op_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	if (conn->capable & FUSE_CAP_READDIRPLUS)
		conn->want |= FUSE_CAP_READDIRPLUS;
	conn->want &= ~(unsigned)FUSE_CAP_WRITEBACK_CACHE;
}

static void op_destroy(void *userdata)
{
	struct nfuse *fs = userdata;
	int n = atomic_load(&fs->nslots);

	/* NTFS_STATS: what the session cost, as the other tools report it
	 * (seen in the foreground, -f). */
	if (getenv("NTFS_STATS") != NULL) {
		for (int i = 0; i < n; i++) {
			const struct ntfs_cache_stats *cs = &fs->slots[i].cache.stats;

			fprintf(stderr,
			        "ntfs-mount: stats: handle %d: cache %llu hits, %llu misses, %llu "
			        "blocks read ahead\n",
			        i, (unsigned long long)cs->hits, (unsigned long long)cs->misses,
			        (unsigned long long)cs->readahead);
		}
		fprintf(stderr, "ntfs-mount: stats: %d volume handles\n", n);
	}
	for (int i = 0; i < n; i++)
		slot_close(&fs->slots[i]);
	atomic_store(&fs->nslots, 0);
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct slot *s = slot_get(fs);
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
	if (err == NTFS_OK && stream_of(parent) != 0)
		err = NTFS_ERR_NOT_DIR;
	if (err == NTFS_OK)
		err = ntfs_file_open(s->vol, rec_of(parent), &dir);
	if (err == NTFS_OK) {
		err = ntfs_dir_lookup(dir, name, base_len, ent);
		ntfs_file_close(dir);
	}
	/* As ntfs-3g (without ignore_case): names match exactly. The core
	 * matches without case, an exact match first: another case is none. */
	if (err == NTFS_OK && (strlen(ent->name) != base_len || memcmp(ent->name, name, base_len)))
		err = NTFS_ERR_NOT_FOUND;
	memset(&e, 0, sizeof(e));
	if (err == NTFS_OK && colon != NULL) {
		struct ntfs_stream_info *si = malloc(sizeof(*si));
		ntfs_file *file = NULL;
		unsigned k = 0;

		rec = NTFS_REF_RECORD(ent->ref);
		err = si == NULL ? NTFS_ERR_NOMEM : ntfs_file_open(s->vol, rec, &file);
		if (err == NTFS_OK)
			err = named_stream(file, colon + 1, &k, si);
		ntfs_file_close(file);
		free(si);
		if (err == NTFS_OK && rec > NODE_REC_MASK - 1)
			err = NTFS_ERR_LIMIT;
		if (err == NTFS_OK)
			err = stat_stream(fs, s, rec, k, &e.attr, &ref);
		if (err == NTFS_OK) {
			fill_entry(&e, rec, ref);
			e.ino |= (fuse_ino_t)k << NODE_STREAM_SHIFT;
		}
	} else if (err == NTFS_OK) {
		rec = NTFS_REF_RECORD(ent->ref);
		err = stat_rec(fs, s, rec, &e.attr, &ref);
		if (err == NTFS_OK)
			fill_entry(&e, rec, ref);
	}
	free(ent);
	if (err == NTFS_OK)
		fuse_reply_entry(req, &e);
	else
		fuse_reply_err(req, errno_of(err));
	slot_put(s);
}

static void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	/* Nodes hold no state: there is nothing to release. */
	(void)ino;
	(void)nlookup;
	fuse_reply_none(req);
}

static void op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	(void)count;
	(void)forgets;
	fuse_reply_none(req);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct slot *s = slot_get(fs);
	struct stat st;
	uint64_t ref;
	int err;

	(void)fi;
	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	if (stream_of(ino) != 0)
		err = stat_stream(fs, s, rec_of(ino), stream_of(ino), &st, &ref);
	else
		err = stat_rec(fs, s, rec_of(ino), &st, &ref);
	if (err == NTFS_OK)
		fuse_reply_attr(req, &st, NFUSE_TIMEOUT);
	else
		fuse_reply_err(req, errno_of(err));
	slot_put(s);
}

static void op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct slot *s = slot_get(fs);
	ntfs_file *file;
	char *t;
	size_t n;
	int err;

	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	t = (char *)slot_buf(s, NTFS_TARGET_MAX + PATH_MAX);
	err = t == NULL ? NTFS_ERR_NOMEM : NTFS_OK;
	if (err == NTFS_OK && stream_of(ino) != 0)
		err = NTFS_ERR_NOT_FOUND; /* a stream is no link: EINVAL */
	if (err == NTFS_OK)
		err = ntfs_file_open(s->vol, rec_of(ino), &file);
	if (err == NTFS_OK) {
		err = link_target(fs, s, file, t, NTFS_TARGET_MAX + PATH_MAX, &n);
		ntfs_file_close(file);
	}
	if (err == NTFS_OK)
		fuse_reply_readlink(req, t);
	else
		fuse_reply_err(req, err == NTFS_ERR_NOT_FOUND ? EINVAL : errno_of(err));
	slot_put(s);
}

/* The slot's open stream for node (a file's unnamed stream, or with
 * streams_interface=windows a named one), opening it if need be. */
static int slot_stream(struct slot *s, fuse_ino_t node, ntfs_stream **out)
{
	int err;

	if (s->file_rec != node) {
		struct ntfs_stream_info *si = NULL;
		unsigned k = stream_of(node);

		slot_forget_file(s);
		err = ntfs_file_open(s->vol, rec_of(node), &s->file);
		if (err != NTFS_OK) {
			s->file = NULL;
			return err;
		}
		if (k != 0) {
			si = malloc(sizeof(*si));
			err = si == NULL ? NTFS_ERR_NOMEM : named_stream(s->file, NULL, &k, si);
		}
		if (err == NTFS_OK)
			err = ntfs_stream_open(s->file, si != NULL ? si->name : NULL, &s->stream);
		free(si);
		if (err != NTFS_OK) {
			s->stream = NULL;
			slot_forget_file(s);
			return err;
		}
		s->file_rec = node;
	}
	*out = s->stream;
	return NTFS_OK;
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct slot *s;
	ntfs_stream *stream;
	int err;

	if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & (O_TRUNC | O_CREAT)) != 0) {
		fuse_reply_err(req, EROFS);
		return;
	}
	s = slot_get(fs);
	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	err = slot_stream(s, ino, &stream);
	slot_put(s);
	if (err != NTFS_OK) {
		fuse_reply_err(req, errno_of(err));
		return;
	}
	fi->keep_cache = 1;
	fi->noflush = 1;
	fuse_reply_open(req, fi);
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                    struct fuse_file_info *fi)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct slot *s = slot_get(fs);
	ntfs_stream *stream;
	unsigned char *buf;
	size_t n = 0;
	int err;

	(void)fi;
	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	buf = slot_buf(s, size);
	err = buf == NULL ? NTFS_ERR_NOMEM : slot_stream(s, ino, &stream);
	if (err == NTFS_OK && off < 0)
		err = NTFS_ERR_INVALID;
	if (err == NTFS_OK)
		err = ntfs_stream_read(stream, (uint64_t)off, buf, size, &n);
	if (err == NTFS_OK)
		fuse_reply_buf(req, (const char *)buf, n);
	else
		fuse_reply_err(req, errno_of(err));
	slot_put(s);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	fuse_reply_err(req, 0);
}

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct slot *s = slot_get(fs);
	ntfs_file *file;
	ntfs_dir *cur;
	int err;

	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	err = stream_of(ino) != 0 ? NTFS_ERR_NOT_DIR : ntfs_file_open(s->vol, rec_of(ino), &file);
	if (err == NTFS_OK) {
		err = ntfs_dir_open(file, 0, &cur);
		if (err == NTFS_OK)
			ntfs_dir_close(cur);
		ntfs_file_close(file);
	}
	slot_put(s);
	if (err != NTFS_OK) {
		fuse_reply_err(req, errno_of(err));
		return;
	}
	fi->keep_cache = 1;
	fi->cache_readdir = 1;
	fuse_reply_open(req, fi);
}

/* Whether a directory entry stays out of listings: DOS names never reach
 * here (the cursor skips them); NTFS's own files ($MFT, $Extend...) unless
 * show_sys_files; hidden files with hide_hid_files. */
static bool entry_hidden(const struct nfuse *fs, const struct ntfs_dirent *ent)
{
	if (!fs->opts.show_sys_files && NTFS_REF_RECORD(ent->ref) < NFUSE_FIRST_USER_RECORD &&
	    ent->name[0] == '$')
		return true;
	if (fs->opts.hide_hid_files && (ent->attributes & NTFS_FILE_ATTR_HIDDEN))
		return true;
	return false;
}

static void do_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, bool plus)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct slot *s = slot_get(fs);
	uint64_t rec = rec_of(ino), cookie;
	struct ntfs_dirent *ent = NULL;
	struct fuse_entry_param e;
	ntfs_file *file = NULL;
	ntfs_dir *cur = NULL;
	char *buf = NULL;
	size_t pos = 0, need;
	int err, r;

	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	buf = malloc(size);
	ent = malloc(sizeof(*ent));
	err = buf == NULL || ent == NULL ? NTFS_ERR_NOMEM : NTFS_OK;
	if (err == NTFS_OK && off < 0)
		err = NTFS_ERR_INVALID;
	if (err == NTFS_OK && stream_of(ino) != 0)
		err = NTFS_ERR_NOT_DIR;
	if (err == NTFS_OK)
		err = ntfs_file_open(s->vol, rec, &file);
	if (err == NTFS_OK)
		err = ntfs_dir_open(file, 0, &cur);
	if (err == NTFS_OK && off > 2)
		err = ntfs_dir_seek(cur, (uint64_t)off - 2);
	if (err != NTFS_OK)
		goto out;
	/* "." and ".." carry no lookup (node 0): the kernel links neither. */
	for (off_t dot = off; dot < 2; dot++) {
		const char *name = dot == 0 ? "." : "..";

		memset(&e, 0, sizeof(e));
		e.attr.st_ino = (ino_t)rec;
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
		if (entry_hidden(fs, ent))
			continue;
		err = ntfs_dir_tell(cur, &cookie);
		if (err == NTFS_OK && cookie > (uint64_t)INT64_MAX - 2)
			err = NTFS_ERR_LIMIT;
		if (err != NTFS_OK)
			break;
		memset(&e, 0, sizeof(e));
		if (plus) {
			uint64_t erec = NTFS_REF_RECORD(ent->ref), ref;

			if (stat_rec(fs, s, erec, &e.attr, &ref) == NTFS_OK) {
				fill_entry(&e, erec, ref);
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
	ntfs_dir_close(cur);
	ntfs_file_close(file);
	/* An error after some entries: give those; the next call reports it. */
	if (err != NTFS_OK && pos == 0)
		fuse_reply_err(req, errno_of(err));
	else
		fuse_reply_buf(req, buf, pos);
	slot_put(s);
	free(ent);
	free(buf);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                       struct fuse_file_info *fi)
{
	(void)fi;
	do_readdir(req, ino, size, off, false);
}

static void op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                           struct fuse_file_info *fi)
{
	(void)fi;
	do_readdir(req, ino, size, off, true);
}

static void op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	fuse_reply_err(req, 0);
}

static void op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct ntfs_volume_info info;
	struct statvfs sv;
	struct slot *s;
	int err = NTFS_OK;

	(void)ino;
	s = slot_get(fs);
	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	ntfs_volume_info(s->vol, &info);
	pthread_mutex_lock(&fs->statfs_lock);
	if (!fs->free_known) {
		err = ntfs_volume_free_clusters(s->vol, &fs->free_clusters);
		fs->free_known = err == NTFS_OK;
	}
	memset(&sv, 0, sizeof(sv));
	sv.f_bsize = info.cluster_size;
	sv.f_frsize = info.cluster_size;
	sv.f_blocks = (fsblkcnt_t)info.total_clusters;
	sv.f_bfree = (fsblkcnt_t)fs->free_clusters;
	sv.f_bavail = (fsblkcnt_t)fs->free_clusters;
	sv.f_files = (fsfilcnt_t)info.mft_records;
	sv.f_namemax = NTFS_NAME_MAX_UTF16;
	sv.f_flag = ST_RDONLY;
	pthread_mutex_unlock(&fs->statfs_lock);
	slot_put(s);
	if (err != NTFS_OK)
		fuse_reply_err(req, errno_of(err));
	else
		fuse_reply_statfs(req, &sv);
}

/* ---- extended attributes ------------------------------------------------ */

static void put_le(unsigned char *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put_be(unsigned char *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[n - 1 - i] = (unsigned char)(v >> (8 * i));
}

/* Read a whole stream into buf (cap bytes); *len its size. */
static int read_whole(ntfs_stream *stream, unsigned char *buf, size_t cap, size_t *len)
{
	uint64_t size = ntfs_stream_size(stream);
	size_t n;
	int err;

	if (size > cap)
		return NTFS_ERR_LIMIT;
	err = ntfs_stream_read(stream, 0, buf, (size_t)size, &n);
	if (err == NTFS_OK)
		*len = n;
	return err;
}

static int read_attr(ntfs_file *file, uint32_t type, unsigned char *buf, size_t cap, size_t *len)
{
	ntfs_stream *stream;
	int err = ntfs_attr_open(file, type, NULL, 0, &stream);

	if (err != NTFS_OK)
		return err;
	err = read_whole(stream, buf, cap, len);
	ntfs_stream_close(stream);
	return err;
}

/*
 * The value of extended attribute NAME, in buf (NFUSE_XATTR_MAX bytes).
 * Returns 0 or an errno.
 */
static int xattr_value(struct nfuse *fs, ntfs_file *file, const char *name, unsigned char *buf,
                       size_t *len)
{
	struct ntfs_stat st;
	int err;
	bool be;

	if (strncmp(name, "user.", 5) == 0) {
		ntfs_stream *stream;

		if (fs->opts.streams != NFUSE_STREAMS_XATTR || name[5] == '\0')
			return ENODATA;
		err = ntfs_stream_open(file, name + 5, &stream);
		if (err == NTFS_ERR_NOT_FOUND || err == NTFS_ERR_NAME)
			return ENODATA;
		if (err != NTFS_OK)
			return errno_of(err);
		err = read_whole(stream, buf, NFUSE_XATTR_MAX, len);
		ntfs_stream_close(stream);
		return err == NTFS_ERR_LIMIT ? E2BIG : errno_of(err);
	}
	if (strncmp(name, "system.ntfs_", 12) != 0)
		return ENODATA;
	name += 12;
	be = strlen(name) > 3 && strcmp(name + strlen(name) - 3, "_be") == 0;
	if (strcmp(name, "attrib") == 0 || strcmp(name, "attrib_be") == 0 ||
	    strcmp(name, "times") == 0 || strcmp(name, "times_be") == 0 ||
	    strcmp(name, "crtime") == 0 || strcmp(name, "crtime_be") == 0) {
		void (*put)(unsigned char *, uint64_t, unsigned) = be ? put_be : put_le;

		err = ntfs_file_stat(file, &st);
		if (err != NTFS_OK)
			return errno_of(err);
		if (name[0] == 'a') {
			/* As ntfs-3g: a directory has FILE_ATTRIBUTE_DIRECTORY. */
			put(buf, st.attributes | (st.is_dir ? NTFS_FILE_ATTR_DIRECTORY : 0), 4);
			*len = 4;
		} else if (name[0] == 'c') {
			put(buf, st.creation_time, 8);
			*len = 8;
		} else {
			put(buf, st.creation_time, 8);
			put(buf + 8, st.modification_time, 8);
			put(buf + 16, st.access_time, 8);
			put(buf + 24, st.mft_change_time, 8);
			*len = 32;
		}
		return 0;
	}
	if (strcmp(name, "reparse_data") == 0)
		err = ntfs_file_reparse(file, buf, NFUSE_XATTR_MAX, len);
	else if (strcmp(name, "acl") == 0)
		err = ntfs_file_security(file, buf, NFUSE_XATTR_MAX, len);
	else if (strcmp(name, "ea") == 0)
		err = read_attr(file, NTFS_AT_EA, buf, NFUSE_XATTR_MAX, len);
	else if (strcmp(name, "object_id") == 0)
		err = read_attr(file, NTFS_AT_OBJECT_ID, buf, NFUSE_XATTR_MAX, len);
	else
		return ENODATA;
	if (err == NTFS_ERR_NOT_FOUND)
		return ENODATA;
	if (err == NTFS_ERR_LIMIT)
		return E2BIG;
	return errno_of(err);
}

static void reply_sized(fuse_req_t req, const void *data, size_t len, size_t size)
{
	if (size == 0)
		fuse_reply_xattr(req, len);
	else if (len > size)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, data, len);
}

static void op_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct slot *s;
	unsigned char *buf;
	ntfs_file *file;
	size_t len = 0;
	int e;

	/* ls -l asks every file for security.selinux and POSIX ACLs: answer
	 * names we never have without opening anything. */
	if ((strncmp(name, "user.", 5) != 0 && strncmp(name, "system.ntfs_", 12) != 0) ||
	    stream_of(ino) != 0) {
		fuse_reply_err(req, ENODATA);
		return;
	}
	s = slot_get(fs);
	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	buf = slot_buf(s, NFUSE_XATTR_MAX);
	e = buf == NULL ? ENOMEM : errno_of(ntfs_file_open(s->vol, rec_of(ino), &file));
	if (e == 0) {
		e = xattr_value(fs, file, name, buf, &len);
		ntfs_file_close(file);
	}
	if (e == 0)
		reply_sized(req, buf, len, size);
	else
		fuse_reply_err(req, e);
	slot_put(s);
}

static void op_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct slot *s = slot_get(fs);
	struct ntfs_stream_info *si;
	unsigned char *buf;
	ntfs_file *file;
	uint32_t cur = 0;
	size_t len = 0;
	int err, r;

	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	buf = slot_buf(s, NFUSE_XATTR_MAX);
	si = malloc(sizeof(*si));
	err = buf == NULL || si == NULL ? NTFS_ERR_NOMEM
	                                : ntfs_file_open(s->vol, rec_of(ino), &file);
	if (err == NTFS_OK) {
		/* A stream's own node (streams_interface=windows) has none. */
		while (fs->opts.streams == NFUSE_STREAMS_XATTR && stream_of(ino) == 0 &&
		       (r = ntfs_stream_next(file, &cur, si)) != 0) {
			if (r == NTFS_ERR_NAME)
				continue;
			if (r < 0) {
				err = r;
				break;
			}
			if (si->name_len == 0)
				continue;
			if (len + 5 + si->name_len + 1 > NFUSE_XATTR_MAX) {
				err = NTFS_ERR_LIMIT;
				break;
			}
			memcpy(buf + len, "user.", 5);
			memcpy(buf + len + 5, si->name, si->name_len + 1);
			len += 5 + si->name_len + 1;
		}
		ntfs_file_close(file);
	}
	free(si);
	if (err == NTFS_OK)
		reply_sized(req, buf, len, size);
	else
		fuse_reply_err(req, err == NTFS_ERR_LIMIT ? E2BIG : errno_of(err));
	slot_put(s);
}

/* ---- everything that would write: EROFS --------------------------------- */

static void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
                       struct fuse_file_info *fi)
{
	(void)ino;
	(void)attr;
	(void)to_set;
	(void)fi;
	fuse_reply_err(req, EROFS);
}

static void op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev)
{
	(void)parent;
	(void)name;
	(void)mode;
	(void)rdev;
	fuse_reply_err(req, EROFS);
}

static void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	(void)parent;
	(void)name;
	(void)mode;
	fuse_reply_err(req, EROFS);
}

static void op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	(void)parent;
	(void)name;
	fuse_reply_err(req, EROFS);
}

static void op_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{
	(void)link;
	(void)parent;
	(void)name;
	fuse_reply_err(req, EROFS);
}

static void op_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
                      const char *newname, unsigned int flags)
{
	(void)parent;
	(void)name;
	(void)newparent;
	(void)newname;
	(void)flags;
	fuse_reply_err(req, EROFS);
}

static void op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname)
{
	(void)ino;
	(void)newparent;
	(void)newname;
	fuse_reply_err(req, EROFS);
}

static void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
                     struct fuse_file_info *fi)
{
	(void)ino;
	(void)buf;
	(void)size;
	(void)off;
	(void)fi;
	fuse_reply_err(req, EROFS);
}

static void op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
                      struct fuse_file_info *fi)
{
	(void)parent;
	(void)name;
	(void)mode;
	(void)fi;
	fuse_reply_err(req, EROFS);
}

static void op_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value,
                        size_t size, int flags)
{
	(void)ino;
	(void)name;
	(void)value;
	(void)size;
	(void)flags;
	fuse_reply_err(req, EROFS);
}

static void op_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	(void)ino;
	(void)name;
	fuse_reply_err(req, EROFS);
}

static void op_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t offset, off_t length,
                         struct fuse_file_info *fi)
{
	(void)ino;
	(void)mode;
	(void)offset;
	(void)length;
	(void)fi;
	fuse_reply_err(req, EROFS);
}

static void op_copy_file_range(fuse_req_t req, fuse_ino_t ino_in, off_t off_in,
                               struct fuse_file_info *fi_in, fuse_ino_t ino_out, off_t off_out,
                               struct fuse_file_info *fi_out, size_t len, int flags)
{
	(void)ino_in;
	(void)off_in;
	(void)fi_in;
	(void)ino_out;
	(void)off_out;
	(void)fi_out;
	(void)len;
	(void)flags;
	fuse_reply_err(req, EROFS);
}

static const struct fuse_lowlevel_ops nfuse_ops = {
        .init = op_init,
        .destroy = op_destroy,
        .lookup = op_lookup,
        .forget = op_forget,
        .forget_multi = op_forget_multi,
        .getattr = op_getattr,
        .readlink = op_readlink,
        .open = op_open,
        .read = op_read,
        .release = op_release,
        .opendir = op_opendir,
        .readdir = op_readdir,
        .readdirplus = op_readdirplus,
        .releasedir = op_releasedir,
        .statfs = op_statfs,
        .getxattr = op_getxattr,
        .listxattr = op_listxattr,
        .setattr = op_setattr,
        .mknod = op_mknod,
        .mkdir = op_mkdir,
        .unlink = op_unlink,
        .rmdir = op_unlink,
        .symlink = op_symlink,
        .rename = op_rename,
        .link = op_link,
        .write = op_write,
        .create = op_create,
        .setxattr = op_setxattr,
        .removexattr = op_removexattr,
        .fallocate = op_fallocate,
        .copy_file_range = op_copy_file_range,
};

/* ---- the session -------------------------------------------------------- */

int nfuse_run(const struct nfuse_source *src, const struct nfuse_options *opts, const char *fsname,
              const char *mountpoint, bool foreground, bool debug)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_loop_config *loop = NULL;
	struct fuse_session *se = NULL;
	struct nfuse *fs;
	char *mopts = NULL;
	int status = 1;

	fs = calloc(1, sizeof(*fs));
	if (fs == NULL) {
		perror("ntfs-mount");
		return 1;
	}
	fs->src = *src;
	fs->opts = *opts;
	fs->mountpoint = realpath(mountpoint, NULL);
	if (fs->mountpoint == NULL) {
		fprintf(stderr, "ntfs-mount: %s: %s\n", mountpoint, strerror(errno));
		free(fs);
		return 1;
	}
	pthread_mutex_init(&fs->grow, NULL);
	pthread_mutex_init(&fs->statfs_lock, NULL);
	for (int i = 0; i < NFUSE_SLOTS; i++) {
		pthread_mutex_init(&fs->slots[i].lock, NULL);
		fs->slots[i].file_rec = UINT64_MAX;
	}
	/* The kernel refuses every write itself: "ro". default_permissions
	 * makes it check the modes, owners and masks shown. */
	if (fuse_opt_add_arg(&args, "ntfs-mount") != 0 ||
	    fuse_opt_add_opt(&mopts, "ro,default_permissions,subtype=ntfs") != 0 ||
	    (opts->allow_other && fuse_opt_add_opt(&mopts, "allow_other") != 0) ||
	    fuse_opt_add_opt_escaped(&mopts, fsname) != 0 || fuse_opt_add_arg(&args, "-o") != 0)
		goto out;
	{
		/* fuse_opt_add_opt_escaped added the name alone: make it fsname=. */
		char *last = strrchr(mopts, ',');
		size_t pre = last != NULL ? (size_t)(last - mopts) + 1 : 0;
		size_t total = strlen(mopts) + sizeof("fsname=");
		char *o = malloc(total);

		if (o == NULL)
			goto out;
		memcpy(o, mopts, pre);
		snprintf(o + pre, total - pre, "fsname=%s", mopts + pre);
		free(mopts);
		mopts = o;
	}
	if (fuse_opt_add_arg(&args, mopts) != 0 || (debug && fuse_opt_add_arg(&args, "-d") != 0))
		goto out;
	se = fuse_session_new(&args, &nfuse_ops, sizeof(nfuse_ops), fs);
	if (se == NULL)
		goto out;
	if (fuse_set_signal_handlers(se) != 0)
		goto out;
	if (fuse_session_mount(se, fs->mountpoint) != 0) {
		fuse_remove_signal_handlers(se);
		goto out;
	}
	if (fuse_daemonize(foreground || debug) != 0) {
		fuse_session_unmount(se);
		fuse_remove_signal_handlers(se);
		goto out;
	}
	loop = fuse_loop_cfg_create();
	if (loop == NULL) {
		fuse_session_unmount(se);
		fuse_remove_signal_handlers(se);
		goto out;
	}
	fuse_loop_cfg_set_max_threads(loop, NFUSE_SLOTS);
	fuse_loop_cfg_set_idle_threads(loop, NFUSE_SLOTS);
	fuse_loop_cfg_set_clone_fd(loop, 0);
	status = fuse_session_loop_mt(se, loop) == 0 ? 0 : 1;
	fuse_loop_cfg_destroy(loop);
	fuse_session_unmount(se);
	fuse_remove_signal_handlers(se);
out:
	if (se != NULL)
		fuse_session_destroy(se);
	else
		op_destroy(fs);
	fuse_opt_free_args(&args);
	free(mopts);
	free(fs->mountpoint);
	free(fs);
	return status;
}
