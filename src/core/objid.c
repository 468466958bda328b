/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Object ids: a file's $OBJECT_ID, completed from $Extend/$ObjId. The
 * attribute usually holds only the 16-byte object id; the volume's $O
 * index, keyed by it, keeps the birth volume, birth object and domain ids
 * after the file's reference, and together they make the 64-byte value.
 */
#include "ntfs/ntfs.h"

#include "collate.h"
#include "file.h"
#include "index.h"
#include "io.h"
#include "stream.h"

#define GUID_SIZE 16u
/* $O entry data: the file's reference, then the three ids. */
#define OD_REF 0
#define OD_IDS 8
#define OD_SIZE (OD_IDS + 3u * GUID_SIZE)

_Static_assert(GUID_SIZE + 3u * GUID_SIZE == NTFS_OBJECT_ID_SIZE, "four GUIDs");

static const struct ntfsi_index_kind o_kind = {
        .name = {'$', 'O'},
        .name_len = 2,
        .type = 0,
        .collation = NTFSI_COLLATION_ULONGS,
        .collate = ntfsi_collate_ulongs,
        .key_min = GUID_SIZE,
        .key_max = GUID_SIZE,
        .exact = false,
};

/* Whether $O entry @e is object id @id's, for file @recno. */
static bool names(const struct ntfsi_index_entry *e, const uint8_t *id, uint64_t recno)
{
	uint8_t d = 0;

	for (uint32_t i = 0; i < GUID_SIZE; i++)
		d |= e->key[i] ^ id[i];
	return d == 0 && e->data_len >= OD_SIZE &&
	       NTFS_REF_RECORD(ntfsi_le64(e->data + OD_REF)) == recno;
}

/* The three ids $ObjId keeps for object id @id of file @recno into @out;
 * NTFS_ERR_NOT_FOUND when the volume has no $ObjId, or no entry for it
 * that names this file, or one this library cannot read (deeper than
 * NTFS_MAX_INDEX_DEPTH, compressed); corrupt when $Extend is no directory
 * or names a stale $ObjId. */
static int index_ids(ntfs_volume *vol, uint64_t recno, const uint8_t *id, uint8_t *out)
{
	struct ntfsi_index *idx = ntfsi_io_alloc(vol, sizeof *idx);
	struct ntfsi_index_entry e;
	ntfs_file *objid;
	int err;

	if (idx == NULL)
		return NTFS_ERR_NOMEM;
	err = ntfs_path_open(vol, "/$Extend/$ObjId", &objid);
	if (err == NTFS_OK) {
		err = ntfsi_index_open(objid, &o_kind, idx);
		if (err == NTFS_OK) {
			err = ntfsi_index_seek(idx, id, GUID_SIZE);
			if (err == NTFS_OK)
				err = ntfsi_index_next(idx, &e);
			/* The first entry not below the id: it, naming this file. */
			if (err == 1 && names(&e, id, recno)) {
				ntfsi_bytes_copy(out, e.data + OD_IDS, OD_SIZE - OD_IDS);
				err = NTFS_OK;
			} else if (err >= 0) {
				err = NTFS_ERR_NOT_FOUND;
			}
			ntfsi_index_close(idx);
		}
		ntfs_file_close(objid);
	}
	ntfsi_io_free(vol, idx, sizeof *idx);
	if (err == NTFS_ERR_LIMIT || err == NTFS_ERR_UNSUPPORTED)
		return NTFS_ERR_NOT_FOUND;
	return err == NTFS_ERR_NOT_DIR || err == NTFS_ERR_STALE ? NTFS_ERR_CORRUPT : err;
}

int ntfs_file_object_id(ntfs_file *file, uint8_t id[NTFS_OBJECT_ID_SIZE], size_t *len)
{
	uint8_t *value;
	uint32_t n;
	int err = ntfsi_stream_load(file, NTFS_AT_OBJECT_ID, NTFS_OBJECT_ID_SIZE,
	                            NTFS_ERR_CORRUPT_ATTR, &value, &n);

	*len = 0;
	if (err)
		return err;
	if (n < GUID_SIZE) {
		ntfsi_io_free(file->vol, value, n);
		return NTFS_ERR_CORRUPT_ATTR;
	}
	ntfsi_bytes_copy(id, value, n);
	ntfsi_io_free(file->vol, value, n);
	*len = n;
	if (n > GUID_SIZE)
		return NTFS_OK;
	err = index_ids(file->vol, file->recno, id, id + GUID_SIZE);
	if (err == NTFS_ERR_NOT_FOUND)
		return NTFS_OK;
	*len = err == NTFS_OK ? NTFS_OBJECT_ID_SIZE : 0;
	return err;
}
