/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small LZX writer for tests and fuzz seeds, written from [MS-PATCH]: it
 * emits whatever block headers, code lengths, pretree symbols and matches
 * it is told to, valid or not, so a test can build one broken field at a
 * time. Bits go out most significant first in 16-bit little-endian words.
 * Not a compressor: the caller picks every symbol.
 */
#ifndef NTFS_TEST_LZX_ENC_H
#define NTFS_TEST_LZX_ENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define LE_MAIN_SYMS 496u
#define LE_LEN_SYMS 249u
#define LE_PRE_SYMS 20u
#define LE_ALIGNED_SYMS 8u
#define LE_MAX_OUT 70000u

struct lzx_enc {
	uint8_t out[LE_MAX_OUT];
	size_t len;   /* whole bytes written */
	uint32_t acc; /* bits of the word being filled */
	unsigned nacc;
	bool overflow;
	/* The codes in force, and the lengths the next ones are sent against. */
	uint8_t main[LE_MAIN_SYMS], len_lens[LE_LEN_SYMS], aligned[LE_ALIGNED_SYMS];
	uint8_t main_prev[LE_MAIN_SYMS], len_prev[LE_LEN_SYMS];
	uint16_t main_code[LE_MAIN_SYMS], len_code[LE_LEN_SYMS], aligned_code[LE_ALIGNED_SYMS];
	uint8_t pre[LE_PRE_SYMS];
	uint16_t pre_code[LE_PRE_SYMS];
	bool aligned_block;
};

/* A complete pretree: symbols 0-11 4 bits, 12-19 5 bits. */
static const uint8_t le_pre_std[LE_PRE_SYMS] = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
                                                4, 4, 5, 5, 5, 5, 5, 5, 5, 5};

static inline void le_init(struct lzx_enc *e)
{
	memset(e, 0, sizeof *e);
}

static inline void le_byte(struct lzx_enc *e, uint8_t b)
{
	if (e->len < LE_MAX_OUT)
		e->out[e->len++] = b;
	else
		e->overflow = true;
}

/* @n <= 32 bits of @v, most significant first. */
static inline void le_bits(struct lzx_enc *e, uint32_t v, unsigned n)
{
	while (n-- > 0) {
		e->acc = e->acc << 1 | (v >> n & 1);
		if (++e->nacc == 16) {
			le_byte(e, (uint8_t)e->acc);
			le_byte(e, (uint8_t)(e->acc >> 8));
			e->acc = 0;
			e->nacc = 0;
		}
	}
}

/* Pad the last word with zeros. */
static inline void le_flush(struct lzx_enc *e)
{
	if (e->nacc != 0)
		le_bits(e, 0, 16 - e->nacc);
}

/* Canonical codes from lengths: shorter first, then by symbol. */
static inline void le_canon(const uint8_t *lens, unsigned n, uint16_t *codes)
{
	unsigned count[17] = {0}, next[17];
	unsigned code = 0;

	for (unsigned s = 0; s < n; s++)
		count[lens[s]]++;
	count[0] = 0;
	for (unsigned l = 1; l <= 16; l++) {
		code = (code + count[l - 1]) << 1;
		next[l] = code;
	}
	for (unsigned s = 0; s < n; s++)
		codes[s] = lens[s] ? (uint16_t)next[lens[s]]++ : 0;
}

/* Send the pretree's 20 lengths and make it current. */
static inline void le_pretree(struct lzx_enc *e, const uint8_t *lens)
{
	memcpy(e->pre, lens, LE_PRE_SYMS);
	le_canon(e->pre, LE_PRE_SYMS, e->pre_code);
	for (unsigned k = 0; k < LE_PRE_SYMS; k++)
		le_bits(e, lens[k], 4);
}

static inline void le_presym(struct lzx_enc *e, unsigned sym)
{
	le_bits(e, e->pre_code[sym], e->pre[sym]);
}

/* Send @lens[0, @n) against @prev[0, @n) through the standard pretree,
 * one symbol per length (no runs), and make @prev the new lengths. */
static inline void le_lens(struct lzx_enc *e, uint8_t *prev, const uint8_t *lens, unsigned n)
{
	le_pretree(e, le_pre_std);
	for (unsigned i = 0; i < n; i++) {
		le_presym(e, (prev[i] + 17u - lens[i]) % 17u);
		prev[i] = lens[i];
	}
}

