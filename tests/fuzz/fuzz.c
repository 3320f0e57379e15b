/* What the fuzz entry points share (fuzz.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "auth.h"
#include "db.h"
#include "screen.h"
#include "fuzz.h"
#include "import.h"
#include "input.h"

static char dir[256];

/* Remove the scratch directory and what is in it (one level). */
static void
cleanup(void)
{
	char path[512];
	struct dirent *de;
	DIR *d;

	if (dir[0] == '\0' || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

const char *
fuzz_dir(void)
{
	const char *t = getenv("TMPDIR");

	if (dir[0] != '\0')
		return dir;
	/* Memory beats a disk for a file written thousands of times. */
	if (t == NULL || *t == '\0')
		t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof(dir), "%s/ctp-fuzz.XXXXXX", t);
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		abort();
	}
	atexit(cleanup);
	return dir;
}

const char *
fuzz_file(const char *name, const void *data, size_t size)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	if ((f = fopen(path, "wb")) == NULL)
		return NULL;
	if (size > 0 && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return NULL;
	}
	if (fclose(f) != 0)
		return NULL;
	return path;
}

char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

const char *
fuzz_nppes_header(size_t *len)
{
	static const struct {
		int col;
		const char *name;
	} named[] = {
		{ 1, "NPI" },
		{ 2, "Entity Type Code" },
		{ 5, "Provider Organization Name (Legal Business Name)" },
		{ 6, "Provider Last Name (Legal Name)" },
		{ 7, "Provider First Name" },
		{ 8, "Provider Middle Name" },
		{ 11, "Provider Credential Text" },
		{ 29, "Provider First Line Business Practice Location Address" },
		{ 30, "Provider Second Line Business Practice Location "
		    "Address" },
		{ 31, "Provider Business Practice Location Address City Name" },
		{ 32, "Provider Business Practice Location Address State "
		    "Name" },
		{ 33, "Provider Business Practice Location Address Postal "
		    "Code" },
		{ 35, "Provider Business Practice Location Address Telephone "
		    "Number" },
		{ 37, "Provider Enumeration Date" },
		{ 38, "Last Update Date" },
		{ 40, "NPI Deactivation Date" },
		{ 41, "NPI Reactivation Date" },
	};
	static const char *const tax[4] = {
		"Healthcare Provider Taxonomy Code_%d",
		"Provider License Number_%d",
		"Provider License Number State Code_%d",
		"Healthcare Provider Primary Taxonomy Switch_%d",
	};
	static char hdr[16384];
	static size_t n;
	char name[128];
	size_t i;
	int col;

	for (col = 1; n == 0 && col <= 330; col++) {
		snprintf(name, sizeof(name), "Column %d", col);
		for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
			if (named[i].col == col)
				snprintf(name, sizeof(name), "%s",
				    named[i].name);
		if (col >= 48 && col < 48 + 60)
			snprintf(name, sizeof(name), tax[(col - 48) % 4],
			    (col - 48) / 4 + 1);
		i = strlen(hdr);
		snprintf(hdr + i, sizeof(hdr) - i, "%s\"%s\"",
		    col > 1 ? "," : "", name);
	}
	if (n == 0) {
		n = strlen(hdr);
		memcpy(hdr + n, "\r\n", 3);
		n += 2;
	}
	*len = n;
	return hdr;
}

void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: %s\n", file, line, what);
	abort();
}

/*
 * The organization every loader and import starts from: its caller as
 * owner, and providers whose names, birth dates, states and NPIs appear
 * in the list fixtures, so that a fuzzed list entry is matched against
 * somebody.
 */
