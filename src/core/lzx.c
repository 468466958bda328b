/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LZX decoding, WIM/WOF dialect, from [MS-PATCH] section 2 and the WIM
 * differences (no translation header: E8 translation always on with
 * 12000000; block sizes as in lzx.h).
 *
 * The bitstream is 16-bit little-endian words read most significant bit
 * first. A chunk is a run of blocks, each a 3-bit type and a size (a set
 * bit for 32768, else 16 bits):
 *  - verbatim and aligned-offset blocks carry Huffman codes (the main code:
 *    256 literals and 30 offset slots x 8 length headers; the length code
 *    for longer matches; aligned blocks also an 8-symbol code for the low 3
 *    bits of large offsets). The main and length codes' lengths are sent as
 *    differences from the previous block's, through a 20-symbol pretree;
 *  - uncompressed blocks carry the three repeated offsets and raw bytes.
 * Offset slots 0-2 reuse the repeated offsets R0-R2; the others give an
 * offset from a base and extra bits. Last, the E8 call translation done by
 * the compressor is undone over the whole chunk.
 *
 * Huffman codes are decoded through tables: a primary table indexed by the
 * next few bits gives the symbol and codeword length of every short
 * codeword, or points to a second-level table for the longer ones. A code
 * must be complete (it fills the code space); an empty code is allowed, as
 * real compressors send one for a length or aligned code they do not use,
 * and decoding from it is an error.
 *
 * Bits come through a 64-bit buffer refilled four words at a time while
 * eight bytes of input remain, and one word at a time after that; past the
 * end of the input the bits read are zeros, and the chunk is corrupt if any
 * of those was consumed. So no byte outside the input is ever read.
 */
#include "lzx.h"

#include "ntfs/ntfs.h"

#if NTFS_WITH_LZX

#define NUM_CHARS 256u
#define NUM_SLOTS 30u /* offset slots of a 32 KiB window */
#define NUM_LEN_HEADERS 8u
#define MAIN_SYMS (NUM_CHARS + NUM_SLOTS * NUM_LEN_HEADERS)
#define LEN_SYMS 249u
#define PRE_SYMS 20u
#define ALIGNED_SYMS 8u
#define MAX_CODEWORD 16u
#define MIN_MATCH 2u
#define LONG_MATCH 7u /* the length header saying "read the length code" */
#define NUM_REPEATS 3u
#define MAX_MATCH 257u
#define FAST_ROOM (MAX_MATCH + 16u) /* a match copied by words stays inside */
#define DEFAULT_BLOCK 32768u
#define E8_SIZE 12000000u
#define E8_TAIL 10u /* no call starts in a chunk's last 10 bytes */

#define BLOCK_VERBATIM 1u
#define BLOCK_ALIGNED 2u
#define BLOCK_UNCOMPRESSED 3u

/*
 * Table sizes: 2^bits primary entries plus the most second-level entries a
 * complete code of that many symbols and lengths can need, found by a
 * search over the shapes of canonical codes (as zlib's "enough" does); the
 * codes that need them are in test_lzx.c.
 */
#define MAIN_BITS 11u
#define MAIN_TABLE (2048u + 518u)
#define LEN_BITS 8u
#define LEN_TABLE (256u + 494u)
#define PRE_BITS 7u
#define PRE_TABLE (128u + 262u)
#define ALIGNED_BITS 7u
#define ALIGNED_TABLE 128u

/*
 * A table entry is (symbol << 5) | codeword length, or, with ENTRY_LINK
 * set, the bits that index a second-level table (<< 11) and where it starts
 * past the primary table. A link with 0 bits marks an empty code.
 */
#define ENTRY_LINK 0x8000u
#define ENTRY_SUB_SHIFT 11u
#define ENTRY_OFF_MASK 0x7FFu
#define ENTRY_EMPTY ENTRY_LINK
#define BAD_SYM 0x7FFu /* decode() of an empty code; above every symbol */

struct workspace {
	uint16_t main[MAIN_TABLE];
	uint16_t len[LEN_TABLE]; /* the pretree's while code lengths are read */
	uint16_t aligned[ALIGNED_TABLE];
	uint16_t sorted[MAIN_SYMS];
	uint8_t main_lens[MAIN_SYMS];
	uint8_t len_lens[LEN_SYMS];
};

