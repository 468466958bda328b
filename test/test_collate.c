/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Collation (collate.c): COLLATION_FILE_NAME compares names through
 * $UpCase, a prefix first, case ties broken by code unit only when asked;
 * the view-index rules compare little-endian 32-bit values in turn.
 * Every case is a row: the two keys, the rule, and the sign expected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "ondisk.h"

#define NEG(n) ((uint16_t)(0x10000u - (n)))

static struct ntfsi_upcase_range ranges[] = {
        {0x0061, 0x007A, NEG(32), 1}, /* a-z -> A-Z */
        {0x0101, 0x012F, NEG(1), 2},  /* ā -> Ā ... */
        {0x0430, 0x044F, NEG(32), 1}, /* а-я -> А-Я */
};
static const struct ntfsi_upcase up = {ranges, 3, 3};
static const struct ntfsi_upcase identity = {NULL, 0, 0};

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* A $FILE_NAME key holding @name (host-order units). */
static uint32_t fn_key(uint8_t *key, const uint16_t *name, uint8_t len)
{
	memset(key, 0, OD_FN_NAME);
	key[OD_FN_NAME_LEN] = len;
	for (uint8_t i = 0; i < len; i++) {
		key[OD_FN_NAME + 2 * i] = (uint8_t)name[i];
		key[OD_FN_NAME + 2 * i + 1] = (uint8_t)(name[i] >> 8);
	}
	return OD_FN_NAME + 2u * len;
}

struct name_case {
	uint16_t a[4];
	uint8_t alen;
	uint16_t b[4];
	uint8_t blen;
	int loose; /* sign without the case tie-break */
	int exact; /* sign with it */
};

static const struct name_case name_cases[] = {
        /* Equal through $UpCase; the tie-break orders by code unit. */
        {{'a', 'b', 'c'}, 3, {'A', 'B', 'C'}, 3, 0, 1},
        {{'A', 'B', 'C'}, 3, {'a', 'B', 'c'}, 3, 0, -1},
        {{0x044F}, 1, {0x042F}, 1, 0, 1},
        {{0x0101}, 1, {0x0100}, 1, 0, 1},
        {{'x'}, 1, {'x'}, 1, 0, 0},
        /* Order of the upcased units decides before case does. */
        {{'a', 'b', 'c'}, 3, {'a', 'b', 'd'}, 3, -1, -1},
        {{'a', 'b', 'd'}, 3, {'A', 'B', 'C'}, 3, 1, 1},
        /* '_' (0x5F) sorts after 'a', which compares as 'A' (0x41). */
        {{'_'}, 1, {'a'}, 1, 1, 1},
        {{'a'}, 1, {'_'}, 1, -1, -1},
        /* A prefix sorts first, whatever the case. */
        {{'A', 'B'}, 2, {'a', 'b', 'c'}, 3, -1, -1},
        {{'a', 'b', 'c'}, 3, {'A', 'B'}, 2, 1, 1},
        /* Equal units are skipped without a lookup: what follows them still
         * compares upcased ('a' is 'A', before '_'), and a case difference
         * after them still ties until the tie-break. */
        {{'x', 'y', 'a'}, 3, {'x', 'y', '_'}, 3, -1, -1},
        {{'x', 'a', 'B', 'c'}, 4, {'x', 'a', 'b', 'C'}, 4, 0, -1},
        {{0x0101, 0x0101}, 2, {0x0101, 0x0100}, 2, 0, 1},
        /* Units compare as unsigned 16-bit numbers. */
        {{0xFF21}, 1, {'Z'}, 1, 1, 1},
        {{0x044F}, 1, {'Z'}, 1, 1, 1},
};

static void file_names(void **state)
{
	uint8_t ka[OD_FN_NAME + 8], kb[OD_FN_NAME + 8];
	(void)state;

	for (size_t i = 0; i < sizeof name_cases / sizeof name_cases[0]; i++) {
		const struct name_case *c = &name_cases[i];
		uint32_t la = fn_key(ka, c->a, c->alen), lb = fn_key(kb, c->b, c->blen);
		int loose = ntfsi_collate_file_name(&up, false, ka, la, kb, lb);
		int exact = ntfsi_collate_file_name(&up, true, ka, la, kb, lb);
		if (sign(loose) != c->loose || sign(exact) != c->exact)
			fail_msg("row %zu: %d/%d, want %d/%d", i, sign(loose), sign(exact),
			         c->loose, c->exact);
		/* Antisymmetric. */
		assert_int_equal(sign(ntfsi_collate_file_name(&up, true, kb, lb, ka, la)),
		                 -c->exact);
	}
}

