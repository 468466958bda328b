/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attribute values as streams: resident values, and non-resident values
 * mapped run by run through their extents. An attribute split over
 * extension records has one extent per attribute-list entry; only one
 * extent's mapping pairs are held at a time.
 *
 * How the bytes come off the disk is a codec chosen at open: "raw" (the
 * value as stored; holes and the tail past the initialized size read as
 * zeros), LZNT1, WOF (the unnamed $DATA of a system-compressed file, read
 * from its stream "WofCompressedData"), and "refused" (valid NTFS this
 * build cannot decode: reads give NTFS_ERR_UNSUPPORTED and a reason, never
 * stored bytes passed off as content).
 */
#include "stream.h"

#include "compress.h"
#include "file.h"
#include "io.h"
#include "name.h"
#include "runlist.h"
#include "volume.h"
#include "wof.h"

enum stream_codec {
	CODEC_RAW,
	CODEC_LZNT1,
	CODEC_WOF,
	CODEC_REFUSED,
};

struct ntfs_stream {
	ntfs_volume *vol;
	ntfs_file *file;
	uint32_t type;
	uint16_t flags;
	uint8_t codec; /* enum stream_codec */
	bool resident;
	uint8_t name_len;
	uint16_t name[NTFS_NAME_MAX_UTF16];
	uint64_t size;
	uint64_t init_size;
	uint8_t *value;             /* resident value */
	struct ntfsi_runmap map;    /* map.mp is the pool */
	uint8_t *pool;              /* one extent's mapping pairs: a record's worth */
	struct ntfsi_compress comp; /* CODEC_LZNT1 */
	struct ntfsi_wof wof;       /* CODEC_WOF */
	ntfs_stream *wof_data;      /* CODEC_WOF: WofCompressedData */
	const char *why;            /* CODEC_REFUSED */
};

static uint8_t refuse(ntfs_stream *s, const char *why)
{
	s->why = why;
	return CODEC_REFUSED;
}

/* The codec for what attribute @a says; reparse points are the unnamed
 * $DATA's (ntfs_stream_open). */
static uint8_t choose_codec(ntfs_stream *s, const struct ntfsi_attr *a)
{
	uint16_t method = s->flags & NTFS_ATTR_FLAG_COMPRESSION_MASK;
	const char *why = "LZNT1 not built in";

	if (s->flags & NTFS_ATTR_FLAG_ENCRYPTED)
		return refuse(s, "encrypted (EFS)");
	/* A resident value is never compressed, even when the attribute says so
	 * (small files in compressed directories). */
	if (s->resident || method == 0)
		return CODEC_RAW;
	if (method != NTFS_ATTR_FLAG_COMPRESSED)
		return refuse(s, "unknown compression method");
#if NTFS_WITH_LZNT1
	if (ntfsi_compress_init(s->vol, &s->comp, a->compression_unit, &why) == NTFS_OK)
		return CODEC_LZNT1;
#else
	(void)a;
#endif
	return refuse(s, why);
}

/* The runmap's loader: extent @k's mapping pairs into the pool. */
static int load_extent(void *ctx, uint32_t k)
{
	ntfs_stream *s = ctx;
	struct ntfsi_extent *x = &s->map.extents[k];
	struct ntfsi_attr a;
	int err;

	err = ntfsi_file_extent_attr(s->file, x, s->type, s->name, s->name_len, &a);
	if (err)
		return err;
	err = ntfsi_runlist_extent(x, &a, k + 1 < s->map.n ? &s->map.extents[k + 1] : NULL,
	                           s->vol->boot.cluster_shift);
	if (err)
		return err;
	/* A mapping-pairs array lies inside one record, so it fits the pool. */
	NTFSI_ASSERT(a.mapping_len <= s->vol->boot.record_size);
	ntfsi_bytes_copy(s->pool, a.mapping, a.mapping_len);
	x->mp_off = 0;
	x->mp_len = a.mapping_len;
	return NTFS_OK;
}

