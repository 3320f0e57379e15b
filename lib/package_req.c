/*
 * package_req.c - what a package must hold (package.h): the defaults,
 * the organization's rows per payer and provider type (schema v13), and
 * the rule that names a gap.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "doc.h"
#include "package.h"
#include "schema.h"
#include "validate.h"

/*
 * v13: the requirements of credential packages.  payer and
 * provider_type are '' for "any"; kinds is the document kinds, comma
 * separated ('' for nothing).  Settings, not evidence: a change is a
 * package.require audit event, the row is replaced.
 */
const char ctp_schema_v13[] =
"CREATE TABLE package_requirements ("
"  payer TEXT NOT NULL COLLATE NOCASE,"
"  provider_type TEXT NOT NULL,"
"  kinds TEXT NOT NULL,"
"  set_by TEXT NOT NULL,"
"  set_at TEXT NOT NULL,"
"  PRIMARY KEY (payer, provider_type)"
");";

const struct ctp_col ctp_package_require_columns[] = {
	{ "payer", CTP_COL_STR },
	{ "provider_type", CTP_COL_STR },
	{ "kinds", CTP_COL_STR },
	{ "source", CTP_COL_STR },
};

int
ctp_package_prescriber(const char *t)
{
	static const char *const rx[] = {
		"MD", "DO", "DDS", "DMD", "DPM", NULL
	};

	return t && (ctp_str_index(rx, t) >= 0 || ctp_ptype_midlevel(t));
}

unsigned
ctp_package_kind_bit(const char *kind)
{
	int i = kind ? ctp_str_index(ctp_doc_kinds, kind) : -1;

	return i < 0 ? 0 : 1u << i;
}

unsigned
ctp_package_default(const char *ptype)
{
	unsigned m = ctp_package_kind_bit("license") |
	    ctp_package_kind_bit("malpractice") | ctp_package_kind_bit("cv");

	if (ctp_package_prescriber(ptype))
		m |= ctp_package_kind_bit("dea");
	return m;
}

/* kinds "a,b,c" as bits. */
static unsigned
parse_kinds(const char *s)
{
	char k[32];
	unsigned m = 0;
	size_t n;

	while (s && *s) {
		n = strcspn(s, ",");
		if (n < sizeof(k)) {
			memcpy(k, s, n);
			k[n] = '\0';
			m |= ctp_package_kind_bit(k);
		}
		s += n;
		if (*s == ',')
			s++;
	}
	return m;
}

/* bits as "a,b,c" in ctp_doc_kinds order. */
static void
format_kinds(unsigned m, char *out, size_t n)
{
	size_t len = 0;
	int i;

	out[0] = '\0';
	for (i = 0; ctp_doc_kinds[i]; i++)
		if (m & (1u << i))
			len += (size_t)snprintf(out + len, len < n ? n - len : 0,
			    "%s%s", len ? "," : "", ctp_doc_kinds[i]);
}

int
ctp_package_required(sqlite3 *db, const char *payer, const char *ptype,
    unsigned *mask, const char **source, struct ctp_error *e)
{
	static const char *const names[] = {
		"payer", "payer, any type", "organization",
		"organization, any type"
	};
	sqlite3_stmt *st;
	int rc, rank = -1;

	*mask = ctp_package_default(ptype);
	if (ctp_db_prepare(db, &st, "SELECT kinds, (payer = '') * 2 + "
	    "(provider_type = '') AS rank FROM package_requirements WHERE "
	    "(payer = ?1 OR payer = '') AND (provider_type = ?2 OR "
	    "provider_type = '') ORDER BY rank LIMIT 1", e))
		return e->code;
	ctp_bind_text(st, 1, payer ? payer : "");
	ctp_bind_text(st, 2, ptype ? ptype : "");
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*mask = parse_kinds(ctp_col_text(st, 0));
		rank = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "package requirements", e);
	if (source)
		*source = rank < 0 || rank > 3 ? "default" : names[rank];
	return 0;
}

/* The kinds as a comma list into out, checked: 0 or CTP_DATAERR. */
static int
check_kinds(char *const *kinds, int n, char *out, size_t len,
    struct ctp_error *e)
{
	unsigned m = 0;
	int i;

	if (n < 1)
		return ctp_errf(e, CTP_USAGE, NULL, "no document kinds");
	if (n == 1 && strcmp(kinds[0], "none") == 0) {
		out[0] = '\0';
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (!ctp_doc_kind_valid(kinds[i]))
			return ctp_errf(e, CTP_DATAERR, "kind", "%s",
			    CTP_DOC_KIND_UNKNOWN);
		m |= ctp_package_kind_bit(kinds[i]);
	}
	format_kinds(m, out, len);
	return 0;
}

