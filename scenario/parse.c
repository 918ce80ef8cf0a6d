/*
 * parse.c - the line-oriented lexer and parser of scenario files.
 *
 * The text is cut into lines; each line is lexed into at most LEX_MAX tokens
 * and parsed according to the section it is in.  No recursion, no unbounded
 * buffers: every name has a maximum length, every line a maximum number of
 * tokens, and numbers are parsed with overflow checks.
 */
#include "ast.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LEX_MAX 64
/* Records of one kind (terms, code lines, expectations...) in one file: more
 * than a file of SS_MAX_FILE bytes can hold (a term takes 2 bytes at least),
 * so a valid file never reaches it. */
#define AST_MAX_RECORDS (1u << 22)

/* --- growable arrays -------------------------------------------------------- */

/* Make room for one more element; false when out of memory or too many. */
static bool grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	if (n >= AST_MAX_RECORDS * (size == 1 ? 64 : 1))
		return false;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(*v, ncap * size);
	if (!p)
		return false;
	*v = p;
	*cap = ncap;
	return true;
}

#define PUSH(p, vec) \
	(grow((void **)&(vec).v, &(vec).cap, (vec).n, sizeof *(vec).v) \
		 ? (memset(&(vec).v[(vec).n], 0, sizeof *(vec).v), &(vec).v[(vec).n++]) \
		 : (out_of_room(p), NULL))

/* Add a string of len bytes to the pool; returns its offset (0 = ""). */
static bool intern(struct ast *ast, const char *s, size_t len, ast_str *out)
{
	if (ast->str.n == 0) {
		if (!grow((void **)&ast->str.v, &ast->str.cap, 0, 1))
			return false;
		ast->str.v[ast->str.n++] = '\0';
	}
	for (size_t i = 0; i <= len; i++)
		if (!grow((void **)&ast->str.v, &ast->str.cap, ast->str.n + i, 1))
			return false;
	*out = (ast_str)ast->str.n;
	memcpy(ast->str.v + ast->str.n, s, len);
	ast->str.v[ast->str.n + len] = '\0';
	ast->str.n += len + 1;
	return true;
}

void scn_ast_free(struct ast *ast)
{
	free(ast->meta.v);
	free(ast->knobs.v);
	free(ast->hosts.v);
	free(ast->init.v);
	free(ast->code.v);
	free(ast->events.v);
	free(ast->memory.v);
	free(ast->expects.v);
	free(ast->terms.v);
	free(ast->str.v);
	memset(ast, 0, sizeof *ast);
}

const char *scn_ast_meta_get(const struct ast *ast, const char *key)
{
	for (size_t i = 0; i < ast->meta.n; i++)
		if (strcasecmp(ast->meta.v[i].key, key) == 0)
			return ast->meta.v[i].value;
	return NULL;
}

/* --- numbers -------------------------------------------------------------- */

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

