/*
 * org.c - the organization's settings, each with its default and
 * its check, and the creation of an organization (org.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "audit.h"
#include "cli.h"
#include "date.h"
#include "db.h"
#include "mem.h"
#include "money.h"
#include "org.h"
#include "out.h"
#include "user.h"
#include "validate.h"

static int
check_name(const char *v, char *why, size_t n)
{
	const unsigned char *p;

	if (*v == '\0' || strlen(v) > 200) {
		snprintf(why, n, "must be 1 to 200 characters");
		return -1;
	}
	for (p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(why, n, "must not contain control characters");
			return -1;
		}
	return 0;
}

static int
check_range(const char *v, long lo, long hi, char *why, size_t n)
{
	long x;

	if (ctp_parse_long(v, lo, hi, &x) < 0) {
		snprintf(why, n, "must be a whole number from %ld to %ld",
		    lo, hi);
		return -1;
	}
	return 0;
}

static int
check_recred(const char *v, char *why, size_t n)
{
	return check_range(v, 1, 120, why, n);
}

static int
check_attest(const char *v, char *why, size_t n)
{
	return check_range(v, 1, 366, why, n);
}

static int
check_window(const char *v, char *why, size_t n)
{
	return check_range(v, 1, 3650, why, n);
}

static int
check_thresholds(const char *v, char *why, size_t n)
{
	const char *p = v;
	char *end;
	long x, prev = 100000;
	int k = 0;

	for (;;) {
		if (!isdigit((unsigned char)*p))
			goto bad;
		x = strtol(p, &end, 10);
		if (x < 1 || x > 3650 || x >= prev)
			goto bad;
		prev = x;
		k++;
		p = end;
		if (*p == '\0')
			break;
		if (*p++ != ',')
			goto bad;
	}
	if (k > 8)
		goto bad;
	return 0;
bad:
	snprintf(why, n, "must be 1 to 8 day counts from 1 to 3650, "
	    "largest first, separated by commas (120,90,60,30)");
	return -1;
}

/* "2", "0.5", "2.25%": hundredths of a percent from 0 to 100%, or -1. */
static long
percent(const char *v)
{
	const char *p = v;
	long x = 0;
	int d = 0, f = -1;

	for (; isdigit((unsigned char)*p) && d < 3; p++, d++)
		x = x * 10 + (*p - '0');
	x *= 100;
	if (d > 0 && *p == '.') {
		for (p++, f = 0; isdigit((unsigned char)*p) && f < 2; p++, f++)
			x += (*p - '0') * (f == 0 ? 10 : 1);
	}
	if (*p == '%')
		p++;
	if (d == 0 || f == 0 || *p != '\0' || x > 10000)
		return -1;
	return x;
}

static int
check_timeout(const char *v, char *why, size_t n)
{
	return check_range(v, 1, 3600, why, n);
}

static int
check_percent(const char *v, char *why, size_t n)
{
	if (percent(v) >= 0)
		return 0;
	snprintf(why, n, "must be a percentage from 0 to 100, at most two "
	    "decimals (2, 0.5)");
	return -1;
}

static int
check_tz(const char *v, char *why, size_t n)
{
	char path[512];

	if (strcmp(v, "UTC") == 0)
		return 0;
	if (*v == '\0' || *v == '/' || strstr(v, "..") != NULL ||
	    strlen(v) > 64)
		goto bad;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", v);
	if (access(path, R_OK) == 0)
		return 0;
bad:
	snprintf(why, n, "must be UTC or an IANA time zone such as "
	    "America/Chicago");
	return -1;
}

static int
check_url(const char *v, char *why, size_t n)
{
	if (strncmp(v, "https://", 8) == 0 || strncmp(v, "http://", 7) == 0)
		return 0;
	snprintf(why, n, "must be an http:// or https:// address");
	return -1;
}

static int
check_any(const char *v, char *why, size_t n)
{
	(void)v;
	(void)why;
	(void)n;
	return 0;
}

/* The model extractor's address: empty (off), or http(s). */
static int
check_url_or_empty(const char *v, char *why, size_t n)
{
	return *v == '\0' ? 0 : check_url(v, why, n);
}

