/*
 * board.c - a state board's license roster loaded from its CSV
 * (ctp_board_load, board.h): the columns found by header or map, each
 * row checked, the roster of the same name replaced, all in one
 * transaction.  Reading rosters is in board_read.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

#include "audit.h"
#include "board.h"
#include "board_check.h"
#include "buf.h"
#include "date.h"
#include "db.h"
#include "import.h"
#include "input.h"
#include "mem.h"
#include "validate.h"

enum {
	B_NUMBER, B_LAST, B_FIRST, B_MIDDLE, B_NAME, B_TYPE, B_STATUS,
	B_ISSUED, B_EXPIRES, B_NF
};

/* The map's keys, in the order of the fields. */
static const char *const keys[B_NF] = {
	"number", "last_name", "first_name", "middle_name", "name",
	"license_type", "status", "issued", "expires"
};

/*
 * Headers that mean a field, compared with case and every character but
 * letters and digits ignored ("LICENSE_NO" is "License No.").  The
 * roster's own names (ctp_import_canonical: license_number, last_name,
 * first_name, middle_name, license_expires, status) are known too.
 */
static const struct {
	int f;
	const char *h;
} headers[] = {
	{ B_NUMBER, "number" }, { B_NUMBER, "license number" },
	{ B_NUMBER, "license no" }, { B_NUMBER, "license #" },
	{ B_NUMBER, "lic no" }, { B_NUMBER, "lic number" },
	{ B_NUMBER, "lic #" }, { B_NUMBER, "license nbr" },
	{ B_NUMBER, "lic nbr" }, { B_NUMBER, "license num" },
	{ B_LAST, "licensee last name" }, { B_FIRST, "licensee first name" },
	{ B_MIDDLE, "licensee middle name" },
	{ B_NAME, "name" }, { B_NAME, "full name" },
	{ B_NAME, "licensee name" }, { B_NAME, "licensee" },
	{ B_TYPE, "license type" }, { B_TYPE, "lic type" },
	{ B_TYPE, "type" },
	{ B_STATUS, "license status" }, { B_STATUS, "lic status" },
	{ B_STATUS, "status" },
	{ B_ISSUED, "issued" }, { B_ISSUED, "issue date" },
	{ B_ISSUED, "original issue date" }, { B_ISSUED, "license issue date" },
	{ B_ISSUED, "date issued" },
	{ B_EXPIRES, "expires" }, { B_EXPIRES, "expiration date" },
	{ B_EXPIRES, "expiration" }, { B_EXPIRES, "exp date" },
	{ B_EXPIRES, "expire date" }, { B_EXPIRES, "license expiration date" },
	{ B_EXPIRES, "date of expiration" },
};

static const struct {
	int f;
	const char *canon;
} canonical[] = {
	{ B_NUMBER, "license_number" }, { B_LAST, "last_name" },
	{ B_FIRST, "first_name" }, { B_MIDDLE, "middle_name" },
	{ B_EXPIRES, "license_expires" }, { B_STATUS, "status" },
};

/* Longest value stored per field, in bytes. */
static const size_t maxlen[B_NF] = { 40, 100, 100, 100, 200, 100, 60,
    40, 40 };

