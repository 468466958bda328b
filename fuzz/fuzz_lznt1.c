/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LZNT1: the input is the stored bytes of one compression unit, a run of
 * chunks. Each chunk's header is parsed and its body decoded by the core
 * (ntfsi_lznt1_header, ntfsi_lznt1_decode) into a buffer that has exactly
 * the room it is given, and by a plain reference decoder written here from
 * MS-XCA 2.5; both must agree on the error and on every byte.
 */
#include "harness.h"

#include "lznt1.h"

#include <stdlib.h>
#include <string.h>

/* The reference: MS-XCA's rule for the split, recomputed for every token. */
static int ref_decode(const uint8_t *src, uint32_t slen, uint8_t *dst, uint32_t room, uint32_t *out)
{
	uint32_t s = 0, d = 0;

	while (s < slen) {
		uint8_t flags = src[s++];
		for (int bit = 0; bit < 8 && s < slen; bit++) {
			if (!(flags >> bit & 1)) {
				if (d >= room)
					return -1;
				dst[d++] = src[s++];
			} else {
				uint32_t token, shift = 12, disp, len, i;
				if (s + 2 > slen || d == 0)
					return -1;
				token = src[s] | (uint32_t)src[s + 1] << 8;
				s += 2;
				for (i = d - 1; i >= 0x10; i >>= 1)
					shift--;
				disp = (token >> shift) + 1;
				len = (token & ((1u << shift) - 1)) + 3;
				if (disp > d || d + len > room)
					return -1;
				for (i = 0; i < len; i++, d++)
					dst[d] = dst[d - disp];
			}
		}
	}
	*out = d;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *mine = malloc(NTFSI_LZNT1_CHUNK), *ref = malloc(NTFSI_LZNT1_CHUNK);
	uint32_t off = 0, room;

	TS_CHECK(mine != NULL && ref != NULL);
	/* The first byte sets the room: a whole chunk or less. */
	room = size > 0 ? NTFSI_LZNT1_CHUNK - (data[0] & 0x0F) * 256u : NTFSI_LZNT1_CHUNK;
	while (size >= 2 && off <= size - 2) {
		uint32_t body = 0, got = 0, want = 0;
		bool compressed = false;
		int r = ntfsi_lznt1_header(data + off, &body, &compressed), e;

		EXERCISE_CHECK_ERR(r);
		if (r <= 0 || body > size - off - 2)
			break;
		off += 2;
		if (compressed) {
			r = ntfsi_lznt1_decode(data + off, body, mine, room, &got);
			e = ref_decode(data + off, body, ref, room, &want);
			TS_CHECK((r == NTFS_OK) == (e == 0));
			TS_CHECK(r == NTFS_OK || r == NTFS_ERR_CORRUPT_COMPRESSED);
			if (r == NTFS_OK)
				TS_CHECK(got == want && got <= room && memcmp(mine, ref, got) == 0);
		}
		off += body;
	}
	free(mine);
	free(ref);
	return 0;
}
