/* SPDX-License-Identifier: BSD-2-Clause */
/**
 * @file cache.h
 * @brief A block cache in caller memory, between any ::ntfs_read_fn and
 * the core.
 *
 * The cache keeps whole device blocks (a power of two, e.g. 4096 bytes) in
 * a buffer the caller hands in, and evicts the least recently used one.
 * It is freestanding like the core: no heap, no C library, no globals.
 *
 * **Eviction** is segmented LRU, so that one pass over many blocks (the
 * leaves of a large directory) cannot flush the blocks used again and
 * again (their parents, the index bitmap, the directory's MFT record): a
 * block read from the device enters a probation list; used again, it moves
 * to a protected list of at most 3/4 of the slots, whose least recently
 * used block drops back to probation. The victim is always the least
 * recently used block on probation (or, when that list is empty, the
 * least recently used protected one). Blocks used once go in plain LRU
 * order.
 *
 * **Read-ahead**: a miss on the block right after the previous miss reads
 * up to ::NTFS_CACHE_READAHEAD blocks (at most a quarter of the slots, and
 * no more than the longest row of consecutive slots on probation, looked
 * for round the buffer like a ring from where the last row ended) in one
 * device read, so a small sequential read (the core streams $UpCase 512
 * bytes at a time) costs a few device reads, not one per block. A block
 * read ahead waits on probation; its first use keeps it there, only a
 * second one protects it.
 *
 * Reads smaller than ::NTFS_CACHE_BYPASS_BLOCKS blocks (MFT records, index
 * blocks, $UpCase, bitmap windows) go through the slots; the whole blocks
 * of a larger read go straight from the device into the caller's buffer,
 * in one inner read and without a copy, leaving the slots as they were.
 * The device is read-only, so neither path can see data the other made
 * stale.
 *
 * **Memory**: ::NTFS_CACHE_MEM(slots, block_size) bytes, that is
 * `block_size + 28` bytes per slot (::NTFS_CACHE_SLOT_OVERHEAD bytes of
 * bookkeeping: its block number, its place in the LRU list and in a hash
 * chain, and a hash bucket) and ::NTFS_CACHE_MEM_SLACK bytes for alignment.
 * 64 slots of 4 KiB take 263,952 bytes; 256 slots 1,055,760 bytes.
 *
 * **Threads**: one cache serves one thread at a time, like the volume it
 * feeds.
 */
#ifndef NTFS_CACHE_H
#define NTFS_CACHE_H

#include <ntfs/ntfs.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes of bookkeeping per slot, on every target: a 24-byte slot record
 *  and a 4-byte hash bucket. */
#define NTFS_CACHE_SLOT_OVERHEAD 28u
/** Bytes the cache may skip to align its records in the caller's buffer. */
#define NTFS_CACHE_MEM_SLACK 16u
/** Bytes of memory that hold @p slots slots of @p block_size bytes
 *  (a constant expression; see ntfs_cache_mem_size() for a checked one). */
#define NTFS_CACHE_MEM(slots, block_size)                                                          \
	((size_t)(slots) * ((size_t)(block_size) + NTFS_CACHE_SLOT_OVERHEAD) + NTFS_CACHE_MEM_SLACK)
/** A read that covers at least this many whole blocks reads them straight
 *  into the caller's buffer. */
#define NTFS_CACHE_BYPASS_BLOCKS 2u
/** Most blocks one read-ahead fetches. */
#define NTFS_CACHE_READAHEAD 16u
/** Smallest and largest block size. */
#define NTFS_CACHE_BLOCK_MIN 512u
#define NTFS_CACHE_BLOCK_MAX (1u << 20) /**< see ::NTFS_CACHE_BLOCK_MIN */

/** What the cache has done since ntfs_cache_init(). */
struct ntfs_cache_stats {
	uint64_t hits;         /**< Block lookups served from a slot. */
	uint64_t misses;       /**< Block lookups that had to read the device. */
	uint64_t device_reads; /**< Calls to the inner read function (failed ones too). */
	uint64_t device_bytes; /**< Bytes asked of the inner read function. */
	uint64_t bypass_reads; /**< Of device_reads: large reads straight to the caller. */
	uint64_t readahead;    /**< Blocks read ahead of a request (not counted as misses). */
};

