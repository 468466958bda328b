/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * XPRESS Huffman (xpress.c): MS-XCA 3.2's two examples decode to their
 * text; streams wimlib's compressor made decode back to the bytes it was
 * given (the truth from outside), for each WOF chunk size at 1, size - 1
 * and size bytes of random, text, zero and executable data; and streams
 * built here by MS-XCA 2.1.4.3's encoder, each breaking the format in one
 * place, give the exact error and never a byte outside the buffers.
 *
 * Without wimlib (a cross build) the round trips are skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "xpress.h"

#ifdef NTFS_HAVE_WIMLIB
#include <wimlib.h>
#endif

#define NSYMS 512
#define CANARY 0xEE
#define SLACK 64 /* canary bytes after the room */

static _Alignas(8) uint8_t workspace[NTFSI_XPRESS_WORKSPACE];

/* Decode into a buffer of @dlen bytes followed by canaries, which must
 * stay untouched whatever the result. */
static int decode(const uint8_t *src, uint32_t slen, uint8_t *out, uint32_t dlen)
{
	int r;

	memset(out, CANARY, (size_t)dlen + SLACK);
	r = ntfsi_xpress_decode(src, slen, out, dlen, workspace);
	for (size_t k = dlen; k < (size_t)dlen + SLACK; k++)
		if (out[k] != CANARY)
			fail_msg("byte %zu past the room of %u written", k, dlen);
	return r;
}

/* ---- MS-XCA 3.2 -------------------------------------------------------- */

struct example {
	const char *what;
	uint8_t lengths[8][2]; /* nonzero bytes of the 256-byte table: offset, value */
	const char *table_run; /* bytes from offset 48 on (the literals' lengths) */
	uint8_t stream[24];
	uint32_t stream_len;
};

/* The spec prints the 256 bytes of lengths in full; they are zero but for
 * the lowercase letters (from byte 48, symbols 96 and 97) and a few more. */
static void spec_stream(uint8_t *buf, const uint8_t *run, size_t run_len, const uint8_t (*more)[2],
                        size_t n_more, const uint8_t *stream, uint32_t stream_len)
{
	memset(buf, 0, 256);
	memcpy(buf + 48, run, run_len);
	for (size_t i = 0; i < n_more; i++)
		buf[more[i][0]] = more[i][1];
	memcpy(buf + 256, stream, stream_len);
}

static void ms_xca_examples(void **state)
{
	/* "abcdefghijklmnopqrstuvwxyz" as 26 literals and the end symbol: a-v
	 * 5 bits, w-z and 256 4 bits. */
	static const uint8_t run1[] = {0x50, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
	                               0x55, 0x55, 0x55, 0x55, 0x45, 0x44, 0x04};
	static const uint8_t more1[][2] = {{128, 0x04}};
	static const uint8_t stream1[] = {0xd8, 0x52, 0x3e, 0xd7, 0x94, 0x11, 0x5b,
	                                  0xe9, 0x19, 0x5f, 0xf9, 0xd6, 0x7c, 0xdf,
	                                  0x8d, 0x04, 0x00, 0x00, 0x00, 0x00};
	/* "abc" 100 times: abc, then a match of 297 from 3 back (symbol 287:
	 * length nibble 15, then bytes ff 26 01: 0x126 + 3), and the end. */
	static const uint8_t run2[] = {0x30, 0x23};
	static const uint8_t more2[][2] = {{128, 0x02}, {143, 0x20}};
	static const uint8_t stream2[] = {0xa8, 0xdc, 0x00, 0x00, 0xff, 0x26, 0x01};
	uint8_t src[300], out[300 + SLACK], want[300];
	(void)state;

	spec_stream(src, run1, sizeof run1, more1, 1, stream1, sizeof stream1);
	assert_int_equal(decode(src, 256 + sizeof stream1, out, 26), NTFS_OK);
	assert_memory_equal(out, "abcdefghijklmnopqrstuvwxyz", 26);
	/* One byte short of room: the spec's end symbol is not needed, so the
	 * first 25 decode. */
	assert_int_equal(decode(src, 256 + sizeof stream1, out, 25), NTFS_OK);
	assert_memory_equal(out, "abcdefghijklmnopqrstuvwxy", 25);

	spec_stream(src, run2, sizeof run2, more2, 2, stream2, sizeof stream2);
	for (int i = 0; i < 300; i++)
		want[i] = (uint8_t)("abc"[i % 3]);
	assert_int_equal(decode(src, 256 + sizeof stream2, out, 300), NTFS_OK);
	assert_memory_equal(out, want, 300);
	/* The match does not fit one byte less of room. */
	assert_int_equal(decode(src, 256 + sizeof stream2, out, 299), NTFS_ERR_CORRUPT_COMPRESSED);
	/* The length's last byte cut off. */
	assert_int_equal(decode(src, 256 + sizeof stream2 - 1, out, 300),
	                 NTFS_ERR_CORRUPT_COMPRESSED);
#ifdef NTFS_HAVE_WIMLIB
	{
		/* wimlib's decoder reads the spec's bytes the same way. */
		struct wimlib_decompressor *w = NULL;

		assert_int_equal(
		        wimlib_create_decompressor(WIMLIB_COMPRESSION_TYPE_XPRESS, 65536, &w), 0);
		assert_int_equal(wimlib_decompress(src, 256 + sizeof stream2, out, 300, w), 0);
		assert_memory_equal(out, want, 300);
		wimlib_free_decompressor(w);
	}
#endif
}

