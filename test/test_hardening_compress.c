/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hardening tests, classes 24-25 of docs HARDENING.md: LZNT1 units and
 * chunks, WOF chunk tables and chunks (XPRESS Huffman, LZX), and the WOF
 * reparse point. One row per test; see support/hardening_cases.h. The
 * decoders' own hostile inputs (each Huffman and LZ77 case) are tables in
 * test_xpress.c, test_lzx.c and test_lznt1.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hardening_cases.h"

#define ld16(p) ((uint32_t)hu_ld((p), 2))
#define ld32(p) ((uint32_t)hu_ld((p), 4))

/* Files of ntfs-special: XPRESS4K (25 chunks), XPRESS16K and LZX (10). */
#define XP4K "/wof/xpress4k-exe.bin"
#define XP16K "/wof/xpress16k-exe.bin"
#define LZXF "/wof/lzx-exe.bin"

/* ---- 24. LZNT1 ------------------------------------------------------------------- */

/*
 * The first chunk of /compressed/text.txt (a compressed unit: its header at
 * byte 0, then a flag byte): @p says how to break it.
 *   1  its size runs past the unit's allocated clusters
 *   2  its first token is a copy, before any byte is out
 *   3  a copy longer than the 4 KiB chunk: 'A', then a copy of 4098 bytes
 *   4  a header signature other than 3
 *   5  a stored chunk of 256 bytes (stored chunks hold 4096)
 */
static void m_lznt1(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t hdr = ld16(b);
	(void)h;
	assert_true(len >= 8 && (hdr & 0xF000u) == 0xB000u); /* compressed, signature 3 */
	switch (p) {
	case 1:
		hu_st(b, hdr | 0x0FFFu, 2);
		break;
	case 2:
		b[2] |= 1;
		break;
	case 3:
		hu_st(b, 0xB000u | (5 - 1), 2); /* body: 5 bytes */
		b[2] = 0x02;                    /* a literal, then a copy */
		b[3] = 'A';
		hu_st(b + 4, 0x0FFF, 2); /* displacement 1, length 4095 + 3 */
		hu_st(b + 6, 0, 2);      /* end of the unit's chunks */
		break;
	case 4:
		hu_st(b, (hdr & ~0x7000u) | 0x1000u, 2);
		break;
	default:
		hu_st(b, 0x3000u | (256 - 1), 2);
		break;
	}
}

/* A compressed attribute on a volume of 64 KiB clusters: LZNT1 cannot have
 * those, so the read is refused, never decoded as if it could. */
static void m_compress_64k(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, OD_AT_DATA, "");
	(void)h;
	(void)len;
	(void)p;
	assert_int_equal(b[a + OD_AH_NONRESIDENT], 1);
	hu_st(b + a + OD_AH_FLAGS, ld16(b + a + OD_AH_FLAGS) | OD_AH_FLAG_COMPRESSED, 2);
	b[a + OD_AH_CU] = 4;
}

/* Stream "gamma": the compressed flag on a non-resident stream. */
static void m_set_compressed(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, OD_AT_DATA, "gamma");
	(void)h;
	(void)len;
	(void)p;
	assert_int_equal(b[a + OD_AH_NONRESIDENT], 1);
	hu_st(b + a + OD_AH_FLAGS, ld16(b + a + OD_AH_FLAGS) | OD_AH_FLAG_COMPRESSED, 2);
}

static void h25_compressed_stream_read_unsupported(const struct hu_case *c)
{
	struct hu h;

	hu_case_prepare(c, &h);
	hu_expect(&h, c->op, c->arg, c->expect);
	hu_expect(&h, c->op, MULTI ":beta", NTFS_OK);
	hu_close(&h);
}

/*
 * WOF (Windows Overlay Filter) compression: the file carries a reparse
 * point with tag IO_REPARSE_TAG_WOF, provider FILE (2), and its unnamed
 * $DATA is only a placeholder; the data lives compressed (XPRESS/LZX) in
 * the "WofCompressedData" stream. Reading the unnamed stream must not hand
 * back the placeholder as the file's content. The resident stream "note"
 * becomes such a $REPARSE_POINT.
 */
