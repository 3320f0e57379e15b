/*
 * npi_store.c - the mismatch store: what a check found, written as open
 * mismatches (new, refreshed or resolved) and one PSV entry per
 * provider, all inside the refresh's transaction.  See npi_store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "date.h"
#include "db.h"
#include "mem.h"
#include "npi_store.h"
#include "psv.h"

struct ctp_npi_store {
	struct ctp_ctx *c;
	const char *method;
	char day[CTP_DATE_LEN];
	char ts[CTP_TS_LEN];
	sqlite3_stmt *latest, *ins, *upd, *open, *resolve;
	struct ctp_psv_writer *psv;	/* stamped with the run's time */
	/*
	 * The mismatches opened or changed, as they are printed once the
	 * run is stored: every column is known here (a query per row
	 * afterwards read a provider page from disk for each).
	 */
	struct newmm *nm;
	size_t nnm, capnm;
	struct ctp_buf txt;	/* their values, NUL-terminated */
	struct ctp_npi_summary *s;
};

void
ctp_npi_store_close(struct ctp_npi_store *w)
{
	if (w == NULL)
		return;
	sqlite3_finalize(w->latest);
	sqlite3_finalize(w->ins);
	sqlite3_finalize(w->upd);
	sqlite3_finalize(w->open);
	sqlite3_finalize(w->resolve);
	ctp_psv_close(w->psv);
	free(w->nm);
	ctp_buf_free(&w->txt);
	free(w);
}

/* Write the queued PSV entries. */
int
ctp_npi_store_flush(struct ctp_npi_store *w, struct ctp_error *e)
{
	return ctp_psv_flush(w->psv, e);
}

int
ctp_npi_store_open(struct ctp_npi_store **out, struct ctp_ctx *c,
    const char *method, long as_of, struct ctp_npi_summary *s,
    struct ctp_error *e)
{
	struct ctp_npi_store *w;

	if ((*out = w = ctp_calloc(1, sizeof(*w))) == NULL)
		return ctp_err_nomem(e, "mismatches");
	w->c = c;
	w->method = method;
	w->s = s;
	ctp_date_format(as_of, w->day);
	ctp_timestamp(w->ts);
	if (ctp_db_prepare(c->db, &w->latest, "SELECT id, status, "
	    "registry_value, roster_value FROM npi_mismatches WHERE "
	    "provider_id = ?1 AND field = ?2 AND status IN ('open', "
	    "'dismissed') ORDER BY id DESC LIMIT 1", e) ||
	    ctp_db_prepare(c->db, &w->ins, "INSERT INTO npi_mismatches "
	    "(provider_id, field, roster_value, registry_value, apply, "
	    "method, registry_updated, found_on, found_at, found_by) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", e) ||
	    ctp_db_prepare(c->db, &w->upd, "UPDATE npi_mismatches SET "
	    "roster_value = ?3, registry_value = ?4, apply = ?5, method = ?6, "
	    "registry_updated = ?7, found_on = ?8, found_at = ?9, "
	    "found_by = ?10 WHERE id = ?11", e) ||
	    ctp_db_prepare(c->db, &w->open, "SELECT id, field FROM "
	    "npi_mismatches WHERE provider_id = ?1 AND status = 'open'", e) ||
	    ctp_db_prepare(c->db, &w->resolve, "UPDATE npi_mismatches SET "
	    "status = 'resolved', closed_at = ?2, closed_by = ?3 "
	    "WHERE id = ?1", e) ||
	    ctp_psv_open(&w->psv, c->db, c->user, w->ts, method, e)) {
		ctp_npi_store_close(w);
		*out = NULL;
		return e->code;
	}
	return 0;
}

struct newmm {
	long long id;
	const struct ctp_npi_entry *x;
	const char *field;	/* static */
	size_t rv, gv, upd;	/* offsets in txt; upd 0: none */
};

/* Add s and its NUL to w->txt; its offset (0 when s is empty or NULL). */
static int
txt_add(struct ctp_npi_store *w, const char *s, size_t *at)
{
	*at = 0;
	if (w->txt.len == 0 && ctp_buf_putc(&w->txt, '\0') < 0)
		return -1;
	if (s == NULL || *s == '\0')
		return 0;
	*at = w->txt.len;
	return ctp_buf_add(&w->txt, s, strlen(s) + 1);
}

