/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Partition tables (src/blockdev: mbr.c, gpt.c, part.c) over disks built
 * here as byte arrays: a valid MBR disk (primaries, an extended partition
 * with two logicals) and a valid GPT disk (512- and 4096-byte sectors,
 * primary and backup), each listed as expected; then one table of rows per
 * scheme, each changing one field of the valid disk and expecting one
 * exact result. Real tables made by sfdisk and sgdisk are checked by
 * test/part_tools.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ntfs/blockdev.h>

#include "blockdev.h"

/* ---- an in-memory disk -------------------------------------------------- */

struct disk {
	uint8_t *data;
	uint32_t ss;
	uint64_t n;
	uint64_t reads;    /* sectors read */
	uint64_t fail_lba; /* a read touching this sector fails; UINT64_MAX: none */
	struct ntfs_blockdev dev;
};

static int disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct disk *d = ctx;

	/* The parsers never ask for a sector the device does not have. */
	assert_true(count >= 1);
	assert_true(lba < d->n && count <= d->n - lba);
	d->reads += count;
	if (d->fail_lba >= lba && d->fail_lba - lba < count)
		return -1;
	memcpy(buf, d->data + lba * d->ss, (size_t)count * d->ss);
	return 0;
}

static void disk_init(struct disk *d, uint32_t ss, uint64_t n)
{
	d->data = calloc(n, ss);
	assert_non_null(d->data);
	d->ss = ss;
	d->n = n;
	d->reads = 0;
	d->fail_lba = UINT64_MAX;
	d->dev.read_sectors = disk_read;
	d->dev.ctx = d;
	d->dev.sector_size = ss;
	d->dev.sector_count = n;
}

static uint8_t *sec(struct disk *d, uint64_t lba)
{
	assert_true(lba < d->n);
	return d->data + lba * d->ss;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void sign(uint8_t *s)
{
	s[510] = 0x55;
	s[511] = 0xAA;
}

/* A volume's first sector: OEM id at 3, 0x55AA. */
static void boot_sector(struct disk *d, uint64_t lba, const char *oem)
{
	memcpy(sec(d, lba) + 3, oem, 8);
	sign(sec(d, lba));
}

static void mbr_entry(uint8_t *s, int i, uint8_t boot, uint8_t type, uint32_t lba, uint32_t count)
{
	uint8_t *e = s + 446 + 16 * i;
	e[0] = boot;
	e[4] = type;
	put32(e + 8, lba);
	put32(e + 12, count);
}

/* ---- the valid MBR disk ---------------------------------------------------
 * 4096 sectors of 512 bytes:
 *   1  0x07 boot 0x80  64..575      NTFS
 *   2  0x0F            1024..3071   extended
 *        EBR 1024: 5  0x07  1056..1311 (exFAT)   link -> 1536 (rel 512)
 *        EBR 1536: 6  0x07  1568..1823 (NTFS)    no link
 *   4  0x83            3072..4095   (to the last sector)
 */
#define MBR_EBR1 1024
#define MBR_EBR2 1536

static void mbr_disk(struct disk *d)
{
	disk_init(d, 512, 4096);
	uint8_t *s = sec(d, 0);
	mbr_entry(s, 0, 0x80, 0x07, 64, 512);
	mbr_entry(s, 1, 0, 0x0F, 1024, 2048);
	mbr_entry(s, 3, 0, 0x83, 3072, 1024);
	sign(s);
	s = sec(d, MBR_EBR1);
	mbr_entry(s, 0, 0, 0x07, 32, 256);
	mbr_entry(s, 1, 0, 0x05, MBR_EBR2 - 1024, 512);
	sign(s);
	s = sec(d, MBR_EBR2);
	mbr_entry(s, 0, 0, 0x07, 32, 256);
	sign(s);
	boot_sector(d, 64, "NTFS    ");
	boot_sector(d, 1056, "EXFAT   ");
	boot_sector(d, 1568, "NTFS    ");
}

struct want {
	uint32_t index;
	uint8_t type;
	uint64_t start, length; /* sectors */
};

static const struct want mbr_want[] = {
        {1, 0x07, 64, 512},   {2, 0x0F, 1024, 2048}, {4, 0x83, 3072, 1024},
        {5, 0x07, 1056, 256}, {6, 0x07, 1568, 256},
};

/* Open and list; returns the number of partitions before the end or the
 * error, which goes to *end (0 or negative). */
static size_t list(struct disk *d, struct ntfs_part *parts, size_t max, int *open_err, int *end)
{
	struct ntfs_part_iter it;
	uint8_t *scratch = malloc(d->ss);
	size_t n = 0;
	int r;

	assert_non_null(scratch);
	*open_err = ntfs_part_open(&it, &d->dev, scratch);
	*end = *open_err;
	if (*open_err == NTFS_OK) {
		while ((r = ntfs_part_next(&it, &parts[n])) == 1) {
			n++;
			assert_true(n < max);
		}
		*end = r;
		/* Sticky: the same answer again. */
		assert_int_equal(ntfs_part_next(&it, &parts[n]), r);
	} else {
		assert_int_equal(ntfs_part_next(&it, &parts[0]), *open_err);
	}
	free(scratch);
	return n;
}

static void mbr_valid(void **state)
{
	struct disk d;
	struct ntfs_part p[300];
	int oe, end;
	(void)state;

	mbr_disk(&d);
	size_t n = list(&d, p, 300, &oe, &end);
	assert_int_equal(oe, NTFS_OK);
	assert_int_equal(end, 0);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(p[i].index, mbr_want[i].index);
		assert_int_equal(p[i].scheme, NTFS_PART_MBR);
		assert_int_equal(p[i].type, mbr_want[i].type);
		assert_int_equal(p[i].start, mbr_want[i].start * 512);
		assert_int_equal(p[i].length, mbr_want[i].length * 512);
		assert_string_equal(p[i].name, "");
	}
	assert_int_equal(p[0].attributes, 0x80);
	/* Sector 0 and the two EBRs: nothing else. */
	assert_int_equal(d.reads, 3);
	free(d.data);
}

