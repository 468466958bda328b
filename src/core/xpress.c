/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * XPRESS Huffman decoding, from MS-XCA 2.2.4. A stream is 256 bytes of code
 * lengths (symbol 2k in the low nibble of byte k, 2k + 1 in the high one),
 * then 16-bit little-endian words read most significant bit first, which
 * carry canonical Huffman codes: symbols 0-255 are literals, 256 + 16b + l
 * a match whose offset is 2^b plus b more bits from the stream and whose
 * length is l + 3, where l = 15 means the length is in the next byte (plus
 * 18) or, if that byte is 255, in the 16-bit word after it (plus 3). Those
 * bytes sit where the spec's reader, a 32-bit register kept 16 to 32 bits
 * ahead, would fetch its next word: they interrupt the words.
 *
 * What we accept, and why:
 *  - Only complete codes, as the spec's table construction does: an
 *    over-subscribed code cannot be decoded, and an incomplete one (all
 *    lengths 0, or a single symbol) leaves bit patterns that decode to
 *    nothing. Encoders always code the end symbol 256 too, so a stream never
 *    needs a one-symbol code (wimlib and the spec's encoder do this).
 *  - The end symbol is not needed: decoding stops after @dlen bytes, and a
 *    256 met before is the match (offset 1, length 3) the spec says it is.
 *  - A 16-bit length below 15 is an error (the spec's decoder says so; its
 *    encoder's 32-bit form, announced by 0, cannot fit a block anyway).
 *  - The reader may look past the input's end, seeing zeros, as the spec's
 *    own prefetch does; but every bit and byte actually decoded must be in
 *    the input, or the stream is truncated.
 *
 * Speed: a 64-bit bit buffer refilled up to four words at a time while 8
 * input bytes remain; a 2^11-entry table that decodes every code of up to
 * 11 bits in one look-up (longer codes, rare by construction, are found
 * from their canonical order); matches copied 8 bytes at a time when the
 * offset is at least 8 and the output has room for the overshoot. Our
 * buffer reads further ahead than the spec's register, so before length
 * bytes it gives back the words the spec had not yet read.
 */
#include "xpress.h"

#include "ntfs/ntfs.h"

#if NTFS_WITH_XPRESS

/* clang (14) splits a load that is then rotated into byte loads; an empty
 * asm statement hides the rotation from it. */
#if defined(__clang__)
#define KEEP(x) __asm__("" : "+r"(x))
#else
#define KEEP(x) ((void)0)
#endif

#define NUM_SYMS 512u
#define MAX_LEN 15u    /* longest code */
#define TABLE_BITS 11u /* codes up to this long decode in one look-up */
#define MIN_MATCH 3u
#define BUF_BITS 64u
#define WORD_BITS 16u
#define ENTRY_SHIFT 6u /* a table entry: symbol << ENTRY_SHIFT | code length */

struct tables {
	/* By the next TABLE_BITS bits: symbol << 6 | code length, or 0 when
	 * the code is longer (6 bits: a 64-bit shift by the entry itself
	 * needs no mask on most cores). Filled four entries at a time where a code
	 * repeats (C11 lets a union be written as one member, read as another;
	 * the four are equal, so byte order does not matter). */
	union {
		uint16_t e[1u << TABLE_BITS];
		uint64_t four[1u << TABLE_BITS >> 2];
	} fast;
	/* The coded symbols in canonical order: by length, then by value. */
	uint16_t sorted[NUM_SYMS];
	/* For lengths above TABLE_BITS: the first code of that length and the
	 * first past them (both left-justified to MAX_LEN bits), and where
	 * their symbols start in sorted. */
	uint16_t first[MAX_LEN + 1];
	uint16_t limit[MAX_LEN + 1];
	uint16_t index[MAX_LEN + 1];
};
_Static_assert(sizeof(struct tables) <= NTFSI_XPRESS_WORKSPACE, "NTFSI_XPRESS_WORKSPACE is short");
_Static_assert(_Alignof(struct tables) == _Alignof(uint64_t), "documented as uint64_t");

/* The bit reader. buf holds cnt bits, most significant first; below them
 * are zeros or the bits that follow in the input (a refill ORs the same
 * bits there again). pos is the next word to fetch; virt counts the zero
 * words fetched past the input's end, always the last ones in buf. */
struct bits {
	uint64_t buf;
	uint32_t cnt;
	uint32_t pos;
	uint32_t virt;
};

/*
 * Sort the symbols by code length, then by value (canonical order), and
 * check the lengths make a complete code. A counting sort, run on eight
 * slices of 64 symbols at once: a single counter per length would make
 * each symbol wait for the last one of its length to be stored. Unused
 * symbols (length 0) sort last, so every symbol has a slot and the loop
 * needs no branch.
 */
static int sort_symbols(struct tables *t, const uint8_t *lens, uint32_t count[MAX_LEN + 1])
{
	enum {
		SLICES = 8,
		SLICE_BYTES = NTFSI_XPRESS_LENGTHS / SLICES
	};
	uint16_t next[SLICES][MAX_LEN + 1];
	uint32_t len, k, s, at;
	int32_t left = 1;

	for (s = 0; s < SLICES; s++)
		for (len = 0; len <= MAX_LEN; len++)
			next[s][len] = 0;
	for (k = 0; k < SLICE_BYTES; k++)
		for (s = 0; s < SLICES; s++) {
			uint8_t b = lens[s * SLICE_BYTES + k];

			next[s][b & 15u]++;
			next[s][b >> 4]++;
		}
	for (len = 0; len <= MAX_LEN; len++) {
		count[len] = 0;
		for (s = 0; s < SLICES; s++)
			count[len] += next[s][len];
	}
	/* Kraft: the codes must fill the code space exactly. Once codes
	 * over-subscribe a length, left only falls (at most 512 * 2^15 below
	 * 0: no overflow), so one test at the end finds both an over-subscribed
	 * and an incomplete code; all lengths 0 leave 2^15. */
	for (len = 1; len <= MAX_LEN; len++)
		left = 2 * left - (int32_t)count[len];
	if (left != 0)
		return NTFS_ERR_CORRUPT_COMPRESSED;

	/* Each slice's first slot for each length: lengths 1 to 15, then 0. */
	at = 0;
	for (len = 1; len <= MAX_LEN + 1; len++) {
		uint32_t l = len & MAX_LEN;

		for (s = 0; s < SLICES; s++) {
			uint32_t n = next[s][l];

			next[s][l] = (uint16_t)at;
			at += n;
		}
	}
	for (k = 0; k < SLICE_BYTES; k++)
		for (s = 0; s < SLICES; s++) {
			uint8_t b = lens[s * SLICE_BYTES + k];
			uint32_t sym = 2 * (s * SLICE_BYTES + k);

			t->sorted[next[s][b & 15u]++] = (uint16_t)sym;
			t->sorted[next[s][b >> 4]++] = (uint16_t)(sym + 1);
		}
	return NTFS_OK;
}

static int build(struct tables *t, const uint8_t *lens)
{
	uint32_t count[MAX_LEN + 1], len, k, idx, code;
	int err = sort_symbols(t, lens, count);

	if (err)
		return err;

	/* Canonical codes are consecutive in this order, so each short code
	 * fills the next 2^(TABLE_BITS - length) entries, a multiple of that
	 * many from the start. */
	idx = 0;
	k = 0;
	for (len = 1; len <= TABLE_BITS; len++) {
		uint32_t n = 1u << (TABLE_BITS - len), end = k + count[len];

		if (n >= 4) {
			for (; k < end; k++, idx += n) {
				uint64_t e4 = (uint64_t)(t->sorted[k] << ENTRY_SHIFT | len) *
				              0x0001000100010001ull;

				for (uint32_t j = 0; j < n / 4; j++)
					t->fast.four[idx / 4 + j] = e4;
			}
		} else {
			for (; k < end; k++) {
				uint16_t e = (uint16_t)(t->sorted[k] << ENTRY_SHIFT | len);

				for (uint32_t j = 0; j < n; j++)
					t->fast.e[idx++] = e;
			}
		}
	}
	code = idx << (MAX_LEN - TABLE_BITS);
	for (; idx < (1u << TABLE_BITS); idx++)
		t->fast.e[idx] = 0;
	for (len = TABLE_BITS + 1; len <= MAX_LEN; len++) {
		t->first[len] = (uint16_t)code;
		t->index[len] = (uint16_t)k;
		code += count[len] << (MAX_LEN - len);
		k += count[len];
		/* The complete code ends at 2^MAX_LEN, which fits. */
		t->limit[len] = (uint16_t)code;
	}
	return NTFS_OK;
}

/* A code longer than TABLE_BITS: find its length from the bounds. The last
 * length needs no test, as the code is complete. */
static uint32_t decode_long(const struct tables *t, uint64_t buf)
{
	uint32_t v = (uint32_t)(buf >> (BUF_BITS - MAX_LEN)), len;

	for (len = TABLE_BITS + 1; len < MAX_LEN && v >= t->limit[len]; len++)
		;
	return (uint32_t)t->sorted[t->index[len] + ((v - t->first[len]) >> (MAX_LEN - len))]
	               << ENTRY_SHIFT |
	       len;
}

static inline uint32_t decode(const struct tables *t, struct bits *b)
{
	uint32_t e = t->fast.e[b->buf >> (BUF_BITS - TABLE_BITS)];

	if (e == 0)
		e = decode_long(t, b->buf);
	b->buf <<= e & (BUF_BITS - 1);
	b->cnt -= e & (BUF_BITS - 1);
	return e >> ENTRY_SHIFT;
}

/* Near the end: a word at a time, zeros past the end. */
static void refill_slow(struct bits *b, const uint8_t *src, uint32_t slen)
{
	while (b->cnt <= BUF_BITS - WORD_BITS) {
		uint64_t w = 0;

		if (slen - b->pos >= 2) {
			w = ntfsi_le16(src + b->pos);
			b->pos += 2;
		} else {
			b->virt++;
		}
		b->buf |= w << (BUF_BITS - WORD_BITS - b->cnt);
		b->cnt += WORD_BITS;
	}
}

/* Make buf hold more than 48 bits: room for two codes and an offset.
 * Without a test: every loop uses bits, so it is cheaper to always refill
 * (the shift is below 64 as the last decode used at least one bit). */
static inline void refill(struct bits *b, const uint8_t *src, uint32_t slen)
{
	uint64_t x;
	uint32_t hi, lo, words;

	NTFSI_ASSERT(b->cnt < BUF_BITS);
	if (slen - b->pos < 8) {
		refill_slow(b, src, slen);
		return;
	}
	/* Four words in two loads, each turned so the first word is highest. */
	hi = ntfsi_le32(src + b->pos);
	lo = ntfsi_le32(src + b->pos + 4);
	KEEP(hi);
	KEEP(lo);
	x = (uint64_t)(hi << 16 | hi >> 16) << 32 | (lo << 16 | lo >> 16);
	words = (BUF_BITS - b->cnt) / WORD_BITS;
	b->buf |= x >> b->cnt;
	b->pos += 2 * words;
	b->cnt += WORD_BITS * words;
}

/*
 * Length bytes are at the spec's read position. At this point the spec's
 * register holds 16 to 31 bits (a code was just read), so every whole word
 * we hold beyond 16 bits is one it has not fetched: give those back. Then
 * @n bytes must follow in the input.
 */
static int rewind_for_bytes(struct bits *b, uint32_t slen, uint32_t n)
{
	uint32_t extra = (b->cnt - WORD_BITS) / WORD_BITS;

	NTFSI_ASSERT(b->cnt >= WORD_BITS);
	b->cnt -= WORD_BITS * extra;
	b->buf &= ~(uint64_t)0 << (BUF_BITS - b->cnt);
	/* A zero word the spec fetched lies before the bytes: they are past
	 * the end. */
	if (b->virt > extra)
		return NTFS_ERR_CORRUPT_COMPRESSED;
	b->pos -= 2 * (extra - b->virt);
	b->virt = 0;
	if (slen - b->pos < n)
		return NTFS_ERR_CORRUPT_COMPRESSED;
	return NTFS_OK;
}

int ntfsi_xpress_decode(const uint8_t *src, uint32_t slen, uint8_t *dst, uint32_t dlen,
                        void *workspace)
{
	struct tables *t = workspace;
	struct bits b = {0, 0, NTFSI_XPRESS_LENGTHS, 0};
	uint32_t d = 0;
	int err;

	if (dlen == 0)
		return NTFS_OK;
	if (dlen > NTFSI_XPRESS_MAX_OUT)
		return NTFS_ERR_LIMIT;
	if (slen < NTFSI_XPRESS_LENGTHS)
		return NTFS_ERR_CORRUPT_COMPRESSED;
	err = build(t, src);
	if (err)
		return err;

	while (d < dlen) {
		uint32_t sym, len, obits, off;

		refill(&b, src, slen);
		sym = decode(t, &b);
		if (sym < 256) {
			dst[d++] = (uint8_t)sym;
			if (d == dlen)
				break;
			/* At least 34 bits were left: a second code, and an
			 * offset if it is a match. */
			sym = decode(t, &b);
			if (sym < 256) {
				dst[d++] = (uint8_t)sym;
				continue;
			}
		}
		sym -= 256;
		len = sym & 15u;
		obits = sym >> 4;
		if (len == 15) {
			err = rewind_for_bytes(&b, slen, 1);
			if (err)
				return err;
			len = src[b.pos++];
			if (len == 255) {
				if (slen - b.pos < 2)
					return NTFS_ERR_CORRUPT_COMPRESSED;
				len = ntfsi_le16(src + b.pos);
				b.pos += 2;
				if (len < 15)
					return NTFS_ERR_CORRUPT_COMPRESSED;
			} else {
				len += 15;
			}
		}
		len += MIN_MATCH;
		/* Two shifts: obits may be 0, and a 64-bit shift is undefined. */
		off = (uint32_t)(b.buf >> 32 >> (32 - obits)) | 1u << obits;
		b.buf <<= obits;
		b.cnt -= obits;
		if (off > d || len > dlen - d)
			return NTFS_ERR_CORRUPT_COMPRESSED;
		ntfsi_match_copy(dst + d, off, len, dlen - d);
		d += len;
	}
	/* Bits decoded from the zeros past the end: the stream was cut. */
	if (b.cnt < WORD_BITS * b.virt)
		return NTFS_ERR_CORRUPT_COMPRESSED;
	return NTFS_OK;
}

#else /* !NTFS_WITH_XPRESS */

/* ISO C wants something in a translation unit. */
typedef int ntfsi_xpress_unused;

#endif
