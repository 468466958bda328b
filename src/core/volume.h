/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A mounted volume (volume.c): the caller's configuration and what mount
 * read once for all.
 */
#ifndef NTFS_VOLUME_H
#define NTFS_VOLUME_H

#include "ntfs/ntfs.h"

#include "boot.h"
#include "bytes.h"
#include "mft.h"
#include "upcase.h"

struct ntfsi_secure;

struct ntfs_volume {
	struct ntfs_config cfg;
	uint8_t *bounce; /* read_align bytes, for unaligned device reads */
	struct ntfsi_boot boot;
	struct ntfsi_mft mft;
	struct ntfsi_upcase upcase;
	void *workspace; /* decoders' (ntfsi_io_workspace) */
	size_t workspace_size;
	size_t workspace_max;     /* ntfs_decoder_workspace_size() */
	uint64_t workspace_owner; /* the stream whose bytes it holds; 0 none */
	uint64_t stream_ids;      /* the last id given to a compressed stream */
	uint16_t vol_flags;
	uint8_t major, minor;
	size_t label_len;
	char label[128 * 3 + 1];
	/* $Secure, opened by the first lookup that needs it (secure.c). */
	struct ntfsi_secure *secure;
};

/* Map the $MFT's $DATA from record 0 up (mount): record 0 through the boot
 * sector's cluster, each extension record through the extents before it. */
int ntfsi_volume_load_mft(ntfs_volume *vol);

#endif /* NTFS_VOLUME_H */
