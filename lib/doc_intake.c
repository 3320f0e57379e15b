/*
 * doc_intake.c - ctp-doc intake (doc_intake.h): a drop folder's files
 * added as documents and moved aside, every path relative to the
 * folder's descriptor so that a hostile name or link cannot lead a write
 * outside it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "doc_intake.h"
#include "validate.h"

const struct ctp_col ctp_doc_intake_columns[] = {
	{ "file", CTP_COL_STR },
	{ "result", CTP_COL_STR },
	{ "document_id", CTP_COL_INT },
	{ "reason", CTP_COL_STR },
};

struct intake {
	struct ctp_ctx *c;
	struct ctp_out *o;
	ctp_doc_hook hook;
	void *arg;
	int dfd, done, rejected;	/* DIR, DIR/.done, DIR/.rejected */
	long long nstored, nrejected;
};

/* NULL when a name may be taken, else why it is refused. */
static const char *
bad_name(const char *name)
{
	const unsigned char *p;

	if (name[0] == '-')
		return "the name begins with a dash";
	if (strstr(name, "..") != NULL)
		return "the name holds \"..\"";
	for (p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "the name holds a control character";
	return NULL;
}

/* The NPI a name begins with (10 digits, then no digit), into npi. */
static int
name_npi(const char *name, char npi[11])
{
	if (strspn(name, "0123456789") != 10)
		return -1;
	memcpy(npi, name, 10);
	npi[10] = '\0';
	return ctp_check_npi(npi) == NULL ? 0 : -1;
}

/* A directory under parent, made when missing; never a link. */
static int
subdir(int parent, const char *name, const char *where, struct ctp_error *e)
{
	int fd;

	if (mkdirat(parent, name, 0700) != 0 && errno != EEXIST)
		return ctp_errf(e, CTP_CANTCREAT, where, "%s", strerror(errno)),
		    -1;
	if ((fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return ctp_errf(e, CTP_CANTCREAT, where, "not a directory "
		    "(%s)", strerror(errno)), -1;
	return fd;
}

/*
 * Create to/got.reason holding why, exclusively: -1 with errno EEXIST
 * when that name is taken.
 */
static int
reason_file(int to, const char *got, const char *why)
{
	char rname[600];
	size_t len = strlen(why);
	int fd, bad;

	snprintf(rname, sizeof(rname), "%s.reason", got);
	if ((fd = openat(to, rname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0)
		return -1;
	bad = write(fd, why, len) != (ssize_t)len || write(fd, "\n", 1) != 1;
	if (close(fd) != 0 || bad) {
		unlinkat(to, rname, 0);
		return -2;
	}
	return 0;
}

/*
 * Move from/name to to/NAME, NAME being name or name.1, name.2...: a link
 * then an unlink, so that nothing is replaced.  With why, NAME.reason is
 * written beside it, also never over a file.  The name used into got.
 */
static int
move(int from, const char *name, int to, const char *why, char *got,
    size_t n, struct ctp_error *e)
{
	char rname[600];
	int i, r;

	for (i = 0; i < 1000; i++) {
		if (i == 0)
			snprintf(got, n, "%s", name);
		else
			snprintf(got, n, "%s.%d", name, i);
		if (why != NULL && (r = reason_file(to, got, why)) != 0) {
			if (r == -1 && errno == EEXIST)
				continue;
			return ctp_errf(e, CTP_CANTCREAT, name, "writing the "
			    "reason: %s", strerror(errno));
		}
		if (linkat(from, name, to, got, 0) == 0)
			break;
		r = errno;
		if (why != NULL) {
			snprintf(rname, sizeof(rname), "%s.reason", got);
			unlinkat(to, rname, 0);
		}
		if (r != EEXIST)
			return ctp_errf(e, CTP_CANTCREAT, name, "moving: %s",
			    strerror(r));
	}
	if (i == 1000)
		return ctp_errf(e, CTP_CANTCREAT, name, "moving: too many "
		    "files of that name");
	if (unlinkat(from, name, 0) != 0)
		return ctp_errf(e, CTP_CANTCREAT, name, "moving: %s",
		    strerror(errno));
	return 0;
}

static int
report(struct intake *in, const char *file, const char *result,
    long long id, const char *reason, struct ctp_error *e)
{
	char sid[32] = "";
	const char *row[CTP_DOC_INTAKE_NCOLUMNS];

	if (id)
		snprintf(sid, sizeof(sid), "%lld", id);
	row[0] = file;
	row[1] = result;
	row[2] = sid;
	row[3] = reason;
	return ctp_out_row(in->o, row, e);
}

/* Move from/name into .rejected with its reason file. */
static int
reject(struct intake *in, int from, const char *name, const char *shown,
    const char *why, struct ctp_error *e)
{
	char got[512];
	int rc;

	if ((rc = move(from, name, in->rejected, why, got, sizeof(got), e))
	    != 0)
		return rc;
	in->nrejected++;
	return report(in, shown, "rejected", 0, why, e);
}

/* One file: from/name for provider npi ("" when the name must give it). */
static int
take(struct intake *in, int from, int done, const char *name,
    const char *npi, const char *shown, struct ctp_error *e)
{
	struct ctp_doc_add a;
	struct ctp_doc_added r;
	struct ctp_error fe;
	struct stat sb;
	char own[11], got[512];
	const char *why;
	int fd, rc;

	if ((why = bad_name(name)) != NULL)
		return reject(in, from, name, shown, why, e);
	if (fstatat(from, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
		return ctp_errf(e, CTP_IOERR, shown, "%s", strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return 0;	/* a folder is not a document: left alone */
	if (S_ISLNK(sb.st_mode))
		return reject(in, from, name, shown, "a symbolic link, not "
		    "followed", e);
	if (!S_ISREG(sb.st_mode))
		return reject(in, from, name, shown, "not a regular file", e);
	if (*npi == '\0') {
		if (name_npi(name, own) != 0)
			return reject(in, from, name, shown, "the name does "
			    "not begin with an NPI", e);
		npi = own;
	}
	if ((fd = openat(from, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) < 0)
		return reject(in, from, name, shown, strerror(errno), e);
	memset(&a, 0, sizeof(a));
	a.npi = npi;
	a.kind = ctp_doc_kind_guess(name);
	a.name = name;
	a.hook = in->hook;
	a.hook_arg = in->arg;
	ctp_error_clear(&fe);
	rc = ctp_doc_add_fd(in->c, &a, fd, &r, &fe);
	close(fd);
	if (rc == CTP_DATAERR)
		return reject(in, from, name, shown, fe.what, e);
	if (rc != 0) {
		*e = fe;
		return rc;
	}
	if ((rc = move(from, name, done, NULL, got, sizeof(got), e)) != 0)
		return rc;
	in->nstored++;
	return report(in, shown, r.existing ? "duplicate" : "stored", r.id,
	    "", e);
}

/* The files of DIR/npi, into .done/npi. */
static int
take_folder(struct intake *in, const char *npi, struct ctp_error *e)
{
	struct dirent *de;
	DIR *d;
	char shown[600];
	int sfd, dfd, done, rc = 0;

	if ((sfd = openat(in->dfd, npi, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return ctp_errf(e, CTP_NOINPUT, npi, "%s", strerror(errno));
	if ((done = subdir(in->done, npi, ".done", e)) < 0) {
		close(sfd);
		return e->code;
	}
	if ((dfd = dup(sfd)) < 0 || (d = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		close(sfd);
		close(done);
		return ctp_errf(e, CTP_IOERR, npi, "%s", strerror(errno));
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(shown, sizeof(shown), "%s/%s", npi, de->d_name);
		rc = take(in, sfd, done, de->d_name, npi, shown, e);
	}
	closedir(d);
	close(sfd);
	close(done);
	return rc;
}

static int
take_all(struct intake *in, struct ctp_error *e)
{
	struct dirent *de;
	struct stat sb;
	DIR *d;
	char npi[11];
	int fd, rc = 0;

	if ((fd = dup(in->dfd)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return ctp_errf(e, CTP_IOERR, "intake", "%s", strerror(errno));
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (fstatat(in->dfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0
		    && S_ISDIR(sb.st_mode)) {
			if (strlen(de->d_name) == 10 &&
			    name_npi(de->d_name, npi) == 0)
				rc = take_folder(in, de->d_name, e);
			/* Any other folder is not intake's: left alone. */
			continue;
		}
		rc = take(in, in->dfd, in->done, de->d_name, "", de->d_name, e);
	}
	closedir(d);
	return rc;
}

int
ctp_doc_intake(struct ctp_ctx *c, const char *dir, ctp_doc_hook hook,
    void *arg, struct ctp_out *o, long long *stored, long long *rejected,
    struct ctp_error *e)
{
	struct intake in;
	int rc;

	memset(&in, 0, sizeof(in));
	in.c = c;
	in.hook = hook;
	in.arg = arg;
	in.o = o;
	in.done = in.rejected = -1;
	if ((in.dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return ctp_errf(e, errno == ENOENT ? CTP_NOINPUT : CTP_IOERR,
		    dir, "%s", strerror(errno));
	if ((in.done = subdir(in.dfd, ".done", dir, e)) < 0 ||
	    (in.rejected = subdir(in.dfd, ".rejected", dir, e)) < 0)
		rc = e->code;
	else
		rc = take_all(&in, e);
	if (in.done >= 0)
		close(in.done);
	if (in.rejected >= 0)
		close(in.rejected);
	close(in.dfd);
	*stored = in.nstored;
	*rejected = in.nrejected;
	return rc;
}
