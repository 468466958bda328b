/* SPDX-License-Identifier: BSD-2-Clause */
#include "template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

struct cached_image {
	char name[64];
	uint8_t *data;
	size_t len;
};

static struct cached_image images[16];

const uint8_t *template_image(const char *name, size_t *len)
{
	const char *dir = getenv("NTFS_TEST_IMAGES_DIR");
	char cmd[4096];
	size_t i, cap = 1u << 20, n = 0;
	uint8_t *buf;
	FILE *f;

	for (i = 0; i < sizeof images / sizeof images[0] && images[i].data != NULL; i++) {
		if (strcmp(images[i].name, name) == 0) {
			*len = images[i].len;
			return images[i].data;
		}
	}
	TS_CHECK(i < sizeof images / sizeof images[0] && strlen(name) < sizeof images[i].name);
	if (dir == NULL || *dir == '\0')
		dir = NTFS_TEST_IMAGES_DIR;
	TS_CHECK(strchr(dir, '\'') == NULL && strchr(name, '\'') == NULL);
	snprintf(cmd, sizeof cmd, "xz -dc -- '%s/%s.img.xz'", dir, name);
	f = popen(cmd, "r");
	if (f == NULL) {
		fprintf(stderr, "cannot run: %s\n", cmd);
		abort();
	}
	buf = malloc(cap);
	TS_CHECK(buf != NULL);
	for (;;) {
		size_t got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			TS_CHECK(buf != NULL);
		}
		got = fread(buf + n, 1, cap - n, f);
		if (got == 0)
			break;
		n += got;
	}
	if (pclose(f) != 0 || n < 65536) {
		fprintf(stderr,
		        "cannot decompress the template image: %s (set NTFS_TEST_IMAGES_DIR to "
		        "the directory holding NAME.img.xz)\n",
		        cmd);
		abort();
	}
	snprintf(images[i].name, sizeof images[i].name, "%s", name);
	images[i].data = buf;
	images[i].len = n;
	*len = n;
	return buf;
}
