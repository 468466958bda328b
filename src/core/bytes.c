/* SPDX-License-Identifier: BSD-2-Clause */
/* The core's copy and zero loops and 64-bit shifts (see bytes.h). */
#include "bytes.h"

/* Eight bytes at a time, each eight loaded before they are stored, so
 * copying forward is safe even when @dst lies below @src in one buffer. */
void ntfsi_bytes_copy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	for (; n >= 8; n -= 8, d += 8, s += 8)
		ntfsi_st64(d, ntfsi_le64(s));
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
