/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hardening tests for security descriptors, on ntfs-secure: a file's own
 * $SECURITY_DESCRIPTOR (classes 6 and 9), the $SII index of $Secure
 * (class 17), sizes the disk gives (26) and a too-small buffer (29). One
 * row per test; see support/hardening_cases.h. The copies in $Secure:$SDS
 * (hash, mirror) are tested in test_secure.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hardening_cases.h"
#include "sdfix.h"

#define SEC "ntfs-secure"
#define PLAIN "/plain/default.txt" /* its own resident $SECURITY_DESCRIPTOR, 80 bytes */
#define LAST "/big/last.txt"       /* a 5096-byte descriptor in $Secure */

#define ld16(p) ((uint32_t)hu_ld((p), 2))
#define ld32(p) ((uint32_t)hu_ld((p), 4))

static uint8_t sd_buf[NTFS_MAX_SECURITY_SIZE];

/* The file's descriptor, into a buffer that holds any. */
static int hu_op_security(ntfs_volume *vol, const char *arg)
{
	ntfs_file *f;
	size_t len;
	int err = hu_open_spec(vol, arg, &f);

	if (err)
		return err;
	err = ntfs_file_security(f, sd_buf, sizeof sd_buf, &len);
	ntfs_file_close(f);
	return err;
}

/* Every file of records 0-300 that opens: the first error of
 * ntfs_file_security() but NOT_FOUND (no descriptor). */
static int hu_op_security_all(ntfs_volume *vol, const char *arg)
{
	(void)arg;
	for (uint64_t r = 0; r <= 300; r++) {
		ntfs_file *f;
		size_t len;
		int err;
		if (ntfs_file_open(vol, r, &f) != NTFS_OK)
			continue;
		err = ntfs_file_security(f, sd_buf, sizeof sd_buf, &len);
		ntfs_file_close(f);
		if (err && err != NTFS_ERR_NOT_FOUND)
			return err;
	}
	return NTFS_OK;
}

/* ---- 6, 9: a file's own $SECURITY_DESCRIPTOR (resident) -------------- */

/* Field P(offset, value) of the value: 32 bits at SD offsets 4-19, else 16. */
static void m_sd_field(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *v = hu_attr_value(b, hu_attr_find(b, NTFS_AT_SECURITY_DESCRIPTOR, ""));
	uint32_t off = P_OFF(p);
	(void)h;
	(void)len;
	hu_st(v + off, P_VAL(p), off >= SDF_SD_OWNER && off < SDF_SD_HEADER ? 4 : 2);
}

/* The DACL's first ACE @p bytes longer. */
static void m_sd_ace_longer(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *v = hu_attr_value(b, hu_attr_find(b, NTFS_AT_SECURITY_DESCRIPTOR, ""));
	uint8_t *ace = v + ld32(v + SDF_SD_DACL) + SDF_ACL_HEADER;
	(void)h;
	(void)len;
	hu_st(ace + SDF_ACE_SIZE, ld16(ace + SDF_ACE_SIZE) + (uint32_t)p, 2);
}

/* The value's length set to @p. */
static void m_sd_value_len(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, NTFS_AT_SECURITY_DESCRIPTOR, "");
	(void)h;
	(void)len;
	hu_st(b + a + OD_AH_VALUE_LEN, (uint32_t)p, 4);
}

/* ---- 17, 26: $Secure:$SII entries -------------------------------------- */

/* In every entry of $SII's INDX block 0, the 16-bit data field P(field,
 * value) (OD_IE_DATA_OFF/LEN: value ADD(n) is old + n), or with field
 * 0x100 + k, 32 bits at byte k of the data. */
static void sii_block_mutate(uint8_t *b, long long p)
{
	uint8_t *node = b + OD_INDX_NODE;

	for (unsigned k = 0;; k++) {
		uint8_t *e = node + hu_ie_off(node, k);
		uint32_t f = P_OFF(p), v = P_VAL(p);
		if (ld16(e + OD_IE_FLAGS) & OD_IE_END)
			break;
		if (f >= 0x100) {
			uint8_t *d = e + ld16(e + OD_IE_DATA_OFF) + (f - 0x100);
			hu_st(d, v >= 0xFFFF0000u ? ld32(d) + (v & 0xFFFF) - 0x8000 : v, 4);
		} else {
			hu_st(e + f, v >= 0xFFFF0000u ? ld16(e + f) + (v & 0xFFFF) - 0x8000 : v, 2);
		}
	}
}

