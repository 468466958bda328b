/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Files: a base MFT record with its attribute list, metadata, attribute
 * and stream enumeration.
 */
#include "internal.h"

#define SI_CTIME 0
#define SI_MTIME 8
#define SI_MFTTIME 16
#define SI_ATIME 24
#define SI_FLAGS 32
#define SI_MIN_SIZE 48

#define REPARSE_TAG_DEDUP 0x80000013u
#define REPARSE_TAG_WOF 0x80000017u

int ntfsi_file_from_record(ntfs_volume *vol, uint64_t recno, uint8_t *rec, ntfs_file **out)
{
	ntfs_file *f = ntfsi_alloc(vol, sizeof *f);
	int err;

	if (f == NULL) {
		ntfsi_free(vol, rec, vol->boot.record_size);
		return NTFS_ERR_NOMEM;
	}
	ntfsi_zero(f, sizeof *f);
	f->vol = vol;
	f->recno = recno;
	f->rec = rec;
	f->seq = ntfsi_le16(rec + NTFSI_REC_SEQUENCE);
	f->links = ntfsi_le16(rec + NTFSI_REC_LINKS);
	f->rec_flags = ntfsi_le16(rec + NTFSI_REC_FLAGS);
	f->ext_recno = UINT64_MAX;
	err = ntfsi_alist_load(f);
	if (err) {
		ntfs_file_close(f);
		return err;
	}
	*out = f;
	return NTFS_OK;
}

int ntfs_file_open(ntfs_volume *vol, uint64_t ref, ntfs_file **out)
{
	uint64_t recno = NTFS_REF_RECORD(ref);
	uint16_t seq = NTFS_REF_SEQUENCE(ref);
	uint8_t *rec = ntfsi_alloc(vol, vol->boot.record_size);
	int err;

	if (rec == NULL)
		return NTFS_ERR_NOMEM;
	err = ntfsi_record_read(vol, recno, rec);
	if (err == NTFS_OK && (!(ntfsi_le16(rec + NTFSI_REC_FLAGS) & NTFSI_REC_FLAG_IN_USE) ||
	                       (seq != 0 && seq != ntfsi_le16(rec + NTFSI_REC_SEQUENCE)) ||
	                       ntfsi_le64(rec + NTFSI_REC_BASE_REF) != 0))
		err = NTFS_ERR_STALE;
	if (err) {
		ntfsi_free(vol, rec, vol->boot.record_size);
		return err;
	}
	return ntfsi_file_from_record(vol, recno, rec, out);
}

void ntfs_file_close(ntfs_file *f)
{
	ntfs_volume *vol;

	if (f == NULL)
		return;
	vol = f->vol;
	ntfsi_free(vol, f->rec, vol->boot.record_size);
	ntfsi_free(vol, f->ext, vol->boot.record_size);
	ntfsi_free(vol, f->alist, f->alist_len);
	ntfsi_free(vol, f, sizeof *f);
}

int ntfs_file_stat(ntfs_file *f, struct ntfs_stat *st)
{
	struct ntfsi_attr a;
	int err;

	ntfsi_zero(st, sizeof *st);
	st->ref = f->recno | (uint64_t)f->seq << 48;
	st->link_count = f->links;
	st->is_dir = (f->rec_flags & NTFSI_REC_FLAG_DIRECTORY) != 0;
	err = ntfsi_file_find_attr(f, NTFS_AT_STANDARD_INFORMATION, NULL, 0, &a);
	if (err == NTFS_OK && (!a.resident || a.value_len < SI_MIN_SIZE))
		err = NTFS_ERR_CORRUPT_ATTR;
	if (err)
		return err == NTFS_ERR_NOT_FOUND ? NTFS_ERR_CORRUPT_ATTR : err;
	st->creation_time = ntfsi_le64(a.value + SI_CTIME);
	st->modification_time = ntfsi_le64(a.value + SI_MTIME);
	st->mft_change_time = ntfsi_le64(a.value + SI_MFTTIME);
	st->access_time = ntfsi_le64(a.value + SI_ATIME);
	st->attributes = ntfsi_le32(a.value + SI_FLAGS);
	err = ntfsi_file_find_attr(f, NTFS_AT_DATA, NULL, 0, &a);
	if (err == NTFS_ERR_NOT_FOUND)
		return NTFS_OK;
	if (err)
		return err;
	st->size = a.data_size;
	st->allocated_size = a.alloc_size;
	st->initialized_size = a.init_size;
	return NTFS_OK;
}