/* ---- An encoder, after MS-XCA 2.1.4.3 ---------------------------------- */

/* Bits go into 16-bit words, first bit highest; a word is written when the
 * bit after it comes, and the word after it is reserved then, so bytes
 * written meanwhile land where a decoder reading 32 bits ahead finds them. */
struct enc {
	uint8_t *buf;
	uint32_t out, w1, w2; /* next byte; the word being filled; the one after */
	uint32_t cur, nbits;
	uint8_t len[NSYMS];
	uint16_t code[NSYMS];
};

static void enc_start(struct enc *e, uint8_t *buf, const uint8_t len[NSYMS])
{
	uint32_t code = 0;

	memset(e, 0, sizeof *e);
	e->buf = buf;
	memcpy(e->len, len, NSYMS);
	memset(buf, 0, 256);
	for (int s = 0; s < NSYMS; s++)
		buf[s / 2] |= (uint8_t)(len[s] << (4 * (s & 1)));
	/* Canonical codes: by length, then by symbol. */
	for (int l = 1; l <= 15; l++) {
		for (int s = 0; s < NSYMS; s++)
			if (len[s] == l)
				e->code[s] = (uint16_t)code++;
		code <<= 1;
	}
	e->w1 = 256;
	e->w2 = 258;
	e->out = 260;
}

static void enc_put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void enc_bits(struct enc *e, uint32_t n, uint32_t v)
{
	while (n--) {
		if (e->nbits == 16) {
			enc_put16(e->buf + e->w1, e->cur);
			e->w1 = e->w2;
			e->w2 = e->out;
			e->out += 2;
			e->cur = e->nbits = 0;
		}
		e->cur = e->cur << 1 | (v >> n & 1);
		e->nbits++;
	}
}

static void enc_sym(struct enc *e, unsigned sym)
{
	assert_true(e->len[sym] != 0);
	enc_bits(e, e->len[sym], e->code[sym]);
}

static void enc_byte(struct enc *e, uint8_t b)
{
	e->buf[e->out++] = b;
}

static void enc_u16(struct enc *e, uint32_t v)
{
	enc_put16(e->buf + e->out, v);
	e->out += 2;
}

static unsigned high_bit(uint32_t v)
{
	unsigned b = 0;

	while (v >>= 1)
		b++;
	return b;
}

/* A match the way the spec's encoder writes it (lengths up to 65538). */
static void enc_match(struct enc *e, uint32_t len, uint32_t off)
{
	unsigned hb = high_bit(off);
	uint32_t l = len - 3;

	enc_sym(e, 256 + (l < 15 ? l : 15) + 16 * hb);
	if (l >= 15) {
		if (l - 15 < 255) {
			enc_byte(e, (uint8_t)(l - 15));
		} else {
			enc_byte(e, 255);
			enc_u16(e, l);
		}
	}
	enc_bits(e, hb, off - (1u << hb));
}

/* Flush: the last word, then a zero word; the stream's size. */
static uint32_t enc_end(struct enc *e)
{
	enc_put16(e->buf + e->w1, e->cur << (16 - e->nbits));
	enc_put16(e->buf + e->w2, 0);
	return e->out;
}

/* A complete code of every symbol, 9 bits each (512 / 2^9 = 1). */
static void lengths_all9(uint8_t len[NSYMS])
{
	memset(len, 9, NSYMS);
}

