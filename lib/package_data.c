/*
 * package_data.c - what a package says about its provider (package.h):
 * the profile under CAQH ProView's names where it has one, the
 * credentials, the PSV log, the latest screening, the documents, and
 * the gaps against the requirement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "mem.h"
#include "out.h"
#include "package.h"
#include "package_int.h"
#include "psv_log.h"
#include "validate.h"

/* The profile: providers' columns and the names a package gives them. */
static const struct ctp_col profile_cols[] = {
	{ "Provider_NPI", CTP_COL_STR },
	{ "Provider_First_Name", CTP_COL_STR },
	{ "Provider_Middle_Name", CTP_COL_STR },
	{ "Provider_Last_Name", CTP_COL_STR },
	{ "Provider_Name_Suffix", CTP_COL_STR },
	{ "Provider_Birthdate", CTP_COL_STR },
	{ "Provider_Type", CTP_COL_STR },
	{ "taxonomy", CTP_COL_STR },
	{ "Provider_Address1", CTP_COL_STR },
	{ "Provider_Address_City", CTP_COL_STR },
	{ "Provider_Practice_State", CTP_COL_STR },
	{ "Provider_Address_Zip", CTP_COL_STR },
	{ "Provider_Phone", CTP_COL_STR },
	{ "Provider_Email", CTP_COL_STR },
	{ "CAQH_Provider_ID", CTP_COL_STR },
	{ "caqh_attested", CTP_COL_STR },
	{ "initial_cred_date", CTP_COL_STR },
	{ "Last_Recredential_Date", CTP_COL_STR },
	{ "status", CTP_COL_STR },
	{ "other_names", CTP_COL_STR },
	{ "coordinator", CTP_COL_STR },
};
#define NPROFILE (sizeof(profile_cols) / sizeof(profile_cols[0]))

static const struct ctp_col credential_cols[] = {
	{ "credential_id", CTP_COL_INT }, { "kind", CTP_COL_STR },
	{ "number", CTP_COL_STR }, { "state", CTP_COL_STR },
	{ "issuer", CTP_COL_STR }, { "issued", CTP_COL_STR },
	{ "expires", CTP_COL_STR }, { "verification", CTP_COL_STR },
	{ "status", CTP_COL_STR },
};

static const struct ctp_col screening_cols[] = {
	{ "source", CTP_COL_STR }, { "result", CTP_COL_STR },
	{ "list_version", CTP_COL_STR }, { "screened_on", CTP_COL_STR },
	{ "match_status", CTP_COL_STR },
};

static const char sql_load[] = "SELECT id, npi, first_name, middle_name, "
    "last_name, suffix, dob, provider_type, taxonomy, practice_address, "
    "practice_city, practice_state, practice_zip, phone, email, caqh_id, "
    "caqh_attested, initial_cred_date, last_recred_date, status, "
    "other_names, coordinator, status = 'excluded' OR EXISTS (SELECT 1 "
    "FROM screen_matches m WHERE m.provider_id = providers.id AND "
    "m.status = 'confirmed') FROM providers WHERE npi = ?1";
/* The latest approved document of each kind comes first of its kind. */
static const char sql_docs[] = "SELECT d.id, d.kind, d.sha256, c.mime, "
    "c.size, d.credential_id FROM documents d JOIN doc_contents c ON "
    "c.sha256 = d.sha256 WHERE d.provider_id = ?1 AND d.review = "
    "'approved' ORDER BY d.kind, d.id DESC";
static const char sql_cred[] = "SELECT max(expires), count(*) FROM "
    "credentials WHERE provider_id = ?1 AND kind = ?2 AND status = "
    "'active' AND (?3 = 0 OR id = ?3)";
static const char sql_credentials[] = "SELECT id, kind, number, state, "
    "issuer, issued, expires, verification, status FROM credentials "
    "WHERE provider_id = ?1 ORDER BY kind, id";
