/* SPDX-License-Identifier: BSD-2-Clause */
/**
 * @file ntfs.h
 * @brief Read-only NTFS 3.x reader: the freestanding core.
 *
 * @mainpage ntfs: a small, strict, read-only NTFS reader
 *
 * The core needs no C library: it includes only `<stddef.h>`,
 * `<stdint.h>`, `<stdbool.h>` and `<limits.h>`, and it reaches the disk
 * and the heap only through the callbacks in ::ntfs_config.
 *
 * @section conventions Conventions
 * - **Errors.** Functions return `0` (::NTFS_OK) or a negative
 *   ::ntfs_error. Iterators return `1` for "an item was produced", `0` for
 *   "no more items" and a negative ::ntfs_error on failure.
 *   ntfs_strerror() names any code. Every code at or below
 *   ::NTFS_ERR_CORRUPT means "the disk is inconsistent"
 *   (see ntfs_error_is_corrupt()).
 * - **Hostile disks.** Every byte read from the device is validated before
 *   use. Bad input yields an error code; never a crash, a hang, a leak or an
 *   allocation whose size the disk chose without a cap.
 * - **Memory.** All memory comes from ::ntfs_config::alloc and goes back
 *   through ::ntfs_config::free. Nothing is global. A caller with no heap
 *   can hand in a static buffer through ::ntfs_arena.
 * - **NULL.** Output pointers must not be NULL. Close/unmount functions
 *   accept NULL and do nothing. A function that fails leaves its `*out`
 *   unchanged.
 * - **Lifetime.** Close every directory, stream and file opened from a
 *   volume before unmounting it; close a file's streams and directory
 *   cursors before the file.
 * - **Threads.** A volume and everything opened from it may be used by one
 *   thread at a time (they share the volume's buffers). Different volumes
 *   share nothing and may be used concurrently.
 * - **Reads.** Every read the core issues starts at a multiple of
 *   ::ntfs_config::read_align and has a length that is a multiple of it.
 */
#ifndef NTFS_NTFS_H
#define NTFS_NTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Marks the library's exported functions; every other symbol is hidden. */
#if defined(__GNUC__) || defined(__clang__)
#define NTFS_API __attribute__((visibility("default")))
#else
#define NTFS_API
#endif

/** @name Version */
/**@{*/
#define NTFS_VERSION_MAJOR 0        /**< Major version: incompatible API changes. */
#define NTFS_VERSION_MINOR 1        /**< Minor version: added functionality. */
#define NTFS_VERSION_PATCH 0        /**< Patch version: fixes. */
#define NTFS_VERSION_STRING "0.1.0" /**< The version as a string. */
/**@}*/

/** Error codes. All are negative; 0 is success. */
enum ntfs_error {
	NTFS_OK = 0,                 /**< Success. */
	NTFS_ERR_IO = -1,            /**< The read callback failed. */
	NTFS_ERR_NOMEM = -2,         /**< The allocator returned NULL. */
	NTFS_ERR_UNSUPPORTED = -3,   /**< Valid NTFS this library does not read (yet). */
	NTFS_ERR_NOT_FOUND = -4,     /**< No such file, directory, stream or attribute. */
	NTFS_ERR_NOT_DIR = -5,       /**< A directory was needed. */
	NTFS_ERR_IS_DIR = -6,        /**< A file was needed. */
	NTFS_ERR_INVALID = -7,       /**< A bad argument from the caller. */
	NTFS_ERR_LIMIT = -8,         /**< A documented bound of this library was hit. */
	NTFS_ERR_NAME = -9,          /**< A name is not valid UTF-16 (disk) or UTF-8 (caller). */
	NTFS_ERR_STALE = -10,        /**< A file reference names a record not in use, or reused. */
	NTFS_ERR_CORRUPT = -32,      /**< The disk is inconsistent (generic). */
	NTFS_ERR_CORRUPT_BOOT = -33, /**< Boot sector invalid (primary and backup). */
	NTFS_ERR_CORRUPT_RECORD = -34,     /**< MFT record header invalid, or "BAAD". */
	NTFS_ERR_CORRUPT_FIXUP = -35,      /**< Update sequence array invalid or mismatched. */
	NTFS_ERR_CORRUPT_ATTR = -36,       /**< Attribute header or value invalid. */
	NTFS_ERR_CORRUPT_ATTRLIST = -37,   /**< Attribute list or extension record invalid. */
	NTFS_ERR_CORRUPT_RUNLIST = -38,    /**< Mapping pairs (runlist) invalid. */
	NTFS_ERR_CORRUPT_INDEX = -39,      /**< Index root, block or entry invalid. */
	NTFS_ERR_CORRUPT_UPCASE = -40,     /**< $UpCase table invalid. */
	NTFS_ERR_CORRUPT_MFT = -41,        /**< The $MFT or a system file is inconsistent. */
	NTFS_ERR_CORRUPT_COMPRESSED = -42, /**< Compressed data does not decode. */
	NTFS_ERR_CORRUPT_REPARSE = -43,    /**< Reparse point or Interix file invalid. */
	NTFS_ERR_CORRUPT_EA = -44,         /**< Extended attributes invalid. */
	NTFS_ERR_CORRUPT_SECURITY = -45,   /**< Security descriptor or $Secure invalid. */
	NTFS_ERR_CORRUPT_PARTITION = -46,  /**< Partition table (MBR, EBR or GPT) invalid. */
};

/** The lowest corrupt code: every code from ::NTFS_ERR_CORRUPT down to this
 *  one means "the disk is inconsistent", including codes later versions
 *  add, so ntfs_error_is_corrupt() and callers need not know the newest. */
#define NTFS_ERR_CORRUPT_LOWEST (-63)

/**
 * @brief Describe an error code.
 * @param err any value returned by this library.
 * @return a static, NUL-terminated English string; never NULL.
 */
NTFS_API const char *ntfs_strerror(int err);

/**
 * @brief Tell whether an error code means "the disk is inconsistent".
 * @param err any value returned by this library.
 * @return true for ::NTFS_ERR_CORRUPT and every more specific corrupt code
 *   (the range down to ::NTFS_ERR_CORRUPT_LOWEST).
 */
NTFS_API bool ntfs_error_is_corrupt(int err);

/** @name Limits (see docs/LIMITS.md for why each number) */
/**@{*/
/** Longest name: 255 UTF-16 code units, at most 3 UTF-8 bytes each. */
#define NTFS_NAME_MAX_UTF16 255
/** Buffer size that holds any name as UTF-8, with its NUL. */
#define NTFS_NAME_MAX_UTF8 (NTFS_NAME_MAX_UTF16 * 3 + 1)
/** Deepest $I30 B+tree accepted (a 2 MiB-cluster volume needs far fewer). */
#define NTFS_MAX_INDEX_DEPTH 32
/** Most components in a path given to ntfs_path_open(). */
#define NTFS_MAX_PATH_DEPTH 1024
/** Largest attribute list read into memory, in bytes. */
#define NTFS_MAX_ATTRLIST_SIZE (256u * 1024u)
/** Most $DATA extents (extension records) of one attribute. */
#define NTFS_MAX_EXTENTS 65536u
/** Most distinct ranges kept from the $UpCase table (see docs). */
#define NTFS_MAX_UPCASE_RANGES 2048u
/** Bytes of mapping pairs kept for the $MFT's own $DATA (all its extents). */
#define NTFS_MAX_MFT_MAPPING (1024u * 1024u)
/** Largest security descriptor read (ntfs_file_security()): a buffer this
 *  size always suffices. */
#define NTFS_MAX_SECURITY_SIZE (64u * 1024u)
/**@}*/

/**
 * @brief Read callback.
 * @param ctx ::ntfs_config::read_ctx.
 * @param offset byte offset on the device (multiple of read_align).
 * @param buf destination.
 * @param len bytes to read (multiple of read_align); all must be read.
 * @return 0 on success, anything else on failure (reported as ::NTFS_ERR_IO).
 */