/* A model name or key: empty, or one line of printable text. */
static int
check_token(const char *v, char *why, size_t n)
{
	const unsigned char *p;

	for (p = (const unsigned char *)v; *p; p++)
		if (*p <= 0x20 || *p == 0x7f) {
			snprintf(why, n, "must not contain spaces or control "
			    "characters");
			return -1;
		}
	if (strlen(v) > 500) {
		snprintf(why, n, "must be at most 500 characters");
		return -1;
	}
	return 0;
}

/* Bytes of one document (ctp-doc), up to SQLite's largest value. */
static int
check_doc_max(const char *v, char *why, size_t n)
{
	return check_range(v, 1, 1000000000L, why, n);
}

/* An absolute path without control characters (a program to run). */
static int
check_program(const char *v, char *why, size_t n)
{
	const char *p;

	for (p = v; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			break;
	if (*v == '/' && *p == '\0')
		return 0;
	snprintf(why, n, "must be an absolute path such as "
	    "/usr/sbin/sendmail");
	return -1;
}

/* Empty (sendmail's own) or one plain e-mail address. */
static int
check_mail_from(const char *v, char *why, size_t n)
{
	if (*v == '\0' || ctp_check_email(v) == NULL)
		return 0;
	snprintf(why, n, "must be an e-mail address, or empty");
	return -1;
}

/* A price in dollars and cents (money.h): 99, 99.5, 99.00. */
static int
check_price(const char *v, char *why, size_t n)
{
	long long c;

	if (ctp_cents_parse(v, &c) == 0)
		return 0;
	snprintf(why, n, "must be an amount in dollars with at most two "
	    "decimals (99.00), no sign or currency symbol");
	return -1;
}

static int
check_stale(const char *v, char *why, size_t n)
{
	return check_range(v, 1, 3650, why, n);
}

/* Years between revalidations of an approved enrollment; empty: none. */
static int
check_revalidate(const char *v, char *why, size_t n)
{
	if (*v == '\0')
		return 0;
	if (check_range(v, 1, 20, why, n) == 0)
		return 0;
	snprintf(why, n, "must be a whole number of years from 1 to 20, or "
	    "empty for none");
	return -1;
}

/*
 * Every setting the organization has.  Modules add their keys here.
 */
static const struct ctp_setting settings[] = {
	{ "name", "", check_name, 0, "organization name" },
	{ "timezone", "UTC", check_tz, 0,
	    "time zone that decides what \"today\" is" },
	{ "recred_months", "36", check_recred, 0,
	    "months between re-credentialings" },
	{ "caqh_attest_days", "120", check_attest, 0,
	    "days between CAQH re-attestations" },
	{ "inbox_thresholds", "120,90,60,30", check_thresholds, 0,
	    "inbox buckets in days" },
	{ "leie_url", "https://oig.hhs.gov/exclusions/downloadables/UPDATED.csv",
	    check_url, 0, "OIG LEIE full list" },
	{ "sam_url", "https://api.sam.gov/data-services/v1/extracts",
	    check_url, 0, "SAM.gov exclusions extract" },
	{ "sam_api_key", "", check_any, 1, "SAM.gov API key" },
	{ "list_shrink_max", "2", check_percent, 0,
	    "most rows, in percent, a new full exclusion list may lose" },
	{ "nppes_api_url", "https://npiregistry.cms.hhs.gov/api/",
	    check_url, 0, "NPPES NPI registry API" },
	{ "verify_window_days", "120", check_window, 0,
	    "days a primary-source verification stays current" },
	{ "verify_timeout", "30", check_timeout, 0,
	    "seconds a verifier may run (ctp-verify)" },
	{ "sendmail", "/usr/sbin/sendmail", check_program, 0,
	    "program ctp-recred --mail hands messages to" },
	{ "mail_from", "", check_mail_from, 0,
	    "sender of ctp-recred's messages (empty: sendmail's own)" },
	{ "doc_max_bytes", "26214400", check_doc_max, 0,
	    "largest document ctp-doc stores, in bytes" },
	{ "enroll_stale_days", "30", check_stale, 0,
	    "days without a change before an open enrollment needs a "
	    "follow-up" },
	{ "enroll_revalidate_medicare", "5", check_revalidate, 0,
	    "years between revalidations of a Medicare enrollment" },
	{ "enroll_revalidate_medicaid", "5", check_revalidate, 0,
	    "years between revalidations of a Medicaid enrollment" },
	{ "enroll_revalidate_commercial", "", check_revalidate, 0,
	    "years between revalidations of a commercial enrollment "
	    "(empty: none)" },
	{ "price_base", "99.00", check_price, 0,
	    "monthly base fee of the organization, in dollars" },
	{ "price_seat", "15.00", check_price, 0,
	    "monthly price of a provider seat, in dollars" },
	{ "price_seat_annual", "12.00", check_price, 0,
	    "monthly price of a provider seat billed annually, in dollars" },
	{ "extract_model_url", "", check_url_or_empty, 0,
	    "OpenAI-compatible chat-completions address of the model that "
	    "reads documents (empty: none)" },
	{ "extract_model", "", check_token, 0,
	    "model name sent to extract_model_url" },
	{ "extract_model_key", "", check_token, 1,
	    "API key of extract_model_url" },
	{ "extract_model_timeout", "30", check_timeout, 0,
	    "seconds the document model may take" },
};

const struct ctp_setting *
ctp_org_settings(size_t *n)
{
	*n = sizeof(settings) / sizeof(settings[0]);
	return settings;
}

const struct ctp_setting *
ctp_org_setting(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (strcmp(settings[i].key, key) == 0)
			return &settings[i];
	return NULL;
}

int
ctp_org_get(sqlite3 *db, const char *key, char **out, struct ctp_error *e)
{
	const struct ctp_setting *s = ctp_org_setting(key);
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if (ctp_db_prepare(db, &st, "SELECT value FROM settings WHERE key = ?1",
	    e))
		return e->code;
	ctp_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = ctp_strdup(ctp_col_text(st, 0));
	else if (rc == SQLITE_DONE)
		*out = ctp_strdup(s ? s->def : "");
	else {
		ctp_db_err(db, rc, "settings", e);
		sqlite3_finalize(st);
		return e->code;
	}
	sqlite3_finalize(st);
	if (*out == NULL)
		return ctp_err_nomem(e, "settings");
	return 0;
}

int
ctp_org_get_long(sqlite3 *db, const char *key, long *out, struct ctp_error *e)
{
	char *v;
	int rc;

	if ((rc = ctp_org_get(db, key, &v, e)) != 0)
		return rc;
	if (ctp_parse_long(v, 0, 1000000000L, out) < 0)
		rc = ctp_errf(e, CTP_DATAERR, "settings", "%s: not a number",
		    key);
	free(v);
	return rc;
}

int
ctp_org_get_percent(sqlite3 *db, const char *key, long *out,
    struct ctp_error *e)
{
	char *v;
	int rc;

	if ((rc = ctp_org_get(db, key, &v, e)) != 0)
		return rc;
	if ((*out = percent(v)) < 0)
		rc = ctp_errf(e, CTP_DATAERR, "settings", "%s: not a percentage",
		    key);
	free(v);
	return rc;
}

int
ctp_org_today(sqlite3 *db, long *day, struct ctp_error *e)
{
	char *tz;
	int rc;

	if ((rc = ctp_org_get(db, "timezone", &tz, e)) != 0)
		return rc;
	*day = ctp_date_today(tz);
	free(tz);
	return 0;
}

int
ctp_org_thresholds(sqlite3 *db, long *out, int max, struct ctp_error *e)
{
	char *v, *p, *end;
	int n = 0;

	if (ctp_org_get(db, "inbox_thresholds", &v, e))
		return -1;
	for (p = v; *p && n < max; p = *end ? end + 1 : end) {
		out[n++] = strtol(p, &end, 10);
		if (end == p)
			break;
	}
	free(v);
	return n;
}

static int
store(struct ctp_ctx *c, const char *key, const char *value,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (ctp_db_prepare(c->db, &st, "INSERT INTO settings (key, value) "
	    "VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2", e))
		return e->code;
	ctp_bind_text(st, 1, key);
	ctp_bind_text(st, 2, value);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "settings", e);
	return 0;
}

