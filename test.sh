#!/bin/sh
# test.sh - build (if needed) and run every test: unit suites, scenario
# suites, the malformed-input corpus.  Run ./setup.sh once before.
set -eu
cd "$(dirname "$0")"
BUILD_DIR=${BUILD_DIR:-build}
[ -f "$BUILD_DIR/CMakeCache.txt" ] || cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSERRSIM_WERROR=ON
cmake --build "$BUILD_DIR" -j"$(nproc)"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)"