/* Steps of a $SII row: the workload passes, INDX block 0 of $SII is
 * changed in every entry, the workload gives .expect. */
static void h_sii(const struct hu_case *c)
{
	static uint8_t buf[4096];
	struct hu h;

	hu_open(&h, c->image);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	hu_loc_stream(&h, "#9", OD_AT_INDEX_ALLOCATION, "$SII", 0, 4096, &h.loc);
	hu_unmount(&h);
	hu_expect(&h, c->op, c->arg, NTFS_OK);
	hu_loc_read(&h, &h.loc, buf);
	hu_unfix(buf, sizeof buf);
	sii_block_mutate(buf, c->param);
	hu_fix(buf, sizeof buf);
	hu_loc_write(&h, &h.loc, buf);
	hu_expect(&h, c->op, c->arg, c->expect);
	hu_close(&h);
}

/* ---- 29: a buffer too small ---------------------------------------------- */

/* Every size below the descriptor's: LIMIT with the size, nothing written;
 * a loop that retries with the size it is told ends after one more call. */
static void h29_security_buffer_too_small(const struct hu_case *c)
{
	static uint8_t buf[8192];
	struct hu h;
	ntfs_file *f;
	size_t len = 0, need = 0;

	hu_open(&h, c->image);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(hu_open_spec(h.vol, c->target, &f), NTFS_OK);
	assert_int_equal(ntfs_file_security(f, NULL, 0, &need), c->expect);
	assert_int_equal(need, 5096);
	for (size_t cap = 1; cap < need; cap += 97) {
		memset(buf, 0x5A, sizeof buf);
		assert_int_equal(ntfs_file_security(f, buf, cap, &len), c->expect);
		assert_int_equal(len, need);
		for (size_t i = 0; i < sizeof buf; i++)
			if (buf[i] != 0x5A)
				fail_msg("cap %zu: byte %zu written", cap, i);
	}
	assert_int_equal(ntfs_file_security(f, buf, need, &len), NTFS_OK);
	assert_int_equal(len, need);
	ntfs_file_close(f);
	hu_unmount(&h);
	hu_close(&h);
}