/* A block header: type, then the size (a set bit for 32768). */
static inline void le_header(struct lzx_enc *e, unsigned type, uint32_t size)
{
	le_bits(e, type, 3);
	if (size == 32768) {
		le_bits(e, 1, 1);
	} else {
		le_bits(e, 0, 1);
		le_bits(e, size, 16);
	}
}

/* The codes of a verbatim (or, with @aligned set, aligned) block, from
 * e->main, e->len_lens and e->aligned. */
static inline void le_codes(struct lzx_enc *e, bool aligned)
{
	e->aligned_block = aligned;
	if (aligned) {
		for (unsigned k = 0; k < LE_ALIGNED_SYMS; k++)
			le_bits(e, e->aligned[k], 3);
		le_canon(e->aligned, LE_ALIGNED_SYMS, e->aligned_code);
	}
	le_lens(e, e->main_prev, e->main, 256);
	le_lens(e, e->main_prev + 256, e->main + 256, LE_MAIN_SYMS - 256);
	le_lens(e, e->len_prev, e->len_lens, LE_LEN_SYMS);
	le_canon(e->main, LE_MAIN_SYMS, e->main_code);
	le_canon(e->len_lens, LE_LEN_SYMS, e->len_code);
}

static inline void le_sym(struct lzx_enc *e, const uint16_t *codes, const uint8_t *lens,
                          unsigned sym)
{
	le_bits(e, codes[sym], lens[sym]);
}

static inline void le_lit(struct lzx_enc *e, uint8_t c)
{
	le_sym(e, e->main_code, e->main, c);
}

/* Extra bits per offset slot, and the slot's base (offset + 2). */
static inline unsigned le_slot_bits(unsigned slot)
{
	return slot < 4 ? 0 : (slot - 2) / 2;
}

static inline uint32_t le_slot_base(unsigned slot)
{
	uint32_t base = 0;

	for (unsigned s = 0; s < slot; s++)
		base += 1u << le_slot_bits(s);
	return base;
}

/* The main symbol of a match: length header (0-7) and slot. */
static inline unsigned le_match_sym(unsigned slot, unsigned len)
{
	return 256 + slot * 8 + (len - 2 < 7 ? len - 2 : 7);
}

/* A match of @len (2-257) through @slot: 0-2 the repeated offsets, else
 * the offset slot_base + @extra - 2. */
static inline void le_match(struct lzx_enc *e, unsigned slot, unsigned len, uint32_t extra)
{
	unsigned nb = le_slot_bits(slot);

	le_sym(e, e->main_code, e->main, le_match_sym(slot, len));
	if (len - 2 >= 7)
		le_sym(e, e->len_code, e->len_lens, len - 9);
	if (e->aligned_block && nb >= 3) {
		le_bits(e, extra >> 3, nb - 3);
		le_sym(e, e->aligned_code, e->aligned, extra & 7);
	} else {
		le_bits(e, extra, nb);
	}
}

/* The slot and extra bits of an explicit offset. */
static inline void le_offset(uint32_t off, unsigned *slot, uint32_t *extra)
{
	unsigned s = 3;

	while (s + 1 < 30 && le_slot_base(s + 1) <= off + 2)
		s++;
	*slot = s;
	*extra = off + 2 - le_slot_base(s);
}

/* An uncompressed block: header, 1-16 bits of padding, R0-R2, the bytes,
 * and a pad byte after an odd count (unless @no_pad). */
static inline void le_stored(struct lzx_enc *e, const uint8_t *data, uint32_t n, uint32_t r0,
                             uint32_t r1, uint32_t r2, bool no_pad)
{
	const uint32_t r[3] = {r0, r1, r2};

	le_header(e, 3, n);
	le_bits(e, 0, 16 - e->nacc);
	for (unsigned k = 0; k < 3; k++)
		for (unsigned j = 0; j < 4; j++)
			le_byte(e, (uint8_t)(r[k] >> (8 * j)));
	for (uint32_t i = 0; i < n; i++)
		le_byte(e, data[i]);
	if ((n & 1) && !no_pad)
		le_byte(e, 0);
}

#endif /* NTFS_TEST_LZX_ENC_H */
