#!/bin/sh
# The 'serrsim check' commands of docs/qemu.md's first sh block run as
# written (build/cli/serrsim replaced by the serrsim under test) and exit 0.
# The QEMU commands of the block are checked by qemu.diff.  Run from the
# source tree root:  sh tests/check-qemu-docs.sh path/to/serrsim
serrsim=${1:?usage: check-qemu-docs.sh SERRSIM}
cmds=$(awk '/^```sh$/ { n++; inblock = n == 1; next } /^```/ { inblock = 0 } inblock' docs/qemu.md |
	grep '^build/cli/serrsim check ' | sed 's/ *#.*//')
[ -n "$cmds" ] || { echo "FAIL: no check command found in docs/qemu.md"; exit 1; }
fail=0
printf '%s\n' "$cmds" | while read -r cmd; do
	out=$(eval "\"$serrsim\" ${cmd#build/cli/serrsim }" 2>&1)
	rc=$?
	if [ $rc != 0 ]; then
		echo "FAIL ($rc): $cmd"
		printf '%s\n' "$out" | grep FAIL | head -5
		exit 1
	fi
	echo "ok   $cmd: $(printf '%s\n' "$out" | tail -1)"
done || fail=1
exit $fail
