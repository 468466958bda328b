/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LZX (lzx.c), WIM/WOF dialect. Chunks compressed by wimlib's LZX
 * compressor (when the build found libwim) decode to the bytes that were
 * compressed: text, zeros, random bytes, x86-like code with calls (E8
 * translation), fixed-size records (aligned-offset blocks), and this test's
 * own executable, at 32768, 32767 and smaller sizes; every prefix of a
 * chunk is an error or the same bytes; mutated chunks never touch memory
 * they should not. Streams built field by field with test/support/lzx_enc.h
 * cover what wimlib never writes (uncompressed blocks, the 16-bit skip
 * before one, one-byte chunks, repeated-offset swaps, E8 edge cases, the
 * codes that need the largest tables) with their expected bytes (and
 * wimlib's decoder must agree), and a table of broken streams, one field
 * each and valid otherwise, must give NTFS_ERR_CORRUPT_COMPRESSED. Every
 * decode reads an exact-size copy of its input (ASan, in the sanitizer
 * build, sees a byte read past it) and writes a room followed by canaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#ifdef NTFS_HAVE_WIMLIB
#include <wimlib.h>
#endif

#include "core.h"
#include "lzx.h"
#include "lzx_enc.h"

#define CHUNK NTFSI_LZX_CHUNK
#define CANARY 0xA5
#define SLACK 64 /* bytes past the room that must stay untouched */

static uint16_t ws[NTFSI_LZX_WORKSPACE / 2];
static uint8_t out[CHUNK + SLACK];
static struct lzx_enc E;

/* Decode a copy of @src in a heap block of exactly @slen bytes (so ASan
 * sees a read past it) into a room of @dlen with canaries after it; the
 * canaries must survive whatever the result. */
static int decode(const uint8_t *src, size_t slen, uint32_t dlen)
{
	uint8_t *in = malloc(slen > 0 ? slen : 1);
	int r;

	assert_non_null(in);
	memcpy(in, src, slen);
	memset(out, CANARY, sizeof out);
	r = ntfsi_lzx_decode(in, (uint32_t)slen, out, dlen, ws);
	free(in);
	for (size_t k = dlen; k < sizeof out; k++)
		if (out[k] != CANARY)
			fail_msg("byte %zu past the room of %u written", k, dlen);
	return r;
}

#ifdef NTFS_HAVE_WIMLIB
static struct wimlib_decompressor *wim_dec;
static uint8_t wim_out[CHUNK];

/* wimlib's decoder on the same stream: 0 and the same bytes as ours. */
static void wimlib_agrees(const uint8_t *src, size_t slen, const uint8_t *want, uint32_t dlen,
                          const char *what)
{
	if (wim_dec == NULL)
		assert_int_equal(
		        wimlib_create_decompressor(WIMLIB_COMPRESSION_TYPE_LZX, CHUNK, &wim_dec),
		        0);
	if (wimlib_decompress(src, slen, wim_out, dlen, wim_dec) != 0)
		fail_msg("%s: wimlib's decoder refuses the stream", what);
	if (memcmp(wim_out, want, dlen) != 0)
		fail_msg("%s: wimlib's decoder gives other bytes", what);
}
#else
static void wimlib_agrees(const uint8_t *src, size_t slen, const uint8_t *want, uint32_t dlen,
                          const char *what)
{
	(void)src;
	(void)slen;
	(void)want;
	(void)dlen;
	(void)what;
}
#endif

/* ------------------------------------------------------------------------
 * Round trips through wimlib's compressor
 * ------------------------------------------------------------------------ */

#ifdef NTFS_HAVE_WIMLIB

/* Data */

static uint32_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

enum kind {
	K_TEXT,
	K_ZEROS,
	K_RANDOM,
	K_CODE,
	K_RECORDS,
	K_MIXED,
	K_SELF
};

static const char *const kind_name[] = {"text",    "zeros", "random", "code",
                                        "records", "mixed", "self"};

static void gen_text(uint8_t *d, size_t n)
{
	static const char *const words[] = {"the",  "file",   "record", "index", "stream",
	                                    "of",   "NTFS",   "a",      "chunk", "window",
	                                    "call", "offset", "is",     "and",   "volume"};
	size_t i = 0;

	while (i < n) {
		const char *w = words[rnd() % (sizeof words / sizeof words[0])];

		for (size_t k = 0; w[k] != '\0' && i < n; k++)
			d[i++] = (uint8_t)w[k];
		if (i < n)
			d[i++] = rnd() % 9 == 0 ? '\n' : ' ';
	}
}

/* x86-like: prologues, moves, and calls (E8 + 32-bit displacement) to a
 * few targets, so the E8 translation has work to do. */
static void gen_code(uint8_t *d, size_t n)
{
	static const uint8_t ops[][4] = {{0x55, 0x48, 0x89, 0xE5}, {0x48, 0x8B, 0x45, 0xF8},
	                                 {0x5D, 0xC3, 0x90, 0x90}, {0x48, 0x83, 0xEC, 0x20},
	                                 {0x31, 0xC0, 0x0F, 0x1F}, {0x89, 0xC7, 0x8B, 0x07}};
	size_t i = 0;

	while (i < n) {
		uint32_t r = rnd();

		if (r % 3 == 0 && n - i >= 5) {
			/* A call to one of 16 functions at fixed places. */
			int32_t target = (int32_t)((r >> 8) % 16) * 2048 - (int32_t)i;

			d[i++] = 0xE8;
			for (int k = 0; k < 4; k++)
				d[i++] = (uint8_t)((uint32_t)target >> (8 * k));
		} else {
			const uint8_t *op = ops[(r >> 4) % 6];

			for (int k = 0; k < 4 && i < n; k++)
				d[i++] = op[k];
			if (i < n)
				d[i++] = (uint8_t)(r >> 24);
		}
	}
}

/* 16-byte records from a few templates: match offsets are multiples of
 * 16, which is what makes wimlib choose aligned-offset blocks. */
static void gen_records(uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i % 16 == 0)
			rnd();
		switch (i % 16 / 4) {
		case 0:
			d[i] = (uint8_t)((rng % 64) * 0x9E3779B1u >> (8 * (i % 4)));
			break;
		case 1:
			d[i] = (uint8_t)((i / 16) >> (8 * (i % 4)));
			break;
		case 2:
			d[i] = (uint8_t)(((rng % 64) ^ 0xABCDEFu) >> (8 * (i % 4)));
			break;
		default:
			d[i] = (uint8_t)(i % 4 == 0 ? rng >> 24 : 0);
			break;
		}
	}
}

