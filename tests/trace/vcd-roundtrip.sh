#!/bin/sh
# vcd-roundtrip.sh SERRSIM SRCDIR - check 'serrsim run --vcd' with real VCD
# tools: GTKWave's vcd2fst must accept the file, and fst2vcd must give back
# the same value changes (every signal, every time), with a few signals
# checked at known cycles.  Exit 77 (skipped) when vcd2fst is not installed
# (Debian package gtkwave).
set -eu
serrsim=$1
src=$2
command -v vcd2fst >/dev/null 2>&1 && command -v fst2vcd >/dev/null 2>&1 || {
	echo "vcd2fst/fst2vcd not found (install gtkwave): skipped"
	exit 77
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# roundtrip: in.vcd through vcd2fst and fst2vcd into back.vcd, both
# normalised into in.txt and back.txt, which must be equal.
roundtrip() {
vcd2fst "$tmp/in.vcd" "$tmp/out.fst" >"$tmp/vcd2fst.log" 2>&1 || {
	cat "$tmp/vcd2fst.log"
	echo "FAIL: vcd2fst rejected the VCD file"
	exit 1
}
fst2vcd "$tmp/out.fst" >"$tmp/back.vcd" 2>"$tmp/fst2vcd.log" || {
	cat "$tmp/fst2vcd.log"
	echo "FAIL: fst2vcd could not read the FST file"
	exit 1
}

# VCD times must be strictly increasing (vcd2fst itself is lenient).
awk '/^#[0-9]+/ { t = substr($1, 2) + 0; if (n++ && t <= last) { print "FAIL: time " t " after " last; bad = 1 } last = t }
     END { exit bad }' "$tmp/in.vcd"

# Normalise a VCD to "time name value" lines: identifier codes resolved to
# names, vector values without leading zeros; $dumpvars counts as its time.
normalise() {
	awk '
	function strip(v) { sub(/^0+/, "", v); return v == "" ? "0" : v }
	$1 == "$var" { name[$4] = $5; next }
	/^#[0-9]+/ { t = substr($1, 2); next }
	/^\$/ { next }
	/^[bB]/ { print t, name[$2], strip(substr($1, 2)); next }
	/^[01xXzZ]/ { print t, name[substr($1, 2)], substr($1, 1, 1); next }
	' "$1" | sort -k1,1n -k2,2 -s
}
normalise "$tmp/in.vcd" >"$tmp/in.txt"
normalise "$tmp/back.vcd" >"$tmp/back.txt"
if ! cmp -s "$tmp/in.txt" "$tmp/back.txt"; then
	echo "FAIL: value changes differ after vcd2fst | fst2vcd:"
	diff "$tmp/in.txt" "$tmp/back.txt" | head -20
	exit 1
fi
}
scn=$src/scenarios/timing/wfi-sleep-1e12.scn
"$serrsim" run --vcd "$tmp/in.vcd" "$scn" >"$tmp/report.txt"
roundtrip

# value NAME TIME: the value (hex) of a signal at a time, from the round trip.
value() {
	awk -v n="$1" -v t="$2" '
	function hex(b,   h, i, d, k) {
		while (length(b) % 4) b = "0" b
		h = ""
		for (i = 1; i <= length(b); i += 4) {
			d = 0
			for (k = 0; k < 4; k++) d = d * 2 + substr(b, i + k, 1)
			h = h substr("0123456789abcdef", d + 1, 1)
		}
		sub(/^0+/, "", h)
		return "0x" (h == "" ? "0" : h)
	}
	$2 == n && $1 + 0 <= t + 0 { v = $3 }
	END { print hex(v) }' "$tmp/back.txt"
}
fail=0
check() {
	got=$(value "$1" "$2")
	if [ "$got" != "$3" ]; then
		echo "FAIL: $1 at cycle $2 is $got, expected $3"
		fail=1
	fi
}
#     signal        cycle           value
check asleep        2               0x0
check asleep        3               0x1          # WFI at 1, latency.wfi = 2
check asleep        999999999999    0x1
check in_flight     1000000000000   0x1          # raised at 10^12, propagation 7
check pending       1000000000006   0x0
check pending       1000000000007   0x1
check asleep        1000000000007   0x0          # woken
check exc_taken     1000000000007   0x0
check exc_taken     1000000000008   0x1          # entry at 10^12 + 8
check exc_taken     1000000000009   0x0
check exc_vector    1000000000008   0x10380      # VBAR_EL1 + 0x380
check exc_count     1000000000008   0x1
check ESR_EL1       1000000000007   0x0
check ESR_EL1       1000000000008   0xbe000c11
check PSTATE_EL     1000000000008   0x1
check PSTATE_A      0               0x0
check PSTATE_A      1000000000008   0x1          # masked by the entry
check pending       1000000000008   0x0          # taken
check pc            1000000000009   0x10384

# The last timestamp is the stop cycle.
last=$(grep '^#' "$tmp/back.vcd" | tail -1)
[ "$last" = "#1000000000010" ] || { echo "FAIL: last timestamp $last, expected #1000000000010"; fail=1; }
n1=$(wc -l <"$tmp/in.txt")

# An ESB deferring a vSError into VDISR_EL2 after a migration, with the
# GTKWave save file.
scn=$src/scenarios/migration/hazard-hidden-ras-esb-consumes-vserror.scn
"$serrsim" run --vcd "$tmp/in.vcd" --gtkw "$tmp/in.gtkw" "$scn" >"$tmp/report.txt"
roundtrip
check VSESR_EL2     1               0x0
check VSESR_EL2     2               0x1000000    # IDS=1: what a v8.0 source sends
check migration     1               0x0
check migration     2               0x1          # migrate at 2
check migration     3               0x0
check set_event     2               0x0
check vmop_count    2               0x1
check host          1               0x0
check host          2               0x1          # now on host B
check VDISR_EL2     2               0x0
check VDISR_EL2     3               0x81000000   # the ESB defers it
check HCR_EL2_VSE   3               0x0
check ISR_EL1       0               0x100        # ISR_EL1.A: the vSError is pending
check ISR_EL1       3               0x0
# The save file: every signal of the VCD, each once, in groups.
grep -q "^\[dumpfile\] \"$tmp/in.vcd\"$" "$tmp/in.gtkw" || { echo "FAIL: no dumpfile line in the .gtkw file"; fail=1; }
awk '$1 == "$var" { print $5 }' "$tmp/in.vcd" | sort >"$tmp/vars.txt"
grep '^pe\.' "$tmp/in.gtkw" | sed 's/^pe\.//; s/\[.*//' | sort >"$tmp/gtkw.txt"
cmp -s "$tmp/vars.txt" "$tmp/gtkw.txt" || { echo "FAIL: the .gtkw signals differ from the VCD's:"; diff "$tmp/vars.txt" "$tmp/gtkw.txt"; fail=1; }
[ "$(grep -c '^@800200$' "$tmp/in.gtkw")" = "$(grep -c '^@1000200$' "$tmp/in.gtkw")" ] || { echo "FAIL: unbalanced groups in the .gtkw file"; fail=1; }
"$serrsim" run --gtkw "$tmp/x.gtkw" "$scn" >/dev/null 2>&1 && { echo "FAIL: --gtkw without --vcd accepted"; fail=1; }

# RAS error records (RAS spec ERR<n>STATUS): record 1 records an
# uncorrected error (UET=UER) at 10, record 0 one (UET=UEO) at 12; ERRSELR_EL1
# selects record 1 from the fourth instruction on.
scn=$src/scenarios/conformance/ras-record-traces-serror.scn
"$serrsim" run --vcd "$tmp/in.vcd" --gtkw "$tmp/in.gtkw" "$scn" >"$tmp/report.txt"
roundtrip
check ERR1STATUS    9               0x0
check ERR1STATUS    10              0x70300000   # V, UE, ER, UET=UER
check ERR0STATUS    11              0x0
check ERR0STATUS    12              0x70200000   # V, UE, ER, UET=UEO
check ras_error     10              0x1
check ras_error     11              0x0
check ras_error     12              0x1
check ERRSELR_EL1   9               0x1

# Physical IRQ lines (model/irq.c): with ras_eri = irq on line 5, the error
# recovery interrupt of the error at 5 asserts line 5 (bit 5) until the
# handler clears the record.
scn=$src/scenarios/conformance/ras-eri-irq-line-taken.scn
"$serrsim" run --vcd "$tmp/in.vcd" "$scn" >"$tmp/report.txt"
roundtrip
check irq_lines     4               0x0
check irq_lines     5               0x20
check fiq_lines     5               0x0
check irq_lines     9               0x0          # the handler cleared the record
grep -q '^-RAS error records$' "$tmp/in.gtkw" || { echo "FAIL: no RAS group in the .gtkw file"; fail=1; }
grep -q '^pe\.ERR1STATUS\[63:0\]$' "$tmp/in.gtkw" || { echo "FAIL: ERR1STATUS not in the .gtkw file"; fail=1; }
grep -q 'ERR2STATUS' "$tmp/in.vcd" && { echo "FAIL: a record the scenario does not declare is in the VCD"; fail=1; }

[ $fail = 0 ] && echo "PASS: VCD survives vcd2fst/fst2vcd ($n1 and $(wc -l <"$tmp/in.txt") value changes), .gtkw with every signal"
exit $fail
