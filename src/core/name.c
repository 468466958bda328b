/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names: UTF-16 as NTFS stores it, UTF-8 as callers use it. NTFS itself
 * accepts any 16-bit units, so a lone surrogate on disk is reported as
 * NTFS_ERR_NAME rather than silently replaced.
 */
#include "name.h"

/* Unit @i of @src: host-order units, or little-endian bytes when @le. */
static uint32_t unit(const void *src, bool le, size_t i)
{
	return le ? ntfsi_le16((const uint8_t *)src + 2 * i) : ((const uint16_t *)src)[i];
}

static int to_utf8(const void *src, bool le, size_t src_len, char *dst, size_t dst_size,
                   size_t *out_len)
{
	size_t i, o = 0;

	if (dst_size == 0)
		return NTFS_ERR_LIMIT;
	for (i = 0; i < src_len; i++) {
		uint32_t c = unit(src, le, i), c2;
		size_t n, k;

		/* ASCII, most names' every unit: straight through. */
		if (c < 0x80) {
			if (1 >= dst_size - o) {
				dst[0] = '\0';
				return NTFS_ERR_LIMIT;
			}
			dst[o++] = (char)c;
			continue;
		}
		if (c >= 0xD800 && c <= 0xDBFF) {
			if (i + 1 >= src_len)
				goto bad;
			c2 = unit(src, le, ++i);
			if (c2 < 0xDC00 || c2 > 0xDFFF)
				goto bad;
			c = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00u);
		} else if (c >= 0xDC00 && c <= 0xDFFF) {
			goto bad;
		}
		n = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
		if (n >= dst_size - o) {
			dst[0] = '\0';
			return NTFS_ERR_LIMIT;
		}
		/* The lead byte's marker bits, then six bits per byte. */
		dst[o] = (char)(((0xF00u >> n) & 0xFFu) | c >> (6 * (n - 1)));
		for (k = 1; k < n; k++)
			dst[o + k] = (char)(0x80u | ((c >> (6 * (n - 1 - k))) & 0x3Fu));
		o += n;
	}
	dst[o] = '\0';
	if (out_len != NULL)
		*out_len = o;
	return NTFS_OK;
bad:
	dst[0] = '\0';
	return NTFS_ERR_NAME;
}

int ntfs_utf16_to_utf8(const uint16_t *src, size_t src_len, char *dst, size_t dst_size,
                       size_t *out_len)
{
	return to_utf8(src, false, src_len, dst, dst_size, out_len);
}

int ntfsi_name_le_to_utf8(const uint8_t *le, size_t units, char *dst, size_t dst_size,
                          size_t *out_len)
{
	return to_utf8(le, true, units, dst, dst_size, out_len);
}

int ntfsi_name_path_le_to_utf8(const uint8_t *le, size_t units, char *dst, size_t dst_size,
                               size_t *out_len)
{
	for (size_t i = 0; i < units; i++)
		if (ntfsi_le16(le + 2 * i) == 0)
			return NTFS_ERR_NAME;
	return to_utf8(le, true, units, dst, dst_size, out_len);
}

int ntfs_utf8_to_utf16(const char *src, size_t src_len, uint16_t *dst, size_t dst_cap,
                       size_t *out_len)
{
	const uint8_t *s = (const uint8_t *)src;
	size_t i = 0, o = 0;

	while (i < src_len) {
		uint32_t c = s[i], min;
		size_t n, k;

		if (c < 0x80) {
			n = 0;
			min = 0;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			c &= 0x1F;
			min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			c &= 0x0F;
			min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			c &= 0x07;
			min = 0x10000;
		} else {
			return NTFS_ERR_NAME;
		}
		if (n > src_len - i - 1)
			return NTFS_ERR_NAME;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return NTFS_ERR_NAME;
			c = c << 6 | (s[i + k] & 0x3Fu);
		}
		/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF
		 * are not UTF-8. */
		if (c < min || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
			return NTFS_ERR_NAME;
		i += n + 1;
		if (dst == NULL) {
			o += c >= 0x10000 ? 2 : 1;
		} else if (c >= 0x10000) {
			if (dst_cap - o < 2)
				return NTFS_ERR_LIMIT;
			c -= 0x10000;
			dst[o++] = (uint16_t)(0xD800 + (c >> 10));
			dst[o++] = (uint16_t)(0xDC00 + (c & 0x3FF));
		} else {
			if (dst_cap - o < 1)
				return NTFS_ERR_LIMIT;
			dst[o++] = (uint16_t)c;
		}
	}
	if (out_len != NULL)
		*out_len = o;
	return NTFS_OK;
}

bool ntfsi_name_equal_le(const uint8_t *le, size_t le_len, const uint16_t *name, size_t len)
{
	size_t i;

	if (le_len != len)
		return false;
	for (i = 0; i < len; i++)
		if (ntfsi_le16(le + 2 * i) != name[i])
			return false;
	return true;
}
