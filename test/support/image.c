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

/* Run argv with standard output on @out_fd (or a pipe if -1, returned in
 * *pipe_fd) and standard error on /dev/null. Returns the child's pid. */
static pid_t spawn(const char *const *argv, int out_fd, int *pipe_fd)
{
	int p[2] = {-1, -1};
	pid_t pid;

	if (out_fd < 0 && pipe(p) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 2);
		}
		dup2(out_fd >= 0 ? out_fd : p[1], 1);
		if (p[0] >= 0)
			close(p[0]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (out_fd < 0) {
		close(p[1]);
		if (pid < 0) {
			close(p[0]);
			return -1;
		}
		*pipe_fd = p[0];
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

int tool_run(const char *const *argv, char **out, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	int fd = -1;
	pid_t pid;

	assert_non_null(buf);
	pid = spawn(argv, -1, &fd);
	if (pid < 0) {
		free(buf);
		return -1;
	}
	for (;;) {
		ssize_t r;
		if (cap - n < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	if (len != NULL)
		*len = n;
	return reap(pid);
}

static void argv_string(const char *const *argv, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; *argv != NULL && n + 1 < size; argv++) {
		int k = snprintf(buf + n, size - n, "%s'%s'", n ? " " : "", *argv);
		if (k < 0 || (size_t)k >= size - n)
			break;
		n += (size_t)k;
	}
}

char *tool_must(const char *const *argv, size_t *len)
{
	char *out;
	int st = tool_run(argv, &out, len);

	if (st != 0) {
		char cmd[2048];
		argv_string(argv, cmd, sizeof cmd);
		fail_msg("command failed (status %d): %s", st, cmd);
	}
	return out;
}

void tool_require(const char *prog)
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
	fail_msg("required tool '%s' is not installed (Debian: apt-get install ntfs-3g "
	         "sleuthkit xz-utils)",
	         prog);
}

bool text_field(const char *text, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	const char *line = text;

	while (line != NULL && *line != '\0') {
		const char *p = line, *end = strchr(line, '\n');
		size_t n;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, key, klen) == 0 && p[klen] == ':') {
			p += klen + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			n = end ? (size_t)(end - p) : strlen(p);
			while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
				n--;
			if (n >= size)
				n = size - 1;
			memcpy(buf, p, n);
			buf[n] = '\0';
			return true;
		}
		line = end ? end + 1 : NULL;
	}
	return false;
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
	pid = spawn(argv, fd, NULL);
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
		tool_require("xz");
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
		tool_require(colon ? "unzip" : "gzip");
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

static struct xattr *xattr_get(struct xattrs *xa, uint32_t type, const char *name)
{
	for (size_t i = 0; i < xa->n; i++)
		if (xa->a[i].type == type && strcmp(xa->a[i].name, name) == 0)
			return &xa->a[i];
	xa->a = realloc(xa->a, (xa->n + 1) * sizeof *xa->a);
	assert_non_null(xa->a);
	memset(&xa->a[xa->n], 0, sizeof xa->a[0]);
	xa->a[xa->n].type = type;
	fmt(xa->a[xa->n].name, sizeof xa->a[0].name, "%s", name);
	return &xa->a[xa->n++];
}

/* The value after "Key:" on a "\tKey:\t value" line, or NULL. ntfsinfo
 * prints "Lowest VCN" without the colon. */
static const char *kv(const char *line, const char *key)
{
	size_t n = strlen(key);

	while (*line == '\t' || *line == ' ')
		line++;
	if (strncmp(line, key, n) != 0)
		return NULL;
	line += n;
	if (*line == ':')
		line++;
	else if (*line != '\t')
		return NULL;
	while (*line == '\t' || *line == ' ')
		line++;
	return line;
}

void tool_attrs(const char *path, uint64_t inode, struct xattrs *out)
{
	char ino[32];
	const char *argv[] = {"ntfsinfo", "-v", "-i", ino, path, NULL};
	char *text, *line, *save = NULL;
	/* Per dump: collected then merged into the attribute at its end. */
	struct {
		bool active, in_runs;
		uint32_t type;
		uint64_t record, lowest;
		char name[NTFS_NAME_MAX_UTF8];
		struct xattr v;
		size_t nruns, cap;
		struct xrun *runs;
	} d;

	memset(out, 0, sizeof *out);
	memset(&d, 0, sizeof d);
	snprintf(ino, sizeof ino, "%llu", (unsigned long long)inode);
	text = tool_must(argv, NULL);
	for (line = strtok_r(text, "\n", &save);; line = strtok_r(NULL, "\n", &save)) {
		const char *v;
		unsigned long long a, b, c;
		char lcn[64];

		if (line == NULL || strncmp(line, "Dumping attribute ", 18) == 0 ||
		    strncmp(line, "End of inode", 12) == 0) {
			if (d.active) {
				struct xattr *x = xattr_get(out, d.type, d.name);
				if (d.lowest == 0) {
					x->flags = d.v.flags;
					x->resident = d.v.resident;
					x->size = d.v.size;
					x->alloc = d.v.alloc;
					x->init = d.v.init;
				}
				if (x->extents < 8)
					x->records[x->extents] = d.record;
				x->extents++;
				x->runs = realloc(x->runs,
				                  (x->nruns + d.nruns + 1) * sizeof *x->runs);
				assert_non_null(x->runs);
				if (d.nruns > 0)
					memcpy(x->runs + x->nruns, d.runs,
					       d.nruns * sizeof *d.runs);
				x->nruns += d.nruns;
			}
			free(d.runs);
			memset(&d, 0, sizeof d);
			if (line == NULL)
				break;
			v = strstr(line, "(0x");
			if (v != NULL && sscanf(v, "(0x%llx)", &a) == 1) {
				d.active = true;
				d.type = (uint32_t)a;
				v = strstr(line, "from mft record ");
				if (v != NULL && sscanf(v, "from mft record %llu", &b) == 1)
					d.record = b;
			}
			continue;
		}
		if (!d.active)
			continue;
		if (d.in_runs && line[0] == '\t' && line[1] == '\t' &&
		    sscanf(line, " 0x%llx %63s 0x%llx", &a, lcn, &c) == 3) {
			struct xrun r = {a, 0, c};
			if (strcmp(lcn, "<HOLE>") == 0)
				r.lcn = NTFS_LCN_HOLE;
			else if (sscanf(lcn, "0x%llx", &b) == 1)
				r.lcn = b;
			else
				continue; /* <NOTMAPPED> and the like: another extent's */
			if (d.nruns == d.cap) {
				d.cap = d.cap ? 2 * d.cap : 16;
				d.runs = realloc(d.runs, d.cap * sizeof *d.runs);
				assert_non_null(d.runs);
			}
			d.runs[d.nruns++] = r;
			continue;
		}
		d.in_runs = false;
		if ((v = kv(line, "Attribute name")) != NULL) {
			size_t n = strlen(v);
			if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'')
				fmt(d.name, sizeof d.name, "%.*s", (int)(n - 2), v + 1);
		} else if ((v = kv(line, "Attribute flags")) != NULL) {
			d.v.flags = (uint16_t)strtoul(v, NULL, 16);
		} else if ((v = kv(line, "Resident")) != NULL) {
			d.v.resident = strncmp(v, "Yes", 3) == 0;
		} else if ((v = kv(line, "Lowest VCN")) != NULL) {
			d.lowest = strtoull(v, NULL, 10);
		} else if ((v = kv(line, "Data size")) != NULL) {
			d.v.size = strtoull(v, NULL, 10);
			if (d.v.resident)
				d.v.alloc = d.v.init = d.v.size;
		} else if ((v = kv(line, "Allocated size")) != NULL) {
			d.v.alloc = strtoull(v, NULL, 10);
		} else if ((v = kv(line, "Initialized size")) != NULL) {
			d.v.init = strtoull(v, NULL, 10);
		} else if (kv(line, "Runlist") != NULL) {
			d.in_runs = true;
		}
	}
	free(text);
}

