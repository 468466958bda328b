/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reparse points ([MS-FSCC] 2.1.2): a tag saying who interprets the file
 * and that owner's data. Microsoft tags (bit 31) have an 8-byte header;
 * others carry a GUID after it. Pure functions over the value.
 */
#include "reparse.h"

#include "name.h"

#define HDR_LEN 8u
#define GUID_HDR_LEN 24u
#define TAG_MICROSOFT 0x80000000u

#define LINK_HDR 8u      /* substitute/print offsets and lengths */
#define SYMLINK_FLAGS 4u /* a symlink's flags follow them */
#define WSL_VERSION_LEN 4u
#define WSL_VERSION 2u
#define WOF_INFO_LEN 8u /* version, provider */
#define WOF_FILE_LEN 8u /* file provider: version, algorithm */

/* Check name @off/@len (bytes) inside @buf_len bytes of path buffer at
 * @base, and make them offsets in the value. */
static bool name_ok(uint32_t base, uint32_t buf_len, uint32_t *off, uint32_t len)
{
	if (len % 2 != 0 || !ntfsi_range_ok(buf_len, *off, len))
		return false;
	*off += base;
	return true;
}

static int parse_link(const uint8_t *v, struct ntfs_reparse *rp, bool symlink)
{
	const uint8_t *d = v + rp->data_off;
	uint32_t hdr = LINK_HDR + (symlink ? SYMLINK_FLAGS : 0), buf_len;

	if (rp->data_len < hdr)
		return NTFS_ERR_CORRUPT_REPARSE;
	rp->subst_off = ntfsi_le16(d);
	rp->subst_len = ntfsi_le16(d + 2);
	rp->print_off = ntfsi_le16(d + 4);
	rp->print_len = ntfsi_le16(d + 6);
	if (symlink)
		rp->flags = ntfsi_le32(d + 8);
	buf_len = rp->data_len - hdr;
	if (!name_ok(rp->data_off + hdr, buf_len, &rp->subst_off, rp->subst_len) ||
	    !name_ok(rp->data_off + hdr, buf_len, &rp->print_off, rp->print_len))
		return NTFS_ERR_CORRUPT_REPARSE;
	return NTFS_OK;
}

int ntfs_reparse_parse(const void *value, size_t len, struct ntfs_reparse *rp)
{
	const uint8_t *v = value;
	uint32_t hdr;

	ntfsi_bytes_zero(rp, sizeof *rp);
	if (len < HDR_LEN || len > NTFS_REPARSE_MAX)
		return NTFS_ERR_CORRUPT_REPARSE;
	rp->tag = ntfsi_le32(v);
	rp->data_len = ntfsi_le16(v + 4);
	hdr = (rp->tag & TAG_MICROSOFT) ? HDR_LEN : GUID_HDR_LEN;
	/* The value is exactly header and data: anything else is damage. */
	if (len < hdr || len - hdr != rp->data_len)
		return NTFS_ERR_CORRUPT_REPARSE;
	rp->data_off = hdr;
	switch (rp->tag) {
	case NTFS_REPARSE_TAG_SYMLINK:
		return parse_link(v, rp, true);
	case NTFS_REPARSE_TAG_MOUNT_POINT:
		return parse_link(v, rp, false);
	case NTFS_REPARSE_TAG_LX_SYMLINK:
		if (rp->data_len < WSL_VERSION_LEN || ntfsi_le32(v + hdr) != WSL_VERSION)
			return NTFS_ERR_CORRUPT_REPARSE;
		rp->target_off = hdr + WSL_VERSION_LEN;
		rp->target_len = rp->data_len - WSL_VERSION_LEN;
		return NTFS_OK;
	case NTFS_REPARSE_TAG_WOF:
		if (rp->data_len < WOF_INFO_LEN || ntfsi_le32(v + hdr) != 1)
			return NTFS_ERR_CORRUPT_REPARSE;
		rp->wof_provider = ntfsi_le32(v + hdr + 4);
		if (rp->wof_provider == NTFS_WOF_PROVIDER_FILE) {
			if (rp->data_len < WOF_INFO_LEN + WOF_FILE_LEN ||
			    ntfsi_le32(v + hdr + WOF_INFO_LEN) != 1)
				return NTFS_ERR_CORRUPT_REPARSE;
			rp->wof_algorithm = ntfsi_le32(v + hdr + WOF_INFO_LEN + 4);
		}
		return NTFS_OK;
	default:
		return NTFS_OK;
	}
}

/* @len bytes of UTF-16LE at @p as UTF-8 in @dst, backslashes made slashes;
 * @prefix (ASCII) first. */
static int put_path(const char *prefix, const uint8_t *p, uint32_t len, char *dst, size_t cap,
                    size_t *out)
{
	size_t n = 0, m, i;
	int err;

	while (prefix[n] != '\0')
		n++;
	if (cap <= n)
		return NTFS_ERR_LIMIT;
	ntfsi_bytes_copy(dst, prefix, n);
	err = ntfsi_name_path_le_to_utf8(p, len / 2, dst + n, cap - n, &m);
	if (err)
		return err;
	/* A backslash byte is never part of a multibyte UTF-8 sequence. */
	for (i = n; i < n + m; i++)
		if (dst[i] == '\\')
			dst[i] = '/';
	*out = n + m;
	return NTFS_OK;
}

/* Does the UTF-16LE name at @p (@len bytes) start with ASCII @s? */
static bool starts_with(const uint8_t *p, uint32_t len, const char *s)
{
	uint32_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (len < 2 * (i + 1) || ntfsi_le16(p + 2 * i) != (uint8_t)s[i])
			return false;
	return true;
}

int ntfsi_reparse_target(const uint8_t *value, const struct ntfs_reparse *rp, char *dst, size_t cap,
                         size_t *len)
{
	const uint8_t *p;
	uint32_t n;

	if (rp->tag == NTFS_REPARSE_TAG_LX_SYMLINK) {
		const char *t = (const char *)value + rp->target_off;
		size_t units;

		if (rp->target_len == 0)
			return NTFS_ERR_CORRUPT_REPARSE;
		if (ntfs_utf8_to_utf16(t, rp->target_len, NULL, 0, &units) != NTFS_OK)
			return NTFS_ERR_NAME;
		if (cap <= rp->target_len)
			return NTFS_ERR_LIMIT;
		for (n = 0; n < rp->target_len; n++) {
			dst[n] = t[n];
			if (dst[n] == '\0')
				return NTFS_ERR_NAME;
		}
		dst[n] = '\0';
		*len = n;
		return NTFS_OK;
	}
	if (rp->tag != NTFS_REPARSE_TAG_SYMLINK && rp->tag != NTFS_REPARSE_TAG_MOUNT_POINT)
		return NTFS_ERR_NOT_FOUND;
	/* Windows resolves the substitute name; the print name is for people
	 * and only stands in when the substitute is empty. */
	p = value + rp->subst_off;
	n = rp->subst_len;
	if (n == 0) {
		p = value + rp->print_off;
		n = rp->print_len;
	}
	/* An NT prefix with nothing after it names no path at all. */
	if (starts_with(p, n, "\\??\\UNC\\"))
		return n < 18 ? NTFS_ERR_CORRUPT_REPARSE
		              : put_path("//", p + 16, n - 16, dst, cap, len);
	if (starts_with(p, n, "\\??\\"))
		return n < 10 ? NTFS_ERR_CORRUPT_REPARSE
		              : put_path("", p + 8, n - 8, dst, cap, len);
	if (n < 2)
		return NTFS_ERR_CORRUPT_REPARSE;
	return put_path("", p, n, dst, cap, len);
}
