/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A least-recently-used block cache in caller memory, layered over any
 * ntfs_read_fn (include/ntfs/cache.h). Freestanding: no heap, no C
 * library, no globals.
 *
 * Layout of the caller's buffer, after skipping to an 8-byte boundary:
 * nslots slot records, a power-of-two number of hash buckets (at most
 * nslots), then, at the next 8-byte boundary, the slots' blocks. Each slot
 * sits on one doubly linked LRU list (every slot, empty or not: empty ones
 * drift to the least recent end as others are used) and, when it holds a
 * block, on one singly linked hash chain.
 */
#include <ntfs/cache.h>

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NONE UINT32_MAX
#define EMPTY UINT64_MAX

_Static_assert(sizeof(struct ntfs_cache_slot) + sizeof(uint32_t) == NTFS_CACHE_SLOT_OVERHEAD,
               "NTFS_CACHE_SLOT_OVERHEAD must match the slot record and its bucket");
_Static_assert(sizeof(struct ntfs_cache_slot) % 8 == 0, "slot records keep 8-byte alignment");
/* At most 7 bytes to align the records, 4 to align the blocks. */
_Static_assert(NTFS_CACHE_MEM_SLACK >= 7 + 4, "NTFS_CACHE_MEM_SLACK too small");

static bool pow2(uint32_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* Skip to the next multiple of 8 from @p; @skipped gets the bytes skipped. */
static unsigned char *align8(unsigned char *p, size_t *skipped)
{
	size_t s = (size_t)((8u - ((uintptr_t)p & 7u)) & 7u);

	*skipped = s;
	return p + s;
}

/* Eight bytes at a time (the compiler makes each step one load and one
 * store where unaligned access is cheap); never a call to memcpy. */
static void copy(unsigned char *d, const unsigned char *s, size_t n)
{
	for (; n >= 8; n -= 8, d += 8, s += 8) {
		uint64_t v = (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 |
		             (uint64_t)s[3] << 24 | (uint64_t)s[4] << 32 | (uint64_t)s[5] << 40 |
		             (uint64_t)s[6] << 48 | (uint64_t)s[7] << 56;
		d[0] = (unsigned char)v;
		d[1] = (unsigned char)(v >> 8);
		d[2] = (unsigned char)(v >> 16);
		d[3] = (unsigned char)(v >> 24);
		d[4] = (unsigned char)(v >> 32);
		d[5] = (unsigned char)(v >> 40);
		d[6] = (unsigned char)(v >> 48);
		d[7] = (unsigned char)(v >> 56);
	}
	while (n--)
		*d++ = *s++;
}

/* Fibonacci hashing: the high bits of the product mix every bit of the
 * block number (a 64-bit multiply, no library call). */
static uint32_t bucket_of(const struct ntfs_cache *c, uint64_t block)
{
	return (uint32_t)((block * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & c->bucket_mask;
}

/* The two LRU lists: slots on probation and protected slots. A block read
 * ahead is on probation, marked unused: its first use is not a reuse. */
#define PROBATION 0u
#define PROTECTED 1u
#define LIST_OF(seg) ((seg)&1u)
#define UNUSED 2u

static void list_unlink(struct ntfs_cache *c, uint32_t i)
{
	struct ntfs_cache_slot *s = &c->slots[i];
	uint32_t l = LIST_OF(s->seg);

	if (s->prev != NONE)
		c->slots[s->prev].next = s->next;
	else
		c->mru[l] = s->next;
	if (s->next != NONE)
		c->slots[s->next].prev = s->prev;
	else
		c->lru[l] = s->prev;
	if (l == PROTECTED)
		c->protected_count--;
}

/* Put unlinked slot @i at the most recent end of list @l. */
static void list_push_mru(struct ntfs_cache *c, uint32_t i, uint32_t l)
{
	struct ntfs_cache_slot *s = &c->slots[i];

	s->seg = l;
	s->prev = NONE;
	s->next = c->mru[l];
	if (c->mru[l] != NONE)
		c->slots[c->mru[l]].prev = i;
	else
		c->lru[l] = i;
	c->mru[l] = i;
	if (l == PROTECTED)
		c->protected_count++;
}

/* Put unlinked slot @i at the least recent end of probation: next to go. */
static void list_push_lru(struct ntfs_cache *c, uint32_t i)
{
	struct ntfs_cache_slot *s = &c->slots[i];

	s->seg = PROBATION;
	s->next = NONE;
	s->prev = c->lru[PROBATION];
	if (c->lru[PROBATION] != NONE)
		c->slots[c->lru[PROBATION]].next = i;
	else
		c->mru[PROBATION] = i;
	c->lru[PROBATION] = i;
}

/* A hit on slot @i: it becomes the most recent protected block; the least
 * recent protected one goes back to probation when there are too many. */
static void promote(struct ntfs_cache *c, uint32_t i)
{
	if (c->slots[i].seg == PROTECTED && c->mru[PROTECTED] == i)
		return;
	list_unlink(c, i);
	/* A block read ahead, used for the first time: most recent on probation. */
	if (c->protected_max == 0 || c->slots[i].seg == (PROBATION | UNUSED)) {
		list_push_mru(c, i, PROBATION);
		return;
	}
	list_push_mru(c, i, PROTECTED);
	if (c->protected_count > c->protected_max) {
		uint32_t old = c->lru[PROTECTED];

		list_unlink(c, old);
		list_push_mru(c, old, PROBATION);
	}
}

/* The slot to fill next: least recent on probation, else least recent
 * protected. */
static uint32_t victim(const struct ntfs_cache *c)
{
	return c->lru[PROBATION] != NONE ? c->lru[PROBATION] : c->lru[PROTECTED];
}

/* The slot holding @block, or NONE. A chain holds at most nslots slots. */
static uint32_t find(const struct ntfs_cache *c, uint64_t block)
{
	uint32_t i = c->buckets[bucket_of(c, block)];

	for (uint32_t n = 0; i != NONE && n < c->nslots; n++) {
		if (c->slots[i].block == block)
			return i;
		i = c->slots[i].chain;
	}
	return NONE;
}

/* Take slot @i off its hash chain and mark it empty. */
static void unhash(struct ntfs_cache *c, uint32_t i)
{
	struct ntfs_cache_slot *s = &c->slots[i];
	uint32_t *link;

	if (s->block == EMPTY)
		return;
	link = &c->buckets[bucket_of(c, s->block)];
	for (uint32_t n = 0; *link != NONE && n < c->nslots; n++) {
		if (*link == i) {
			*link = s->chain;
			break;
		}
		link = &c->slots[*link].chain;
	}
	s->block = EMPTY;
	s->chain = NONE;
}

static void hash_in(struct ntfs_cache *c, uint32_t i, uint64_t block)
{
	uint32_t *head = &c->buckets[bucket_of(c, block)];

	c->slots[i].block = block;
	c->slots[i].chain = *head;
	*head = i;
}

static int inner_read(struct ntfs_cache *c, uint64_t offset, void *buf, size_t len)
{
	c->stats.device_reads++;
	c->stats.device_bytes += len;
	return c->inner(c->inner_ctx, offset, buf, len) == 0 ? 0 : -1;
}

size_t ntfs_cache_mem_size(uint32_t slots, uint32_t block_size)
{
	size_t per = (size_t)block_size + NTFS_CACHE_SLOT_OVERHEAD;

	if (per < block_size || (slots != 0 && per > (SIZE_MAX - NTFS_CACHE_MEM_SLACK) / slots))
		return 0;
	return (size_t)slots * per + NTFS_CACHE_MEM_SLACK;
}

void ntfs_cache_clear(struct ntfs_cache *c)
{
	for (uint32_t i = 0; i < c->nslots; i++) {
		c->slots[i].block = EMPTY;
		c->slots[i].chain = NONE;
		c->slots[i].prev = i == 0 ? NONE : i - 1;
		c->slots[i].next = i + 1 == c->nslots ? NONE : i + 1;
		c->slots[i].seg = PROBATION;
	}
	for (uint32_t i = 0; i <= c->bucket_mask; i++)
		c->buckets[i] = NONE;
	c->mru[PROBATION] = 0;
	c->lru[PROBATION] = c->nslots - 1;
	c->mru[PROTECTED] = NONE;
	c->lru[PROTECTED] = NONE;
	c->protected_count = 0;
	c->next_seq = EMPTY;
	c->ra_cursor = 0;
}

int ntfs_cache_init(struct ntfs_cache *c, void *mem, size_t mem_size, uint32_t block_size,
                    ntfs_read_fn inner, void *inner_ctx, uint32_t align)
{
	size_t skip, pad, n;
	uint32_t nb = 1;
	unsigned char *p;

	if (align == 0)
		align = 512;
	if (c == NULL || mem == NULL || inner == NULL || !pow2(block_size) ||
	    block_size < NTFS_CACHE_BLOCK_MIN || block_size > NTFS_CACHE_BLOCK_MAX ||
	    !pow2(align) || align > block_size || mem_size < NTFS_CACHE_MEM_SLACK)
		return NTFS_ERR_INVALID;
	n = (mem_size - NTFS_CACHE_MEM_SLACK) / ((size_t)block_size + NTFS_CACHE_SLOT_OVERHEAD);
	if (n == 0)
		return NTFS_ERR_INVALID;
	if (n > UINT32_MAX - 1u)
		n = UINT32_MAX - 1u;
	while (nb <= n / 2)
		nb *= 2;

	p = align8(mem, &skip);
	c->slots = (struct ntfs_cache_slot *)(void *)p;
	p += n * sizeof(struct ntfs_cache_slot);
	c->buckets = (uint32_t *)(void *)p;
	p += (size_t)nb * sizeof(uint32_t);
	c->data = align8(p, &pad);
	c->inner = inner;
	c->inner_ctx = inner_ctx;
	c->nslots = (uint32_t)n;
	c->bucket_mask = nb - 1;
	c->block_size = block_size;
	c->align = align;
	c->block_shift = 0;
	while ((1u << c->block_shift) < block_size)
		c->block_shift++;
	/* Field by field: a struct assignment may compile to a memset call. */
	c->stats.hits = 0;
	c->stats.misses = 0;
	c->stats.device_reads = 0;
	c->stats.device_bytes = 0;
	c->stats.bypass_reads = 0;
	c->stats.readahead = 0;
	c->protected_max = (uint32_t)(n / 4 * 3 + n % 4 * 3 / 4);
	ntfs_cache_clear(c);
	return NTFS_OK;
}

uint32_t ntfs_cache_slots(const struct ntfs_cache *c)
{
	return c->nslots;
}

/* Blocks to read ahead from @block: up to NTFS_CACHE_READAHEAD, a quarter
 * of the slots, none already cached, and no more than the longest row of
 * slots on probation; *first gets the first slot of that row. The search starts where the last
 * run ended, so runs go round the slots like a ring and a run never takes
 * the blocks the previous one read ahead. 1 when there is no such run. */
static uint32_t readahead_run(const struct ntfs_cache *c, uint64_t block, uint32_t *first)
{
	uint32_t k = c->nslots / 4, run = 0, best = 0, i = c->ra_cursor;

	if (k > NTFS_CACHE_READAHEAD)
		k = NTFS_CACHE_READAHEAD;
	if (block > EMPTY - k)
		return 1;
	for (uint32_t j = 1; j < k; j++)
		if (find(c, block + j) != NONE) {
			k = j;
			break;
		}
	if (k < 2)
		return 1;
	/* nslots + k steps see every run of k, the one across the cursor too;
	 * without one, the longest shorter run (protected slots lie scattered
	 * over the buffer). */
	for (uint32_t n = 0; n < c->nslots + k; n++, i++) {
		if (i == c->nslots) {
			i = 0;
			run = 0; /* a run cannot wrap round the end of memory */
		}
		run = LIST_OF(c->slots[i].seg) == PROBATION ? run + 1 : 0;
		if (run > best) {
			best = run;
			*first = i + 1 - run;
			if (run == k)
				break;
		}
	}
	return best > 1 ? best : 1;
}

/* Read @k blocks from @block into slots @first.. (consecutive in memory),
 * put them on probation, @block the most recent. */
static int fill_run(struct ntfs_cache *c, uint64_t block, uint32_t first, uint32_t k)
{
	unsigned char *d = c->data + (size_t)first * c->block_size;

	for (uint32_t j = 0; j < k; j++)
		unhash(c, first + j);
	if (inner_read(c, block << c->block_shift, d, (size_t)k << c->block_shift) != 0)
		return -1;
	for (uint32_t j = k; j-- > 0;) {
		hash_in(c, first + j, block + j);
		list_unlink(c, first + j);
		list_push_mru(c, first + j, PROBATION);
		if (j != 0)
			c->slots[first + j].seg |= UNUSED;
	}
	c->stats.readahead += k - 1u;
	c->next_seq = block + k;
	c->ra_cursor = first + k == c->nslots ? 0 : first + k;
	return 0;
}

/* Copy @n bytes at @in of block @block to @out, through a slot. */
static int through_slot(struct ntfs_cache *c, uint64_t block, uint32_t in, uint32_t n,
                        unsigned char *out)
{
	uint32_t i = find(c, block), first = 0, k;
	uint64_t start = block << c->block_shift;
	unsigned char *d;
	uint32_t lo, hi;

	if (i != NONE) {
		c->stats.hits++;
		promote(c, i);
		copy(out, c->data + (size_t)i * c->block_size + in, n);
		return 0;
	}
	c->stats.misses++;
	/* A miss right after the previous miss, or on the block after one the
	 * cache holds (a sequential reader between other reads): read ahead. A
	 * run that fails (past the end of the device?) falls back to one block. */
	if (block == c->next_seq && (k = readahead_run(c, block, &first)) > 1 &&
	    fill_run(c, block, first, k) == 0) {
		copy(out, c->data + (size_t)first * c->block_size + in, n);
		return 0;
	}
	c->next_seq = block + 1;
	i = victim(c);
	unhash(c, i);
	d = c->data + (size_t)i * c->block_size;
	if (inner_read(c, start, d, c->block_size) == 0) {
		hash_in(c, i, block);
		list_unlink(c, i);
		list_push_mru(c, i, PROBATION);
		copy(out, d + in, n);
		return 0;
	}
	/* A failed block stays out of the cache and its slot goes to the least
	 * recent end of probation. The block may run past the end of the
	 * device: read just the aligned part asked for, once, through the
	 * slot, uncached. */
	list_unlink(c, i);
	list_push_lru(c, i);
	lo = in & ~(c->align - 1u);
	hi = (in + n + c->align - 1u) & ~(c->align - 1u);
	if (lo == 0 && hi == c->block_size)
		return -1;
	if (inner_read(c, start + lo, d + lo, hi - lo) != 0)
		return -1;
	copy(out, d + in, n);
	return 0;
}

int ntfs_cache_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
	struct ntfs_cache *c = ctx;
	unsigned char *out = buf;
	uint64_t mask = (uint64_t)c->block_size - 1u;

	if (len == 0)
		return 0;
	if ((uint64_t)len - 1u > UINT64_MAX - offset)
		return -1;
	/* Each pass moves at least one byte on, at most a block through a
	 * slot: the loop runs at most len / block_size + 2 times. */
	while (len > 0) {
		uint32_t in = (uint32_t)(offset & mask);
		uint32_t n;

		if (in == 0 && len >> c->block_shift >= NTFS_CACHE_BYPASS_BLOCKS) {
			size_t whole = len & ~(size_t)mask;

			c->stats.bypass_reads++;
			if (inner_read(c, offset, out, whole) != 0)
				return -1;
			out += whole;
			offset += whole;
			len -= whole;
			continue;
		}
		n = c->block_size - in;
		if (n > len)
			n = (uint32_t)len;
		if (through_slot(c, offset >> c->block_shift, in, n, out) != 0)
			return -1;
		out += n;
		offset += n;
		len -= n;
	}
	return 0;
}
