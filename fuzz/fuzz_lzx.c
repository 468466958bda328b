/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LZX (ntfsi_lzx_decode). Bytes 0-1 (little-endian) v: the chunk's size is
 * (v & 0x7FFF) + 1, and bit 15 picks what the rest is:
 *  - clear: the compressed chunk itself, as it would be on disk;
 *  - set: choices for test/support/lzx_enc.h, which writes a well-formed
 *    chunk from them (blocks of every type, fixed complete codes, literals
 *    and matches through every slot and the repeated offsets), so the
 *    fuzzer reaches the decoding loops instead of stopping at the codes.
 * The chunk is decoded into a heap buffer of exactly its size, so ASan sees
 * any byte past it, with a heap workspace of NTFSI_LZX_WORKSPACE bytes, and
 * again (nothing survives a call: the same answer). The result must be
 * NTFS_OK or NTFS_ERR_CORRUPT_COMPRESSED. Built with wimlib
 * (NTFS_HAVE_WIMLIB), its decoder is the reference: what ours decodes,
 * wimlib's must decode to the same bytes (wimlib accepts more: it reads
 * zeros past the end of the input, lets a run of code lengths overflow).
 */
#include "harness.h"

#include "lzx.h"
#include "lzx_enc.h"

#include <stdlib.h>
#include <string.h>

#ifdef NTFS_HAVE_WIMLIB
#include <wimlib.h>
#endif

static struct lzx_enc enc;

struct picks {
	const uint8_t *p;
	size_t n;
};

/* The next choice byte; zeros once the input is used up. */
static unsigned pick(struct picks *c)
{
	if (c->n == 0)
		return 0;
	c->n--;
	return *c->p++;
}

static unsigned pick16(struct picks *c)
{
	unsigned lo = pick(c);

	return lo | pick(c) << 8;
}

/* Fixed complete codes: main 16 x 8 bits and 480 x 9 (which symbols get 8
 * bits is picked), length 7 x 7 bits and 242 x 8, aligned 8 x 3. */
static void set_codes(struct picks *c)
{
	unsigned first = pick(c) % LE_MAIN_SYMS;

	for (unsigned s = 0; s < LE_MAIN_SYMS; s++)
		enc.main[s] = (s - first + LE_MAIN_SYMS) % LE_MAIN_SYMS < 16 ? 8 : 9;
	for (unsigned s = 0; s < LE_LEN_SYMS; s++)
		enc.len_lens[s] = s < 7 ? 7 : 8;
	for (unsigned s = 0; s < LE_ALIGNED_SYMS; s++)
		enc.aligned[s] = 3;
}

/* Write a chunk of @dlen bytes from the choices; matches stay inside the
 * output so far and the block (the repeated offsets are tracked for that
 * only; what they mean is wimlib's to check). */
static void structured(const uint8_t *in, size_t n, uint32_t dlen)
{
	struct picks c = {in, n};
	uint32_t pos = 0, rep[3] = {1, 1, 1};

	le_init(&enc);
	while (pos < dlen && !enc.overflow) {
		unsigned type = pick(&c) % 3 + 1;
		/* Choices used up: one last block of zeros. */
		uint32_t size = c.n == 0 ? dlen - pos : 1 + pick16(&c) % (dlen - pos);
		uint32_t end = pos + size;

		if (type == 3) {
			uint8_t data[256];
			uint32_t r[3];

			size = size > sizeof data ? sizeof data : size;
			end = pos + size;
			for (uint32_t i = 0; i < size; i++)
				data[i] = (uint8_t)pick(&c);
			for (int k = 0; k < 3; k++)
				r[k] = rep[k] = 1 + pick(&c) % 64;
			le_stored(&enc, data, size, r[0], r[1], r[2], false);
			pos = end;
			continue;
		}
		set_codes(&c);
		le_header(&enc, type, size);
		le_codes(&enc, type == 2);
		while (pos < end) {
			unsigned t = pick(&c), slot, len;
			uint32_t off = 0, extra = 0;

			if (t < 128 || pos == 0 || end - pos < 2) {
				le_lit(&enc, (uint8_t)pick(&c));
				pos++;
				continue;
			}
			len = 2 + pick(&c) % (end - pos - 1 < 256 ? end - pos - 1 : 256);
			slot = t % 4;
			if (slot < 3 && rep[slot] <= pos) {
				off = rep[slot];
				rep[slot] = rep[0];
				rep[0] = off;
			} else {
				off = 1 + pick16(&c) % (pos < 32765 ? pos : 32765);
				le_offset(off, &slot, &extra);
				rep[2] = rep[1];
				rep[1] = rep[0];
				rep[0] = off;
			}
			le_match(&enc, slot, len, extra);
			pos += len;
		}
	}
	le_flush(&enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *src;
	uint32_t dlen, slen;
	uint8_t *in, *out, *again;
	void *ws;
	int r;

	if (size < 2)
		return 0;
	dlen = (ntfsi_le16(data) & 0x7FFFu) + 1;
	if (data[1] & 0x80) {
		structured(data + 2, size - 2, dlen);
		if (enc.overflow)
			return 0; /* too many blocks for the writer's buffer */
		src = enc.out;
		slen = (uint32_t)enc.len;
	} else {
		src = data + 2;
		slen = (uint32_t)(size - 2);
	}
	in = malloc(slen ? slen : 1);
	out = malloc(dlen);
	again = malloc(dlen);
	ws = malloc(NTFSI_LZX_WORKSPACE);
	TS_CHECK(in != NULL && out != NULL && again != NULL && ws != NULL);
	memcpy(in, src, slen);
	r = ntfsi_lzx_decode(in, slen, out, dlen, ws);
	TS_CHECK(r == NTFS_OK || r == NTFS_ERR_CORRUPT_COMPRESSED);
	TS_CHECK(ntfsi_lzx_decode(in, slen, again, dlen, ws) == r);
	if (r == NTFS_OK)
		TS_CHECK(memcmp(out, again, dlen) == 0);
#ifdef NTFS_HAVE_WIMLIB
	{
		static struct wimlib_decompressor *d;

		if (d == NULL)
			TS_CHECK(wimlib_create_decompressor(WIMLIB_COMPRESSION_TYPE_LZX,
			                                    NTFSI_LZX_CHUNK, &d) == 0);
		if (r == NTFS_OK) {
			TS_CHECK(wimlib_decompress(in, slen, again, dlen, d) == 0);
			TS_CHECK(memcmp(out, again, dlen) == 0);
		}
	}
#endif
	/* A structured chunk is well formed: ours must decode it. */
	if (data[1] & 0x80)
		TS_CHECK(r == NTFS_OK);
	free(in);
	free(out);
	free(again);
	free(ws);
	return 0;
}
