/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reparse points: a tag that says who interprets the file (a symlink, a
 * junction, WOF compression, deduplication, ...) and data for that owner.
 */
#include "reparse.h"

#include "file.h"

int ntfsi_reparse_tag(ntfs_file *f, uint32_t *tag)
{
	struct ntfsi_attr a;
	int err = ntfsi_file_find_attr(f, NTFS_AT_REPARSE_POINT, NULL, 0, &a);

	*tag = 0;
	if (err == NTFS_ERR_NOT_FOUND)
		return NTFS_OK;
	if (err)
		return err;
	if (a.resident && a.value_len >= 4)
		*tag = ntfsi_le32(a.value);
	return NTFS_OK;
}
