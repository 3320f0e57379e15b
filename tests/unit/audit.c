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

/*
 * Three chained rows in a table like audit but with no column types, so
 * that a value keeps whatever storage type it is given; then tweak (SQL,
 * or NULL) and verify.  The values are chosen so that a tweak may change
 * a type and leave the bytes, and so the hash, as they were.
 */
static sqlite3 *
raw_chain(const char *tweak, struct ctp_audit_check *r)
{
	struct ctp_error e;
	sqlite3 *db;
	sqlite3_stmt *st;
	char prev[CTP_SHA256_HEX], hash[CTP_SHA256_HEX];
	int i;

	sqlite3_open(":memory:", &db);
	sqlite3_exec(db, "CREATE TABLE audit (seq, ts, actor, action, "
	    "obj_type, obj_id, detail, prev_hash, hash)", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO audit VALUES (?1, 't', '', 'a', "
	    "'o', '5', '1.5', ?2, ?3)", -1, &st, NULL);
	memset(prev, '0', 64);
	prev[64] = '\0';
	for (i = 1; i <= 3; i++) {
		ctp_audit_hash(prev, i, "t", "", "a", "o", "5", "1.5", hash);
		sqlite3_bind_int(st, 1, i);
		sqlite3_bind_text(st, 2, prev, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, hash, -1, SQLITE_TRANSIENT);
		sqlite3_step(st);
		sqlite3_reset(st);
		memcpy(prev, hash, sizeof(prev));
	}
	sqlite3_finalize(st);
	if (tweak)
		sqlite3_exec(db, tweak, NULL, NULL, NULL);
	ctp_audit_verify(db, r, &e);
	return db;
}

/* raw_chain with tweak: the first bad row is bad, for a reason with why. */
static void
raw_case(const char *tweak, long long bad, const char *why)
{
	struct ctp_audit_check r;

	sqlite3_close(raw_chain(tweak, &r));
	ok(r.first_bad == bad, "%s: found at %lld", tweak, bad);
	if (r.first_bad != bad)
		printf("#   got %lld\n", r.first_bad);
	ok(strstr(r.reason, why) != NULL, "%s: says \"%s\"", tweak, why);
	if (strstr(r.reason, why) == NULL)
		printf("#   got '%s'\n", r.reason);
}

static int
parse(const char *s, size_t n, long long *seq, char *hash)
{
	return ctp_audit_anchor_parse(s, n, seq, hash);
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
	/*
	 * Known answers, worked out apart from ctp (printf of the encoding
	 * into sha256sum, Python's hashlib): each field "LENGTH:" then its
	 * bytes and a newline; prev, seq, ts, actor, action, obj_type,
	 * obj_id, detail.
	 */
	ctp_audit_hash("0000000000000000000000000000000000000000000000000000"
	    "000000000000", 1, "2026-01-02T03:04:05Z", "alice", "user.add",
	    "user", "bob", "{\"role\":\"coordinator\"}", h1);
	is_str(h1, "9bb7cd65650696cc83fe28a74d7bc628d34f1fe9a67bbbeb563efcf8"
	    "fb203da2", "known answer: a first row");
	{
		char big[2100];

		memcpy(big, "{\"n\":\"", 6);
		memset(big + 6, 'x', 2000);
		memcpy(big + 2006, "\"}", 3);
		ctp_audit_hash(h1, 1234567890123LL, "2026-12-31T23:59:59Z",
		    "zo\xc3\xab", "roster.set", "provider", "1234567893", big,
		    h2);
		is_str(h2, "62a14cdeab3099223c21ea078b73ac613eba459d667bb5097d"
		    "288405044aee3e", "known answer: a row past the stack "
		    "buffer, UTF-8 counted in bytes");
	}
	ctp_audit_hash("0000000000000000000000000000000000000000000000000000"
	    "000000000000", 1, NULL, NULL, "", NULL, NULL, NULL, h2);
	is_str(h2, "d88bd65f0f44c9211b49fcc29ec544bb14ea10042a8e080a322b1ab6"
	    "a685c623", "known answer: NULL fields hash as empty");

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
	/*
	 * Storage types: ctp writes seq as an integer and the rest as text
	 * without NUL bytes.  The bytes of each tweak hash as before.
	 */
	sqlite3_close(raw_chain(NULL, &r));
	is_int(r.first_bad, 0, "an untyped table's chain holds");
	is_int(r.nproblems, 3, "but table and triggers are not ctp's");
	is_str(r.problem[0], "table audit is not as ctp created it: its "
	    "schema was changed", "the table named");
	is_str(r.problem[1], "trigger audit_no_update is missing",
	    "a missing trigger named");
	raw_case("UPDATE audit SET obj_id = 5 WHERE seq = 2", 2,
	    "row changed: obj_id is an integer, not text");
	raw_case("UPDATE audit SET detail = 1.5 WHERE seq = 1", 1,
	    "row changed: detail is a real number, not text");
	raw_case("UPDATE audit SET actor = NULL WHERE seq = 2", 2,
	    "row changed: actor is null, not text");
	raw_case("UPDATE audit SET ts = CAST(ts AS BLOB) WHERE seq = 3", 3,
	    "row changed: ts is a blob, not text");
	raw_case("UPDATE audit SET hash = CAST(hash AS BLOB) WHERE seq = 1", 1,
	    "row changed: hash is a blob, not text");
	raw_case("UPDATE audit SET seq = '3' WHERE seq = 3", 3,
	    "row changed: seq is text, not an integer");
	raw_case("UPDATE audit SET action = 'a' || char(0) || 'b' "
	    "WHERE seq = 2", 2, "row changed: action holds a NUL byte");
	raw_case("UPDATE audit SET prev_hash = prev_hash || 'x' WHERE seq = 3",
	    3, "previous hash does not match");
	raw_case("UPDATE audit SET obj_type = 'O' WHERE seq = 2", 2,
	    "row changed: hash does not match");
	raw_case("DELETE FROM audit WHERE seq = 2", 2, "row removed");

	/* Anchors: one line of ctp-audit head each. */
	{
		static const char hx[] = "16c65ed21a7f91d06fec2371c8f5ce38354b"
		    "d4a1426a0184148a50d090473d55";
		struct ctp_audit_anchors a;
		char line[256], hash[CTP_SHA256_HEX];
		long long seq = -1;
		FILE *f;

		snprintf(line, sizeof(line), "98 %s\n", hx);
		is_int(parse(line, strlen(line), &seq, hash), 1,
		    "an anchor line");
		is_int(seq, 98, "its sequence");
		is_str(hash, hx, "its hash");
		snprintf(line, sizeof(line), " \t98\t %s \r\n", hx);
		for (i = 0; line[i]; i++)
			if (line[i] >= 'a' && line[i] <= 'f')
				line[i] = (char)(line[i] - 'a' + 'A');
		is_int(parse(line, strlen(line), &seq, hash), 1,
		    "blanks around, CRLF, upper case");
		is_str(hash, hx, "hash in lower case");
		is_int(parse("", 0, &seq, hash), 0, "empty line");
		is_int(parse(" \t\r\n", 4, &seq, hash), 0, "blank line");
		is_int(parse("# 98 x\n", 7, &seq, hash), 0, "comment");
		is_int(parse("  #\n", 4, &seq, hash), 0, "indented comment");
#define BAD(fmt, what) do { \
	snprintf(line, sizeof(line), fmt, hx); \
	is_int(parse(line, strlen(line), &seq, hash), -1, what); \
} while (0)
		BAD("98%s", "no blank between");
		BAD("98 %s x", "text after the hash");
		BAD("98 %s # note", "a comment after the hash");
		BAD("0 %s", "sequence 0");
		BAD("-1 %s", "a sign");
		BAD("9x %s", "not a number");
		BAD("1234567890123456789 %s", "19 digits");
		BAD("98 %.63s", "63 hex digits");
		BAD("98 %s0", "65 hex digits");
		BAD("98 %.63sg", "not hex");
		BAD("2026-12-02 98 %s", "a date before it");
#undef BAD
		is_int(parse("98\n", 3, &seq, hash), -1, "no hash");
		snprintf(line, sizeof(line), "98 %s\n", hx);
		line[10] = '\0';
		is_int(parse(line, 3 + 64 + 1, &seq, hash), -1,
		    "a NUL byte inside");
		is_int(parse("98 ", 3, &seq, hash), -1, "no hash after blank");

		snprintf(path, sizeof(path), "/tmp/ctp-unit-anchor.%ld",
		    (long)getpid());
		f = fopen(path, "w");
		fprintf(f, "# nightly\n\n1 %s\n2 %s\n", hx, hx);
		fclose(f);
		ok(ctp_audit_anchors_read(path, &a, &e) == 0, "read anchors");
		is_int(a.n, 2, "two anchors");
		is_int(a.v[1].line, 4, "second on line 4");
		ctp_audit_anchors_free(&a);
		f = fopen(path, "a");
		fprintf(f, "3 %.10s\n", hx);
		fclose(f);
		is_int(ctp_audit_anchors_read(path, &a, &e), CTP_DATAERR,
		    "a malformed line: CTP_DATAERR");
		ok(strstr(e.where, ":5") != NULL, "at line 5");
		is_int(a.n, 0, "nothing kept");
		unlink(path);
		is_int(ctp_audit_anchors_read(path, &a, &e), CTP_NOINPUT,
		    "a missing file: CTP_NOINPUT");

		/* Each anchor against a chain whose row 2 was removed. */
		{
			struct ctp_audit_anchor v[4];
			sqlite3 *db3;
			sqlite3_stmt *st;

			db3 = raw_chain(NULL, &r);
			sqlite3_prepare_v2(db3, "SELECT seq, hash FROM audit",
			    -1, &st, NULL);
			for (i = 0; i < 3 && sqlite3_step(st) == SQLITE_ROW;
			    i++) {
				v[i].line = 10 + i;
				v[i].seq = sqlite3_column_int64(st, 0);
				snprintf(v[i].hash, sizeof(v[i].hash), "%s",
				    (const char *)sqlite3_column_text(st, 1));
			}
			sqlite3_finalize(st);
			v[3] = v[2];
			v[3].line = 13;
			v[3].seq = 4;
			memset(&a, 0, sizeof(a));
			a.v = v;
			a.n = 4;
			ok(ctp_audit_anchors_check(db3, &r, &a, &e) == 0 &&
			    a.failed == 1 && a.first_line == 13,
			    "an anchor past the head fails, the rest hold");
			ok(strstr(a.reason, "sequence 4 is beyond the end of "
			    "the chain (head 3): rows were removed") != NULL,
			    "and says so");
			sqlite3_exec(db3, "DELETE FROM audit WHERE seq = 2",
			    NULL, NULL, NULL);
			v[0].hash[0] = v[0].hash[0] == 'a' ? 'b' : 'a';
			a.n = 3;
			ok(ctp_audit_anchors_check(db3, &r, &a, &e) == 0 &&
			    a.failed == 2 && a.first_line == 10,
			    "a changed hash and a removed row: two fail");
			ok(strstr(a.reason, "sequence 1 has another hash") !=
			    NULL, "the first named: another hash");
			a.v = v + 1;
			a.n = 1;
			ctp_audit_anchors_check(db3, &r, &a, &e);
			ok(strstr(a.reason, "sequence 2 is missing from the "
			    "chain") != NULL, "a removed row: missing");
			sqlite3_close(db3);
		}
	}
	return done_testing();
}
