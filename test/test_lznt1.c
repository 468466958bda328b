/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LZNT1 (lznt1.c): the example of MS-XCA 3.3 decodes to its text; chunk
 * headers and bodies that break the format give
 * NTFS_ERR_CORRUPT_COMPRESSED, never a byte outside the buffers. Files
 * ntfs-3g compressed are compared with ntfscat in test_stream and difftest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "lznt1.h"

/* MS-XCA 3.3: 142 bytes (with the NUL) in one 59-byte chunk. */
static const uint8_t xca_chunk[59] = {
        0x38, 0xb0, 0x88, 0x46, 0x23, 0x20, 0x00, 0x20, 0x47, 0x20, 0x41, 0x00, 0x10, 0xa2, 0x47,
        0x01, 0xa0, 0x45, 0x20, 0x44, 0x00, 0x08, 0x45, 0x01, 0x50, 0x79, 0x00, 0xc0, 0x45, 0x20,
        0x05, 0x24, 0x13, 0x88, 0x05, 0xb4, 0x02, 0x4a, 0x44, 0xef, 0x03, 0x58, 0x02, 0x8c, 0x09,
        0x16, 0x01, 0x48, 0x45, 0x00, 0xbe, 0x00, 0x9e, 0x00, 0x04, 0x01, 0x18, 0x90, 0x00};
static const char xca_text[] = "F# F# G A A G F# E D D E F# F# E E F# F# G A A G F# E D D E F# E D "
                               "D E E F# D E F# G F# D E F# G F# E D E A F# F# G A A G F# E D D "
                               "E F# E D D";

static void ms_xca_example(void **state)
{
	uint8_t out[NTFSI_LZNT1_CHUNK];
	uint32_t body = 0, got = 0;
	bool compressed = false;
	(void)state;

	assert_int_equal(ntfsi_lznt1_header(xca_chunk, &body, &compressed), 1);
	assert_true(compressed);
	assert_int_equal(body, sizeof xca_chunk - 2);
	assert_int_equal(ntfsi_lznt1_decode(xca_chunk + 2, body, out, sizeof out, &got), NTFS_OK);
	assert_int_equal(got, sizeof xca_text); /* the NUL included */
	assert_memory_equal(out, xca_text, sizeof xca_text);
	/* Room for one byte less: an overrun, not a truncation. */
	assert_int_equal(ntfsi_lznt1_decode(xca_chunk + 2, body, out, sizeof xca_text - 1, &got),
	                 NTFS_ERR_CORRUPT_COMPRESSED);
}

struct header_case {
	uint16_t h;
	int want;
	uint32_t body;
	bool compressed;
};

static void headers(void **state)
{
	static const struct header_case cases[] = {
	        {0x0000, 0, 0, false},                           /* the end */
	        {0xB000, 1, 1, true},                            /* 1-byte compressed body */
	        {0xBFFF, 1, 4096, true},                         /* the largest */
	        {0x3FFF, 1, 4096, false},                        /* a stored chunk */
	        {0x3FFE, NTFS_ERR_CORRUPT_COMPRESSED, 0, false}, /* stored, 4095 bytes */
	        {0x3000, NTFS_ERR_CORRUPT_COMPRESSED, 0, false}, /* stored, 1 byte */
	        {0x8038, NTFS_ERR_CORRUPT_COMPRESSED, 0, false}, /* signature 0 */
	        {0xF038, NTFS_ERR_CORRUPT_COMPRESSED, 0, false}, /* signature 7 */
	        {0x0001, NTFS_ERR_CORRUPT_COMPRESSED, 0, false}, /* not the end: no signature */
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t p[2] = {(uint8_t)cases[i].h, (uint8_t)(cases[i].h >> 8)};
		uint32_t body = 0;
		bool compressed = false;
		int r = ntfsi_lznt1_header(p, &body, &compressed);

		if (r != cases[i].want)
			fail_msg("header 0x%04X: %d, want %d", cases[i].h, r, cases[i].want);
		if (r == 1 && (body != cases[i].body || compressed != cases[i].compressed))
			fail_msg("header 0x%04X: body %u compressed %d", cases[i].h, body,
			         compressed);
	}
}

struct body_case {
	const char *what;
	uint8_t src[12];
	uint32_t slen;
	uint32_t room;
	int want;
	const char *out; /* for NTFS_OK */
	uint32_t out_len;
};

