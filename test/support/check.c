/* SPDX-License-Identifier: BSD-2-Clause */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>

void ts_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	fflush(stderr);
	abort();
}
