/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared code of the command-line tools: option handling, messages,
 * mounting, time formatting.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cli_prog = "ntfs";
uint64_t cli_offset;
bool cli_offset_set;
uint32_t cli_partition;
uint64_t cli_volume_size;
bool cli_stats;
static const char *cli_usage_text = "";

void cli_init(const char *prog, const char *usage)
{
	cli_prog = prog;
	cli_usage_text = usage;
}

/* Decimal, or hexadecimal after "0x"; no sign, no spaces, no suffix. */
static int parse_u64(const char *s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a') + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A') + 10;
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

void cli_option(int opt, const char *arg)
{
	switch (opt) {
	case CLI_OPT_OFFSET:
		if (parse_u64(arg, &cli_offset) != 0)
			cli_usage_error("invalid offset '%s' (bytes, decimal or 0x hex)", arg);
		cli_offset_set = true;
		if (cli_partition != 0)
			cli_usage_error("--offset and --partition exclude each other");
		return;
	case CLI_OPT_PARTITION: {
		uint64_t n;

		if (parse_u64(arg, &n) != 0 || n == 0 || n > UINT32_MAX)
			cli_usage_error("invalid partition number '%s' (1, 2, ...)", arg);
		cli_partition = (uint32_t)n;
		if (cli_offset_set)
			cli_usage_error("--offset and --partition exclude each other");
		return;
	}
	case 'h':
		fputs(cli_usage_text, stdout);
		exit(cli_finish(CLI_EXIT_OK));
	case CLI_OPT_STATS:
		cli_stats = true;
		return;
	case CLI_OPT_VERSION:
		printf("%s (ntfs) %s\n", cli_prog, NTFS_VERSION_STRING);
		exit(cli_finish(CLI_EXIT_OK));
	default:
		/* getopt_long() has already said what was wrong. */
		fputs(cli_usage_text, stderr);
		exit(CLI_EXIT_USAGE);
	}
}

void cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(cli_usage_text, stderr);
	exit(CLI_EXIT_USAGE);
}

void cli_operands(int argc, char **argv, int min, int max)
{
	int n = argc - optind;

	if (n < min)
		cli_usage_error("missing operand");
	if (n > max)
		cli_usage_error("extra operand '%s'", argv[optind + max]);
}

/*
 * Length of the unit of NAME at S: 1 to 4 bytes. *escape is set when the
 * unit must be written as escapes: C0, DEL, C1 (U+0080-U+009F), the line
 * and paragraph separators GNU ls escapes too, and any byte that does not
 * start a well-formed UTF-8 sequence (each such byte is a unit of its own).
 */
static size_t name_unit(const unsigned char *s, bool *escape)
{
	unsigned c = s[0];
	uint32_t cp;
	size_t n, i;

	*escape = true;
	if (c < 0x80) {
		*escape = c < 0x20 || c == 0x7f;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1fu;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0fu;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07u;
	} else {
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0u) != 0x80u) /* also stops at the NUL */
			return 1;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF are not UTF-8. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 1;
	*escape = cp <= 0x9f || cp == 0x2028 || cp == 0x2029;
	return n;
}

/* Characters with which GNU ls puts a name holding ' in "...": # and ~
 * only as the first character. */
static bool plain_in_double_quotes(unsigned char c, bool first)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z') || (c != '\0' && strchr(" %+,-./:@]_'", c) != NULL) ||
	       (first && (c == '#' || c == '~'));
}

static void put_escape(FILE *f, unsigned char c)
{
	static const char letters[] = "abtnvfr"; /* \a (7) to \r (13) */

	if (c >= 7 && c <= 13)
		fprintf(f, "\\%c", letters[c - 7]);
	else
		fprintf(f, "\\%03o", c);
}

void cli_put_name(FILE *f, const char *name, enum cli_quote how)
{
	const unsigned char *s = (const unsigned char *)name;
	bool escapes = false, squote = false, dq_ok = true, esc, in_ansi;
	size_t i, n;

	/* Printable ASCII that does not start with a quote: as is (the common
	 * case, without the per-character work below). */
	for (i = 0; s[i] >= 0x20 && s[i] < 0x7f; i++)
		;
	if (s[i] == '\0' && how == CLI_QUOTE_NEEDED && s[0] != '\'' && s[0] != '"') {
		fwrite(name, 1, i, f);
		return;
	}
	for (i = 0; s[i] != '\0'; i += n) {
		n = name_unit(s + i, &esc);
		escapes |= esc;
		squote |= s[i] == '\'';
		dq_ok &= !esc && plain_in_double_quotes(s[i], i == 0);
	}
	if (how == CLI_QUOTE_NEEDED && !escapes && s[0] != '\'' && s[0] != '"') {
		fputs(name, f);
		return;
	}
	/* Like GNU ls: "..." for a name whose only special character is '. */
	if (squote && dq_ok) {
		fprintf(f, "\"%s\"", name);
		return;
	}
	/* '...' with ' as '\'' and escapes in $'...', switching as needed. */
	putc('\'', f);
	in_ansi = false;
	for (i = 0; s[i] != '\0'; i += n) {
		n = name_unit(s + i, &esc);
		if (s[i] == '\'') {
			fputs("'\\''", f);
			in_ansi = false;
		} else if (esc) {
			if (!in_ansi)
				fputs("'$'", f);
			in_ansi = true;
			for (size_t k = 0; k < n; k++)
				put_escape(f, s[i + k]);
		} else {
			if (in_ansi)
				fputs("''", f);
			in_ansi = false;
			fwrite(s + i, 1, n, f);
		}
	}
	putc('\'', f);
}

