/* SPDX-License-Identifier: BSD-2-Clause */
/* The core's copy and zero loops and 64-bit shifts (see bytes.h). */
#include "bytes.h"

/* A word at a time, each loaded before it is stored, so copying forward
 * is safe even when @dst lies below @src in one buffer. GCC and Clang
 * copy words at any alignment through an unaligned type (one load and one
 * store where the core allows it, bytes where it does not); elsewhere
 * the bytes of eight are assembled, which compilers merge less well. */
#if defined(__GNUC__)
typedef size_t __attribute__((aligned(1), may_alias)) bytes_word;
#endif

void ntfsi_bytes_copy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

#if defined(__GNUC__)
	for (; n >= sizeof(bytes_word);
	     n -= sizeof(bytes_word), d += sizeof(bytes_word), s += sizeof(bytes_word))
		*(bytes_word *)d = *(const bytes_word *)s;
#else
	for (; n >= 8; n -= 8, d += 8, s += 8)
		ntfsi_st64(d, ntfsi_le64(s));
#endif
	while (n--)
		*d++ = *s++;
}

void ntfsi_bytes_zero(void *dst, size_t n)
{
	uint8_t *d = dst;
	while (n--)
		*d++ = 0;
}

#if UINTPTR_MAX <= UINT32_MAX
uint64_t ntfsi_bytes_shl(uint64_t v, unsigned s)
{
	return v << s;
}

uint64_t ntfsi_bytes_shr(uint64_t v, unsigned s)
{
	return v >> s;
}
#endif
