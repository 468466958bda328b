/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Special files: reparse points parsed (reparse.c) and turned into POSIX
 * link targets, Interix files (interix.c), extended attributes and WSL
 * metadata (ea.c), and what ntfs_file_stat()/ntfs_file_readlink() make of
 * them (stat.c). Values are built by the test; the shared Windows records
 * rp.bin (a symlink) and frs_ea.bin, frs-81151.bin (WSL EAs) are read as
 * found, their expected fields taken from the bytes (offsets below).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "fixture.h"
#include "ondisk.h"
#include "synvol.h"

/* ---- reparse values ------------------------------------------------------ */

/* ASCII or UTF-8 @s as UTF-16LE at @p (BMP only); returns bytes written. */
static uint32_t put_utf16(uint8_t *p, const char *s)
{
	uint32_t n = 0;

	while (*s) {
		uint32_t c = (uint8_t)*s++;
		if (c >= 0xC0) { /* two-byte UTF-8 is all the tests use */
			c = (c & 0x1F) << 6 | ((uint8_t)*s++ & 0x3F);
		}
		fx_st16(p + n, (uint16_t)c);
		n += 2;
	}
	return n;
}

/* A symlink (@flags) or junction value: substitute then print name. */
static size_t link_value(uint8_t *v, uint32_t tag, const char *subst, const char *print,
                         uint32_t flags)
{
	uint32_t hdr = tag == NTFS_REPARSE_TAG_SYMLINK ? 12 : 8;
	uint8_t *d = v + 8, *names = d + hdr;
	uint32_t sl = put_utf16(names, subst), pl = put_utf16(names + sl, print);

	fx_st32(v, tag);
	fx_st16(v + 4, (uint16_t)(hdr + sl + pl));
	fx_st16(v + 6, 0);
	fx_st16(d, 0);
	fx_st16(d + 2, (uint16_t)sl);
	fx_st16(d + 4, (uint16_t)sl);
	fx_st16(d + 6, (uint16_t)pl);
	if (hdr == 12)
		fx_st32(d + 8, flags);
	return 8 + hdr + sl + pl;
}

static size_t wsl_value(uint8_t *v, const char *target, size_t len, uint32_t version)
{
	fx_st32(v, NTFS_REPARSE_TAG_LX_SYMLINK);
	fx_st16(v + 4, (uint16_t)(4 + len));
	fx_st16(v + 6, 0);
	fx_st32(v + 8, version);
	memcpy(v + 12, target, len);
	return 12 + len;
}

static size_t wof_value(uint8_t *v, uint32_t version, uint32_t provider, uint32_t fversion,
                        uint32_t algorithm)
{
	fx_st32(v, NTFS_REPARSE_TAG_WOF);
	fx_st16(v + 4, 16);
	fx_st16(v + 6, 0);
	fx_st32(v + 8, version);
	fx_st32(v + 12, provider);
	fx_st32(v + 16, fversion);
	fx_st32(v + 20, algorithm);
	return 24;
}

enum mutation {
	M_NONE,
	M_DATA_LEN_LONGER, /* data length 2 more than the value holds */
	M_DATA_LEN_SHORTER,
	M_SUBST_PAST,     /* substitute name runs past the path buffer */
	M_PRINT_ODD,      /* print name of odd length */
	M_SUBST_OFF_HUGE, /* substitute offset 0xFFFF */
	M_TRUNCATE_HDR,   /* value of 7 bytes */
	M_LONE_SURROGATE, /* first unit of the substitute name U+D800 */
	M_NUL,            /* second unit of the substitute name U+0000 */
};

struct rp_case {
	const char *what;
	int kind; /* 0 symlink, 1 junction, 2 WSL, 3 WOF, 4 other MS tag, 5 non-MS tag */
	const char *subst, *print;
	uint32_t flags;
	enum mutation m;
	int parse;          /* ntfs_reparse_parse() */
	int target_err;     /* ntfsi_reparse_target() */
	const char *target; /* when it succeeds */
};

