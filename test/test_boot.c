/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot sector parsing (boot.c): the BPB fields as the NTFS format defines
 * them, one mangled field per test, and real Windows boot sectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "core.h"
#include "ondisk.h"

static int parse(const uint8_t *bs, struct ntfsi_boot *b)
{
	memset(b, 0xCC, sizeof *b);
	return ntfsi_boot_parse(bs, 512, b);
}

static void valid_fixture(void **state)
{
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	fx_boot(bs);
	assert_int_equal(parse(bs, &b), NTFS_OK);
	assert_int_equal(b.sector_size, 512);
	assert_int_equal(b.cluster_size, 4096);
	assert_int_equal(b.cluster_shift, 12);
	assert_int_equal(b.record_size, 1024);
	assert_int_equal(b.record_shift, 10);
	assert_int_equal(b.index_block_size, 4096);
	assert_int_equal(b.index_block_shift, 12);
	assert_true(b.total_sectors == FX_BOOT_TOTAL_SECTORS);
	assert_true(b.total_clusters == FX_BOOT_TOTAL_SECTORS / 8);
	assert_true(b.mft_lcn == FX_BOOT_MFT_LCN);
	assert_true(b.mftmirr_lcn == FX_BOOT_MFTMIRR_LCN);
	assert_true(b.serial == FX_BOOT_SERIAL);
}

static void short_buffer(void **state)
{
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	fx_boot(bs);
	assert_int_equal(ntfsi_boot_parse(bs, 511, &b), NTFS_ERR_CORRUPT_BOOT);
}

static void bad_oem(void **state)
{
	static const char *const oems[] = {"NTFS   X", "ntfs    ", "MSWIN4.1", "EXFAT   ",
	                                   "NTFS\0   "};
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	for (size_t i = 0; i < sizeof oems / sizeof oems[0]; i++) {
		fx_boot(bs);
		memcpy(bs + OD_BS_OEM, oems[i], 8);
		assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	}
}

static void bad_signature(void **state)
{
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	fx_boot(bs);
	bs[OD_BS_SIG] = 0x00;
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	fx_boot(bs);
	bs[OD_BS_SIG + 1] = 0x55;
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	fx_boot(bs);
	bs[OD_BS_SIG] = 0xAA; /* byte-swapped */
	bs[OD_BS_SIG + 1] = 0x55;
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
}

static void bytes_per_sector_invalid(void **state)
{
	static const uint16_t bad[] = {0,    1,    128,  255,  257,  384,   500,  513,
	                               1000, 3072, 4095, 4097, 8192, 32768, 65535};
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* One sector per cluster and 64 KiB records, so that only the
		 * sector size is wrong. */
		fx_boot(bs);
		fx_st16(bs + OD_BS_BPS, bad[i]);
		bs[OD_BS_SPC] = 1;
		bs[OD_BS_CPR] = 0xF0;
		bs[OD_BS_CPI] = 0xF4;
		assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	}
}

static void bytes_per_sector_valid(void **state)
{
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	/* 256..4096 with one sector per cluster and records of one cluster
	 * (so the record is never smaller than a sector). */
	for (uint32_t bps = 256; bps <= 4096; bps *= 2) {
		fx_boot(bs);
		fx_st16(bs + OD_BS_BPS, (uint16_t)bps);
		bs[OD_BS_SPC] = 1;
		bs[OD_BS_CPR] = 0xF4; /* 4096-byte records */
		bs[OD_BS_CPI] = 0xF4;
		assert_int_equal(parse(bs, &b), NTFS_OK);
		assert_int_equal(b.sector_size, bps);
		assert_int_equal(b.cluster_size, bps);
		assert_int_equal(b.record_size, 4096);
		assert_true(b.total_clusters == FX_BOOT_TOTAL_SECTORS);
	}
}

static void sectors_per_cluster_invalid(void **state)
{
	/* 0; not powers of two; 0x81 = 2^127 sectors; 0xF3 = 2^13 sectors =
	 * 4 MiB clusters with 512-byte sectors; 0xE0 = 2^32. */
	static const uint8_t bad[] = {0, 3, 5, 6, 7, 12, 0x7F, 0x81, 0xC0, 0xE0, 0xF0, 0xF3};
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fx_boot(bs);
		bs[OD_BS_SPC] = bad[i];
		bs[OD_BS_CPI] = 0xF4;
		assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	}
}