/* The finder: type 0x07 and an NTFS boot sector (5 is exFAT). */
static void mbr_find_ntfs(void **state)
{
	struct disk d;
	struct ntfs_part_iter it;
	struct ntfs_part p;
	uint8_t scratch[512];
	(void)state;

	mbr_disk(&d);
	assert_int_equal(ntfs_part_open(&it, &d.dev, scratch), NTFS_OK);
	assert_int_equal(ntfs_part_next_ntfs(&it, &p), 1);
	assert_int_equal(p.index, 1);
	assert_int_equal(p.start, 64 * 512);
	assert_int_equal(ntfs_part_next_ntfs(&it, &p), 1);
	assert_int_equal(p.index, 6);
	assert_int_equal(p.start, 1568 * 512);
	assert_int_equal(ntfs_part_next_ntfs(&it, &p), 0);

	/* An unreadable boot sector: skipped, the search goes on. */
	d.fail_lba = 64;
	assert_int_equal(ntfs_part_open(&it, &d.dev, scratch), NTFS_OK);
	assert_int_equal(ntfs_part_next_ntfs(&it, &p), 1);
	assert_int_equal(p.index, 6);
	assert_int_equal(ntfs_part_next_ntfs(&it, &p), 0);

	/* An unreadable EBR is the table's error, kept: a caller looping
	 * while the result is 1 stops (a loop that retried NTFS_ERR_IO, as
	 * when boot sectors' errors were returned, never did). */
	d.fail_lba = MBR_EBR1;
	assert_int_equal(ntfs_part_open(&it, &d.dev, scratch), NTFS_OK);
	assert_int_equal(ntfs_part_next_ntfs(&it, &p), 1);
	assert_int_equal(p.index, 1);
	assert_int_equal(ntfs_part_next_ntfs(&it, &p), NTFS_ERR_IO);
	assert_int_equal(ntfs_part_next_ntfs(&it, &p), NTFS_ERR_IO);
	free(d.data);
}

/* ---- MBR rows ------------------------------------------------------------ */

struct mbr_case {
	const char *name;
	void (*mangle)(struct disk *d);
	int open_err; /* ntfs_part_open() */
	size_t parts; /* partitions listed before... */
	int end;      /* ...this end */
};