const char *scn_ast_parse_number(const char *s, size_t len, uint64_t *out)
{
	unsigned base = 10;
	size_t i = 0;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, i = 2;
	else if (len > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, i = 2;
	uint64_t v = 0;
	bool any = false, prev_sep = true;
	for (; i < len; i++) {
		if (s[i] == '_') {
			if (prev_sep)
				return "invalid number";
			prev_sep = true;
			continue;
		}
		int dv = digit_value(s[i]);
		if (dv >= (int)base)
			return "invalid number";
		if (v > (UINT64_MAX - (uint64_t)dv) / base)
			return "number does not fit in 64 bits";
		v = v * base + (uint64_t)dv;
		any = true;
		prev_sep = false;
	}
	if (!any || prev_sep)
		return "invalid number";
	*out = v;
	return NULL;
}

const char *ss_parse_number(const char *s, uint64_t *out)
{
	return scn_ast_parse_number(s, strlen(s), out);
}

/* --- lexer ---------------------------------------------------------------- */

enum tk { TK_END, TK_NAME, TK_NUM, TK_DIR, TK_HASH, TK_PLUS, TK_MINUS, TK_COMMA,
	  TK_COLON, TK_EQ, TK_EQEQ, TK_NE, TK_STAR, TK_LBR, TK_RBR };

struct tok {
	enum tk k;
	unsigned col;		/* 1-based */
	const char *s;
	unsigned len;
	uint64_t num;
};

struct line {
	const char *s;
	size_t len;
	unsigned no;
	struct tok t[LEX_MAX + 1];
	unsigned nt;
};

static bool is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static void bad_char(struct ss_diags *d, unsigned line, unsigned col, char c)
{
	if (isprint((unsigned char)c))
		ss_diag_add(d, line, col, "unexpected character '%c'", c);
	else
		ss_diag_add(d, line, col, "unexpected character 0x%02x", (unsigned char)c);
}

/* Length of a name starting at s[0] (letters, digits, '_', inner '.'). */
static size_t name_len(const char *s, size_t max)
{
	size_t i = 0;
	while (i < max) {
		if (is_name_char(s[i]))
			i++;
		else if (s[i] == '.' && i > 0 && i + 1 < max && is_name_char(s[i + 1]))
			i++;
		else
			break;
	}
	return i;
}

static const char *punct_kind(char c, char next, enum tk *k, unsigned *len)
{
	*len = 1;
	switch (c) {
	case '+': *k = TK_PLUS; return NULL;
	case '-': *k = TK_MINUS; return NULL;
	case ',': *k = TK_COMMA; return NULL;
	case ':': *k = TK_COLON; return NULL;
	case '*': *k = TK_STAR; return NULL;
	case '[': *k = TK_LBR; return NULL;
	case ']': *k = TK_RBR; return NULL;
	case '=':
		if (next == '=')
			*len = 2, *k = TK_EQEQ;
		else
			*k = TK_EQ;
		return NULL;
	case '!':
		if (next == '=') {
			*len = 2, *k = TK_NE;
			return NULL;
		}
		return "bad";
	default:
		return "bad";
	}
}

/*
 * Lex one line.  In code lines a '#' directly followed by a value character
 * is an immediate marker; any other '#' starts a comment.
 */
static bool lex(struct line *ln, bool code, struct ss_diags *d)
{
	const char *s = ln->s;
	size_t i = 0, n = ln->len;
	ln->nt = 0;
	while (i < n) {
		char c = s[i];
		unsigned col = (unsigned)i + 1;
		if (c == ' ' || c == '\t') {
			i++;
			continue;
		}
		if (ln->nt >= LEX_MAX) {
			ss_diag_add(d, ln->no, col, "too many tokens on one line");
			return false;
		}
		struct tok *t = &ln->t[ln->nt];
		t->col = col;
		t->s = s + i;
		if (c == '#') {
			char nx = i + 1 < n ? s[i + 1] : '\0';
			if (code && ln->nt > 0 && (is_name_char(nx) || nx == '-' || nx == '+')) {
				t->k = TK_HASH;
				t->len = 1;
				ln->nt++;
				i++;
				continue;
			}
			break;
		}
		if (is_name_start(c) || (c == '.' && i + 1 < n && is_name_start(s[i + 1]))) {
			size_t l = (c == '.') ? 1 + name_len(s + i + 1, n - i - 1) : name_len(s + i, n - i);
			if (l >= AST_NAME) {
				ss_diag_add(d, ln->no, col, "name too long (at most %d characters)",
					    AST_NAME - 1);
				return false;
			}
			t->k = (c == '.') ? TK_DIR : TK_NAME;
			t->len = (unsigned)l;
			ln->nt++;
			i += l;
			continue;
		}
		if (isdigit((unsigned char)c)) {
			size_t l = 0;
			while (i + l < n && is_name_char(s[i + l]))
				l++;
			const char *err = scn_ast_parse_number(s + i, l, &t->num);
			if (err) {
				int w = (int)(l > 40 ? 40 : l);
				if (strcmp(err, "invalid number") == 0)
					ss_diag_add(d, ln->no, col, "invalid number '%.*s'", w, s + i);
				else
					ss_diag_add(d, ln->no, col, "number '%.*s' does not fit in 64 bits", w,
						    s + i);
				return false;
			}
			t->k = TK_NUM;
			t->len = (unsigned)l;
			ln->nt++;
			i += l;
			continue;
		}
		unsigned plen;
		if (punct_kind(c, i + 1 < n ? s[i + 1] : '\0', &t->k, &plen)) {
			bad_char(d, ln->no, col, c);
			return false;
		}
		t->len = plen;
		ln->nt++;
		i += plen;
	}
	struct tok *e = &ln->t[ln->nt];
	e->k = TK_END;
	e->col = (unsigned)n + 1;
	e->s = s + n;
	e->len = 0;
	return true;
}

/* --- parser state ------------------------------------------------------------ */

enum section { SEC_HEADER, SEC_CPU, SEC_INIT, SEC_CODE, SEC_EVENTS, SEC_EXPECT, SEC_MEMORY, SEC_UNKNOWN };

struct parser {
	struct ast *ast;
	struct ss_diags *d;
	enum section sec;
	enum ast_block_kind block;
	uint64_t block_arg;
	struct ast_policy policy;	/* of the current [expect ...] section */
	enum ast_quant cond;		/* in [exists] or [forall] */
	unsigned host;			/* [cpu]: 0; [host NAME]: its index + 1 */
	bool out_of_room;		/* reported once */
	bool too_many_expects;		/* reported once */
	struct line ln;
	unsigned i;		/* current token */
};

/* Memory ran out (or a record count passed AST_MAX_RECORDS): said once. */
static void out_of_room(struct parser *p)
{
	if (!p->out_of_room)
		ss_diag_add(p->d, p->ln.no, 1, "out of memory");
	p->out_of_room = true;
}

static const struct tok *peek(const struct parser *p)
{
	return &p->ln.t[p->i];
}

static const struct tok *next(struct parser *p)
{
	const struct tok *t = &p->ln.t[p->i];
	if (t->k != TK_END)
		p->i++;
	return t;
}

static bool tok_is(const struct tok *t, const char *word)
{
	return t->k == TK_NAME && strlen(word) == t->len && strncasecmp(t->s, word, t->len) == 0;
}

/* Describe a token for messages. */
static const char *tok_desc(const struct tok *t, char *buf, size_t len)
{
	if (t->k == TK_END)
		snprintf(buf, len, "end of line");
	else
		snprintf(buf, len, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->s);
	return buf;
}

static void unexpected(struct parser *p, const struct tok *t, const char *expected)
{
	char b[64];
	ss_diag_add(p->d, p->ln.no, t->col, "expected %s, found %s", expected, tok_desc(t, b, sizeof b));
}

static bool intern_tok(struct parser *p, const struct tok *t, ast_str *out)
{
	if (intern(p->ast, t->s, t->len, out))
		return true;
	ss_diag_add(p->d, p->ln.no, t->col, "out of memory");
	return false;
}

static struct ast_pos pos_of(const struct parser *p, const struct tok *t)
{
	return (struct ast_pos){ p->ln.no, t->col };
}

static bool at_end(struct parser *p, const char *what)
{
	const struct tok *t = peek(p);
	if (t->k == TK_END)
		return true;
	char b[64];
	ss_diag_add(p->d, p->ln.no, t->col, "unexpected %s after %s", tok_desc(t, b, sizeof b), what);
	return false;
}

/* --- expressions -------------------------------------------------------------- */

static bool parse_term(struct parser *p, bool neg, struct ast_expr *e)
{
	const struct tok *t = peek(p);
	if (t->k != TK_NUM && t->k != TK_NAME)
		return false;
	if (e->n >= AST_TERMS) {
		ss_diag_add(p->d, p->ln.no, t->col, "expression too long (at most %d terms)", AST_TERMS);
		return false;
	}
	struct ast_term *term = PUSH(p, p->ast->terms);
	if (!term)
		return false;
	term->pos = pos_of(p, t);
	term->neg = neg;
	term->is_name = t->k == TK_NAME;
	term->num = t->num;
	if (term->is_name && !intern_tok(p, t, &term->name))
		return false;
	e->n++;
	next(p);
	return true;
}

/*
 * expr := ['-'|'+'] term { ('+'|'-') term } | '*' (when star is allowed).
 * Reports its own errors; returns false on one.
 */
static bool parse_expr(struct parser *p, struct ast_expr *e, bool star, const char *what)
{
	const struct tok *first = peek(p);
	memset(e, 0, sizeof *e);
	e->pos = pos_of(p, first);
	e->first = (uint32_t)p->ast->terms.n;
	if (star && first->k == TK_STAR) {
		next(p);
		e->star = true;
		return intern(p->ast, "*", 1, &e->text);
	}
	bool neg = false;
	if (first->k == TK_MINUS || first->k == TK_PLUS) {
		neg = first->k == TK_MINUS;
		next(p);
	}
	const struct tok *prev = first;
	for (;;) {
		size_t before = p->d->n;
		if (!parse_term(p, neg, e)) {
			if (p->d->n != before)
				return false;
			const struct tok *t = peek(p);
			if (e->n == 0 && prev == first && first->k != TK_MINUS && first->k != TK_PLUS)
				unexpected(p, t, what);
			else if (t->k == TK_END)
				ss_diag_add(p->d, p->ln.no, t->col,
					    "unterminated expression: expected a number or name after '%.*s'",
					    (int)prev->len, prev->s);
			else
				unexpected(p, t, "a number or name");
			return false;
		}
		const struct tok *op = peek(p);
		if (op->k != TK_PLUS && op->k != TK_MINUS)
			break;
		prev = op;
		neg = op->k == TK_MINUS;
		next(p);
	}
	const struct tok *last = &p->ln.t[p->i - 1];
	size_t len = (size_t)(last->s + last->len - first->s);
	if (len >= AST_VALUE)
		len = AST_VALUE - 1;
	if (!intern(p->ast, first->s, len, &e->text)) {
		ss_diag_add(p->d, p->ln.no, first->col, "out of memory");
		return false;
	}
	return true;
}

/* --- header and [cpu]: raw key/value lines --------------------------------- */

static size_t skip_blank(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* End of the meaningful text: before a comment and trailing blanks. */
static size_t text_end(const char *s, size_t i, size_t n)
{
	size_t e = i;
	while (e < n && s[e] != '#')
		e++;
	while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	return e;
}

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	unsigned v = c & (0x7f >> len);
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[k] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	return len;
}

/* Control characters are garbage everywhere (tabs excepted); text beyond
 * ASCII (names, comments) must be well-formed UTF-8. */
static bool check_controls(struct parser *p)
{
	const unsigned char *s = (const unsigned char *)p->ln.s;
	for (size_t i = 0; i < p->ln.len; i++) {
		unsigned char c = s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			bad_char(p->d, p->ln.no, (unsigned)i + 1, (char)c);
			return false;
		}
		if (c >= 0x80) {
			size_t k = utf8_len(s + i, p->ln.len - i);
			if (!k) {
				ss_diag_add(p->d, p->ln.no, (unsigned)i + 1,
					    "invalid UTF-8 (byte 0x%02x)", c);
				return false;
			}
			i += k - 1;
		}
	}
	return true;
}

