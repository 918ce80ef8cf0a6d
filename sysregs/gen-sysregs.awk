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

# Index of field 'name' in plain layout 'ly', or -1.
function field_index(ly, name,    f) {
	for (f = 0; f < lf_n[ly]; f++)
		if (lf_kind[ly, f] == "FIELD" && lf_name[ly, f] == name)
			return f
	return -1
}

# Resolve every name a feature, a field or a register gives to a feature, so
# that a feature the table does not declare stops the build.
function resolve_features(    i, ft, r, rg, l, ly, f, n, k, nm, fi, e, val) {
	feat_idx["ALWAYS"] = 0
	for (i = 0; i < n_feat; i++)
		feat_idx[feats[i]] = i + 1
	for (r = 0; r < n_reg; r++) {
		rg = regs[r]
		if (!(reg_feat[rg] in feat_idx)) { FNR = reg_featline[rg]; fail("unknown feature " reg_feat[rg]) }
	}
	for (r = 0; r < n_reg; r++) {
		rg = regs[r]
		if (reg_e2h[rg] != "" && (!(reg_e2h[rg] in reg_seen) || reg_alias[reg_e2h[rg]] != "")) {
			FNR = reg_refline[rg, "E2h"]
			fail("E2h names " reg_e2h[rg] ", which is no register or an alias")
		}
	}
	for (l = 0; l < n_layout; l++) {
		ly = layouts[l]
		for (f = 0; f < lf_n[ly]; f++)
			if (lf_feat[ly, f] != "" && !(lf_feat[ly, f] in feat_idx)) {
				FNR = lf_featline[ly, f]
				fail("unknown feature " lf_feat[ly, f])
			}
	}
	for (i = 0; i < n_feat; i++) {
		ft = feats[i]
		for (k = 0; k < feat_nreq[ft]; k++) {
			FNR = feat_reqline[ft, k]
			n = split(feat_req[ft, k], nm, ",")
			feat_reqmask[ft, k] = ""
			feat_reqknobs[ft, k] = ""
			for (e = 1; e <= n; e++) {
				if (!(nm[e] in feat_idx) || nm[e] == "ALWAYS") fail("unknown feature " nm[e])
				if (nm[e] == ft) fail("feature " ft " requires itself")
				feat_reqmask[ft, k] = feat_reqmask[ft, k] (e > 1 ? " | " : "") "SS_FEAT_BIT(SS_FEAT_" nm[e] ")"
				feat_reqknobs[ft, k] = feat_reqknobs[ft, k] (e > 1 ? " and " : "") feat_knob[nm[e]]
			}
		}
		if (feat_idreg[ft] == "") continue
		FNR = feat_idline[ft]
		rg = feat_idreg[ft]
		if (!(rg in reg_seen)) fail("unknown register " rg)
		ly = reg_layout[rg]
		fi = field_index(ly, feat_idfield[ft])
		if (fi < 0) fail("no field " feat_idfield[ft] " in " rg)
		feat_idfi[ft] = fi
		e = lf_enum[ly, fi]
		val = feat_idval[ft]
		if (val ~ /^[0-9]/) val = num(val)
		else if (e != "" && ((e, val) in ev_sym_seen)) {
			for (k = 0; k < ev_n[e]; k++) if (ev_sym[e, k] == feat_idval[ft]) val = ev_val[e, k]
		} else fail("value " val " is not a value of " rg "." feat_idfield[ft])
		if (val >= 2 ^ (lf_msb[ly, fi] - lf_lsb[ly, fi] + 1)) fail("value " feat_idval[ft] " does not fit " rg "." feat_idfield[ft])
		feat_idnum[ft] = val
	}
}

