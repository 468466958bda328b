#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The newcomer's path: in a fresh clone, the README's first command (the
# demo), then its second (the test command), then the first again, as the
# README's "Try it" section gives them. The second must run every test it registers, none
# skipped, and at least as many as CI's own test step (MIN_TESTS, or the
# count that step left in build/.ci-test-count).
set -euo pipefail
cd "$(dirname "$0")/.."
min=${MIN_TESTS:-$(cat build/.ci-test-count 2>/dev/null || echo 1)}

# The two commands as the README gives them: the first two sh blocks of "Try it".
mapfile -t cmds < <(python3 - <<'PY'
import re
readme = open("README.md", encoding="utf-8").read()
section = readme.split("## Try it", 1)[1].split("\n## ", 1)[0]
for block in re.findall(r"```sh\n(.*?)```", section, re.S)[:2]:
    print(block.strip())
PY
)
[ ${#cmds[@]} -eq 2 ] || { echo "newcomer: README's Try it section does not give two commands"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q . "$work/main"
cd "$work/main"
echo "newcomer: \$ ${cmds[0]}"
bash -c "${cmds[0]}" >"$work/first.log" 2>&1 || { cat "$work/first.log"; echo "newcomer: FAIL: the first command"; exit 1; }
tail -n 3 "$work/first.log"
echo "newcomer: \$ ${cmds[1]}"
bash -c "${cmds[1]}" >"$work/second.log" 2>&1 || { tail -n 60 "$work/second.log"; echo "newcomer: FAIL: the second command"; exit 1; }
summary=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$work/second.log" | tail -n 1)
total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")
echo "newcomer: $summary"
if grep -q 'The following tests did not run' "$work/second.log"; then
	sed -n '/The following tests did not run/,/^$/p' "$work/second.log"
	echo "newcomer: FAIL: the test command skipped tests"
	exit 1
fi
if [ -z "$total" ] || [ "$total" -lt "$min" ]; then
	echo "newcomer: FAIL: the test command ran ${total:-no} tests, CI's test step $min"
	exit 1
fi
# And the demo once more, after the tests: it must not mind.
bash -c "${cmds[0]}" >"$work/third.log" 2>&1 || { cat "$work/third.log"; echo "newcomer: FAIL: the first command, run again after the second"; exit 1; }
echo "newcomer: OK: the demo, then the test command (all $total tests ran; CI's test step: $min), then the demo again"
