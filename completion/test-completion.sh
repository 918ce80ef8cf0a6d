#!/bin/bash
# test-completion.sh SERRSIM COMPLETION: source the bash completion and
# check a few completions through COMP_WORDS/COMP_CWORD/COMPREPLY, without
# the bash-completion package (its _init_completion is not needed).
serrsim=$1
source "$2" || { echo "FAIL: cannot source $2"; exit 1; }
fail=0
# expect "WORDS..." WANTED...: complete the last word; each WANTED must be offered
# ("!X": X must not be).
expect() {
	local line=$1; shift
	read -ra COMP_WORDS <<<"$line"
	[[ $line == *' ' ]] && COMP_WORDS+=("")
	COMP_WORDS[0]=$serrsim
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_serrsim
	local w got=" ${COMPREPLY[*]} "
	for w in "$@"; do
		if [[ $w == !* ]]; then
			[[ $got == *" ${w#!} "* ]] && { echo "FAIL '$line': '${w#!}' offered:$got"; fail=1; }
		else
			[[ $got == *" $w "* ]] || { echo "FAIL '$line': '$w' not offered:$got"; fail=1; }
		fi
	done
}
expect "serrsim " run check explore migrate-matrix diff-qemu export knobs regs decode
expect "serrsim mi" migrate-matrix !run
expect "serrsim check --j" --json --junit !--vcd
expect "serrsim run --" --vcd --gtkw --trace-json --html --json --profile --define !--tap
expect "serrsim explore --" --policy --format --enumerate --shard --merge --quiet
expect "serrsim migrate-matrix -" --format --quiet -D
expect "serrsim diff-qemu --" --min-agree --keep --verbose
expect "serrsim run -D merg" merge=
expect "serrsim check -D " ras= vinject= el2=
expect "serrsim check -P " qemu-7.2 qemu-7.2-v8.0
expect "serrsim run --profile qemu-7.2-" qemu-7.2-v8.0 !qemu-7.2
expect "serrsim decode ESR_E" ESR_EL1 ESR_EL2 !DISR_EL1
expect "serrsim decode vsesr" VSESR_EL2
expect "serrsim regs " HCR_EL2 SCR_EL3 VDISR_EL2
expect "serrsim decode ESR_EL1 " !ESR_EL1
expect "serrsim explore --format " text csv json
expect "serrsim help " run decode
[ $fail = 0 ] && echo "PASS: bash completion"
exit $fail
