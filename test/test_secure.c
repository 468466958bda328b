/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Security descriptors (secure.c).
 *
 * 1. The structural check, one field of a valid descriptor changed per row.
 * 2. $Secure built by hand on a synthetic volume ($SII root, $SDS with a
 *    primary block and its mirror 256 KiB on, the space between a hole),
 *    one change per row: lookups that succeed (from the primary or the
 *    mirror) and every way the chain id -> $SII -> $SDS can break.
 * 3. ntfs-secure.img.xz: every descriptor getfattr read back through
 *    ntfs-3g (test/images/ntfs-secure.json), and those of its system files
 *    (from $Secure:$SDS by ntfscat when the image was made). The system
 *    files of the other committed images and of the shared Windows ones
 *    are compared with ntfsinfo and ntfscat by difftest
 *    (test/ntfsref/compare.py, check_security).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "fixture.h"
#include "image.h"
#include "memdev.h"
#include "ondisk.h"
#include "sdfix.h"
#include "secure.h"
#include "synvol.h"

/* ---- 1. the structural check ------------------------------------------ */

/* A descriptor with a SACL (one audit ACE), a DACL (an allowed ACE, an
 * object ACE with both GUIDs, a denied ACE), owner and group. */
static size_t good_sd(uint8_t *out)
{
	static const uint8_t g1[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	static const uint8_t g2[16] = {16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
	uint8_t aces[512], sacl[256], dacl[512];
	size_t n = 0, sl, dl;

	n = sdfix_ace(aces, 2, 0xC0, 0x1F01FF, "S-1-1-0", NULL, NULL);
	sl = sdfix_acl(sacl, aces, n, 1);
	n = sdfix_ace(aces, 0, 0x03, 0x1F01FF, "S-1-5-18", NULL, NULL);
	n += sdfix_ace(aces + n, 5, 0x02, 0x30, "S-1-5-11", g1, g2);
	n += sdfix_ace(aces + n, 1, 0, 0x10000, "S-1-5-21-1-2-3-1000", NULL, NULL);
	dl = sdfix_acl(dacl, aces, n, 3);
	return sdfix_sd(out, SDF_SE_SACL_PRESENT | SDF_SE_DACL_PRESENT, "S-1-5-32-544",
	                "S-1-5-21-1-2-3-513", sacl, sl, dacl, dl);
}

/* Offsets in good_sd()'s layout: header, SACL (8 + 20), DACL, owner, group. */
#define G_SACL 20u
#define G_DACL (G_SACL + 28u)
#define G_DACL_ACE0 (G_DACL + 8u)
#define G_DACL_ACE1 (G_DACL_ACE0 + 20u) /* the object ACE, 12 + 32 + 12 bytes */
#define G_DACL_ACE2 (G_DACL_ACE1 + 56u)

struct check_case {
	const char *what;
	uint32_t off; /* byte changed (UINT32_MAX: truncate to .val bytes) */
	int width;    /* 1, 2 or 4 */
	uint32_t val;
	int expect;
};

static const struct check_case check_cases[] = {
        {"unchanged", 0, 1, 1, NTFS_OK},
        {"revision 2", SDF_SD_REVISION, 1, 2, NTFS_ERR_CORRUPT_SECURITY},
        {"not self-relative", SDF_SD_CONTROL, 2, SDF_SE_SACL_PRESENT | SDF_SE_DACL_PRESENT,
         NTFS_ERR_CORRUPT_SECURITY},
        {"no owner (offset 0)", SDF_SD_OWNER, 4, 0, NTFS_OK},
        {"owner offset inside the header", SDF_SD_OWNER, 4, 4, NTFS_ERR_CORRUPT_SECURITY},
        {"owner offset past the end", SDF_SD_OWNER, 4, 0x10000, NTFS_ERR_CORRUPT_SECURITY},
        {"group's SID runs past the end", UINT32_MAX, 4, 0, NTFS_ERR_CORRUPT_SECURITY},
        {"SACL offset without SE_SACL_PRESENT", SDF_SD_CONTROL, 2,
         SDF_SE_SELF_RELATIVE | SDF_SE_DACL_PRESENT, NTFS_ERR_CORRUPT_SECURITY},
        {"NULL DACL (present, offset 0)", SDF_SD_DACL, 4, 0, NTFS_OK},
        {"DACL offset past the end", SDF_SD_DACL, 4, 0xFFFFFFF0u, NTFS_ERR_CORRUPT_SECURITY},
        {"ACL revision 1", G_DACL, 1, 1, NTFS_ERR_CORRUPT_SECURITY},
        {"ACL revision 5", G_DACL, 1, 5, NTFS_ERR_CORRUPT_SECURITY},
        {"ACL size 4", G_DACL + SDF_ACL_SIZE, 2, 4, NTFS_ERR_CORRUPT_SECURITY},
        {"ACL size past the descriptor", G_DACL + SDF_ACL_SIZE, 2, 0x4000,
         NTFS_ERR_CORRUPT_SECURITY},
        {"ACL count one more: an ACE past the ACL", G_DACL + SDF_ACL_COUNT, 2, 4,
         NTFS_ERR_CORRUPT_SECURITY},
        {"ACL count 0", G_DACL + SDF_ACL_COUNT, 2, 0, NTFS_OK},
        {"ACE size 0", G_DACL_ACE0 + SDF_ACE_SIZE, 2, 0, NTFS_ERR_CORRUPT_SECURITY},
        {"ACE size not a multiple of 4", G_DACL_ACE0 + SDF_ACE_SIZE, 2, 18,
         NTFS_ERR_CORRUPT_SECURITY},
        {"ACE size running past the ACL", G_DACL_ACE2 + SDF_ACE_SIZE, 2, 0x100,
         NTFS_ERR_CORRUPT_SECURITY},
        {"ACE size cutting its SID", G_DACL_ACE0 + SDF_ACE_SIZE, 2, 12, NTFS_ERR_CORRUPT_SECURITY},
        {"ACE SID revision 2", G_DACL_ACE0 + SDF_ACE_SID, 1, 2, NTFS_ERR_CORRUPT_SECURITY},
        {"ACE SID 16 sub-authorities", G_DACL_ACE0 + SDF_ACE_SID + SDF_SID_COUNT, 1, 16,
         NTFS_ERR_CORRUPT_SECURITY},
        {"ACE SID one sub-authority more than its ACE", G_DACL_ACE2 + SDF_ACE_SID + SDF_SID_COUNT,
         1, 6, NTFS_ERR_CORRUPT_SECURITY},
        {"object ACE without its GUIDs: SID where a GUID was", G_DACL_ACE1 + 8, 4, 0, NTFS_OK},
        {"object ACE: a GUID flag more than it holds", G_DACL_ACE2 + SDF_ACE_TYPE, 1, 5,
         NTFS_ERR_CORRUPT_SECURITY},
        {"unknown ACE type 0x20: opaque", G_DACL_ACE0 + SDF_ACE_TYPE, 1, 0x20, NTFS_OK},
        {"reserved compound ACE type 4: opaque", G_DACL_ACE0 + SDF_ACE_TYPE, 1, 4, NTFS_OK},
        {"SACL ACE past the SACL", G_SACL + SDF_ACL_SIZE, 2, 12, NTFS_ERR_CORRUPT_SECURITY},
};

static void put(uint8_t *p, int width, uint32_t v)
{
	if (width == 1)
		p[0] = (uint8_t)v;
	else if (width == 2)
		fx_st16(p, (uint16_t)v);
	else
		fx_st32(p, v);
}

static void check_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof check_cases / sizeof check_cases[0]; i++) {
		const struct check_case *c = &check_cases[i];
		uint8_t sd[1024];
		size_t len = good_sd(sd);
		uint8_t *copy;
		int r;

		if (c->off == UINT32_MAX)
			len -= c->width; /* the last bytes (the group's SID) cut off */
		else
			put(sd + c->off, c->width, c->val);
		/* An exact-size heap copy: ASan sees any read past it. */
		copy = malloc(len);
		assert_non_null(copy);
		memcpy(copy, sd, len);
		r = ntfsi_secure_check(copy, len);
		free(copy);
		if (r != c->expect)
			fail_msg("%s: %d, expected %d", c->what, r, c->expect);
	}
}

