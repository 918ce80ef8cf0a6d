/*
 * serrsim-qemu - export scenarios as bare-metal AArch64 programs and compare
 * serrsim with QEMU 7.2 (docs/qemu.md).
 *
 *   serrsim-qemu export FILE -o DIR      write DIR/prog.S, DIR/link.ld, build DIR/prog.elf
 *   serrsim-qemu diff [-j N] [-v] [--min-agree N] [--keep DIR] DIR|FILE...
 *   serrsim-qemu profile [NAME]          the knob values of the profiles diff uses
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "progress.h"
#include "profile.h"
#include "qexport.h"

#define EXIT_SKIPPED 77		/* diff: QEMU or the cross compiler is missing */

static const char *cross_cc(void)
{
	const char *s = getenv("SERRSIM_CROSS_CC");
	return s && *s ? s : "aarch64-linux-gnu-gcc";
}

static const char *qemu_bin(void)
{
	const char *s = getenv("SERRSIM_QEMU");
	return s && *s ? s : "qemu-system-aarch64";
}

static unsigned qemu_timeout(void)
{
	const char *s = getenv("SERRSIM_QEMU_TIMEOUT");
	return s && atoi(s) > 0 ? (unsigned)atoi(s) : 10;
}

static bool have_tool(const char *name)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "command -v '%s' >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		buf[n] = 0;
	return buf;
}

/* Write DIR/prog.S and DIR/link.ld and build DIR/prog.elf.  Returns false
 * with q->reason set when the scenario cannot be expressed. */
static bool export_to(struct qex *q, const char *dir, bool build)
{
	char path[4096], cmd[8192];
	if (mkdir(dir, 0777) && errno != EEXIST) {
		snprintf(q->reason, sizeof q->reason, "cannot create %.400s", dir);
		return false;
	}
	snprintf(path, sizeof path, "%s/prog.S", dir);
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(q->reason, sizeof q->reason, "cannot write %.400s", path);
		return false;
	}
	bool ok = qex_write_asm(q, f);
	if (fclose(f) || !ok)
		return false;
	snprintf(path, sizeof path, "%s/link.ld", dir);
	f = fopen(path, "w");
	if (!f || fputs(qex_linker_script(), f) < 0) {
		if (f)
			fclose(f);
		return false;
	}
	fclose(f);
	snprintf(path, sizeof path, "%s/run.sh", dir);
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "#!/bin/sh\n# Run the exported program; it prints one record per hook and exits\n"
			   "# profile %s\n"
			   "cd \"$(dirname \"$0\")\"\n"
			   "exec timeout -k 1 %u %s -M virt,virtualization=on,secure=%s -cpu %s -m 512M "
			   "-display none -monitor none -serial stdio -semihosting -kernel prog.elf\n",
			q->target->profile, qemu_timeout(), qemu_bin(), q->target->secure ? "on" : "off",
			q->target->cpu);
		fclose(f);
		chmod(path, 0755);
	}
	if (!build)
		return true;
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && %s -nostdlib -ffreestanding -static -march=armv8.2-a -Wl,--build-id=none "
		 "-T link.ld -o prog.elf prog.S > build.log 2>&1",
		 dir, cross_cc());
	if (system(cmd) != 0) {
		snprintf(path, sizeof path, "%s/build.log", dir);
		char *log = slurp(path);
		char first[300] = "";
		if (log) {
			char *e = strstr(log, "Error: ");
			snprintf(first, sizeof first, "%s", e ? e + 7 : log);
			char *nl = strchr(first, '\n');
			if (nl)
				*nl = 0;
		}
		free(log);
		snprintf(q->reason, sizeof q->reason, "not expressible in A64: %.300s", first);
		return false;
	}
	return true;
}