/* Every cluster size NTFS allows: 512 B .. 2 MiB, positive counts up to
 * 0x80 and negative exponents 0xF8 (2^8 sectors) .. 0xF4 (2^12). */
static void cluster_sizes_valid(void **state)
{
	static const struct {
		uint8_t spc;
		uint32_t cluster;
	} ok[] = {{1, 512},           {2, 1024},          {4, 2048},          {8, 4096},
	          {16, 8192},         {32, 16384},        {64, 32768},        {0x80, 65536},
	          {0xF8, 128u << 10}, {0xF7, 256u << 10}, {0xF6, 512u << 10}, {0xF5, 1u << 20},
	          {0xF4, 2u << 20}};
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		fx_boot(bs);
		bs[OD_BS_SPC] = ok[i].spc;
		bs[OD_BS_CPI] = 0xF4;
		fx_st64(bs + OD_BS_TOTAL, 1ull << 32);
		fx_st64(bs + OD_BS_MFT, 4);
		assert_int_equal(parse(bs, &b), NTFS_OK);
		assert_int_equal(b.cluster_size, ok[i].cluster);
		assert_int_equal(1u << b.cluster_shift, ok[i].cluster);
		assert_true(b.total_clusters == (1ull << 32) / (ok[i].cluster / 512));
		assert_int_equal(b.record_size, 1024);
		assert_int_equal(b.index_block_size, 4096);
	}
}

static void cluster_too_big(void **state)
{
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	/* 4096-byte sectors: 0xF7 = 512 sectors = 2 MiB is the largest. */
	fx_boot(bs);
	fx_st16(bs + OD_BS_BPS, 4096);
	bs[OD_BS_CPR] = 0xF4;
	bs[OD_BS_CPI] = 0xF4;
	fx_st64(bs + OD_BS_TOTAL, 1ull << 32);
	fx_st64(bs + OD_BS_MFT, 4);
	bs[OD_BS_SPC] = 0xF7;
	assert_int_equal(parse(bs, &b), NTFS_OK);
	assert_int_equal(b.cluster_size, 2u << 20);
	bs[OD_BS_SPC] = 0xF6; /* 1024 sectors = 4 MiB */
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	bs[OD_BS_SPC] = 0x80; /* 128 sectors = 512 KiB */
	assert_int_equal(parse(bs, &b), NTFS_OK);
	assert_int_equal(b.cluster_size, 512u << 10);

	/* 1024-byte sectors, 0xF4 = 4096 sectors = 4 MiB. */
	fx_boot(bs);
	fx_st16(bs + OD_BS_BPS, 1024);
	bs[OD_BS_SPC] = 0xF4;
	bs[OD_BS_CPI] = 0xF4;
	fx_st64(bs + OD_BS_TOTAL, 1ull << 32);
	fx_st64(bs + OD_BS_MFT, 4);
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
}

static void record_size_encodings(void **state)
{
	static const struct {
		uint8_t spc, cpr;
		uint32_t size;
	} ok[] = {
	        {8, 0xF6, 1024},                        /* 2^10 */
	        {8, 0xF4, 4096},                        /* 2^12 */
	        {8, 1, 4096},                           /* one 4 KiB cluster */
	        {1, 2, 1024},                           /* two 512-byte clusters */
	        {2, 1, 1024},                           /* one 1 KiB cluster */
	        {1, 8, 4096},                           /* eight 512-byte clusters */
	        {0x80, 0xF6, 1024}, {0xF4, 0xF4, 4096}, /* 2 MiB clusters, 4 KiB records */
	};
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		fx_boot(bs);
		bs[OD_BS_SPC] = ok[i].spc;
		bs[OD_BS_CPR] = ok[i].cpr;
		bs[OD_BS_CPI] = 0xF4;
		fx_st64(bs + OD_BS_TOTAL, 1ull << 32);
		fx_st64(bs + OD_BS_MFT, 4);
		assert_int_equal(parse(bs, &b), NTFS_OK);
		assert_int_equal(b.record_size, ok[i].size);
		assert_int_equal(1u << b.record_shift, ok[i].size);
	}
}

