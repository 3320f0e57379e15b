/*
 * Unit tests for lib/import.c and lib/roster.c: the import under
 * allocation failure (every allocation in turn fails: no crash, and either
 * the whole file or nothing is in; with --rejects, no rejects file and no
 * temporary file either), the summary line, ctp_roster_set inside and
 * outside a caller's transaction, the status rule (status.h), and
 * foreign keys on through every import.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "db.h"
#include "err.h"
#include "import.h"
#include "input.h"
#include "mem.h"
#include "roster.h"
#include "status.h"
#include "tap.h"

/* Files in /tmp whose name starts with prefix. */
static int
files(const char *prefix)
{
	DIR *d = opendir("/tmp");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	if (d)
		closedir(d);
	return n;
}

static const char *
summary(const struct ctp_import_opts *o, long long added,
    long long rejected, long long empty)
{
	static char line[512];
	struct ctp_import_stats s;

	memset(&s, 0, sizeof(s));
	s.added = added;
	s.updated = 1;
	s.rejected = rejected;
	s.empty = empty;
	ctp_import_summary(o, &s, line, sizeof(line));
	return line;
}

static long long
count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Counts the statements that would set or read PRAGMA foreign_keys. */
static int
fk_pragma(void *arg, int action, const char *a, const char *b,
    const char *db, const char *trigger)
{
	(void)b;
	(void)db;
	(void)trigger;
	if (action == SQLITE_PRAGMA && a && strcmp(a, "foreign_keys") == 0)
		(*(int *)arg)++;
	return SQLITE_OK;
}

