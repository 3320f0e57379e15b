/*
 * expiring_run.c - one run of the inbox as ctp-expiring makes it: the
 * organizations named (--db FILE, --db DIR), the caller's own providers
 * (--mine), each organization opened with the caller's role checked and
 * read in turn, and the listing written in the format chosen, or nothing
 * at all (--fail-if-any with nothing listed).
 *
 * One organization in CSV or JSON is written as it is read
 * (ctp_expiring_stream); several are merged from one list, and so are a
 * table (which must see every row before the first) and --fail-if-any
 * (which must know first whether anything is listed).
 */
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "expiring_int.h"
#include "mem.h"
#include "priv.h"

/* Same file already listed (named twice, or in a directory and alone)? */
static int
listed(const struct ctp_exp_dbs *p, const char *s)
{
	struct stat a, b;
	size_t i;

	if (*s == '\0' || stat(s, &a) != 0)
		return 0;
	for (i = 0; i < p->n; i++)
		if (stat(p->v[i], &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			return 1;
	return 0;
}

static int
add_path(struct ctp_exp_dbs *p, const char *s)
{
	char **v;
	size_t cap;

	/* Each organization is read, and audited, once. */
	if (listed(p, s))
		return 0;
	if (p->n == p->cap) {
		cap = p->cap ? p->cap * 2 : 8;
		if ((v = ctp_realloc(p->v, cap * sizeof(*v))) == NULL)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	if ((p->v[p->n] = ctp_strdup(s)) == NULL)
		return -1;
	p->n++;
	return 0;
}

void
ctp_expiring_dbs_free(struct ctp_exp_dbs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.db file in dir, in name order. */
static int
add_dir(struct ctp_exp_dbs *p, const char *dir, struct ctp_error *e)
{
	DIR *d;
	struct dirent *de;
	struct stat sb;
	size_t first = p->n, found = 0, len;
	char *path;

	if ((d = opendir(dir)) == NULL)
		return ctp_errf(e, CTP_NOINPUT, dir, "cannot read directory");
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 3, ".db") != 0 ||
		    de->d_name[0] == '.')
			continue;
		if ((path = ctp_asprintf("%s/%s", dir, de->d_name)) == NULL) {
			closedir(d);
			return ctp_err_nomem(e, dir);
		}
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			found++;
			if (add_path(p, path) < 0) {
				free(path);
				closedir(d);
				return ctp_err_nomem(e, dir);
			}
		}
		free(path);
	}
	closedir(d);
	if (found == 0)
		return ctp_errf(e, CTP_NOINPUT, dir, "no *.db files");
	qsort(p->v + first, p->n - first, sizeof(p->v[0]), cmp_str);
	return 0;
}

int
ctp_expiring_dbs_add(struct ctp_exp_dbs *p, const char *arg,
    struct ctp_error *e)
{
	struct stat sb;
	int in, rc;

	if (stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		in = ctp_priv_enter(arg);	/* a team directory (priv.h) */
		rc = add_dir(p, arg, e);
		ctp_priv_leave(in);
		return rc;
	}
	if (add_path(p, arg) < 0)
		return ctp_err_nomem(e, arg);
	return 0;
}

/* One line for the caller (r->warn), without the program's name. */
static void
warnf(const struct ctp_exp_run *r, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (r->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->warn(r->arg, msg);
}

/*
 * List c's organization to out as it is read.  0, -1 (dates stored in
 * other forms: nothing written, l freed for ctp_expiring_collect) or
 * e->code.  SIGPIPE waits until the read is audited: a reader that stops
 * early still ends the run, once what was listed is in the log.
 */
static int
stream_org(struct ctp_ctx *c, const struct ctp_exp_query *q,
    struct ctp_exp_list *l, enum ctp_fmt fmt, FILE *out, struct ctp_error *e)
{
	struct ctp_out *o;
	sigset_t sigpipe, old;
	int rc;

	if ((o = ctp_out_new(out, fmt, ctp_expiring_columns,
	    CTP_EXPIRING_NCOLUMNS, 0)) == NULL)
		return ctp_err_nomem(e, "output");
	sigemptyset(&sigpipe);
	sigaddset(&sigpipe, SIGPIPE);
	sigprocmask(SIG_BLOCK, &sigpipe, &old);
	rc = ctp_expiring_stream(c, q, l, o, e);
	if (rc == 0)
		rc = ctp_out_close(o, e);
	else
		ctp_out_free(o);
	if (rc == 0 && (fflush(out) == EOF || ferror(out)))
		rc = ctp_errf(e, CTP_IOERR, "stdout", "write error");
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc < 0) {
		ctp_expiring_free(l);
		ctp_expiring_init(l);
		ctp_error_clear(e);
	}
	return rc;
}

