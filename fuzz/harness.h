/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What every libFuzzer harness includes: the entry point, and the test
 * support library it shares with the unit tests (test/support: memory
 * device and allocator, record builders, a synthetic volume, template
 * images, and the API exerciser). See fuzz/README.md for input formats.
 *
 * Harnesses link the core built without hidden visibility (ntfs_fuzzcore,
 * or ntfs_testcore for the regression driver), so internal ntfsi_*
 * functions are callable.
 */
#ifndef NTFS_FUZZ_HARNESS_H
#define NTFS_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "core.h"
#include "exercise.h"
#include "fixture.h"
#include "memdev.h"
#include "ondisk.h"
#include "synvol.h"
#include "template.h"

/* Total bytes a harness's volume may hold at once (see SYNVOL_ALLOC_CAP). */
#define FUZZ_ALLOC_CAP SYNVOL_ALLOC_CAP

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* NTFS_FUZZ_HARNESS_H */