static const char *const meta_keys[] = { "scenario", "description", "rule", "tags", "profile",
					 NULL };

static void parse_meta(struct parser *p)
{
	const char *s = p->ln.s;
	size_t n = p->ln.len, i = skip_blank(s, 0, n), k = i;
	while (k < n && is_name_char(s[k]))
		k++;
	size_t c = skip_blank(s, k, n);
	if (k == i || c >= n || s[c] != ':') {
		ss_diag_add(p->d, p->ln.no, (unsigned)i + 1,
			    "expected 'key: value' or a section header such as [init]");
		return;
	}
	if (k - i >= AST_NAME) {
		ss_diag_add(p->d, p->ln.no, (unsigned)i + 1, "name too long");
		return;
	}
	char key[AST_NAME];
	memcpy(key, s + i, k - i);
	key[k - i] = '\0';
	bool known = false;
	for (unsigned j = 0; meta_keys[j]; j++)
		known |= strcasecmp(meta_keys[j], key) == 0;
	if (!known) {
		ss_diag_add(p->d, p->ln.no, (unsigned)i + 1,
			    "unknown header key '%s' (expected scenario, description, rule, tags or profile)", key);
		return;
	}
	if (scn_ast_meta_get(p->ast, key)) {
		ss_diag_add(p->d, p->ln.no, (unsigned)i + 1, "duplicate header key '%s'", key);
		return;
	}
	size_t v = skip_blank(s, c + 1, n), e = text_end(s, v, n);
	struct ast_meta *m = PUSH(p, p->ast->meta);
	if (!m)
		return;
	m->pos = (struct ast_pos){ p->ln.no, (unsigned)i + 1 };
	for (size_t j = 0; key[j]; j++)
		key[j] = (char)tolower((unsigned char)key[j]);
	snprintf(m->key, sizeof m->key, "%s", key);
	size_t vl = e - v < sizeof m->value ? e - v : sizeof m->value - 1;
	memcpy(m->value, s + v, vl);
	m->value[vl] = '\0';
	if (strcmp(m->key, "scenario") == 0 && vl == 0)
		ss_diag_add(p->d, p->ln.no, (unsigned)v + 1, "empty scenario name");
}

