/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Extended attributes, as ntfs-3g names them: named streams as "user.NAME"
 * (streams_interface=xattr) and the system.ntfs_* values (attrib, times,
 * crtime, each also _be; reparse_data, acl, ea, object_id, dos_name).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Largest value getxattr hands out (the kernel's XATTR_SIZE_MAX). */
#define NFUSE_XATTR_MAX 65536u

static void put_le(unsigned char *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put_be(unsigned char *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[n - 1 - i] = (unsigned char)(v >> (8 * i));
}

/* Read a whole stream into buf (cap bytes); *len its size. */
static int read_whole(ntfs_stream *stream, unsigned char *buf, size_t cap, size_t *len)
{
	uint64_t size = ntfs_stream_size(stream);
	size_t n;
	int err;

	if (size > cap)
		return NTFS_ERR_LIMIT;
	err = ntfs_stream_read(stream, 0, buf, (size_t)size, &n);
	if (err == NTFS_OK)
		*len = n;
	return err;
}

static int read_attr(ntfs_file *file, uint32_t type, unsigned char *buf, size_t cap, size_t *len)
{
	ntfs_stream *stream;
	int err = ntfs_attr_open(file, type, NULL, 0, &stream);

	if (err != NTFS_OK)
		return err;
	err = read_whole(stream, buf, cap, len);
	ntfs_stream_close(stream);
	return err;
}

/* system.ntfs_dos_name as ntfs-3g gives it: the DOS (8.3) name the file
 * has in the directory of its first name, upper-cased, without a NUL; ENODATA when it
 * has none there, and for the root, which is in no directory (as
 * lowntfs-3g; ntfs-3g's high-level driver says EPERM). */
static int dos_name(ntfs_volume *vol, ntfs_file *file, uint64_t rec, unsigned char *buf,
                    size_t *len)
{
	struct ntfs_name_info *ni;
	uint64_t parent = 0;
	uint32_t cur = 0;
	bool first = true;
	int r, e = ENODATA;

	if (rec == NTFS_ROOT_RECORD)
		return ENODATA;
	ni = malloc(sizeof(*ni));
	if (ni == NULL)
		return ENOMEM;
	/* One pass: the first name gives the directory (nfuse_attr_parent's
	 * rule), and may be the DOS name itself. */
	while ((r = ntfs_name_next(file, &cur, ni)) != 0) {
		if (r < 0 && r != NTFS_ERR_NAME) {
			e = nfuse_errno(r);
			break;
		}
		if (first)
			parent = NTFS_REF_RECORD(ni->parent_ref);
		first = false;
		if (r == NTFS_ERR_NAME || !(ni->name_space & NTFS_NAMESPACE_DOS) ||
		    NTFS_REF_RECORD(ni->parent_ref) != parent)
			continue;
		/* In upper case, as DOS names are (a Win32 name that is also a
		 * DOS one may be in lower case). */
		for (unsigned i = 0; i < ni->name16_len; i++)
			ni->name16[i] = ntfs_upcase(vol, ni->name16[i]);
		r = ntfs_utf16_to_utf8(ni->name16, ni->name16_len, (char *)buf, NFUSE_XATTR_MAX,
		                       len);
		e = r == NTFS_OK ? 0 : ENODATA;
		break;
	}
	free(ni);
	return e;
}

/*
 * The value of extended attribute NAME of record rec, open as file on vol, in buf
 * (NFUSE_XATTR_MAX bytes). Returns 0 or an errno.
 */
static int xattr_value(struct nfuse *fs, ntfs_volume *vol, ntfs_file *file, uint64_t rec,
                       const char *name, unsigned char *buf, size_t *len)
{
	struct ntfs_stat st;
	int err;
	bool be;

	if (strncmp(name, "user.", 5) == 0) {
		ntfs_stream *stream;

		if (fs->opts.streams != NFUSE_STREAMS_XATTR || name[5] == '\0')
			return ENODATA;
		err = ntfs_stream_open(file, name + 5, &stream);
		if (err == NTFS_ERR_NOT_FOUND || err == NTFS_ERR_NAME)
			return ENODATA;
		if (err != NTFS_OK)
			return nfuse_errno(err);
		err = read_whole(stream, buf, NFUSE_XATTR_MAX, len);
		ntfs_stream_close(stream);
		return err == NTFS_ERR_LIMIT ? E2BIG : nfuse_errno(err);
	}
	if (strncmp(name, "system.ntfs_", 12) != 0)
		return ENODATA;
	name += 12;
	be = strlen(name) > 3 && strcmp(name + strlen(name) - 3, "_be") == 0;
	if (strcmp(name, "attrib") == 0 || strcmp(name, "attrib_be") == 0 ||
	    strcmp(name, "times") == 0 || strcmp(name, "times_be") == 0 ||
	    strcmp(name, "crtime") == 0 || strcmp(name, "crtime_be") == 0) {
		void (*put)(unsigned char *, uint64_t, unsigned) = be ? put_be : put_le;

		err = ntfs_file_stat(file, &st);
		if (err != NTFS_OK)
			return nfuse_errno(err);
		if (name[0] == 'a') {
			/* As ntfs-3g: a directory has FILE_ATTRIBUTE_DIRECTORY. */
			put(buf, st.attributes | (st.is_dir ? NTFS_FILE_ATTR_DIRECTORY : 0), 4);
			*len = 4;
		} else if (name[0] == 'c') {
			put(buf, st.creation_time, 8);
			*len = 8;
		} else {
			put(buf, st.creation_time, 8);
			put(buf + 8, st.modification_time, 8);
			put(buf + 16, st.access_time, 8);
			put(buf + 24, st.mft_change_time, 8);
			*len = 32;
		}
		return 0;
	}
	if (strcmp(name, "dos_name") == 0)
		return dos_name(vol, file, rec, buf, len);
	if (strcmp(name, "reparse_data") == 0)
		err = ntfs_file_reparse(file, buf, NFUSE_XATTR_MAX, len);
	else if (strcmp(name, "acl") == 0)
		err = ntfs_file_security(file, buf, NFUSE_XATTR_MAX, len);
	else if (strcmp(name, "ea") == 0)
		err = read_attr(file, NTFS_AT_EA, buf, NFUSE_XATTR_MAX, len);
	else if (strcmp(name, "object_id") == 0)
		err = ntfs_file_object_id(file, buf, len);
	else
		return ENODATA;
	if (err == NTFS_ERR_NOT_FOUND)
		return ENODATA;
	if (err == NTFS_ERR_LIMIT)
		return E2BIG;
	return nfuse_errno(err);
}

static void reply_sized(fuse_req_t req, const void *data, size_t len, size_t size)
{
	if (size == 0)
		fuse_reply_xattr(req, len);
	else if (len > size)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, data, len);
}

void nfuse_xattr_get(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct nfuse_slot *s;
	unsigned char *buf;
	ntfs_file *file;
	size_t len = 0;
	int e;

	/* ls -l asks every file for security.selinux and POSIX ACLs: answer
	 * names we never have without opening anything. */
	if ((strncmp(name, "user.", 5) != 0 && strncmp(name, "system.ntfs_", 12) != 0) ||
	    nfuse_stream_of(ino) != 0) {
		fuse_reply_err(req, ENODATA);
		return;
	}
	s = nfuse_slot_get(fs);
	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	buf = nfuse_slot_buf(s, NFUSE_XATTR_MAX);
	e = buf == NULL ? ENOMEM : nfuse_errno(ntfs_file_open(s->vol, nfuse_rec_of(ino), &file));
	if (e == 0) {
		e = xattr_value(fs, s->vol, file, nfuse_rec_of(ino), name, buf, &len);
		ntfs_file_close(file);
	}
	if (e == 0)
		reply_sized(req, buf, len, size);
	else
		fuse_reply_err(req, e);
	nfuse_slot_put(s);
}

void nfuse_xattr_list(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct nfuse_slot *s = nfuse_slot_get(fs);
	struct ntfs_stream_info *si;
	unsigned char *buf;
	ntfs_file *file;
	uint32_t cur = 0;
	size_t len = 0;
	int err, r;

	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	buf = nfuse_slot_buf(s, NFUSE_XATTR_MAX);
	si = malloc(sizeof(*si));
	err = buf == NULL || si == NULL ? NTFS_ERR_NOMEM
	                                : ntfs_file_open(s->vol, nfuse_rec_of(ino), &file);
	if (err == NTFS_OK) {
		/* A stream's own node (streams_interface=windows) has none. */
		while (fs->opts.streams == NFUSE_STREAMS_XATTR && nfuse_stream_of(ino) == 0 &&
		       (r = ntfs_stream_next(file, &cur, si)) != 0) {
			if (r == NTFS_ERR_NAME)
				continue;
			if (r < 0) {
				err = r;
				break;
			}
			if (si->name_len == 0)
				continue;
			if (len + 5 + si->name_len + 1 > NFUSE_XATTR_MAX) {
				err = NTFS_ERR_LIMIT;
				break;
			}
			memcpy(buf + len, "user.", 5);
			memcpy(buf + len + 5, si->name, si->name_len + 1);
			len += 5 + si->name_len + 1;
		}
		ntfs_file_close(file);
	}
	free(si);
	if (err == NTFS_OK)
		reply_sized(req, buf, len, size);
	else
		fuse_reply_err(req, err == NTFS_ERR_LIMIT ? E2BIG : nfuse_errno(err));
	nfuse_slot_put(s);
}
