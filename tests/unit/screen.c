/* screen: loading lists and screening, against a scratch database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "db.h"
#include "screen.h"
#include "tap.h"

static char dir[64];

static const char *
put(const char *name, const char *text)
{
	static char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static long long
q(struct ctp_ctx *c, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

#define LEIE_HDR "LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN," \
	"NPI,DOB,ADDRESS,CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE," \
	"WVRSTATE\r\n"
#define SAM_HDR "\"Classification\",\"Name\",\"Prefix\",\"First\"," \
	"\"Middle\",\"Last\",\"Suffix\",\"Address 1\",\"Address 2\"," \
	"\"Address 3\",\"Address 4\",\"City\",\"State / Province\"," \
	"\"Country\",\"Zip Code\",\"Open Data Flag\",\"Blank (Deprecated)\"," \
	"\"Unique Entity ID\",\"Exclusion Program\",\"Excluding Agency\"," \
	"\"CT Code\",\"Exclusion Type\",\"Additional Comments\"," \
	"\"Active Date\",\"Termination Date\",\"Record Status\"," \
	"\"Cross-Reference\",\"SAM Number\",\"CAGE\",\"NPI\"," \
	"\"Creation_Date\"\r\n"

static int
load(struct ctp_ctx *c, enum ctp_list_kind k, const char *path, int force,
    struct ctp_error *e)
{
	struct ctp_load l;

	memset(&l, 0, sizeof(l));
	l.kind = k;
	l.path = path;
	l.force = force;
	ctp_error_clear(e);
	return ctp_screen_load(c, &l, e);
}

int
main(void)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_screen_result r;
	sqlite3 *db;
	char path[128];
	long asof = 20605;	/* 2026-06-01 */
	const char *p;

	snprintf(dir, sizeof(dir), "/tmp/ctp-unit-excl.%ld", (long)getpid());
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/org.db", dir);
	setenv("CTP_USER", "tester", 1);
	ctp_error_clear(&e);
	ok(ctp_db_create(&db, path, &e) == 0, "create database");
	ok(ctp_ctx_wrap(&c, "unit", path, db, &e) == 0, "wrap");
	sqlite3_exec(c->db, "INSERT INTO users (name, role, status, added_at,"
	    " updated_at) VALUES ('tester','owner','active','x','x');"
	    "INSERT INTO providers (npi, first_name, last_name, dob, "
	    "provider_type, practice_state, created_at, updated_at) VALUES "
	    "('1003000126','Ann','Lee','1970-01-01','MD','TX','x','x'),"
	    "('1851713903','Bo','Kim',NULL,'MD','NY','x','x')",
	    NULL, NULL, NULL);

	is_int(ctp_screen_run(c, NULL, 0, asof, NULL, &r, &e), CTP_NOINPUT,
	    "no list: CTP_NOINPUT");

	p = put("leie.csv", LEIE_HDR
	    "\"LEE\",\"ANN\",\"\",\"\",\"G\",\"S\",\"\",\"0000000000\","
	    "\"19700101\",\"A\",\"C\",\"TX\",\"1\",\"1128b4\",\"20200101\","
	    "\"00000000\",\"00000000\",\"\"\r\n"
	    "\"LEE\",\"ANN\",\"\",\"\",\"G\",\"S\",\"\",\"0000000000\","
	    "\"19820101\",\"A\",\"C\",\"TX\",\"1\",\"1128b4\",\"20200101\","
	    "\"00000000\",\"00000000\",\"\"\r\n");
	is_int(load(c, CTP_LIST_LEIE, p, 0, &e), 0, "LEIE loads");
	is_int(q(c, "SELECT count(*) FROM screen_entries"), 2, "two entries");
	is_int(q(c, "SELECT count(*) FROM screen_names"), 2, "name keys");

	p = put("leie-bad-date.csv", LEIE_HDR
	    "\"LEE\",\"ANN\",\"\",\"\",\"G\",\"S\",\"\",\"0000000000\","
	    "\"19701301\",\"A\",\"C\",\"TX\",\"1\",\"1128b4\",\"20200101\","
	    "\"00000000\",\"00000000\",\"\"\r\n");
	is_int(load(c, CTP_LIST_LEIE, p, 0, &e), CTP_DATAERR,
	    "impossible DOB: CTP_DATAERR");
	ok(strstr(e.where, "leie-bad-date.csv:2") != NULL, "names file:line");
	ok(strstr(e.what, "date of birth") != NULL, "names the field");
	is_int(q(c, "SELECT count(*) FROM screen_entries"), 2,
	    "entries unchanged");

	p = put("leie-short.csv", LEIE_HDR
	    "\"LEE\",\"ANN\",\"\"\r\n");
	is_int(load(c, CTP_LIST_LEIE, p, 0, &e), CTP_DATAERR,
	    "short row: CTP_DATAERR");
	ok(strstr(e.what, "3 fields where the header has 18") != NULL,
	    "says how many fields");

	/* SAM: strict parse, then the lenient split for doubled quotes. */
	p = put("sam.csv", SAM_HDR
	    "\"Individual\",\"\",\"\",\"BO\",\"\",\"KIM\",\"\",\"\",\"\",\"\","
	    "\"\",\"C\",\"NY\",\"USA\",\"1\",\"\",\"\",\"\",\"Reciprocal\","
	    "\"HHS\",\"\",\"Prohibition/Restriction\",\"\"The contractor, "
	    "\"\"Effect,\"\" above.\"\",\"01/01/2020\",\"Indefinite\",\"\","
	    "\"\",\"S1\",\"\",\"\",\"2020-01-01\"\r\n"
	    "\"Individual\",\"\",\"\",\"BO\",\"\",\"KIM\",\"\",\"\",\"\",\"\","
	    "\"\",\"C\",\"NY\",\"USA\",\"1\",\"\",\"\",\"\",\"Reciprocal\","
	    "\"HHS\",\"\",\"Prohibition/Restriction\",\"\",\"07/01/2026\","
	    "\"Indefinite\",\"\",\"\",\"S2\",\"\",\"\",\"2026-07-01\"\r\n");
	is_int(load(c, CTP_LIST_SAM, p, 0, &e), 0,
	    "SAM with unescaped quotes in comments loads");
	is_int(q(c, "SELECT count(*) FROM screen_entries WHERE source='SAM'"),
	    2, "both SAM rows");

	p = put("sam-bad.csv", SAM_HDR
	    "\"Individual\",\"\",\"x\"y\",\"\"\r\n");
	is_int(load(c, CTP_LIST_SAM, p, 1, &e), CTP_DATAERR,
	    "SAM row that no leniency saves: CTP_DATAERR");

	p = put("sam-hdr.csv", "\"Classification\",\"Name\"\r\n\"Firm\",\"X\"\r\n");
	is_int(load(c, CTP_LIST_SAM, p, 1, &e), CTP_DATAERR,
	    "SAM header without the needed columns");
	ok(strstr(e.what, "not a SAM exclusions extract") != NULL, "says so");

	ctp_error_clear(&e);
	is_int(ctp_screen_run(c, NULL, 0, asof, NULL, &r, &e), 0, "run");
	is_int(r.providers, 2, "2 providers");
	is_int(r.potential, 2, "2 with a potential match");
	is_int(q(c, "SELECT count(*) FROM screen_matches WHERE "
	    "source='OIG LEIE'"), 1, "same name, other DOB: one LEIE match");
	is_int(q(c, "SELECT count(*) FROM screen_matches WHERE source='SAM'"),
	    1, "SAM: Bo Kim by name and state");
	is_int(q(c, "SELECT count(*) FROM screen_matches m JOIN providers p "
	    "ON p.id = m.provider_id WHERE p.npi='1851713903' AND "
	    "m.source='SAM'"), 1,
	    "SAM record active from 2026-07-01 is not a match on 2026-06-01");
	is_int(r.new_matches, 2, "two new matches");
	is_int(q(c, "SELECT count(*) FROM psv_log"), 4, "PSV: 2 x 2");

	ctp_error_clear(&e);
	is_int(ctp_screen_review(c, 1, 0, "", &e), CTP_USAGE,
	    "review needs a note");
	is_int(ctp_screen_review(c, 1, 0, "not her", &e), 0, "clear match 1");
	ctp_error_clear(&e);
	is_int(ctp_screen_run(c, NULL, 0, asof, NULL, &r, &e), 0, "run again");
	is_int(r.new_matches, 0, "nothing new");
	is_int(r.pending, 1, "one still pending");
	is_int(ctp_screen_run(c, NULL, 0, 20680, NULL, &r, &e), 0,
	    "run as of 2026-08-15");
	is_int(r.new_matches, 1, "the SAM record active since July matches");

	/* Older LEIE files are Latin-1: PE\xd1A is PEÑA, which matches Peña. */
	sqlite3_exec(c->db, "INSERT INTO providers (npi, first_name, "
	    "last_name, dob, provider_type, practice_state, created_at, "
	    "updated_at) VALUES ('1770626038','Jos\xc3\xa9','Pe\xc3\xb1" "a',"
	    "'1966-06-06','MD','IL','x','x')", NULL, NULL, NULL);
	p = put("leie-latin1.csv", LEIE_HDR
	    "\"PE\xd1" "A\",\"JOSE\",\"\",\"\",\"G\",\"S\",\"\",\"0000000000\","
	    "\"19660606\",\"A\",\"C\",\"IL\",\"1\",\"1128b4\",\"20200101\","
	    "\"00000000\",\"00000000\",\"\"\r\n");
	is_int(load(c, CTP_LIST_LEIE, p, 1, &e), 0, "Latin-1 LEIE loads");
	is_int(q(c, "SELECT count(*) FROM screen_entries WHERE "
	    "last_name = 'PE\xc3\x91" "A'"), 1, "stored as UTF-8");
	{
		const char *one[] = { "1770626038" };

		ctp_error_clear(&e);
		is_int(ctp_screen_run(c, one, 1, asof, NULL, &r, &e), 0,
		    "run one provider");
		is_int(r.providers, 1, "one provider screened");
		is_int(r.potential, 1, "Latin-1 PENA (N tilde) matches the roster's UTF-8 name");
	}

	ctp_ctx_close(c);
	ctp_db_remove(path);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		return 1;
	return done_testing();
}
