/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LZNT1 decoding, from MS-XCA 2.5. A compressed chunk body is groups of a
 * flag byte and up to eight tokens, least significant flag first: a clear
 * bit is a literal byte, a set bit a 16-bit copy token. The token splits
 * into a displacement (high bits) and a length (low bits), and the split
 * moves as the chunk grows: 12 length bits while at most 16 bytes are out,
 * one bit fewer each time that doubles, so a displacement can always reach
 * back to the chunk's start.
 */
#include "lznt1.h"

#include "ntfs/ntfs.h"

#define HDR_SIZE_MASK 0x0FFFu
#define HDR_SIGNATURE 0x7000u
#define HDR_SIGNATURE_OK 0x3000u
#define HDR_COMPRESSED 0x8000u

int ntfsi_lznt1_header(const uint8_t *p, uint32_t *body, bool *compressed)
{
	uint16_t h = ntfsi_le16(p);

	if (h == 0)
		return 0;
	if ((h & HDR_SIGNATURE) != HDR_SIGNATURE_OK)
		return NTFS_ERR_CORRUPT_COMPRESSED;
	*body = (h & HDR_SIZE_MASK) + 1u;
	*compressed = (h & HDR_COMPRESSED) != 0;
	/* A stored chunk is a whole chunk: anything else cannot be placed. */
	if (!*compressed && *body != NTFSI_LZNT1_CHUNK)
		return NTFS_ERR_CORRUPT_COMPRESSED;
	return 1;
}

int ntfsi_lznt1_decode(const uint8_t *src, uint32_t slen, uint8_t *dst, uint32_t dlen,
                       uint32_t *out)
{
	uint32_t s = 0, d = 0, len_bits = 12, limit = 16;

	NTFSI_ASSERT(dlen <= NTFSI_LZNT1_CHUNK);
	while (s < slen) {
		uint32_t flags = src[s++];

		for (uint32_t k = 0; k < 8 && s < slen; k++, flags >>= 1) {
			uint32_t token, disp, len;
			const uint8_t *from;
			uint8_t *to;

			if (!(flags & 1u)) {
				if (d == dlen)
					return NTFS_ERR_CORRUPT_COMPRESSED;
				dst[d++] = src[s++];
				continue;
			}
			if (slen - s < 2 || d == 0)
				return NTFS_ERR_CORRUPT_COMPRESSED;
			token = ntfsi_le16(src + s);
			s += 2;
			while (d > limit) {
				len_bits--;
				limit <<= 1;
			}
			disp = (token >> len_bits) + 1;
			len = (token & ((1u << len_bits) - 1)) + 3;
			if (disp > d || len > dlen - d)
				return NTFS_ERR_CORRUPT_COMPRESSED;
			/* Byte by byte: a copy may overlap what it produces. */
			to = dst + d;
			from = to - disp;
			for (uint32_t i = 0; i < len; i++)
				to[i] = from[i];
			d += len;
		}
	}
	*out = d;
	return NTFS_OK;
}
