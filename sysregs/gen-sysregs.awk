# gen-sysregs.awk: turn sysregs.txt into sysregs_gen.h and sysregs_gen.c.
#
#   awk -v hdr=OUT.h -v src=OUT.c -f gen-sysregs.awk sysregs.txt
#
# POSIX awk (mawk-compatible).  Every layout must cover bits 63:0 exactly once
# (each bit a Field, Res0 or Res1): a gap, an overlap, a duplicate name, an
# unknown enum or layout, or a malformed line stops the build with
# "sysregs.txt:LINE: error: ...".  Awk numbers are doubles, so 64-bit masks are
# emitted as C constant expressions and computed by the compiler.

function fail(msg) {
	printf("%s:%d: error: %s\n", FILENAME, FNR, msg) > "/dev/stderr"
	failed = 1
	exit 1
}

function need(n, what) {
	if (NF != n)
		fail(what)
}

function is_ident(s) {
	return s ~ /^[A-Za-z_][A-Za-z0-9_]*$/
}

# Parse 0x.., 0b.. or decimal into an awk number (values here are small).
function num(s,    v, i, c, d) {
	v = 0
	if (s ~ /^0x[0-9a-fA-F]+$/) {
		for (i = 3; i <= length(s); i++) {
			c = tolower(substr(s, i, 1))
			d = index("0123456789abcdef", c) - 1
			v = v * 16 + d
		}
		return v
	}
	if (s ~ /^0b[01]+$/) {
		for (i = 3; i <= length(s); i++)
			v = v * 2 + substr(s, i, 1)
		return v
	}
	if (s ~ /^[0-9]+$/)
		return s + 0
	fail("not a number: " s)
}

function bits(spec,    a, n) {
	n = split(spec, a, ":")
	if (n == 1) { msb = num(a[1]); lsb = msb }
	else if (n == 2) { msb = num(a[1]); lsb = num(a[2]) }
	else fail("bad bit range: " spec)
	if (msb > 63 || lsb < 0 || msb < lsb)
		fail("bit range " spec " is not within 63:0 with msb >= lsb")
}

function claim(kind, name, enm,    b) {
	if (msb != next_bit)
		fail("layout " cur_layout ": " kind " " name " starts at bit " msb ", expected bit " next_bit " (gap or overlap)")
	nf = lf_n[cur_layout]++
	lf_kind[cur_layout, nf] = kind
	lf_name[cur_layout, nf] = name
	lf_msb[cur_layout, nf] = msb
	lf_lsb[cur_layout, nf] = lsb
	lf_enum[cur_layout, nf] = enm
	next_bit = lsb - 1
}

function mask_expr(m, l) {
	return "SS_BITS(" m ", " l ")"
}

BEGIN {
	state = "top"
	n_enum = 0; n_layout = 0; n_reg = 0
}