/* A complete code as deep as it goes: symbols 'a' + k of length k + 1 for
 * k < 14, then two of 15 bits (literal 'z' and the match symbol 256). */
static void lengths_deep(uint8_t len[NSYMS])
{
	memset(len, 0, NSYMS);
	for (int k = 0; k < 14; k++)
		len['a' + k] = (uint8_t)(k + 1);
	len['z'] = 15;
	len[256] = 15;
}

/* ---- Hand-built streams, one check each ------------------------------- */

struct built {
	uint8_t src[600];
	uint32_t slen;
	uint32_t dlen;
	const char *out; /* for NTFS_OK: the bytes */
};

typedef void (*build_fn)(struct built *b);

static void b_all_zero(struct built *b)
{
	memset(b->src, 0, 300);
	b->src[256] = 0xFF;
	b->slen = 300;
	b->dlen = 1;
}

static void b_oversubscribed(struct built *b)
{
	uint8_t len[NSYMS] = {0};
	struct enc e;

	len['a'] = len['b'] = len['c'] = 1;
	enc_start(&e, b->src, len);
	enc_bits(&e, 16, 0);
	b->slen = enc_end(&e);
	b->dlen = 4;
}

static void b_oversubscribed_at_15(struct built *b)
{
	uint8_t len[NSYMS];
	struct enc e;

	lengths_deep(len);
	len['y'] = 15; /* a third 15-bit code: 2^-15 too many */
	enc_start(&e, b->src, len);
	enc_bits(&e, 32, 0);
	b->slen = enc_end(&e);
	b->dlen = 2;
}

static void b_one_symbol(struct built *b)
{
	uint8_t len[NSYMS] = {0};
	struct enc e;

	len['a'] = 1;
	enc_start(&e, b->src, len);
	for (int i = 0; i < 4; i++)
		enc_sym(&e, 'a');
	b->slen = enc_end(&e);
	b->dlen = 4;
}

static void b_missing_15(struct built *b)
{
	uint8_t len[NSYMS];
	struct enc e;

	lengths_deep(len);
	len[256] = 0; /* one 15-bit code unused */
	enc_start(&e, b->src, len);
	enc_sym(&e, 'a');
	b->slen = enc_end(&e);
	b->dlen = 1;
}

static void b_table_short(struct built *b)
{
	uint8_t len[NSYMS];
	struct enc e;

	lengths_all9(len);
	enc_start(&e, b->src, len);
	enc_sym(&e, 'a');
	enc_end(&e);
	b->slen = 255;
	b->dlen = 1;
}

static void b_match_first(struct built *b)
{
	uint8_t len[NSYMS];
	struct enc e;

	lengths_all9(len);
	enc_start(&e, b->src, len);
	enc_match(&e, 3, 1);
	b->slen = enc_end(&e);
	b->dlen = 3;
}

static void b_match_one_too_far(struct built *b)
{
	uint8_t len[NSYMS];
	struct enc e;

	lengths_all9(len);
	enc_start(&e, b->src, len);
	enc_sym(&e, 'a');
	enc_sym(&e, 'b');
	enc_match(&e, 3, 3);
	b->slen = enc_end(&e);
	b->dlen = 5;
}

static void b_match_reaches_start(struct built *b)
{
	uint8_t len[NSYMS];
	struct enc e;

	lengths_all9(len);
	enc_start(&e, b->src, len);
	enc_sym(&e, 'a');
	enc_sym(&e, 'b');
	enc_match(&e, 3, 2);
	b->slen = enc_end(&e);
	b->dlen = 5;
	b->out = "ababa";
}

static void b_match_past_end(struct built *b)
{
	uint8_t len[NSYMS];
	struct enc e;

	lengths_all9(len);
	enc_start(&e, b->src, len);
	enc_sym(&e, 'a');
	enc_match(&e, 4, 1);
	b->slen = enc_end(&e);
	b->dlen = 4; /* 1 + 4 */
}

static void b_match_to_end(struct built *b)
{
	b_match_past_end(b);
	b->dlen = 5;
	b->out = "aaaaa";
}

/* A literal, then a match whose length needs a byte: 'a' and 20 more. */
static void long_match(struct built *b, struct enc *e)
{
	uint8_t len[NSYMS];

	lengths_all9(len);
	enc_start(e, b->src, len);
	enc_sym(e, 'a');
	enc_match(e, 20, 1);
	b->slen = enc_end(e);
	b->dlen = 21;
}

