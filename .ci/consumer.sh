#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# An installed ntfs, consumed as a user would: for a static and a shared
# build, `cmake --install` into a scratch prefix, then build
# test/consumer/consumer.c with find_package(ntfs) and with pkg-config and
# plain cc, and check that each copy reads a committed image's file to the
# bytes its manifest records. The shared libraries must carry the soname
# libNAME.so.MAJOR.MINOR and export exactly the NTFS_API functions; the
# installed tools and man pages must work.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

version=$(sed -n 's/^#define NTFS_VERSION_STRING "\(.*\)".*/\1/p' include/ntfs/ntfs.h)
soversion=${version%.*}
img=$work/c4k.img
xz -dc test/images/ntfs-c4k.img.xz >"$img"
manifest_sha() { awk -F'\t' -v p="$1" '$1 == "file" && $6 == p { print $4 }' test/images/ntfs-c4k.manifest; }
file=pattern-3m.bin
want=$(manifest_sha "$file")
[ -n "$want" ] || { echo "consumer: $file is not in the manifest"; exit 1; }

# The functions ntfs.h and posix.h declare with NTFS_API.
api() { sed -n 's/^NTFS_API .*[ *]\(ntfs_[a-z0-9_]*\)(.*/\1/p' "$@" | sort -u; }

fail=0
check_read() { # WHAT CMD...: CMD must print $file's bytes
	local what=$1 got
	shift
	got=$("$@" "$img" "/$file" | sha256sum | cut -d' ' -f1)
	if [ "$got" = "$want" ]; then
		echo "consumer: $what: reads /$file as written"
	else
		echo "consumer: FAIL: $what read /$file as $got, the manifest says $want"
		fail=1
	fi
}

for kind in static shared; do
	shared=OFF
	[ $kind = shared ] && shared=ON
	prefix=$work/prefix-$kind
	build=build-consumer-$kind
	echo "=== $kind: build and install into $prefix"
	cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=$shared \
		-DNTFS_BUILD_TESTS=OFF -DNTFS_BUILD_EXAMPLES=OFF -DNTFS_BUILD_TOOLS=ON \
		-DNTFS_WERROR=ON -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
	cmake --build "$build" -j"$jobs" >/dev/null
	cmake --install "$build" >/dev/null
	libdir=$(dirname "$(find "$prefix" -name 'libntfs.*' | head -n 1)")
	export LD_LIBRARY_PATH=$libdir

	if [ $kind = shared ]; then
		for lib in ntfs ntfs_blockdev ntfs_posix; do
			so=$libdir/lib$lib.so
			soname=$(objdump -p "$so" | awk '/SONAME/ { print $2 }')
			if [ "$soname" != "lib$lib.so.$soversion" ]; then
				echo "consumer: FAIL: lib$lib.so has soname '$soname', not lib$lib.so.$soversion"
				fail=1
			fi
		done
		nm -D --defined-only "$libdir/libntfs.so" | awk '$2 ~ /^[TDBR]$/ { print $3 }' | sort >"$work/core.syms"
		nm -D --defined-only "$libdir/libntfs_posix.so" | awk '$2 ~ /^[TDBR]$/ { print $3 }' | sort >"$work/posix.syms"
		nm -D --defined-only "$libdir/libntfs_blockdev.so" | awk '$2 ~ /^[TDBR]$/ { print $3 }' | sort >"$work/blockdev.syms"
		# libntfs_blockdev: every public header but the core's and the adapter's.
		blockdev_hdrs=()
		for h in include/ntfs/*.h; do
			case $h in */ntfs.h | */posix.h) ;; *) blockdev_hdrs+=("$h") ;; esac
		done
		if ! diff -u <(api include/ntfs/ntfs.h) "$work/core.syms" ||
			! diff -u <(api "${blockdev_hdrs[@]}") "$work/blockdev.syms" ||
			! diff -u <(api include/ntfs/posix.h) "$work/posix.syms"; then
			echo "consumer: FAIL: the exported symbols are not the NTFS_API functions (diff above)"
			fail=1
		else
			echo "consumer: soname lib*.so.$soversion; exports: $(wc -l <"$work/core.syms") + $(wc -l <"$work/blockdev.syms") + $(wc -l <"$work/posix.syms") NTFS_API functions, nothing else"
		fi
	fi

	cmake -S test/consumer -B "$work/cmake-$kind" -DCMAKE_PREFIX_PATH="$prefix" \
		-DCMAKE_C_FLAGS="-Wall -Wextra -Werror" >/dev/null
	cmake --build "$work/cmake-$kind" >/dev/null
	check_read "$kind, find_package(ntfs)" "$work/cmake-$kind/consumer"
	check_read "$kind, find_package(ntfs COMPONENTS blockdev), static arena" "$work/cmake-$kind/disk"

	export PKG_CONFIG_PATH=$libdir/pkgconfig
	[ "$(pkg-config --modversion ntfs-posix)" = "$version" ] ||
		{ echo "consumer: FAIL: pkg-config says ntfs-posix $(pkg-config --modversion ntfs-posix)"; fail=1; }
	# shellcheck disable=SC2046
	cc -std=c11 -Wall -Wextra -Werror -o "$work/pc-$kind" test/consumer/consumer.c \
		$(pkg-config --cflags --libs ntfs-posix)
	check_read "$kind, pkg-config ntfs-posix + cc" "$work/pc-$kind"
	[ "$(pkg-config --modversion ntfs-blockdev)" = "$version" ] ||
		{ echo "consumer: FAIL: pkg-config says ntfs-blockdev $(pkg-config --modversion ntfs-blockdev)"; fail=1; }
	# shellcheck disable=SC2046
	cc -std=c11 -Wall -Wextra -Werror -o "$work/pcdisk-$kind" test/consumer/disk.c \
		$(pkg-config --cflags --libs ntfs-blockdev)
	check_read "$kind, pkg-config ntfs-blockdev + cc" "$work/pcdisk-$kind"
	if [ $kind = static ] && ldd "$work/pc-$kind" | grep -q libntfs; then
		echo "consumer: FAIL: the static build's consumer needs a shared libntfs"
		fail=1
	fi

	check_read "$kind, installed ntfs-cat" "$prefix/bin/ntfs-cat"
	tools=(ntfs-ls ntfs-cat ntfs-info)
	# ntfs-mount is built where libfuse3 is found (NTFS_BUILD_FUSE).
	if [ -e "$prefix/bin/ntfs-mount" ]; then
		tools+=(ntfs-mount)
		"$prefix/bin/ntfs-mount" --version | grep -q "^ntfs-mount (ntfs) $version\$" ||
			{ echo "consumer: FAIL: installed ntfs-mount --version"; fail=1; }
	fi
	for tool in "${tools[@]}"; do
		page=$prefix/share/man/man1/$tool.1
		[ -f "$page" ] || { echo "consumer: FAIL: $page was not installed"; fail=1; continue; }
		if command -v man >/dev/null; then
			MANPATH=$prefix/share/man man -P cat "$tool" 2>/dev/null | grep -q 'NAMES FROM THE DISK' ||
				{ echo "consumer: FAIL: man $tool does not show the page"; fail=1; }
		fi
	done
	echo "consumer: $kind: ${tools[*]}: man pages installed$(command -v man >/dev/null && echo ', man shows them')"
done
exit $fail
