/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Security descriptors. NTFS 3.x keeps one copy of each distinct descriptor
 * in $Secure (record 9): the named stream $SDS holds them, each after a
 * 20-byte header (hash, security id, offset, length) and 16-byte aligned,
 * in 256 KiB blocks that alternate between primary copies and their
 * mirrors; the view index $SII maps a security id (the key, collated as
 * one 32-bit value) to that same header. A file names its descriptor by
 * the security id in its $STANDARD_INFORMATION (the 72-byte layout), or,
 * as on NTFS 1.x and in files some tools write, carries its own in a
 * $SECURITY_DESCRIPTOR attribute, which is then the one that counts.
 *
 * Whatever the source, the bytes handed out are a self-relative descriptor
 * that passed ntfsi_secure_check(); a copy in $SDS must also agree with its
 * $SII entry and its hash, else its mirror is tried.
 *
 * $Secure is opened by the first lookup that needs it and kept until
 * unmount: its record, the $SII index (root copy, one index block) and the
 * $SDS stream (one record of mapping pairs).
 */
#include "secure.h"

#include "collate.h"
#include "file.h"
#include "index.h"
#include "io.h"
#include "stream.h"
#include "volume.h"

#define RECORD_SECURE 9u

/* $STANDARD_INFORMATION: the security id of the NTFS 3.x layout. */
#define SI_MIN_SIZE 48u
#define SI_SECURITY_ID 0x34u

/* $SDS header / $SII data. */
#define SE_HASH 0
#define SE_ID 4
#define SE_OFFSET 8
#define SE_LENGTH 16
#define SDS_ALIGN 16u

/* Self-relative SECURITY_DESCRIPTOR ([MS-DTYP] 2.4.6). */
#define SD_REVISION 0
#define SD_CONTROL 2
#define SD_OWNER 4
#define SD_GROUP 8
#define SD_SACL 12
#define SD_DACL 16
#define SD_HEADER 20u
#define SE_DACL_PRESENT 0x0004u
#define SE_SACL_PRESENT 0x0010u
#define SE_SELF_RELATIVE 0x8000u

/* ACL (2.4.5): revision 2 (ACL_REVISION) or 4 (ACL_REVISION_DS); 3 was
 * NT 4's, and is read too. */
#define ACL_REV 0
#define ACL_SIZE 2
#define ACL_COUNT 4
#define ACL_HEADER 8u
#define ACL_REV_MIN 2u
#define ACL_REV_MAX 4u

/* ACE (2.4.4): header, access mask, then by type. */
#define ACE_TYPE 0
#define ACE_SIZE 2
#define ACE_HEADER 4u
#define ACE_BODY 8u     /* after the mask: the SID of the simple types */
#define ACE_OBJ_FLAGS 8 /* object types: flags, then the GUIDs present */
#define ACE_OBJ_BODY 12u
#define ACE_OBJ_TYPE_PRESENT 0x1u
#define ACE_OBJ_INHERITED_PRESENT 0x2u
#define GUID_SIZE 16u

/* SID (2.4.2.2). */
#define SID_REVISION 0
#define SID_COUNT 1
#define SID_HEADER 8u
#define SID_MAX_SUB 15u

struct ntfsi_secure {
	ntfs_file *file;        /* $Secure */
	struct ntfsi_index sii; /* $SII */
	ntfs_stream *sds;       /* $SDS */
};

static const struct ntfsi_index_kind sii_kind = {{'$', 'S', 'I', 'I'}, 4, 0, NTFSI_COLLATION_ULONG,
                                                 ntfsi_collate_ulong,  4, 4, false};

/* ---- the descriptor itself --------------------------------------------- */

/* Bytes of the SID at @p with @room bytes left, or 0 if it does not fit. */
static uint32_t sid_size(const uint8_t *p, size_t room)
{
	uint32_t size;

	if (room < SID_HEADER || p[SID_REVISION] != 1 || p[SID_COUNT] > SID_MAX_SUB)
		return 0;
	size = SID_HEADER + 4u * p[SID_COUNT];
	return size <= room ? size : 0;
}

/* Where an ACE of @type keeps its SID: 0 none (a type with no SID, or one
 * [MS-DTYP] does not define: only its size is checked), 1 after the mask,
 * 2 after the object flags and GUIDs. */
static int ace_layout(uint8_t type)
{
	switch (type) {
	case 0x05: /* ACCESS_ALLOWED_OBJECT */
	case 0x06: /* ACCESS_DENIED_OBJECT */
	case 0x07: /* SYSTEM_AUDIT_OBJECT */
	case 0x08: /* SYSTEM_ALARM_OBJECT */
	case 0x0B: /* ACCESS_ALLOWED_CALLBACK_OBJECT */
	case 0x0C: /* ACCESS_DENIED_CALLBACK_OBJECT */
	case 0x0F: /* SYSTEM_AUDIT_CALLBACK_OBJECT */
	case 0x10: /* SYSTEM_ALARM_CALLBACK_OBJECT */
		return 2;
	case 0x04: /* ACCESS_ALLOWED_COMPOUND: reserved */
		return 0;
	default:
		/* 0x00-0x03 and 0x09-0x13 but the above: mask and SID (then,
		 * for callback and resource-attribute ACEs, their data). */
		return type <= 0x13 ? 1 : 0;
	}
}

