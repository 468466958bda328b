/* SPDX-License-Identifier: BSD-2-Clause */
/* The table runner and the shared mutators (see hardening_cases.h). */
#include "hardening_cases.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

const char *hu_case_arg(const struct hu_case *c)
{
	return c->arg != NULL ? c->arg : c->target;
}

void hu_case_prepare(const struct hu_case *c, struct hu *h)
{
	int err;

	hu_open(h, c->image);
	err = hu_mount(h);
	if (err)
		fail_msg("%s: the valid image does not mount: %s", c->image, ntfs_strerror(err));
	if (c->target != NULL)
		h->base = c->target[0] == '#' ? strtoull(c->target + 1, NULL, 10)
		                              : hu_recno(h, c->target);
	switch (c->kind) {
	case HU_RECORD:
		hu_loc_record(h, h->base, &h->loc);
		break;
	case HU_EXTENSION:
		h->ext_ref = hu_alist_data_ref(h, c->target, c->extent);
		hu_loc_record(h, NTFS_REF_RECORD(h->ext_ref), &h->loc);
		break;
	case HU_ALIST:
		hu_loc_stream(h, c->target, OD_AT_ATTRIBUTE_LIST, NULL, 0, 0, &h->loc);
		break;
	case HU_INDX:
		hu_loc_stream(h, c->target, OD_AT_INDEX_ALLOCATION, "$I30", 0,
		              h->vi.index_block_size, &h->loc);
		break;
	case HU_DATA:
		hu_loc_stream(h, c->target, OD_AT_DATA, NULL, 0, 512, &h->loc);
		break;
	case HU_WOF:
		hu_loc_stream(h, c->target, OD_AT_DATA, "WofCompressedData", 0, 512, &h->loc);
		break;
	case HU_BOOT:
		hu_loc_device(h, 0, 512, &h->loc);
		break;
	case HU_NONE:
		fail_msg("%s: a row that changes nothing needs its own steps", c->name);
	}
	err = c->op(h->vol, hu_case_arg(c));
	if (err)
		fail_msg("%s '%s': fails before any change: %s", c->image,
		         hu_case_arg(c) ? hu_case_arg(c) : "", ntfs_strerror(err));
	hu_unmount(h);
	hu_case_mutate(c, h, c->mutate, c->param);
}

void hu_case_mutate(const struct hu_case *c, struct hu *h, hu_mutate mutate, long long param)
{
	static uint8_t buf[HU_MAX_BYTES];
	const size_t size = (size_t)h->loc.size;
	/* FILE records and INDX blocks end every 512 bytes in the update
	 * sequence number: the fields are changed in their real bytes. */
	const bool usa =
	        !c->raw && (c->kind == HU_RECORD || c->kind == HU_EXTENSION || c->kind == HU_INDX);

	hu_loc_read(h, &h->loc, buf);
	if (usa)
		hu_unfix(buf, size);
	mutate(h, buf, size, param);
	if (usa)
		hu_fix(buf, size);
	hu_loc_write(h, &h->loc, buf);
}

void hu_case_run(const struct hu_case *c)
{
	struct hu h;

	hu_case_prepare(c, &h);
	hu_expect(&h, c->op, hu_case_arg(c), c->expect);
	hu_close(&h);
}

static void run_row(void **state)
{
	const struct hu_case *c = *state;

	if (c->run != NULL)
		c->run(c);
	else
		hu_case_run(c);
}

int hu_main(const char *group, const struct hu_case *cases, size_t n)
{
	struct CMUnitTest *tests = calloc(n, sizeof *tests);
	int failed;

	if (tests == NULL)
		return 1;
	for (size_t i = 0; i < n; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = run_row;
		/* cmocka hands the state over as void *; the row is not written. */
		tests[i].initial_state = (void *)(uintptr_t)&cases[i];
	}
	failed = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
	free(tests);
	return failed;
}

