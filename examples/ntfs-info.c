/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntfs-info: print the facts of an NTFS volume, or everything the library
 * knows about one file: its metadata, attributes, streams and runs.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "cli.h"
#include "sddl.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
        "Usage: ntfs-info [--offset BYTES | --partition N] [--stats] IMAGE [PATH]\n"
        "       ntfs-info --partitions IMAGE\n"
        "Print the facts of the NTFS volume in IMAGE, or with PATH, the metadata,\n"
        "security descriptor (as SDDL), attributes, streams and runs of that file.\n"
        "\n"
        "      --offset BYTES   the volume starts BYTES into IMAGE (decimal or 0x hex)\n"
        "      --partition N    the volume is partition N of IMAGE's MBR or GPT (default:\n"
        "                       IMAGE itself, or else its first NTFS partition)\n"
        "      --partitions     list IMAGE's partition table and exit\n"
        "      --stats          print cache hits and misses, device reads and heap peak\n"
        "                       to stderr on exit\n"
        "  -h, --help           print this help and exit\n"
        "      --version        print the version and exit\n";

static const char *attr_type_name(uint32_t type)
{
	switch (type) {
	case NTFS_AT_STANDARD_INFORMATION:
		return "$STANDARD_INFORMATION";
	case NTFS_AT_ATTRIBUTE_LIST:
		return "$ATTRIBUTE_LIST";
	case NTFS_AT_FILE_NAME:
		return "$FILE_NAME";
	case NTFS_AT_OBJECT_ID:
		return "$OBJECT_ID";
	case NTFS_AT_SECURITY_DESCRIPTOR:
		return "$SECURITY_DESCRIPTOR";
	case NTFS_AT_VOLUME_NAME:
		return "$VOLUME_NAME";
	case NTFS_AT_VOLUME_INFORMATION:
		return "$VOLUME_INFORMATION";
	case NTFS_AT_DATA:
		return "$DATA";
	case NTFS_AT_INDEX_ROOT:
		return "$INDEX_ROOT";
	case NTFS_AT_INDEX_ALLOCATION:
		return "$INDEX_ALLOCATION";
	case NTFS_AT_BITMAP:
		return "$BITMAP";
	case NTFS_AT_REPARSE_POINT:
		return "$REPARSE_POINT";
	case NTFS_AT_EA_INFORMATION:
		return "$EA_INFORMATION";
	case NTFS_AT_EA:
		return "$EA";
	case NTFS_AT_LOGGED_UTILITY_STREAM:
		return "$LOGGED_UTILITY_STREAM";
	default:
		return "unknown";
	}
}

static const char *type_name(unsigned type)
{
	static const char *const names[] = {"file",   "directory",        "symlink",     "fifo",
	                                    "socket", "character device", "block device"};
	return type < sizeof names / sizeof names[0] ? names[type] : "unknown";
}

static const char *reparse_name(uint32_t tag)
{
	switch (tag) {
	case NTFS_REPARSE_TAG_MOUNT_POINT:
		return "junction";
	case NTFS_REPARSE_TAG_SYMLINK:
		return "symlink";
	case NTFS_REPARSE_TAG_DEDUP:
		return "deduplicated";
	case NTFS_REPARSE_TAG_WOF:
		return "WOF";
	case NTFS_REPARSE_TAG_LX_SYMLINK:
		return "WSL symlink";
	case NTFS_REPARSE_TAG_AF_UNIX:
		return "WSL socket";
	case NTFS_REPARSE_TAG_LX_FIFO:
		return "WSL FIFO";
	case NTFS_REPARSE_TAG_LX_CHR:
		return "WSL character device";
	case NTFS_REPARSE_TAG_LX_BLK:
		return "WSL block device";
	default:
		return "other reparse point";
	}
}

struct flag_name {
	uint32_t bit;
	const char *name;
};

