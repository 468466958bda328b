/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Update sequence fixups (fixup.c): the last two bytes of every 512-byte
 * stride hold the update sequence number; the displaced bytes live in the
 * update sequence array (offset at 4, count at 6, count = strides + 1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "core.h"
#include "ondisk.h"

static uint8_t rec[4096], orig[4096];

/* A record in memory (orig) and its on-disk form (rec). */
static void make(size_t size)
{
	fx_record(orig, size);
	memcpy(rec, orig, size);
	fx_protect(rec, size);
}

static void restore(size_t size)
{
	make(size);
	/* On disk every stride ends with the sequence number... */
	for (size_t i = 1; i <= size / 512; i++) {
		assert_int_equal(rec[i * 512 - 2], FX_REC_USN & 0xFF);
		assert_int_equal(rec[i * 512 - 1], FX_REC_USN >> 8);
	}
	assert_int_equal(ntfsi_fixup_apply(rec, size), NTFS_OK);
	/* ...and afterwards holds its own bytes again; nothing else moved. */
	for (size_t i = 1; i <= size / 512; i++) {
		assert_int_equal(rec[i * 512 - 2], 0xA0 + i);
		assert_int_equal(rec[i * 512 - 1], 0xB0 + i);
	}
	for (size_t i = 0; i < size; i++)
		if ((i % 512) < 510 &&
		    (i < FX_REC_USA_OFF + 2 || i >= FX_REC_USA_OFF + 2 * (size / 512 + 1)))
			assert_int_equal(rec[i], orig[i]);
}

static void restore_1k(void **state)
{
	(void)state;
	restore(1024);
}

static void restore_4k(void **state)
{
	(void)state;
	restore(4096);
}

static void restore_512(void **state)
{
	(void)state;
	restore(512);
}

static void bad_size(void **state)
{
	(void)state;
	make(1024);
	assert_int_equal(ntfsi_fixup_apply(rec, 0), NTFS_ERR_CORRUPT_FIXUP);
	assert_int_equal(ntfsi_fixup_apply(rec, 511), NTFS_ERR_CORRUPT_FIXUP);
	assert_int_equal(ntfsi_fixup_apply(rec, 1000), NTFS_ERR_CORRUPT_FIXUP);
	assert_int_equal(ntfsi_fixup_apply(rec, 1025), NTFS_ERR_CORRUPT_FIXUP);
}

static void usa_offset_odd(void **state)
{
	(void)state;
	make(1024);
	fx_st16(rec + 4, FX_REC_USA_OFF + 1);
	fx_st16(rec + FX_REC_USA_OFF + 1, FX_REC_USN);
	assert_int_equal(ntfsi_fixup_apply(rec, 1024), NTFS_ERR_CORRUPT_FIXUP);
}

static void usa_outside_first_stride(void **state)
{
	static const uint16_t bad[] = {0, 506, 508, 510, 512, 1000, 1022, 0xFFFE};
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		make(1024);
		fx_st16(rec + 4, bad[i]);
		/* Keep the sequence number consistent so only the offset is wrong. */
		if (bad[i] <= 1022)
			fx_st16(rec + bad[i], FX_REC_USN);
		assert_int_equal(ntfsi_fixup_apply(rec, 1024), NTFS_ERR_CORRUPT_FIXUP);
	}
}

/* The array may sit anywhere in the first stride before its tail: a
 * 3-entry array at 504 ends at 510. */
static void usa_at_end_of_first_stride(void **state)
{
	(void)state;
	memset(rec, 0, 1024);
	fx_st16(rec + 4, 504);
	fx_st16(rec + 6, 3);
	fx_st16(rec + 504, 0x4242);
	rec[510] = 0x11;
	rec[511] = 0x22;
	rec[1022] = 0x33;
	rec[1023] = 0x44;
	fx_protect(rec, 1024);
	assert_int_equal(fx_ld16(rec + 510), 0x4242);
	assert_int_equal(ntfsi_fixup_apply(rec, 1024), NTFS_OK);
	assert_int_equal(rec[510], 0x11);
	assert_int_equal(rec[511], 0x22);
	assert_int_equal(rec[1022], 0x33);
	assert_int_equal(rec[1023], 0x44);
}

static void usa_count_wrong(void **state)
{
	static const uint16_t bad1k[] = {0, 1, 2, 4, 9, 0xFFFF};
	static const uint16_t bad4k[] = {0, 1, 3, 8, 10, 0xFFFF};
	(void)state;

	for (size_t i = 0; i < sizeof bad1k / sizeof bad1k[0]; i++) {
		make(1024);
		fx_st16(rec + 6, bad1k[i]);
		assert_int_equal(ntfsi_fixup_apply(rec, 1024), NTFS_ERR_CORRUPT_FIXUP);
	}
	for (size_t i = 0; i < sizeof bad4k / sizeof bad4k[0]; i++) {
		make(4096);
		fx_st16(rec + 6, bad4k[i]);
		assert_int_equal(ntfsi_fixup_apply(rec, 4096), NTFS_ERR_CORRUPT_FIXUP);
	}
}

/* A torn write: any one stride without the sequence number. */
static void sequence_mismatch(void **state)
{
	(void)state;
	for (size_t size = 1024; size <= 4096; size *= 4) {
		for (size_t s = 1; s <= size / 512; s++) {
			for (int b = 0; b < 2; b++) {
				make(size);
				rec[s * 512 - 2 + b] ^= 0x01;
				assert_int_equal(ntfsi_fixup_apply(rec, size),
				                 NTFS_ERR_CORRUPT_FIXUP);
			}
		}
		/* The number in the array itself changed. */
		make(size);
		rec[FX_REC_USA_OFF] ^= 0x80;
		assert_int_equal(ntfsi_fixup_apply(rec, size), NTFS_ERR_CORRUPT_FIXUP);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(restore_1k),
	        cmocka_unit_test(restore_4k),
	        cmocka_unit_test(restore_512),
	        cmocka_unit_test(bad_size),
	        cmocka_unit_test(usa_offset_odd),
	        cmocka_unit_test(usa_outside_first_stride),
	        cmocka_unit_test(usa_at_end_of_first_stride),
	        cmocka_unit_test(usa_count_wrong),
	        cmocka_unit_test(sequence_mismatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