static void m_no_signature(struct disk *d)
{
	sec(d, 0)[511] = 0;
}
static void m_ntfs_volume(struct disk *d)
{
	memcpy(sec(d, 0) + 3, "NTFS    ", 8);
}
static void m_boot_flag(struct disk *d)
{
	sec(d, 0)[446 + 48] = 0x01;
}
static void m_past_disk(struct disk *d)
{
	mbr_entry(sec(d, 0), 3, 0, 0x83, 3072, 1025);
}
static void m_wraps_32(struct disk *d)
{
	mbr_entry(sec(d, 0), 3, 0, 0x83, 0xFFFFFFFFu, 2);
}
static void m_over_mbr(struct disk *d)
{
	mbr_entry(sec(d, 0), 3, 0, 0x83, 0, 16);
}
static void m_two_extended(struct disk *d)
{
	mbr_entry(sec(d, 0), 3, 0, 0x05, 3072, 1024);
}
static void m_empty_slots(struct disk *d)
{
	/* Type 0 with a range, and a type with count 0: both empty. */
	mbr_entry(sec(d, 0), 2, 0, 0x00, 100, 100);
	mbr_entry(sec(d, 0), 3, 0, 0x83, 3072, 0);
}
static void m_ebr_unsigned(struct disk *d)
{
	sec(d, MBR_EBR2)[510] = 0;
}
static void m_ebr_self_link(struct disk *d)
{
	/* CVE-2019-13103: an EBR whose link is itself. */
	mbr_entry(sec(d, MBR_EBR2), 1, 0, 0x05, MBR_EBR2 - 1024, 512);
}
static void m_ebr_loop(struct disk *d)
{
	/* CVE-2019-13103: the second EBR links back to the first. */
	mbr_entry(sec(d, MBR_EBR2), 1, 0, 0x05, 0, 512);
}
static void m_link_past_extended(struct disk *d)
{
	mbr_entry(sec(d, MBR_EBR2), 1, 0, 0x05, 2048, 1);
}
static void m_link_not_extended(struct disk *d)
{
	mbr_entry(sec(d, MBR_EBR1), 1, 0, 0x83, MBR_EBR2 - 1024, 512);
}
static void m_link_empty_count(struct disk *d)
{
	/* A link of count 0 ends the chain, as in Linux. */
	mbr_entry(sec(d, MBR_EBR1), 1, 0, 0x05, MBR_EBR2 - 1024, 0);
}
static void m_logical_past_extended(struct disk *d)
{
	mbr_entry(sec(d, MBR_EBR2), 0, 0, 0x07, 32, 3072 - MBR_EBR2 - 32 + 1);
}
static void m_logical_to_end(struct disk *d)
{
	mbr_entry(sec(d, MBR_EBR2), 0, 0, 0x07, 32, 3072 - MBR_EBR2 - 32);
}
static void m_logical_over_ebr(struct disk *d)
{
	mbr_entry(sec(d, MBR_EBR2), 0, 0, 0x07, 0, 16);
}
static void m_logical_over_next_ebr(struct disk *d)
{
	mbr_entry(sec(d, MBR_EBR1), 0, 0, 0x07, 32, MBR_EBR2 - MBR_EBR1 - 32 + 1);
}
static void m_protective_not_lba1(struct disk *d)
{
	mbr_entry(sec(d, 0), 2, 0, 0xEE, 2, 100);
}
static void m_protective_one_sector_disk(struct disk *d)
{
	mbr_entry(sec(d, 0), 2, 0, 0xEE, 1, 1);
	d->n = 1;
	d->dev.sector_count = 1;
}
static void m_logical_extended(struct disk *d)
{
	mbr_entry(sec(d, MBR_EBR2), 0, 0, 0x05, 32, 16);
}
static void m_logical_boot_flag(struct disk *d)
{
	sec(d, MBR_EBR2)[446] = 0x81;
}
static void m_logical_empty(struct disk *d)
{
	/* An EBR with no partition, only a link: skipped, numbers kept. */
	mbr_entry(sec(d, MBR_EBR1), 0, 0, 0, 0, 0);
}
static void m_ebr_unreadable(struct disk *d)
{
	d->fail_lba = MBR_EBR2;
}
static void m_mbr_unreadable(struct disk *d)
{
	d->fail_lba = 0;
}
/* Chains of N EBRs, one sector apart, each with a one-sector logical. */
static void chain(struct disk *d, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t *s = sec(d, 1024 + 2 * i);
		memset(s, 0, 512);
		mbr_entry(s, 0, 0, 0x83, 1, 1);
		if (i + 1 < n)
			mbr_entry(s, 1, 0, 0x05, 2 * (i + 1), 2);
		sign(s);
	}
}
static void m_chain_128(struct disk *d)
{
	chain(d, 128);
}
static void m_chain_129(struct disk *d)
{
	chain(d, 129);
}

static const struct mbr_case mbr_cases[] = {
        {"valid", NULL, NTFS_OK, 5, 0},
        {"no 0x55AA", m_no_signature, NTFS_ERR_NOT_FOUND, 0, NTFS_ERR_NOT_FOUND},
        {"sector 0 is an NTFS volume", m_ntfs_volume, NTFS_ERR_NOT_FOUND, 0, NTFS_ERR_NOT_FOUND},
        {"boot flag 0x01", m_boot_flag, NTFS_ERR_CORRUPT_PARTITION, 0, NTFS_ERR_CORRUPT_PARTITION},
        {"primary one sector past the disk", m_past_disk, NTFS_ERR_CORRUPT_PARTITION, 0,
         NTFS_ERR_CORRUPT_PARTITION},
        {"primary lba + count wraps 32 bits", m_wraps_32, NTFS_ERR_CORRUPT_PARTITION, 0,
         NTFS_ERR_CORRUPT_PARTITION},
        {"primary over sector 0", m_over_mbr, NTFS_ERR_CORRUPT_PARTITION, 0,
         NTFS_ERR_CORRUPT_PARTITION},
        {"two extended partitions", m_two_extended, NTFS_ERR_CORRUPT_PARTITION, 0,
         NTFS_ERR_CORRUPT_PARTITION},
        {"empty slots skipped", m_empty_slots, NTFS_OK, 4, 0},
        {"EBR without 0x55AA", m_ebr_unsigned, NTFS_OK, 4, NTFS_ERR_CORRUPT_PARTITION},
        {"CVE-2019-13103: EBR links to itself", m_ebr_self_link, NTFS_OK, 4,
         NTFS_ERR_CORRUPT_PARTITION},
        {"CVE-2019-13103: EBR links back (loop)", m_ebr_loop, NTFS_OK, 4,
         NTFS_ERR_CORRUPT_PARTITION},
        {"link past the extended partition", m_link_past_extended, NTFS_OK, 4,
         NTFS_ERR_CORRUPT_PARTITION},
        {"link of a non-extended type", m_link_not_extended, NTFS_OK, 3,
         NTFS_ERR_CORRUPT_PARTITION},
        {"link with count 0 ends the chain", m_link_empty_count, NTFS_OK, 4, 0},
        {"logical one sector past the extended partition", m_logical_past_extended, NTFS_OK, 4,
         NTFS_ERR_CORRUPT_PARTITION},
        {"logical up to the extended partition's end", m_logical_to_end, NTFS_OK, 5, 0},
        {"logical over its EBR", m_logical_over_ebr, NTFS_OK, 4, NTFS_ERR_CORRUPT_PARTITION},
        {"logical over the next EBR", m_logical_over_next_ebr, NTFS_OK, 3,
         NTFS_ERR_CORRUPT_PARTITION},
        {"protective entry not at LBA 1", m_protective_not_lba1, NTFS_ERR_CORRUPT_PARTITION, 0,
         NTFS_ERR_CORRUPT_PARTITION},
        {"protective entry on a 1-sector disk (no LBA 1 to read)", m_protective_one_sector_disk,
         NTFS_ERR_CORRUPT_PARTITION, 0, NTFS_ERR_CORRUPT_PARTITION},
        {"logical of an extended type", m_logical_extended, NTFS_OK, 4, NTFS_ERR_CORRUPT_PARTITION},
        {"logical boot flag 0x81", m_logical_boot_flag, NTFS_OK, 4, NTFS_ERR_CORRUPT_PARTITION},
        {"EBR with only a link", m_logical_empty, NTFS_OK, 4, 0},
        {"EBR unreadable", m_ebr_unreadable, NTFS_OK, 4, NTFS_ERR_IO},
        {"sector 0 unreadable", m_mbr_unreadable, NTFS_ERR_IO, 0, NTFS_ERR_IO},
        {"chain of 128 EBRs", m_chain_128, NTFS_OK, 3 + 128, 0},
        {"chain of 129 EBRs: the cap", m_chain_129, NTFS_OK, 3 + 128, NTFS_ERR_LIMIT},
};

