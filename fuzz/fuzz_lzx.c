/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LZX (ntfsi_lzx_decode): bytes 0-1 (little-endian) give the chunk's size,
 * (v & 0x7FFF) + 1, and the rest is the compressed chunk. It is decoded
 * into a heap buffer of exactly that size, so ASan sees any byte past it,
 * with a workspace of exactly NTFSI_LZX_WORKSPACE bytes. The result must be
 * NTFS_OK or NTFS_ERR_CORRUPT_COMPRESSED, and the same on a second run.
 * Built with wimlib (NTFS_FUZZ_HAVE_WIMLIB), its decoder is the reference:
 * what ours decodes, wimlib must decode to the same bytes (wimlib accepts
 * more: it reads zeros past the end of the input, and lets a run of code
 * lengths overflow).
 */
#include "harness.h"

#include "lzx.h"

#include <stdlib.h>
#include <string.h>

#ifdef NTFS_FUZZ_HAVE_WIMLIB
#include <wimlib.h>
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t dlen, slen;
	uint8_t *out, *again;
	void *ws;
	int r;

	if (size < 2)
		return 0;
	dlen = (ntfsi_le16(data) & 0x7FFFu) + 1;
	slen = (uint32_t)(size - 2);
	out = malloc(dlen);
	again = malloc(dlen);
	ws = malloc(NTFSI_LZX_WORKSPACE);
	TS_CHECK(out != NULL && again != NULL && ws != NULL);
	r = ntfsi_lzx_decode(data + 2, slen, out, dlen, ws);
	TS_CHECK(r == NTFS_OK || r == NTFS_ERR_CORRUPT_COMPRESSED);
	/* Nothing survives a call: the same input, the same answer. */
	TS_CHECK(ntfsi_lzx_decode(data + 2, slen, again, dlen, ws) == r);
	if (r == NTFS_OK)
		TS_CHECK(memcmp(out, again, dlen) == 0);
#ifdef NTFS_FUZZ_HAVE_WIMLIB
	{
		static struct wimlib_decompressor *d;

		if (d == NULL)
			TS_CHECK(wimlib_create_decompressor(WIMLIB_COMPRESSION_TYPE_LZX,
			                                    NTFSI_LZX_CHUNK, &d) == 0);
		if (r == NTFS_OK) {
			TS_CHECK(wimlib_decompress(data + 2, slen, again, dlen, d) == 0);
			TS_CHECK(memcmp(out, again, dlen) == 0);
		}
	}
#endif
	free(out);
	free(again);
	free(ws);
	return 0;
}
