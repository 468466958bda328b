/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntfs-mount: mount an NTFS volume read-only through FUSE (src/fuse).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "cli.h"
#include "ntfs_fuse.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
        "Usage: ntfs-mount [-o OPTIONS] [-f] [-d] [--offset BYTES | --partition N] IMAGE "
        "MOUNTPOINT\n"
        "Mount the NTFS volume in IMAGE (a file or a block device) read-only at MOUNTPOINT.\n"
        "Unmount with 'fusermount3 -u MOUNTPOINT' or 'umount MOUNTPOINT'.\n"
        "\n"
        "  -o OPTIONS           comma-separated mount options (ntfs-3g's names):\n"
        "                       ro (implied), allow_other, uid=N, gid=N, umask=OCTAL,\n"
        "                       fmask=OCTAL, dmask=OCTAL, offset=BYTES, show_sys_files,\n"
        "                       hide_hid_files, hide_dot_files, ignore_case, posix_nlink,\n"
        "                       streams_interface=xattr|windows|none; rw is refused\n"
        "  -f                   stay in the foreground\n"
        "  -d                   print every FUSE request (implies -f)\n"
        "      --offset BYTES   the volume starts BYTES into IMAGE (decimal or 0x hex)\n"
        "      --partition N    the volume is partition N of IMAGE's MBR or GPT (default:\n"
        "                       IMAGE itself, or else its first NTFS partition)\n"
        "  -h, --help           print this help and exit\n"
        "      --version        print the version and exit\n";

/* Decimal (uid=, gid=) or octal (masks); 0 on success. */
static int parse_num(const char *s, unsigned base, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, (int)base);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

/* One -o option; exits with a usage error on a bad one. */
static void mount_option(struct nfuse_options *o, char *opt)
{
	/* The options that only switch something on. */
	static const struct {
		const char *name;
		size_t at;
	} flags[] = {
	        {"allow_other", offsetof(struct nfuse_options, allow_other)},
	        {"show_sys_files", offsetof(struct nfuse_options, show_sys_files)},
	        {"hide_hid_files", offsetof(struct nfuse_options, hide_hid_files)},
	        {"ignore_case", offsetof(struct nfuse_options, ignore_case)},
	        {"posix_nlink", offsetof(struct nfuse_options, posix_nlink)},
	};
	char *val = strchr(opt, '=');
	unsigned long v;

	if (val != NULL)
		*val++ = '\0';
	if (val == NULL && (strcmp(opt, "ro") == 0 || strcmp(opt, "hide_dot_files") == 0)) {
		/* ro: always. hide_dot_files marks files it creates hidden: none. */
		return;
	}
	if (val == NULL && strcmp(opt, "rw") == 0)
		cli_usage_error("option 'rw': ntfs-mount only mounts read-only");
	for (size_t i = 0; val == NULL && i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (strcmp(opt, flags[i].name) == 0) {
			*(bool *)((char *)o + flags[i].at) = true;
			return;
		}
	}
	if (val != NULL && (strcmp(opt, "uid") == 0 || strcmp(opt, "gid") == 0)) {
		if (parse_num(val, 10, 0xFFFFFFFEul, &v) != 0)
			cli_usage_error("option '%s=%s': not a user or group number", opt, val);
		if (opt[0] == 'u') {
			o->uid = (uid_t)v;
			o->uid_set = true;
		} else {
			o->gid = (gid_t)v;
			o->gid_set = true;
		}
		return;
	}
	if (val != NULL &&
	    (strcmp(opt, "umask") == 0 || strcmp(opt, "fmask") == 0 || strcmp(opt, "dmask") == 0)) {
		if (parse_num(val, 8, 0777, &v) != 0)
			cli_usage_error("option '%s=%s': not an octal mask of 0 to 777", opt, val);
		if (opt[0] != 'd')
			o->fmask = (mode_t)v;
		if (opt[0] != 'f')
			o->dmask = (mode_t)v;
		o->masks_set = true;
		return;
	}
	if (val != NULL && strcmp(opt, "offset") == 0) {
		cli_option(CLI_OPT_OFFSET, val);
		return;
	}
	if (val != NULL && strcmp(opt, "streams_interface") == 0) {
		if (strcmp(val, "xattr") == 0)
			o->streams = NFUSE_STREAMS_XATTR;
		else if (strcmp(val, "none") == 0)
			o->streams = NFUSE_STREAMS_NONE;
		else if (strcmp(val, "windows") == 0)
			o->streams = NFUSE_STREAMS_WINDOWS;
		else
			cli_usage_error("option 'streams_interface=%s': xattr, windows or none",
			                val);
		return;
	}
	if (val != NULL)
		cli_usage_error("unknown mount option '%s=%s'", opt, val);
	cli_usage_error("unknown mount option '%s'", opt);
}

