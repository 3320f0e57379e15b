/*
 * package_run.c - ctp-package build over many providers (package.h):
 * every provider checked before anything is written; then each package
 * read in a read transaction, its files made (by the pool's threads,
 * package_pool.h), and its events committed, a batch of packages a
 * write transaction, once the files are complete and before they are
 * named.
 */
#define _GNU_SOURCE	/* sync_file_range */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "priv.h"
#include "audit.h"
#include "date.h"
#include "db.h"
#include "mem.h"
#include "org.h"
#include "outfile.h"
#include "package.h"
#include "package_int.h"
#include "package_pool.h"
#include "validate.h"

static void
warnf(const struct ctp_package_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warnf(const struct ctp_package_opts *o, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (o->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	o->warn(o->arg, buf);
}

static int
is_dir(const char *path)
{
	struct stat st;

	return path && lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The gaps as one line: "license: expired 2026-01-01; cv: ...". */
static void
gap_line(const struct pkg *p, char *buf, size_t n)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < p->ngaps; i++)
		len += (size_t)snprintf(buf + len, len < n ? n - len : 0,
		    "%s%s", i ? "; " : "", p->gaps[i]);
}

/* One provider as the run would package it: 0, or why not. */
static int
check_one(sqlite3 *db, struct pkg_stmts *sc, const struct ctp_package_opts *o,
    const char *npi, struct ctp_error *e)
{
	struct pkg p;
	char gaps[900];
	const char *why;
	int rc;

	memset(&p, 0, sizeof(p));
	p.sc = sc;
	p.payer = o->payer;
	p.as_of = o->as_of;
	if ((why = ctp_check_npi(npi)) != NULL) {
		warnf(o, "%s: not an NPI: %s", npi, why);
		return CTP_DATAERR;
	}
	if ((rc = pkg_load(db, npi, &p, e)) != 0) {
		if (rc == CTP_DATAERR)
			warnf(o, "%s: not on the roster", npi);
		goto out;
	}
	if (p.excluded && !o->allow_excluded) {
		warnf(o, "%s: excluded (a confirmed exclusion or status "
		    "excluded); --allow-excluded packages it anyway", npi);
		rc = CTP_DATAERR;
		goto out;
	}
	if ((rc = pkg_check(db, &p, e)) != 0)
		goto out;
	if (p.ngaps && !o->allow_incomplete) {
		gap_line(&p, gaps, sizeof(gaps));
		warnf(o, "%s: incomplete: %s", npi, gaps);
		rc = CTP_ATTN;
	}
out:
	pkg_free(&p);
	return rc;
}

static int
audit(struct ctp_ctx *c, const struct pkg *p, const char *path,
    const char *manifest_sha, struct ctp_error *e)
{
	char day[CTP_DATE_LEN], sid[32];
	json_t *d;
	size_t i;
	int rc;

	ctp_date_format(p->as_of, day);
	d = json_pack("{s:s, s:s, s:s, s:b, s:b, s:I, s:I, s:s}", "payer",
	    p->payer, "as_of", day, "output", path, "complete", p->ngaps == 0,
	    "excluded", p->excluded, "files", (json_int_t)p->n, "documents",
	    (json_int_t)p->ndocs, "manifest_sha256", manifest_sha);
	if (d == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "package.build", "provider", p->npi, d, e);
	json_decref(d);
	for (i = 0; i < p->ndocs && rc == 0; i++) {
		snprintf(sid, sizeof(sid), "%lld", p->docs[i].id);
		d = json_pack("{s:s, s:s, s:s, s:s, s:s}", "npi", p->npi,
		    "kind", p->docs[i].kind, "sha256", p->docs[i].sha256,
		    "output", path, "entry", p->docs[i].path);
		if (d == NULL)
			return ctp_err_nomem(e, "audit");
		rc = ctp_audit(c, "doc.download", "document", sid, d, e);
		json_decref(d);
	}
	return rc;
}

/* Where the package of p goes: a new string. */
static char *
out_path(const struct ctp_package_opts *o, size_t n, const struct pkg *p)
{
	char last[41], payer[41], day[CTP_DATE_LEN];
	const char *dir = o->output ? o->output : ".";

	if (n == 1 && o->output && !is_dir(o->output))
		return ctp_strdup(o->output);
	ctp_package_slug(p->last, last, sizeof(last));
	ctp_package_slug(o->payer, payer, sizeof(payer));
	ctp_date_format(o->as_of, day);
	return ctp_asprintf("%s%s%s-%s-%s-%s.zip", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/", p->npi, last, payer, day);
}

/* One package on its way: read, made, then committed and named. */
struct job {
	struct pkg p;
	char *path;
	struct ctp_outfile *of;
	int force;
	int rc;
	struct ctp_error e;
};

static void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	ctp_outfile_abort(j->of);
	pkg_free(&j->p);
	free(j->path);
	free(j);
}

/*
 * The file's bytes handed to the kernel, and its writing to disk begun
 * without waiting: the main thread syncs a batch of files before it
 * commits their events, by when most of each is on disk, instead of
 * each thread waiting for its own file while the disk idles between.
 */
static int
start_writeback(struct ctp_outfile *of, struct ctp_error *e)
{
	FILE *f = ctp_outfile_fp(of);

	if (fflush(f) == EOF || ferror(f))
		return ctp_errf(e, CTP_IOERR, ctp_outfile_path(of),
		    "write error: %s", strerror(errno ? errno : EIO));
	sync_file_range(fileno(f), 0, 0, SYNC_FILE_RANGE_WRITE);
	return 0;
}

/*
 * The files and the ZIP (any thread; the database's only when
 * j->p.streamed, which then passes db).
 */
static void
make(struct job *j, sqlite3 *db)
{
	struct pkg *p = &j->p;

	if ((j->rc = pkg_summary_files(db, p, &j->e)) != 0 ||
	    (j->rc = pkg_manifest(p, &j->e)) != 0 ||
	    (j->rc = ctp_outfile_open(&j->of, j->path, j->force ?
	    CTP_OUTFILE_FORCE : 0, NULL, 0, &j->e)) != 0 ||
	    (j->rc = pkg_zip(db, p, ctp_outfile_fp(j->of), &j->e)) != 0)
		return;
	j->rc = start_writeback(j->of, &j->e);
	pkg_release(p);
}

static void
work(void *arg)
{
	make(arg, NULL);
}

/*
 * Read provider npi's package in one read transaction: a new job, its
 * files made too when a document must be streamed from its blob.
 */
static int
prepare(struct ctp_ctx *c, struct pkg_stmts *sc,
    const struct ctp_package_opts *o, const char *org, const char *tmpdir,
    const char *npi, size_t n, struct job **out, struct ctp_error *e)
{
	struct job *j;
	struct pkg *p;
	int rc;

	*out = NULL;
	if ((j = ctp_calloc(1, sizeof(*j))) == NULL)
		return ctp_err_nomem(e, "package");
	p = &j->p;
	p->sc = sc;
	p->org = org;
	p->payer = o->payer;
	p->as_of = o->as_of;
	p->when = o->when;
	p->tmpdir = tmpdir;
	j->force = o->force;
	if ((rc = ctp_db_exec(c->db, "BEGIN", e)) != 0) {
		free(j);
		return rc;
	}
	if ((rc = pkg_load(c->db, npi, p, e)) != 0 ||
	    (rc = pkg_check(c->db, p, e)) != 0 ||
	    (rc = pkg_tables(c->db, p, e)) != 0 ||
	    (rc = pkg_summary_lines(c->db, p, e)) != 0)
		goto fail;
	if ((j->path = out_path(o, n, p)) == NULL) {
		rc = ctp_err_nomem(e, "package");
		goto fail;
	}
	if (p->streamed) {
		make(j, c->db);
		if ((rc = j->rc) != 0) {
			*e = j->e;
			goto fail;
		}
	}
	if ((rc = ctp_db_exec(c->db, "COMMIT", e)) != 0)
		goto fail;
	*out = j;
	return 0;
fail:
	ctp_db_rollback(c->db);
	job_free(j);
	return rc;
}

/* The events of made packages, committed, then the files named. */
static int
commit(struct ctp_ctx *c, const struct ctp_package_opts *o,
    struct job **v, size_t n, long long *made, long long total,
    struct ctp_error *e)
{
	const char *msha;
	size_t i, k;
	int rc;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)		/* mostly written back by now */
		if ((rc = ctp_outfile_sync(v[i]->of, e)) != 0)
			return rc;
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	for (i = 0; i < n; i++) {
		for (k = 0, msha = ""; k < v[i]->p.n; k++)
			if (strcmp(v[i]->p.v[k].path, "manifest.json") == 0)
				msha = v[i]->p.v[k].sha256;
		if ((rc = audit(c, &v[i]->p, v[i]->path, msha, e)) != 0) {
			ctp_db_rollback(c->db);
			return rc;
		}
	}
	if ((rc = ctp_db_commit(c->db, e)) != 0)
		return rc;
	for (i = 0; i < n; i++) {
		rc = ctp_outfile_commit(v[i]->of, e);
		v[i]->of = NULL;
		if (rc != 0)
			return rc;
		if (o->done)
			o->done(o->arg, v[i]->path);
	}
	*made += (long long)n;
	ctp_progress_tell(&o->progress, "packages", CTP_PROGRESS_ITEMS, *made,
	    total, 0);
	return 0;
}

