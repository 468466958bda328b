/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntfs-ls: list a directory of an NTFS image, optionally recursively.
 *
 * The recursion walks an explicit, heap-allocated stack with one open
 * directory cursor per level, so a deep or hostile tree costs heap, not C
 * stack, and is bounded by NTFS_MAX_PATH_DEPTH.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "cli.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
        "Usage: ntfs-ls [-l] [-a] [-i] [-R] [--offset BYTES | --partition N] [--stats] IMAGE "
        "[PATH]\n"
        "List the directory PATH (default /) of the NTFS volume in IMAGE, in index order.\n"
        "\n"
        "  -l, --long           print TYPE SIZE MTIME RECORD NAME [-> TARGET] (MTIME in UTC)\n"
        "  -a, --all            also list NTFS metadata files ($MFT, $Extend...)\n"
        "  -i, --inode          print the MFT record number before each name\n"
        "  -R, --recursive      list subdirectories too, printing full paths\n"
        "      --offset BYTES   the volume starts BYTES into IMAGE (decimal or 0x hex)\n"
        "      --partition N    the volume is partition N of IMAGE's MBR or GPT (default:\n"
        "                       IMAGE itself, or else its first NTFS partition)\n"
        "      --stats          print cache hits and misses, device reads and heap peak\n"
        "                       to stderr on exit\n"
        "  -h, --help           print this help and exit\n"
        "      --version        print the version and exit\n";

/* Records 0-15 are NTFS's own files ($MFT... $Extend is 11). */
#define FIRST_USER_RECORD 16u

struct opts {
	bool all;
	bool inode;
	bool longfmt;
	bool recursive;
};

/* One directory being listed: the walk's unit of depth. */
struct frame {
	ntfs_file *file;
	ntfs_dir *cursor;
	uint64_t record;
	size_t path_len;   /* bytes of walk.path naming this directory */
	size_t components; /* path components from the root to it */
};

/* Record numbers of every directory entered, to enter none twice. */
struct record_set {
	uint64_t *slots; /* open addressing; UINT64_MAX marks an empty slot */
	size_t cap;      /* a power of two */
	size_t count;
};

struct walk {
	ntfs_volume *vol;
	struct opts opt;
	struct frame *stack;
	size_t depth;
	size_t stack_cap;
	char *path; /* "/a/b" of the current entry; "" for the root */
	size_t path_cap;
	struct record_set seen;
	int status;
};

static void out_of_memory(void)
{
	fprintf(stderr, "%s: out of memory\n", cli_prog);
	exit(CLI_EXIT_FAIL);
}

static size_t hash_record(uint64_t rec, size_t cap)
{
	rec *= 0x9E3779B97F4A7C15ull; /* Fibonacci hashing spreads sequential records */
	return (size_t)(rec >> 32) & (cap - 1);
}

/* Add rec; return false if it was already there. */
static bool set_add(struct record_set *set, uint64_t rec)
{
	size_t i;

	if ((set->count + 1) * 2 > set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		uint64_t *slots = malloc(cap * sizeof(*slots));

		if (slots == NULL)
			out_of_memory();
		for (i = 0; i < cap; i++)
			slots[i] = UINT64_MAX;
		for (i = 0; i < set->cap; i++) {
			size_t j;

			if (set->slots[i] == UINT64_MAX)
				continue;
			for (j = hash_record(set->slots[i], cap); slots[j] != UINT64_MAX;)
				j = (j + 1) & (cap - 1);
			slots[j] = set->slots[i];
		}
		free(set->slots);
		set->slots = slots;
		set->cap = cap;
	}
	for (i = hash_record(rec, set->cap); set->slots[i] != UINT64_MAX;
	     i = (i + 1) & (set->cap - 1))
		if (set->slots[i] == rec)
			return false;
	set->slots[i] = rec;
	set->count++;
	return true;
}

/* Make room for path_len + extra bytes and a NUL in w->path. */
static void path_reserve(struct walk *w, size_t len)
{
	char *p;
	size_t cap;

	if (len < w->path_cap)
		return;
	cap = w->path_cap ? w->path_cap : 256;
	while (cap <= len)
		cap *= 2;
	p = realloc(w->path, cap);
	if (p == NULL)
		out_of_memory();
	w->path = p;
	w->path_cap = cap;
}

/* Name of a directory for messages: its path, or "/" for the root. */
static const char *dir_label(struct walk *w, const struct frame *f)
{
	if (f->path_len == 0)
		return "/";
	w->path[f->path_len] = '\0';
	return w->path;
}

/*
 * Turn the user's PATH into the "/a/b" form the walk prints, the way
 * ntfs_path_open() reads it: empty components and "." vanish, ".." pops.
 */
static void set_start_path(struct walk *w, const char *user, size_t *components)
{
	size_t len = 0, n = 0;

	path_reserve(w, strlen(user) + 1);
	while (*user != '\0') {
		size_t clen = strcspn(user, "/");

		if (clen == 2 && user[0] == '.' && user[1] == '.') {
			while (len > 0 && w->path[len - 1] != '/')
				len--;
			if (len > 0) {
				len--;
				n--;
			}
		} else if (clen > 0 && !(clen == 1 && user[0] == '.')) {
			w->path[len++] = '/';
			memcpy(w->path + len, user, clen);
			len += clen;
			n++;
		}
		user += clen;
		if (*user == '/')
			user++;
	}
	w->path[len] = '\0';
	*components = n;
}

