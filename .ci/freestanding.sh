#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Prove that src/core is freestanding:
#  1. it includes nothing but <stddef.h> <stdint.h> <stdbool.h> <limits.h>,
#     its own "..." headers and the public <ntfs/ntfs.h>;
#  2. it compiles with -ffreestanding -nostdlib -fno-builtin -Werror for a
#     Cortex-M4 (arm-none-eabi) and for RV64 (riscv64-unknown-elf), and for a
#     big-endian target (s390x) when that compiler is installed;
#  3. all its objects, linked into one relocatable object, leave NO symbol
#     undefined (no memcpy, memset, __aeabi_*, __udivdi3 ...);
#     and every global symbol it defines starts with ntfs_;
#  4. its objects call each other one way only (.ci/layers.py: no cycle, and
#     every internal name says its file);
#  5. src/blockdev (the sector-device adapter, partition tables, block
#     cache) obeys 1.-4. too: it includes only those four, the public
#     <ntfs/ntfs.h>, <ntfs/blockdev.h> and <ntfs/cache.h> and its own
#     headers, and needs no symbol the core does not define; the adapter
#     with both partition parsers (all but cache.c) has at most
#     NTFS_BLOCKDEV_TEXT_LIMIT bytes of .text (Cortex-M4, -Os);
#  6. its .text for Cortex-M4 at -Os: every feature at most
#     NTFS_CORE_TEXT_LIMIT bytes; what a boot loader links (.ci/footprint.c:
#     mount, path, list, read with LZNT1, XPRESS and LZX left out, linked
#     with --gc-sections) at most NTFS_LOADER_TEXT_LIMIT, and its deepest
#     call chain's stack (.ci/stack.py: no recursion, no unbounded frame);
#     each file's share printed, the decoders' .text and .data+.bss on
#     their own lines; the core and src/blockdev have no .data or .bss (no
#     global state);
#  7. examples/boot/loader.c (a boot loader's use: partition table, block
#     cache, static arena) includes only the four standard headers and
#     <ntfs/*.h>, and LINKS with the core and src/blockdev for Cortex-M4
#     and RV64 (-nostdlib, --gc-sections, boot_load as the entry, no C
#     library): its .text and .data+.bss are printed, and its deepest call
#     chain from boot_load() (.ci/stack.py);
#  8. the arena a mount, a lookup and a read need (ntfs_budget_arena(),
#     .ci/budget.c) for the common geometries is printed, on this host
#     and, with arm-linux-gnueabihf-gcc and qemu-arm, on 32-bit ARM, with
#     every decoder and with LZNT1 only.
#
# Usage: bash .ci/freestanding.sh   (from anywhere; works on the repo root)
set -euo pipefail

cd "$(dirname "$0")/.."
limit=${NTFS_CORE_TEXT_LIMIT:-32768}
loader_limit=${NTFS_LOADER_TEXT_LIMIT:-16384}
bd_limit=${NTFS_BLOCKDEV_TEXT_LIMIT:-4096}
out=${NTFS_FREESTANDING_OUT:-build/freestanding}
rm -rf "$out"
mkdir -p "$out"

fail() {
	echo "freestanding: FAIL: $*" >&2
	exit 1
}