static const char roster_sql[] =
    "INSERT INTO providers (npi, first_name, last_name, dob, provider_type,"
    " practice_state, taxonomy, status, created_at, updated_at) VALUES"
    " ('1003000126','Ann','Lee','1970-01-01','MD','TX','207R00000X',"
    "  'active','x','x'),"
    " ('1851713903','Michael','Eliasof',NULL,'MD','NJ',NULL,'active',"
    "  'x','x'),"
    " ('1972902351','Ima','Clear','1990-01-01','NP','WA','363L00000X',"
    "  'active','x','x'),"
    " ('1073014460','Joette','Darby','1961-02-03','NP','MI','106S00000X',"
    "  'active','x','x'),"
    " ('1000009401','Ann','Lee','1980-05-06','NP','IL','363L00000X',"
    "  'inactive','x','x');"
    "INSERT INTO credentials (provider_id, kind, number, state, expires,"
    " verification, created_at, updated_at) SELECT id, 'state_license',"
    " 'L' || id, practice_state, '2030-01-01', 'unverified', 'x', 'x'"
    " FROM providers;";

/* The lists in force in the template: a few rows of the fixtures. */
static const char leie_csv[] =
    "LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,"
    "ADDRESS,CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,"
    "WVRSTATE\r\n"
    "\"LEE\",\"ANN\",\"\",\"\",\"G\",\"S\",\"\",\"0000000000\","
    "\"19700101\",\"A\",\"C\",\"TX\",\"1\",\"1128b4\",\"20200101\","
    "\"00000000\",\"00000000\",\"\"\r\n"
    "\"\",\"\",\"\",\"101 FIRST CARE PHARMACY INC\",\"OTHER BUSINESS\","
    "\"PHARMACY\",\"\",\"1972902351\",\"\",\"C/O 609 W 191ST STREET\","
    "\"NEW YORK\",\"NY\",\"10040\",\"1128b8\",\"20220320\",\"00000000\","
    "\"00000000\",\"\"\r\n";
static const char sam_csv[] =
    "\"Classification\",\"Name\",\"Prefix\",\"First\",\"Middle\",\"Last\","
    "\"Suffix\",\"Address 1\",\"Address 2\",\"Address 3\",\"Address 4\","
    "\"City\",\"State / Province\",\"Country\",\"Zip Code\","
    "\"D&B Open Data Flag\",\"Unique Entity Identifier (DUNS)\","
    "\"Unique Entity Identifier (SAM)\",\"Exclusion Program\","
    "\"Excluding Agency\",\"CT Code\",\"Exclusion Type\","
    "\"Additional Comments\",\"Active Date\",\"Termination Date\","
    "\"Record Status\",\"Cross-Reference\",\"SAM Number\",\"CAGE\",\"NPI\","
    "\"Creation_Date\"\r\n"
    "\"Individual\",\"\",\"\",\"MICHAEL\",\"G.\",\"ELIASOF\",\"\",\"\","
    "\"\",\"\",\"\",\"RINGWOOD\",\"NJ\",\"USA\",\"07456\",\"N\",\"\","
    "\"XR1PQR1PP1Q5\",\"Reciprocal\",\"HUD\",\"S\","
    "\"Ineligible (Proceedings Pending)\",\"\",\"09/09/2008\","
    "\"Indefinite\",\"\",\"\",\"S4MR3PTJW\",\"\",\"\",\"2008-07-31\"\r\n";

static int
copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out, rc = 0;

	if ((in = open(from, O_RDONLY)) < 0)
		return -1;
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = -1;
			break;
		}
	if (n < 0)
		rc = -1;
	close(in);
	if (close(out) != 0)
		rc = -1;
	return rc;
}