static const struct rp_case rp_cases[] = {
        {"relative symlink", 0, "..\\dir\\file", "..\\dir\\file", 1, M_NONE, NTFS_OK, NTFS_OK,
         "../dir/file"},
        {"absolute symlink", 0, "\\??\\C:\\dir", "C:\\dir", 0, M_NONE, NTFS_OK, NTFS_OK, "C:/dir"},
        {"junction", 1, "\\??\\C:\\target", "C:\\target", 0, M_NONE, NTFS_OK, NTFS_OK, "C:/target"},
        {"UNC symlink", 0, "\\??\\UNC\\srv\\share\\x", "\\\\srv\\share\\x", 0, M_NONE, NTFS_OK,
         NTFS_OK, "//srv/share/x"},
        {"volume GUID junction", 1, "\\??\\Volume{1}\\", "", 0, M_NONE, NTFS_OK, NTFS_OK,
         "Volume{1}/"},
        {"empty substitute: the print name", 0, "", "x\\y", 1, M_NONE, NTFS_OK, NTFS_OK, "x/y"},
        {"non-ASCII", 0, "caf\xc3\xa9\\\xc3\xa0", "", 1, M_NONE, NTFS_OK, NTFS_OK,
         "caf\xc3\xa9/\xc3\xa0"},
        {"WSL symlink", 2, "/usr/bin/tool", NULL, 0, M_NONE, NTFS_OK, NTFS_OK, "/usr/bin/tool"},
        {"WOF", 3, NULL, NULL, 0, M_NONE, NTFS_OK, NTFS_ERR_NOT_FOUND, NULL},
        {"unknown Microsoft tag", 4, NULL, NULL, 0, M_NONE, NTFS_OK, NTFS_ERR_NOT_FOUND, NULL},
        {"third-party tag with GUID", 5, NULL, NULL, 0, M_NONE, NTFS_OK, NTFS_ERR_NOT_FOUND, NULL},
        {"data length past the value", 0, "a", "a", 1, M_DATA_LEN_LONGER, NTFS_ERR_CORRUPT_REPARSE,
         0, NULL},
        {"data length short of the value", 4, NULL, NULL, 0, M_DATA_LEN_SHORTER,
         NTFS_ERR_CORRUPT_REPARSE, 0, NULL},
        {"substitute name past the buffer", 0, "abc", "abc", 1, M_SUBST_PAST,
         NTFS_ERR_CORRUPT_REPARSE, 0, NULL},
        {"substitute offset 0xFFFF", 1, "abc", "abc", 0, M_SUBST_OFF_HUGE, NTFS_ERR_CORRUPT_REPARSE,
         0, NULL},
        {"print name of odd length", 0, "abc", "abc", 1, M_PRINT_ODD, NTFS_ERR_CORRUPT_REPARSE, 0,
         NULL},
        {"7-byte value", 0, "a", "a", 1, M_TRUNCATE_HDR, NTFS_ERR_CORRUPT_REPARSE, 0, NULL},
        {"lone surrogate in the target", 0, "abc", "abc", 1, M_LONE_SURROGATE, NTFS_OK,
         NTFS_ERR_NAME, NULL},
        {"NUL in the target", 0, "abc", "abc", 1, M_NUL, NTFS_OK, NTFS_ERR_NAME, NULL},
        {"both names empty", 1, "", "", 0, M_NONE, NTFS_OK, NTFS_ERR_CORRUPT_REPARSE, NULL},
        {"NT prefix alone", 0, "\\??\\", "", 0, M_NONE, NTFS_OK, NTFS_ERR_CORRUPT_REPARSE, NULL},
        {"UNC prefix alone", 1, "\\??\\UNC\\", "", 0, M_NONE, NTFS_OK, NTFS_ERR_CORRUPT_REPARSE,
         NULL},
        {"WSL target not UTF-8", 2, "\xff\x1bx", NULL, 0, M_NONE, NTFS_OK, NTFS_ERR_NAME, NULL},
        {"WSL target empty", 2, "", NULL, 0, M_NONE, NTFS_OK, NTFS_ERR_CORRUPT_REPARSE, NULL},
};

static size_t build_rp(const struct rp_case *c, uint8_t *v)
{
	size_t n = 0;

	switch (c->kind) {
	case 0:
	case 1:
		n = link_value(
		        v, c->kind == 0 ? NTFS_REPARSE_TAG_SYMLINK : NTFS_REPARSE_TAG_MOUNT_POINT,
		        c->subst, c->print, c->flags);
		break;
	case 2:
		n = wsl_value(v, c->subst, strlen(c->subst), 2);
		break;
	case 3:
		n = wof_value(v, 1, 2, 1, 1);
		break;
	case 4:
		fx_st32(v, 0x9000701Au);
		fx_st16(v + 4, 3);
		fx_st16(v + 6, 0);
		memcpy(v + 8, "abc", 3);
		n = 11;
		break;
	case 5:
		fx_st32(v, 0x0000BEEFu);
		fx_st16(v + 4, 2);
		memset(v + 6, 0x11, 18); /* reserved, GUID */
		memcpy(v + 24, "hi", 2);
		n = 26;
		break;
	}
	switch (c->m) {
	case M_NONE:
		break;
	case M_DATA_LEN_LONGER:
		fx_st16(v + 4, (uint16_t)(fx_ld16(v + 4) + 2));
		break;
	case M_DATA_LEN_SHORTER:
		fx_st16(v + 4, (uint16_t)(fx_ld16(v + 4) - 2));
		break;
	case M_SUBST_PAST:
		fx_st16(v + 10, (uint16_t)(fx_ld16(v + 10) + 2 * (uint16_t)strlen(c->print) + 2));
		break;
	case M_SUBST_OFF_HUGE:
		fx_st16(v + 8, 0xFFFF);
		break;
	case M_PRINT_ODD:
		fx_st16(v + 14, (uint16_t)(fx_ld16(v + 14) - 1));
		break;
	case M_TRUNCATE_HDR:
		n = 7;
		break;
	case M_LONE_SURROGATE:
		fx_st16(v + 20, 0xD800);
		break;
	case M_NUL:
		fx_st16(v + 22, 0);
		break;
	}
	return n;
}

static void reparse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rp_cases / sizeof rp_cases[0]; i++) {
		const struct rp_case *c = &rp_cases[i];
		uint8_t v[512];
		char out[256];
		struct ntfs_reparse rp;
		size_t n = build_rp(c, v), len = 0;
		int err = ntfs_reparse_parse(v, n, &rp);

		if (err != c->parse)
			fail_msg("%s: parse %d, want %d", c->what, err, c->parse);
		if (err)
			continue;
		assert_int_equal(rp.tag, fx_ld32(v));
		assert_true(rp.data_off + rp.data_len == n);
		err = ntfsi_reparse_target(v, &rp, out, sizeof out, &len);
		if (err != c->target_err)
			fail_msg("%s: target %d, want %d", c->what, err, c->target_err);
		if (err == NTFS_OK) {
			assert_string_equal(out, c->target);
			assert_int_equal(len, strlen(c->target));
			/* Every buffer too small says so and writes inside itself. */
			for (size_t cap = 1; cap <= len; cap++) {
				char small[256];
				memset(small, 'Z', sizeof small);
				assert_int_equal(ntfsi_reparse_target(v, &rp, small, cap, &n),
				                 NTFS_ERR_LIMIT);
				for (size_t k = cap; k < sizeof small; k++)
					assert_int_equal(small[k], 'Z');
			}
		}
	}
}

