/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The arena allocator (arena.c): its block granule, which the arena
 * budget (budget.c) rounds every block to.
 */
#ifndef NTFS_ARENA_H
#define NTFS_ARENA_H

#define NTFSI_ARENA_ALIGN 16u

#endif
