/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Byte-level helpers: little-endian loads assembled byte by byte (safe on
 * big-endian cores and on cores that fault on unaligned loads), the one
 * overflow-safe range gateway, and the copy/zero loops the core uses in
 * place of the C library (struct assignment may compile to a memcpy call,
 * so structs are copied with ntfsi_bytes_copy()). It copies forward,
 * so it may also move bytes down within one buffer.
 */
#ifndef NTFS_BYTES_H
#define NTFS_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Where the core loads unaligned words (__ARM_FEATURE_UNALIGNED: Cortex-M3
 * and up), GCC merges each of these loads into one or two instructions,
 * but its -Os inliner sizes them before it does and calls them instead:
 * a call costs more than the load. Elsewhere they stay plain inline.
 */
#if defined(__ARM_FEATURE_UNALIGNED) && defined(__GNUC__)
#define NTFSI_LOAD static inline __attribute__((always_inline))
#else
#define NTFSI_LOAD static inline
#endif

NTFSI_LOAD uint16_t ntfsi_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

NTFSI_LOAD uint32_t ntfsi_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

NTFSI_LOAD uint64_t ntfsi_le64(const uint8_t *p)
{
	return (uint64_t)ntfsi_le32(p) | (uint64_t)ntfsi_le32(p + 4) << 32;
}

static inline void ntfsi_st16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void ntfsi_st32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Spelled out byte by byte: compilers merge these into one store. */
static inline void ntfsi_st64(uint8_t *p, uint64_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
	p[4] = (uint8_t)(v >> 32);
	p[5] = (uint8_t)(v >> 40);
	p[6] = (uint8_t)(v >> 48);
	p[7] = (uint8_t)(v >> 56);
}

/*
 * 64-bit shifts by a count known only at run time (cluster, record and
 * block sizes): a 32-bit core open-codes each in about 20 bytes, so there
 * they are calls to one copy in bytes.c; a 64-bit core keeps the operator.
 */
#if UINTPTR_MAX > UINT32_MAX
static inline uint64_t ntfsi_bytes_shl(uint64_t v, unsigned s)
{
	return v << s;
}
static inline uint64_t ntfsi_bytes_shr(uint64_t v, unsigned s)
{
	return v >> s;
}
#else
uint64_t ntfsi_bytes_shl(uint64_t v, unsigned s);
uint64_t ntfsi_bytes_shr(uint64_t v, unsigned s);
#endif

/* The copy and zero loops live once, in bytes.c: inlined, they were
 * repeated in every file that copies or clears. */
void ntfsi_bytes_copy(void *dst, const void *src, size_t n);
void ntfsi_bytes_zero(void *dst, size_t n);

/*
 * An LZ77 match: @len bytes from @off back to @to, where @room bytes from
 * @to on may be written (room >= len; the caller checked off and len).
 * Eight bytes at a time when the source is at least 8 back (every byte
 * read is final) and there is room to write up to 15 bytes past the
 * match, which later output overwrites; else byte by byte, since a match
 * may overlap what it produces.
 */
static inline void ntfsi_match_copy(uint8_t *to, uint32_t off, uint32_t len, uint32_t room)
{
	const uint8_t *from = to - off;
	uint32_t i = 0;

	if (off >= 8 && room - len >= 15) {
		ntfsi_st64(to, ntfsi_le64(from));
		ntfsi_st64(to + 8, ntfsi_le64(from + 8));
		for (i = 16; i < len; i += 8)
			ntfsi_st64(to + i, ntfsi_le64(from + i));
		return;
	}
	for (; i < len; i++)
		to[i] = from[i];
}

/*
 * The gateway: true when [off, off + len) lies inside a buffer of @size
 * bytes. Every offset or length that came from the disk passes through
 * here before it is used; written so that no operand can overflow. The
 * buffers the core holds (records, index blocks, values, lists) are far
 * below 4 GiB, so it takes 32-bit operands, which a 32-bit core compares
 * without carries; positions in a stream go through ntfsi_range_ok64().
 */
static inline bool ntfsi_range_ok(uint32_t size, uint32_t off, uint32_t len)
{
	return off <= size && len <= size - off;
}

static inline bool ntfsi_range_ok64(uint64_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

static inline uint64_t ntfsi_min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * An internal invariant: something no disk can make false, only a bug of
 * ours. Checked where tests and fuzzers build the core (NTFS_ASSERTS),
 * compiled out in release builds. Never a substitute for checking the disk.
 */
#ifdef NTFS_ASSERTS
#if defined(__GNUC__) || defined(__clang__)
#define NTFSI_ASSERT(x) ((x) ? (void)0 : __builtin_trap())
#else
#define NTFSI_ASSERT(x) ((x) ? (void)0 : (void)(*(volatile int *)0 = 0))
#endif
#else
#define NTFSI_ASSERT(x) ((void)0)
#endif

#endif /* NTFS_BYTES_H */