static void reparse_fields(void **state)
{
	uint8_t v[64];
	struct ntfs_reparse rp;
	(void)state;

	/* A relative symlink's names and flags where they lie in the value. */
	assert_int_equal(
	        ntfs_reparse_parse(v, link_value(v, NTFS_REPARSE_TAG_SYMLINK, "ab", "cde", 1), &rp),
	        NTFS_OK);
	assert_int_equal(rp.subst_off, 20);
	assert_int_equal(rp.subst_len, 4);
	assert_int_equal(rp.print_off, 24);
	assert_int_equal(rp.print_len, 6);
	assert_int_equal(rp.flags, NTFS_SYMLINK_RELATIVE);

	/* WOF: version 1, provider and file-provider version checked. */
	assert_int_equal(ntfs_reparse_parse(v, wof_value(v, 1, 2, 1, 3), &rp), NTFS_OK);
	assert_int_equal(rp.wof_provider, NTFS_WOF_PROVIDER_FILE);
	assert_int_equal(rp.wof_algorithm, NTFS_WOF_XPRESS16K);
	assert_int_equal(ntfs_reparse_parse(v, wof_value(v, 2, 2, 1, 0), &rp),
	                 NTFS_ERR_CORRUPT_REPARSE);
	assert_int_equal(ntfs_reparse_parse(v, wof_value(v, 1, 2, 2, 0), &rp),
	                 NTFS_ERR_CORRUPT_REPARSE);
	/* The WIM provider's data is not parsed: only the provider is given. */
	assert_int_equal(ntfs_reparse_parse(v, wof_value(v, 1, 1, 7, 7), &rp), NTFS_OK);
	assert_int_equal(rp.wof_provider, NTFS_WOF_PROVIDER_WIM);
	/* A file provider whose data stops after the provider. */
	wof_value(v, 1, 2, 1, 0);
	fx_st16(v + 4, 8);
	assert_int_equal(ntfs_reparse_parse(v, 16, &rp), NTFS_ERR_CORRUPT_REPARSE);

	/* WSL: version 2 only; the target is the rest. */
	assert_int_equal(ntfs_reparse_parse(v, wsl_value(v, "t", 1, 1), &rp),
	                 NTFS_ERR_CORRUPT_REPARSE);
	assert_int_equal(ntfs_reparse_parse(v, wsl_value(v, "", 0, 2), &rp), NTFS_OK);
	assert_int_equal(rp.target_len, 0);
	assert_int_equal(ntfs_reparse_parse(v, wsl_value(v, "a\0b", 3, 2), &rp), NTFS_OK);
	{
		char out[8];
		size_t len;
		assert_int_equal(ntfsi_reparse_target(v, &rp, out, sizeof out, &len),
		                 NTFS_ERR_NAME);
	}
	/* A non-Microsoft tag needs its GUID. */
	fx_st32(v, 0x1234u);
	fx_st16(v + 4, 0);
	assert_int_equal(ntfs_reparse_parse(v, 8, &rp), NTFS_ERR_CORRUPT_REPARSE);
	assert_int_equal(ntfs_reparse_parse(v, 24, &rp), NTFS_OK);
	/* Larger than any reparse point. */
	{
		static uint8_t big[NTFS_REPARSE_MAX + 8];
		fx_st32(big, 0x8000ABCDu);
		fx_st16(big + 4, 0xFFFF);
		assert_int_equal(ntfs_reparse_parse(big, sizeof big, &rp),
		                 NTFS_ERR_CORRUPT_REPARSE);
	}
}

/* The longest link there can be: a value of NTFS_REPARSE_MAX bytes whose
 * substitute name fills the path buffer with 3-byte UTF-8 characters: its
 * target fits NTFS_TARGET_MAX. */
static void reparse_longest_target(void **state)
{
	static uint8_t v[NTFS_REPARSE_MAX + 1];
	static char out[NTFS_TARGET_MAX];
	const uint32_t names = NTFS_REPARSE_MAX - 20; /* header 8, link header 12 */
	struct ntfs_reparse rp;
	size_t len;
	(void)state;

	fx_st32(v, NTFS_REPARSE_TAG_SYMLINK);
	fx_st16(v + 4, (uint16_t)(NTFS_REPARSE_MAX - 8));
	fx_st16(v + 8, 0);
	fx_st16(v + 10, (uint16_t)names);
	fx_st16(v + 12, 0);
	fx_st16(v + 14, 0);
	fx_st32(v + 16, NTFS_SYMLINK_RELATIVE);
	for (uint32_t i = 0; i < names; i += 2)
		fx_st16(v + 20 + i, 0x0800);
	assert_int_equal(ntfs_reparse_parse(v, NTFS_REPARSE_MAX, &rp), NTFS_OK);
	assert_int_equal(ntfsi_reparse_target(v, &rp, out, sizeof out, &len), NTFS_OK);
	assert_int_equal(len, names / 2 * 3);
	/* One byte more is not a reparse point. */
	fx_st16(v + 4, (uint16_t)(NTFS_REPARSE_MAX - 7));
	assert_int_equal(ntfs_reparse_parse(v, NTFS_REPARSE_MAX + 1, &rp),
	                 NTFS_ERR_CORRUPT_REPARSE);
}

