/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FUSE adapter: a read-only view of one NTFS volume through libfuse3's
 * low-level API. All NTFS knowledge stays in the core; this file set only
 * turns core answers into FUSE replies (internal.h lists its files).
 */
#ifndef NTFS_FUSE_H
#define NTFS_FUSE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Named streams as extended attributes "user.NAME", as files "FILE:NAME"
 * that can be looked up but are not listed (ntfs-3g's "windows"), or not
 * at all. */
enum nfuse_streams {
	NFUSE_STREAMS_XATTR,
	NFUSE_STREAMS_WINDOWS,
	NFUSE_STREAMS_NONE
};

/* What the mount options asked for. */
struct nfuse_options {
	uid_t uid;        /* owner of files without WSL metadata, or of all with uid_set */
	gid_t gid;        /* group, likewise */
	bool uid_set;     /* uid= given: it overrides WSL $LXUID */
	bool gid_set;     /* gid= given: it overrides WSL $LXGID */
	mode_t fmask;     /* permission bits taken away from files */
	mode_t dmask;     /* ... and from directories */
	bool masks_set;   /* umask=, fmask= or dmask= given: they override $LXMOD */
	bool allow_other; /* other users may use the mount */
	bool show_sys_files;
	bool hide_hid_files;
	bool ignore_case; /* names match without case and are listed in lower case */
	bool posix_nlink; /* link counts as POSIX has them: subdirectories + 2, long names */
	enum nfuse_streams streams;
};

/* Where the volume is: an open read-only descriptor shared by every volume
 * handle (pread() needs no lock), the volume's first byte in it, its size
 * and the read granularity. */
struct nfuse_source {
	int fd;
	uint64_t offset;
	uint64_t size;
	uint32_t read_align;
};

/*
 * Mount at MOUNTPOINT and serve requests until unmounted or signalled.
 * FSNAME is what mount(8) shows as the source. Daemonizes unless
 * FOREGROUND; DEBUG turns on libfuse's request trace (and the foreground).
 * Returns an exit status (0 on a clean unmount).
 */
int nfuse_run(const struct nfuse_source *src, const struct nfuse_options *opts, const char *fsname,
              const char *mountpoint, bool foreground, bool debug);

#endif /* NTFS_FUSE_H */
