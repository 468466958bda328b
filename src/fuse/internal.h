/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the files of the FUSE adapter share. Include it first: it sets the
 * feature macros every file must agree on (struct stat's size).
 *
 *   slot.c       the pool of volume handles (nfuse_slot_*)
 *   attr.c       attributes of files and streams, link targets (nfuse_attr_*)
 *   dir.c        lookup and listings (nfuse_dir_*)
 *   file.c       open and read (nfuse_file_*)
 *   xattr.c      extended attributes (nfuse_xattr_*)
 *   erofs.c      everything that would write (nfuse_erofs_*)
 *   ntfs_fuse.c  the session: nfuse_run, init and destroy, statfs, the op table
 *
 * Every nfuse_X_* is defined in X.c, and each file calls only into files
 * listed above it. Node numbers and error codes convert here, inline.
 */
#ifndef NFUSE_INTERNAL_H
#define NFUSE_INTERNAL_H

#define FUSE_USE_VERSION 312 /* fuse_loop_cfg_*() and the loop that takes them */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* makedev() via sys/sysmacros.h, pread() */
#endif
#define _FILE_OFFSET_BITS 64

#include "ntfs_fuse.h"

#include <errno.h>
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include <ntfs/cache.h>
#include <ntfs/ntfs.h>

/* Volume handles at most; also the most worker threads libfuse starts. */
#define NFUSE_SLOTS 16

/* One volume handle of the pool, used by one request at a time. */
struct nfuse_slot {
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

/* The mount: what every request finds in fuse_req_userdata(). */
struct nfuse {
	struct nfuse_source src;
	struct nfuse_options opts;
	char *mountpoint; /* absolute: symlink targets point into it */
	struct nfuse_slot slots[NFUSE_SLOTS];
	atomic_int nslots;
	pthread_mutex_t grow;
	pthread_mutex_t statfs_lock;
	bool free_known; /* free_clusters and mft are read, once */
	uint64_t free_clusters;
	struct ntfs_mft_usage mft;
	/* ignore_case: lower case of each UTF-16 unit, else NULL. */
	uint16_t *locase;
};

/* ---- inode numbers ---------------------------------------------------- */

/*
 * FUSE's node id 1 is the root: record 5 and node 1 swap places, and since
 * node 0 is invalid every other record r is node r + 1 (record 0, $MFT, is
 * node 6, which record 5 left free). st_ino is the record number. Nodes
 * hold no state, so forget has nothing to release.
 *
 * With streams_interface=windows, node bits 48-63 name a file's named
 * stream: k for its k-th (1-based, in ntfs_stream_next() order).
 */
#define NFUSE_NODE_STREAM_SHIFT 48
#define NFUSE_NODE_REC_MASK ((UINT64_C(1) << NFUSE_NODE_STREAM_SHIFT) - 1)
#define NFUSE_NODE_STREAMS_MAX 0xFFFFu

static inline unsigned nfuse_stream_of(fuse_ino_t node)
{
	return (unsigned)((uint64_t)node >> NFUSE_NODE_STREAM_SHIFT);
}

static inline fuse_ino_t nfuse_node_of(uint64_t rec)
{
	if (rec == NTFS_ROOT_RECORD)
		return FUSE_ROOT_ID;
	if (rec == 0)
		return NTFS_ROOT_RECORD + 1;
	return (fuse_ino_t)rec + 1;
}

static inline uint64_t nfuse_rec_of(fuse_ino_t node)
{
	node &= NFUSE_NODE_REC_MASK;
	if (node == FUSE_ROOT_ID)
		return NTFS_ROOT_RECORD;
	if (node == NTFS_ROOT_RECORD + 1)
		return 0;
	return (uint64_t)node - 1;
}

/* ---- errors ------------------------------------------------------------ */

/* The errno that answers a core error code (0 for NTFS_OK). */
static inline int nfuse_errno(int err)
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

/* ---- slot.c: the pool of volume handles --------------------------------- */

/* Set up the pool of FS, empty: handles are mounted as requests need them. */
void nfuse_slot_init(struct nfuse *fs);
/* Take a volume handle for this request; NULL if none could be mounted. */
struct nfuse_slot *nfuse_slot_get(struct nfuse *fs);
/* Let it go again. */
void nfuse_slot_put(struct nfuse_slot *s);
/* A buffer of at least len bytes, owned by the slot. */
unsigned char *nfuse_slot_buf(struct nfuse_slot *s, size_t len);
/* Close the file and stream the slot keeps open, if any. */
void nfuse_slot_forget(struct nfuse_slot *s);
/* Unmount the handle and free what it holds. */
void nfuse_slot_close(struct nfuse_slot *s);

/* ---- attr.c: attributes -------------------------------------------------- */

/* Attributes of record rec (*ref: its file reference); a core error code. */
int nfuse_attr_stat(struct nfuse *fs, struct nfuse_slot *s, uint64_t rec, struct stat *out,
                    uint64_t *ref);
/* Attributes of the k-th named stream of record rec; a core error code. */
int nfuse_attr_stat_stream(struct nfuse *fs, struct nfuse_slot *s, uint64_t rec, unsigned k,
                           struct stat *out, uint64_t *ref);
/* The k-th (1-based) named stream of file, or the one called name when
 * name is not NULL (then *k is set); a core error code. */
int nfuse_attr_named_stream(ntfs_file *file, const char *name, unsigned *k,
                            struct ntfs_stream_info *si);
/* Node, generation and timeouts of a lookup's answer for record rec. */
void nfuse_attr_entry(struct fuse_entry_param *e, uint64_t rec, uint64_t ref);
/* Whether a directory entry stays out of listings. */
bool nfuse_attr_hidden(const struct nfuse *fs, const struct ntfs_dirent *ent);
/* The directory a file's first name is in, as ntfs-3g takes "..": the
 * first $FILE_NAME's parent (the root's is itself); a core error code. */
int nfuse_attr_parent(ntfs_file *file, uint64_t *parent_rec);
void nfuse_attr_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void nfuse_attr_readlink(fuse_req_t req, fuse_ino_t ino);

/* ---- dir.c, file.c, xattr.c: the read operations -------------------------- */

void nfuse_dir_lookup(fuse_req_t req, fuse_ino_t parent, const char *name);
void nfuse_dir_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void nfuse_dir_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                       struct fuse_file_info *fi);
void nfuse_dir_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                           struct fuse_file_info *fi);
void nfuse_dir_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);