# X-macro rows for the features of one kind.
function feat_xmacro(kind, mac,    i, ft) {
	printf("#define %s(X)", mac) > hdr
	for (i = 0; i < n_feat; i++) {
		ft = feats[i]
		if (feat_kind[ft] != kind) continue
		printf(" \\\n\tX(%s, %s, %s, \"%s\", \"feature%s\")", ft, feat_knob[ft], feat_default[ft], \
			feat_help[ft], feat_arm[ft] == "" ? "" : " " feat_arm[ft]) > hdr
	}
	printf("\n") > hdr
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
		ffeat = ""; fres1 = 0
		if (NF >= 4 && $NF ~ /^feature1?=/) {
			fres1 = $NF ~ /^feature1=/
			ffeat = substr($NF, fres1 ? 10 : 9)
			if (!is_ident(ffeat)) fail("bad feature name " ffeat)
			NF--
		}
		if (NF != 3 && NF != 4) fail("usage: Field <msb>[:<lsb>] <name> [<enum>] [feature=<FEATURE>|feature1=<FEATURE>]")
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
		if (ffeat != "") {
			lf_feat[cur_layout, nf] = ffeat
			lf_featres1[cur_layout, nf] = fres1
			lf_featline[cur_layout, nf] = FNR
		}
	} else {
		need(2, "usage: " $1 " <msb>[:<lsb>]")
		bits($2)
		claim(toupper($1), "", "")
	}
	next
}

# ---------------------------------------------------------------- features
state == "top" && $1 == "Feature" {
	if (NF != 2 && NF != 3) fail("usage: Feature <NAME> [<FEAT_name>]")
	if (!is_ident($2) || ($2 in feat_seen) || $2 == "ALWAYS") fail("bad or duplicate feature name " $2)
	if (NF == 3 && !is_ident($3)) fail("bad Arm feature name " $3)
	if (n_feat >= 31) fail("too many features (at most 31: SS_FEAT_BIT masks are 32 bits)")
	feat_seen[$2] = 1
	cur_feat = $2
	feats[n_feat++] = $2
	feat_arm[$2] = NF == 3 ? $3 : ""
	feat_kind[$2] = "EXT"
	feat_nreq[$2] = 0
	feat_line[$2] = FNR
	state = "feature"
	next
}

state == "feature" && $1 == "Knob" {
	need(2, "usage: Knob <name>")
	if ($2 !~ /^[a-z][a-z0-9_]*$/ || ($2 in knob_seen)) fail("bad or duplicate knob name " $2)
	knob_seen[$2] = 1
	feat_knob[cur_feat] = $2
	next
}

state == "feature" && $1 == "Kind" {
	need(2, "usage: Kind <ExceptionLevel|Extension>")
	if ($2 == "ExceptionLevel") feat_kind[cur_feat] = "EL"
	else if ($2 == "Extension") feat_kind[cur_feat] = "EXT"
	else fail("usage: Kind <ExceptionLevel|Extension>")
	next
}

state == "feature" && $1 == "Default" {
	need(2, "usage: Default <on|off>")
	if ($2 != "on" && $2 != "off") fail("usage: Default <on|off>")
	feat_default[cur_feat] = $2 == "on" ? "true" : "false"
	next
}

state == "feature" && $1 == "Id" {
	need(3, "usage: Id <REGISTER>.<FIELD> <VALUE>")
	if (split($2, iv, ".") != 2 || !is_ident(iv[1]) || !is_ident(iv[2])) fail("usage: Id <REGISTER>.<FIELD> <VALUE>")
	feat_idreg[cur_feat] = iv[1]
	feat_idfield[cur_feat] = iv[2]
	feat_idval[cur_feat] = $3
	feat_idline[cur_feat] = FNR
	next
}

