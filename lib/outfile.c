/*
 * outfile.c - an output file written safely: refused when it is a link,
 * an input or an existing file (without force), written to a temporary
 * file beside it and renamed (see outfile.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"
#include "outfile.h"

struct fileid {
	dev_t dev;
	ino_t ino;
};

struct ctp_outfile {
	char *path;
	char *tmp;		/* the temporary file, until renamed */
	FILE *f;
	int flags;
	int synced;
	struct fileid *in;	/* the inputs' identities */
	size_t nin;
};

/*
 * Why path may not be written over, or NULL when it may (absent, or a
 * regular file that is none of the inputs, with force).  *err gets errno
 * when lstat itself failed otherwise than for a missing file.
 */
static const char *
refuse(const struct ctp_outfile *o, int *err)
{
	struct stat st;
	size_t i;

	*err = 0;
	if (lstat(o->path, &st) < 0) {
		if (errno != ENOENT)
			*err = errno;
		return NULL;
	}
	if (S_ISLNK(st.st_mode))
		return "is a symbolic link: not followed";
	for (i = 0; i < o->nin; i++)
		if (o->in[i].dev == st.st_dev && o->in[i].ino == st.st_ino)
			return "is one of the input files";
	if (S_ISDIR(st.st_mode))
		return "is a directory";
	if (!S_ISREG(st.st_mode))
		return "not a regular file";
	if (!(o->flags & CTP_OUTFILE_FORCE))
		return "exists: use --force to replace it";
	return NULL;
}

static void
outfile_free(struct ctp_outfile *o)
{
	free(o->path);
	free(o->tmp);
	free(o->in);
	free(o);
}

int
ctp_outfile_open(struct ctp_outfile **out, const char *path, int flags,
    const char *const *inputs, size_t n, struct ctp_error *e)
{
	struct ctp_outfile *o;
	struct stat st;
	const char *slash, *why;
	size_t i;
	int fd, err;

	*out = NULL;
	if ((o = ctp_calloc(1, sizeof(*o))) == NULL)
		return ctp_err_nomem(e, path);
	o->flags = flags;
	if ((o->path = ctp_strdup(path)) == NULL ||
	    (n && (o->in = ctp_calloc(n, sizeof(*o->in))) == NULL)) {
		outfile_free(o);
		return ctp_err_nomem(e, path);
	}
	for (i = 0; i < n; i++) {
		if (inputs[i] == NULL)
			continue;
		if (strcmp(inputs[i], "-") == 0 ? fstat(STDIN_FILENO, &st) :
		    stat(inputs[i], &st))
			continue;
		o->in[o->nin].dev = st.st_dev;
		o->in[o->nin].ino = st.st_ino;
		o->nin++;
	}
	slash = strrchr(path, '/');
	if (*path == '\0' || (slash && slash[1] == '\0')) {
		outfile_free(o);
		return ctp_errf(e, CTP_CANTCREAT, path, "not a file name");
	}
	if ((why = refuse(o, &err)) != NULL || err) {
		outfile_free(o);
		return ctp_errf(e, CTP_CANTCREAT, path, "%s", why ? why :
		    strerror(err));
	}
	/* ".NAME.XXXXXX" beside it: a rename never crosses file systems. */
	o->tmp = slash ? ctp_asprintf("%.*s.%s.XXXXXX", (int)(slash - path + 1),
	    path, slash + 1) : ctp_asprintf(".%s.XXXXXX", path);
	if (o->tmp == NULL) {
		outfile_free(o);
		return ctp_err_nomem(e, path);
	}
	/* mkstemp opens with O_EXCL: it never follows a link either. */
	if ((fd = mkstemp(o->tmp)) < 0) {
		err = errno;
		outfile_free(o);
		return ctp_errf(e, CTP_CANTCREAT, path, "cannot create: %s",
		    strerror(err));
	}
	if (fchmod(fd, 0600) < 0 || (o->f = fdopen(fd, "w")) == NULL) {
		err = errno;
		close(fd);
		unlink(o->tmp);
		outfile_free(o);
		return ctp_errf(e, CTP_CANTCREAT, path, "cannot create: %s",
		    strerror(err));
	}
	*out = o;
	return 0;
}

FILE *
ctp_outfile_fp(struct ctp_outfile *o)
{
	return o->f;
}

const char *
ctp_outfile_path(const struct ctp_outfile *o)
{
	return o->path;
}

int
ctp_outfile_sync(struct ctp_outfile *o, struct ctp_error *e)
{
	if (o->synced)
		return 0;
	if (fflush(o->f) == EOF || ferror(o->f) || fsync(fileno(o->f)) < 0)
		return ctp_errf(e, CTP_IOERR, o->path, "write error: %s",
		    strerror(errno ? errno : EIO));
	o->synced = 1;
	return 0;
}

/* The directory entry reaches the disk too (best effort). */
static void
sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	dir = slash ? ctp_strndup(path, slash == path ? 1 :
	    (size_t)(slash - path)) : ctp_strdup(".");
	if (dir == NULL)
		return;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Give the synced, closed temporary file its name; 0 or an errno. */
static int
place(struct ctp_outfile *o, const char **why)
{
	int err;

	*why = NULL;
	if (!(o->flags & CTP_OUTFILE_FORCE)) {
		/* link fails when the name exists, whatever it is: no file
		 * that appeared since the open is replaced. */
		if (link(o->tmp, o->path) == 0) {
			unlink(o->tmp);
			return 0;
		}
		err = errno;
		if (err == EEXIST) {
			*why = "exists: use --force to replace it";
			return 0;
		}
		/* A file system without hard links: check, then rename. */
		if (err != EPERM && err != ENOTSUP && err != EOPNOTSUPP &&
		    err != EMLINK && err != ENOSYS)
			return err;
	}
	if ((*why = refuse(o, &err)) != NULL || err)
		return err;
	return rename(o->tmp, o->path) < 0 ? errno : 0;
}

int
ctp_outfile_commit(struct ctp_outfile *o, struct ctp_error *e)
{
	const char *why;
	int rc, err;

	if ((rc = ctp_outfile_sync(o, e)) != 0) {
		ctp_outfile_abort(o);
		return rc;
	}
	err = fclose(o->f) == EOF ? errno : 0;
	o->f = NULL;
	if (err) {
		rc = ctp_errf(e, CTP_IOERR, o->path, "write error: %s",
		    strerror(err));
		ctp_outfile_abort(o);
		return rc;
	}
	if ((err = place(o, &why)) != 0 || why) {
		rc = ctp_errf(e, CTP_CANTCREAT, o->path, "%s", why ? why :
		    strerror(err));
		ctp_outfile_abort(o);
		return rc;
	}
	sync_dir(o->path);
	outfile_free(o);
	return 0;
}

void
ctp_outfile_abort(struct ctp_outfile *o)
{
	if (o == NULL)
		return;
	if (o->f)
		fclose(o->f);
	unlink(o->tmp);
	outfile_free(o);
}