/* Some of this test program itself: real machine code. */
static bool gen_self(uint8_t *d, size_t n)
{
	FILE *f = fopen("/proc/self/exe", "rb");
	size_t got;

	if (f == NULL)
		return false;
	got = fseek(f, 4096, SEEK_SET) == 0 ? fread(d, 1, n, f) : 0;
	fclose(f);
	return got == n;
}

static bool gen(enum kind k, uint8_t *d, size_t n, uint32_t seed)
{
	rng = seed * 2654435761u + 1;
	switch (k) {
	case K_TEXT:
		gen_text(d, n);
		break;
	case K_ZEROS:
		memset(d, 0, n);
		break;
	case K_RANDOM:
		for (size_t i = 0; i < n; i++)
			d[i] = (uint8_t)(rnd() >> 7);
		break;
	case K_CODE:
		gen_code(d, n);
		break;
	case K_RECORDS:
		gen_records(d, n);
		break;
	case K_MIXED:
		/* Different halves: more than one block. */
		gen_text(d, n / 2);
		for (size_t i = n / 2; i < n; i++)
			d[i] = (uint8_t)(rnd() >> 11);
		break;
	case K_SELF:
		return gen_self(d, n);
	}
	return true;
}

/* Compression */

struct rt_case {
	enum kind kind;
	uint32_t size;
	unsigned level;  /* wimlib's compression level; 0 its default */
	int first_block; /* the type the first block must have; 0 any */
};

static uint8_t rt_data[CHUNK];
static uint8_t rt_comp[CHUNK + 4096];

/* Compress @n bytes of rt_data; the stream's length. */
static size_t compress(uint32_t n, unsigned level)
{
	struct wimlib_compressor *c;
	size_t clen;

	assert_int_equal(wimlib_create_compressor(WIMLIB_COMPRESSION_TYPE_LZX, CHUNK, level, &c),
	                 0);
	/* Room to grow: random data still makes a (larger) verbatim block. */
	clen = wimlib_compress(rt_data, n, rt_comp, sizeof rt_comp, c);
	wimlib_free_compressor(c);
	return clen;
}

static const struct rt_case rt_cases[] = {
        {K_TEXT, 32768, 0, 0},      {K_TEXT, 32767, 0, 0},   {K_TEXT, 1000, 0, 0},
        {K_TEXT, 64, 0, 0},         {K_ZEROS, 32768, 0, 0},  {K_ZEROS, 32767, 0, 0},
        {K_ZEROS, 100, 0, 0},       {K_RANDOM, 32768, 0, 0}, {K_RANDOM, 32767, 0, 0},
        {K_RANDOM, 4000, 0, 0},     {K_CODE, 32768, 0, 0},   {K_CODE, 32767, 0, 0},
        {K_CODE, 32768, 100, 0},    {K_CODE, 777, 0, 0},     {K_RECORDS, 32768, 0, 2},
        {K_RECORDS, 32767, 100, 2}, {K_RECORDS, 5000, 0, 2}, {K_MIXED, 32768, 0, 0},
        {K_MIXED, 32767, 100, 0},   {K_SELF, 32768, 0, 0},   {K_SELF, 32767, 100, 0},
};

static void round_trips(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rt_cases / sizeof rt_cases[0]; i++) {
		const struct rt_case *c = &rt_cases[i];

		for (uint32_t seed = 1; seed <= 3; seed++) {
			size_t clen;
			int r;

			if (!gen(c->kind, rt_data, c->size, seed)) {
				print_message("%s: no data here, skipped\n", kind_name[c->kind]);
				break;
			}
			clen = compress(c->size, c->level);
			if (clen == 0)
				fail_msg("%s %u: wimlib does not compress it", kind_name[c->kind],
				         c->size);
			if (c->first_block != 0 && rt_comp[1] >> 5 != c->first_block)
				fail_msg("%s %u: first block of type %d, want %d",
				         kind_name[c->kind], c->size, rt_comp[1] >> 5,
				         c->first_block);
			r = decode(rt_comp, clen, c->size);
			if (r != NTFS_OK)
				fail_msg("%s %u level %u seed %u: %d", kind_name[c->kind], c->size,
				         c->level, seed, r);
			if (memcmp(out, rt_data, c->size) != 0)
				fail_msg("%s %u level %u seed %u: other bytes", kind_name[c->kind],
				         c->size, c->level, seed);
		}
	}
}

