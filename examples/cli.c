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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_prog = "ntfs";
uint64_t cli_offset;
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

void cli_error(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", cli_prog, what, ntfs_strerror(err));
}

void cli_errorf(const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", cli_prog, what);
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
	/* NTFS_STATS=1: what the library cost, for bench/run.sh and docs. */
	if (getenv("NTFS_STATS") != NULL)
		fprintf(stderr,
		        "%s: stats: heap peak %zu bytes, %zu still held, %" PRIu64
		        " reads, %" PRIu64 " bytes read\n",
		        cli_prog, dev->heap_peak, dev->heap_in_use, dev->reads, dev->bytes_read);
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
