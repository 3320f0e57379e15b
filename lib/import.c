/*
 * import.c - the run of a bulk roster import.  One pass over the file:
 * each record is decoded (input.c), read into a row of the file's columns
 * (import_map.c), checked completely (import_check.c, which asks the
 * roster through import_ask.c), compared with the roster and, when good,
 * written inside one transaction with statements prepared once (its
 * credentials and history rows through the writers of credential.c and
 * history.c); rejected rows go to the rejects file.  The whole run
 * commits at the end or not at all, so a killed import leaves the roster
 * as it was.  What it does only for speed is in import_bulk.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "audit.h"
#include "buf.h"
#include "credential.h"
#include "date.h"
#include "db.h"
#include "history.h"
#include "import.h"
#include "import_ask.h"
#include "import_bulk.h"
#include "import_check.h"
#include "import_map.h"
#include "input.h"
#include "org.h"
#include "mem.h"
#include "out.h"
#include "outfile.h"
#include "roster.h"
#include "status.h"

struct imp {
	struct ctp_ctx *c;
	const struct ctp_import_opts *o;
	struct ctp_import_stats *st;
	struct ctp_input *in;
	const char *file;
	struct ctp_import_header h;	/* the file's columns */
	struct ctp_import_row row;	/* the record being read */
	struct ctp_import_check chk;	/* the row checks, asking by ask */
	struct ctp_import_ask ask;
	struct ctp_import_roster roster;	/* answers ask */
	int writing;
	char ts[CTP_TS_LEN];
	struct ctp_import_bulk bulk;	/* what the run does for speed */
	int keep;			/* write the good rows: --partial or
					 * --rejects */
	struct ctp_outfile *rejects;	/* --rejects, until committed */
	FILE *rej;			/* its stream, once a row is rejected */
	struct ctp_import_old old;	/* the roster's record of the row */
	/* statements */
	sqlite3_stmt *ins_prov;
	struct ctp_history hist;	/* the run's history rows */
	struct ctp_credential_writer cred;	/* its credentials */
	sqlite3_stmt *upd_prov[NCANON];
	json_t *added;			/* NPIs of those added, file order */
};

static const char *
val(struct imp *m, int k)
{
	return m->row.v[k];
}

static int
present(struct imp *m, int k)
{
	return m->h.col[k] >= 0;
}

static int
prepare_all(struct imp *m, struct ctp_error *e)
{
	sqlite3 *db = m->c->db;
	struct ctp_buf b = CTP_BUF_INIT;
	int i, rc;

	if (ctp_import_providers_insert(&b, 1) < 0) {
		rc = ctp_err_nomem(e, "import");
		goto done;
	}
	if ((rc = ctp_db_prepare(db, &m->ins_prov, b.s, e)) != 0)
		goto done;
	if ((rc = ctp_history_open(&m->hist, m->c, m->ts, m->file, e)) != 0 ||
	    (rc = ctp_credential_writer_open(&m->cred, m->c, &m->hist,
	    e)) != 0)
		goto done;
	for (i = 0; i < NPCOLS; i++)
		if (ctp_roster_field_index(
		    ctp_import_columns[ctp_import_pcols[i]]) != i) {
			rc = ctp_errf(e, CTP_SOFTWARE, "import", "provider "
			    "columns out of step with the roster's");
			goto done;
		}
done:
	ctp_buf_free(&b);
	return rc;
}

static void
finalize_all(struct imp *m)
{
	int i;

	sqlite3_finalize(m->ins_prov);
	ctp_credential_writer_close(&m->cred);
	ctp_history_close(&m->hist);
	ctp_import_roster_close(&m->roster);
	for (i = 0; i < NCANON; i++)
		sqlite3_finalize(m->upd_prov[i]);
}

/*
 * Read the record into m->row: each value of a known column, trimmed.
 * A record the input could not read whole, or a value that is not text
 * or too long, is a problem of the row.
 */