#define BATCH 16	/* packages a transaction commits */
#define THREADS 8	/* the pool's: while some wait, others work */
#define DEPTH 12	/* packages in the pool's hands */

struct run {
	struct ctp_ctx *c;
	const struct ctp_package_opts *o;
	struct pkg_pool *pool;
	struct job *batch[BATCH];
	size_t nbatch;
	long long made, total;	/* packages */
};

/* A made job into the batch, committed when full (or when flush). */
static int
collect(struct run *r, struct job *j, int flush, struct ctp_error *e)
{
	size_t i;
	int rc = 0;

	if (j != NULL && j->rc != 0) {
		*e = j->e;
		rc = j->rc;
		job_free(j);
		j = NULL;
		flush = 1;
	}
	if (j != NULL)
		r->batch[r->nbatch++] = j;
	if (r->nbatch == BATCH || (flush && r->nbatch)) {
		struct ctp_error ce;
		int crc = commit(r->c, r->o, r->batch, r->nbatch, &r->made,
		    r->total, &ce);

		if (crc != 0 && rc == 0) {
			rc = crc;
			*e = ce;
		}
		for (i = 0; i < r->nbatch; i++)
			job_free(r->batch[i]);
		r->nbatch = 0;
	}
	return rc;
}

/*
 * Every job out taken back and collected (the packages made before a
 * failure are still committed); the first error kept.
 */