static void push(struct walk *w, ntfs_file *file, ntfs_dir *cursor, uint64_t record,
                 size_t path_len, size_t components)
{
	if (w->depth == w->stack_cap) {
		size_t cap = w->stack_cap ? w->stack_cap * 2 : 16;
		struct frame *s = realloc(w->stack, cap * sizeof(*s));

		if (s == NULL)
			out_of_memory();
		w->stack = s;
		w->stack_cap = cap;
	}
	w->stack[w->depth++] = (struct frame){
	        .file = file,
	        .cursor = cursor,
	        .record = record,
	        .path_len = path_len,
	        .components = components,
	};
}

static void pop(struct walk *w)
{
	struct frame *f = &w->stack[--w->depth];

	ntfs_dir_close(f->cursor);
	ntfs_file_close(f->file);
}

static bool on_stack(const struct walk *w, uint64_t record)
{
	size_t i;

	for (i = 0; i < w->depth; i++)
		if (w->stack[i].record == record)
			return true;
	return false;
}

static bool hidden(const struct walk *w, const struct ntfs_dirent *ent)
{
	return !w->opt.all && NTFS_REF_RECORD(ent->ref) < FIRST_USER_RECORD;
}

/* Enter the directory the current entry names (w->path), already open as file. */
static void descend(struct walk *w, ntfs_file *file, uint64_t record, size_t path_len)
{
	const struct frame *top = &w->stack[w->depth - 1];
	ntfs_dir *cursor;
	int err;

	/* A hostile index can name an ancestor, or one directory from two places. */
	if (on_stack(w, record)) {
		cli_errorf(w->path, "directory cycle: record %" PRIu64 " is its own ancestor here",
		           record);
		goto fail;
	}
	if (!set_add(&w->seen, record)) {
		cli_errorf(w->path, "directory record %" PRIu64 " already listed elsewhere",
		           record);
		goto fail;
	}
	/* Keep every printed path short enough for ntfs_path_open(). */
	if (top->components + 1 >= NTFS_MAX_PATH_DEPTH) {
		cli_errorf(w->path, "not descending: entries would be deeper than %d components",
		           NTFS_MAX_PATH_DEPTH);
		goto fail;
	}
	err = ntfs_dir_open(file, 0, &cursor);
	if (err != NTFS_OK) {
		cli_error(w->path, err);
		goto fail;
	}
	push(w, file, cursor, record, path_len, top->components + 1);
	return;
fail:
	w->status = CLI_EXIT_FAIL;
	ntfs_file_close(file);
}

/* ls's letter for a type. */
static char type_letter(unsigned type)
{
	static const char letters[] = "-dlpscb";
	return type < sizeof letters - 1 ? letters[type] : '?';
}

/* -l's TYPE: the type letter, then C (compressed: LZNT1 or WOF), S (sparse),
 * E (encrypted), R (a reparse point that is not a link or special file). */
static void print_type(const struct ntfs_stat *st)
{
	putchar(type_letter(st->type));
	if ((st->attributes & NTFS_FILE_ATTR_COMPRESSED) || st->reparse_tag == NTFS_REPARSE_TAG_WOF)
		putchar('C');
	if (st->attributes & NTFS_FILE_ATTR_SPARSE)
		putchar('S');
	if (st->attributes & NTFS_FILE_ATTR_ENCRYPTED)
		putchar('E');
	if (st->reparse_tag != 0 && st->reparse_tag != NTFS_REPARSE_TAG_WOF &&
	    (st->type == NTFS_TYPE_FILE || st->type == NTFS_TYPE_DIR))
		putchar('R');
}

static void print_entry(struct walk *w, const char *name, uint64_t record, bool is_dir,
                        const struct ntfs_stat *st, ntfs_file *file)
{
	if (w->opt.longfmt) {
		char when[CLI_TIME_LEN];

		cli_format_time(st->modification_time, when);
		print_type(st);
		if (st->type == NTFS_TYPE_CHAR || st->type == NTFS_TYPE_BLOCK)
			printf(" %" PRIu64 ",%" PRIu64, st->rdev_major, st->rdev_minor);
		else
			printf(" %" PRIu64, is_dir ? (uint64_t)0 : st->size);
		printf(" %s %" PRIu64 " ", when, record);
	} else if (w->opt.inode) {
		printf("%" PRIu64 " ", record);
	}
	cli_put_name(stdout, name, CLI_QUOTE_NEEDED);
	if (w->opt.longfmt && st->type == NTFS_TYPE_SYMLINK) {
		static char target[NTFS_TARGET_MAX];
		int err = ntfs_file_readlink(file, target, sizeof target, NULL);

		fputs(" -> ", stdout);
		if (err == NTFS_OK) {
			cli_put_name(stdout, target, CLI_QUOTE_NEEDED);
		} else {
			putchar('?');
			cli_error(w->path, err);
			w->status = CLI_EXIT_FAIL;
		}
	}
	putchar('\n');
}