/* ---- Interix -------------------------------------------------------------- */

static void interix_table(void **state)
{
	static const struct {
		const char *what;
		uint64_t size;
		const char head[25];
		uint8_t type;
	} cases[] = {
	        {"empty: FIFO", 0, "", NTFS_TYPE_FIFO},
	        {"one byte: socket", 1, "x", NTFS_TYPE_SOCKET},
	        {"symlink", 14, "IntxLNK\1a\0b\0c\0", NTFS_TYPE_SYMLINK},
	        {"symlink, odd target", 13, "IntxLNK\1a\0b\0c", NTFS_TYPE_FILE},
	        {"symlink magic alone", 8, "IntxLNK\1", NTFS_TYPE_FILE},
	        {"char device", 24, "IntxCHR\0\1\0\0\0\0\0\0\0\3\0\0\0\0\0\0\0", NTFS_TYPE_CHAR},
	        {"block device", 24, "IntxBLK\0\10\0\0\0\0\0\0\0\1\0\0\0\0\0\0\0", NTFS_TYPE_BLOCK},
	        {"char device, short", 23, "IntxCHR\0\1\0\0\0\0\0\0\0\3\0\0\0\0\0\0",
	         NTFS_TYPE_FILE},
	        {"no magic", 24, "IntxXXX\0\1\0\0\0\0\0\0\0\3\0\0\0\0\0\0\0", NTFS_TYPE_FILE},
	        {"two bytes", 2, "ab", NTFS_TYPE_FILE},
	        {"too long for a symlink", NTFSI_INTERIX_MAX + 2, "IntxLNK\1", NTFS_TYPE_FILE},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t major = 7, minor = 7;
		uint8_t t = ntfsi_interix_type(cases[i].size, (const uint8_t *)cases[i].head,
		                               &major, &minor);
		if (t != cases[i].type)
			fail_msg("%s: type %u, want %u", cases[i].what, t, cases[i].type);
		if (t == NTFS_TYPE_CHAR) {
			assert_int_equal(major, 1);
			assert_int_equal(minor, 3);
		} else if (t == NTFS_TYPE_BLOCK) {
			assert_int_equal(major, 8);
			assert_int_equal(minor, 1);
		}
	}
}

/* ---- files on a synthetic volume ------------------------------------------ */

#define REC 20u
#define SEQ 1u

struct attr {
	uint32_t type;
	const char *name; /* ASCII stream name, or NULL */
	const void *value;
	uint32_t len;
};

/* Record REC: $STANDARD_INFORMATION with @file_attrs, then @attrs; mounted,
 * REC opened as *f. */
static void make_file(struct synvol *s, ntfs_volume **vol, ntfs_file **f, uint32_t recno,
                      uint32_t file_attrs, const struct attr *attrs, size_t n)
{
	uint8_t si[72] = {0}, *rec;

	synvol_init(s, 1024, 1024, 4096);
	rec = synvol_record(s, recno);
	fx_record(rec, 1024);
	fx_record_set(rec, SEQ, OD_REC_FLAG_IN_USE, 0);
	fx_st32(si + OD_SI_FILE_ATTRS, file_attrs);
	assert_true(fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, 72) != 0);
	for (size_t i = 0; i < n; i++) {
		uint16_t name[32];
		uint8_t nl = 0;
		if (attrs[i].name != NULL)
			for (; attrs[i].name[nl]; nl++)
				name[nl] = (uint8_t)attrs[i].name[nl];
		assert_true(fx_add_resident(rec, attrs[i].type, nl ? name : NULL, nl,
		                            attrs[i].value, attrs[i].len) != 0);
	}
	assert_int_equal(synvol_mount(s, 512, vol), NTFS_OK);
	assert_int_equal(ntfs_file_open(*vol, recno | (uint64_t)SEQ << 48, f), NTFS_OK);
}

static void close_file(struct synvol *s, ntfs_volume *vol, ntfs_file *f)
{
	ntfs_file_close(f);
	ntfs_unmount(vol);
	synvol_free(s);
}

