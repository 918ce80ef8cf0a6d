#!/bin/sh
# check-output.sh SERRSIM SERRSIM_SC DIR...: serrsim-sc prints what
# 'serrsim check' prints (stdout, byte for byte) and exits with the same
# status, and its stderr holds no SystemC banner or info message.
set -u
c=$1 sc=$2
shift 2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$c" check "$@" >"$tmp/c.out" 2>"$tmp/c.err"
rc_c=$?
"$sc" "$@" >"$tmp/sc.out" 2>"$tmp/sc.err"
rc_sc=$?
fail=0
if ! cmp -s "$tmp/c.out" "$tmp/sc.out"; then
	echo "stdout differs:"
	diff "$tmp/c.out" "$tmp/sc.out" | head -20
	fail=1
fi
if [ "$rc_c" != "$rc_sc" ]; then
	echo "exit status differs: serrsim check $rc_c, serrsim-sc $rc_sc"
	fail=1
fi
if grep -q -e SystemC -e 'Info:' "$tmp/sc.err" "$tmp/sc.out"; then
	echo "SystemC banner or report in the output:"
	grep -e SystemC -e 'Info:' "$tmp/sc.err" "$tmp/sc.out" | head -5
	fail=1
fi
[ $fail = 0 ] && echo "identical: $(tail -1 "$tmp/c.out") (exit $rc_c)"
exit $fail
