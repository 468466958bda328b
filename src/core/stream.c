/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attribute values as streams: resident values, and non-resident values
 * mapped run by run through their extents. An attribute split over
 * extension records has one extent per attribute-list entry; only one
 * extent's mapping pairs are held at a time (the $MFT's own $DATA keeps
 * them all, since loading an extent of it must not need itself).
 */
#include "internal.h"

static int collect_extents(ntfs_stream *s, const struct ntfsi_attr *first)
{
	ntfs_file *file = s->file;
	struct ntfsi_alist_entry e;
	uint32_t off = 0, n = 0, at;
	int err;

	if (file->alist == NULL || s->type == NTFS_AT_ATTRIBUTE_LIST) {
		s->extents = ntfsi_alloc(s->vol, sizeof *s->extents);
		if (s->extents == NULL)
			return NTFS_ERR_NOMEM;
		s->extents[0].lowest_vcn = 0;
		s->extents[0].alist_off = NTFSI_NO_ALIST;
		s->extents[0].id = first->id;
		s->n_extents = 1;
		return NTFS_OK;
	}
	/* Entries are sorted by type, name and VCN: count, then fill. */
	for (int pass = 0; pass < 2; pass++) {
		uint64_t prev = 0;
		off = 0;
		n = 0;
		while (at = off,
		       (err = ntfsi_alist_next(file->alist, file->alist_len, &off, &e)) == 1) {
			if (e.type != s->type ||
			    !ntfsi_name_equal_le(e.name, e.name_len, s->name, s->name_len))
				continue;
			if (n == NTFS_MAX_EXTENTS)
				return NTFS_ERR_LIMIT;
			if ((n == 0 && e.lowest_vcn != 0) || (n > 0 && e.lowest_vcn <= prev))
				return NTFS_ERR_CORRUPT_ATTRLIST;
			prev = e.lowest_vcn;
			if (pass == 1) {
				s->extents[n].lowest_vcn = e.lowest_vcn;
				s->extents[n].alist_off = at;
				s->extents[n].id = e.id;
			}
			n++;
		}
		if (err < 0)
			return err;
		if (pass == 0) {
			s->extents = ntfsi_alloc(s->vol, n * sizeof *s->extents);
			if (s->extents == NULL)
				return NTFS_ERR_NOMEM;
			s->n_extents = n;
		}
	}
	return NTFS_OK;
}

int ntfsi_stream_open(ntfs_file *file, uint32_t type, const uint16_t *name, size_t name_len,
                      ntfs_stream **out)
{
	ntfs_volume *vol = file->vol;
	struct ntfsi_attr a;
	ntfs_stream *s;
	int err;

	if (name_len > NTFS_NAME_MAX_UTF16)
		return NTFS_ERR_NOT_FOUND;
	err = ntfsi_file_find_attr(file, type, name, name_len, &a);
	if (err)
		return err;
	s = ntfsi_alloc(vol, sizeof *s);
	if (s == NULL)
		return NTFS_ERR_NOMEM;
	ntfsi_zero(s, sizeof *s);
	s->vol = vol;
	s->file = file;
	s->type = type;
	s->flags = a.flags;
	s->resident = a.resident;
	s->name_len = (uint8_t)name_len;
	for (size_t i = 0; i < name_len; i++)
		s->name[i] = name[i];
	s->loaded = UINT32_MAX;
	if (a.resident) {
		s->size = s->init_size = a.value_len;
		if (a.value_len != 0) {
			s->value = ntfsi_alloc(vol, a.value_len);
			if (s->value == NULL) {
				ntfs_stream_close(s);
				return NTFS_ERR_NOMEM;
			}
			ntfsi_copy(s->value, a.value, a.value_len);
		}
		*out = s;
		return NTFS_OK;
	}
	s->size = a.data_size;
	s->init_size = a.init_size;
	s->mp_cap = vol->boot.record_size;
	s->mp = ntfsi_alloc(vol, s->mp_cap);
	err = s->mp == NULL ? NTFS_ERR_NOMEM : collect_extents(s, &a);
	if (err) {
		ntfs_stream_close(s);
		return err;
	}
	s->n_usable = s->n_extents;
	*out = s;
	return NTFS_OK;
}

