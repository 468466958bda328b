/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attribute headers inside an MFT record: validation and iteration.
 */
#include "attr.h"

#include "record.h"

#define AH_TYPE 0
#define AH_LENGTH 4
#define AH_NONRESIDENT 8
#define AH_NAME_LEN 9
#define AH_NAME_OFF 10
#define AH_FLAGS 12
#define AH_ID 14
#define AH_RES_VALUE_LEN 16
#define AH_RES_VALUE_OFF 20
#define AH_RES_SIZE 24
#define AH_NR_LOWEST_VCN 16
#define AH_NR_HIGHEST_VCN 24
#define AH_NR_MP_OFF 32
#define AH_NR_CU 34
#define AH_NR_ALLOC 40
#define AH_NR_DATA 48
#define AH_NR_INIT 56
#define AH_NR_SIZE 64

int ntfsi_attr_parse(const uint8_t *rec, uint32_t used, uint32_t off, struct ntfsi_attr *a)
{
	const uint8_t *h = rec + off;
	uint32_t len, name_off;

	if (!ntfsi_range_ok(used, off, 16))
		return NTFS_ERR_CORRUPT_ATTR;
	a->type = ntfsi_le32(h + AH_TYPE);
	len = ntfsi_le32(h + AH_LENGTH);
	if (len < 16 || (len & 7) != 0 || !ntfsi_range_ok(used, off, len))
		return NTFS_ERR_CORRUPT_ATTR;
	a->length = len;
	a->flags = ntfsi_le16(h + AH_FLAGS);
	a->id = ntfsi_le16(h + AH_ID);
	a->name_len = h[AH_NAME_LEN];
	name_off = ntfsi_le16(h + AH_NAME_OFF);
	if (a->name_len != 0) {
		uint32_t i;
		if (!ntfsi_range_ok(len, name_off, 2u * a->name_len))
			return NTFS_ERR_CORRUPT_ATTR;
		a->name = h + name_off;
		for (i = 0; i < a->name_len; i++)
			if (ntfsi_le16(a->name + 2 * i) == 0)
				return NTFS_ERR_CORRUPT_ATTR;
	} else {
		a->name = h;
	}
	if (h[AH_NONRESIDENT] > 1)
		return NTFS_ERR_CORRUPT_ATTR;
	a->resident = h[AH_NONRESIDENT] == 0;
	if (a->resident) {
		uint32_t voff;
		if (len < AH_RES_SIZE || (a->name_len != 0 && name_off < AH_RES_SIZE))
			return NTFS_ERR_CORRUPT_ATTR;
		a->value_len = ntfsi_le32(h + AH_RES_VALUE_LEN);
		voff = ntfsi_le16(h + AH_RES_VALUE_OFF);
		/* The value follows the header. */
		if (voff < AH_RES_SIZE || !ntfsi_range_ok(len, voff, a->value_len))
			return NTFS_ERR_CORRUPT_ATTR;
		a->value = h + voff;
		a->lowest_vcn = a->highest_vcn = 0;
		a->alloc_size = a->data_size = a->init_size = a->value_len;
		a->compression_unit = 0;
		a->mapping = NULL;
		a->mapping_len = 0;
		return NTFS_OK;
	}
	{
		uint32_t mp_off;
		if (len < AH_NR_SIZE || (a->name_len != 0 && name_off < AH_NR_SIZE))
			return NTFS_ERR_CORRUPT_ATTR;
		a->lowest_vcn = ntfsi_le64(h + AH_NR_LOWEST_VCN);
		a->highest_vcn = ntfsi_le64(h + AH_NR_HIGHEST_VCN);
		mp_off = ntfsi_le16(h + AH_NR_MP_OFF);
		a->compression_unit = h[AH_NR_CU];
		a->alloc_size = ntfsi_le64(h + AH_NR_ALLOC);
		a->data_size = ntfsi_le64(h + AH_NR_DATA);
		a->init_size = ntfsi_le64(h + AH_NR_INIT);
		if (mp_off < AH_NR_SIZE || mp_off >= len)
			return NTFS_ERR_CORRUPT_ATTR;
		/* An empty attribute has highest VCN -1 (0 - 1). */
		if (a->highest_vcn != UINT64_MAX && a->lowest_vcn > a->highest_vcn)
			return NTFS_ERR_CORRUPT_ATTR;
		if (a->highest_vcn == UINT64_MAX && a->lowest_vcn != 0)
			return NTFS_ERR_CORRUPT_ATTR;
		/* Sizes are only meaningful in the first extent. */
		if (a->lowest_vcn == 0 &&
		    (a->init_size > a->data_size || a->data_size > a->alloc_size))
			return NTFS_ERR_CORRUPT_ATTR;
		/* Windows gives sparse attributes a compression unit too. */
		if (a->compression_unit != 0 &&
		    !(a->flags & (NTFS_ATTR_FLAG_COMPRESSION_MASK | NTFS_ATTR_FLAG_SPARSE)))
			return NTFS_ERR_CORRUPT_ATTR;
		a->mapping = h + mp_off;
		a->mapping_len = len - mp_off;
		a->value = NULL;
		a->value_len = 0;
	}
	return NTFS_OK;
}

int ntfsi_attr_next(const uint8_t *rec, uint32_t *off, struct ntfsi_attr *attr)
{
	struct ntfsi_record r;
	int err;

	/* used <= record size was checked by ntfsi_record_check(). */
	ntfsi_record_view(rec, &r);
	if (*off == 0)
		*off = r.first_attr;
	/* A record must end with the 0xFFFFFFFF marker inside bytes in use. */
	if (!ntfsi_range_ok(r.used, *off, 4))
		return NTFS_ERR_CORRUPT_ATTR;
	if (ntfsi_le32(rec + *off) == NTFSI_ATTR_END)
		return 0;
	err = ntfsi_attr_parse(rec, r.used, *off, attr);
	if (err)
		return err;
	*off += attr->length; /* length >= 16: progress is guaranteed */
	return 1;
}
