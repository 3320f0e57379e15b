/*
 * invoice_run.c - one run of ctp-invoice (invoice.h): the organizations
 * named, each opened with the caller's role checked and invoiced in
 * turn, written as text, JSON Lines or one combined CSV, and as PDFs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "invoice.h"

static void
warnf(const struct ctp_invoice_run *r, const char *fmt, ...)
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

/* Write inv in r's format: 0, or e->code. */
static int
put(const struct ctp_invoice_run *r, struct ctp_out *o, FILE *out,
    const struct ctp_invoice *inv, struct ctp_error *e)
{
	json_t *j;
	int rc;

	if (r->fmt == CTP_FMT_CSV)
		return ctp_invoice_row(o, inv, e);
	if (r->fmt == CTP_FMT_TABLE)
		return ctp_invoice_text(out, inv) ? ctp_errf(e, CTP_IOERR,
		    "stdout", "write error") : 0;
	if ((j = ctp_invoice_json(inv)) == NULL)
		return ctp_err_nomem(e, "invoice");
	rc = ctp_out_json_line(out, j);
	json_decref(j);
	return rc ? ctp_errf(e, CTP_IOERR, "stdout", "write error") : 0;
}

/* One organization: 0, or e->code (skipped), or -1 (output failed). */
static int
one(const struct ctp_invoice_run *r, const char *path, struct ctp_out *o,
    FILE *out, struct ctp_error *e)
{
	struct ctp_invoice inv;
	struct ctp_ctx *c;
	int rc;

	if ((rc = ctp_ctx_open(&c, r->prog, *path ? path : NULL,
	    CTP_PERM_ADMIN, e)) != 0)
		return rc;
	rc = ctp_invoice_make(c, r->year, r->month, r->annual, &inv, e);
	ctp_ctx_close(c);
	if (rc != 0)
		return rc;
	if (r->pdf_dir != NULL &&
	    (rc = ctp_invoice_pdf(&inv, r->pdf_dir, r->pdf_flags, e)) != 0) {
		ctp_invoice_free(&inv);
		return rc;
	}
	rc = put(r, o, out, &inv, e);
	ctp_invoice_free(&inv);
	return rc ? -1 : 0;
}

int
ctp_invoice_run(const struct ctp_invoice_run *r,
    const struct ctp_exp_dbs *dbs, FILE *out, struct ctp_error *e)
{
	static const char *const dflt[] = { "" };
	const char *const *paths = dbs->n ? (const char *const *)dbs->v : dflt;
	struct ctp_out *o = NULL;
	size_t i, n = dbs->n ? dbs->n : 1, done = 0;
	int rc = 0, rc2;

	ctp_error_clear(e);
	if (r->fmt == CTP_FMT_CSV && (o = ctp_out_new(out, CTP_FMT_CSV,
	    ctp_invoice_columns, CTP_INVOICE_NCOLUMNS, 0)) == NULL)
		return ctp_err_nomem(e, "output");
	for (i = 0; i < n; i++) {
		ctp_error_clear(e);
		if ((rc2 = one(r, paths[i], o, out, e)) == 0) {
			done++;
			continue;
		}
		if (rc2 < 0) {
			ctp_out_free(o);
			return e->code;
		}
		if (!*paths[i] || strstr(e->where, paths[i]) != NULL)
			warnf(r, "%s%s%s", e->where, *e->where ? ": " : "",
			    e->what);
		else
			warnf(r, "%s: %s%s%s", paths[i], e->where,
			    *e->where ? ": " : "", e->what);
		if (rc == 0 || (rc == CTP_NOPERM && e->code != CTP_NOPERM))
			rc = e->code;
	}
	ctp_error_clear(e);
	if (done == 0) {
		ctp_out_free(o);	/* not even the header */
		return rc ? rc : CTP_NOPERM;
	}
	if (o != NULL && ctp_out_close(o, e) != 0)
		return e->code;
	return rc;
}
