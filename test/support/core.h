/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every internal header of the core, for tests and fuzz harnesses that call
 * internal functions (the core's own files include only what they use).
 */
#ifndef NTFS_TEST_CORE_H
#define NTFS_TEST_CORE_H

#include "ntfs/ntfs.h"

#include "attr.h"
#include "attrlist.h"
#include "boot.h"
#include "bytes.h"
#include "collate.h"
#include "compress.h"
#include "ea.h"
#include "file.h"
#include "filename.h"
#include "fixup.h"
#include "index.h"
#include "interix.h"
#include "io.h"
#include "lznt1.h"
#include "lzx.h"
#include "mft.h"
#include "name.h"
#include "record.h"
#include "reparse.h"
#include "runlist.h"
#include "secure.h"
#include "stream.h"
#include "upcase.h"
#include "volume.h"
#include "wof.h"
#include "xpress.h"

#endif /* NTFS_TEST_CORE_H */
