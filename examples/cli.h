/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared code of the command-line tools (ntfs-ls, ntfs-cat, ntfs-info):
 * option handling, messages, mounting, time formatting.
 */
#ifndef NTFS_EXAMPLES_CLI_H
#define NTFS_EXAMPLES_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <ntfs/blockdev.h>
#include <ntfs/ntfs.h>
#include <ntfs/posix.h>

#if defined(__GNUC__) || defined(__clang__)
#define CLI_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CLI_PRINTF(fmt, args)
#endif

/* Exit statuses. */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAIL = 1,
	CLI_EXIT_USAGE = 2
};

/* getopt_long() values of the long-only options every tool takes. */
enum {
	CLI_OPT_OFFSET = 0x100,
	CLI_OPT_VERSION,
	CLI_OPT_STATS,
	CLI_OPT_PARTITION
};

/* Put these first in each tool's option table; add "h" to its short options. */
#define CLI_COMMON_OPTIONS                                                                         \
	{"offset", required_argument, NULL, CLI_OPT_OFFSET},                                       \
	        {"partition", required_argument, NULL, CLI_OPT_PARTITION},                         \
	        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, CLI_OPT_VERSION}, \
	{                                                                                          \
		"stats", no_argument, NULL, CLI_OPT_STATS                                          \
	}

/* Tool name used in messages, set by cli_init(). */
extern const char *cli_prog;
/* Byte offset of the volume in the image (--offset). */
extern uint64_t cli_offset;
/* --offset was given. */
extern bool cli_offset_set;
/* --partition N (1-based, as Linux numbers partitions), or 0. */
extern uint32_t cli_partition;
/* Bytes of the volume cli_mount() mounted last (the partition's length, or
 * from the offset to the end of the image). */
extern uint64_t cli_volume_size;
/* --stats (or NTFS_STATS in the environment): cli_unmount() reports what
 * the library cost. */
extern bool cli_stats;

/* Remember the tool's name and its usage text (printed by --help). */
void cli_init(const char *prog, const char *usage);

/*
 * Handle an option the tool itself does not know: --offset, --partition,
 * --stats, --help, --version, or an error getopt_long() already reported.
 * Exits unless the option was --offset, --partition or --stats.
 */
void cli_option(int opt, const char *arg);

/* Print "PROG: MESSAGE" and the usage to stderr, and exit with status 2. */
_Noreturn void cli_usage_error(const char *fmt, ...) CLI_PRINTF(1, 2);

/* Exit with status 2 unless there are between min and max operands left. */
void cli_operands(int argc, char **argv, int min, int max);

/* How cli_put_name() writes a string that came from the disk. */
enum cli_quote {
	CLI_QUOTE_NEEDED, /* as is, unless it would be unsafe or ambiguous */
	CLI_QUOTE_ALWAYS  /* always quoted: a field that must stay one word */
};

/*
 * Write NAME (UTF-8, from the disk) to F so that no control character
 * reaches a terminal: GNU ls's shell-escape quoting (CLI_QUOTE_ALWAYS:
 * shell-escape-always), which a shell with $'...' turns back into NAME.
 * CLI_QUOTE_NEEDED quotes only a name that holds a C0 or C1 control, DEL,
 * U+2028, U+2029 or a byte that is not UTF-8, or that starts with ' or ",
 * so that no plain name looks like a quoted one.
 */
void cli_put_name(FILE *f, const char *name, enum cli_quote how);

/* "PROG: WHAT: ntfs_strerror(err)" on stderr; WHAT as cli_put_name() writes it. */
void cli_error(const char *what, int err);

/* "PROG: WHAT: MESSAGE" on stderr; WHAT as cli_put_name() writes it. */
void cli_errorf(const char *what, const char *fmt, ...) CLI_PRINTF(2, 3);

/*
 * Mount the volume of IMAGE and return NTFS_OK, or print why and return an
 * error with the device closed. The volume is at --offset; or partition
 * --partition N of the image's MBR or GPT; or, with neither, at byte 0 if
 * the image starts with an NTFS boot sector, else the first NTFS partition
 * of its partition table.
 */
int cli_mount(const char *image, struct ntfs_posix_dev *dev, ntfs_volume **vol);

/* List IMAGE's partition table (ntfs-info --partitions) on stdout, one
 * partition a line; returns an exit status. */
int cli_list_partitions(const char *image);

/* Unmount and close what cli_mount() opened; with cli_stats, first print
 * the cache's hits and misses, the device reads and bytes, and the
 * library's heap peak to stderr. */
void cli_unmount(struct ntfs_posix_dev *dev, ntfs_volume *vol);

/* Flush stdout; turn a write error into status 1. Returns the exit status. */
int cli_finish(int status);

/* Enough for "YYYYY-MM-DD HH:MM:SS": 2^64 * 100 ns after 1601 is year 60056. */
#define CLI_TIME_LEN 32

/* Format an NTFS time (100 ns units since 1601-01-01 UTC) as UTC. */
void cli_format_time(uint64_t ntfs_time, char buf[CLI_TIME_LEN]);

#endif /* NTFS_EXAMPLES_CLI_H */