/* Note a mismatch opened or changed, for the output. */
static int
note_mm(struct ctp_npi_store *w, long long id, const struct ctp_npi_entry *x,
    const struct ctp_npi_diff *d, const char *updated)
{
	struct newmm *n;

	if (w->nnm == w->capnm) {
		w->capnm = w->capnm ? w->capnm * 2 : 32;
		if ((n = ctp_realloc(w->nm, w->capnm * sizeof(*n))) == NULL)
			return -1;
		w->nm = n;
	}
	n = &w->nm[w->nnm];
	n->id = id;
	n->x = x;
	n->field = d->field;
	if (txt_add(w, d->roster, &n->rv) < 0 ||
	    txt_add(w, d->registry, &n->gv) < 0 ||
	    txt_add(w, updated, &n->upd) < 0)
		return -1;
	w->nnm++;
	return 0;
}

static int
step_done(struct ctp_npi_store *w, sqlite3_stmt *st, struct ctp_error *e)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return ctp_db_err(w->c->db, rc, "mismatches", e);
	return 0;
}

/* One difference: open it, refresh the open one, or leave a dismissal. */
static int
store_diff(struct ctp_npi_store *w, struct ctp_npi_entry *x,
    const struct ctp_npi_diff *d, const char *updated, struct ctp_error *e)
{
	sqlite3_stmt *st = w->latest;
	long long id = 0;
	char status[16] = "", *apply = NULL;
	int same = 0, rc;

	sqlite3_bind_int64(st, 1, x->id);
	ctp_bind_text(st, 2, d->field);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(status, sizeof(status), "%s", ctp_col_text(st, 1));
		same = strcmp(ctp_col_text(st, 2), d->registry) == 0;
		if (strcmp(status, "open") == 0)
			same = same && strcmp(ctp_col_text(st, 3),
			    d->roster) == 0;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(w->c->db, rc, "mismatches", e);
	/* Dismissed: not reopened while the registry says the same. */
	if (id && same)
		return 0;
	if (d->apply && (apply = json_dumps(d->apply, JSON_COMPACT |
	    JSON_SORT_KEYS)) == NULL)
		return ctp_err_nomem(e, "mismatches");
	/* The same parameters for both: the open one's id as ?11. */
	st = id && strcmp(status, "open") == 0 ? w->upd : w->ins;
	sqlite3_bind_int64(st, 1, x->id);
	ctp_bind_text(st, 2, d->field);
	ctp_bind_text(st, 3, d->roster);
	ctp_bind_text(st, 4, d->registry);
	ctp_bind_text(st, 5, apply);
	ctp_bind_text(st, 6, w->method);
	ctp_bind_text_or_null(st, 7, updated);
	ctp_bind_text(st, 8, w->day);
	ctp_bind_text(st, 9, w->ts);
	ctp_bind_text(st, 10, w->c->user);
	if (st == w->upd)
		sqlite3_bind_int64(st, 11, id);
	free(apply);
	if ((rc = step_done(w, st, e)) != 0)
		return rc;
	if (id == 0 || strcmp(status, "open") != 0)
		id = sqlite3_last_insert_rowid(w->c->db);
	w->s->new_mismatches++;
	if (note_mm(w, id, x, d, updated) < 0)
		return ctp_err_nomem(e, "mismatches");
	return 0;
}

/* Open mismatches the registry no longer shows are resolved. */
static int
store_resolve(struct ctp_npi_store *w, struct ctp_npi_entry *x,
    const struct ctp_npi_diffs *ds, struct ctp_error *e)
{
	long long ids[16];
	int n = 0, i, k, keep, rc;

	if (!x->open)
		return 0;
	sqlite3_bind_int64(w->open, 1, x->id);
	while ((rc = sqlite3_step(w->open)) == SQLITE_ROW && n < 16) {
		const char *f = ctp_col_text(w->open, 1);

		keep = 0;
		for (k = 0; k < ds->n; k++)
			if (strcmp(ds->d[k].field, f) == 0)
				keep = 1;
		if (!keep)
			ids[n++] = sqlite3_column_int64(w->open, 0);
	}
	sqlite3_reset(w->open);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(w->c->db, rc, "mismatches", e);
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(w->resolve, 1, ids[i]);
		ctp_bind_text(w->resolve, 2, w->ts);
		ctp_bind_text(w->resolve, 3, w->c->user);
		if ((rc = step_done(w, w->resolve, e)) != 0)
			return rc;
	}
	return 0;
}