/* Tokens: at 1 to 16 bytes out, 4 displacement bits and 12 length bits. */
static void bodies(void **state)
{
	static const struct body_case cases[] = {
	        {"literals only", {0x00, 'a', 'b', 'c'}, 4, 4096, NTFS_OK, "abc", 3},
	        {"copy of 3 from 1 back", {0x02, 'a', 0x00, 0x00}, 4, 4096, NTFS_OK, "aaaa", 4},
	        {"copy overlapping itself",
	         {0x04, 'a', 'b', 0x03, 0x10},
	         5,
	         4096,
	         NTFS_OK,
	         "abababab",
	         8},
	        {"copy first", {0x01, 0x00, 0x00}, 3, 4096, NTFS_ERR_CORRUPT_COMPRESSED, NULL, 0},
	        {"copy from 2 back, 1 out",
	         {0x02, 'a', 0x00, 0x10},
	         4,
	         4096,
	         NTFS_ERR_CORRUPT_COMPRESSED,
	         NULL,
	         0},
	        {"token cut short",
	         {0x02, 'a', 0x00},
	         3,
	         4096,
	         NTFS_ERR_CORRUPT_COMPRESSED,
	         NULL,
	         0},
	        {"copy past the room",
	         {0x02, 'a', 0xFF, 0x0F},
	         4,
	         4096,
	         NTFS_ERR_CORRUPT_COMPRESSED,
	         NULL,
	         0},
	        {"literal past the room",
	         {0x00, 'a', 'b', 'c'},
	         4,
	         2,
	         NTFS_ERR_CORRUPT_COMPRESSED,
	         NULL,
	         0},
	        {"a flag byte alone", {0x00}, 1, 4096, NTFS_OK, "", 0},
	        {"empty", {0}, 0, 4096, NTFS_OK, "", 0},
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct body_case *c = &cases[i];
		uint8_t out[NTFSI_LZNT1_CHUNK + 16];
		uint32_t got = 0;
		int r;

		memset(out, 0xEE, sizeof out);
		r = ntfsi_lznt1_decode(c->src, c->slen, out, c->room, &got);
		if (r != c->want)
			fail_msg("%s: %d, want %d", c->what, r, c->want);
		if (r == NTFS_OK && (got != c->out_len || memcmp(out, c->out, got) != 0))
			fail_msg("%s: %u bytes, want %u", c->what, got, c->out_len);
		/* Nothing past the room is ever written. */
		for (size_t k = c->room; k < sizeof out; k++)
			if (out[k] != 0xEE)
				fail_msg("%s: byte %zu past the room written", c->what, k);
	}
}

/* The split moves at 16, 32, ... bytes out: a displacement must reach back
 * to the chunk's start and no further. */
static void split_moves(void **state)
{
	uint8_t src[64], out[NTFSI_LZNT1_CHUNK];
	uint32_t n = 0, got;
	(void)state;

	/* 17 literals (flag bytes 0x00 then 0x00 for 8+8, then 1 more), then at
	 * 17 out a copy from 17 back: 5 displacement bits, 11 length bits. */
	src[n++] = 0x00;
	for (int i = 0; i < 8; i++)
		src[n++] = (uint8_t)('a' + i);
	src[n++] = 0x00;
	for (int i = 8; i < 16; i++)
		src[n++] = (uint8_t)('a' + i);
	src[n++] = 0x02; /* literal, then a copy */
	src[n++] = 'q';
	src[n++] = (uint8_t)((16u << 11) | 0); /* displacement 17, length 3 */
	src[n++] = (uint8_t)(((16u << 11) | 0) >> 8);
	assert_int_equal(ntfsi_lznt1_decode(src, n, out, sizeof out, &got), NTFS_OK);
	assert_int_equal(got, 20);
	assert_memory_equal(out, "abcdefghijklmnopqabc", 20);
	/* One further back is before the start. */
	src[n - 2] = (uint8_t)(17u << 11);
	src[n - 1] = (uint8_t)((17u << 11) >> 8);
	assert_int_equal(ntfsi_lznt1_decode(src, n, out, sizeof out, &got),
	                 NTFS_ERR_CORRUPT_COMPRESSED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(ms_xca_example),
	        cmocka_unit_test(headers),
	        cmocka_unit_test(bodies),
	        cmocka_unit_test(split_moves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