static int
drain(struct run *r, int rc, struct ctp_error *e)
{
	struct ctp_error je;
	struct job *j;
	int jrc;

	while (r->pool && (j = pkg_pool_take(r->pool)) != NULL)
		if ((jrc = collect(r, j, 0, &je)) != 0 && rc == 0) {
			rc = jrc;
			*e = je;
		}
	if ((jrc = collect(r, NULL, 1, &je)) != 0 && rc == 0) {
		rc = jrc;
		*e = je;
	}
	return rc;
}

static int
build_all(struct ctp_ctx *c, struct pkg_stmts *sc,
    const struct ctp_package_opts *o, const char *org, const char *tmpdir,
    const char **v, size_t m, struct ctp_error *e)
{
	struct run r;
	struct job *j;
	size_t i;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.o = o;
	r.total = (long long)m;
	if (m > 1)
		r.pool = pkg_pool_new(THREADS, DEPTH, work);
	for (i = 0; i < m && rc == 0; i++) {
		if ((rc = prepare(c, sc, o, org, tmpdir, v[i], m, &j, e)) != 0)
			break;
		if (r.pool == NULL || j->p.streamed) {
			/* in order: what the pool holds goes first */
			if ((rc = drain(&r, 0, e)) != 0) {
				job_free(j);
				break;
			}
			if (!j->p.streamed)
				make(j, NULL);
			rc = collect(&r, j, 0, e);
			continue;
		}
		if (!pkg_pool_room(r.pool) && (rc = collect(&r,
		    pkg_pool_take(r.pool), 0, e)) != 0) {
			job_free(j);
			break;
		}
		pkg_pool_submit(r.pool, j);
	}
	rc = drain(&r, rc, e);
	pkg_pool_free(r.pool);
	ctp_progress_tell(&o->progress, "packages", CTP_PROGRESS_ITEMS, r.made,
	    r.total, 1);
	return rc;
}

