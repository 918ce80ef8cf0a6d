/*
 * fuzz_cli.c - libFuzzer target for the serrsim command line: the bytes are
 * split at newlines into at most 16 arguments, given to the same
 * serrsim_cli_main the serrsim binary runs, as "serrsim ARG...".  The
 * target works in a directory of its own holding two small scenarios (a.scn,
 * a template t.scn) and a subdirectory, so that option parsing, path
 * handling, the commands and their outputs all run; it refuses arguments
 * with '/' or ".." (nothing outside that directory is read or written), the
 * commands that run another program (diff-qemu, export) and timing-knob
 * overrides.  Every run is capped by -D max_cycles, as fuzz_scenario does.  Standard output goes to
 * /dev/null.
 *
 * Build and run: fuzz/run.sh SECONDS (docs/testing.md).  Replay one input:
 *   build-fuzz/fuzz/fuzz_cli path/to/crash-file
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define MAX_ARGS 16
#define MAX_ARG 256

static const char scenario_a[] =
	"scenario: a\n"
	"[cpu]\n"
	"max_cycles = 200\n"
	"[init]\n"
	"PSTATE.EL = 1\n"
	"PSTATE.A = 0\n"
	"[code]\n"
	"start:\n"
	"    nop\n"
	"    esb\n"
	"    end\n"
	".vector el1_serror\n"
	"    mrs x1, esr_el1\n"
	"    end\n"
	"[events]\n"
	"at 1: serror AET=UER\n"
	"[expect]\n"
	"exceptions == 1\n";

static const char scenario_t[] =
	"scenario: t\n"
	"[cpu]\n"
	"max_cycles = 200\n"
	"[code]\n"
	"start:\n"
	"    nop\n"
	"    end\n"
	"[events]\n"
	"at {t in 0..3}: serror AET={a in UER,CE}\n"
	"[expect]\n"
	"stop == end\n";

static void write_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char dir[] = "/tmp/serrsim-fuzz-cli.XXXXXX";
	if (!mkdtemp(dir) || chdir(dir) != 0)
		abort();
	write_file("a.scn", scenario_a);
	write_file("t.scn", scenario_t);
	if (mkdir("d", 0777) == 0)
		write_file("d/b.scn", scenario_a);
	if (!freopen("/dev/null", "w", stdout))
		abort();
	return 0;
}

/* Remove what a run wrote (--vcd, --junit, --html outputs ...), so that
 * every input starts from the same directory. */
static void clean(void)
{
	DIR *d = opendir(".");
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "a.scn") &&
		    strcmp(e->d_name, "t.scn") && strcmp(e->d_name, "d"))
			unlink(e->d_name);
	closedir(d);
	d = opendir("d");
	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "b.scn")) {
			char p[300];
			snprintf(p, sizeof p, "d/%s", e->d_name);
			unlink(p);
		}
	closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[MAX_ARGS][MAX_ARG + 1];
	/* Writable, as main's argv is (-D writes into its argument). */
	static char prog[] = "serrsim", dopt[] = "-D", cap[sizeof "max_cycles=2000"];
	char *argv[MAX_ARGS + 6];
	int argc = 0;
	argv[argc++] = prog;
	size_t i = 0;
	while (i < size && argc < MAX_ARGS + 1) {
		size_t n = 0;
		while (i < size && data[i] != '\n') {
			if (n < MAX_ARG)
				buf[argc - 1][n++] = (char)data[i];
			i++;
		}
		i++;
		buf[argc - 1][n] = '\0';
		if (memchr(buf[argc - 1], '\0', n))
			return 0;	/* an embedded NUL: not an argument */
		if (strchr(buf[argc - 1], '/') || strstr(buf[argc - 1], ".."))
			return 0;	/* stay in the directory */
		/* Timing knobs stay capped (fuzz_scenario covers them). */
		if (strstr(buf[argc - 1], "max_") || strstr(buf[argc - 1], "latency") ||
		    strstr(buf[argc - 1], "exception_entry") || strstr(buf[argc - 1], "propagation"))
			return 0;
		argv[argc] = buf[argc - 1];
		argc++;
	}
	if (argc >= 2 && (!strcmp(argv[1], "diff-qemu") || !strcmp(argv[1], "export")))
		return 0;
	/* Cap every run; -D is accepted by every command that runs scenarios. */
	if (argc >= 2 && (!strcmp(argv[1], "run") || !strcmp(argv[1], "check") ||
			  !strcmp(argv[1], "explore") || !strcmp(argv[1], "migrate-matrix"))) {
		memmove(&argv[4], &argv[2], (size_t)(argc - 2) * sizeof *argv);
		memcpy(cap, "max_cycles=2000", sizeof cap);
		argv[2] = dopt;
		argv[3] = cap;
		argc += 2;
	}
	argv[argc] = NULL;
	serrsim_cli_main(argc, argv);
	clearerr(stdout);
	clean();
	return 0;
}