static bool is_knob_char(char c)
{
	return is_name_char(c) || c == '.' || c == '-';
}

static void parse_knob(struct parser *p)
{
	const char *s = p->ln.s;
	size_t n = p->ln.len, i = skip_blank(s, 0, n), k = i;
	while (k < n && is_knob_char(s[k]))
		k++;
	size_t eq = skip_blank(s, k, n);
	if (k == i || eq >= n || s[eq] != '=') {
		ss_diag_add(p->d, p->ln.no, (unsigned)(k == i ? i : eq) + 1, "expected 'knob = value'");
		return;
	}
	size_t v = skip_blank(s, eq + 1, n), ve = v;
	while (ve < n && s[ve] != ' ' && s[ve] != '\t' && s[ve] != '#')
		ve++;
	if (ve == v) {
		ss_diag_add(p->d, p->ln.no, (unsigned)v + 1, "expected a value after '='");
		return;
	}
	size_t rest = skip_blank(s, ve, n);
	if (rest < n && s[rest] != '#') {
		ss_diag_add(p->d, p->ln.no, (unsigned)rest + 1, "unexpected text after the value");
		return;
	}
	if (k - i >= AST_NAME || ve - v >= AST_VALUE) {
		ss_diag_add(p->d, p->ln.no, (unsigned)i + 1, "knob name or value too long");
		return;
	}
	struct ast_knob *kn = PUSH(p, p->ast->knobs);
	if (!kn)
		return;
	kn->pos = (struct ast_pos){ p->ln.no, (unsigned)i + 1 };
	kn->vpos = (struct ast_pos){ p->ln.no, (unsigned)v + 1 };
	memcpy(kn->name, s + i, k - i);
	memcpy(kn->value, s + v, ve - v);
	kn->host = p->host;
}


/* --- policy qualifiers ----------------------------------------------------------- */

/* The knobs whose values name policies, in the order they are searched. */
static const char *const policy_knobs[] = { "merge", "vinject", NULL };

/* Compare a policy name with a knob value: case-insensitive, '-' and '_' equal. */
static bool policy_name_eq(const char *a, size_t alen, const char *b)
{
	size_t i = 0;
	for (; i < alen && b[i]; i++) {
		char ca = a[i] == '_' ? '-' : (char)tolower((unsigned char)a[i]);
		char cb = b[i] == '_' ? '-' : (char)tolower((unsigned char)b[i]);
		if (ca != cb)
			return false;
	}
	return i == alen && !b[i];
}

bool scn_ast_policy_applies(const struct ast_policy *p, const struct ss_config *cfg)
{
	if (!p->knob)
		return true;
	uint64_t v = ss_knob_get(cfg, p->knob);
	return v < 32 && (p->mask >> v & 1u);
}

static void policy_list(char *buf, size_t len, const struct ss_knob *k)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; k && k->values[i] && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", k->values[i]);
		used += n > 0 ? (size_t)n : 0;
	}
}

/*
 * policy=NAME[,NAME...] with the current token on 'policy'.  A NAME is
 * lexed as names joined by '-' (ras-combine); all NAMEs must be values of
 * the same knob, merge or vinject.
 */
static bool parse_policy(struct parser *p, struct ast_policy *out)
{
	const struct tok *kw = next(p);
	if (out->knob) {
		ss_diag_add(p->d, p->ln.no, kw->col, "policy given twice for one expectation");
		return false;
	}
	const struct tok *eq = next(p);
	if (eq->k != TK_EQ) {
		unexpected(p, eq, "'=' after 'policy'");
		return false;
	}
	struct ast_policy pol = { .pos = pos_of(p, kw) };
	for (;;) {
		const struct tok *first = peek(p);
		if (first->k != TK_NAME) {
			unexpected(p, first, "a policy name (a value of the merge or vinject knob)");
			return false;
		}
		const struct tok *last = next(p);
		while ((peek(p)->k == TK_MINUS || peek(p)->k == TK_NAME || peek(p)->k == TK_NUM) &&
		       peek(p)->s == last->s + last->len)
			last = next(p);
		size_t len = (size_t)(last->s + last->len - first->s);
		const struct ss_knob *knob = NULL;
		unsigned value = 0;
		for (unsigned k = 0; policy_knobs[k] && !knob; k++) {
			const struct ss_knob *kn = ss_knob_find(policy_knobs[k]);
			for (unsigned i = 0; kn && kn->values && kn->values[i]; i++)
				if (policy_name_eq(first->s, len, kn->values[i])) {
					knob = kn;
					value = i;
					break;
				}
		}
		int w = (int)(len > 40 ? 40 : len);
		if (!knob) {
			char m[160], v[120];
			policy_list(m, sizeof m, ss_knob_find("merge"));
			policy_list(v, sizeof v, ss_knob_find("vinject"));
			ss_diag_add(p->d, p->ln.no, first->col,
				    "unknown policy '%.*s' (expected a merge value: %s; or a vinject "
				    "value: %s)", w, first->s, m, v);
			return false;
		}
		if (pol.knob && pol.knob != knob) {
			ss_diag_add(p->d, p->ln.no, first->col,
				    "policy '%.*s' is a %s value but this qualifier already names %s "
				    "values; use one knob per qualifier", w, first->s, knob->name,
				    pol.knob->name);
			return false;
		}
		pol.knob = knob;
		pol.mask |= 1u << value;
		if (peek(p)->k != TK_COMMA)
			break;
		next(p);
	}
	*out = pol;
	return true;
}

