/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The core's only ways out: the caller's allocator and the caller's read
 * callback. Device reads are widened to read_align so that a sector device
 * can serve them without a bounce buffer of its own; aligned middles go
 * straight into the caller's buffer.
 */
#include "io.h"

#include "volume.h"

void *ntfsi_io_alloc(ntfs_volume *vol, size_t size)
{
	return vol->cfg.alloc(vol->cfg.alloc_ctx, size);
}

void ntfsi_io_free(ntfs_volume *vol, void *ptr, size_t size)
{
	if (ptr != NULL)
		vol->cfg.free(vol->cfg.alloc_ctx, ptr, size);
}

uint64_t ntfsi_io_stream_id(ntfs_volume *vol)
{
	return ++vol->stream_ids;
}

/* One workspace serves every compressed stream: a volume is used by one
 * thread at a time, and decoders' buffers are the largest allocations the
 * core makes, so firmware budgets them once. It grows at most once, and
 * then to the most any codec needs: an arena may not fit a larger block
 * where a smaller one was freed, so each growth could cost it both. */
void *ntfsi_io_workspace(ntfs_volume *vol, size_t size, uint64_t id, bool *fresh)
{
	if (vol->workspace_size < size) {
		if (vol->workspace != NULL && size < vol->workspace_max)
			size = vol->workspace_max;
		ntfsi_io_workspace_free(vol);
		vol->workspace = ntfsi_io_alloc(vol, size);
		if (vol->workspace == NULL)
			return NULL;
		vol->workspace_size = size;
	}
	*fresh = vol->workspace_owner != id;
	vol->workspace_owner = id;
	return vol->workspace;
}

void ntfsi_io_workspace_free(ntfs_volume *vol)
{
	ntfsi_io_free(vol, vol->workspace, vol->workspace_size);
	vol->workspace = NULL;
	vol->workspace_size = 0;
	vol->workspace_owner = 0;
}

static int dev_read_aligned(ntfs_volume *vol, uint64_t offset, void *buf, size_t len)
{
	return vol->cfg.read(vol->cfg.read_ctx, offset, buf, len) == 0 ? NTFS_OK : NTFS_ERR_IO;
}

int ntfsi_io_read(ntfs_volume *vol, uint64_t offset, void *buf, size_t len)
{
	const uint32_t align = vol->cfg.read_align; /* a power of two, 512 to 64 KiB */
	const uint64_t room = UINT64_MAX - align;
	uint8_t *out = buf;
	int err;

	/* The widened reads, up to a block past the end, must not wrap. */
	if (len > room || offset > room - len)
		return NTFS_ERR_CORRUPT;
	while (len > 0) {
		uint32_t head = (uint32_t)offset & (align - 1);
		if (head == 0 && len >= align) {
			size_t n = len & ~(size_t)(align - 1);
			err = dev_read_aligned(vol, offset, out, n);
			if (err)
				return err;
			out += n;
			offset += n;
			len -= n;
			continue;
		}
		/* A partial block at either end goes through the bounce buffer. */
		err = dev_read_aligned(vol, offset - head, vol->bounce, align);
		if (err)
			return err;
		{
			size_t n = align - head < len ? align - head : len;
			ntfsi_bytes_copy(out, vol->bounce + head, n);
			out += n;
			offset += n;
			len -= n;
		}
	}
	return NTFS_OK;
}