typedef int (*ntfs_read_fn)(void *ctx, uint64_t offset, void *buf, size_t len);
/** @brief Allocation callback: return @p size bytes aligned for any type, or NULL. */
typedef void *(*ntfs_alloc_fn)(void *ctx, size_t size);
/** @brief Free callback: @p size is the size that was asked of alloc. */
typedef void (*ntfs_free_fn)(void *ctx, void *ptr, size_t size);

/** Mount configuration. Zero-initialise it, then fill in what you need. */
struct ntfs_config {
	ntfs_read_fn read;   /**< Required. */
	void *read_ctx;      /**< Passed to read. */
	ntfs_alloc_fn alloc; /**< Required (ntfs_arena_alloc for no heap). */
	ntfs_free_fn free;   /**< Required (ntfs_arena_free for no heap). */
	void *alloc_ctx;     /**< Passed to alloc and free. */
	/** Read granularity: a power of two from 512 to 65536; 0 means 512. */
	uint32_t read_align;
	/** Size of the volume in bytes if known, else 0. Used to find the
	 *  backup boot sector and to check the boot sector's size. With 0,
	 *  mount reads the last whole read_align block of the volume the boot
	 *  sector describes, so read must fail past the end of the device. */
	uint64_t volume_size;
};

/**
 * @brief A bump-and-free-list allocator over a caller buffer (no heap).
 *
 * Fields are private; the struct is public only so it can be static.
 * Pass ntfs_arena_alloc, ntfs_arena_free and the arena as
 * ::ntfs_config::alloc, ::ntfs_config::free and ::ntfs_config::alloc_ctx.
 */
struct ntfs_arena {
	unsigned char *base; /**< private */
	size_t size;         /**< private */
	size_t top;          /**< private: bytes ever carved from base */
	void *free_list;     /**< private */
	size_t in_use;       /**< bytes currently allocated, headers included */
	size_t peak;         /**< highest in_use seen */
};

/**
 * @brief Prepare an arena over @p buf.
 * @param arena arena to initialise.
 * @param buf memory to carve; it should be 16-byte aligned.
 * @param size bytes in @p buf.
 */
NTFS_API void ntfs_arena_init(struct ntfs_arena *arena, void *buf, size_t size);
/** @brief ::ntfs_alloc_fn over a ::ntfs_arena. Returns NULL when full. */
NTFS_API void *ntfs_arena_alloc(void *arena, size_t size);
/** @brief ::ntfs_free_fn over a ::ntfs_arena. */
NTFS_API void ntfs_arena_free(void *arena, void *ptr, size_t size);

/**
 * @brief What ntfs_budget_arena() sizes an arena for: the volume's geometry
 *        and what the caller knows of its attribute lists.
 *
 * A zero field takes the default given; ntfs-info prints the geometry of a
 * volume, and `ntfs-info IMAGE PATH` a file's attribute list.
 */
struct ntfs_budget {
	/** ::ntfs_config::read_align: 512 to 65536, a power of two (0: 512). */
	uint32_t read_align;
	/** MFT record size: 1024, or 4096 on 4Kn disks; 512 to 65536 (0: 1024). */
	uint32_t record_size;
	/** Index block size: 4096 on every formatter; 512 to 65536 (0: 4096). */
	uint32_t index_block_size;
	/** Bytes of the largest `$ATTRIBUTE_LIST` among the `$MFT`, `$UpCase`,
	 *  `$Volume`, the directories on the path and the file read; 0 when
	 *  none has one (only heavily fragmented or hard-linked files do). */
	uint32_t attr_list_size;
	/** Extents of the `$MFT`'s `$DATA` (0: one, no attribute list; a
	 *  fragmented `$MFT` of a large volume has a few). */
	uint32_t mft_extents;
	/** The file read may be compressed (LZNT1 or WOF): its decoder's
	 *  workspace and a WOF file's second stream are added. */
	bool compressed;
};

/** @name Steps of ntfs_budget_arena(), each including the ones before it */
/** @{ */
#define NTFS_BUDGET_MOUNT 1  /**< ntfs_mount() */
#define NTFS_BUDGET_LOOKUP 2 /**< and ntfs_path_open() of one file */
#define NTFS_BUDGET_READ 3   /**< and ntfs_stream_open() and ntfs_stream_read() of its data */
/** @} */

/**
 * @brief How many bytes a ::ntfs_arena needs for a mount, the lookup of a
 *        path and the read of a file's unnamed data stream, one at a time.
 *
 * The sum, from this build's own structure sizes, of the largest set of
 * blocks live at once up to @p step, the blocks mount keeps and the holes
 * it leaves below them. It holds for every `$UpCase` Windows and mkntfs
 * write (at most 256 ranges of the table's runs; a table that needs more
 * may fail mount with ::NTFS_ERR_NOMEM in such an arena) and for reads of
 * data only: no security descriptor, EA, reparse point other than WOF's,
 * or directory listing is counted. The buffer given ntfs_arena_init()
 * must be 16-byte aligned (an unaligned one loses up to 15 bytes). An
 * arena smaller than the value for ::NTFS_BUDGET_MOUNT may fail
 * ntfs_mount(), one smaller than the value for ::NTFS_BUDGET_LOOKUP
 * ntfs_path_open(), and so on, each with ::NTFS_ERR_NOMEM and every block
 * given back. docs/MEMORY.md lists the figures for common geometries and
 * what the test images use.
 * @param budget the volume and file; NULL means every default.
 * @param step ::NTFS_BUDGET_MOUNT, ::NTFS_BUDGET_LOOKUP or ::NTFS_BUDGET_READ.
 * @return the bytes to give ntfs_arena_init() (16-byte aligned), or 0 when
 *         @p step or a field is out of range.
 */
NTFS_API size_t ntfs_budget_arena(const struct ntfs_budget *budget, int step);

/** A mounted volume (opaque). */
typedef struct ntfs_volume ntfs_volume;
/** An open file or directory: one MFT record and its extensions (opaque). */
typedef struct ntfs_file ntfs_file;
/** An open attribute value: a data stream, an index allocation… (opaque). */
typedef struct ntfs_stream ntfs_stream;
/** A directory cursor (opaque). */
typedef struct ntfs_dir ntfs_dir;

/**
 * @brief Mount a volume.
 *
 * Reads the boot sector (falling back to the backup in the volume's last
 * sector when ::ntfs_config::volume_size is set, else reading the
 * volume's last block to check the device holds it), the $MFT's record and
 * extents, $Volume and $UpCase: a constant number of reads.
 *
 * @param cfg configuration; copied, so it need not outlive the call.
 * @param[out] out the volume.
 * @return ::NTFS_OK; ::NTFS_ERR_INVALID (bad config); ::NTFS_ERR_IO (also
 *   when the device is smaller than the volume); ::NTFS_ERR_NOMEM;
 *   ::NTFS_ERR_UNSUPPORTED (e.g. NTFS 1.x); ::NTFS_ERR_LIMIT (the $MFT's
 *   attribute list or mapping pairs over ::NTFS_MAX_ATTRLIST_SIZE or
 *   ::NTFS_MAX_MFT_MAPPING); ::NTFS_ERR_CORRUPT_BOOT, ::NTFS_ERR_CORRUPT_RECORD,
 *   ::NTFS_ERR_CORRUPT_FIXUP, ::NTFS_ERR_CORRUPT_ATTR,
 *   ::NTFS_ERR_CORRUPT_ATTRLIST, ::NTFS_ERR_CORRUPT_RUNLIST,
 *   ::NTFS_ERR_CORRUPT_UPCASE, ::NTFS_ERR_CORRUPT_MFT.
 */
NTFS_API int ntfs_mount(const struct ntfs_config *cfg, ntfs_volume **out);

/** @brief Unmount and free a volume. NULL is accepted. */
NTFS_API void ntfs_unmount(ntfs_volume *vol);

/** Volume flag: the volume is dirty (needs chkdsk). */
#define NTFS_VOLUME_DIRTY 0x0001u