void m_set8(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	assert_true(P_OFF(p) < len);
	b[P_OFF(p)] = (uint8_t)P_VAL(p);
}

void m_set16(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	assert_true(P_OFF(p) + 2 <= len);
	hu_st(b + P_OFF(p), P_VAL(p), 2);
}

void m_set32(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	assert_true(P_OFF(p) + 4 <= len);
	hu_st(b + P_OFF(p), P_VAL(p), 4);
}

void m_set64(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	assert_true(P_OFF(p) + 8 <= len);
	hu_st(b + P_OFF(p), P_VAL(p) == 0xFFFFFFFFu ? UINT64_MAX : P_VAL(p), 8);
}

void m_xor8(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	assert_true(P_OFF(p) < len);
	b[P_OFF(p)] ^= (uint8_t)P_VAL(p);
}

void m_magic(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	memcpy(b, p == 0 ? "BAAD" : "INDY", 4);
}

void m_clear_in_use(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	(void)p;
	hu_st(b + OD_REC_FLAGS, hu_ld(b + OD_REC_FLAGS, 2) & ~(uint64_t)OD_REC_FLAG_IN_USE, 2);
}

void m_nr_field(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, OD_AT_DATA, "");
	uint32_t off = P_OFF(p) & 0xFFFF, width = P_OFF(p) >> 16;
	uint64_t v = P_VAL(p);
	(void)h;
	(void)len;
	assert_int_equal(a[OD_AH_NONRESIDENT], 1);
	if (v == 0xFFFFFFFFu)
		v = hu_ld(a + OD_AH_LENGTH, 4);
	else if (v >= 0xFFFF0000u)
		v = hu_ld(a + off, (int)width) + (v & 0xFFFF) - 0x8000;
	hu_st(a + off, v, (int)width);
}

void m_note_name_unit(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, OD_AT_DATA, "note");
	(void)h;
	(void)len;
	hu_st(a + hu_ld(a + OD_AH_NAME_OFF, 2) + 2 * P_OFF(p), P_VAL(p), 2);
}

uint32_t hu_entry_or_end(const uint8_t *node, unsigned k)
{
	uint32_t off;

	if (k != 0xFF)
		return hu_ie_off(node, k);
	off = (uint32_t)hu_ld(node + OD_NH_ENTRIES_OFF, 4);
	while (!(hu_ld(node + off + OD_IE_FLAGS, 2) & OD_IE_END))
		off += (uint32_t)hu_ld(node + off + OD_IE_LENGTH, 2);
	return off;
}

void m_indx_entry(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *node = b + OD_INDX_NODE;
	uint32_t e = hu_entry_or_end(node, P_OFF(p) >> 8), field = P_OFF(p) & 0xFF;
	uint32_t v = P_VAL(p);
	(void)h;
	(void)len;
	if ((v & 0xFFFF0000u) == 0xFFFF0000u)
		v = (uint32_t)hu_ld(node + e + field, 2) + (v & 0xFFFF) - 0x8000;
	else if ((v & 0xFFFF0000u) == 0xFFFE0000u)
		v = (uint32_t)hu_ld(node + OD_NH_INDEX_LEN, 4) - e + (v & 0xFFFF) - 0x8000;
	if (field >= OD_IE_KEY)
		node[e + field] = (uint8_t)v;
	else
		hu_st(node + e + field, v, 2);
}

void m_sizes(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t type = P_OFF(p);
	uint32_t a = hu_attr_find(b, type, type == OD_AT_INDEX_ALLOCATION ? "$I30" : "");
	uint64_t v = 1ull << P_VAL(p);
	(void)h;
	(void)len;
	assert_int_equal(b[a + OD_AH_NONRESIDENT], 1);
	hu_st(b + a + OD_AH_ALLOC, v, 8);
	hu_st(b + a + OD_AH_DATA, v, 8);
	hu_st(b + a + OD_AH_INIT, v, 8);
}
