/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names: UTF-8 / UTF-16 conversion round trips, collation, and the $UpCase
 * range builder. Byte 0 chooses the mode (byte 0 % 4), the rest is:
 *
 *   0  UTF-8 text: converted to UTF-16 (with a roomy and a tight buffer);
 *      if valid, back to UTF-8, which must give the same bytes
 *   1  UTF-16LE units: converted to UTF-8 (roomy and tight); if valid,
 *      back to UTF-16, which must give the same units
 *   2  byte 1: length of name A in units; then A's and B's UTF-16LE units:
 *      ntfsi_collate_names() through a hand-filled upcase table, with and
 *      without the case tie-break, checked against a reference collation
 *      and for antisymmetry
 *   3  byte 1: the chunk size (2 to 512 bytes); then (char, upper) pairs of
 *      16-bit little-endian units laid over an identity table with a-z
 *      upcased: the table is fed to the range builder in those chunks, and
 *      ntfsi_upcase_map() must give back the table for all 65536 units
 */
#include "harness.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static void utf8_mode(const uint8_t *p, size_t n)
{
	size_t cap = n + 1, tight = n / 2 + 1, len = SIZE_MAX, len8 = SIZE_MAX;
	uint16_t *u = malloc(cap * sizeof *u), *t = malloc(tight * sizeof *t);
	char *back;
	int err, err2;

	TS_CHECK(u != NULL && t != NULL);
	err = ntfs_utf8_to_utf16((const char *)p, n, u, cap, &len);
	TS_CHECK(err == NTFS_OK || err == NTFS_ERR_NAME);
	err2 = ntfs_utf8_to_utf16((const char *)p, n, t, tight, NULL);
	TS_CHECK(err2 == NTFS_OK || err2 == NTFS_ERR_NAME || err2 == NTFS_ERR_LIMIT);
	if (err == NTFS_ERR_NAME)
		TS_CHECK(err2 != NTFS_OK);
	if (err == NTFS_OK) {
		TS_CHECK(len <= n);
		if (err2 == NTFS_OK)
			TS_CHECK(memcmp(t, u, len * sizeof *u) == 0);
		back = malloc(n + 1);
		TS_CHECK(back != NULL);
		err = ntfs_utf16_to_utf8(u, len, back, n + 1, &len8);
		TS_CHECK(err == NTFS_OK && len8 == n && memcmp(back, p, n) == 0 && back[n] == '\0');
		/* One byte short of room: LIMIT, never an overflow. */
		if (n > 0)
			TS_CHECK(ntfs_utf16_to_utf8(u, len, back, n, NULL) == NTFS_ERR_LIMIT);
		free(back);
	}
	free(u);
	free(t);
}

static void utf16_mode(const uint8_t *p, size_t n)
{
	size_t units = n / 2, i, size = 3 * units + 1, len8 = SIZE_MAX, len16 = SIZE_MAX;
	uint16_t *u = malloc((units + 1) * sizeof *u), *back = malloc((units + 1) * sizeof *u);
	char *s = malloc(size), *tight = malloc(units + 1);
	int err, err2;

	TS_CHECK(u != NULL && back != NULL && s != NULL && tight != NULL);
	for (i = 0; i < units; i++)
		u[i] = ntfsi_le16(p + 2 * i);
	err = ntfs_utf16_to_utf8(u, units, s, size, &len8);
	TS_CHECK(err == NTFS_OK || err == NTFS_ERR_NAME);
	err2 = ntfs_utf16_to_utf8(u, units, tight, units + 1, NULL);
	TS_CHECK(err2 == NTFS_OK || err2 == NTFS_ERR_NAME || err2 == NTFS_ERR_LIMIT);
	if (err == NTFS_OK) {
		TS_CHECK(len8 < size && s[len8] == '\0');
		if (err2 == NTFS_OK)
			TS_CHECK(strcmp(tight, s) == 0);
		err = ntfs_utf8_to_utf16(s, len8, back, units, &len16);
		TS_CHECK(err == NTFS_OK && len16 == units);
		TS_CHECK(units == 0 || memcmp(back, u, units * sizeof *u) == 0);
	}
	free(u);
	free(back);
	free(s);
	free(tight);
}