/*
 * One provider's check: its registry record compared with it (g NULL:
 * the NPI is not in the registry), the differences stored, its PSV
 * entry queued.
 */
int
ctp_npi_store_check(struct ctp_npi_store *w, struct ctp_npi_entry *x,
    const struct ctp_npi_rec *g, struct ctp_error *e)
{
	struct ctp_npi_diffs own;
	const struct ctp_npi_diffs *dsp = &own;
	struct ctp_psv_entry en;
	json_t *det = NULL, *fields = NULL;
	char *dj = NULL;
	const char *result;
	int i, rc = 0;

	if (ctp_npi_compare(&x->p, g, &own) < 0) {
		rc = ctp_err_nomem(e, "compare");
		goto out;
	}
	for (i = 0; i < dsp->n; i++)
		if ((rc = store_diff(w, x, &dsp->d[i], g ?
		    g->f[CTP_NPI_LAST_UPDATED] : NULL, e)) != 0)
			goto out;
	if ((rc = store_resolve(w, x, dsp, e)) != 0)
		goto out;
	if (g == NULL) {
		result = "not_found";
		w->s->not_found++;
	} else if (dsp->n == 1 && strcmp(dsp->d[0].field, "deactivated") == 0) {
		result = "deactivated";
		w->s->deactivated++;
	} else if (dsp->n > 0) {
		result = "mismatch";
		w->s->mismatched++;
	} else {
		result = "matched";
		w->s->matched++;
	}
	w->s->checked++;
	/* The fields that differ; nothing more to say for a match. */
	if (dsp->n > 0 && ((det = json_pack("{s:s}", "npi",
	    x->p.npi)) == NULL ||
	    (fields = json_array()) == NULL ||
	    json_object_set_new(det, "fields", fields) < 0)) {
		rc = ctp_err_nomem(e, "psv log");
		goto out;
	}
	for (i = 0; i < dsp->n; i++)
		json_array_append_new(fields, json_string(dsp->d[i].field));
	if (det != NULL && (dj = ctp_psv_detail(det)) == NULL) {
		rc = ctp_err_nomem(e, "psv log");
		goto out;
	}
	memset(&en, 0, sizeof(en));
	en.provider_id = x->id;
	en.source = "NPPES";
	en.result = result;
	en.reference = g ? g->f[CTP_NPI_LAST_UPDATED] : NULL;
	en.detail = dj;
	rc = ctp_psv_add(w->psv, &en, e);
out:
	free(dj);
	json_decref(det);
	ctp_npi_diffs_clear(&own);
	return rc;
}

/*
 * The mismatches the run opened or changed, as ctp-npi mismatches shows
 * them: status open, found today, without a note.
 */
int
ctp_npi_store_print(const struct ctp_npi_store *w, struct ctp_out *o,
    struct ctp_error *e)
{
	const char *v[CTP_NPI_MISMATCH_NCOLUMNS];
	const struct newmm *n;
	char id[24];
	size_t i;

	for (i = 0; i < w->nnm; i++) {
		n = &w->nm[i];
		snprintf(id, sizeof(id), "%lld", n->id);
		v[0] = id;
		v[1] = n->x->p.npi;
		v[2] = n->x->p.last_name;
		v[3] = n->x->p.first_name;
		v[4] = n->field;
		v[5] = w->txt.s + n->rv;
		v[6] = w->txt.s + n->gv;
		v[7] = "open";
		v[8] = w->day;
		v[9] = n->upd ? w->txt.s + n->upd : NULL;
		v[10] = NULL;
		if (ctp_out_row(o, v, e) != 0)
			return e->code;
	}
	return 0;
}