static void mbr_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof mbr_cases / sizeof mbr_cases[0]; i++) {
		const struct mbr_case *c = &mbr_cases[i];
		struct disk d;
		struct ntfs_part p[300];
		int oe, end;

		print_message("mbr: %s\n", c->name);
		mbr_disk(&d);
		if (c->mangle)
			c->mangle(&d);
		size_t n = list(&d, p, 300, &oe, &end);
		assert_int_equal(oe, c->open_err);
		assert_int_equal(end, c->end);
		assert_int_equal(n, c->parts);
		/* Every partition listed lies on the disk; numbers increase. */
		for (size_t k = 0; k < n; k++) {
			assert_true(p[k].length > 0 && p[k].start <= d.n * 512 &&
			            p[k].length <= d.n * 512 - p[k].start);
			assert_true(k == 0 || p[k].index > p[k - 1].index);
		}
		/* Bounded: sector 0 and at most one read per EBR allowed. */
		assert_true(d.reads <= 1 + NTFS_PART_MAX_LOGICAL);
		free(d.data);
	}
}

/* ---- GPT ---------------------------------------------------------------- */

static const uint8_t basic_data[16] = {0xA2, 0xA0, 0xD0, 0xEB, 0xE5, 0xB9, 0x33, 0x44,
                                       0x87, 0xC0, 0x68, 0xB6, 0xB7, 0x26, 0x99, 0xC7};
/* Linux filesystem data, 0FC63DAF-8483-4772-8E79-3D69D8477DE4. */
static const uint8_t linux_fs[16] = {0xAF, 0x3D, 0xC6, 0x0F, 0x83, 0x84, 0x72, 0x47,
                                     0x8E, 0x79, 0x3D, 0x69, 0xD8, 0x47, 0x7D, 0xE4};

struct gpt_geo {
	uint32_t ss;
	uint64_t n;
	uint32_t count, esize;
	uint64_t first, last; /* usable */
	uint64_t parr, barr;  /* array LBAs */
	uint64_t p_first[3], p_last[3];
};

static void geo_for(struct gpt_geo *g, uint32_t ss)
{
	g->ss = ss;
	g->n = ss == 512 ? 2048 : 512;
	g->count = 128;
	g->esize = 128;
	uint64_t arr = (uint64_t)g->count * g->esize / ss;
	g->parr = 2;
	g->first = 2 + arr;
	g->barr = g->n - 1 - arr;
	g->last = g->barr - 1;
	/* Entries 1, 2 and 5 (slots 0, 1, 4). */
	g->p_first[0] = g->first;
	g->p_last[0] = g->first + 99;
	g->p_first[1] = g->first + 100;
	g->p_last[1] = g->first + 199;
	g->p_first[2] = g->first + 200;
	g->p_last[2] = g->last;
}

static void utf16_name(uint8_t *e, const uint16_t *units, size_t n)
{
	for (size_t i = 0; i < n && i < 36; i++) {
		e[56 + 2 * i] = (uint8_t)units[i];
		e[56 + 2 * i + 1] = (uint8_t)(units[i] >> 8);
	}
}

static uint8_t *gpt_entry(struct disk *d, const struct gpt_geo *g, uint64_t arr, uint32_t slot)
{
	return d->data + arr * g->ss + (uint64_t)slot * g->esize;
}

