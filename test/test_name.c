/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Name conversion (name.c): UTF-16 (as NTFS stores names) to UTF-8 and
 * back. Expected bytes are the Unicode encodings of the code points.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "ondisk.h"

#define GUARD 0x5A

static void expect16to8(const uint16_t *src, size_t n, const char *want)
{
	char out[NTFS_NAME_MAX_UTF8 + 16];
	size_t len = 12345;

	memset(out, GUARD, sizeof out);
	assert_int_equal(ntfs_utf16_to_utf8(src, n, out, NTFS_NAME_MAX_UTF8, &len), NTFS_OK);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(out, want, len + 1);
	/* Nothing written after the NUL. */
	for (size_t i = len + 1; i < sizeof out; i++)
		assert_int_equal((unsigned char)out[i], GUARD);
}

static void ascii(void **state)
{
	static const uint16_t s[] = {'h', 'e', 'l', 'l', 'o', '.', 't', 'x', 't'};
	(void)state;
	expect16to8(s, 9, "hello.txt");
	expect16to8(s, 0, "");
}

static void cyrillic(void **state)
{
	/* "Привет" */
	static const uint16_t s[] = {0x041F, 0x0440, 0x0438, 0x0432, 0x0435, 0x0442};
	(void)state;
	expect16to8(s, 6, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
}

static void cjk(void **state)
{
	/* "日本語" */
	static const uint16_t s[] = {0x65E5, 0x672C, 0x8A9E};
	(void)state;
	expect16to8(s, 3, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E");
}

static void emoji(void **state)
{
	/* U+1F600 = D83D DE00; "a" U+1F4A9 "b". */
	static const uint16_t s[] = {0xD83D, 0xDE00};
	static const uint16_t s2[] = {'a', 0xD83D, 0xDCA9, 'b'};
	(void)state;
	expect16to8(s, 2, "\xF0\x9F\x98\x80");
	expect16to8(s2, 4,
	            "a\xF0\x9F\x92\xA9"
	            "b");
}

static void boundaries(void **state)
{
	static const struct {
		uint16_t u[2];
		size_t n;
		const char *want;
	} t[] = {
	        {{0x0001}, 1, "\x01"},
	        {{0x007F}, 1, "\x7F"},
	        {{0x0080}, 1, "\xC2\x80"},
	        {{0x07FF}, 1, "\xDF\xBF"},
	        {{0x0800}, 1, "\xE0\xA0\x80"},
	        {{0xD7FF}, 1, "\xED\x9F\xBF"},
	        {{0xE000}, 1, "\xEE\x80\x80"},
	        {{0xFFFD}, 1, "\xEF\xBF\xBD"},
	        {{0xFFFF}, 1, "\xEF\xBF\xBF"},
	        {{0xD800, 0xDC00}, 2, "\xF0\x90\x80\x80"}, /* U+10000 */
	        {{0xDBFF, 0xDFFF}, 2, "\xF4\x8F\xBF\xBF"}, /* U+10FFFF */
	};
	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		expect16to8(t[i].u, t[i].n, t[i].want);
}

static void longest_name(void **state)
{
	uint16_t s[NTFS_NAME_MAX_UTF16];
	char out[NTFS_NAME_MAX_UTF8 + 8];
	size_t len = 0;
	(void)state;

	/* 255 units of 3 UTF-8 bytes each: 765 bytes and the NUL. */
	for (size_t i = 0; i < NTFS_NAME_MAX_UTF16; i++)
		s[i] = 0xFFFF;
	assert_int_equal(NTFS_NAME_MAX_UTF8, 766);
	memset(out, GUARD, sizeof out);
	assert_int_equal(ntfs_utf16_to_utf8(s, 255, out, NTFS_NAME_MAX_UTF8, &len), NTFS_OK);
	assert_int_equal(len, 765);
	assert_int_equal(out[765], '\0');
	for (size_t i = 0; i < 765; i += 3)
		assert_memory_equal(out + i, "\xEF\xBF\xBF", 3);
	for (size_t i = 766; i < sizeof out; i++)
		assert_int_equal((unsigned char)out[i], GUARD);
	/* One byte less: no room for the NUL. */
	memset(out, GUARD, sizeof out);
	assert_int_equal(ntfs_utf16_to_utf8(s, 255, out, 765, &len), NTFS_ERR_LIMIT);
	for (size_t i = 765; i < sizeof out; i++)
		assert_int_equal((unsigned char)out[i], GUARD);
	/* 127 surrogate pairs + 1 unit: 127 * 4 + 3 bytes. */
	for (size_t i = 0; i + 1 < 254; i += 2) {
		s[i] = 0xDBFF;
		s[i + 1] = 0xDFFF;
	}
	assert_int_equal(ntfs_utf16_to_utf8(s, 255, out, NTFS_NAME_MAX_UTF8, &len), NTFS_OK);
	assert_int_equal(len, 127 * 4 + 3);
}

static void lone_surrogates(void **state)
{
	static const uint16_t hi_end[] = {'a', 0xD800};
	static const uint16_t hi_then_a[] = {0xD83D, 'a'};
	static const uint16_t hi_hi[] = {0xD83D, 0xD83D, 0xDE00};
	static const uint16_t lo[] = {0xDC00};
	static const uint16_t lo_hi[] = {0xDE00, 0xD83D};
	static const uint16_t lo_mid[] = {'a', 'b', 0xDFFF, 'c'};
	static const struct {
		const uint16_t *s;
		size_t n;
	} t[] = {{hi_end, 2}, {hi_then_a, 2}, {hi_hi, 3}, {lo, 1}, {lo_hi, 2}, {lo_mid, 4}};
	char out[64];
	size_t len;
	(void)state;

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		memset(out, GUARD, sizeof out);
		assert_int_equal(ntfs_utf16_to_utf8(t[i].s, t[i].n, out, sizeof out, &len),
		                 NTFS_ERR_NAME);
	}
	/* A pair cut by the length. */
	assert_int_equal(ntfs_utf16_to_utf8(hi_hi + 1, 1, out, sizeof out, &len), NTFS_ERR_NAME);
}

static void small_buffer(void **state)
{
	static const uint16_t hello[] = {'h', 'e', 'l', 'l', 'o'};
	static const uint16_t pr[] = {0x041F, 0x0440};    /* 4 bytes */
	static const uint16_t smile[] = {0xD83D, 0xDE00}; /* 4 bytes */
	char out[32];
	size_t len;
	(void)state;

	for (size_t size = 0; size <= 5; size++) {
		memset(out, GUARD, sizeof out);
		assert_int_equal(ntfs_utf16_to_utf8(hello, 5, out, size, &len), NTFS_ERR_LIMIT);
		for (size_t i = size; i < sizeof out; i++)
			assert_int_equal((unsigned char)out[i], GUARD);
	}
	memset(out, GUARD, sizeof out);
	assert_int_equal(ntfs_utf16_to_utf8(hello, 5, out, 6, &len), NTFS_OK);
	assert_string_equal(out, "hello");
	assert_int_equal((unsigned char)out[6], GUARD);

	for (size_t size = 1; size <= 4; size++) {
		memset(out, GUARD, sizeof out);
		assert_int_equal(ntfs_utf16_to_utf8(pr, 2, out, size, &len), NTFS_ERR_LIMIT);
		for (size_t i = size; i < sizeof out; i++)
			assert_int_equal((unsigned char)out[i], GUARD);
		memset(out, GUARD, sizeof out);
		assert_int_equal(ntfs_utf16_to_utf8(smile, 2, out, size, &len), NTFS_ERR_LIMIT);
		for (size_t i = size; i < sizeof out; i++)
			assert_int_equal((unsigned char)out[i], GUARD);
	}
	assert_int_equal(ntfs_utf16_to_utf8(pr, 2, out, 5, &len), NTFS_OK);
	assert_int_equal(len, 4);
	assert_int_equal(ntfs_utf16_to_utf8(smile, 2, out, 5, &len), NTFS_OK);
	assert_int_equal(len, 4);
}

/* ---- UTF-8 to UTF-16 ------------------------------------------------------ */

static void expect8to16(const char *src, const uint16_t *want, size_t n)
{
	uint16_t out[16];
	size_t len = 999;
	assert_int_equal(ntfs_utf8_to_utf16(src, strlen(src), out, 16, &len), NTFS_OK);
	assert_int_equal(len, n);
	assert_memory_equal(out, want, n * sizeof out[0]);
}

static void utf8_valid(void **state)
{
	static const uint16_t abc[] = {'a', 'b', 'c'};
	static const uint16_t privet[] = {0x041F, 0x0440, 0x0438, 0x0432, 0x0435, 0x0442};
	static const uint16_t nihongo[] = {0x65E5, 0x672C, 0x8A9E};
	static const uint16_t smile[] = {0xD83D, 0xDE00};
	static const uint16_t max[] = {0xDBFF, 0xDFFF};
	static const uint16_t edges[] = {0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF};
	(void)state;
	expect8to16("abc", abc, 3);
	expect8to16("", abc, 0);
	expect8to16("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82", privet, 6);
	expect8to16("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", nihongo, 3);
	expect8to16("\xF0\x9F\x98\x80", smile, 2);
	expect8to16("\xF4\x8F\xBF\xBF", max, 2);
	expect8to16("\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF", edges,
	            7);
}

static void utf8_invalid(void **state)
{
	static const char *const bad[] = {
	        /* overlong */
	        "\xC0\x80",
	        "\xC1\xBF",
	        "\xE0\x80\x80",
	        "\xE0\x9F\xBF",
	        "\xF0\x80\x80\x80",
	        "\xF0\x8F\xBF\xBF",
	        /* surrogate code points */
	        "\xED\xA0\x80",
	        "\xED\xAF\xBF",
	        "\xED\xB0\x80",
	        "\xED\xBF\xBF",
	        "\xED\xA0\xBD\xED\xB8\x80", /* CESU-8 pair */
	        /* beyond U+10FFFF */
	        "\xF4\x90\x80\x80",
	        "\xF5\x80\x80\x80",
	        "\xF7\xBF\xBF\xBF",
	        "\xF8\x88\x80\x80\x80",
	        "\xFC\x84\x80\x80\x80\x80",
	        "\xFE",
	        "\xFF",
	        /* truncated */
	        "\xC2",
	        "\xE6\x97",
	        "\xF0\x9F\x98",
	        "a\xE6",
	        "\xE6\x41\xA5",
	        "\xF0\x9F\x41\x80",
	        /* stray continuation */
	        "\x80",
	        "a\xBF",
	        "\xC2\x80\x80",
	};
	uint16_t out[16];
	size_t len;
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(ntfs_utf8_to_utf16(bad[i], strlen(bad[i]), out, 16, &len),
		                 NTFS_ERR_NAME);
	/* Truncated by the length, not by a NUL. */
	assert_int_equal(ntfs_utf8_to_utf16("\xE6\x97\xA5", 2, out, 16, &len), NTFS_ERR_NAME);
	assert_int_equal(ntfs_utf8_to_utf16("\xF0\x9F\x98\x80", 3, out, 16, &len), NTFS_ERR_NAME);
}

static void utf8_capacity(void **state)
{
	uint16_t out[8];
	size_t len;
	(void)state;

	for (size_t cap = 0; cap < 3; cap++) {
		memset(out, GUARD, sizeof out);
		assert_int_equal(ntfs_utf8_to_utf16("abc", 3, out, cap, &len), NTFS_ERR_LIMIT);
		for (size_t i = cap; i < 8; i++)
			assert_int_equal(out[i], GUARD << 8 | GUARD);
	}
	assert_int_equal(ntfs_utf8_to_utf16("abc", 3, out, 3, &len), NTFS_OK);
	assert_int_equal(len, 3);
	/* A supplementary character needs two units. */
	memset(out, GUARD, sizeof out);
	assert_int_equal(ntfs_utf8_to_utf16("a\xF0\x9F\x98\x80", 5, out, 2, &len), NTFS_ERR_LIMIT);
	for (size_t i = 2; i < 8; i++)
		assert_int_equal(out[i], GUARD << 8 | GUARD);
	assert_int_equal(ntfs_utf8_to_utf16("a\xF0\x9F\x98\x80", 5, out, 3, &len), NTFS_OK);
	assert_int_equal(len, 3);
}

/* Every scalar value, through a reference encoder written from the UTF-8
 * and UTF-16 definitions, both ways. */
static size_t ref_utf8(uint32_t c, char *o)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | c >> 18);
	o[1] = (char)(0x80 | (c >> 12 & 0x3F));
	o[2] = (char)(0x80 | (c >> 6 & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

static void round_trip_all(void **state)
{
	(void)state;
	for (uint32_t c = 1; c <= 0x10FFFF; c++) {
		uint16_t u[2], back[2];
		char want[4], got[8];
		size_t n16, n8, len;

		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		if (c < 0x10000) {
			u[0] = (uint16_t)c;
			n16 = 1;
		} else {
			u[0] = (uint16_t)(0xD800 + ((c - 0x10000) >> 10));
			u[1] = (uint16_t)(0xDC00 + ((c - 0x10000) & 0x3FF));
			n16 = 2;
		}
		n8 = ref_utf8(c, want);
		if (ntfs_utf16_to_utf8(u, n16, got, sizeof got, &len) != NTFS_OK || len != n8 ||
		    memcmp(got, want, n8) != 0 || got[n8] != '\0')
			fail_msg("UTF-16 to UTF-8 of U+%04X", (unsigned)c);
		if (ntfs_utf8_to_utf16(want, n8, back, 2, &len) != NTFS_OK || len != n16 ||
		    memcmp(back, u, n16 * sizeof u[0]) != 0)
			fail_msg("UTF-8 to UTF-16 of U+%04X", (unsigned)c);
	}
}

static void round_trip_names(void **state)
{
	static const char *const names[] = {
	        "hello.txt",
	        "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82.doc",
	        "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xF0\x9F\x98\x80 mixed \xC3\xA9",
	        "$MFT",
	};
	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		uint16_t u[64];
		char back[NTFS_NAME_MAX_UTF8];
		size_t n16, n8;
		assert_int_equal(ntfs_utf8_to_utf16(names[i], strlen(names[i]), u, 64, &n16),
		                 NTFS_OK);
		assert_int_equal(ntfs_utf16_to_utf8(u, n16, back, sizeof back, &n8), NTFS_OK);
		assert_int_equal(n8, strlen(names[i]));
		assert_string_equal(back, names[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(ascii),
	        cmocka_unit_test(cyrillic),
	        cmocka_unit_test(cjk),
	        cmocka_unit_test(emoji),
	        cmocka_unit_test(boundaries),
	        cmocka_unit_test(longest_name),
	        cmocka_unit_test(lone_surrogates),
	        cmocka_unit_test(small_buffer),
	        cmocka_unit_test(utf8_valid),
	        cmocka_unit_test(utf8_invalid),
	        cmocka_unit_test(utf8_capacity),
	        cmocka_unit_test(round_trip_all),
	        cmocka_unit_test(round_trip_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
