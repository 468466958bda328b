/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#define _FILE_OFFSET_BITS 64

#include "image.h"
#include "memdev.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

/* snprintf() that fails the test rather than truncate. */
static void fmt(char *dst, size_t size, const char *format, ...)
{
	va_list ap;
	int n;

	va_start(ap, format);
	n = vsnprintf(dst, size, format, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		fail_msg("path too long: %s", dst);
}

static const char *dir_from_env(const char *var, const char *fallback)
{
	const char *v = getenv(var);
	return v != NULL && *v != '\0' ? v : fallback;
}

static const char *images_dir(void)
{
	return dir_from_env("NTFS_TEST_IMAGES_DIR", NTFS_TEST_IMAGES_DIR);
}

static const char *shared_dir(void)
{
	return dir_from_env("NTFS_SHARED_IMAGES_DIR", NTFS_SHARED_IMAGES_DIR);
}

static const char *work_dir(void)
{
	return dir_from_env("NTFS_TEST_WORK_DIR", NTFS_TEST_WORK_DIR);
}

/* Run argv with standard output on @out_fd and standard error on
 * /dev/null. Returns the child's pid, or -1. */
static pid_t spawn(const char *const *argv, int out_fd)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 2);
		}
		dup2(out_fd, 1);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status) == 127 ? -1 : WEXITSTATUS(status);
}

/* Fails the test with a clear message if @prog (a decompressor) is not in
 * PATH. */
static void need_program(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[TIMAGE_PATH_MAX];

	while (path != NULL && *path != '\0') {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		fmt(buf, sizeof buf, "%.*s/%s", (int)n, path, prog);
		if (access(buf, X_OK) == 0)
			return;
		path = end ? end + 1 : NULL;
	}
	fail_msg("'%s' is not installed, and the test images need it (Debian: apt-get install "
	         "xz-utils gzip unzip)",
	         prog);
}

