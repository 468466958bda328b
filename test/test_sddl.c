/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The tools' SDDL renderer (examples/sddl.c). What it renders is compared
 * with Samba's SDDL of every descriptor of ntfs-secure by sddl_samba.py;
 * here: its conventions where they are Windows' and not Samba's, written
 * from [MS-DTYP] 2.5.1.1 (the file-rights aliases, NULL ACLs, mandatory
 * label rights, authorities over 32 bits), and its bounds: every output
 * size gives a prefix of the whole string, NUL-terminated, nothing written
 * past it; every cut or mangled input is refused or rendered, never read
 * past.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "sddl.h"
#include "sdfix.h"

static char *render(const uint8_t *sd, size_t len)
{
	long n = sddl_render(sd, len, NULL, 0);
	char *s;

	assert_true(n >= 0);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(sddl_render(sd, len, s, (size_t)n + 1), n);
	assert_int_equal(strlen(s), (size_t)n);
	return s;
}

struct conv_case {
	const char *what;
	uint8_t type, flags;
	uint32_t mask;
	const char *sid;
	const char *ace; /* expected */
};

/* One ACE in a DACL of a descriptor with owner BA and group SY. */
static const struct conv_case conv_cases[] = {
        {"FILE_ALL_ACCESS", 0, 0, 0x1F01FF, "S-1-5-18", "(A;;FA;;;SY)"},
        {"FILE_GENERIC_READ", 0, 0, 0x120089, "S-1-5-32-545", "(A;;FR;;;BU)"},
        {"FILE_GENERIC_WRITE", 1, 0, 0x120116, "S-1-1-0", "(D;;FW;;;WD)"},
        {"FILE_GENERIC_EXECUTE", 0, 0, 0x1200A0, "S-1-5-11", "(A;;FX;;;AU)"},
        {"read and execute: no alias, SYNCHRONIZE has no letter", 0, 0x03, 0x1200A9, "S-1-5-32-545",
         "(A;OICI;0x1200a9;;;BU)"},
        {"generic rights", 0, 0x0B, 0x10000000, "S-1-3-0", "(A;OICIIO;GA;;;CO)"},
        {"standard rights letters", 0, 0, 0xF0000, "S-1-3-1", "(A;;RCSDWDWO;;;CG)"},
        {"no rights", 0, 0, 0, "S-1-5-10", "(A;;;;;PS)"},
        {"every ACE flag", 0, 0xDF, 0x1F01FF, "S-1-5-7", "(A;OICINPIOIDSAFA;FA;;;AN)"},
        {"an ACE flag without a name", 0, 0x21, 0x1F01FF, "S-1-5-7", "(A;OI0x20;FA;;;AN)"},
        {"mandatory label: no write up", 0x11, 0, 0x1, "S-1-16-4096", "(ML;;NW;;;LW)"},
        {"mandatory label: all three", 0x11, 0, 0x7, "S-1-16-12288", "(ML;;NWNRNX;;;HI)"},
        {"mandatory label: unknown bit", 0x11, 0, 0x9, "S-1-16-8192", "(ML;;0x9;;;ME)"},
        {"audit", 2, 0xC0, 0x1F01FF, "S-1-1-0", "(AU;SAFA;FA;;;WD)"},
        {"domain SID: no alias", 0, 0, 0x1F01FF, "S-1-5-21-1-2-3-500",
         "(A;;FA;;;S-1-5-21-1-2-3-500)"},
        {"authority over 32 bits: hex", 0, 0, 0x1, "S-1-281474976710655-7",
         "(A;;CC;;;S-1-0xFFFFFFFFFFFF-7)"},
        {"type without SDDL name", 0x0E, 0, 0x1, "S-1-1-0", "(0x0E;;CC;;;WD)"},
};

static void conventions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof conv_cases / sizeof conv_cases[0]; i++) {
		const struct conv_case *c = &conv_cases[i];
		uint8_t ace[128], acl[160], sd[512];
		char want[256], *got;
		size_t n = sdfix_ace(ace, c->type, c->flags, c->mask, c->sid, NULL, NULL);
		size_t al = sdfix_acl(acl, ace, n, 1);
		size_t len = sdfix_sd(sd, 0x0004, "S-1-5-32-544", "S-1-5-18", NULL, 0, acl, al);

		snprintf(want, sizeof want, "O:BAG:SYD:%s", c->ace);
		got = render(sd, len);
		if (strcmp(got, want) != 0)
			fail_msg("%s: %s, expected %s", c->what, got, want);
		free(got);
	}
}

/* Descriptors without parts, with NULL ACLs, with ACL flags. */
static void parts(void **state)
{
	uint8_t acl[8], sd[256];
	size_t al = sdfix_acl(acl, NULL, 0, 0), len;
	char *s;
	(void)state;

	len = sdfix_sd(sd, 0, NULL, NULL, NULL, 0, NULL, 0);
	s = render(sd, len);
	assert_string_equal(s, "");
	free(s);
	/* A NULL DACL and a NULL SACL: present, offset 0. */
	len = sdfix_sd(sd, 0x0004 | 0x0010 | 0x1000 | 0x0800, "S-1-5-18", NULL, NULL, 0, NULL, 0);
	s = render(sd, len);
	assert_string_equal(s, "O:SYD:PNO_ACCESS_CONTROLS:AINO_ACCESS_CONTROL");
	free(s);
	/* Empty ACLs with every flag: P AR AI, in that order. */
	len = sdfix_sd(sd, 0x0004 | 0x0010 | 0x1000 | 0x0100 | 0x0400 | 0x2000 | 0x0200 | 0x0800,
	               NULL, "S-1-5-32-545", acl, al, acl, al);
	s = render(sd, len);
	assert_string_equal(s, "G:BUD:PARAIS:PARAI");
	free(s);
}

