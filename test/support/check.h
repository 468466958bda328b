/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Failing from shared test code: a broken invariant prints where and what,
 * then aborts. Unit tests see a crashed test (cmocka reports it), fuzzers a
 * finding (libFuzzer keeps the input). No cmocka here, so fuzz harnesses
 * link the same helpers as the unit tests.
 */
#ifndef NTFS_TEST_CHECK_H
#define NTFS_TEST_CHECK_H

#define TS_CHECK(cond)                                                                             \
	do {                                                                                       \
		if (!(cond))                                                                       \
			ts_fail(__FILE__, __LINE__, #cond);                                        \
	} while (0)

_Noreturn void ts_fail(const char *file, int line, const char *what);

#endif /* NTFS_TEST_CHECK_H */