/* npis without repeats, in order; *out new (the strings borrowed). */
static int
unique(char *const *npis, size_t n, const char ***out, size_t *m)
{
	const char **v;
	size_t i, j;

	if ((v = ctp_calloc(n ? n : 1, sizeof(*v))) == NULL)
		return -1;
	*m = 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < *m && strcmp(v[j], npis[i]) != 0; j++)
			;
		if (j == *m)
			v[(*m)++] = npis[i];
	}
	*out = v;
	return 0;
}

static int
check_all(struct ctp_ctx *c, struct pkg_stmts *sc,
    const struct ctp_package_opts *o, const char **v, size_t m,
    struct ctp_error *e)
{
	size_t i, refused = 0, incomplete = 0;
	int rc;

	for (i = 0; i < m; i++) {
		if ((rc = check_one(c->db, sc, o, v[i], e)) == CTP_DATAERR)
			refused++;
		else if (rc == CTP_ATTN)
			incomplete++;
		else if (rc != 0)
			return rc;
	}
	if (refused)
		return ctp_errf(e, CTP_DATAERR, NULL, "nothing written: %zu %s "
		    "refused", refused, ctp_plural((long long)refused,
		    "provider", "providers"));
	if (incomplete)
		return ctp_errf(e, CTP_ATTN, NULL, "nothing written: %zu "
		    "incomplete %s (--allow-incomplete lists the gaps in "
		    "the package)", incomplete, ctp_plural((long long)
		    incomplete, "package", "packages"));
	return 0;
}

int
ctp_package_run(struct ctp_ctx *c, const struct ctp_package_opts *o,
    char *const *npis, size_t n, struct ctp_error *e)
{
	const char **v = NULL, *tmp;
	char *org = NULL, *tmpdir = NULL;
	struct pkg_stmts sc;
	size_t m = 0;
	int rc;

	memset(&sc, 0, sizeof(sc));
	sc.db = c->db;
	if (unique(npis, n, &v, &m) != 0)
		return ctp_err_nomem(e, "package");
	if (m > 1 && o->output && !is_dir(o->output)) {
		rc = ctp_errf(e, CTP_USAGE, o->output, "not a directory: "
		    "several providers need -o DIR");
		goto out;
	}
	if ((rc = check_all(c, &sc, o, v, m, e)) != 0 ||
	    (rc = ctp_org_get(c->db, "name", &org, e)) != 0)
		goto out;
	tmp = ctp_env("TMPDIR");
	if ((tmpdir = ctp_asprintf("%s/ctp-package.XXXXXX", tmp && *tmp ?
	    tmp : "/tmp")) == NULL) {
		rc = ctp_err_nomem(e, "package");
		goto out;
	}
	if (mkdtemp(tmpdir) == NULL) {
		rc = ctp_errf(e, CTP_CANTCREAT, tmpdir, "cannot create: %s",
		    strerror(errno));
		free(tmpdir);
		tmpdir = NULL;
		goto out;
	}
	rc = build_all(c, &sc, o, org, tmpdir, v, m, e);
out:
	pkg_stmts_free(&sc);
	if (tmpdir) {
		rmdir(tmpdir);
		free(tmpdir);
	}
	free(org);
	free(v);
	return rc;
}