/* Room for less than the chunk is an error (the block is bigger); every
 * prefix of the stream is an error, or decodes the same (when what is cut
 * is only padding). */
static void truncations(void **state)
{
	static const enum kind kinds[] = {K_TEXT, K_CODE, K_RECORDS};
	(void)state;

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		const uint32_t n = 3000;
		size_t clen;
		unsigned errors = 0;

		gen(kinds[i], rt_data, n, 7);
		clen = compress(n, 0);
		assert_true(clen > 0);
		assert_int_equal(decode(rt_comp, clen, n - 1), NTFS_ERR_CORRUPT_COMPRESSED);
		for (size_t cut = 0; cut < clen; cut++) {
			int r = decode(rt_comp, cut, n);

			if (r == NTFS_OK && memcmp(out, rt_data, n) != 0)
				fail_msg("%s cut to %zu: other bytes", kind_name[kinds[i]], cut);
			if (r != NTFS_OK && r != NTFS_ERR_CORRUPT_COMPRESSED)
				fail_msg("%s cut to %zu: %d", kind_name[kinds[i]], cut, r);
			errors += r != NTFS_OK;
		}
		/* Only the last word can be all padding. */
		if (errors < clen - 2)
			fail_msg("%s: %u of %zu prefixes decode", kind_name[kinds[i]],
			         (unsigned)(clen - errors), clen);
	}
}

/* Bytes changed at random: OK or NTFS_ERR_CORRUPT_COMPRESSED, never a byte
 * outside the room (the canaries; ASan in the sanitizer build). */
static void mutations(void **state)
{
	static uint8_t m[CHUNK + 4096];
	(void)state;

	for (uint32_t seed = 1; seed <= 6; seed++) {
		const uint32_t n = seed * 1500;
		size_t clen;

		gen((enum kind)(seed % 5), rt_data, n, seed);
		clen = compress(n, 0);
		assert_true(clen > 0);
		for (int t = 0; t < 300; t++) {
			int r;

			memcpy(m, rt_comp, clen);
			for (int k = 0; k <= t % 4; k++) {
				size_t at = rnd() % clen;

				m[at] = t & 1 ? (uint8_t)rnd()
				              : (uint8_t)(m[at] ^ 1u << (rnd() % 8));
			}
			r = decode(m, clen, n - (t % 3) * (n / 3));
			if (r != NTFS_OK && r != NTFS_ERR_CORRUPT_COMPRESSED)
				fail_msg("mutation %d: %d", t, r);
		}
	}
}

#endif /* NTFS_HAVE_WIMLIB */

/* ------------------------------------------------------------------------
 * Streams built field by field
 * ------------------------------------------------------------------------ */

/* The E8 translation as [MS-PATCH] states it, for the expected bytes of
 * stored data: every E8 before the last 10 bytes is a call whose target
 * was made absolute; the 4 bytes after it are never an E8 themselves. */
static void ref_undo_e8(uint8_t *d, uint32_t n)
{
	for (uint32_t i = 0; n > 10 && i < n - 10; i++) {
		int32_t abs, pos = (int32_t)i;

		if (d[i] != 0xE8)
			continue;
		abs = (int32_t)((uint32_t)d[i + 1] | (uint32_t)d[i + 2] << 8 |
		                (uint32_t)d[i + 3] << 16 | (uint32_t)d[i + 4] << 24);
		if (abs >= -pos && abs < 12000000) {
			uint32_t rel = (uint32_t)(abs >= 0 ? abs - pos : abs + 12000000);

			for (int k = 0; k < 4; k++)
				d[i + 1 + k] = (uint8_t)(rel >> (8 * k));
		}
		i += 4;
	}
}

static uint8_t want[CHUNK];
static uint32_t want_len;

static void expect(const void *bytes, uint32_t n)
{
	memcpy(want + want_len, bytes, n);
	want_len += n;
}

/* Main code of two 1-bit literals. */
static void two_literals(uint8_t a, uint8_t b)
{
	memset(E.main, 0, sizeof E.main);
	E.main[a] = 1;
	E.main[b] = 1;
}

static void v_one_literal(void)
{
	two_literals('x', 'y');
	le_header(&E, 1, 1);
	le_codes(&E, false);
	le_lit(&E, 'x');
	expect("x", 1);
}

static void v_one_stored(void)
{
	le_stored(&E, (const uint8_t *)"z", 1, 1, 1, 1, true);
	expect("z", 1);
}

static void v_stored_whole(void)
{
	for (uint32_t i = 0; i < CHUNK; i++)
		want[i] = (uint8_t)(i % 200 + (i / 200) % 7);
	le_stored(&E, want, CHUNK, 1, 1, 1, false);
	want_len = CHUNK;
}

static void v_stored_odd_last(void)
{
	for (uint32_t i = 0; i < CHUNK - 1; i++)
		want[i] = (uint8_t)(i * 7 % 230);
	/* Odd and last: no pad byte needed. */
	le_stored(&E, want, CHUNK - 1, 1, 1, 1, true);
	want_len = CHUNK - 1;
}

static void v_stored_then_verbatim(void)
{
	le_stored(&E, (const uint8_t *)"abc", 3, 1, 1, 1, false);
	two_literals('d', 'e');
	le_header(&E, 1, 2);
	le_codes(&E, false);
	le_lit(&E, 'd');
	le_lit(&E, 'e');
	expect("abcde", 5);
}

