/*
 * expiring_enroll.c - the inbox's enrollment items (enroll.h): an open
 * application with no change for enroll_stale_days, listed from the day
 * it stalls as a follow-up, and an approved enrollment's revalidation,
 * listed as its date comes within the window like an expiration.  Only
 * the providers that count (active or pending) have items.  A handful of
 * rows, read once per organization.
 */
#include <stdio.h>

#include "date.h"
#include "db.h"
#include "enroll.h"
#include "expiring_int.h"
#include "org.h"

/* The years of each line: medicare, medicaid, commercial. */
struct years {
	long v[3];
};

static long
line_years(const struct years *y, const char *line)
{
	if (line[0] == 'm' && line[4] == 'c' && line[5] == 'a' &&
	    line[6] == 'r')
		return y->v[0];		/* medicare */
	if (line[0] == 'm')
		return y->v[1];		/* medicaid */
	return y->v[2];
}

/* One enrollment row into d: 1 when listed, 0 when not. */
static int
item(const struct ctp_exp_org *o, sqlite3_stmt *st, long stale,
    const struct years *y, struct ctp_exp_due *d)
{
	const char *payer = ctp_col_text(st, 2), *line = ctp_col_text(st, 3);
	const char *status = ctp_col_text(st, 4);
	char day[CTP_DATE_LEN];
	long changed, years;
	int n;

	d->bucket = NULL;
	d->bad = 0;
	if (ctp_date_parse(ctp_col_text(st, 5), &changed) < 0) {
		d->bad = 1;
		return 0;
	}
	ctp_date_format(changed, day);
	if (ctp_enroll_open(status)) {
		d->due = ctp_enroll_stalls(changed, stale);
		if (d->due > o->rules.as_of ||
		    !ctp_expiring_listed(&o->rules, d->due))
			return 0;
		n = snprintf(d->detail, sizeof(d->detail), "%s %s enrollment "
		    "%lld: %s since %s, no change in %ld days: follow up",
		    payer, line, (long long)sqlite3_column_int64(st, 0),
		    status, day, o->rules.as_of - changed);
	} else {
		if ((years = line_years(y, line)) <= 0)
			return 0;
		d->due = ctp_enroll_revalidation(changed, years);
		if (!ctp_expiring_listed(&o->rules, d->due))
			return 0;
		n = snprintf(d->detail, sizeof(d->detail), "%s %s enrollment "
		    "%lld: revalidation (approved %s)", payer, line,
		    (long long)sqlite3_column_int64(st, 0), day);
	}
	d->len = n < 0 ? 0 : (size_t)n < sizeof(d->detail) ? (size_t)n :
	    sizeof(d->detail) - 1;
	return 1;
}

int
ctp_exp_enrollments(struct ctp_ctx *c, const struct ctp_exp_org *o,
    const struct ctp_exp_roster *r, struct ctp_exp_list *l,
    struct ctp_error *e)
{
	static const char *const names[3] = { "medicare", "medicaid",
	    "commercial" };
	const struct ctp_exp_person *who;
	struct ctp_exp_due d;
	struct years y;
	sqlite3_stmt *st;
	long stale;
	int rc, i;

	if ((rc = ctp_org_get_long(c->db, "enroll_stale_days", &stale, e)))
		return rc;
	for (i = 0; i < 3; i++)
		if ((rc = ctp_enroll_years(c->db, names[i], &y.v[i], e)))
			return rc;
	if (ctp_db_prepare(c->db, &st, "SELECT id, provider_id, payer, line,"
	    " status, changed FROM enrollments WHERE status IN ('requested',"
	    " 'submitted', 'in_process', 'approved') ORDER BY id", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((who = ctp_exp_find_person(r,
		    sqlite3_column_int64(st, 1))) == NULL)
			continue;
		if (!item(o, st, stale, &y, &d)) {
			l->bad_dates += d.bad;
			continue;
		}
		if (ctp_exp_emit(l, o, who, CTP_EXP_ENROLL_INDEX, &d) < 0) {
			sqlite3_finalize(st);
			return ctp_err_nomem(e, "expiring");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, c->path, e);
	return 0;
}