/* Cases one field cannot make: each valid but for the one thing named. */
static void check_crafted(void **state)
{
	uint8_t sd[512], aces[64], acl[96];
	size_t len, n, al;
	(void)state;

	/* An owner SID of 16 sub-authorities, all inside the descriptor. */
	len = sdfix_sd(sd, 0, "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15", NULL, NULL, 0, NULL, 0);
	assert_int_equal(ntfsi_secure_check(sd, len), NTFS_OK);
	memset(sd + len, 0, 4);
	sd[SDF_SD_HEADER + SDF_SID_COUNT] = 16;
	assert_int_equal(ntfsi_secure_check(sd, len + 4), NTFS_ERR_CORRUPT_SECURITY);

	/* An owner inside the header: at offset 8, the group offset 0x101 and
	 * the ACL offsets read as a whole SID (revision 1, one sub-authority);
	 * the group is a SID at 0x101. */
	memset(sd, 0, sizeof sd);
	sd[0] = 1;
	fx_st16(sd + SDF_SD_CONTROL, SDF_SE_SELF_RELATIVE);
	fx_st32(sd + SDF_SD_GROUP, 0x101);
	sd[0x101] = 1;
	fx_st32(sd + SDF_SD_OWNER, 0);
	assert_int_equal(ntfsi_secure_check(sd, 0x110), NTFS_OK);
	fx_st32(sd + SDF_SD_OWNER, 8);
	assert_int_equal(ntfsi_secure_check(sd, 0x110), NTFS_ERR_CORRUPT_SECURITY);

	/* A DACL that ends the descriptor, its count one more than it holds:
	 * the next ACE's header would lie past the end (ASan sees a read). */
	n = sdfix_ace(aces, 0, 0, 0x1F01FF, "S-1-5-18", NULL, NULL);
	al = sdfix_acl(acl, aces, n, 2);
	len = sdfix_sd(sd, SDF_SE_DACL_PRESENT, NULL, NULL, NULL, 0, acl, al);
	{
		uint8_t *exact = malloc(len);
		assert_non_null(exact);
		memcpy(exact, sd, len);
		assert_int_equal(ntfsi_secure_check(exact, len), NTFS_ERR_CORRUPT_SECURITY);
		free(exact);
	}

	/* ACEs of a type with no SID (opaque): size 0, size 6. */
	for (int k = 0; k < 2; k++) {
		memset(aces, 0, sizeof aces);
		aces[SDF_ACE_TYPE] = 0x20;
		fx_st16(aces + SDF_ACE_SIZE, k == 0 ? 8 : 6);
		n = 8;
		al = sdfix_acl(acl, aces, n, 1);
		len = sdfix_sd(sd, SDF_SE_DACL_PRESENT, NULL, NULL, NULL, 0, acl, al);
		assert_int_equal(ntfsi_secure_check(sd, len),
		                 k == 0 ? NTFS_OK : NTFS_ERR_CORRUPT_SECURITY);
		if (k == 0) {
			fx_st16(sd + SDF_SD_HEADER + SDF_ACL_HEADER + SDF_ACE_SIZE, 0);
			assert_int_equal(ntfsi_secure_check(sd, len), NTFS_ERR_CORRUPT_SECURITY);
		}
	}
}