/^[ \t]*(#|$)/ { next }

{
	sub(/[ \t]+#.*$/, "")
}

state == "top" && $1 == "Enum" {
	need(2, "usage: Enum <name>")
	if (!is_ident($2) || ($2 in enum_seen)) fail("bad or duplicate enum name " $2)
	enum_seen[$2] = 1
	cur_enum = $2
	enums[n_enum++] = $2
	ev_n[$2] = 0
	state = "enum"
	next
}

state == "enum" && $1 == "EndEnum" { state = "top"; next }

state == "enum" {
	need(2, "enum entry: <value> <symbol>")
	if (!is_ident($2)) fail("bad enum symbol " $2)
	if ((cur_enum, $2) in ev_sym_seen) fail("duplicate symbol " $2 " in enum " cur_enum)
	v = num($1)
	if ((cur_enum, v) in ev_val_seen) fail("duplicate value " $1 " in enum " cur_enum)
	ev_sym_seen[cur_enum, $2] = 1
	ev_val_seen[cur_enum, v] = 1
	i = ev_n[cur_enum]++
	ev_sym[cur_enum, i] = $2
	ev_val[cur_enum, i] = v
	next
}

state == "top" && $1 == "Layout" {
	if (NF < 2 || !is_ident($2) || ($2 in layout_seen)) fail("bad or duplicate layout name " $2)
	cur_layout = $2
	layout_seen[$2] = 1
	layouts[n_layout++] = $2
	lf_n[$2] = 0
	lay_base[$2] = ""
	lay_ncond[$2] = 0
	if (NF > 2) {
		if ($3 != "when" || NF < 4) fail("usage: Layout <name> [when <F>=<V> ...]")
		if (last_plain == "") fail("variant layout " $2 " has no plain layout before it")
		lay_base[$2] = last_plain
		for (k = 4; k <= NF; k++) {
			if (split($k, cv, "=") != 2) fail("condition must be <FIELD>=<VALUE>: " $k)
			c = lay_ncond[$2]++
			lay_cf[$2, c] = cv[1]
			lay_cv[$2, c] = cv[2]
		}
		var_n[last_plain]++
	} else {
		last_plain = $2
		var_n[$2] = 0
	}
	next_bit = 63
	state = "layout"
	next
}

state == "layout" && $1 == "EndLayout" {
	if (next_bit != -1)
		fail("layout " cur_layout ": bits " next_bit ":0 are not described")
	# resolve the variant's conditions against its own fields
	for (c = 0; c < lay_ncond[cur_layout]; c++) {
		found = -1
		for (f = 0; f < lf_n[cur_layout]; f++)
			if (lf_kind[cur_layout, f] == "FIELD" && lf_name[cur_layout, f] == lay_cf[cur_layout, c])
				found = f
		if (found < 0) fail("condition field " lay_cf[cur_layout, c] " is not a field of " cur_layout)
		lay_cfi[cur_layout, c] = found
		e = lf_enum[cur_layout, found]
		val = lay_cv[cur_layout, c]
		if (val ~ /^[0-9]/) lay_cvn[cur_layout, c] = num(val)
		else {
			if (e == "" || !((e, val) in ev_sym_seen)) fail("condition value " val " is not a value of field " lay_cf[cur_layout, c])
			for (i = 0; i < ev_n[e]; i++) if (ev_sym[e, i] == val) lay_cvn[cur_layout, c] = ev_val[e, i]
		}
	}
	state = "top"
	next
}

state == "layout" && ($1 == "Field" || $1 == "Res0" || $1 == "Res1") {
	if ($1 == "Field") {
		if (NF != 3 && NF != 4) fail("usage: Field <msb>[:<lsb>] <name> [<enum>]")
		if (!is_ident($3)) fail("bad field name " $3)
		if ((cur_layout, $3) in fname_seen) fail("duplicate field " $3 " in layout " cur_layout)
		fname_seen[cur_layout, $3] = 1
		bits($2)
		enm = ""
		if (NF == 4) {
			if (!($4 in enum_seen)) fail("unknown enum " $4)
			enm = $4
			for (i = 0; i < ev_n[enm]; i++)
				if (ev_val[enm, i] >= 2 ^ (msb - lsb + 1))
					fail("enum " enm " value " ev_sym[enm, i] " does not fit field " $3)
		}
		claim("FIELD", $3, enm)
	} else {
		need(2, "usage: " $1 " <msb>[:<lsb>]")
		bits($2)
		claim(toupper($1), "", "")
	}
	next
}

state == "top" && ($1 == "Sysreg" || $1 == "Pseudo") {
	if ($1 == "Sysreg") need(7, "usage: Sysreg <name> <op0> <op1> <CRn> <CRm> <op2>")
	else need(2, "usage: Pseudo <name>")
	if (!is_ident($2) || ($2 in reg_seen)) fail("bad or duplicate register name " $2)
	reg_seen[$2] = 1
	cur_reg = $2
	regs[n_reg++] = $2
	if ($1 == "Sysreg") {
		reg_enc[$2] = 1
		reg_op[$2] = num($3) ", " num($4) ", " num($5) ", " num($6) ", " num($7)
		if (num($3) > 3 || num($4) > 7 || num($5) > 15 || num($6) > 15 || num($7) > 7) fail("encoding out of range")
	} else {
		reg_enc[$2] = 0
		reg_op[$2] = "0, 0, 0, 0, 0"
	}
	reg_layout[$2] = ""; reg_reset[$2] = ""; reg_access[$2] = ""; reg_feat[$2] = ""
	state = "reg"
	next
}

state == "reg" && $1 == "Layout" {
	need(2, "usage: Layout <name>")
	if (!($2 in layout_seen) || lay_base[$2] != "") fail("unknown plain layout " $2)
	reg_layout[cur_reg] = $2
	next
}

state == "reg" && $1 == "Access" {
	need(3, "usage: Access <min-EL> <RW|RO>")
	if ($2 !~ /^[0-3]$/ || ($3 != "RW" && $3 != "RO")) fail("usage: Access <0-3> <RW|RO>")
	reg_minel[cur_reg] = $2
	reg_access[cur_reg] = $3
	next
}

state == "reg" && $1 == "Feature" {
	need(2, "usage: Feature <RAS|IESB|ALWAYS>")
	if ($2 != "RAS" && $2 != "IESB" && $2 != "ALWAYS") fail("unknown feature " $2)
	reg_feat[cur_reg] = $2
	next
}

state == "reg" && $1 == "Reset" {
	need(2, "usage: Reset <value>")
	if ($2 !~ /^(0x[0-9a-fA-F]+|[0-9]+)$/) fail("reset value must be hex or decimal")
	reg_reset[cur_reg] = $2
	next
}

state == "reg" && $1 == "Computed" {
	need(1, "usage: Computed")
	reg_computed[cur_reg] = 1
	next
}

state == "reg" && $1 == "EndSysreg" {
	if (reg_layout[cur_reg] == "" || reg_access[cur_reg] == "" || reg_feat[cur_reg] == "" || reg_reset[cur_reg] == "")
		fail("register " cur_reg " needs Layout, Access, Feature and Reset")
	state = "top"
	next
}

{ fail("unexpected line in state " state ": " $0) }

END {
	if (failed) exit 1
	if (state != "top") { FNR = "EOF"; fail("unterminated block") }

	print "/* Generated by gen-sysregs.awk from sysregs.txt: do not edit. */" > hdr
	print "#ifndef SERRSIM_SYSREGS_GEN_H" > hdr
	print "#define SERRSIM_SYSREGS_GEN_H" > hdr
	print "" > hdr
	print "#include <stdint.h>" > hdr
	print "" > hdr
	print "/* Mask of bits msb..lsb of a 64-bit value. */" > hdr
	print "#define SS_BITS(msb, lsb) ((~UINT64_C(0) >> (63 - (msb))) & (~UINT64_C(0) << (lsb)))" > hdr
	print "" > hdr
	for (e = 0; e < n_enum; e++) {
		en = enums[e]
		printf("/* enum %s */\n", en) > hdr
		for (i = 0; i < ev_n[en]; i++)
			printf("#define SS_%s_%s UINT64_C(0x%x)\n", en, ev_sym[en, i], ev_val[en, i]) > hdr
		print "" > hdr
	}
	for (l = 0; l < n_layout; l++) {
		ly = layouts[l]
		printf("/* layout %s */\n", ly) > hdr
		res0 = ""; res1 = ""
		for (f = 0; f < lf_n[ly]; f++) {
			m = lf_msb[ly, f]; s = lf_lsb[ly, f]
			if (lf_kind[ly, f] == "FIELD") {
				nm = "SS_" ly "_" lf_name[ly, f]
				printf("#define %s_SHIFT %d\n#define %s_WIDTH %d\n#define %s_MASK %s\n", nm, s, nm, m - s + 1, nm, mask_expr(m, s)) > hdr
			} else if (lf_kind[ly, f] == "RES0") {
				res0 = res0 (res0 == "" ? "" : " | ") mask_expr(m, s)
			} else {
				res1 = res1 (res1 == "" ? "" : " | ") mask_expr(m, s)
			}
		}
		printf("#define SS_%s_RES0 (%s)\n", ly, res0 == "" ? "UINT64_C(0)" : res0) > hdr
		printf("#define SS_%s_RES1 (%s)\n\n", ly, res1 == "" ? "UINT64_C(0)" : res1) > hdr
	}
	print "/* The registers, in table order. */" > hdr
	print "enum ss_reg {" > hdr
	for (r = 0; r < n_reg; r++)
		printf("\tSS_REG_%s,\n", regs[r]) > hdr
	print "\tSS_REG_COUNT" > hdr
	print "};" > hdr
	print "" > hdr
	printf("#define SS_NUM_ENUMS %d\n#define SS_NUM_LAYOUTS %d\n\n", n_enum, n_layout) > hdr
	print "#endif" > hdr

	print "/* Generated by gen-sysregs.awk from sysregs.txt: do not edit. */" > src
	print "#include \"sysregs.h\"" > src
	print "" > src
	for (e = 0; e < n_enum; e++) {
		en = enums[e]
		printf("static const struct ss_enum_val enum_%s_vals[] = {\n", en) > src
		for (i = 0; i < ev_n[en]; i++)
			printf("\t{ \"%s\", SS_%s_%s },\n", ev_sym[en, i], en, ev_sym[en, i]) > src
		print "};" > src
	}
	print "const struct ss_enum ss_enums[SS_NUM_ENUMS] = {" > src
	for (e = 0; e < n_enum; e++) {
		en = enums[e]; enum_idx[en] = e
		printf("\t{ \"%s\", enum_%s_vals, %d },\n", en, en, ev_n[en]) > src
	}
	print "};" > src
	print "" > src
	for (l = 0; l < n_layout; l++) {
		ly = layouts[l]; layout_idx[ly] = l
		printf("static const struct ss_field layout_%s_fields[] = {\n", ly) > src
		for (f = 0; f < lf_n[ly]; f++) {
			en = lf_enum[ly, f]
			printf("\t{ %s, %d, %d, SS_FIELD_%s, %s },\n", \
				lf_kind[ly, f] == "FIELD" ? "\"" lf_name[ly, f] "\"" : "NULL", \
				lf_msb[ly, f], lf_lsb[ly, f], lf_kind[ly, f], \
				en == "" ? "NULL" : "&ss_enums[" enum_idx[en] "]") > src
		}
		print "};" > src
		if (lay_ncond[ly] > 0) {
			printf("static const struct ss_cond layout_%s_conds[] = {\n", ly) > src
			for (c = 0; c < lay_ncond[ly]; c++)
				printf("\t{ %d, UINT64_C(0x%x) },\n", lay_cfi[ly, c], lay_cvn[ly, c]) > src
			print "};" > src
		}
	}
	print "const struct ss_layout ss_layouts[SS_NUM_LAYOUTS] = {" > src
	for (l = 0; l < n_layout; l++) {
		ly = layouts[l]
		printf("\t{ \"%s\", layout_%s_fields, %d, SS_%s_RES0, SS_%s_RES1, %s, %s, %d },\n", \
			ly, ly, lf_n[ly], ly, ly, \
			lay_base[ly] == "" ? "NULL" : "&ss_layouts[" layout_idx[lay_base[ly]] "]", \
			lay_ncond[ly] > 0 ? "layout_" ly "_conds" : "NULL", lay_ncond[ly]) > src
	}
	print "};" > src
	print "" > src
	print "const struct ss_sysreg ss_sysregs[SS_REG_COUNT] = {" > src
	for (r = 0; r < n_reg; r++) {
		rg = regs[r]
		printf("\t{ \"%s\", SS_REG_%s, %d, %s, %d, SS_ACCESS_%s, SS_FEAT_%s, UINT64_C(%s), &ss_layouts[%d], %d },\n", \
			rg, rg, reg_enc[rg], reg_op[rg], reg_minel[rg], reg_access[rg], reg_feat[rg], \
			reg_reset[rg], layout_idx[reg_layout[rg]], reg_computed[rg] ? 1 : 0) > src
	}
	print "};" > src
}