static void
read_row(struct imp *m)
{
	struct ctp_import_row *r = &m->row;
	char colbuf[64];
	const char *why, *raw;
	size_t j, nf = ctp_input_nfields(m->in);
	int k;

	ctp_import_row_start(r, ctp_input_line(m->in));
	if ((why = ctp_input_record_error(m->in)) != NULL) {
		/* "column: bytes that are not ..." */
		const char *colon = strstr(why, ": ");

		if (colon) {
			snprintf(colbuf, sizeof(colbuf), "%.*s",
			    (int)(colon - why), why);
			ctp_import_row_err(r, colbuf, colon + 2);
		} else
			ctp_import_row_err(r, "record", why);
	}
	if (nf > m->h.nuse)
		ctp_import_row_err(r, "record", "more fields than the header");
	for (k = 0; k < NCANON; k++) {
		r->v[k][0] = '\0';
		if (m->h.col[k] < 0)
			continue;
		if (ctp_input_not_text(m->in, (size_t)m->h.col[k])) {
			ctp_import_row_err(r, ctp_import_columns[k],
			    "not a text value");
			continue;
		}
		raw = ctp_input_value(m->in, (size_t)m->h.col[k]);
		if (raw == NULL)
			continue;
		while (*raw == ' ' || *raw == '\t')
			raw++;
		j = strlen(raw);
		while (j > 0 && (raw[j - 1] == ' ' || raw[j - 1] == '\t' ||
		    raw[j - 1] == '\r'))
			j--;
		if (j >= sizeof(r->v[k])) {
			ctp_import_row_err(r, ctp_import_columns[k],
			    "too long");
			continue;
		}
		/* memmove, not memcpy: GCC copies a memcpy of a size it
		 * knows is under 8 KB with rep movsq, whose start costs
		 * more than a short value; memmove stays a libc call. */
		memmove(r->v[k], raw, j);
		r->v[k][j] = '\0';
	}
}

/* Read and check one row completely. */
static int
check_row(struct imp *m, struct ctp_error *e)
{
	read_row(m);
	return ctp_import_check_row(&m->chk, &m->row, &m->old, e);
}

static int
hist(struct imp *m, long long cred, const char *field, const char *old,
    const char *nw, struct ctp_error *e)
{
	return ctp_history_write(&m->hist, m->old.pid, cred, field, old, nw,
	    NULL, e);
}

static int
step_done(sqlite3_stmt *st, const char *what, struct ctp_error *e)
{
	int rc = ctp_db_step_done(st, what, e);

	sqlite3_clear_bindings(st);
	return rc;
}

/* The row's credential of group g. */
static struct ctp_credential
row_cred(struct imp *m, int g)
{
	const struct ctp_import_group *gr = &ctp_import_groups[g];

	return (struct ctp_credential){ gr->kind,
	    gr->num >= 0 ? val(m, gr->num) : NULL,
	    gr->st >= 0 ? val(m, gr->st) : NULL,
	    gr->issuer >= 0 ? val(m, gr->issuer) : NULL,
	    NULL,
	    gr->exp >= 0 ? val(m, gr->exp) : NULL };
}

/* The row's credential of group g, new, for provider m->old.pid. */
static int
insert_cred(struct imp *m, int g, long long *id, struct ctp_error *e)
{
	struct ctp_credential cr = row_cred(m, g);

	return ctp_credential_writer_add(&m->cred, m->old.pid, &cr, id, e);
}

/* The same, of a provider added: into an empty roster queued. */
static int
add_cred(struct imp *m, int g, struct ctp_error *e)
{
	struct ctp_credential cr = row_cred(m, g);

	return ctp_import_bulk_credential(&m->bulk, &m->cred, m->old.pid, &cr,
	    e);
}

