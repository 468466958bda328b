/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NTFS on-disk offsets for tests and fuzz harnesses, written from the
 * format's documentation independently of the core's own constants, so a
 * wrong offset in the core cannot agree with itself in a test.
 */
#ifndef NTFS_TEST_ONDISK_H
#define NTFS_TEST_ONDISK_H

/* Boot sector (NTFS BPB). */
#define OD_BS_OEM 3
#define OD_BS_BPS 11
#define OD_BS_SPC 13
#define OD_BS_TOTAL 40
#define OD_BS_MFT 48
#define OD_BS_MFTMIRR 56
#define OD_BS_CPR 64
#define OD_BS_CPI 68
#define OD_BS_SERIAL 72
#define OD_BS_SIG 510

/* Attribute type codes. */
#define OD_AT_STANDARD_INFORMATION 0x10u
#define OD_AT_ATTRIBUTE_LIST 0x20u
#define OD_AT_FILE_NAME 0x30u
#define OD_AT_VOLUME_NAME 0x60u
#define OD_AT_VOLUME_INFORMATION 0x70u
#define OD_AT_DATA 0x80u
#define OD_AT_INDEX_ROOT 0x90u
#define OD_AT_INDEX_ALLOCATION 0xA0u
#define OD_AT_BITMAP 0xB0u
#define OD_AT_REPARSE_POINT 0xC0u

/* FILE record header. */
#define OD_REC_USA_OFF 4
#define OD_REC_USA_COUNT 6
#define OD_REC_LSN 8
#define OD_REC_SEQUENCE 16
#define OD_REC_LINKS 18
#define OD_REC_ATTRS_OFFSET 20
#define OD_REC_FLAGS 22
#define OD_REC_BYTES_IN_USE 24
#define OD_REC_BYTES_ALLOC 28
#define OD_REC_BASE_REF 32
#define OD_REC_NEXT_ID 40
#define OD_REC_NUMBER 44
#define OD_REC_FLAG_IN_USE 0x0001u
#define OD_REC_FLAG_DIRECTORY 0x0002u

/* Attribute header. */
#define OD_AH_TYPE 0
#define OD_AH_LENGTH 4
#define OD_AH_NONRESIDENT 8
#define OD_AH_NAME_LEN 9
#define OD_AH_NAME_OFF 10
#define OD_AH_FLAGS 12
#define OD_AH_ID 14
#define OD_AH_VALUE_LEN 16 /* resident */
#define OD_AH_VALUE_OFF 20
#define OD_AH_LOWEST_VCN 16 /* non-resident */
#define OD_AH_HIGHEST_VCN 24
#define OD_AH_MP_OFF 32
#define OD_AH_CU 34
#define OD_AH_ALLOC 40
#define OD_AH_DATA 48
#define OD_AH_INIT 56
#define OD_AT_END 0xFFFFFFFFu
/* Attribute flags: the low byte is the compression method (1: LZNT1). */
#define OD_AH_FLAG_COMPRESSED 0x0001u

/* Attribute list entry. */
#define OD_AL_TYPE 0
#define OD_AL_LENGTH 4
#define OD_AL_NAME_LEN 6
#define OD_AL_NAME_OFF 7
#define OD_AL_LOWEST_VCN 8
#define OD_AL_REF 16
#define OD_AL_ID 24

/* $STANDARD_INFORMATION value. */
#define OD_SI_FILE_ATTRS 32
#define OD_FILE_ATTR_REPARSE_POINT 0x0400u

/* $REPARSE_POINT value. */
#define OD_RP_TAG_WOF 0x80000017u

/* $FILE_NAME value. */
#define OD_FN_PARENT 0
#define OD_FN_CTIME 8
#define OD_FN_MTIME 16
#define OD_FN_MFTTIME 24
#define OD_FN_ATIME 32
#define OD_FN_ALLOC 40
#define OD_FN_SIZE 48
#define OD_FN_FLAGS 56
#define OD_FN_NAME_LEN 64
#define OD_FN_NAMESPACE 65
#define OD_FN_NAME 66

/* $INDEX_ROOT value, node header, INDX block, index entry. */
#define OD_IR_TYPE 0
#define OD_IR_COLLATION 4
#define OD_IR_BLOCK_SIZE 8
#define OD_IR_CLUSTERS 12
#define OD_IR_NODE 16
#define OD_NH_ENTRIES_OFF 0
#define OD_NH_INDEX_LEN 4
#define OD_NH_ALLOC 8
#define OD_NH_FLAGS 12
#define OD_NH_SIZE 16
#define OD_NH_FLAG_LARGE 0x01u /* has $INDEX_ALLOCATION */
/* INDX blocks have the update sequence header of FILE records. */
#define OD_INDX_USA_OFF 4
#define OD_INDX_USA_COUNT 6
#define OD_INDX_VCN 16
#define OD_INDX_NODE 24
#define OD_IE_REF 0
#define OD_IE_DATA_OFF 0 /* view indexes */
#define OD_IE_DATA_LEN 2
#define OD_IE_LENGTH 8
#define OD_IE_KEY_LEN 10
#define OD_IE_FLAGS 12
#define OD_IE_KEY 16
#define OD_IE_HAS_SUB 0x01u
#define OD_IE_END 0x02u
/* An entry with OD_IE_HAS_SUB ends with its subnode's VCN (8 bytes). */
#define OD_IE_SUBNODE_FROM_END 8

/* Collation rules named in $INDEX_ROOT. */
#define OD_COLLATION_BINARY 0x00u
#define OD_COLLATION_FILE_NAME 0x01u
#define OD_COLLATION_ULONG 0x10u
#define OD_COLLATION_SID 0x11u
#define OD_COLLATION_SECURITY_HASH 0x12u
#define OD_COLLATION_ULONGS 0x13u

#endif /* NTFS_TEST_ONDISK_H */