static void b_length_byte_ok(struct built *b)
{
	struct enc e;

	long_match(b, &e);
	b->out = "aaaaaaaaaaaaaaaaaaaaa";
}

static void b_length_byte_cut(struct built *b)
{
	struct enc e;

	long_match(b, &e);
	b->slen = e.out - 1; /* the two words the decoder holds, not the byte */
}

static void b_length_before_end_word(struct built *b)
{
	struct enc e;

	long_match(b, &e);
	/* The word the spec's reader had fetched with the code is gone too,
	 * so the byte would come after a word past the end. */
	b->slen = e.w2;
}

/* 'a', then a match with length byte 255 and the 16-bit length @v; the
 * last @cut bytes dropped. */
static void length16(struct built *b, uint32_t v, uint32_t dlen, uint32_t cut)
{
	uint8_t len[NSYMS];
	struct enc e;

	lengths_all9(len);
	enc_start(&e, b->src, len);
	enc_sym(&e, 'a');
	enc_sym(&e, 256 + 15);
	enc_byte(&e, 255);
	enc_u16(&e, v);
	b->slen = enc_end(&e) - cut;
	b->dlen = dlen;
}

static void b_length16_ok(struct built *b)
{
	length16(b, 15, 19, 0); /* 15 + 3 */
	b->out = "aaaaaaaaaaaaaaaaaaa";
}

static void b_length16_below_15(struct built *b)
{
	length16(b, 14, 18, 0);
}

static void b_length16_zero(struct built *b)
{
	length16(b, 0, 4, 0);
}

static void b_length16_max(struct built *b)
{
	length16(b, 0xFFFF, 60000, 0); /* 65538 bytes: past the end */
}

static void b_length16_cut(struct built *b)
{
	/* The stream ends with its words, then 255 and the length: keep the
	 * 255 only. */
	length16(b, 15, 19, 2);
}

static void many_literals(struct built *b, struct enc *e, int n)
{
	uint8_t len[NSYMS];

	lengths_all9(len);
	enc_start(e, b->src, len);
	for (int i = 0; i < n; i++)
		enc_sym(e, 'a' + i % 26);
	b->slen = enc_end(e);
	b->dlen = (uint32_t)n;
}

static void b_literals(struct built *b)
{
	struct enc e;

	many_literals(b, &e, 30);
	b->out = "abcdefghijklmnopqrstuvwxyzabcd";
}

static void b_literals_no_end_word(struct built *b)
{
	b_literals(b);
	b->slen -= 2; /* the zero word only a reader ahead of the bits fetches */
}

static void b_literals_cut(struct built *b)
{
	b_literals(b);
	/* 30 codes are 270 bits: 16 full words and 14 bits; cut the last word,
	 * which holds bits that are decoded. */
	b->slen -= 4;
}

static void b_offset_bits_cut(struct built *b)
{
	uint8_t len[NSYMS];
	struct enc e;

	lengths_all9(len);
	enc_start(&e, b->src, len);
	for (int i = 0; i < 15; i++)
		enc_sym(&e, 'a');
	/* 135 bits, then a 9-bit match code: 9 words exactly. Its 3 offset
	 * bits are in the tenth word, which is cut. */
	enc_match(&e, 3, 8);
	enc_end(&e);
	b->slen = 256 + 18;
	b->dlen = 18;
}

static void b_dlen_limit(struct built *b)
{
	b_literals(b);
	b->out = NULL;
	b->dlen = NTFSI_XPRESS_MAX_OUT + 1;
}

static void b_dlen_zero(struct built *b)
{
	memset(b->src, 0, 10);
	b->slen = 10; /* not even a table: nothing is read */
	b->dlen = 0;
	b->out = "";
}

static void b_deep_codes(struct built *b)
{
	uint8_t len[NSYMS];
	struct enc e;

	lengths_deep(len);
	enc_start(&e, b->src, len);
	/* Every length from 1 to 15, and the 15-bit match. */
	for (int k = 0; k < 14; k++)
		enc_sym(&e, 'a' + k);
	enc_sym(&e, 'z');
	enc_sym(&e, 256);
	b->slen = enc_end(&e);
	b->dlen = 18;
	b->out = "abcdefghijklmnzzzz";
}

