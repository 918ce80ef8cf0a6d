/*
 * files.c - finding *.scn files under directories (sorted by path) and
 * running a list of scenarios on a pool of threads.  Each scenario runs on
 * its own PE; results are handed over in path order as they complete, so
 * output order never depends on scheduling and memory does not grow with
 * the number of scenarios.
 */
#include "progress.h"
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static bool add_path(struct path_list *pl, const char *path)
{
	if (pl->n == pl->cap) {
		size_t ncap = pl->cap ? pl->cap * 2 : 64;
		char **v = realloc(pl->v, ncap * sizeof *v);
		if (!v)
			return false;
		pl->v = v;
		pl->cap = ncap;
	}
	pl->v[pl->n] = strdup(path);
	return pl->v[pl->n++] != NULL;
}

static bool has_scn_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcmp(name + n - 4, ".scn") == 0;
}

static char *join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	char *p = malloc(dl + nl + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	size_t k = dl;
	if (dl && dir[dl - 1] != '/')
		p[k++] = '/';
	memcpy(p + k, name, nl + 1);
	return p;
}

/* Directories already walked, by identity, so that a symbolic link back to
 * an ancestor (or to a directory seen elsewhere) is walked once. */
struct seen_dirs {
	struct { dev_t dev; ino_t ino; } *v;
	size_t n, cap;
};

/* True if (dev, ino) was not seen before (and records it); false if it was,
 * or when memory runs out (*oom set). */
static bool first_visit(struct seen_dirs *sd, const struct stat *st, bool *oom)
{
	for (size_t i = 0; i < sd->n; i++)
		if (sd->v[i].dev == st->st_dev && sd->v[i].ino == st->st_ino)
			return false;
	if (sd->n == sd->cap) {
		size_t ncap = sd->cap ? sd->cap * 2 : 64;
		void *v = realloc(sd->v, ncap * sizeof *sd->v);
		if (!v) {
			*oom = true;
			return false;
		}
		sd->v = v;
		sd->cap = ncap;
	}
	sd->v[sd->n].dev = st->st_dev;
	sd->v[sd->n].ino = st->st_ino;
	sd->n++;
	return true;
}

/* Walk a directory tree without recursion: a work list of directories.  A
 * directory reached twice (a symbolic-link loop, or two links to one
 * directory) is walked once, with a warning naming the second path. */
static bool walk(struct path_list *pl, const char *root, const struct stat *root_st)
{
	struct path_list dirs = { 0 };
	struct seen_dirs seen = { 0 };
	bool oom = false;
	bool ok = add_path(&dirs, root) && first_visit(&seen, root_st, &oom);
	for (size_t i = 0; ok && i < dirs.n; i++) {
		DIR *d = opendir(dirs.v[i]);
		if (!d) {
			fprintf(stderr, "serrsim: cannot read directory '%s': %s\n", dirs.v[i],
				strerror(errno));
			ok = false;
			break;
		}
		struct dirent *e;
		while (ok && (e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char *p = join(dirs.v[i], e->d_name);
			struct stat st;
			if (!p) {
				ok = false;
			} else if (stat(p, &st) != 0) {
				/* vanished or dangling link: not a scenario */
			} else if (S_ISDIR(st.st_mode)) {
				if (first_visit(&seen, &st, &oom))
					ok = add_path(&dirs, p);
				else if (oom)
					ok = false;
				else
					fprintf(stderr, "serrsim: warning: skipping '%s': a directory "
						"already searched (symbolic-link loop?)\n", p);
			} else if (S_ISREG(st.st_mode) && has_scn_suffix(e->d_name)) {
				ok = add_path(pl, p);
			}
			free(p);
		}
		closedir(d);
	}
	if (oom)
		fprintf(stderr, "serrsim: out of memory while searching '%s'\n", root);
	free(seen.v);
	free_paths(&dirs);
	return ok;
}

static int cmp_path(const void *a, const void *b);

bool collect_paths(struct path_list *pl, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "serrsim: cannot access '%s': %s\n", path, strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		size_t before = pl->n;
		if (!walk(pl, path, &st))
			return false;
		if (pl->n == before) {
			fprintf(stderr, "serrsim: no scenarios found in '%s' (no *.scn file)\n", path);
			return false;
		}
		/* A directory's scenarios in path order, whatever the directory's
		 * own order. */
		qsort(pl->v + before, pl->n - before, sizeof *pl->v, cmp_path);
		return true;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "serrsim: '%s' is not a regular file or a directory\n", path);
		return false;
	}
	return add_path(pl, path);
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sort_paths(struct path_list *pl)
{
	if (pl->n)
		qsort(pl->v, pl->n, sizeof *pl->v, cmp_path);
}