/* $STANDARD_INFORMATION bits; those ntfs.h does not name are spelled out here. */
static const struct flag_name file_flags[] = {
        {NTFS_FILE_ATTR_READONLY, "readonly"},
        {NTFS_FILE_ATTR_HIDDEN, "hidden"},
        {NTFS_FILE_ATTR_SYSTEM, "system"},
        {NTFS_FILE_ATTR_DIRECTORY, "directory"},
        {NTFS_FILE_ATTR_ARCHIVE, "archive"},
        {0x00000080u, "normal"},
        {0x00000100u, "temporary"},
        {NTFS_FILE_ATTR_SPARSE, "sparse"},
        {NTFS_FILE_ATTR_REPARSE, "reparse"},
        {NTFS_FILE_ATTR_COMPRESSED, "compressed"},
        {0x00001000u, "offline"},
        {0x00002000u, "not_content_indexed"},
        {NTFS_FILE_ATTR_ENCRYPTED, "encrypted"},
        {0x10000000u, "directory_index"}, /* $FILE_NAME copies: has an $I30 index */
        {0x20000000u, "view_index"},      /* has another index ($Secure, $Quota...) */
        {0, NULL},
};

static const struct flag_name attr_flags[] = {
        {NTFS_ATTR_FLAG_COMPRESSED, "compressed"},
        {NTFS_ATTR_FLAG_ENCRYPTED, "encrypted"},
        {NTFS_ATTR_FLAG_SPARSE, "sparse"},
        {0, NULL},
};

/* "0xHEX (name,name)": the raw value first, so unknown bits are never lost. */
static void print_flags(uint32_t value, unsigned digits, const struct flag_name *names)
{
	const char *sep = " (";

	printf("0x%0*" PRIX32, (int)digits, value);
	for (; names->name != NULL; names++) {
		if (value & names->bit) {
			printf("%s%s", sep, names->name);
			sep = ",";
		}
	}
	if (sep[0] == ',')
		putchar(')');
}

static void print_time(const char *key, uint64_t t)
{
	char buf[CLI_TIME_LEN];

	cli_format_time(t, buf);
	printf("%s: %s (%" PRIu64 ")\n", key, buf, t);
}

static int volume_facts(ntfs_volume *vol, const char *image)
{
	struct ntfs_volume_info vi;
	uint64_t free_clusters;
	int err, status = CLI_EXIT_OK;

	err = ntfs_volume_info(vol, &vi);
	if (err != NTFS_OK) {
		cli_error(image, err);
		return CLI_EXIT_FAIL;
	}
	fputs("label: ", stdout);
	cli_put_name(stdout, vi.label, CLI_QUOTE_NEEDED);
	putchar('\n');
	printf("serial: %016" PRIX64 "\n", vi.serial);
	printf("version: %u.%u\n", (unsigned)vi.major_version, (unsigned)vi.minor_version);
	printf("dirty: %s\n", vi.dirty ? "yes" : "no");
	printf("sector size: %" PRIu32 "\n", vi.sector_size);
	printf("cluster size: %" PRIu32 "\n", vi.cluster_size);
	printf("record size: %" PRIu32 "\n", vi.record_size);
	printf("index block size: %" PRIu32 "\n", vi.index_block_size);
	printf("total clusters: %" PRIu64 "\n", vi.total_clusters);
	/* Counting reads all of $Bitmap; a failure still leaves the rest useful. */
	err = ntfs_volume_free_clusters(vol, &free_clusters);
	if (err == NTFS_OK) {
		printf("free clusters: %" PRIu64 "\n", free_clusters);
	} else {
		cli_errorf(image, "free clusters: %s", ntfs_strerror(err));
		status = CLI_EXIT_FAIL;
	}
	printf("MFT LCN: %" PRIu64 "\n", vi.mft_lcn);
	printf("MFTMirr LCN: %" PRIu64 "\n", vi.mftmirr_lcn);
	printf("MFT records: %" PRIu64 "\n", vi.mft_records);
	return status;
}

