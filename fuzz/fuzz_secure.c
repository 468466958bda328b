/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Security descriptors: the whole input is a self-relative descriptor.
 *
 *  1. ntfsi_secure_check() and ntfsi_secure_hash() over an exact-size
 *     copy; then the tools' SDDL renderer (examples/sddl.c, host side) into
 *     a bounded buffer and into every small size: whatever the check
 *     accepts it must render, and a cut rendering is a prefix of the whole.
 *  2. Inputs up to 3 KiB, through a synthetic volume, twice: as the
 *     $SECURITY_DESCRIPTOR attribute of one file (resident, or non-resident
 *     when over 700 bytes), and as the descriptor of security id 0x100 in a
 *     $Secure (its $SII root, the $SDS entry and its mirror, with the right
 *     hash) named by another file's $STANDARD_INFORMATION.
 *     ntfs_file_security() must give the input back exactly when the check
 *     accepts it, NTFS_ERR_CORRUPT_SECURITY otherwise, and a too-small
 *     buffer must get NTFS_ERR_LIMIT with the size; nothing may leak.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "sddl.h"

#define SECURE_REC 9u
#define ATTR_REC 16u
#define ID_REC 17u
#define CLUSTER 4096u
#define SDS_LCN (SYNVOL_DATA_OFF / CLUSTER)
#define ATTR_LCN (SDS_LCN + 2u)
#define MIRROR 0x40000u
#define MAX_VOLUME_INPUT 3072u

static void renders(const uint8_t *sd, size_t len, bool valid)
{
	static char out[65536], small[64];
	long n = sddl_render(sd, len, out, sizeof out);

	TS_CHECK(n >= -1);
	/* Whatever the core hands out, the tools can print. */
	TS_CHECK(!valid || n >= 0);
	if (n < 0) {
		TS_CHECK(out[0] == '\0');
		return;
	}
	TS_CHECK(sddl_render(sd, len, NULL, 0) == n);
	if ((size_t)n >= sizeof out)
		return;
	TS_CHECK(strlen(out) == (size_t)n);
	for (size_t cap = 1; cap <= sizeof small; cap += 9) {
		TS_CHECK(sddl_render(sd, len, small, cap) == n);
		TS_CHECK(strlen(small) == (size_t)n || strlen(small) == cap - 1);
		TS_CHECK(memcmp(small, out, strlen(small)) == 0);
	}
}

static void put_header(uint8_t *p, uint32_t hash, uint32_t id, uint64_t off, uint32_t len)
{
	fx_st32(p, hash);
	fx_st32(p + 4, id);
	fx_st64(p + 8, off);
	fx_st32(p + 16, len);
}

/* Record SECURE_REC: $Secure whose $SDS holds @sd as id 0x100 at offset 0
 * (and its mirror); ATTR_REC: a file with @sd as its own attribute;
 * ID_REC: a file naming id 0x100. */