/** Facts about a mounted volume. */
struct ntfs_volume_info {
	uint64_t serial;           /**< Volume serial number. */
	uint8_t major_version;     /**< NTFS major version (3). */
	uint8_t minor_version;     /**< NTFS minor version (0 or 1). */
	uint16_t flags;            /**< $VOLUME_INFORMATION flags (::NTFS_VOLUME_DIRTY, …). */
	bool dirty;                /**< flags & ::NTFS_VOLUME_DIRTY. */
	uint32_t sector_size;      /**< Bytes per sector. */
	uint32_t cluster_size;     /**< Bytes per cluster. */
	uint32_t record_size;      /**< Bytes per MFT record. */
	uint32_t index_block_size; /**< Bytes per index block. */
	uint64_t total_clusters;   /**< Clusters in the volume. */
	uint64_t mft_lcn;          /**< First cluster of $MFT. */
	uint64_t mftmirr_lcn;      /**< First cluster of $MFTMirr. */
	uint64_t mft_records;      /**< Records the $MFT holds (its data size / record size). */
	size_t label_len;          /**< Bytes in label, without the NUL. */
	/** Volume label as UTF-8, NUL-terminated (at most 128 UTF-16 units);
	 *  "" if the label is not valid UTF-16. */
	char label[128 * 3 + 1];
};

/**
 * @brief Get the volume's facts (no I/O: read at mount).
 * @return ::NTFS_OK.
 */
NTFS_API int ntfs_volume_info(const ntfs_volume *vol, struct ntfs_volume_info *info);

/**
 * @brief Count free clusters by reading $Bitmap (I/O proportional to the
 * volume size; nothing is cached).
 * @return ::NTFS_OK; ::NTFS_ERR_IO; ::NTFS_ERR_NOMEM; corrupt codes for a bad
 *   $Bitmap record, attribute or runlist.
 */
NTFS_API int ntfs_volume_free_clusters(ntfs_volume *vol, uint64_t *free_clusters);

/** How full the MFT is (ntfs_volume_mft_usage()). */
struct ntfs_mft_usage {
	uint64_t records;        /**< Records the $MFT holds (ntfs_volume_info::mft_records). */
	uint64_t in_use;         /**< Of them, those its $BITMAP marks in use. */
	uint64_t bitmap_records; /**< Records its $BITMAP has room for (its allocated
	                              bytes x 8, at least records): how far the MFT grows
	                              before the bitmap must. */
};

/**
 * @brief Count the MFT's records in use from the $MFT's $BITMAP (one bit
 * per record the $MFT holds, which mount bounds by the volume's size;
 * nothing is cached).
 * @return ::NTFS_OK; ::NTFS_ERR_IO; ::NTFS_ERR_NOMEM;
 *   ::NTFS_ERR_CORRUPT_MFT (no $BITMAP, or one shorter than the $MFT's
 *   records need, or allocated beyond the volume's size, or not stored
 *   raw); ::NTFS_ERR_CORRUPT_RUNLIST, ::NTFS_ERR_CORRUPT_ATTR,
 *   ::NTFS_ERR_CORRUPT_ATTRLIST, ::NTFS_ERR_CORRUPT_RECORD,
 *   ::NTFS_ERR_CORRUPT_FIXUP.
 */
NTFS_API int ntfs_volume_mft_usage(ntfs_volume *vol, struct ntfs_mft_usage *usage);

/**
 * @brief The upper case of one UTF-16 unit, by the volume's $UpCase (which
 * names collate by, and which decides what "equal without case" means on
 * this volume). No I/O: the table is read at mount.
 */
NTFS_API uint16_t ntfs_upcase(const ntfs_volume *vol, uint16_t unit);

/** @name File references */
/**@{*/
/** Record number of the root directory. */
#define NTFS_ROOT_RECORD 5u
/** Record number part of a file reference. */
#define NTFS_REF_RECORD(ref) ((uint64_t)(UINT64_C(0x0000FFFFFFFFFFFF) & (ref)))
/** Sequence number part of a file reference. */
#define NTFS_REF_SEQUENCE(ref) ((uint16_t)((ref) >> 48))
/**@}*/

/**
 * @brief Open a file by its file reference.
 * @param vol the volume.
 * @param ref record number in the low 48 bits, sequence number in the high
 *   16; a sequence number of 0 is not checked.
 * @param[out] out the file.
 * @return ::NTFS_OK; ::NTFS_ERR_NOT_FOUND (record beyond the $MFT);
 *   ::NTFS_ERR_STALE (record not in use, an extension record, or sequence
 *   mismatch); ::NTFS_ERR_IO; ::NTFS_ERR_NOMEM; ::NTFS_ERR_LIMIT;
 *   ::NTFS_ERR_CORRUPT_RECORD, ::NTFS_ERR_CORRUPT_FIXUP,
 *   ::NTFS_ERR_CORRUPT_ATTR, ::NTFS_ERR_CORRUPT_ATTRLIST,
 *   ::NTFS_ERR_CORRUPT_RUNLIST.
 */
NTFS_API int ntfs_file_open(ntfs_volume *vol, uint64_t ref, ntfs_file **out);

/**
 * @brief Open a file by path.
 *
 * @p path is UTF-8, NUL-terminated, with '/' as separator; leading, trailing
 * and repeated separators and "." are ignored, ".." goes to the parent.
 * Names match case-insensitively through the volume's $UpCase, but an
 * exact-case match wins where names differ only in case. DOS 8.3 names
 * resolve too.
 *
 * @return ::NTFS_OK; ::NTFS_ERR_NOT_FOUND; ::NTFS_ERR_NOT_DIR (a non-final
 *   component is a file); ::NTFS_ERR_NAME (not UTF-8, or a component longer
 *   than 255 UTF-16 units); ::NTFS_ERR_LIMIT (more than
 *   ::NTFS_MAX_PATH_DEPTH components); and every error of ntfs_file_open()
 *   and ntfs_dir_lookup().
 */
NTFS_API int ntfs_path_open(ntfs_volume *vol, const char *path, ntfs_file **out);

/** @brief Close a file. NULL is accepted. */
NTFS_API void ntfs_file_close(ntfs_file *file);

/** @name File attribute flags (as stored by NTFS) */
/**@{*/
#define NTFS_FILE_ATTR_READONLY 0x00000001u /**< Read-only. */
#define NTFS_FILE_ATTR_HIDDEN 0x00000002u   /**< Hidden. */
#define NTFS_FILE_ATTR_SYSTEM 0x00000004u   /**< System file. */
#define NTFS_FILE_ATTR_DIRECTORY                                                                   \
	0x00000010u /**< Directory (in $STANDARD_INFORMATION of some writers). */
#define NTFS_FILE_ATTR_ARCHIVE 0x00000020u    /**< Archive. */
#define NTFS_FILE_ATTR_SPARSE 0x00000200u     /**< Has sparse data. */
#define NTFS_FILE_ATTR_REPARSE 0x00000400u    /**< Has a reparse point. */
#define NTFS_FILE_ATTR_COMPRESSED 0x00000800u /**< Compressed. */
#define NTFS_FILE_ATTR_ENCRYPTED 0x00004000u  /**< Encrypted (EFS). */
/**@}*/

