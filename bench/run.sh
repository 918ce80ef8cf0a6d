#!/bin/sh
# run.sh - build (if needed) and run the three benchmarks, then print the
# machine they ran on.  Results are recorded by hand in docs/performance.md.
#
#   bench/run.sh                 # BUILD_DIR=build, N=1000000
#   BUILD_DIR=out N=200000 bench/run.sh
#   CALLGRIND=1 bench/run.sh     # also: instruction counts under callgrind
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
N=${N:-1000000}
[ -f "$BUILD_DIR/CMakeCache.txt" ] || cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSERRSIM_WERROR=ON
cmake --build "$BUILD_DIR" -j"$(nproc)" --target bench-roundtrip bench-idle bench-suite serrsim >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target bench-systemc >/dev/null 2>&1 || true  # only with SystemC
b=$BUILD_DIR/bench

echo "== machine"
echo "nproc: $(nproc)"
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /cpu: /'
echo "compiler: $(${CC:-cc} --version | head -1)"
grep CMAKE_BUILD_TYPE:STRING "$BUILD_DIR/CMakeCache.txt" | sed 's/.*=/build type: /'
echo

echo "== 1. SError round trip: $b/bench-roundtrip -r 5 $N"
"$b/bench-roundtrip" -r 5 "$N"
echo

echo "== 2. idle skipping: $b/bench-idle -r 5 1000 1000000000000"
"$b/bench-idle" -r 5 1000 1000000000000
echo

echo "== 3. per-scenario cost: $b/bench-suite -r 20 scenarios/conformance"
"$b/bench-suite" -r 20 scenarios/conformance
echo

echo "== the round trip through the CLI (parse + run + evaluate, N = 1000 from the file)"
"$BUILD_DIR/cli/serrsim" check bench/roundtrip.scn

if [ "${CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null 2>&1; then
	echo
	echo "== callgrind instruction counts (repeatable)"
	tmp=$(mktemp -d)
	for n in 10000 20000; do
		valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$n" "$b/bench-roundtrip" -r 1 "$n" \
			>/dev/null 2>"$tmp/log.$n"
		ir=$(sed -n 's/.*refs: *//p' "$tmp/log.$n" | tr -d ,)
		echo "roundtrip N=$n: $ir instructions executed"
		eval "ir_$n=$ir"
	done
	echo "per iteration (difference / 10000): $(( (ir_20000 - ir_10000) / 10000 )) host instructions"
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.idle" "$b/bench-idle" -r 1 >/dev/null 2>"$tmp/log.idle"
	echo "idle (load + 1 run): $(sed -n 's/.*refs: *//p' "$tmp/log.idle") instructions executed"
	rm -rf "$tmp"
fi

if [ -x "$BUILD_DIR/systemc/bench-systemc" ]; then
	echo
	echo "== 4. the SystemC wrapper: $BUILD_DIR/systemc/bench-systemc -r 3"
	"$BUILD_DIR/systemc/bench-systemc" -r 3
fi