/* Every truncation of a valid descriptor is refused, without reading past
 * it; every length from the header up is either refused or whole. */
static void check_truncations(void **state)
{
	uint8_t sd[1024];
	size_t len = good_sd(sd);
	(void)state;

	for (size_t n = 0; n < len; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		assert_non_null(copy);
		memcpy(copy, sd, n);
		assert_int_equal(ntfsi_secure_check(copy, n), NTFS_ERR_CORRUPT_SECURITY);
		free(copy);
	}
	assert_int_equal(ntfsi_secure_check(sd, len), NTFS_OK);
}

/* The hash of a descriptor mkntfs wrote (ntfs-c512's $Secure:$SDS, security
 * id 0x101) is the hash mkntfs stored beside it. */
static void hash_vector(void **state)
{
	static const uint8_t sd[] = {
	        0x01, 0x00, 0x04, 0x80, 0x48, 0x00, 0x00, 0x00, 0x58, 0x00, 0x00, 0x00, 0x00,
	        0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x02, 0x00, 0x34, 0x00, 0x02, 0x00,
	        0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x9f, 0x01, 0x12, 0x00, 0x01, 0x01, 0x00,
	        0x00, 0x00, 0x00, 0x00, 0x05, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x18, 0x00,
	        0x9f, 0x01, 0x12, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x20,
	        0x00, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00,
	        0x00, 0x05, 0x20, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00, 0x01, 0x02, 0x00,
	        0x00, 0x00, 0x00, 0x00, 0x05, 0x20, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00};
	(void)state;

	assert_int_equal(sizeof sd, 104);
	assert_int_equal(ntfsi_secure_hash(sd, sizeof sd), 0x00B32451u);
	assert_int_equal(sdfix_hash(sd, sizeof sd), 0x00B32451u);
	assert_int_equal(ntfsi_secure_check(sd, sizeof sd), NTFS_OK);
	/* A tail of fewer than 4 bytes is not hashed. */
	assert_int_equal(ntfsi_secure_hash(sd, sizeof sd - 3), ntfsi_secure_hash(sd, 100));
}

/* ---- 2. $Secure on a synthetic volume ------------------------------------ */

#define CLUSTER 4096u
#define SECURE_REC 9u
#define FILE_REC 16u
#define SDS_LCN (SYNVOL_DATA_OFF / CLUSTER) /* the primary block's first cluster */
#define MIRROR_LCN (SDS_LCN + 1u)           /* the mirror block's first cluster */
#define NSD 3

struct world {
	struct synvol s;
	uint8_t sd[NSD][1024];
	uint32_t sd_len[NSD];
	/* $SII entries (one per descriptor; id 0 drops it) and the $SDS
	 * headers, which start as their copies. */
	struct ntfsi_secure_entry sii[NSD], hdr[NSD];
	uint32_t sii_key[NSD]; /* 0: the entry is left out */
	uint32_t sii_data_len;
	uint64_t sds_size;
	bool no_sii, no_sds, secure_unused;
	/* The file: its security id, or its own $SECURITY_DESCRIPTOR. */
	uint32_t file_id;
	uint32_t si_len;     /* 72, or 48 (NTFS 1.2 layout) */
	const uint8_t *attr; /* a $SECURITY_DESCRIPTOR value, or NULL */
	uint32_t attr_len;
	/* Changes after the disk is laid out: in the primary copy of
	 * descriptor 0 (byte flipped at this offset from its header, or none:
	 * UINT32_MAX), likewise in its mirror. */
	uint32_t flip_primary, flip_mirror;
};

static void world_init(struct world *w)
{
	uint8_t aces[256], dacl[256], sacl[128];
	size_t n, dl, sl;
	uint64_t off = 0;

	memset(w, 0, sizeof *w);
	n = sdfix_ace(aces, 0, 0, 0x1F01FF, "S-1-5-18", NULL, NULL);
	n += sdfix_ace(aces + n, 0, 3, 0x1200A9, "S-1-5-32-545", NULL, NULL);
	dl = sdfix_acl(dacl, aces, n, 2);
	w->sd_len[0] = (uint32_t)sdfix_sd(w->sd[0], SDF_SE_DACL_PRESENT, "S-1-5-32-544", "S-1-5-18",
	                                  NULL, 0, dacl, dl);
	n = sdfix_ace(aces, 2, 0xC0, 0x1F01FF, "S-1-1-0", NULL, NULL);
	sl = sdfix_acl(sacl, aces, n, 1);
	w->sd_len[1] =
	        (uint32_t)sdfix_sd(w->sd[1], SDF_SE_DACL_PRESENT | SDF_SE_SACL_PRESENT,
	                           "S-1-5-21-1-2-3-1000", "S-1-5-21-1-2-3-513", sacl, sl, dacl, dl);
	w->sd_len[2] = (uint32_t)sdfix_sd(w->sd[2], 0, "S-1-3-4", "S-1-5-32-545", NULL, 0, NULL, 0);
	for (int i = 0; i < NSD; i++) {
		w->sii[i].hash = sdfix_hash(w->sd[i], w->sd_len[i]);
		w->sii[i].id = 0x100u + (uint32_t)i;
		w->sii[i].offset = off;
		w->sii[i].length = SDF_SE_SIZE + w->sd_len[i];
		w->hdr[i] = w->sii[i];
		w->sii_key[i] = w->sii[i].id;
		off = (off + w->sii[i].length + 15u) & ~(uint64_t)15;
	}
	w->sii_data_len = SDF_SE_SIZE;
	w->sds_size = SDF_SDS_MIRROR + CLUSTER;
	w->file_id = 0x100;
	w->si_len = 72;
	w->flip_primary = w->flip_mirror = UINT32_MAX;
}