static void file_facts(const struct ntfs_stat *st)
{
	printf("record: %" PRIu64 "\n", (uint64_t)NTFS_REF_RECORD(st->ref));
	printf("sequence: %u\n", (unsigned)NTFS_REF_SEQUENCE(st->ref));
	printf("link count: %u\n", (unsigned)st->link_count);
	printf("type: %s\n", type_name(st->type));
	if (st->type == NTFS_TYPE_CHAR || st->type == NTFS_TYPE_BLOCK)
		printf("device: %" PRIu64 ",%" PRIu64 "\n", st->rdev_major, st->rdev_minor);
	if (st->wsl & NTFS_WSL_UID)
		printf("wsl uid: %" PRIu32 "\n", st->uid);
	if (st->wsl & NTFS_WSL_GID)
		printf("wsl gid: %" PRIu32 "\n", st->gid);
	if (st->wsl & NTFS_WSL_MODE)
		printf("wsl mode: 0%" PRIo32 "\n", st->mode);
	print_time("creation time", st->creation_time);
	print_time("modification time", st->modification_time);
	print_time("MFT change time", st->mft_change_time);
	print_time("access time", st->access_time);
	printf("size: %" PRIu64 "\n", st->size);
	printf("allocated size: %" PRIu64 "\n", st->allocated_size);
	printf("initialized size: %" PRIu64 "\n", st->initialized_size);
	fputs("file attributes: ", stdout);
	print_flags(st->attributes, 8, file_flags);
	putchar('\n');
}

static void print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

/*
 * "security descriptor: HEX" then "security: SDDL" (sddl.h), or
 * "security: none" for a file without a descriptor. The first read asks
 * for a small buffer; a larger descriptor says its size (at most
 * NTFS_MAX_SECURITY_SIZE), and is read again once.
 */
static int print_security(ntfs_file *file, const char *path)
{
	size_t cap = 512, len = 0;
	uint8_t *sd = malloc(cap);
	char *text = NULL;
	long n;
	int err;

	if (sd == NULL) {
		cli_errorf(path, "security: out of memory");
		return CLI_EXIT_FAIL;
	}
	err = ntfs_file_security(file, sd, cap, &len);
	if (err == NTFS_ERR_LIMIT && len > cap) {
		uint8_t *bigger = realloc(sd, len);
		if (bigger == NULL) {
			free(sd);
			cli_errorf(path, "security: out of memory");
			return CLI_EXIT_FAIL;
		}
		sd = bigger;
		cap = len;
		err = ntfs_file_security(file, sd, cap, &len);
	}
	if (err == NTFS_ERR_NOT_FOUND) {
		free(sd);
		puts("security: none");
		return CLI_EXIT_OK;
	}
	if (err != NTFS_OK) {
		free(sd);
		cli_errorf(path, "security: %s", ntfs_strerror(err));
		return CLI_EXIT_FAIL;
	}
	n = sddl_render(sd, len, NULL, 0);
	if (n >= 0 && (text = malloc((size_t)n + 1)) != NULL)
		sddl_render(sd, len, text, (size_t)n + 1);
	fputs("security descriptor: ", stdout);
	print_hex(sd, len);
	putchar('\n');
	free(sd);
	if (text == NULL) {
		cli_errorf(path, "security: %s", n < 0 ? "not a descriptor" : "out of memory");
		return CLI_EXIT_FAIL;
	}
	printf("security: %s\n", text);
	free(text);
	return CLI_EXIT_OK;
}

