#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Fuzz campaign: build the libFuzzer harnesses with clang and run each for a
# while on a copy of its corpus, two at a time, then print a table.
#
#   bash fuzz/run.sh [-t SECONDS] [-j PARALLEL] [-b BUILD_DIR] [-x EXTRA_CORPUS] [HARNESS...]
#
#   -t  seconds per harness (default 60; the long campaign uses 1800)
#   -j  harnesses run at once (default 2)
#   -b  build directory (default build-fuzz)
#   -x  extra seed directory with one subdirectory per harness (e.g. from
#       make_corpus.py --extra); read, never written
#   HARNESS  names without "fuzz_" (default: every fuzz/fuzz_*.c)
#
# Any crash, leak, timeout or out-of-memory fails the run (exit 1); the
# inputs are in BUILD_DIR/fuzz-work/NAME/artifacts/. New corpus entries stay
# in BUILD_DIR/fuzz-work/NAME/corpus/ (merge them by hand if worth keeping).
set -euo pipefail
cd "$(dirname "$0")/.."

secs=60
par=2
build=build-fuzz
extra=
while getopts "t:j:b:x:" opt; do
	case $opt in
	t) secs=$OPTARG ;;
	j) par=$OPTARG ;;
	b) build=$OPTARG ;;
	x) extra=$OPTARG ;;
	*) sed -n '2,18p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

if [ $# -gt 0 ]; then
	harnesses=("$@")
else
	harnesses=()
	for f in fuzz/fuzz_*.c; do
		n=$(basename "$f" .c)
		harnesses+=("${n#fuzz_}")
	done
fi

command -v clang >/dev/null || { echo "fuzz: clang not installed"; exit 1; }
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DNTFS_BUILD_FUZZERS=ON -DNTFS_BUILD_TESTS=OFF -DNTFS_BUILD_TOOLS=OFF -DNTFS_BUILD_EXAMPLES=OFF \
	-DNTFS_INSTALL=OFF >/dev/null
cmake --build "$build" -j"$par" --target $(printf 'fuzz_%s ' "${harnesses[@]}") >/dev/null

work=$build/fuzz-work
run_one() {
	local h=$1 d=$work/$1
	rm -rf "$d"
	mkdir -p "$d/corpus" "$d/artifacts"
	cp fuzz/corpus/"$h"/* "$d/corpus/" 2>/dev/null || true
	if [ -n "$extra" ] && [ -d "$extra/$h" ]; then
		cp "$extra/$h"/* "$d/corpus/" 2>/dev/null || true
	fi
	set +e
	"$build/fuzz/fuzz_$h" "$d/corpus" -max_total_time="$secs" -rss_limit_mb=2048 \
		-timeout=10 -detect_leaks=1 -print_final_stats=1 \
		-artifact_prefix="$d/artifacts/" >"$d/log" 2>&1
	echo $? >"$d/rc"
	set -e
}

echo "fuzz: ${#harnesses[@]} harnesses x ${secs}s, $par at a time"
running=0
for h in "${harnesses[@]}"; do
	run_one "$h" &
	running=$((running + 1))
	if [ $running -ge "$par" ]; then
		wait -n || true
		running=$((running - 1))
	fi
done
wait || true

fail=0
printf '\n| harness | seconds | executions | exec/s | cov | ft | corpus (files/bytes) | findings |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
for h in "${harnesses[@]}"; do
	d=$work/$h
	rc=$(cat "$d/rc" 2>/dev/null || echo 99)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$d/log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$d/log" | tail -1 || true)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$last")
	found=$(find "$d/artifacts" -type f | wc -l)
	what=none
	if [ "$rc" != 0 ] || [ "$found" -gt 0 ]; then
		fail=1
		what="rc $rc: $(find "$d/artifacts" -type f -printf '%f ' | head -c 200)"
	fi
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$h" "$secs" "${execs:-?}" \
		"${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$what"
done
if [ $fail -ne 0 ]; then
	echo
	echo "fuzz: FINDINGS; logs and inputs in $work/NAME/{log,artifacts}"
	for h in "${harnesses[@]}"; do
		if [ "$(cat "$work/$h/rc" 2>/dev/null || echo 99)" != 0 ]; then
			echo "---- $h ----"
			grep -E -B2 -A25 'ERROR|check failed|leak|Timeout|out-of-memory' "$work/$h/log" |
				head -60 || tail -30 "$work/$h/log"
		fi
	done
	# Last, one line per finding: where it is, for a log seen only by its tail.
	for h in "${harnesses[@]}"; do
		if [ "$(cat "$work/$h/rc" 2>/dev/null || echo 99)" != 0 ]; then
			where=$(grep -m1 -E 'check failed|SUMMARY: (Address|Undefined|Leak)' "$work/$h/log" ||
				grep -m1 -E '^ *#[0-9]+ .* in [^ ]+ .*/(src|test|fuzz)/' "$work/$h/log" ||
				echo "see $work/$h/log")
			echo "fuzz: FINDING in $h: $where"
		fi
	done
	exit 1
fi
echo "fuzz: no findings"
