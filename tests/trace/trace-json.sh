#!/bin/sh
# trace-json.sh SERRSIM SRCDIR - check 'serrsim run --trace-json' with a real
# JSON parser (Python's json module): the file is one JSON array holding the
# same events as --trace, in the same order, with 64-bit values as hex
# strings and the right cycles.  Exit 77 (skipped) without python3.
set -eu
serrsim=$1
src=$2
command -v python3 >/dev/null 2>&1 || { echo "python3 not found: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

for scn in timing/wfi-sleep-1e12 timing/sysreg-sync-amo-context-sync examples/esb-defer-decode-walkthrough; do
	"$serrsim" run --trace --trace-json "$tmp/events.json" "$src/scenarios/$scn.scn" >"$tmp/trace.txt"
	python3 - "$tmp/events.json" "$tmp/trace.txt" "$scn" <<'PY'
import json, re, sys
path, trace, scn = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path) as f:
    events = json.load(f)                      # raises on invalid JSON
assert isinstance(events, list) and events, "not a non-empty array"
text = [l.split() for l in open(trace) if re.match(r"^\s*\d+  \S", l)]
assert len(text) == len(events), f"{len(events)} JSON events, {len(text)} trace lines"
HEX = re.compile(r"^0x[0-9a-f]+$")
HEX_KEYS = {"cycle", "pc", "iss", "raised", "visible_at", "vector", "offset", "elr", "spsr",
            "esr", "target", "value", "old"}
names = {"insn": "insn", "raise": "raise", "visible": "visible", "lower": "lower",
         "exception": "exception", "eret": "eret", "defer": "defer", "sysreg": "sysreg",
         "sleep": "sleep", "wake": "wake", "stop": "stop"}
for e, t in zip(events, text):
    for k in HEX_KEYS & e.keys():
        assert HEX.match(e[k]), f"{k} = {e[k]!r} is not a hex string"
    assert int(e["cycle"], 16) == int(t[0]), f"cycle {e['cycle']} vs trace {t[0]}"
    assert names.get(e["event"], "?") == t[1].rstrip(), f"event {e['event']} vs trace {t[1]}"
exc = [e for e in events if e["event"] == "exception"]
stop = events[-1]
assert stop["event"] == "stop" and stop["reason"] == "end", stop
if scn == "timing/wfi-sleep-1e12":
    assert exc[0]["cycle"] == hex(10**12 + 8) and exc[0]["cause"] == "pserror", exc
    assert exc[0]["esr"] == "0xbe000c11" and exc[0]["vector"] == "0x10380", exc
    assert stop["cycle"] == hex(10**12 + 10), stop
if scn == "timing/sysreg-sync-amo-context-sync":
    assert exc[0]["cycle"] == "0x7" and exc[0]["to_el"] == 2, exc
    msr = [e for e in events if e["event"] == "sysreg" and e["reg"] == "HCR_EL2"]
    assert msr[0]["cycle"] == "0x3" and msr[0]["value"] == "0x80000020", msr
if scn == "examples/esb-defer-decode-walkthrough":
    d = [e for e in events if e["event"] == "defer"]
    assert d[0]["reg"] == "DISR_EL1" and d[0]["value"] == "0x80000c11" and d[0]["cond"] == 0, d
print(f"PASS: {scn}: {len(events)} events")
PY
done