/* Write l, sorted, to out; 0 or e->code. */
static int
write_list(struct ctp_exp_list *l, enum ctp_fmt fmt, FILE *out,
    struct ctp_error *e)
{
	struct ctp_out *o;
	int rc;

	if ((rc = ctp_expiring_sort(l, e)) != 0)
		return rc;
	if ((o = ctp_out_new(out, fmt, ctp_expiring_columns,
	    CTP_EXPIRING_NCOLUMNS, 0)) == NULL)
		return ctp_err_nomem(e, "output");
	if ((rc = ctp_expiring_write(l, o, e)) != 0) {
		ctp_out_free(o);
		return rc;
	}
	return ctp_out_close(o, e);
}

int
ctp_expiring_run(const struct ctp_exp_run *r, const struct ctp_exp_dbs *dbs,
    FILE *out, struct ctp_error *e)
{
	static const char *const dflt[] = { "" };
	struct ctp_exp_query q = r->q;
	struct ctp_exp_list l;
	struct ctp_ctx *c;
	const char *const *paths = dbs->n ? (const char *const *)dbs->v : dflt;
	const char *path;
	char *me = NULL;
	size_t i, n = dbs->n ? dbs->n : 1, nread = 0;
	long bad;
	int rc = 0, rc2, stream;

	ctp_error_clear(e);
	/*
	 * A CTP_USER refused here is refused again, and logged, by each
	 * organization's ctp_ctx_open below; nothing is read without it.
	 */
	if (r->mine) {
		if ((rc = ctp_identity(&me, e)) != 0 && rc != CTP_NOPERM)
			return rc;
		rc = 0;
		q.coordinator = me;
	}
	stream = n == 1 && !r->fail_if_any && r->fmt != CTP_FMT_TABLE;
	ctp_expiring_init(&l);
	for (i = 0; i < n; i++) {
		path = paths[i];
		ctp_error_clear(e);
		if (ctp_ctx_open(&c, r->prog, *path ? path : NULL, r->perm,
		    e) == 0 && r->mine && me == NULL) {
			ctp_ctx_close(c);
			ctp_errf(e, CTP_NOPERM, "CTP_USER", "refused");
		} else if (e->code == 0) {
			bad = l.bad_dates;
			rc2 = -1;
			if (stream && (rc2 = stream_org(c, &q, &l, r->fmt, out,
			    e)) < 0)
				stream = 0;
			if (rc2 < 0)
				rc2 = ctp_expiring_collect(c, &q, &l, e);
			if (rc2 == 0) {
				nread++;
				if (l.bad_dates > bad)
					warnf(r, "%s: %ld %s skipped: a date "
					    "that is not a date (see "
					    "ctp-roster)", c->path,
					    l.bad_dates - bad, ctp_plural(
					    l.bad_dates - bad, "row", "rows"));
			}
			ctp_ctx_close(c);
		}
		if (e->code == 0)
			continue;
		/*
		 * An organization that cannot be read is named and skipped;
		 * a refusal (no seat) is the expected case across clients.
		 */
		if (!*path || strstr(e->where, path) != NULL)
			warnf(r, "%s%s%s", e->where, *e->where ? ": " : "",
			    e->what);
		else
			warnf(r, "%s: %s%s%s", path, e->where,
			    *e->where ? ": " : "", e->what);
		if (rc == 0 || (rc == CTP_NOPERM && e->code != CTP_NOPERM))
			rc = e->code;
	}
	ctp_error_clear(e);
	free(me);
	/*
	 * What could be read is listed; the status still says that an
	 * organization could not be (77 when it refused the caller), so
	 * that cron notices a client left out.
	 */
	if (nread == 0) {
		ctp_expiring_free(&l);
		return rc ? rc : CTP_NOPERM;
	}
	/* For cron: nothing printed, nothing mailed. */
	if (stream || (r->fail_if_any && l.n == 0)) {
		ctp_expiring_free(&l);
		return rc;
	}
	rc2 = write_list(&l, r->fmt, out, e);
	if (rc2 == 0 && rc == 0 && r->fail_if_any && l.n > 0)
		rc = CTP_ATTN;
	ctp_expiring_free(&l);
	return rc2 ? rc2 : rc;
}