static void record_size_invalid(void **state)
{
	/* 0; 3 clusters (not a power of two); 0x40 clusters = 256 KiB; -8 = 256
	 * bytes (less than one fixup stride); -17 = 128 KiB; -32, -128. */
	static const uint8_t bad[] = {0x00, 0x03, 0x06, 0x40, 0x7F, 0xF8, 0xF9, 0xEF, 0xE0, 0x80};
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fx_boot(bs);
		bs[OD_BS_CPR] = bad[i];
		assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	}
	/* 256-byte records on 256-byte sectors: still less than one 512-byte
	 * fixup stride. */
	fx_boot(bs);
	fx_st16(bs + OD_BS_BPS, 256);
	bs[OD_BS_SPC] = 1;
	bs[OD_BS_CPI] = 0xF4;
	bs[OD_BS_CPR] = 0xF8;
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	bs[OD_BS_CPR] = 1; /* one 256-byte cluster */
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	bs[OD_BS_CPR] = 2; /* two: 512 bytes, fine */
	assert_int_equal(parse(bs, &b), NTFS_OK);
	assert_int_equal(b.record_size, 512);
}

static void index_block_size(void **state)
{
	static const uint8_t bad[] = {0x00, 0x03, 0x40, 0x7F, 0xF8, 0xEF, 0xE0, 0x80};
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fx_boot(bs);
		bs[OD_BS_CPI] = bad[i];
		assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	}
	fx_boot(bs);
	bs[OD_BS_CPI] = 0xF4;
	assert_int_equal(parse(bs, &b), NTFS_OK);
	assert_int_equal(b.index_block_size, 4096);
	bs[OD_BS_CPI] = 2; /* two 4 KiB clusters */
	assert_int_equal(parse(bs, &b), NTFS_OK);
	assert_int_equal(b.index_block_size, 8192);
	bs[OD_BS_CPI] = 0xF5; /* 2^11 */
	assert_int_equal(parse(bs, &b), NTFS_OK);
	assert_int_equal(b.index_block_size, 2048);
}

static void total_sectors(void **state)
{
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	fx_boot(bs);
	fx_st64(bs + OD_BS_TOTAL, 0);
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	/* Fewer sectors than one cluster: zero clusters. */
	fx_st64(bs + OD_BS_TOTAL, 7);
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	/* Byte size overflowing 64 bits: 2^55 sectors of 512 bytes = 2^64. */
	fx_st64(bs + OD_BS_TOTAL, 1ull << 55);
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	fx_st64(bs + OD_BS_TOTAL, UINT64_MAX);
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	/* The largest that fits: 2^55 - 1 sectors. */
	fx_st64(bs + OD_BS_TOTAL, (1ull << 55) - 1);
	assert_int_equal(parse(bs, &b), NTFS_OK);
	assert_true(b.total_clusters == ((1ull << 55) - 1) / 8);
	/* Trailing partial cluster is not a cluster. */
	fx_st64(bs + OD_BS_TOTAL, 8 * 100 + 7);
	fx_st64(bs + OD_BS_MFT, 50);
	assert_int_equal(parse(bs, &b), NTFS_OK);
	assert_true(b.total_clusters == 100);
}

static void mft_lcn_past_volume(void **state)
{
	const uint64_t clusters = FX_BOOT_TOTAL_SECTORS / 8;
	uint8_t bs[512];
	struct ntfsi_boot b;
	(void)state;

	fx_boot(bs);
	fx_st64(bs + OD_BS_MFT, clusters);
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	fx_st64(bs + OD_BS_MFT, UINT64_MAX);
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	fx_st64(bs + OD_BS_MFT, clusters - 1);
	assert_int_equal(parse(bs, &b), NTFS_OK);
	assert_true(b.mft_lcn == clusters - 1);

	fx_boot(bs);
	fx_st64(bs + OD_BS_MFTMIRR, clusters);
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	fx_st64(bs + OD_BS_MFTMIRR, 1ull << 63);
	assert_int_equal(parse(bs, &b), NTFS_ERR_CORRUPT_BOOT);
	fx_st64(bs + OD_BS_MFTMIRR, clusters - 1);
	assert_int_equal(parse(bs, &b), NTFS_OK);
	assert_true(b.mftmirr_lcn == clusters - 1);
}

/* ---- real Windows boot sectors ------------------------------------------ */