/* --- section headers -------------------------------------------------------- */

/* [host NAME]: the name after 'host'; a name seen before reopens that host. */
static bool parse_host_name(struct parser *p, unsigned *host)
{
	const struct tok *t = next(p);
	if (t->k != TK_NAME || memchr(t->s, '.', t->len)) {
		unexpected(p, t, "a host name after 'host' ([host B])");
		return false;
	}
	for (size_t i = 0; i < p->ast->hosts.n; i++)
		if (strlen(p->ast->hosts.v[i].name) == t->len &&
		    strncmp(p->ast->hosts.v[i].name, t->s, t->len) == 0) {
			*host = (unsigned)i + 1;
			return true;
		}
	/* The cap applies here, so that the name search above stays short. */
	if (p->ast->hosts.n >= AST_MAX_HOSTS) {
		ss_diag_add(p->d, p->ln.no, t->col, "too many hosts (at most %d)", AST_MAX_HOSTS);
		return false;
	}
	struct ast_host *h = PUSH(p, p->ast->hosts);
	if (!h)
		return false;
	h->pos = pos_of(p, t);
	memcpy(h->name, t->s, t->len);
	*host = (unsigned)p->ast->hosts.n;
	return true;
}

static void parse_section(struct parser *p)
{
	p->i = 0;
	p->sec = SEC_UNKNOWN; /* until the header is known to be good */
	next(p); /* '[' */
	const struct tok *name = next(p);
	if (name->k != TK_NAME) {
		unexpected(p, name, "a section name");
		return;
	}
	enum section sec;
	enum ast_block_kind block = AST_BLOCK_FINAL;
	uint64_t arg = 0;
	if (tok_is(name, "cpu"))
		sec = SEC_CPU;
	else if (tok_is(name, "init"))
		sec = SEC_INIT;
	else if (tok_is(name, "code"))
		sec = SEC_CODE;
	else if (tok_is(name, "events"))
		sec = SEC_EVENTS;
	else if (tok_is(name, "expect"))
		sec = SEC_EXPECT;
	else if (tok_is(name, "exists") || tok_is(name, "forall"))
		sec = SEC_EXPECT;
	else if (tok_is(name, "host"))
		sec = SEC_CPU;
	else if (tok_is(name, "memory"))
		sec = SEC_MEMORY;
	else {
		ss_diag_add(p->d, p->ln.no, name->col,
			    "unknown section '[%.*s]' (expected cpu, host NAME, init, memory, code, events, "
			    "expect, exists or forall)", (int)name->len, name->s);
		return;
	}
	unsigned host = 0;
	if (tok_is(name, "host") && !parse_host_name(p, &host))
		return;
	struct ast_policy pol = { .knob = NULL };
	bool have_block = false;
	enum ast_quant cond = tok_is(name, "exists") ? AST_QUANT_EXISTS
			      : tok_is(name, "forall") ? AST_QUANT_FORALL : AST_QUANT_NONE;
	if (cond && peek(p)->k != TK_RBR) {
		ss_diag_add(p->d, p->ln.no, peek(p)->col,
			    "[%s] takes no qualifier (a condition on the final state)",
			    cond == AST_QUANT_EXISTS ? "exists" : "forall");
		return;
	}
	if (cond && p->ast->quant && p->ast->quant != cond) {
		ss_diag_add(p->d, p->ln.no, name->col,
			    "a scenario states one condition: [exists] or [forall], not both");
		return;
	}
	while (sec == SEC_EXPECT && peek(p)->k == TK_NAME) {
		if (tok_is(peek(p), "policy")) {
			if (!parse_policy(p, &pol))
				return;
			continue;
		}
		const struct tok *kind = next(p);
		if (tok_is(kind, "exception") && !have_block)
			block = AST_BLOCK_EXCEPTION;
		else if (tok_is(kind, "cycle") && !have_block)
			block = AST_BLOCK_CYCLE;
		else if (have_block && (tok_is(kind, "exception") || tok_is(kind, "cycle"))) {
			ss_diag_add(p->d, p->ln.no, kind->col,
				    "an expectation block has one 'exception K' or 'cycle N'");
			return;
		} else {
			ss_diag_add(p->d, p->ln.no, kind->col,
				    "unknown expectation block '%.*s' (expected 'exception K', 'cycle N' "
				    "or 'policy=NAME')", (int)kind->len, kind->s);
			return;
		}
		have_block = true;
		const struct tok *num = next(p);
		if (num->k != TK_NUM) {
			unexpected(p, num, block == AST_BLOCK_EXCEPTION ? "an exception number"
									: "a cycle number");
			return;
		}
		if (block == AST_BLOCK_EXCEPTION && num->num == 0) {
			ss_diag_add(p->d, p->ln.no, num->col,
				    "exception numbers start at 1 (the first exception taken)");
			return;
		}
		if (block == AST_BLOCK_EXCEPTION && num->num > UINT32_MAX) {
			ss_diag_add(p->d, p->ln.no, num->col, "exception number too large (at most %u)",
				    UINT32_MAX);
			return;
		}
		arg = num->num;
	}
	const struct tok *rb = next(p);
	if (rb->k != TK_RBR) {
		unexpected(p, rb, "']'");
		return;
	}
	if (!at_end(p, "the section header"))
		return;
	p->sec = sec;
	p->host = host;
	p->block = block;
	p->block_arg = arg;
	p->policy = pol;
	p->cond = cond;
	if (cond)
		p->ast->quant = cond;
	struct ast_pos pos = { p->ln.no, 1 };
	if (sec == SEC_CPU && !host && !p->ast->has_cpu)
		p->ast->has_cpu = true, p->ast->cpu_pos = pos;
	if (sec == SEC_INIT && !p->ast->has_init)
		p->ast->has_init = true, p->ast->init_pos = pos;
}

