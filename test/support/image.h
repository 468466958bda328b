/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test images and the independent tools that give expected values.
 *
 * Committed images (test/images/NAME.img.xz) are decompressed once into
 * NTFS_TEST_WORK_DIR (atomically, so parallel tests may race) and mapped
 * copy-on-write: a test may mangle its mapping without touching the file.
 * Shared real-world images (../shared/images) are optional: timage_shared()
 * returns -1 when absent and the test skips.
 *
 * Tools (ntfsinfo, ntfscat, ntfsls, fls, istat, fsstat, ...) are run with
 * fork/exec, never through a shell, and their standard output captured.
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
 * out: their names hold newlines, which ntfsls's lines cannot, and
 * test/cli_names.py checks them. */
size_t timage_list(char (*names)[128], size_t max);

/* Run @argv (NULL-terminated; argv[0] looked up in PATH) and capture its
 * standard output into a malloc'd, NUL-terminated buffer (*out, *len).
 * Standard error goes to /dev/null. Returns the exit status, or -1 if the
 * program could not be run. */
int tool_run(const char *const *argv, char **out, size_t *len);
/* Like tool_run() but fails the test unless the exit status is 0. */
char *tool_must(const char *const *argv, size_t *len);
/* Fails the test with a clear message if @prog is not in PATH. */
void tool_require(const char *prog);

/* The value after "key:" on the first line of @text that starts (after
 * blanks) with @key followed by ':'. Copies it trimmed into @buf; returns
 * false if absent. */
bool text_field(const char *text, const char *key, char *buf, size_t size);

/* One attribute as ntfsinfo -v -i INODE prints it, its extents merged. */
struct xrun {
	uint64_t vcn, lcn, len; /* lcn NTFS_LCN_HOLE for a hole */
};
struct xattr {
	uint32_t type;
	char name[NTFS_NAME_MAX_UTF8]; /* "" if unnamed */
	uint16_t flags;
	bool resident;
	uint64_t size, alloc, init; /* from the extent at VCN 0 */
	uint32_t extents;           /* attribute records seen */
	uint64_t records[8];        /* MFT records holding the first extents */
	size_t nruns;
	struct xrun *runs; /* malloc'd, in VCN order */
};
struct xattrs {
	size_t n;
	struct xattr *a;
};
/* Run `ntfsinfo -v -i INODE PATH` and parse every attribute. */
void tool_attrs(const char *path, uint64_t inode, struct xattrs *out);
void tool_attrs_free(struct xattrs *xa);
/* The attribute of @type named @name, or NULL. */
const struct xattr *xattr_find(const struct xattrs *xa, uint32_t type, const char *name);
/* Merge adjacent runs that continue each other (or are both holes);
 * returns the new count. */
size_t xrun_normalize(struct xrun *runs, size_t n);

/* `ntfsls -a -s -i -p DIR PATH`: one (inode, name) per entry. "." and
 * ".." are dropped (the root's index holds a "." that the library skips). */
struct lsent {
	uint64_t ino;
	char *name;
};
size_t tool_ls(const char *path, const char *dir, struct lsent **out);
void tool_ls_free(struct lsent *ents, size_t n);
/* Sort by name bytes (strcmp). */
void lsent_sort(struct lsent *ents, size_t n);

/* The volume's $UpCase (65536 host-order units), from `ntfscat PATH
 * '$UpCase'`. */
uint16_t *tool_upcase(const char *path);
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
