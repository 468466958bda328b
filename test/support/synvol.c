/* SPDX-License-Identifier: BSD-2-Clause */
#include "synvol.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"

static uint8_t shift_of(uint32_t v)
{
	uint8_t s = 0;
	while ((1u << s) < v)
		s++;
	return s;
}

void synvol_init(struct synvol *s, uint32_t cluster_size, uint32_t record_size,
                 uint32_t index_block_size)
{
	static const uint8_t si[48];
	uint32_t mft_bytes = SYNVOL_RECORDS * record_size;
	uint32_t clusters = (mft_bytes + cluster_size - 1u) / cluster_size;
	uint8_t mp[24], *rec0;
	struct fx_nonres data = {.type = NTFS_AT_DATA,
	                         .highest_vcn = clusters - 1u,
	                         .alloc = (uint64_t)clusters * cluster_size,
	                         .data = mft_bytes,
	                         .init = mft_bytes,
	                         .mp = mp};

	memset(s, 0, sizeof *s);
	s->disk = calloc(1, SYNVOL_SIZE);
	TS_CHECK(s->disk != NULL);
	s->cluster_size = cluster_size;
	s->record_size = record_size;
	s->index_block_size = index_block_size;
	rec0 = synvol_record(s, 0);
	fx_record(rec0, record_size);
	fx_record_set(rec0, 1, OD_REC_FLAG_IN_USE, 0);
	TS_CHECK(fx_add_resident(rec0, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, sizeof si));
	data.mp_len = fx_runlist_one(mp, SYNVOL_MFT_OFF / cluster_size, clusters);
	TS_CHECK(fx_add_nonresident(rec0, &data));
	memalloc_init(&s->alloc);
	s->alloc.cap = SYNVOL_ALLOC_CAP;
	memdev_init(&s->dev, s->disk, SYNVOL_SIZE, 512);
}

uint8_t *synvol_record(struct synvol *s, uint32_t recno)
{
	TS_CHECK(recno < SYNVOL_RECORDS);
	return s->disk + SYNVOL_MFT_OFF + (size_t)recno * s->record_size;
}

static int hand_upcase(ntfs_volume *vol)
{
	static const struct ntfsi_upcase_range r[] = {
	        {0x61, 0x7A, 0xFFE0, 1}, {0xE0, 0xF6, 0xFFE0, 1},   {0xF8, 0xFE, 0xFFE0, 1},
	        {0xFF, 0xFF, 0x79, 1},   {0x101, 0x17F, 0xFFFF, 2},
	};
	const uint32_t n = sizeof r / sizeof r[0];

	vol->upcase.ranges = ntfsi_io_alloc(vol, n * sizeof r[0]);
	if (vol->upcase.ranges == NULL)
		return NTFS_ERR_NOMEM;
	memcpy(vol->upcase.ranges, r, sizeof r);
	vol->upcase.count = vol->upcase.cap = n;
	return NTFS_OK;
}

int synvol_mount(struct synvol *s, uint32_t read_align, ntfs_volume **out)
{
	struct ntfs_config cfg;
	struct ntfsi_boot *b;
	ntfs_volume *vol;
	uint32_t i;
	int err;

	for (i = 0; i < SYNVOL_RECORDS; i++) {
		uint8_t *r = synvol_record(s, i);
		if (!s->raw[i] && memcmp(r, "FILE", 4) == 0)
			fx_protect_any(r, s->record_size);
	}
	s->dev.read_align = read_align;
	memdev_config(&cfg, &s->dev, &s->alloc);
	vol = memalloc_alloc(&s->alloc, sizeof *vol);
	if (vol == NULL)
		return NTFS_ERR_NOMEM;
	memset(vol, 0, sizeof *vol);
	vol->cfg = cfg;
	vol->bounce = ntfsi_io_alloc(vol, read_align);
	if (vol->bounce == NULL) {
		ntfs_unmount(vol);
		return NTFS_ERR_NOMEM;
	}
	b = &vol->boot;
	b->sector_size = 512;
	b->cluster_size = s->cluster_size;
	b->cluster_shift = shift_of(s->cluster_size);
	b->record_size = s->record_size;
	b->record_shift = shift_of(s->record_size);
	b->index_block_size = s->index_block_size;
	b->index_block_shift = shift_of(s->index_block_size);
	b->total_sectors = SYNVOL_SIZE / 512u;
	b->total_clusters = SYNVOL_SIZE / s->cluster_size;
	b->mft_lcn = SYNVOL_MFT_OFF / s->cluster_size;
	b->serial = UINT64_C(0x1234567890ABCDEF);
	vol->major = 3;
	vol->minor = 1;
	err = ntfsi_volume_load_mft(vol);
	if (!err)
		err = hand_upcase(vol);
	if (err) {
		ntfs_unmount(vol);
		return err;
	}
	*out = vol;
	return NTFS_OK;
}