/* A verbatim block whose bits, with the next header, end on a word: the
 * stored block after it skips a whole word of padding. */
static void v_stored_on_a_word(void)
{
	struct lzx_enc *probe = malloc(sizeof *probe);
	unsigned k;

	assert_non_null(probe);
	le_init(probe);
	probe->main['p'] = 1;
	probe->main['q'] = 1;
	le_header(probe, 1, 1);
	le_codes(probe, false);
	/* k 1-bit literals, then a 20-bit stored header, end on a word. */
	k = (16 - (probe->nacc + 20) % 16) % 16;
	k = k == 0 ? 16 : k;
	free(probe);

	two_literals('p', 'q');
	le_header(&E, 1, k);
	le_codes(&E, false);
	for (unsigned i = 0; i < k; i++) {
		le_lit(&E, i & 1 ? 'q' : 'p');
		expect(i & 1 ? "q" : "p", 1);
	}
	le_header(&E, 3, 3);
	assert_int_equal(E.nacc, 0);
	le_bits(&E, 0, 16); /* already on a word: 16 bits of padding */
	for (unsigned r = 0; r < 3; r++) {
		le_byte(&E, 1);
		le_byte(&E, 0);
		le_byte(&E, 0);
		le_byte(&E, 0);
	}
	le_byte(&E, 'X');
	le_byte(&E, 'Y');
	le_byte(&E, 'Z');
	expect("XYZ", 3);
}

/* A main code of exactly the symbols @syms[0, @n), n >= 2, complete: a of
 * them L - 1 bits and b of them L bits, with a + b = n and 2a + b = 2^L. */
static void main_code_of(const unsigned *syms, unsigned n)
{
	unsigned l = 1, a;

	while ((1u << l) < n)
		l++;
	a = (1u << l) - n;
	memset(E.main, 0, sizeof E.main);
	for (unsigned i = 0; i < n; i++)
		E.main[syms[i]] = (uint8_t)(i < a ? l - 1 : l);
}

/* R0-R2: an explicit offset pushes them down; using R1 or R2 swaps it with
 * R0 and leaves the third alone. */
static void v_repeats(void)
{
	unsigned s4, s2;
	uint32_t x4, x2;
	unsigned syms[9];

	le_offset(4, &s4, &x4);
	le_offset(2, &s2, &x2);
	syms[0] = 'a';
	syms[1] = 'b';
	syms[2] = 'c';
	syms[3] = 'X';
	syms[4] = le_match_sym(s4, 4); /* offset 4, length 4 */
	syms[5] = le_match_sym(s2, 2); /* offset 2, length 2 */
	syms[6] = le_match_sym(1, 3);  /* R1, length 3 */
	syms[7] = le_match_sym(2, 2);  /* R2, length 2 */
	syms[8] = le_match_sym(1, 2);  /* R1, length 2 */
	main_code_of(syms, 9);
	le_header(&E, 1, 18);
	le_codes(&E, false);
	le_lit(&E, 'a');
	le_lit(&E, 'b');
	le_lit(&E, 'c');
	le_lit(&E, 'a');
	le_match(&E, s4, 4, x4); /* "abca"; R = 4, 1, 1 */
	le_lit(&E, 'X');
	le_match(&E, s2, 2, x2); /* "aX"; R = 2, 4, 1 */
	le_match(&E, 1, 3, 0);   /* R1: "aXa"; R = 4, 2, 1 */
	le_match(&E, 2, 2, 0);   /* R2: "aa"; R = 1, 2, 4 */
	le_match(&E, 1, 2, 0);   /* R1: "aa"; R = 2, 1, 4 */
	expect("abcaabcaXaXaXaaaaa", 18);
}

/* The longest match (length code symbol 248) and the shortest one that
 * needs the length code (symbol 0), through slot 3 (offset 1). */
static void v_long_match(void)
{
	/* Both lengths need the length code: one main symbol for the two. */
	unsigned syms[3] = {'a', 'b', le_match_sym(3, 257)};

	main_code_of(syms, 3);
	memset(E.len_lens, 0, sizeof E.len_lens);
	E.len_lens[0] = 1;
	E.len_lens[248] = 1;
	le_header(&E, 1, 1 + 257 + 1 + 9);
	le_codes(&E, false);
	le_lit(&E, 'a');
	le_match(&E, 3, 257, 0);
	le_lit(&E, 'b');
	le_match(&E, 3, 9, 0);
	for (int i = 0; i < 258; i++)
		expect("a", 1);
	for (int i = 0; i < 10; i++)
		expect("b", 1);
}

/* An aligned-offset block: the low 3 bits of offsets of slot 8 and up come
 * through the aligned code, the rest as plain bits. */
static void v_aligned(void)
{
	unsigned s20, s30, s5;
	uint32_t x20, x30, x5;
	unsigned syms[8];

	le_offset(20, &s20, &x20); /* slot 8: 3 extra bits, all aligned */
	le_offset(30, &s30, &x30); /* slot 10: 1 plain bit + aligned */
	le_offset(5, &s5, &x5);    /* slot 5: plain bits only */
	syms[0] = 'A';
	syms[1] = 'B';
	syms[2] = 'C';
	syms[3] = 'D';
	syms[4] = le_match_sym(s20, 5);
	syms[5] = le_match_sym(s30, 4);
	syms[6] = le_match_sym(s5, 3);
	syms[7] = 'E';
	main_code_of(syms, 8);
	for (unsigned k = 0; k < 8; k++)
		E.aligned[k] = 3;
	le_header(&E, 2, 40);
	le_codes(&E, true);
	for (int i = 0; i < 28; i++) {
		uint8_t c = (uint8_t)("ABCDE"[(i * 3 + i / 5) % 5]);

		le_lit(&E, c);
		expect(&c, 1);
	}
	le_match(&E, s20, 5, x20);
	expect(want + want_len - 20, 5);
	le_match(&E, s30, 4, x30);
	expect(want + want_len - 30, 4);
	le_match(&E, s5, 3, x5);
	expect(want + want_len - 5, 3);
	assert_int_equal(want_len, 40);
}