_Static_assert(sizeof(struct workspace) <= NTFSI_LZX_WORKSPACE, "NTFSI_LZX_WORKSPACE too small");
_Static_assert(_Alignof(struct workspace) == _Alignof(uint16_t), "documented as uint16_t");
_Static_assert(PRE_TABLE <= LEN_TABLE, "the pretree's table lives in the length code's");

/* Offset slot -> extra bits, and -> the smallest offset it gives (the
 * format's base less its bias of 2). Slots 0-2 are the repeated offsets. */
static const uint8_t slot_bits[NUM_SLOTS] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                             6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
static const uint16_t slot_base[NUM_SLOTS] = {
        0,   0,   0,   1,   2,   4,    6,    10,   14,   22,   30,   46,   62,    94,    126,
        190, 254, 382, 510, 766, 1022, 1534, 2046, 3070, 4094, 6142, 8190, 12286, 16382, 24574};

/*
 * The bit reader: @n bits are valid at the top of @buf; the bits below are
 * zero or the input's next bits, so a refill may OR a word in again at the
 * same place. Past the end of the input nothing is added and the bits read
 * are zeros: @n goes negative when any of those is consumed.
 */
struct bits {
	uint64_t buf;
	int32_t n;
	const uint8_t *p, *end;
};

static void bits_init(struct bits *b, const uint8_t *p, const uint8_t *end)
{
	b->buf = 0;
	b->n = 0;
	b->p = p;
	b->end = end;
}

/* Make at least 49 bits available, or all the input has: the most one
 * match takes (main 16, length 16, 10 extra bits and a 7-bit aligned
 * symbol). */
static inline void refill(struct bits *b)
{
	if (b->n > 48)
		return;
	if (b->end - b->p >= 8) {
		/* Four words, the first one highest; take the whole ones that fit
		 * (n >= 0 here: nothing was read past the end yet). */
		uint64_t x = ntfsi_le64(b->p);
		uint32_t k = (uint32_t)(64 - b->n) >> 4;

		NTFSI_ASSERT(b->n >= 0);
		x = x << 32 | x >> 32;
		x = (x & 0x0000FFFF0000FFFFull) << 16 | (x >> 16 & 0x0000FFFF0000FFFFull);
		b->buf |= x >> b->n;
		b->p += 2 * k;
		b->n += (int32_t)(16 * k);
		return;
	}
	while (b->n >= 0 && b->n <= 48 && b->end - b->p >= 2) {
		b->buf |= (uint64_t)ntfsi_le16(b->p) << (48 - b->n);
		b->p += 2;
		b->n += 16;
	}
}

/* The next @k <= 32 bits as a number (0 for k == 0). */
static inline uint32_t bits_get(struct bits *b, uint32_t k)
{
	uint32_t v = (uint32_t)(b->buf >> 32 >> (32 - k));

	NTFSI_ASSERT(k <= 32);
	b->buf <<= k;
	b->n -= (int32_t)k;
	return v;
}

/* True when a bit past the end of the input was consumed. */
static inline bool bits_overrun(const struct bits *b)
{
	return b->n < 0;
}

/* One symbol of the code whose table is @t, or BAD_SYM for an empty code.
 * Needs MAX_CODEWORD bits available. */
static inline uint32_t decode(struct bits *b, const uint16_t *t, uint32_t tb)
{
	uint32_t e = t[b->buf >> (64 - tb)];

	if (e & ENTRY_LINK) {
		uint32_t sb = e >> ENTRY_SUB_SHIFT & 15;

		if (sb == 0)
			return BAD_SYM;
		e = t[(1u << tb) + (e & ENTRY_OFF_MASK) + (uint32_t)(b->buf << tb >> (64 - sb))];
	}
	b->buf <<= e & 31;
	b->n -= (int32_t)(e & 31);
	return e >> 5;
}

/*
 * Build the table @t (@cap entries, @tb primary bits) of the canonical code
 * whose codeword lengths (0: unused) are @lens[0, @nsyms). A codeword's
 * primary entries follow the previous one's, since codes are canonical and
 * read most significant bit first; each primary entry that starts longer
 * codewords gets a second-level table exactly as deep as the longest of
 * them, which stays within @cap (the bound in MAIN_TABLE and others).
 */