/** Metadata of an open file. Times are 100 ns units since 1601-01-01 UTC. */
struct ntfs_stat {
	uint64_t ref;               /**< File reference (record | sequence << 48). */
	uint64_t size;              /**< Unnamed $DATA: data size (0 if none). */
	uint64_t allocated_size;    /**< Unnamed $DATA: allocated size. */
	uint64_t initialized_size;  /**< Unnamed $DATA: initialized size. */
	uint64_t creation_time;     /**< $STANDARD_INFORMATION times. */
	uint64_t modification_time; /**< Last data change. */
	uint64_t mft_change_time;   /**< Last record change. */
	uint64_t access_time;       /**< Last access. */
	uint32_t attributes;        /**< NTFS_FILE_ATTR_* from $STANDARD_INFORMATION. */
	uint16_t link_count;        /**< Hard links (from the record header). */
	bool is_dir;                /**< Has an $I30 index. */
	uint8_t type;               /**< NTFS_TYPE_*: what a POSIX reader sees. */
	uint32_t reparse_tag;       /**< The reparse point's tag; 0 if none. */
	uint64_t rdev_major;        /**< ::NTFS_TYPE_CHAR, ::NTFS_TYPE_BLOCK: device. */
	uint64_t rdev_minor;        /**< ::NTFS_TYPE_CHAR, ::NTFS_TYPE_BLOCK: device. */
	uint8_t wsl;                /**< NTFS_WSL_* bits: which of uid, gid, mode are set. */
	uint32_t uid;               /**< WSL owner ($LXUID EA). */
	uint32_t gid;               /**< WSL group ($LXGID EA). */
	uint32_t mode;              /**< WSL st_mode, type bits included ($LXMOD EA). */
};

/**
 * @name File types (ntfs_stat::type)
 *
 * A file is what its reparse point says (Windows symlinks and junctions,
 * WSL symlinks, sockets, FIFOs and devices), else what ntfs-3g's Interix
 * convention says (a SYSTEM file whose data begins "IntxLNK\1", "IntxCHR",
 * "IntxBLK"; an empty one is a FIFO, a 1-byte one a socket), else a
 * directory or a regular file. Other reparse points (WOF, deduplication,
 * cloud files, ...) leave the type alone.
 */
/**@{*/
#define NTFS_TYPE_FILE 0u    /**< Regular file. */
#define NTFS_TYPE_DIR 1u     /**< Directory. */
#define NTFS_TYPE_SYMLINK 2u /**< Symlink or junction: see ntfs_file_readlink(). */
#define NTFS_TYPE_FIFO 3u    /**< Named pipe. */
#define NTFS_TYPE_SOCKET 4u  /**< AF_UNIX socket. */
#define NTFS_TYPE_CHAR 5u    /**< Character device. */
#define NTFS_TYPE_BLOCK 6u   /**< Block device. */
/**@}*/

/** @name ntfs_stat::wsl bits */
/**@{*/
#define NTFS_WSL_UID 0x01u  /**< ntfs_stat::uid is set. */
#define NTFS_WSL_GID 0x02u  /**< ntfs_stat::gid is set. */
#define NTFS_WSL_MODE 0x04u /**< ntfs_stat::mode is set. */
/**@}*/

/**
 * @brief Get a file's metadata.
 *
 * Besides the record, this reads the reparse point, the EAs of a file
 * that has them (WSL metadata), and the first bytes of an Interix
 * candidate (a SYSTEM file of at most 8 + 2 x 8192 bytes).
 *
 * @return ::NTFS_OK; ::NTFS_ERR_IO; ::NTFS_ERR_NOMEM; ::NTFS_ERR_CORRUPT_ATTR
 *   (missing or short $STANDARD_INFORMATION); ::NTFS_ERR_CORRUPT_REPARSE;
 *   ::NTFS_ERR_CORRUPT_EA; ::NTFS_ERR_CORRUPT_ATTRLIST,
 *   ::NTFS_ERR_CORRUPT_RUNLIST, ::NTFS_ERR_CORRUPT_RECORD,
 *   ::NTFS_ERR_CORRUPT_FIXUP.
 */
NTFS_API int ntfs_file_stat(ntfs_file *file, struct ntfs_stat *st);

/**
 * @brief Get a file's security descriptor, in self-relative form
 * ([MS-DTYP] 2.4.6 SECURITY_DESCRIPTOR, as Windows' GetFileSecurity gives
 * it).
 *
 * The descriptor is the file's own $SECURITY_DESCRIPTOR attribute if it has
 * one (NTFS 1.x style; ntfs-3g writes them too), else the one its security
 * id (in $STANDARD_INFORMATION) names in $Secure: looked up in the $SII
 * index, read from the $SDS stream, where its header must match the index
 * entry and its hash the bytes; a bad copy is replaced by its mirror, 256
 * KiB on. The bytes handed out passed a structural check: revision 1,
 * SE_SELF_RELATIVE, owner and group SIDs, SACL and DACL (present only with
 * their SE_*_PRESENT flags), every ACE and the SID of every ACE type that
 * has one, all inside the descriptor.
 *
 * The first call on a volume that needs $Secure opens it and keeps it
 * until ntfs_unmount(): an MFT record, the $SII index's root and one index
 * block, and one record of $SDS mapping pairs. A call whose @p cap is too
 * small also allocates, for its duration, a buffer of the descriptor's size
 * to check it.
 *
 * @param file the file.
 * @param buf where the descriptor goes; may be NULL when @p cap is 0. On an
 *   error other than ::NTFS_ERR_LIMIT, its first bytes may have been
 *   zeroed; never more than @p cap of them are written.
 * @param cap bytes available in @p buf.
 * @param[out] len the descriptor's size in bytes: on success, and with
 *   ::NTFS_ERR_LIMIT when @p cap is too small (the size to call again
 *   with); else 0.
 * @return ::NTFS_OK; ::NTFS_ERR_NOT_FOUND (the file has no descriptor:
 *   neither the attribute nor a security id, as with the 48-byte
 *   $STANDARD_INFORMATION of NTFS 1.2, or security id 0);
 *   ::NTFS_ERR_LIMIT (@p cap is smaller than the descriptor, whose size is
 *   in @p len; or @p len is 0: the descriptor is larger than
 *   ::NTFS_MAX_SECURITY_SIZE); ::NTFS_ERR_IO; ::NTFS_ERR_NOMEM;
 *   ::NTFS_ERR_UNSUPPORTED (an encrypted $SECURITY_DESCRIPTOR or $SDS, or
 *   one compressed and LZNT1 not built in); ::NTFS_ERR_CORRUPT_COMPRESSED
 *   (an LZNT1-compressed one that does not decode);
 *   ::NTFS_ERR_CORRUPT_SECURITY (the
 *   descriptor fails the check, both copies in $SDS are bad, the security
 *   id is not in $SII or its entry does not fit $SDS, or $Secure lacks $SII
 *   or $SDS); ::NTFS_ERR_CORRUPT_INDEX ($SII); ::NTFS_ERR_CORRUPT_MFT
 *   ($Secure's record missing or not in use); ::NTFS_ERR_CORRUPT_ATTR
 *   (missing or short $STANDARD_INFORMATION); ::NTFS_ERR_CORRUPT_ATTRLIST,
 *   ::NTFS_ERR_CORRUPT_RUNLIST, ::NTFS_ERR_CORRUPT_RECORD,
 *   ::NTFS_ERR_CORRUPT_FIXUP.
 */
NTFS_API int ntfs_file_security(ntfs_file *file, void *buf, size_t cap, size_t *len);

/** @name Reparse tags */
/**@{*/
#define NTFS_REPARSE_TAG_MOUNT_POINT 0xA0000003u /**< Junction (or volume mount point). */
#define NTFS_REPARSE_TAG_SYMLINK 0xA000000Cu     /**< Windows symbolic link. */
#define NTFS_REPARSE_TAG_DEDUP 0x80000013u       /**< Data in the dedup chunk store. */
#define NTFS_REPARSE_TAG_WOF 0x80000017u         /**< WOF: system-compressed or WIM-backed. */
#define NTFS_REPARSE_TAG_LX_SYMLINK 0xA000001Du  /**< WSL symlink (UTF-8 target). */
#define NTFS_REPARSE_TAG_AF_UNIX 0x80000023u     /**< WSL socket. */
#define NTFS_REPARSE_TAG_LX_FIFO 0x80000024u     /**< WSL FIFO. */
#define NTFS_REPARSE_TAG_LX_CHR 0x80000025u      /**< WSL character device. */
#define NTFS_REPARSE_TAG_LX_BLK 0x80000026u      /**< WSL block device. */
/**@}*/

