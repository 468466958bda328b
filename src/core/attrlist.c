/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attribute lists: when a file's attributes do not fit in its base record,
 * $ATTRIBUTE_LIST names the record (base or extension) holding each
 * attribute, and each extent of a non-resident attribute split by VCN.
 * The list itself lives in the base record, resident or mapped by one
 * extent there, so loading it never needs another record.
 */
#include "attrlist.h"

#include "io.h"
#include "name.h"
#include "runlist.h"
#include "volume.h"

#define AL_TYPE 0
#define AL_LENGTH 4
#define AL_NAME_LEN 6
#define AL_NAME_OFF 7
#define AL_LOWEST_VCN 8
#define AL_REF 16
#define AL_ID 24
#define AL_MIN 26

int ntfsi_attrlist_next(const uint8_t *list, uint32_t len, uint32_t *off,
                        struct ntfsi_attrlist_entry *e)
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

/* A non-resident list: one extent, in the base record. */
static int read_list(ntfs_volume *vol, const struct ntfsi_attr *a, uint8_t *buf, uint32_t len)
{
	struct ntfsi_extent x;
	struct ntfsi_runmap m;
	int err;

	if (a->flags & (NTFS_ATTR_FLAG_COMPRESSION_MASK | NTFS_ATTR_FLAG_ENCRYPTED))
		return NTFS_ERR_UNSUPPORTED;
	ntfsi_bytes_zero(&x, sizeof x);
	ntfsi_bytes_zero(&m, sizeof m);
	err = ntfsi_runlist_extent(&x, a, NULL, vol->boot.cluster_shift);
	if (err)
		return err;
	x.mp_len = a->mapping_len;
	m.extents = &x;
	m.n = 1;
	m.mp = a->mapping;
	m.clusters = vol->boot.total_clusters;
	m.cur_extent = UINT32_MAX;
	return ntfsi_runlist_read(vol, &m, a->init_size, 0, buf, len);
}

int ntfsi_attrlist_load(ntfs_volume *vol, const uint8_t *rec, uint8_t **list, uint32_t *len)
{
	struct ntfsi_attr a;
	uint32_t off = 0;
	uint64_t size;
	int err;

	*list = NULL;
	*len = 0;
	while ((err = ntfsi_attr_next(rec, &off, &a)) == 1)
		if (a.type == NTFS_AT_ATTRIBUTE_LIST)
			break;
	if (err <= 0)
		return err;
	err = NTFS_OK;
	/* A named first list would size one attribute and read another. */
	if (a.name_len != 0)
		return NTFS_ERR_CORRUPT_ATTRLIST;
	if (a.resident) {
		size = a.value_len;
	} else {
		if (a.lowest_vcn != 0)
			return NTFS_ERR_CORRUPT_ATTRLIST;
		size = a.data_size;
	}
	/* Cap what the disk may make us allocate. */
	if (size == 0)
		return NTFS_ERR_CORRUPT_ATTRLIST;
	if (size > NTFS_MAX_ATTRLIST_SIZE)
		return NTFS_ERR_LIMIT;
	*list = ntfsi_io_alloc(vol, (size_t)size);
	if (*list == NULL)
		return NTFS_ERR_NOMEM;
	*len = (uint32_t)size;
	if (a.resident)
		ntfsi_bytes_copy(*list, a.value, a.value_len);
	else
		err = read_list(vol, &a, *list, *len);
	if (err) {
		ntfsi_io_free(vol, *list, *len);
		*list = NULL;
		*len = 0;
	}
	return err;
}

int ntfsi_attrlist_extents(ntfs_volume *vol, const uint8_t *list, uint32_t list_len, uint32_t type,
                           const uint16_t *name, size_t name_len, uint16_t id,
                           struct ntfsi_extent **extents, uint32_t *n)
{
	struct ntfsi_attrlist_entry e;
	struct ntfsi_extent *x = NULL;
	uint32_t off, at, k = 0, cap = 0;
	int err = NTFS_OK;

	if (list == NULL) {
		/* No list: the one extent in the base record. */
		x = ntfsi_io_alloc(vol, sizeof *x);
		if (x == NULL)
			return NTFS_ERR_NOMEM;
		ntfsi_bytes_zero(x, sizeof *x);
		x->alist_off = NTFSI_NO_ALIST;
		x->id = id;
		k = 1;
	}
	/* Entries are sorted by type, name and VCN: count, then fill. */
	for (int pass = list == NULL ? 2 : 0; pass < 2 && err == NTFS_OK; pass++) {
		uint64_t prev = 0;
		off = 0;
		k = 0;
		while (at = off, (err = ntfsi_attrlist_next(list, list_len, &off, &e)) == 1) {
			if (e.type != type ||
			    !ntfsi_name_equal_le(e.name, e.name_len, name, name_len))
				continue;
			if (k == NTFS_MAX_EXTENTS) {
				err = NTFS_ERR_LIMIT;
				break;
			}
			if ((k == 0 && e.lowest_vcn != 0) || (k > 0 && e.lowest_vcn <= prev)) {
				err = NTFS_ERR_CORRUPT_ATTRLIST;
				break;
			}
			prev = e.lowest_vcn;
			if (pass == 1) {
				x[k].lowest_vcn = e.lowest_vcn;
				x[k].alist_off = at;
				x[k].id = e.id;
			}
			k++;
		}
		if (err == NTFS_OK && pass == 0) {
			x = ntfsi_io_alloc(vol, k * sizeof *x);
			cap = k;
			if (x == NULL)
				err = NTFS_ERR_NOMEM;
		}
	}
	if (err) {
		ntfsi_io_free(vol, x, cap * sizeof *x);
		return err;
	}
	*extents = x;
	*n = k;
	return NTFS_OK;
}

int ntfsi_attrlist_find(const uint8_t *rec, const struct ntfsi_attrlist_entry *e,
                        struct ntfsi_attr *a)
{
	uint32_t off = 0;
	int err;

	while ((err = ntfsi_attr_next(rec, &off, a)) == 1) {
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

int ntfsi_attrlist_check_extension(const struct ntfsi_record *ext, uint64_t ref,
                                   uint64_t base_recno, uint16_t base_seq)
{
	if (!(ext->flags & NTFSI_RECORD_IN_USE) || NTFS_REF_RECORD(ext->base_ref) != base_recno ||
	    NTFS_REF_SEQUENCE(ext->base_ref) != base_seq)
		return NTFS_ERR_CORRUPT_ATTRLIST;
	if (NTFS_REF_SEQUENCE(ref) != 0 && NTFS_REF_SEQUENCE(ref) != ext->seq)
		return NTFS_ERR_CORRUPT_ATTRLIST;
	return NTFS_OK;
}
