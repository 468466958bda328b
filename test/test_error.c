/* SPDX-License-Identifier: BSD-2-Clause */
/* Error names and classes (error.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "ondisk.h"

static const int all[] = {
        NTFS_OK,
        NTFS_ERR_IO,
        NTFS_ERR_NOMEM,
        NTFS_ERR_UNSUPPORTED,
        NTFS_ERR_NOT_FOUND,
        NTFS_ERR_NOT_DIR,
        NTFS_ERR_IS_DIR,
        NTFS_ERR_INVALID,
        NTFS_ERR_LIMIT,
        NTFS_ERR_NAME,
        NTFS_ERR_STALE,
        NTFS_ERR_CORRUPT,
        NTFS_ERR_CORRUPT_BOOT,
        NTFS_ERR_CORRUPT_RECORD,
        NTFS_ERR_CORRUPT_FIXUP,
        NTFS_ERR_CORRUPT_ATTR,
        NTFS_ERR_CORRUPT_ATTRLIST,
        NTFS_ERR_CORRUPT_RUNLIST,
        NTFS_ERR_CORRUPT_INDEX,
        NTFS_ERR_CORRUPT_UPCASE,
        NTFS_ERR_CORRUPT_MFT,
        NTFS_ERR_CORRUPT_COMPRESSED,
        NTFS_ERR_CORRUPT_REPARSE,
        NTFS_ERR_CORRUPT_EA,
        NTFS_ERR_CORRUPT_SECURITY,
        NTFS_ERR_CORRUPT_PARTITION,
};
#define N_ALL (sizeof all / sizeof all[0])

static void distinct_names(void **state)
{
	const char *unknown = ntfs_strerror(-1000);
	(void)state;

	assert_non_null(unknown);
	for (size_t i = 0; i < N_ALL; i++) {
		const char *s = ntfs_strerror(all[i]);
		assert_non_null(s);
		assert_true(strlen(s) > 0);
		assert_string_not_equal(s, unknown);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(s, ntfs_strerror(all[j]));
	}
}

static void unknown_codes(void **state)
{
	static const int odd[] = {1, 42, -11, -31, -64, -1000, INT32_MIN, INT32_MAX};
	/* Reserved for corrupt codes to come: unknown now, but corrupt. */
	static const int reserved[] = {-47, -50, NTFS_ERR_CORRUPT_LOWEST};
	const char *unknown = ntfs_strerror(-1000);
	(void)state;

	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		assert_non_null(ntfs_strerror(odd[i]));
		assert_string_equal(ntfs_strerror(odd[i]), unknown);
		assert_false(ntfs_error_is_corrupt(odd[i]));
	}
	assert_int_equal(NTFS_ERR_CORRUPT_LOWEST, -63);
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
		assert_string_equal(ntfs_strerror(reserved[i]), unknown);
		assert_true(ntfs_error_is_corrupt(reserved[i]));
	}
}

static void corrupt_class(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ALL; i++) {
		bool corrupt =
		        all[i] == NTFS_ERR_CORRUPT || all[i] == NTFS_ERR_CORRUPT_BOOT ||
		        all[i] == NTFS_ERR_CORRUPT_RECORD || all[i] == NTFS_ERR_CORRUPT_FIXUP ||
		        all[i] == NTFS_ERR_CORRUPT_ATTR || all[i] == NTFS_ERR_CORRUPT_ATTRLIST ||
		        all[i] == NTFS_ERR_CORRUPT_RUNLIST || all[i] == NTFS_ERR_CORRUPT_INDEX ||
		        all[i] == NTFS_ERR_CORRUPT_UPCASE || all[i] == NTFS_ERR_CORRUPT_MFT ||
		        all[i] == NTFS_ERR_CORRUPT_COMPRESSED ||
		        all[i] == NTFS_ERR_CORRUPT_REPARSE || all[i] == NTFS_ERR_CORRUPT_EA ||
		        all[i] == NTFS_ERR_CORRUPT_SECURITY || all[i] == NTFS_ERR_CORRUPT_PARTITION;
		assert_int_equal(ntfs_error_is_corrupt(all[i]), corrupt);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(distinct_names),
	        cmocka_unit_test(unknown_codes),
	        cmocka_unit_test(corrupt_class),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
