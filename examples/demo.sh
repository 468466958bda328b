#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The README's first command: install what is needed (Debian, as root),
# build, and run the tools on the bundled sample image.
#
#   sudo bash examples/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ]; then
	bash .ci/deps >/dev/null
else
	echo "demo: not root, so not installing packages (see .ci/deps)" >&2
fi
cmake -S . -B build -DNTFS_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null

img=build/sample.img
[ -f "$img" ] || xz -dc test/images/ntfs-c4k.img.xz >"$img"

run() {
	echo
	echo "\$ $*"
	"$@"
}
run build/bin/ntfs-info "$img"
run build/bin/ntfs-ls -l "$img" /
run build/bin/ntfs-ls -R "$img" /unicode
run build/bin/ntfs-cat "$img" /small.txt
run build/bin/ntfs-cat -s note "$img" /streams/small-stream.txt
echo
echo "demo: done; try build/bin/ntfs-ls -R $img"
