#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The README's first command: install what is needed (Debian; as root, or
# through sudo for that step only), build the tools in build-demo/ (a
# directory of its own, so the test command's build/ is never touched), and
# run them on the bundled sample image.
#
#   bash examples/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/deps demo >/dev/null
build=build-demo
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DNTFS_BUILD_TESTS=OFF \
	-DNTFS_BUILD_TOOLS=ON -DNTFS_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

img=$build/sample.img
[ -f "$img" ] || xz -dc test/images/ntfs-c4k.img.xz >"$img"

run() {
	echo
	echo "\$ $*"
	"$@"
}
run "$build"/bin/ntfs-info "$img"
run "$build"/bin/ntfs-ls -l "$img" /
run "$build"/bin/ntfs-ls -R "$img" /unicode
run "$build"/bin/ntfs-cat "$img" /small.txt
run "$build"/bin/ntfs-cat -s note "$img" /streams/small-stream.txt
echo
echo "demo: done; try $build/bin/ntfs-ls -R $img, or man docs/man/ntfs-ls.1"