/* The template organization, made once: 0 or -1. */
static int
make_template(const char *path)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	sqlite3 *db;
	sqlite3_stmt *st;
	const char *p;
	char *user = NULL;
	int rc = -1;

	ctp_error_clear(&e);
	if (ctp_db_create(&db, path, &e) != 0) {
		fprintf(stderr, "fuzz: %s: %s\n", e.where, e.what);
		return -1;
	}
	if (ctp_identity(&user, &e) == 0 &&
	    sqlite3_prepare_v2(db, "INSERT INTO users (name, role, status, "
	    "added_at, updated_at) VALUES (?1, 'owner', 'active', 'x', 'x')",
	    -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_DONE &&
		    sqlite3_exec(db, roster_sql, NULL, NULL, NULL) == SQLITE_OK)
			rc = 0;
		else
			fprintf(stderr, "fuzz: template: %s\n",
			    sqlite3_errmsg(db));
		sqlite3_finalize(st);
	}
	free(user);
	if (rc != 0) {
		ctp_db_close(db);
		return rc;
	}
	rc = ctp_ctx_wrap(&c, "fuzz", path, db, &e) ||
	    (p = fuzz_file("leie-base.csv", leie_csv, sizeof(leie_csv) - 1))
	    == NULL || fuzz_load(c, CTP_LIST_LEIE, p, NULL, NULL) != 0 ||
	    (p = fuzz_file("sam-base.csv", sam_csv, sizeof(sam_csv) - 1))
	    == NULL || fuzz_load(c, CTP_LIST_SAM, p, NULL, NULL) != 0 ? -1 : 0;
	if (rc != 0)
		fprintf(stderr, "fuzz: template: lists: %s\n", e.what);
	ctp_ctx_close(c);
	return rc;
}