/* One line per attribute extent, as ntfs_attr_next() yields them. */
static int list_attributes(ntfs_file *file, const char *path)
{
	struct ntfs_attr_info ai;
	uint32_t cursor = 0;
	int status = CLI_EXIT_OK;
	int r;

	for (;;) {
		/* Zeroed so a NAME error, whose fields ntfs.h does not promise, prints 0s. */
		memset(&ai, 0, sizeof(ai));
		r = ntfs_attr_next(file, &cursor, &ai);
		if (r == 0)
			break;
		if (r == NTFS_ERR_NAME) {
			/* The cursor moved on: note the bad one and go on. */
			cli_errorf(path, "attribute 0x%" PRIX32 " in record %" PRIu64 ": %s",
			           ai.type, ai.record, ntfs_strerror(r));
			status = CLI_EXIT_FAIL;
			continue;
		}
		if (r < 0) {
			cli_errorf(path, "attributes: %s", ntfs_strerror(r));
			return CLI_EXIT_FAIL;
		}
		printf("attribute: %s (0x%" PRIX32 ") name=", attr_type_name(ai.type), ai.type);
		cli_put_name(stdout, ai.name, CLI_QUOTE_ALWAYS);
		printf(" id=%u record=%" PRIu64 " flags=", (unsigned)ai.id, ai.record);
		print_flags(ai.flags, 4, attr_flags);
		if (ai.resident) {
			printf(" resident size=%" PRIu64 "\n", ai.size);
			continue;
		}
		printf(" non-resident vcn=%" PRIu64 "-%" PRIu64, ai.lowest_vcn, ai.highest_vcn);
		/* Only the first extent carries the sizes. */
		if (ai.lowest_vcn == 0)
			printf(" size=%" PRIu64 " allocated=%" PRIu64 " initialized=%" PRIu64
			       " compression_unit=%u",
			       ai.size, ai.allocated_size, ai.initialized_size,
			       (unsigned)ai.compression_unit);
		putchar('\n');
	}
	return status;
}

static int list_streams(ntfs_file *file, const char *path)
{
	struct ntfs_stream_info si;
	uint32_t cursor = 0;
	int status = CLI_EXIT_OK;
	int r;

	while ((r = ntfs_stream_next(file, &cursor, &si)) != 0) {
		if (r == NTFS_ERR_NAME) {
			cli_errorf(path, "stream: %s", ntfs_strerror(r));
			status = CLI_EXIT_FAIL;
			continue;
		}
		if (r < 0) {
			cli_errorf(path, "streams: %s", ntfs_strerror(r));
			return CLI_EXIT_FAIL;
		}
		fputs("stream: ", stdout);
		cli_put_name(stdout, si.name, CLI_QUOTE_ALWAYS);
		printf(" %s size=%" PRIu64 " allocated=%" PRIu64 " initialized=%" PRIu64 " flags=",
		       si.resident ? "resident" : "non-resident", si.size, si.allocated_size,
		       si.initialized_size);
		print_flags(si.flags, 4, attr_flags);
		putchar('\n');
	}
	return status;
}

/*
 * Print the runs of one stream, from VCN 0 on. A hostile runlist must not
 * make this loop forever: every run must contain the VCN asked for and end
 * past it, and the walk stops at the stream's allocated clusters.
 */
