/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Collation: every NTFS index is one B+tree shape ordered by one of a few
 * rules, named in its $INDEX_ROOT. Keys stay in their on-disk form.
 */
#include "collate.h"

#include "filename.h"

static int by_length(uint32_t alen, uint32_t blen)
{
	return alen < blen ? -1 : alen > blen;
}

int ntfsi_collate_names(const struct ntfsi_upcase *u, const uint8_t *a, size_t alen,
                        const uint8_t *b, size_t blen, bool exact)
{
	size_t i, n = alen < blen ? alen : blen;

	for (i = 0; i < n; i++) {
		uint16_t x = ntfsi_le16(a + 2 * i), y = ntfsi_le16(b + 2 * i);

		/* Equal units have equal upper cases: no lookup. Neighbours in
		 * an index share long prefixes, so this is most units. */
		if (x == y)
			continue;
		x = ntfsi_upcase_map(u, x);
		y = ntfsi_upcase_map(u, y);
		if (x != y)
			return x < y ? -1 : 1;
	}
	if (alen != blen || !exact)
		return by_length((uint32_t)alen, (uint32_t)blen);
	for (i = 0; i < n; i++) {
		uint16_t x = ntfsi_le16(a + 2 * i), y = ntfsi_le16(b + 2 * i);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

/* Little-endian 32-bit values in turn, then the shorter first. */
static int ulongs(const uint8_t *a, uint32_t alen, const uint8_t *b, uint32_t blen)
{
	uint32_t n = (alen < blen ? alen : blen) / 4;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t x = ntfsi_le32(a + 4 * i), y = ntfsi_le32(b + 4 * i);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return by_length(alen, blen);
}

int ntfsi_collate_file_name(const struct ntfsi_upcase *u, bool exact, const uint8_t *a,
                            uint32_t alen, const uint8_t *b, uint32_t blen)
{
	uint8_t an, bn;
	const uint8_t *x = ntfsi_filename_name(a, &an);
	const uint8_t *y = ntfsi_filename_name(b, &bn);

	(void)alen; /* the name's length is in the key */
	(void)blen;
	return ntfsi_collate_names(u, x, an, y, bn, exact);
}

int ntfsi_collate_ulong(const struct ntfsi_upcase *u, bool exact, const uint8_t *a, uint32_t alen,
                        const uint8_t *b, uint32_t blen)
{
	(void)u;
	(void)exact;
	(void)alen;
	(void)blen;
	return ulongs(a, 4, b, 4);
}

int ntfsi_collate_security_hash(const struct ntfsi_upcase *u, bool exact, const uint8_t *a,
                                uint32_t alen, const uint8_t *b, uint32_t blen)
{
	(void)u;
	(void)exact;
	(void)alen;
	(void)blen;
	return ulongs(a, 8, b, 8);
}

int ntfsi_collate_ulongs(const struct ntfsi_upcase *u, bool exact, const uint8_t *a, uint32_t alen,
                         const uint8_t *b, uint32_t blen)
{
	(void)u;
	(void)exact;
	return ulongs(a, alen, b, blen);
}

int ntfsi_collate_binary(const struct ntfsi_upcase *u, bool exact, const uint8_t *a, uint32_t alen,
                         const uint8_t *b, uint32_t blen)
{
	(void)u;
	(void)exact;
	for (uint32_t i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return by_length(alen, blen);
}