static const struct hu_case cases[] = {
        /* 6. resident value bounds: inside the descriptor */
        HU_ROW(.name = "h06_security_owner_outside", .cls = 6, .image = SEC, .kind = HU_RECORD,
               .target = PLAIN, .mutate = m_sd_field, .param = P(SDF_SD_OWNER, 0xFFFF),
               .op = hu_op_security, .expect = NTFS_ERR_CORRUPT_SECURITY,
               .what = "own $SECURITY_DESCRIPTOR: owner offset 0xFFFF, past its 80 bytes"),
        HU_ROW(.name = "h06_security_dacl_outside", .cls = 6, .image = SEC, .kind = HU_RECORD,
               .target = PLAIN, .mutate = m_sd_field, .param = P(SDF_SD_DACL, 76),
               .op = hu_op_security, .expect = NTFS_ERR_CORRUPT_SECURITY,
               .what = "DACL offset 76: its 8-byte header runs past the value"),
        HU_ROW(.name = "h06_security_dacl_without_flag", .cls = 6, .image = SEC, .kind = HU_RECORD,
               .target = PLAIN, .mutate = m_sd_field, .param = P(SDF_SD_CONTROL, 0x8000),
               .op = hu_op_security, .expect = NTFS_ERR_CORRUPT_SECURITY,
               .what = "control SE_SELF_RELATIVE only: a DACL offset without SE_DACL_PRESENT"),
        HU_ROW(.name = "h06_security_not_self_relative", .cls = 6, .image = SEC, .kind = HU_RECORD,
               .target = PLAIN, .mutate = m_sd_field, .param = P(SDF_SD_CONTROL, 0x0004),
               .op = hu_op_security, .expect = NTFS_ERR_CORRUPT_SECURITY,
               .what = "control SE_DACL_PRESENT only: not self-relative (offsets mean nothing)"),
        HU_ROW(.name = "h06_security_ace_past_acl", .cls = 6, .image = SEC, .kind = HU_RECORD,
               .target = PLAIN, .mutate = m_sd_ace_longer, .param = 4, .op = hu_op_security,
               .expect = NTFS_ERR_CORRUPT_SECURITY,
               .what = "the DACL's only ACE 4 bytes longer: past its ACL"),
        HU_ROW(.name = "h06_security_ace_size_zero", .cls = 6, .image = SEC, .kind = HU_RECORD,
               .target = PLAIN, .mutate = m_sd_ace_longer, .param = -20, .op = hu_op_security,
               .expect = NTFS_ERR_CORRUPT_SECURITY,
               .what = "that ACE's size 0 (a walk that would never move)"),
        HU_ROW(.name = "h06_security_acl_count_huge", .cls = 6, .image = SEC, .kind = HU_RECORD,
               .target = PLAIN, .mutate = m_sd_field, .param = P(52 + SDF_ACL_COUNT, 0xFFFF),
               .op = hu_op_security, .expect = NTFS_ERR_CORRUPT_SECURITY,
               .what = "the DACL's ACE count 65535 (of 1): the second runs past it"),

        /* 9. minimum value sizes */
        HU_ROW(.name = "h09_security_value_under_header", .cls = 9, .image = SEC, .kind = HU_RECORD,
               .target = PLAIN, .mutate = m_sd_value_len, .param = 16, .op = hu_op_security,
               .expect = NTFS_ERR_CORRUPT_SECURITY,
               .what = "own $SECURITY_DESCRIPTOR value 16 bytes, under the 20-byte header"),
        HU_ROW(.name = "h09_security_value_empty", .cls = 9, .image = SEC, .kind = HU_RECORD,
               .target = PLAIN, .mutate = m_sd_value_len, .param = 0, .op = hu_op_security,
               .expect = NTFS_ERR_CORRUPT_SECURITY, .what = "own $SECURITY_DESCRIPTOR value empty"),

        /* 17. index entries: $Secure:$SII */
        HU_ROW(.name = "h17_sii_data_short", .cls = 17, .run = h_sii, .image = SEC, .target = "#9",
               .param = P(OD_IE_DATA_LEN, 16), .op = hu_op_security_all,
               .expect = NTFS_ERR_CORRUPT_SECURITY,
               .what = "$SII INDX block 0, every entry: data length 16, under the 20 of an "
                       "$SDS header"),
        HU_ROW(.name = "h17_sii_data_past_entry", .cls = 17, .run = h_sii, .image = SEC,
               .target = "#9", .param = P(OD_IE_DATA_OFF, ADD(8)), .op = hu_op_security_all,
               .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "$SII INDX block 0, every entry: data offset + 8, its data past the "
                       "entry"),
        HU_ROW(.name = "h17_sii_data_other_id", .cls = 17, .run = h_sii, .image = SEC,
               .target = "#9", .param = P(0x100 + SDF_SE_ID, ADD(1)), .op = hu_op_security_all,
               .expect = NTFS_ERR_CORRUPT_SECURITY,
               .what = "$SII INDX block 0, every entry: the id in its data + 1, not its key's"),
        HU_ROW(.name = "h17_sii_offset_past_sds", .cls = 17, .run = h_sii, .image = SEC,
               .target = "#9", .param = P(0x100 + SDF_SE_OFFSET + 4, 1), .op = hu_op_security_all,
               .expect = NTFS_ERR_CORRUPT_SECURITY,
               .what = "$SII INDX block 0, every entry: $SDS offset + 4 GiB, past $SDS"),

        /* 26. allocations sized by the disk */
        HU_ROW(.name = "h26_sii_length_huge", .cls = 26, .run = h_sii, .image = SEC, .target = "#9",
               .param = P(0x100 + SDF_SE_LENGTH, 0x7FFFFFF0), .op = hu_op_security_all,
               .expect = NTFS_ERR_LIMIT,
               .what = "$SII INDX block 0, every entry: descriptor length 0x7FFFFFF0 (over "
                       "`NTFS_MAX_SECURITY_SIZE`: refused, nothing allocated)"),
        HU_ROW(.name = "h26_security_attribute_4gib", .cls = 26, .image = SEC, .kind = HU_RECORD,
               .target = "/", .mutate = m_sizes, .param = P(NTFS_AT_SECURITY_DESCRIPTOR, 32),
               .op = hu_op_security, .expect = NTFS_ERR_LIMIT,
               .what = "the root's non-resident $SECURITY_DESCRIPTOR: sizes 4 GiB"),

        /* 29. too-small buffers */
        HU_ROW(.name = "h29_security_buffer_too_small", .cls = 29,
               .run = h29_security_buffer_too_small, .image = SEC, .target = LAST,
               .expect = NTFS_ERR_LIMIT,
               .what = "nothing: a 5096-byte descriptor into buffers of 0 to 5095 bytes: "
                       "`LIMIT` and its size each time, nothing written; then it fits"),
};

int main(void)
{
	return hu_main("hardening_secure", cases, sizeof cases / sizeof cases[0]);
}