/* An independent reading of the BPB, straight from the format: bytes per
 * sector at 0x0B; sectors per cluster at 0x0D, 2^(256 - v) when v > 0x80;
 * clusters per record at 0x40 and per index block at 0x44, signed, with
 * n < 0 meaning 2^-n bytes. */
static uint32_t spec_size(uint8_t raw, uint32_t cluster)
{
	int8_t v = (int8_t)raw;
	return v > 0 ? (uint32_t)v * cluster : 1u << -v;
}

/* Freed by the teardown, so a failed assertion does not leak it. */
static uint8_t *loaded;

static int free_loaded(void **state)
{
	(void)state;
	free(loaded);
	loaded = NULL;
	return 0;
}

static void real_boot_sectors(void **state)
{
	/* Hard-coded from xxd of each file, read by hand against the spec. */
	static const struct {
		const char *file;
		uint32_t sector, cluster, record, index;
		uint64_t total_sectors, clusters, mft, mirr;
	} want[] = {
	        {"512.boot", 512, 512, 1024, 4096, 0x1FE7FF, 0x1FE7FF, 0xAA2AA, 0x10},
	        {"4k.boot", 512, 4096, 1024, 4096, 0x076EC7FF, 0xEDD8FF, 0xC0000, 2},
	        {"4kn.boot", 4096, 4096, 4096, 4096, 0x37FF, 0x37FF, 0x12AA, 2},
	        {"64k.boot", 512, 65536, 1024, 4096, 0x03FFE7FF, 0x7FFCF, 0xC000, 1},
	        {"128k.boot", 512, 131072, 1024, 4096, 0x03FFE7FF, 0x3FFE7, 0x6000, 1},
	};
	size_t found = 0;
	(void)state;

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct ntfsi_boot b;
		uint32_t bps, spc, cluster;
		uint8_t *bs;
		size_t n;

		free_loaded(NULL);
		n = fx_load_record_file(want[i].file, &loaded);
		bs = loaded;

		if (n == 0)
			continue;
		found++;
		assert_int_equal(n, 512);
		/* The independent decoder agrees with the table. */
		bps = fx_ld16(bs + OD_BS_BPS);
		spc = bs[OD_BS_SPC] > 0x80 ? 1u << (256 - bs[OD_BS_SPC]) : bs[OD_BS_SPC];
		cluster = bps * spc;
		assert_int_equal(bps, want[i].sector);
		assert_int_equal(cluster, want[i].cluster);
		assert_int_equal(spec_size(bs[OD_BS_CPR], cluster), want[i].record);
		assert_int_equal(spec_size(bs[OD_BS_CPI], cluster), want[i].index);
		assert_true(fx_ld64(bs + OD_BS_TOTAL) == want[i].total_sectors);

		assert_int_equal(ntfsi_boot_parse(bs, n, &b), NTFS_OK);
		assert_int_equal(b.sector_size, want[i].sector);
		assert_int_equal(b.cluster_size, want[i].cluster);
		assert_int_equal(b.record_size, want[i].record);
		assert_int_equal(b.index_block_size, want[i].index);
		assert_true(b.total_sectors == want[i].total_sectors);
		assert_true(b.total_clusters == want[i].clusters);
		assert_true(b.mft_lcn == want[i].mft);
		assert_true(b.mftmirr_lcn == want[i].mirr);
		assert_true(b.serial == fx_ld64(bs + OD_BS_SERIAL));
	}
	if (found == 0)
		skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(valid_fixture),
	        cmocka_unit_test(short_buffer),
	        cmocka_unit_test(bad_oem),
	        cmocka_unit_test(bad_signature),
	        cmocka_unit_test(bytes_per_sector_invalid),
	        cmocka_unit_test(bytes_per_sector_valid),
	        cmocka_unit_test(sectors_per_cluster_invalid),
	        cmocka_unit_test(cluster_sizes_valid),
	        cmocka_unit_test(cluster_too_big),
	        cmocka_unit_test(record_size_encodings),
	        cmocka_unit_test(record_size_invalid),
	        cmocka_unit_test(index_block_size),
	        cmocka_unit_test(total_sectors),
	        cmocka_unit_test(mft_lcn_past_volume),
	        cmocka_unit_test_teardown(real_boot_sectors, free_loaded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