/* E8 calls in stored data: translated in range, left alone out of range,
 * never in the last 10 bytes, never inside another call's target. */
static void v_e8(void)
{
	static const struct {
		uint32_t at, target;
	} calls[] = {
	        {0, 0x10},         {5, 100},         {20, 0xFFFFFFFDu}, {30, 12000000},
	        {40, 0xFFFFFFD7u}, {50, 11999999},   {60, 0xE8E8E8E8u}, {70, 0},
	        {80, 0xFFFFFFB0u}, {100 - 11, 1000}, {100 - 10, 1000},
	};
	uint8_t d[100];

	for (int i = 0; i < 100; i++)
		d[i] = (uint8_t)(i * 3 % 200);
	for (size_t k = 0; k < sizeof calls / sizeof calls[0]; k++) {
		d[calls[k].at] = 0xE8;
		for (int j = 0; j < 4 && calls[k].at + 1 + j < 100; j++)
			d[calls[k].at + 1 + j] = (uint8_t)(calls[k].target >> (8 * j));
	}
	le_stored(&E, d, 100, 1, 1, 1, false);
	memcpy(want, d, 100);
	ref_undo_e8(want, 100);
	want_len = 100;
	/* Spot checks against the rule itself, not just the reference. */
	assert_int_equal(want[6], 95);                    /* 100 - 5 */
	assert_int_equal(want[21], (12000000 - 3) & 255); /* -3 + 12000000 */
	assert_int_equal(want[41], 0xD7);                 /* -41 < -40: kept */
	assert_int_equal(want[100 - 9], 1000 & 255);      /* in the last 10 */
}

/* Repeated offsets set by a stored block carry into the next block. */
static void v_stored_sets_repeats(void)
{
	unsigned syms[2] = {'q', le_match_sym(0, 3)};

	le_stored(&E, (const uint8_t *)"0123456789", 10, 7, 3, 9, false);
	main_code_of(syms, 2);
	le_header(&E, 1, 3);
	le_codes(&E, false);
	le_match(&E, 0, 3, 0); /* R0 = 7 */
	expect("0123456789345", 13);
}

/*
 * The complete codes that need the most table entries, as counts of
 * codewords per length: the shapes behind the table sizes in lzx.c (main
 * 2048 + 518 entries, length 256 + 494, pretree 128 + 262). Their longest
 * codewords land in the last second-level table; each must decode.
 */
static const uint16_t worst_main[17] = {0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 235, 5, 9, 17, 226};
static const uint16_t worst_len[17] = {0, 1, 1, 0, 0, 0, 0, 0, 0, 119, 1, 9, 17, 33, 65, 1, 2};

/* Lengths from counts, the longest to symbol 0 and up. */
static void lens_from_counts(uint8_t *lens, unsigned n, const uint16_t *counts)
{
	unsigned s = 0;

	for (unsigned l = 16; l >= 1; l--)
		for (unsigned k = 0; k < counts[l]; k++)
			lens[s++] = (uint8_t)l;
	assert_int_equal(s, n);
}

/* Literals 0-255 have the 16- to 13-bit codewords. */
static void v_worst_main(void)
{
	lens_from_counts(E.main, LE_MAIN_SYMS, worst_main);
	le_header(&E, 1, 256);
	le_codes(&E, false);
	for (unsigned c = 0; c < 256; c++) {
		le_lit(&E, (uint8_t)c);
		want[c] = (uint8_t)c; /* the E8 at 232 has a target far below -232 */
	}
	want_len = 256;
}

/* Length symbols 0-130 (16- to 11-bit codewords) through repeated R0. */
static void v_worst_length(void)
{
	unsigned syms[2] = {'a', le_match_sym(0, 9)};

	main_code_of(syms, 2);
	lens_from_counts(E.len_lens, LE_LEN_SYMS, worst_len);
	le_header(&E, 1, 1 + 131 * 9 + 130 * 131 / 2);
	le_codes(&E, false);
	le_lit(&E, 'a');
	for (unsigned s = 0; s <= 130; s++)
		le_match(&E, 0, 9 + s, 0);
	want_len = 1 + 131 * 9 + 130 * 131 / 2;
	memset(want, 'a', want_len);
}

/* The pretree's worst shape (two 15-bit codewords, then 14 ... 9, seven of
 * 8 bits, 5 ... 1), the longest on the symbols used: runs 17, 18, 19, then
 * 16 and 0. */