/* 'x', 65532 bytes of 'y' (one, then a match from 1 back with a 16-bit
 * length), then a match from @off back: from 65533, the farthest that
 * leaves room for 3 bytes, it copies "xyy" (15 offset bits). */
static void far(struct built *b, uint32_t off)
{
	uint8_t len[NSYMS];
	struct enc e;

	lengths_all9(len);
	enc_start(&e, b->src, len);
	enc_sym(&e, 'x');
	enc_sym(&e, 'y');
	enc_match(&e, 65531, 1);
	enc_match(&e, 3, off);
	b->slen = enc_end(&e);
	b->dlen = NTFSI_XPRESS_MAX_OUT;
}

static void b_far_offset(struct built *b)
{
	far(b, 65533);
}

static void b_far_offset_too_far(struct built *b)
{
	far(b, 65534);
}

struct case_row {
	const char *name;
	build_fn build;
	int want;
};

static const struct case_row cases[] = {
        {"all code lengths 0", b_all_zero, NTFS_ERR_CORRUPT_COMPRESSED},
        {"code over-subscribed: three 1-bit codes", b_oversubscribed, NTFS_ERR_CORRUPT_COMPRESSED},
        {"code over-subscribed by one 15-bit code", b_oversubscribed_at_15,
         NTFS_ERR_CORRUPT_COMPRESSED},
        {"code incomplete: a single symbol", b_one_symbol, NTFS_ERR_CORRUPT_COMPRESSED},
        {"code incomplete: one 15-bit code missing", b_missing_15, NTFS_ERR_CORRUPT_COMPRESSED},
        {"code lengths cut short: 255 bytes", b_table_short, NTFS_ERR_CORRUPT_COMPRESSED},
        {"backreference before the start: a match first", b_match_first,
         NTFS_ERR_CORRUPT_COMPRESSED},
        {"backreference one byte before the start", b_match_one_too_far,
         NTFS_ERR_CORRUPT_COMPRESSED},
        {"backreference to the first byte (valid)", b_match_reaches_start, NTFS_OK},
        {"match past the output's end", b_match_past_end, NTFS_ERR_CORRUPT_COMPRESSED},
        {"match up to the output's end (valid)", b_match_to_end, NTFS_OK},
        {"length in a byte (valid)", b_length_byte_ok, NTFS_OK},
        {"length byte past the input's end", b_length_byte_cut, NTFS_ERR_CORRUPT_COMPRESSED},
        {"length byte after a word past the input's end", b_length_before_end_word,
         NTFS_ERR_CORRUPT_COMPRESSED},
        {"length in 16 bits, 15 (valid)", b_length16_ok, NTFS_OK},
        {"length in 16 bits below 15", b_length16_below_15, NTFS_ERR_CORRUPT_COMPRESSED},
        {"length in 16 bits 0 (the 32-bit form)", b_length16_zero, NTFS_ERR_CORRUPT_COMPRESSED},
        {"length in 16 bits 0xFFFF, past the output's end", b_length16_max,
         NTFS_ERR_CORRUPT_COMPRESSED},
        {"length in 16 bits past the input's end", b_length16_cut, NTFS_ERR_CORRUPT_COMPRESSED},
        {"literals (valid)", b_literals, NTFS_OK},
        {"without the zero word only read ahead (valid)", b_literals_no_end_word, NTFS_OK},
        {"input cut: a literal's bits missing", b_literals_cut, NTFS_ERR_CORRUPT_COMPRESSED},
        {"input cut: offset bits missing", b_offset_bits_cut, NTFS_ERR_CORRUPT_COMPRESSED},
        {"output over 64 KiB", b_dlen_limit, NTFS_ERR_LIMIT},
        {"no output: nothing read (valid)", b_dlen_zero, NTFS_OK},
        {"codes of every length to 15 (valid)", b_deep_codes, NTFS_OK},
        {"offset 65533 from the end of 64 KiB (valid)", b_far_offset, NTFS_OK},
        {"offset 65534 from the end of 64 KiB: before the start", b_far_offset_too_far,
         NTFS_ERR_CORRUPT_COMPRESSED},
};

