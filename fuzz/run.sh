#!/bin/sh
# run.sh - build the libFuzzer targets (clang, ASan+UBSan, in build-fuzz/) and
# fuzz each for SECONDS seconds: fuzz_scenario (the scenario parser and run
# path, seeds fuzz/corpus/) and fuzz_cli (the command line: options, paths and
# commands, seeds fuzz/corpus-cli/).
#
#   fuzz/run.sh 60                 # one minute (what ./test.sh does)
#   FUZZ_JOBS=2 fuzz/run.sh 3600   # an hour on two cores
#
# Seeds: fuzz/corpus/ and fuzz/corpus-cli/ (committed, read-only here).
# Inputs the fuzzer finds interesting go to $BUILD_DIR/corpus*/; a crash,
# leak or timeout is written to $BUILD_DIR/artifacts/ (crash-*, leak-*,
# timeout-*) and the script fails.  Replay one with the target that found it:
#   $BUILD_DIR/fuzz/fuzz_scenario $BUILD_DIR/artifacts/crash-...
# Environment: BUILD_DIR (default build-fuzz), FUZZ_JOBS (default 1),
# FUZZ_ARGS (extra libFuzzer flags).
set -eu
cd "$(dirname "$0")/.."
seconds=${1:?usage: fuzz/run.sh SECONDS}
BUILD_DIR=${BUILD_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-1}

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
	CC=${FUZZ_CC:-clang} CXX=${FUZZ_CXX:-clang++} cmake -S . -B "$BUILD_DIR" \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSERRSIM_FUZZ=ON -DSERRSIM_WERROR=ON \
		-DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$BUILD_DIR" -j"$(nproc)" --target fuzz_scenario fuzz_cli serrsim >/dev/null

mkdir -p "$BUILD_DIR/corpus" "$BUILD_DIR/corpus-cli" "$BUILD_DIR/artifacts"
touch "$BUILD_DIR/fuzz.start"	# artifacts newer than this are this run's
sh fuzz/gen-dict.sh "$BUILD_DIR/cli/serrsim" . >"$BUILD_DIR/scenario.dict"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

# fuzz TARGET CORPUS SEEDS [libFuzzer flags...]
status=0
fuzz() {
	target=$1 corpus=$2 seeds=$3
	shift 3
	echo "fuzz: $target, $seconds s, $jobs job(s), seeds $seeds ($(ls "$seeds" | wc -l) files)"
	if [ "$jobs" -gt 1 ]; then
		# -fork: crashes, leaks and timeouts are collected and the run goes on.
		"$BUILD_DIR/fuzz/$target" -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 \
			-ignore_ooms=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix="$bd/artifacts/" "$@" \
			${FUZZ_ARGS:-} "$corpus" "$seeds" >"$BUILD_DIR/$target.log" 2>&1 || status=$?
	else
		"$BUILD_DIR/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
			-rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix="$bd/artifacts/" "$@" \
			${FUZZ_ARGS:-} "$corpus" "$seeds" >"$BUILD_DIR/$target.log" 2>&1 || status=$?
	fi
	grep -E '^#[0-9]+ *DONE|^stat::number_of_executed_units|^stat::peak_rss_mb' \
		"$BUILD_DIR/$target.log" || true
	if [ "$status" -ne 0 ]; then
		tail -n 60 "$BUILD_DIR/$target.log" >&2
	fi
}
# Absolute paths: fuzz_cli works in a directory of its own.
top=$(pwd)
case "$BUILD_DIR" in /*) bd=$BUILD_DIR ;; *) bd=$top/$BUILD_DIR ;; esac
fuzz fuzz_scenario "$bd/corpus" "$top/fuzz/corpus" -dict="$bd/scenario.dict"
fuzz fuzz_cli "$bd/corpus-cli" "$top/fuzz/corpus-cli" -dict="$top/fuzz/cli.dict"
found=$(find "$BUILD_DIR/artifacts" -type f -newer "$BUILD_DIR/fuzz.start" | grep -E '/(crash|leak|timeout|oom|slow-unit)-' || true)
if [ "$status" -ne 0 ] || [ -n "$found" ]; then
	echo "fuzz: FAILED (status $status); new artifacts:" >&2
	printf '  %s\n' $found >&2
	echo "fuzz: replay with $BUILD_DIR/fuzz/fuzz_scenario FILE (or fuzz_cli)" >&2
	exit 1
fi
echo "fuzz: no crash, leak or timeout in $seconds s per target (logs: $BUILD_DIR/fuzz_*.log)"
