/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntfs-cat: copy a file's unnamed $DATA stream, or a named stream, from an
 * NTFS image to standard output.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
        "Usage: ntfs-cat [--offset BYTES | --partition N] [--stats] [-s STREAM] IMAGE PATH\n"
        "Write the data of file PATH of the NTFS volume in IMAGE to standard output.\n"
        "\n"
        "  -s, --stream STREAM  write the named data stream STREAM instead\n"
        "      --offset BYTES   the volume starts BYTES into IMAGE (decimal or 0x hex)\n"
        "      --partition N    the volume is partition N of IMAGE's MBR or GPT (default:\n"
        "                       IMAGE itself, or else its first NTFS partition)\n"
        "      --stats          print cache hits and misses, device reads and heap peak\n"
        "                       to stderr on exit\n"
        "  -h, --help           print this help and exit\n"
        "      --version        print the version and exit\n";

/* Static, not heap: the tool's own memory stays apart from the library's,
 * which NTFS_STATS reports. 128 KiB keeps reads large enough to stream at
 * page-cache speed. */
#define CHUNK (128u * 1024u)

/* write() until all of buf is out: pipes and terminals take it piecemeal. */
static int write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copy the stream to stdout; return an exit status. */
static int copy(ntfs_stream *stream, const char *what)
{
	static unsigned char buf[CHUNK];
	uint64_t pos = 0;
	int status = CLI_EXIT_OK;

	for (;;) {
		size_t n;
		int err = ntfs_stream_read(stream, pos, buf, CHUNK, &n);

		if (err == NTFS_ERR_UNSUPPORTED && ntfs_stream_refusal(stream) != NULL) {
			cli_errorf(what, "%s: %s", ntfs_strerror(err), ntfs_stream_refusal(stream));
			status = CLI_EXIT_FAIL;
			break;
		}
		if (err != NTFS_OK) {
			cli_error(what, err);
			status = CLI_EXIT_FAIL;
			break;
		}
		if (n == 0)
			break;
		if (write_all(STDOUT_FILENO, buf, n) != 0) {
			fprintf(stderr, "%s: write error: %s\n", cli_prog, strerror(errno));
			status = CLI_EXIT_FAIL;
			break;
		}
		pos += n;
	}
	return status;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	        CLI_COMMON_OPTIONS,
	        {"stream", required_argument, NULL, 's'},
	        {NULL, 0, NULL, 0},
	};
	const char *image, *path, *stream_name = NULL, *what;
	struct ntfs_posix_dev dev;
	ntfs_volume *vol;
	ntfs_file *file;
	ntfs_stream *stream;
	char *label = NULL;
	int opt, err, status;

	cli_init("ntfs-cat", usage);
	while ((opt = getopt_long(argc, argv, "s:h", longopts, NULL)) != -1) {
		if (opt == 's')
			stream_name = optarg;
		else
			cli_option(opt, optarg);
	}
	cli_operands(argc, argv, 2, 2);
	image = argv[optind];
	path = argv[optind + 1];

	/* Name a named stream as PATH:STREAM in messages, as Windows does. */
	what = path;
	if (stream_name != NULL && *stream_name != '\0') {
		size_t len = strlen(path) + 1 + strlen(stream_name) + 1;

		label = malloc(len);
		if (label != NULL) {
			snprintf(label, len, "%s:%s", path, stream_name);
			what = label;
		}
	}

	if (cli_mount(image, &dev, &vol) != NTFS_OK) {
		free(label);
		return CLI_EXIT_FAIL;
	}
	status = CLI_EXIT_FAIL;
	err = ntfs_path_open(vol, path, &file);
	if (err == NTFS_OK) {
		err = ntfs_stream_open(file, stream_name, &stream);
		if (err == NTFS_OK) {
			status = copy(stream, what);
			ntfs_stream_close(stream);
		}
		ntfs_file_close(file);
	}
	if (err != NTFS_OK)
		cli_error(what, err);
	cli_unmount(&dev, vol);
	free(label);
	return status;
}
