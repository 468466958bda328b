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

/* The trailing zero bits of @x (nonzero), which count a run of literals:
 * the instruction where the core has one, else a de Bruijn multiply (no
 * libgcc helper, which a freestanding link would lack). */
static inline uint32_t ctz(uint32_t x)
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) ||      \
                          (defined(__ARM_ARCH) && __ARM_ARCH >= 7))
	return (uint32_t)__builtin_ctz(x);
#else
	static const uint8_t pos[32] = {0,  1,  28, 2,  29, 14, 24, 3,  30, 22, 20,
	                                15, 25, 17, 4,  8,  31, 27, 13, 23, 21, 19,
	                                16, 7,  26, 12, 18, 6,  11, 5,  10, 9};
	return pos[((x & (0u - x)) * 0x077CB531u) >> 27];
#endif
}

/* The copy token at src + *s: check it and copy. */
static inline int match(const uint8_t *src, uint32_t *s, uint8_t *dst, uint32_t *d, uint32_t dlen,
                        uint32_t *len_bits, uint32_t *limit)
{
	uint32_t token = ntfsi_le16(src + *s), disp, len;

	*s += 2;
	while (*d > *limit) {
		(*len_bits)--;
		*limit <<= 1;
	}
	disp = (token >> *len_bits) + 1;
	len = (token & ((1u << *len_bits) - 1)) + 3;
	if (disp > *d || len > dlen - *d)
		return NTFS_ERR_CORRUPT_COMPRESSED;
	ntfsi_match_copy(dst + *d, disp, len, dlen - *d);
	*d += len;
	return NTFS_OK;
}

int ntfsi_lznt1_decode(const uint8_t *src, uint32_t slen, uint8_t *dst, uint32_t dlen,
                       uint32_t *out)
{
	uint32_t s = 0, d = 0, len_bits = 12, limit = 16;

	NTFSI_ASSERT(dlen <= NTFSI_LZNT1_CHUNK);
	while (s < slen) {
		uint32_t flags = src[s++], k = 0;

		/* A group with all its tokens (at most 16 bytes) and 8 more in the
		 * input: each run of literals is one 8-byte copy. */
		if (slen - s >= 24) {
			uint32_t bits = flags | 0x100u; /* a stop after the 8th */

			while (k < 8) {
				uint32_t t = ctz(bits >> k);

				if (t > 0) {
					if (t > dlen - d)
						return NTFS_ERR_CORRUPT_COMPRESSED;
					if (dlen - d >= 8)
						ntfsi_st64(dst + d, ntfsi_le64(src + s));
					else
						ntfsi_bytes_copy(dst + d, src + s, t);
					s += t;
					d += t;
					k += t;
					if (k == 8)
						break;
				}
				if (d == 0 || match(src, &s, dst, &d, dlen, &len_bits, &limit))
					return NTFS_ERR_CORRUPT_COMPRESSED;
				k++;
			}
			continue;
		}
		for (; k < 8 && s < slen; k++, flags >>= 1) {
			if (!(flags & 1u)) {
				if (d == dlen)
					return NTFS_ERR_CORRUPT_COMPRESSED;
				dst[d++] = src[s++];
				continue;
			}
			if (slen - s < 2 || d == 0 ||
			    match(src, &s, dst, &d, dlen, &len_bits, &limit))
				return NTFS_ERR_CORRUPT_COMPRESSED;
		}
	}
	*out = d;
	return NTFS_OK;
}