uint64_t trand(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* True if @dst exists, is not empty and is not older than @src. */
static bool fresh(const char *dst, const char *src)
{
	struct stat s, d;

	if (stat(dst, &d) != 0 || d.st_size == 0)
		return false;
	if (stat(src, &s) != 0)
		return true;
	return d.st_mtime >= s.st_mtime;
}

/* Run @argv with its output into a temporary file, then rename it to @dst
 * (so concurrent tests never see a half-written image). */
static int run_into(const char *const *argv, const char *dst)
{
	char tmp[TIMAGE_PATH_MAX + 32];
	int fd, st;
	pid_t pid;

	fmt(tmp, sizeof tmp, "%s.tmp%ld", dst, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	pid = spawn(argv, fd);
	close(fd);
	st = pid < 0 ? -1 : reap(pid);
	if (st != 0 || rename(tmp, dst) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int map_file(struct timage *img)
{
	struct stat st;
	int fd = open(img->path, O_RDONLY);
	void *p;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || st.st_size <= 0) {
		close(fd);
		return -1;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	img->data = p;
	img->size = (uint64_t)st.st_size;
	return 0;
}

bool timage_exists(const char *name)
{
	char src[TIMAGE_PATH_MAX];

	fmt(src, sizeof src, "%s/%s.img.xz", images_dir(), name);
	return access(src, R_OK) == 0;
}

void timage_open(struct timage *img, const char *name)
{
	char src[TIMAGE_PATH_MAX];

	memset(img, 0, sizeof *img);
	fmt(img->name, sizeof img->name, "%s", name);
	fmt(src, sizeof src, "%s/%s.img.xz", images_dir(), name);
	fmt(img->path, sizeof img->path, "%s/%s.img", work_dir(), name);
	if (access(src, R_OK) != 0)
		fail_msg("test image %s is missing", src);
	if (!fresh(img->path, src)) {
		const char *argv[] = {"xz", "-dc", src, NULL};
		need_program("xz");
		if (run_into(argv, img->path) != 0)
			fail_msg("cannot decompress %s into %s", src, img->path);
	}
	if (map_file(img) != 0)
		fail_msg("cannot map %s", img->path);
}

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* If @disk holds an MBR rather than a boot sector, copy its first
 * partition to @dst; else rename it to @dst. */
static int extract_volume(const char *disk, const char *dst)
{
	uint8_t mbr[512], buf[1 << 16];
	char tmp[TIMAGE_PATH_MAX + 32];
	uint64_t start, left;
	FILE *in = fopen(disk, "rb"), *out;
	int err = 0;

	if (in == NULL)
		return -1;
	if (fread(mbr, 1, sizeof mbr, in) != sizeof mbr) {
		fclose(in);
		return -1;
	}
	if (memcmp(mbr + 3, "NTFS    ", 8) == 0 || mbr[510] != 0x55 || mbr[511] != 0xAA) {
		fclose(in);
		return rename(disk, dst);
	}
	start = (uint64_t)ld32(mbr + 446 + 8) * 512;
	left = (uint64_t)ld32(mbr + 446 + 12) * 512;
	fmt(tmp, sizeof tmp, "%s.tmp%ld", dst, (long)getpid());
	out = fopen(tmp, "wb");
	if (out == NULL || fseeko(in, (off_t)start, SEEK_SET) != 0) {
		fclose(in);
		if (out != NULL)
			fclose(out);
		return -1;
	}
	while (left > 0 && !err) {
		size_t want = left < sizeof buf ? (size_t)left : sizeof buf;
		size_t got = fread(buf, 1, want, in);
		if (got == 0 || fwrite(buf, 1, got, out) != got)
			err = -1;
		left -= got;
	}
	fclose(in);
	if (fclose(out) != 0)
		err = -1;
	if (!err)
		err = rename(tmp, dst);
	unlink(tmp);
	unlink(disk);
	return err;
}

int timage_shared(struct timage *img, const char *rel)
{
	char file[TIMAGE_PATH_MAX], member[TIMAGE_PATH_MAX] = "", src[TIMAGE_PATH_MAX];
	char disk[TIMAGE_PATH_MAX + 16], base[256];
	const char *colon = strchr(rel, ':'), *slash;
	size_t n;

	memset(img, 0, sizeof *img);
	fmt(img->name, sizeof img->name, "%s", rel);
	fmt(file, sizeof file, "%.*s", colon ? (int)(colon - rel) : (int)strlen(rel), rel);
	if (colon)
		fmt(member, sizeof member, "%s", colon + 1);
	fmt(src, sizeof src, "%s/%s", shared_dir(), file);
	if (access(src, R_OK) != 0)
		return -1;
	slash = strrchr(file, '/');
	fmt(base, sizeof base, "%s", slash ? slash + 1 : file);
	n = strcspn(base, ".");
	base[n] = '\0';
	fmt(img->path, sizeof img->path, "%s/shared_%s.img", work_dir(), base);
	if (!fresh(img->path, src)) {
		const char *gz[] = {"gzip", "-dc", src, NULL};
		const char *zip[] = {"unzip", "-p", src, member, NULL};
		fmt(disk, sizeof disk, "%s.disk%ld", img->path, (long)getpid());
		need_program(colon ? "unzip" : "gzip");
		if (run_into(colon ? zip : gz, disk) != 0 || extract_volume(disk, img->path) != 0)
			fail_msg("cannot extract %s", src);
	}
	if (map_file(img) != 0)
		fail_msg("cannot map %s", img->path);
	return 0;
}

void timage_close(struct timage *img)
{
	if (img->data != NULL)
		munmap(img->data, (size_t)img->size);
	img->data = NULL;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

size_t tmanifest_read(const char *image, struct tman_entry *out, size_t max)
{
	char file[1200], line[2048];
	const char *dir = getenv("NTFS_TEST_IMAGES_DIR");
	FILE *f;
	size_t n = 0, total = 0, fill = 0;

	snprintf(file, sizeof file, "%s/%s.manifest", dir ? dir : NTFS_TEST_IMAGES_DIR, image);
	f = fopen(file, "r");
	if (f == NULL)
		fail_msg("manifest %s is missing", file);
	while (fgets(line, sizeof line, f) != NULL && n < max) {
		char kind[16], sha[80], data[32], path[1024];
		unsigned long long ino, size;
		char *colon;
		size_t len = strlen(line);
		if (line[0] == '#')
			continue;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (sscanf(line, "%15[^\t]\t%llu\t%llu\t%79[^\t]\t%31[^\t]\t%1023[^\n]", kind, &ino,
		           &size, sha, data, path) != 6)
			fail_msg("%s: bad line '%s'", file, line);
		total++;
		if (strncmp(path, "fill/", 5) == 0 && fill++ % 500 != 0)
			continue;
		memset(&out[n], 0, sizeof out[n]);
		snprintf(out[n].kind, sizeof out[n].kind, "%s", kind);
		snprintf(out[n].data, sizeof out[n].data, "%s", data);
		out[n].inode = ino;
		out[n].size = size;
		if (strlen(sha) != 64)
			fail_msg("%s: bad sha256 '%s'", file, sha);
		memcpy(out[n].sha, sha, 65);
		colon = strcmp(kind, "stream") == 0 ? strrchr(path, ':') : NULL;
		if (colon != NULL) {
			snprintf(out[n].stream, sizeof out[n].stream, "%s", colon + 1);
			*colon = '\0';
		}
		out[n].path[0] = '/';
		memcpy(out[n].path + 1, path, strlen(path) + 1);
		n++;
	}
	fclose(f);
	if (total == 0)
		fail_msg("%s lists nothing", file);
	return n;
}

size_t timage_list(char (*names)[128], size_t max)
{
	DIR *d = opendir(images_dir());
	struct dirent *e;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL && n < max) {
		size_t len = strlen(e->d_name);
		if (len > 7 && len - 7 < 128 && strcmp(e->d_name + len - 7, ".img.xz") == 0) {
			char json[TIMAGE_PATH_MAX];

			memcpy(names[n], e->d_name, len - 7);
			names[n][len - 7] = '\0';
			fmt(json, sizeof json, "%s/%s.json", images_dir(), names[n]);
			if (access(json, F_OK) != 0)
				n++;
		}
	}
	closedir(d);
	qsort(names, n, sizeof names[0], cmp_names);
	return n;
}

int timage_mount(const struct timage *img, uint32_t align, struct memdev *dev, struct memalloc *ma,
                 ntfs_volume **vol)
{
	struct ntfs_config cfg;

	memdev_init(dev, img->data, img->size, align);
	memalloc_init(ma);
	memdev_config(&cfg, dev, ma);
	return ntfs_mount(&cfg, vol);
}

void timage_unmount(ntfs_volume *vol, struct memalloc *ma)
{
	ntfs_unmount(vol);
	if (ma->blocks != 0 || ma->bytes != 0)
		fail_msg("leak: %zu blocks, %zu bytes outstanding after unmount", ma->blocks,
		         ma->bytes);
}

/* ---- reference files (make-refs.py; format in test/images/README.md) ---- */

enum tref_kind {
	K_IMAGE,
	K_TSK,
	K_VOLUME,
	K_UPCASE,
	K_DIR,
	K_ENTRY,
	K_DOS,
	K_RECORD,
	K_ATTR,
	K_RUN,
	K_FNAME,
	K_ISTAT_ATTR,
	K_ISTAT_NAME,
	K_ISTAT_FAILED,
	K_IFIND,
	K_COUNT
};

static const struct {
	const char *word;
	size_t fields; /* the keyword included */
} tref_kinds[K_COUNT] = {
        [K_IMAGE] = {"image", 2},
        [K_TSK] = {"tsk", 2},
        [K_VOLUME] = {"volume", 4},
        [K_UPCASE] = {"upcase", 4},
        [K_DIR] = {"dir", 3},
        [K_ENTRY] = {"entry", 3},
        [K_DOS] = {"dos", 3},
        [K_RECORD] = {"record", 2},
        [K_ATTR] = {"attr", 9},
        [K_RUN] = {"run", 4},
        [K_FNAME] = {"fname", 4},
        [K_ISTAT_ATTR] = {"istat-attr", 4},
        [K_ISTAT_NAME] = {"istat-name", 2},
        [K_ISTAT_FAILED] = {"istat-failed", 1},
        [K_IFIND] = {"ifind", 3},
};

/* The kind of @line (up to its first tab); fails the test if unknown. */
static enum tref_kind tref_kind(const struct tref *r, size_t lineno, const char *line)
{
	size_t n = strcspn(line, "\t");

	for (int k = 0; k < K_COUNT; k++)
		if (strlen(tref_kinds[k].word) == n && strncmp(line, tref_kinds[k].word, n) == 0)
			return (enum tref_kind)k;
	fail_msg("%s:%zu: unknown line '%.40s'", r->file, lineno, line);
	return K_COUNT;
}

static uint64_t tref_u64(const struct tref *r, size_t lineno, const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0)
		fail_msg("%s:%zu: '%s' is not a number", r->file, lineno, s);
	return v;
}

static void *tref_array(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	assert_non_null(p);
	return p;
}

static void tref_read(struct tref *r, size_t *len)
{
	FILE *f = fopen(r->file, "rb");
	size_t cap = 1 << 20, n = 0, got;

	if (f == NULL)
		fail_msg("reference file %s is missing: run test/images/make-refs.py", r->file);
	r->text = malloc(cap);
	assert_non_null(r->text);
	while ((got = fread(r->text + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n < 2) {
			cap *= 2;
			r->text = realloc(r->text, cap);
			assert_non_null(r->text);
		}
	}
	if (ferror(f))
		fail_msg("cannot read %s", r->file);
	fclose(f);
	r->text[n] = '\0';
	*len = n;
}

void tref_load(struct tref *r, const char *image)
{
	size_t len, nlines = 0, count[K_COUNT] = {0}, ent = 0, att = 0, run = 0, fn = 0, ta = 0,
	            tn = 0;
	enum tref_kind prev = K_COUNT;
	struct tref_record *rec = NULL;
	struct tref_dir *dir = NULL;
	struct xattr *attr = NULL;
	bool named = false;
	char **lines;

	memset(r, 0, sizeof *r);
	fmt(r->file, sizeof r->file, "%s/%s.ref", images_dir(), image);
	tref_read(r, &len);
	/* Lines, then how many of each kind (arrays that never move). */
	for (size_t i = 0; i < len; i++)
		nlines += r->text[i] == '\n';
	lines = tref_array(nlines, sizeof *lines);
	nlines = 0;
	for (char *p = r->text; *p != '\0';) {
		char *end = strchr(p, '\n');
		if (end == NULL)
			fail_msg("%s: the last line has no newline", r->file);
		*end = '\0';
		lines[nlines++] = p;
		p = end + 1;
	}
	for (size_t i = 0; i < nlines; i++)
		if (lines[i][0] != '#' && lines[i][0] != '\0')
			count[tref_kind(r, i + 1, lines[i])]++;
	r->vol = tref_array(count[K_VOLUME], sizeof *r->vol);
	r->dirs = tref_array(count[K_DIR], sizeof *r->dirs);
	r->ents = tref_array(count[K_ENTRY], sizeof *r->ents);
	r->dos = tref_array(count[K_DOS], sizeof *r->dos);
	r->recs = tref_array(count[K_RECORD], sizeof *r->recs);
	r->attrs = tref_array(count[K_ATTR], sizeof *r->attrs);
	r->runs = tref_array(count[K_RUN], sizeof *r->runs);
	r->fnames = tref_array(count[K_FNAME], sizeof *r->fnames);
	r->tattrs = tref_array(count[K_ISTAT_ATTR], sizeof *r->tattrs);
	r->tnames = tref_array(count[K_ISTAT_NAME], sizeof *r->tnames);
	r->ifind = tref_array(count[K_IFIND], sizeof *r->ifind);
	r->upcase = tref_array(65536, sizeof *r->upcase);
	for (size_t c = 0; c < 65536; c++)
		r->upcase[c] = (uint16_t)c;

	for (size_t i = 0; i < nlines; i++) {
		char *f[9], *p = lines[i];
		size_t nf = 0, at = i + 1;
		enum tref_kind k;

		if (p[0] == '#' || p[0] == '\0')
			continue;
		k = tref_kind(r, at, p);
		for (;;) {
			char *tab = strchr(p, '\t');
			if (nf == sizeof f / sizeof f[0])
				fail_msg("%s:%zu: too many fields", r->file, at);
			f[nf++] = p;
			if (tab == NULL)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		if (nf != tref_kinds[k].fields)
			fail_msg("%s:%zu: %s: %zu fields, want %zu", r->file, at, f[0], nf,
			         tref_kinds[k].fields);
		/* Lines that belong to the line before them (the kinds from
		 * K_RECORD to K_ISTAT_FAILED make up a record's block). */
		if ((k == K_ENTRY && prev != K_DIR && prev != K_ENTRY) ||
		    (k == K_RUN && prev != K_ATTR && prev != K_RUN) ||
		    ((k == K_ATTR || k == K_FNAME || k == K_ISTAT_ATTR || k == K_ISTAT_NAME ||
		      k == K_ISTAT_FAILED) &&
		     (prev < K_RECORD || prev > K_ISTAT_FAILED)))
			fail_msg("%s:%zu: a '%s' line out of place", r->file, at, f[0]);
		prev = k;
		switch (k) {
		case K_IMAGE:
			if (strcmp(f[1], image) != 0)
				fail_msg("%s:%zu: for image '%s'", r->file, at, f[1]);
			named = true;
			break;
		case K_TSK:
			if (strcmp(f[1], "yes") != 0 && strcmp(f[1], "no") != 0)
				fail_msg("%s:%zu: tsk '%s'", r->file, at, f[1]);
			r->tsk = strcmp(f[1], "yes") == 0;
			break;
		case K_VOLUME:
			r->vol[r->nvol++] = (struct tref_kv){f[1], f[2], f[3]};
			break;
		case K_UPCASE: {
			uint64_t first = tref_u64(r, at, f[1]), n = tref_u64(r, at, f[2]);
			char *end;
			long delta = strtol(f[3], &end, 10);
			if (end == f[3] || *end != '\0' || first + n > 65536)
				fail_msg("%s:%zu: bad upcase run", r->file, at);
			for (uint64_t c = first; c < first + n; c++)
				r->upcase[c] = (uint16_t)((long)c + delta);
			break;
		}
		case K_DIR:
			dir = &r->dirs[r->ndirs++];
			dir->ino = tref_u64(r, at, f[1]);
			dir->path = f[2];
			dir->e = &r->ents[ent];
			break;
		case K_ENTRY:
			r->ents[ent++] = (struct tref_entry){tref_u64(r, at, f[1]), f[2]};
			dir->n++;
			break;
		case K_DOS:
			r->dos[r->ndos++] = (struct tref_entry){tref_u64(r, at, f[1]), f[2]};
			break;
		case K_RECORD:
			rec = &r->recs[r->nrecs++];
			rec->rec = tref_u64(r, at, f[1]);
			rec->istat = true; /* unless istat-failed; and only if tsk */
			rec->attrs = &r->attrs[att];
			rec->fnames = &r->fnames[fn];
			rec->tattrs = &r->tattrs[ta];
			rec->tnames = &r->tnames[tn];
			break;
		case K_ATTR:
			attr = &r->attrs[att++];
			rec->nattrs++;
			attr->type = (uint32_t)tref_u64(r, at, f[1]);
			attr->name = f[2];
			attr->flags = (uint16_t)tref_u64(r, at, f[3]);
			if (strcmp(f[4], "resident") != 0 && strcmp(f[4], "nonresident") != 0)
				fail_msg("%s:%zu: residency '%s'", r->file, at, f[4]);
			attr->resident = strcmp(f[4], "resident") == 0;
			attr->size = tref_u64(r, at, f[5]);
			attr->alloc = tref_u64(r, at, f[6]);
			attr->init = tref_u64(r, at, f[7]);
			attr->extents = (uint32_t)tref_u64(r, at, f[8]);
			attr->runs = &r->runs[run];
			break;
		case K_RUN:
			r->runs[run].vcn = tref_u64(r, at, f[1]);
			r->runs[run].lcn =
			        strcmp(f[2], "hole") == 0 ? NTFS_LCN_HOLE : tref_u64(r, at, f[2]);
			r->runs[run++].len = tref_u64(r, at, f[3]);
			attr->nruns++;
			break;
		case K_FNAME:
			r->fnames[fn++] = (struct tref_fname){tref_u64(r, at, f[1]), f[2], f[3]};
			rec->nfnames++;
			break;
		case K_ISTAT_ATTR:
			r->tattrs[ta++] =
			        (struct tref_tattr){(uint32_t)tref_u64(r, at, f[1]),
			                            (uint32_t)tref_u64(r, at, f[2]), f[3]};
			rec->ntattrs++;
			break;
		case K_ISTAT_NAME:
			r->tnames[tn++] = f[1];
			rec->ntnames++;
			break;
		case K_ISTAT_FAILED:
			rec->istat = false;
			break;
		case K_IFIND: {
			struct tref_ifind *x = &r->ifind[r->nifind++];
			x->path = f[1];
			x->found = strcmp(f[2], "-") != 0;
			x->ino = x->found ? tref_u64(r, at, f[2]) : 0;
			break;
		}
		default:
			fail();
		}
	}
	free(lines);
	for (size_t i = 0; i < r->nrecs; i++)
		r->recs[i].istat = r->recs[i].istat && r->tsk;
	if (!named || count[K_TSK] != 1 || count[K_UPCASE] == 0 || tref_dir(r, "/") == NULL)
		fail_msg("%s: no image, tsk, upcase or root directory line", r->file);
}

void tref_free(struct tref *r)
{
	free(r->vol);
	free(r->dirs);
	free(r->ents);
	free(r->dos);
	free(r->recs);
	free(r->attrs);
	free(r->runs);
	free(r->fnames);
	free(r->tattrs);
	free(r->tnames);
	free(r->ifind);
	free(r->upcase);
	free(r->text);
	memset(r, 0, sizeof *r);
}

const char *tref_volume(const struct tref *r, const char *tool, const char *key)
{
	for (size_t i = 0; i < r->nvol; i++)
		if (strcmp(r->vol[i].tool, tool) == 0 && strcmp(r->vol[i].key, key) == 0)
			return r->vol[i].value;
	return NULL;
}

uint64_t tref_volume_num(const struct tref *r, const char *tool, const char *key)
{
	const char *v = tref_volume(r, tool, key);

	if (v == NULL)
		fail_msg("%s: no volume fact '%s' from %s", r->file, key, tool);
	return tref_u64(r, 0, v);
}

const struct tref_dir *tref_dir(const struct tref *r, const char *path)
{
	for (size_t i = 0; i < r->ndirs; i++)
		if (strcmp(r->dirs[i].path, path) == 0)
			return &r->dirs[i];
	return NULL;
}

uint64_t tref_inode(const struct tref *r, const char *dir, const char *name)
{
	const struct tref_dir *d = tref_dir(r, dir);

	if (d == NULL)
		fail_msg("%s: ntfsls listed no directory %s", r->file, dir);
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->e[i].name, name) == 0)
			return d->e[i].ino;
	fail_msg("%s: ntfsls listed no '%s' in %s", r->file, name, dir);
	return UINT64_MAX;
}

const struct tref_record *tref_record(const struct tref *r, uint64_t rec)
{
	for (size_t i = 0; i < r->nrecs; i++)
		if (r->recs[i].rec == rec)
			return &r->recs[i];
	fail_msg("%s: record %llu was not recorded (make-refs.py dumps $MFT, every "
	         "directory, the root's entries and the manifest's records)",
	         r->file, (unsigned long long)rec);
	return NULL;
}

bool tref_ifind(const struct tref *r, const char *path, uint64_t *ino)
{
	for (size_t i = 0; i < r->nifind; i++)
		if (strcmp(r->ifind[i].path, path) == 0) {
			*ino = r->ifind[i].ino;
			return r->ifind[i].found;
		}
	fail_msg("%s: no ifind result for %s", r->file, path);
	return false;
}

const struct xattr *xattr_find(const struct tref_record *rec, uint32_t type, const char *name)
{
	for (size_t i = 0; i < rec->nattrs; i++)
		if (rec->attrs[i].type == type && strcmp(rec->attrs[i].name, name ? name : "") == 0)
			return &rec->attrs[i];
	return NULL;
}

size_t xrun_normalize(struct xrun *r, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		if (r[i].len == 0)
			continue;
		if (out > 0) {
			struct xrun *p = &r[out - 1];
			bool holes = p->lcn == NTFS_LCN_HOLE && r[i].lcn == NTFS_LCN_HOLE;
			bool cont = p->lcn != NTFS_LCN_HOLE && r[i].lcn == p->lcn + p->len;
			if (r[i].vcn == p->vcn + p->len && (holes || cont)) {
				p->len += r[i].len;
				continue;
			}
		}
		r[out++] = r[i];
	}
	return out;
}

/* ---- SHA-256 (FIPS 180-4), for the manifests' digests ---- */

static uint32_t ror32(uint32_t x, int n)
{
	return x >> n | x << (32 - n);
}

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
	static const uint32_t k[64] = {
	        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	        0xc67178f2,
	};
	uint32_t w[64], s[8];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++)
		w[i] = w[i - 16] + (ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ w[i - 15] >> 3) +
		       w[i - 7] + (ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ w[i - 2] >> 10);
	memcpy(s, h, sizeof s);
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = s[7] + (ror32(s[4], 6) ^ ror32(s[4], 11) ^ ror32(s[4], 25)) +
		              ((s[4] & s[5]) ^ (~s[4] & s[6])) + k[i] + w[i];
		uint32_t t2 = (ror32(s[0], 2) ^ ror32(s[0], 13) ^ ror32(s[0], 22)) +
		              ((s[0] & s[1]) ^ (s[0] & s[2]) ^ (s[1] & s[2]));
		memmove(s + 1, s, 7 * sizeof s[0]);
		s[4] += t1;
		s[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		h[i] += s[i];
}

void sha256_hex(const void *data, size_t len, char hex[65])
{
	uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	const uint8_t *p = data;
	uint8_t tail[128] = {0};
	size_t rest = len % 64, pad = rest < 56 ? 64 : 128;
	uint64_t bits = (uint64_t)len * 8;

	for (size_t i = 0; i + 64 <= len; i += 64)
		sha256_block(h, p + i);
	if (rest > 0)
		memcpy(tail, p + len - rest, rest);
	tail[rest] = 0x80;
	for (int i = 0; i < 8; i++)
		tail[pad - 1 - i] = (uint8_t)(bits >> 8 * i);
	sha256_block(h, tail);
	if (pad == 128)
		sha256_block(h, tail + 64);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned)(h[i / 4] >> (24 - 8 * (i % 4)) & 0xFF));
}