int ntfsi_stream_open(ntfs_file *file, uint32_t type, const uint16_t *name, size_t name_len,
                      ntfs_stream **out)
{
	ntfs_volume *vol = file->vol;
	struct ntfsi_attr a;
	ntfs_stream *s;
	int err;

	if (name_len > NTFS_NAME_MAX_UTF16)
		return NTFS_ERR_NOT_FOUND;
	err = ntfsi_file_find_attr(file, type, name, name_len, &a);
	if (err)
		return err;
	s = ntfsi_io_alloc(vol, sizeof *s);
	if (s == NULL)
		return NTFS_ERR_NOMEM;
	ntfsi_bytes_zero(s, sizeof *s);
	s->vol = vol;
	s->file = file;
	s->type = type;
	s->flags = a.flags;
	s->resident = a.resident;
	s->name_len = (uint8_t)name_len;
	for (size_t i = 0; i < name_len; i++)
		s->name[i] = name[i];
	s->map.cur_extent = UINT32_MAX;
	s->codec = choose_codec(s, &a);
	if (a.resident) {
		s->size = s->init_size = a.value_len;
		if (a.value_len != 0) {
			s->value = ntfsi_io_alloc(vol, a.value_len);
			if (s->value == NULL) {
				ntfs_stream_close(s);
				return NTFS_ERR_NOMEM;
			}
			ntfsi_bytes_copy(s->value, a.value, a.value_len);
		}
		*out = s;
		return NTFS_OK;
	}
	s->size = a.data_size;
	s->init_size = a.init_size;
	s->pool = ntfsi_io_alloc(vol, vol->boot.record_size);
	s->map.mp = s->pool;
	s->map.clusters = vol->boot.total_clusters;
	s->map.load = load_extent;
	s->map.load_ctx = s;
	/* An attribute list's own extents are in the base record. */
	err = s->pool == NULL
	              ? NTFS_ERR_NOMEM
	              : ntfsi_attrlist_extents(vol,
	                                       type == NTFS_AT_ATTRIBUTE_LIST ? NULL : file->alist,
	                                       file->alist_len, type, name, name_len, a.id,
	                                       &s->map.extents, &s->map.n);
	if (err) {
		ntfs_stream_close(s);
		return err;
	}
	*out = s;
	return NTFS_OK;
}

int ntfsi_stream_need(ntfs_file *file, uint32_t type, const uint16_t *name, size_t name_len,
                      int corrupt, ntfs_stream **out)
{
	int err = ntfsi_stream_open(file, type, name, name_len, out);
	return err == NTFS_ERR_NOT_FOUND ? corrupt : err;
}

bool ntfsi_stream_resident(const ntfs_stream *s)
{
	return s->resident;
}

bool ntfsi_stream_stored(const ntfs_stream *s)
{
	return s->codec == CODEC_RAW;
}

uint64_t ntfsi_stream_init_size(const ntfs_stream *s)
{
	return s->init_size;
}

/* A WOF stream holds its WofCompressedData stream, opened raw (its own
 * wof_data is NULL): closing walks that chain of two, no recursion. */
void ntfs_stream_close(ntfs_stream *s)
{
	ntfs_stream *next;

	for (; s != NULL; s = next) {
		next = s->wof_data;
		ntfsi_io_free(s->vol, s->value, s->size);
		ntfsi_io_free(s->vol, s->pool, s->vol->boot.record_size);
		ntfsi_io_free(s->vol, s->map.extents, s->map.n * sizeof *s->map.extents);
		ntfsi_io_free(s->vol, s, sizeof *s);
	}
}

uint64_t ntfs_stream_size(const ntfs_stream *s)
{
	return s->size;
}

int ntfs_stream_map(ntfs_stream *s, uint64_t vcn, struct ntfs_run *run)
{
	return s->resident ? 0 : ntfsi_runlist_map(&s->map, vcn, run);
}