static const char sql_screening[] = "SELECT l.source, l.result, "
    "l.reference, l.verified_on, (SELECT m.status FROM screen_matches m "
    "WHERE m.provider_id = l.provider_id AND m.source = l.source ORDER BY "
    "m.status = 'confirmed' DESC, m.id DESC LIMIT 1) FROM psv_log l "
    "WHERE l.id IN (SELECT max(id) FROM psv_log WHERE provider_id = ?1 "
    "AND source IN (SELECT source FROM screen_lists) GROUP BY source) "
    "ORDER BY l.source";

int
pkg_stmt(struct pkg_stmts *sc, const char *sql, sqlite3_stmt **st,
    struct ctp_error *e)
{
	int i, rc;

	for (i = 0; i < sc->n; i++)
		if (sc->sql[i] == sql) {
			*st = sc->st[i];
			sqlite3_reset(*st);
			sqlite3_clear_bindings(*st);
			return 0;
		}
	if (sc->n == PKG_STMTS)
		return ctp_errf(e, CTP_SOFTWARE, "package", "too many "
		    "statements");
	if ((rc = ctp_db_prepare(sc->db, st, sql, e)) != 0)
		return rc;
	sc->sql[sc->n] = sql;
	sc->st[sc->n++] = *st;
	return 0;
}

void
pkg_stmts_free(struct pkg_stmts *sc)
{
	int i;

	for (i = 0; i < sc->n; i++)
		sqlite3_finalize(sc->st[i]);
	sc->n = 0;
}

/* A document kind's credential kind, or NULL (cv, other). */
static const char *
credential_kind(const char *kind)
{
	static const char *const map[][2] = {
		{ "license", "state_license" }, { "dea", "dea" },
		{ "malpractice", "malpractice" },
		{ "board_cert", "board_cert" },
		{ "attestation", "caqh_attestation" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], kind) == 0)
			return map[i][1];
	return NULL;
}

void
pkg_free(struct pkg *p)
{
	size_t i;

	free(p->first);
	free(p->last);
	free(p->ptype);
	free(p->status);
	json_decref(p->profile);
	free(p->docs);
	for (i = 0; i < p->ngaps; i++)
		free(p->gaps[i]);
	free(p->gaps);
	for (i = 0; i < (size_t)p->nlines; i++)
		free(p->lines[i]);
	free(p->lines);
	for (i = 0; i < p->n; i++) {
		ctp_buf_free(&p->v[i].mem);
		if (p->v[i].file) {
			remove(p->v[i].file);
			free(p->v[i].file);
		}
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

void
pkg_release(struct pkg *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		ctp_buf_free(&p->v[i].mem);
}

struct pkg_entry *
pkg_add(struct pkg *p, const char *path, enum pkg_src src)
{
	struct pkg_entry *v, *en;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;

		if ((v = ctp_realloc(p->v, cap * sizeof(*v))) == NULL)
			return NULL;
		p->v = v;
		p->cap = cap;
	}
	en = &p->v[p->n++];
	memset(en, 0, sizeof(*en));
	snprintf(en->path, sizeof(en->path), "%s", path);
	en->src = src;
	return en;
}

int
pkg_mem_done(struct pkg_entry *en, struct ctp_error *e)
{
	struct ctp_sha256 *h;	/* not ctp_sha256_hex: any thread */

	en->size = (long long)en->mem.len;
	if ((h = ctp_sha256_new()) == NULL ||
	    ctp_sha256_update(h, en->mem.s ? en->mem.s : "", en->mem.len) ||
	    ctp_sha256_final(h, en->sha256) != 0)
		return ctp_errf(e, CTP_SOFTWARE, en->path, "cannot hash");
	return 0;
}

static char *
dup_text(sqlite3_stmt *st, int i, int *bad)
{
	char *s = ctp_strdup(ctp_col_text(st, i));

	if (s == NULL)
		*bad = 1;
	return s;
}

/* The profile from a row of the providers query (columns 1..). */
static int
profile(sqlite3_stmt *st, struct pkg *p)
{
	size_t i;

	if ((p->profile = json_object()) == NULL)
		return -1;
	for (i = 0; i < NPROFILE; i++) {
		const char *s = (const char *)sqlite3_column_text(st,
		    (int)i + 1);

		if (json_object_set_new(p->profile, profile_cols[i].name,
		    s ? json_string(s) : json_null()) != 0)
			return -1;
	}
	return 0;
}

int
pkg_load(sqlite3 *db, const char *npi, struct pkg *p, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc, bad = 0;

	if ((rc = pkg_stmt(p->sc, sql_load, &st, e)) != 0)
		return rc;
	ctp_bind_text(st, 1, npi);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p->pid = sqlite3_column_int64(st, 0);
		snprintf(p->npi, sizeof(p->npi), "%s", ctp_col_text(st, 1));
		p->first = dup_text(st, 2, &bad);
		p->last = dup_text(st, 4, &bad);
		p->ptype = dup_text(st, 7, &bad);
		p->status = dup_text(st, 19, &bad);
		p->excluded = sqlite3_column_int(st, 22);
		if (!bad && profile(st, p) != 0)
			bad = 1;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, npi, "not on the roster");
	if (rc != SQLITE_ROW)
		return ctp_db_err(db, rc, "providers", e);
	return bad ? ctp_err_nomem(e, "package") : 0;
}

