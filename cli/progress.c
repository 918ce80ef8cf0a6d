/*
 * progress.c - the progress line of the long commands (progress.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

static struct {
	bool on;
	const char *what, *unit;
	size_t total, done;
	int width;		/* characters of the line drawn */
	double t0, last;	/* start, last redraw (seconds) */
	pthread_mutex_t lock;
} pg = { .lock = PTHREAD_MUTEX_INITIALIZER };

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static bool wanted(bool quiet)
{
	const char *e = getenv("SERRSIM_PROGRESS");
	if (e && !strcmp(e, "1"))
		return true;
	if (quiet || (e && !strcmp(e, "0")))
		return false;
	return isatty(STDERR_FILENO) == 1;
}

/* With pg.lock held. */
static void draw(double t)
{
	unsigned pct = pg.total ? (unsigned)(pg.done * 100 / pg.total) : 100;
	int n = fprintf(stderr, "\r%s: %zu/%zu %s %u%% %.1f s", pg.what, pg.done, pg.total, pg.unit,
			pct, t - pg.t0);
	pg.width = n > 1 ? n - 1 : 0;
	fflush(stderr);
	pg.last = t;
}

void cli_progress_begin(const char *what, size_t total, const char *unit, bool quiet)
{
	pthread_mutex_lock(&pg.lock);
	pg.on = wanted(quiet);
	pg.what = what;
	pg.unit = unit;
	pg.total = total;
	pg.done = 0;
	pg.t0 = now();
	if (pg.on)
		draw(pg.t0);
	pthread_mutex_unlock(&pg.lock);
}

void cli_progress_step(void)
{
	pthread_mutex_lock(&pg.lock);
	if (pg.on) {
		pg.done++;
		double t = now();
		if (t - pg.last >= 0.1)
			draw(t);
	}
	pthread_mutex_unlock(&pg.lock);
}

void cli_progress_clear(void)
{
	pthread_mutex_lock(&pg.lock);
	if (pg.on && pg.width) {
		fprintf(stderr, "\r%*s\r", pg.width, "");
		fflush(stderr);
		pg.width = 0;
		pg.last = 0;	/* redraw at the next step */
	}
	pthread_mutex_unlock(&pg.lock);
}

void cli_progress_end(void)
{
	pthread_mutex_lock(&pg.lock);
	if (pg.on) {
		pg.done = pg.total;
		draw(now());
		fputc('\n', stderr);
		fflush(stderr);
		pg.on = false;
	}
	pthread_mutex_unlock(&pg.lock);
}