static int
require_rows(struct ctp_ctx *c, const char *payer, const char *t,
    const char *kinds, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN];
	int rc;

	if ((rc = ctp_db_prepare(c->db, &st, "DELETE FROM package_requirements"
	    " WHERE payer = ?1 AND provider_type = ?2", e)) != 0)
		return rc;
	ctp_bind_text(st, 1, payer);
	ctp_bind_text(st, 2, t);
	rc = ctp_db_step_done(st, "package requirements", e);
	sqlite3_finalize(st);
	if (rc != 0 || kinds == NULL)
		return rc;
	ctp_timestamp(ts);
	if ((rc = ctp_db_prepare(c->db, &st, "INSERT INTO package_requirements"
	    " (payer, provider_type, kinds, set_by, set_at) VALUES (?1, ?2, "
	    "?3, ?4, ?5)", e)) != 0)
		return rc;
	ctp_bind_text(st, 1, payer);
	ctp_bind_text(st, 2, t);
	ctp_bind_text(st, 3, kinds);
	ctp_bind_text(st, 4, c->user);
	ctp_bind_text(st, 5, ts);
	rc = ctp_db_step_done(st, "package requirements", e);
	sqlite3_finalize(st);
	return rc;
}

int
ctp_package_require_set(struct ctp_ctx *c, const char *payer,
    const char *ptype, char *const *kinds, int n, struct ctp_error *e)
{
	char t[8] = "", list[128];
	const char *why = NULL;
	int dflt = n == 1 && strcmp(kinds[0], "default") == 0, rc;
	json_t *d;

	if (payer && (*payer == '\0' ||
	    (why = ctp_check_text(payer, CTP_PAYER_MAX)) != NULL))
		return ctp_errf(e, CTP_DATAERR, "--payer", "%s", *payer ?
		    why : "empty");
	if (ptype && (why = ctp_check_ptype(ptype, t)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--type", "%s", why);
	if (!dflt && (rc = check_kinds(kinds, n, list, sizeof(list), e)) != 0)
		return rc;
	d = json_pack("{s:s, s:s, s:s?}", "payer", payer ? payer : "",
	    "provider_type", t, "kinds", dflt ? NULL : list);
	if (d == NULL)
		return ctp_err_nomem(e, "require");
	if ((rc = ctp_db_begin(c->db, e)) == 0) {
		if ((rc = require_rows(c, payer ? payer : "", t, dflt ? NULL :
		    list, e)) != 0 || (rc = ctp_audit(c, "package.require",
		    "payer", payer ? payer : "", d, e)) != 0 ||
		    (rc = ctp_db_commit(c->db, e)) != 0)
			ctp_db_rollback(c->db);
	}
	json_decref(d);
	return rc;
}

int
ctp_package_require_list(struct ctp_ctx *c, const char *payer,
    struct ctp_out *o, struct ctp_error *e)
{
	sqlite3_stmt *st;
	const char *row[4], *src;
	char list[128];
	unsigned m;
	int i, rc;

	for (i = 0; ctp_ptypes[i]; i++) {
		if ((rc = ctp_package_required(c->db, payer, ctp_ptypes[i], &m,
		    &src, e)) != 0)
			return rc;
		format_kinds(m, list, sizeof(list));
		row[0] = payer ? payer : "";
		row[1] = ctp_ptypes[i];
		row[2] = *list ? list : "none";
		row[3] = src;
		if ((rc = ctp_out_row(o, row, e)) != 0)
			return rc;
	}
	if (ctp_db_prepare(c->db, &st, "SELECT payer, provider_type, kinds, "
	    "'organization' FROM package_requirements WHERE ?1 IS NULL OR "
	    "payer <> ?1 ORDER BY payer, provider_type", e))
		return e->code;
	ctp_bind_text(st, 1, payer);
	return ctp_db_out_rows(st, o, CTP_PACKAGE_REQUIRE_NCOLUMNS, NULL,
	    "package requirements", e);
}

const char *
ctp_package_gap(const struct ctp_package_item *it, long as_of, char *buf,
    size_t n)
{
	char day[CTP_DATE_LEN];

	if (!it->has_doc)
		snprintf(buf, n, "no approved document");
	else if (it->credential && !it->has_cred)
		snprintf(buf, n, "no active credential");
	else if (it->credential && it->expires >= 0 && it->expires < as_of) {
		ctp_date_format(it->expires, day);
		snprintf(buf, n, "expired %s", day);
	} else
		return NULL;
	return buf;
}