static bool ace_ok(const uint8_t *ace, uint32_t size)
{
	uint32_t at = ACE_BODY;

	switch (ace_layout(ace[ACE_TYPE])) {
	case 0:
		return true;
	case 2: {
		uint32_t flags;
		if (size < ACE_OBJ_BODY)
			return false;
		flags = ntfsi_le32(ace + ACE_OBJ_FLAGS);
		at = ACE_OBJ_BODY;
		if (flags & ACE_OBJ_TYPE_PRESENT)
			at += GUID_SIZE;
		if (flags & ACE_OBJ_INHERITED_PRESENT)
			at += GUID_SIZE;
		break;
	}
	default:
		break;
	}
	return at <= size && sid_size(ace + at, size - at) != 0;
}

/* The ACL at @off: its size inside the descriptor, every ACE inside it. */
static bool acl_ok(const uint8_t *sd, size_t len, uint32_t off)
{
	const uint8_t *acl;
	uint32_t size, count, pos = ACL_HEADER;

	if (off < SD_HEADER || !ntfsi_range_ok64(len, off, ACL_HEADER))
		return false;
	acl = sd + off;
	size = ntfsi_le16(acl + ACL_SIZE);
	count = ntfsi_le16(acl + ACL_COUNT);
	if (acl[ACL_REV] < ACL_REV_MIN || acl[ACL_REV] > ACL_REV_MAX || size < ACL_HEADER ||
	    !ntfsi_range_ok64(len, off, size))
		return false;
	/* Each ACE is at least 4 bytes of a 16-bit size: at most 16384 turns. */
	for (uint32_t i = 0; i < count; i++) {
		uint32_t ace_size;
		if (!ntfsi_range_ok(size, pos, ACE_HEADER))
			return false;
		ace_size = ntfsi_le16(acl + pos + ACE_SIZE);
		if (ace_size < ACE_HEADER || (ace_size & 3) != 0 ||
		    !ntfsi_range_ok(size, pos, ace_size) || !ace_ok(acl + pos, ace_size))
			return false;
		pos += ace_size;
	}
	return true;
}

/* An owner or group: none (0), or a whole SID after the header. */
static bool sid_field_ok(const uint8_t *sd, size_t len, uint32_t off)
{
	return off == 0 || (off >= SD_HEADER && off < len && sid_size(sd + off, len - off) != 0);
}

/* A SACL or DACL: none (offset 0; a NULL ACL if @present), or present and
 * whole. An offset without its present flag is refused, so that no reader
 * that follows offsets alone sees an ACL this check did not. */
static bool acl_field_ok(const uint8_t *sd, size_t len, bool present, uint32_t off)
{
	return off == 0 || (present && acl_ok(sd, len, off));
}

int ntfsi_secure_check(const uint8_t *sd, size_t len)
{
	uint16_t control;

	if (len < SD_HEADER || sd[SD_REVISION] != 1)
		return NTFS_ERR_CORRUPT_SECURITY;
	control = ntfsi_le16(sd + SD_CONTROL);
	if (!(control & SE_SELF_RELATIVE) || !sid_field_ok(sd, len, ntfsi_le32(sd + SD_OWNER)) ||
	    !sid_field_ok(sd, len, ntfsi_le32(sd + SD_GROUP)) ||
	    !acl_field_ok(sd, len, (control & SE_SACL_PRESENT) != 0, ntfsi_le32(sd + SD_SACL)) ||
	    !acl_field_ok(sd, len, (control & SE_DACL_PRESENT) != 0, ntfsi_le32(sd + SD_DACL)))
		return NTFS_ERR_CORRUPT_SECURITY;
	return NTFS_OK;
}

uint32_t ntfsi_secure_hash(const uint8_t *sd, size_t len)
{
	uint32_t h = 0;

	for (size_t i = 0; len - i >= 4; i += 4)
		h = ((h << 3) | (h >> 29)) + ntfsi_le32(sd + i);
	return h;
}

void ntfsi_secure_entry(const uint8_t *p, struct ntfsi_secure_entry *e)
{
	e->hash = ntfsi_le32(p + SE_HASH);
	e->id = ntfsi_le32(p + SE_ID);
	e->offset = ntfsi_le64(p + SE_OFFSET);
	e->length = ntfsi_le32(p + SE_LENGTH);
}

