#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Every tracked file that is not data or prose carries an SPDX line in its
# first five lines. Deny by default: a new kind of file must be tagged or
# listed below as data.
set -euo pipefail
cd "$(dirname "$0")/.."
tag='SPDX-License-Identifier: BSD-2-Clause'
missing=0
checked=0
while IFS= read -r f; do
	case $f in
	LICENSE | .gitignore | *.md | *.xz | *.manifest | *.json | fuzz/corpus/*) continue ;;
	esac
	checked=$((checked + 1))
	if ! head -n 5 -- "$f" | grep -qF "$tag"; then
		echo "no '$tag' in the first lines of $f"
		missing=$((missing + 1))
	fi
done < <(git ls-files)
[ -f LICENSE ] || { echo "LICENSE is missing"; exit 1; }
grep -q '^BSD 2-Clause License' LICENSE || { echo "LICENSE is not BSD-2-Clause"; exit 1; }
echo "license: $checked files checked, $missing without an SPDX line"
[ "$missing" -eq 0 ] && [ "$checked" -gt 0 ]
