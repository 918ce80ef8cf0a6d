#!/bin/sh
# update-corpus.sh - refresh the committed seed corpus fuzz/corpus/ from the
# scenario suites (scenarios/**/*.scn) and the malformed-input corpus
# (tests/malformed/*.scn).  Each seed is named after its source path
# (scenarios/conformance/x.scn -> conformance__x.scn).
set -eu
cd "$(dirname "$0")/.."
rm -rf fuzz/corpus
mkdir -p fuzz/corpus
find scenarios tests/malformed -name '*.scn' | LC_ALL=C sort | while read -r f; do
	case $f in
	scenarios/*) name=$(printf '%s' "${f#scenarios/}" | sed 's|/|__|g') ;;
	*) name=malformed__$(basename "$f") ;;
	esac
	cp "$f" "fuzz/corpus/$name"
done
echo "fuzz/corpus: $(ls fuzz/corpus | wc -l) seeds, $(du -sk fuzz/corpus | cut -f1) KiB"
