/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hardening tests as tables. Each test_hardening_*.c lists its tests in
 * one array of struct hu_case, one row per test, and its main() is
 * hu_main(): every row becomes a cmocka test named after it. A row without
 * .run locates one structure in a valid image, checks that .op succeeds on
 * it, applies .mutate, and checks that .op now returns .expect exactly
 * (hu_case_run()); a row with .run is a test of several steps, a function
 * handed the row.
 *
 * test/hardening_doc.py reads the same rows to write test/HARDENING-TESTS.md,
 * with a simple parser: keep every row HU_ROW(designated initializers), with
 * .name and .what string literals and the other strings literals or macros
 * defined as literals.
 */
#ifndef NTFS_TEST_HARDENING_CASES_H
#define NTFS_TEST_HARDENING_CASES_H

#include "hardening_util.h"
#include "ondisk.h"

/* Committed images. */
#define C512 "ntfs-c512"
#define C4K "ntfs-c4k"
#define C64K "ntfs-c64k"
#define C2M "ntfs-c2m"
#define S4K "ntfs-s4k"
#define FRAG "ntfs-frag"
#define MFTLIST "ntfs-mftlist"
#define SPECIAL "ntfs-special"

/* Files in them (c512 unless said). */
#define SMALL "/small.txt"
#define R100K "/random-100k.bin"
#define P3M "/pattern-3m.bin"
#define NOTE "/streams/small-stream.txt" /* a resident stream "note" */
#define MULTI "/streams/multi.txt"       /* non-resident streams "beta", "gamma" */
#define UNI "/unicode"                   /* 8 entries, all in INDX block 0 */
#define UNI_FILE "/unicode/Привет.txt"
#define FRAGF "/fragmented.bin" /* frag: $DATA in extents listed in an attribute list */
#define BIG "/big"              /* c4k: 20,000 entries */

/* What a row changes. */
enum hu_kind {
	HU_NONE,      /* nothing: a test of its own steps (.run) */
	HU_RECORD,    /* the base MFT record of .target ("#N": record N) */
	HU_EXTENSION, /* the record holding unnamed $DATA extent .extent of .target */
	HU_ALIST,     /* the non-resident $ATTRIBUTE_LIST value of .target */
	HU_INDX,      /* INDX block 0 of directory .target */
	HU_DATA,      /* the first 512 bytes of .target's unnamed $DATA as stored */
	HU_WOF,       /* the first 512 bytes of .target's WofCompressedData as stored */
	HU_BOOT,      /* the boot sector */
};

/* Change the located bytes @buf; @param as the mutator says. */
typedef void (*hu_mutate)(struct hu *h, uint8_t *buf, size_t len, long long param);

/* One row. A macro only so that clang-format packs a row's fields onto a
 * few lines (it gives a braced list of designated initializers a line per
 * field). */
#define HU_ROW(...)                                                                                \
	{                                                                                          \
		__VA_ARGS__                                                                        \
	}

struct hu_case {
	const char *name;                     /* the test's name: "hNN_..." with NN = .cls */
	int cls;                              /* class of docs HARDENING.md */
	void (*run)(const struct hu_case *c); /* NULL: hu_case_run() */
	const char *image;
	enum hu_kind kind;
	const char *target; /* a file: "#N" (record N) or a path */
	unsigned extent;    /* HU_EXTENSION */
	bool raw;           /* change FILE/INDX bytes as stored: no update sequence undone */
	hu_mutate mutate;
	long long param;
	hu_op op;        /* NTFS_OK on the valid image, then .expect */
	const char *arg; /* the argument of .op; NULL: .target */
	int expect;
	const char *what; /* for test/HARDENING-TESTS.md: what is changed, what follows */
};

const char *hu_case_arg(const struct hu_case *c);
/* Steps 1-2 (valid run, mutate); the image stays open in @h. */
void hu_case_prepare(const struct hu_case *c, struct hu *h);
/* Apply another mutation to what hu_case_prepare() located. */
void hu_case_mutate(const struct hu_case *c, struct hu *h, hu_mutate mutate, long long param);
/* The whole case. */
void hu_case_run(const struct hu_case *c);

/* Run every row of @cases as a cmocka test; returns main()'s status. */
int hu_main(const char *group, const struct hu_case *cases, size_t n);

/* Mutator parameters: a field offset and a 32-bit value. */
#define P(off, val) ((long long)(off) << 32 | (uint32_t)(val))
#define P_OFF(p) ((uint32_t)((unsigned long long)(p) >> 32))
#define P_VAL(p) ((uint32_t)(p))
/* A value meaning "the old one + n", for the mutators that say so. */
#define ADD(n) (0xFFFF0000u | (uint32_t)(0x8000 + (n)))

/* Mutators shared by the tables. */
/* P(offset, value): store 8, 16, 32 bits; 64 bits (0xFFFFFFFF: all ones). */
void m_set8(struct hu *h, uint8_t *b, size_t len, long long p);
void m_set16(struct hu *h, uint8_t *b, size_t len, long long p);
void m_set32(struct hu *h, uint8_t *b, size_t len, long long p);
void m_set64(struct hu *h, uint8_t *b, size_t len, long long p);
/* P(offset, mask): flip bits. */
void m_xor8(struct hu *h, uint8_t *b, size_t len, long long p);
/* Magic "BAAD" (param 0) or "INDY" (param 1). */
void m_magic(struct hu *h, uint8_t *b, size_t len, long long p);
/* Record: the in-use flag cleared. */
void m_clear_in_use(struct hu *h, uint8_t *b, size_t len, long long p);
/* Record: a field of the unnamed non-resident $DATA, P(NR(offset, width),
 * value); value 0xFFFFFFFF is the attribute's length, ADD(n) old + n. */
#define NR(off, width) ((off) | (width) << 16)
void m_nr_field(struct hu *h, uint8_t *b, size_t len, long long p);
/* Record: UTF-16 unit P(k, value) of the name of stream "note". */
void m_note_name_unit(struct hu *h, uint8_t *b, size_t len, long long p);
/* INDX block: field of entry k (0xFF: the END entry), P(ENTRY(k, field),
 * value), 16 bits below the key, a byte in it; value ADD(n) is old + n,
 * IDXLEN(n) "index length - entry offset + n". */
#define ENTRY(k, field) ((k) << 8 | (field))
#define IDXLEN(n) (0xFFFE0000u | (uint32_t)(0x8000 + (n)))
void m_indx_entry(struct hu *h, uint8_t *b, size_t len, long long p);
/* Record: allocated, data and initialized sizes of non-resident attribute
 * P(type, log2 size) (index types: $I30). */
void m_sizes(struct hu *h, uint8_t *b, size_t len, long long p);

/* INDX block node: offset of entry k, 0xFF the END entry. */
uint32_t hu_entry_or_end(const uint8_t *node, unsigned k);

#endif /* NTFS_TEST_HARDENING_CASES_H */