void cli_error(const char *what, int err)
{
	fprintf(stderr, "%s: ", cli_prog);
	cli_put_name(stderr, what, CLI_QUOTE_NEEDED);
	fprintf(stderr, ": %s\n", ntfs_strerror(err));
}

void cli_errorf(const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	cli_put_name(stderr, what, CLI_QUOTE_NEEDED);
	fputs(": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Open IMAGE's partition table with the device's sector size. A device
 * that reports 512 (an image file, or a disk) is also tried with 4096 (a
 * disk of 4 KiB sectors copied to a file): an MBR reads alike at both,
 * only its sector numbers mean other bytes, so the first size at which the
 * table names an NTFS volume is taken, else the first at which it is
 * valid. Returns ntfs_part_open()'s result; on success *bd and *it are
 * ready and *disk is open, on failure *disk is closed.
 */
static int cli_part_open(const char *image, struct ntfs_posix_disk *disk, struct ntfs_blockdev *bd,
                         struct ntfs_part_iter *it, void *scratch)
{
	uint32_t sizes[2] = {512, 4096}, valid = 0;
	int err, first_err = NTFS_ERR_NOT_FOUND, n = 2;

	err = ntfs_posix_disk_open(disk, image);
	if (err != NTFS_OK)
		return err;
	if (disk->sector_size > 512) {
		sizes[0] = disk->sector_size;
		n = 1;
	}
	bd->read_sectors = ntfs_posix_read_sectors;
	bd->ctx = disk;
	for (int k = 0; k <= n; k++) {
		/* k == n: back to the first size whose table was valid. */
		uint32_t size = k < n ? sizes[k] : valid;
		struct ntfs_part p;

		if (size == 0)
			break;
		if (disk->size < size)
			continue;
		disk->sector_size = bd->sector_size = size;
		bd->sector_count = disk->size / size;
		err = ntfs_part_open(it, bd, scratch);
		if (err == NTFS_OK && k < n && n > 1) {
			if (ntfs_part_next_ntfs(it, &p) != 1) {
				if (valid == 0)
					valid = size;
				continue;
			}
			/* The probe moved the cursor: back to the start. */
			err = ntfs_part_open(it, bd, scratch);
		}
		if (err == NTFS_OK)
			return NTFS_OK;
		if (k == 0 || k == n)
			first_err = err;
	}
	ntfs_posix_disk_close(disk);
	return first_err;
}

/* Where the volume starts, and how long it is (0: to the end of IMAGE). */
static int cli_locate(const char *image, uint64_t *offset, uint64_t *length)
{
	static unsigned char scratch[4096];
	struct ntfs_posix_disk disk;
	struct ntfs_blockdev bd;
	struct ntfs_part_iter it;
	struct ntfs_part p;
	int err, r;

	*offset = cli_offset;
	*length = 0;
	if (cli_offset_set)
		return NTFS_OK;
	err = cli_part_open(image, &disk, &bd, &it, scratch);
	/* No table (a bare volume's boot sector is not one) or no usable one:
	 * the mount at 0 says what is wrong (a bare volume whose boot sector
	 * is damaged still mounts from its backup). */
	if (err != NTFS_OK && cli_partition == 0)
		return NTFS_OK;
	if (err != NTFS_OK) {
		if (err == NTFS_ERR_NOT_FOUND)
			cli_errorf(image, "no partition table, so no partition %" PRIu32,
			           cli_partition);
		else
			cli_errorf(image, "partition table: %s", ntfs_strerror(err));
		return err;
	}
	if (cli_partition != 0) {
		while ((r = ntfs_part_next(&it, &p)) == 1 && p.index != cli_partition)
			;
	} else {
		r = ntfs_part_next_ntfs(&it, &p);
	}
	ntfs_posix_disk_close(&disk);
	if (r == 1) {
		*offset = p.start;
		*length = p.length;
		return NTFS_OK;
	}
	if (r < 0)
		cli_errorf(image, "partition table: %s", ntfs_strerror(r));
	else if (cli_partition != 0)
		cli_errorf(image, "no partition %" PRIu32 " (ntfs-info --partitions lists them)",
		           cli_partition);
	else
		cli_errorf(image,
		           "no NTFS partition in its partition table (ntfs-info "
		           "--partitions lists them; --partition N or --offset BYTES picks one)");
	return r < 0 ? r : NTFS_ERR_NOT_FOUND;
}

int cli_mount(const char *image, struct ntfs_posix_dev *dev, ntfs_volume **vol)
{
	struct ntfs_config cfg;
	uint64_t offset, length;
	int err;

	*vol = NULL;
	err = cli_locate(image, &offset, &length);
	if (err != NTFS_OK)
		return err;
	/* Open and mount separately so an open failure can quote errno. */
	err = ntfs_posix_open(dev, image, offset);
	if (err == NTFS_ERR_INVALID) {
		cli_errorf(image, "offset %llu is past the end of the image",
		           (unsigned long long)offset);
		return err;
	}
	if (err != NTFS_OK) {
		cli_errorf(image, "%s", strerror(errno));
		return err;
	}
	ntfs_posix_config(dev, &cfg);
	/* A partition ends where its table says, not at the end of the disk. */
	if (length != 0 && length < cfg.volume_size)
		cfg.volume_size = length;
	cli_volume_size = cfg.volume_size;
	err = ntfs_mount(&cfg, vol);
	if (err != NTFS_OK) {
		cli_error(image, err);
		ntfs_posix_close(dev);
		*vol = NULL;
	}
	return err;
}

int cli_list_partitions(const char *image)
{
	static unsigned char scratch[4096];
	struct ntfs_posix_disk disk;
	struct ntfs_blockdev bd;
	struct ntfs_part_iter it;
	struct ntfs_part p;
	int err = cli_part_open(image, &disk, &bd, &it, scratch), r;

	if (err == NTFS_ERR_NOT_FOUND) {
		printf("no partition table\n");
		return CLI_EXIT_OK;
	}
	if (err != NTFS_OK) {
		cli_errorf(image, "partition table: %s", ntfs_strerror(err));
		return CLI_EXIT_FAIL;
	}
	printf("%s, %" PRIu32 "-byte sectors\n", it.scheme == NTFS_PART_GPT ? "GPT" : "MBR",
	       bd.sector_size);
	while ((r = ntfs_part_next(&it, &p)) == 1) {
		const uint8_t *g = p.type_guid;
		printf("%" PRIu32 " start %" PRIu64 " length %" PRIu64 " type ", p.index, p.start,
		       p.length);
		if (p.scheme == NTFS_PART_GPT)
			/* The mixed-endian GUID as tools print it. */
			printf("%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%"
			       "02X",
			       g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10],
			       g[11], g[12], g[13], g[14], g[15]);
		else
			printf("0x%02X", p.type);
		if (p.name[0] != '\0') {
			fputs(" name ", stdout);
			cli_put_name(stdout, p.name, CLI_QUOTE_ALWAYS);
		}
		putchar('\n');
	}
	ntfs_posix_disk_close(&disk);
	if (r < 0) {
		cli_errorf(image, "partition table: %s", ntfs_strerror(r));
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

void cli_unmount(struct ntfs_posix_dev *dev, ntfs_volume *vol)
{
	ntfs_unmount(vol);
	/* --stats or NTFS_STATS=1: what the library cost, for bench/run.sh and docs. */
	if (cli_stats || getenv("NTFS_STATS") != NULL) {
		const struct ntfs_cache_stats *cs = &dev->cache.stats;

		fprintf(stderr,
		        "%s: stats: cache %" PRIu64 " hits, %" PRIu64 " misses, %" PRIu64
		        " blocks read ahead (%" PRIu32 " slots, %zu bytes); device %" PRIu64
		        " reads, %" PRIu64 " bytes read; heap peak %zu bytes, %zu still held\n",
		        cli_prog, cs->hits, cs->misses, cs->readahead,
		        ntfs_cache_slots(&dev->cache), dev->cache_mem_size, dev->reads,
		        dev->bytes_read, dev->heap_peak, dev->heap_in_use);
	}
	ntfs_posix_close(dev);
}

int cli_finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", cli_prog, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	return status;
}

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm). */
static void civil_from_days(int64_t z, int64_t *year, unsigned *month, unsigned *day)
{
	int64_t era, y;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = mp < 10 ? mp + 3 : mp - 9;
	*year = y + (*month <= 2);
}

void cli_format_time(uint64_t ntfs_time, char buf[CLI_TIME_LEN])
{
	/* Split before shifting the epoch, so times before 1970 need no signed division. */
	uint64_t secs = ntfs_time / 10000000u;
	uint64_t sod = secs % 86400u;
	int64_t days = (int64_t)(secs / 86400u) - 134774; /* 1601-01-01 to 1970-01-01 */
	int64_t year;
	unsigned month, day;

	civil_from_days(days, &year, &month, &day);
	snprintf(buf, CLI_TIME_LEN, "%04lld-%02u-%02u %02u:%02u:%02u", (long long)year, month, day,
	         (unsigned)(sod / 3600u), (unsigned)(sod / 60u % 60u), (unsigned)(sod % 60u));
}