void free_paths(struct path_list *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		free(pl->v[i]);
	free(pl->v);
	memset(pl, 0, sizeof *pl);
}

/* --- the thread pool ---------------------------------------------------------------- */

/* Results wait in a ring of slots until every earlier path's result has
 * been handed over: path i runs only once path i - nslots has been. */
struct slot {
	struct ss_result r;
	double secs;
	bool ready;
};

struct pool {
	const struct path_list *pl;
	const struct ss_run_options *opt;
	const bool *selected;
	cli_result_fn emit;
	void *ctx;
	struct slot *slots;
	size_t nslots;
	pthread_mutex_t lock;
	pthread_cond_t room;
	size_t next, emitted;
	bool emitting;
};

/* Path i: run (timed), or, when not selected, its header read for the
 * result of a scenario that does not run (SKIP) or does not parse. */
static void run_one(const struct pool *p, size_t i, struct slot *sl)
{
	if (p->selected && !p->selected[i]) {
		struct ss_run_options popt = { .parse_only = true };
		ss_scenario_run_file(p->pl->v[i], &popt, &sl->r);
		if (sl->r.status != SS_STATUS_ERROR)
			sl->r.status = SS_STATUS_SKIP;
		sl->secs = 0;
		return;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ss_scenario_run_file(p->pl->v[i], p->opt, &sl->r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sl->secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	cli_progress_step();	/* nothing unless a command began one */
}

/* With p->lock held: hand over every result that is next in path order
 * (one thread at a time, the lock released while the callback runs). */
static void drain(struct pool *p)
{
	if (p->emitting)
		return;
	p->emitting = true;
	for (;;) {
		struct slot *sl = &p->slots[p->emitted % p->nslots];
		if (p->emitted >= p->pl->n || !sl->ready)
			break;
		size_t i = p->emitted;
		pthread_mutex_unlock(&p->lock);
		p->emit(p->ctx, i, &sl->r, sl->secs);
		ss_result_free(&sl->r);
		pthread_mutex_lock(&p->lock);
		sl->ready = false;
		p->emitted++;
		pthread_cond_broadcast(&p->room);
	}
	p->emitting = false;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->next < p->pl->n && p->next >= p->emitted + p->nslots)
			pthread_cond_wait(&p->room, &p->lock);
		if (p->next >= p->pl->n)
			break;
		size_t i = p->next++;
		struct slot *sl = &p->slots[i % p->nslots];
		pthread_mutex_unlock(&p->lock);
		run_one(p, i, sl);
		pthread_mutex_lock(&p->lock);
		sl->ready = true;
		drain(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

bool run_stream(const struct path_list *pl, const struct ss_run_options *opt, unsigned jobs,
		const bool *selected, cli_result_fn emit, void *ctx)
{
	pthread_t tids[256];
	unsigned n = jobs < 1 ? 1 : jobs > 256 ? 256 : jobs, started = 0;
	struct pool p = { .pl = pl, .opt = opt, .selected = selected, .emit = emit, .ctx = ctx };
	p.nslots = n == 1 ? 1 : 4 * (size_t)n;
	if (p.nslots > pl->n && pl->n)
		p.nslots = pl->n;
	p.slots = calloc(p.nslots, sizeof *p.slots);
	if (!p.slots)
		return false;
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.room, NULL);
	if (n > 1)
		for (; started < n; started++)
			if (pthread_create(&tids[started], NULL, worker, &p) != 0)
				break;
	if (started == 0)
		worker(&p);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_cond_destroy(&p.room);
	pthread_mutex_destroy(&p.lock);
	free(p.slots);
	return true;
}