static int build(uint16_t *t, uint32_t tb, uint32_t cap, const uint8_t *lens, uint32_t nsyms,
                 uint16_t *sorted)
{
	uint32_t count[MAX_CODEWORD + 1], offs[MAX_CODEWORD + 1];
	uint32_t primary = 1u << tb, idx = 0, i = 0, next, l;
	int32_t left = 1;

	for (l = 0; l <= MAX_CODEWORD; l++)
		count[l] = 0;
	for (uint32_t s = 0; s < nsyms; s++)
		count[lens[s]]++;
	/* Each codeword of length l takes 2^-l of the code space. */
	for (l = 1; l <= MAX_CODEWORD; l++) {
		left = 2 * left - (int32_t)count[l];
		if (left < 0)
			return NTFS_ERR_CORRUPT_COMPRESSED; /* over-subscribed */
	}
	if (left != 0) {
		if (count[0] != nsyms)
			return NTFS_ERR_CORRUPT_COMPRESSED; /* incomplete */
		for (idx = 0; idx < primary; idx++)
			t[idx] = ENTRY_EMPTY;
		return NTFS_OK;
	}
	offs[1] = 0;
	for (l = 1; l < MAX_CODEWORD; l++)
		offs[l + 1] = offs[l] + count[l];
	for (uint32_t s = 0; s < nsyms; s++)
		if (lens[s] != 0)
			sorted[offs[lens[s]]++] = (uint16_t)s;

	for (l = 1; l <= tb; l++) {
		uint32_t rep = 1u << (tb - l);

		for (; count[l] != 0; count[l]--) {
			uint16_t e = (uint16_t)(sorted[i++] << 5 | l);

			for (uint32_t k = 0; k < rep; k++)
				t[idx++] = e;
		}
	}
	/* The rest of the primary table: one second-level table per entry.
	 * The checks below hold for every complete code; they keep the writes
	 * inside @t whatever happens. */
	next = primary;
	while (idx < primary) {
		uint32_t sb, space, end;

		while (l <= MAX_CODEWORD && count[l] == 0)
			l++;
		if (l > MAX_CODEWORD)
			return NTFS_ERR_CORRUPT_COMPRESSED;
		/* Deep enough for the codewords under this entry: they fill it. */
		sb = l - tb;
		space = 1u << sb;
		while (count[tb + sb] < space) {
			space = (space - count[tb + sb]) << 1;
			sb++;
			if (tb + sb > MAX_CODEWORD)
				return NTFS_ERR_CORRUPT_COMPRESSED;
		}
		if (cap - next < (1u << sb))
			return NTFS_ERR_CORRUPT_COMPRESSED;
		t[idx++] = (uint16_t)(ENTRY_LINK | sb << ENTRY_SUB_SHIFT | (next - primary));
		end = next + (1u << sb);
		while (next < end) {
			uint32_t rep;
			uint16_t e;

			while (l <= tb + sb && count[l] == 0)
				l++;
			if (l > tb + sb)
				return NTFS_ERR_CORRUPT_COMPRESSED;
			rep = 1u << (tb + sb - l);
			if (rep > end - next)
				return NTFS_ERR_CORRUPT_COMPRESSED;
			e = (uint16_t)(sorted[i++] << 5 | l);
			count[l]--;
			for (uint32_t k = 0; k < rep; k++)
				t[next++] = e;
		}
	}
	return NTFS_OK;
}

/*
 * Read a pretree and through it the new codeword lengths @lens[0, @n),
 * each sent as a difference from the old one: symbols 0-16 are one
 * length, (old - sym) mod 17; 17 and 18 are runs of 4-19 and 20-51 zeros;
 * 19 is a run of 4-5 equal lengths, the difference from the first old one
 * as the next symbol. A run may not pass @n.
 */