/* The type's file name extension. */
static const char *
extension(const char *mime)
{
	if (strcmp(mime, "application/pdf") == 0)
		return "pdf";
	if (strcmp(mime, "image/png") == 0)
		return "png";
	if (strcmp(mime, "image/jpeg") == 0)
		return "jpg";
	if (strcmp(mime, "image/tiff") == 0)
		return "tif";
	return "txt";
}

static int
docs(sqlite3 *db, struct pkg *p, long long *cred, struct ctp_error *e)
{
	struct pkg_doc by[8];
	sqlite3_stmt *st;
	int i, k, rc;

	(void)db;
	memset(by, 0, sizeof(by));
	if ((p->docs = ctp_calloc(8, sizeof(*p->docs))) == NULL)
		return ctp_err_nomem(e, "package");
	if ((rc = pkg_stmt(p->sc, sql_docs, &st, e)) != 0)
		return rc;
	sqlite3_bind_int64(st, 1, p->pid);
	for (i = 0; i < 8; i++)
		cred[i] = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		k = ctp_str_index(ctp_doc_kinds, ctp_col_text(st, 1));
		if (k < 0 || k >= 8 || by[k].id != 0)
			continue;	/* an older one of the kind */
		by[k].id = sqlite3_column_int64(st, 0);
		snprintf(by[k].kind, sizeof(by[k].kind), "%s",
		    ctp_col_text(st, 1));
		snprintf(by[k].sha256, sizeof(by[k].sha256), "%s",
		    ctp_col_text(st, 2));
		snprintf(by[k].mime, sizeof(by[k].mime), "%s",
		    ctp_col_text(st, 3));
		by[k].size = sqlite3_column_int64(st, 4);
		cred[k] = sqlite3_column_int64(st, 5);
		snprintf(by[k].path, sizeof(by[k].path),
		    "documents/%s/%s-%lld.%s", ctp_doc_kinds[k],
		    ctp_doc_kinds[k], by[k].id, extension(ctp_col_text(st, 3)));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "documents", e);
	for (i = 0; i < 8; i++)
		if (by[i].id != 0)
			p->docs[p->ndocs++] = by[i];
	return 0;
}

/* The active credential that documents it (cid), else the latest. */
static int
credential(sqlite3 *db, struct pkg *p, const char *kind, long long cid,
    struct ctp_package_item *it, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = pkg_stmt(p->sc, sql_cred, &st, e)) != 0)
		return rc;
	sqlite3_bind_int64(st, 1, p->pid);
	ctp_bind_text(st, 2, kind);
	sqlite3_bind_int64(st, 3, cid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		it->has_cred = sqlite3_column_int(st, 1) > 0;
		if (ctp_date_parse(ctp_col_text(st, 0), &it->expires) != 0)
			it->expires = -1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return ctp_db_err(db, rc, "credentials", e);
	if (!it->has_cred && cid != 0)	/* its document's is retired */
		return credential(db, p, kind, 0, it, e);
	return 0;
}

