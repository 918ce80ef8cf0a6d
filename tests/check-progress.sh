#!/bin/sh
# The progress line of check, explore and migrate-matrix (docs/cli.md,
# "Progress"): forced on with SERRSIM_PROGRESS=1 it is on standard error
# only, "\rCMD: N/TOTAL UNIT P% S s" redrawn, ending with TOTAL/TOTAL 100%
# and a newline; off with --quiet and when standard error is not a terminal.
# Run from the source tree root:  sh tests/check-progress.sh path/to/serrsim
serrsim=${1:?usage: check-progress.sh SERRSIM}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
# shape CMD UNIT TOTAL FILE: every redraw well formed, the last complete.
shape() {
	tr '\r' '\n' <"$4" | sed '/^$/d' >"$tmp/lines"
	bad=$(grep -Evc "^$1: [0-9]+/$3 $2 [0-9]+% [0-9]+\\.[0-9] s\$" "$tmp/lines")
	last=$(tail -1 "$tmp/lines")
	if [ "$bad" != 0 ] || ! printf '%s' "$last" | grep -Eq "^$1: $3/$3 $2 100% " ||
		[ "$(tail -c 1 "$4" | od -An -c | tr -d ' ')" != '\n' ] ||
		[ "$(head -c 1 "$4" | od -An -c | tr -d ' ')" != '\r' ]; then
		echo "FAIL $1: progress output not as expected:"; od -c "$4" | head -10; fail=1
	else
		echo "ok   $1 ($(wc -l <"$tmp/lines") redraws)"
	fi
}
n=$(find scenarios/examples -name '*.scn' | wc -l)
SERRSIM_PROGRESS=1 "$serrsim" check scenarios/examples >"$tmp/out" 2>"$tmp/err"
shape check scenarios "$n" "$tmp/err"
"$serrsim" check scenarios/examples >"$tmp/out2" 2>"$tmp/err2"
cmp -s "$tmp/out" "$tmp/out2" || { echo "FAIL check: standard output changed by the progress line"; fail=1; }
[ -s "$tmp/err2" ] && { echo "FAIL check: progress without a terminal"; fail=1; }
SERRSIM_PROGRESS= "$serrsim" check --quiet scenarios/examples >/dev/null 2>"$tmp/err3"
[ -s "$tmp/err3" ] && { echo "FAIL check --quiet: progress shown"; fail=1; }
m=$(find scenarios/migration -name '*.scn' | wc -l)
SERRSIM_PROGRESS=1 "$serrsim" migrate-matrix scenarios/migration >/dev/null 2>"$tmp/err4"
shape migrate-matrix scenarios "$m" "$tmp/err4"
SERRSIM_PROGRESS=1 "$serrsim" explore -j 2 scenarios/examples >/dev/null 2>"$tmp/err5"
shape explore runs '[0-9]+' "$tmp/err5"
# On a terminal (script(1) gives one), without the variable: shown, and gone with -q.
if command -v script >/dev/null 2>&1; then
	script -qec "'$serrsim' check scenarios/examples >/dev/null" /dev/null >"$tmp/tty" 2>&1
	grep -q "check: $n/$n scenarios 100%" "$tmp/tty" || { echo "FAIL check: no progress on a terminal"; fail=1; }
	script -qec "'$serrsim' check -q scenarios/examples >/dev/null" /dev/null >"$tmp/tty2" 2>&1
	grep -q "check:" "$tmp/tty2" && { echo "FAIL check -q: progress on a terminal"; fail=1; }
fi
[ $fail = 0 ] && echo "PASS: progress lines"
exit $fail
