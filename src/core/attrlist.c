/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attribute lists: when a file's attributes do not fit in its base record,
 * $ATTRIBUTE_LIST names the record (base or extension) holding each
 * attribute, and each extent of a non-resident attribute split by VCN.
 */
#include "internal.h"

#define AL_TYPE 0
#define AL_LENGTH 4
#define AL_NAME_LEN 6
#define AL_NAME_OFF 7
#define AL_LOWEST_VCN 8
#define AL_REF 16
#define AL_ID 24
#define AL_MIN 26

int ntfsi_alist_next(const uint8_t *list, uint32_t len, uint32_t *off, struct ntfsi_alist_entry *e)
{
	const uint8_t *p;
	uint8_t name_off;

	if (*off == len)
		return 0;
	if (!ntfsi_range_ok(len, *off, AL_MIN))
		return NTFS_ERR_CORRUPT_ATTRLIST;
	p = list + *off;
	e->type = ntfsi_le32(p + AL_TYPE);
	e->length = ntfsi_le16(p + AL_LENGTH);
	if (e->length < AL_MIN || (e->length & 7) != 0 || !ntfsi_range_ok(len, *off, e->length))
		return NTFS_ERR_CORRUPT_ATTRLIST;
	e->name_len = p[AL_NAME_LEN];
	name_off = p[AL_NAME_OFF];
	if (e->name_len != 0 &&
	    (name_off < AL_MIN || !ntfsi_range_ok(e->length, name_off, 2u * e->name_len)))
		return NTFS_ERR_CORRUPT_ATTRLIST;
	/* An unnamed entry's offset may point anywhere; keep the pointer in
	 * the entry. */
	e->name = e->name_len != 0 ? p + name_off : p;
	e->lowest_vcn = ntfsi_le64(p + AL_LOWEST_VCN);
	e->ref = ntfsi_le64(p + AL_REF);
	e->id = ntfsi_le16(p + AL_ID);
	*off += e->length;
	return 1;
}

int ntfsi_alist_load(ntfs_file *file)
{
	ntfs_volume *vol = file->vol;
	struct ntfsi_attr a;
	uint32_t off = 0;
	int err;

	while ((err = ntfsi_attr_next_in_record(file->rec, &off, &a)) == 1)
		if (a.type == NTFS_AT_ATTRIBUTE_LIST)
			break;
	if (err <= 0)
		return err;
	/* The list is opened below as the unnamed one: a named first list
	 * would size one attribute and read another. */
	if (a.name_len != 0)
		return NTFS_ERR_CORRUPT_ATTRLIST;
	if (a.resident) {
		if (a.value_len == 0)
			return NTFS_ERR_CORRUPT_ATTRLIST;
		file->alist = ntfsi_alloc(vol, a.value_len);
		if (file->alist == NULL)
			return NTFS_ERR_NOMEM;
		ntfsi_copy(file->alist, a.value, a.value_len);
		file->alist_len = a.value_len;
	} else {
		ntfs_stream *s;
		size_t got;
		/* Cap what the disk may make us allocate. */
		if (a.lowest_vcn != 0 || a.data_size == 0)
			return NTFS_ERR_CORRUPT_ATTRLIST;
		if (a.data_size > NTFS_MAX_ATTRLIST_SIZE)
			return NTFS_ERR_LIMIT;
		err = ntfsi_stream_open(file, NTFS_AT_ATTRIBUTE_LIST, NULL, 0, &s);
		if (err)
			return err;
		file->alist = ntfsi_alloc(vol, (size_t)a.data_size);
		if (file->alist == NULL) {
			ntfs_stream_close(s);
			return NTFS_ERR_NOMEM;
		}
		file->alist_len = (uint32_t)a.data_size;
		err = ntfs_stream_read(s, 0, file->alist, file->alist_len, &got);
		ntfs_stream_close(s);
		if (err == NTFS_OK && got != file->alist_len)
			err = NTFS_ERR_CORRUPT_ATTRLIST;
		if (err)
			return err;
	}
	return NTFS_OK;
}

/* Load extension record @recno of @file into file->ext and check that it
 * really extends this file. */