/** ntfs_reparse::flags of a symlink: the target is relative to the link. */
#define NTFS_SYMLINK_RELATIVE 0x1u

/** @name WOF algorithms (ntfs_reparse::wof_algorithm) */
/**@{*/
#define NTFS_WOF_XPRESS4K 0u  /**< XPRESS Huffman, 4 KiB chunks. */
#define NTFS_WOF_LZX 1u       /**< LZX, 32 KiB chunks. */
#define NTFS_WOF_XPRESS8K 2u  /**< XPRESS Huffman, 8 KiB chunks. */
#define NTFS_WOF_XPRESS16K 3u /**< XPRESS Huffman, 16 KiB chunks. */
/**@}*/

/** WOF providers (ntfs_reparse::wof_provider). */
#define NTFS_WOF_PROVIDER_WIM 1u  /**< Data in a WIM file elsewhere. */
#define NTFS_WOF_PROVIDER_FILE 2u /**< Data compressed in WofCompressedData. */

/** The largest reparse point value, header included (Windows' limit). */
#define NTFS_REPARSE_MAX 16384u
/** A buffer this long holds any link target ntfs_file_readlink() gives. */
#define NTFS_TARGET_MAX (3u * 8192u + 1u)

/**
 * A reparse point's value, parsed. Names are where they lie in the value
 * (UTF-16LE, lengths in bytes), so the caller decides how to show them.
 */
struct ntfs_reparse {
	uint32_t tag;           /**< NTFS_REPARSE_TAG_* or any other tag. */
	uint32_t data_off;      /**< Where the tag's data begins in the value. */
	uint32_t data_len;      /**< Its length. */
	uint32_t flags;         /**< Symlink: ::NTFS_SYMLINK_RELATIVE. */
	uint32_t subst_off;     /**< Symlink, junction: substitute name. */
	uint32_t subst_len;     /**< Its length in bytes. */
	uint32_t print_off;     /**< Symlink, junction: print name. */
	uint32_t print_len;     /**< Its length in bytes. */
	uint32_t target_off;    /**< WSL symlink: UTF-8 target (not NUL-terminated). */
	uint32_t target_len;    /**< Its length in bytes. */
	uint32_t wof_provider;  /**< WOF: NTFS_WOF_PROVIDER_*. */
	uint32_t wof_algorithm; /**< WOF file provider: NTFS_WOF_*. */
};

/**
 * @brief Parse a reparse point's value (pure: no I/O).
 *
 * Checks the header and, for the tags listed above, the fields inside the
 * data; other tags are only split into tag and data.
 *
 * @param value the $REPARSE_POINT value (as ntfs_file_reparse() gives it).
 * @param len its length.
 * @param[out] rp the parse; every name or target lies inside [0, len].
 * @return ::NTFS_OK; ::NTFS_ERR_CORRUPT_REPARSE.
 */
NTFS_API int ntfs_reparse_parse(const void *value, size_t len, struct ntfs_reparse *rp);

/** Bytes of a whole object id: the object id, then the birth volume,
 * birth object and domain ids (16 bytes each). */
#define NTFS_OBJECT_ID_SIZE 64u

/**
 * @brief Read a file's object id, whole when the volume keeps the rest.
 *
 * The $OBJECT_ID attribute usually holds the 16-byte object id alone; the
 * other three ids are then taken from the volume's $Extend/$ObjId index,
 * from the entry for that id that names this file (as ntfs-3g's
 * system.ntfs_object_id gives them). Without such an entry, or with an
 * index beyond what this library reads (deeper than ::NTFS_MAX_INDEX_DEPTH,
 * compressed), the 16 bytes.
 *
 * @param file the file.
 * @param[out] id the id: @p len bytes.
 * @param[out] len 16 to 64 (16 or 64 unless the attribute holds another
 *   size).
 * @return ::NTFS_OK; ::NTFS_ERR_NOT_FOUND (no object id);
 *   ::NTFS_ERR_CORRUPT_ATTR (an attribute shorter than 16 or longer than 64
 *   bytes, or not stored raw); ::NTFS_ERR_CORRUPT_INDEX (a broken $O
 *   index, or an $I30 index on the way); ::NTFS_ERR_CORRUPT ($Extend is no
 *   directory, or names a stale $ObjId); ::NTFS_ERR_IO; ::NTFS_ERR_NOMEM;
 *   ::NTFS_ERR_CORRUPT_ATTRLIST, ::NTFS_ERR_CORRUPT_RUNLIST,
 *   ::NTFS_ERR_CORRUPT_RECORD, ::NTFS_ERR_CORRUPT_FIXUP.
 */
NTFS_API int ntfs_file_object_id(ntfs_file *file, uint8_t id[NTFS_OBJECT_ID_SIZE], size_t *len);

/**
 * @brief Read a file's reparse point value: tag, length, reserved (and the
 * GUID of a non-Microsoft tag), then the data.
 * @param file the file.
 * @param buf destination; may be NULL when @p cap is 0.
 * @param cap bytes available; ::NTFS_REPARSE_MAX always suffices.
 * @param[out] len the value's length, also when @p cap is too small.
 * @return ::NTFS_OK; ::NTFS_ERR_NOT_FOUND (no reparse point);
 *   ::NTFS_ERR_LIMIT (@p cap too small); ::NTFS_ERR_CORRUPT_REPARSE (value
 *   longer than ::NTFS_REPARSE_MAX, or stored compressed or encrypted);
 *   ::NTFS_ERR_IO; ::NTFS_ERR_NOMEM;
 *   ::NTFS_ERR_CORRUPT_ATTR, ::NTFS_ERR_CORRUPT_ATTRLIST,
 *   ::NTFS_ERR_CORRUPT_RUNLIST, ::NTFS_ERR_CORRUPT_RECORD,
 *   ::NTFS_ERR_CORRUPT_FIXUP.
 */
NTFS_API int ntfs_file_reparse(ntfs_file *file, void *buf, size_t cap, size_t *len);

/**
 * @brief A link's target as a POSIX path, UTF-8, NUL-terminated.
 *
 * Windows symlinks and junctions give their substitute name with each
 * backslash turned into a slash; an absolute one drops the NT prefix
 * "\\??\\", so "\\??\\C:\\dir" reads "C:/dir" (ntfs-3g's mount shows the
 * same path under "MOUNTPOINT/.NTFS-3G/"), and "\\??\\UNC\\srv\\share" reads
 * "//srv/share"; a prefix with nothing after it is
 * ::NTFS_ERR_CORRUPT_REPARSE. WSL symlinks give their UTF-8 target as
 * stored, Interix symlinks their UTF-16 target.
 *
 * @param file the file.
 * @param buf destination.
 * @param cap bytes available; ::NTFS_TARGET_MAX always suffices.
 * @param[out] len bytes without the NUL (may be NULL).
 * @return ::NTFS_OK; ::NTFS_ERR_NOT_FOUND (not a symlink);
 *   ::NTFS_ERR_LIMIT (@p cap too small; @p len is not set);
 *   ::NTFS_ERR_NAME (a target that is not valid UTF-16, or for WSL UTF-8,
 *   or that holds a NUL); ::NTFS_ERR_CORRUPT_REPARSE (also an empty
 *   target); and the errors of ntfs_file_stat(). On an error the contents
 *   of @p buf are unspecified.
 */
NTFS_API int ntfs_file_readlink(ntfs_file *file, char *buf, size_t cap, size_t *len);

/** An extended attribute (one entry of $EA). */
struct ntfs_ea_info {
	uint8_t flags;      /**< ::NTFS_EA_NEED_EA or 0. */
	uint8_t name_len;   /**< Bytes in name, without the NUL. */
	uint16_t value_len; /**< Bytes in the value. */
	uint32_t value_off; /**< Where the value lies in $EA (for ntfs_ea_read()). */
	char name[256];     /**< Name as stored (ASCII in practice), NUL-terminated. */
};
/** ntfs_ea_info::flags: a reader that does not know this EA must not open the file. */
#define NTFS_EA_NEED_EA 0x80u
/** The largest $EA this library reads (Windows' own limit). */
#define NTFS_EA_MAX 65536u