int name_collate_nocase(const uint16_t *up, const uint16_t *a, size_t alen, const uint16_t *b,
                        size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	for (size_t i = 0; i < n; i++) {
		uint16_t x = up[a[i]], y = up[b[i]];
		if (x != y)
			return x < y ? -1 : 1;
	}
	return (alen > blen) - (alen < blen);
}

int name_collate(const uint16_t *up, const uint16_t *a, size_t alen, const uint16_t *b, size_t blen)
{
	int c = name_collate_nocase(up, a, alen, b, blen);
	size_t n = alen < blen ? alen : blen;

	if (c != 0)
		return c;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return (alen > blen) - (alen < blen);
}

long utf8_to_16(const char *s, size_t len, uint16_t *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n = 0;

	while (p < end) {
		uint32_t c;
		int k;
		if (*p < 0x80) {
			c = *p;
			k = 0;
		} else if ((*p & 0xE0) == 0xC0) {
			c = *p & 0x1F;
			k = 1;
		} else if ((*p & 0xF0) == 0xE0) {
			c = *p & 0x0F;
			k = 2;
		} else if ((*p & 0xF8) == 0xF0) {
			c = *p & 0x07;
			k = 3;
		} else {
			return -1;
		}
		if (end - p <= k)
			return -1;
		for (int i = 1; i <= k; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return -1;
			c = c << 6 | (p[i] & 0x3F);
		}
		p += k + 1;
		if (c > 0xFFFF) {
			if (n + 2 > cap)
				return -1;
			c -= 0x10000;
			out[n++] = (uint16_t)(0xD800 | c >> 10);
			out[n++] = (uint16_t)(0xDC00 | (c & 0x3FF));
		} else {
			if (n + 1 > cap)
				return -1;
			out[n++] = (uint16_t)c;
		}
	}
	return (long)n;
}