static void m_wof_reparse(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t wof[24] = {0};
	uint32_t a = hu_attr_find(b, OD_AT_DATA, "note");
	uint8_t *si;
	(void)h;
	(void)len;
	hu_st(wof, OD_RP_TAG_WOF, 4);
	hu_st(wof + 4, 16, 2);           /* reparse data length */
	hu_st(wof + 8, 1, 4);            /* WOF_EXTERNAL_INFO: version 1 */
	hu_st(wof + 12, (uint32_t)p, 4); /* provider */
	hu_st(wof + 16, 1, 4);           /* FILE_PROVIDER_EXTERNAL_INFO_V1: version 1 */
	hu_st(wof + 20, 0, 4);           /* algorithm XPRESS4K */
	assert_true(ld32(b + a + OD_AH_LENGTH) - ld16(b + a + OD_AH_VALUE_OFF) >= sizeof wof);
	hu_st(b + a + OD_AH_TYPE, OD_AT_REPARSE_POINT, 4);
	b[a + OD_AH_NAME_LEN] = 0;
	hu_st(b + a + OD_AH_VALUE_LEN, sizeof wof, 4);
	memcpy(hu_attr_value(b, a), wof, sizeof wof);
	si = hu_attr_value(b, hu_attr_find(b, OD_AT_STANDARD_INFORMATION, ""));
	hu_st(si + OD_SI_FILE_ATTRS, ld32(si + OD_SI_FILE_ATTRS) | OD_FILE_ATTR_REPARSE_POINT, 4);
}

/*
 * The first 512 bytes of a WofCompressedData stream: the chunk table (one
 * 4-byte end offset per chunk but the last, relative to the table's end),
 * then chunk 0. @p says how to break it:
 *   1  chunk 0 ends where it starts: an empty chunk
 *   2  chunk 1 ends before chunk 0 does: the table goes backwards
 *   3  chunk 2 ends past the stream
 *   4  chunk 0 stored in 4097 bytes: longer than the 4 KiB it decodes to
 *   5  XPRESS: chunk 0's 512 code lengths all 1: an over-subscribed code
 *   6  XPRESS: all 0: no code at all
 *   7  XPRESS: one symbol of length 1: an incomplete code
 *   8  LZX: block type 0 in chunk 0's first bits (types are 1 to 3)
 */
static void m_wof(struct hu *h, uint8_t *b, size_t len, long long p)
{
	const uint32_t table = (uint32_t)P_VAL(p) * 4; /* bytes before chunk 0 */
	uint8_t *chunk = b + table;
	(void)h;
	assert_true(len >= table + 256);
	switch (P_OFF(p)) {
	case 1:
		hu_st(b, 0, 4);
		break;
	case 2:
		hu_st(b + 4, ld32(b) - 1, 4);
		break;
	case 3:
		hu_st(b + 8, 0xFFFFFFF0u, 4);
		break;
	case 4:
		hu_st(b, 4097, 4);
		break;
	case 5:
		memset(chunk, 0x11, 256);
		break;
	case 6:
		memset(chunk, 0, 256);
		break;
	case 7:
		memset(chunk, 0, 256);
		chunk[0] = 0x01;
		break;
	default:
		hu_st(chunk, ld16(chunk) & 0x1FFFu, 2);
		break;
	}
}

/* A field of the unnamed $REPARSE_POINT value, P(offset, 32-bit value). */
static void m_reparse(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *v = hu_attr_value(b, hu_attr_find(b, OD_AT_REPARSE_POINT, ""));
	(void)h;
	(void)len;
	hu_st(v + P_OFF(p), P_VAL(p), 4);
}

/* Stream WofCompressedData: the compressed flag. */
static void m_wof_data_compressed(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, OD_AT_DATA, "WofCompressedData");
	(void)h;
	(void)len;
	(void)p;
	hu_st(b + a + OD_AH_FLAGS, ld16(b + a + OD_AH_FLAGS) | OD_AH_FLAG_COMPRESSED, 2);
}