static void put_header(uint8_t *p, const struct ntfsi_secure_entry *e)
{
	fx_st32(p + SDF_SE_HASH, e->hash);
	fx_st32(p + SDF_SE_ID, e->id);
	fx_st64(p + SDF_SE_OFFSET, e->offset);
	fx_st32(p + SDF_SE_LENGTH, e->length);
}

/* $SII's $INDEX_ROOT value: one 40-byte entry per descriptor, in id order
 * (the world's ids increase), then the end entry. */
static uint32_t sii_root(const struct world *w, uint8_t *root)
{
	uint8_t *node = root + OD_IR_NODE;
	uint32_t pos = OD_NH_SIZE;

	memset(root, 0, 512);
	fx_st32(root + OD_IR_TYPE, 0);
	fx_st32(root + OD_IR_COLLATION, OD_COLLATION_ULONG);
	fx_st32(root + OD_IR_BLOCK_SIZE, 4096);
	root[OD_IR_CLUSTERS] = 1;
	for (int i = 0; i < NSD; i++) {
		uint8_t *e = node + pos;
		uint32_t len = (OD_IE_KEY + 4 + w->sii_data_len + 7u) & ~7u;
		if (w->sii_key[i] == 0)
			continue;
		fx_st16(e + OD_IE_DATA_OFF, OD_IE_KEY + 4);
		fx_st16(e + OD_IE_DATA_LEN, (uint16_t)w->sii_data_len);
		fx_st16(e + OD_IE_LENGTH, (uint16_t)len);
		fx_st16(e + OD_IE_KEY_LEN, 4);
		fx_st32(e + OD_IE_KEY, w->sii_key[i]);
		put_header(e + OD_IE_KEY + 4, &w->sii[i]);
		pos += len;
	}
	fx_st16(node + pos + OD_IE_LENGTH, OD_IE_KEY);
	fx_st16(node + pos + OD_IE_FLAGS, OD_IE_END);
	pos += OD_IE_KEY;
	fx_st32(node + OD_NH_ENTRIES_OFF, OD_NH_SIZE);
	fx_st32(node + OD_NH_INDEX_LEN, pos);
	fx_st32(node + OD_NH_ALLOC, pos);
	return OD_IR_NODE + pos;
}

static void world_build(struct world *w)
{
	static const uint16_t sds_name[4] = {'$', 'S', 'D', 'S'};
	static const uint16_t sii_name[4] = {'$', 'S', 'I', 'I'};
	uint8_t si[72] = {0}, root[512], mp[16], *rec;
	uint8_t *primary, *mirror;
	struct fx_nonres sds = {.type = NTFS_AT_DATA,
	                        .name = sds_name,
	                        .name_len = 4,
	                        .highest_vcn = SDF_SDS_MIRROR / CLUSTER,
	                        .alloc = SDF_SDS_MIRROR + CLUSTER,
	                        .mp = mp};
	uint32_t n = 0;

	synvol_init(&w->s, CLUSTER, 1024, 4096);
	primary = w->s.disk + SDS_LCN * CLUSTER;
	mirror = w->s.disk + MIRROR_LCN * CLUSTER;
	for (int i = 0; i < NSD; i++) {
		assert_true(w->hdr[i].offset + w->hdr[i].length <= CLUSTER);
		put_header(primary + w->hdr[i].offset, &w->hdr[i]);
		memcpy(primary + w->hdr[i].offset + SDF_SE_SIZE, w->sd[i], w->sd_len[i]);
	}
	memcpy(mirror, primary, CLUSTER);
	if (w->flip_primary != UINT32_MAX)
		primary[w->hdr[0].offset + w->flip_primary] ^= 0x40;
	if (w->flip_mirror != UINT32_MAX)
		mirror[w->hdr[0].offset + w->flip_mirror] ^= 0x40;

	/* $Secure: one cluster of primaries, a hole to the mirror block, one
	 * cluster of mirrors. */
	mp[n++] = 0x11, mp[n++] = 1, mp[n++] = (uint8_t)SDS_LCN;
	mp[n++] = 0x01, mp[n++] = (uint8_t)(SDF_SDS_MIRROR / CLUSTER - 1);
	mp[n++] = 0x11, mp[n++] = 1, mp[n++] = 1;
	mp[n++] = 0;
	sds.mp_len = n;
	sds.data = sds.init = w->sds_size;
	rec = synvol_record(&w->s, SECURE_REC);
	fx_record(rec, 1024);
	fx_record_set(rec, 1, w->secure_unused ? 0 : OD_REC_FLAG_IN_USE, 0);
	assert_true(fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, 48) != 0);
	if (!w->no_sds)
		assert_true(fx_add_nonresident(rec, &sds) != 0);
	if (!w->no_sii)
		assert_true(fx_add_resident(rec, NTFS_AT_INDEX_ROOT, sii_name, 4, root,
		                            sii_root(w, root)) != 0);

	rec = synvol_record(&w->s, FILE_REC);
	fx_record(rec, 1024);
	fx_record_set(rec, 1, OD_REC_FLAG_IN_USE, 0);
	fx_st32(si + 0x34, w->file_id);
	assert_true(fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, w->si_len) !=
	            0);
	if (w->attr != NULL)
		assert_true(fx_add_resident(rec, NTFS_AT_SECURITY_DESCRIPTOR, NULL, 0, w->attr,
		                            w->attr_len) != 0);
}

/* ---- the table ---- */

struct sec_case {
	const char *name;
	void (*change)(struct world *w);
	int expect;
	int want_sd; /* on success: the descriptor expected (index into sd) */
};