static int load_extension(ntfs_file *file, uint64_t ref)
{
	ntfs_volume *vol = file->vol;
	uint64_t recno = NTFS_REF_RECORD(ref), base;
	uint16_t flags;
	int err;

	if (file->ext_recno == recno)
		return NTFS_OK;
	if (file->ext == NULL) {
		file->ext = ntfsi_alloc(vol, vol->boot.record_size);
		if (file->ext == NULL)
			return NTFS_ERR_NOMEM;
	}
	file->ext_recno = UINT64_MAX;
	err = ntfsi_record_read(vol, recno, file->ext);
	if (err == NTFS_ERR_NOT_FOUND)
		return NTFS_ERR_CORRUPT_ATTRLIST;
	if (err)
		return err;
	flags = ntfsi_le16(file->ext + NTFSI_REC_FLAGS);
	base = ntfsi_le64(file->ext + NTFSI_REC_BASE_REF);
	if (!(flags & NTFSI_REC_FLAG_IN_USE) || NTFS_REF_RECORD(base) != file->recno ||
	    NTFS_REF_SEQUENCE(base) != file->seq)
		return NTFS_ERR_CORRUPT_ATTRLIST;
	if (NTFS_REF_SEQUENCE(ref) != 0 &&
	    NTFS_REF_SEQUENCE(ref) != ntfsi_le16(file->ext + NTFSI_REC_SEQUENCE))
		return NTFS_ERR_CORRUPT_ATTRLIST;
	file->ext_recno = recno;
	return NTFS_OK;
}

int ntfsi_file_entry_attr(ntfs_file *file, const struct ntfsi_alist_entry *e, struct ntfsi_attr *a)
{
	const uint8_t *rec = file->rec;
	uint32_t off = 0;
	int err;

	if (NTFS_REF_RECORD(e->ref) != file->recno) {
		err = load_extension(file, e->ref);
		if (err)
			return err;
		rec = file->ext;
	}
	while ((err = ntfsi_attr_next_in_record(rec, &off, a)) == 1) {
		if (a->type != e->type || a->id != e->id)
			continue;
		if (a->lowest_vcn != e->lowest_vcn || a->name_len != e->name_len)
			return NTFS_ERR_CORRUPT_ATTRLIST;
		for (uint32_t i = 0; i < a->name_len; i++)
			if (ntfsi_le16(a->name + 2 * i) != ntfsi_le16(e->name + 2 * i))
				return NTFS_ERR_CORRUPT_ATTRLIST;
		return NTFS_OK;
	}
	return err < 0 ? err : NTFS_ERR_CORRUPT_ATTRLIST;
}

int ntfsi_file_find_attr(ntfs_file *file, uint32_t type, const uint16_t *name, size_t name_len,
                         struct ntfsi_attr *a)
{
	uint32_t off = 0;
	int err;

	if (file->alist != NULL && type != NTFS_AT_ATTRIBUTE_LIST) {
		struct ntfsi_alist_entry e;
		while ((err = ntfsi_alist_next(file->alist, file->alist_len, &off, &e)) == 1) {
			if (e.type == type && e.lowest_vcn == 0 &&
			    ntfsi_name_equal_le(e.name, e.name_len, name, name_len))
				return ntfsi_file_entry_attr(file, &e, a);
		}
		return err < 0 ? err : NTFS_ERR_NOT_FOUND;
	}
	while ((err = ntfsi_attr_next_in_record(file->rec, &off, a)) == 1) {
		if (a->type == type && a->lowest_vcn == 0 &&
		    ntfsi_name_equal_le(a->name, a->name_len, name, name_len))
			return NTFS_OK;
	}
	return err < 0 ? err : NTFS_ERR_NOT_FOUND;
}

int ntfsi_file_attr_next(ntfs_file *file, uint32_t *cursor, struct ntfsi_attr *a, uint64_t *recno)
{
	uint32_t off;
	int err;

	*recno = file->recno;
	if (file->alist == NULL) {
		/* The cursor is the next attribute's offset in the base record. */
		off = *cursor;
		err = ntfsi_attr_next_in_record(file->rec, &off, a);
		if (err == 1)
			*cursor = off;
		return err;
	}
	if (*cursor == 0) {
		/* First the $ATTRIBUTE_LIST itself, then the list's entries: the
		 * cursor is then 1 + the next entry's offset in the list. */
		err = ntfsi_file_find_attr(file, NTFS_AT_ATTRIBUTE_LIST, NULL, 0, a);
		if (err)
			return err;
		*cursor = 1;
		return 1;
	}
	{
		struct ntfsi_alist_entry e;
		off = *cursor - 1;
		err = ntfsi_alist_next(file->alist, file->alist_len, &off, &e);
		if (err <= 0)
			return err;
		*cursor = off + 1;
		*recno = NTFS_REF_RECORD(e.ref);
		err = ntfsi_file_entry_attr(file, &e, a);
		return err ? err : 1;
	}
}