/**
 * @brief Enumerate a file's extended attributes in stored order.
 * @param file the file.
 * @param[in,out] cursor start at 0: an opaque position each call advances.
 * @param[out] info the EA.
 * @return 1 (an EA), 0 (no more, or no EAs), ::NTFS_ERR_CORRUPT_EA (an entry
 *   that does not fit, or a $EA larger than ::NTFS_EA_MAX), ::NTFS_ERR_IO,
 *   ::NTFS_ERR_NOMEM, ::NTFS_ERR_CORRUPT_ATTR, ::NTFS_ERR_CORRUPT_ATTRLIST,
 *   ::NTFS_ERR_CORRUPT_RUNLIST, ::NTFS_ERR_CORRUPT_RECORD,
 *   ::NTFS_ERR_CORRUPT_FIXUP.
 */
NTFS_API int ntfs_ea_next(ntfs_file *file, uint32_t *cursor, struct ntfs_ea_info *info);

/**
 * @brief Read the value of an EA ntfs_ea_next() returned.
 * @param file the file.
 * @param info the EA.
 * @param buf destination of info->value_len bytes.
 * @param cap bytes available.
 * @return ::NTFS_OK; ::NTFS_ERR_LIMIT (@p cap too small); ::NTFS_ERR_INVALID
 *   (@p info does not lie inside the file's $EA); and the errors of
 *   ntfs_ea_next().
 */
NTFS_API int ntfs_ea_read(ntfs_file *file, const struct ntfs_ea_info *info, void *buf, size_t cap);

/**
 * @brief Read the EA named @p name (ASCII letters compared without case, as
 * Windows does).
 * @param file the file.
 * @param name the EA's name, NUL-terminated.
 * @param buf destination.
 * @param cap bytes available.
 * @param[out] len the value's length, also when @p cap is too small.
 * @return ::NTFS_OK; ::NTFS_ERR_NOT_FOUND; ::NTFS_ERR_LIMIT; and the errors
 *   of ntfs_ea_next().
 */
NTFS_API int ntfs_ea_get(ntfs_file *file, const char *name, void *buf, size_t cap, size_t *len);

/** @name Attribute types */
/**@{*/
#define NTFS_AT_STANDARD_INFORMATION 0x10u   /**< Times and file attributes. */
#define NTFS_AT_ATTRIBUTE_LIST 0x20u         /**< Where the other attributes live. */
#define NTFS_AT_FILE_NAME 0x30u              /**< A name and its parent directory. */
#define NTFS_AT_OBJECT_ID 0x40u              /**< Object id. */
#define NTFS_AT_SECURITY_DESCRIPTOR 0x50u    /**< Security descriptor (old volumes). */
#define NTFS_AT_VOLUME_NAME 0x60u            /**< Volume label. */
#define NTFS_AT_VOLUME_INFORMATION 0x70u     /**< NTFS version and volume flags. */
#define NTFS_AT_DATA 0x80u                   /**< A data stream. */
#define NTFS_AT_INDEX_ROOT 0x90u             /**< Root node of an index. */
#define NTFS_AT_INDEX_ALLOCATION 0xA0u       /**< Blocks of an index. */
#define NTFS_AT_BITMAP 0xB0u                 /**< Allocation bitmap. */
#define NTFS_AT_REPARSE_POINT 0xC0u          /**< Reparse data. */
#define NTFS_AT_EA_INFORMATION 0xD0u         /**< Extended attribute summary. */
#define NTFS_AT_EA 0xE0u                     /**< Extended attributes. */
#define NTFS_AT_LOGGED_UTILITY_STREAM 0x100u /**< EFS and TxF data. */
/**@}*/

/** @name Attribute flags */
/**@{*/
#define NTFS_ATTR_FLAG_COMPRESSED 0x0001u /**< Value is LZNT1-compressed. */
#define NTFS_ATTR_FLAG_ENCRYPTED 0x4000u  /**< Value is encrypted. */
#define NTFS_ATTR_FLAG_SPARSE 0x8000u     /**< Value may have holes. */
/** Compression method bits: any of them set means compressed; 0x0001 (LZNT1)
 * is the only method defined. */
#define NTFS_ATTR_FLAG_COMPRESSION_MASK 0x00FFu
/**@}*/

/** One attribute (or one extent of a non-resident attribute). */
struct ntfs_attr_info {
	uint32_t type;                 /**< NTFS_AT_*. */
	uint16_t id;                   /**< Attribute id within its record. */
	uint16_t flags;                /**< NTFS_ATTR_FLAG_*. */
	bool resident;                 /**< Value stored in the record. */
	uint64_t record;               /**< Record number holding this extent. */
	uint64_t lowest_vcn;           /**< Non-resident: first VCN of this extent. */
	uint64_t highest_vcn;          /**< Non-resident: last VCN of this extent. */
	uint64_t size;                 /**< Value size (first extent only for non-resident). */
	uint64_t allocated_size;       /**< Non-resident, first extent: allocated size. */
	uint64_t initialized_size;     /**< Non-resident, first extent: initialized size. */
	uint8_t compression_unit;      /**< log2 of clusters per compression unit, or 0. */
	size_t name_len;               /**< Bytes in name, without the NUL. */
	char name[NTFS_NAME_MAX_UTF8]; /**< Attribute name as UTF-8 ("" if unnamed). */
};

/**
 * @brief Enumerate every attribute of a file, following the attribute list.
 * @param file the file.
 * @param[in,out] cursor start at 0: an opaque position each call advances.
 * @param[out] info the attribute.
 * @return 1 (an attribute), 0 (no more), ::NTFS_ERR_IO, ::NTFS_ERR_NOMEM,
 *   ::NTFS_ERR_NAME (name not valid UTF-16; the cursor still advances),
 *   ::NTFS_ERR_CORRUPT_ATTR, ::NTFS_ERR_CORRUPT_ATTRLIST,
 *   ::NTFS_ERR_CORRUPT_RECORD, ::NTFS_ERR_CORRUPT_FIXUP, ::NTFS_ERR_STALE.
 */
NTFS_API int ntfs_attr_next(ntfs_file *file, uint32_t *cursor, struct ntfs_attr_info *info);

/** A named or unnamed $DATA stream of a file. */
struct ntfs_stream_info {
	uint64_t size;                 /**< Data size. */
	uint64_t allocated_size;       /**< Allocated size. */
	uint64_t initialized_size;     /**< Initialized size. */
	uint16_t flags;                /**< NTFS_ATTR_FLAG_*. */
	bool resident;                 /**< Value stored in the record. */
	size_t name_len;               /**< Bytes in name, without the NUL. */
	char name[NTFS_NAME_MAX_UTF8]; /**< "" for the unnamed stream. */
};

/**
 * @brief Enumerate a file's $DATA streams (one per stream, not per extent).
 * @param file the file.
 * @param[in,out] cursor start at 0: an opaque position each call advances.
 * @param[out] info the stream.
 * @return as ntfs_attr_next().
 */
NTFS_API int ntfs_stream_next(ntfs_file *file, uint32_t *cursor, struct ntfs_stream_info *info);