static void v_worst_pretree(void)
{
	static const uint8_t order[LE_PRE_SYMS] = {17, 18, 19, 16, 0,  1,  2,  3,  4,  5,
	                                           6,  7,  8,  9,  10, 11, 12, 13, 14, 15};
	static const uint8_t len_of[LE_PRE_SYMS] = {15, 15, 14, 13, 12, 11, 10, 9, 8, 8,
	                                            8,  8,  8,  8,  8,  5,  4,  3, 2, 1};
	uint8_t pre[LE_PRE_SYMS];

	for (unsigned k = 0; k < LE_PRE_SYMS; k++)
		pre[order[k]] = len_of[k];
	le_header(&E, 1, 2);
	/* Literal lengths: 51 zeros, 19 zeros, 5 equal (unchanged), 22
	 * unchanged, 'a' and 'b' to 1, then 153 + 4 zeros. */
	le_pretree(&E, pre);
	le_presym(&E, 18);
	le_bits(&E, 31, 5);
	le_presym(&E, 17);
	le_bits(&E, 15, 4);
	le_presym(&E, 19);
	le_bits(&E, 1, 1);
	le_presym(&E, 0);
	for (int k = 0; k < 22; k++)
		le_presym(&E, 0);
	le_presym(&E, 16);
	le_presym(&E, 16);
	for (int k = 0; k < 3; k++) {
		le_presym(&E, 18);
		le_bits(&E, 31, 5);
	}
	for (int k = 0; k < 4; k++)
		le_presym(&E, 0);
	/* Match lengths: 4 x 51 + 36 zeros; the length code: 4 x 51 + 45. */
	for (int part = 0; part < 2; part++) {
		le_pretree(&E, pre);
		for (int k = 0; k < 4; k++) {
			le_presym(&E, 18);
			le_bits(&E, 31, 5);
		}
		le_presym(&E, 18);
		le_bits(&E, part == 0 ? 16 : 25, 5);
	}
	memset(E.main, 0, sizeof E.main);
	E.main['a'] = E.main['b'] = 1;
	le_canon(E.main, LE_MAIN_SYMS, E.main_code);
	le_lit(&E, 'b');
	le_lit(&E, 'a');
	expect("ba", 2);
}

struct valid_case {
	const char *what;
	void (*build)(void);
};

static const struct valid_case valid_cases[] = {
        {"one literal", v_one_literal},
        {"one stored byte", v_one_stored},
        {"stored 32768 (the default size bit)", v_stored_whole},
        {"stored 32767, last, no pad byte", v_stored_odd_last},
        {"stored odd, pad byte, then verbatim", v_stored_then_verbatim},
        {"stored after bits that end on a word", v_stored_on_a_word},
        {"repeated offsets swap with R0", v_repeats},
        {"lengths 257 and 9 through the length code", v_long_match},
        {"aligned-offset block", v_aligned},
        {"E8 translation edges", v_e8},
        {"repeated offsets from a stored block", v_stored_sets_repeats},
        {"the main code that needs the largest table", v_worst_main},
        {"the length code that needs the largest table", v_worst_length},
        {"the pretree that needs the largest table", v_worst_pretree},
};

static void valid_streams(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof valid_cases / sizeof valid_cases[0]; i++) {
		const struct valid_case *c = &valid_cases[i];
		int r;

		le_init(&E);
		want_len = 0;
		c->build();
		le_flush(&E);
		assert_false(E.overflow);
		r = decode(E.out, E.len, want_len);
		if (r != NTFS_OK)
			fail_msg("%s: %d", c->what, r);
		if (memcmp(out, want, want_len) != 0)
			fail_msg("%s: other bytes", c->what);
		wimlib_agrees(E.out, E.len, want, want_len, c->what);
	}
}

/* ------------------------------------------------------------------------
 * Broken streams
 * ------------------------------------------------------------------------ */

/* Three 1-bit codewords. */
static void h_main_oversubscribed(void)
{
	memset(E.main, 0, sizeof E.main);
	E.main['a'] = E.main['b'] = E.main['c'] = 1;
	le_header(&E, 1, 1);
	le_codes(&E, false);
	le_bits(&E, 0, 16);
}

/* One 1-bit codeword: half the code space unused. */
static void h_main_incomplete(void)
{
	memset(E.main, 0, sizeof E.main);
	E.main['a'] = 1;
	le_header(&E, 1, 1);
	le_codes(&E, false);
	le_lit(&E, 'a');
}

/* No main codeword at all, and a byte to decode. */
/* No main codeword at all (the length code is fine), and a byte to
 * decode. */
static void h_main_empty(void)
{
	memset(E.main, 0, sizeof E.main);
	E.len_lens[0] = E.len_lens[1] = 1;
	le_header(&E, 1, 1);
	le_codes(&E, false);
	le_bits(&E, 0, 16);
}

/* A match that needs the length code, which is empty. The block is long
 * and the bits to fill it are there: only the empty code is wrong. */
static void h_length_code_empty_used(void)
{
	unsigned syms[2] = {'a', le_match_sym(3, 20)};

	main_code_of(syms, 2);
	le_header(&E, 1, 3000);
	le_codes(&E, false); /* the length code is all zeros */
	le_lit(&E, 'a');
	le_sym(&E, E.main_code, E.main, syms[1]);
	for (int i = 0; i < 3000; i++)
		le_lit(&E, 'a');
}

static void h_length_code_oversubscribed(void)
{
	two_literals('a', 'b');
	E.len_lens[0] = E.len_lens[1] = E.len_lens[2] = 1;
	le_header(&E, 1, 1);
	le_codes(&E, false);
	le_lit(&E, 'a');
}

/* An offset of slot 8 (all 3 extra bits aligned) in an aligned block
 * whose aligned code is empty; enough output before it and bits after it
 * that only the empty code is wrong. */
