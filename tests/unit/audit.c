/* Unit tests for lib/audit.c: the hash chain and its verification. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "auth.h"
#include "db.h"
#include "tap.h"

static int
count_rows(sqlite3 *db, const char *action)
{
	sqlite3_stmt *st;
	int n = -1;

	sqlite3_prepare_v2(db, "SELECT count(*) FROM audit WHERE action = ?1",
	    -1, &st, NULL);
	sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
main(void)
{
	struct ctp_error e;
	struct ctp_ctx *c, *c2;
	struct ctp_audit_check r;
	sqlite3 *db, *db2;
	char path[64], h1[CTP_SHA256_HEX], h2[CTP_SHA256_HEX];
	int i;
	json_t *d;

	ctp_audit_hash("0", 1, "t", "a", "b", "c", "d", "{}", h1);
	ctp_audit_hash("0", 1, "t", "a", "b", "c", "d", "{}", h2);
	is_str(h1, h2, "hash is deterministic");
	ctp_audit_hash("0", 1, "t", "ab", "", "c", "d", "{}", h2);
	ok(strcmp(h1, h2) != 0, "fields are length-prefixed (a|b != ab|)");
	is_int(strlen(h1), 64, "hex SHA-256");

	snprintf(path, sizeof(path), "/tmp/ctp-unit-audit.%ld.db",
	    (long)getpid());
	ctp_db_remove(path);
	setenv("CTP_USER", "tester", 1);
	ok(ctp_db_create(&db, path, &e) == 0, "create database");
	ok(ctp_ctx_wrap(&c, "unit", path, db, &e) == 0, "wrap");
	d = json_pack("{s:s, s:i}", "z", "last", "a", 1);
	for (i = 0; i < 50; i++)
		ctp_audit(c, "test.event", "thing", "1", d, &e);
	json_decref(d);
	ok(ctp_audit_verify(c->db, &r, &e) == 0, "verify runs");
	is_int(r.rows, 50, "50 rows");
	is_int(r.first_bad, 0, "chain holds");
	is_int(r.head_seq, 50, "head is 50");
	/*
	 * The head kept within a transaction: forgotten at a rollback and
	 * at a commit (another connection may append between two).
	 */
	ok(ctp_db_begin(c->db, &e) == 0, "begin");
	ctp_audit_raw(c, "test.batch", "thing", "2", NULL, &e);
	ctp_audit_raw(c, "test.batch", "thing", "3", NULL, &e);
	ctp_db_rollback(c->db);
	ok(ctp_db_open(&db2, path, &e) == 0, "second connection");
	ok(ctp_ctx_wrap(&c2, "unit", path, db2, &e) == 0, "wrap it");
	ctp_audit_raw(c, "test.after", "thing", "4", NULL, &e);
	ctp_audit_raw(c2, "test.other", "thing", "5", NULL, &e);
	ok(ctp_db_begin(c->db, &e) == 0, "begin again");
	ok(ctp_audit_raw(c, "test.batch", "thing", "6", NULL, &e) == 0 &&
	    ctp_audit_raw(c, "test.batch", "thing", "7", NULL, &e) == 0,
	    "two rows in one transaction");
	ok(ctp_db_commit(c->db, &e) == 0, "commit");
	ctp_audit_raw(c2, "test.other", "thing", "8", NULL, &e);
	ctp_audit_raw(c, "test.after", "thing", "9", NULL, &e);
	ctp_ctx_close(c2);
	ctp_audit_verify(c->db, &r, &e);
	is_int(r.rows, 56, "rolled-back rows gone, the rest appended");
	is_int(r.first_bad, 0, "chain holds across rollback and writers");
	/* Queued events: the same chain, 64 rows to a statement. */
	ok(ctp_audit_queue(c, "test.q", "thing", "x", NULL, &e) ==
	    CTP_SOFTWARE, "no queue outside a transaction");
	ok(ctp_db_begin(c->db, &e) == 0, "begin for the queue");
	for (i = 0; i < 130; i++) {
		snprintf(h1, sizeof(h1), "{\"i\":%d}", i);
		if (ctp_audit_queue(c, "test.q", "thing", "q", h1, &e) != 0)
			break;
		if (i == 70)
			ctp_audit_raw(c, "test.between", "thing", "b", NULL, &e);
	}
	is_int(i, 130, "130 events queued");
	is_int(count_rows(c->db, "test.q"), 71, "64 written when the queue "
	    "filled, and the 7 before test.between");
	ok(ctp_db_commit(c->db, &e) != 0, "a commit with events queued is "
	    "refused");
	is_int(count_rows(c->db, "test.q"), 0, "and rolled back");
	ok(ctp_db_begin(c->db, &e) == 0, "begin again");
	for (i = 0; i < 130; i++) {
		snprintf(h1, sizeof(h1), "{\"i\":%d}", i);
		ctp_audit_queue(c, "test.q", "thing", "q", h1, &e);
		if (i == 70)
			ctp_audit_raw(c, "test.between", "thing", "b", NULL, &e);
	}
	ok(ctp_audit_flush(c, &e) == 0, "flush");
	ok(ctp_db_commit(c->db, &e) == 0, "commit");
	is_int(count_rows(c->db, "test.q"), 130, "130 queued events written");
	ctp_audit_verify(c->db, &r, &e);
	is_int(r.first_bad, 0, "chain holds through queued events");
	is_int(r.rows, 56 + 131, "with the event between them");
	ok(ctp_db_begin(c->db, &e) == 0, "begin a third time");
	ctp_audit_queue(c, "test.q", "thing", "q", NULL, &e);
	ctp_db_rollback(c->db);
	ctp_audit_raw(c, "test.after", "thing", "r", NULL, &e);
	ctp_audit_verify(c->db, &r, &e);
	is_int(r.first_bad, 0, "a rollback drops queued events");
	is_int(r.rows, 56 + 132, "and only them");
	ok(sqlite3_exec(c->db, "UPDATE audit SET actor='x' WHERE seq=3",
	    NULL, NULL, NULL) != SQLITE_OK, "UPDATE refused by trigger");
	ok(sqlite3_exec(c->db, "DELETE FROM audit WHERE seq=3", NULL, NULL,
	    NULL) != SQLITE_OK, "DELETE refused by trigger");
	sqlite3_exec(c->db, "DROP TRIGGER audit_no_update", NULL, NULL, NULL);
	sqlite3_exec(c->db, "UPDATE audit SET detail='{\"a\":2}' WHERE seq=7",
	    NULL, NULL, NULL);
	ctp_audit_verify(c->db, &r, &e);
	is_int(r.first_bad, 7, "changed detail found at 7");
	ctp_ctx_close(c);
	ctp_db_remove(path);
	return done_testing();
}
