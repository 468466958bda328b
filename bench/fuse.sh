#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The FUSE mount against ntfs-3g's, side by side on one volume, a fresh
# mount for every run (issue 11's benchmarks). Needs root, ntfs-3g,
# mkntfs, fusermount3 and ntfs-mount built (libfuse3-dev).
#
#   bash bench/fuse.sh [BUILD_DIR]        # default: build
#
# Prints a Markdown table of the best of 3 runs, and the floor: the same
# cat, ls -l and find -ls on a plain file and on tmpfs (the kernel's own
# in-memory file system, no FUSE). bench/RESULTS.md holds the recorded
# one. Set BENCH_WORK to keep the image between runs.
set -euo pipefail

build=$(realpath "${1:-build}")
work=${BENCH_WORK:-/tmp/ntfs-bench-fuse}
img=$work/fuse.img
mnt=$work/mnt
shm=$work/tmpfs
bin=$build/bin
mkdir -p "$work" "$mnt"

for t in mkntfs ntfs-3g fusermount3 python3 setfattr; do
	command -v "$t" >/dev/null || { echo "bench: $t is missing" >&2; exit 1; }
done
[ -x "$bin/ntfs-mount" ] || { echo "bench: build ntfs-mount first ($bin)" >&2; exit 1; }

cleanup() {
	mountpoint -q "$mnt" && fusermount3 -u "$mnt" || true
	mountpoint -q "$shm" && umount "$shm" || true
}
trap cleanup EXIT

# --- the volume ---------------------------------------------------------------
# /d100k: 100,000 empty files in one directory. /tree: 1,000 directories
# of 100 files. big.bin: 1 GiB of random bytes. r0..r7.bin: 64 MiB each.
if [ ! -f "$work/done" ]; then
	rm -f "$img"
	truncate -s 3G "$img"
	mkntfs -q -F -f -c 4096 -L fuse "$img"
	ntfs-3g "$img" "$mnt"
	python3 - "$mnt" <<'EOF'
import os, sys
m = sys.argv[1]
os.mkdir(os.path.join(m, "d100k"))
for i in range(100000):
    open(os.path.join(m, "d100k", "file-%06d.txt" % i), "wb").close()
os.mkdir(os.path.join(m, "tree"))
for d in range(1000):
    p = os.path.join(m, "tree", "dir-%04d" % d)
    os.mkdir(p)
    for i in range(100):
        with open(os.path.join(p, "f%03d" % i), "wb") as f:
            f.write(b"x" * (i * 10))
block = os.urandom(1 << 20)
with open(os.path.join(m, "big.bin"), "wb") as f:
    for _ in range(1024):
        f.write(block)
for r in range(8):
    with open(os.path.join(m, "r%d.bin" % r), "wb") as f:
        for _ in range(64):
            f.write(os.urandom(1 << 20))
EOF
	fusermount3 -u "$mnt"
	# The same 1 GiB as a plain file, for cat's ceiling.
	"$bin/ntfs-cat" "$img" /big.bin >"$work/plain.bin"
	touch "$work/done"
fi

# /c/big.bin: 256 MiB of executable-like data (the system's shared
# libraries over and over) in a compressed folder: ntfs-3g writes it LZNT1.
if [ ! -f "$work/lznt1.done" ]; then
	ntfs-3g "$img" "$mnt"
	mkdir -p "$mnt/c"
	setfattr -h -v 0x00000800 -n system.ntfs_attrib_be "$mnt/c"
	python3 "$(dirname "$0")/libs_data.py" "$mnt/c/big.bin"
	fusermount3 -u "$mnt"
	touch "$work/lznt1.done"
fi

mount_with() {
	case $1 in
	ours) "$bin/ntfs-mount" "$img" "$mnt" ;;
	ntfs-3g) ntfs-3g -o ro "$img" "$mnt" ;;
	esac
}

# best TOOL CMD: best of 3 wall-clock seconds, each on a fresh mount.
best() {
	local tool=$1 cmd=$2 b="" t0 t1 dt
	for _ in 1 2 3; do
		mount_with "$tool"
		t0=$(date +%s.%N)
		bash -c "$cmd" >/dev/null
		t1=$(date +%s.%N)
		fusermount3 -u "$mnt"
		dt=$(echo "$t1 - $t0" | bc)
		if [ -z "$b" ] || [ "$(echo "$dt < $b" | bc)" = 1 ]; then b=$dt; fi
	done
	printf '%.3f' "$b"
}

readers="for r in 0 1 2 3 4 5 6 7; do cat $mnt/r\$r.bin >/dev/null & done; wait"
one_reader="cat $mnt/r0.bin"
rows=(
	"ls -l of a 100,000-entry directory|ls -l $mnt/d100k"
	"find -ls over 1,000 directories of 100 files|find $mnt/tree -ls"
	"cat of a 1 GiB file|cat $mnt/big.bin"
	"cat of a 256 MiB LZNT1 file|cat $mnt/c/big.bin"
	"8 readers of 8 files of 64 MiB at once|$readers"
	"1 reader of one of them|$one_reader"
)
echo "| what | ntfs-mount (s) | ntfs-3g -o ro (s) | ntfs-3g / ntfs-mount |"
echo "| --- | ---: | ---: | ---: |"
for row in "${rows[@]}"; do
	what=${row%%|*}
	cmd=${row#*|}
	o=$(best ours "$cmd")
	t=$(best ntfs-3g "$cmd")
	echo "| $what | $o | $t | $(echo "scale=1; $t / $o" | bc)x |"
done
# The floor: the same commands on the kernel's own in-memory file system.
# best_plain CMD: best of 3 wall-clock seconds.
best_plain() {
	local b="" t0 t1 dt
	for _ in 1 2 3; do
		t0=$(date +%s.%N)
		bash -c "$1" >/dev/null
		t1=$(date +%s.%N)
		dt=$(echo "$t1 - $t0" | bc)
		if [ -z "$b" ] || [ "$(echo "$dt < $b" | bc)" = 1 ]; then b=$dt; fi
	done
	printf '%.3f' "$b"
}
printf '| cat of the same 1 GiB from a plain file (page cache) | %s | | |\n' \
	"$(best_plain "cat $work/plain.bin")"
mkdir -p "$shm"
mountpoint -q "$shm" || mount -t tmpfs -o size=1g tmpfs "$shm"
python3 - "$shm" <<'EOF'
import os, sys
m = sys.argv[1]
os.makedirs(os.path.join(m, "d100k"), exist_ok=True)
for i in range(100000):
    open(os.path.join(m, "d100k", "file-%06d.txt" % i), "wb").close()
for d in range(1000):
    p = os.path.join(m, "tree", "dir-%04d" % d)
    os.makedirs(p, exist_ok=True)
    for i in range(100):
        with open(os.path.join(p, "f%03d" % i), "wb") as f:
            f.write(b"x" * (i * 10))
EOF
printf '| ls -l of the same 100,000 entries on tmpfs | %s | | |\n' \
	"$(best_plain "ls -l $shm/d100k")"
printf '| find -ls over the same tree on tmpfs | %s | | |\n' "$(best_plain "find $shm/tree -ls")"
umount "$shm"
