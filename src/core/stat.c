/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What a file is to a reader: its times and sizes, and its POSIX type,
 * which comes from its reparse point (Windows and WSL links, WSL special
 * files), else from ntfs-3g's Interix convention, else from the record.
 * Link targets and WSL metadata are read from the same places.
 */
#include "ntfs/ntfs.h"

#include "ea.h"
#include "file.h"
#include "interix.h"
#include "io.h"
#include "name.h"
#include "reparse.h"
#include "stream.h"

#define SI_CTIME 0
#define SI_MTIME 8
#define SI_MFTTIME 16
#define SI_ATIME 24
#define SI_FLAGS 32
#define SI_MIN_SIZE 48

/* Records below this are the volume's own files, never Interix ones
 * ($BadClus is an empty SYSTEM file, not a FIFO). */
#define FIRST_USER_RECORD 16u

static int load_reparse(ntfs_file *f, uint8_t **value, uint32_t *len, struct ntfs_reparse *rp)
{
	int err = ntfsi_stream_load(f, NTFS_AT_REPARSE_POINT, NTFS_REPARSE_MAX,
	                            NTFS_ERR_CORRUPT_REPARSE, value, len);
	if (err)
		return err;
	err = ntfs_reparse_parse(*value, *len, rp);
	if (err) {
		ntfsi_io_free(f->vol, *value, *len);
		*value = NULL;
	}
	return err;
}

static uint8_t reparse_type(uint32_t tag)
{
	switch (tag) {
	case NTFS_REPARSE_TAG_SYMLINK:
	case NTFS_REPARSE_TAG_MOUNT_POINT:
	case NTFS_REPARSE_TAG_LX_SYMLINK:
		return NTFS_TYPE_SYMLINK;
	case NTFS_REPARSE_TAG_AF_UNIX:
		return NTFS_TYPE_SOCKET;
	case NTFS_REPARSE_TAG_LX_FIFO:
		return NTFS_TYPE_FIFO;
	case NTFS_REPARSE_TAG_LX_CHR:
		return NTFS_TYPE_CHAR;
	case NTFS_REPARSE_TAG_LX_BLK:
		return NTFS_TYPE_BLOCK;
	default:
		return NTFS_TYPE_FILE;
	}
}

/* An Interix candidate's unnamed $DATA: open (in *s) when @st says the file
 * may be one; NULL otherwise. */
static int interix_data(ntfs_file *f, const struct ntfs_stat *st, ntfs_stream **s)
{
	int err;

	*s = NULL;
	if (st->is_dir || st->reparse_tag != 0 || !(st->attributes & NTFS_FILE_ATTR_SYSTEM) ||
	    f->recno < FIRST_USER_RECORD || st->size > NTFSI_INTERIX_MAX)
		return NTFS_OK;
	err = ntfsi_stream_open(f, NTFS_AT_DATA, NULL, 0, s);
	if (err == NTFS_ERR_NOT_FOUND)
		return NTFS_OK;
	if (err == NTFS_OK && ntfs_stream_refusal(*s) != NULL) {
		ntfs_stream_close(*s);
		*s = NULL;
	}
	return err;
}

static int read_all(ntfs_stream *s, uint64_t off, uint8_t *buf, size_t len)
{
	size_t got;
	int err = ntfs_stream_read(s, off, buf, len, &got);
	return err ? err : got == len ? NTFS_OK : NTFS_ERR_CORRUPT_ATTR;
}

static int interix_type(ntfs_file *f, struct ntfs_stat *st)
{
	uint8_t head[NTFSI_INTERIX_HEAD];
	ntfs_stream *s;
	uint64_t size;
	int err = interix_data(f, st, &s);

	if (err || s == NULL)
		return err;
	size = ntfs_stream_size(s);
	err = read_all(s, 0, head, (size_t)ntfsi_min64(size, sizeof head));
	if (!err) {
		uint8_t t = ntfsi_interix_type(size, head, &st->rdev_major, &st->rdev_minor);
		if (t != NTFS_TYPE_CHAR && t != NTFS_TYPE_BLOCK)
			st->rdev_major = st->rdev_minor = 0;
		st->type = t;
	}
	ntfs_stream_close(s);
	return err;
}