static int run_qemu(const char *dir, struct qrun *r)
{
	char cmd[4096], path[4096];
	snprintf(cmd, sizeof cmd, "sh '%s/run.sh' > '%s/qemu.out' 2> '%s/qemu.err' < /dev/null", dir,
		 dir, dir);
	int st = system(cmd);
	snprintf(path, sizeof path, "%s/qemu.out", dir);
	char *out = slurp(path);
	qrun_parse(r, out ? out : "");
	free(out);
	if (!r->ended && !r->fault[0]) {
		if (WIFEXITED(st) && WEXITSTATUS(st) == 124)
			snprintf(r->fault, sizeof r->fault, "QEMU timed out after %u s", qemu_timeout());
		else
			snprintf(r->fault, sizeof r->fault, "QEMU stopped without an end record (status %d)",
				 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	return st;
}

/* --- diff ---------------------------------------------------------------------------- */

enum outcome { OUT_AGREE, OUT_DIFFER, OUT_SKIP, OUT_ERROR };

/* The target a scenario ran on, for the report: nothing for the first
 * (-cpu max), " [profile]" for the others. */
static void print_target(FILE *f, const struct qex *q)
{
	if (q->target && q->target != &qex_targets[0])
		fprintf(f, " [%s]", q->target->profile);
}

/* Run one scenario both ways; the report goes to 'report'.  Returns the
 * outcome, plus 4 * the index of the target in qex_targets. */
static int diff_one(const char *file, const char *dir, const char *report, bool verbose)
{
	FILE *f = fopen(report, "w");
	if (!f)
		return OUT_ERROR;
	struct qex q;
	enum outcome out;
	int tix = 0;
	if (!qex_load(&q, file) || !export_to(&q, dir, true)) {
		fprintf(f, "SKIP %s: %s\n", q.name, q.reason);
		out = OUT_SKIP;
	} else {
		struct qrun r;
		run_qemu(dir, &r);
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		size_t compared = 0, nknown = 0;
		size_t nd = m ? qex_compare(&q, &r, m, &compared, &nknown) : 1;
		if (m)
			fclose(m);
		if (nd) {
			fprintf(f, "DIFFER %s", q.name);
			print_target(f, &q);
			fprintf(f, " (%zu of %zu values, %zu exception(s) in QEMU)\n", nd, compared,
				r.n ? r.n - (r.ended ? 1 : 0) : 0);
			fputs(buf ? buf : "", f);
			out = OUT_DIFFER;
		} else {
			fprintf(f, "AGREE %s", q.name);
			print_target(f, &q);
			if (verbose)
				fprintf(f, " (%zu values)", compared);
			if (nknown)
				fprintf(f, " (%zu known QEMU difference%s)", nknown, nknown > 1 ? "s" : "");
			fprintf(f, "\n");
			if (nknown)
				fputs(buf ? buf : "", f);
			out = OUT_AGREE;
		}
		free(buf);
		qrun_free(&r);
		tix = (int)(q.target - qex_targets);
	}
	qex_free(&q);
	fclose(f);
	return (int)out + 4 * tix;
}

struct files {
	char **v;
	size_t n, cap;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_file(struct files *fs, const char *p)
{
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 64;
		char **nv = realloc(fs->v, fs->cap * sizeof *nv);
		if (!nv)
			exit(3);
		fs->v = nv;
	}
	fs->v[fs->n++] = strdup(p);
}

static void collect(struct files *fs, const char *path)
{
	struct stat st;
	if (stat(path, &st)) {
		fprintf(stderr, "serrsim-qemu: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	if (!S_ISDIR(st.st_mode)) {
		add_file(fs, path);
		return;
	}
	DIR *d = opendir(path);
	if (!d)
		return;
	struct files sub = { 0 };
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", path, de->d_name);
		size_t l = strlen(de->d_name);
		if (stat(p, &st))
			continue;
		if (S_ISDIR(st.st_mode) || (l > 4 && !strcmp(de->d_name + l - 4, ".scn")))
			add_file(&sub, p);
	}
	closedir(d);
	qsort(sub.v, sub.n, sizeof *sub.v, cmp_str);
	for (size_t i = 0; i < sub.n; i++) {
		if (!stat(sub.v[i], &st) && S_ISDIR(st.st_mode))
			collect(fs, sub.v[i]);
		else
			add_file(fs, sub.v[i]);
		free(sub.v[i]);
	}
	free(sub.v);
}

static int cmd_diff(int argc, char **argv)
{
	int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	long min_agree = -1;
	bool verbose = false, quiet = false;
	const char *keep = NULL;
	static const struct option lo[] = {
		{ "jobs", required_argument, NULL, 'j' }, { "verbose", no_argument, NULL, 'v' },
		{ "min-agree", required_argument, NULL, 'm' }, { "keep", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' }, { "quiet", no_argument, NULL, 'q' }, { 0, 0, 0, 0 } };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "j:vqh", lo, NULL)) != -1) {
		switch (c) {
		case 'j': jobs = atoi(optarg); break;
		case 'q': quiet = true; break;
		case 'v': verbose = true; break;
		case 'm': min_agree = atol(optarg); break;
		case 'k': keep = optarg; break;
		case 'h':
			printf("usage: serrsim-qemu diff [-j N] [-v] [-q] [--min-agree N] [--keep DIR] DIR|FILE...\n");
			return 0;
		default: return 2;
		}
	}
	if (jobs < 1)
		jobs = 1;
	if (optind >= argc) {
		fprintf(stderr, "serrsim-qemu diff: no scenario given\n");
		return 2;
	}
	if (!have_tool(qemu_bin()) || !have_tool(cross_cc()) || !have_tool("timeout")) {
		printf("serrsim-qemu: %s or %s not found: install qemu-system-arm and gcc-aarch64-linux-gnu\n",
		       qemu_bin(), cross_cc());
		return EXIT_SKIPPED;
	}
	struct files fs = { 0 };
	for (int i = optind; i < argc; i++)
		collect(&fs, argv[i]);

	char tmpl[] = "/tmp/serrsim-qemu.XXXXXX";
	const char *work = keep;
	if (keep) {
		if (mkdir(keep, 0777) && errno != EEXIST) {
			fprintf(stderr, "serrsim-qemu: cannot create %s\n", keep);
			return 2;
		}
	} else if (!(work = mkdtemp(tmpl))) {
		fprintf(stderr, "serrsim-qemu: cannot create a work directory\n");
		return 3;
	}
	fflush(stdout);
	enum outcome *outs = calloc(fs.n ? fs.n : 1, sizeof *outs);
	pid_t *pids = calloc(fs.n ? fs.n : 1, sizeof *pids);
	if (!outs || !pids)
		return 3;
	size_t next = 0, running = 0, printed = 0;
	bool *done = calloc(fs.n ? fs.n : 1, sizeof *done);
	size_t count[4] = { 0 };
	int *tixs = calloc(fs.n ? fs.n : 1, sizeof *tixs);
	size_t ntargets = 0;
	while (qex_targets[ntargets].profile)
		ntargets++;
	size_t *agree_on = calloc(ntargets + 1, sizeof *agree_on);
	if (!tixs || !agree_on)
		return 3;
	cli_progress_begin("diff-qemu", fs.n, "scenarios", quiet);
	while (printed < fs.n) {
		while (running < (size_t)jobs && next < fs.n) {
			pid_t pid = fork();
			if (pid == 0) {
				char dir[4096], rep[4096];
				snprintf(dir, sizeof dir, "%s/%04zu", work, next);
				snprintf(rep, sizeof rep, "%s/%04zu.report", work, next);
				_exit(diff_one(fs.v[next], dir, rep, verbose));
			}
			if (pid < 0) {
				perror("fork");
				return 3;
			}
			pids[next++] = pid;
			running++;
		}
		int st;
		pid_t pid = wait(&st);
		if (pid < 0)
			break;
		running--;
		for (size_t i = 0; i < next; i++)
			if (pids[i] == pid) {
				int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
				bool valid = code >= 0 && (size_t)(code / 4) < ntargets;
				outs[i] = valid ? (enum outcome)(code % 4) : OUT_ERROR;
				tixs[i] = valid ? code / 4 : 0;
				done[i] = true;
				cli_progress_step();
			}
		if (printed < fs.n && done[printed])
			cli_progress_clear();	/* the report lines go first */
		while (printed < fs.n && done[printed]) {
			char rep[4096];
			snprintf(rep, sizeof rep, "%s/%04zu.report", work, printed);
			char *text = slurp(rep);
			if (text && *text)
				fputs(text, stdout);
			else
				printf("DIFFER %s: internal error (no report)\n", fs.v[printed]);
			free(text);
			count[outs[printed] == OUT_ERROR ? OUT_DIFFER : outs[printed]]++;
			if (outs[printed] == OUT_AGREE)
				agree_on[tixs[printed]]++;
			printed++;
		}
		fflush(stdout);
	}
	cli_progress_end();
	printf("agree by profile:");
	for (size_t t = 0; t < ntargets; t++)
		printf("%s %s (-cpu %s) %zu", t ? "," : "", qex_targets[t].profile, qex_targets[t].cpu,
		       agree_on[t]);
	printf("\n");
	printf("%zu agree, %zu differ, %zu skipped\n", count[OUT_AGREE], count[OUT_DIFFER],
	       count[OUT_SKIP]);
	if (!keep) {
		char cmd[4200];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
		if (system(cmd) != 0)
			fprintf(stderr, "serrsim-qemu: could not remove %s\n", work);
	}
	for (size_t i = 0; i < fs.n; i++)
		free(fs.v[i]);
	free(fs.v);
	free(outs);
	free(tixs);
	free(agree_on);
	free(pids);
	free(done);
	if (count[OUT_DIFFER])
		return 1;
	if (min_agree >= 0 && count[OUT_AGREE] < (size_t)min_agree) {
		printf("serrsim-qemu: only %zu agree, at least %ld required\n", count[OUT_AGREE], min_agree);
		return 1;
	}
	return 0;
}

static int cmd_export(int argc, char **argv)
{
	const char *out = NULL;
	bool build = true, run = false, no_hooks = false;
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' }, { "no-build", no_argument, NULL, 'n' },
		{ "no-hooks", no_argument, NULL, 'H' },
		{ "run", no_argument, NULL, 'r' }, { "help", no_argument, NULL, 'h' },
		{ "qemu", no_argument, NULL, 'q' }, { 0, 0, 0, 0 } };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'n': build = false; break;
		case 'r': run = true; break;
		case 'H': no_hooks = true; break;
		case 'q': break;
		case 'h':
			printf("usage: serrsim-qemu export [--qemu] FILE -o DIR [--no-build] [--run | --no-hooks]\n");
			return 0;
		default: return 2;
		}
	}
	if (optind != argc - 1 || !out) {
		fprintf(stderr, "usage: serrsim-qemu export [--qemu] FILE -o DIR [--no-build] [--run | --no-hooks]\n");
		return 2;
	}
	struct qex q;
	int rc = 0;
	if (run && no_hooks) {
		fprintf(stderr, "serrsim-qemu: --run compares the hook records: not with --no-hooks\n");
		return 2;
	}
	bool loaded = qex_load(&q, argv[optind]);
	q.no_hooks = no_hooks;	/* exceptions go straight to the scenario's vectors */
	if (!loaded || !export_to(&q, out, build)) {
		/* Why it cannot be exported, as diff's SKIP line says it. */
		fprintf(stderr, "serrsim-qemu: cannot export %s: %s\n", argv[optind], q.reason);
		rc = 2;
	} else {
		printf("exported %s to %s (prog.S, link.ld, run.sh%s)\n", q.name, out,
		       build ? ", prog.elf" : "");
		if (run) {
			struct qrun r;
			run_qemu(out, &r);
			size_t compared, nknown;
			size_t nd = qex_compare(&q, &r, stdout, &compared, &nknown);
			printf("%s %s\n", nd ? "DIFFER" : "AGREE", q.name);
			rc = nd ? 1 : 0;
			qrun_free(&r);
		}
	}
	qex_free(&q);
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: serrsim-qemu export [--qemu] FILE -o DIR [--no-build] [--run | --no-hooks]\n"
		   "       serrsim-qemu diff [-j N] [-v] [--min-agree N] [--keep DIR] DIR|FILE...\n"
		   "       serrsim-qemu profile [NAME]\n"
		   "Environment: SERRSIM_QEMU (qemu-system-aarch64), SERRSIM_CROSS_CC\n"
		   "(aarch64-linux-gnu-gcc), SERRSIM_QEMU_TIMEOUT (seconds, 10).\n"
		   "diff exits 0 when no scenario differs, 1 otherwise, 77 without QEMU or the\n"
		   "cross compiler.\n");
}