static void c_none(struct world *w)
{
	(void)w;
}

static void c_second(struct world *w)
{
	w->file_id = 0x101;
}

static void c_no_acls(struct world *w)
{
	w->file_id = 0x102;
}

/* The primary copy's descriptor changed: its hash no longer matches. */
static void c_primary_hash(struct world *w)
{
	w->flip_primary = SDF_SE_SIZE + 30;
}

/* The primary copy's header names another id. */
static void c_primary_header(struct world *w)
{
	w->flip_primary = SDF_SE_ID;
}

/* A good primary is used whatever the mirror holds. */
static void c_mirror_bad(struct world *w)
{
	w->flip_mirror = SDF_SE_SIZE + 30;
}

static void c_both_bad(struct world *w)
{
	w->flip_primary = SDF_SE_SIZE + 30;
	w->flip_mirror = SDF_SE_HASH;
}

/* $SDS ends before the mirror block: the primary alone must do. */
static void c_no_mirror_block(struct world *w)
{
	w->sds_size = CLUSTER;
}

static void c_no_mirror_primary_bad(struct world *w)
{
	w->sds_size = CLUSTER;
	w->flip_primary = SDF_SE_SIZE + 30;
}

/* The $SII entry points into the next block of primaries, past $SDS. */
static void c_past_sds(struct world *w)
{
	w->sii[0].offset = 2u * SDF_SDS_MIRROR;
}

/* ... runs past $SDS's end (in the primary block: $SDS cut short). */
static void c_runs_past_sds(struct world *w)
{
	w->sds_size = w->sii[0].length - 4u;
}

static void c_misaligned(struct world *w)
{
	w->sii[0].offset = w->hdr[0].offset = 8;
}

/* An entry that crosses from a primary block into the mirror block. */
static void c_crosses_block(struct world *w)
{
	w->sii[0].offset = SDF_SDS_MIRROR - 16u;
}

/* An entry in a mirror block: a primary is never there. */
static void c_in_mirror_block(struct world *w)
{
	w->sii[0].offset = SDF_SDS_MIRROR;
}

static void c_length_short(struct world *w)
{
	w->sii[0].length = w->hdr[0].length = SDF_SE_SIZE + 19u;
}

/* A descriptor over NTFS_MAX_SECURITY_SIZE: refused before any read. */
static void c_length_huge(struct world *w)
{
	w->sii[0].length = SDF_SE_SIZE + NTFS_MAX_SECURITY_SIZE + 4u;
}

/* The $SII entry's data names another id than its key (as do both
 * $SDS headers: only the key disagrees). */
static void c_sii_id(struct world *w)
{
	w->sii[0].id = w->hdr[0].id = 0x10F;
}

static void c_sii_data_short(struct world *w)
{
	w->sii_data_len = 16;
}

/* The file names an id $SII does not have. */
static void c_id_missing(struct world *w)
{
	w->file_id = 0x1FF;
}

static void c_id_dropped(struct world *w)
{
	w->sii_key[0] = 0;
}

/* No key 0x100; the next key, 0x101, claims id 0x100 in its data and
 * $SDS headers: the key decides. */
static void c_key_lies(struct world *w)
{
	w->sii_key[0] = 0;
	w->sii[1].id = w->hdr[1].id = 0x100;
}

static void c_id_zero(struct world *w)
{
	w->file_id = 0;
}

static void c_si_short(struct world *w)
{
	w->si_len = 48;
}

static void c_si_shorter(struct world *w)
{
	w->si_len = 40;
}

/* A descriptor whose owner offset lies outside it, stored as a valid
 * entry (hash and both copies agreeing): the check refuses it. */
static void c_owner_outside(struct world *w)
{
	fx_st32(w->sd[0] + SDF_SD_OWNER, w->sd_len[0] + 8u);
	w->sii[0].hash = w->hdr[0].hash = sdfix_hash(w->sd[0], w->sd_len[0]);
}

/* Its DACL's second ACE runs past the ACL. */
static void c_ace_past(struct world *w)
{
	uint32_t dacl = fx_ld32(w->sd[0] + SDF_SD_DACL);
	uint32_t ace1 = dacl + SDF_ACL_HEADER + fx_ld16(w->sd[0] + dacl + SDF_ACL_HEADER + 2);
	fx_st16(w->sd[0] + ace1 + SDF_ACE_SIZE, (uint16_t)(fx_ld16(w->sd[0] + ace1 + 2) + 4));
	w->sii[0].hash = w->hdr[0].hash = sdfix_hash(w->sd[0], w->sd_len[0]);
}

static uint8_t old_sd[256];

/* The file's own $SECURITY_DESCRIPTOR wins over its security id. */
static void c_attr(struct world *w)
{
	memcpy(old_sd, w->sd[1], w->sd_len[1]);
	w->attr = old_sd;
	w->attr_len = w->sd_len[1];
	w->si_len = 48;
}

static void c_attr_with_id(struct world *w)
{
	c_attr(w);
	w->si_len = 72;
	w->file_id = 0x1FF; /* not even looked up */
}

static void c_attr_bad(struct world *w)
{
	c_attr(w);
	old_sd[SDF_SD_REVISION] = 0;
}

static void c_attr_empty(struct world *w)
{
	c_attr(w);
	w->attr_len = 0;
}

static void c_no_sii(struct world *w)
{
	w->no_sii = true;
}

static void c_no_sds(struct world *w)
{
	w->no_sds = true;
}

static void c_secure_unused(struct world *w)
{
	w->secure_unused = true;
}