/* --- [init] -------------------------------------------------------------------- */

static void parse_init(struct parser *p)
{
	const struct tok *t = next(p);
	if (t->k != TK_NAME) {
		unexpected(p, t, "a register, field, X0..X30 or PC");
		return;
	}
	const struct tok *eq = next(p);
	if (eq->k != TK_EQ) {
		unexpected(p, eq, "'='");
		return;
	}
	struct ast_init in = { .pos = pos_of(p, t) };
	if (!intern_tok(p, t, &in.target) || !parse_expr(p, &in.value, false, "a value"))
		return;
	if (!at_end(p, "the value"))
		return;
	struct ast_init *slot = PUSH(p, p->ast->init);
	if (slot)
		*slot = in;
}

/* --- [code] --------------------------------------------------------------------- */

static bool parse_operands(struct parser *p, struct ast_code *c)
{
	if (peek(p)->k == TK_END)
		return true;
	for (;;) {
		if (c->nops >= AST_OPERANDS) {
			ss_diag_add(p->d, p->ln.no, peek(p)->col, "too many operands");
			return false;
		}
		struct ast_operand *op = &c->ops[c->nops++];
		op->pos = pos_of(p, peek(p));
		if (peek(p)->k == TK_LBR) {
			op->lbr = true;
			next(p);
		}
		if (peek(p)->k == TK_HASH) {
			op->hash = true;
			next(p);
		}
		if (!parse_expr(p, &op->e, false, "an operand"))
			return false;
		if (peek(p)->k == TK_RBR) {
			op->rbr = true;
			next(p);
		}
		const struct tok *t = peek(p);
		if (t->k == TK_END)
			return true;
		if (t->k != TK_COMMA) {
			unexpected(p, t, "',' or end of line");
			return false;
		}
		next(p);
	}
}

static bool parse_vector(struct parser *p, struct ast_code *c)
{
	const struct tok *a = &p->ln.t[p->i];
	bool named = a->k == TK_NAME && a[1].k == TK_NAME && a[2].k == TK_NAME &&
		     a[3].k == TK_END;
	if (!named) {
		c->kind = AST_CODE_VECTOR;
		return parse_expr(p, &c->where, false, "an address") && at_end(p, "the address");
	}
	c->kind = AST_CODE_VECTOR_NAMED;
	for (unsigned j = 0; j < 3; j++) {
		const struct tok *t = next(p);
		c->vec_pos[j] = pos_of(p, t);
		if (!intern_tok(p, t, &c->vec[j]))
			return false;
	}
	return true;
}

static void parse_code(struct parser *p)
{
	struct ast_code c = { .pos = pos_of(p, peek(p)) };
	while (peek(p)->k == TK_NAME && p->ln.t[p->i + 1].k == TK_COLON) {
		const struct tok *t = next(p);
		if (c.nlabels >= AST_LABELS) {
			ss_diag_add(p->d, p->ln.no, t->col, "too many labels on one line");
			return;
		}
		if (memchr(t->s, '.', t->len)) {
			ss_diag_add(p->d, p->ln.no, t->col, "a label name cannot contain '.'");
			return;
		}
		c.label_pos[c.nlabels] = pos_of(p, t);
		if (!intern_tok(p, t, &c.labels[c.nlabels++]))
			return;
		next(p);
	}
	const struct tok *t = peek(p);
	if (t->k == TK_DIR) {
		next(p);
		if (t->len == 4 && strncasecmp(t->s, ".org", 4) == 0) {
			c.kind = AST_CODE_ORG;
			if (!parse_expr(p, &c.where, false, "an address") || !at_end(p, "the address"))
				return;
		} else if (t->len == 7 && strncasecmp(t->s, ".vector", 7) == 0) {
			if (!parse_vector(p, &c))
				return;
		} else {
			ss_diag_add(p->d, p->ln.no, t->col,
				    "unknown directive '%.*s' (expected .org or .vector)", (int)t->len, t->s);
			return;
		}
	} else if (t->k == TK_NAME) {
		next(p);
		c.kind = AST_CODE_INSN;
		c.mpos = pos_of(p, t);
		if (!intern_tok(p, t, &c.mnemonic) || !parse_operands(p, &c))
			return;
	} else if (t->k != TK_END) {
		unexpected(p, t, "a label, an instruction or a directive");
		return;
	}
	struct ast_code *slot = PUSH(p, p->ast->code);
	if (slot)
		*slot = c;
}

/* --- [events] ----------------------------------------------------------------- */

