/* SPDX-License-Identifier: BSD-2-Clause */
/* Prints ntfs_budget_arena() for the common geometries (.ci/freestanding.sh). */
#include <ntfs/ntfs.h>

#include <stdio.h>

int main(void)
{
	static const unsigned geo[][2] = {{512, 1024}, {4096, 4096}, {512, 4096}, {4096, 1024}};

	for (size_t i = 0; i < sizeof geo / sizeof geo[0]; i++) {
		struct ntfs_budget b = {geo[i][0], geo[i][1], 4096, 0, 1, false};
		struct ntfs_budget c = b;
		c.compressed = true;
		printf("  sectors %4u, records %4u: mount %6zu, lookup %6zu, read %6zu, "
		       "compressed %6zu\n",
		       geo[i][0], geo[i][1], ntfs_budget_arena(&b, NTFS_BUDGET_MOUNT),
		       ntfs_budget_arena(&b, NTFS_BUDGET_LOOKUP),
		       ntfs_budget_arena(&b, NTFS_BUDGET_READ),
		       ntfs_budget_arena(&c, NTFS_BUDGET_READ));
	}
	return 0;
}