void tool_attrs_free(struct xattrs *xa)
{
	for (size_t i = 0; i < xa->n; i++)
		free(xa->a[i].runs);
	free(xa->a);
	memset(xa, 0, sizeof *xa);
}

const struct xattr *xattr_find(const struct xattrs *xa, uint32_t type, const char *name)
{
	for (size_t i = 0; i < xa->n; i++)
		if (xa->a[i].type == type && strcmp(xa->a[i].name, name ? name : "") == 0)
			return &xa->a[i];
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

size_t tool_ls(const char *path, const char *dir, struct lsent **out)
{
	const char *argv[] = {"ntfsls", "-a", "-s", "-i", "-p", dir, path, NULL};
	char *text = tool_must(argv, NULL), *line, *save = NULL;
	size_t n = 0, cap = 64;
	struct lsent *e = malloc(cap * sizeof *e);

	assert_non_null(e);
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *end;
		unsigned long long ino = strtoull(line, &end, 10);
		if (end == line || *end != ' ')
			fail_msg("ntfsls -p %s %s: cannot parse '%s'", dir, path, line);
		end++;
		/* ntfs_dir_next() gives neither, not even the root's own "."
		 * index entry. */
		if (strcmp(end, "..") == 0 || strcmp(end, ".") == 0)
			continue;
		if (n == cap) {
			cap *= 2;
			e = realloc(e, cap * sizeof *e);
			assert_non_null(e);
		}
		e[n].ino = ino;
		e[n].name = strdup(end);
		assert_non_null(e[n].name);
		n++;
	}
	free(text);
	*out = e;
	return n;
}

void tool_ls_free(struct lsent *ents, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
}

static int lsent_cmp(const void *a, const void *b)
{
	const struct lsent *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->ino > y->ino) - (x->ino < y->ino);
}

void lsent_sort(struct lsent *ents, size_t n)
{
	qsort(ents, n, sizeof *ents, lsent_cmp);
}

uint16_t *tool_upcase(const char *path)
{
	const char *argv[] = {"ntfscat", path, "$UpCase", NULL};
	size_t len;
	uint8_t *raw = (uint8_t *)tool_must(argv, &len);
	uint16_t *up = malloc(65536 * sizeof *up);

	assert_non_null(up);
	if (len != 131072)
		fail_msg("ntfscat %s '$UpCase' gave %zu bytes, want 131072", path, len);
	for (size_t i = 0; i < 65536; i++)
		up[i] = (uint16_t)(raw[2 * i] | raw[2 * i + 1] << 8);
	free(raw);
	return up;
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