static void h_aligned_code_empty_used(void)
{
	unsigned slot;
	uint32_t extra;
	unsigned syms[2] = {'a', 0};

	le_offset(20, &slot, &extra);
	syms[1] = le_match_sym(slot, 2);
	main_code_of(syms, 2);
	le_header(&E, 2, 3000);
	le_codes(&E, true); /* the aligned code is all zeros */
	for (int i = 0; i < 2100; i++)
		le_lit(&E, 'a');
	le_sym(&E, E.main_code, E.main, syms[1]);
	for (int i = 0; i < 1000; i++)
		le_lit(&E, 'a');
}

static void h_aligned_code_incomplete(void)
{
	two_literals('a', 'b');
	E.aligned[0] = 1;
	le_header(&E, 2, 1);
	le_codes(&E, true);
	le_lit(&E, 'a');
}

static void h_pretree_oversubscribed(void)
{
	static const uint8_t pre[LE_PRE_SYMS] = {1, 1, 1};

	le_header(&E, 1, 1);
	le_pretree(&E, pre);
	le_bits(&E, 0, 32);
}

/* All 20 lengths 0: an empty pretree, and lengths to send. */
static void h_pretree_empty(void)
{
	static const uint8_t pre[LE_PRE_SYMS] = {0};

	le_header(&E, 1, 1);
	le_pretree(&E, pre);
	le_bits(&E, 0, 32);
}

static void h_pretree_incomplete(void)
{
	static const uint8_t pre[LE_PRE_SYMS] = {1};

	le_header(&E, 1, 1);
	le_pretree(&E, pre);
	le_bits(&E, 0, 32);
}

/* 250 literal lengths one by one, then a run of 20 zeros: past 256. */
static void h_run_past_literals(void)
{
	le_header(&E, 1, 1);
	le_pretree(&E, le_pre_std);
	for (int i = 0; i < 250; i++)
		le_presym(&E, 0);
	le_presym(&E, 18);
	le_bits(&E, 0, 5);
	le_bits(&E, 0, 32);
}

/* The length code: 240 lengths, then a run of 4 + 15 zeros: past 249. */
static void h_run_past_lengths(void)
{
	two_literals('a', 'b');
	le_header(&E, 1, 1);
	le_lens(&E, E.main_prev, E.main, 256);
	le_lens(&E, E.main_prev + 256, E.main + 256, LE_MAIN_SYMS - 256);
	le_pretree(&E, le_pre_std);
	for (int i = 0; i < 240; i++)
		le_presym(&E, 0);
	le_presym(&E, 17);
	le_bits(&E, 15, 4);
	le_bits(&E, 0, 32);
}

/* Symbol 19 (a run of equal lengths) whose length is symbol 18, in a
 * stream that is valid otherwise. */
static void h_run_of_a_run(void)
{
	two_literals('a', 'b');
	le_header(&E, 1, 1);
	le_pretree(&E, le_pre_std);
	le_presym(&E, 19);
	le_bits(&E, 0, 1);
	le_presym(&E, 18);
	for (unsigned i = 4; i < 256; i++)
		le_presym(&E, (E.main_prev[i] + 17u - E.main[i]) % 17u);
	memcpy(E.main_prev, E.main, 256);
	le_lens(&E, E.main_prev + 256, E.main + 256, LE_MAIN_SYMS - 256);
	le_lens(&E, E.len_prev, E.len_lens, LE_LEN_SYMS);
	le_canon(E.main, LE_MAIN_SYMS, E.main_code);
	le_lit(&E, 'a');
}

/* A match first: R0 = 1 back from position 0. */
static void h_match_before_start(void)
{
	unsigned syms[2] = {'a', le_match_sym(0, 2)};

	main_code_of(syms, 2);
	le_header(&E, 1, 3);
	le_codes(&E, false);
	le_match(&E, 0, 2, 0);
	le_lit(&E, 'a');
}

/* Two bytes out, then a match from 5 back. */
static void h_offset_past_start(void)
{
	unsigned slot;
	uint32_t extra;
	unsigned syms[2] = {'a', 0};

	le_offset(5, &slot, &extra);
	syms[1] = le_match_sym(slot, 2);
	main_code_of(syms, 2);
	le_header(&E, 1, 4);
	le_codes(&E, false);
	le_lit(&E, 'a');
	le_lit(&E, 'a');
	le_match(&E, slot, 2, extra);
}

/* A 3-byte block: a literal, then a 3-byte match. */
static void h_match_past_block(void)
{
	unsigned syms[2] = {'a', le_match_sym(3, 3)};

	main_code_of(syms, 2);
	le_header(&E, 1, 3);
	le_codes(&E, false);
	le_lit(&E, 'a');
	le_match(&E, 3, 3, 0);
	le_bits(&E, 0, 16);
}

static void h_block_past_room(void)
{
	two_literals('a', 'b');
	le_header(&E, 1, 32768);
	le_codes(&E, false);
	le_lit(&E, 'a');
}

/* A block of size 0 (codes and all), then a valid one. */
static void h_block_size_zero(void)
{
	two_literals('a', 'b');
	le_header(&E, 1, 0);
	le_codes(&E, false);
	le_header(&E, 1, 1);
	le_codes(&E, false);
	le_lit(&E, 'a');
}

/* A block of type @type, the rest as a verbatim block would be. */
static void unknown_type(unsigned type)
{
	two_literals('a', 'b');
	le_header(&E, type, 1);
	le_codes(&E, false);
	le_lit(&E, 'a');
}