state == "feature" && $1 == "Requires" {
	if (NF < 2) fail("usage: Requires <FEATURE>[,<FEATURE>...] [<reason>]")
	r = feat_nreq[cur_feat]++
	feat_req[cur_feat, r] = $2
	feat_reqline[cur_feat, r] = FNR
	t = $0
	sub(/^[ \t]*Requires[ \t]+[^ \t]+[ \t]*/, "", t)
	if (t ~ /["\\]/) fail("no quote or backslash in a reason")
	feat_reqwhy[cur_feat, r] = t
	next
}

state == "feature" && ($1 == "Help" || $1 == "Source") {
	if (NF < 2) fail("usage: " $1 " <text>")
	t = $0
	sub(/^[ \t]*(Help|Source)[ \t]+/, "", t)
	if (t ~ /["\\]/) fail("no quote or backslash in " $1)
	if ($1 == "Help") feat_help[cur_feat] = t
	else feat_source[cur_feat] = t
	next
}

state == "feature" && $1 == "EndFeature" {
	if (feat_knob[cur_feat] == "" || feat_help[cur_feat] == "" || feat_source[cur_feat] == "" || feat_default[cur_feat] == "")
		fail("feature " cur_feat " needs Knob, Default, Help and Source")
	state = "top"
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
	reg_layout[$2] = ""; reg_reset[$2] = ""; reg_access[$2] = ""; reg_feat[$2] = ""; reg_qemu[$2] = ""
	reg_e2h[$2] = ""; reg_alias[$2] = ""
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
	need(2, "usage: Feature <FEATURE|ALWAYS>")
	if (!is_ident($2)) fail("bad feature name " $2)
	reg_feat[cur_reg] = $2
	reg_featline[cur_reg] = FNR
	next
}

state == "reg" && $1 == "Qemu" {
	if (NF < 2) fail("usage: Qemu <set|record|monitor|pstate|address|shadow>...")
	for (k = 2; k <= NF; k++) {
		if ($k != "set" && $k != "record" && $k != "monitor" && $k != "pstate" && $k != "address" && $k != "shadow")
			fail("unknown Qemu attribute " $k)
		reg_qemu[cur_reg] = reg_qemu[cur_reg] (reg_qemu[cur_reg] == "" ? "" : " | ") "SS_QEMU_" toupper($k)
	}
	next
}

state == "reg" && $1 == "Reset" {
	need(2, "usage: Reset <value>")
	if ($2 !~ /^(0x[0-9a-fA-F]+|[0-9]+)$/) fail("reset value must be hex or decimal")
	reg_reset[cur_reg] = $2
	next
}

state == "reg" && ($1 == "E2h" || $1 == "Alias") {
	need(2, "usage: " $1 " <REGISTER>")
	if (!is_ident($2) || $2 == cur_reg) fail("bad register name " $2)
	if ($1 == "E2h") reg_e2h[cur_reg] = $2
	else reg_alias[cur_reg] = $2
	reg_refline[cur_reg, $1] = FNR
	next
}

state == "reg" && $1 == "Computed" {
	need(1, "usage: Computed")
	reg_computed[cur_reg] = 1
	next
}

state == "reg" && $1 == "EndSysreg" {
	if (reg_alias[cur_reg] != "") {
		# an alias has the layout and reset value of the register it names
		if (!(reg_alias[cur_reg] in reg_seen) || reg_alias[reg_alias[cur_reg]] != "" || reg_layout[cur_reg] != "" || reg_reset[cur_reg] != "" || reg_e2h[cur_reg] != "")
			fail("alias " cur_reg " must name an earlier register that is no alias, and give no Layout, Reset or E2h")
		reg_layout[cur_reg] = reg_layout[reg_alias[cur_reg]]
		reg_reset[cur_reg] = reg_reset[reg_alias[cur_reg]]
	}
	if (reg_layout[cur_reg] == "" || reg_access[cur_reg] == "" || reg_feat[cur_reg] == "" || reg_reset[cur_reg] == "")
		fail("register " cur_reg " needs Layout, Access, Feature and Reset")
	state = "top"
	next
}

{ fail("unexpected line in state " state ": " $0) }

END {
	if (failed) exit 1
	if (state != "top") { FNR = "EOF"; fail("unterminated block") }
	resolve_features()

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
	print "/* The features, in table order; SS_FEAT_ALWAYS: no feature needed. */" > hdr
	print "enum ss_feat {" > hdr
	print "\tSS_FEAT_ALWAYS," > hdr
	for (i = 0; i < n_feat; i++)
		printf("\tSS_FEAT_%s,\n", feats[i]) > hdr
	print "\tSS_FEAT_COUNT" > hdr
	print "};" > hdr
	print "#define SS_FEAT_BIT(f) (UINT32_C(1) << (f))" > hdr
	print "" > hdr
	print "/* X(NAME, knob, default, help, knob source): the Exception levels, then the extensions. */" > hdr
	feat_xmacro("EL", "SS_FEATURES_EL")
	feat_xmacro("EXT", "SS_FEATURES_EXT")
	print "#define SS_FEATURES(X) SS_FEATURES_EL(X) SS_FEATURES_EXT(X)" > hdr
	print "" > hdr
	print "/* The knob of each feature, for tables that name it. */" > hdr
	for (i = 0; i < n_feat; i++)
		printf("#define SS_FEAT_%s_KNOB \"%s\"\n", feats[i], feat_knob[feats[i]]) > hdr
	print "" > hdr
	print "/* The registers, in table order. */" > hdr
	print "enum ss_reg {" > hdr
	for (r = 0; r < n_reg; r++)
		printf("\tSS_REG_%s,\n", regs[r]) > hdr
	print "\tSS_REG_COUNT" > hdr
	print "};" > hdr
	print "" > hdr
	n_req = 0
	for (i = 0; i < n_feat; i++) n_req += feat_nreq[feats[i]]
	printf("#define SS_NUM_ENUMS %d\n#define SS_NUM_LAYOUTS %d\n#define SS_NUM_FEAT_REQS %d\n\n", n_enum, n_layout, n_req) > hdr
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
			printf("\t{ %s, %d, %d, SS_FIELD_%s, %s, SS_FEAT_%s, %s },\n", \
				lf_kind[ly, f] == "FIELD" ? "\"" lf_name[ly, f] "\"" : "NULL", \
				lf_msb[ly, f], lf_lsb[ly, f], lf_kind[ly, f], \
				en == "" ? "NULL" : "&ss_enums[" enum_idx[en] "]", \
				lf_feat[ly, f] == "" ? "ALWAYS" : lf_feat[ly, f], \
				lf_featres1[ly, f] ? "true" : "false") > src
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
		printf("\t{ \"%s\", SS_REG_%s, %d, %s, %d, SS_ACCESS_%s, SS_FEAT_%s, UINT64_C(%s), &ss_layouts[%d], %d, %s, SS_REG_%s, SS_REG_%s },\n", \
			rg, rg, reg_enc[rg], reg_op[rg], reg_minel[rg], reg_access[rg], reg_feat[rg], \
			reg_reset[rg], layout_idx[reg_layout[rg]], reg_computed[rg] ? 1 : 0, \
			reg_qemu[rg] == "" ? "0" : reg_qemu[rg], \
			reg_e2h[rg] == "" ? "COUNT" : reg_e2h[rg], reg_alias[rg] == "" ? "COUNT" : reg_alias[rg]) > src
	}
	print "};" > src
	print "" > src
	print "const struct ss_feature ss_features[SS_FEAT_COUNT] = {" > src
	print "\t{ \"ALWAYS\", NULL, NULL, false, SS_REG_COUNT, NULL, 0, NULL, NULL }," > src
	for (i = 0; i < n_feat; i++) {
		ft = feats[i]
		rg = feat_idreg[ft]
		printf("\t{ \"%s\", %s, \"%s\", %s, %s, %s, UINT64_C(0x%x), \"%s\", \"%s\" },\n", ft, \
			feat_arm[ft] == "" ? "NULL" : "\"" feat_arm[ft] "\"", feat_knob[ft], \
			feat_kind[ft] == "EL" ? "true" : "false", \
			rg == "" ? "SS_REG_COUNT" : "SS_REG_" rg, \
			rg == "" ? "NULL" : "&layout_" reg_layout[rg] "_fields[" feat_idfi[ft] "]", \
			rg == "" ? 0 : feat_idnum[ft], feat_help[ft], feat_source[ft]) > src
	}
	print "};" > src
	print "" > src
	if (n_req > 0) {
		print "const struct ss_feat_req ss_feat_reqs[SS_NUM_FEAT_REQS] = {" > src
		for (i = 0; i < n_feat; i++) {
			ft = feats[i]
			for (k = 0; k < feat_nreq[ft]; k++)
				printf("\t{ SS_FEAT_%s, %s, \"%s requires %s%s\" },\n", ft, feat_reqmask[ft, k], \
					feat_knob[ft], feat_reqknobs[ft, k], \
					feat_reqwhy[ft, k] == "" ? "" : " (" feat_reqwhy[ft, k] ")") > src
		}
		print "};" > src
	} else {
		print "const struct ss_feat_req ss_feat_reqs[1] = { { SS_FEAT_ALWAYS, 0, NULL } };" > src
	}
}
