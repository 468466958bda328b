/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Committed test images as templates for harnesses that mangle them:
 * test/images/NAME.img.xz decompressed once per process (xz -dc) and kept.
 */
#ifndef NTFS_TEST_TEMPLATE_H
#define NTFS_TEST_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

/* The image's bytes; the directory is $NTFS_TEST_IMAGES_DIR if set, else
 * the one CMake compiled in. Stops the run if the image cannot be read. */
const uint8_t *template_image(const char *name, size_t *len);

#endif /* NTFS_TEST_TEMPLATE_H */
