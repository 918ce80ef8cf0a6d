/*
 * progress.h - a progress line on standard error for the long commands
 * (check, explore, migrate-matrix, diff-qemu): "\rcheck: 120/270 scenarios
 * 44% 1.2 s", redrawn at most ten times a second, ended by a newline.
 *
 * Shown when standard error is a terminal, unless the command has --quiet;
 * the environment variable SERRSIM_PROGRESS=1 shows it on any standard
 * error and SERRSIM_PROGRESS=0 never (docs/cli.md).  One progress at a time
 * per process; cli_progress_step is safe from any thread.
 */
#ifndef SERRSIM_CLI_PROGRESS_H
#define SERRSIM_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

/* Start counting 'total' units (named 'unit', plural) for command 'what';
 * quiet: the command's --quiet. */
void cli_progress_begin(const char *what, size_t total, const char *unit, bool quiet);

/* One unit done. */
void cli_progress_step(void);

/* Erase the line before other output on standard error or a terminal's
 * standard output; the next step draws it again. */
void cli_progress_clear(void);

/* The final line (every unit counted) and its newline. */
void cli_progress_end(void);

#endif