int ntfs_file_stat(ntfs_file *f, struct ntfs_stat *st)
{
	struct ntfsi_attr a;
	int err;

	ntfsi_bytes_zero(st, sizeof *st);
	st->ref = f->recno | (uint64_t)f->hdr.seq << 48;
	st->link_count = f->hdr.links;
	st->is_dir = (f->hdr.flags & NTFSI_RECORD_DIRECTORY) != 0;
	st->type = st->is_dir ? NTFS_TYPE_DIR : NTFS_TYPE_FILE;
	err = ntfsi_file_need_attr(f, NTFS_AT_STANDARD_INFORMATION, NULL, 0, NTFS_ERR_CORRUPT_ATTR,
	                           &a);
	if (err == NTFS_OK && (!a.resident || a.value_len < SI_MIN_SIZE))
		err = NTFS_ERR_CORRUPT_ATTR;
	if (err)
		return err;
	st->creation_time = ntfsi_le64(a.value + SI_CTIME);
	st->modification_time = ntfsi_le64(a.value + SI_MTIME);
	st->mft_change_time = ntfsi_le64(a.value + SI_MFTTIME);
	st->access_time = ntfsi_le64(a.value + SI_ATIME);
	st->attributes = ntfsi_le32(a.value + SI_FLAGS);
	err = ntfsi_file_find_attr(f, NTFS_AT_DATA, NULL, 0, &a);
	if (err == NTFS_OK) {
		st->size = a.data_size;
		st->allocated_size = a.alloc_size;
		st->initialized_size = a.init_size;
	} else if (err != NTFS_ERR_NOT_FOUND) {
		return err;
	}
	err = ntfsi_file_find_attr(f, NTFS_AT_REPARSE_POINT, NULL, 0, &a);
	if (err == NTFS_OK) {
		struct ntfs_reparse rp;
		uint8_t *value;
		uint32_t len;

		err = load_reparse(f, &value, &len, &rp);
		if (err)
			return err;
		ntfsi_io_free(f->vol, value, len);
		st->reparse_tag = rp.tag;
		if (reparse_type(rp.tag) != NTFS_TYPE_FILE)
			st->type = reparse_type(rp.tag);
	} else if (err != NTFS_ERR_NOT_FOUND) {
		return err;
	}
	err = interix_type(f, st);
	if (err)
		return err;
	err = ntfsi_file_find_attr(f, NTFS_AT_EA, NULL, 0, &a);
	if (err == NTFS_OK)
		return ntfsi_ea_wsl(f, st);
	return err == NTFS_ERR_NOT_FOUND ? NTFS_OK : err;
}

int ntfs_file_reparse(ntfs_file *f, void *buf, size_t cap, size_t *len)
{
	uint8_t *value;
	uint32_t n;
	int err = ntfsi_stream_load(f, NTFS_AT_REPARSE_POINT, NTFS_REPARSE_MAX,
	                            NTFS_ERR_CORRUPT_REPARSE, &value, &n);

	*len = 0;
	if (err)
		return err;
	*len = n;
	if (cap < n)
		err = NTFS_ERR_LIMIT;
	else
		ntfsi_bytes_copy(buf, value, n);
	ntfsi_io_free(f->vol, value, n);
	return err;
}

/* An Interix symlink's UTF-16LE target, after its magic. */
static int interix_target(ntfs_file *f, const struct ntfs_stat *st, char *buf, size_t cap,
                          size_t *len)
{
	ntfs_stream *s;
	uint8_t *t = NULL;
	uint32_t n = 0;
	int err = interix_data(f, st, &s);

	if (err)
		return err;
	if (s == NULL)
		return NTFS_ERR_NOT_FOUND;
	n = (uint32_t)ntfs_stream_size(s) - NTFSI_INTERIX_MAGIC;
	t = ntfsi_io_alloc(f->vol, n);
	err = t == NULL ? NTFS_ERR_NOMEM : read_all(s, NTFSI_INTERIX_MAGIC, t, n);
	if (!err)
		err = ntfsi_name_path_le_to_utf8(t, n / 2, buf, cap, len);
	ntfsi_io_free(f->vol, t, n);
	ntfs_stream_close(s);
	return err;
}

int ntfs_file_readlink(ntfs_file *f, char *buf, size_t cap, size_t *len)
{
	struct ntfs_stat st;
	struct ntfs_reparse rp;
	uint8_t *value;
	uint32_t n;
	size_t dummy;
	int err = ntfs_file_stat(f, &st);

	if (len == NULL)
		len = &dummy;
	if (err)
		return err;
	if (st.type != NTFS_TYPE_SYMLINK)
		return NTFS_ERR_NOT_FOUND;
	if (st.reparse_tag == 0)
		return interix_target(f, &st, buf, cap, len);
	err = load_reparse(f, &value, &n, &rp);
	if (err)
		return err;
	err = ntfsi_reparse_target(value, &rp, buf, cap, len);
	ntfsi_io_free(f->vol, value, n);
	return err;
}
