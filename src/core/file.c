/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Files: a base MFT record with its attribute list, attribute and stream
 * enumeration.
 */
#include "file.h"

#include "io.h"
#include "mft.h"
#include "name.h"
#include "volume.h"

int ntfsi_file_from_record(ntfs_volume *vol, uint64_t recno, uint8_t *rec, ntfs_file **out)
{
	ntfs_file *f = ntfsi_io_alloc(vol, sizeof *f);
	int err;

	if (f == NULL) {
		ntfsi_io_free(vol, rec, vol->boot.record_size);
		return NTFS_ERR_NOMEM;
	}
	ntfsi_bytes_zero(f, sizeof *f);
	f->vol = vol;
	f->recno = recno;
	f->rec = rec;
	ntfsi_record_view(rec, &f->hdr);
	f->ext_recno = UINT64_MAX;
	err = ntfsi_attrlist_load(vol, rec, &f->alist, &f->alist_len);
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
	uint8_t *rec = ntfsi_io_alloc(vol, vol->boot.record_size);
	struct ntfsi_record r;
	int err;

	if (rec == NULL)
		return NTFS_ERR_NOMEM;
	err = ntfsi_mft_read(vol, recno, rec);
	if (err == NTFS_OK) {
		ntfsi_record_view(rec, &r);
		if (!(r.flags & NTFSI_RECORD_IN_USE) || (seq != 0 && seq != r.seq) ||
		    r.base_ref != 0)
			err = NTFS_ERR_STALE;
	}
	if (err) {
		ntfsi_io_free(vol, rec, vol->boot.record_size);
		return err;
	}
	return ntfsi_file_from_record(vol, recno, rec, out);
}

int ntfsi_file_open_system(ntfs_volume *vol, uint64_t recno, ntfs_file **out)
{
	int err = ntfs_file_open(vol, recno, out);
	return err == NTFS_ERR_STALE || err == NTFS_ERR_NOT_FOUND ? NTFS_ERR_CORRUPT_MFT : err;
}

void ntfs_file_close(ntfs_file *f)
{
	ntfs_volume *vol;

	if (f == NULL)
		return;
	vol = f->vol;
	ntfsi_io_free(vol, f->rec, vol->boot.record_size);
	ntfsi_io_free(vol, f->ext, vol->boot.record_size);
	ntfsi_io_free(vol, f->alist, f->alist_len);
	ntfsi_io_free(vol, f, sizeof *f);
}

/* Read extension record @ref into file->ext and check it extends this file. */
static int load_extension(ntfs_file *file, uint64_t ref)
{
	ntfs_volume *vol = file->vol;
	uint64_t recno = NTFS_REF_RECORD(ref);
	struct ntfsi_record r;
	int err;

	if (file->ext_recno == recno)
		return NTFS_OK;
	if (file->ext == NULL) {
		file->ext = ntfsi_io_alloc(vol, vol->boot.record_size);
		if (file->ext == NULL)
			return NTFS_ERR_NOMEM;
	}
	file->ext_recno = UINT64_MAX;
	err = ntfsi_mft_read(vol, recno, file->ext);
	if (err == NTFS_ERR_NOT_FOUND)
		return NTFS_ERR_CORRUPT_ATTRLIST;
	if (err)
		return err;
	ntfsi_record_view(file->ext, &r);
	err = ntfsi_attrlist_check_extension(&r, ref, file->recno, file->hdr.seq);
	if (err)
		return err;
	file->ext_recno = recno;
	return NTFS_OK;
}

int ntfsi_file_entry_attr(ntfs_file *file, const struct ntfsi_attrlist_entry *e,
                          struct ntfsi_attr *a)
{
	int err;

	if (NTFS_REF_RECORD(e->ref) == file->recno)
		return ntfsi_attrlist_find(file->rec, e, a);
	err = load_extension(file, e->ref);
	return err ? err : ntfsi_attrlist_find(file->ext, e, a);
}

int ntfsi_file_extent_attr(ntfs_file *file, const struct ntfsi_extent *x, uint32_t type,
                           const uint16_t *name, size_t name_len, struct ntfsi_attr *a)
{
	struct ntfsi_attrlist_entry e;
	uint32_t off = 0;
	int err;

	if (x->alist_off != NTFSI_NO_ALIST) {
		off = x->alist_off;
		err = ntfsi_attrlist_next(file->alist, file->alist_len, &off, &e);
		NTFSI_ASSERT(err != 0); /* alist_off is an entry's offset */
		return err < 0 ? err : ntfsi_file_entry_attr(file, &e, a);
	}
	/* Ids should be unique in a record; the name is compared too so that
	 * duplicates cannot pair one attribute's sizes with another's runs. */
	while ((err = ntfsi_attr_next(file->rec, &off, a)) == 1)
		if (a->type == type && a->id == x->id &&
		    ntfsi_name_equal_le(a->name, a->name_len, name, name_len))
			return NTFS_OK;
	return err < 0 ? err : NTFS_ERR_CORRUPT_ATTR;
}

int ntfsi_file_find_attr(ntfs_file *file, uint32_t type, const uint16_t *name, size_t name_len,
                         struct ntfsi_attr *a)
{
	uint32_t off = 0;
	int err;

	if (file->alist != NULL && type != NTFS_AT_ATTRIBUTE_LIST) {
		struct ntfsi_attrlist_entry e;
		while ((err = ntfsi_attrlist_next(file->alist, file->alist_len, &off, &e)) == 1) {
			if (e.type == type && e.lowest_vcn == 0 &&
			    ntfsi_name_equal_le(e.name, e.name_len, name, name_len))
				return ntfsi_file_entry_attr(file, &e, a);
		}
		return err < 0 ? err : NTFS_ERR_NOT_FOUND;
	}
	while ((err = ntfsi_attr_next(file->rec, &off, a)) == 1) {
		if (a->type == type && a->lowest_vcn == 0 &&
		    ntfsi_name_equal_le(a->name, a->name_len, name, name_len))
			return NTFS_OK;
	}
	return err < 0 ? err : NTFS_ERR_NOT_FOUND;
}

int ntfsi_file_need_attr(ntfs_file *file, uint32_t type, const uint16_t *name, size_t name_len,
                         int corrupt, struct ntfsi_attr *a)
{
	int err = ntfsi_file_find_attr(file, type, name, name_len, a);
	return err == NTFS_ERR_NOT_FOUND ? corrupt : err;
}

int ntfsi_file_attr_next(ntfs_file *file, uint32_t *cursor, struct ntfsi_attr *a, uint64_t *recno)
{
	uint32_t off;
	int err;

	*recno = file->recno;
	if (file->alist == NULL) {
		/* The cursor is the next attribute's offset in the base record. */
		off = *cursor;
		err = ntfsi_attr_next(file->rec, &off, a);
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
		struct ntfsi_attrlist_entry e;
		off = *cursor - 1;
		err = ntfsi_attrlist_next(file->alist, file->alist_len, &off, &e);
		if (err <= 0)
			return err;
		*cursor = off + 1;
		*recno = NTFS_REF_RECORD(e.ref);
		err = ntfsi_file_entry_attr(file, &e, a);
		return err ? err : 1;
	}
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
	r = ntfsi_name_le_to_utf8(a.name, a.name_len, info->name, sizeof info->name,
	                          &info->name_len);
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
		r = ntfsi_name_le_to_utf8(a.name, a.name_len, info->name, sizeof info->name,
		                          &info->name_len);
		return r == NTFS_OK ? 1 : r;
	}
	return r;
}