static int
gap(struct pkg *p, const char *kind, const char *why, struct ctp_error *e)
{
	char **v = ctp_realloc(p->gaps, (p->ngaps + 1) * sizeof(*v));

	if (v == NULL)
		return ctp_err_nomem(e, "package");
	p->gaps = v;
	if ((v[p->ngaps] = ctp_asprintf("%s: %s", kind, why)) == NULL)
		return ctp_err_nomem(e, "package");
	p->ngaps++;
	return 0;
}

int
pkg_check(sqlite3 *db, struct pkg *p, struct ctp_error *e)
{
	struct ctp_package_item it;
	long long cred[8];
	char why[64];
	const char *ck, *g;
	size_t j;
	int i, rc;

	if ((rc = docs(db, p, cred, e)) != 0 ||
	    (rc = ctp_package_required(db, p->payer, p->ptype, &p->required,
	    &p->required_source, e)) != 0)
		return rc;
	for (i = 0; ctp_doc_kinds[i]; i++) {
		if (!(p->required & (1u << i)))
			continue;
		memset(&it, 0, sizeof(it));
		it.kind = ctp_doc_kinds[i];
		it.expires = -1;
		for (j = 0; j < p->ndocs; j++)
			if (strcmp(p->docs[j].kind, it.kind) == 0)
				it.has_doc = 1;
		if ((ck = credential_kind(it.kind)) != NULL) {
			it.credential = 1;
			if ((rc = credential(db, p, ck, cred[i], &it, e)) != 0)
				return rc;
		}
		if ((g = ctp_package_gap(&it, p->as_of, why, sizeof(why))) &&
		    (rc = gap(p, it.kind, g, e)) != 0)
			return rc;
	}
	return 0;
}

/* A CSV file of the package, written to memory through ctp_out. */
struct memcsv {
	struct pkg_entry *en;
	struct ctp_out *o;
	FILE *f;
	char *s;
	size_t len;
};

static int
memcsv_open(struct pkg *p, const char *path, const struct ctp_col *cols,
    size_t ncols, struct memcsv *m, struct ctp_error *e)
{
	memset(m, 0, sizeof(*m));
	if ((m->en = pkg_add(p, path, PKG_MEM)) == NULL ||
	    (m->f = open_memstream(&m->s, &m->len)) == NULL)
		return ctp_err_nomem(e, path);
	if ((m->o = ctp_out_new(m->f, CTP_FMT_CSV, cols, ncols, 0)) == NULL) {
		fclose(m->f);
		free(m->s);
		return ctp_err_nomem(e, path);
	}
	return 0;
}

/* The rows written (rc 0) or not: the entry gets the bytes; 0 or rc. */
static int
memcsv_close(struct memcsv *m, int rc, struct ctp_error *e)
{
	if (rc != 0)
		ctp_out_free(m->o);
	else
		rc = ctp_out_close(m->o, e);
	if (fclose(m->f) != 0 && rc == 0)
		rc = ctp_err_nomem(e, m->en->path);
	m->en->mem.s = m->s;
	m->en->mem.len = m->len;
	m->en->mem.cap = m->len + 1;
	return rc ? rc : pkg_mem_done(m->en, e);
}

/* st's rows (ncols text columns) as CSV, into a memory entry at path. */
static int
csv_entry(sqlite3 *db, struct pkg *p, const char *path, sqlite3_stmt *st,
    const struct ctp_col *cols, size_t ncols, struct ctp_error *e)
{
	struct memcsv m;
	const char *row[16];
	size_t i;
	int rc, step;

	if ((rc = memcsv_open(p, path, cols, ncols, &m, e)) != 0)
		return rc;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < ncols && i < 16; i++)
			row[i] = (const char *)sqlite3_column_text(st, (int)i);
		rc = ctp_out_row(m.o, row, e);
	}
	sqlite3_reset(st);
	if (rc == 0 && step != SQLITE_DONE)
		rc = ctp_db_err(db, step, path, e);
	return memcsv_close(&m, rc, e);
}