/* stat and readlink of a file whose only special part is @rp. */
static void reparse_files(void **state)
{
	static const struct {
		const char *what;
		uint32_t tag;
		uint8_t type;
		const char *target;
	} cases[] = {
	        {"symlink", NTFS_REPARSE_TAG_SYMLINK, NTFS_TYPE_SYMLINK, "../x"},
	        {"junction", NTFS_REPARSE_TAG_MOUNT_POINT, NTFS_TYPE_SYMLINK, "C:/x"},
	        {"WSL symlink", NTFS_REPARSE_TAG_LX_SYMLINK, NTFS_TYPE_SYMLINK, "/etc/x"},
	        {"WSL socket", NTFS_REPARSE_TAG_AF_UNIX, NTFS_TYPE_SOCKET, NULL},
	        {"WSL FIFO", NTFS_REPARSE_TAG_LX_FIFO, NTFS_TYPE_FIFO, NULL},
	        {"WSL char device", NTFS_REPARSE_TAG_LX_CHR, NTFS_TYPE_CHAR, NULL},
	        {"WSL block device", NTFS_REPARSE_TAG_LX_BLK, NTFS_TYPE_BLOCK, NULL},
	        {"OneDrive-like", 0x9000601Au, NTFS_TYPE_FILE, NULL},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t v[128], raw[128];
		size_t n, len;
		struct synvol s;
		ntfs_volume *vol;
		ntfs_file *f;
		struct ntfs_stat st;
		char target[64];

		if (cases[i].tag == NTFS_REPARSE_TAG_SYMLINK)
			n = link_value(v, cases[i].tag, "..\\x", "..\\x", 1);
		else if (cases[i].tag == NTFS_REPARSE_TAG_MOUNT_POINT)
			n = link_value(v, cases[i].tag, "\\??\\C:\\x", "C:\\x", 0);
		else if (cases[i].tag == NTFS_REPARSE_TAG_LX_SYMLINK)
			n = wsl_value(v, "/etc/x", 6, 2);
		else {
			fx_st32(v, cases[i].tag);
			fx_st32(v + 4, 0);
			n = 8;
		}
		make_file(&s, &vol, &f, REC, NTFS_FILE_ATTR_REPARSE,
		          (struct attr[]){{NTFS_AT_REPARSE_POINT, NULL, v, (uint32_t)n}}, 1);
		assert_int_equal(ntfs_file_stat(f, &st), NTFS_OK);
		if (st.type != cases[i].type)
			fail_msg("%s: type %u, want %u", cases[i].what, st.type, cases[i].type);
		assert_int_equal(st.reparse_tag, cases[i].tag);
		assert_int_equal(ntfs_file_reparse(f, raw, sizeof raw, &len), NTFS_OK);
		assert_int_equal(len, n);
		assert_memory_equal(raw, v, n);
		assert_int_equal(ntfs_file_reparse(f, raw, n - 1, &len), NTFS_ERR_LIMIT);
		assert_int_equal(len, n);
		if (cases[i].target) {
			assert_int_equal(ntfs_file_readlink(f, target, sizeof target, NULL),
			                 NTFS_OK);
			assert_string_equal(target, cases[i].target);
		} else {
			assert_int_equal(ntfs_file_readlink(f, target, sizeof target, NULL),
			                 NTFS_ERR_NOT_FOUND);
		}
		close_file(&s, vol, f);
	}
}

/* A damaged reparse value fails stat and readlink with its own code; the
 * file's own data still reads, unless the value is WOF's, which says where
 * the data is. */
static void reparse_corrupt_file(void **state)
{
	static const char data[] = "own data";
	uint8_t v[64];
	size_t n = link_value(v, NTFS_REPARSE_TAG_SYMLINK, "abc", "abc", 1);
	struct synvol s;
	ntfs_volume *vol;
	ntfs_file *f;
	ntfs_stream *st_;
	struct ntfs_stat st;
	char target[16], buf[16];
	size_t got;
	(void)state;

	fx_st16(v + 10, 40); /* substitute name past the buffer */
	make_file(&s, &vol, &f, REC, NTFS_FILE_ATTR_REPARSE,
	          (struct attr[]){{NTFS_AT_REPARSE_POINT, NULL, v, (uint32_t)n},
	                          {NTFS_AT_DATA, NULL, data, sizeof data - 1}},
	          2);
	assert_int_equal(ntfs_file_stat(f, &st), NTFS_ERR_CORRUPT_REPARSE);
	assert_int_equal(ntfs_file_readlink(f, target, sizeof target, NULL),
	                 NTFS_ERR_CORRUPT_REPARSE);
	assert_int_equal(ntfs_stream_open(f, NULL, &st_), NTFS_OK);
	assert_int_equal(ntfs_stream_read(st_, 0, buf, sizeof buf, &got), NTFS_OK);
	assert_int_equal(got, sizeof data - 1);
	assert_memory_equal(buf, data, got);
	ntfs_stream_close(st_);
	close_file(&s, vol, f);

	n = wof_value(v, 1, 2, 1, 0);
	fx_st16(v + 4, (uint16_t)(n - 8 + 1)); /* data length past the value */
	make_file(&s, &vol, &f, REC, NTFS_FILE_ATTR_REPARSE,
	          (struct attr[]){{NTFS_AT_REPARSE_POINT, NULL, v, (uint32_t)n},
	                          {NTFS_AT_DATA, NULL, data, sizeof data - 1}},
	          2);
	assert_int_equal(ntfs_stream_open(f, NULL, &st_), NTFS_ERR_CORRUPT_REPARSE);
	close_file(&s, vol, f);
}

