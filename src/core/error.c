/* SPDX-License-Identifier: BSD-2-Clause */
/* Error codes and their names. */
#include "ntfs/ntfs.h"

const char *ntfs_strerror(int err)
{
	switch (err) {
	case NTFS_OK:
		return "success";
	case NTFS_ERR_IO:
		return "I/O error";
	case NTFS_ERR_NOMEM:
		return "out of memory";
	case NTFS_ERR_UNSUPPORTED:
		return "unsupported NTFS feature";
	case NTFS_ERR_NOT_FOUND:
		return "not found";
	case NTFS_ERR_NOT_DIR:
		return "not a directory";
	case NTFS_ERR_IS_DIR:
		return "is a directory";
	case NTFS_ERR_INVALID:
		return "invalid argument";
	case NTFS_ERR_LIMIT:
		return "limit of this library exceeded";
	case NTFS_ERR_NAME:
		return "invalid name encoding";
	case NTFS_ERR_STALE:
		return "stale file reference";
	case NTFS_ERR_CORRUPT:
		return "corrupt volume";
	case NTFS_ERR_CORRUPT_BOOT:
		return "corrupt boot sector";
	case NTFS_ERR_CORRUPT_RECORD:
		return "corrupt MFT record";
	case NTFS_ERR_CORRUPT_FIXUP:
		return "corrupt update sequence (torn write)";
	case NTFS_ERR_CORRUPT_ATTR:
		return "corrupt attribute";
	case NTFS_ERR_CORRUPT_ATTRLIST:
		return "corrupt attribute list";
	case NTFS_ERR_CORRUPT_RUNLIST:
		return "corrupt runlist";
	case NTFS_ERR_CORRUPT_INDEX:
		return "corrupt index";
	case NTFS_ERR_CORRUPT_UPCASE:
		return "corrupt $UpCase table";
	case NTFS_ERR_CORRUPT_MFT:
		return "corrupt $MFT";
	case NTFS_ERR_CORRUPT_COMPRESSED:
		return "corrupt compressed data";
	case NTFS_ERR_CORRUPT_REPARSE:
		return "corrupt reparse point";
	case NTFS_ERR_CORRUPT_EA:
		return "corrupt extended attributes";
	case NTFS_ERR_CORRUPT_SECURITY:
		return "corrupt security descriptor";
	case NTFS_ERR_CORRUPT_PARTITION:
		return "corrupt partition table";
	default:
		return "unknown error";
	}
}

bool ntfs_error_is_corrupt(int err)
{
	return err <= NTFS_ERR_CORRUPT && err >= NTFS_ERR_CORRUPT_LOWEST;
}
