#!/bin/sh
# One run with 100,000 timed SErrors and 2,000 PC-triggered ones (more than
# the PE's own event storage, SS_MAX_EVENTS): the scenario loads, every
# SError is taken, in order.  $1 = serrsim, $2 = number of timed SErrors.
set -eu
S=$1; N=${2:-100000}; P=2000
T=$(mktemp -d "${TMPDIR:-/tmp}/serrsim-scale.XXXXXX"); trap 'rm -rf "$T"' EXIT
awk -v n="$N" -v p="$P" 'BEGIN {
	print "scenario: many-events"
	print "description: " n " timed SErrors and " p " PC-triggered ones in one run"
	print "tags: scale"
	print "\n[cpu]\nmax_cycles = 100000000"
	print "\n[init]\nPSTATE.EL = 1\nPSTATE.SP = 1\nPSTATE.A = 0"
	print "\n[code]\nstart:\n    mov x2, #" n + p "\nloop:\n    cmp x1, x2\n    b.ne loop\n    end"
	print "\n.vector EL1 curr_spx serror\n    add x1, x1, #1\n    eret"
	print "\n[events]"
	for (i = 0; i < n; i++)
		printf "at %d: serror\n", 100 + 10 * i
	for (i = 0; i < p; i++)
		print "at loop: serror"
	print "\n[expect]\nexceptions == " n + p "\nstop == end\nledger.taken == " n + p
}' > "$T/many.scn"
"$S" check "$T/many.scn"