/* a and b the same but for case and what is not a letter or digit. */
static int
same_header(const char *a, const char *b)
{
	for (;;) {
		while (*a && !isalnum((unsigned char)*a) && *a != '#')
			a++;
		while (*b && !isalnum((unsigned char)*b) && *b != '#')
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
}

/* The field a header means, or -1. */
static int
header_field(const char *h)
{
	const char *cn;
	size_t i;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		if (same_header(h, headers[i].h))
			return headers[i].f;
	if ((cn = ctp_import_canonical(h)) != NULL)
		for (i = 0; i < sizeof(canonical) / sizeof(canonical[0]); i++)
			if (strcmp(cn, canonical[i].canon) == 0)
				return canonical[i].f;
	return -1;
}

struct bload {
	struct ctp_ctx *c;
	struct ctp_board_load *l;
	struct ctp_error *e;
	char *mapcol[B_NF];	/* column named by the map, or NULL */
	int col[B_NF];		/* input column of each field, or -1 */
	struct ctp_input *in;
	sqlite3_stmt *ins;
	char state[3];
};

/* One "key = Column" (or "key=Column") of the map into b. */
static int
map_item(struct bload *b, char *item, const char *where)
{
	char *eq, *k, *v, *end;
	size_t i;

	k = item + strspn(item, " \t");
	if (*k == '\0' || *k == '#')
		return 0;
	if ((eq = strchr(k, '=')) == NULL)
		return ctp_errf(b->e, CTP_USAGE, where, "map: expected "
		    "KEY=COLUMN");
	v = eq + 1;
	for (end = eq; end > k && (end[-1] == ' ' || end[-1] == '\t'); end--)
		;
	*end = '\0';
	v += strspn(v, " \t");
	v[strcspn(v, "\r\n")] = '\0';
	for (end = v + strlen(v); end > v && (end[-1] == ' ' ||
	    end[-1] == '\t'); end--)
		end[-1] = '\0';
	for (i = 0; i < B_NF; i++)
		if (strcmp(k, keys[i]) == 0)
			break;
	if (i == B_NF)
		return ctp_errf(b->e, CTP_USAGE, where, "map: unknown key "
		    "\"%s\" (use number, last_name, first_name, middle_name, "
		    "name, license_type, status, issued, expires)", k);
	if (*v == '\0')
		return ctp_errf(b->e, CTP_USAGE, where, "map: %s: no column "
		    "named", k);
	free(b->mapcol[i]);
	if ((b->mapcol[i] = ctp_strdup(v)) == NULL)
		return ctp_err_nomem(b->e, where);
	return 0;
}

/* The map: inline items when it holds '=', else a file of lines. */
static int
read_map(struct bload *b, const char *map)
{
	char *s, *item, *sp, *line = NULL, where[300];
	size_t cap = 0, lineno = 0;
	FILE *f;
	int rc = 0;

	if (map == NULL)
		return 0;
	if (strchr(map, '=') != NULL) {
		if ((s = ctp_strdup(map)) == NULL)
			return ctp_err_nomem(b->e, "--map");
		for (item = strtok_r(s, ",", &sp); item && rc == 0;
		    item = strtok_r(NULL, ",", &sp))
			rc = map_item(b, item, "--map");
		free(s);
		return rc;
	}
	if ((f = fopen(map, "r")) == NULL)
		return ctp_errf(b->e, errno == ENOENT ? CTP_NOINPUT :
		    CTP_IOERR, map, "%s", strerror(errno));
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		snprintf(where, sizeof(where), "%s:%zu", map, ++lineno);
		rc = map_item(b, line, where);
		if (rc == CTP_USAGE)	/* a bad file is bad data */
			b->e->code = rc = CTP_DATAERR;
	}
	free(line);
	fclose(f);
	return rc;
}

/* The header seen, quoted, for a message (cut to fit n). */
static void
header_seen(struct ctp_input *in, char *out, size_t n)
{
	size_t i, k = 0, nc = ctp_input_ncols(in);
	int w;

	out[0] = '\0';
	for (i = 0; i < nc && k + 1 < n; i++) {
		w = snprintf(out + k, n - k, "%s\"%s\"", i ? "," : "",
		    ctp_input_colname(in, i));
		if (w < 0 || (size_t)w >= n - k) {
			snprintf(out + (n > 5 ? n - 5 : 0), n > 5 ? 5 : n,
			    " ...");
			return;
		}
		k += (size_t)w;
	}
}

