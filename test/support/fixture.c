/* SPDX-License-Identifier: BSD-2-Clause */
/* Byte-array fixtures for the core unit tests (see fixture.h). */
#include "fixture.h"

#include <ntfs/ntfs.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fx_st16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void fx_st32(uint8_t *p, uint32_t v)
{
	fx_st16(p, (uint16_t)v);
	fx_st16(p + 2, (uint16_t)(v >> 16));
}

void fx_st64(uint8_t *p, uint64_t v)
{
	fx_st32(p, (uint32_t)v);
	fx_st32(p + 4, (uint32_t)(v >> 32));
}

uint16_t fx_ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t fx_ld32(const uint8_t *p)
{
	return fx_ld16(p) | (uint32_t)fx_ld16(p + 2) << 16;
}

uint64_t fx_ld64(const uint8_t *p)
{
	return fx_ld32(p) | (uint64_t)fx_ld32(p + 4) << 32;
}

void fx_boot(uint8_t bs[512])
{
	memset(bs, 0, 512);
	bs[0] = 0xEB;
	bs[1] = 0x52;
	bs[2] = 0x90;
	memcpy(bs + OD_BS_OEM, "NTFS    ", 8);
	fx_st16(bs + OD_BS_BPS, 512);
	bs[OD_BS_SPC] = 8;
	bs[21] = 0xF8; /* media descriptor */
	fx_st64(bs + OD_BS_TOTAL, FX_BOOT_TOTAL_SECTORS);
	fx_st64(bs + OD_BS_MFT, FX_BOOT_MFT_LCN);
	fx_st64(bs + OD_BS_MFTMIRR, FX_BOOT_MFTMIRR_LCN);
	bs[OD_BS_CPR] = 0xF6; /* 2^10 bytes */
	bs[OD_BS_CPI] = 1;    /* one cluster */
	fx_st64(bs + OD_BS_SERIAL, FX_BOOT_SERIAL);
	bs[OD_BS_SIG] = 0x55;
	bs[OD_BS_SIG + 1] = 0xAA;
}

uint32_t fx_rec_first_attr(size_t size)
{
	uint32_t usa_end = FX_REC_USA_OFF + 2u * (uint32_t)(size / 512 + 1);
	return (usa_end + 7u) & ~7u;
}

void fx_record(uint8_t *rec, size_t size)
{
	uint32_t first = fx_rec_first_attr(size), i;

	memset(rec, 0, size);
	memcpy(rec, "FILE", 4);
	fx_st16(rec + 4, FX_REC_USA_OFF);
	fx_st16(rec + 6, (uint16_t)(size / 512 + 1));
	fx_st64(rec + 8, 0x1234);           /* $LogFile sequence number */
	fx_st16(rec + 16, FX_REC_SEQ);      /* sequence number */
	fx_st16(rec + 18, 1);               /* hard links */
	fx_st16(rec + 20, (uint16_t)first); /* first attribute */
	fx_st16(rec + 22, 0x0001);          /* in use */
	fx_st32(rec + 24, first + 8);       /* bytes in use */
	fx_st32(rec + 28, (uint32_t)size);  /* bytes allocated */
	fx_st16(rec + 40, 0);               /* next attribute id */
	fx_st32(rec + 44, 42);              /* this record's number */
	fx_st16(rec + FX_REC_USA_OFF, FX_REC_USN);
	/* Recognisable bytes where the fixups go, so restoring them shows. */
	for (i = 1; i <= size / 512; i++) {
		rec[i * 512 - 2] = (uint8_t)(0xA0 + i);
		rec[i * 512 - 1] = (uint8_t)(0xB0 + i);
	}
	fx_st32(rec + first, 0xFFFFFFFFu);
}

void fx_record_set(uint8_t *rec, uint16_t seq, uint16_t flags, uint64_t base_ref)
{
	fx_st16(rec + OD_REC_SEQUENCE, seq);
	fx_st16(rec + OD_REC_FLAGS, flags);
	fx_st64(rec + OD_REC_BASE_REF, base_ref);
}

/* Reserve @len bytes for a new attribute at the end marker; returns its
 * offset and moves the end marker after it, or 0 if it does not fit. */
static uint32_t reserve(uint8_t *rec, uint32_t len, uint16_t *id)
{
	uint32_t used = fx_ld32(rec + 24), off = used - 8, size = fx_ld32(rec + 28);

	if (len > size || off + len + 8 > size)
		return 0;

	memset(rec + off, 0, len + 8);
	fx_st32(rec + off + len, 0xFFFFFFFFu);
	fx_st32(rec + 24, used + len);
	*id = fx_ld16(rec + 40);
	fx_st16(rec + 40, (uint16_t)(*id + 1));
	return off;
}

static void put_name(uint8_t *p, const uint16_t *name, uint8_t name_len)
{
	for (uint8_t i = 0; i < name_len; i++)
		fx_st16(p + 2u * i, name[i]);
}