/**
 * @brief Open a $DATA stream.
 *
 * LZNT1-compressed streams and a WOF file's unnamed stream open to read
 * their content. A stream the build or the library cannot decode (EFS,
 * deduplication, a WIM-backed WOF file, a decoder switched off) opens,
 * and its reads give ::NTFS_ERR_UNSUPPORTED with the reason from
 * ntfs_stream_refusal(). Only a WOF reparse point is parsed here: damage
 * in another tag's value does not keep the file's data from reading.
 *
 * @param file the file (must stay open while the stream is).
 * @param name UTF-8 stream name; NULL or "" for the unnamed stream.
 * @param[out] out the stream.
 * @return ::NTFS_OK; ::NTFS_ERR_NOT_FOUND; ::NTFS_ERR_IS_DIR (unnamed stream
 *   of a directory); ::NTFS_ERR_NAME; ::NTFS_ERR_IO; ::NTFS_ERR_NOMEM;
 *   ::NTFS_ERR_LIMIT; ::NTFS_ERR_CORRUPT_REPARSE (a WOF reparse point that
 *   does not parse, or any reparse value over ::NTFS_REPARSE_MAX);
 *   ::NTFS_ERR_CORRUPT_COMPRESSED (a WOF file without its
 *   WofCompressedData stream, or one too short for its chunk table);
 *   ::NTFS_ERR_CORRUPT_ATTR, ::NTFS_ERR_CORRUPT_ATTRLIST,
 *   ::NTFS_ERR_CORRUPT_RUNLIST, ::NTFS_ERR_CORRUPT_RECORD,
 *   ::NTFS_ERR_CORRUPT_FIXUP, ::NTFS_ERR_STALE.
 */
NTFS_API int ntfs_stream_open(ntfs_file *file, const char *name, ntfs_stream **out);

/**
 * @brief Open any attribute by type and UTF-16 name (for tools).
 *
 * The attribute as stored: LZNT1 is decoded, but reparse points are not
 * followed, so a WOF or deduplicated file's unnamed $DATA reads as its
 * sparse placeholder (zeros); ntfs_stream_open() reads its content.
 *
 * @param file the file (must stay open while the stream is).
 * @param type NTFS_AT_*.
 * @param name UTF-16 code units (host order), or NULL.
 * @param name_len units in @p name.
 * @param[out] out the stream.
 * @return as ntfs_stream_open().
 */
NTFS_API int ntfs_attr_open(ntfs_file *file, uint32_t type, const uint16_t *name, size_t name_len,
                            ntfs_stream **out);

/** @brief Close a stream. NULL is accepted. */
NTFS_API void ntfs_stream_close(ntfs_stream *stream);

/** @brief Size of the stream's value in bytes. */
NTFS_API uint64_t ntfs_stream_size(const ntfs_stream *stream);

/**
 * @brief Read from a stream.
 *
 * Holes in sparse streams and bytes past the initialized size read as
 * zeros. Reading at or past the end gives 0 bytes.
 *
 * LZNT1-compressed streams and the unnamed stream of a WOF system-compressed
 * file (XPRESS or LZX, its data in the stream "WofCompressedData") read
 * decoded, each read decoding only the chunks it touches.
 *
 * @param stream the stream.
 * @param offset byte offset in the value.
 * @param buf destination.
 * @param len bytes wanted.
 * @param[out] nread bytes stored (less than @p len only at the end).
 * @return ::NTFS_OK; ::NTFS_ERR_UNSUPPORTED (see ntfs_stream_refusal());
 *   ::NTFS_ERR_CORRUPT_COMPRESSED (a chunk, chunk table or Huffman code that
 *   does not decode); ::NTFS_ERR_IO; ::NTFS_ERR_NOMEM;
 *   ::NTFS_ERR_CORRUPT_RUNLIST, ::NTFS_ERR_CORRUPT_ATTRLIST,
 *   ::NTFS_ERR_CORRUPT_ATTR, ::NTFS_ERR_CORRUPT_RECORD,
 *   ::NTFS_ERR_CORRUPT_FIXUP.
 */
NTFS_API int ntfs_stream_read(ntfs_stream *stream, uint64_t offset, void *buf, size_t len,
                              size_t *nread);

/**
 * @brief Why reads of a stream give ::NTFS_ERR_UNSUPPORTED, as a static
 * string ("encrypted (EFS)", "WOF provider 1 (WIM-backed)", "deduplicated",
 * "unknown compression method", "LZX not built in", ...), or NULL when
 * the stream is readable.
 */
NTFS_API const char *ntfs_stream_refusal(const ntfs_stream *stream);

/**
 * @brief The most decoder workspace a volume allocates (0 in a build
 * without decoders).
 *
 * One workspace serves every compressed stream of the volume. It is
 * allocated on the first compressed read with what that stream needs, and
 * freed at unmount: 8 KiB + a few bytes for LZNT1 ("compress this folder":
 * a 4 KiB window of compressed bytes and one decoded 4 KiB chunk); for WOF
 * one chunk of compressed bytes, one decoded chunk and the decoder's tables
 * (XPRESS16K or LZX set the maximum). When a later stream needs more, it
 * is replaced once by one of this size. A static arena therefore needs
 * this size for decoders when the volume's compressed files all use one
 * codec, and at most twice it when they mix (the arena may not reuse the
 * first block's place).
 */
NTFS_API size_t ntfs_decoder_workspace_size(void);

/** A run of clusters. */
struct ntfs_run {
	uint64_t vcn;    /**< First virtual cluster. */
	uint64_t lcn;    /**< First logical cluster; ::NTFS_LCN_HOLE if sparse. */
	uint64_t length; /**< Clusters. */
};
/** ::ntfs_run::lcn of a sparse run. */
#define NTFS_LCN_HOLE UINT64_MAX

/**
 * @brief Find the run holding a VCN of a non-resident stream.
 *
 * To list every run, start at VCN 0 and continue at vcn + length.
 *
 * @return 1 (found), 0 (@p vcn past the last run, or a resident stream),
 *   ::NTFS_ERR_IO, ::NTFS_ERR_NOMEM, ::NTFS_ERR_CORRUPT_RUNLIST,
 *   ::NTFS_ERR_CORRUPT_ATTRLIST, ::NTFS_ERR_CORRUPT_ATTR,
 *   ::NTFS_ERR_CORRUPT_RECORD, ::NTFS_ERR_CORRUPT_FIXUP.
 */
NTFS_API int ntfs_stream_map(ntfs_stream *stream, uint64_t vcn, struct ntfs_run *run);

/** @name $FILE_NAME namespaces */
/**@{*/
#define NTFS_NAMESPACE_POSIX 0     /**< Case-sensitive name (any Unicode but NUL and /). */
#define NTFS_NAMESPACE_WIN32 1     /**< Win32 long name. */
#define NTFS_NAMESPACE_DOS 2       /**< DOS 8.3 short name. */
#define NTFS_NAMESPACE_WIN32_DOS 3 /**< A name valid as both Win32 and DOS. */
/**@}*/

/**
 * One directory entry, from the $I30 index. The sizes and times are the
 * copy kept in the index, which NTFS updates lazily: use ntfs_file_stat()
 * for authoritative values.
 */
struct ntfs_dirent {
	uint64_t ref;                         /**< File reference of the entry. */
	uint64_t parent_ref;                  /**< File reference of the directory. */
	uint64_t size;                        /**< Data size (index copy). */
	uint64_t allocated_size;              /**< Allocated size (index copy). */
	uint64_t creation_time;               /**< Times (index copy). */
	uint64_t modification_time;           /**< Last data change (index copy). */
	uint64_t mft_change_time;             /**< Last record change (index copy). */
	uint64_t access_time;                 /**< Last access (index copy). */
	uint32_t attributes;                  /**< NTFS_FILE_ATTR_* (index copy). */
	uint8_t name_space;                   /**< NTFS_NAMESPACE_*. */
	bool is_dir;                          /**< The entry is a directory. */
	uint8_t name16_len;                   /**< UTF-16 units in name16. */
	uint16_t name16[NTFS_NAME_MAX_UTF16]; /**< Name as stored (host order). */
	size_t name_len;                      /**< Bytes in name, without the NUL. */
	char name[NTFS_NAME_MAX_UTF8];        /**< Name as UTF-8; "" if refused (NTFS_ERR_NAME). */
};

/** ntfs_dir_open() flag: also return DOS-namespace (8.3) entries. */
#define NTFS_DIR_DOS_NAMES 0x1u
/** ntfs_dir_open() flag: ntfs_dir_find() takes the first entry whose name
 * is equal without case, in index order, rather than preferring the exact
 * one (what ntfs-3g's ignore_case lookups find). */
