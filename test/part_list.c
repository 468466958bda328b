/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * part_list: the partition cursor over a disk image, for test/part_tools.py
 * (which checks it against sfdisk and sgdisk).
 *
 * Usage: part_list [--sector-size N] [--mount] IMAGE
 *
 * One line per partition:   part INDEX mbr|gpt START LENGTH TYPE UNIQUE ATTRS NAME
 * (bytes; TYPE two hex digits or a GUID; UNIQUE a GUID or '-'; NAME the
 * rest of the line); then one per NTFS volume found: ntfs INDEX START
 * LENGTH, and with --mount, the volume mounted through ntfs_blockdev_config:
 * mount INDEX SERIAL LABEL. An error: error CODE NAME, exit status 1.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ntfs/blockdev.h>

#include "memdev.h"

struct img {
	int fd;
	uint32_t ss;
};

static int img_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct img *m = ctx;
	size_t len = (size_t)count * m->ss;
	ssize_t got = pread(m->fd, buf, len, (off_t)(lba * m->ss));
	return got == (ssize_t)len ? 0 : -1;
}

static void guid(char *out, const uint8_t *g)
{
	sprintf(out, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", g[3],
	        g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13],
	        g[14], g[15]);
}

static int fail(int err)
{
	printf("error %d %s\n", err, ntfs_strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	struct img m = {-1, 512};
	struct ntfs_blockdev dev;
	struct ntfs_part_iter it;
	struct ntfs_part p;
	struct stat st;
	static uint8_t scratch[4096];
	int mount = 0, i, r;

	for (i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "--sector-size") == 0 && i + 1 < argc - 1)
			m.ss = (uint32_t)strtoul(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "--mount") == 0)
			mount = 1;
		else
			break;
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: part_list [--sector-size N] [--mount] IMAGE\n");
		return 2;
	}
	m.fd = open(argv[i], O_RDONLY);
	if (m.fd < 0 || fstat(m.fd, &st) != 0) {
		perror(argv[i]);
		return 2;
	}
	dev.read_sectors = img_read;
	dev.ctx = &m;
	dev.sector_size = m.ss;
	dev.sector_count = (uint64_t)st.st_size / m.ss;
	r = ntfs_part_open(&it, &dev, scratch);
	if (r != NTFS_OK)
		return fail(r);
	while ((r = ntfs_part_next(&it, &p)) == 1) {
		char t[40], u[40];
		if (p.scheme == NTFS_PART_MBR) {
			sprintf(t, "%02X", p.type);
			strcpy(u, "-");
		} else {
			guid(t, p.type_guid);
			guid(u, p.unique_guid);
		}
		printf("part %" PRIu32 " %s %" PRIu64 " %" PRIu64 " %s %s %016" PRIX64 " %s\n",
		       p.index, p.scheme == NTFS_PART_MBR ? "mbr" : "gpt", p.start, p.length, t, u,
		       p.attributes, p.name);
	}
	if (r < 0)
		return fail(r);
	r = ntfs_part_open(&it, &dev, scratch);
	while (r == NTFS_OK && (r = ntfs_part_next_ntfs(&it, &p)) == 1) {
		printf("ntfs %" PRIu32 " %" PRIu64 " %" PRIu64 "\n", p.index, p.start, p.length);
		if (mount) {
			struct ntfs_blockdev_range range;
			struct ntfs_config cfg;
			struct memalloc a;
			struct ntfs_volume_info info;
			ntfs_volume *vol;
			memset(&cfg, 0, sizeof cfg);
			memalloc_init(&a);
			cfg.alloc = memalloc_alloc;
			cfg.free = memalloc_free;
			cfg.alloc_ctx = &a;
			r = ntfs_blockdev_config(&dev, p.start, p.length, &range, &cfg);
			if (r == NTFS_OK)
				r = ntfs_mount(&cfg, &vol);
			if (r != NTFS_OK)
				return fail(r);
			ntfs_volume_info(vol, &info);
			printf("mount %" PRIu32 " %016" PRIX64 " %s\n", p.index, info.serial,
			       info.label);
			ntfs_unmount(vol);
		}
		r = NTFS_OK;
	}
	if (r < 0)
		return fail(r);
	close(m.fd);
	return 0;
}