static int read_lens(struct bits *b, uint8_t *lens, uint32_t n, struct workspace *w)
{
	uint8_t pre[PRE_SYMS];
	uint32_t i = 0;
	int r;

	for (uint32_t k = 0; k < PRE_SYMS; k++) {
		refill(b);
		pre[k] = (uint8_t)bits_get(b, 4);
	}
	r = build(w->len, PRE_BITS, PRE_TABLE, pre, PRE_SYMS, w->sorted);
	if (r != NTFS_OK)
		return r;
	while (i < n) {
		uint32_t sym, run, v;

		refill(b); /* enough for 19, its bit and one more symbol */
		sym = decode(b, w->len, PRE_BITS);
		if (sym < 17) {
			v = lens[i] + 17 - sym;
			lens[i++] = (uint8_t)(v >= 17 ? v - 17 : v);
			continue;
		}
		if (sym == 17) {
			run = 4 + bits_get(b, 4);
			v = 0;
		} else if (sym == 18) {
			run = 20 + bits_get(b, 5);
			v = 0;
		} else if (sym == 19) {
			run = 4 + bits_get(b, 1);
			sym = decode(b, w->len, PRE_BITS);
			/* 17 is taken as a difference of 0, as other decoders do. */
			if (sym > 17)
				return NTFS_ERR_CORRUPT_COMPRESSED;
			v = lens[i] + 17 - sym;
			v = v >= 17 ? v - 17 : v;
		} else {
			return NTFS_ERR_CORRUPT_COMPRESSED;
		}
		if (run > n - i)
			return NTFS_ERR_CORRUPT_COMPRESSED;
		while (run--)
			lens[i++] = (uint8_t)v;
	}
	return NTFS_OK;
}

/* Read a verbatim or aligned block's codes into the tables. */
static int read_codes(struct bits *b, struct workspace *w, bool aligned)
{
	int r;

	if (aligned) {
		uint8_t al[ALIGNED_SYMS];

		refill(b);
		for (uint32_t k = 0; k < ALIGNED_SYMS; k++)
			al[k] = (uint8_t)bits_get(b, 3);
		r = build(w->aligned, ALIGNED_BITS, ALIGNED_TABLE, al, ALIGNED_SYMS, w->sorted);
		if (r != NTFS_OK)
			return r;
	}
	/* The main code's lengths come in two runs: literals, then matches. */
	r = read_lens(b, w->main_lens, NUM_CHARS, w);
	if (r == NTFS_OK)
		r = read_lens(b, w->main_lens + NUM_CHARS, MAIN_SYMS - NUM_CHARS, w);
	if (r == NTFS_OK)
		r = build(w->main, MAIN_BITS, MAIN_TABLE, w->main_lens, MAIN_SYMS, w->sorted);
	if (r == NTFS_OK)
		r = read_lens(b, w->len_lens, LEN_SYMS, w);
	if (r == NTFS_OK)
		r = build(w->len, LEN_BITS, LEN_TABLE, w->len_lens, LEN_SYMS, w->sorted);
	return r;
}

/*
 * Copy the match of @len bytes from @off back to @out (both checked).
 * Before @fast, where the longest match and 16 bytes more fit, by 8-byte
 * words: a copy may write up to 15 bytes past its end, which later output
 * overwrites. An offset of 1 repeats one byte; the other offsets under 8
 * overlap what they produce, so they go byte by byte.
 */
static inline void copy_match(uint8_t *out, uint32_t off, uint32_t len, const uint8_t *fast)
{
	const uint8_t *from = out - off;

	if (out < fast) {
		uint8_t *stop = out + len;

		if (off >= 8) {
			/* Most matches are short: two words without a branch. */
			ntfsi_st64(out, ntfsi_le64(from));
			ntfsi_st64(out + 8, ntfsi_le64(from + 8));
			out += 16;
			from += 16;
			while (out < stop) {
				ntfsi_st64(out, ntfsi_le64(from));
				out += 8;
				from += 8;
			}
			return;
		}
		if (off == 1) {
			uint64_t v = 0x0101010101010101ull * *from;

			do {
				ntfsi_st64(out, v);
				out += 8;
			} while (out < stop);
			return;
		}
	}
	for (uint32_t k = 0; k < len; k++)
		out[k] = from[k];
}

/* Decode a verbatim or aligned block into @dst[@pos, @end), @dlen the
 * room: every match is checked against the block's end and the chunk's
 * start. The bit reader and repeated offsets live in locals meanwhile, so
 * the byte stores cannot make the compiler reload them. */
