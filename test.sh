#!/bin/sh
# test.sh - build and run every test (docs/testing.md).  Run ./setup.sh once before.
#
#   1. normal build in $BUILD_DIR (default build/), then ctest: unit suites,
#      scenario suites, malformed and hostile inputs, docs checks, random
#      invariant tests; then Debug and Release builds with -Werror (compile
#      only);
#   2. the same build and tests with AddressSanitizer and UndefinedBehavior-
#      Sanitizer in $BUILD_DIR-asan; any sanitizer report or leak fails;
#   3. $FUZZ_SECONDS (default 30) of libFuzzer per target: the scenario parser and run
#      path in $BUILD_DIR-fuzz (needs clang and libclang-rt-14-dev); any
#      crash, leak or timeout fails.
#
#   SERRSIM_QUICK=1 ./test.sh     step 1 only, for quick local iteration
#   FUZZ_SECONDS=0 ./test.sh      steps 1 and 2
set -eu
cd "$(dirname "$0")"
BUILD_DIR=${BUILD_DIR:-build}
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
jobs=$(nproc)
start=$(date +%s)

step() { echo; echo "=== test.sh: $* ($(($(date +%s) - start)) s)"; }

step "1/3 normal build: $BUILD_DIR"
[ -f "$BUILD_DIR/CMakeCache.txt" ] || cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSERRSIM_WERROR=ON
cmake --build "$BUILD_DIR" -j"$jobs"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$jobs"

if [ "${SERRSIM_QUICK:-0}" != 0 ]; then
	step "SERRSIM_QUICK: Debug build, sanitizer build and fuzzing skipped"
	exit 0
fi

# The compiler warns about different things at -O0, -O2 and -O3: every
# build type is warning-free (-Werror).  These builds only compile.
for type in Debug Release; do
	dir=$BUILD_DIR-$(echo "$type" | tr 'A-Z' 'a-z')
	step "1b $type build with -Werror: $dir"
	[ -f "$dir/CMakeCache.txt" ] || cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=$type -DSERRSIM_WERROR=ON
	cmake --build "$dir" -j"$jobs"
done

step "2/3 sanitizer build (ASan+UBSan, leaks fail): $BUILD_DIR-asan"
[ -f "$BUILD_DIR-asan/CMakeCache.txt" ] || cmake -S . -B "$BUILD_DIR-asan" \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSERRSIM_WERROR=ON -DSERRSIM_SANITIZE=ON
cmake --build "$BUILD_DIR-asan" -j"$jobs"
# Check runs each test in a forked child: a sanitizer report there makes the
# child exit non-zero, which Check counts as a failed test.  Not here:
# the install.* tests (programs built without the sanitizers cannot link the
# instrumented libraries; they run in step 1), and detect_stack_use_after_return
# (SystemC's coroutine stacks defeat it).
ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:strict_string_checks=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ctest --test-dir "$BUILD_DIR-asan" --output-on-failure -j"$jobs" -LE '^install$'

if [ "$FUZZ_SECONDS" = 0 ]; then
	step "3/3 fuzzing skipped (FUZZ_SECONDS=0)"
elif command -v clang >/dev/null 2>&1 &&
	[ -f "$(clang --print-runtime-dir 2>/dev/null)/libclang_rt.fuzzer-$(uname -m).a" ]; then
	step "3/3 fuzzing, $FUZZ_SECONDS s per target: $BUILD_DIR-fuzz"
	BUILD_DIR="$BUILD_DIR-fuzz" sh fuzz/run.sh "$FUZZ_SECONDS"
elif [ -n "${CI:-}" ]; then
	echo "test.sh: clang's libFuzzer runtime is missing (apt-get install clang libclang-rt-14-dev)" >&2
	exit 1
else
	step "3/3 fuzzing skipped: clang's libFuzzer runtime is not installed (./setup.sh installs it)"
fi
step "all tests passed"
