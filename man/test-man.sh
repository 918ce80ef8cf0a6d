#!/bin/sh
# test-man.sh SERRSIM SERRSIM.1 SERRSIM-SCENARIO.5: man(1) renders both
# pages without a troff error, serrsim(1) names every command and every
# option of every command's help, serrsim-scenario(5) every section of
# docs/scenario-format.md.  77 (skipped) without man.
serrsim=$1
p1=$2
p5=$3
command -v man >/dev/null 2>&1 || { echo "man not found (install man-db): skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
MANWIDTH=100 man -l "$p1" 2>"$tmp/err1" | col -bx >"$tmp/1.txt"
MANWIDTH=100 man -l "$p5" 2>"$tmp/err5" | col -bx >"$tmp/5.txt"
for e in "$tmp/err1" "$tmp/err5"; do
	grep -v 'cannot adjust line' "$e" | grep . && { echo "FAIL: troff complained"; fail=1; }
done
grep -q '^SERRSIM(1)' "$tmp/1.txt" || { echo "FAIL: serrsim.1 has no SERRSIM(1) header"; fail=1; }
grep -q '^SERRSIM-SCENARIO(5)' "$tmp/5.txt" || { echo "FAIL: no SERRSIM-SCENARIO(5) header"; fail=1; }
for cmd in run check explore migrate-matrix diff-qemu export knobs regs decode; do
	grep -q "^   $cmd\$" "$tmp/1.txt" || { echo "FAIL: serrsim(1) has no subsection $cmd"; fail=1; }
	for opt in $("$serrsim" help "$cmd" | grep -oE '(^|[ [,])--?[A-Za-z][A-Za-z-]*' | sed 's/^[ [,]*//' | sort -u); do
		grep -qF -- "$opt" "$tmp/1.txt" || { echo "FAIL: serrsim(1) lacks $cmd $opt"; fail=1; }
	done
done
for k in $("$serrsim" knobs | awk 'NR > 1 && !/^ / { print $1 }'); do
	grep -qE "^       $k[[:blank:]]+=" "$tmp/1.txt" || { echo "FAIL: serrsim(1) lacks knob $k"; fail=1; }
done
grep '^## ' docs/scenario-format.md | sed 's/^## //; s/`//g' | while read -r h; do
	H=$(printf '%s' "$h" | tr '[:lower:]' '[:upper:]')
	grep -qF -- "$H" "$tmp/5.txt" || { echo "FAIL: serrsim-scenario(5) lacks section '$h'"; exit 1; }
done || fail=1
grep -q 'PSTATE.EL = 1' "$tmp/5.txt" || { echo "FAIL: the example is missing from serrsim-scenario(5)"; fail=1; }
[ $fail = 0 ] && echo "PASS: man pages render ($(wc -l <"$tmp/1.txt") and $(wc -l <"$tmp/5.txt") lines)"
exit $fail
