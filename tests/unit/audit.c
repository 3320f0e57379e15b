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