/* ---- where it comes from ------------------------------------------------ */

/* A descriptor of @size bytes in @stream: the whole value of a
 * $SECURITY_DESCRIPTOR attribute (@entry NULL), or the $SDS copies @entry
 * describes. */
struct source {
	ntfs_stream *stream;
	const struct ntfsi_secure_entry *entry;
	uint32_t size;
};

static int read_exact(ntfs_stream *s, uint64_t off, uint8_t *dst, size_t len)
{
	size_t got;
	int err = ntfs_stream_read(s, off, dst, len, &got);

	if (err)
		return err;
	return got == len ? NTFS_OK : NTFS_ERR_CORRUPT_SECURITY;
}

/* The $SDS copy at @at into @dst: 1 good, 0 bad, <0 an error of the read. */
static int sds_copy(const struct source *src, uint64_t at, uint8_t *dst)
{
	const struct ntfsi_secure_entry *want = src->entry;
	uint8_t raw[NTFSI_SECURE_ENTRY_SIZE];
	struct ntfsi_secure_entry h;
	int err = read_exact(src->stream, at, raw, sizeof raw);

	if (err == NTFS_OK)
		err = read_exact(src->stream, at + NTFSI_SECURE_ENTRY_SIZE, dst, src->size);
	if (err)
		return err == NTFS_ERR_CORRUPT_SECURITY ? 0 : err;
	ntfsi_secure_entry(raw, &h);
	/* The mirror is a byte copy: its header names the primary's offset. */
	if (h.hash != want->hash || h.id != want->id || h.offset != want->offset ||
	    h.length != want->length)
		return 0;
	if (ntfsi_secure_hash(dst, src->size) != want->hash)
		return 0;
	return ntfsi_secure_check(dst, src->size) == NTFS_OK;
}

/* Read and check the descriptor into @dst (src->size bytes). */
static int load(const struct source *src, uint8_t *dst)
{
	const struct ntfsi_secure_entry *e = src->entry;
	uint64_t size;
	int r;

	if (e == NULL) {
		r = read_exact(src->stream, 0, dst, src->size);
		return r ? r : ntfsi_secure_check(dst, src->size);
	}
	r = sds_copy(src, e->offset, dst);
	size = ntfs_stream_size(src->stream);
	/* The primary lies inside $SDS (sds_source), so no sum overflows. */
	if (r == 0 && ntfsi_range_ok64(size - e->offset, NTFSI_SECURE_MIRROR, e->length))
		r = sds_copy(src, e->offset + NTFSI_SECURE_MIRROR, dst);
	if (r < 0)
		return r;
	return r == 1 ? NTFS_OK : NTFS_ERR_CORRUPT_SECURITY;
}

/* Into the caller's buffer if it is large enough; else checked in a buffer
 * of the descriptor's size (at most NTFS_MAX_SECURITY_SIZE), for its size. */
static int deliver(ntfs_volume *vol, const struct source *src, uint8_t *buf, size_t cap,
                   size_t *len)
{
	uint8_t *tmp;
	int err;

	if (src->size <= cap) {
		err = load(src, buf);
		if (err) {
			ntfsi_bytes_zero(buf, src->size);
			return err;
		}
		*len = src->size;
		return NTFS_OK;
	}
	tmp = ntfsi_io_alloc(vol, src->size);
	if (tmp == NULL)
		return NTFS_ERR_NOMEM;
	err = load(src, tmp);
	ntfsi_io_free(vol, tmp, src->size);
	if (err)
		return err;
	*len = src->size;
	return NTFS_ERR_LIMIT;
}

void ntfsi_secure_free(ntfs_volume *vol)
{
	struct ntfsi_secure *s = vol->secure;

	if (s == NULL)
		return;
	/* A zeroed index (never opened) closes as nothing. */
	ntfsi_index_close(&s->sii);
	ntfs_stream_close(s->sds);
	ntfs_file_close(s->file);
	ntfsi_io_free(vol, s, sizeof *s);
	vol->secure = NULL;
}

static int secure_open(ntfs_volume *vol, struct ntfsi_secure **out)
{
	static const uint16_t sds_name[4] = {'$', 'S', 'D', 'S'};
	struct ntfsi_secure *s = vol->secure;
	int err;

	if (s == NULL) {
		s = ntfsi_io_alloc(vol, sizeof *s);
		if (s == NULL)
			return NTFS_ERR_NOMEM;
		ntfsi_bytes_zero(s, sizeof *s);
		vol->secure = s;
		err = ntfsi_file_open_system(vol, RECORD_SECURE, &s->file);
		if (err == NTFS_OK) {
			err = ntfsi_index_open(s->file, &sii_kind, &s->sii);
			if (err == NTFS_ERR_NOT_FOUND)
				err = NTFS_ERR_CORRUPT_SECURITY;
		}
		if (err == NTFS_OK)
			err = ntfsi_stream_need(s->file, NTFS_AT_DATA, sds_name, 4,
			                        NTFS_ERR_CORRUPT_SECURITY, &s->sds);
		if (err) {
			ntfsi_secure_free(vol);
			return err;
		}
	}
	*out = s;
	return NTFS_OK;
}