static void hand_built(void **state)
{
	static struct built b;
	static uint8_t out[NTFSI_XPRESS_MAX_OUT + SLACK];
	int failed = 0;
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int r;

		memset(&b, 0, sizeof b);
		cases[i].build(&b);
		assert_true(b.slen <= sizeof b.src);
		if (b.dlen > NTFSI_XPRESS_MAX_OUT) /* no buffer that big: nothing written */
			r = ntfsi_xpress_decode(b.src, b.slen, out, b.dlen, workspace);
		else
			r = decode(b.src, b.slen, out, b.dlen);
		if (r != cases[i].want) {
			print_error("%s: %d, want %d\n", cases[i].name, r, cases[i].want);
			failed++;
		} else if (r == NTFS_OK && b.out != NULL && memcmp(out, b.out, b.dlen) != 0) {
			print_error("%s: other bytes\n", cases[i].name);
			failed++;
		}
	}
	/* Every row runs, so a broken check shows all the rows it breaks. */
	assert_int_equal(failed, 0);
}

/* The far match decodes to the bytes it should. */
static void far_offset(void **state)
{
	static struct built b;
	static uint8_t out[NTFSI_XPRESS_MAX_OUT + SLACK];
	(void)state;

	b_far_offset(&b);
	assert_int_equal(decode(b.src, b.slen, out, b.dlen), NTFS_OK);
	assert_int_equal(out[0], 'x');
	for (uint32_t k = 1; k < 65533; k++)
		if (out[k] != 'y')
			fail_msg("byte %u", k);
	assert_memory_equal(out + 65533, "xyy", 3);
}

/* Every alignment of a length byte against the words: k literals of 9
 * bits move the match code to every bit position modulo 16. */
static void length_byte_alignments(void **state)
{
	static uint8_t src[2048], out[1024 + SLACK], want[1024];
	(void)state;

	for (int k = 0; k < 40; k++) {
		uint8_t len[NSYMS];
		struct enc e;
		uint32_t n = 0, slen;

		lengths_all9(len);
		enc_start(&e, src, len);
		for (int i = 0; i < k; i++) {
			enc_sym(&e, 'a' + i % 7);
			want[n++] = (uint8_t)('a' + i % 7);
		}
		enc_sym(&e, 'q');
		want[n++] = 'q';
		enc_match(&e, 18 + 11 * (uint32_t)k, 1); /* a length byte */
		for (int i = 0; i < 18 + 11 * k; i++)
			want[n++] = 'q';
		enc_match(&e, 300, (uint32_t)k + 2); /* 255 and 16 bits */
		for (int i = 0; i < 300; i++, n++)
			want[n] = want[n - (k + 2)];
		enc_sym(&e, 'z');
		want[n++] = 'z';
		slen = enc_end(&e);
		assert_int_equal(decode(src, slen, out, n), NTFS_OK);
		if (memcmp(out, want, n) != 0)
			fail_msg("%d literals first: other bytes", k);
	}
}

/* ---- Round trips through wimlib ---------------------------------------- */

#ifdef NTFS_HAVE_WIMLIB

enum kind {
	RANDOM,
	TEXT,
	ZEROS,
	EXEC
};
static const char *const kind_name[] = {"random", "text", "zeros", "executable"};

static uint32_t rng_state = 0x12345678;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void fill(uint8_t *p, uint32_t n, enum kind k)
{
	static const char *const words[] = {"the ",    "volume ", "record ",  "index ", "of ",
	                                    "stream ", "NTFS ",   "cluster ", "\n",     "run "};
	static uint8_t *exe;
	static size_t exe_len;

	switch (k) {
	case RANDOM:
		for (uint32_t i = 0; i < n; i++)
			p[i] = (uint8_t)rng();
		break;
	case TEXT:
		for (uint32_t i = 0; i < n;) {
			const char *w = words[rng() % 10];

			for (; *w && i < n; w++)
				p[i++] = (uint8_t)*w;
		}
		break;
	case ZEROS:
		memset(p, 0, n);
		break;
	case EXEC:
		/* This test's own code: machine code, as WOF mostly holds. */
		if (exe == NULL) {
			FILE *f = fopen("/proc/self/exe", "rb");

			exe = malloc(1 << 20);
			assert_non_null(exe);
			if (f != NULL) {
				exe_len = fread(exe, 1, 1 << 20, f);
				fclose(f);
			}
			if (exe_len < 65536) /* no /proc: something code-like */
				for (exe_len = 0; exe_len < (1 << 20); exe_len++)
					exe[exe_len] = (uint8_t)(exe_len % 7 ? rng() % 16 : 0x48);
		}
		for (uint32_t i = 0; i < n; i++)
			p[i] = exe[(4096 + i) % exe_len];
		break;
	}
}

