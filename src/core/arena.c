/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small allocator over a caller buffer, for callers with no heap. The
 * free callback is told each block's size, so blocks carry no header: free
 * blocks form an address-ordered list and merge with their neighbours, and
 * a block freed at the top gives its space back to the bump pointer.
 */
#include "ntfs/ntfs.h"

#include "arena.h"

struct arena_free {
	size_t size;
	struct arena_free *next;
};

_Static_assert(sizeof(struct arena_free) <= NTFSI_ARENA_ALIGN,
               "free node must fit the smallest block");

static size_t arena_round(size_t size)
{
	/* NTFSI_ARENA_ALIGN is at least sizeof(struct arena_free) on every target. */
	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - (NTFSI_ARENA_ALIGN - 1))
		return 0;
	return (size + NTFSI_ARENA_ALIGN - 1) & ~(size_t)(NTFSI_ARENA_ALIGN - 1);
}

void ntfs_arena_init(struct ntfs_arena *arena, void *buf, size_t size)
{
	uintptr_t p = (uintptr_t)buf;
	size_t skip = (size_t)((NTFSI_ARENA_ALIGN - (p & (NTFSI_ARENA_ALIGN - 1))) &
	                       (NTFSI_ARENA_ALIGN - 1));

	arena->base = (unsigned char *)buf + (skip <= size ? skip : size);
	arena->size = skip <= size ? (size - skip) & ~(size_t)(NTFSI_ARENA_ALIGN - 1) : 0;
	arena->top = 0;
	arena->free_list = NULL;
	arena->in_use = 0;
	arena->peak = 0;
}

void *ntfs_arena_alloc(void *ctx, size_t size)
{
	struct ntfs_arena *a = ctx;
	struct arena_free **link, *blk;
	size_t need = arena_round(size);
	void *p = NULL;

	if (need == 0)
		return NULL;
	for (link = (struct arena_free **)&a->free_list; (blk = *link) != NULL; link = &blk->next) {
		if (blk->size < need)
			continue;
		/* Sizes are multiples of NTFSI_ARENA_ALIGN >= sizeof(struct arena_free),
		 * so any remainder can hold a free-list node. */
		if (blk->size > need) {
			struct arena_free *rest =
			        (struct arena_free *)((unsigned char *)blk + need);
			rest->size = blk->size - need;
			rest->next = blk->next;
			*link = rest;
		} else {
			*link = blk->next;
		}
		p = blk;
		break;
	}
	if (p == NULL) {
		if (need > a->size - a->top)
			return NULL;
		p = a->base + a->top;
		a->top += need;
	}
	a->in_use += need;
	if (a->in_use > a->peak)
		a->peak = a->in_use;
	return p;
}

void ntfs_arena_free(void *ctx, void *ptr, size_t size)
{
	struct ntfs_arena *a = ctx;
	struct arena_free **link = (struct arena_free **)&a->free_list;
	struct arena_free *blk = ptr, *prev = NULL;

	if (ptr == NULL)
		return;
	blk->size = arena_round(size);
	a->in_use -= blk->size;
	while (*link != NULL && (unsigned char *)*link < (unsigned char *)blk) {
		prev = *link;
		link = &prev->next;
	}
	blk->next = *link;
	*link = blk;
	if (blk->next && (unsigned char *)blk + blk->size == (unsigned char *)blk->next) {
		blk->size += blk->next->size;
		blk->next = blk->next->next;
	}
	if (prev && (unsigned char *)prev + prev->size == (unsigned char *)blk) {
		prev->size += blk->size;
		prev->next = blk->next;
	}
	/* Give a free block that ends at the top back to the bump pointer. */
	link = (struct arena_free **)&a->free_list;
	while (*link != NULL && (*link)->next != NULL)
		link = &(*link)->next;
	if (*link != NULL && (unsigned char *)*link + (*link)->size == a->base + a->top) {
		a->top -= (*link)->size;
		*link = NULL;
	}
}