static const struct sec_case sec_cases[] = {
        {"good: from the primary copy", c_none, NTFS_OK, 0},
        {"good: a second descriptor, SACL and DACL", c_second, NTFS_OK, 1},
        {"good: no ACLs at all", c_no_acls, NTFS_OK, 2},
        {"primary hash mismatch: the mirror is used", c_primary_hash, NTFS_OK, 0},
        {"primary header names another id: the mirror is used", c_primary_header, NTFS_OK, 0},
        {"bad mirror, good primary", c_mirror_bad, NTFS_OK, 0},
        {"both copies bad", c_both_bad, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"no mirror block, good primary", c_no_mirror_block, NTFS_OK, 0},
        {"no mirror block, bad primary", c_no_mirror_primary_bad, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"$SII entry pointing past $SDS", c_past_sds, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"$SII entry running past $SDS", c_runs_past_sds, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"$SII offset not 16-aligned", c_misaligned, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"$SII entry across a 256 KiB block", c_crosses_block, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"$SII entry in a mirror block", c_in_mirror_block, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"$SII length shorter than a descriptor header", c_length_short, NTFS_ERR_CORRUPT_SECURITY,
         0},
        {"$SII length over NTFS_MAX_SECURITY_SIZE", c_length_huge, NTFS_ERR_LIMIT, 0},
        {"$SII data for another id", c_sii_id, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"$SII data shorter than 20 bytes", c_sii_data_short, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"id not in $SII", c_id_missing, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"id not in $SII (its entry dropped)", c_id_dropped, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"$SII key 0x101 whose data says 0x100", c_key_lies, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"security id 0: none", c_id_zero, NTFS_ERR_NOT_FOUND, 0},
        {"48-byte $STANDARD_INFORMATION, no attribute: none", c_si_short, NTFS_ERR_NOT_FOUND, 0},
        {"$STANDARD_INFORMATION under 48 bytes", c_si_shorter, NTFS_ERR_CORRUPT_ATTR, 0},
        {"owner offset outside the descriptor (both copies)", c_owner_outside,
         NTFS_ERR_CORRUPT_SECURITY, 0},
        {"ACE running past its ACL (both copies)", c_ace_past, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"own $SECURITY_DESCRIPTOR", c_attr, NTFS_OK, 1},
        {"own $SECURITY_DESCRIPTOR beats the security id", c_attr_with_id, NTFS_OK, 1},
        {"own $SECURITY_DESCRIPTOR, revision 0", c_attr_bad, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"own $SECURITY_DESCRIPTOR, empty", c_attr_empty, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"$Secure without $SII", c_no_sii, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"$Secure without $SDS", c_no_sds, NTFS_ERR_CORRUPT_SECURITY, 0},
        {"$Secure's record not in use", c_secure_unused, NTFS_ERR_CORRUPT_MFT, 0},
};

static void run_case(const struct sec_case *c)
{
	struct world *w = malloc(sizeof *w);
	uint8_t buf[1024];
	ntfs_volume *vol;
	ntfs_file *f;
	size_t len = 99;
	int r;

	assert_non_null(w);
	world_init(w);
	c->change(w);
	world_build(w);
	assert_int_equal(synvol_mount(&w->s, 512, &vol), NTFS_OK);
	assert_int_equal(ntfs_file_open(vol, FILE_REC, &f), NTFS_OK);
	memset(buf, 0xEE, sizeof buf);
	r = ntfs_file_security(f, buf, sizeof buf, &len);
	if (r != c->expect)
		fail_msg("%s: %d (%s), expected %d", c->name, r, ntfs_strerror(r), c->expect);
	if (r == NTFS_OK) {
		const uint8_t *want = c->change == c_attr || c->change == c_attr_with_id
		                              ? old_sd
		                              : w->sd[c->want_sd];
		assert_int_equal(len, w->sd_len[c->want_sd]);
		assert_memory_equal(buf, want, len);
		assert_int_equal(buf[len], 0xEE); /* nothing past it */
		/* Again: $Secure is kept open, the answer is the same. */
		assert_int_equal(ntfs_file_security(f, buf, sizeof buf, &len), NTFS_OK);
		assert_memory_equal(buf, want, len);
	} else {
		/* A descriptor that failed is not left in the buffer. */
		assert_int_equal(len, 0);
		for (int i = 0; i < NSD; i++)
			assert_true(memcmp(buf, w->sd[i], w->sd_len[i]) != 0);
	}
	ntfs_file_close(f);
	ntfs_unmount(vol);
	memalloc_expect(&w->s.alloc, 0, 0);
	synvol_free(&w->s);
	free(w);
}

static void secure_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof sec_cases / sizeof sec_cases[0]; i++) {
		print_message("  %s\n", sec_cases[i].name);
		run_case(&sec_cases[i]);
	}
}

/* Too small a buffer: NTFS_ERR_LIMIT with the size needed, nothing written;
 * that size then works. Also from the attribute. */
static void buffer_sizes(void **state)
{
	void (*changes[2])(struct world *) = {c_none, c_attr};
	(void)state;

	for (int k = 0; k < 2; k++) {
		struct world *w = malloc(sizeof *w);
		uint8_t buf[1024];
		ntfs_volume *vol;
		ntfs_file *f;
		size_t len, need;

		assert_non_null(w);
		world_init(w);
		changes[k](w);
		world_build(w);
		need = w->sd_len[k == 0 ? 0 : 1];
		assert_int_equal(synvol_mount(&w->s, 512, &vol), NTFS_OK);
		assert_int_equal(ntfs_file_open(vol, FILE_REC, &f), NTFS_OK);
		assert_int_equal(ntfs_file_security(f, NULL, 0, &len), NTFS_ERR_LIMIT);
		assert_int_equal(len, need);
		for (size_t cap = 1; cap < need; cap += 7) {
			memset(buf, 0xEE, sizeof buf);
			len = 0;
			assert_int_equal(ntfs_file_security(f, buf, cap, &len), NTFS_ERR_LIMIT);
			assert_int_equal(len, need);
			for (size_t i = 0; i < sizeof buf; i++)
				assert_int_equal(buf[i], 0xEE);
		}
		assert_int_equal(ntfs_file_security(f, buf, need, &len), NTFS_OK);
		assert_int_equal(len, need);
		/* A bad descriptor is found by the size query too. */
		ntfs_file_close(f);
		ntfs_unmount(vol);
		memalloc_expect(&w->s.alloc, 0, 0);
		synvol_free(&w->s);
		free(w);
	}
}

