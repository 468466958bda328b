/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Runlists (mapping pairs): ntfsi_runlist_next() until the end or an error.
 *
 * Input: lowest VCN (8 bytes, little-endian), end VCN (highest VCN + 1, 8
 * bytes), total clusters of the volume (8 bytes), then the mapping pairs.
 * A short header is padded with zeros. Every run returned must continue
 * the previous one, lie inside the VCN range and inside the volume.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t head[24] = {0};
	uint64_t lowest, end, total, vcn;
	struct ntfsi_runlist rl;
	struct ntfs_run run;
	size_t n = size > 24 ? size - 24 : 0, i;
	uint8_t *mp;
	int r = 0;

	memcpy(head, data, size < 24 ? size : 24);
	lowest = ntfsi_le64(head);
	end = ntfsi_le64(head + 8);
	total = ntfsi_le64(head + 16);
	/* The exact bytes in their own block, so a read past them is caught. */
	mp = malloc(n ? n : 1);
	TS_CHECK(mp != NULL);
	if (n)
		memcpy(mp, data + 24, n);
	if (lowest > end)
		lowest = end;
	ntfsi_runlist_init(&rl, mp, (uint32_t)n, lowest, end, total);
	vcn = lowest;
	for (i = 0; i <= n; i++) {
		r = ntfsi_runlist_next(&rl, &run);
		if (r != 1)
			break;
		TS_CHECK(run.vcn == vcn && run.length > 0 && run.length <= end - vcn);
		TS_CHECK(run.lcn == NTFS_LCN_HOLE ||
		         (run.lcn <= total && run.length <= total - run.lcn));
		vcn += run.length;
	}
	/* Each run consumes at least two bytes: the loop cannot run out. */
	TS_CHECK(r == 0 || r == NTFS_ERR_CORRUPT_RUNLIST);
	if (r == 0)
		TS_CHECK(vcn == end);
	free(mp);
	return 0;
}
