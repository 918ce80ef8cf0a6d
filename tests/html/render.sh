#!/bin/sh
# render.sh SERRSIM SRCDIR OUTDIR - the HTML pages (run --html, explore
# --html, migrate-matrix --html) rendered in headless Chromium: the DOM
# Chromium builds has the expected rows and marks (as many SError marks as
# the run's ledger has conditions, as many exception and ESB marks as the
# run counts, one table row per scenario, highlighted cells where policies
# differ), no page refers to any external resource, and a screenshot of
# each is left in OUTDIR as a test artifact.  Exit 77 (skipped) when
# chromium is not installed, except under CI (CI set): then it fails.
set -eu
serrsim=$1
src=$2
out=$3
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
	if [ -n "${CI:-}" ]; then
		echo "FAIL: chromium not found (CI is set: it must be installed)"
		exit 1
	fi
	echo "chromium not found: skipped"
	exit 77
fi
command -v python3 >/dev/null 2>&1 || { echo "python3 not found: skipped"; exit 77; }
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# One rendering: the DOM on stdout of chromium --dump-dom, then a screenshot.
render() {	# PAGE NAME
	for mode in dom shot; do
		profile=$(mktemp -d "$tmp/profile.XXXXXX")
		set -- "$1" "$2" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--user-data-dir="$profile" --run-all-compositor-stages-before-draw \
			--virtual-time-budget=1000
		page=$1 name=$2
		shift 2
		if [ $mode = dom ]; then
			timeout 120 "$chromium" "$@" --dump-dom "file://$page" >"$tmp/$name.dom" 2>"$tmp/$name.err" ||
				{ cat "$tmp/$name.err"; echo "FAIL $name: chromium --dump-dom failed"; exit 1; }
		else
			rm -f "$out/$name.png"
			timeout 120 "$chromium" "$@" --screenshot="$out/$name.png" --window-size=1400,900 \
				"file://$page" >/dev/null 2>"$tmp/$name.err" || true
			[ -s "$out/$name.png" ] || { cat "$tmp/$name.err"; echo "FAIL $name: no screenshot"; exit 1; }
		fi
		set -- "$page" "$name"
	done
	# Self-contained: no script, no link, no image or style from elsewhere.
	if grep -qiE '<script|<link|<img|<iframe|src=|href=|url\([^#]|@import' "$page"; then
		echo "FAIL $name: the page refers to an external resource or has a script"
		exit 1
	fi
	echo "ok   $name rendered ($out/$name.png)"
}

# DOM checks in Python's html.parser: count elements by tag and class.
cat >"$tmp/count.py" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.els = []
    def handle_starttag(self, tag, attrs):
        self.els.append((tag, set((dict(attrs).get("class") or "").split()), dict(attrs)))
def load(path):
    p = P(); p.feed(open(path, encoding="utf-8").read()); return p.els
def count(els, tag, *classes):
    return sum(1 for t, c, a in els if t == tag and set(classes) <= c)
PY

# run --html: three scenarios with exceptions, an ESB, several SErrors, a migration.
for scn in examples/esb-defer-decode-walkthrough policies/three-pending-uer-ueu-ce \
	policies/vinject-masked-overwrite-drops \
	migration/mig-src-ras1-dst-ras0-esr1-masked-guestras1-qemu \
	conformance/ras-record-traces-serror; do
	name=run-$(basename "$scn")
	[ -f "$src/scenarios/$scn.scn" ] || { echo "FAIL: scenarios/$scn.scn missing"; exit 1; }
	"$serrsim" run --html "$tmp/$name.html" "$src/scenarios/$scn.scn" >/dev/null
	"$serrsim" run --json "$src/scenarios/$scn.scn" >"$tmp/$name.json"
	render "$tmp/$name.html" "$name"
	python3 - "$tmp/$name.dom" "$tmp/$name.json" "$name" "$tmp/count.py" <<'PY'
import json, sys
exec(open(sys.argv[4]).read())
els = load(sys.argv[1]); r = json.load(open(sys.argv[2]))["scenarios"][0]
name = sys.argv[3]
def check(what, got, want):
    assert got == want, f"{name}: {what}: {got} in the DOM, {want} expected"
check("svg timeline", count(els, "svg"), 1)
check("SError marks (ledger)", count(els, "g", "serror"), len(r["ledger"]))
for e in r["ledger"]:
    d = {"taken": "taken", "deferred": "deferred", "merged": "merged",
         "withdrawn": "withdrawn", "dropped": "lost", "lost": "lost",
         "handed-over": "merged"}.get(e["disposition"], "open")
    n = sum(1 for t, c, a in els if t == "g" and "serror" in c and a.get("data-seq") == str(e["id"]))
    assert n == 1 and any(t == "g" and {"serror", d} <= c and a.get("data-seq") == str(e["id"])
                          for t, c, a in els), f"{name}: SError #{e['id']} not drawn as {d}"