shopt -s nullglob
srcs=(src/core/*.c)
hdrs=(src/core/*.h)
bd_srcs=(src/blockdev/*.c)
bd_hdrs=(src/blockdev/*.h)
[ ${#srcs[@]} -gt 0 ] || fail "no sources in src/core"
[ ${#bd_srcs[@]} -gt 0 ] || fail "no sources in src/blockdev"

# --- 1. includes -------------------------------------------------------------
# Every #include line in the core and the public core header must be one of
# the four standard headers, the public header, or a local "file.h" that
# exists in src/core.
allowed_std='<(stddef|stdint|stdbool|limits)\.h>'
# check_includes WHAT PUBLIC_RE LOCAL_DIR FILES...: every #include of FILES
# is one of the four standard headers, a public header matching PUBLIC_RE
# (<ntfs/NAME.h> or "ntfs/NAME.h"), or a "file.h" that exists in LOCAL_DIR.
check_includes() {
	local what=$1 public=$2 dir=$3 bad="" f line num text
	shift 3
	for f in "$@"; do
		while IFS= read -r line; do
			num=${line%%:*}
			text=${line#*:}
			if [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*$allowed_std ]] ||
				[[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*[\<\"]ntfs/($public)\.h[\>\"] ]]; then
				continue
			fi
			if [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([A-Za-z0-9_.-]+)\" ]] &&
				[ -f "$dir/${BASH_REMATCH[1]}" ]; then
				continue
			fi
			bad+="  $f:$num:$text"$'\n'
		done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$f" || true)
	done
	if [ -n "$bad" ]; then
		printf 'freestanding: forbidden #include in %s:\n%s' "$what" "$bad" >&2
		fail "$what may include only <stddef.h> <stdint.h> <stdbool.h> <limits.h>, <ntfs/{$public}.h> and its own headers"
	fi
}
check_includes "the core" "ntfs" src/core "${srcs[@]}" "${hdrs[@]}" include/ntfs/ntfs.h
echo "freestanding: includes OK (${#srcs[@]} sources, ${#hdrs[@]} headers)"
# src/blockdev: the same four, the freestanding public headers, its own.
check_includes src/blockdev "ntfs|blockdev|cache" src/blockdev "${bd_srcs[@]}" "${bd_hdrs[@]}" \
	include/ntfs/blockdev.h include/ntfs/cache.h
echo "freestanding: src/blockdev includes OK (${#bd_srcs[@]} sources, ${#bd_hdrs[@]} headers)"

# --- 2./3. compile, link -r, no undefined symbols -----------------------------
common=(-Os -ffreestanding -nostdlib -fno-builtin -fno-tree-loop-distribute-patterns
	-std=c11 -Wall -Wextra -Wpedantic -Werror -Iinclude -Isrc/core)

# build NAME CC ARCHFLAGS...: compile every source, link them into
# $out/NAME/core.o and check it has no undefined symbols.
build() {
	local name=$1 cc=$2
	shift 2
	local dir="$out/$name"
	mkdir -p "$dir"
	local objs=() f o
	for f in "${srcs[@]}"; do
		o="$dir/$(basename "${f%.c}").o"
		"$cc" "$@" "${common[@]}" -fstack-usage -c "$f" -o "$o" ||
			fail "$name: $f does not compile freestanding"
		objs+=("$o")
	done
	"$cc" "$@" -r -nostdlib -o "$dir/core.o" "${objs[@]}" || fail "$name: link -r failed"
	# src/blockdev, with the same flags, in its own directory.
	mkdir -p "$dir/blockdev"
	local bd_objs=()
	for f in "${bd_srcs[@]}"; do
		o="$dir/blockdev/$(basename "${f%.c}").o"
		"$cc" "$@" "${common[@]}" -Isrc/blockdev -fstack-usage -c "$f" -o "$o" ||
			fail "$name: $f does not compile freestanding"
		bd_objs+=("$o")
	done
	"$cc" "$@" -r -nostdlib -o "$dir/blockdev.o" "${bd_objs[@]}" || fail "$name: link -r of src/blockdev failed"
	"$cc" "$@" -r -nostdlib -o "$dir/all.o" "$dir/core.o" "$dir/blockdev.o" ||
		fail "$name: link -r of the core with src/blockdev failed"
	local nm=${cc%gcc}nm
	command -v "$nm" >/dev/null || nm=nm
	local undef
	undef=$("$nm" -u "$dir/all.o")
	if [ -n "$undef" ]; then
		echo "freestanding: $name: undefined symbols in the core or src/blockdev:" >&2
		echo "$undef" >&2
		fail "$name: the core and src/blockdev must not need any library function (not even memcpy/memset)"
	fi
	# Every global symbol must carry the ntfs_ prefix: in a static link,
	# hidden visibility does not stop a clash with the caller's names.
	local unprefixed
	unprefixed=$("$nm" -g --defined-only "$dir/all.o" | awk '{ print $3 }' | grep -vE '^ntfsi?_' || true)
	if [ -n "$unprefixed" ]; then
		echo "freestanding: $name: global symbols without the ntfs_ (public) or ntfsi_ (internal) prefix (make them static or rename):" >&2
		echo "$unprefixed" >&2
		fail "$name: unprefixed global symbols"
	fi
	# Largest stack frame, for information.
	local frame
	frame=$(cat "$dir"/*.su "$dir"/blockdev/*.su | sort -t$'\t' -k2 -n -r | sed -n 1p |
		awk -F'\t' '{ n = split($1, a, ":"); printf "%s bytes in %s (%s)", $2, a[n], $3 }')
	echo "freestanding: $name: OK, no undefined symbols; largest stack frame: ${frame:-n/a}"
}

command -v arm-none-eabi-gcc >/dev/null || fail "arm-none-eabi-gcc not installed (gcc-arm-none-eabi)"
command -v riscv64-unknown-elf-gcc >/dev/null || fail "riscv64-unknown-elf-gcc not installed (gcc-riscv64-unknown-elf)"

build cortex-m4 arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb
# Every decoder switched off, one at a time and WOF's two together: still
# compiles warning-free and links with nothing undefined.
for defs in -DNTFS_WITH_LZNT1=0 -DNTFS_WITH_XPRESS=0 -DNTFS_WITH_LZX=0 \
	"-DNTFS_WITH_XPRESS=0 -DNTFS_WITH_LZX=0"; do
	# shellcheck disable=SC2086 # defs holds one or two flags
	build "cortex-m4${defs//[^A-Z0-9]/_}" arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb $defs
done
# One-way layers: no call cycle between the core's objects.
layer_objs=()
for f in "${srcs[@]}"; do layer_objs+=("$out/cortex-m4/$(basename "${f%.c}").o"); done
for f in "${bd_srcs[@]}"; do layer_objs+=("$out/cortex-m4/blockdev/$(basename "${f%.c}").o"); done
NM=arm-none-eabi-nm python3 .ci/layers.py "${layer_objs[@]}" ||
	fail "the core's (or src/blockdev's) objects call each other in a cycle, or a name does not say its file"
build rv64imac riscv64-unknown-elf-gcc -march=rv64imac -mabi=lp64
# Big-endian, 64-bit (s390x): compile-only proof here; .ci/run also runs the
# unit tests on it under qemu-user when possible.
if command -v s390x-linux-gnu-gcc >/dev/null; then
	build s390x-be s390x-linux-gnu-gcc
else
	echo "freestanding: s390x-linux-gnu-gcc not installed: big-endian build skipped"
fi

# --- 4. size --------------------------------------------------------------------
text_of() { arm-none-eabi-size -A "$1" | awk '$1 == ".text" || $1 ~ /^\.text\./ { s += $2 } END { print s + 0 }'; }
data_of() { arm-none-eabi-size -A "$@" | awk '$1 ~ /^\.(data|bss)/ { s += $2 } END { print s + 0 }'; }
size_text=$(text_of "$out/cortex-m4/core.o")
size_rodata=$(arm-none-eabi-size -A "$out/cortex-m4/core.o" | awk '$1 ~ /^\.rodata/ { s += $2 } END { print s + 0 }')
size_data=$(data_of "$out/cortex-m4/core.o")
echo "core .text per file (cortex-m4 -Os):"
for o in "$out"/cortex-m4/*.o; do
	case $(basename "$o") in core.o | blockdev.o | all.o) continue ;; esac
	printf '  %-12s %6s\n' "$(basename "${o%.o}")" "$(text_of "$o")"
done | sort -k2 -n -r | column -c 100
c4=$out/cortex-m4
echo "decoders: LZNT1 $(($(text_of "$c4/lznt1.o") + $(text_of "$c4/compress.o"))) bytes (lznt1 + compress), XPRESS $(text_of "$c4/xpress.o"), LZX $(text_of "$c4/lzx.o"), WOF chunk table $(text_of "$c4/wof.o")"
echo "decoders .data+.bss: LZNT1 $(data_of "$c4/lznt1.o" "$c4/compress.o"), XPRESS $(data_of "$c4/xpress.o"), LZX $(data_of "$c4/lzx.o"), WOF $(data_of "$c4/wof.o") bytes"
echo "core .text, every feature: $size_text bytes (limit $limit)"
echo "core .rodata: $size_rodata bytes; .data+.bss: $size_data bytes"
if [ "$size_data" -ne 0 ]; then
	fail "the core has $size_data bytes of .data/.bss: global state"
fi
if [ "$size_text" -gt "$limit" ]; then
	fail "core .text is $size_text bytes, over the limit of $limit"
fi

# src/blockdev: the adapter and both partition parsers against the limit;
# the cache on its own line (a loader may leave it out).
bd_text=0
cache_text=0
bd_rodata=$(arm-none-eabi-size -A "$out/cortex-m4/blockdev.o" | awk '$1 ~ /^\.rodata/ { s += $2 } END { print s + 0 }')
printf 'src/blockdev .text per file (cortex-m4 -Os):'
for o in "$out"/cortex-m4/blockdev/*.o; do
	t=$(text_of "$o")
	printf ' %s %s' "$(basename "${o%.o}")" "$t"
	if [ "$(basename "$o")" = cache.o ]; then
		cache_text=$t
	else
		bd_text=$((bd_text + t))
	fi
done
echo
bd_data=$(data_of "$out/cortex-m4/blockdev.o")
echo "src/blockdev .text: adapter and partition tables $bd_text bytes (limit $bd_limit); cache $cache_text; .rodata $bd_rodata; .data+.bss $bd_data"
if [ "$bd_data" -ne 0 ]; then
	fail "src/blockdev has $bd_data bytes of .data/.bss: global state"
fi
if [ "$bd_text" -gt "$bd_limit" ]; then
	fail "src/blockdev's adapter and partition tables have $bd_text bytes of .text, over the limit of $bd_limit"
fi

# A boot loader's link: .ci/footprint.c and what it reaches, XPRESS and
# LZX switched off, sections collected.
ld_dir="$out/loader"
mkdir -p "$ld_dir"
ld_objs=()
for f in "${srcs[@]}" .ci/footprint.c; do
	o="$ld_dir/$(basename "${f%.c}").o"
	arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb "${common[@]}" -ffunction-sections -fdata-sections \
		-fcallgraph-info=su -DNTFS_WITH_XPRESS=0 -DNTFS_WITH_LZX=0 -c "$f" -o "$o" ||
		fail "loader: $f does not compile"
	ld_objs+=("$o")
done
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -nostdlib -Wl,--gc-sections -Wl,-e,footprint_entry \
	-o "$ld_dir/loader.elf" "${ld_objs[@]}" || fail "loader: link failed"
loader_text=$(text_of "$ld_dir/loader.elf")
echo "boot loader's link (.ci/footprint.c: mount, path, list, read, LZNT1): .text $loader_text bytes (limit $loader_limit)"
if [ "$loader_text" -gt "$loader_limit" ]; then
	fail "a boot loader's link is $loader_text bytes of .text, over the limit of $loader_limit"
fi
# Its deepest call chain (GCC's call graph): no recursion, every frame bounded.
python3 .ci/stack.py footprint_entry "$ld_dir"/*.ci || fail "loader: the stack is not bounded"

# --- 7. examples/boot: the loader, linked -----------------------------------
check_includes examples/boot/loader "ntfs|blockdev|cache" examples/boot \
	examples/boot/loader.c examples/boot/loader.h
# boot_link NAME CC ARCHFLAGS...: compile the core, src/blockdev and the
# loader with one section per function, link them with no C library.
boot_link() {
	local name=$1 cc=$2
	shift 2
	local dir="$out/boot-$name" objs=() f o
	mkdir -p "$dir"
	for f in "${srcs[@]}" "${bd_srcs[@]}" examples/boot/loader.c; do
		o="$dir/$(basename "${f%.c}").o"
		"$cc" "$@" "${common[@]}" -Isrc/blockdev -fstack-usage -fcallgraph-info=su \
			-ffunction-sections -fdata-sections -c "$f" -o "$o" ||
			fail "boot-$name: $f does not compile freestanding"
		objs+=("$o")
	done
	# No program headers are asked for, so ld's default script may merge
	# code and data into one RWX segment: nothing is loaded, only measured.
	local quiet=()
	if "$cc" "$@" -nostdlib -Wl,--help 2>/dev/null | grep -q -- --no-warn-rwx-segments; then
		quiet=("-Wl,--no-warn-rwx-segments")
	fi
	"$cc" "$@" -nostdlib -Wl,--gc-sections -Wl,-e,boot_load "${quiet[@]}" -o "$dir/boot.elf" "${objs[@]}" ||
		fail "boot-$name: examples/boot/loader.c does not link without a C library"
	local sz=${cc%gcc}size
	"$sz" -A "$dir/boot.elf" | awk -v n="$name" '
		$1 ~ /^\.text/ { t += $2 } $1 ~ /^\.rodata/ { r += $2 } $1 ~ /^\.(s?bss|s?data)/ { b += $2 }
		END { printf "examples/boot loader link (%s): .text %d bytes, .rodata %d, .data+.bss %d\n", n, t, r, b }'
	local frame
	frame=$(sort -t$'\t' -k2 -n -r "$dir/loader.su" | sed -n 1p |
		awk -F'\t' '{ n = split($1, a, ":"); printf "%s bytes (%s)", $2, a[n] }')
	echo "examples/boot loader ($name): largest frame of loader.c ${frame:-n/a}"
	# The loader's deepest call chain, from boot_load() down.
	echo "examples/boot loader ($name): stack"
	python3 .ci/stack.py boot_load "$dir"/*.ci || fail "boot-$name: the stack is not bounded"
}
boot_link cortex-m4 arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb
boot_link cortex-m4-no-wof arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -DNTFS_WITH_XPRESS=0 -DNTFS_WITH_LZX=0
boot_link rv64imac riscv64-unknown-elf-gcc -march=rv64imac -mabi=lp64

# --- 8. arena budgets --------------------------------------------------------
budget_table() { # compiler, runner, label, extra flags
	local cc=$1 runner=$2 label=$3
	shift 3
	"$cc" -std=c11 -O1 "$@" -Iinclude -Isrc/core .ci/budget.c src/core/*.c -o "$out/budget-$label" ||
		fail "arena budget: $label does not build"
	echo "arena budget ($label; bytes, ntfs_budget_arena()):"
	$runner "$out/budget-$label"
}
budget_table cc "" "$(uname -m)"
budget_table cc "" "$(uname -m), LZNT1 only" -DNTFS_WITH_XPRESS=0 -DNTFS_WITH_LZX=0
if command -v arm-linux-gnueabihf-gcc >/dev/null && command -v qemu-arm >/dev/null; then
	budget_table arm-linux-gnueabihf-gcc qemu-arm armhf -static
else
	echo "arena budget: armhf skipped (no arm-linux-gnueabihf-gcc or qemu-arm)"
fi

echo "freestanding: OK"