uint32_t fx_add_resident(uint8_t *rec, uint32_t type, const uint16_t *name, uint8_t name_len,
                         const void *value, uint32_t value_len)
{
	uint32_t voff = (24u + 2u * name_len + 7u) & ~7u;
	uint32_t len = (voff + value_len + 7u) & ~7u;
	uint16_t id;
	uint32_t off = reserve(rec, len, &id);
	uint8_t *a = rec + off;

	if (off == 0)
		return 0;
	fx_st32(a, type);
	fx_st32(a + 4, len);
	a[8] = 0;
	a[9] = name_len;
	fx_st16(a + 10, 24);
	fx_st16(a + 14, id);
	fx_st32(a + 16, value_len);
	fx_st16(a + 20, (uint16_t)voff);
	put_name(a + 24, name, name_len);
	if (value_len)
		memcpy(a + voff, value, value_len);
	return off;
}

uint32_t fx_add_nonresident(uint8_t *rec, const struct fx_nonres *nr)
{
	uint32_t hdr = (nr->flags & 0x8001u) ? 72u : 64u;
	uint32_t mpoff = (hdr + 2u * nr->name_len + 7u) & ~7u;
	uint32_t len = (mpoff + nr->mp_len + 7u) & ~7u;
	uint16_t id;
	uint32_t off = reserve(rec, len, &id);
	uint8_t *a = rec + off;

	if (off == 0)
		return 0;
	fx_st32(a, nr->type);
	fx_st32(a + 4, len);
	a[8] = 1;
	a[9] = nr->name_len;
	fx_st16(a + 10, (uint16_t)hdr);
	fx_st16(a + 12, nr->flags);
	fx_st16(a + 14, id);
	fx_st64(a + 16, nr->lowest_vcn);
	fx_st64(a + 24, nr->highest_vcn);
	fx_st16(a + 32, (uint16_t)mpoff);
	a[34] = nr->compression_unit;
	fx_st64(a + 40, nr->alloc);
	fx_st64(a + 48, nr->data);
	fx_st64(a + 56, nr->init);
	if (hdr == 72)
		fx_st64(a + 64, nr->alloc);
	put_name(a + hdr, nr->name, nr->name_len);
	if (nr->mp_len)
		memcpy(a + mpoff, nr->mp, nr->mp_len);
	return off;
}

void fx_attr_set_id(uint8_t *rec, uint32_t off, uint16_t id)
{
	fx_st16(rec + off + OD_AH_ID, id);
}

void fx_protect(uint8_t *rec, size_t size)
{
	uint32_t usa = fx_ld16(rec + 4), n = fx_ld16(rec + 6), i;
	uint16_t usn = fx_ld16(rec + usa);

	for (i = 1; i < n && i * 512 <= size; i++) {
		uint8_t *tail = rec + i * 512 - 2;
		rec[usa + 2 * i] = tail[0];
		rec[usa + 2 * i + 1] = tail[1];
		fx_st16(tail, usn);
	}
}

void fx_protect_any(uint8_t *buf, size_t size)
{
	uint32_t usa = fx_ld16(buf + 4), count = (uint32_t)(size / 512 + 1);

	if ((usa & 1u) || usa < 8u || usa + 2u * count > 510u)
		usa = FX_REC_USA_OFF;
	fx_st16(buf + 4, (uint16_t)usa);
	fx_st16(buf + 6, (uint16_t)count);
	if (fx_ld16(buf + usa) == 0)
		fx_st16(buf + usa, 1);
	fx_protect(buf, size);
}

uint32_t fx_runlist_one(uint8_t *out, uint64_t lcn, uint64_t clusters)
{
	uint32_t lb = 1, ob = 0, i, o = 0;

	while (lb < 8 && (clusters >> (8 * lb)) != 0)
		lb++;
	if (lcn != NTFS_LCN_HOLE) {
		/* Signed: one more byte when the top bit would read as a sign. */
		ob = 1;
		while (ob < 8 && (lcn >> (8 * ob - 1)) != 0)
			ob++;
	}
	out[o++] = (uint8_t)(lb | ob << 4);
	for (i = 0; i < lb; i++)
		out[o++] = (uint8_t)(clusters >> (8 * i));
	for (i = 0; i < ob; i++)
		out[o++] = (uint8_t)(lcn >> (8 * i));
	out[o++] = 0;
	return o;
}

size_t fx_load_record_file(const char *name, uint8_t **buf)
{
	const char *dir = getenv("NTFS_SHARED_IMAGES_DIR");
	char path[4096];
	FILE *f;
	long n;

	*buf = NULL;
	if (dir == NULL || *dir == '\0')
		dir = NTFS_SHARED_IMAGES_DIR;
	snprintf(path, sizeof path, "%s/records/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return 0;
	}
	*buf = malloc((size_t)n);
	if (*buf == NULL || fread(*buf, 1, (size_t)n, f) != (size_t)n) {
		free(*buf);
		*buf = NULL;
		n = 0;
	}
	fclose(f);
	return (size_t)n;
}