check("exception marks", count(els, "g", "mark", "exc"), r["exceptions"])
check("ESB marks", count(els, "g", "mark", "defer"), r["deferrals"])
nrec = r["config"]["ras_records"]
check("ledger table rows", sum(1 for t, c, a in els if t == "tr" and "row" in c) -
      len(r["expectations"]) - nrec, len(r["ledger"]))
check("record tables", count(els, "table") - 1 - (len(r["expectations"]) > 0),
      1 if nrec else 0)
if nrec:
    # RAS spec, the error record registers: each error a node records is a mark; here records 1
    # and 0 each record one uncorrected error that signals an SError.
    check("recorded-error marks", count(els, "g", "mark", "ras"), 2)
check("EL lanes", sum(1 for t, c, a in els if t == "text" and "lane" in c), 5)
titles = count(els, "title")
assert titles >= len(r["ledger"]) + r["exceptions"] + 1, f"{name}: {titles} hover titles"
if name.startswith("run-mig"):
    assert count(els, "g", "vmop") >= 1, f"{name}: no SET/migration mark"
PY
	echo "ok   $name: DOM has every SError, exception and ESB of the run"
done
# A long run (3000 exceptions, 3000 ERETs, 1000 ESBs, 2000 SErrors): the
# marks are capped and the page says so; a run of 10^12 cycles that sleeps
# through most of them is drawn with the idle stretch shortened.
"$serrsim" run --html "$tmp/run-long.html" "$src/bench/roundtrip.scn" >/dev/null
render "$tmp/run-long.html" run-long
python3 - "$tmp/run-long.dom" "$tmp/count.py" <<'PY'
import sys
exec(open(sys.argv[2]).read())
els = load(sys.argv[1])
marks = count(els, "g", "mark")
assert marks == 4000, f"run-long: {marks} marks drawn, the cap is 4000"
assert count(els, "p", "cap") == 1, "run-long: the page does not say that marks were left out"
assert count(els, "g", "serror") == 2000, "run-long: SErrors"
PY
"$serrsim" run --html "$tmp/run-sleep.html" "$src/scenarios/timing/wfi-sleep-1e12.scn" >/dev/null
render "$tmp/run-sleep.html" run-sleep
grep -q 'class="break"' "$tmp/run-sleep.dom" || { echo "FAIL run-sleep: no shortened idle stretch"; exit 1; }
echo "ok   long runs: marks capped (said on the page), idle stretches shortened"

grep -q 'DFSC=AsyncSError' "$tmp/run-three-pending-uer-ueu-ce.dom" ||
	{ echo "FAIL: no decoded syndrome in the hover titles"; exit 1; }

# explore --html: one row per scenario, highlighted cells where policies differ.
"$serrsim" explore -j 2 --policy all --html "$tmp/explore.html" "$src/scenarios/policies" >/dev/null
nscn=$(find "$src/scenarios/policies" -name '*.scn' | wc -l)
render "$tmp/explore.html" explore
python3 - "$tmp/explore.dom" "$nscn" "$tmp/count.py" <<'PY'
import sys
exec(open(sys.argv[3]).read())
els = load(sys.argv[1]); n = int(sys.argv[2])
rows = count(els, "tr", "row")
assert rows == n, f"explore: {rows} rows, {n} scenarios"
assert count(els, "tr", "differ") >= 1, "explore: no row where policies differ"
assert count(els, "td", "differ") >= 1, "explore: no highlighted cell"
assert count(els, "td", "na") >= 1, "explore: no not-applicable cell"
PY
echo "ok   explore: $nscn rows, differing cells highlighted"

# migrate-matrix --html: one row per cell.
"$serrsim" migrate-matrix --html "$tmp/matrix.html" "$src/scenarios/migration" >"$tmp/matrix.txt"
ncells=$(sed -n 's/^\([0-9]*\) cells:.*/\1/p' "$tmp/matrix.txt")
render "$tmp/matrix.html" migrate-matrix
python3 - "$tmp/migrate-matrix.dom" "$ncells" "$tmp/count.py" <<'PY'
import sys
exec(open(sys.argv[3]).read())
els = load(sys.argv[1]); n = int(sys.argv[2])
rows = count(els, "tr", "row")
assert rows == n, f"migrate-matrix: {rows} rows, {n} cells"
assert count(els, "td", "good") >= 1 and count(els, "td", "bad") >= 1, "migrate-matrix: verdicts"
PY
echo "ok   migrate-matrix: $ncells rows"

# An output may not be an input.
cp "$src/scenarios/examples/esb-defer-decode-walkthrough.scn" "$tmp/in.scn"
if "$serrsim" run --html "$tmp/in.scn" "$tmp/in.scn" 2>"$tmp/err"; then
	echo "FAIL: run --html accepted its input as the output"; exit 1
fi
cmp -s "$tmp/in.scn" "$src/scenarios/examples/esb-defer-decode-walkthrough.scn" ||
	{ echo "FAIL: run --html overwrote its input"; exit 1; }
grep -q "refusing to overwrite" "$tmp/err" || { cat "$tmp/err"; exit 1; }
echo "ok   run --html refuses to overwrite its input"
echo "all HTML pages render"