static int
profile_files(struct pkg *p, struct ctp_error *e)
{
	struct pkg_entry *en;
	struct memcsv m;
	const char *row[NPROFILE];
	char *js;
	size_t i;
	int rc;

	if ((en = pkg_add(p, "profile.json", PKG_MEM)) == NULL ||
	    (js = json_dumps(p->profile, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER)) == NULL)
		return ctp_err_nomem(e, "profile.json");
	rc = ctp_buf_puts(&en->mem, js) || ctp_buf_putc(&en->mem, '\n');
	free(js);
	if (rc != 0)
		return ctp_err_nomem(e, "profile.json");
	if ((rc = pkg_mem_done(en, e)) != 0)
		return rc;
	for (i = 0; i < NPROFILE; i++)
		row[i] = json_string_value(json_object_get(p->profile,
		    profile_cols[i].name));
	if ((rc = memcsv_open(p, "profile.csv", profile_cols, NPROFILE, &m,
	    e)) != 0)
		return rc;
	return memcsv_close(&m, ctp_out_row(m.o, row, e), e);
}

static int
psv_file(sqlite3 *db, struct pkg *p, struct ctp_error *e)
{
	struct memcsv m;
	int rc;

	if ((rc = memcsv_open(p, "psv_log.csv", ctp_psv_log_columns,
	    CTP_PSV_LOG_NCOLUMNS, &m, e)) != 0)
		return rc;
	return memcsv_close(&m, ctp_psv_rows(db, p->pid, m.o, e), e);
}

/* A document read whole into its entry, its hash checked. */
static int
doc_mem(sqlite3 *db, struct pkg_entry *en, struct ctp_error *e)
{
	struct ctp_doc_reader *r;
	char sha[CTP_SHA256_HEX];
	ssize_t n;
	int rc;

	if ((rc = ctp_doc_read_open(db, en->doc_id, &r, e)) != 0)
		return rc;
	if (ctp_buf_grow(&en->mem, (size_t)en->size + 1) != 0) {
		ctp_doc_read_close(r);
		return ctp_err_nomem(e, en->path);
	}
	while ((n = ctp_doc_read(r, en->mem.s + en->mem.len,
	    (size_t)en->size - en->mem.len, e)) > 0)
		en->mem.len += (size_t)n;
	ctp_doc_read_close(r);
	if (n < 0)
		return e->code;
	snprintf(sha, sizeof(sha), "%s", en->sha256);
	if ((rc = pkg_mem_done(en, e)) != 0)
		return rc;
	if (strcmp(sha, en->sha256) != 0)
		return ctp_errf(e, CTP_DATAERR, en->path, "stored content does "
		    "not match its sha256");
	return 0;
}

int
pkg_tables(sqlite3 *db, struct pkg *p, struct ctp_error *e)
{
	sqlite3_stmt *st;
	struct pkg_entry *en;
	long long budget = 0;
	size_t i;
	int rc;

	if ((rc = profile_files(p, e)) != 0)
		return rc;
	if ((rc = pkg_stmt(p->sc, sql_credentials, &st, e)) != 0)
		return rc;
	sqlite3_bind_int64(st, 1, p->pid);
	if ((rc = csv_entry(db, p, "credentials.csv", st, credential_cols, 9,
	    e)) != 0 || (rc = psv_file(db, p, e)) != 0)
		return rc;
	if ((rc = pkg_stmt(p->sc, sql_screening, &st, e)) != 0)
		return rc;
	sqlite3_bind_int64(st, 1, p->pid);
	if ((rc = csv_entry(db, p, "screening.csv", st, screening_cols, 5, e)) != 0)
		return rc;
	for (i = 0; i < p->ndocs; i++) {
		budget += p->docs[i].size;
		if ((en = pkg_add(p, p->docs[i].path, budget <= PKG_MEM_BUDGET ?
		    PKG_MEM : PKG_DOC)) == NULL)
			return ctp_err_nomem(e, "package");
		en->doc_id = p->docs[i].id;
		en->size = p->docs[i].size;
		snprintf(en->sha256, sizeof(en->sha256), "%s",
		    p->docs[i].sha256);
		en->store = strcmp(p->docs[i].mime, "text/plain") != 0;
		if (en->src == PKG_DOC)
			p->streamed = 1;
		else if ((rc = doc_mem(db, en, e)) != 0)
			return rc;
	}
	return 0;
}
