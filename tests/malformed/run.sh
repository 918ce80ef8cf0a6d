#!/bin/sh
# Malformed scenarios: every tests/malformed/NAME.scn must make 'serrsim run'
# exit with status 2 and print, as its first line on stderr, exactly the line
# in NAME.err.  Run from the source tree root:
#   sh tests/malformed/run.sh path/to/serrsim
serrsim=${1:?usage: run.sh SERRSIM}
dir=tests/malformed
tmp=${TMPDIR:-/tmp}/serrsim-malformed.$$
trap 'rm -f "$tmp"' EXIT INT TERM
fails=0
total=0
for scn in "$dir"/*.scn; do
	name=${scn%.scn}
	total=$((total + 1))
	if [ ! -f "$name.err" ]; then
		echo "MISSING $name.err"
		fails=$((fails + 1))
		continue
	fi
	"$serrsim" run "$scn" >/dev/null 2>"$tmp" </dev/null
	status=$?
	expected=$(cat "$name.err")
	actual=$(head -n 1 "$tmp")
	if [ "$status" -ne 2 ]; then
		echo "FAIL $scn: exit status $status, expected 2"
		fails=$((fails + 1))
	elif [ "$actual" != "$expected" ]; then
		echo "FAIL $scn"
		echo "  expected: $expected"
		echo "  actual:   $actual"
		fails=$((fails + 1))
	else
		echo "ok   $scn"
	fi
done
echo "$((total - fails)) of $total malformed scenarios rejected as expected"
[ "$fails" -eq 0 ]