int
main(void)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_import_opts o;
	struct ctp_import_stats s;
	sqlite3 *db;
	char path[64], fixture[512];
	const char *top = getenv("CTP_TOP");
	FILE *devnull = fopen("/dev/null", "w");
	unsigned long n;
	int rc, bad = 0, partial = 0, done = 0, fk = 0;
	long long np;
	long long id;

	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/import/clean.csv",
	    top ? top : ".");
	if (access(fixture, R_OK) != 0) {
		ok(0, "fixture %s: %s", fixture, strerror(errno));
		return done_testing();
	}
	snprintf(path, sizeof(path), "/tmp/ctp-unit-import.%ld.db",
	    (long)getpid());
	ctp_db_remove(path);
	setenv("CTP_USER", "tester", 1);
	ok(ctp_db_create(&db, path, &e) == 0, "create database");
	ok(ctp_ctx_wrap(&c, "unit", path, db, &e) == 0, "wrap");

	memset(&o, 0, sizeof(o));
	o.path = fixture;
	o.enc = CTP_ENC_AUTO;
	o.msg = devnull;
	o.as_of = 20788;	/* 2026-12-01 */
	sqlite3_set_authorizer(c->db, fk_pragma, &fk);
	for (n = 1; n < 5000 && !done; n++) {
		ctp_error_clear(&e);
		ctp_mem_fail_after(n);
		rc = ctp_import(c, &o, &s, &e);
		ctp_mem_fail_after(0);
		np = count(c->db, "SELECT count(*) FROM providers");
		if (rc == 0) {
			done = 1;
			break;
		}
		if (rc != CTP_SOFTWARE) {
			bad++;
			printf("# allocation %lu: exit %d: %s: %s\n", n, rc,
			    e.where, e.what);
		}
		if (np != 0)
			partial++;
	}
	ok(done, "the import succeeds once allocations stop failing (%lu)", n);
	is_int(bad, 0, "every failed allocation is reported as an internal "
	    "error");
	is_int(partial, 0, "a failed import leaves nothing behind");
	is_int(count(c->db, "SELECT count(*) FROM providers"), 6,
	    "then the whole file is in");
	is_int(count(c->db, "SELECT json_array_length(detail, '$.added_npis')"
	    " FROM audit WHERE action = 'roster.import'"), 6,
	    "the import's audit event names each provider added");

	/* --rejects under allocation failure: a failed run leaves neither
	 * the rejects file nor its temporary file, nor any row. */
	{
		char rej[64], tmpname[64], tracker[512];
		int leftover = 0;

		snprintf(tracker, sizeof(tracker), "%s/tests/fixtures/import/"
		    "tracker.csv", top ? top : ".");
		snprintf(rej, sizeof(rej), "/tmp/ctp-unit-import.%ld.rej.csv",
		    (long)getpid());
		snprintf(tmpname, sizeof(tmpname), ".%s.", rej + 5);
		unlink(rej);
		o.path = tracker;
		o.rejects = rej;
		bad = partial = done = 0;
		for (n = 1; n < 5000 && !done; n++) {
			ctp_error_clear(&e);
			ctp_mem_fail_after(n);
			rc = ctp_import(c, &o, &s, &e);
			ctp_mem_fail_after(0);
			if (rc == CTP_ATTN) {
				done = 1;
				break;
			}
			if (rc != CTP_SOFTWARE) {
				bad++;
				printf("# allocation %lu: exit %d: %s: %s\n",
				    n, rc, e.where, e.what);
			}
			if (count(c->db, "SELECT count(*) FROM providers") != 6)
				partial++;
			if (access(rej, F_OK) == 0 || files(tmpname))
				leftover++;
		}
		ok(done, "with --rejects: succeeds once allocations stop "
		    "failing (%lu)", n);
		is_int(bad, 0, "with --rejects: every failed allocation is "
		    "an internal error");
		is_int(partial, 0, "with --rejects: a failed import writes "
		    "no row");
		is_int(leftover, 0, "with --rejects: and leaves no file");
		is_int(count(c->db, "SELECT count(*) FROM providers"), 10,
		    "then the good rows are in");
		is_int(s.rejected * 10 + s.empty, 32,
		    "three rejected, two empty rows skipped");
		ok(access(rej, F_OK) == 0 && files(tmpname) == 0,
		    "the rejects file is there, no temporary file");
		unlink(rej);
		o.path = fixture;
		o.rejects = NULL;
	}
	sqlite3_set_authorizer(c->db, NULL, NULL);
	is_int(fk, 0, "no import switches foreign keys off (or on again)");
	is_int(count(c->db, "SELECT count(*) FROM pragma_foreign_key_check"),
	    0, "every credential and history row has its parent");

	/* The summary: "would be" whenever nothing was written. */
	is_str(summary(&o, 4, 0, 0), "4 added, 1 updated, 0 unchanged, "
	    "0 rejected", "summary of a clean run");
	is_str(summary(&o, 4, 2, 1), "4 would be added, 1 would be updated, "
	    "0 unchanged, 2 rejected, 1 empty row skipped (nothing written: "
	    "fix the rejected rows, or use --rejects FILE or --partial)",
	    "all or nothing, rows rejected");
	o.partial = 1;
	is_str(summary(&o, 4, 2, 2), "4 added, 1 updated, 0 unchanged, "
	    "2 rejected, 2 empty rows skipped", "--partial");
	o.partial = 0;
	o.rejects = "fix.csv";
	is_str(summary(&o, 4, 2, 0), "4 added, 1 updated, 0 unchanged, "
	    "2 rejected (rejected rows in fix.csv: fix them there and import "
	    "that file)", "--rejects");
	o.dry_run = 1;
	is_str(summary(&o, 4, 2, 0), "4 would be added, 1 would be updated, "
	    "0 unchanged, 2 rejected (dry run: nothing written; rejected rows "
	    "in fix.csv)", "--dry-run --rejects");
	is_str(summary(&o, 4, 0, 0), "4 would be added, 1 would be updated, "
	    "0 unchanged, 0 rejected (dry run: nothing written)",
	    "--dry-run --rejects, nothing rejected");
	o.dry_run = 0;
	o.rejects = NULL;

	/* ctp_roster_set: own transaction, and inside the caller's. */
	ok(ctp_roster_find(c->db, "1000005011", &id, &e) == 0, "find");
	ok(ctp_roster_find(c->db, "1234567893", &id, &e) == CTP_DATAERR &&
	    strcmp(e.what, "not on the roster") == 0, "find: not on the roster");
	ok(ctp_roster_set(c, "1000005011", "status", "inactive", "unit",
	    "left", &e) == 0, "set in its own transaction");
	is_int(count(c->db, "SELECT count(*) FROM history WHERE field = "
	    "'status' AND new_value = 'inactive' AND source = 'unit' AND "
	    "note = 'left'"), 1, "history row");
	ok(ctp_roster_set(c, "1000005011", "status", "inactive", "unit", NULL,
	    &e) == 0, "same value again");
	is_int(count(c->db, "SELECT count(*) FROM history"), 1,
	    "unchanged: no history");
	ctp_db_begin(c->db, &e);
	ok(ctp_roster_set(c, "1000005011", "status", "active", "unit", NULL,
	    &e) == 0, "set inside the caller's transaction");
	ok(!sqlite3_get_autocommit(c->db), "the caller's transaction is open");
	ctp_db_rollback(c->db);
	is_int(count(c->db, "SELECT count(*) FROM providers WHERE status = "
	    "'inactive'"), 1, "rolled back with the caller");
	is_int(count(c->db, "SELECT count(*) FROM audit WHERE action = "
	    "'roster.set'"), 1, "its audit event rolled back too");
	ok(ctp_roster_set(c, "1000005011", "status", "gone", "unit", NULL,
	    &e) == CTP_DATAERR, "bad status refused");

	/* The status rule holds for every caller of the library. */
	ok(ctp_roster_set(c, "1000005011", "status", "excluded", "unit",
	    "by hand", &e) == 0, "excluded by hand");
	ok(ctp_roster_set(c, "1000005011", "status", "active", "unit", NULL,
	    &e) == CTP_DATAERR && strcmp(e.where, "status") == 0 &&
	    strcmp(e.what, "provider is excluded; an admin reinstates with "
	    "ctp-roster reinstate 1000005011 --note TEXT") == 0,
	    "an excluded provider's status does not change by a set");
	ok(ctp_status_set(c, "1000005011", "pending", CTP_STATUS_CHANGE, 0,
	    "unit", NULL, NULL, &e) == CTP_DATAERR,
	    "nor through ctp_status_set");
	ok(ctp_status_set(c, "1000005011", NULL, CTP_STATUS_REINSTATE, 0,
	    "unit", "letter", NULL, &e) == CTP_NOPERM,
	    "a reinstatement needs an admin or owner");
	is_int(count(c->db, "SELECT count(*) FROM providers WHERE status = "
	    "'excluded'"), 1, "still excluded");
	ctp_ctx_close(c);
	ctp_db_remove(path);
	fclose(devnull);
	return done_testing();
}
