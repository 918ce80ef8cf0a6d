#!/bin/sh
# run.sh BUILD_DIR CONSUMER_DIR HAVE_SYSTEMC: install BUILD_DIR into a
# temporary prefix, then build the consumer there with find_package(serrsim)
# and with pkg-config, and run it (C API; the SystemC module too when
# HAVE_SYSTEMC is ON).
set -eu
build=$1 src=$2 sc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log"
echo "== installed into a temporary prefix:"
(cd "$prefix" && find . -type f | sort)

echo "== find_package(serrsim)"
cmake -S "$src" -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/configure.log"
cmake --build "$tmp/cmake" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
"$tmp/cmake/consumer"
case $sc in ON|on|1|TRUE|true)
	[ -x "$tmp/cmake/consumer_sc" ] || { echo "consumer_sc not built: serrsim::systemc missing"; exit 1; }
	"$tmp/cmake/consumer_sc" ;;
esac

echo "== pkg-config"
libdir=$(sed -n 's/^libdir=\${prefix}\///p' "$prefix"/lib*/pkgconfig/serrsim.pc "$prefix"/lib/*/pkgconfig/serrsim.pc 2>/dev/null | head -1)
PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
export PKG_CONFIG_PATH
echo "pkg-config --cflags --libs serrsim: $(pkg-config --cflags --libs serrsim)"
${CC:-cc} -std=c11 -o "$tmp/consumer_pc" "$src/consumer.c" $(pkg-config --cflags --libs serrsim)
"$tmp/consumer_pc"
case $sc in ON|on|1|TRUE|true)
	echo "pkg-config --cflags --libs serrsim-systemc: $(pkg-config --cflags --libs serrsim-systemc)"
	${CXX:-c++} -std=c++17 -o "$tmp/consumer_sc_pc" "$src/consumer_sc.cc" \
		$(pkg-config --cflags --libs serrsim-systemc)
	"$tmp/consumer_sc_pc" ;;
esac
echo "ok"
