#!/bin/bash
# vs-qemu.sh - the SError round trip (bench/roundtrip.scn) on serrsim and on
# QEMU's TCG, in one invocation, as nanoseconds per iteration and a ratio.
#
#   bash bench/vs-qemu.sh [BUILD_DIR]          # N = 1000000, best of 3
#   N=1000 REPEATS=1 bash bench/vs-qemu.sh     # a quick check
#
# QEMU side: the scenario is exported with the project's own exporter
# (serrsim-qemu export --no-hooks: bare-metal AArch64, started at EL3, the
# scenario's own vector tables, one record at the end), once with X0 = 0 and
# once with X0 = N, and each image runs under
#   qemu-system-aarch64 -M virt,virtualization=on,secure=on -cpu max
# (as serrsim-qemu runs its comparisons, docs/qemu.md).  So that X0 = 0 runs
# no iteration, the exported copy starts with 'cbz x0, done' (once per run,
# outside the loop).  QEMU's cost per iteration is
#   (t(N) - t(0)) / N
# with t the best wall time of REPEATS runs of the whole process, so QEMU's
# start-up, translation of the code and shut-down cancel out.  The run at N
# must end with X10 = 2N and the checksum X2 that serrsim computes.
#
# serrsim side: bench-roundtrip -r REPEATS N (best run, in-process).
#
# Exit status: 0 done, 1 a check failed, 77 QEMU or the cross compiler is
# missing.  Not a CTest test at the default N (it takes a few seconds per
# 10^6 iterations of QEMU); the test bench.vs_qemu_smoke runs it with N = 1000.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
BUILD_DIR=${1:-$src/build}
N=${N:-1000000}
REPEATS=${REPEATS:-3}
QEMU=${SERRSIM_QEMU:-qemu-system-aarch64}
export SERRSIM_CROSS_CC=${SERRSIM_CROSS_CC:-aarch64-linux-gnu-gcc}

exporter=$BUILD_DIR/qemu/serrsim-qemu
bench=$BUILD_DIR/bench/bench-roundtrip
for t in "$exporter" "$bench"; do
	[ -x "$t" ] || { echo "vs-qemu: $t not built (cmake --build $BUILD_DIR)" >&2; exit 1; }
done
for t in "$QEMU" "$SERRSIM_CROSS_CC"; do
	command -v "$t" >/dev/null 2>&1 || { echo "vs-qemu: $t not found: skipped" >&2; exit 77; }
done
case $N in '' | *[!0-9]* | 0) echo "vs-qemu: N must be a positive number" >&2; exit 2 ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The scenario for export: X0 = n, a guard before the loop, no expectations
# but the stop (the file's checksum is for N = 1000).
scenario_for() {
	sed -e "s/^X0 = .*/X0 = $1/" \
	    -e 's/^start:$/start:\n    cbz x0, done/' \
	    -e '0,/^    end$/s//done:\n    end/' \
	    -e '/^\[expect\]/,$d' "$here/roundtrip.scn"
	printf '[expect]\nstop == end\n'
}

# Best wall time in nanoseconds of REPEATS runs of QEMU on DIR/prog.elf;
# the last run's output in DIR/qemu.out.
time_qemu() {
	local dir=$1 best= t0 t1 i
	for ((i = 0; i < REPEATS; i++)); do
		t0=$(date +%s%N)
		timeout -k 1 600 "$QEMU" -M virt,virtualization=on,secure=on -cpu max -m 512M \
			-display none -monitor none -serial stdio -semihosting \
			-kernel "$dir/prog.elf" >"$dir/qemu.out" 2>"$dir/qemu.err" || {
			echo "vs-qemu: QEMU failed on $dir/prog.elf:" >&2
			cat "$dir/qemu.err" >&2
			exit 1
		}
		t1=$(date +%s%N)
		if [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; then best=$((t1 - t0)); fi
	done
	echo "$best"
}

# The register value of the end record (hex, 16 digits).
reg() { sed -n "s/^R $2 //p" "$1/qemu.out" | tail -1; }

for n in 0 "$N"; do
	scenario_for "$n" >"$tmp/rt-$n.scn"
	"$exporter" export --no-hooks "$tmp/rt-$n.scn" -o "$tmp/q$n" >"$tmp/export-$n.log" 2>&1 || {
		echo "vs-qemu: export failed:" >&2
		cat "$tmp/export-$n.log" "$tmp/q$n/build.log" >&2 2>/dev/null || true
		exit 1
	}
done

# serrsim first: it also gives the checksum QEMU must reach.
"$bench" -r "$REPEATS" "$N" >"$tmp/bench.out"
sc_ns=$(awk '$1 == "best" { print $2 }' "$tmp/bench.out")
sum=$(sed -n 's/.*checksum \(0x[0-9a-f]*\) (ok).*/\1/p' "$tmp/bench.out")
[ -n "$sc_ns" ] && [ -n "$sum" ] || { echo "vs-qemu: bench-roundtrip failed:" >&2; cat "$tmp/bench.out" >&2; exit 1; }

t0=$(time_qemu "$tmp/q0")
tn=$(time_qemu "$tmp/q$N")

# The run at N did the work: 2N hypervisor calls, serrsim's checksum.
x10=$(reg "$tmp/q$N" X10)
x2=$(reg "$tmp/q$N" X2)
if [ -z "$x10" ] || [ $((16#$x10)) -ne $((2 * N)) ] || [ $((16#$x2)) -ne $((sum)) ]; then
	echo "vs-qemu: QEMU's run at N = $N ended with X10 = 0x$x10, X2 = 0x$x2 (expected $((2 * N)), $sum)" >&2
	exit 1
fi
x10=$(reg "$tmp/q0" X10)
[ -n "$x10" ] && [ $((16#$x10)) -eq 0 ] || { echo "vs-qemu: QEMU's run at N = 0 did not end cleanly" >&2; exit 1; }

awk -v n="$N" -v r="$REPEATS" -v t0="$t0" -v tn="$tn" -v sc="$sc_ns" -v q="$("$QEMU" --version | head -1)" '
BEGIN {
	qns = (tn - t0) / n
	printf "vs-qemu: bench/roundtrip.scn, N = %d iterations (26 instructions, 3 exceptions each), best of %d\n", n, r
	printf "  QEMU     %s, TCG, -M virt,virtualization=on,secure=on -cpu max\n", q
	printf "           t(N = 0) %.3f s, t(N = %d) %.3f s: %10.1f ns/iteration\n", t0 / 1e9, n, tn / 1e9, qns
	printf "  serrsim  bench-roundtrip -r %d %d:                %10.1f ns/iteration\n", r, n, sc
	if (qns <= 0)
		printf "ratio: n/a (QEMU start-up noise exceeds the run; use a larger N)\n"
	else
		printf "ratio: serrsim %.2fx QEMU (QEMU ns/iteration / serrsim ns/iteration)\n", qns / sc
}'
