/*
 * Unit tests for lib/expiring.c: kinds, buckets, re-credentialing due
 * dates across leap days and month ends, the rules for each kind of item
 * (without a database), and one collection end to end (ordering, items
 * without a date, filters, sparse provider ids, the audit event).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "credential.h"
#include "date.h"
#include "db.h"
#include "expiring.h"
#include "expiring_int.h"
#include "tap.h"

static long
d(const char *s)
{
	long v = 0;

	if (ctp_date_parse(s, &v) < 0)
		printf("# bad date in test: %s\n", s);
	return v;
}

static const char *
fmt(long days, char out[CTP_DATE_LEN])
{
	ctp_date_format(days, out);
	return out;
}

static void
exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		printf("# sql failed: %s\n", msg ? msg : "?");
	sqlite3_free(msg);
}

static long long
count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The rules of each kind of item, as pure functions. */
static void
rules(void)
{
	static const long thr[] = { 120, 90, 60, 30 };
	static const long mixed[] = { 30, 120, 60, 90 };
	struct ctp_exp_rules r = { 0, 120, 36, 120 };
	struct ctp_exp_due dd, *x = &dd;
	char s[CTP_DATE_LEN], k[64];

	r.as_of = d("2026-12-01");

	/* The bucket as an index into the thresholds, in any order. */
	is_int(ctp_expiring_bucket_at(-1, thr, 4), -1, "overdue: -1");
	is_int(ctp_expiring_bucket_at(0, thr, 4), 3, "today: the 30");
	is_int(ctp_expiring_bucket_at(31, thr, 4), 2, "31: the 60");
	is_int(ctp_expiring_bucket_at(121, thr, 4), 4, "beyond all: n");
	is_int(ctp_expiring_bucket_at(31, mixed, 4), 2, "any order: the 60");
	is_int(ctp_expiring_bucket_at(91, mixed, 4), 1, "any order: the 120");

	/* The window: what has no date always; --overdue keeps the past. */
	ok(ctp_expiring_listed(&r, CTP_EXP_NODATE), "no date: listed");
	ok(ctp_expiring_listed(&r, r.as_of + 120), "120 days: listed");
	ok(!ctp_expiring_listed(&r, r.as_of + 121), "121 days: not");
	ok(ctp_expiring_listed(&r, r.as_of - 400), "long overdue: listed");
	r.hi = -1;
	ok(!ctp_expiring_listed(&r, r.as_of), "--overdue: today is not");
	ok(ctp_expiring_listed(&r, r.as_of - 1), "--overdue: yesterday is");
	r.hi = 120;

	/* Re-credentialing: the last date, else the initial one. */
	ok(ctp_expiring_recred(&r, "2020-01-01", "2024-02-29", x),
	    "recred listed");
	is_str(fmt(x->due, s), "2027-02-28", "from the last recred date");
	is_str(x->detail, "recredentialed 2024-02-29 + 36 months",
	    "recred detail");
	is_int(x->len, strlen(x->detail), "detail length");
	ok(x->bucket == NULL && !x->bad, "dated, nothing skipped");
	ok(ctp_expiring_recred(&r, "2024-01-15", "", x), "initial only");
	is_str(x->detail, "initial 2024-01-15 + 36 months",
	    "from the initial date");
	ok(ctp_expiring_recred(&r, "", "", x), "neither date: listed");
	is_int(x->due, CTP_EXP_NODATE, "neither date: no due date");
	is_str(x->bucket, "unknown", "neither date: bucket unknown");
	is_str(x->detail, "no initial or re-credentialing date",
	    "neither date: the detail says so");
	ok(!ctp_expiring_recred(&r, "2024-01-15", "2023-02-30", x) && x->bad,
	    "a last date that is no date: skipped, not the initial one");
	ok(!ctp_expiring_recred(&r, "", "2025-01-01", x) && !x->bad,
	    "due 2028: out of the window");
	r.months = 24;
	ok(ctp_expiring_recred(&r, "", "2025-01-01", x), "24 months: listed");
	is_str(fmt(x->due, s), "2027-01-01", "24 months on");
	r.months = 36;

	/* An open cycle: listed beyond the window, not under --overdue. */
	ok(ctp_expiring_recred_open(&r, "", "2025-01-01", d("2026-11-20"), 2,
	    x), "open cycle: listed beyond the window");
	is_str(fmt(x->due, s), "2028-01-01", "open cycle: the same due date");
	is_str(x->detail, "recredentialed 2025-01-01 + 36 months; cycle open "
	    "since 2026-11-20, 2 documents requested", "open cycle detail");
	is_int(x->len, strlen(x->detail), "open cycle: detail length");
	ok(ctp_expiring_recred_open(&r, "", "2023-06-01", d("2026-05-01"), 1,
	    x), "open cycle overdue");
	is_str(x->detail, "recredentialed 2023-06-01 + 36 months; cycle open "
	    "since 2026-05-01, 1 document requested", "one document");
	r.hi = -1;
	ok(!ctp_expiring_recred_open(&r, "", "2025-01-01", d("2026-11-20"), 0,
	    x), "--overdue: an open cycle not yet due is not listed");
	ok(ctp_expiring_recred_open(&r, "", "2023-06-01", d("2026-05-01"), 0,
	    x), "--overdue: an overdue open cycle is");
	r.hi = 120;
	ok(!ctp_expiring_recred_open(&r, "", "2025-02-30", d("2026-05-01"), 0,
	    x) && x->bad, "open cycle, a date that is no date: skipped");

	/* CAQH: the roster's date plus the period, or a later record. */
	ok(ctp_expiring_caqh(&r, "12345678", "2026-09-01", CTP_EXP_NODATE, x),
	    "caqh listed");
	is_str(fmt(x->due, s), "2026-12-30", "attested + 120 days");
	is_str(x->detail, "CAQH 12345678 attested 2026-09-01 + 120 days",
	    "caqh detail");
	ok(ctp_expiring_caqh(&r, "", "2026-09-01", d("2027-01-15"), x),
	    "a later record");
	is_str(fmt(x->due, s), "2027-01-15", "the later record wins");
	is_str(x->detail, "CAQH attestation record", "record, no CAQH id");
	ok(ctp_expiring_caqh(&r, "", "2026-09-01", d("2026-10-01"), x),
	    "an earlier record");
	is_str(fmt(x->due, s), "2026-12-30", "the roster's date wins");
	ok(ctp_expiring_caqh(&r, "", "13/45/2026", d("2026-12-10"), x) &&
	    x->bad, "a roster date that is no date: counted, the record listed");
	ok(!ctp_expiring_caqh(&r, "", "13/45/2026", CTP_EXP_NODATE, x) &&
	    x->bad, "... and without a record, nothing");
	ok(!ctp_expiring_caqh(&r, "1", "", CTP_EXP_NODATE, x) && !x->bad,
	    "neither date: nothing");
	ok(!ctp_expiring_caqh(&r, "1", "2026-12-02", CTP_EXP_NODATE, x),
	    "due in 120 days and one: out of the window");

	/* Credentials: state, kind, then the number or the issuer. */
	ctp_expiring_credential("state_license", "CA", "L1", NULL,
	    d("2026-12-20"), x);
	is_str(x->detail, "CA state_license L1", "state, kind, number");
	is_str(fmt(x->due, s), "2026-12-20", "due on the expiration");
	ctp_expiring_credential("dea", "", "D1", "DEA", r.as_of, x);
	is_str(x->detail, "dea D1", "no state; the number over the issuer");
	ctp_expiring_credential("board_cert", "", "", "ABIM", r.as_of, x);
	is_str(x->detail, "board_cert ABIM", "no number: the issuer");
	ctp_expiring_credential("cme", "", "", "", r.as_of, x);
	is_str(x->detail, "cme", "neither: the kind alone");

	/* Providers are listed by this name. */
	is_int(ctp_expiring_name_key("Peña", "María", "", "", k, sizeof(k)),
	    strlen("Peña, María"), "name key: its length");
	is_str(k, "Peña, María", "name key: last, first");
	ctp_expiring_name_key("Smith", "Al", "B", "Jr", k, sizeof(k));
	is_str(k, "Smith, Al B Jr", "name key: middle and suffix");
	ctp_expiring_name_key("Smith", "Al", "", "Jr", k, sizeof(k));
	is_str(k, "Smith, Al Jr", "name key: no middle name");
	is_int(ctp_expiring_name_key("Smith", "Al", "B", "Jr", s, sizeof(s)),
	    sizeof(s) - 1, "name key: cut to fit");

	/* Missing: what the roster holds itself, and the item. */
	is_int(ctp_expiring_roster_holds(""), 0, "no attestation date: none");
	is_int(ctp_expiring_roster_holds("2026-01-01"),
	    ctp_kind_bit("caqh_attestation"),
	    "an attestation date holds caqh_attestation");
	ctp_expiring_missing("malpractice", "NP", x);
	is_str(x->detail, "malpractice required for NP", "missing detail");
	is_str(x->bucket, "missing", "bucket missing");
	is_int(x->due, CTP_EXP_NODATE, "missing: no due date");
}