static int
add_provider(struct imp *m, struct ctp_error *e)
{
	sqlite3_stmt *st = m->ins_prov;
	const char *v[1 + NPCOLS];
	int i, g;

	v[0] = val(m, C_NPI);
	for (i = 0; i < NPCOLS; i++) {
		v[i + 1] = val(m, ctp_import_pcols[i]);
		if (ctp_import_pcols[i] == C_STATUS && *v[i + 1] == '\0')
			v[i + 1] = "active";
	}
	if (m->bulk.rows) {
		if (ctp_import_bulk_provider(&m->bulk, v, e))
			return e->code;
	} else {
		ctp_bind_static(st, 1, m->ts);
		ctp_bind_static(st, 2, v[0]);
		for (i = 0; i < NPCOLS; i++)
			ctp_bind_static_or_null(st, i + 3, v[i + 1]);
		if (step_done(st, "providers", e))
			return e->code;
		m->old.pid = sqlite3_last_insert_rowid(m->c->db);
	}
	for (g = 0; g < NGROUPS; g++)
		if (ctp_import_group_used(&m->row, &ctp_import_groups[g]) &&
		    add_cred(m, g, e))
			return e->code;
	if (ctp_import_bulk_provider_done(&m->bulk, &m->cred, e))
		return e->code;
	/* The run's one roster.import event names every provider added. */
	if (json_array_append_new(m->added, json_stringn_nocheck(val(m, C_NPI),
	    strlen(val(m, C_NPI)))) != 0)
		return ctp_err_nomem(e, "import");
	return 0;
}

static int
same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/*
 * The provider's fields against the roster's: each change counted in
 * *changed and, when m->writing, written with its history row and named
 * in fields.
 */
static int
update_fields(struct imp *m, json_t *fields, int *changed,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	char sql[128];
	int i, k, rc;

	for (i = 0; i < NPCOLS; i++) {
		k = ctp_import_pcols[i];
		if (!present(m, k) || (k == C_STATUS && *val(m, k) == '\0'))
			continue;
		if (same(m->old.v[k], val(m, k)))
			continue;
		(*changed)++;
		if (!m->writing)
			continue;
		if (k == C_STATUS) {
			/* The one door for a status, with its own event. */
			if ((rc = ctp_status_set(m->c, val(m, C_NPI),
			    val(m, k), CTP_STATUS_CHANGE, 0, m->file, NULL,
			    NULL, e)) != 0)
				return rc;
			continue;
		}
		if (m->upd_prov[k] == NULL) {
			snprintf(sql, sizeof(sql), "UPDATE providers SET %s = "
			    "?1, updated_at = ?2 WHERE id = ?3",
			    ctp_import_columns[k]);
			if ((rc = ctp_db_prepare(m->c->db, &m->upd_prov[k],
			    sql, e)) != 0)
				return rc;
		}
		st = m->upd_prov[k];
		ctp_bind_static_or_null(st, 1, val(m, k));
		ctp_bind_static(st, 2, m->ts);
		sqlite3_bind_int64(st, 3, m->old.pid);
		if ((rc = step_done(st, "providers", e)) != 0 ||
		    (rc = hist(m, 0, ctp_import_columns[k], m->old.v[k],
		    val(m, k), e)) != 0)
			return rc;
		json_array_append_new(fields,
		    json_string(ctp_import_columns[k]));
	}
	return 0;
}

/* The same for the credential of group g. */
static int
update_credential(struct imp *m, int g, json_t *fields, int *changed,
    struct ctp_error *e)
{
	const struct ctp_import_group *gr = &ctp_import_groups[g];
	const struct ctp_import_oldcred *oc = &m->old.oc[g];
	int cols[CTP_CREDENTIAL_NFILE] = { gr->num, gr->st, gr->issuer,
	    gr->exp };
	const char *ov[CTP_CREDENTIAL_NFILE], *nv[CTP_CREDENTIAL_NFILE];
	unsigned set;
	int j, diff = 0, rc;
	long long id;