struct ctp_ctx *
fuzz_org(void)
{
	static int made;
	char tmpl[512], path[512], side[560];
	struct ctp_error e;
	struct ctp_ctx *c;
	sqlite3 *db;

	snprintf(tmpl, sizeof(tmpl), "%s/template.db", fuzz_dir());
	snprintf(path, sizeof(path), "%s/org.db", fuzz_dir());
	if (!made) {
		if (make_template(tmpl) != 0)
			abort();
		made = 1;
	}
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-journal", path);
	unlink(side);
	if (copy_file(tmpl, path) != 0)
		return NULL;
	ctp_error_clear(&e);
	if (ctp_db_open(&db, path, &e) != 0)
		return NULL;
	if (ctp_ctx_wrap(&c, "fuzz", path, db, &e) != 0)
		return NULL;
	/* A scratch file needs no fsync: thousands of runs a minute. */
	sqlite3_exec(c->db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	return c;
}

void
fuzz_org_close(struct ctp_ctx *c)
{
	ctp_ctx_close(c);
}

/* The first column of the first row of sql, as text (static), or "". */
static const char *
one_text(sqlite3 *db, const char *sql)
{
	static char v[256];
	sqlite3_stmt *st;

	v[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fuzz_fail(__FILE__, __LINE__, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(v, sizeof(v), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

void
fuzz_org_check(struct ctp_ctx *c)
{
	struct ctp_audit_check r;
	struct ctp_error e;

	fuzz_assert(strcmp(one_text(c->db, "PRAGMA integrity_check"),
	    "ok") == 0, "integrity_check");
	fuzz_assert(one_text(c->db, "PRAGMA foreign_key_check")[0] == '\0',
	    "foreign_key_check");
	memset(&r, 0, sizeof(r));
	fuzz_assert(ctp_audit_verify(c->db, &r, &e) == 0 && r.first_bad == 0,
	    "the audit chain does not verify");
}

/* The rows of the screening tables, as one string (static). */
static const char *
screen_state(sqlite3 *db)
{
	static char v[256];

	snprintf(v, sizeof(v), "%s", one_text(db, "SELECT (SELECT count(*) "
	    "FROM screen_lists) || ' ' || (SELECT count(*) FROM screen_lists "
	    "WHERE active = 1) || ' ' || (SELECT count(*) FROM "
	    "screen_entries) || ' ' || (SELECT count(*) FROM screen_names) ||"
	    " ' ' || (SELECT count(*) FROM screen_reinstatements) || ' ' || "
	    "(SELECT total(length(rein_date)) FROM screen_entries)"));
	return v;
}

int
fuzz_load(struct ctp_ctx *c, enum ctp_list_kind kind, const char *path,
    const char *list, const char *map)
{
	struct ctp_load l;
	struct ctp_error e;
	char before[256];
	int rc;

	snprintf(before, sizeof(before), "%s", screen_state(c->db));
	memset(&l, 0, sizeof(l));
	l.kind = kind;
	l.path = path;
	l.list = list;
	l.map = map;
	l.force = 1;
	ctp_error_clear(&e);
	rc = ctp_screen_load(c, &l, &e);
	fuzz_assert(rc == 0 || rc == CTP_DATAERR, "load: another code");
	if (rc != 0) {
		fuzz_assert(e.what[0] != '\0', "load: an error without a "
		    "message");
		fuzz_assert(strcmp(before, screen_state(c->db)) == 0,
		    "load: a refused file changed the lists");
	} else
		fuzz_assert(l.version_id > 0, "load: no version");
	return rc;
}

void
fuzz_screen(struct ctp_ctx *c)
{
	static FILE *devnull;
	struct ctp_screen_result r;
	struct ctp_error e;
	struct ctp_out *o;
	int rc;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		return;
	if ((o = ctp_out_new(devnull, CTP_FMT_CSV, ctp_screen_match_columns,
	    CTP_SCREEN_MATCH_NCOLUMNS, 0)) == NULL)
		return;
	ctp_error_clear(&e);
	rc = ctp_screen_run(c, NULL, 0, 20605, o, &r, &e);
	fuzz_assert(rc == 0 || rc == CTP_ATTN, "screen run: another code");
	fuzz_assert(r.providers == r.clear + r.potential + r.insufficient,
	    "screen run: counts do not add up");
	fuzz_assert(ctp_out_close(o, &e) == 0, "screen run: output");
}

void
fuzz_list(const uint8_t *data, size_t size, const char *file,
    const enum ctp_list_kind *kinds, size_t n, const char *list,
    const char *map)
{
	struct ctp_ctx *c;
	const char *path;
	size_t i;

	if ((c = fuzz_org()) == NULL)
		return;
	if ((path = fuzz_file(file, data, size)) != NULL) {
		for (i = 0; i < n; i++)
			fuzz_load(c, kinds[i], path, list, map);
		fuzz_screen(c);
		fuzz_org_check(c);
	}
	fuzz_org_close(c);
}

int
fuzz_import(struct ctp_ctx *c, const char *path, const char *map,
    int dry_run, struct ctp_import_stats *s)
{
	static FILE *devnull;
	struct ctp_import_opts o;
	struct ctp_error e;
	int rc;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	memset(&o, 0, sizeof(o));
	o.path = path;
	o.enc = CTP_ENC_AUTO;
	o.partial = 1;
	o.dry_run = dry_run;
	o.map = map;
	o.as_of = 20605;	/* 2026-06-01 */
	o.msg = devnull;
	ctp_error_clear(&e);
	rc = ctp_import(c, &o, s, &e);
	fuzz_assert(rc == 0 || rc == 1 || rc == 65, "import: another code");
	fuzz_assert(rc == 0 || rc == 1 || e.what[0] != '\0',
	    "import: an error without a message");
	return rc;
}

int
fuzz_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

size_t
fuzz_line_npis(const uint8_t *d, size_t n, uint64_t *set, size_t max)
{
	size_t i, k, ns = 0;
	uint64_t v;

	for (i = 0; i + 13 <= n && ns < max; i++) {
		if ((i > 0 && d[i - 1] != '\n') || d[i] != '"' ||
		    d[i + 11] != '"' || d[i + 12] != ',')
			continue;
		for (k = 1, v = 0; k <= 10 && isdigit(d[i + k]); k++)
			v = v * 10 + (uint64_t)(d[i + k] - '0');
		if (k == 11)
			set[ns++] = v;
	}
	qsort(set, ns, sizeof(*set), fuzz_cmp_u64);
	return ns;
}
