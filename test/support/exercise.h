/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Driving the public API over whatever a volume holds, bounded, and
 * checking its promises: every error is one the library defines, cursors
 * only move forward, a name given out is a safe path component, a read
 * returns what the size says, a directory position resumes where it was.
 * The fuzz harnesses run it over mangled volumes.
 */
#ifndef NTFS_TEST_EXERCISE_H
#define NTFS_TEST_EXERCISE_H

#include <ntfs/ntfs.h>

#include <stdbool.h>
#include <stddef.h>

#include "check.h"

/* Every error the library may return: anything else is a finding. */
bool exercise_err_known(int err);
#define EXERCISE_CHECK_ERR(err) TS_CHECK((err) >= 0 || exercise_err_known(err))

/* Read a stream at a few offsets (at most @budget bytes in all) and map
 * its first runs. */
void exercise_stream(ntfs_stream *s, size_t budget);
/* Stat, list attributes and streams, read each stream a little, and list
 * the directory if it is one (at most @max_entries entries). */
void exercise_file(ntfs_file *f, unsigned max_entries);
/*
 * Walk the tree from the root with an explicit stack: at most @max_depth
 * levels and @max_entries entries in all; every entry is opened, stat'ed,
 * its streams read (bounded) and its name looked up again in its parent.
 */
void exercise_tree(ntfs_volume *vol, unsigned max_depth, unsigned max_entries);

#endif /* NTFS_TEST_EXERCISE_H */