static void h_block_type_0(void)
{
	unknown_type(0);
}

static void h_block_type_7(void)
{
	unknown_type(7);
}

/* 100 bytes declared, 50 there. */
static void h_stored_past_input(void)
{
	le_header(&E, 3, 100);
	le_bits(&E, 0, 16 - E.nacc);
	for (int k = 0; k < 12; k++)
		le_byte(&E, 1);
	for (int k = 0; k < 50; k++)
		le_byte(&E, 'd');
}

static void h_stored_r0_zero(void)
{
	le_stored(&E, (const uint8_t *)"ab", 2, 0, 1, 1, false);
}

static void h_stored_r2_zero(void)
{
	le_stored(&E, (const uint8_t *)"ab", 2, 1, 1, 0, false);
}

/* The stored block's header, and 8 of the 12 bytes of R0-R2. */
static void h_stored_repeats_cut(void)
{
	le_header(&E, 3, 2);
	le_bits(&E, 0, 16 - E.nacc);
	for (int k = 0; k < 8; k++)
		le_byte(&E, 1);
}

/* An odd stored block that ends the input, and more room to fill. */
static void h_stored_then_nothing(void)
{
	le_stored(&E, (const uint8_t *)"abc", 3, 1, 1, 1, true);
}

/* A valid stream less its last word: the last literals are cut. */
static void h_truncated(void)
{
	two_literals('a', 'b');
	le_header(&E, 1, 40);
	le_codes(&E, false);
	for (int i = 0; i < 40; i++)
		le_lit(&E, 'a');
	le_flush(&E);
	E.len -= 2;
}

/* Cut after the length code's pretree: the rest of its lengths would be
 * read from zeros (all "unchanged"), so only running out tells. */
static void h_truncated_in_codes(void)
{
	size_t mark;

	two_literals('a', 'b');
	le_header(&E, 1, 1);
	le_lens(&E, E.main_prev, E.main, 256);
	le_lens(&E, E.main_prev + 256, E.main + 256, LE_MAIN_SYMS - 256);
	le_pretree(&E, le_pre_std);
	mark = E.len;
	for (unsigned i = 0; i < LE_LEN_SYMS; i++)
		le_presym(&E, 0);
	le_canon(E.main, LE_MAIN_SYMS, E.main_code);
	le_lit(&E, 'a');
	le_flush(&E);
	E.len = mark + 4;
}

/* One word: type 3, a 16-bit size of which 12 bits are there (16). */
static void h_stored_header_cut(void)
{
	le_byte(&E, 0x01);
	le_byte(&E, 0x60);
}

static void h_no_input(void)
{
}

struct broken_case {
	const char *what;
	void (*build)(void);
	uint32_t room; /* the size of the chunk: what its blocks declare */
};

static const struct broken_case broken_cases[] = {
        {"main code over-subscribed", h_main_oversubscribed, 1},
        {"main code incomplete", h_main_incomplete, 1},
        {"main code empty", h_main_empty, 1},
        {"length code empty, then used", h_length_code_empty_used, 3000},
        {"length code over-subscribed", h_length_code_oversubscribed, 1},
        {"aligned code empty, then used", h_aligned_code_empty_used, 3000},
        {"aligned code incomplete", h_aligned_code_incomplete, 1},
        {"pretree over-subscribed", h_pretree_oversubscribed, 1},
        {"pretree incomplete", h_pretree_incomplete, 1},
        {"pretree empty", h_pretree_empty, 1},
        {"zero run past the literal lengths", h_run_past_literals, 1},
        {"zero run past the length code", h_run_past_lengths, 1},
        {"equal-length run given as a run", h_run_of_a_run, 1},
        {"repeated offset before the start", h_match_before_start, 3},
        {"explicit offset before the start", h_offset_past_start, 4},
        {"match past its block, the room's end", h_match_past_block, 3},
        {"match past its block, inside the room", h_match_past_block, 10},
        {"block past the room", h_block_past_room, 100},
        {"block of size 0", h_block_size_zero, 1},
        {"block type 0", h_block_type_0, 1},
        {"block type 7", h_block_type_7, 1},
        {"stored block past the input", h_stored_past_input, 100},
        {"stored block with R0 = 0", h_stored_r0_zero, 2},
        {"stored block with R2 = 0", h_stored_r2_zero, 2},
        {"stored block's R0-R2 cut", h_stored_repeats_cut, 2},
        {"odd stored block ends the input, more to fill", h_stored_then_nothing, 4},
        {"last word cut", h_truncated, 40},
        {"cut inside the code lengths", h_truncated_in_codes, 1},
        {"stored block's header cut", h_stored_header_cut, 16},
        {"no input", h_no_input, 1},
};

static void broken_streams(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof broken_cases / sizeof broken_cases[0]; i++) {
		const struct broken_case *c = &broken_cases[i];
		int r;

		le_init(&E);
		c->build();
		le_flush(&E);
		assert_false(E.overflow);
		r = decode(E.out, E.len, c->room);
		if (r != NTFS_ERR_CORRUPT_COMPRESSED)
			fail_msg("%s: %d, want NTFS_ERR_CORRUPT_COMPRESSED", c->what, r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(valid_streams), cmocka_unit_test(broken_streams),
#ifdef NTFS_HAVE_WIMLIB
	        cmocka_unit_test(round_trips),   cmocka_unit_test(truncations),
	        cmocka_unit_test(mutations),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
