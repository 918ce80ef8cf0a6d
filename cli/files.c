/*
 * files.c - finding *.scn files under directories (sorted by path) and
 * running a list of scenarios on a pool of threads.  Each scenario runs on
 * its own PE; results land in the slot of its path, so output order never
 * depends on scheduling.
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

struct pool {
	const struct path_list *pl;
	const struct ss_run_options *opt;
	struct ss_result *res;
	double *secs;
	pthread_mutex_t lock;
	size_t next;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->pl->n)
			return NULL;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ss_scenario_run_file(p->pl->v[i], p->opt, &p->res[i]);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (p->secs)
			p->secs[i] = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		cli_progress_step();	/* nothing unless a command began one */
	}
}

bool run_all(const struct path_list *pl, const struct ss_run_options *opt, unsigned jobs,
	     struct ss_result *res, double *secs)
{
	struct pool p = { .pl = pl, .opt = opt, .res = res, .secs = secs, .next = 0 };
	pthread_t tids[256];
	unsigned n = jobs < 1 ? 1 : jobs > 256 ? 256 : jobs, started = 0;
	pthread_mutex_init(&p.lock, NULL);
	if (n == 1) {
		worker(&p);
		pthread_mutex_destroy(&p.lock);
		return true;
	}
	for (; started < n; started++)
		if (pthread_create(&tids[started], NULL, worker, &p) != 0)
			break;
	if (started == 0)
		worker(&p);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_mutex_destroy(&p.lock);
	return true;
}
