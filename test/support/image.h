/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test images and what independent readers said about them.
 *
 * Committed images (test/images/NAME.img.xz) are decompressed once into
 * NTFS_TEST_WORK_DIR (atomically, so parallel tests may race) and mapped
 * copy-on-write: a test may mangle its mapping without touching the file.
 * Shared real-world images (../shared/images) are optional: timage_shared()
 * returns -1 when absent and the test skips.
 *
 * The expected values for a committed image come from its manifest and
 * from its reference file NAME.ref: what ntfs-3g's and The Sleuth Kit's
 * tools said about it, recorded by make-refs.py. No test runs those tools;
 * xz, gzip and unzip are run (fork/exec, never through a shell) only to
 * decompress images.
 */
#ifndef NTFS_TEST_IMAGE_H
#define NTFS_TEST_IMAGE_H

#include <ntfs/ntfs.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TIMAGE_PATH_MAX 1024

struct timage {
	char name[128];             /* what the test asked for */
	char path[TIMAGE_PATH_MAX]; /* a bare NTFS volume in the work dir */
	uint8_t *data;              /* private writable mapping of path */
	uint64_t size;              /* bytes in data */
};

/* Open committed image @name (without ".img.xz"). Fails the test if the
 * image is missing or cannot be decompressed. */
void timage_open(struct timage *img, const char *name);
/* Open shared image @rel (e.g. "windows/ntfs_index.raw.gz", or
 * "windows/7-undel-ntfs.zip:7-undel-ntfs/7-ntfs-undel.dd"); a partitioned
 * disk gives its first MBR partition. Returns 0, or -1 if the shared
 * folder or the file is absent. */
int timage_shared(struct timage *img, const char *rel);
void timage_close(struct timage *img);
/* True if test/images/NAME.img.xz exists. */
bool timage_exists(const char *name);
/* Names of every committed image (without ".img.xz"), sorted; returns the
 * count (at most @max). Images with a JSON manifest (ntfs-names) are left
 * out: their names hold newlines, which no line of ntfsls (nor of a .ref
 * file) can hold, and test/cli_names.py checks them. */
size_t timage_list(char (*names)[128], size_t max);

/* One line of a committed image's manifest (format in test/images/README.md):
 * what the image builder wrote. */
struct tman_entry {
	char kind[16]; /* "file", "dir", "stream", ... */
	uint64_t inode;
	uint64_t size;
	char sha[65];     /* sha256 of the content, hex */
	char data[32];    /* "resident", "nonresident", ... */
	char path[1100];  /* "/..." without the stream */
	char stream[256]; /* "" for the unnamed stream */
};
/* Read test/images/@image.manifest into @out (at most @max entries; of
 * thousands of identical filler files under fill/, every 500th); returns
 * the count. Fails the test if the file is missing or a line is malformed. */
size_t tmanifest_read(const char *image, struct tman_entry *out, size_t max);

/* What the reference readers (ntfs-3g, The Sleuth Kit) said about a
 * committed image: test/images/NAME.ref, written by make-refs.py (format in
 * test/images/README.md). Every string points into the loaded file. */
struct xrun {
	uint64_t vcn, lcn, len; /* lcn NTFS_LCN_HOLE for a hole */
};
/* One attribute as `ntfsinfo -v -i RECORD` dumped it, its extents merged. */
struct xattr {
	uint32_t type;
	const char *name; /* "" if unnamed */
	uint16_t flags;
	bool resident;
	uint64_t size, alloc, init; /* from the extent at VCN 0 */
	uint32_t extents;           /* attribute records seen */
	size_t nruns;
	struct xrun *runs; /* as dumped, extent after extent */
};
/* A $FILE_NAME of the record, from ntfsinfo. */
struct tref_fname {
	uint64_t parent;
	const char *ns; /* "POSIX", "Win32", "DOS" or "Win32 & DOS" */
	const char *name;
};
/* An attribute line of `istat RECORD` (one per extent). */
struct tref_tattr {
	uint32_t type, id;
	const char *name; /* "" for istat's N/A */
};
struct tref_record {
	uint64_t rec;
	size_t nattrs;
	struct xattr *attrs;
	size_t nfnames;
	struct tref_fname *fnames;
	bool istat; /* istat read the record: the two lists below are its */
	size_t ntattrs;
	struct tref_tattr *tattrs;
	size_t ntnames;
	const char **tnames; /* names of its $FILE_NAMEs */
};
struct tref_entry {
	uint64_t ino;
	const char *name;
};
/* A directory as `ntfsls -a -s -R -i` listed it, without "." and "..":
 * entries in ntfsls's order ($INDEX_ROOT's, then each index block's by
 * VCN), which is not collation order. */
