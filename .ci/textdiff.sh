#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The core's flash against an older commit's, for the same features (a
# developer's tool, not a CI step). Both trees' src/core are built as
# .ci/freestanding.sh builds them for a Cortex-M4 at -Os, and measured:
#  - linked with --gc-sections from one entry program that calls every
#    function of the old public API but ntfs_file_stat() (today's also
#    reads reparse points, Interix files and WSL EAs), with LZNT1, XPRESS
#    and LZX switched off (the old core had no decoder): the fair figure;
#  - every file's .text, all features, as freestanding.sh prints it.
#
# Usage: bash .ci/textdiff.sh [OLD [NEW]]   (commits; OLD defaults to
#        c0ba231, the commit before the core's reshape; NEW to the work
#        tree)
set -euo pipefail

cd "$(dirname "$0")/.."
old=${1:-c0ba231}
new=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/old" "$tmp/new"
git archive "$old" src/core include | tar -x -C "$tmp/old"
if [ -n "$new" ]; then
	git archive "$new" src/core include | tar -x -C "$tmp/new"
else
	cp -r src include "$tmp/new/"
fi

cat >"$tmp/entry.c" <<'C'
#include <ntfs/ntfs.h>

int textdiff_read(void *ctx, uint64_t offset, void *dst, size_t len);
int textdiff_entry(const char *path, const uint16_t *name, uint64_t ref, void *buf, size_t len);

static _Alignas(16) unsigned char heap[4096];
static struct ntfs_config cfg;
static struct ntfs_arena arena;

int textdiff_entry(const char *path, const uint16_t *name, uint64_t ref, void *buf, size_t len)
{
	struct ntfs_volume_info vi;
	struct ntfs_attr_info ai;
	struct ntfs_stream_info si;
	struct ntfs_dirent e;
	struct ntfs_run run;
	ntfs_volume *vol;
	ntfs_stream *s;
	ntfs_file *f;
	ntfs_dir *d;
	uint64_t u;
	uint32_t c = 0;
	size_t n;
	int err;

	ntfs_arena_init(&arena, heap, sizeof heap);
	cfg.read = textdiff_read;
	cfg.alloc = ntfs_arena_alloc;
	cfg.free = ntfs_arena_free;
	cfg.alloc_ctx = &arena;
	err = ntfs_mount(&cfg, &vol);
	if (err)
		return ntfs_error_is_corrupt(err) ? (int)(uintptr_t)ntfs_strerror(err) : err;
	err = ntfs_volume_info(vol, &vi) + ntfs_volume_free_clusters(vol, &u);
	if (ntfs_file_open(vol, ref, &f) == 0) {
		while (ntfs_attr_next(f, &c, &ai) == 1)
			;
		while (ntfs_stream_next(f, &c, &si) == 1)
			;
		if (ntfs_attr_open(f, NTFS_AT_DATA, name, len, &s) == 0) {
			err += ntfs_stream_map(s, 0, &run);
			ntfs_stream_close(s);
		}
		if (ntfs_dir_lookup(f, path, len, &e) == 0)
			err += ntfs_utf16_to_utf8(name, len, buf, len, &n) +
			       ntfs_utf8_to_utf16(path, len, buf, len, &n);
		ntfs_file_close(f);
	}
	if (ntfs_path_open(vol, path, &f) == 0) {
		if (ntfs_dir_open(f, 0, &d) == 0) {
			while (ntfs_dir_next(d, &e) == 1)
				;
			ntfs_dir_close(d);
		}
		if (ntfs_stream_open(f, path, &s) == 0) {
			err += ntfs_stream_read(s, ntfs_stream_size(s), buf, len, &n);
			ntfs_stream_close(s);
		}
		ntfs_file_close(f);
	}
	ntfs_unmount(vol);
	return err;
}

int textdiff_read(void *ctx, uint64_t offset, void *dst, size_t len)
{
	(void)ctx;
	(void)offset;
	(void)dst;
	(void)len;
	return -1;
}
C

cc=(arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb)
flags=(-Os -ffreestanding -nostdlib -fno-builtin -fno-tree-loop-distribute-patterns -std=c11)
text_of() { arm-none-eabi-size -A "$1" | awk '$1 == ".text" || $1 ~ /^\.text\./ { s += $2 } END { print s + 0 }'; }

# measure TREE: per-file .text of every feature, then the entry's link.
measure() {
	local t=$1 f o total=0
	mkdir -p "$t/all" "$t/link"
	for f in "$t"/src/core/*.c; do
		o=$(basename "${f%.c}").o
		"${cc[@]}" "${flags[@]}" -I"$t/include" -I"$t/src/core" -c "$f" -o "$t/all/$o"
		total=$((total + $(text_of "$t/all/$o")))
	done
	for f in "$t"/src/core/*.c "$tmp/entry.c"; do
		o=$(basename "${f%.c}").o
		"${cc[@]}" "${flags[@]}" -I"$t/include" -I"$t/src/core" -ffunction-sections \
			-fdata-sections -DNTFS_WITH_LZNT1=0 -DNTFS_WITH_XPRESS=0 -DNTFS_WITH_LZX=0 \
			-c "$f" -o "$t/link/$o"
	done
	"${cc[@]}" -nostdlib -Wl,--gc-sections -Wl,-e,textdiff_entry -o "$t/link.elf" "$t"/link/*.o
	echo "$total $(text_of "$t/link.elf")"
}

read -r old_all old_link < <(measure "$tmp/old")
read -r new_all new_link < <(measure "$tmp/new")
echo "per-file .text, every feature (cortex-m4 -Os):"
for t in old new; do
	printf '  %s:' "$t"
	for o in "$tmp/$t"/all/*.o; do
		printf ' %s %s' "$(basename "${o%.o}")" "$(text_of "$o")"
	done
	echo
done
echo "every feature: $old ${old_all}, ${new:-work tree} ${new_all} ($((new_all - old_all)))"
echo "old API, no decoders, --gc-sections: $old ${old_link}, ${new:-work tree} ${new_link} ($((new_link - old_link)))"
