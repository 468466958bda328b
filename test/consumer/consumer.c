/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A program that uses an installed ntfs: built by CI once through
 * find_package(ntfs) and once through pkg-config, against static and
 * shared builds. It prints the version it was compiled and linked with,
 * then copies PATH of the volume in IMAGE to stdout.
 */
#include <stdio.h>
#include <string.h>

#include <ntfs/ntfs.h>
#include <ntfs/posix.h>

int main(int argc, char **argv)
{
	static char buf[16384];
	struct ntfs_posix_dev dev;
	ntfs_volume *vol = NULL;
	ntfs_file *file = NULL;
	ntfs_stream *stream = NULL;
	uint64_t pos = 0;
	size_t n;
	int err;

	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("%s\n", NTFS_VERSION_STRING);
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: %s IMAGE PATH | --version\n", argv[0]);
		return 2;
	}
	err = ntfs_posix_mount(&dev, argv[1], 0, &vol);
	if (!err)
		err = ntfs_path_open(vol, argv[2], &file);
	if (!err)
		err = ntfs_stream_open(file, NULL, &stream);
	while (!err && !(err = ntfs_stream_read(stream, pos, buf, sizeof buf, &n)) && n > 0) {
		fwrite(buf, 1, n, stdout);
		pos += n;
	}
	if (err)
		fprintf(stderr, "consumer: %s\n", ntfs_strerror(err));
	ntfs_stream_close(stream);
	ntfs_file_close(file);
	ntfs_unmount(vol);
	if (vol)
		ntfs_posix_close(&dev);
	return err ? 1 : 0;
}
