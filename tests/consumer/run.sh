#!/bin/sh
# run.sh BUILD_DIR SOURCE_DIR TEST_DIR HAVE_SYSTEMC STEP: the install.* tests
# (cmake/install.cmake).  'tree' installs BUILD_DIR into TEST_DIR/prefix;
# every other step uses that tree, from TEST_DIR/STEP:
#   headers      a program with its own config.h and pe.h (myapp/) includes
#                every installed C header, built with a plain cc command line
#                and pkg-config; each header also compiles alone, as C and C++;
#                every macro the headers define is prefixed (SS_, SERRSIM_)
#   find_package find_package(serrsim) for a C-only project while SystemC's
#                pkg-config file is out of reach; COMPONENTS systemc then fails
#                cleanly, and with SystemC there it builds the SystemC consumer
#   symbols      nm: every global symbol of the C libraries is prefixed
#                (ss_, SS_, scn_, serrsim_), the SystemC library's are in serrsim::
#   api_example  docs/api.md shows tests/consumer/api_example.c verbatim; it
#                builds with pkg-config, runs, and prints what docs/api.md says
#   qemu_tool    the installed serrsim export finds the installed serrsim-qemu
set -eu
build=$1 root=$2 it=$3 sc=$4 step=$5
src=$root/tests/consumer
prefix=$it/prefix
CC=${CC:-cc} CXX=${CXX:-c++} NM=${NM:-nm}
case $sc in ON|on|1|TRUE|true|YES|yes) sc=1 ;; *) sc=0 ;; esac

if [ "$step" = tree ]; then
	rm -rf "$it"
	mkdir -p "$it"
	cmake --install "$build" --prefix "$prefix" >"$it/install.log"
	echo "== installed into $prefix:"
	(cd "$prefix" && find . -type f | sort)
	exit 0
fi

[ -d "$prefix" ] || { echo "no installed tree in $prefix (test install.tree)"; exit 1; }
work=$it/$step
rm -rf "$work"
mkdir -p "$work"
pcdir=$(dirname "$(find "$prefix" -name serrsim.pc | head -1)")
fail() { echo "FAIL: $*"; exit 1; }

case $step in
headers)
	# Only serrsim.pc is visible: it needs nothing else.
	PKG_CONFIG_LIBDIR=$pcdir
	PKG_CONFIG_PATH=
	export PKG_CONFIG_LIBDIR PKG_CONFIG_PATH
	flags=$(echo $(pkg-config --cflags serrsim))
	libs=$(echo $(pkg-config --libs serrsim))
	echo "pkg-config --cflags --libs serrsim: $flags $libs"
	# -I<prefix>/include, the parent of serrsim/: never include/serrsim itself.
	case $flags in -I*/include) ;; *) fail "Cflags are not -I<prefix>/include: $flags" ;; esac
	# Every installed C header (serrsim_pe.h is the SystemC module's, C++).
	hdrs=$(cd "$prefix/include/serrsim" && ls ./*.h | sed 's|^\./||' | grep -v '^serrsim_pe\.h$')
	[ -n "$hdrs" ] || fail "no header installed"
	echo "headers:" $hdrs
	# The application's headers on the include path, then serrsim's, then
	# the application's again: neither may stand for the other.
	{
		echo '#include <stdio.h>'
		echo '#include "config.h"'
		for h in $hdrs; do echo "#include <serrsim/$h>"; done
		echo '#include "pe.h"'
		echo '#ifndef MYAPP_VERSION'
		echo '#error "config.h is not the application'\''s"'
		echo '#endif'
		echo 'int main(void)'
		echo '{'
		echo '	struct pe mine = { .id = 1, .cfg = { .pes = CONFIG_PE_COUNT } };'
		echo '	struct ss_config cfg;'
		echo '	ss_config_default(&cfg);'
		echo '	struct ss_result res;'
		echo '	ss_result_init(&res);'
		echo '	printf("%s: %d PE(s), %d of its own; serrsim: %s, %zu knobs, ESR_EL1 is %s\\n", MYAPP_VERSION,'
		echo '	       myapp_pe_count(), mine.cfg.pes, ss_status_name(res.status), ss_num_knobs,'
		echo '	       ss_sysreg_by_name("esr_el1")->name);'
		echo '	return ss_config_check(&cfg) != NULL;'
		echo '}'
	} >"$work/all.c"
	# Every macro the headers define is prefixed (SS_, or SERRSIM_ for guards).
	printf '#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n' >"$work/std.c"
	cp "$work/std.c" "$work/macros.c"
	for h in $hdrs; do echo "#include <serrsim/$h>"; done >>"$work/macros.c"
	$CC -std=c11 -dM -E "$work/std.c" | sort >"$work/std.txt"
	$CC -std=c11 $flags -dM -E "$work/macros.c" | sort >"$work/macros.txt"
	bad=$(comm -13 "$work/std.txt" "$work/macros.txt" | awk '{ sub(/\(.*/, "", $2); print $2 }' |
		grep -Ev '^(SS_|SERRSIM_)' || true)
	[ -z "$bad" ] || { echo "$bad"; fail "unprefixed macros in the installed headers"; }
	echo "macros: $(comm -13 "$work/std.txt" "$work/macros.txt" | wc -l), all prefixed"
	cflags="-std=c11 -Wall -Wextra -Werror -pedantic"
	app=-I$src/myapp
	# Each header alone, before and after the application's own, with the
	# application's directory before and after serrsim's on the command line.
	n=0
	for h in $hdrs; do
		n=$((n + 1))
		printf '#include <serrsim/%s>\n#include "config.h"\n#include "pe.h"\n' "$h" >"$work/a$n.c"
		printf '#include "pe.h"\n#include <serrsim/%s>\nint myapp_%d;\n' "$h" "$n" >"$work/b$n.c"
		printf '#include <serrsim/%s>\n#include "pe.h"\nint main() { return myapp_pe_count() - CONFIG_PE_COUNT; }\n' \
			"$h" >"$work/c$n.cc"
		$CC $cflags "$app" $flags -c -o "$work/a$n.o" "$work/a$n.c" || fail "$h (before myapp's headers)"
		$CC $cflags $flags "$app" -c -o "$work/b$n.o" "$work/b$n.c" || fail "$h (after myapp's headers)"
		$CXX -std=c++17 -Wall -Wextra -Werror $flags "$app" -c -o "$work/c$n.o" \
			"$work/c$n.cc" || fail "$h (C++)"
	done
	$CC $cflags -o "$work/all" "$work/all.c" $flags "$app" $libs
	"$work/all"
	$CC -std=c11 -o "$work/consumer" "$src/consumer.c" "$app" $flags $libs
	"$work/consumer"
	;;