/* Fix the header at @lba: its array CRC from the array it names, then its
 * own CRC (with the CRC field zeroed). */
static void gpt_fix(struct disk *d, uint64_t lba, bool array_too)
{
	uint8_t *h = sec(d, lba);
	uint32_t hs = h[12] | h[13] << 8;
	if (hs > d->ss)
		hs = d->ss;
	if (array_too) {
		uint64_t elba = 0;
		uint32_t cnt = 0, es = 0;
		for (int i = 7; i >= 0; i--)
			elba = elba << 8 | h[72 + i];
		for (int i = 3; i >= 0; i--) {
			cnt = cnt << 8 | h[80 + i];
			es = es << 8 | h[84 + i];
		}
		/* Only an array that lies on the disk (a row may say otherwise). */
		if (elba < d->n && (uint64_t)cnt * es <= (d->n - elba) * d->ss)
			put32(h + 88, ntfsi_gpt_crc32(0, d->data + elba * d->ss, (size_t)cnt * es));
	}
	put32(h + 16, 0);
	put32(h + 16, ntfsi_gpt_crc32(0, h, hs));
}

static void gpt_header(struct disk *d, const struct gpt_geo *g, uint64_t my, uint64_t alt,
                       uint64_t arr)
{
	uint8_t *h = sec(d, my);
	memset(h, 0, g->ss);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x00010000);
	put32(h + 12, 92);
	put64(h + 24, my);
	put64(h + 32, alt);
	put64(h + 40, g->first);
	put64(h + 48, g->last);
	memset(h + 56, 0x5A, 16);
	put64(h + 72, arr);
	put32(h + 80, g->count);
	put32(h + 84, g->esize);
	gpt_fix(d, my, true);
}

static void gpt_disk(struct disk *d, struct gpt_geo *g, uint32_t ss)
{
	static const uint16_t smile[] = {'D', 'a', 't', 'a', ' ', 0xD83D, 0xDE00};
	static const uint16_t lone[] = {'x', 0xDC00, 'y', 0xD800};
	static const uint16_t root[] = {'r', 'o', 'o', 't'};

	geo_for(g, ss);
	disk_init(d, ss, g->n);
	uint8_t *s = sec(d, 0);
	mbr_entry(s, 0, 0, 0xEE, 1, (uint32_t)(g->n - 1));
	sign(s);
	for (int k = 0; k < 2; k++) {
		uint64_t arr = k == 0 ? g->parr : g->barr;
		static const uint32_t slots[3] = {0, 1, 4};
		for (int i = 0; i < 3; i++) {
			uint8_t *e = gpt_entry(d, g, arr, slots[i]);
			memcpy(e, i == 2 ? linux_fs : basic_data, 16);
			memset(e + 16, 0x10 + i, 16);
			put64(e + 32, g->p_first[i]);
			put64(e + 40, g->p_last[i]);
			put64(e + 48, i == 0 ? 0x8000000000000001u : 0);
			if (i == 0)
				utf16_name(e, smile, 7);
			else if (i == 1)
				utf16_name(e, lone, 4);
			else
				utf16_name(e, root, 4);
		}
	}
	gpt_header(d, g, 1, g->n - 1, g->parr);
	gpt_header(d, g, g->n - 1, 1, g->barr);
	boot_sector(d, g->p_first[0], "NTFS    ");
	boot_sector(d, g->p_first[1], "EXFAT   ");
	boot_sector(d, g->p_first[2], "NTFS    "); /* but not Basic Data */
}

static void gpt_check_list(const struct gpt_geo *g, const struct ntfs_part *p, size_t n)
{
	static const uint32_t index[3] = {1, 2, 5};
	assert_int_equal(n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(p[i].index, index[i]);
		assert_int_equal(p[i].scheme, NTFS_PART_GPT);
		assert_memory_equal(p[i].type_guid, i == 2 ? linux_fs : basic_data, 16);
		assert_int_equal(p[i].unique_guid[15], 0x10 + i);
		assert_int_equal(p[i].start, g->p_first[i] * g->ss);
		assert_int_equal(p[i].length, (g->p_last[i] - g->p_first[i] + 1) * g->ss);
	}
	assert_int_equal(p[0].attributes, 0x8000000000000001u);
	assert_string_equal(p[0].name, "Data \xF0\x9F\x98\x80");
	assert_string_equal(p[1].name, "x\xEF\xBF\xBDy\xEF\xBF\xBD");
	assert_string_equal(p[2].name, "root");
}

static void gpt_valid(void **state)
{
	static const uint32_t sizes[] = {512, 1024, 2048, 4096};
	(void)state;
	for (size_t k = 0; k < 4; k++) {
		struct disk d;
		struct gpt_geo g;
		struct ntfs_part p[200];
		int oe, end;

		gpt_disk(&d, &g, sizes[k]);
		size_t n = list(&d, p, 200, &oe, &end);
		assert_int_equal(oe, NTFS_OK);
		assert_int_equal(end, 0);
		gpt_check_list(&g, p, n);
		/* Sector 0, the header, the array twice (CRC, then entries). */
		uint64_t arr = (uint64_t)g.count * g.esize / g.ss;
		assert_true(d.reads <= 2 + 2 * arr);
		free(d.data);
	}
}