int
ctp_org_set(struct ctp_ctx *c, const char *key, const char *value,
    struct ctp_error *e)
{
	const struct ctp_setting *s;
	char why[200], *old = NULL;
	json_t *d;
	int rc;

	if ((s = ctp_org_setting(key)) == NULL)
		return ctp_errf(e, CTP_USAGE, key, "no such setting "
		    "(see ctp-org show)");
	if (s->check(value, why, sizeof(why)) < 0)
		return ctp_errf(e, CTP_DATAERR, key, "%s", why);
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = ctp_org_get(c->db, key, &old, e)) != 0)
		goto fail;
	if ((rc = store(c, key, value, e)) != 0)
		goto fail;
	d = json_pack("{s:s, s:s?, s:s?}", "key", key,
	    "old", s->secret ? "(secret)" : old,
	    "new", s->secret ? "(secret)" : value);
	rc = ctp_audit(c, "org.set", "setting", key, d, e);
	json_decref(d);
	if (rc != 0 || (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	free(old);
	return 0;
fail:
	free(old);
	ctp_db_rollback(c->db);
	return rc;
}

const struct ctp_col ctp_org_columns[] = {
	{ "key", CTP_COL_STR },
	{ "value", CTP_COL_STR },
};

int
ctp_org_show(struct ctp_ctx *c, struct ctp_out *o, struct ctp_error *e)
{
	size_t i;
	const char *row[2];
	char *v;
	int rc;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		if ((rc = ctp_org_get(c->db, settings[i].key, &v, e)) != 0)
			return rc;
		row[0] = settings[i].key;
		row[1] = settings[i].secret && *v ? "(set)" : v;
		rc = ctp_out_row(o, row, e);
		free(v);
		if (rc)
			return rc;
	}
	return ctp_audit(c, "org.read", "settings", "", NULL, e);
}