/* Interix files: SYSTEM attribute and $DATA, in a user record or not. */
static void interix_files(void **state)
{
	static const uint8_t link[] = "IntxLNK\1/\0t\0m\0p\0/\0\xe9\0";
	static const uint8_t chr[] = "IntxCHR\0\4\0\0\0\0\0\0\0\x40\0\0\0\0\0\0";
	static const struct {
		const char *what;
		uint32_t recno, attrs;
		const void *data;
		uint32_t len;
		uint8_t type;
	} cases[] = {
	        {"symlink", REC, NTFS_FILE_ATTR_SYSTEM, link, sizeof link - 1, NTFS_TYPE_SYMLINK},
	        {"char device", REC, NTFS_FILE_ATTR_SYSTEM, chr, sizeof chr, NTFS_TYPE_CHAR},
	        {"FIFO", REC, NTFS_FILE_ATTR_SYSTEM, "", 0, NTFS_TYPE_FIFO},
	        {"socket", REC, NTFS_FILE_ATTR_SYSTEM, "s", 1, NTFS_TYPE_SOCKET},
	        {"not SYSTEM", REC, 0, link, sizeof link - 1, NTFS_TYPE_FILE},
	        {"a volume file ($BadClus is empty and SYSTEM)", 8, NTFS_FILE_ATTR_SYSTEM, "", 0,
	         NTFS_TYPE_FILE},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct synvol s;
		ntfs_volume *vol;
		ntfs_file *f;
		struct ntfs_stat st;
		char target[64];

		make_file(&s, &vol, &f, cases[i].recno, cases[i].attrs,
		          (struct attr[]){{NTFS_AT_DATA, NULL, cases[i].data, cases[i].len}}, 1);
		assert_int_equal(ntfs_file_stat(f, &st), NTFS_OK);
		if (st.type != cases[i].type)
			fail_msg("%s: type %u, want %u", cases[i].what, st.type, cases[i].type);
		assert_int_equal(st.reparse_tag, 0);
		if (st.type == NTFS_TYPE_SYMLINK) {
			assert_int_equal(ntfs_file_readlink(f, target, sizeof target, NULL),
			                 NTFS_OK);
			assert_string_equal(target, "/tmp/\xc3\xa9");
			assert_int_equal(ntfs_file_readlink(f, target, 6, NULL), NTFS_ERR_LIMIT);
		}
		if (st.type == NTFS_TYPE_CHAR) {
			assert_int_equal(st.rdev_major, 4);
			assert_int_equal(st.rdev_minor, 64);
		}
		close_file(&s, vol, f);
	}
}

/* ---- extended attributes ---------------------------------------------------- */

/* Append one $EA entry at @p; @next 0 ends the chain, ~0 means "packed". */
static uint32_t put_ea(uint8_t *p, uint32_t next, uint8_t flags, const char *name,
                       const void *value, uint16_t vlen)
{
	uint8_t nl = (uint8_t)strlen(name);
	uint32_t len = 8 + nl + 1 + vlen, padded = (len + 3) & ~3u;

	memset(p, 0, padded);
	fx_st32(p, next == ~0u ? padded : next);
	p[4] = flags;
	p[5] = nl;
	fx_st16(p + 6, vlen);
	memcpy(p + 8, name, nl + 1u);
	memcpy(p + 8 + nl + 1, value, vlen);
	return padded;
}

static void ea_walk(void **state)
{
	uint8_t ea[256], out[16];
	uint32_t n = 0, cursor = 0;
	struct synvol s;
	ntfs_volume *vol;
	ntfs_file *f;
	struct ntfs_ea_info info;
	size_t len;
	(void)state;

	n += put_ea(ea + n, ~0u, 0, "USER.ONE", "1", 1);
	n += put_ea(ea + n, ~0u, NTFS_EA_NEED_EA, "$KERNEL.PURGE", "", 0);
	n += put_ea(ea + n, 0, 0, "last", "value", 5);
	make_file(&s, &vol, &f, REC, 0, (struct attr[]){{NTFS_AT_EA, NULL, ea, n}}, 1);
	assert_int_equal(ntfs_ea_next(f, &cursor, &info), 1);
	assert_string_equal(info.name, "USER.ONE");
	assert_int_equal(info.name_len, 8);
	assert_int_equal(info.value_len, 1);
	assert_int_equal(ntfs_ea_read(f, &info, out, sizeof out), NTFS_OK);
	assert_memory_equal(out, "1", 1);
	assert_int_equal(ntfs_ea_next(f, &cursor, &info), 1);
	assert_string_equal(info.name, "$KERNEL.PURGE");
	assert_int_equal(info.flags, NTFS_EA_NEED_EA);
	assert_int_equal(info.value_len, 0);
	assert_int_equal(ntfs_ea_next(f, &cursor, &info), 1);
	assert_string_equal(info.name, "last");
	assert_int_equal(ntfs_ea_read(f, &info, out, 4), NTFS_ERR_LIMIT);
	assert_int_equal(ntfs_ea_next(f, &cursor, &info), 0);
	assert_int_equal(ntfs_ea_next(f, &cursor, &info), 0);
	/* A value outside $EA, from a caller's own info. */
	info.value_off = n - 2;
	assert_int_equal(ntfs_ea_read(f, &info, out, sizeof out), NTFS_ERR_INVALID);
	/* By name, without case. */
	assert_int_equal(ntfs_ea_get(f, "user.one", out, sizeof out, &len), NTFS_OK);
	assert_int_equal(len, 1);
	assert_int_equal(ntfs_ea_get(f, "LAST", out, 2, &len), NTFS_ERR_LIMIT);
	assert_int_equal(len, 5);
	assert_int_equal(ntfs_ea_get(f, "LAS", out, sizeof out, &len), NTFS_ERR_NOT_FOUND);
	assert_int_equal(ntfs_ea_get(f, "lastt", out, sizeof out, &len), NTFS_ERR_NOT_FOUND);
	close_file(&s, vol, f);

	/* No $EA: nothing to list, nothing found. */
	make_file(&s, &vol, &f, REC, 0, NULL, 0);
	cursor = 0;
	assert_int_equal(ntfs_ea_next(f, &cursor, &info), 0);
	assert_int_equal(ntfs_ea_get(f, "x", out, sizeof out, &len), NTFS_ERR_NOT_FOUND);
	close_file(&s, vol, f);
}

enum ea_bad {
	EA_NEXT_PAST_END,
	EA_NEXT_INSIDE_ENTRY,
	EA_VALUE_PAST_END,
	EA_NAME_NOT_TERMINATED,
	EA_NAME_EMPTY,
	EA_NAME_HOLDS_NUL,
	EA_HEADER_CUT,
	EA_LXUID_SHORT,
};