void synvol_free(struct synvol *s)
{
	free(s->disk);
	s->disk = NULL;
}

int synvol_file(ntfs_volume *vol, uint64_t recno, const uint8_t *rec, ntfs_file **out)
{
	uint8_t *copy = ntfsi_io_alloc(vol, vol->boot.record_size);

	if (copy == NULL)
		return NTFS_ERR_NOMEM;
	memcpy(copy, rec, vol->boot.record_size);
	return ntfsi_file_from_record(vol, recno, copy, out);
}

uint32_t synvol_add_value(struct synvol *s, uint8_t *rec, uint32_t type, const uint16_t *name,
                          uint8_t name_len, const void *value, uint32_t len, bool resident,
                          uint64_t *lcn)
{
	const uint64_t first = SYNVOL_DATA_OFF / s->cluster_size;
	const uint64_t end = SYNVOL_SIZE / s->cluster_size;
	uint64_t clusters = ((uint64_t)len + s->cluster_size - 1u) / s->cluster_size;
	uint8_t mp[24] = {0};
	struct fx_nonres nr = {.type = type,
	                       .name = name,
	                       .name_len = name_len,
	                       .highest_vcn = clusters - 1u, /* UINT64_MAX when empty */
	                       .alloc = clusters * s->cluster_size,
	                       .data = len,
	                       .init = len,
	                       .mp = mp,
	                       .mp_len = 1};

	if (resident)
		return fx_add_resident(rec, type, name, name_len, value, len);
	if (*lcn < first || *lcn > end || clusters > end - *lcn)
		return 0;
	if (clusters > 0) {
		uint8_t *p = s->disk + *lcn * s->cluster_size;
		memcpy(p, value, len);
		memset(p + len, 0, (size_t)(clusters * s->cluster_size - len));
		nr.mp_len = fx_runlist_one(mp, *lcn, clusters);
	}
	*lcn += clusters;
	return fx_add_nonresident(rec, &nr);
}

uint32_t synvol_add_sparse(struct synvol *s, uint8_t *rec, uint32_t type, const uint16_t *name,
                           uint8_t name_len, uint64_t size)
{
	uint64_t clusters = (size + s->cluster_size - 1u) / s->cluster_size;
	uint8_t mp[24] = {0};
	struct fx_nonres nr = {.type = type,
	                       .name = name,
	                       .name_len = name_len,
	                       .flags = 0x8000u, /* sparse */
	                       .highest_vcn = clusters - 1u,
	                       .alloc = clusters * s->cluster_size,
	                       .data = size,
	                       .init = 0,
	                       .mp = mp,
	                       .mp_len = 1};

	if (clusters > 0)
		nr.mp_len = fx_runlist_one(mp, NTFS_LCN_HOLE, clusters);
	return fx_add_nonresident(rec, &nr);
}

ntfs_volume *synvol_kept_volume(struct synvol_kept *k, uint32_t cluster_size)
{
	if (k->vol == NULL) {
		synvol_init(&k->syn, cluster_size, 1024, 4096);
		TS_CHECK(synvol_mount(&k->syn, 512, &k->vol) == NTFS_OK);
		k->blocks = k->syn.alloc.blocks;
		k->bytes = k->syn.alloc.bytes;
	}
	return k->vol;
}

void synvol_expect_held(ntfs_volume *vol, const struct memalloc *a, size_t blocks, size_t bytes)
{
	TS_CHECK(vol->workspace_size <= ntfs_decoder_workspace_size());
	ntfsi_io_workspace_free(vol);
	memalloc_expect(a, blocks, bytes);
}

void synvol_kept_expect(const struct synvol_kept *k)
{
	synvol_expect_held(k->vol, &k->syn.alloc, k->blocks, k->bytes);
}

void synvol_unmount(struct synvol *s, ntfs_volume *vol)
{
	ntfs_unmount(vol);
	memalloc_expect(&s->alloc, 0, 0);
	synvol_free(s);
}