find_package)
	# No pkg-config file but serrsim's: SystemC is not there for CMake.
	empty=$work/no-pkgconfig
	mkdir -p "$empty"
	PKG_CONFIG_LIBDIR=$empty PKG_CONFIG_PATH= cmake -S "$src" -B "$work/c" \
		-DCMAKE_PREFIX_PATH="$prefix" >"$work/c.log" 2>&1 || { cat "$work/c.log"; fail "C-only configure"; }
	# A path may contain the word; what counts is a lookup of the module.
	grep -iE "module 'systemc'|PkgConfig::SYSTEMC|SYSTEMC_FOUND|systemc\.pc" "$work/c.log" &&
		fail "a C-only find_package(serrsim) looked for SystemC"
	cmake --build "$work/c" >"$work/c-build.log" 2>&1 || { cat "$work/c-build.log"; fail "C-only build"; }
	"$work/c/consumer"
	"$work/c/api_example" "$root/scenarios/examples/vserror-el1h-walkthrough.scn" >/dev/null
	echo "find_package(serrsim) without SystemC: ok"
	if [ $sc = 1 ]; then
		if PKG_CONFIG_LIBDIR=$empty PKG_CONFIG_PATH= cmake -S "$src" -B "$work/sc-missing" \
			-DCMAKE_PREFIX_PATH="$prefix" -DWITH_SYSTEMC=ON >"$work/sc-missing.log" 2>&1; then
			fail "find_package(serrsim COMPONENTS systemc) succeeded without SystemC"
		fi
		grep -q "serrsim component systemc: SystemC (pkg-config systemc) was not found" \
			"$work/sc-missing.log" || { cat "$work/sc-missing.log"; fail "no reason given"; }
		echo "find_package(serrsim COMPONENTS systemc) without SystemC: fails as it should"
		cmake -S "$src" -B "$work/sc" -DCMAKE_PREFIX_PATH="$prefix" -DWITH_SYSTEMC=ON \
			>"$work/sc.log" 2>&1 || { cat "$work/sc.log"; fail "systemc configure"; }
		cmake --build "$work/sc" >"$work/sc-build.log" 2>&1 || { cat "$work/sc-build.log"; fail "systemc build"; }
		"$work/sc/consumer_sc"
		echo "== pkg-config serrsim-systemc"
		PKG_CONFIG_PATH=$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
		export PKG_CONFIG_PATH
		echo "pkg-config --cflags --libs serrsim-systemc: $(pkg-config --cflags --libs serrsim-systemc)"
		$CXX -std=c++17 -o "$work/consumer_sc_pc" "$src/consumer_sc.cc" \
			$(pkg-config --cflags --libs serrsim-systemc)
		"$work/consumer_sc_pc"
	fi
	;;
