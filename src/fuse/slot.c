/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pool of volume handles.
 *
 * The core allows one thread per volume handle, so the adapter keeps a
 * pool of up to NFUSE_SLOTS handles, each a mounted volume with its own
 * block cache over the one shared O_RDONLY descriptor, guarded by a mutex
 * of its own. A request takes a slot (the one its thread used last if it
 * is free, else any free one, else a new one while there are fewer than
 * NFUSE_SLOTS, else it waits for its own), does its work and replies with
 * the slot held, then lets it go. Nothing of the core ever leaves a slot:
 * inode numbers are MFT record numbers, file handles carry nothing, and
 * each request opens what it needs by record number in the slot it holds.
 * A slot keeps the file and stream it read last open (file.c), so a
 * sequential read costs no record parse per request.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Block cache of each handle: 48 blocks of 4 KiB, as the POSIX adapter. */
#define NFUSE_CACHE_SLOTS 48u
#define NFUSE_CACHE_BLOCK 4096u

static _Thread_local int nfuse_pref = -1;

static int src_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
	const struct nfuse_source *s = ctx;
	unsigned char *p = buf;
	uint64_t pos;

	if (offset > s->size || len > s->size - offset)
		return -1;
	pos = s->offset + offset;
	if (pos > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - pos)
		return -1;
	while (len > 0) {
		ssize_t n = pread(s->fd, p, len, (off_t)pos);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		pos += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static void *heap_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size != 0 ? size : 1);
}

static void heap_free(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	(void)size;
	free(ptr);
}

void nfuse_slot_forget(struct nfuse_slot *s)
{
	ntfs_stream_close(s->stream);
	ntfs_file_close(s->file);
	s->stream = NULL;
	s->file = NULL;
	s->file_rec = UINT64_MAX;
}

void nfuse_slot_close(struct nfuse_slot *s)
{
	nfuse_slot_forget(s);
	ntfs_unmount(s->vol);
	s->vol = NULL;
	free(s->cache_mem);
	s->cache_mem = NULL;
	free(s->buf);
	s->buf = NULL;
	s->buf_cap = 0;
}

static int slot_open(struct nfuse *fs, struct nfuse_slot *s)
{
	uint32_t block =
	        fs->src.read_align > NFUSE_CACHE_BLOCK ? fs->src.read_align : NFUSE_CACHE_BLOCK;
	size_t size = ntfs_cache_mem_size(NFUSE_CACHE_SLOTS, block);
	struct ntfs_config cfg;
	int err;

	s->file_rec = UINT64_MAX;
	s->cache_mem = size != 0 ? malloc(size) : NULL;
	if (s->cache_mem == NULL)
		return NTFS_ERR_NOMEM;
	err = ntfs_cache_init(&s->cache, s->cache_mem, size, block, src_read, &fs->src,
	                      fs->src.read_align);
	if (err == NTFS_OK) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.read = ntfs_cache_read;
		cfg.read_ctx = &s->cache;
		cfg.alloc = heap_alloc;
		cfg.free = heap_free;
		cfg.read_align = fs->src.read_align;
		cfg.volume_size = fs->src.size;
		err = ntfs_mount(&cfg, &s->vol);
	}
	if (err != NTFS_OK) {
		free(s->cache_mem);
		s->cache_mem = NULL;
		s->vol = NULL;
	}
	return err;
}

struct nfuse_slot *nfuse_slot_get(struct nfuse *fs)
{
	int n = atomic_load(&fs->nslots), i;
	struct nfuse_slot *s;

	if (nfuse_pref >= 0 && nfuse_pref < n &&
	    pthread_mutex_trylock(&fs->slots[nfuse_pref].lock) == 0)
		return &fs->slots[nfuse_pref];
	for (i = 0; i < n; i++) {
		if (pthread_mutex_trylock(&fs->slots[i].lock) == 0) {
			nfuse_pref = i;
			return &fs->slots[i];
		}
	}
	pthread_mutex_lock(&fs->grow);
	n = atomic_load(&fs->nslots);
	if (n < NFUSE_SLOTS) {
		s = &fs->slots[n];
		if (slot_open(fs, s) != NTFS_OK) {
			pthread_mutex_unlock(&fs->grow);
			return NULL;
		}
		pthread_mutex_lock(&s->lock);
		atomic_store(&fs->nslots, n + 1);
		pthread_mutex_unlock(&fs->grow);
		nfuse_pref = n;
		return s;
	}
	pthread_mutex_unlock(&fs->grow);
	if (nfuse_pref < 0 || nfuse_pref >= n)
		nfuse_pref = (int)((uintptr_t)pthread_self() % (uintptr_t)n);
	pthread_mutex_lock(&fs->slots[nfuse_pref].lock);
	return &fs->slots[nfuse_pref];
}

void nfuse_slot_put(struct nfuse_slot *s)
{
	pthread_mutex_unlock(&s->lock);
}

unsigned char *nfuse_slot_buf(struct nfuse_slot *s, size_t len)
{
	if (len > s->buf_cap) {
		unsigned char *b = realloc(s->buf, len);

		if (b == NULL)
			return NULL;
		s->buf = b;
		s->buf_cap = len;
	}
	return s->buf;
}

void nfuse_slot_init(struct nfuse *fs)
{
	pthread_mutex_init(&fs->grow, NULL);
	for (int i = 0; i < NFUSE_SLOTS; i++) {
		pthread_mutex_init(&fs->slots[i].lock, NULL);
		fs->slots[i].file_rec = UINT64_MAX;
	}
}