	if (!ctp_import_group_used(&m->row, gr))
		return 0;
	for (j = 0; j < CTP_CREDENTIAL_NFILE; j++) {
		ov[j] = nv[j] = oc->v[j];
		if (cols[j] < 0 || !present(m, cols[j]))
			continue;
		nv[j] = val(m, cols[j]);
		if (!same(oc->v[j], nv[j]))
			diff = 1;
	}
	if (oc->id && !diff)
		return 0;
	(*changed)++;
	if (!m->writing)
		return 0;
	if (oc->id == 0) {
		if ((rc = insert_cred(m, g, &id, e)) != 0 ||
		    (rc = hist(m, id, gr->kind, NULL, nv[0] ? nv[0] : nv[2],
		    e)) != 0)
			return rc;
		json_array_append_new(fields, json_string(gr->kind));
		return 0;
	}
	if ((rc = ctp_credential_writer_set(&m->cred, m->old.pid, oc->id,
	    gr->kind, ov, nv, oc->verification, &set, e)) != 0)
		return rc;
	for (j = 0; j < CTP_CREDENTIAL_NFILE; j++)
		if (cols[j] >= 0 && set & 1u << j)
			json_array_append_new(fields,
			    json_string(ctp_import_columns[cols[j]]));
	return 0;
}

/*
 * Compare a known provider with the roster; write when m->writing, with
 * one roster.update event naming the columns changed.  *changed set.
 */
static int
update_provider(struct imp *m, int *changed, struct ctp_error *e)
{
	json_t *fields = NULL, *d;
	int g, rc;

	*changed = 0;
	if (m->writing && (fields = json_array()) == NULL)
		return ctp_err_nomem(e, "import");
	if ((rc = update_fields(m, fields, changed, e)) != 0)
		goto done;
	for (g = 0; g < NGROUPS; g++)
		if ((rc = update_credential(m, g, fields, changed, e)) != 0)
			goto done;
	if (*changed && m->writing && json_array_size(fields) > 0) {
		d = json_pack("{s:O, s:s}", "fields", fields, "source",
		    m->file);
		if (d == NULL) {
			rc = ctp_err_nomem(e, "import");
			goto done;
		}
		rc = ctp_audit(m->c, "roster.update", "provider",
		    val(m, C_NPI), d, e);
		json_decref(d);
	}
done:
	json_decref(fields);
	return rc;
}

/*
 * The rejects file: the input's columns and an errors column.  A column
 * of the input named errors (a rejects file imported again) is left out:
 * the new errors column replaces it.
 */
static int
old_errors(struct imp *m, size_t i)
{
	const char *h = i < m->h.nuse ? ctp_input_colname(m->in, i) : NULL;

	return h && strcasecmp(h, "errors") == 0;
}

static int
write_reject(struct imp *m, struct ctp_error *e)
{
	size_t i, n = m->h.nuse, nf = ctp_input_nfields(m->in);

	if (m->rej == NULL) {
		/* The first rejected row: the header.  (JSON Lines name
		 * their columns as they go: those seen so far.) */
		m->rej = ctp_outfile_fp(m->rejects);
		for (i = 0; i < m->h.nuse; i++)
			if (!old_errors(m, i) && (ctp_csv_put_field(m->rej,
			    ctp_input_colname(m->in, i)) < 0 ||
			    fputc(',', m->rej) == EOF))
				goto fail;
		if (fputs("errors\n", m->rej) == EOF)
			goto fail;
	}
	if (nf > n)
		n = nf;
	for (i = 0; i < n; i++)
		if (!old_errors(m, i) && (ctp_csv_put_field(m->rej,
		    ctp_input_value(m->in, i)) < 0 ||
		    fputc(',', m->rej) == EOF))
			goto fail;
	if (ctp_csv_put_field(m->rej, m->row.errs.s ? m->row.errs.s : "") < 0 ||
	    fputc('\n', m->rej) == EOF)
		goto fail;
	return 0;
fail:
	return ctp_errf(e, CTP_IOERR, m->o->rejects, "write error");
}

/*
 * Excel saves the rows a sheet once used as ",,,,": a record whose every
 * field is empty (or spaces) is no provider, and is skipped.
 */
