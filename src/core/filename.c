/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * $FILE_NAME: a name, its namespace and its parent directory, with copies
 * of the file's times and sizes that NTFS updates lazily.
 */
#include "filename.h"

#include "ntfs/ntfs.h"

#include "attr.h"
#include "file.h"
#include "name.h"

#define FN_PARENT 0
#define FN_CTIME 8
#define FN_MTIME 16
#define FN_MFTTIME 24
#define FN_ATIME 32
#define FN_ALLOC 40
#define FN_SIZE 48
#define FN_FLAGS 56
#define FN_NAME_LEN 64
#define FN_NAMESPACE 65
#define FN_NAME 66
#define FN_FLAG_DIRECTORY 0x10000000u /* the file has an $I30 index */

_Static_assert(FN_NAME == NTFSI_FILENAME_HEADER, "the name follows the header");

int ntfsi_filename_check(const uint8_t *fn, uint32_t len)
{
	if (len < FN_NAME || fn[FN_NAME_LEN] == 0 || fn[FN_NAMESPACE] > 3 ||
	    !ntfsi_range_ok(len, FN_NAME, 2u * fn[FN_NAME_LEN]))
		return NTFS_ERR_CORRUPT_ATTR;
	return NTFS_OK;
}

void ntfsi_filename_dirent(const uint8_t *fn, struct ntfs_dirent *ent)
{
	const uint32_t flags = ntfsi_le32(fn + FN_FLAGS);

	ent->parent_ref = ntfsi_le64(fn + FN_PARENT);
	ent->creation_time = ntfsi_le64(fn + FN_CTIME);
	ent->modification_time = ntfsi_le64(fn + FN_MTIME);
	ent->mft_change_time = ntfsi_le64(fn + FN_MFTTIME);
	ent->access_time = ntfsi_le64(fn + FN_ATIME);
	ent->allocated_size = ntfsi_le64(fn + FN_ALLOC);
	ent->size = ntfsi_le64(fn + FN_SIZE);
	ent->attributes = flags;
	ent->is_dir = (flags & FN_FLAG_DIRECTORY) != 0;
	ent->name_space = fn[FN_NAMESPACE];
	ent->name16_len = fn[FN_NAME_LEN];
}

uint64_t ntfsi_filename_parent(const uint8_t *fn)
{
	return ntfsi_le64(fn + FN_PARENT);
}

uint8_t ntfsi_filename_space(const uint8_t *fn)
{
	return fn[FN_NAMESPACE];
}

const uint8_t *ntfsi_filename_name(const uint8_t *fn, uint8_t *len)
{
	*len = fn[FN_NAME_LEN];
	return fn + FN_NAME;
}

void ntfsi_filename_key(uint8_t *fn, const uint16_t *name, uint8_t len)
{
	ntfsi_bytes_zero(fn, FN_NAME);
	fn[FN_NAME_LEN] = len;
	for (uint8_t i = 0; i < len; i++)
		ntfsi_st16(fn + FN_NAME + 2 * i, name[i]);
}

int ntfs_name_next(ntfs_file *file, uint32_t *cursor, struct ntfs_name_info *info)
{
	struct ntfsi_attr a;
	uint64_t recno;
	int r;

	while ((r = ntfsi_file_attr_next(file, cursor, &a, &recno)) == 1) {
		const uint8_t *name;
		uint8_t len;

		if (a.type != NTFS_AT_FILE_NAME)
			continue;
		/* Always resident: NTFS indexes its bytes as they are. */
		if (!a.resident || ntfsi_filename_check(a.value, a.value_len))
			return NTFS_ERR_CORRUPT_ATTR;
		name = ntfsi_filename_name(a.value, &len);
		info->parent_ref = ntfsi_filename_parent(a.value);
		info->name_space = ntfsi_filename_space(a.value);
		info->name16_len = len;
		for (uint8_t i = 0; i < len; i++)
			info->name16[i] = ntfsi_le16(name + 2 * i);
		info->name_len = 0;
		info->name[0] = '\0';
		/* The root is named "." in itself; no other file may be. */
		if (!ntfsi_name_ok(info->name16, len) &&
		    !(file->recno == NTFS_ROOT_RECORD &&
		      NTFS_REF_RECORD(info->parent_ref) == NTFS_ROOT_RECORD && len == 1 &&
		      info->name16[0] == '.'))
			return NTFS_ERR_NAME;
		r = ntfs_utf16_to_utf8(info->name16, len, info->name, sizeof info->name,
		                       &info->name_len);
		return r == NTFS_OK ? 1 : r;
	}
	return r;
}
