/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Files: open and read, through the file and stream the slot keeps open.
 */
#include "internal.h"

#include <fcntl.h>
#include <stdlib.h>

/* The slot's open stream for node (a file's unnamed stream, or with
 * streams_interface=windows a named one), opening it if need be. */
static int file_stream(struct nfuse_slot *s, fuse_ino_t node, ntfs_stream **out)
{
	int err;

	if (s->file_rec != node) {
		struct ntfs_stream_info *si = NULL;
		unsigned k = nfuse_stream_of(node);

		nfuse_slot_forget(s);
		err = ntfs_file_open(s->vol, nfuse_rec_of(node), &s->file);
		if (err != NTFS_OK) {
			s->file = NULL;
			return err;
		}
		if (k != 0) {
			si = malloc(sizeof(*si));
			err = si == NULL ? NTFS_ERR_NOMEM
			                 : nfuse_attr_named_stream(s->file, NULL, &k, si);
		}
		if (err == NTFS_OK)
			err = ntfs_stream_open(s->file, si != NULL ? si->name : NULL, &s->stream);
		free(si);
		if (err != NTFS_OK) {
			s->stream = NULL;
			nfuse_slot_forget(s);
			return err;
		}
		s->file_rec = node;
	}
	*out = s->stream;
	return NTFS_OK;
}

void nfuse_file_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct nfuse_slot *s;
	ntfs_stream *stream;
	int err;

	if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & (O_TRUNC | O_CREAT)) != 0) {
		fuse_reply_err(req, EROFS);
		return;
	}
	s = nfuse_slot_get(fs);
	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	err = file_stream(s, ino, &stream);
	nfuse_slot_put(s);
	if (err != NTFS_OK) {
		fuse_reply_err(req, nfuse_errno(err));
		return;
	}
	fi->keep_cache = 1;
	fi->noflush = 1;
	fuse_reply_open(req, fi);
}

void nfuse_file_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                     struct fuse_file_info *fi)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct nfuse_slot *s = nfuse_slot_get(fs);
	ntfs_stream *stream;
	unsigned char *buf;
	size_t n = 0;
	int err;

	(void)fi;
	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	buf = nfuse_slot_buf(s, size);
	err = buf == NULL ? NTFS_ERR_NOMEM : file_stream(s, ino, &stream);
	if (err == NTFS_OK && off < 0)
		err = NTFS_ERR_INVALID;
	if (err == NTFS_OK)
		err = ntfs_stream_read(stream, (uint64_t)off, buf, size, &n);
	if (err == NTFS_OK)
		fuse_reply_buf(req, (const char *)buf, n);
	else
		fuse_reply_err(req, nfuse_errno(err));
	nfuse_slot_put(s);
}

void nfuse_file_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	fuse_reply_err(req, 0);
}
