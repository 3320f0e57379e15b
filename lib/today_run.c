/*
 * today_run.c - one run of ctp-today (today.h): each organization read
 * in turn with the caller's role checked, those that cannot be read
 * named and left out, then the dashboards shown together.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "out.h"
#include "outfile.h"
#include "today.h"

static void
warnf(const struct ctp_today_run *r, const char *fmt, ...)
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

static int
show(const struct ctp_today_run *r, json_t *const *v, size_t n,
    const struct ctp_exp_dbs *dbs, FILE *out, struct ctp_error *e)
{
	struct ctp_outfile *of;
	size_t i;
	int rc;

	if (r->fmt == CTP_TODAY_TEXT)
		return ctp_today_text(out, v, n) ? ctp_errf(e, CTP_IOERR,
		    "stdout", "write error") : 0;
	if (r->fmt == CTP_TODAY_JSON) {
		for (i = 0; i < n; i++)
			if (ctp_out_json_line(out, v[i]) != 0)
				return ctp_errf(e, CTP_IOERR, "stdout",
				    "write error");
		return 0;
	}
	if ((rc = ctp_outfile_open(&of, r->html, r->html_flags,
	    (const char *const *)dbs->v, dbs->n, e)) != 0)
		return rc;
	if (ctp_today_html(ctp_outfile_fp(of), v, n) != 0) {
		ctp_outfile_abort(of);
		return ctp_errf(e, CTP_IOERR, r->html, "write error");
	}
	return ctp_outfile_commit(of, e);
}

int
ctp_today_run(const struct ctp_today_run *r, const struct ctp_exp_dbs *dbs,
    FILE *out, struct ctp_error *e)
{
	static const char *const dflt[] = { "" };
	const char *const *paths = dbs->n ? (const char *const *)dbs->v : dflt;
	size_t i, n = dbs->n ? dbs->n : 1, k = 0;
	struct ctp_ctx *c;
	json_t **v;
	int rc = 0, rc2;

	ctp_error_clear(e);
	if ((v = ctp_calloc(n, sizeof(*v))) == NULL)
		return ctp_err_nomem(e, "today");
	for (i = 0; i < n; i++) {
		ctp_error_clear(e);
		if (ctp_ctx_open(&c, r->prog, *paths[i] ? paths[i] : NULL,
		    CTP_PERM_READ, e) == 0) {
			rc2 = ctp_today_read(c, r->as_of, r->now_ts, &v[k], e);
			ctp_ctx_close(c);
			if (rc2 == 0) {
				k++;
				continue;
			}
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
	if (k == 0) {
		free(v);
		return rc ? rc : CTP_NOPERM;
	}
	rc2 = show(r, v, k, dbs, out, e);
	for (i = 0; i < k; i++)
		json_decref(v[i]);
	free(v);
	return rc2 ? rc2 : rc;
}
