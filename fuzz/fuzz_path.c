/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path lookup: the input, NUL-terminated, is a path given to
 * ntfs_path_open() on two real volumes (test/images ntfs-c512 and ntfs-c4k,
 * whose big/ directory is a 20,000-entry B+tree), mounted once per process.
 * The file found is stat'ed and read a little. The input is also looked up
 * as one name in the root (ntfs_dir_lookup with its exact length, so
 * embedded NULs and slashes reach the lookup). Nothing may stay allocated.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static const char *const names[2] = {"ntfs-c512", "ntfs-c4k"};

static struct {
	struct memdev dev;
	struct memalloc alloc;
	ntfs_volume *vol;
	ntfs_file *root;
	size_t blocks, bytes;
} vols[2];

static void setup(unsigned k)
{
	struct ntfs_config cfg;
	size_t len;
	const uint8_t *img = template_image(names[k], &len);

	memalloc_init(&vols[k].alloc);
	vols[k].alloc.cap = FUZZ_ALLOC_CAP;
	memdev_init(&vols[k].dev, img, len, 512);
	memdev_config(&cfg, &vols[k].dev, &vols[k].alloc);
	cfg.volume_size = len;
	TS_CHECK(ntfs_mount(&cfg, &vols[k].vol) == NTFS_OK);
	TS_CHECK(ntfs_file_open(vols[k].vol, NTFS_ROOT_RECORD, &vols[k].root) == NTFS_OK);
	vols[k].blocks = vols[k].alloc.blocks;
	vols[k].bytes = vols[k].alloc.bytes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path;
	unsigned k;

	if (size > 16384)
		return 0;
	path = malloc(size + 1);
	TS_CHECK(path != NULL);
	memcpy(path, data, size);
	path[size] = '\0';
	for (k = 0; k < 2; k++) {
		struct ntfs_dirent ent;
		ntfs_file *f;
		size_t ws;
		int err;

		if (vols[k].vol == NULL)
			setup(k);
		err = ntfs_path_open(vols[k].vol, path, &f);
		EXERCISE_CHECK_ERR(err);
		if (err == NTFS_OK) {
			struct ntfs_stat st;
			ntfs_stream *s;
			TS_CHECK(ntfs_file_stat(f, &st) == NTFS_OK);
			if (ntfs_stream_open(f, NULL, &s) == NTFS_OK) {
				exercise_stream(s, 4096);
				ntfs_stream_close(s);
			}
			ntfs_file_close(f);
		}
		err = ntfs_dir_lookup(vols[k].root, (const char *)data, size, &ent);
		EXERCISE_CHECK_ERR(err);
		/* All closed: what mount held, and the decoder workspace the first
		 * compressed read allocated and the volume keeps. */
		ws = vols[k].vol->workspace != NULL;
		TS_CHECK(vols[k].vol->workspace_size <= ntfs_decoder_workspace_size());
		memalloc_expect(&vols[k].alloc, vols[k].blocks + ws,
		                vols[k].bytes + vols[k].vol->workspace_size);
	}
	free(path);
	return 0;
}
