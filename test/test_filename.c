/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A file's names (filename.c, ntfs_name_next()): every $FILE_NAME of every
 * record the reference files dump, against ntfsinfo's; and hostile values
 * built by hand on a synthetic volume.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "fixture.h"
#include "image.h"
#include "memdev.h"
#include "ondisk.h"
#include "synvol.h"

#define MAX_IMAGES 32
#define REC 16u
#define SEQ 1u
#define CLUSTER 1024u

/* ntfsinfo's word for a namespace. */
static const char *ns_word(uint8_t ns)
{
	static const char *const words[] = {"POSIX", "Win32", "DOS", "Win32 & DOS"};
	return ns < 4 ? words[ns] : "?";
}

static void check_record(const char *image, ntfs_volume *vol, const struct tref_record *r)
{
	struct ntfs_name_info info;
	ntfs_file *f;
	uint32_t cursor = 0;
	size_t k = 0;
	int got;

	assert_int_equal(ntfs_file_open(vol, r->rec, &f), NTFS_OK);
	while ((got = ntfs_name_next(f, &cursor, &info)) == 1) {
		if (k >= r->nfnames)
			fail_msg("%s: record %llu has more names than ntfsinfo's %zu", image,
			         (unsigned long long)r->rec, r->nfnames);
		if (NTFS_REF_RECORD(info.parent_ref) != r->fnames[k].parent ||
		    strcmp(ns_word(info.name_space), r->fnames[k].ns) != 0 ||
		    strcmp(info.name, r->fnames[k].name) != 0 || strlen(info.name) != info.name_len)
			fail_msg("%s: record %llu name %zu: %llu %s '%s', ntfsinfo %llu %s '%s'",
			         image, (unsigned long long)r->rec, k,
			         (unsigned long long)NTFS_REF_RECORD(info.parent_ref),
			         ns_word(info.name_space), info.name,
			         (unsigned long long)r->fnames[k].parent, r->fnames[k].ns,
			         r->fnames[k].name);
		k++;
	}
	assert_int_equal(got, 0);
	if (k != r->nfnames)
		fail_msg("%s: record %llu has %zu names, ntfsinfo %zu", image,
		         (unsigned long long)r->rec, k, r->nfnames);
	ntfs_file_close(f);
}

/* Every dumped record of every committed image: the same names, in the
 * same order (attribute order, through the attribute list), as ntfsinfo. */
static void names_as_ntfsinfo(void **state)
{
	static char names[MAX_IMAGES][128];
	size_t n = timage_list(names, MAX_IMAGES), total = 0;

	(void)state;
	if (n == 0)
		fail_msg("no committed test images");
	for (size_t i = 0; i < n; i++) {
		struct timage img;
		struct tref ref;
		struct memdev dev;
		struct memalloc ma;
		ntfs_volume *vol;
		size_t names_seen = 0;

		timage_open(&img, names[i]);
		tref_load(&ref, names[i]);
		assert_int_equal(timage_mount(&img, 512, &dev, &ma, &vol), NTFS_OK);
		for (size_t j = 0; j < ref.nrecs; j++) {
			check_record(names[i], vol, &ref.recs[j]);
			names_seen += ref.recs[j].nfnames;
		}
		print_message("  %s: %zu records, %zu names\n", names[i], ref.nrecs, names_seen);
		total += names_seen;
		timage_unmount(vol, &ma);
		tref_free(&ref);
		timage_close(&img);
	}
	assert_true(total > 0);
}

/* A $FILE_NAME value of @units (host order) in directory @parent. */
static uint32_t fn_value(uint8_t *v, const uint16_t *units, uint8_t n, uint8_t ns, uint64_t parent)
{
	memset(v, 0, OD_FN_NAME);
	fx_st64(v + OD_FN_PARENT, parent | (uint64_t)5 << 48);
	v[OD_FN_NAME_LEN] = n;
	v[OD_FN_NAMESPACE] = ns;
	for (uint8_t i = 0; i < n; i++)
		fx_st16(v + OD_FN_NAME + 2 * i, units[i]);
	return OD_FN_NAME + 2u * n;
}

enum fn_fault {
	FN_NONE,
	FN_SHORT,       /* value ends inside the header */
	FN_PAST_VALUE,  /* name_len runs past the value */
	FN_EMPTY,       /* name_len 0 */
	FN_NAMESPACE,   /* namespace 4 */
	FN_NONRESIDENT, /* stored outside the record */
};

struct fn_case {
	const char *what;
	uint16_t units[4];
	uint8_t n;
	enum fn_fault fault;
	int want;        /* for the hostile name; a good name "ok" follows it */
	uint32_t rec;    /* the record that has the names: 0 for REC */
	uint64_t parent; /* of the hostile name: 0 for the root */
};

