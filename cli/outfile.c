/*
 * outfile.c - output files that never destroy anything: an output is
 * written to a temporary file beside its destination and renamed over it
 * only when complete, so a failed or refused run leaves the destination as
 * it was; "-" is standard output.  Paths are compared by identity, so that
 * no output can be one of the inputs or another output.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool cli_outfile_open(struct cli_outfile *o, const char *path)
{
	memset(o, 0, sizeof *o);
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		o->path = "standard output";
		return true;
	}
	size_t n = strlen(path);
	o->tmp = malloc(n + sizeof ".XXXXXX");
	if (!o->tmp) {
		errno = ENOMEM;
		return false;
	}
	memcpy(o->tmp, path, n);
	memcpy(o->tmp + n, ".XXXXXX", sizeof ".XXXXXX");
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		int e = errno;
		free(o->tmp);
		o->tmp = NULL;
		errno = e;
		return false;
	}
	/* mkstemp makes the file 0600; an output gets the usual mode. */
	mode_t um = umask(0);
	umask(um);
	(void)fchmod(fd, 0666 & ~um);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int e = errno;
		close(fd);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		errno = e;
		return false;
	}
	o->path = path;
	return true;
}

bool cli_outfile_create(struct cli_outfile *o, const char *path)
{
	if (cli_outfile_open(o, path))
		return true;
	fprintf(stderr, "serrsim: cannot create '%s': %s\n", path, strerror(errno));
	return false;
}

bool cli_outfile_close(struct cli_outfile *o, bool keep)
{
	if (!o->f)
		return true;
	bool ok = true;
	int e = 0;
	if (fflush(o->f) != 0 || ferror(o->f)) {
		ok = false;
		e = errno;
	}
	if (o->f != stdout) {
		if (fclose(o->f) != 0 && ok) {
			ok = false;
			e = errno;
		}
		if (ok && keep && rename(o->tmp, o->path) != 0) {
			ok = false;
			e = errno;
		}
		if (!ok || !keep)
			unlink(o->tmp);
		free(o->tmp);
	}
	if (!ok)
		fprintf(stderr, "serrsim: error writing %s%s%s: %s\n", o->f == stdout ? "" : "'",
			o->path, o->f == stdout ? "" : "'", e ? strerror(e) : "write error");
	memset(o, 0, sizeof *o);
	return ok;
}

/* The identity of a path that may not exist yet: its own (device, inode)
 * when it exists, else its directory's and its last component. */
struct ident {
	bool exists;
	dev_t dev;
	ino_t ino;
	char name[NAME_MAX + 1];
};

static bool identify(const char *path, struct ident *id)
{
	struct stat st;
	memset(id, 0, sizeof *id);
	if (stat(path, &st) == 0) {
		id->exists = true;
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		return true;
	}
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char dir[PATH_MAX];
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (stat(dir, &st) != 0 || strlen(base) > NAME_MAX)
		return false;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	snprintf(id->name, sizeof id->name, "%s", base);
	return true;
}

bool cli_same_path(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return true;
	if (!strcmp(a, "-") || !strcmp(b, "-"))
		return false;
	struct ident x, y;
	if (!identify(a, &x) || !identify(b, &y))
		return false;
	return x.exists == y.exists && x.dev == y.dev && x.ino == y.ino &&
	       strcmp(x.name, y.name) == 0;
}
