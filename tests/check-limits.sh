#!/bin/sh
# docs/limits.md names each limit's constant and file: "(`NAME`, path)".  Check
# that the file defines NAME and that its value is the number the Value column
# starts with (1,024 or 2^26 style), and that every quoted message of the form
# "error: ... (at most N)" is one the code can print.  Run from the source root.
set -u
doc=docs/limits.md
python3 - "$doc" <<'PY'
import re, sys
doc = open(sys.argv[1]).read()
fails = 0; checked = 0
def value_of(expr, text, seen=()):
    expr = expr.split('/*')[0].strip()
    expr = re.sub(r'UINT(32|64)_C\(([^)]*)\)', r'\2', expr)
    expr = re.sub(r'(\d+)[uUlL]+', r'\1', expr)
    for name in set(re.findall(r'\b[A-Z_][A-Z0-9_]+\b', expr)):
        if name in seen:
            raise ValueError(name)
        m = re.search(r'#define\s+' + name + r'\s+(.+)', text)
        if not m:
            raise KeyError(name)
        expr = re.sub(r'\b' + name + r'\b', '(%d)' % value_of(m.group(1), text, seen + (name,)), expr)
    return int(eval(expr, {}, {}))
alltext = {}
for row in doc.split('\n'):
    m = re.match(r'\| [^|]*\(`([A-Z_][A-Z0-9_]*)`, ([\w/.]+)\)[^|]*\| ([^|]*)\|', row)
    if not m:
        m2 = re.match(r'\| [^|]*default `([A-Z_][A-Z0-9_]*)`, ([\w/.]+)\)[^|]*\| ([^|]*)\|', row)
        if not m2:
            continue
        m = m2
    name, path, value = m.group(1), m.group(2), m.group(3)
    try:
        text = open(path).read()
    except OSError:
        print("FAIL %s: %s does not exist" % (name, path)); fails += 1; continue
    # constants that name others defined elsewhere: search the whole tree's headers too
    if path not in alltext:
        import glob
        alltext[path] = text + ''.join(open(f).read() for f in glob.glob('*/*.h'))
    d = re.search(r'#define\s+' + name + r'\s+(.+)', text)
    if not d:
        print("FAIL %s is not defined in %s" % (name, path)); fails += 1; continue
    v = value_of(d.group(1), alltext[path])
    num = re.match(r'\s*([\d,]+)(?:\s|$)|\s*2\^(\d+)', value)
    if num and num.group(1):
        want = int(num.group(1).replace(',', ''))
    elif num:
        want = 2 ** int(num.group(2))
    else:
        print("FAIL %s: no value in '%s'" % (name, value.strip())); fails += 1; continue
    checked += 1
    if v != want:
        print("FAIL %s: docs say %d, %s has %d" % (name, want, path, v)); fails += 1
    else:
        print("ok   %s = %d" % (name, v))
# Messages "error: too many ... (at most N)": the format string exists.
import glob
src = ''.join(open(f).read() for f in glob.glob('*/*.c'))
for msg in set(re.findall(r'error: ((?:too many|line too long|file too large)[^`(]*)\(at most', doc)):
    checked += 1
    if msg.strip() not in src:
        print("FAIL message '%s' is printed nowhere" % msg.strip()); fails += 1
if checked < 15:
    print("FAIL only %d limits checked" % checked); fails += 1
print("%d passed, %d failed" % (checked - fails, fails))
sys.exit(1 if fails else 0)
PY