static int list_runs(ntfs_stream *stream, const struct ntfs_stream_info *si, uint32_t cluster_size,
                     const char *what)
{
	uint64_t clusters, vcn = 0;
	struct ntfs_run run;
	int r;

	if (cluster_size == 0)
		return CLI_EXIT_FAIL;
	clusters = si->allocated_size / cluster_size + (si->allocated_size % cluster_size != 0);
	while (vcn < clusters) {
		r = ntfs_stream_map(stream, vcn, &run);
		if (r == 0)
			return CLI_EXIT_OK;
		if (r < 0) {
			cli_errorf(what, "run at VCN %" PRIu64 ": %s", vcn, ntfs_strerror(r));
			return CLI_EXIT_FAIL;
		}
		if (run.length == 0 || run.vcn > vcn || run.length > UINT64_MAX - run.vcn ||
		    run.vcn + run.length <= vcn) {
			cli_errorf(what, "run at VCN %" PRIu64 " does not cover it", vcn);
			return CLI_EXIT_FAIL;
		}
		fputs("run: ", stdout);
		cli_put_name(stdout, si->name, CLI_QUOTE_ALWAYS);
		if (run.lcn == NTFS_LCN_HOLE)
			printf(" %" PRIu64 " hole %" PRIu64 "\n", run.vcn, run.length);
		else
			printf(" %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", run.vcn, run.lcn,
			       run.length);
		vcn = run.vcn + run.length;
	}
	/* Runs past the allocation are not printed, but they are worth a word. */
	if (ntfs_stream_map(stream, vcn, &run) == 1) {
		cli_errorf(what, "runs go on past the allocated size (VCN %" PRIu64 ")", vcn);
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

static int list_all_runs(ntfs_file *file, const char *path, uint32_t cluster_size)
{
	struct ntfs_stream_info si;
	uint32_t cursor = 0;
	int status = CLI_EXIT_OK;
	int r;

	/* Errors of ntfs_stream_next() were reported by list_streams(). */
	while ((r = ntfs_stream_next(file, &cursor, &si)) == 1 || r == NTFS_ERR_NAME) {
		char what[4096];
		ntfs_stream *stream;
		int err;

		if (r != 1 || si.resident)
			continue;
		snprintf(what, sizeof(what), "%s%s%s", path, si.name[0] ? ":" : "", si.name);
		err = ntfs_stream_open(file, si.name, &stream);
		if (err != NTFS_OK) {
			cli_error(what, err);
			status = CLI_EXIT_FAIL;
			continue;
		}
		if (list_runs(stream, &si, cluster_size, what) != CLI_EXIT_OK)
			status = CLI_EXIT_FAIL;
		ntfs_stream_close(stream);
	}
	return status;
}

/* A UTF-16LE name inside a reparse value, as one quoted word. */
static void print_utf16le(const uint8_t *p, uint32_t len)
{
	uint16_t units[NTFS_REPARSE_MAX / 2];
	static char utf8[NTFS_TARGET_MAX];

	for (uint32_t i = 0; i < len / 2; i++)
		units[i] = (uint16_t)(p[2 * i] | p[2 * i + 1] << 8);
	if (ntfs_utf16_to_utf8(units, len / 2, utf8, sizeof utf8, NULL) == NTFS_OK)
		cli_put_name(stdout, utf8, CLI_QUOTE_ALWAYS);
	else
		fputs("(not valid UTF-16)", stdout);
}

/* The reparse point: tag, what it means, its data in hex, a link's target. */
static int reparse_facts(ntfs_file *file, const struct ntfs_stat *st, const char *path)
{
	static uint8_t value[NTFS_REPARSE_MAX];
	static char target[NTFS_TARGET_MAX];
	struct ntfs_reparse rp;
	size_t len;
	int err;

	if (st->reparse_tag == 0 && (st->type == NTFS_TYPE_FILE || st->type == NTFS_TYPE_DIR))
		return CLI_EXIT_OK;
	if (st->reparse_tag != 0) {
		err = ntfs_file_reparse(file, value, sizeof value, &len);
		if (err == NTFS_OK)
			err = ntfs_reparse_parse(value, len, &rp);
		if (err != NTFS_OK) {
			cli_errorf(path, "reparse point: %s", ntfs_strerror(err));
			return CLI_EXIT_FAIL;
		}
		printf("reparse tag: 0x%08" PRIX32 " (%s)\n", rp.tag, reparse_name(rp.tag));
		fputs("reparse data: ", stdout);
		print_hex(value + rp.data_off, rp.data_len);
		putchar('\n');
		if (rp.tag == NTFS_REPARSE_TAG_SYMLINK || rp.tag == NTFS_REPARSE_TAG_MOUNT_POINT) {
			fputs("substitute name: ", stdout);
			print_utf16le(value + rp.subst_off, rp.subst_len);
			fputs("\nprint name: ", stdout);
			print_utf16le(value + rp.print_off, rp.print_len);
			putchar('\n');
			if (rp.tag == NTFS_REPARSE_TAG_SYMLINK)
				printf("symlink flags: 0x%" PRIX32 "%s\n", rp.flags,
				       rp.flags & NTFS_SYMLINK_RELATIVE ? " (relative)" : "");
		}
		if (rp.tag == NTFS_REPARSE_TAG_WOF)
			printf("WOF provider: %" PRIu32 " algorithm: %" PRIu32 "\n",
			       rp.wof_provider, rp.wof_algorithm);
	} else {
		puts("interix: yes");
	}
	if (st->type != NTFS_TYPE_SYMLINK)
		return CLI_EXIT_OK;
	err = ntfs_file_readlink(file, target, sizeof target, NULL);
	if (err != NTFS_OK) {
		cli_errorf(path, "link target: %s", ntfs_strerror(err));
		return CLI_EXIT_FAIL;
	}
	fputs("link target: ", stdout);
	cli_put_name(stdout, target, CLI_QUOTE_ALWAYS);
	putchar('\n');
	return CLI_EXIT_OK;
}

/* One line per extended attribute: flags, name, value in hex. */
static int list_eas(ntfs_file *file, const char *path)
{
	static uint8_t value[UINT16_MAX];
	struct ntfs_ea_info ea;
	uint32_t cursor = 0;
	int r;

	while ((r = ntfs_ea_next(file, &cursor, &ea)) == 1) {
		r = ntfs_ea_read(file, &ea, value, sizeof value);
		if (r != NTFS_OK)
			break;
		printf("ea: ");
		cli_put_name(stdout, ea.name, CLI_QUOTE_ALWAYS);
		printf(" flags=0x%02X size=%u value=", (unsigned)ea.flags, (unsigned)ea.value_len);
		print_hex(value, ea.value_len);
		putchar('\n');
	}
	if (r < 0) {
		cli_errorf(path, "extended attributes: %s", ntfs_strerror(r));
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

static int file_info(ntfs_volume *vol, const char *path)
{
	struct ntfs_volume_info vi;
	struct ntfs_stat st;
	ntfs_file *file;
	int err, status = CLI_EXIT_OK;

	err = ntfs_volume_info(vol, &vi);
	if (err == NTFS_OK)
		err = ntfs_path_open(vol, path, &file);
	if (err != NTFS_OK) {
		cli_error(path, err);
		return CLI_EXIT_FAIL;
	}
	err = ntfs_file_stat(file, &st);
	if (err == NTFS_OK) {
		file_facts(&st);
		if (reparse_facts(file, &st, path) != CLI_EXIT_OK)
			status = CLI_EXIT_FAIL;
	} else {
		cli_error(path, err);
		status = CLI_EXIT_FAIL;
	}
	if (print_security(file, path) != CLI_EXIT_OK)
		status = CLI_EXIT_FAIL;
	if (list_attributes(file, path) != CLI_EXIT_OK)
		status = CLI_EXIT_FAIL;
	if (list_streams(file, path) != CLI_EXIT_OK)
		status = CLI_EXIT_FAIL;
	if (list_eas(file, path) != CLI_EXIT_OK)
		status = CLI_EXIT_FAIL;
	if (list_all_runs(file, path, vi.cluster_size) != CLI_EXIT_OK)
		status = CLI_EXIT_FAIL;
	ntfs_file_close(file);
	return status;
}

int main(int argc, char **argv)
{
	enum {
		OPT_PARTITIONS = 0x200
	};
	static const struct option longopts[] = {
	        CLI_COMMON_OPTIONS,
	        {"partitions", no_argument, NULL, OPT_PARTITIONS},
	        {NULL, 0, NULL, 0},
	};
	struct ntfs_posix_dev dev;
	ntfs_volume *vol;
	bool partitions = false;
	int opt, status;

	cli_init("ntfs-info", usage);
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == OPT_PARTITIONS)
			partitions = true;
		else
			cli_option(opt, optarg);
	}
	if (partitions) {
		cli_operands(argc, argv, 1, 1);
		return cli_finish(cli_list_partitions(argv[optind]));
	}
	cli_operands(argc, argv, 1, 2);

	if (cli_mount(argv[optind], &dev, &vol) != NTFS_OK)
		return CLI_EXIT_FAIL;
	if (optind + 1 < argc)
		status = file_info(vol, argv[optind + 1]);
	else
		status = volume_facts(vol, argv[optind]);
	cli_unmount(&dev, vol);
	return cli_finish(status);
}
