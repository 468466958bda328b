#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Benchmarks: speed and memory of our tools against ntfs-3g's and The Sleuth
# Kit's on the same volume. Needs root (it builds the volume with mkntfs and
# fills it through an ntfs-3g FUSE mount), valgrind, ntfs-3g and sleuthkit.
#
#   bash bench/run.sh [BUILD_DIR]        # default: build
#
# Prints a Markdown report; bench/RESULTS.md holds the recorded one.
# Set BENCH_WORK to keep the (large, sparse) image between runs.
set -euo pipefail

build=$(realpath "${1:-build}")
work=${BENCH_WORK:-/tmp/ntfs-bench}
img=$work/bench.img
mnt=$work/mnt
bin=$build/bin
mkdir -p "$work" "$mnt"

for t in mkntfs ntfs-3g ntfsls ntfscat fls icat valgrind python3; do
	command -v "$t" >/dev/null || { echo "bench: $t is missing" >&2; exit 1; }
done
[ -x "$bin/ntfs-ls" ] || { echo "bench: build the tools first ($bin)" >&2; exit 1; }

cleanup() { mountpoint -q "$mnt" && umount "$mnt" || true; }
trap cleanup EXIT

# --- the volume ---------------------------------------------------------------
# 4 KiB clusters. /d100k: 100,000 empty files. /d20k: 20,000 files and
# frag.bin, a file spread over thousands of runs (its $DATA spans extension
# records). contig.bin: 256 MiB written in one go (a handful of runs).
if [ ! -f "$work/done" ]; then
	rm -f "$img"
	truncate -s 1G "$img"
	mkntfs -q -F -f -c 4096 -L bench "$img"
	ntfs-3g "$img" "$mnt"
	python3 - "$mnt" <<'EOF'
import os, sys, random
m = sys.argv[1]
random.seed(7)
for d, n in (("d100k", 100000), ("d20k", 20000)):
    os.mkdir(os.path.join(m, d))
    for i in range(n):
        open(os.path.join(m, d, "file-%06d.txt" % i), "wb").close()
with open(os.path.join(m, "contig.bin"), "wb") as f:
    block = os.urandom(1 << 20)
    for _ in range(256):
        f.write(block)
# Fragment free space: fill the volume with one-cluster files, delete a
# seeded random half of them, then write one file, a cluster at a time,
# that can only go into the holes.
os.mkdir(os.path.join(m, "fill"))
names = []
chunk = os.urandom(4096)
try:
    while True:
        p = os.path.join(m, "fill", "f%06d" % len(names))
        with open(p, "wb") as f:
            names.append(p)
            f.write(chunk)
except OSError:
    pass