static int
empty_row(struct imp *m)
{
	size_t i, n = ctp_input_ncols(m->in), nf = ctp_input_nfields(m->in);
	const char *v;

	if (ctp_input_record_error(m->in))
		return 0;
	if (nf > n)
		n = nf;
	for (i = 0; i < n; i++)
		if ((v = ctp_input_value(m->in, i)) != NULL &&
		    v[strspn(v, " \t\r")] != '\0')
			return 0;
	return 1;
}

/*
 * Read, check and, as m->writing, write or queue each row; into an empty
 * roster on a thread of its own (ctp_import_bulk_run: nothing here then
 * calls SQLite, as import_ask.c answers from memory).
 */
static int
run(void *arg, struct ctp_error *e)
{
	struct imp *m = arg;
	struct ctp_import_stats *s = m->st;
	int r, changed, rc;

	for (;;) {
		r = ctp_input_next(m->in, e);
		if (r < 0)
			return e->code;
		if (r == 0)
			break;
		if (ctp_input_ncols(m->in) != m->h.nuse &&
		    (rc = ctp_import_header_read(&m->h, m->in, m->o->map,
		    m->o->msg, m->c->prog, e)) != 0)
			return rc;
		if (empty_row(m)) {
			s->empty++;
			continue;
		}
		s->rows++;
		if ((rc = check_row(m, e)) != 0)
			return rc;
		if (m->row.nerr) {
			s->rejected++;
			if (!m->keep)
				m->writing = 0;
			if (m->rejects && (rc = write_reject(m, e)) != 0)
				return rc;
			continue;
		}
		if (m->old.pid == 0) {
			s->added++;
			if (m->writing && (rc = add_provider(m, e)) != 0)
				return rc;
			continue;
		}
		if ((rc = update_provider(m, &changed, e)) != 0)
			return rc;
		if (changed)
			s->updated++;
		else
			s->unchanged++;
	}
	return 0;
}

/*
 * The run's roster.import event: the file, the counts and who was added.
 * An import is one write and has one event: one per provider added
 * would cost a first import of a large roster a fifth of its time.
 */
static int
import_event(struct imp *m, struct ctp_error *e)
{
	const struct ctp_import_stats *s = m->st;
	json_t *d;
	int rc;

	d = json_pack("{s:I, s:O, s:b, s:I, s:s, s:I, s:I}",
	    "added", (json_int_t)s->added, "added_npis", m->added,
	    "partial", m->keep, "rejected", (json_int_t)s->rejected,
	    "source", m->file, "unchanged", (json_int_t)s->unchanged,
	    "updated", (json_int_t)s->updated);
	if (d == NULL)
		return ctp_err_nomem(e, "import");
	rc = ctp_audit(m->c, "roster.import", "file", m->file, d, e);
	json_decref(d);
	return rc;
}

void
ctp_import_summary(const struct ctp_import_opts *o,
    const struct ctp_import_stats *s, char *out, size_t n)
{
	int keep = o->partial || o->rejects, held;
	char empty[64] = "", note[300] = "";

	/* Nothing was written, whatever the counts: say what would be. */
	held = o->dry_run || (s->rejected && !keep);
	if (s->empty)
		snprintf(empty, sizeof(empty), ", %lld empty row%s skipped",
		    s->empty, s->empty == 1 ? "" : "s");
	if (o->dry_run)
		snprintf(note, sizeof(note), " (dry run: nothing written%s%s)",
		    s->rejected && o->rejects ? "; rejected rows in " : "",
		    s->rejected && o->rejects ? o->rejects : "");
	else if (s->rejected && !keep)
		snprintf(note, sizeof(note), " (nothing written: fix the "
		    "rejected rows, or use --rejects FILE or --partial)");
	else if (s->rejected && o->rejects)
		snprintf(note, sizeof(note), " (rejected rows in %s: fix them "
		    "there and import that file)", o->rejects);
	snprintf(out, n, "%lld %s, %lld %s, %lld unchanged, %lld rejected"
	    "%s%s", s->added, held ? "would be added" : "added", s->updated,
	    held ? "would be updated" : "updated", s->unchanged, s->rejected,
	    empty, note);
}