static void gpt_find_ntfs(void **state)
{
	struct disk d;
	struct gpt_geo g;
	struct ntfs_part_iter it;
	struct ntfs_part p;
	uint8_t scratch[4096];
	(void)state;

	gpt_disk(&d, &g, 4096);
	assert_int_equal(ntfs_part_open(&it, &d.dev, scratch), NTFS_OK);
	assert_int_equal(ntfs_part_next_ntfs(&it, &p), 1);
	assert_int_equal(p.index, 1);
	assert_int_equal(p.start, g.p_first[0] * 4096);
	/* 2 is exFAT, 5 is not Basic Data. */
	assert_int_equal(ntfs_part_next_ntfs(&it, &p), 0);
	free(d.data);
}

/* CRC-32/IEEE's check value. */
static void crc32_check(void **state)
{
	(void)state;
	assert_int_equal(ntfsi_gpt_crc32(0, "123456789", 9), 0xCBF43926u);
	assert_int_equal(ntfsi_gpt_crc32(0, "", 0), 0);
	assert_int_equal(ntfsi_gpt_crc32(ntfsi_gpt_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
}

/* A GPT row changes the header or array at @lba / @arr (the primary's, or
 * the backup's too) and re-signs what it says. */
struct gpt_case {
	const char *name;
	void (*mangle)(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr);
	int err;      /* both copies mangled: open's error (or next's, with parts) */
	size_t parts; /* partitions listed before err, when open succeeds */
	bool resign;  /* recompute the header (and array) CRCs after mangling */
};

static void set32(struct disk *d, uint64_t lba, unsigned off, uint32_t v)
{
	put32(sec(d, lba) + off, v);
}
static void set64(struct disk *d, uint64_t lba, unsigned off, uint64_t v)
{
	put64(sec(d, lba) + off, v);
}

static void g_signature(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	sec(d, lba)[7] = 'X';
}
static void g_revision(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	set32(d, lba, 8, 0x00010001);
}
static void g_hsize_91(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	set32(d, lba, 12, 91);
}
static void g_hsize_big(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)arr;
	set32(d, lba, 12, g->ss + 1);
}
static void g_hsize_ss(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)arr;
	set32(d, lba, 12, g->ss);
}
static void g_hcrc(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	sec(d, lba)[16] ^= 1;
}
static void g_reserved_under_crc(struct disk *d, const struct gpt_geo *g, uint64_t lba,
                                 uint64_t arr)
{
	(void)g, (void)arr;
	sec(d, lba)[60] ^= 0xFF; /* the disk GUID, not re-signed */
}
static void g_mylba(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	set64(d, lba, 24, lba + 1);
}
static void g_first_after_last(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)arr;
	set64(d, lba, 40, g->last + 1);
}
static void g_last_past_disk(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)arr;
	set64(d, lba, 48, g->n);
}
static void g_usable_over_header(struct disk *d, const struct gpt_geo *g, uint64_t lba,
                                 uint64_t arr)
{
	(void)arr;
	if (lba == 1)
		set64(d, lba, 40, 1);
	else
		set64(d, lba, 48, g->n - 1);
}
static void g_esize_64(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	set32(d, lba, 84, 64);
}
static void g_esize_odd(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	set32(d, lba, 84, 136);
}
static void g_esize_over_sector(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)arr;
	set32(d, lba, 84, g->ss * 2);
}
static void g_count_overflow(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	/* CVE-2022-36763: 0x02000001 x 128 is 128 in 32 bits. */
	(void)g, (void)arr;
	set32(d, lba, 80, 0x02000001u);
}
static void g_count_max(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	set32(d, lba, 80, 0xFFFFFFFFu);
	set32(d, lba, 84, 0x80000000u);
}
static void g_count_cap(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	set32(d, lba, 80, NTFS_PART_GPT_MAX_ENTRIES + 1);
}
static void g_count_zero(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	set32(d, lba, 80, 0);
}
static void g_count_small(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	/* 3 entries: a part of a sector is checksummed. */
	(void)g, (void)arr;
	set32(d, lba, 80, 3);
}
static void g_array_crc(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)lba;
	gpt_entry(d, g, arr, 1)[60] ^= 1;
}
static void g_array_past_disk(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)arr;
	set64(d, lba, 72, g->n - 1);
}
static void g_array_lba0(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	set64(d, lba, 72, 0);
}
static void g_array_huge_lba(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	set64(d, lba, 72, UINT64_MAX - 1);
}
static void g_array_in_usable(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)arr;
	set64(d, lba, 72, g->first + 10);
}
static void g_first_usable_0(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	set64(d, lba, 40, 0);
}
static void g_alternate(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)arr;
	set64(d, lba, 32, lba == 1 ? 0xDEADBEEFu : g->n / 2);
}
static void g_array_other_side(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)arr;
	set64(d, lba, 72, lba == 1 ? g->barr : g->parr);
}
static void g_array_over_header(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)g, (void)arr;
	set64(d, lba, 72, lba == 1 ? 1 : lba - 1);
}
static void g_entry_reversed(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)lba;
	put64(gpt_entry(d, g, arr, 1) + 32, g->p_last[1] + 1);
}
static void g_entry_before_usable(struct disk *d, const struct gpt_geo *g, uint64_t lba,
                                  uint64_t arr)
{
	(void)lba;
	put64(gpt_entry(d, g, arr, 1) + 32, g->first - 1);
}
static void g_entry_past_usable(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)lba;
	put64(gpt_entry(d, g, arr, 1) + 40, g->last + 1);
}
static void g_entry_huge(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)lba;
	put64(gpt_entry(d, g, arr, 1) + 40, UINT64_MAX);
}
static void g_entry_one_sector(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	(void)lba;
	put64(gpt_entry(d, g, arr, 1) + 40, g->p_first[1]);
}
static void g_esize_256(struct disk *d, const struct gpt_geo *g, uint64_t lba, uint64_t arr)
{
	/* 64 entries of 256 bytes: the same array, read another way. */
	(void)g, (void)arr;
	set32(d, lba, 80, 64);
	set32(d, lba, 84, 256);
}

