#!/bin/sh
# gen-dict.sh - write a libFuzzer dictionary for scenario files on stdout,
# drawn from the sources so that it never goes stale:
#   - sysregs/sysregs.txt: every register, field and enumeration symbol;
#   - 'serrsim knobs': every knob name and each value it takes;
#   - the scenario grammar: section headers, header keys, directives,
#     operators and the words that the parser, assembler and name tables
#     compare against (string literals in scenario/*.c).
#
#   sh fuzz/gen-dict.sh SERRSIM [SRCDIR] > scenario.dict
set -eu
serrsim=${1:?usage: gen-dict.sh SERRSIM [SRCDIR]}
src=${2:-$(dirname "$0")/..}

{
	# Registers (and their lower-case spelling in mrs/msr), fields, enum symbols.
	awk '$1 == "Sysreg" || $1 == "Pseudo" { print $2; print tolower($2) }
	     $1 == "Field" { print $3 }
	     $1 ~ /^(0x|0b)?[0-9a-fA-F]+$/ && NF >= 2 && $2 !~ /^#/ { print $2 }' \
		"$src/sysregs/sysregs.txt"
	# Knobs and their values ("on|off", "edge|level", ...).
	"$serrsim" knobs | awk 'NR > 1 && $0 !~ /^[ \t]/ && NF >= 3 {
		print $1
		n = split($3, v, "|")
		for (i = 1; i <= n; i++) if (v[i] !~ /\.\./) print v[i]
	}'
	# Words the scenario library compares input against.
	cat "$src"/scenario/*.c | grep -o '"[A-Za-z_.][A-Za-z0-9_.-]*"' | tr -d '"'
	# Grammar that is not a single word.
	for t in '[cpu]' '[init]' '[code]' '[events]' '[expect]' '[expect exception 1]' \
		'[expect exception 2]' '[expect cycle 3]' 'scenario:' 'description:' 'rule:' \
		'tags:' '.vector' '.org' 'at ' 'at cycle ' 'policy=' 'x0' 'x30' 'w1' '#0x' \
		'0x' '0b' '==' '!=' '=' '*' ',' ':' '#' '.' '+' '-' '_' 'PSTATE.' 'ledger.' \
		'exceptions at ' 'VBAR_EL1 + 0x380' '1_000' '0xffffffffffffffff' \
		'0xfffffffffffffff0' '18446744073709551615' '18446744073709551616' '-1' \
		'latency.branch = 0' 'latency.nop = 0' 'exception_entry = 0' \
		'max_cycles = 0xffffffffffffffff' 'max_cycles = 0' 'at -1:' \
		'at 0xffffffffffffffff:' '{n in 0..65535}' '[host H]'; do
		printf '%s\n' "$t"
	done
} | awk 'length($0) > 0 && !seen[$0]++' |
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/.*/"&"/'