/* The table synvol_mount() installs, built independently. */
static uint16_t ref_upcase(uint16_t c)
{
	if ((c >= 0x61 && c <= 0x7A) || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
		return (uint16_t)(c - 0x20);
	if (c == 0xFF)
		return 0x178;
	if (c >= 0x101 && c <= 0x17F && (c & 1))
		return (uint16_t)(c - 1);
	return c;
}

static int ref_collate(const uint16_t *a, size_t alen, const uint16_t *b, size_t blen, bool exact)
{
	size_t i;
	for (i = 0; i < alen && i < blen; i++) {
		uint16_t x = ref_upcase(a[i]), y = ref_upcase(b[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	if (alen != blen || !exact)
		return alen < blen ? -1 : alen > blen;
	for (i = 0; i < alen; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static ntfs_volume *syn_vol;
static struct synvol syn;

static void collate_mode(const uint8_t *p, size_t n)
{
	size_t units = n > 0 ? (n - 1) / 2 : 0, alen, blen, i;
	uint16_t *u;
	uint8_t *le;

	if (syn_vol == NULL) {
		synvol_init(&syn, 4096, 1024, 4096);
		TS_CHECK(synvol_mount(&syn, 512, &syn_vol) == NTFS_OK);
	}
	if (n == 0)
		return;
	alen = p[0] <= units ? p[0] : units;
	blen = units - alen;
	u = malloc((units + 1) * sizeof *u);
	le = malloc(2 * units + 1);
	TS_CHECK(u != NULL && le != NULL);
	memcpy(le, p + 1, 2 * units);
	for (i = 0; i < units; i++)
		u[i] = ntfsi_le16(le + 2 * i);
	for (i = 0; i < units; i++)
		TS_CHECK(ntfsi_upcase_map(&syn_vol->upcase, u[i]) == ref_upcase(u[i]));
	for (int exact = 0; exact < 2; exact++) {
		const struct ntfsi_upcase *up = &syn_vol->upcase;
		int ab = ntfsi_collate_names(up, le, alen, le + 2 * alen, blen, exact);
		int ba = ntfsi_collate_names(up, le + 2 * alen, blen, le, alen, exact);
		int aa = ntfsi_collate_names(up, le, alen, le, alen, exact);
		TS_CHECK(sign(ab) == ref_collate(u, alen, u + alen, blen, exact));
		TS_CHECK(sign(ab) == -sign(ba));
		TS_CHECK(aa == 0);
	}
	free(u);
	free(le);
}

static void upcase_mode(const uint8_t *p, size_t n)
{
	static uint8_t table[NTFSI_UPCASE_BYTES];
	struct ntfsi_upcase_builder b;
	size_t piece = n > 0 ? 2u * (1u + p[0]) : 512, off, i;
	struct synvol s;
	ntfs_volume *vol;
	uint32_t c;
	int err;

	for (c = 0; c < 65536; c++) {
		uint16_t u = (uint16_t)(c >= 'a' && c <= 'z' ? c - 32 : c);
		table[2 * c] = (uint8_t)u;
		table[2 * c + 1] = (uint8_t)(u >> 8);
	}
	for (i = 1; i + 4 <= n; i += 4) {
		c = ntfsi_le16(p + i);
		table[2 * c] = p[i + 2];
		table[2 * c + 1] = p[i + 3];
	}
	synvol_init(&s, 4096, 1024, 4096);
	TS_CHECK(synvol_mount(&s, 512, &vol) == NTFS_OK);
	/* Replace the hand-filled ranges with the ones built from the table. */
	ntfsi_upcase_free(vol);
	err = ntfsi_upcase_start(vol, &b);
	for (off = 0; err == NTFS_OK && off < sizeof table; off += piece)
		err = ntfsi_upcase_feed(vol, &b, table + off,
		                        sizeof table - off < piece ? sizeof table - off : piece);
	if (err == NTFS_OK)
		err = ntfsi_upcase_finish(vol, &b);
	TS_CHECK(err == NTFS_OK || err == NTFS_ERR_LIMIT || err == NTFS_ERR_NOMEM);
	if (err == NTFS_OK) {
		TS_CHECK(vol->upcase.count <= NTFS_MAX_UPCASE_RANGES);
		for (c = 0; c < 65536; c++)
			TS_CHECK(ntfsi_upcase_map(&vol->upcase, (uint16_t)c) ==
			         ntfsi_le16(table + 2 * c));
	}
	synvol_unmount(&s, vol);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 65536)
		return 0;
	switch (data[0] & 3) {
	case 0:
		utf8_mode(data + 1, size - 1);
		break;
	case 1:
		utf16_mode(data + 1, size - 1);
		break;
	case 2:
		collate_mode(data + 1, size - 1);
		break;
	default:
		upcase_mode(data + 1, size - 1);
		break;
	}
	return 0;
}
