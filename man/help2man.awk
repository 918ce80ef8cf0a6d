# help2man.awk - one command's help text ('serrsim help COMMAND') as a
# man(7) subsection: the usage lines as a synopsis, paragraphs as text,
# option lines ("  -x, --long ARG   meaning") as tagged paragraphs with their
# continuation lines.  Used by gen-man1.sh; mawk-compatible.
function esc(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); sub(/^[.']/, "\\\\\\&&", s); return s }
BEGIN { mode = "usage"; para = 0 }
NR == 1 { sub(/^usage: /, ""); print ".SS " esc(cmd); print ".nf"; print "\\fB" esc($0) "\\fR"; next }
mode == "usage" && /^ +/ { sub(/^ +/, "       "); print esc($0); next }
mode == "usage" { print ".fi"; mode = "text"; para = 1 }
/^$/ { if (mode != "text" || para) print ".PP"; para = 0; next }
/^[a-z][a-z ]*:$/ { print ".PP"; print esc($0); mode = "options"; next }
mode == "options" && /^  +-/ {
	line = $0; sub(/^ +/, "", line)
	# The option and its argument end at two blanks.
	i = index(line, "  ")
	if (i) { opt = substr(line, 1, i - 1); rest = substr(line, i); sub(/^ +/, "", rest) }
	else { opt = line; rest = "" }
	print ".TP"; print "\\fB" esc(opt) "\\fR"
	if (rest != "") print esc(rest)
	next
}
mode == "options" && /^      +/ { line = $0; sub(/^ +/, "", line); print esc(line); next }
{ if (mode == "options" && $0 !~ /^ /) mode = "text"; line = $0; sub(/^ +/, "", line); print esc(line); para = 1 }
END { if (mode == "usage") print ".fi" }
