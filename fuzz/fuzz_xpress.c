/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * XPRESS Huffman: bytes 0-1 (little-endian) are the output size minus 1
 * (1 to 65536 bytes), the rest is the stream. It is decoded by the core
 * (ntfsi_xpress_decode) into a buffer of exactly that size, and by a plain
 * reference decoder written here from MS-XCA 2.2.4 (a 2^15-entry table,
 * a 32-bit register refilled a word at a time) with the core's rules on
 * the input's end: words fetched past it are zeros, but no decoded bit or
 * length byte may lie there. Both must agree on the result and on every
 * byte. When wimlib is there its decoder is asked too, and where both it
 * and the core succeed the bytes must be the same (wimlib may accept
 * streams the spec rejects, such as incomplete codes).
 */
#include "harness.h"

#include "xpress.h"

#include <stdlib.h>
#include <string.h>

#ifdef NTFS_HAVE_WIMLIB
#include <wimlib.h>
#endif

struct ref {
	const uint8_t *src;
	uint32_t slen, pos;
	uint32_t real_bits; /* bits in the words fetched from the input */
	uint64_t used;      /* bits decoded */
	bool past_end;      /* a word was fetched past the end */
};

static uint32_t ref_word(struct ref *r)
{
	uint32_t w = 0;

	if (r->pos <= r->slen && r->slen - r->pos >= 2) {
		w = (uint32_t)r->src[r->pos] | (uint32_t)r->src[r->pos + 1] << 8;
		r->real_bits += 16;
	} else {
		r->past_end = true;
	}
	r->pos += 2;
	return w;
}

static int ref_byte(struct ref *r, uint32_t *v)
{
	if (r->past_end || r->pos >= r->slen)
		return -1;
	*v = r->src[r->pos++];
	return 0;
}

static int ref_decode(const uint8_t *src, uint32_t slen, uint8_t *dst, uint32_t dlen)
{
	static uint16_t table[1 << 15];
	struct ref r = {src, slen, 256, 0, 0, false};
	uint32_t entry = 0, next, d = 0, lo, hi;
	int extra = 16;

	if (slen < 256)
		return -1;
	for (uint32_t bits = 1; bits <= 15; bits++)
		for (uint32_t sym = 0; sym < 512; sym++)
			if ((src[sym / 2] >> (4 * (sym % 2)) & 15) == bits)
				for (uint32_t n = 0; n < (1u << (15 - bits)); n++) {
					if (entry >= (1u << 15))
						return -1;
					table[entry++] = (uint16_t)sym;
				}
	if (entry != (1u << 15))
		return -1;
	next = ref_word(&r) << 16;
	next |= ref_word(&r);
	while (d < dlen) {
		uint32_t sym = table[next >> 17], bits = src[sym / 2] >> (4 * (sym % 2)) & 15;
		uint32_t len, obits, off;

		next = next << bits;
		r.used += bits;
		extra -= (int)bits;
		if (extra < 0) {
			next |= ref_word(&r) << -extra;
			extra += 16;
		}
		if (sym < 256) {
			dst[d++] = (uint8_t)sym;
			continue;
		}
		sym -= 256;
		len = sym % 16;
		obits = sym / 16;
		if (len == 15) {
			if (ref_byte(&r, &len))
				return -1;
			if (len == 255) {
				if (ref_byte(&r, &lo) || ref_byte(&r, &hi))
					return -1;
				len = lo | hi << 8;
				if (len < 15)
					return -1;
				len -= 15;
			}
			len += 15;
		}
		len += 3;
		off = (obits ? next >> (32 - obits) : 0) + (1u << obits);
		next = obits ? next << obits : next;
		r.used += obits;
		extra -= (int)obits;
		if (extra < 0) {
			next |= ref_word(&r) << -extra;
			extra += 16;
		}
		if (off > d || len > dlen - d)
			return -1;
		for (uint32_t i = 0; i < len; i++, d++)
			dst[d] = dst[d - off];
	}
	return r.used <= r.real_bits ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static _Alignas(8) uint8_t ws[NTFSI_XPRESS_WORKSPACE];
	uint32_t dlen, slen;
	uint8_t *mine, *ref;
	int r, e;

	if (size < 2 || size - 2 > UINT32_MAX)
		return 0;
	dlen = 1 + ((uint32_t)data[0] | (uint32_t)data[1] << 8);
	slen = (uint32_t)(size - 2);
	/* Exactly the room, so ASan sees a byte written past it. */
	mine = malloc(dlen);
	ref = malloc(dlen);
	TS_CHECK(mine != NULL && ref != NULL);
	r = ntfsi_xpress_decode(data + 2, slen, mine, dlen, ws);
	EXERCISE_CHECK_ERR(r);
	TS_CHECK(r == NTFS_OK || r == NTFS_ERR_CORRUPT_COMPRESSED);
	e = ref_decode(data + 2, slen, ref, dlen);
	TS_CHECK((r == NTFS_OK) == (e == 0));
	if (r == NTFS_OK)
		TS_CHECK(memcmp(mine, ref, dlen) == 0);
#ifdef NTFS_HAVE_WIMLIB
	{
		static struct wimlib_decompressor *w;

		if (w == NULL)
			TS_CHECK(wimlib_create_decompressor(WIMLIB_COMPRESSION_TYPE_XPRESS, 65536,
			                                    &w) == 0);
		if (wimlib_decompress(data + 2, slen, ref, dlen, w) == 0 && r == NTFS_OK)
			TS_CHECK(memcmp(mine, ref, dlen) == 0);
	}
#endif
	free(mine);
	free(ref);
	return 0;
}