/* wimlib will not compress a few bytes; those become literals coded here,
 * 8 bits each for the 256 literals (a complete code). */
static uint32_t literals_only(const uint8_t *in, uint32_t n, uint8_t *comp)
{
	uint8_t len[NSYMS] = {0};
	struct enc e;

	memset(len, 8, 256);
	enc_start(&e, comp, len);
	for (uint32_t i = 0; i < n; i++)
		enc_sym(&e, in[i]);
	return enc_end(&e);
}
#endif

static void round_trips(void **state)
{
#ifdef NTFS_HAVE_WIMLIB
	static const uint32_t chunks[] = {4096, 8192, 16384};
	static uint8_t in[65536], comp[65536 + 4096], out[65536 + SLACK];
	(void)state;

	for (size_t c = 0; c < 3; c++) {
		uint32_t chunk = chunks[c];
		const uint32_t sizes[] = {1, 25, 100, chunk - 1, chunk};
		struct wimlib_compressor *wc = NULL;

		assert_int_equal(
		        wimlib_create_compressor(WIMLIB_COMPRESSION_TYPE_XPRESS, chunk, 0, &wc), 0);
		for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
			for (int k = RANDOM; k <= EXEC; k++) {
				uint32_t n = sizes[s];
				size_t clen;
				int r;

				fill(in, n, (enum kind)k);
				/* Room for more than the input: random data is still
				 * coded, not stored. */
				clen = wimlib_compress(in, n, comp, sizeof comp, wc);
				if (clen == 0) {
					assert_true(n < 32); /* wimlib's smallest */
					clen = literals_only(in, n, comp);
				}
				r = decode(comp, (uint32_t)clen, out, n);
				if (r != NTFS_OK || memcmp(out, in, n) != 0)
					fail_msg("%u bytes of %s in %u-byte chunks: %d", n,
					         kind_name[k], chunk, r);
				/* One byte less of room: the same bytes, or the last
				 * match does not fit; never past the room. */
				if (n > 1) {
					r = decode(comp, (uint32_t)clen, out, n - 1);
					if (!(r == NTFS_ERR_CORRUPT_COMPRESSED ||
					      (r == NTFS_OK && memcmp(out, in, n - 1) == 0)))
						fail_msg("%u bytes of %s, one byte less: %d", n,
						         kind_name[k], r);
				}
				/* Input cut by a quarter: an error, never a crash. */
				if (clen > 300) {
					r = decode(comp, (uint32_t)(clen - clen / 4), out, n);
					assert_int_equal(r, NTFS_ERR_CORRUPT_COMPRESSED);
				}
			}
		wimlib_free_compressor(wc);
	}
#else
	(void)state;
	skip();
#endif
}

/* The same, many sizes and mixes, against wimlib's decoder as well. */
static void round_trips_sizes(void **state)
{
#ifdef NTFS_HAVE_WIMLIB
	static uint8_t in[16384], comp[16384 + 4096], out[16384 + SLACK];
	struct wimlib_compressor *wc = NULL;
	(void)state;

	assert_int_equal(wimlib_create_compressor(WIMLIB_COMPRESSION_TYPE_XPRESS, 16384, 0, &wc),
	                 0);
	for (int i = 0; i < 300; i++) {
		uint32_t n = 25 + rng() % (16384 - 25 + 1);
		size_t clen;

		/* Runs of each kind, so matches, long lengths and literals mix. */
		for (uint32_t at = 0; at < n;) {
			uint32_t m = 1 + rng() % 2000;

			if (m > n - at)
				m = n - at;
			fill(in + at, m, (enum kind)(rng() % 4));
			at += m;
		}
		clen = wimlib_compress(in, n, comp, sizeof comp, wc);
		assert_true(clen != 0);
		assert_int_equal(decode(comp, (uint32_t)clen, out, n), NTFS_OK);
		if (memcmp(out, in, n) != 0)
			fail_msg("case %d (%u bytes): other bytes", i, n);
	}
	wimlib_free_compressor(wc);
#else
	(void)state;
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(ms_xca_examples), cmocka_unit_test(hand_built),
	        cmocka_unit_test(far_offset),      cmocka_unit_test(length_byte_alignments),
	        cmocka_unit_test(round_trips),     cmocka_unit_test(round_trips_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
