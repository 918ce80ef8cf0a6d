#!/bin/sh
# serrsim check --tap and --junit: a TAP 13 stream with a plan and one line
# per scenario (a failure with its YAML block), and a JUnit file with one
# testcase per scenario and one failure per failed expectation.  Run from the
# source tree root:  sh tests/check-testfmt.sh path/to/serrsim
serrsim=${1:?usage: check-testfmt.sh SERRSIM}
case "$serrsim" in /*) ;; *) serrsim=$(pwd)/$serrsim ;; esac
src=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/serrsim-testfmt.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work" || exit 2
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

cp "$src/scenarios/examples/"*.scn .
sed 's/X1 == 3/X1 == 4/' vserror-el1h-walkthrough.scn >failing.scn
sed -i 's/^scenario: .*/scenario: failing/' failing.scn
printf 'scenario: bad\n[cpu]\nnope = 1\n' >bad.scn
n=$(ls *.scn | wc -l)

"$serrsim" check --tap . >tap.txt 2>/dev/null
[ $? -eq 2 ] || fail "--tap: exit status, expected 2 (a malformed scenario)"
head -n 2 tap.txt | tr '\n' ' ' | grep -q "^TAP version 13 1\.\.$n " || fail "--tap: no 'TAP version 13' and plan 1..$n"
[ "$(grep -cE '^(not )?ok [0-9]+ - ' tap.txt)" -eq "$n" ] || fail "--tap: not one result line per scenario"
grep -q '^not ok [0-9]* - failing$' tap.txt || fail "--tap: the failing scenario is not 'not ok'"
grep -q '    - expectation: "\(\./\)\{0,1\}failing.scn:[0-9]*: \[expect\] X1 == 4"' tap.txt || fail "--tap: no YAML block naming the expectation"
grep -q '      expected: "0x4"' tap.txt && grep -q '      actual: "0x3"' tap.txt || fail "--tap: the YAML block lacks both values"
grep -q '^not ok [0-9]* - bad$' tap.txt || fail "--tap: the malformed scenario is not 'not ok'"

"$serrsim" check --junit out.xml . >/dev/null 2>&1
[ $? -eq 2 ] || fail "--junit: exit status, expected 2"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$n" <<'PY' || fail "--junit: the XML does not hold what it should"
import sys, xml.dom.minidom as m
d = m.parse("out.xml")
cases = d.getElementsByTagName("testcase")
assert len(cases) == int(sys.argv[1]), len(cases)
for c in cases:
    float(c.getAttribute("time"))
fails = [f.getAttribute("message") for f in d.getElementsByTagName("failure")]
assert fails == ["[expect] X1 == 4"], fails
assert len(d.getElementsByTagName("error")) == 1
PY
fi
"$serrsim" check --junit failing.scn failing.scn >/dev/null 2>&1
[ $? -eq 2 ] || fail "--junit onto the input scenario is not refused"
grep -q "^scenario: failing" failing.scn || fail "--junit overwrote its input"

# check --json: the configuration as typed values, not text (docs/cli.md
# "--json"): features and on/off knobs booleans, enumerations their
# spelling, counts numbers, syndromes and 64-bit knobs hex strings.
"$serrsim" check --json vserror-el1h-walkthrough.scn >out.json 2>/dev/null
if command -v python3 >/dev/null 2>&1; then
	python3 - <<'PY' || fail "--json: the config object is not typed"
import json, re
c = json.load(open("out.json"))["scenarios"][0]["config"]
assert c["ras"] is True and c["double_fault2"] is False, (c["ras"], c["double_fault2"])
assert c["merge"] == "one-at-a-time", c["merge"]
assert type(c["latency.nop"]) is int and type(c["ras_records"]) is int
for k in ("noras_vserror_iss", "merge_impdef_iss", "midr", "max_cycles"):
    assert re.fullmatch(r"0x[0-9a-f]+", c[k]), (k, c[k])
assert all(" " not in k for k in c)
PY
fi
[ "$fails" -eq 0 ] && echo "check --tap, --junit and --json: ok"
[ "$fails" -eq 0 ]