static void ea_hostile(void **state)
{
	static const struct {
		const char *what;
		enum ea_bad bad;
		int walk; /* what walking every entry ends with */
		int stat;
	} cases[] = {
	        {"next offset past $EA", EA_NEXT_PAST_END, NTFS_ERR_CORRUPT_EA,
	         NTFS_ERR_CORRUPT_EA},
	        {"next offset inside the entry", EA_NEXT_INSIDE_ENTRY, NTFS_ERR_CORRUPT_EA,
	         NTFS_ERR_CORRUPT_EA},
	        {"value past $EA", EA_VALUE_PAST_END, NTFS_ERR_CORRUPT_EA, NTFS_ERR_CORRUPT_EA},
	        {"name without its NUL", EA_NAME_NOT_TERMINATED, NTFS_ERR_CORRUPT_EA,
	         NTFS_ERR_CORRUPT_EA},
	        {"empty name", EA_NAME_EMPTY, NTFS_ERR_CORRUPT_EA, NTFS_ERR_CORRUPT_EA},
	        {"NUL inside the name", EA_NAME_HOLDS_NUL, NTFS_ERR_CORRUPT_EA,
	         NTFS_ERR_CORRUPT_EA},
	        {"header cut by the end of $EA", EA_HEADER_CUT, NTFS_ERR_CORRUPT_EA,
	         NTFS_ERR_CORRUPT_EA},
	        {"$LXUID of 2 bytes", EA_LXUID_SHORT, 0, NTFS_ERR_CORRUPT_EA},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t ea[128];
		uint32_t n = 0, cursor = 0;
		struct synvol s;
		ntfs_volume *vol;
		ntfs_file *f;
		struct ntfs_ea_info info;
		struct ntfs_stat st;
		int r, steps = 0;

		n += put_ea(ea, ~0u, 0, "$LXUID", "\1\0\0\0", 4);
		switch (cases[i].bad) {
		case EA_NEXT_PAST_END:
			fx_st32(ea, 200);
			break;
		case EA_NEXT_INSIDE_ENTRY: {
			/* Offset 12 holds a well-formed entry "B", inside A's value. */
			static const uint8_t inner[16] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 'B', 0};
			n = put_ea(ea, 12, 0, "A", inner, sizeof inner);
			break;
		}
		case EA_VALUE_PAST_END: /* the last entry, so no next offset disagrees */
			fx_st32(ea, 0);
			fx_st16(ea + 6, 9);
			break;
		case EA_NAME_NOT_TERMINATED:
			ea[8 + 6] = 'X';
			break;
		case EA_NAME_EMPTY: /* a NUL, then the value */
			ea[5] = 0;
			ea[8] = 0;
			break;
		case EA_NAME_HOLDS_NUL:
			ea[8 + 2] = 0;
			break;
		case EA_HEADER_CUT:
			memset(ea + n, 0, 4);
			n += 4;
			break;
		case EA_LXUID_SHORT:
			n = put_ea(ea, 0, 0, "$LXUID", "\1\0", 2);
			break;
		}
		make_file(&s, &vol, &f, REC, 0, (struct attr[]){{NTFS_AT_EA, NULL, ea, n}}, 1);
		while ((r = ntfs_ea_next(f, &cursor, &info)) == 1)
			assert_true(++steps < 10);
		if (r != cases[i].walk)
			fail_msg("%s: walk %d, want %d", cases[i].what, r, cases[i].walk);
		r = ntfs_file_stat(f, &st);
		if (r != cases[i].stat)
			fail_msg("%s: stat %d, want %d", cases[i].what, r, cases[i].stat);
		close_file(&s, vol, f);
	}
}

/* WSL's metadata EAs in ntfs_stat, and device numbers from $LXDEV. */
static void wsl_metadata(void **state)
{
	uint8_t ea[256], rp[8];
	uint32_t n = 0;
	struct synvol s;
	ntfs_volume *vol;
	ntfs_file *f;
	struct ntfs_stat st;
	(void)state;

	n += put_ea(ea + n, ~0u, 0, "$LXUID", "\xe8\x03\0\0", 4);
	n += put_ea(ea + n, ~0u, 0, "$LXGID", "\xe9\x03\0\0", 4);
	n += put_ea(ea + n, ~0u, 0, "$LXMOD", "\xb6\x21\0\0", 4); /* 020666 */
	n += put_ea(ea + n, 0, 0, "$LXDEV", "\x04\0\0\0\x41\0\0\0", 8);
	fx_st32(rp, NTFS_REPARSE_TAG_LX_CHR);
	fx_st32(rp + 4, 0);
	make_file(&s, &vol, &f, REC, NTFS_FILE_ATTR_REPARSE,
	          (struct attr[]){{NTFS_AT_REPARSE_POINT, NULL, rp, 8}, {NTFS_AT_EA, NULL, ea, n}},
	          2);
	assert_int_equal(ntfs_file_stat(f, &st), NTFS_OK);
	assert_int_equal(st.type, NTFS_TYPE_CHAR);
	assert_int_equal(st.wsl, NTFS_WSL_UID | NTFS_WSL_GID | NTFS_WSL_MODE);
	assert_int_equal(st.uid, 1000);
	assert_int_equal(st.gid, 1001);
	assert_int_equal(st.mode, 020666);
	assert_int_equal(st.rdev_major, 4);
	assert_int_equal(st.rdev_minor, 65);
	close_file(&s, vol, f);
}

/* ---- the shared Windows records -------------------------------------------- */