static int attr_name_utf8(const struct ntfsi_attr *a, char *out, size_t size, size_t *len)
{
	uint16_t name[NTFS_NAME_MAX_UTF16];
	uint32_t i;

	for (i = 0; i < a->name_len; i++)
		name[i] = ntfsi_le16(a->name + 2 * i);
	return ntfs_utf16_to_utf8(name, a->name_len, out, size, len);
}

int ntfs_attr_next(ntfs_file *f, uint32_t *cursor, struct ntfs_attr_info *info)
{
	struct ntfsi_attr a;
	uint64_t recno;
	int r = ntfsi_file_attr_next(f, cursor, &a, &recno);

	if (r <= 0)
		return r;
	info->type = a.type;
	info->id = a.id;
	info->flags = a.flags;
	info->resident = a.resident;
	info->record = recno;
	info->lowest_vcn = a.lowest_vcn;
	info->highest_vcn = a.highest_vcn;
	info->size = a.data_size;
	info->allocated_size = a.alloc_size;
	info->initialized_size = a.init_size;
	info->compression_unit = a.compression_unit;
	info->name_len = 0;
	r = attr_name_utf8(&a, info->name, sizeof info->name, &info->name_len);
	return r == NTFS_OK ? 1 : r;
}

int ntfs_stream_next(ntfs_file *f, uint32_t *cursor, struct ntfs_stream_info *info)
{
	struct ntfsi_attr a;
	uint64_t recno;
	int r;

	/* One stream per $DATA attribute: its first extent carries the sizes. */
	while ((r = ntfsi_file_attr_next(f, cursor, &a, &recno)) == 1) {
		if (a.type != NTFS_AT_DATA || a.lowest_vcn != 0)
			continue;
		info->size = a.data_size;
		info->allocated_size = a.alloc_size;
		info->initialized_size = a.init_size;
		info->flags = a.flags;
		info->resident = a.resident;
		info->name_len = 0;
		r = attr_name_utf8(&a, info->name, sizeof info->name, &info->name_len);
		return r == NTFS_OK ? 1 : r;
	}
	return r;
}

int ntfs_attr_open(ntfs_file *f, uint32_t type, const uint16_t *name, size_t name_len,
                   ntfs_stream **out)
{
	return ntfsi_stream_open(f, type, name, name_len, out);
}

/*
 * Windows' WOF ("compact OS") and deduplication keep a file's data outside
 * its unnamed $DATA, which then holds only a sparse placeholder of the right
 * size: reading it would return zeros, so such a stream reads as
 * unsupported.
 */
static int data_elsewhere(ntfs_file *f, bool *elsewhere)
{
	struct ntfsi_attr a;
	int err = ntfsi_file_find_attr(f, NTFS_AT_REPARSE_POINT, NULL, 0, &a);

	*elsewhere = false;
	if (err == NTFS_ERR_NOT_FOUND)
		return NTFS_OK;
	if (err)
		return err;
	if (!a.resident || a.value_len < 4)
		return NTFS_OK; /* a reparse point's body is not ours to judge here */
	switch (ntfsi_le32(a.value)) {
	case REPARSE_TAG_WOF:
	case REPARSE_TAG_DEDUP:
		*elsewhere = true;
		break;
	}
	return NTFS_OK;
}

int ntfs_stream_open(ntfs_file *f, const char *name, ntfs_stream **out)
{
	uint16_t name16[NTFS_NAME_MAX_UTF16];
	size_t len = 0, n = 0;
	int err;

	if (name != NULL) {
		while (name[n] != '\0')
			n++;
		err = ntfs_utf8_to_utf16(name, n, name16, NTFS_NAME_MAX_UTF16, &len);
		if (err == NTFS_ERR_LIMIT)
			return NTFS_ERR_NOT_FOUND;
		if (err)
			return err;
	}
	err = ntfsi_stream_open(f, NTFS_AT_DATA, name16, len, out);
	if (err == NTFS_ERR_NOT_FOUND && len == 0 && (f->rec_flags & NTFSI_REC_FLAG_DIRECTORY))
		return NTFS_ERR_IS_DIR;
	if (err == NTFS_OK && len == 0) {
		err = data_elsewhere(f, &(*out)->elsewhere);
		if (err) {
			ntfs_stream_close(*out);
			*out = NULL;
		}
	}
	return err;
}