static void names_without_table(void **state)
{
	static const uint8_t a[] = {'a', 0}, A[] = {'A', 0};
	(void)state;
	/* With the identity table, case matters even without the tie-break. */
	assert_int_equal(sign(ntfsi_collate_names(&identity, a, 1, A, 1, false)), 1);
	assert_int_equal(sign(ntfsi_collate_names(&up, a, 1, A, 1, false)), 0);
	assert_int_equal(sign(ntfsi_collate_names(&up, NULL, 0, NULL, 0, true)), 0);
	assert_int_equal(sign(ntfsi_collate_names(&up, NULL, 0, a, 1, false)), -1);
}

struct key_case {
	ntfsi_collate_fn *collate;
	uint8_t a[16];
	uint8_t alen;
	uint8_t b[16];
	uint8_t blen;
	int want;
};

/* Keys as the disk holds them: little-endian fields. */
static const struct key_case key_cases[] = {
        /* ULONG ($SII, $Q): one value; 0x100 > 0xFF though its first byte is less. */
        {ntfsi_collate_ulong, {0x00, 0x01, 0, 0}, 4, {0xFF, 0, 0, 0}, 4, 1},
        {ntfsi_collate_ulong, {7, 0, 0, 0}, 4, {7, 0, 0, 0}, 4, 0},
        {ntfsi_collate_ulong, {0, 0, 0, 0x80}, 4, {0xFF, 0xFF, 0xFF, 0x7F}, 4, 1},
        /* SECURITY_HASH ($SDH): the hash, then the security id. */
        {ntfsi_collate_security_hash, {1, 0, 0, 0, 9, 0, 0, 0}, 8, {2, 0, 0, 0, 1, 0, 0, 0}, 8, -1},
        {ntfsi_collate_security_hash, {2, 0, 0, 0, 1, 0, 0, 0}, 8, {2, 0, 0, 0, 0, 1, 0, 0}, 8, -1},
        {ntfsi_collate_security_hash, {2, 0, 0, 0, 5, 0, 0, 0}, 8, {2, 0, 0, 0, 5, 0, 0, 0}, 8, 0},
        /* ULONGS ($O, $R): values in turn, then the shorter first. */
        {ntfsi_collate_ulongs, {1, 0, 0, 0, 0, 2, 0, 0}, 8, {1, 0, 0, 0, 0xFF, 1, 0, 0}, 8, 1},
        {ntfsi_collate_ulongs, {1, 0, 0, 0}, 4, {1, 0, 0, 0, 0, 0, 0, 0}, 8, -1},
        {ntfsi_collate_ulongs, {0, 0, 0, 1}, 4, {0xFF, 0xFF, 0xFF, 0}, 4, 1},
        /* SID ($Quota:$O): the same, over the SID's bytes. */
        {ntfsi_collate_ulongs,
         {1, 1, 0, 0, 0, 0, 0, 5, 0x12, 0, 0, 0},
         12,
         {1, 2, 0, 0, 0, 0, 0, 5, 0x20, 0, 0, 0},
         12,
         -1},
        /* BINARY: bytes, then length. */
        {ntfsi_collate_binary, {1, 2}, 2, {1, 3}, 2, -1},
        {ntfsi_collate_binary, {1, 2}, 2, {1, 2, 0}, 3, -1},
        {ntfsi_collate_binary, {0x80}, 1, {0x7F, 0xFF}, 2, 1},
};

static void view_keys(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof key_cases / sizeof key_cases[0]; i++) {
		const struct key_case *c = &key_cases[i];
		int got = sign(c->collate(&identity, false, c->a, c->alen, c->b, c->blen));
		int back = sign(c->collate(&identity, false, c->b, c->blen, c->a, c->alen));
		if (got != c->want || back != -c->want)
			fail_msg("row %zu: %d and %d, want %d", i, got, back, c->want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(file_names),
	        cmocka_unit_test(names_without_table),
	        cmocka_unit_test(view_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
