/*
 * psv: the one writer of the PSV log, on an in-memory table: entries
 * as given, batches of any size, the seal's ids and digest.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "hash.h"
#include "mem.h"
#include "psv.h"
#include "tap.h"

static sqlite3 *
new_db(void)
{
	sqlite3 *db;

	sqlite3_open(":memory:", &db);
	sqlite3_exec(db, "CREATE TABLE psv_log (id INTEGER PRIMARY KEY, "
	    "provider_id INTEGER NOT NULL, credential_id INTEGER, "
	    "source TEXT NOT NULL, method TEXT NOT NULL, result TEXT NOT NULL,"
	    " reference TEXT, detail TEXT, actor TEXT NOT NULL, "
	    "ts TEXT NOT NULL, verified_on TEXT, note TEXT, corrects INTEGER);"
	    " BEGIN", NULL, NULL, NULL);
	return db;
}

/* The rows, one a line: every column but id, NULL as "-". */
static char *
rows(sqlite3 *db, const char *sql)
{
	struct ctp_buf b = CTP_BUF_INIT;
	sqlite3_stmt *st;
	int i, n;

	sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	n = sqlite3_column_count(st);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (i = 0; i < n; i++) {
			const char *t = (const char *)sqlite3_column_text(st,
			    i);

			ctp_buf_printf(&b, "%s%c", t ? t : "-",
			    i + 1 < n ? '|' : '\n');
		}
	sqlite3_finalize(st);
	return b.s ? ctp_buf_take(&b) : ctp_strdup("");
}

static void
entries(void)
{
	struct ctp_psv_writer *w;
	struct ctp_psv_entry en;
	struct ctp_error e;
	sqlite3 *db = new_db();
	char actor[] = "alice", method[] = "api", *t;
	long long n;

	ctp_error_clear(&e);
	is_int(ctp_psv_open(&w, db, actor, "2026-01-02T03:04:05Z", method,
	    &e), 0, "open");
	strcpy(actor, "xxxxx");
	strcpy(method, "xxx");
	memset(&en, 0, sizeof(en));
	en.provider_id = 7;
	en.source = "NPPES";
	en.result = "matched";
	is_int(ctp_psv_add(w, &en, &e), 0, "an entry without reference, "
	    "detail or credential");
	en.provider_id = 8;
	en.credential_id = 3;
	en.source = "State board";
	en.result = "verified";
	en.reference = "license A123";
	en.detail = "{\"by\":\"phone\"}";
	is_int(ctp_psv_add(w, &en, &e), 0, "one with all of them");
	ctp_db_int(db, "SELECT count(*) FROM psv_log", &n, "t", &e);
	is_int(n, 0, "queued, not written yet");
	is_int(ctp_psv_flush(w, &e), 0, "flush");
	t = rows(db, "SELECT provider_id, credential_id, source, method, "
	    "result, reference, detail, actor, ts FROM psv_log ORDER BY id");
	is_str(t, "7|-|NPPES|api|matched|-|-|alice|2026-01-02T03:04:05Z\n"
	    "8|3|State board|api|verified|license A123|{\"by\":\"phone\"}|"
	    "alice|2026-01-02T03:04:05Z\n", "written as given; actor, method "
	    "and time copied at open");
	free(t);
	is_int(ctp_psv_flush(w, &e), 0, "flush with nothing queued");
	en.source = NULL;
	is_int(ctp_psv_add(w, &en, &e), CTP_SOFTWARE, "no source: refused");
	en.source = "X";
	is_int(ctp_psv_add(w, &en, &e), 0, "a last entry");
	ctp_psv_close(w);
	ctp_db_int(db, "SELECT count(*) FROM psv_log", &n, "t", &e);
	is_int(n, 2, "close without flush drops what is queued");
	ctp_psv_close(NULL);
	sqlite3_close(db);
}

/* The day of the check, a note, the entry corrected: given or not. */
static void
hand_fields(void)
{
	struct ctp_psv_writer *w;
	struct ctp_psv_entry en;
	struct ctp_error e;
	sqlite3 *db = new_db();
	char *t;

	ctp_error_clear(&e);
	is_int(ctp_psv_open(&w, db, "bob", "2026-03-04T23:59:59Z", "phone",
	    &e), 0, "open");
	memset(&en, 0, sizeof(en));
	en.provider_id = 1;
	en.source = "Board";
	en.result = "verified";
	ctp_psv_add(w, &en, &e);
	en.verified_on = "2026-03-01";
	en.note = "called";
	en.corrects = 1;
	ctp_psv_add(w, &en, &e);
	is_int(ctp_psv_flush(w, &e), 0, "flush");
	t = rows(db, "SELECT verified_on, note, corrects FROM psv_log "
	    "ORDER BY id");
	is_str(t, "2026-03-04|-|-\n2026-03-01|called|1\n", "no day: the "
	    "day of ts; the rest as given");
	free(t);
	ctp_psv_close(w);
	sqlite3_close(db);
}

/* n entries sealed: their ids and digest, which sqlite3 | sha256sum
 * would give. */