long utf16_to_8(const uint16_t *s, size_t len, char *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		uint32_t c = s[i];
		unsigned char b[4];
		int k;
		if (c >= 0xD800 && c < 0xDC00 && i + 1 < len && s[i + 1] >= 0xDC00 &&
		    s[i + 1] < 0xE000) {
			c = 0x10000 + ((c - 0xD800) << 10) + (s[++i] - 0xDC00u);
		} else if (c >= 0xD800 && c < 0xE000) {
			return -1;
		}
		if (c < 0x80) {
			b[0] = (unsigned char)c;
			k = 1;
		} else if (c < 0x800) {
			b[0] = (unsigned char)(0xC0 | c >> 6);
			b[1] = (unsigned char)(0x80 | (c & 0x3F));
			k = 2;
		} else if (c < 0x10000) {
			b[0] = (unsigned char)(0xE0 | c >> 12);
			b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
			b[2] = (unsigned char)(0x80 | (c & 0x3F));
			k = 3;
		} else {
			b[0] = (unsigned char)(0xF0 | c >> 18);
			b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
			b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
			b[3] = (unsigned char)(0x80 | (c & 0x3F));
			k = 4;
		}
		if (n + (size_t)k + 1 > cap)
			return -1;
		memcpy(out + n, b, (size_t)k);
		n += (size_t)k;
	}
	out[n] = '\0';
	return (long)n;
}
