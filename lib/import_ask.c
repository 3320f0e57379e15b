/*
 * import_ask.c - the roster's answers to the row checks of an import
 * (import_ask.h): a provider's record and credentials, the taxonomy code
 * set, licenses, required kinds, the status rule and the DEA numbers in
 * use, read inside the import's transaction.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "credential.h"
#include "db.h"
#include "import_ask.h"
#include "import_check.h"
#include "import_map.h"
#include "mem.h"
#include "status.h"
#include "validate.h"

void
ctp_import_old_clear(struct ctp_import_old *old)
{
	int i, j;

	old->pid = 0;
	/* Cleared for every row: often nothing was read. */
	if (!old->held)
		return;
	for (i = 0; i < NCANON; i++) {
		free(old->v[i]);
		old->v[i] = NULL;
	}
	for (i = 0; i < NGROUPS; i++) {
		for (j = 0; j < 4; j++) {
			free(old->oc[i].v[j]);
			old->oc[i].v[j] = NULL;
		}
		free(old->oc[i].verification);
		old->oc[i].verification = NULL;
		old->oc[i].id = 0;
	}
	old->held = 0;
}

static char *
dup_col(sqlite3_stmt *st, int i, int *oom)
{
	char *s;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	if ((s = ctp_strdup(ctp_col_text(st, i))) == NULL)
		*oom = 1;
	return s;
}

/* The roster's record of npi (old->pid 0 when new). */
static int
ask_provider(void *arg, const char *npi, struct ctp_import_old *old,
    struct ctp_error *e)
{
	struct ctp_import_roster *r = arg;
	sqlite3_stmt *st = r->provider;
	int rc, i, g, oom = 0;
	const char *kind;

	ctp_import_old_clear(old);
	if (npi == NULL || r->empty)
		return 0;
	old->held = 1;
	ctp_bind_static(st, 1, npi);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		old->pid = sqlite3_column_int64(st, 0);
		for (i = 0; i < NPCOLS; i++)
			old->v[ctp_import_pcols[i]] = dup_col(st, i + 1, &oom);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(r->db, rc, "roster", e);
	if (old->pid == 0)
		return oom ? ctp_err_nomem(e, "import") : 0;
	st = r->credentials;
	sqlite3_bind_int64(st, 1, old->pid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kind = ctp_col_text(st, 1);
		if ((g = ctp_import_group_index(kind)) < 0 || old->oc[g].id)
			continue;
		old->oc[g].id = sqlite3_column_int64(st, 0);
		for (i = 0; i < 4; i++)
			old->oc[g].v[i] = dup_col(st, i + 2, &oom);
		old->oc[g].verification = dup_col(st, 6, &oom);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(r->db, rc, "roster", e);
	return oom ? ctp_err_nomem(e, "import") : 0;
}

/* Of struct ctp_import_code, by code (a key is a char **). */
static int
code_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
ask_taxonomy(void *arg, const char *code, int *known, struct ctp_error *e)
{
	struct ctp_import_roster *r = arg;
	sqlite3_stmt *st = r->taxonomy;
	int rc;

	*known = CTP_IMPORT_TAX_OK;
	if (r->taxonomies == 0)
		return 0;
	if (r->empty) {
		const struct ctp_import_code *c = bsearch(&code, r->codes,
		    r->ncodes, sizeof(*c), code_cmp);

		if (c == NULL)
			*known = CTP_IMPORT_TAX_UNKNOWN;
		else if (c->retired)
			*known = CTP_IMPORT_TAX_RETIRED;
		return 0;
	}
	ctp_bind_static(st, 1, code);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		*known = CTP_IMPORT_TAX_UNKNOWN;
	else if (rc == SQLITE_ROW && sqlite3_column_int(st, 0))
		*known = CTP_IMPORT_TAX_RETIRED;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(r->db, rc, "taxonomy", e);
	return 0;
}

static int
ask_status(void *arg, long long pid, const char *npi, const char *old,
    const char *nw, struct ctp_error *e)
{
	struct ctp_import_roster *r = arg;

	return ctp_status_check(r->db, pid, npi, old, nw, e);
}

static int
ask_licensed(void *arg, long long pid, const char *state, int *yes,
    struct ctp_error *e)
{
	struct ctp_import_roster *r = arg;

	return ctp_credential_licensed_in(r->db, &r->licensed, pid, state,
	    yes, e);
}

/* Asked for every row: read once per provider type. */
static int
ask_required(void *arg, const char *ptype, unsigned *kinds,
    struct ctp_error *e)
{
	struct ctp_import_roster *r = arg;
	int i = ctp_str_index(ctp_ptypes, ptype);

