/* SPDX-License-Identifier: BSD-2-Clause */
/* Print a file of an NTFS image to stdout: api_example IMAGE PATH */
#include <stdio.h>
#include <ntfs/ntfs.h>
#include <ntfs/posix.h>

int main(int argc, char **argv)
{
	static char buf[64 * 1024];
	struct ntfs_posix_dev dev;
	ntfs_volume *vol = NULL;
	ntfs_file *file = NULL;
	ntfs_stream *stream = NULL;
	uint64_t pos = 0;
	size_t n;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: %s IMAGE PATH\n", argv[0]);
		return 2;
	}
	err = ntfs_posix_mount(&dev, argv[1], 0, &vol);
	if (!err)
		err = ntfs_path_open(vol, argv[2], &file);
	if (!err)
		err = ntfs_stream_open(file, NULL, &stream); /* the unnamed $DATA stream */
	while (!err && !(err = ntfs_stream_read(stream, pos, buf, sizeof(buf), &n)) && n > 0) {
		fwrite(buf, 1, n, stdout);
		pos += n;
	}
	if (err)
		fprintf(stderr, "%s: %s: %s\n", argv[1], argv[2], ntfs_strerror(err));
	/* Close in reverse order; every close accepts NULL. */
	ntfs_stream_close(stream);
	ntfs_file_close(file);
	ntfs_unmount(vol);
	if (vol)
		ntfs_posix_close(&dev); /* a failed ntfs_posix_mount() closed it already */
	return err ? 1 : 0;
}
