#!/bin/sh
# coverage.sh - line and branch coverage of model/ and sysregs/ by the whole
# test suite (unit suites, scenario suites, malformed corpus, random tests).
#
#   scripts/coverage.sh            # text summary; HTML in build-cov/coverage/
#   BUILD_DIR=out scripts/coverage.sh
#
# Builds with gcc --coverage -O0 -fprofile-update=atomic in $BUILD_DIR (default build-cov), runs
# ctest there, then reports with gcovr (Debian package gcovr).  Exits non-zero
# when a test fails, or when model/ line coverage is under COV_MIN_MODEL
# percent (default 95; 0 disables the check).
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-cov}
min=${COV_MIN_MODEL:-95}
command -v gcovr >/dev/null || { echo "coverage: gcovr not found (apt-get install gcovr)" >&2; exit 1; }

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug -DSERRSIM_WERROR=OFF \
	-DCMAKE_C_FLAGS="--coverage -O0 -fprofile-update=atomic" -DCMAKE_CXX_FLAGS="--coverage -O0 -fprofile-update=atomic" \
	-DCMAKE_EXE_LINKER_FLAGS=--coverage >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" >/dev/null
find "$BUILD_DIR" -name '*.gcda' -delete
# The install.* tests link programs built without --coverage against the
# installed, instrumented libraries: left out here, as under the sanitizers.
ctest --test-dir "$BUILD_DIR" -j"$(nproc)" -LE '^install$' >"$BUILD_DIR/ctest.log" 2>&1 || {
	tail -n 30 "$BUILD_DIR/ctest.log" >&2
	echo "coverage: tests failed (log: $BUILD_DIR/ctest.log)" >&2
	exit 1
}
grep -E 'tests passed' "$BUILD_DIR/ctest.log"

# The generated sysregs_gen.c lives in the build tree and is data, not logic;
# CMake's compiler-identification objects are not ours.
cov() {
	gcovr --root . --object-directory "$BUILD_DIR" --exclude '.*_gen\.c' \
		--exclude-directories '.*/CMakeFiles/[0-9.]+$' "$@"
}
mkdir -p "$BUILD_DIR/coverage"
cov --filter model/ --filter sysregs/ --txt "$BUILD_DIR/coverage/lines.txt" \
	--html-details "$BUILD_DIR/coverage/index.html"
cov --filter model/ --filter sysregs/ --branches --txt "$BUILD_DIR/coverage/branches.txt"
cov --filter model/ --txt "$BUILD_DIR/coverage/model-lines.txt"
cov --filter model/ --branches --txt "$BUILD_DIR/coverage/model-branches.txt"

echo
echo "Line coverage (model/, sysregs/):"
sed -n '/^File/,$p' "$BUILD_DIR/coverage/lines.txt"
echo
echo "Branch coverage (model/, sysregs/):"
sed -n '/^File/,$p' "$BUILD_DIR/coverage/branches.txt"
echo
total() { awk '$1 == "TOTAL" { printf "%.1f%% (%d of %d)\n", $2 ? 100 * $3 / $2 : 100, $3, $2 }' "$1"; }
model=$(total "$BUILD_DIR/coverage/model-lines.txt")
echo "model/ lines:     $model"
echo "model/ branches:  $(total "$BUILD_DIR/coverage/model-branches.txt")"
echo "sysregs/ lines:   $(cov --filter sysregs/ --txt - | awk '$1 == "TOTAL" { printf "%.1f%% (%d of %d)", 100 * $3 / $2, $3, $2 }')"
model=${model%% *}
echo "HTML report: $BUILD_DIR/coverage/index.html"
if [ "$min" != 0 ] && awk -v c="$model" -v m="$min" 'BEGIN { exit !(c + 0 < m + 0) }'; then
	echo "coverage: model/ line coverage $model% is under $min%" >&2
	exit 1
fi