/* The raw codec: @len bytes at @offset, both inside the value. */
static int read_raw(ntfs_stream *s, uint64_t offset, uint8_t *out, size_t len)
{
	if (s->resident) {
		ntfsi_bytes_copy(out, s->value + offset, len);
		return NTFS_OK;
	}
	return ntfsi_runlist_read(s->vol, &s->map, s->init_size, offset, out, len);
}

int ntfs_stream_read(ntfs_stream *s, uint64_t offset, void *buf, size_t len, size_t *nread)
{
	int err;

	*nread = 0;
	if (s->codec == CODEC_REFUSED)
		return NTFS_ERR_UNSUPPORTED;
	if (offset >= s->size)
		return NTFS_OK;
	len = (size_t)ntfsi_min64(len, s->size - offset);
	switch (s->codec) {
	case CODEC_RAW:
		err = read_raw(s, offset, buf, len);
		break;
#if NTFS_WITH_LZNT1
	case CODEC_LZNT1:
		err = ntfsi_compress_read(s->vol, &s->comp, &s->map, s->init_size, offset, buf,
		                          len);
		break;
#endif
#if NTFS_WITH_WOF
	case CODEC_WOF:
		err = ntfsi_wof_read(s->vol, &s->wof, offset, buf, len);
		break;
#endif
	default:
		NTFSI_ASSERT(0);
		err = NTFS_ERR_UNSUPPORTED;
	}
	if (err == NTFS_OK)
		*nread = len;
	return err;
}

int ntfs_attr_open(ntfs_file *f, uint32_t type, const uint16_t *name, size_t name_len,
                   ntfs_stream **out)
{
	return ntfsi_stream_open(f, type, name, name_len, out);
}

size_t ntfsi_stream_bytes(void)
{
	return sizeof(ntfs_stream);
}

size_t ntfs_decoder_workspace_size(void)
{
	size_t w = 0;
#if NTFS_WITH_WOF
	w = ntfsi_wof_workspace_size();
#endif
#if NTFS_WITH_LZNT1
	if (ntfsi_compress_workspace_size() > w)
		w = ntfsi_compress_workspace_size();
#endif
	return w;
}

const char *ntfs_stream_refusal(const ntfs_stream *s)
{
	return s->codec == CODEC_REFUSED ? s->why : NULL;
}

int ntfsi_stream_load(ntfs_file *f, uint32_t type, uint32_t cap, int too_big, uint8_t **buf,
                      uint32_t *len)
{
	ntfs_stream *s;
	int err = ntfsi_stream_open(f, type, NULL, 0, &s);

	*buf = NULL;
	*len = 0;
	if (err)
		return err;
	if (s->codec != CODEC_RAW) {
		err = too_big;
	} else if (s->size > cap) {
		err = too_big;
	} else if (s->size != 0) {
		*len = (uint32_t)s->size;
		*buf = ntfsi_io_alloc(f->vol, *len);
		err = *buf == NULL ? NTFS_ERR_NOMEM : read_raw(s, 0, *buf, *len);
		if (err) {
			ntfsi_io_free(f->vol, *buf, *len);
			*buf = NULL;
			*len = 0;
		}
	}
	ntfs_stream_close(s);
	return err;
}

#if NTFS_WITH_WOF
/* The WOF codec's reader: the compressed stream, raw. */
static int wof_fetch(void *ctx, uint64_t off, uint8_t *buf, size_t len)
{
	return read_raw(ctx, off, buf, len);
}
#endif

/* Make @s, the unnamed $DATA of a file whose reparse point is @rp, read
 * what WOF or deduplication keep elsewhere, or refuse to: its own value is
 * only a sparse placeholder, and reading it would give zeros. */