void ntfs_stream_close(ntfs_stream *s)
{
	if (s == NULL)
		return;
	ntfsi_free(s->vol, s->value, s->size);
	ntfsi_free(s->vol, s->mp, s->mp_cap);
	ntfsi_free(s->vol, s->extents, s->n_extents * sizeof *s->extents);
	ntfsi_free(s->vol, s, sizeof *s);
}

uint64_t ntfs_stream_size(const ntfs_stream *s)
{
	return s->size;
}

/* Fetch extent @k's attribute header and check it continues the previous. */
static int extent_attr(ntfs_stream *s, uint32_t k, struct ntfsi_attr *a)
{
	struct ntfsi_extent *x = &s->extents[k];
	const uint8_t cshift = s->vol->boot.cluster_shift;
	uint64_t end;
	int err;

	if (x->alist_off == NTFSI_NO_ALIST) {
		uint32_t off = 0;
		/* Ids should be unique in a record; the name is compared too so
		 * that duplicates cannot pair one attribute's sizes with another's
		 * runs. */
		while ((err = ntfsi_attr_next_in_record(s->file->rec, &off, a)) == 1)
			if (a->type == s->type && a->id == x->id &&
			    ntfsi_name_equal_le(a->name, a->name_len, s->name, s->name_len))
				break;
		if (err == 0)
			err = NTFS_ERR_CORRUPT_ATTR;
		if (err < 0)
			return err;
	} else {
		struct ntfsi_alist_entry e;
		uint32_t off = x->alist_off;
		err = ntfsi_alist_next(s->file->alist, s->file->alist_len, &off, &e);
		if (err < 0)
			return err;
		err = ntfsi_file_entry_attr(s->file, &e, a);
		if (err)
			return err;
	}
	if (a->resident || a->lowest_vcn != x->lowest_vcn)
		return NTFS_ERR_CORRUPT_ATTRLIST;
	end = a->highest_vcn + 1; /* an empty attribute's highest VCN is -1 */
	/* Keep every byte offset computed from a VCN inside 63 bits. */
	if (end > (UINT64_MAX >> (cshift + 1)))
		return NTFS_ERR_CORRUPT_ATTR;
	if (k + 1 < s->n_extents && end != s->extents[k + 1].lowest_vcn)
		return NTFS_ERR_CORRUPT_ATTRLIST;
	x->end_vcn = end;
	return NTFS_OK;
}

static void extent_cursor(ntfs_stream *s, uint32_t k)
{
	const struct ntfsi_extent *x = &s->extents[k];
	ntfsi_runlist_init(&s->cur, s->mp + x->mp_off, x->mp_len, x->lowest_vcn, x->end_vcn,
	                   s->vol->boot.total_clusters);
	s->loaded = k;
}

static int load_extent(ntfs_stream *s, uint32_t k)
{
	struct ntfsi_attr a;
	int err;

	s->loaded = UINT32_MAX;
	err = extent_attr(s, k, &a);
	if (err)
		return err;
	/* A mapping-pairs array lies inside one record, so it fits mp. */
	ntfsi_copy(s->mp, a.mapping, a.mapping_len);
	s->extents[k].mp_off = 0;
	s->extents[k].mp_len = a.mapping_len;
	extent_cursor(s, k);
	return NTFS_OK;
}