static const struct fn_case fn_cases[] = {
        {"plain", {'a', 'b'}, 2, FN_NONE, 1, 0, 0},
        {"non-ASCII", {0x00E9, 0x4E2D}, 2, FN_NONE, 1, 0, 0},
        {"pair", {0xD83D, 0xDE00}, 2, FN_NONE, 1, 0, 0},
        {"slash", {'a', '/', 'b'}, 3, FN_NONE, NTFS_ERR_NAME, 0, 0},
        {"NUL", {'a', 0, 'b'}, 3, FN_NONE, NTFS_ERR_NAME, 0, 0},
        {"dot", {'.'}, 1, FN_NONE, NTFS_ERR_NAME, 0, 0},
        {"dot-dot", {'.', '.'}, 2, FN_NONE, NTFS_ERR_NAME, 0, 0},
        {"lone surrogate", {'a', 0xD800}, 2, FN_NONE, NTFS_ERR_NAME, 0, 0},
        {"short value", {'a'}, 1, FN_SHORT, NTFS_ERR_CORRUPT_ATTR, 0, 0},
        {"name past value", {'a', 'b'}, 2, FN_PAST_VALUE, NTFS_ERR_CORRUPT_ATTR, 0, 0},
        {"empty name", {'a'}, 0, FN_EMPTY, NTFS_ERR_CORRUPT_ATTR, 0, 0},
        {"namespace 4", {'a'}, 1, FN_NAMESPACE, NTFS_ERR_CORRUPT_ATTR, 0, 0},
        {"non-resident", {'a'}, 1, FN_NONRESIDENT, NTFS_ERR_CORRUPT_ATTR, 0, 0},
        /* The root alone is "." in itself. */
        {"root's dot", {'.'}, 1, FN_NONE, 1, NTFS_ROOT_RECORD, 0},
        {"root's dot elsewhere", {'.'}, 1, FN_NONE, NTFS_ERR_NAME, NTFS_ROOT_RECORD, REC},
        {"root's dot-dot", {'.', '.'}, 2, FN_NONE, NTFS_ERR_NAME, NTFS_ROOT_RECORD, 0},
        {"dot in another directory", {'.'}, 1, FN_NONE, NTFS_ERR_NAME, 0, REC},
};

/* Record REC holds the case's $FILE_NAME, then a good one named "ok". */
static void build_case(struct synvol *s, const struct fn_case *c)
{
	static const uint16_t ok[] = {'o', 'k'};
	uint8_t v[OD_FN_NAME + 16], *rec;
	uint32_t len = fn_value(v, c->units, c->n, NTFS_NAMESPACE_POSIX,
	                        c->parent ? c->parent : NTFS_ROOT_RECORD);
	uint64_t lcn = SYNVOL_DATA_OFF / CLUSTER;

	synvol_init(s, CLUSTER, 1024, 4096);
	rec = synvol_record(s, c->rec ? c->rec : REC);
	fx_record(rec, 1024);
	fx_record_set(rec, SEQ, OD_REC_FLAG_IN_USE, 0);
	if (c->fault == FN_SHORT)
		len = OD_FN_NAME - 1;
	else if (c->fault == FN_PAST_VALUE)
		len -= 1;
	else if (c->fault == FN_NAMESPACE)
		v[OD_FN_NAMESPACE] = 4;
	assert_true(synvol_add_value(s, rec, NTFS_AT_FILE_NAME, NULL, 0, v, len,
	                             c->fault != FN_NONRESIDENT, &lcn) != 0);
	len = fn_value(v, ok, 2, NTFS_NAMESPACE_WIN32_DOS, NTFS_ROOT_RECORD);
	assert_true(synvol_add_value(s, rec, NTFS_AT_FILE_NAME, NULL, 0, v, len, true, &lcn) != 0);
}

static void hostile_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof fn_cases / sizeof fn_cases[0]; i++) {
		const struct fn_case *c = &fn_cases[i];
		struct ntfs_name_info info;
		struct synvol s;
		ntfs_volume *vol;
		ntfs_file *f;
		uint32_t cursor = 0;
		int got;

		print_message("  %s\n", c->what);
		build_case(&s, c);
		assert_int_equal(synvol_mount(&s, 1, &vol), NTFS_OK);
		assert_int_equal(ntfs_file_open(vol, c->rec ? c->rec : REC, &f), NTFS_OK);
		memset(&info, 0x5A, sizeof info);
		got = ntfs_name_next(f, &cursor, &info);
		assert_int_equal(got, c->want);
		if (got == 1 || got == NTFS_ERR_NAME) {
			/* name16 is what the disk holds; name is its UTF-8, or "". */
			char want8[16];
			long n8 = utf16_to_8(c->units, c->n, want8, sizeof want8);

			assert_int_equal(info.name16_len, c->n);
			assert_memory_equal(info.name16, c->units, c->n * sizeof c->units[0]);
			assert_int_equal(info.name_space, NTFS_NAMESPACE_POSIX);
			assert_int_equal(NTFS_REF_RECORD(info.parent_ref),
			                 c->parent ? c->parent : NTFS_ROOT_RECORD);
			if (got == 1) {
				assert_true(n8 > 0);
				assert_int_equal(info.name_len, (size_t)n8);
				assert_string_equal(info.name, want8);
			} else {
				assert_int_equal(info.name_len, 0);
				assert_string_equal(info.name, "");
			}
			/* The cursor moved on: the next name is "ok". */
			assert_int_equal(ntfs_name_next(f, &cursor, &info), 1);
			assert_string_equal(info.name, "ok");
			assert_int_equal(info.name_space, NTFS_NAMESPACE_WIN32_DOS);
			assert_int_equal(ntfs_name_next(f, &cursor, &info), 0);
		}
		ntfs_file_close(f);
		synvol_unmount(&s, vol);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(names_as_ntfsinfo),
	        cmocka_unit_test(hostile_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