/** Slot record (private; public so that its size is known). */
struct ntfs_cache_slot {
	uint64_t block; /**< private: block number, or UINT64_MAX when empty */
	uint32_t prev;  /**< private: LRU list, toward the most recent */
	uint32_t next;  /**< private: LRU list, toward the least recent */
	uint32_t chain; /**< private: next slot in the same hash bucket */
	uint32_t seg;   /**< private: 0 on probation, 1 protected, | 2 read ahead, unused */
};

/**
 * @brief A block cache. Caller-allocated; every field is private except
 * ::ntfs_cache::stats, which the caller may read and reset.
 */
struct ntfs_cache {
	ntfs_read_fn inner;            /**< private */
	void *inner_ctx;               /**< private */
	struct ntfs_cache_slot *slots; /**< private */
	uint32_t *buckets;             /**< private */
	unsigned char *data;           /**< private: slot i at data + i * block_size */
	uint32_t nslots;               /**< private */
	uint32_t bucket_mask;          /**< private */
	uint32_t block_size;           /**< private */
	uint32_t align;                /**< private */
	uint8_t block_shift;           /**< private */
	uint32_t mru[2];               /**< private: most recently used slot of each list */
	uint32_t lru[2];               /**< private: least recently used slot of each list */
	uint32_t protected_count;      /**< private */
	uint32_t protected_max;        /**< private */
	uint64_t next_seq;             /**< private: the block after the last miss */
	uint32_t ra_cursor;            /**< private: where the next read-ahead run is looked for */
	struct ntfs_cache_stats stats; /**< Counters; the caller may zero them. */
};

/**
 * @brief Bytes of memory for @p slots slots of @p block_size bytes.
 * @return ::NTFS_CACHE_MEM(slots, block_size), or 0 if that does not fit
 *   a size_t.
 */
NTFS_API size_t ntfs_cache_mem_size(uint32_t slots, uint32_t block_size);

/**
 * @brief Set up a cache over @p mem and an inner read function.
 *
 * The cache takes as many slots as fit in @p mem_size (so
 * ::NTFS_CACHE_MEM(n, block_size) bytes give exactly n slots), at most
 * UINT32_MAX - 1. @p mem must stay valid, and untouched by the caller,
 * while the cache is in use; nothing needs to be freed.
 *
 * @param cache the cache to initialise.
 * @param mem memory for the slots (any alignment).
 * @param mem_size bytes in @p mem.
 * @param block_size slot size: a power of two from ::NTFS_CACHE_BLOCK_MIN
 *   to ::NTFS_CACHE_BLOCK_MAX, a multiple of @p align.
 * @param inner the device's read function. The cache calls it only with
 *   offsets and lengths that are multiples of @p align.
 * @param inner_ctx passed to @p inner.
 * @param align the inner device's read granularity: a power of two from
 *   1 to @p block_size; 0 means 512.
 * @return ::NTFS_OK; ::NTFS_ERR_INVALID (a NULL pointer, a bad
 *   @p block_size or @p align, or @p mem too small for one slot).
 */
NTFS_API int ntfs_cache_init(struct ntfs_cache *cache, void *mem, size_t mem_size,
                             uint32_t block_size, ntfs_read_fn inner, void *inner_ctx,
                             uint32_t align);

/**
 * @brief ::ntfs_read_fn through the cache: read @p len bytes at @p offset.
 *
 * Any offset and length are accepted (the core's read_align can be smaller
 * than the device's). The device is read in whole blocks, except that
 * when a block at the end of the device cannot be read whole, the aligned
 * part the caller asked for is read instead (into the slot, which stays
 * empty). A failed inner read leaves nothing in the cache.
 *
 * @param ctx the ::ntfs_cache.
 * @param offset byte offset on the device.
 * @param buf destination.
 * @param len bytes.
 * @return 0, or -1 if the inner read failed or the range overflows.
 */
NTFS_API int ntfs_cache_read(void *ctx, uint64_t offset, void *buf, size_t len);

/** @brief Number of slots the cache has. */
NTFS_API uint32_t ntfs_cache_slots(const struct ntfs_cache *cache);

/** @brief Forget every cached block (the counters stay). */
NTFS_API void ntfs_cache_clear(struct ntfs_cache *cache);

#ifdef __cplusplus
}
#endif
#endif /* NTFS_CACHE_H */