/*
 * The people's ranks against strcmp on name key, organization and NPI:
 * names alike in their first 16 bytes and longer, one name in several
 * organizations (equal strings at different addresses among them), NPIs
 * of different lengths.
 */
static void
ranks(void)
{
	static const char *keys[] = {
		"Abernathy-Smithson, Alexandra", "Abernathy-Smithson, Alexander",
		"Abernathy-Smithson, Alex", "Lee, Al", "Lee, Al B", "Lee, Al",
		"Ng, Bo", "Ng, Bo Jr", "O'Neil, Ana Maria Teresa", "A, B",
	};
	static char org2[] = "Beta Clinic";
	static const char *orgs[] = { "Alpha Clinic", "Beta Clinic", org2 };
	struct ctp_exp_list l;
	struct ctp_exp_person *p, **by;
	struct ctp_error e;
	char npi[24];
	unsigned seed = 7;
	size_t i, k, n = 3000, bad = 0;
	int r;

	ctp_expiring_init(&l);
	l.people = calloc(n, sizeof(*l.people));
	by = calloc(n, sizeof(*by));
	for (i = 0; i < n && l.people != NULL && by != NULL; i++) {
		seed = seed * 1103515245u + 12345u;
		p = (struct ctp_exp_person *)(void *)ctp_exp_reserve(&l,
		    sizeof(*p), _Alignof(struct ctp_exp_person));
		if (p == NULL)
			break;
		memset(p, 0, sizeof(*p));
		k = (seed >> 8) % (sizeof(keys) / sizeof(keys[0]));
		p->key = keys[k];
		/* One organization, two copies of one name, or any. */
		p->org = k < 4 ? orgs[0] : k < 7 ? orgs[1 + (seed >> 4) % 2] :
		    orgs[(seed >> 4) % 3];
		snprintf(npi, sizeof(npi), (seed >> 20) % 5 ? "%010u" : "%u",
		    (seed >> 12) % 900);
		p->npi = ctp_exp_keep(&l, npi);
		l.people[l.npeople++] = p;
	}
	is_int(l.npeople, n, "3,000 people");
	ok(ctp_expiring_sort(&l, &e) == 0, "ranked");
	for (i = 0; i < l.npeople; i++)
		if (l.people[i]->rank < n)
			by[l.people[i]->rank] = l.people[i];
	for (i = 1; i < l.npeople; i++) {
		if (by[i - 1] == NULL || by[i] == NULL) {
			bad++;
			continue;
		}
		if ((r = strcmp(by[i - 1]->key, by[i]->key)) == 0 &&
		    (r = strcmp(by[i - 1]->org, by[i]->org)) == 0)
			r = strcmp(by[i - 1]->npi, by[i]->npi);
		bad += r > 0;
	}
	is_int(bad, 0, "every rank in name, organization, NPI order");
	free(by);
	ctp_expiring_free(&l);
}