/* Every allocation and every read failing in turn: NOMEM or IO, or the
 * right answer; never a leak. */
static void faults(void **state)
{
	(void)state;
	for (int mode = 0; mode < 2; mode++) {
		for (uint64_t n = 1;; n++) {
			struct world *w = malloc(sizeof *w);
			uint8_t buf[1024];
			ntfs_volume *vol;
			ntfs_file *f;
			size_t len;
			int r;

			assert_non_null(w);
			world_init(w);
			c_primary_hash(w); /* reads the mirror too */
			world_build(w);
			assert_int_equal(synvol_mount(&w->s, 512, &vol), NTFS_OK);
			assert_int_equal(ntfs_file_open(vol, FILE_REC, &f), NTFS_OK);
			if (mode == 0)
				w->s.alloc.fail_alloc_at = w->s.alloc.allocs + n;
			else
				w->s.dev.fail_read_at = w->s.dev.reads + n;
			r = ntfs_file_security(f, buf, sizeof buf, &len);
			if (r != NTFS_OK)
				assert_int_equal(r, mode == 0 ? NTFS_ERR_NOMEM : NTFS_ERR_IO);
			else
				assert_memory_equal(buf, w->sd[0], len);
			w->s.alloc.fail_alloc_at = 0;
			w->s.dev.fail_read_at = 0;
			/* After a failure the next call works (nothing half-open). */
			assert_int_equal(ntfs_file_security(f, buf, sizeof buf, &len), NTFS_OK);
			ntfs_file_close(f);
			ntfs_unmount(vol);
			memalloc_expect(&w->s.alloc, 0, 0);
			synvol_free(&w->s);
			free(w);
			if (r == NTFS_OK)
				break;
			assert_true(n < 1000);
		}
	}
}

/* ---- 3. images --------------------------------------------------------- */