static bool parse_option(struct parser *p, struct ast_event *ev)
{
	const struct tok *t = next(p);
	if (t->k != TK_NAME) {
		unexpected(p, t, "an event option");
		return false;
	}
	if (ev->nopts >= AST_OPTIONS) {
		ss_diag_add(p->d, p->ln.no, t->col, "too many event options");
		return false;
	}
	struct ast_option *o = &ev->opts[ev->nopts++];
	o->pos = pos_of(p, t);
	if (!intern_tok(p, t, &o->name))
		return false;
	if (peek(p)->k == TK_EQ) {
		next(p);
		o->has_value = true;
		return parse_expr(p, &o->value, false, "a value");
	}
	return true;
}

/* An address range 'LO to HI' ([memory] and the sea event); 'form' is how
 * the message names the whole (a range is FORM). */
static bool parse_range(struct parser *p, struct ast_expr *lo, struct ast_expr *hi,
			const char *form)
{
	if (!parse_expr(p, lo, false, "the first address of a range"))
		return false;
	const struct tok *to = next(p);
	if (!tok_is(to, "to")) {
		char what[64];
		snprintf(what, sizeof what, "'to' (a range is '%s')", form);
		unexpected(p, to, what);
		return false;
	}
	return parse_expr(p, hi, false, "the last address of the range");
}

/* [memory]: LO to HI: option... */
static void parse_memory(struct parser *p)
{
	struct ast_memory m = { .ev.pos = pos_of(p, peek(p)) };
	if (!parse_range(p, &m.ev.when, &m.hi, "LO to HI:"))
		return;
	const struct tok *colon = next(p);
	if (colon->k != TK_COLON) {
		unexpected(p, colon, "':'");
		return;
	}
	while (peek(p)->k != TK_END)
		if (!parse_option(p, &m.ev))
			return;
	struct ast_memory *slot = PUSH(p, p->ast->memory);
	if (slot)
		*slot = m;
}

static void parse_event(struct parser *p)
{
	const struct tok *at = next(p);
	if (!tok_is(at, "at")) {
		unexpected(p, at, "'at CYCLE:' or 'at LABEL:'");
		return;
	}
	struct ast_event ev = { .pos = pos_of(p, at) };
	if (!parse_expr(p, &ev.when, false, "a cycle or a label"))
		return;
	const struct tok *colon = next(p);
	if (colon->k != TK_COLON) {
		unexpected(p, colon, "':'");
		return;
	}
	const struct tok *kind = next(p);
	if (tok_is(kind, "serror"))
		ev.kind = AST_EV_SERROR;
	else if (tok_is(kind, "lower"))
		ev.kind = AST_EV_LOWER;
	else if (tok_is(kind, "vserror"))
		ev.kind = AST_EV_VSERROR;
	else if (tok_is(kind, "set_events"))
		ev.kind = AST_EV_SET;
	else if (tok_is(kind, "migrate"))
		ev.kind = AST_EV_MIGRATE;
	else if (tok_is(kind, "get_events"))
		ev.kind = AST_EV_GET;
	else if (tok_is(kind, "error"))
		ev.kind = AST_EV_ERROR;
	else if (tok_is(kind, "irq"))
		ev.kind = AST_EV_IRQ;
	else if (tok_is(kind, "fiq"))
		ev.kind = AST_EV_FIQ;
	else if (tok_is(kind, "sea"))
		ev.kind = AST_EV_SEA;
	else {
		unexpected(p, kind, "'serror', 'vserror', 'lower', 'irq', 'fiq', 'sea', 'set_events', 'get_events', 'migrate' or 'error'");
		return;
	}
	ev.kpos = pos_of(p, kind);
	if (ev.kind == AST_EV_SEA && !parse_range(p, &ev.lo, &ev.hi, "sea LO to HI"))
		return;	/* sea LO to HI options */
	if (ev.kind == AST_EV_MIGRATE && tok_is(peek(p), "to")) {
		next(p);
		const struct tok *h = next(p);
		if (h->k != TK_NAME || p->ln.t[p->i].k == TK_EQ) {
			unexpected(p, h, "a host name after 'to' (a [host NAME] section)");
			return;
		}
		ev.has_host = true;
		ev.host_pos = pos_of(p, h);
		if (!intern_tok(p, h, &ev.host))
			return;
	}
	while (peek(p)->k != TK_END)
		if (!parse_option(p, &ev))
			return;
	struct ast_event *slot = PUSH(p, p->ast->events);
	if (slot)
		*slot = ev;
}

/* --- [expect] ----------------------------------------------------------------- */

