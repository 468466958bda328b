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
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_prog = "ntfs";
uint64_t cli_offset;
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
		return;
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

int cli_mount(const char *image, struct ntfs_posix_dev *dev, ntfs_volume **vol)
{
	struct ntfs_config cfg;
	int err;

	/* Open and mount separately so an open failure can quote errno. */
	*vol = NULL;
	err = ntfs_posix_open(dev, image, cli_offset);
	if (err == NTFS_ERR_INVALID) {
		cli_errorf(image, "offset %llu is past the end of the image",
		           (unsigned long long)cli_offset);
		return err;
	}
	if (err != NTFS_OK) {
		cli_errorf(image, "%s", strerror(errno));
		return err;
	}
	ntfs_posix_config(dev, &cfg);
	err = ntfs_mount(&cfg, vol);
	if (err != NTFS_OK) {
		cli_error(image, err);
		ntfs_posix_close(dev);
		*vol = NULL;
	}
	return err;
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