	if (i < 0 || (size_t)i >= sizeof(r->required) / sizeof(r->required[0]))
		return r->empty ? ctp_errf(e, CTP_SOFTWARE, "import", "no "
		    "required kinds read for %s", ptype) :
		    ctp_required_kinds(r->db, ptype, kinds, e);
	if (r->required[i] == 0) {
		if (ctp_required_kinds(r->db, ptype, kinds, e))
			return e->code;
		r->required[i] = *kinds | 0x80000000u;
	}
	*kinds = r->required[i] & 0x7fffffffu;
	return 0;
}

static int
ask_deas(void *arg, struct ctp_import_check *k, struct ctp_error *e)
{
	struct ctp_import_roster *r = arg;
	sqlite3_stmt *st;
	int rc;

	if (r->empty)
		return 0;
	if (ctp_db_prepare(r->db, &st, "SELECT c.number, p.npi FROM "
	    "credentials c JOIN providers p ON p.id = c.provider_id "
	    "WHERE c.kind = 'dea' AND c.status = 'active'", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (ctp_import_check_dea_held(k, ctp_col_text(st, 0),
		    ctp_col_text(st, 1)) < 0) {
			sqlite3_finalize(st);
			return ctp_err_nomem(e, "import");
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(r->db, rc, "credentials", e);
	return 0;
}

/*
 * Into an empty roster: the taxonomy codes and the kinds each provider
 * type requires, read before the run.
 */
static int
read_rules(struct ctp_import_roster *r, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int i, rc;

	for (i = 0; ctp_ptypes[i]; i++) {
		if ((rc = ctp_required_kinds(r->db, ctp_ptypes[i],
		    &r->required[i], e)) != 0)
			return rc;
		r->required[i] |= 0x80000000u;
	}
	if (r->taxonomies == 0)
		return 0;
	if ((r->codes = ctp_calloc((size_t)r->taxonomies,
	    sizeof(*r->codes))) == NULL)
		return ctp_err_nomem(e, "import");
	if ((rc = ctp_db_prepare(r->db, &st, "SELECT code, retired FROM "
	    "taxonomy_codes", e)) != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    r->ncodes < (size_t)r->taxonomies) {
		r->codes[r->ncodes].retired = sqlite3_column_int(st, 1);
		if ((r->codes[r->ncodes++].code = ctp_strdup(ctp_col_text(st,
		    0))) == NULL) {
			sqlite3_finalize(st);
			return ctp_err_nomem(e, "import");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return ctp_db_err(r->db, rc, "taxonomy", e);
	qsort(r->codes, r->ncodes, sizeof(*r->codes), code_cmp);
	return 0;
}

int
ctp_import_roster_open(struct ctp_import_roster *r, sqlite3 *db, int empty,
    struct ctp_import_ask *ask, struct ctp_error *e)
{
	struct ctp_buf b = CTP_BUF_INIT;
	int rc;

	memset(r, 0, sizeof(*r));
	r->db = db;
	r->empty = empty;
	*ask = (struct ctp_import_ask){ .arg = r, .provider = ask_provider,
	    .taxonomy = ask_taxonomy, .status = ask_status,
	    .licensed = ask_licensed, .required = ask_required,
	    .deas = ask_deas };
	if (ctp_buf_puts(&b, "SELECT id") < 0 ||
	    ctp_import_pcols_list(&b) < 0 ||
	    ctp_buf_puts(&b, " FROM providers WHERE npi = ?1") < 0) {
		ctp_buf_free(&b);
		return ctp_err_nomem(e, "import");
	}
	rc = ctp_db_prepare(db, &r->provider, b.s, e);
	ctp_buf_free(&b);
	if (rc != 0 || (rc = ctp_db_prepare(db, &r->credentials, "SELECT id, "
	    "kind, number, state, issuer, expires, verification FROM "
	    "credentials WHERE provider_id = ?1 AND status = 'active' AND "
	    "kind IN ('state_license', 'dea', 'board_cert', 'malpractice') "
	    "ORDER BY id", e)) != 0 || (rc = ctp_db_prepare(db, &r->taxonomy,
	    "SELECT retired FROM taxonomy_codes WHERE code = ?1", e)) != 0)
		return rc;
	if ((rc = ctp_db_int(db, "SELECT count(*) FROM taxonomy_codes",
	    &r->taxonomies, "taxonomy", e)) != 0)
		return rc;
	return empty ? read_rules(r, e) : 0;
}

void
ctp_import_roster_close(struct ctp_import_roster *r)
{
	sqlite3_finalize(r->provider);
	sqlite3_finalize(r->credentials);
	sqlite3_finalize(r->licensed);
	sqlite3_finalize(r->taxonomy);
	while (r->ncodes > 0)
		free(r->codes[--r->ncodes].code);
	free(r->codes);
	memset(r, 0, sizeof(*r));
}
