/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Security descriptors built byte by byte from [MS-DTYP] 2.4 (SID, ACE,
 * ACL, self-relative SECURITY_DESCRIPTOR), independently of the core, for
 * tests that need valid ones to start from and mangle.
 */
#ifndef NTFS_TEST_SDFIX_H
#define NTFS_TEST_SDFIX_H

#include <stddef.h>
#include <stdint.h>

/* Offsets and values ([MS-DTYP] 2.4.2.2, 2.4.4, 2.4.5, 2.4.6). */
#define SDF_SD_REVISION 0
#define SDF_SD_CONTROL 2
#define SDF_SD_OWNER 4
#define SDF_SD_GROUP 8
#define SDF_SD_SACL 12
#define SDF_SD_DACL 16
#define SDF_SD_HEADER 20
#define SDF_SE_DACL_PRESENT 0x0004u
#define SDF_SE_SACL_PRESENT 0x0010u
#define SDF_SE_DACL_AUTO_INHERIT_REQ 0x0100u
#define SDF_SE_DACL_AUTO_INHERITED 0x0400u
#define SDF_SE_DACL_PROTECTED 0x1000u
#define SDF_SE_SELF_RELATIVE 0x8000u
#define SDF_ACL_SIZE 2
#define SDF_ACL_COUNT 4
#define SDF_ACL_HEADER 8
#define SDF_ACE_TYPE 0
#define SDF_ACE_FLAGS 1
#define SDF_ACE_SIZE 2
#define SDF_ACE_MASK 4
#define SDF_ACE_SID 8 /* the simple types */
#define SDF_SID_COUNT 1

/* $SDS entry header / $SII data. */
#define SDF_SE_HASH 0
#define SDF_SE_ID 4
#define SDF_SE_OFFSET 8
#define SDF_SE_LENGTH 16
#define SDF_SE_SIZE 20
#define SDF_SDS_MIRROR 0x40000u

/* A SID from "S-1-5-21-..." into @out (at least 68 bytes); returns its size. */
size_t sdfix_sid(uint8_t *out, const char *sid);
/* An ACE of a simple type (mask and SID: types 0-3, 0x11) or, with
 * @object or @inherited non-NULL (16 bytes each, GUID in its on-disk
 * order), an object ACE; padded to a multiple of 4. Returns its size. */
size_t sdfix_ace(uint8_t *out, uint8_t type, uint8_t flags, uint32_t mask, const char *sid,
                 const uint8_t *object, const uint8_t *inherited);
/* An ACL (revision 2) over @aces (@len bytes, @count ACEs). */
size_t sdfix_acl(uint8_t *out, const uint8_t *aces, size_t len, uint16_t count);
/* A self-relative descriptor: header, SACL, DACL, owner, group, each
 * present when non-NULL (and its *_PRESENT bit is set in @control for an
 * ACL); SE_SELF_RELATIVE is always set. Returns its size. */
size_t sdfix_sd(uint8_t *out, uint16_t control, const char *owner, const char *group,
                const uint8_t *sacl, size_t sacl_len, const uint8_t *dacl, size_t dacl_len);
/* The $Secure hash: over 32-bit little-endian words, h = rotl(h, 3) + w. */
uint32_t sdfix_hash(const uint8_t *p, size_t len);

#endif /* NTFS_TEST_SDFIX_H */
