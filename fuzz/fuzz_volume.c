/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A whole volume: mount, walk the tree, read every stream, count free
 * clusters.
 *
 * Input ("patched disk"):
 *   byte 0    template: 0 ntfs-c512, 1 ntfs-s4k (4 KiB sectors and
 *             records), 2 ntfs-mftlist ($MFT with an attribute list),
 *             3 ntfs-frag (extension records), 4 ntfs-c64k, 5 ntfs-c4k,
 *             6 ntfs-c2m (2 MiB clusters), 7 none: the rest of the input
 *             after byte 1 is the disk itself (reads past its end, rounded
 *             up to 64 KiB, fail)
 *   byte 1    bits 0-1 read_align 512, 4096, 1024, 65536; bit 2 tell the
 *             library the volume size (so it tries the backup boot sector)
 *   then      patches over the template: offset (4 bytes, little-endian,
 *             taken modulo the disk size), length (2 bytes), bytes; the
 *             last patch may be cut short by the end of the input
 *
 * The templates are test/images/NAME.img.xz, decompressed once per process.
 * The walk: depth <= 8, <= 200 entries; every file opened, stat'ed, its
 * attributes and streams listed and read (bounded), every name looked up
 * again in its directory.
 */
#include "harness.h"

#include <string.h>

#define MAX_PATCHES 64

static const char *const templates[7] = {
        "ntfs-c512", "ntfs-s4k", "ntfs-mftlist", "ntfs-frag", "ntfs-c64k", "ntfs-c4k", "ntfs-c2m",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t aligns[4] = {512, 4096, 1024, 65536};
	struct memdev_patch patches[MAX_PATCHES];
	struct ntfs_config cfg;
	struct memalloc a;
	struct memdev dev;
	ntfs_volume *vol;
	size_t pos = 2, np = 0;
	uint32_t align;
	int err;

	if (size < 2 || size > (1u << 20))
		return 0;
	align = aligns[data[1] & 3];
	if ((data[0] & 7) == 7) {
		uint64_t len = size - 2;
		memdev_init(&dev, data + 2, (len + 65535) & ~(uint64_t)65535, align);
		dev.data_len = len;
	} else {
		size_t len;
		const uint8_t *img = template_image(templates[data[0] & 7], &len);
		memdev_init(&dev, img, len, align);
		while (pos + 6 <= size && np < MAX_PATCHES) {
			struct memdev_patch *p = &patches[np++];
			uint32_t n = ntfsi_le16(data + pos + 4);
			p->off = ntfsi_le32(data + pos) % len;
			pos += 6;
			if (n > size - pos)
				n = (uint32_t)(size - pos);
			p->data = data + pos;
			p->len = n;
			pos += n;
		}
		dev.patches = patches;
		dev.npatches = np;
	}
	memalloc_init(&a);
	a.cap = FUZZ_ALLOC_CAP;
	memdev_config(&cfg, &dev, &a);
	if (data[1] & 4)
		cfg.volume_size = dev.size;
	err = ntfs_mount(&cfg, &vol);
	EXERCISE_CHECK_ERR(err);
	if (err == NTFS_OK) {
		struct ntfs_volume_info info;
		uint64_t free_clusters;
		ntfs_file *f;

		TS_CHECK(ntfs_volume_info(vol, &info) == NTFS_OK);
		TS_CHECK(info.label_len < sizeof info.label && info.label[info.label_len] == '\0');
		exercise_tree(vol, 8, 200);
		err = ntfs_volume_free_clusters(vol, &free_clusters);
		EXERCISE_CHECK_ERR(err);
		if (err == NTFS_OK)
			TS_CHECK(free_clusters <= info.total_clusters);
		{
			struct ntfs_mft_usage u;
			err = ntfs_volume_mft_usage(vol, &u);
			EXERCISE_CHECK_ERR(err);
			if (err == NTFS_OK)
				TS_CHECK(u.records == info.mft_records && u.in_use <= u.records &&
				         u.bitmap_records >= u.records);
		}
		err = ntfs_path_open(vol, "/nested/level1/../file-0.txt", &f);
		EXERCISE_CHECK_ERR(err);
		if (err == NTFS_OK)
			ntfs_file_close(f);
		ntfs_unmount(vol);
	}
	memalloc_expect(&a, 0, 0);
	return 0;
}