for p in random.sample(names, len(names) // 2):
    os.unlink(p)
with open(os.path.join(m, "d20k", "frag.bin"), "wb", buffering=0) as f:
    try:
        for _ in range(12288):
            f.write(os.urandom(4096))
    except OSError:
        pass
EOF
	umount "$mnt"
	touch "$work/done"
fi

# A second volume for compression: /c is a compressed folder (ntfs-3g
# compresses what is written into it with LZNT1) holding big.bin, 256 MiB of
# executable-like data (the system's shared libraries over and over).
zimg=$work/lznt1.img
if [ ! -f "$work/lznt1.done" ]; then
	rm -f "$zimg"
	truncate -s 512M "$zimg"
	mkntfs -q -F -f -c 4096 -L lznt1 "$zimg"
	ntfs-3g "$zimg" "$mnt"
	mkdir "$mnt/c"
	setfattr -h -v 0x00000800 -n system.ntfs_attrib_be "$mnt/c"
	python3 "$(dirname "$0")/libs_data.py" "$mnt/c/big.bin"
	umount "$mnt"
	touch "$work/lznt1.done"
fi

# --- helpers -----------------------------------------------------------------
# Best of three wall-clock runs, in seconds.
best_of_3() {
	python3 - "$@" <<'EOF'
import subprocess, sys, time
best = None
for _ in range(3):
    t = time.perf_counter()
    r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    d = time.perf_counter() - t
    best = d if best is None else min(best, d)
print("%.3f%s" % (best, "" if r.returncode == 0 else " (exit %d)" % r.returncode))
EOF
}

# Best of N of the CPU time (user + system) a command's process used, in
# seconds: steadier than wall time on a shared machine. best_cpu N CMD...
best_cpu() {
	python3 - "$@" <<'EOF'
import os, subprocess, sys
best = None
for _ in range(int(sys.argv[1])):
    p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    d = ru.ru_utime + ru.ru_stime
    best = d if best is None else min(best, d)
print("%.4f%s" % (best, "" if status == 0 else " (status %d)" % status))
EOF
}

# pread64 calls of a command (strace -c; the dynamic loader's two included),
# or ? without strace.
preads() {
	command -v strace >/dev/null || { echo "?"; return; }
	strace -f -c -e trace=pread64 "$@" 2>&1 >/dev/null | awk '$NF == "pread64" { n = $4 } END { print n + 0 }'
}

# Peak heap of a whole process (bytes), from valgrind massif.
peak_heap() {
	local out=$work/massif.out
	valgrind --tool=massif --massif-out-file="$out" --pages-as-heap=no "$@" \
		>/dev/null 2>&1 || true
	python3 - "$out" <<'EOF'
import sys, re
peak = 0
for line in open(sys.argv[1]):
    m = re.match(r"mem_heap_B=(\d+)", line)
    if m:
        peak = max(peak, int(m.group(1)))
print(peak)
EOF
}

frag_rec=$(fls -p -r "$img" | awk -F'\t' '$2 == "d20k/frag.bin" { split($1, a, " "); sub(/:$/, "", a[2]); split(a[2], b, "-"); print b[1] }')
runs=$("$bin/ntfs-info" "$img" /d20k/frag.bin | grep -c '^run:')

echo "# Benchmarks"
echo
echo "Machine: $(nproc) cores, $(uname -m); $(date -u +%Y-%m-%d)."
echo "Volume: 1 GiB, 4 KiB clusters; /d20k/frag.bin is $("$bin/ntfs-info" "$img" /d20k/frag.bin | sed -n "s/^size: //p") bytes in ${runs:-?} runs (ntfs-info)."
echo
echo "## Listing a 100,000-entry directory (seconds: wall best of 3, CPU best of 30)"
echo
echo "| tool | time | CPU | pread64 calls |"
echo "|---|---|---|---|"
echo "| ntfs-ls IMAGE /d100k | $(best_of_3 "$bin/ntfs-ls" "$img" /d100k) | $(best_cpu 30 "$bin/ntfs-ls" "$img" /d100k) | $(preads "$bin/ntfs-ls" "$img" /d100k) |"
echo "| ntfsls -p /d100k IMAGE | $(best_of_3 ntfsls -p /d100k "$img") | $(best_cpu 30 ntfsls -p /d100k "$img") | $(preads ntfsls -p /d100k "$img") |"
d100k_rec=$(fls -p "$img" | awk -F'\t' '$2 == "d100k" { split($1, a, " "); sub(/:$/, "", a[2]); split(a[2], b, "-"); print b[1] }')
echo "| fls IMAGE (d100k's record) | $(best_of_3 fls "$img" "$d100k_rec") | | |"
echo
echo "## Streaming a 256 MiB contiguous file from the page cache (best of 3, seconds)"
echo
# Where contig.bin starts, for the plain-read baseline (its first run).
contig_lcn=$("$bin/ntfs-info" "$img" /contig.bin | awk '/^run:/ { print $4; exit }')
contig_off=$((contig_lcn * 4096))
echo "| tool | time |"
echo "|---|---|"
echo "| ntfs-cat IMAGE /contig.bin | $(best_of_3 "$bin/ntfs-cat" "$img" /contig.bin) |"
echo "| ntfscat IMAGE /contig.bin | $(best_of_3 ntfscat "$img" /contig.bin) |"
echo "| dd of the same bytes (plain file read, 1 MiB blocks) | $(best_of_3 dd if="$img" of=/dev/null bs=1M skip="$contig_off" count=256 iflag=skip_bytes) |"
echo
echo "## Reading a 256 MiB LZNT1-compressed file (best of 3, seconds)"
echo
big_rec=$(fls -p -r "$zimg" | awk -F'\t' '$2 == "c/big.bin" { split($1, a, " "); sub(/:$/, "", a[2]); split(a[2], b, "-"); print b[1] }')
echo "/c/big.bin: $("$bin/ntfs-info" "$zimg" /c/big.bin | sed -n "s/^size: //p") bytes in $("$bin/ntfs-info" "$zimg" /c/big.bin | grep -c '^run:') runs; the three tools give the same bytes (sha256 $("$bin/ntfs-cat" "$zimg" /c/big.bin | sha256sum | cut -c1-16), $(icat "$zimg" "$big_rec" | sha256sum | cut -c1-16), $(ntfscat "$zimg" /c/big.bin | sha256sum | cut -c1-16))."
echo
echo "| tool | wall | CPU (user + system) |"
echo "|---|---|---|"
echo "| ntfs-cat IMAGE /c/big.bin | $(best_of_3 "$bin/ntfs-cat" "$zimg" /c/big.bin) | $(best_cpu 3 "$bin/ntfs-cat" "$zimg" /c/big.bin) |"
echo "| icat IMAGE $big_rec | $(best_of_3 icat "$zimg" "$big_rec") | $(best_cpu 3 icat "$zimg" "$big_rec") |"
echo "| ntfscat IMAGE /c/big.bin | $(best_of_3 ntfscat "$zimg" /c/big.bin) | $(best_cpu 3 ntfscat "$zimg" /c/big.bin) |"
echo
echo "Peak heap reading it (valgrind massif, bytes): ntfs-cat $(peak_heap "$bin/ntfs-cat" "$zimg" /c/big.bin), icat $(peak_heap icat "$zimg" "$big_rec"), ntfscat $(peak_heap ntfscat "$zimg" /c/big.bin)."
echo
echo "## WOF decoders against wimlib's (thread CPU time, best of 7)"
echo
echo "Our XPRESS and LZX decoders, built with the core's flags (Release),"
echo "and wimlib's decompressors on the same chunks, compressed by wimlib:"
echo "the system's shared libraries, up to 64 MiB."
echo
bb=$work/build-bench
cmake -S "$(dirname "$0")/.." -B "$bb" -DCMAKE_BUILD_TYPE=Release -DNTFS_BUILD_BENCH=ON \
	-DNTFS_BUILD_TESTS=OFF -DNTFS_BUILD_TOOLS=OFF >/dev/null
cmake --build "$bb" -j"$(nproc)" >/dev/null
"$bb/bench/bench_decode_xpress" | sed -n '/^|/p'
echo
"$bb/bench/bench_decode_lzx" -r 7 | sed -n '/^|/p'
echo
echo "## Memory: mount, look up /d20k/frag.bin, stream it"
echo
echo "Peak heap of the whole process, valgrind massif (bytes):"
echo
echo "| tool | peak heap |"
echo "|---|---|"
echo "| ntfs-cat IMAGE /d20k/frag.bin | $(peak_heap "$bin/ntfs-cat" "$img" /d20k/frag.bin) |"
echo "| icat IMAGE $frag_rec | $(peak_heap icat "$img" "$frag_rec") |"
echo "| ntfscat IMAGE /d20k/frag.bin | $(peak_heap ntfscat "$img" /d20k/frag.bin) |"
echo
lib=$(NTFS_STATS=1 "$bin/ntfs-cat" "$img" /d20k/frag.bin 2>&1 >/dev/null | sed -n 's/.*heap peak \([0-9]*\).*/\1/p')
echo "Library heap alone (the POSIX adapter's count of what the core asked for): ${lib:-?} bytes."
echo
echo "## Listing with ntfs-ls: reads issued"
echo
echo '```'
"$bin/ntfs-ls" --stats "$img" /d100k 2>&1 >/dev/null | tail -1
echo '```'