static int dispatch(int argc, char **argv);

/* Every command's status passes through here: a write error on standard
 * output is reported and makes the status 3. */
int main(int argc, char **argv)
{
	int rc = dispatch(argc, argv);
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno)
			fprintf(stderr, "serrsim-qemu: error writing standard output: %s\n",
				strerror(errno));
		else
			fprintf(stderr, "serrsim-qemu: error writing standard output\n");
		return 3;
	}
	return rc;
}

static int dispatch(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "export"))
		return cmd_export(argc - 1, argv + 1);
	if (!strcmp(argv[1], "diff") || !strcmp(argv[1], "diff-qemu"))
		return cmd_diff(argc - 1, argv + 1);
	if (!strcmp(argv[1], "profile")) {
		/* Every profile the comparison uses, or the one named. */
		bool found = false;
		for (const struct qtarget *t = qex_targets; t->profile; t++) {
			const struct ss_profile *p = ss_profile_find(t->profile);
			if (!p || (argc > 2 && strcasecmp(argv[2], p->name)))
				continue;
			if (found)
				printf("\n");
			found = true;
			printf("%s (-cpu %s): %s\n", p->name, t->cpu, p->description);
			for (size_t i = 0; i < p->n; i++)
				printf("  %-22s %-16s %s\n", p->entries[i].knob, p->entries[i].value,
				       p->entries[i].evidence);
		}
		if (!found) {
			fprintf(stderr, "serrsim-qemu: unknown profile '%s'\n", argv[2]);
			return 2;
		}
		return 0;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