int
ctp_org_init(struct ctp_ctx *c, const char *name, long recred_months,
    struct ctp_error *e)
{
	char why[200], num[32];
	json_t *d;
	int rc;

	if (check_name(name, why, sizeof(why)) < 0)
		return ctp_errf(e, CTP_USAGE, "--name", "%s", why);
	snprintf(num, sizeof(num), "%ld", recred_months);
	if (check_recred(num, why, sizeof(why)) < 0)
		return ctp_errf(e, CTP_USAGE, "--recred-months", "%s", why);
	if ((rc = store(c, "name", name, e)) != 0 ||
	    (rc = store(c, "recred_months", num, e)) != 0)
		return rc;
	d = json_pack("{s:s, s:I}", "name", name, "recred_months",
	    (json_int_t)recred_months);
	rc = ctp_audit(c, "org.init", "organization", name, d, e);
	json_decref(d);
	return rc;
}

int
ctp_org_create(const char *prog, const char *dbopt, const char *name,
    long recred_months, struct ctp_error *e)
{
	struct ctp_ctx *c = NULL;
	char *path = NULL;
	sqlite3 *db;
	int rc;

	if ((rc = ctp_db_resolve(dbopt, &path, e)) != 0 ||
	    (rc = ctp_db_create(&db, path, e)) != 0 ||
	    (rc = ctp_ctx_wrap(&c, prog, path, db, e)) != 0) {
		free(path);
		return rc;
	}
	if ((rc = ctp_db_begin(c->db, e)) == 0 &&
	    (rc = ctp_user_add_owner(c, e)) == 0 &&
	    (rc = ctp_org_init(c, name, recred_months, e)) == 0)
		rc = ctp_db_commit(c->db, e);
	ctp_ctx_close(c);
	/* A database that did not get its owner and settings is no use. */
	if (rc != 0)
		ctp_db_remove(path);
	free(path);
	return rc;
}
