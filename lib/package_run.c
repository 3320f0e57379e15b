/*
 * package_run.c - ctp-package build over many providers (package.h):
 * every provider checked before anything is written, then each package
 * made in its own write transaction, its events committed once the file
 * is complete and before it is named.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "mem.h"
#include "org.h"
#include "outfile.h"
#include "package.h"
#include "package_int.h"
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
check_one(sqlite3 *db, const struct ctp_package_opts *o, const char *npi,
    struct ctp_error *e)
{
	struct pkg p;
	char gaps[900];
	const char *why;
	int rc;

	memset(&p, 0, sizeof(p));
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

/* The package's files, then the ZIP into of's temporary file. */
static int
assemble(struct ctp_ctx *c, struct pkg *p, const char *npi,
    struct ctp_outfile *of, struct ctp_error *e)
{
	int rc;

	if ((rc = pkg_load(c->db, npi, p, e)) != 0 ||
	    (rc = pkg_check(c->db, p, e)) != 0 ||
	    (rc = pkg_tables(c->db, p, e)) != 0 ||
	    (rc = pkg_summary(c->db, p, e)) != 0 ||
	    (rc = pkg_manifest(p, e)) != 0)
		return rc;
	if ((rc = pkg_zip(c->db, p, ctp_outfile_fp(of), e)) != 0)
		return rc;
	return ctp_outfile_sync(of, e);
}

static int
build_one(struct ctp_ctx *c, const struct ctp_package_opts *o,
    const char *org, const char *tmpdir, const char *npi, size_t n,
    struct ctp_error *e)
{
	struct ctp_outfile *of = NULL;
	struct pkg p, q;
	char *path = NULL;
	size_t i;
	int rc;

	memset(&p, 0, sizeof(p));
	memset(&q, 0, sizeof(q));
	p.org = org;
	p.payer = o->payer;
	p.as_of = o->as_of;
	p.when = o->when;
	p.tmpdir = tmpdir;
	q = p;
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = pkg_load(c->db, npi, &q, e)) != 0)
		goto fail;
	if ((path = out_path(o, n, &q)) == NULL) {
		rc = ctp_err_nomem(e, "package");
		goto fail;
	}
	if ((rc = ctp_outfile_open(&of, path, o->force ? CTP_OUTFILE_FORCE :
	    0, NULL, 0, e)) != 0 ||
	    (rc = assemble(c, &p, npi, of, e)) != 0)
		goto fail;
	for (i = 0; i < p.n; i++)
		if (strcmp(p.v[i].path, "manifest.json") == 0)
			break;
	if ((rc = audit(c, &p, path, i < p.n ? p.v[i].sha256 : "", e)) != 0 ||
	    (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	rc = ctp_outfile_commit(of, e);
	of = NULL;
	if (rc == 0 && o->done)
		o->done(o->arg, path);
	goto out;
fail:
	ctp_db_rollback(c->db);
	ctp_outfile_abort(of);
out:
	pkg_free(&q);
	pkg_free(&p);
	free(path);
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
check_all(struct ctp_ctx *c, const struct ctp_package_opts *o,
    const char **v, size_t m, struct ctp_error *e)
{
	size_t i, refused = 0, incomplete = 0;
	int rc;

	for (i = 0; i < m; i++) {
		if ((rc = check_one(c->db, o, v[i], e)) == CTP_DATAERR)
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
	size_t m = 0, i;
	int rc;

	if (unique(npis, n, &v, &m) != 0)
		return ctp_err_nomem(e, "package");
	if (m > 1 && o->output && !is_dir(o->output)) {
		rc = ctp_errf(e, CTP_USAGE, o->output, "not a directory: "
		    "several providers need -o DIR");
		goto out;
	}
	if ((rc = check_all(c, o, v, m, e)) != 0 ||
	    (rc = ctp_org_get(c->db, "name", &org, e)) != 0)
		goto out;
	tmp = getenv("TMPDIR");
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
	for (i = 0; i < m && rc == 0; i++)
		rc = build_one(c, o, org, tmpdir, v[i], m, e);
out:
	if (tmpdir) {
		rmdir(tmpdir);
		free(tmpdir);
	}
	free(org);
	free(v);
	return rc;
}