struct tref_dir {
	uint64_t ino;
	const char *path; /* "/", "/nested", ... */
	size_t n;
	struct tref_entry *e;
};
struct tref_kv {
	const char *tool, *key, *value;
};
struct tref_ifind {
	const char *path;
	bool found;
	uint64_t ino;
};
struct tref {
	char file[TIMAGE_PATH_MAX];
	char *text;
	bool tsk;         /* The Sleuth Kit can read the image */
	uint16_t *upcase; /* 65536 units: the volume's $UpCase (ntfscat) */
	size_t nvol, ndirs, ndos, nrecs, nifind;
	struct tref_kv *vol;
	struct tref_dir *dirs;
	struct tref_entry *dos; /* root entries named by their DOS names (ntfsls -x) */
	struct tref_record *recs;
	struct tref_ifind *ifind;
	/* Storage the arrays above point into. */
	struct tref_entry *ents;
	struct xattr *attrs;
	struct xrun *runs;
	struct tref_fname *fnames;
	struct tref_tattr *tattrs;
	const char **tnames;
};
/* Load test/images/@image.ref; fails the test if it is missing or
 * malformed. */
void tref_load(struct tref *r, const char *image);
void tref_free(struct tref *r);
/* A volume fact @key as @tool reported it; NULL if not recorded (fsstat
 * facts of an image The Sleuth Kit cannot read). */
const char *tref_volume(const struct tref *r, const char *tool, const char *key);
/* The same as a number; fails the test if absent. */
uint64_t tref_volume_num(const struct tref *r, const char *tool, const char *key);
/* The directory at @path; NULL if ntfsls did not list it. */
const struct tref_dir *tref_dir(const struct tref *r, const char *path);
/* The record of entry @name of directory @dir; fails the test if absent. */
uint64_t tref_inode(const struct tref *r, const char *dir, const char *name);
/* Record @rec's attributes and names; fails the test if not recorded. */
const struct tref_record *tref_record(const struct tref *r, uint64_t rec);
/* What `ifind -n @path` found (false: "File not found"); fails the test if
 * not recorded. */
bool tref_ifind(const struct tref *r, const char *path, uint64_t *ino);
/* The attribute of @type named @name ("" or NULL: unnamed), or NULL. */
const struct xattr *xattr_find(const struct tref_record *rec, uint32_t type, const char *name);
/* Merge adjacent runs that continue each other (or are both holes);
 * returns the new count. */
size_t xrun_normalize(struct xrun *runs, size_t n);

/* SHA-256 of @len bytes at @data, as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char hex[65]);

/* NTFS file name order: compare through @up, then case-sensitively. */
int name_collate(const uint16_t *up, const uint16_t *a, size_t alen, const uint16_t *b,
                 size_t blen);
/* Compare through @up only: 0 when equal ignoring case. */
int name_collate_nocase(const uint16_t *up, const uint16_t *a, size_t alen, const uint16_t *b,
                        size_t blen);
/* UTF-8 to UTF-16 (test-side, independent of the core); returns the
 * number of units, or -1 if invalid or more than @cap. */
long utf8_to_16(const char *s, size_t len, uint16_t *out, size_t cap);
/* UTF-16 to UTF-8; returns bytes written (NUL-terminated), or -1. */
long utf16_to_8(const uint16_t *s, size_t len, char *out, size_t cap);

struct memdev;
struct memalloc;
/* Mount @img from memory: @dev and @ma are initialised here (reads aligned
 * to @align, volume_size left 0). Returns ntfs_mount()'s result. */
int timage_mount(const struct timage *img, uint32_t align, struct memdev *dev, struct memalloc *ma,
                 ntfs_volume **vol);
/* Unmount and check that every allocation came back. */
void timage_unmount(ntfs_volume *vol, struct memalloc *ma);

/* Splitmix64: deterministic test randomness. */
uint64_t trand(uint64_t *state);

#endif /* NTFS_TEST_IMAGE_H */