int
main(void)
{
	static const long thr[] = { 120, 90, 60, 30 };
	struct ctp_exp_query q = { 0, -1, 0, 0, NULL };
	struct ctp_exp_list l;
	struct ctp_error e;
	struct ctp_ctx *c;
	sqlite3 *db;
	char b[CTP_EXP_BUCKET_LEN], s[CTP_DATE_LEN], path[64];
	struct ctp_exp_row row, *it = &row;
	size_t i;

	/* Kinds. */
	is_int(ctp_expiring_kind("state_license"), CTP_EXP_STATE_LICENSE,
	    "state_license");
	is_int(ctp_expiring_kind("recred"), CTP_EXP_RECRED, "recred");
	is_int(ctp_expiring_kind("caqh"), CTP_EXP_CAQH, "caqh");
	is_int(ctp_expiring_kind("missing"), CTP_EXP_MISSING, "missing");
	is_int(ctp_expiring_kind("caqh_attestation"), CTP_EXP_CAQH,
	    "caqh_attestation is caqh");
	is_int(ctp_expiring_kind("license"), 0, "unknown kind");
	is_int(ctp_expiring_kind(""), 0, "empty kind");
	is_int(ctp_expiring_kind("DEA"), 0, "kinds are lower case");

	/* Buckets at their boundaries. */
	is_str(ctp_expiring_bucket(-1, thr, 4, b), "overdue", "-1: overdue");
	is_str(ctp_expiring_bucket(-400, thr, 4, b), "overdue", "long overdue");
	is_str(ctp_expiring_bucket(0, thr, 4, b), "30", "today: 30");
	is_str(ctp_expiring_bucket(30, thr, 4, b), "30", "30: 30");
	is_str(ctp_expiring_bucket(31, thr, 4, b), "60", "31: 60");
	is_str(ctp_expiring_bucket(60, thr, 4, b), "60", "60: 60");
	is_str(ctp_expiring_bucket(61, thr, 4, b), "90", "61: 90");
	is_str(ctp_expiring_bucket(120, thr, 4, b), "120", "120: 120");
	is_str(ctp_expiring_bucket(121, thr, 4, b), "later", "121: later");
	is_str(ctp_expiring_bucket(10, thr + 3, 1, b), "30", "one threshold");

	/* Re-credentialing due dates. */
	is_str(fmt(ctp_expiring_recred_due(d("2024-02-29"), 36), s),
	    "2027-02-28", "leap day + 36 months: Feb 28");
	is_str(fmt(ctp_expiring_recred_due(d("2024-02-29"), 48), s),
	    "2028-02-29", "leap day + 48 months: Feb 29");
	is_str(fmt(ctp_expiring_recred_due(d("2024-02-29"), 24), s),
	    "2026-02-28", "leap day + 24 months: Feb 28");
	is_str(fmt(ctp_expiring_recred_due(d("2023-08-31"), 36), s),
	    "2026-08-31", "month end kept");
	is_str(fmt(ctp_expiring_recred_due(d("2024-03-31"), 35), s),
	    "2027-02-28", "Mar 31 + 35 months: Feb 28");
	is_str(fmt(ctp_expiring_recred_due(d("2025-12-15"), 36), s),
	    "2028-12-15", "across years");

	rules();
	ranks();

	/* One organization end to end. */
	snprintf(path, sizeof(path), "/tmp/ctp-unit-expiring.%ld.db",
	    (long)getpid());
	ctp_db_remove(path);
	setenv("CTP_USER", "tester", 1);
	ctp_error_clear(&e);
	if (!ok(ctp_db_create(&db, path, &e) == 0, "create database") ||
	    !ok(ctp_ctx_wrap(&c, "unit", path, db, &e) == 0, "wrap"))
		return done_testing();
	exec(c->db, "INSERT INTO settings VALUES ('name', 'Unit Clinic');"
	    /* Sparse ids: the roster is searched, not mapped. */
	    "INSERT INTO providers (id, npi, last_name, first_name,"
	    " provider_type, status, coordinator, caqh_attested,"
	    " initial_cred_date, created_at, updated_at) VALUES"
	    " (5, '1', 'Zed', 'Zoe', 'MD', 'active', 'amy', '2026-09-01',"
	    "  '2024-02-29', 't', 't'),"
	    " (900000, '2', 'Able', 'Al', 'NP', 'active', 'bo', NULL,"
	    "  NULL, 't', 't'),"
	    " (77, '3', 'Mid', 'Max', 'PA', 'inactive', 'amy', NULL, NULL,"
	    "  't', 't');"
	    "INSERT INTO credentials (provider_id, kind, state, number,"
	    " expires, created_at, updated_at) VALUES"
	    " (5, 'dea', NULL, 'D1', '2026-12-20', 't', 't'),"
	    " (900000, 'state_license', 'CA', 'L1', '2026-12-20', 't', 't'),"
	    " (900000, 'cme', NULL, NULL, NULL, 't', 't'),"
	    " (77, 'dea', NULL, 'D2', '2026-12-02', 't', 't');");
	q.as_of = d("2026-12-01");
	ctp_expiring_init(&l);
	ok(ctp_expiring_collect(c, &q, &l, &e) == 0, "collect");
	ok(ctp_expiring_sort(&l, &e) == 0, "sort");
	/*
	 * Without a date, first: Able (NP) lacks malpractice and has neither
	 * credentialing date; Zed (MD) holds only a DEA.  Then caqh
	 * 2026-12-30 (Zed), dea and license on 12-20, recred 2027-02-28.
	 */
	is_int(l.n, 9, "nine items");
	if (l.n == 9) {
		ctp_expiring_get(&l, 0, it);
		is_str(it->last_name, "Able", "no date first: Able");
		is_str(it->kind, "missing", "Able's missing credential");
		is_str(it->detail, "malpractice required for NP", "which one");
		is_str(it->bucket, "missing", "bucket missing");
		is_int(it->due, CTP_EXP_NODATE, "no due date");
		ctp_expiring_get(&l, 1, it);
		is_str(it->kind, "recred", "Able's recred");
		is_str(it->detail, "no initial or re-credentialing date",
		    "without a date");
		is_str(it->bucket, "unknown", "bucket unknown");
		ctp_expiring_get(&l, 2, it);
		is_str(it->last_name, "Zed", "then Zed");
		is_str(it->detail, "board_cert required for MD",
		    "Zed's missing credentials, by detail");
		ctp_expiring_get(&l, 3, it);
		is_str(it->detail, "malpractice required for MD", "malpractice");
		ctp_expiring_get(&l, 4, it);
		is_str(it->detail, "state_license required for MD",
		    "state_license");
		ctp_expiring_get(&l, 5, it);
		is_str(it->last_name, "Able", "same day: by provider");
		is_str(it->first_name, "Al", "first name");
		is_str(it->detail, "CA state_license L1", "detail");
		is_str(it->bucket, "30", "19 days: bucket 30");
		ctp_expiring_get(&l, 6, it);
		is_str(it->last_name, "Zed", "then Zed");
		is_str(it->kind, "dea", "Zed's dea");
		is_str(it->detail, "dea D1", "detail without a state");
		ctp_expiring_get(&l, 7, it);
		is_str(it->kind, "caqh", "caqh next");
		is_str(fmt(it->due, s), "2026-12-30", "caqh + 120 days");
		is_int(it->days_left, 29, "29 days left");
		ctp_expiring_get(&l, 8, it);
		is_str(it->kind, "recred", "recred last");
		is_str(fmt(it->due, s), "2027-02-28", "leap day + 36 months");
		is_str(it->bucket, "90", "89 days: bucket 90");
		is_str(it->org, "Unit Clinic", "org name");
		is_str(it->coordinator, "amy", "coordinator");
	}
	is_int(count(c->db, "SELECT count(*) FROM audit WHERE action ="
	    " 'expiring.read' AND json_extract(detail, '$.items') = 9"), 1,
	    "one expiring.read with the item count");
	ctp_expiring_free(&l);

	/* Filters. */
	ctp_expiring_init(&l);
	q.coordinator = "bo";
	q.kinds = CTP_EXP_STATE_LICENSE | CTP_EXP_RECRED;
	ok(ctp_expiring_collect(c, &q, &l, &e) == 0, "collect, filtered");
	is_int(l.n, 2, "bo's license and undated recred only");
	q.coordinator = NULL;
	q.kinds = CTP_EXP_STATE_LICENSE | CTP_EXP_DEA |
	    CTP_EXP_CAQH | CTP_EXP_RECRED;
	q.overdue = 1;
	ok(ctp_expiring_collect(c, &q, &l, &e) == 0, "collect overdue");
	is_int(l.n, 3, "nothing overdue appended, the undated recred is");
	q.overdue = 0;
	q.within = 19;
	ok(ctp_expiring_collect(c, &q, &l, &e) == 0, "collect within 19");
	is_int(l.n, 6, "two more within 19 days, and the undated recred");
	ok(ctp_expiring_sort(&l, &e) == 0, "sort again");
	for (i = 1; i < l.n; i++)
		ok(l.v[l.order[i - 1]].due <= l.v[l.order[i]].due,
		    "ordered by due (%zu)", i);
	ctp_expiring_get(&l, 0, it);
	is_str(it->npi, "2", "first row's provider fields");
	is_int(it->due, CTP_EXP_NODATE, "the undated recred first");
	ctp_expiring_free(&l);
	is_int(count(c->db, "SELECT count(*) FROM audit WHERE action ="
	    " 'expiring.read'"), 4, "one event per collection");

	ctp_ctx_close(c);
	ctp_db_remove(path);
	return done_testing();
}