static const char *images_dir(void)
{
	const char *d = getenv("NTFS_TEST_IMAGES_DIR");
	return d != NULL && *d ? d : NTFS_TEST_IMAGES_DIR;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The JSON string value after "key": at or after @from (ASCII, no escapes
 * in what this test reads); NULL for null. *next: just past it. */
static char *json_string(const char *from, const char *key, const char **next)
{
	char pat[64];
	const char *p, *q;
	char *out;

	snprintf(pat, sizeof pat, "\"%s\": ", key);
	p = strstr(from, pat);
	assert_non_null(p);
	p += strlen(pat);
	if (strncmp(p, "null", 4) == 0) {
		*next = p + 4;
		return NULL;
	}
	assert_true(*p == '"');
	q = strchr(++p, '"');
	assert_non_null(q);
	out = strndup(p, (size_t)(q - p));
	assert_non_null(out);
	*next = q + 1;
	return out;
}

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2;

	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

/* The file's descriptor through the API equals @want (NULL: it has none). */
static void expect_sd(ntfs_file *f, const char *what, const uint8_t *want, size_t want_len)
{
	static uint8_t got[NTFS_MAX_SECURITY_SIZE];
	size_t len = 0, need = 0;
	int r = ntfs_file_security(f, got, sizeof got, &len);

	if (want == NULL) {
		if (r != NTFS_ERR_NOT_FOUND)
			fail_msg("%s: %s, expected no descriptor", what, ntfs_strerror(r));
		return;
	}
	if (r != NTFS_OK)
		fail_msg("%s: %s", what, ntfs_strerror(r));
	if (len != want_len || memcmp(got, want, len) != 0)
		fail_msg("%s: %zu bytes differ from the %zu expected", what, len, want_len);
	/* The size query agrees. */
	assert_int_equal(ntfs_file_security(f, NULL, 0, &need), NTFS_ERR_LIMIT);
	assert_int_equal(need, want_len);
}

/* Every entry of ntfs-secure.json by path, every system file by record. */
static void secure_image(void **state)
{
	static uint8_t want[NTFS_MAX_SECURITY_SIZE];
	struct timage img;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	char path[1024];
	size_t jlen, n = 0, nsys = 0;
	char *json;
	const char *p, *sys;
	(void)state;

	snprintf(path, sizeof path, "%s/ntfs-secure.json", images_dir());
	json = slurp(path, &jlen);
	timage_open(&img, "ntfs-secure");
	assert_int_equal(timage_mount(&img, 512, &dev, &ma, &vol), NTFS_OK);
	sys = strstr(json, "\"system\":");
	assert_non_null(sys);
	for (p = strstr(json, "\"path\": "); p != NULL && p < sys; p = strstr(p, "\"path\": ")) {
		char *file = json_string(p, "path", &p);
		char *hex = json_string(p, "sd_hex", &p);
		size_t wl = unhex(hex, want, sizeof want);
		ntfs_file *f;

		if (ntfs_path_open(vol, file, &f) != NTFS_OK)
			fail_msg("%s: cannot open", file);
		expect_sd(f, file, want, wl);
		ntfs_file_close(f);
		free(file);
		free(hex);
		n++;
	}
	for (p = strstr(sys, "\"inode\": "); p != NULL; p = strstr(p, "\"inode\": ")) {
		unsigned long ino = strtoul(p + 9, NULL, 10);
		char *hex = json_string(p, "sd_hex", &p);
		char what[32];
		ntfs_file *f;

		snprintf(what, sizeof what, "record %lu", ino);
		assert_int_equal(ntfs_file_open(vol, ino, &f), NTFS_OK);
		expect_sd(f, what, hex ? want : NULL, hex ? unhex(hex, want, sizeof want) : 0);
		ntfs_file_close(f);
		free(hex);
		nsys++;
	}
	print_message("  %zu files, %zu system files\n", n, nsys);
	assert_true(n >= 200);
	assert_int_equal(nsys, 12);
	timage_unmount(vol, &ma);
	timage_close(&img);
	free(json);
}

/* Device offset of byte @off of $Secure:$SDS. */
static uint64_t sds_device_offset(ntfs_volume *vol, uint64_t off)
{
	static const uint16_t name[4] = {'$', 'S', 'D', 'S'};
	struct ntfs_volume_info vi;
	struct ntfs_run run;
	ntfs_stream *s;
	ntfs_file *f;
	uint64_t cs;

	assert_int_equal(ntfs_volume_info(vol, &vi), NTFS_OK);
	cs = vi.cluster_size;
	assert_int_equal(ntfs_file_open(vol, 9, &f), NTFS_OK);
	assert_int_equal(ntfs_attr_open(f, NTFS_AT_DATA, name, 4, &s), NTFS_OK);
	assert_int_equal(ntfs_stream_map(s, off / cs, &run), 1);
	assert_true(run.lcn != NTFS_LCN_HOLE);
	ntfs_stream_close(s);
	ntfs_file_close(f);
	return run.lcn * cs + (off - run.vcn * cs);
}

/* On ntfs-secure: /sd/basic.txt's primary copy in $SDS broken (one byte of
 * the descriptor), then its mirror too. The first gives the same bytes,
 * the second NTFS_ERR_CORRUPT_SECURITY; other files are untouched. The
 * copies are found as the descriptor's bytes in $SDS, 256 KiB apart. */
static void image_mirror(void **state)
{
	static uint8_t want[4096], got[4096];
	struct timage img;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	ntfs_file *f;
	ntfs_stream *s;
	size_t want_len, len, sds_len;
	uint8_t *sds;
	uint64_t primary = UINT64_MAX, at[2];
	(void)state;

	timage_open(&img, "ntfs-secure");
	assert_int_equal(timage_mount(&img, 512, &dev, &ma, &vol), NTFS_OK);
	assert_int_equal(ntfs_path_open(vol, "/sd/basic.txt", &f), NTFS_OK);
	assert_int_equal(ntfs_file_security(f, want, sizeof want, &want_len), NTFS_OK);
	ntfs_file_close(f);
	{
		static const uint16_t name[4] = {'$', 'S', 'D', 'S'};
		assert_int_equal(ntfs_file_open(vol, 9, &f), NTFS_OK);
		assert_int_equal(ntfs_attr_open(f, NTFS_AT_DATA, name, 4, &s), NTFS_OK);
		sds_len = (size_t)ntfs_stream_size(s);
		sds = malloc(sds_len);
		assert_non_null(sds);
		assert_int_equal(ntfs_stream_read(s, 0, sds, sds_len, &len), NTFS_OK);
		assert_int_equal(len, sds_len);
		ntfs_stream_close(s);
		ntfs_file_close(f);
	}
	for (size_t i = 0; i + want_len <= sds_len && primary == UINT64_MAX; i += 16)
		if (memcmp(sds + i + SDF_SE_SIZE, want, want_len) == 0)
			primary = i;
	assert_true(primary < SDF_SDS_MIRROR);
	assert_memory_equal(sds + primary, sds + primary + SDF_SDS_MIRROR, SDF_SE_SIZE + want_len);
	free(sds);
	at[0] = sds_device_offset(vol, primary + SDF_SE_SIZE + 8);
	at[1] = sds_device_offset(vol, primary + SDF_SDS_MIRROR + SDF_SE_SIZE + 8);
	timage_unmount(vol, &ma);

	for (int k = 0; k < 2; k++) {
		img.data[at[k]] ^= 0x01;
		assert_int_equal(timage_mount(&img, 512, &dev, &ma, &vol), NTFS_OK);
		assert_int_equal(ntfs_path_open(vol, "/sd/basic.txt", &f), NTFS_OK);
		len = 0;
		if (k == 0) {
			assert_int_equal(ntfs_file_security(f, got, sizeof got, &len), NTFS_OK);
			assert_int_equal(len, want_len);
			assert_memory_equal(got, want, len);
		} else {
			assert_int_equal(ntfs_file_security(f, got, sizeof got, &len),
			                 NTFS_ERR_CORRUPT_SECURITY);
			assert_int_equal(len, 0);
		}
		ntfs_file_close(f);
		assert_int_equal(ntfs_path_open(vol, "/sd/sacl.txt", &f), NTFS_OK);
		assert_int_equal(ntfs_file_security(f, got, sizeof got, &len), NTFS_OK);
		ntfs_file_close(f);
		timage_unmount(vol, &ma);
	}
	timage_close(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(check_table),
	        cmocka_unit_test(check_crafted),
	        cmocka_unit_test(check_truncations),
	        cmocka_unit_test(hash_vector),
	        cmocka_unit_test(secure_table),
	        cmocka_unit_test(buffer_sizes),
	        cmocka_unit_test(faults),
	        cmocka_unit_test(secure_image),
	        cmocka_unit_test(image_mirror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