static uint8_t *shared_record(const char *name)
{
	uint8_t *rec;
	size_t n = fx_load_record_file(name, &rec);

	if (n == 0)
		return NULL;
	assert_int_equal(n, 1024);
	assert_int_equal(ntfsi_record_check(rec, n), NTFS_OK);
	return rec;
}

static void open_shared(struct synvol *s, ntfs_volume **vol, ntfs_file **f, const uint8_t *rec)
{
	synvol_init(s, 4096, 1024, 4096);
	assert_int_equal(synvol_mount(s, 512, vol), NTFS_OK);
	assert_int_equal(synvol_file(*vol, NTFS_REF_RECORD(fx_ld32(rec + 0x2C)), rec, f), NTFS_OK);
}

/* rp.bin: a Windows symlink to "target.txt", relative (flags 1). Its
 * $REPARSE_POINT value is the 60 bytes at 0x138: tag 0xA000000C, data 0x34
 * bytes, substitute name at 0x14 and print name at 0 of the path buffer,
 * both "target.txt". */
static void windows_symlink_record(void **state)
{
	uint8_t *rec = shared_record("rp.bin"), raw[128];
	struct synvol s;
	ntfs_volume *vol;
	ntfs_file *f;
	struct ntfs_stat st;
	struct ntfs_reparse rp;
	char target[64];
	size_t len;
	(void)state;

	if (rec == NULL)
		skip();
	open_shared(&s, &vol, &f, rec);
	assert_int_equal(ntfs_file_stat(f, &st), NTFS_OK);
	assert_int_equal(st.type, NTFS_TYPE_SYMLINK);
	assert_int_equal(st.reparse_tag, NTFS_REPARSE_TAG_SYMLINK);
	assert_int_equal(ntfs_file_reparse(f, raw, sizeof raw, &len), NTFS_OK);
	assert_int_equal(len, 0x3C);
	assert_memory_equal(raw, rec + 0x138, len);
	assert_int_equal(ntfs_reparse_parse(raw, len, &rp), NTFS_OK);
	assert_int_equal(rp.flags, NTFS_SYMLINK_RELATIVE);
	assert_int_equal(rp.subst_len, 20);
	assert_int_equal(rp.print_len, 20);
	assert_int_equal(ntfs_file_readlink(f, target, sizeof target, &len), NTFS_OK);
	assert_string_equal(target, "target.txt");
	assert_int_equal(len, 10);
	ntfs_file_close(f);
	ntfs_unmount(vol);
	synvol_free(&s);
	free(rec);
}

/* frs_ea.bin and frs-81151.bin: WSL 1 files whose $EA (resident, at 0x1E0
 * and 0x150) holds LXXATTR then LXATTRB (56 bytes); in frs_ea.bin the last
 * entry's next offset points at the end of $EA rather than being 0. */
static void wsl_ea_records(void **state)
{
	static const struct {
		const char *file;
		uint32_t ea_at, ea_len, lxxattr_len;
	} recs[] = {{"frs_ea.bin", 0x1E0, 0xA0, 0x45}, {"frs-81151.bin", 0x150, 0xA4, 0x4C}};
	int found = 0;
	(void)state;

	for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
		uint8_t *rec = shared_record(recs[i].file), value[128];
		struct synvol s;
		ntfs_volume *vol;
		ntfs_file *f;
		struct ntfs_ea_info info;
		struct ntfs_stat st;
		uint32_t cursor = 0;
		size_t len;

		if (rec == NULL)
			continue;
		found++;
		open_shared(&s, &vol, &f, rec);
		assert_int_equal(ntfs_ea_next(f, &cursor, &info), 1);
		assert_string_equal(info.name, "LXXATTR");
		assert_int_equal(info.value_len, recs[i].lxxattr_len);
		assert_int_equal(ntfs_ea_read(f, &info, value, sizeof value), NTFS_OK);
		assert_memory_equal(value, rec + recs[i].ea_at + 16, info.value_len);
		assert_int_equal(ntfs_ea_next(f, &cursor, &info), 1);
		assert_string_equal(info.name, "LXATTRB");
		assert_int_equal(info.value_len, 56);
		assert_int_equal(ntfs_ea_next(f, &cursor, &info), 0);
		assert_int_equal(cursor, recs[i].ea_len);
		assert_int_equal(ntfs_ea_get(f, "lxattrb", value, sizeof value, &len), NTFS_OK);
		assert_int_equal(len, 56);
		assert_memory_equal(value, rec + recs[i].ea_at + recs[i].ea_len - 56, 56);
		/* WSL 1 keeps no $LX* EAs: stat has no WSL metadata. */
		assert_int_equal(ntfs_file_stat(f, &st), NTFS_OK);
		assert_int_equal(st.wsl, 0);
		assert_int_equal(st.type, NTFS_TYPE_FILE);
		ntfs_file_close(f);
		ntfs_unmount(vol);
		synvol_free(&s);
		free(rec);
	}
	if (found == 0)
		skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(reparse_table),
	        cmocka_unit_test(reparse_fields),
	        cmocka_unit_test(reparse_longest_target),
	        cmocka_unit_test(interix_table),
	        cmocka_unit_test(reparse_files),
	        cmocka_unit_test(reparse_corrupt_file),
	        cmocka_unit_test(interix_files),
	        cmocka_unit_test(ea_walk),
	        cmocka_unit_test(ea_hostile),
	        cmocka_unit_test(wsl_metadata),
	        cmocka_unit_test(windows_symlink_record),
	        cmocka_unit_test(wsl_ea_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