static void visit(struct walk *w, const struct ntfs_dirent *ent)
{
	const struct frame *top = &w->stack[w->depth - 1];
	uint64_t record = NTFS_REF_RECORD(ent->ref);
	bool is_dir = ent->is_dir;
	ntfs_file *file = NULL;
	struct ntfs_stat st;
	size_t path_len;
	int err;

	if (hidden(w, ent))
		return;
	path_len = top->path_len + 1 + ent->name_len;
	path_reserve(w, path_len);
	w->path[top->path_len] = '/';
	memcpy(w->path + top->path_len + 1, ent->name, ent->name_len);
	w->path[path_len] = '\0';

	/* The index's copy of the metadata may be stale: -l asks the record itself. */
	if (w->opt.longfmt || (w->opt.recursive && is_dir)) {
		err = ntfs_file_open(w->vol, ent->ref, &file);
		if (err == NTFS_OK) {
			err = ntfs_file_stat(file, &st);
			if (err != NTFS_OK)
				ntfs_file_close(file);
		}
		if (err != NTFS_OK) {
			/* Said, and still listed (as ls does), with what is unknown as '?'. */
			cli_error(w->path, err);
			w->status = CLI_EXIT_FAIL;
			if (w->opt.longfmt)
				printf("? ? ? ? %" PRIu64 " ", record);
			else if (w->opt.inode)
				printf("%" PRIu64 " ", record);
			cli_put_name(stdout, w->opt.recursive ? w->path : ent->name,
			             CLI_QUOTE_NEEDED);
			putchar('\n');
			return;
		}
		/* A directory symlink or junction is listed, not entered, as ls -R does. */
		is_dir = st.type == NTFS_TYPE_DIR;
	}
	print_entry(w, w->opt.recursive ? w->path : ent->name, record, is_dir, &st, file);
	if (w->opt.recursive && is_dir)
		descend(w, file, record, path_len);
	else
		ntfs_file_close(file);
}

static void walk(struct walk *w)
{
	struct ntfs_dirent ent;

	while (w->depth > 0) {
		struct frame *top = &w->stack[w->depth - 1];
		int r = ntfs_dir_next(top->cursor, &ent);

		if (r == 1) {
			visit(w, &ent);
		} else if (r == NTFS_ERR_NAME) {
			/* The cursor has moved on; report the entry and carry on. */
			cli_errorf(dir_label(w, top), "entry for record %" PRIu64 ": %s",
			           (uint64_t)NTFS_REF_RECORD(ent.ref), ntfs_strerror(r));
			w->status = CLI_EXIT_FAIL;
		} else {
			if (r < 0) {
				cli_error(dir_label(w, top), r);
				w->status = CLI_EXIT_FAIL;
			}
			pop(w);
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	        CLI_COMMON_OPTIONS,
	        {"long", no_argument, NULL, 'l'},
	        {"all", no_argument, NULL, 'a'},
	        {"inode", no_argument, NULL, 'i'},
	        {"recursive", no_argument, NULL, 'R'},
	        {NULL, 0, NULL, 0},
	};
	struct walk w = {.status = CLI_EXIT_OK};
	struct ntfs_posix_dev dev;
	const char *image, *path;
	ntfs_file *dir;
	ntfs_dir *cursor;
	struct ntfs_stat st;
	size_t components;
	int opt, err;

	cli_init("ntfs-ls", usage);
	while ((opt = getopt_long(argc, argv, "laiRh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			w.opt.longfmt = true;
			break;
		case 'a':
			w.opt.all = true;
			break;
		case 'i':
			w.opt.inode = true;
			break;
		case 'R':
			w.opt.recursive = true;
			break;
		default:
			cli_option(opt, optarg);
		}
	}
	cli_operands(argc, argv, 1, 2);
	image = argv[optind];
	path = optind + 1 < argc ? argv[optind + 1] : "/";

	if (cli_mount(image, &dev, &w.vol) != NTFS_OK)
		return CLI_EXIT_FAIL;
	err = ntfs_path_open(w.vol, path, &dir);
	if (err == NTFS_OK) {
		err = ntfs_file_stat(dir, &st);
		if (err == NTFS_OK)
			err = ntfs_dir_open(dir, 0, &cursor);
		if (err != NTFS_OK)
			ntfs_file_close(dir);
	}
	if (err != NTFS_OK) {
		cli_error(path, err);
		cli_unmount(&dev, w.vol);
		return cli_finish(CLI_EXIT_FAIL);
	}
	set_start_path(&w, path, &components);
	set_add(&w.seen, NTFS_REF_RECORD(st.ref));
	push(&w, dir, cursor, NTFS_REF_RECORD(st.ref), strlen(w.path), components);
	walk(&w);

	free(w.stack);
	free(w.path);
	free(w.seen.slots);
	cli_unmount(&dev, w.vol);
	return cli_finish(w.status);
}
