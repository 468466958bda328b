/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Extended attributes. $EA is a chain of entries: the offset of the next
 * (0 for the last), flags, name length, value length, the name and its
 * NUL, the value. They are read through the stream a few bytes at a time,
 * so nothing the disk sizes is allocated; Windows caps $EA at 64 KiB and
 * so does this reader, which bounds the walk as well.
 *
 * WSL keeps a file's owner, group, mode and device numbers in EAs named
 * $LXUID, $LXGID, $LXMOD (32-bit each) and $LXDEV (32-bit major, minor).
 */
#include "ea.h"

#include "io.h"
#include "stream.h"

#define ENTRY_HDR 8u

/* The file's $EA, or NULL (*s) when it has none. */
static int open_ea(ntfs_file *f, ntfs_stream **s)
{
	int err = ntfsi_stream_open(f, NTFS_AT_EA, NULL, 0, s);

	if (err == NTFS_ERR_NOT_FOUND) {
		*s = NULL;
		return NTFS_OK;
	}
	if (err)
		return err;
	if (ntfs_stream_size(*s) > NTFS_EA_MAX || ntfs_stream_refusal(*s) != NULL) {
		ntfs_stream_close(*s);
		*s = NULL;
		return NTFS_ERR_CORRUPT_EA;
	}
	return NTFS_OK;
}

static int read_at(ntfs_stream *s, uint32_t off, void *buf, size_t len)
{
	size_t got;
	int err = ntfs_stream_read(s, off, buf, len, &got);
	return err ? err : got == len ? NTFS_OK : NTFS_ERR_CORRUPT_EA;
}

/* The entry at *cursor; 0 at the end. */
static int next_entry(ntfs_stream *s, uint32_t *cursor, struct ntfs_ea_info *info)
{
	const uint32_t size = (uint32_t)ntfs_stream_size(s), off = *cursor;
	uint8_t hdr[ENTRY_HDR];
	uint32_t next, len;
	int err;

	if (off >= size)
		return 0;
	if (size - off < ENTRY_HDR)
		return NTFS_ERR_CORRUPT_EA;
	err = read_at(s, off, hdr, ENTRY_HDR);
	if (err)
		return err;
	next = ntfsi_le32(hdr);
	info->flags = hdr[4];
	info->name_len = hdr[5];
	info->value_len = ntfsi_le16(hdr + 6);
	len = ENTRY_HDR + info->name_len + 1u + info->value_len;
	/* The entry fits, the next one starts past it, and the name is a
	 * non-empty string ending in its NUL. */
	if (len > size - off || (next != 0 && (next < len || next > size - off)) ||
	    info->name_len == 0)
		return NTFS_ERR_CORRUPT_EA;
	err = read_at(s, off + ENTRY_HDR, info->name, info->name_len + 1u);
	if (err)
		return err;
	if (info->name[info->name_len] != '\0')
		return NTFS_ERR_CORRUPT_EA;
	for (uint32_t i = 0; i < info->name_len; i++)
		if (info->name[i] == '\0')
			return NTFS_ERR_CORRUPT_EA;
	info->value_off = off + ENTRY_HDR + info->name_len + 1u;
	*cursor = next == 0 ? size : off + next;
	return 1;
}

int ntfs_ea_next(ntfs_file *f, uint32_t *cursor, struct ntfs_ea_info *info)
{
	ntfs_stream *s;
	int err = open_ea(f, &s);

	if (err || s == NULL)
		return err;
	err = next_entry(s, cursor, info);
	ntfs_stream_close(s);
	return err;
}

static int read_value(ntfs_stream *s, const struct ntfs_ea_info *info, void *buf, size_t cap)
{
	if (!ntfsi_range_ok64(ntfs_stream_size(s), info->value_off, info->value_len))
		return NTFS_ERR_INVALID;
	if (cap < info->value_len)
		return NTFS_ERR_LIMIT;
	return read_at(s, info->value_off, buf, info->value_len);
}

int ntfs_ea_read(ntfs_file *f, const struct ntfs_ea_info *info, void *buf, size_t cap)
{
	ntfs_stream *s;
	int err = open_ea(f, &s);

	if (err)
		return err;
	if (s == NULL)
		return NTFS_ERR_INVALID;
	err = read_value(s, info, buf, cap);
	ntfs_stream_close(s);
	return err;
}

static uint8_t fold(uint8_t c)
{
	return c >= 'a' && c <= 'z' ? (uint8_t)(c - 'a' + 'A') : c;
}

static bool same_name(const char *a, const char *b)
{
	size_t i;

	for (i = 0; a[i] != '\0' && b[i] != '\0'; i++)
		if (fold((uint8_t)a[i]) != fold((uint8_t)b[i]))
			return false;
	return a[i] == b[i];
}

/* Find EA @name in @s: 1 (found, in @info), 0, or an error. */
static int find(ntfs_stream *s, const char *name, struct ntfs_ea_info *info)
{
	uint32_t cursor = 0;
	int r;

	while ((r = next_entry(s, &cursor, info)) == 1)
		if (same_name(info->name, name))
			return 1;
	return r;
}

int ntfs_ea_get(ntfs_file *f, const char *name, void *buf, size_t cap, size_t *len)
{
	struct ntfs_ea_info info;
	ntfs_stream *s;
	int err = open_ea(f, &s);

	*len = 0;
	if (err)
		return err;
	if (s == NULL)
		return NTFS_ERR_NOT_FOUND;
	err = find(s, name, &info);
	if (err == 1) {
		*len = info.value_len;
		err = read_value(s, &info, buf, cap);
	} else if (err == 0) {
		err = NTFS_ERR_NOT_FOUND;
	}
	ntfs_stream_close(s);
	return err;
}

/* The 32-bit value of EA @name into *v (bit @bit of *have); absent is fine,
 * any other length is damage. */
static int wsl_u32(ntfs_stream *s, const char *name, uint32_t *v, uint8_t *have, uint8_t bit)
{
	struct ntfs_ea_info info;
	uint8_t b[4];
	int r = find(s, name, &info);

	if (r <= 0)
		return r;
	if (info.value_len != sizeof b)
		return NTFS_ERR_CORRUPT_EA;
	r = read_value(s, &info, b, sizeof b);
	if (r)
		return r;
	*v = ntfsi_le32(b);
	*have |= bit;
	return NTFS_OK;
}

int ntfsi_ea_wsl(ntfs_file *f, struct ntfs_stat *st)
{
	struct ntfs_ea_info info;
	ntfs_stream *s;
	uint8_t dev[8];
	int err = open_ea(f, &s);

	if (err || s == NULL)
		return err;
	err = wsl_u32(s, "$LXUID", &st->uid, &st->wsl, NTFS_WSL_UID);
	if (!err)
		err = wsl_u32(s, "$LXGID", &st->gid, &st->wsl, NTFS_WSL_GID);
	if (!err)
		err = wsl_u32(s, "$LXMOD", &st->mode, &st->wsl, NTFS_WSL_MODE);
	if (!err && (st->type == NTFS_TYPE_CHAR || st->type == NTFS_TYPE_BLOCK)) {
		err = find(s, "$LXDEV", &info);
		if (err == 1) {
			err = info.value_len == sizeof dev ? read_value(s, &info, dev, sizeof dev)
			                                   : NTFS_ERR_CORRUPT_EA;
			if (!err) {
				st->rdev_major = ntfsi_le32(dev);
				st->rdev_minor = ntfsi_le32(dev + 4);
			}
		}
	}
	ntfs_stream_close(s);
	return err;
}