symbols)
	libdir=$(cd "$pcdir/.." && pwd)
	bad=0
	for lib in "$libdir"/libserrsim_*.a; do
		name=$(basename "$lib")
		if [ "$name" = libserrsim_systemc.a ]; then
			# C++: strong definitions in namespace serrsim (or its vtables and
			# typeinfo); weak ones are inline and template instantiations.
			out=$($NM -g --defined-only -C "$lib" | awk 'NF >= 3 && $2 !~ /^[WVwvu]$/ {
				$1 = ""; $2 = ""; sub(/^  /, ""); print }' |
				grep -Ev '^((vtable|typeinfo|typeinfo name|VTT|construction vtable) for |(virtual |non-virtual )?thunk to )?serrsim::' || true)
		else
			out=$($NM -g --defined-only "$lib" | awk 'NF >= 3 { print $3 }' |
				grep -Ev '^(ss_|SS_|scn_|serrsim_)' || true)
		fi
		count=$($NM -g --defined-only "$lib" | awk 'NF >= 3' | wc -l)
		if [ -n "$out" ]; then
			echo "$name: unprefixed global symbols:"
			echo "$out"
			bad=1
		else
			echo "$name: $count global symbols, all prefixed"
		fi
	done
	[ $bad = 0 ] || fail "unprefixed symbols"
	;;
api_example)
	# The block after the marker line in docs/api.md is the file, verbatim.
	awk '/^<!-- tests\/consumer\/api_example.c -->$/ { m = 1; next }
	     m == 1 && /^```c$/ { m = 2; next }
	     m == 2 && /^```$/ { exit }
	     m == 2 { print }' "$root/docs/api.md" >"$work/from-doc.c"
	diff -u "$src/api_example.c" "$work/from-doc.c" ||
		fail "docs/api.md does not show tests/consumer/api_example.c as it is"
	awk '/^<!-- api_example output -->$/ { m = 1; next }
	     m == 1 && /^```$/ && !o { o = 1; next }
	     o && /^```$/ { exit }
	     o { print }' "$root/docs/api.md" >"$work/expected.txt"
	[ -s "$work/expected.txt" ] || fail "docs/api.md has no output block"
	PKG_CONFIG_LIBDIR=$pcdir PKG_CONFIG_PATH= \
		sh -c '${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$1" "$2" $(pkg-config --cflags --libs serrsim)' \
		sh "$work/api_example" "$work/from-doc.c"
	(cd "$root" && "$work/api_example" scenarios/examples/vserror-el1h-walkthrough.scn) >"$work/out.txt"
	cat "$work/out.txt"
	diff -u "$work/expected.txt" "$work/out.txt" || fail "the output is not the one docs/api.md shows"
	;;
qemu_tool)
	[ -x "$prefix/bin/serrsim-qemu" ] || fail "serrsim-qemu is not installed"
	# The first scenario the exporter accepts (others are skipped with a reason).
	scn=
	for f in "$root"/scenarios/qemu/*.scn; do
		if "$prefix/bin/serrsim" export --qemu "$f" -o "$work/direct" --no-build >"$work/export.log" 2>&1; then
			scn=$f
			break
		fi
		grep -q 'needs serrsim-qemu' "$work/export.log" && { cat "$work/export.log"; fail "serrsim-qemu not found"; }
	done
	[ -n "$scn" ] || fail "no scenario of scenarios/qemu exported"
	echo "serrsim export --qemu $scn: ok"
	# Through PATH, and through a link elsewhere: found from the binary itself.
	mkdir -p "$work/elsewhere"
	ln -s "$prefix/bin/serrsim" "$work/elsewhere/serrsim"
	PATH=$work/elsewhere:/usr/bin:/bin serrsim export --qemu "$scn" -o "$work/path" --no-build
	for d in direct path; do
		[ -n "$(ls "$work/$d")" ] || fail "export wrote nothing into $d"
	done
	ls "$work/direct"
	;;
*)
	fail "unknown step $step"
	;;
esac
echo ok