/* Find each field's column; the required ones missing: CTP_DATAERR. */
static int
find_columns(struct bload *b)
{
	struct ctp_buf miss = { 0 };
	char where[300], seen[700];
	size_t i, nc = ctp_input_ncols(b->in);
	int f, rc = 0;

	snprintf(where, sizeof(where), "%s:1", b->l->path);
	for (f = 0; f < B_NF; f++)
		b->col[f] = -1;
	for (f = 0; f < B_NF; f++) {
		if (b->mapcol[f] == NULL)
			continue;
		for (i = 0; i < nc; i++)
			if (strcasecmp(ctp_input_colname(b->in, i),
			    b->mapcol[f]) == 0)
				break;
		if (i < nc)
			b->col[f] = (int)i;
	}
	for (i = 0; i < nc; i++) {
		f = header_field(ctp_input_colname(b->in, i));
		if (f >= 0 && b->col[f] < 0 && b->mapcol[f] == NULL)
			b->col[f] = (int)i;
	}
	for (f = 0; f < B_NF; f++) {
		int need = f == B_NUMBER || f == B_STATUS || f == B_EXPIRES ||
		    ((f == B_LAST || f == B_FIRST) && b->col[B_NAME] < 0) ||
		    (f == B_NAME && b->mapcol[f]);

		if (b->col[f] >= 0 || !(need || b->mapcol[f]))
			continue;
		if (miss.len)
			ctp_buf_puts(&miss, ", ");
		if (b->mapcol[f])
			ctp_buf_printf(&miss, "%s (mapped to \"%s\")", keys[f],
			    b->mapcol[f]);
		else if (f == B_FIRST && b->col[B_LAST] < 0)
			ctp_buf_puts(&miss, "first_name (or name)");
		else
			ctp_buf_puts(&miss, keys[f]);
	}
	if (miss.len) {
		header_seen(b->in, seen, sizeof(seen));
		rc = ctp_errf(b->e, CTP_DATAERR, where, "required columns "
		    "missing: %s; the header is %s (name the columns with "
		    "--map): nothing loaded", miss.s ? miss.s : "", seen);
	}
	ctp_buf_free(&miss);
	return rc;
}

static int
row_bad(struct bload *b, const char *field, const char *why)
{
	char where[300];

	snprintf(where, sizeof(where), "%s:%zu", b->l->path,
	    ctp_input_line(b->in));
	return ctp_errf(b->e, CTP_DATAERR, where, "%s: %s", field, why);
}

/* A whole name into last and first: "LAST, FIRST M" or "FIRST M LAST". */
static void
split_name(const char *name, char *last, char *first, size_t n)
{
	const char *comma = strchr(name, ','), *sp;
	size_t k;

	last[0] = first[0] = '\0';
	if (comma) {
		k = (size_t)(comma - name);
		snprintf(last, n, "%.*s", (int)(k < n ? k : n - 1), name);
		name = comma + 1;
		name += strspn(name, " ");
		k = strcspn(name, " ");
		snprintf(first, n, "%.*s", (int)(k < n ? k : n - 1), name);
		return;
	}
	name += strspn(name, " ");
	k = strcspn(name, " ");
	snprintf(first, n, "%.*s", (int)(k < n ? k : n - 1), name);
	if ((sp = strrchr(name, ' ')) != NULL && sp[1])
		snprintf(last, n, "%s", sp + 1);
	else {
		snprintf(last, n, "%s", first);
		first[0] = '\0';
	}
}

/* A date field to YYYY-MM-DD ("" when empty); -1 when not a date. */
static int
row_date(const char *s, int expiry, char out[CTP_DATE_LEN])
{
	long day;

	out[0] = '\0';
	if (*s == '\0')
		return 0;
	if ((expiry ? ctp_date_parse_expiry(s, &day) :
	    ctp_date_parse(s, &day)) != 0)
		return -1;
	ctp_date_format(day, out);
	return 0;
}

