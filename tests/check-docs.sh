#!/bin/sh
# Every configuration knob the model has is documented in docs/model.md.
#   check-docs.sh SERRSIM DOCS_DIR
set -u
serrsim=$1 docs=$2
missing=0
for k in $("$serrsim" knobs | awk 'NR > 1 && /^[a-z]/ { print $1 }'); do
	if ! grep -q "\`$k\`" "$docs/model.md"; then
		echo "docs/model.md does not document knob '$k'"
		missing=$((missing + 1))
	fi
done
n=$("$serrsim" knobs | awk 'NR > 1 && /^[a-z]/' | wc -l)
[ "$n" -gt 20 ] || { echo "too few knobs listed ($n)"; exit 1; }
[ "$missing" = 0 ] && echo "all $n knobs documented"
# Every file docs/architecture.md names by its path (the "How to add" recipes)
# exists.
root=$(dirname "$docs")
for f in $(grep -oE '`[A-Za-z0-9_./-]+/[A-Za-z0-9_.-]+\.(c|h|cc|def|txt|md|awk|sh|cmake)`' "$docs/architecture.md" | tr -d '`' | sort -u); do
	if [ ! -e "$root/$f" ]; then
		echo "docs/architecture.md names '$f', which does not exist"
		missing=$((missing + 1))
	fi
done
exit "$missing"