static void parse_expect(struct parser *p)
{
	struct ast_policy pol = p->policy;
	if (tok_is(peek(p), "expect") && p->ln.t[p->i + 1].k == TK_LBR) {
		/* expect[policy=NAME] LHS == RHS: a one-line policy qualifier. */
		next(p);
		next(p);
		if (!tok_is(peek(p), "policy")) {
			unexpected(p, peek(p), "'policy=NAME'");
			return;
		}
		if (pol.knob) {
			ss_diag_add(p->d, p->ln.no, peek(p)->col,
				    "policy given twice: the section already has a policy qualifier");
			return;
		}
		if (!parse_policy(p, &pol))
			return;
		const struct tok *rb = next(p);
		if (rb->k != TK_RBR) {
			unexpected(p, rb, "']'");
			return;
		}
	}
	const struct tok *l = next(p);
	if (l->k != TK_NAME) {
		unexpected(p, l, "a register, field or pseudo-value");
		return;
	}
	struct ast_expect x = { .pos = pos_of(p, l), .lhs_pos = pos_of(p, l),
				.block = p->block, .block_arg = p->block_arg, .policy = pol,
				.condition = p->cond != AST_QUANT_NONE };
	if (!intern_tok(p, l, &x.lhs))
		return;
	if (tok_is(peek(p), "at")) {
		next(p);
		x.has_at = true;
		if (!parse_expr(p, &x.at, false, "an address"))
			return;
	}
	const struct tok *op = next(p);
	if (op->k != TK_EQEQ && op->k != TK_NE) {
		unexpected(p, op, op->k == TK_EQ ? "'==' (expectations compare; '=' sets)"
						 : "'==' or '!='");
		return;
	}
	x.neq = op->k == TK_NE;
	if (!parse_expr(p, &x.rhs, true, "a value or '*'") || !at_end(p, "the value"))
		return;
	if (p->ast->expects.n >= SS_MAX_EXPECTS) {
		if (!p->too_many_expects)
			ss_diag_add(p->d, p->ln.no, 1, "too many expectations (at most %u)",
				    SS_MAX_EXPECTS);
		p->too_many_expects = true;	/* said once */
		return;
	}
	struct ast_expect *slot = PUSH(p, p->ast->expects);
	if (slot)
		*slot = x;
}

/* --- driver --------------------------------------------------------------------- */

static bool blank_line(const char *s, size_t n)
{
	size_t i = skip_blank(s, 0, n);
	return i == n || s[i] == '#';
}

static void parse_line(struct parser *p)
{
	const char *s = p->ln.s;
	size_t n = p->ln.len;
	if (!check_controls(p) || blank_line(s, n))
		return;
	size_t first = skip_blank(s, 0, n);
	if (s[first] == '[') {
		if (lex(&p->ln, false, p->d))
			parse_section(p);
		return;
	}
	switch (p->sec) {
	case SEC_HEADER:
		parse_meta(p);
		return;
	case SEC_CPU:
		parse_knob(p);
		return;
	default:
		break;
	}
	if (p->sec == SEC_UNKNOWN)
		return; /* inside a bad section: already reported */
	if (!lex(&p->ln, p->sec == SEC_CODE, p->d))
		return;
	p->i = 0;
	if (p->ln.nt == 0)
		return;
	switch (p->sec) {
	case SEC_INIT: parse_init(p); break;
	case SEC_CODE: parse_code(p); break;
	case SEC_EVENTS: parse_event(p); break;
	case SEC_MEMORY: parse_memory(p); break;
	case SEC_EXPECT: parse_expect(p); break;
	default: break;
	}
}

/*
 * One line of a section, appended to an AST that a whole-file parse filled:
 * the section header 'hdr' (line hno) is parsed first to set the context
 * ([expect exception K policy=NAME] and so on), then the line (line no).  A
 * template's variants use it to re-parse only the lines that hold variables.
 */
bool scn_ast_parse_line(struct ast *ast, const char *hdr, size_t hlen, unsigned hno,
			const char *line, size_t len, unsigned no, struct ss_diags *d)
{
	struct parser p;
	p.ast = ast;
	p.d = d;
	p.sec = SEC_HEADER;
	p.block = AST_BLOCK_FINAL;
	p.block_arg = 0;
	p.policy = (struct ast_policy){ .knob = NULL };
	p.host = 0;
	p.out_of_room = p.too_many_expects = false;
	p.i = 0;
	size_t before = d->n;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (hlen > 0 && hdr[hlen - 1] == '\r')
		hlen--;
	if (len > SS_MAX_LINE || hlen > SS_MAX_LINE)
		return false;
	p.ln.s = hdr;
	p.ln.len = hlen;
	p.ln.no = hno;
	parse_line(&p);
	if (d->n != before || p.sec == SEC_UNKNOWN || p.sec == SEC_HEADER)
		return false;
	p.ln.s = line;
	p.ln.len = len;
	p.ln.no = no;
	parse_line(&p);
	return d->n == before && d->dropped == 0;
}

bool scn_ast_parse(const char *text, size_t len, struct ast *ast, struct ss_diags *d)
{
	struct parser p = { .ast = ast, .d = d, .sec = SEC_HEADER };
	size_t before = d->n;
	bool any = false;
	unsigned no = 0;
	memset(ast, 0, sizeof *ast);
	ast_str empty;
	if (!intern(ast, "", 0, &empty)) {
		ss_diag_add(d, 1, 1, "out of memory");
		return false;
	}
	size_t start = 0;
	/* A UTF-8 byte-order mark at the start is not part of the text. */
	if (len >= 3 && (unsigned char)text[0] == 0xef && (unsigned char)text[1] == 0xbb &&
	    (unsigned char)text[2] == 0xbf)
		start = 3;
	for (size_t i = start; i < len;) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		no++;
		size_t l = e - i;
		if (l > 0 && text[i + l - 1] == '\r')
			l--;
		if (l > SS_MAX_LINE) {
			ss_diag_add(d, no, SS_MAX_LINE + 1, "line too long (at most %d characters)",
				    SS_MAX_LINE);
		} else {
			p.ln.s = text + i;
			p.ln.len = l;
			p.ln.no = no;
			any |= !blank_line(text + i, l);
			parse_line(&p);
		}
		i = e + 1;
		if (no == UINT32_MAX)
			break;
	}
	ast->nlines = no;
	if (!any && d->n == before)
		ss_diag_add(d, 1, 1, "empty scenario: expected a 'scenario:' header and sections");
	else if (!scn_ast_meta_get(ast, "scenario") && d->n == before)
		ss_diag_add(d, 1, 1, "missing 'scenario:' header");
	return d->n == before && d->dropped == 0;
}