static int elsewhere(ntfs_stream *s, const struct ntfs_reparse *rp)
{
#if NTFS_WITH_WOF
	static const uint16_t wof_name[] = {'W', 'o', 'f', 'C', 'o', 'm', 'p', 'r', 'e',
	                                    's', 's', 'e', 'd', 'D', 'a', 't', 'a'};
	const char *why = NULL;
	ntfs_stream *d;
	int err;
#endif

	if (rp->tag == NTFS_REPARSE_TAG_DEDUP) {
		s->codec = refuse(s, "deduplicated (data in the chunk store)");
		return NTFS_OK;
	}
#if !NTFS_WITH_WOF
	s->codec = refuse(s, "WOF compression not built in");
	return NTFS_OK;
#else
	if (rp->wof_provider != NTFS_WOF_PROVIDER_FILE) {
		s->codec = refuse(s, rp->wof_provider == NTFS_WOF_PROVIDER_WIM
		                             ? "WOF provider 1 (WIM-backed)"
		                             : "unknown WOF provider");
		return NTFS_OK;
	}
	err = ntfsi_stream_open(s->file, NTFS_AT_DATA, wof_name,
	                        sizeof wof_name / sizeof wof_name[0], &d);
	if (err)
		return err == NTFS_ERR_NOT_FOUND ? NTFS_ERR_CORRUPT_COMPRESSED : err;
	if (d->codec != CODEC_RAW) {
		ntfs_stream_close(d);
		s->codec = refuse(s, "WofCompressedData is itself compressed or encrypted");
		return NTFS_OK;
	}
	err = ntfsi_wof_init(s->vol, &s->wof, rp->wof_algorithm, s->size, d->size, &why);
	if (err == NTFS_ERR_UNSUPPORTED) {
		ntfs_stream_close(d);
		s->codec = refuse(s, why);
		return NTFS_OK;
	}
	if (err) {
		ntfs_stream_close(d);
		return err;
	}
	s->wof.fetch = wof_fetch;
	s->wof.ctx = d;
	s->wof_data = d;
	s->codec = CODEC_WOF;
	return NTFS_OK;
#endif
}

int ntfs_stream_open(ntfs_file *f, const char *name, ntfs_stream **out)
{
	uint16_t name16[NTFS_NAME_MAX_UTF16];
	size_t len = 0, n = 0;
	struct ntfs_reparse rp;
	uint8_t *value;
	uint32_t value_len;
	int err;

	if (name != NULL) {
		while (name[n] != '\0')
			n++;
		err = ntfs_utf8_to_utf16(name, n, name16, NTFS_NAME_MAX_UTF16, &len);
		if (err == NTFS_ERR_LIMIT)
			return NTFS_ERR_NOT_FOUND;
		if (err)
			return err;
	}
	err = ntfsi_stream_open(f, NTFS_AT_DATA, name16, len, out);
	if (err == NTFS_ERR_NOT_FOUND && len == 0 && (f->hdr.flags & NTFSI_RECORD_DIRECTORY))
		return NTFS_ERR_IS_DIR;
	if (err || len != 0)
		return err;
	err = ntfsi_stream_load(f, NTFS_AT_REPARSE_POINT, NTFS_REPARSE_MAX,
	                        NTFS_ERR_CORRUPT_REPARSE, &value, &value_len);
	if (err == NTFS_ERR_NOT_FOUND)
		return NTFS_OK;
	if (err == NTFS_OK) {
		/* Only WOF's value says where the data is, so only it must parse:
		 * damage in a link's value is for stat and readlink to report, not
		 * a reason to refuse the file's own data. */
		rp.tag = value_len >= 4 ? ntfsi_le32(value) : 0;
#if NTFS_WITH_WOF
		if (rp.tag == NTFS_REPARSE_TAG_WOF)
			err = ntfs_reparse_parse(value, value_len, &rp);
#endif
		ntfsi_io_free(f->vol, value, value_len);
	}
	if (err == NTFS_OK && (rp.tag == NTFS_REPARSE_TAG_WOF || rp.tag == NTFS_REPARSE_TAG_DEDUP))
		err = elsewhere(*out, &rp);
	if (err) {
		ntfs_stream_close(*out);
		*out = NULL;
	}
	return err;
}
