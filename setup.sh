#!/bin/sh
# setup.sh - install what serrsim needs (Debian 12), configure, build, and
# run an example scenario.  Safe to run again: it installs only what is
# missing and rebuilds incrementally.
#
#   ./setup.sh            # as root, or as a user with sudo
#   BUILD_DIR=out ./setup.sh
set -eu
cd "$(dirname "$0")"
BUILD_DIR=${BUILD_DIR:-build}

# Debian packages: compiler and build tools, Check (unit tests), SystemC
# (co-simulation wrapper), jansson (JSON output), gtkwave (vcd2fst, to check
# VCD files), clang + its runtime (libFuzzer), gcovr (coverage), QEMU and the
# AArch64 cross compiler (differential tests against QEMU; ipxe-qemu holds the
# option ROM QEMU's virt machine loads, a recommended package of
# qemu-system-arm that --no-install-recommends would leave out), chromium
# (headless, renders the HTML reports in a test).
PKGS="build-essential cmake pkgconf mawk check libsubunit-dev libsystemc-dev libjansson-dev gtkwave clang libclang-rt-14-dev gcovr qemu-system-arm ipxe-qemu gcc-aarch64-linux-gnu man-db chromium"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing:$missing"
	if [ "$(id -u)" = 0 ]; then
		SUDO=""
	elif command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "setup: run as root, or install these packages first: apt-get install -y$missing" >&2
		exit 1
	fi
	$SUDO apt-get update -q
	# Only what is listed: recommended packages (desktop, drivers, GUI front
	# ends) are not needed to build or test.
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSERRSIM_WERROR=ON
cmake --build "$BUILD_DIR" -j"$(nproc)"

example=scenarios/examples/vserror-el1h-walkthrough.scn
if [ -x "$BUILD_DIR/cli/serrsim" ] && [ -f "$example" ]; then
	echo
	echo "setup: running $example"
	"$BUILD_DIR/cli/serrsim" run "$example"
	echo
	echo "setup: done.  Next: ./test.sh runs every test; $BUILD_DIR/cli/serrsim --help lists"
	echo "the commands; docs/scenario-format.md shows how to write a scenario."
fi