int ntfsi_stream_preload(ntfs_stream *s)
{
	uint32_t used = 0;

	if (s->resident)
		return NTFS_OK;
	s->preloaded = true;
	/* The pool starts empty and grows, so every multi-extent $MFT takes the
	 * growth path (and the tests with it). */
	ntfsi_free(s->vol, s->mp, s->mp_cap);
	s->mp = NULL;
	s->mp_cap = 0;
	s->loaded = UINT32_MAX;
	/* Extent k's record must be reachable through extents 0..k-1. */
	for (s->n_usable = 0; s->n_usable < s->n_extents; s->n_usable++) {
		struct ntfsi_attr a;
		int err = extent_attr(s, s->n_usable, &a);
		if (err)
			return err;
		/* Each extent adds up to a record: cap the sum. */
		if (a.mapping_len > NTFS_MAX_MFT_MAPPING - used)
			return NTFS_ERR_LIMIT;
		if (a.mapping_len > s->mp_cap - used) {
			uint32_t cap = s->mp_cap ? s->mp_cap : a.mapping_len;
			uint8_t *mp;
			while (cap - used < a.mapping_len)
				cap *= 2;
			if (cap > NTFS_MAX_MFT_MAPPING)
				cap = NTFS_MAX_MFT_MAPPING;
			mp = ntfsi_alloc(s->vol, cap);
			if (mp == NULL)
				return NTFS_ERR_NOMEM;
			ntfsi_copy(mp, s->mp, used);
			ntfsi_free(s->vol, s->mp, s->mp_cap);
			s->mp = mp;
			s->mp_cap = cap;
			/* The cursor pointed into the old pool. */
			s->loaded = UINT32_MAX;
		}
		ntfsi_copy(s->mp + used, a.mapping, a.mapping_len);
		s->extents[s->n_usable].mp_off = used;
		s->extents[s->n_usable].mp_len = a.mapping_len;
		used += a.mapping_len;
	}
	return NTFS_OK;
}

int ntfs_stream_map(ntfs_stream *s, uint64_t vcn, struct ntfs_run *run)
{
	uint32_t lo = 0, hi, k;
	int err;

	if (s->resident || s->n_usable == 0)
		return 0;
	if (s->last.length != 0 && vcn >= s->last.vcn && vcn - s->last.vcn < s->last.length) {
		ntfsi_copy(run, &s->last, sizeof *run);
		return 1;
	}
	/* The last extent starting at or before vcn. */
	hi = s->n_usable;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->extents[mid].lowest_vcn <= vcn)
			lo = mid;
		else
			hi = mid;
	}
	k = lo;
	if (k != s->loaded || vcn < s->cur.vcn) {
		if (s->preloaded || k == s->loaded) {
			extent_cursor(s, k);
		} else {
			err = load_extent(s, k);
			if (err)
				return err;
		}
	}
	for (;;) {
		err = ntfsi_runlist_next(&s->cur, run);
		if (err <= 0) {
			s->loaded = UINT32_MAX;
			return err;
		}
		if (vcn < run->vcn + run->length) {
			ntfsi_copy(&s->last, run, sizeof *run);
			return 1;
		}
	}
}

int ntfs_stream_read(ntfs_stream *s, uint64_t offset, void *buf, size_t len, size_t *nread)
{
	const uint8_t cshift = s->vol->boot.cluster_shift;
	uint8_t *out = buf;
	uint64_t done = 0;

	*nread = 0;
	/* A resident value is never compressed, even when the attribute says so
	 * (small files in compressed directories). */
	if (s->elsewhere || (s->flags & NTFS_ATTR_FLAG_ENCRYPTED) ||
	    (!s->resident && (s->flags & NTFS_ATTR_FLAG_COMPRESSION_MASK)))
		return NTFS_ERR_UNSUPPORTED;
	if (offset >= s->size)
		return NTFS_OK;
	len = (size_t)ntfsi_min64(len, s->size - offset);
	if (s->resident) {
		ntfsi_copy(out, s->value + offset, len);
		*nread = len;
		return NTFS_OK;
	}
	while (done < len) {
		uint64_t pos = offset + done, n, run_end;
		struct ntfs_run run;
		int err;

		if (pos >= s->init_size) {
			/* Past the initialized size the value reads as zeros. */
			ntfsi_zero(out + done, (size_t)(len - done));
			break;
		}
		err = ntfs_stream_map(s, pos >> cshift, &run);
		if (err < 0)
			return err;
		if (err == 0)
			return NTFS_ERR_CORRUPT_RUNLIST;
		run_end = (run.vcn + run.length) << cshift;
		n = ntfsi_min64(ntfsi_min64(len - done, run_end - pos), s->init_size - pos);
		if (run.lcn == NTFS_LCN_HOLE) {
			ntfsi_zero(out + done, (size_t)n);
		} else {
			err = ntfsi_dev_read(s->vol,
			                     (run.lcn << cshift) + (pos - (run.vcn << cshift)),
			                     out + done, (size_t)n);
			if (err)
				return err;
		}
		done += n;
	}
	*nread = len;
	return NTFS_OK;
}