static void build(struct synvol *s, const uint8_t *sd, size_t len)
{
	static const uint16_t sds_name[4] = {'$', 'S', 'D', 'S'};
	static const uint16_t sii_name[4] = {'$', 'S', 'I', 'I'};
	const uint32_t hash = ntfsi_secure_hash(sd, len);
	const uint32_t entry = (uint32_t)len + 20u;
	uint8_t si[72] = {0}, root[128] = {0}, mp[16], amp[24], *rec, *node, *e;
	struct fx_nonres sds = {.type = NTFS_AT_DATA,
	                        .name = sds_name,
	                        .name_len = 4,
	                        .highest_vcn = MIRROR / CLUSTER,
	                        .alloc = MIRROR + CLUSTER,
	                        .data = MIRROR + CLUSTER,
	                        .init = MIRROR + CLUSTER,
	                        .mp = mp,
	                        .mp_len = 9};

	synvol_init(s, CLUSTER, 1024, 4096);
	put_header(s->disk + SDS_LCN * CLUSTER, hash, 0x100, 0, entry);
	memcpy(s->disk + SDS_LCN * CLUSTER + 20, sd, len);
	memcpy(s->disk + (SDS_LCN + 1) * CLUSTER, s->disk + SDS_LCN * CLUSTER, CLUSTER);
	/* One cluster of primaries, a hole, one cluster of mirrors. */
	memcpy(mp,
	       (const uint8_t[]){0x11, 1, (uint8_t)SDS_LCN, 0x01, MIRROR / CLUSTER - 1, 0x11, 1, 1,
	                         0},
	       9);

	/* $SII: one entry (key 0x100, data the $SDS header), then the end. */
	fx_st32(root + OD_IR_COLLATION, OD_COLLATION_ULONG);
	fx_st32(root + OD_IR_BLOCK_SIZE, 4096);
	root[OD_IR_CLUSTERS] = 1;
	node = root + OD_IR_NODE;
	e = node + OD_NH_SIZE;
	fx_st16(e + OD_IE_DATA_OFF, OD_IE_KEY + 4);
	fx_st16(e + OD_IE_DATA_LEN, 20);
	fx_st16(e + OD_IE_LENGTH, 40);
	fx_st16(e + OD_IE_KEY_LEN, 4);
	fx_st32(e + OD_IE_KEY, 0x100);
	put_header(e + OD_IE_KEY + 4, hash, 0x100, 0, entry);
	fx_st16(e + 40 + OD_IE_LENGTH, OD_IE_KEY);
	fx_st16(e + 40 + OD_IE_FLAGS, OD_IE_END);
	fx_st32(node + OD_NH_ENTRIES_OFF, OD_NH_SIZE);
	fx_st32(node + OD_NH_INDEX_LEN, OD_NH_SIZE + 40 + OD_IE_KEY);
	fx_st32(node + OD_NH_ALLOC, OD_NH_SIZE + 40 + OD_IE_KEY);

	rec = synvol_record(s, SECURE_REC);
	fx_record(rec, 1024);
	fx_record_set(rec, 1, OD_REC_FLAG_IN_USE, 0);
	TS_CHECK(fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, 48));
	TS_CHECK(fx_add_nonresident(rec, &sds));
	TS_CHECK(fx_add_resident(rec, NTFS_AT_INDEX_ROOT, sii_name, 4, root,
	                         OD_IR_NODE + OD_NH_SIZE + 40 + OD_IE_KEY));

	rec = synvol_record(s, ATTR_REC);
	fx_record(rec, 1024);
	fx_record_set(rec, 1, OD_REC_FLAG_IN_USE, 0);
	TS_CHECK(fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, 48));
	if (len <= 700) {
		TS_CHECK(fx_add_resident(rec, NTFS_AT_SECURITY_DESCRIPTOR, NULL, 0, sd,
		                         (uint32_t)len));
	} else {
		struct fx_nonres a = {.type = NTFS_AT_SECURITY_DESCRIPTOR,
		                      .highest_vcn = 0,
		                      .alloc = CLUSTER,
		                      .data = len,
		                      .init = len,
		                      .mp = amp};
		memcpy(s->disk + ATTR_LCN * CLUSTER, sd, len);
		a.mp_len = fx_runlist_one(amp, ATTR_LCN, 1);
		TS_CHECK(fx_add_nonresident(rec, &a));
	}

	rec = synvol_record(s, ID_REC);
	fx_record(rec, 1024);
	fx_record_set(rec, 1, OD_REC_FLAG_IN_USE, 0);
	fx_st32(si + 0x34, 0x100);
	TS_CHECK(fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, sizeof si));
}

static void through_volume(const uint8_t *sd, size_t len, bool valid)
{
	static uint8_t buf[MAX_VOLUME_INPUT + 16];
	const uint64_t recs[2] = {ATTR_REC, ID_REC};
	struct synvol s;
	ntfs_volume *vol;

	build(&s, sd, len);
	TS_CHECK(synvol_mount(&s, 512, &vol) == NTFS_OK);
	for (int k = 0; k < 2; k++) {
		ntfs_file *f;
		size_t got = 1, need = 1;
		int r;

		TS_CHECK(ntfs_file_open(vol, recs[k], &f) == NTFS_OK);
		r = ntfs_file_security(f, buf, sizeof buf, &got);
		/* $SII requires at least a descriptor header's worth. */
		if (valid) {
			TS_CHECK(r == NTFS_OK && got == len && memcmp(buf, sd, len) == 0);
			if (len > 0) {
				TS_CHECK(ntfs_file_security(f, buf, len - 1, &need) ==
				         NTFS_ERR_LIMIT);
				TS_CHECK(need == len);
			}
		} else {
			TS_CHECK(r == NTFS_ERR_CORRUPT_SECURITY && got == 0);
		}
		ntfs_file_close(f);
	}
	synvol_unmount(&s, vol);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;
	bool valid;

	if (size > 65536)
		return 0;
	/* An exact-size copy, so that a read past the end is seen. */
	copy = malloc(size ? size : 1);
	TS_CHECK(copy != NULL);
	memcpy(copy, data, size);
	valid = ntfsi_secure_check(copy, size) == NTFS_OK;
	(void)ntfsi_secure_hash(copy, size);
	renders(copy, size, valid);
	if (size <= MAX_VOLUME_INPUT)
		through_volume(copy, size, valid);
	free(copy);
	return 0;
}