/* The $SII entry of security id @id. */
static int sii_lookup(struct ntfsi_secure *s, uint32_t id, struct ntfsi_secure_entry *e)
{
	const uint8_t key[4] = {(uint8_t)id, (uint8_t)(id >> 8), (uint8_t)(id >> 16),
	                        (uint8_t)(id >> 24)};
	struct ntfsi_index_entry ie;
	int r = ntfsi_index_seek(&s->sii, key, sizeof key);

	if (r == NTFS_OK)
		r = ntfsi_index_next(&s->sii, &ie);
	if (r < 0)
		return r;
	/* The key is 4 bytes (the kind says so); a file naming an id that
	 * $Secure does not have is as broken as a dangling reference. */
	if (r == 0 || ntfsi_le32(ie.key) != id || ie.data_len < NTFSI_SECURE_ENTRY_SIZE)
		return NTFS_ERR_CORRUPT_SECURITY;
	ntfsi_secure_entry(ie.data, e);
	return e->id == id ? NTFS_OK : NTFS_ERR_CORRUPT_SECURITY;
}

/* Where the $SII entry @e says the descriptor is, checked against $SDS. */
static int sds_source(struct ntfsi_secure *s, const struct ntfsi_secure_entry *e,
                      struct source *src)
{
	const uint64_t in_block = e->offset & (NTFSI_SECURE_MIRROR - 1u);

	if (e->length < NTFSI_SECURE_ENTRY_SIZE + SD_HEADER)
		return NTFS_ERR_CORRUPT_SECURITY;
	if (e->length - NTFSI_SECURE_ENTRY_SIZE > NTFS_MAX_SECURITY_SIZE)
		return NTFS_ERR_LIMIT;
	/* Aligned, in a block of primary copies, not across its end, and
	 * inside the stream. */
	if ((e->offset & (SDS_ALIGN - 1u)) != 0 || (e->offset & NTFSI_SECURE_MIRROR) != 0 ||
	    in_block + e->length > NTFSI_SECURE_MIRROR ||
	    !ntfsi_range_ok64(ntfs_stream_size(s->sds), e->offset, e->length))
		return NTFS_ERR_CORRUPT_SECURITY;
	src->stream = s->sds;
	src->entry = e;
	src->size = e->length - NTFSI_SECURE_ENTRY_SIZE;
	return NTFS_OK;
}

/* The security id in @file's $STANDARD_INFORMATION; 0 when it has none
 * (the 48-byte layout of NTFS 1.2, or id 0). */
static int security_id(ntfs_file *file, uint32_t *id)
{
	struct ntfsi_attr a;
	int err = ntfsi_file_need_attr(file, NTFS_AT_STANDARD_INFORMATION, NULL, 0,
	                               NTFS_ERR_CORRUPT_ATTR, &a);

	if (err)
		return err;
	if (!a.resident || a.value_len < SI_MIN_SIZE)
		return NTFS_ERR_CORRUPT_ATTR;
	*id = a.value_len < SI_SECURITY_ID + 4u ? 0 : ntfsi_le32(a.value + SI_SECURITY_ID);
	return NTFS_OK;
}

int ntfs_file_security(ntfs_file *file, void *buf, size_t cap, size_t *len)
{
	ntfs_volume *vol = file->vol;
	struct ntfsi_secure_entry e;
	struct ntfsi_secure *s;
	struct source src;
	ntfs_stream *attr;
	uint32_t id;
	int err;

	*len = 0;
	err = ntfsi_stream_open(file, NTFS_AT_SECURITY_DESCRIPTOR, NULL, 0, &attr);
	if (err == NTFS_OK) {
		uint64_t size = ntfs_stream_size(attr);
		src.stream = attr;
		src.entry = NULL;
		src.size = (uint32_t)size;
		err = size > NTFS_MAX_SECURITY_SIZE ? NTFS_ERR_LIMIT
		                                    : deliver(vol, &src, buf, cap, len);
		ntfs_stream_close(attr);
		return err;
	}
	if (err != NTFS_ERR_NOT_FOUND)
		return err;
	err = security_id(file, &id);
	if (err == NTFS_OK && id == 0)
		err = NTFS_ERR_NOT_FOUND;
	if (err == NTFS_OK)
		err = secure_open(vol, &s);
	if (err == NTFS_OK)
		err = sii_lookup(s, id, &e);
	if (err == NTFS_OK)
		err = sds_source(s, &e, &src);
	return err ? err : deliver(vol, &src, buf, cap, len);
}
