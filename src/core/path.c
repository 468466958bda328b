/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Paths: '/'-separated UTF-8, resolved one component at a time from the
 * root. No recursion; at most NTFS_MAX_PATH_DEPTH components.
 */
#include "ntfs/ntfs.h"

#include "file.h"
#include "filename.h"

/* The parent directory named by the file's first $FILE_NAME. */
static int parent_ref(ntfs_file *f, uint64_t *ref)
{
	struct ntfsi_attr a;
	int err = ntfsi_file_need_attr(f, NTFS_AT_FILE_NAME, NULL, 0, NTFS_ERR_CORRUPT_ATTR, &a);

	if (err == NTFS_OK && (!a.resident || ntfsi_filename_check(a.value, a.value_len)))
		err = NTFS_ERR_CORRUPT_ATTR;
	if (err)
		return err;
	*ref = ntfsi_filename_parent(a.value);
	return NTFS_OK;
}

int ntfs_path_open(ntfs_volume *vol, const char *path, ntfs_file **out)
{
	ntfs_file *cur;
	uint32_t depth = 0;
	int err;

	err = ntfs_file_open(vol, NTFS_ROOT_RECORD, &cur);
	if (err)
		return err;
	while (*path != '\0') {
		struct ntfs_dirent ent;
		const char *name = path;
		size_t len = 0;
		uint64_t next;
		ntfs_file *child;

		if (*path == '/') {
			path++;
			continue;
		}
		while (name[len] != '\0' && name[len] != '/')
			len++;
		path += len;
		if (++depth > NTFS_MAX_PATH_DEPTH) {
			err = NTFS_ERR_LIMIT;
			break;
		}
		/* Even "." and ".." need a directory to be in. */
		if (!(cur->hdr.flags & NTFSI_RECORD_DIRECTORY)) {
			err = NTFS_ERR_NOT_DIR;
			break;
		}
		if (len == 1 && name[0] == '.')
			continue;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			if (cur->recno == NTFS_ROOT_RECORD)
				continue;
			err = parent_ref(cur, &next);
		} else {
			err = ntfs_dir_lookup(cur, name, len, &ent);
			if (err == NTFS_OK)
				next = ent.ref;
		}
		if (err == NTFS_OK)
			err = ntfs_file_open(vol, next, &child);
		if (err)
			break;
		ntfs_file_close(cur);
		cur = child;
	}
	if (err) {
		ntfs_file_close(cur);
		return err;
	}
	*out = cur;
	return NTFS_OK;
}