static void
sealed(long long n, long long before)
{
	struct ctp_psv_writer *w;
	struct ctp_psv_entry en;
	struct ctp_psv_seal s;
	struct ctp_error e;
	sqlite3 *db = new_db();
	char hex[CTP_SHA256_HEX], *t, sql[160];
	long long i, k;

	ctp_error_clear(&e);
	ctp_psv_open(&w, db, "root", NULL, "list file", &e);
	memset(&en, 0, sizeof(en));
	en.source = "Earlier";
	en.result = "clear";
	for (i = 0; i < before; i++) {
		en.provider_id = 1000 + i;
		ctp_psv_add(w, &en, &e);
	}
	is_int(ctp_psv_seal_start(w, &e), 0, "seal start");
	for (i = 0; i < n; i++) {
		en.provider_id = i + 1;
		en.source = i % 2 ? "SAM" : "OIG LEIE";
		en.result = i % 7 ? "clear" : "potential_match";
		en.detail = i % 7 ? "{\"run\":1}" :
		    "{\"matches\":[1],\"run\":1}";
		if (ctp_psv_add(w, &en, &e) != 0)
			break;
	}
	ok(i == n, "%lld entries queued, %lld before the seal", n, before);
	is_int(ctp_psv_seal(w, &s, &e), 0, "sealed");
	ctp_db_int(db, "SELECT count(*) FROM psv_log", &k, "t", &e);
	is_int(k, before + n, "all written");
	is_int(s.rows, n, "rows");
	is_int(s.first, n ? before + 1 : 0, "first id");
	is_int(s.last, n ? before + n : 0, "last id");
	snprintf(sql, sizeof(sql), "SELECT provider_id, source, result FROM "
	    "psv_log WHERE id BETWEEN %lld AND %lld ORDER BY id", s.first,
	    s.last);
	t = rows(db, sql);
	ctp_sha256_hex(t, strlen(t), hex);
	is_str(s.sha256, hex, "the digest of the rows as sqlite3 prints them");
	free(t);
	ctp_db_int(db, "SELECT count(*) FROM psv_log WHERE ts GLOB "
	    "'2[0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T*Z'", &k, "t", &e);
	is_int(k, before + n, "no time given: stamped when written");
	is_int(ctp_psv_seal(w, &s, &e), CTP_SOFTWARE, "sealed once only");
	ctp_psv_close(w);
	sqlite3_close(db);
}

static void
broken_seal(void)
{
	struct ctp_psv_writer *w;
	struct ctp_psv_entry en;
	struct ctp_psv_seal s;
	struct ctp_error e;
	sqlite3 *db = new_db();

	ctp_error_clear(&e);
	ctp_psv_open(&w, db, "root", NULL, "list file", &e);
	memset(&en, 0, sizeof(en));
	en.provider_id = 1;
	en.source = "SAM";
	en.result = "clear";
	ctp_psv_seal_start(w, &e);
	ctp_psv_add(w, &en, &e);
	ctp_psv_flush(w, &e);
	sqlite3_exec(db, "INSERT INTO psv_log (provider_id, source, method, "
	    "result, actor, ts) VALUES (2, 'x', 'x', 'x', 'x', 'x')", NULL,
	    NULL, NULL);
	ctp_psv_add(w, &en, &e);
	is_int(ctp_psv_seal(w, &s, &e), CTP_SOFTWARE, "another row among "
	    "the sealed ones: refused");
	ok(strstr(e.what, "not consecutive") != NULL, "says so");
	ctp_psv_close(w);
	ctp_psv_open(&w, db, "root", NULL, "list file", &e);
	is_int(ctp_psv_seal(w, &s, &e), CTP_SOFTWARE, "a seal never started:"
	    " refused");
	ctp_psv_close(w);
	sqlite3_close(db);
}

static void
detail(void)
{
	json_t *d = json_pack("{s:I, s:[I, I], s:s}", "run", (json_int_t)12,
	    "matches", (json_int_t)3, (json_int_t)45, "é", "ü");
	char *t = ctp_psv_detail(d);

	is_str(t, "{\"matches\":[3,45],\"run\":12,\"é\":\"ü\"}",
	    "detail: compact, keys sorted, UTF-8 kept");
	free(t);
	json_decref(d);
}

static void
no_memory(void)
{
	struct ctp_psv_writer *w = (void *)1;
	struct ctp_error e;
	sqlite3 *db = new_db();
	unsigned long i;
	int rc;

	for (i = 1; i <= 3; i++) {
		ctp_mem_fail_after(i);
		rc = ctp_psv_open(&w, db, "root", NULL, "x", &e);
		ctp_mem_fail_after(0);
		ok(rc == CTP_SOFTWARE && w == NULL, "allocation %lu fails: "
		    "open fails and gives no writer", i);
	}
	sqlite3_close(db);
}

int
main(void)
{
	entries();
	hand_fields();
	sealed(0, 0);
	sealed(1, 0);
	sealed(64, 3);
	sealed(200, 65);
	broken_seal();
	detail();
	no_memory();
	return done_testing();
}