static void mount_options(struct nfuse_options *o, const char *arg)
{
	char *copy = strdup(arg), *p, *save = NULL;

	if (copy == NULL) {
		perror(cli_prog);
		exit(CLI_EXIT_FAIL);
	}
	for (p = strtok_r(copy, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save))
		mount_option(o, p);
	free(copy);
}

/* Warn when what the mount shows may be stale: a dirty volume, or one
 * Windows hibernated (fast startup) with changes still in hiberfil.sys. */
static void warn_state(const char *image, ntfs_volume *vol)
{
	struct ntfs_volume_info info;
	unsigned char magic[4];
	ntfs_file *file;
	ntfs_stream *stream;
	size_t n = 0;

	ntfs_volume_info(vol, &info);
	if (info.dirty)
		cli_errorf(image, "warning: the volume is marked dirty (Windows did not finish "
		                  "with it, or it needs chkdsk): what the mount shows may be "
		                  "inconsistent");
	if (ntfs_path_open(vol, "/hiberfil.sys", &file) != NTFS_OK)
		return;
	if (ntfs_stream_open(file, NULL, &stream) == NTFS_OK) {
		if (ntfs_stream_read(stream, 0, magic, sizeof(magic), &n) == NTFS_OK && n == 4 &&
		    (memcmp(magic, "hibr", 4) == 0 || memcmp(magic, "HIBR", 4) == 0))
			cli_errorf(image, "warning: Windows is hibernated (or was shut down with "
			                  "fast startup): its latest changes are not on the "
			                  "volume yet");
		ntfs_stream_close(stream);
	}
	ntfs_file_close(file);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	        {"offset", required_argument, NULL, CLI_OPT_OFFSET},
	        {"partition", required_argument, NULL, CLI_OPT_PARTITION},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, CLI_OPT_VERSION},
	        {NULL, 0, NULL, 0},
	};
	struct nfuse_options opts;
	struct nfuse_source src;
	struct ntfs_posix_dev dev;
	ntfs_volume *vol;
	bool foreground = false, debug = false;
	int opt, status;

	memset(&opts, 0, sizeof(opts));
	opts.uid = getuid();
	opts.gid = getgid();
	opts.streams = NFUSE_STREAMS_XATTR;
	cli_init("ntfs-mount", usage);
	while ((opt = getopt_long(argc, argv, "o:fdh", longopts, NULL)) != -1) {
		if (opt == 'o')
			mount_options(&opts, optarg);
		else if (opt == 'f')
			foreground = true;
		else if (opt == 'd')
			debug = true;
		else
			cli_option(opt, optarg);
	}
	cli_operands(argc, argv, 2, 2);

	if (cli_mount(argv[optind], &dev, &vol) != NTFS_OK)
		return CLI_EXIT_FAIL;
	warn_state(argv[optind], vol);
	/* That mount only checked the volume; the FUSE session mounts its own
	 * handles from the same read-only descriptor. */
	ntfs_unmount(vol);
	src.fd = dev.fd;
	src.offset = dev.offset;
	src.size = cli_volume_size;
	src.read_align = dev.read_align;
	status = nfuse_run(&src, &opts, argv[optind], argv[optind + 1], foreground, debug);
	ntfs_posix_close(&dev);
	return status;
}