static int decode_block(struct bits *bp, const struct workspace *w, uint32_t *rep, uint8_t *dst,
                        uint32_t pos, uint32_t end, uint32_t dlen, bool aligned)
{
	struct bits b;
	uint8_t *out = dst + pos, *const bend = dst + end;
	uint8_t *const fast = dlen > FAST_ROOM ? dst + dlen - FAST_ROOM : dst;
	uint32_t r[NUM_REPEATS], amask = aligned ? ~0u : 0;

	b.buf = bp->buf;
	b.n = bp->n;
	b.p = bp->p;
	b.end = bp->end;
	r[0] = rep[0];
	r[1] = rep[1];
	r[2] = rep[2];
	while (out < bend) {
		uint32_t sym, len, slot, off, nb;

		/* Refill less often: 16 bits for the main symbol, then the
		 * rest of a match (33 bits) if it is one. */
		if (b.n < (int32_t)MAX_CODEWORD)
			refill(&b);
		sym = decode(&b, w->main, MAIN_BITS);
		if (sym < NUM_CHARS) {
			*out++ = (uint8_t)sym;
			continue;
		}
		if (sym >= MAIN_SYMS)
			return NTFS_ERR_CORRUPT_COMPRESSED;
		if (b.n < 33)
			refill(&b);
		sym -= NUM_CHARS;
		len = sym % NUM_LEN_HEADERS;
		slot = sym / NUM_LEN_HEADERS;
		if (len == LONG_MATCH) {
			uint32_t more = decode(&b, w->len, LEN_BITS);

			if (more >= LEN_SYMS)
				return NTFS_ERR_CORRUPT_COMPRESSED;
			len += more;
		}
		len += MIN_MATCH;
		if (slot < NUM_REPEATS) {
			/* The one used is swapped with R0 (not a true LRU). */
			off = r[slot];
			r[slot] = r[0];
			r[0] = off;
		} else {
			/* In an aligned block, an offset with 3 extra bits or more
			 * takes its low 3 from the aligned code. */
			nb = slot_bits[slot];
			off = slot_base[slot];
			if ((nb & amask) >= 3) {
				uint32_t low;

				off += bits_get(&b, nb - 3) << 3;
				low = decode(&b, w->aligned, ALIGNED_BITS);
				if (low >= ALIGNED_SYMS)
					return NTFS_ERR_CORRUPT_COMPRESSED;
				off += low;
			} else {
				off += bits_get(&b, nb);
			}
			r[2] = r[1];
			r[1] = r[0];
			r[0] = off;
		}
		if (len > (uint32_t)(bend - out) || off > (uint32_t)(out - dst))
			return NTFS_ERR_CORRUPT_COMPRESSED;
		copy_match(out, off, len, fast);
		out += len;
	}
	rep[0] = r[0];
	rep[1] = r[1];
	rep[2] = r[2];
	bp->buf = b.buf;
	bp->n = b.n;
	bp->p = b.p;
	return NTFS_OK;
}

/* Undo the translation of the call at @d[@i] (an E8 byte, then a 32-bit
 * target): targets in [0, E8_SIZE) were i + rel, those in [-i, 0) were rel
 * - E8_SIZE (then v + i wraps past 2^32), others were left alone. Written
 * with masks and stored either way, as the data decides and branches on it
 * would be mispredicted. */
static inline void undo_call(uint8_t *d, uint32_t i)
{
	uint32_t v = ntfsi_le32(d + i + 1);
	uint32_t good = 0u - (uint32_t)(v < E8_SIZE), comp = 0u - (uint32_t)((uint32_t)(v + i) < i);

	ntfsi_st32(d + i + 1, ((v - i) & good) | ((v + E8_SIZE) & comp) | (v & ~(good | comp)));
}

/* Turn the absolute call targets the compressor wrote back into relative
 * ones: each E8 byte before the last 10 bytes of the chunk starts a call,
 * whose 4 target bytes are never taken as an E8 themselves. */