/* One row of the file, checked, into board_licenses. */
static int
store_row(struct bload *b, long long roster)
{
	const char *v[B_NF], *why;
	char last[128], first[128], key[64], iss[CTP_DATE_LEN],
	    exp[CTP_DATE_LEN];
	sqlite3_stmt *st = b->ins;
	int f;

	if ((why = ctp_input_record_error(b->in)) != NULL)
		return row_bad(b, "text", why);
	/* A short row is most likely a download cut short. */
	if (ctp_input_nfields(b->in) != ctp_input_ncols(b->in)) {
		char n[80];

		snprintf(n, sizeof(n), "%zu where the header has %zu",
		    ctp_input_nfields(b->in), ctp_input_ncols(b->in));
		return row_bad(b, "fields", n);
	}
	for (f = 0; f < B_NF; f++) {
		v[f] = b->col[f] >= 0 ? ctp_input_value(b->in,
		    (size_t)b->col[f]) : NULL;
		if (v[f] == NULL)
			v[f] = "";
		if ((why = ctp_check_text(v[f], maxlen[f])) != NULL)
			return row_bad(b, keys[f], why);
	}
	if (*v[B_NUMBER] == '\0')
		return row_bad(b, keys[B_NUMBER], "empty");
	snprintf(last, sizeof(last), "%s", v[B_LAST]);
	snprintf(first, sizeof(first), "%s", v[B_FIRST]);
	if (*last == '\0' && *v[B_NAME])
		split_name(v[B_NAME], last, first, sizeof(last));
	if (*last == '\0')
		return row_bad(b, b->col[B_LAST] >= 0 ? keys[B_LAST] :
		    keys[B_NAME], "empty");
	if (row_date(v[B_ISSUED], 0, iss) < 0)
		return row_bad(b, keys[B_ISSUED], "not a date");
	if (row_date(v[B_EXPIRES], 1, exp) < 0)
		return row_bad(b, keys[B_EXPIRES], "not a date");
	ctp_board_number_key(v[B_NUMBER], key, sizeof(key));
	sqlite3_bind_int64(st, 1, roster);
	ctp_bind_text(st, 2, v[B_NUMBER]);
	ctp_bind_text(st, 3, key);
	ctp_bind_text(st, 4, last);
	ctp_bind_text_or_null(st, 5, first);
	ctp_bind_text_or_null(st, 6, v[B_MIDDLE]);
	ctp_bind_text_or_null(st, 7, v[B_TYPE]);
	ctp_bind_text_or_null(st, 8, v[B_STATUS]);
	ctp_bind_text_or_null(st, 9, iss);
	ctp_bind_text_or_null(st, 10, exp);
	sqlite3_bind_int64(st, 11, (long long)ctp_input_line(b->in));
	return ctp_db_step_done(st, b->l->path, b->e);
}

/* The roster in force of this name retired, its rows deleted. */
static int
retire(struct bload *b, long long *old_rows)
{
	sqlite3 *db = b->c->db;
	sqlite3_stmt *st;
	long long id = 0;
	int rc;

	*old_rows = 0;
	if (ctp_db_prepare(db, &st, "SELECT id, rows FROM board_rosters "
	    "WHERE name = ?1 AND active = 1", b->e))
		return b->e->code;
	ctp_bind_text(st, 1, b->l->name);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		*old_rows = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "board rosters", b->e);
	if (id == 0)
		return 0;
	if (ctp_db_prepare(db, &st, "DELETE FROM board_licenses WHERE "
	    "roster_id = ?1", b->e))
		return b->e->code;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = ctp_db_step_done(st, "board licenses", b->e)) != 0) {
		sqlite3_finalize(st);
		return rc;
	}
	sqlite3_finalize(st);
	if (ctp_db_prepare(db, &st, "UPDATE board_rosters SET active = 0 "
	    "WHERE id = ?1", b->e))
		return b->e->code;
	sqlite3_bind_int64(st, 1, id);
	rc = ctp_db_step_done(st, "board rosters", b->e);
	sqlite3_finalize(st);
	return rc;
}

/* The new roster's row (not yet in force): its id. */
static int
new_roster(struct bload *b, const char *base, const char *fdate,
    long long *id)
{
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN];
	int rc;

	ctp_timestamp(ts);
	if (ctp_db_prepare(b->c->db, &st, "INSERT INTO board_rosters (name, "
	    "state, file_name, file_date, sha256, map, loaded_by, loaded_at) "
	    "VALUES (?1,?2,?3,?4,?5,?6,?7,?8)", b->e))
		return b->e->code;
	ctp_bind_text(st, 1, b->l->name);
	ctp_bind_text(st, 2, b->state);
	ctp_bind_text(st, 3, base);
	ctp_bind_text_or_null(st, 4, fdate);
	ctp_bind_text(st, 5, b->l->sha256);
	ctp_bind_text_or_null(st, 6, b->l->map);
	ctp_bind_text(st, 7, b->c->user);
	ctp_bind_text(st, 8, ts);
	rc = ctp_db_step_done(st, "board rosters", b->e);
	sqlite3_finalize(st);
	*id = sqlite3_last_insert_rowid(b->c->db);
	return rc;
}