int
ctp_import(struct ctp_ctx *c, const struct ctp_import_opts *o,
    struct ctp_import_stats *s, struct ctp_error *e)
{
	struct imp *m;
	int rc, intx = 0;

	memset(s, 0, sizeof(*s));
	if ((m = ctp_calloc(1, sizeof(*m))) == NULL)
		return ctp_err_nomem(e, "import");
	m->c = c;
	m->o = o;
	m->st = s;
	m->keep = o->partial || o->rejects;
	ctp_timestamp(m->ts);
	if ((m->added = json_array()) == NULL) {
		free(m);
		return ctp_err_nomem(e, "import");
	}
	/* The rejects file is refused or created before anything else. */
	if (o->rejects) {
		const char *in[] = { o->path ? o->path : "-", o->map, c->path };

		if ((rc = ctp_outfile_open(&m->rejects, o->rejects, o->force ?
		    CTP_OUTFILE_FORCE : 0, in, 3, e)) != 0)
			goto done;
	}
	if ((rc = ctp_input_open(&m->in, o->path, o->enc, e)) != 0)
		goto done;
	m->file = ctp_input_name(m->in);
	m->row.col = m->h.col;
	m->row.msg = o->msg;
	m->row.prog = c->prog;
	m->row.file = m->file;
	m->chk.ask = &m->ask;
	/* "Today" is the organization's, in its time zone. */
	m->chk.as_of = o->as_of;
	if (m->chk.as_of < 0 && (rc = ctp_org_today(c->db, &m->chk.as_of,
	    e)) != 0)
		goto done;
	/* JSON Lines name their columns record by record (see run). */
	if (!ctp_input_is_json(m->in) && (rc = ctp_import_header_read(&m->h,
	    m->in, o->map, o->msg, c->prog, e)) != 0)
		goto done;
	if ((rc = ctp_import_bulk_start(c->db, !o->dry_run, &m->bulk, e)) != 0)
		goto done;
	if (!o->dry_run) {
		if ((rc = ctp_db_begin(c->db, e)) != 0)
			goto done;
		intx = 1;
		m->writing = 1;
	} else {
		/* One read transaction: a consistent view, and faster. */
		if ((rc = ctp_db_exec(c->db, "BEGIN", e)) != 0)
			goto done;
		intx = 1;
	}
	if ((rc = ctp_import_bulk_empty(c->db, m->writing, m->ts, &m->bulk,
	    e)) != 0 || (rc = ctp_import_roster_open(&m->roster, c->db,
	    m->bulk.empty, &m->ask, e)) != 0 || (rc = prepare_all(m, e)) != 0 ||
	    (rc = ctp_import_bulk_run(&m->bulk, &m->cred, run, m, e)) != 0)
		goto done;
	/* The rejected rows reach the disk before the good ones commit. */
	if (m->rej && (rc = ctp_outfile_sync(m->rejects, e)) != 0)
		goto done;
	if (intx && !o->dry_run && (s->rejected == 0 || m->keep) &&
	    s->added + s->updated > 0) {
		rc = ctp_import_bulk_finish(c->db, &m->bulk, &m->cred, e);
		if (rc == 0)
			rc = import_event(m, e);
		if (rc == 0)
			rc = ctp_db_commit(c->db, e);
		if (rc == 0) {
			s->written = 1;
			intx = 0;
		}
	}
	/* A rejects file only when a row was rejected (as patch(1)). */
	if (rc == 0 && m->rej) {
		rc = ctp_outfile_commit(m->rejects, e);
		m->rejects = NULL;
	}
	if (rc == 0)
		rc = s->rejected ? CTP_ATTN : 0;
done:
	if (intx)
		ctp_db_rollback(c->db);
	ctp_import_bulk_end(c->db, &m->bulk);
	finalize_all(m);
	ctp_import_old_clear(&m->old);
	ctp_outfile_abort(m->rejects);
	json_decref(m->added);
	ctp_input_close(m->in);
	ctp_buf_free(&m->row.errs);
	ctp_import_check_free(&m->chk);
	free(m->h.use);
	free(m);
	return rc;
}