#define NTFS_DIR_IGNORE_CASE 0x2u

/**
 * @brief Open a cursor over a directory's entries, in index (collation) order.
 * @param dir an open directory (must stay open while the cursor is).
 * @param flags 0, or ::NTFS_DIR_DOS_NAMES and ::NTFS_DIR_IGNORE_CASE or'ed.
 * @param[out] out the cursor.
 * @return ::NTFS_OK; ::NTFS_ERR_NOT_DIR; ::NTFS_ERR_IO; ::NTFS_ERR_NOMEM;
 *   ::NTFS_ERR_CORRUPT_INDEX; ::NTFS_ERR_CORRUPT_ATTR;
 *   ::NTFS_ERR_CORRUPT_ATTRLIST; ::NTFS_ERR_CORRUPT_RUNLIST.
 */
NTFS_API int ntfs_dir_open(ntfs_file *dir, unsigned flags, ntfs_dir **out);

/**
 * @brief Next directory entry.
 *
 * Every hard link is its own entry; the root's entry for itself (".") is
 * skipped. A name that is not valid UTF-16, or
 * that no file may have (it contains U+0000 or '/', or is "." or ".."),
 * gives ::NTFS_ERR_NAME with @p ent filled in except for name (""; name16
 * holds the name as stored), and the cursor still advances, so the caller
 * may go on.
 *
 * @return 1 (an entry), 0 (end), ::NTFS_ERR_NAME, ::NTFS_ERR_IO,
 *   ::NTFS_ERR_NOMEM, ::NTFS_ERR_LIMIT (deeper than
 *   ::NTFS_MAX_INDEX_DEPTH), ::NTFS_ERR_CORRUPT_INDEX,
 *   ::NTFS_ERR_CORRUPT_FIXUP, ::NTFS_ERR_CORRUPT_RUNLIST. After an error
 *   other than ::NTFS_ERR_NAME every further call returns the same error.
 */
NTFS_API int ntfs_dir_next(ntfs_dir *cursor, struct ntfs_dirent *ent);

/** @brief Close a directory cursor. NULL is accepted. */
NTFS_API void ntfs_dir_close(ntfs_dir *cursor);

/**
 * @brief The cursor's position: after the last entry ntfs_dir_next()
 * returned (entries it skipped or refused with ::NTFS_ERR_NAME count).
 *
 * The cookie is a nonzero 64-bit value, 0 meaning "the start"; it stays
 * valid for as long as the volume is mounted (the volume cannot change),
 * also in other cursors over the same directory, which suits readdir
 * offsets. Resuming costs one walk down the B+tree, not a re-listing.
 *
 * @return ::NTFS_OK; ::NTFS_ERR_LIMIT (an index block too far into its
 *   allocation to name in 64 bits; not seen on any real volume).
 */
NTFS_API int ntfs_dir_tell(const ntfs_dir *cursor, uint64_t *cookie);

/**
 * @brief Move the cursor to a position ntfs_dir_tell() gave (0: the start):
 * the next ntfs_dir_next() returns the entry after the one it names.
 * @return ::NTFS_OK; ::NTFS_ERR_INVALID (@p cookie names no entry of this
 *   directory); and the errors of ntfs_dir_next().
 */
NTFS_API int ntfs_dir_seek(ntfs_dir *cursor, uint64_t cookie);

/**
 * @brief ntfs_dir_lookup() through an open cursor, which saves opening the
 * directory's index for each name (a FUSE lookup, say).
 *
 * The cursor's position afterwards is unspecified: ntfs_dir_seek() sets it
 * again. With ::NTFS_DIR_IGNORE_CASE the first name equal without case is
 * found, exact or not.
 *
 * @return as ntfs_dir_lookup().
 */
NTFS_API int ntfs_dir_find(ntfs_dir *cursor, const char *name, size_t name_len,
                           struct ntfs_dirent *ent);

/**
 * @brief Look a name up in a directory by descending its B+tree.
 *
 * Case-insensitive through $UpCase; an exact-case match wins over other
 * case variants. DOS names match too.
 *
 * @param dir an open directory.
 * @param name UTF-8 name (not NUL-terminated necessarily).
 * @param name_len bytes in @p name.
 * @param[out] ent the entry found.
 * @return ::NTFS_OK; ::NTFS_ERR_NOT_FOUND (also for ""; entries that
 *   ntfs_dir_next() refuses are never found); ::NTFS_ERR_NOT_DIR;
 *   ::NTFS_ERR_NAME (not UTF-8, or a name no file may have: containing NUL
 *   or '/', "." or ".."); and the errors of ntfs_dir_next().
 */
NTFS_API int ntfs_dir_lookup(ntfs_file *dir, const char *name, size_t name_len,
                             struct ntfs_dirent *ent);

/** One of a file's names: a $FILE_NAME attribute of its record. */
struct ntfs_name_info {
	uint64_t parent_ref;                  /**< File reference of the directory it is in. */
	uint8_t name_space;                   /**< NTFS_NAMESPACE_*. */
	uint8_t name16_len;                   /**< UTF-16 units in name16. */
	uint16_t name16[NTFS_NAME_MAX_UTF16]; /**< Name as stored (host order). */
	size_t name_len;                      /**< Bytes in name, without the NUL. */
	char name[NTFS_NAME_MAX_UTF8];        /**< Name as UTF-8; "" if refused (NTFS_ERR_NAME). */
};

/**
 * @brief Enumerate a file's names, in the order of its attributes: every
 * hard link, and the DOS (8.3) name beside a long one. The first is the
 * one POSIX readers such as ntfs-3g take a directory's ".." from. The
 * root's name is "." (its parent is itself).
 * @param file the file.
 * @param[in,out] cursor start at 0: an opaque position each call advances.
 * @param[out] info the name.
 * @return 1 (a name), 0 (no more), ::NTFS_ERR_NAME (not valid UTF-16, or a
 *   name no file may have, as ntfs_dir_next() refuses, but the root's ".";
 *   name16 and the other fields are filled, and the cursor still
 *   advances); ::NTFS_ERR_CORRUPT_ATTR (a non-resident or malformed
 *   $FILE_NAME); ::NTFS_ERR_IO;
 *   ::NTFS_ERR_NOMEM; ::NTFS_ERR_CORRUPT_ATTRLIST, ::NTFS_ERR_CORRUPT_RECORD,
 *   ::NTFS_ERR_CORRUPT_FIXUP, ::NTFS_ERR_STALE.
 */
NTFS_API int ntfs_name_next(ntfs_file *file, uint32_t *cursor, struct ntfs_name_info *info);

/**
 * @brief Convert UTF-16 (host-order units) to UTF-8.
 * @param src code units.
 * @param src_len units in @p src.
 * @param dst output buffer; NUL-terminated on success.
 * @param dst_size bytes available in @p dst.
 * @param[out] out_len bytes written without the NUL (may be NULL).
 * @return ::NTFS_OK; ::NTFS_ERR_NAME (lone surrogate); ::NTFS_ERR_LIMIT
 *   (@p dst too small; nothing beyond dst_size is written).
 */
NTFS_API int ntfs_utf16_to_utf8(const uint16_t *src, size_t src_len, char *dst, size_t dst_size,
                                size_t *out_len);

/**
 * @brief Convert UTF-8 to UTF-16 (host-order units).
 *
 * With @p dst NULL it only checks @p src and counts the units it needs.
 *
 * @return ::NTFS_OK; ::NTFS_ERR_NAME (invalid UTF-8: overlong, surrogate,
 *   beyond U+10FFFF, truncated); ::NTFS_ERR_LIMIT (@p dst too small).
 */
NTFS_API int ntfs_utf8_to_utf16(const char *src, size_t src_len, uint16_t *dst, size_t dst_cap,
                                size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif /* NTFS_NTFS_H */
