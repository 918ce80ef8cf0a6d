/*
 * files.c - finding *.scn files under directories (sorted by path) and
 * running a list of scenarios on a pool of threads.  Each scenario runs on
 * its own PE; results land in the slot of its path, so output order never
 * depends on scheduling.
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* Walk a directory tree without recursion: a work list of directories. */
static bool walk(struct path_list *pl, const char *root)
{
	struct path_list dirs = { 0 };
	bool ok = add_path(&dirs, root);
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
				ok = dirs.n < 100000 && add_path(&dirs, p);
			} else if (S_ISREG(st.st_mode) && has_scn_suffix(e->d_name)) {
				ok = add_path(pl, p);
			}
			free(p);
		}
		closedir(d);
	}
	free_paths(&dirs);
	return ok;
}

bool collect_paths(struct path_list *pl, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "serrsim: cannot access '%s': %s\n", path, strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode))
		return walk(pl, path);
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
		ss_scenario_run_file(p->pl->v[i], p->opt, &p->res[i]);
	}
}

bool run_all(const struct path_list *pl, const struct ss_run_options *opt, unsigned jobs,
	     struct ss_result *res)
{
	struct pool p = { .pl = pl, .opt = opt, .res = res, .next = 0 };
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