static void object_ace(void **state)
{
	/* bf967aba-0de6-11d0-a285-00aa003049e2 as stored (GUID layout). */
	static const uint8_t g[16] = {0xba, 0x7a, 0x96, 0xbf, 0xe6, 0x0d, 0xd0, 0x11,
	                              0xa2, 0x85, 0x00, 0xaa, 0x00, 0x30, 0x49, 0xe2};
	uint8_t ace[128], acl[160], sd[512];
	size_t n = sdfix_ace(ace, 5, 0x02, 0x30, "S-1-1-0", g, NULL);
	size_t al, len;
	char *s;
	(void)state;

	n += sdfix_ace(ace + n, 6, 0, 0x100, "S-1-5-11", NULL, g);
	al = sdfix_acl(acl, ace, n, 2);
	len = sdfix_sd(sd, 0x0004, NULL, NULL, NULL, 0, acl, al);
	s = render(sd, len);
	assert_string_equal(s, "D:(OA;CI;RPWP;bf967aba-0de6-11d0-a285-00aa003049e2;;WD)"
	                       "(OD;;CR;;bf967aba-0de6-11d0-a285-00aa003049e2;AU)");
	free(s);
}

/* A descriptor with a bit of everything (for the bounds tests). */
static size_t big_sd(uint8_t *sd)
{
	static const uint8_t g[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	uint8_t ace[1024], dacl[1100], sacl[200];
	size_t n = 0, dl, sl;

	n += sdfix_ace(ace + n, 0, 0x13, 0x1F01FF, "S-1-5-18", NULL, NULL);
	n += sdfix_ace(ace + n, 1, 0x02, 0x1200A9, "S-1-5-21-11-22-33-1001", NULL, NULL);
	n += sdfix_ace(ace + n, 5, 0x01, 0x30, "S-1-1-0", g, g);
	n += sdfix_ace(ace + n, 0, 0x08, 0x10000000, "S-1-3-0", NULL, NULL);
	dl = sdfix_acl(dacl, ace, n, 4);
	n = sdfix_ace(ace, 2, 0xC0, 0x1F01FF, "S-1-1-0", NULL, NULL);
	n += sdfix_ace(ace + n, 0x11, 0, 1, "S-1-16-4096", NULL, NULL);
	sl = sdfix_acl(sacl, ace, n, 2);
	return sdfix_sd(sd, 0x0004 | 0x0010 | 0x0400, "S-1-5-32-544", "S-1-5-21-11-22-33-513", sacl,
	                sl, dacl, dl);
}

/* Every output size: the same length back, a NUL-terminated prefix, and
 * not one byte written past the size (the buffer is exact-size heap). */
static void every_output_size(void **state)
{
	uint8_t sd[2048];
	size_t len = big_sd(sd);
	char *full = render(sd, len);
	const size_t n = strlen(full);
	(void)state;

	for (size_t cap = 1; cap <= n + 1; cap++) {
		char *out = malloc(cap);
		assert_non_null(out);
		assert_int_equal(sddl_render(sd, len, out, cap), (long)n);
		assert_int_equal(strlen(out), cap - 1);
		assert_memory_equal(out, full, cap - 1);
		free(out);
	}
	assert_int_equal(sddl_render(sd, len, NULL, 0), (long)n);
	free(full);
}

/* Every cut of the input (exact-size heap copy), and every byte of it
 * changed to a few values: refused (-1, "" out) or rendered, never read
 * past; the length returned is what a second call writes. */
static void hostile_inputs(void **state)
{
	static const uint8_t vals[] = {0x00, 0x01, 0x04, 0x10, 0x7F, 0x80, 0xFF};
	uint8_t sd[2048];
	size_t len = big_sd(sd);
	char out[4096];
	(void)state;

	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		long r;
		assert_non_null(copy);
		memcpy(copy, sd, cut);
		r = sddl_render(copy, cut, out, sizeof out);
		/* The group's SID is last: any cut loses it. */
		assert_int_equal(r, -1);
		assert_string_equal(out, "");
		free(copy);
	}
	for (size_t i = 0; i < len; i++) {
		for (size_t v = 0; v < sizeof vals; v++) {
			uint8_t *copy = malloc(len);
			long r;
			assert_non_null(copy);
			memcpy(copy, sd, len);
			copy[i] = vals[v];
			r = sddl_render(copy, len, out, sizeof out);
			if (r >= 0) {
				assert_true((size_t)r < sizeof out);
				assert_int_equal(strlen(out), (size_t)r);
			}
			free(copy);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(conventions),    cmocka_unit_test(parts),
	        cmocka_unit_test(object_ace),     cmocka_unit_test(every_output_size),
	        cmocka_unit_test(hostile_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