/* parts == SIZE_MAX: open fails with err. */
#define OPEN_FAILS SIZE_MAX
static const struct gpt_case gpt_cases[] = {
        {"signature", g_signature, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, true},
        {"revision 1.1", g_revision, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, true},
        {"header size 91", g_hsize_91, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, true},
        {"header size sector + 1", g_hsize_big, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, true},
        {"header size = sector (valid)", g_hsize_ss, NTFS_OK, 3, true},
        {"header CRC", g_hcrc, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, false},
        {"a byte under the header CRC", g_reserved_under_crc, NTFS_ERR_CORRUPT_PARTITION,
         OPEN_FAILS, false},
        {"MyLBA not where it was read", g_mylba, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, true},
        {"first usable > last usable", g_first_after_last, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS,
         true},
        {"last usable past the disk", g_last_past_disk, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS,
         true},
        {"usable area over the header", g_usable_over_header, NTFS_ERR_CORRUPT_PARTITION,
         OPEN_FAILS, true},
        {"entry size 64", g_esize_64, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, true},
        {"entry size 136 (not 128 x 2^n)", g_esize_odd, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS,
         true},
        {"entry size 2 sectors", g_esize_over_sector, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, true},
        {"entry size 256 (valid)", g_esize_256, NTFS_OK, 2, true},
        {"CVE-2022-36763: count x size wraps 32 bits", g_count_overflow, NTFS_ERR_LIMIT, OPEN_FAILS,
         true},
        {"count and size at their maxima", g_count_max, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS,
         true},
        {"count over the cap", g_count_cap, NTFS_ERR_LIMIT, OPEN_FAILS, true},
        {"count 0 (valid, empty)", g_count_zero, NTFS_OK, 0, true},
        {"count 3 (valid, part of a sector)", g_count_small, NTFS_OK, 2, true},
        {"array CRC", g_array_crc, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, false},
        {"array past the disk", g_array_past_disk, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, true},
        {"array at LBA 0", g_array_lba0, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, true},
        {"array LBA near 2^64", g_array_huge_lba, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, true},
        {"array in the usable area", g_array_in_usable, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS,
         true},
        {"array over the header", g_array_over_header, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS,
         true},
        {"first usable LBA 0 (room for a partition over sector 0)", g_first_usable_0,
         NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, true},
        {"the other header's LBA wrong", g_alternate, NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, true},
        {"array on the other copy's side of the usable area", g_array_other_side,
         NTFS_ERR_CORRUPT_PARTITION, OPEN_FAILS, true},
        {"entry first > last", g_entry_reversed, NTFS_ERR_CORRUPT_PARTITION, 1, true},
        {"entry before the usable area", g_entry_before_usable, NTFS_ERR_CORRUPT_PARTITION, 1,
         true},
        {"entry past the usable area", g_entry_past_usable, NTFS_ERR_CORRUPT_PARTITION, 1, true},
        {"entry last LBA 2^64 - 1", g_entry_huge, NTFS_ERR_CORRUPT_PARTITION, 1, true},
        {"entry of one sector (valid)", g_entry_one_sector, NTFS_OK, 3, true},
};

