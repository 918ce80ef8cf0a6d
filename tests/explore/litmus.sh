#!/bin/sh
# litmus.sh SERRSIM SCENARIO: explore's verdicts on a scenario's final-state
# condition ([exists] / [forall], docs/scenario-format.md): the counts and
# Always / Sometimes / Never in text, CSV and JSON; the condition never makes
# check fail; [exists] and [forall] together are an error.
serrsim=$1
scn=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
want() {	# want WHAT EXPECTED ACTUAL
	[ "$2" = "$3" ] || { echo "FAIL $1: expected '$2', got '$3'"; fail=1; }
}
out=$("$serrsim" explore --enumerate "$scn" | grep '^condition ')
want "text exists" "condition litmus-ce-reported: exists: 7 of 20 runs satisfy it (4 variants x 5 policies): Sometimes (Ok)" "$out"
js=$("$serrsim" explore --enumerate --format json "$scn" | jq -c '.scenarios[0].condition')
want "json exists" '{"quantifier":"exists","runs":20,"satisfied":7,"verdict":"Sometimes","ok":true}' "$js"
n=$("$serrsim" explore --enumerate --format csv "$scn" | awk -F, 'NR == 1 { print $NF; next } { c[$NF]++ } END { print c["holds"] + 0, c["fails"] + 0 }' | tr '\n' ' ')
want "csv column" "condition 3 7 " "$n"	# rows are classes x policies
sed 's/^\[exists\]$/[forall]/' "$scn" >"$tmp/forall.scn"
out=$("$serrsim" explore --enumerate "$tmp/forall.scn" | grep '^condition ')
want "text forall" "condition litmus-ce-reported: forall: 7 of 20 runs satisfy it (4 variants x 5 policies): Sometimes (No)" "$out"
sed 's/^ESR_EL1.AET == CE$/ESR_EL1.AET == UEU/' "$scn" >"$tmp/never.scn"
js=$("$serrsim" explore --format json "$tmp/never.scn" | jq -c '.scenarios[0].condition | [.verdict, .ok]')
want "json never" '["Never",false]' "$js"
sed 's/^ESR_EL1.AET == CE$/ESR_EL1.EC == SError/' "$tmp/forall.scn" >"$tmp/always.scn"
js=$("$serrsim" explore --enumerate --format json "$tmp/always.scn" | jq -c '.scenarios[0].condition | [.verdict, .ok]')
want "json always" '["Always",true]' "$js"
"$serrsim" check "$tmp/never.scn" >/dev/null || { echo "FAIL: a condition no run satisfies made check fail"; fail=1; }
printf '\n[forall]\nX0 == 0\n' | cat "$scn" - >"$tmp/both.scn"
err=$("$serrsim" check "$tmp/both.scn" 2>&1 >/dev/null)
rc=$?
want "both status" 2 "$rc"
case "$err" in *"states one condition"*) ;; *) echo "FAIL both: message '$err'"; fail=1 ;; esac
[ $fail = 0 ] && echo "PASS: litmus-style verdicts"
exit $fail