static void undo_e8(uint8_t *d, uint32_t n)
{
	uint32_t i = 0, lim;

	if (n <= E8_TAIL)
		return;
	lim = n - E8_TAIL;
	while (i + 16 <= lim) { /* cannot wrap: i < 2^16 */
		/* Sixteen bytes at once, as most have no E8: a byte equal to E8
		 * becomes 0, and the lowest byte flagged here is the first. */
		uint64_t x = ntfsi_le64(d + i) ^ 0xE8E8E8E8E8E8E8E8ull;
		uint64_t y = ntfsi_le64(d + i + 8) ^ 0xE8E8E8E8E8E8E8E8ull;
		uint64_t m = (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
		uint64_t my = (y - 0x0101010101010101ull) & ~y & 0x8080808080808080ull;

		if ((m | my) == 0) {
			i += 16;
			continue;
		}
		if (m == 0) {
			i += 8;
			m = my;
		}
		/* Its index: the lowest flag, 1 in byte k, times the bytes 0, 1,
		 * ... 7 from the top puts k in the top byte. */
		m &= 0 - m;
		i += (uint32_t)(((m >> 7) * 0x0001020304050607ull) >> 56);
		undo_call(d, i);
		i += 5;
	}
	for (; i < lim; i++) {
		if (d[i] == 0xE8) {
			undo_call(d, i);
			i += 4;
		}
	}
}

int ntfsi_lzx_decode(const uint8_t *src, uint32_t slen, uint8_t *dst, uint32_t dlen,
                     void *workspace)
{
	struct workspace *w = workspace;
	uint32_t rep[NUM_REPEATS] = {1, 1, 1};
	uint32_t pos = 0;
	bool e8 = false;
	struct bits b;

	NTFSI_ASSERT(dlen <= NTFSI_LZX_CHUNK);
	/* The first block's lengths are coded against zeros. */
	ntfsi_bytes_zero(w->main_lens, sizeof w->main_lens);
	ntfsi_bytes_zero(w->len_lens, sizeof w->len_lens);
	bits_init(&b, src, src + slen);
	while (pos < dlen) {
		uint32_t type, size;
		int r;

		/* A header read past the end of the input is zeros: size 0. */
		refill(&b);
		type = bits_get(&b, 3);
		size = bits_get(&b, 1) ? DEFAULT_BLOCK : bits_get(&b, 16);
		if (size == 0 || size > dlen - pos)
			return NTFS_ERR_CORRUPT_COMPRESSED;
		if (type == BLOCK_VERBATIM || type == BLOCK_ALIGNED) {
			r = read_codes(&b, w, type == BLOCK_ALIGNED);
			if (r != NTFS_OK)
				return r;
			/* Every byte comes from a literal or a stored block: no E8
			 * literal, no E8 byte to translate. */
			if (w->main_lens[0xE8] != 0)
				e8 = true;
			r = decode_block(&b, w, rep, dst, pos, pos + size, dlen,
			                 type == BLOCK_ALIGNED);
			if (r != NTFS_OK)
				return r;
			if (bits_overrun(&b))
				return NTFS_ERR_CORRUPT_COMPRESSED;
		} else if (type == BLOCK_UNCOMPRESSED) {
			/* The bytes start at the next word, or one word on if the
			 * bits end on a word: the word after the one being read,
			 * i.e. the words taken, less those still (partly) in the
			 * buffer, plus one. */
			uint32_t at = (uint32_t)(b.p - src) / 2;

			if (bits_overrun(&b))
				return NTFS_ERR_CORRUPT_COMPRESSED;
			at = 2 * (at - ((uint32_t)b.n + 15) / 16 + 1);
			if (!ntfsi_range_ok(slen, at, 4 * NUM_REPEATS))
				return NTFS_ERR_CORRUPT_COMPRESSED;
			for (uint32_t k = 0; k < NUM_REPEATS; k++) {
				rep[k] = ntfsi_le32(src + at + 4 * k);
				if (rep[k] == 0)
					return NTFS_ERR_CORRUPT_COMPRESSED;
			}
			at += 4 * NUM_REPEATS;
			if (!ntfsi_range_ok(slen, at, size))
				return NTFS_ERR_CORRUPT_COMPRESSED;
			ntfsi_bytes_copy(dst + pos, src + at, size);
			at += size;
			/* An odd block is padded back to a word, unless it ends
			 * the input (then no more blocks can follow). */
			if ((size & 1) && at < slen)
				at++;
			bits_init(&b, src + at, src + slen);
			e8 = true;
		} else {
			return NTFS_ERR_CORRUPT_COMPRESSED;
		}
		pos += size;
	}
	if (e8)
		undo_e8(dst, dlen);
	return NTFS_OK;
}

#else
typedef int ntfsi_lzx_unused; /* ISO C wants a declaration */
#endif /* NTFS_WITH_LZX */