static void gpt_rows_for(uint32_t ss)
{
	for (size_t i = 0; i < sizeof gpt_cases / sizeof gpt_cases[0]; i++) {
		const struct gpt_case *c = &gpt_cases[i];
		for (int both = 0; both < 2; both++) {
			struct disk d;
			struct gpt_geo g;
			struct ntfs_part p[200];
			int oe, end;

			print_message("gpt %u, %s: %s\n", ss, both ? "both" : "primary", c->name);
			gpt_disk(&d, &g, ss);
			for (int k = 0; k <= both; k++) {
				uint64_t lba = k == 0 ? 1 : g.n - 1;
				c->mangle(&d, &g, lba, k == 0 ? g.parr : g.barr);
				if (c->resign)
					gpt_fix(&d, lba, true);
			}
			size_t n = list(&d, p, 200, &oe, &end);
			if (!both && c->parts == OPEN_FAILS) {
				/* The primary's fault: the backup serves. */
				assert_int_equal(oe, NTFS_OK);
				assert_int_equal(end, 0);
				gpt_check_list(&g, p, n);
			} else if (c->parts == OPEN_FAILS) {
				assert_int_equal(oe, c->err);
				assert_int_equal(n, 0);
			} else if (!both && c->err != NTFS_OK) {
				/* A bad entry under a good CRC: no fallback. */
				assert_int_equal(oe, NTFS_OK);
				assert_int_equal(end, c->err);
				assert_int_equal(n, c->parts);
			} else {
				assert_int_equal(oe, NTFS_OK);
				assert_int_equal(end, c->err);
				assert_int_equal(n, c->parts);
			}
			/* Bounded: at most both headers and both arrays, twice. */
			assert_true(d.reads <= 4 + 4 * (uint64_t)g.count * g.esize / g.ss);
			free(d.data);
		}
	}
}

static void gpt_rows_512(void **state)
{
	(void)state;
	gpt_rows_for(512);
}

static void gpt_rows_4096(void **state)
{
	(void)state;
	gpt_rows_for(4096);
}

/* Whole sectors gone: the backup, or the primary's error. */
static void gpt_backup(void **state)
{
	struct disk d;
	struct gpt_geo g;
	struct ntfs_part p[200];
	int oe, end;
	size_t n;
	(void)state;

	/* Primary header zeroed: the backup. */
	gpt_disk(&d, &g, 512);
	memset(sec(&d, 1), 0, 512);
	n = list(&d, p, 200, &oe, &end);
	assert_int_equal(oe, NTFS_OK);
	gpt_check_list(&g, p, n);
	/* Primary header unreadable: the backup. */
	d.fail_lba = 1;
	n = list(&d, p, 200, &oe, &end);
	assert_int_equal(oe, NTFS_OK);
	gpt_check_list(&g, p, n);
	/* Both unreadable: the primary's I/O error. */
	d.fail_lba = 1;
	memset(sec(&d, g.n - 1), 0, 512);
	n = list(&d, p, 200, &oe, &end);
	assert_int_equal(oe, NTFS_ERR_IO);
	free(d.data);

	/* Primary array unreadable: the backup. */
	gpt_disk(&d, &g, 512);
	d.fail_lba = 5;
	n = list(&d, p, 200, &oe, &end);
	assert_int_equal(oe, NTFS_OK);
	gpt_check_list(&g, p, n);
	free(d.data);

	/* Only the backup names a 1-sector disk's last LBA: no backup tried
	 * on a disk of 2 sectors (it would be the primary itself). */
	disk_init(&d, 512, 2);
	mbr_entry(sec(&d, 0), 0, 0, 0xEE, 1, 1);
	sign(sec(&d, 0));
	n = list(&d, p, 200, &oe, &end);
	assert_int_equal(oe, NTFS_ERR_CORRUPT_PARTITION);
	free(d.data);
}

/* A hybrid MBR (0xEE in another slot) is GPT too. */
static void gpt_hybrid(void **state)
{
	struct disk d;
	struct gpt_geo g;
	struct ntfs_part p[200];
	int oe, end;
	(void)state;

	gpt_disk(&d, &g, 512);
	mbr_entry(sec(&d, 0), 0, 0x80, 0x07, (uint32_t)g.p_first[0], 100);
	mbr_entry(sec(&d, 0), 3, 0, 0xEE, 1, (uint32_t)g.first);
	size_t n = list(&d, p, 200, &oe, &end);
	assert_int_equal(oe, NTFS_OK);
	gpt_check_list(&g, p, n);
	free(d.data);
}

static void bad_arguments(void **state)
{
	struct disk d;
	struct ntfs_part_iter it;
	uint8_t scratch[512];
	(void)state;

	mbr_disk(&d);
	assert_int_equal(ntfs_part_open(&it, &d.dev, NULL), NTFS_ERR_INVALID);
	d.dev.sector_size = 256;
	assert_int_equal(ntfs_part_open(&it, &d.dev, scratch), NTFS_ERR_INVALID);
	d.dev.sector_size = 512;
	d.dev.sector_count = 0;
	assert_int_equal(ntfs_part_open(&it, &d.dev, scratch), NTFS_ERR_INVALID);
	d.dev.sector_count = 4096;
	d.dev.read_sectors = NULL;
	assert_int_equal(ntfs_part_open(&it, &d.dev, scratch), NTFS_ERR_INVALID);
	assert_int_equal(ntfs_part_open(NULL, &d.dev, scratch), NTFS_ERR_INVALID);
	free(d.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(crc32_check),   cmocka_unit_test(mbr_valid),
	        cmocka_unit_test(mbr_find_ntfs), cmocka_unit_test(mbr_rows),
	        cmocka_unit_test(gpt_valid),     cmocka_unit_test(gpt_find_ntfs),
	        cmocka_unit_test(gpt_rows_512),  cmocka_unit_test(gpt_rows_4096),
	        cmocka_unit_test(gpt_backup),    cmocka_unit_test(gpt_hybrid),
	        cmocka_unit_test(bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
