#!/bin/sh
# explore --shard I/N then --merge: the merged shards print exactly what the
# unsharded run prints (JSON, CSV and text; the same exit status).
# usage: shards.sh SERRSIM N ARGS...
R=$1; N=$2; shift 2
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
i=0
while [ "$i" -lt "$N" ]; do
	"$R" explore --shard "$i/$N" "$@" > "$dir/shard$i.json" 2>/dev/null
	[ $? -le 2 ] || { echo "shard $i/$N failed"; exit 1; }
	i=$((i + 1))
done
for fmt in json csv text; do
	"$R" explore --format "$fmt" "$@" > "$dir/all.$fmt" 2>&1; echo "exit $?" >> "$dir/all.$fmt"
	"$R" explore --merge --format "$fmt" "$dir"/shard*.json > "$dir/merged.$fmt" 2>&1
	echo "exit $?" >> "$dir/merged.$fmt"
	cmp "$dir/all.$fmt" "$dir/merged.$fmt" || { diff "$dir/all.$fmt" "$dir/merged.$fmt" | head -20; exit 1; }
done
echo "$N shards merged: identical to the unsharded run (json, csv, text)"
