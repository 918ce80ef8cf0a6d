#!/bin/sh
# Every command has its own help ('serrsim COMMAND --help', 'serrsim help
# COMMAND', the same text), and every option it lists is described in
# docs/cli.md.  Run from the source tree root:
#   sh tests/check-help.sh path/to/serrsim
serrsim=${1:?usage: check-help.sh SERRSIM}
doc=docs/cli.md
fails=0
total=0
for cmd in run check explore migrate-matrix diff-qemu export knobs regs decode; do
	total=$((total + 1))
	a=$("$serrsim" "$cmd" --help) || { echo "FAIL $cmd --help: exit status $?"; fails=$((fails + 1)); continue; }
	b=$("$serrsim" help "$cmd")
	if [ "$a" != "$b" ]; then
		echo "FAIL $cmd: 'serrsim $cmd --help' and 'serrsim help $cmd' differ"
		fails=$((fails + 1))
		continue
	fi
	case "$a" in "usage: serrsim $cmd"*) ;; *)
		echo "FAIL $cmd: its help does not start with 'usage: serrsim $cmd'"
		fails=$((fails + 1))
		continue ;;
	esac
	missing=""
	for opt in $(printf '%s\n' "$a" | grep -oE '(^|[ [,])--?[A-Za-z][A-Za-z-]*' | sed 's/^[ [,]*//' | sort -u); do
		grep -qF -- "$opt" "$doc" || missing="$missing $opt"
	done
	if [ -n "$missing" ]; then
		echo "FAIL $cmd: options not in $doc:$missing"
		fails=$((fails + 1))
	else
		echo "ok   $cmd"
	fi
done
echo "$((total - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
