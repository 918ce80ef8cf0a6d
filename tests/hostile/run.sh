#!/bin/sh
# Hostile and careless inputs (one case each): every case must end within its
# memory limit (512 MiB) and its time limit, with the expected exit status and
# a message matching the expected pattern on stderr, and must leave its inputs
# as they were.  The time limit (20 s) catches hangs and runaway cost without
# timing anything: each case takes well under a second on an idle machine,
# and CI may be busy.  Run from the source tree root:
#   sh tests/hostile/run.sh path/to/serrsim
serrsim=${1:?usage: run.sh SERRSIM}
case "$serrsim" in /*) ;; *) serrsim=$(pwd)/$serrsim ;; esac
src=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/serrsim-hostile.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work" || exit 2
fails=0
total=0

# The memory limit (ulimit -v) is left out for a sanitizer build: ASan
# reserves terabytes of address space for its shadow memory.
if [ -n "${ASAN_OPTIONS:-}" ] || nm -D "$serrsim" 2>/dev/null | grep -q __asan_init ||
	nm "$serrsim" 2>/dev/null | grep -q __asan_init; then
	vlimit=unlimited
else
	vlimit=524288
fi

# expect NAME STATUS PATTERN CMD...: run CMD (20 s, 512 MiB) and check its
# exit status and that stderr matches the extended regular expression.
expect() {
	name=$1 want=$2 pat=$3
	shift 3
	total=$((total + 1))
	( ulimit -v $vlimit; exec timeout -k 1 20 "$@" ) >out.txt 2>err.txt </dev/null
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL $name: exit status $got, expected $want"
		sed 's/^/  stderr: /' err.txt | head -5
		fails=$((fails + 1))
	elif [ -n "$pat" ] && ! grep -Eq -- "$pat" err.txt; then
		echo "FAIL $name: stderr does not match /$pat/"
		sed 's/^/  stderr: /' err.txt | head -5
		fails=$((fails + 1))
	else
		echo "ok   $name"
	fi
}

# same FILE SUM: FILE still has its content.
unchanged() {
	total=$((total + 1))
	if [ "$(cksum <"$1")" = "$2" ]; then
		echo "ok   $1 unchanged"
	else
		echo "FAIL $1 was changed or removed"
		fails=$((fails + 1))
	fi
}

cp "$src/scenarios/examples/vserror-el1h-walkthrough.scn" v.scn
sum=$(cksum <v.scn)

# Outputs never touch an input (issue: run --vcd v.scn v.scn destroyed it).
expect vcd-is-input 2 "is the input scenario" "$serrsim" run --vcd v.scn v.scn
unchanged v.scn "$sum"
expect trace-json-is-input 2 "is the input scenario" "$serrsim" run --trace-json v.scn v.scn
unchanged v.scn "$sum"
expect vcd-is-input-other-spelling 2 "is the input scenario" "$serrsim" run --vcd ./v.scn v.scn
unchanged v.scn "$sum"
expect two-outputs-one-file 2 "name the same output" "$serrsim" run --trace-json=x --vcd=x v.scn
expect vcd-and-json-on-stdout 2 "would both write standard output" "$serrsim" run --json --vcd - v.scn
expect vcd-to-stdout 0 "" "$serrsim" run --vcd - v.scn
total=$((total + 1))
if head -n 1 out.txt | grep -q '^\$version serrsim' && [ ! -e ./- ]; then
	echo "ok   --vcd - writes the VCD on standard output"
else
	echo "FAIL --vcd - did not write the VCD on standard output"
	fails=$((fails + 1))
fi
# A malformed scenario leaves an existing output as it was.
printf 'keep\n' >keep.vcd
printf 'scenario: bad\n[cpu]\nnope = 1\n' >bad.scn
expect malformed-keeps-output 2 "unknown knob" "$serrsim" run --vcd keep.vcd bad.scn
unchanged keep.vcd "$(printf 'keep\n' | cksum)"

# Only regular files are read (a FIFO used to hang for ever).
mkfifo fifo.scn
expect fifo-run 2 "not a regular file" "$serrsim" run fifo.scn
expect fifo-check 2 "not a regular file" "$serrsim" check fifo.scn

# Nothing to run is an error, not a pass.
mkdir empty
expect empty-dir-check 2 "no scenarios found in 'empty'" "$serrsim" check empty
expect empty-dir-run 2 "no scenarios found in 'empty'" "$serrsim" run empty
mkdir noscn && printf 'x\n' >noscn/readme.txt
expect dir-without-scn 2 "no scenarios found" "$serrsim" check noscn

# Directory loops are searched once and reported.
mkdir -p loop/a && cp v.scn loop/a/ && ln -s .. loop/a/up
expect symlink-loop 0 "directory already searched" "$serrsim" check loop
total=$((total + 1))
if [ "$(grep -c '^PASS' out.txt)" -eq 1 ]; then
	echo "ok   symlink loop: the scenario ran once"
else
	echo "FAIL symlink loop: the scenario ran $(grep -c '^PASS' out.txt) times"
	fails=$((fails + 1))
fi
mkdir -p deep && ln -s "$work/deep" deep/self
expect symlink-self 2 "no scenarios found" "$serrsim" check deep

# Two files with one scenario name are reported.
mkdir dup && cp v.scn dup/a.scn && cp v.scn dup/b.scn
expect duplicate-names 0 "scenario name 'vserror-el1h-walkthrough' is used by both" \
	"$serrsim" check dup

# run DIR runs the directory's scenarios in path order, as check does.
expect run-dir-sorted 0 "" "$serrsim" run dup
total=$((total + 1))
if grep -n '^scenario\|^PASS\|^FAIL' out.txt | head -n 1 | grep -q 'a.scn\|PASS'; then
	echo "ok   run DIR"
else
	echo "FAIL run DIR"
	fails=$((fails + 1))
fi

# Write errors on standard output are reported, exit 3.
if [ -w /dev/full ]; then
	for cmd in "knobs" "regs" "regs ESR_EL1" "decode ESR_EL1 0xbe000c11" "--help" "--version" \
		"diff-qemu --help" "export --help" \
		"check v.scn" "run v.scn" "explore v.scn" "migrate-matrix $src/scenarios/migration"; do
		total=$((total + 1))
		# shellcheck disable=SC2086
		( ulimit -v $vlimit; exec timeout -k 1 20 "$serrsim" $cmd ) >/dev/full 2>err.txt </dev/null
		got=$?
		if [ "$got" -eq 3 ] && grep -q "error writing standard output" err.txt; then
			echo "ok   $cmd >/dev/full"
		else
			echo "FAIL $cmd >/dev/full: exit status $got, stderr: $(head -n 1 err.txt)"
			fails=$((fails + 1))
		fi
	done
fi

# Messages name what is wrong.
expect option-not-for-command 2 "option '--tag' is not valid here" "$serrsim" run --tag x v.scn
expect version-extra 2 "takes no arguments" "$serrsim" --version extra
long=$(printf '%01000d' 0 | tr 0 9)
expect long-define-clipped 2 "\\(1000 characters\\)" "$serrsim" check -D "max_cycles=$long" v.scn
total=$((total + 1))
if [ "$(wc -c <err.txt)" -lt 400 ]; then
	echo "ok   a long -D value is not echoed whole"
else
	echo "FAIL a long -D value is echoed whole ($(wc -c <err.txt) bytes)"
	fails=$((fails + 1))
fi
expect unknown-knob-hint 2 "serrsim knobs" "$serrsim" check -D foo=1 v.scn

# Text: a UTF-8 byte-order mark is skipped; malformed UTF-8 is an error at
# its place (it used to reach the JSON output as '?').
printf '\357\273\277' >bom.scn && cat v.scn >>bom.scn
expect byte-order-mark 0 "" "$serrsim" check bom.scn
{ printf 'scenario: caf\351\n'; grep -v '^scenario:' v.scn; } >latin1.scn
expect invalid-utf8 2 "^latin1.scn:1:14: error: invalid UTF-8" "$serrsim" run latin1.scn

# Templates too large to enumerate: the message has line:col and a count
# that does not wrap at 2^64.
{ printf 'scenario: big\n[cpu]\nmax_cycles = 100\n[code]\nstart:\n    end\n[events]\n'
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	printf 'at {t%s in 0..65535}: serror AET=UER\n' "$i"
  done; } >big.scn
expect template-2-to-64 2 "^big.scn:8:5: error: the template has more than 18446744073709551614 variants" \
	"$serrsim" explore --enumerate big.scn
{ printf 'scenario: big2\n[cpu]\nmax_cycles = 100\n[code]\nstart:\n    end\n[events]\n'
  printf 'at {a in 0..999}: serror AET=UER\nat {b in 0..999}: serror AET=UER\n'; } >big2.scn
expect template-too-many 2 "^big2.scn:8:5: error: the template has 1000000 variants" \
	"$serrsim" explore --enumerate big2.scn

# Linear cost and bounded memory on large valid-looking files.
{ cat v.scn; i=0; while [ $i -lt 60000 ]; do printf '[host H%s]\nras = off\n' $i; i=$((i + 1)); done; } >hosts.scn
expect many-hosts 2 "^hosts.scn:[0-9]+:7: error: too many hosts \\(at most 16\\)" "$serrsim" run hosts.scn
{ cat v.scn; echo "[expect]"; yes "X1 == 3" | head -n 520000; } >expects.scn
expect too-many-expectations 2 "error: too many expectations \\(at most 65536\\)" "$serrsim" run --json expects.scn
{ cat v.scn; echo "[expect]"; yes "X1 == 3" | head -n 60000; } >expects-ok.scn
expect many-expectations 0 "" "$serrsim" run expects-ok.scn
{ cat v.scn; echo "[init]"; yes "X2 = 1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1" | head -n 110000; } >terms.scn
expect many-terms 0 "" "$serrsim" run terms.scn

# The watchdog also counts instructions and exception entries: a loop whose
# latencies are 0 does not advance the cycle counter, and used to hang.
printf 'scenario: zero-branch\n[cpu]\nlatency.branch = 0\nmax_cycles = 10\n[code]\nstart:\n    b start\n' >zb.scn
expect zero-latency-branch 1 "" "$serrsim" run zb.scn
total=$((total + 1))
if grep -q "stop: watchdog after 0 cycles (10000000 instructions" out.txt; then
	echo "ok   zero-latency loop: watchdog after max_instructions"
else
	echo "FAIL zero-latency loop: $(grep 'stop:' out.txt)"
	fails=$((fails + 1))
fi
expect zero-latency-branch-check 1 "" "$serrsim" check zb.scn
expect zero-latency-branch-reference 1 "" "$serrsim" run -D engine=reference zb.scn
expect zero-latency-branch-explore 1 "" "$serrsim" explore zb.scn
printf 'scenario: zero-udf\n[cpu]\nexception_entry = 0\nlatency.nop = 0\nmax_cycles = 10\n[init]\nPSTATE.EL = 1\nPSTATE.SP = 1\n[code]\nstart:\n    udf #0\n.vector EL1 curr_spx sync\nh:\n    udf #1\n' >zu.scn
expect zero-latency-udf 1 "" "$serrsim" run zu.scn
printf 'scenario: zero-nop\n[cpu]\nlatency.nop = 0\nlatency.branch = 0\nmax_instructions = 1000\n[code]\nstart:\n    nop\n    b start\n' >zn.scn
expect max-instructions-knob 1 "" "$serrsim" run zn.scn
total=$((total + 1))
if grep -q "(1000 instructions" out.txt; then
	echo "ok   max_instructions = 1000 stops after 1000 instructions"
else
	echo "FAIL max_instructions: $(grep 'stop:' out.txt)"
	fails=$((fails + 1))
fi
expect max-instructions-zero 2 "max_instructions must be at least 1" "$serrsim" run -D max_instructions=0 zn.scn

# The cycle counter never wraps: an event at or past 2^64-1 (or a negative
# one) is an error; a run that reaches the top stops with the watchdog.
printf 'scenario: wrap\n[cpu]\nmax_cycles = 100\n[code]\nstart:\n    end\n[events]\nat -1: serror AET=UER\n' >neg.scn
expect event-at-minus-one 2 "^neg.scn:8:4: error: event cycle -1 is negative" "$serrsim" run neg.scn
sed 's/at -1/at 0xffffffffffffffff/' neg.scn >top.scn
expect event-at-2-to-64-minus-1 2 "^top.scn:8:4: error: event cycle 0xffffffffffffffff is at the end of time" "$serrsim" run top.scn
printf 'scenario: wrap\n[cpu]\nmax_cycles = 0xffffffffffffffff\nmax_instructions = 0xffffffffffffffff\nlatency.wfi = 1000000\n[init]\nPSTATE.EL = 1\nPSTATE.A = 1\n[code]\nstart:\n    wfi\n    b start\n[events]\nat 0xfffffffffffffff0: serror AET=UER\n' >wrap.scn
expect cycle-counter-saturates 1 "" "$serrsim" run -t wrap.scn
total=$((total + 1))
if grep -q "stop: watchdog after 18446744073709551615 cycles" out.txt; then
	echo "ok   the cycle counter stops at 2^64-1"
else
	echo "FAIL cycle counter: $(grep 'stop:' out.txt)"
	fails=$((fails + 1))
fi

# A value over 64 bits says so (it used to say only "bad value").
expect define-over-64-bits 2 "does not fit in 64 bits" "$serrsim" check -D "max_cycles=18446744073709551616" v.scn
{ printf 'scenario: wide\n[cpu]\nmax_cycles = 0x10000000000000000\n[code]\nstart:\n    end\n'; } >wide.scn
expect knob-over-64-bits 2 "does not fit in 64 bits" "$serrsim" run wide.scn

# explore --enumerate is linear in the variants (16,000 variants took 126 s
# when each variant rebuilt every value of the template).
{ printf 'scenario: many\n[cpu]\nmax_cycles = 100\n[code]\nstart:\n    nop\n    end\n[events]\n'
  printf 'at {a in 0..3999}: serror AET=UER\nat {b in 0..3}: serror AET=CE\n[expect]\nstop == end\n'; } >many.scn
expect enumerate-16000 0 "" "$serrsim" explore --enumerate --policy one-at-a-time -j 1 many.scn

echo "$((total - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