void nfuse_file_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void nfuse_file_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                     struct fuse_file_info *fi);
void nfuse_file_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);

void nfuse_xattr_get(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size);
void nfuse_xattr_list(fuse_req_t req, fuse_ino_t ino, size_t size);

/* ---- erofs.c: every operation that would write answers EROFS ------------- */

void nfuse_erofs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
                         struct fuse_file_info *fi);
void nfuse_erofs_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
                       dev_t rdev);
void nfuse_erofs_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode);
void nfuse_erofs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name);
void nfuse_erofs_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name);
void nfuse_erofs_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
                        const char *newname, unsigned int flags);
void nfuse_erofs_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname);
void nfuse_erofs_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
                       struct fuse_file_info *fi);
void nfuse_erofs_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
                        struct fuse_file_info *fi);
void nfuse_erofs_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value,
                          size_t size, int flags);
void nfuse_erofs_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name);
void nfuse_erofs_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t offset, off_t length,
                           struct fuse_file_info *fi);
void nfuse_erofs_copy_file_range(fuse_req_t req, fuse_ino_t ino_in, off_t off_in,
                                 struct fuse_file_info *fi_in, fuse_ino_t ino_out, off_t off_out,
                                 struct fuse_file_info *fi_out, size_t len, int flags);

#endif /* NFUSE_INTERNAL_H */