static const struct hu_case cases[] = {
        /* 24. LZNT1 */
        HU_ROW(.name = "h24_lznt1_compression_unit_not_4", .cls = 24, .image = C512,
               .kind = HU_RECORD, .target = "/compressed/text.txt", .mutate = m_nr_field,
               .param = P(NR(OD_AH_CU, 1), 5), .op = hu_op_read, .expect = NTFS_ERR_UNSUPPORTED,
               .what = "compression unit 5: a read is refused, not decoded"),
        HU_ROW(.name = "h24_lznt1_cluster_over_4k", .cls = 24, .image = C64K, .kind = HU_RECORD,
               .target = R100K, .mutate = m_compress_64k, .op = hu_op_read,
               .expect = NTFS_ERR_UNSUPPORTED,
               .what = "compressed flag and unit 4 on a file of 64 KiB clusters"),
        HU_ROW(.name = "h24_lznt1_chunk_past_unit", .cls = 24, .image = C512, .kind = HU_DATA,
               .target = "/compressed/text.txt", .mutate = m_lznt1, .param = 1, .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "first chunk's size 4096: past the unit's allocated clusters"),
        HU_ROW(.name = "h24_lznt1_backreference_before_start", .cls = 24, .image = C512,
               .kind = HU_DATA, .target = "/compressed/text.txt", .mutate = m_lznt1, .param = 2,
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "first token a copy, with nothing out yet"),
        HU_ROW(.name = "h24_lznt1_output_overrun", .cls = 24, .image = C512, .kind = HU_DATA,
               .target = "/compressed/text.txt", .mutate = m_lznt1, .param = 3, .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "a literal, then a copy of 4098 bytes: more than the 4 KiB chunk"),
        HU_ROW(.name = "h24_lznt1_bad_signature", .cls = 24, .image = C512, .kind = HU_DATA,
               .target = "/compressed/text.txt", .mutate = m_lznt1, .param = 4, .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "chunk header signature 1 instead of 3"),
        HU_ROW(.name = "h24_lznt1_stored_chunk_short", .cls = 24, .image = C512, .kind = HU_DATA,
               .target = "/compressed/text.txt", .mutate = m_lznt1, .param = 5, .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "a stored (uncompressed) chunk of 256 bytes"),

        HU_ROW(.name = "h24_lznt1_runs_end_inside_value", .cls = 24, .image = C512,
               .kind = HU_RECORD, .target = "/compressed/text.txt", .mutate = m_sizes,
               .param = P(OD_AT_DATA, 20), .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_RUNLIST,
               .what = "sizes 1 MiB: units past the runs have no clusters at all, not even "
                       "sparse ones (read as zeros before)"),
        HU_ROW(.name = "h24_compressed_bitmap", .cls = 24, .image = C512, .kind = HU_RECORD,
               .target = "#6", .mutate = m_nr_field, .param = P(NR(OD_AH_FLAGS, 2), 1),
               .op = hu_op_free, .expect = NTFS_ERR_CORRUPT_MFT,
               .what = "`$Bitmap` flagged compressed: its holes would not be zeros"),
        HU_ROW(.name = "h24_compressed_mft", .cls = 24, .image = C512, .kind = HU_RECORD,
               .target = "#0", .mutate = m_nr_field, .param = P(NR(OD_AH_FLAGS, 2), 1),
               .op = hu_op_mount, .expect = NTFS_ERR_CORRUPT_MFT,
               .what = "`$MFT`'s `$DATA` flagged compressed: records are read as stored"),

        /* 25. compressed streams and WOF */
        HU_ROW(.name = "h25_compressed_stream_read_unsupported", .cls = 25,
               .run = h25_compressed_stream_read_unsupported, .image = C512, .kind = HU_RECORD,
               .target = MULTI, .mutate = m_set_compressed, .op = hu_op_read, .arg = MULTI ":gamma",
               .expect = NTFS_ERR_UNSUPPORTED,
               .what = "compressed flag on the non-resident stream `gamma` (`beta` still reads "
                       "`OK`)"),
        HU_ROW(.name = "h25_wof_without_compressed_data", .cls = 25, .image = C512,
               .kind = HU_RECORD, .target = NOTE, .mutate = m_wof_reparse, .param = 2,
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "stream \"note\" turned into a `$REPARSE_POINT` with tag WOF (0x80000017, "
                       "FILE provider, XPRESS4K) but no `WofCompressedData`: the unnamed "
                       "stream is a placeholder and the data is missing"),
        HU_ROW(.name = "h25_wof_wim_provider_unsupported", .cls = 25, .image = C512,
               .kind = HU_RECORD, .target = NOTE, .mutate = m_wof_reparse, .param = 1,
               .op = hu_op_read, .expect = NTFS_ERR_UNSUPPORTED,
               .what = "the same with provider 1: the data is in a WIM file elsewhere"),

        HU_ROW(.name = "h25_wof_empty_chunk", .cls = 25, .image = SPECIAL, .kind = HU_WOF,
               .target = XP4K, .mutate = m_wof, .param = P(1, 24), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "chunk table entry 0 = 0: chunk 0 is empty"),
        HU_ROW(.name = "h25_wof_table_backwards", .cls = 25, .image = SPECIAL, .kind = HU_WOF,
               .target = XP4K, .mutate = m_wof, .param = P(2, 24), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "chunk 1 ends 1 byte before chunk 0 does"),
        HU_ROW(.name = "h25_wof_table_past_stream", .cls = 25, .image = SPECIAL, .kind = HU_WOF,
               .target = XP4K, .mutate = m_wof, .param = P(3, 24), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "chunk 2 ends at 0xFFFFFFF0, past the stream"),
        HU_ROW(.name = "h25_wof_chunk_stored_longer", .cls = 25, .image = SPECIAL, .kind = HU_WOF,
               .target = XP4K, .mutate = m_wof, .param = P(4, 24), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "chunk 0 stored in 4097 bytes, more than the 4096 it decodes to"),
        HU_ROW(.name = "h25_xpress_code_over_subscribed", .cls = 25, .image = SPECIAL,
               .kind = HU_WOF, .target = XP4K, .mutate = m_wof, .param = P(5, 24), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "XPRESS4K chunk 0: all 512 code lengths 1"),
        HU_ROW(.name = "h25_xpress_code_empty", .cls = 25, .image = SPECIAL, .kind = HU_WOF,
               .target = XP4K, .mutate = m_wof, .param = P(6, 24), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "XPRESS4K chunk 0: all code lengths 0"),
        HU_ROW(.name = "h25_xpress_code_incomplete", .cls = 25, .image = SPECIAL, .kind = HU_WOF,
               .target = XP4K, .mutate = m_wof, .param = P(7, 24), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "XPRESS4K chunk 0: one symbol of length 1, the rest 0"),
        HU_ROW(.name = "h25_xpress16k_code_over_subscribed", .cls = 25, .image = SPECIAL,
               .kind = HU_WOF, .target = XP16K, .mutate = m_wof, .param = P(5, 9), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_COMPRESSED,
               .what = "XPRESS16K chunk 0: all 512 code lengths 1"),
        HU_ROW(.name = "h25_lzx_bad_block_type", .cls = 25, .image = SPECIAL, .kind = HU_WOF,
               .target = LZXF, .mutate = m_wof, .param = P(8, 9), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_COMPRESSED, .what = "LZX chunk 0: block type 0"),
        HU_ROW(.name = "h25_wof_unknown_algorithm", .cls = 25, .image = SPECIAL, .kind = HU_RECORD,
               .target = XP4K, .mutate = m_reparse, .param = P(20, 7), .op = hu_op_read,
               .expect = NTFS_ERR_UNSUPPORTED,
               .what = "reparse point: algorithm 7 (refused, with a reason)"),
        HU_ROW(.name = "h25_wof_version_unknown", .cls = 25, .image = SPECIAL, .kind = HU_RECORD,
               .target = XP4K, .mutate = m_reparse, .param = P(8, 2), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_REPARSE, .what = "reparse point: WOF version 2"),
        HU_ROW(.name = "h25_wof_data_itself_compressed", .cls = 25, .image = SPECIAL,
               .kind = HU_RECORD, .target = XP4K, .mutate = m_wof_data_compressed, .op = hu_op_read,
               .expect = NTFS_ERR_UNSUPPORTED,
               .what = "compressed flag on `WofCompressedData`: refused, not read raw"),
};

int main(void)
{
	return hu_main("hardening_compress", cases, sizeof cases / sizeof cases[0]);
}