/* The rows counted, the roster in force, its audit event. */
static int
activate(struct bload *b, const char *base)
{
	struct ctp_board_load *l = b->l;
	sqlite3_stmt *st;
	char id[24];
	json_t *d;
	int rc;

	if (ctp_db_prepare(b->c->db, &st, "UPDATE board_rosters SET rows = "
	    "?1, active = 1 WHERE id = ?2", b->e))
		return b->e->code;
	sqlite3_bind_int64(st, 1, l->rows);
	sqlite3_bind_int64(st, 2, l->roster_id);
	rc = ctp_db_step_done(st, "board rosters", b->e);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	snprintf(id, sizeof(id), "%lld", l->roster_id);
	d = json_pack("{s:s, s:s, s:s, s:I, s:s, s:I}", "name", l->name,
	    "state", b->state, "file", base, "rows", (json_int_t)l->rows,
	    "sha256", l->sha256, "replaced_rows",
	    (json_int_t)l->replaced_rows);
	if (d == NULL)
		return ctp_err_nomem(b->e, "audit");
	rc = ctp_audit(b->c, "board.load", "board_roster", id, d, b->e);
	json_decref(d);
	return rc;
}

static int
check_args(struct bload *b)
{
	struct ctp_board_load *l = b->l;
	const char *why;

	if (l->name == NULL || *l->name == '\0')
		return ctp_errf(b->e, CTP_USAGE, NULL, "a roster needs a name");
	if ((why = ctp_check_text(l->name, 60)) != NULL)
		return ctp_errf(b->e, CTP_USAGE, "name", "%s", why);
	if (l->state == NULL)
		return ctp_errf(b->e, CTP_USAGE, NULL, "--state is required");
	if ((why = ctp_check_state(l->state, b->state)) != NULL)
		return ctp_errf(b->e, CTP_USAGE, "--state", "%s", why);
	return 0;
}

/* The rows of the open file, after its header. */
static int
load_rows(struct bload *b)
{
	int r, rc;

	for (;;) {
		if ((r = ctp_input_next(b->in, b->e)) < 0)
			return b->e->code;
		if (r == 0)
			break;
		if ((rc = store_row(b, b->l->roster_id)) != 0)
			return rc;
		b->l->rows++;
	}
	if (b->l->rows == 0)
		return ctp_errf(b->e, CTP_DATAERR, b->l->path, "no rows after "
		    "the header");
	return 0;
}

int
ctp_board_load(struct ctp_ctx *c, struct ctp_board_load *l,
    struct ctp_error *e)
{
	struct bload b;
	struct stat sb;
	char fdate[CTP_DATE_LEN] = "";
	const char *base;
	int rc, f;

	memset(&b, 0, sizeof(b));
	b.c = c;
	b.l = l;
	b.e = e;
	l->roster_id = l->rows = l->replaced_rows = 0;
	l->sha256[0] = '\0';
	if ((rc = check_args(&b)) != 0 || (rc = read_map(&b, l->map)) != 0 ||
	    (rc = ctp_sha256_file(l->path, l->sha256, NULL, e)) != 0 ||
	    (rc = ctp_input_open(&b.in, l->path, CTP_ENC_AUTO, e)) != 0)
		goto done;
	if (ctp_input_is_json(b.in)) {
		rc = ctp_errf(e, CTP_DATAERR, l->path, "a board roster is a "
		    "CSV file with a header");
		goto done;
	}
	if ((rc = find_columns(&b)) != 0)
		goto done;
	if (stat(l->path, &sb) == 0)
		ctp_date_format((long)(sb.st_mtime / 86400), fdate);
	base = strrchr(l->path, '/') ? strrchr(l->path, '/') + 1 : l->path;
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		goto done;
	if ((rc = retire(&b, &l->replaced_rows)) != 0 ||
	    (rc = new_roster(&b, base, fdate, &l->roster_id)) != 0 ||
	    (rc = ctp_db_prepare(c->db, &b.ins, "INSERT INTO board_licenses "
	    "(roster_id, number, number_key, last_name, first_name, "
	    "middle_name, license_type, status, issued, expires, line) VALUES "
	    "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)", e)) != 0 ||
	    (rc = load_rows(&b)) != 0 ||
	    (rc = activate(&b, base)) != 0 ||
	    (rc = ctp_db_commit(c->db, e)) != 0) {
		ctp_db_rollback(c->db);
		l->roster_id = l->rows = l->replaced_rows = 0;
	}
done:
	sqlite3_finalize(b.ins);
	if (b.in)
		ctp_input_close(b.in);
	for (f = 0; f < B_NF; f++)
		free(b.mapcol[f]);
	return rc;
}
