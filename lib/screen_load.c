/*
 * screen_load.c - a list file into the database, in one transaction
 * (ctp_screen_load, screen.h): the entries screen_entry.c reads, each
 * person's name keys (screen_names), an LEIE reinstatement file applied
 * and kept, and the version in force replaced, unless the new list
 * shrank past list_shrink_max.
 *
 * Speed and memory.  Loading an 80,000-row LEIE and a 150,000-row SAM
 * extract takes about a second (scripts/bench/screen).  A first load of
 * a list writes under a rollback journal when it is the only connection
 * (ctp_db_bulk_journal): its pages are new, and the write-ahead log would
 * write each one twice.  A reload frees as many pages as it writes and
 * measured slower that way, so it stays in WAL; it costs more than a
 * first load, since the old rows are deleted in the same transaction
 * (before the new ones go in, which take the freed pages) and every
 * entry is written again even when the new file repeats it.  Values are
 * bound without a copy (bind_or_null: 0.15 s of both lists' load).
 * SQLite keeps a 32 MB cache rather than its default 2 MB (0.1 s of
 * the load) and maps none of the database, and the file is read 64 KB
 * at a time (screen_file.c): memory does not grow with the list.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <curl/curl.h>
#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "hash.h"
#include "names.h"
#include "org.h"
#include "screen.h"
#include "screen_entry.h"
#include "screen_file.h"

/* No version of source in force (read before the write transaction:
 * only the choice of journal depends on it). */
static int
first_load(sqlite3 *db, const char *source)
{
	sqlite3_stmt *st;
	int none = 0;

	if (sqlite3_prepare_v2(db, "SELECT NOT EXISTS (SELECT 1 FROM "
	    "screen_lists WHERE source = ?1 AND active = 1)", -1, &st, NULL)
	    != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		none = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return none;
}

struct loader {
	struct ctp_screen_rows reader;
	struct ctp_ctx *c;
	struct ctp_load *l;
	struct ctp_error *e;
	const char *source;
	const char *name;		/* for messages */
	long long version;
	long long rows;
	sqlite3_stmt *ins, *name_ins, *rein_upd, *rein_scan, *rein_ins;
	long long reinstated;
};

/*
 * NULL for an empty value.  SQLITE_STATIC: every value bound here lives
 * until the statement has been stepped and reset (a list load binds
 * millions of them, and copying each showed in profiles).
 */
static int
bind_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}


/* A reinstatement: the entries it names get its date, and it is kept. */
static int
store_rein(struct loader *ld, const struct ctp_screen_entry *en)
{
	struct ctp_error *e = ld->e;
	sqlite3_stmt *st = ld->rein_upd;
	char keys[CTP_NAME_MAXKEYS][CTP_NAME_KEY], fk[CTP_NAME_KEY];
	int rc, k;

	ctp_bind_text(st, 1, en->rein_date);
	ctp_bind_text(st, 2, en->ident);
	/* A person's entry is found through its name key, not a scan. */
	if (en->person && ctp_name_first_key(en->first, fk) == 0 &&
	    ctp_name_last_keys(en->last, keys) > 0) {
		ctp_bind_text(st, 3, keys[0]);
		ctp_bind_text(st, 4, fk);
	} else {
		/* An entity: rare in a reinstatement file; scan. */
		st = ld->rein_scan;
		ctp_bind_text(st, 1, en->rein_date);
		ctp_bind_text(st, 2, en->ident);
	}
	if ((k = sqlite3_step(st)) != SQLITE_DONE) {
		sqlite3_reset(st);
		return ctp_db_err(ld->c->db, k, ld->name, e);
	}
	sqlite3_reset(st);
	k = sqlite3_changes(ld->c->db);
	ld->reinstated += k;
	st = ld->rein_ins;
	sqlite3_bind_int64(st, 1, ld->version);
	ctp_bind_text(st, 2, en->ident);
	bind_or_null(st, 3, en->last);
	bind_or_null(st, 4, en->first);
	bind_or_null(st, 5, en->business);
	bind_or_null(st, 6, en->npi);
	bind_or_null(st, 7, en->dob);
	bind_or_null(st, 8, en->excl_date);
	ctp_bind_text(st, 9, en->rein_date);
	sqlite3_bind_int(st, 10, k);
	if ((rc = ctp_db_step_done(st, ld->name, e)) != 0)
		return rc;
	ld->rows++;
	return 0;
}

/* An entry of the list, and a person's name keys (screen_names). */
static int
store(void *arg, const struct ctp_screen_entry *en, size_t line)
{
	struct loader *ld = arg;
	struct ctp_error *e = ld->e;
	sqlite3_stmt *st = ld->ins;
	char keys[CTP_NAME_MAXKEYS][CTP_NAME_KEY], fk[CTP_NAME_KEY];
	long long id;
	int rc, i, nk;

	if (ld->l->kind == CTP_LIST_LEIE_REIN)
		return store_rein(ld, en);
	sqlite3_bind_int64(st, 1, ld->version);
	sqlite3_bind_text(st, 2, ld->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, en->person ? "person" : "firm", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 4, en->ident, -1, SQLITE_STATIC);
	bind_or_null(st, 5, en->last);
	bind_or_null(st, 6, en->first);
	bind_or_null(st, 7, en->middle);
	bind_or_null(st, 8, en->business);
	bind_or_null(st, 9, en->npi);
	bind_or_null(st, 10, en->dob);
	bind_or_null(st, 11, en->state);
	bind_or_null(st, 12, en->type);
	bind_or_null(st, 13, en->excl_date);
	bind_or_null(st, 14, en->rein_date);
	bind_or_null(st, 15, en->end_date);
	sqlite3_bind_int64(st, 16, (long long)line);
	if ((rc = ctp_db_step_done(st, ld->name, e)) != 0)
		return rc;
	id = sqlite3_last_insert_rowid(ld->c->db);
	ld->rows++;
	if (!en->person || ctp_name_first_key(en->first, fk) != 0)
		return 0;
	nk = ctp_name_last_keys(en->last, keys);
	for (i = 0; i < nk; i++) {
		st = ld->name_ins;
		sqlite3_bind_text(st, 1, keys[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, fk, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, id);
		bind_or_null(st, 4, en->dob);
		bind_or_null(st, 5, en->state);
		if ((rc = ctp_db_step_done(st, ld->name, e)) != 0)
			return rc;
	}
	return 0;
}


static const char *
kind_name(enum ctp_list_kind k)
{
	switch (k) {
	case CTP_LIST_LEIE:
		return "leie";
	case CTP_LIST_LEIE_SUPP:
		return "leie-supplement";
	case CTP_LIST_LEIE_REIN:
		return "leie-reinstatements";
	case CTP_LIST_SAM:
		return "sam";
	default:
		return "custom";
	}
}

/* The current full version of source: id, rows, sha256 (0 when none). */
static int
current(sqlite3 *db, const char *source, long long *id, long long *rows,
    char sha[CTP_SHA256_HEX], struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	*id = *rows = 0;
	if (sha)
		sha[0] = '\0';
	if (ctp_db_prepare(db, &st, "SELECT id, rows, sha256 FROM screen_lists"
	    " WHERE source = ?1 AND active = 1 AND kind IN ('leie','sam',"
	    "'custom') ORDER BY id DESC LIMIT 1", e))
		return e->code;
	ctp_bind_text(st, 1, source);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*rows = sqlite3_column_int64(st, 1);
		if (sha)
			snprintf(sha, CTP_SHA256_HEX, "%s",
			    ctp_col_text(st, 2));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "screen lists", e);
	return 0;
}

static int
exec_bind(sqlite3 *db, const char *sql, const char *s, long long n,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (ctp_db_prepare(db, &st, sql, e))
		return e->code;
	if (s)
		ctp_bind_text(st, 1, s);
	else
		sqlite3_bind_int64(st, 1, n);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return ctp_db_err(db, rc, "screen lists", e);
	return 0;
}

/*
 * A new full list with fewer rows than the one in force, by more than the
 * setting list_shrink_max: most likely a download cut at a row boundary
 * (a real list changes by well under 1% a month).  l->shrunk set when so;
 * CTP_DATAERR unless l->force.
 */
static int
shrink_check(struct ctp_ctx *c, struct ctp_load *l, long long rows,
    long long currows, struct ctp_error *e)
{
	long max;
	long long drop;
	char pct[24];
	int rc;

	if (currows == 0 || rows >= currows)
		return 0;
	if ((rc = ctp_org_get_percent(c->db, "list_shrink_max", &max, e)) != 0)
		return rc;
	if (rows * 10000 >= currows * (10000 - max))
		return 0;
	l->shrunk = 1;
	l->rows = rows;
	l->rows_in_force = currows;
	if (l->force)
		return 0;
	/* The setting as a person writes it: 2, 2.5, 0.25. */
	if (max % 100 == 0)
		snprintf(pct, sizeof(pct), "%ld", max / 100);
	else if (max % 10 == 0)
		snprintf(pct, sizeof(pct), "%ld.%ld", max / 100,
		    max % 100 / 10);
	else
		snprintf(pct, sizeof(pct), "%ld.%02ld", max / 100, max % 100);
	/* In tenths of a percent. */
	drop = (currows - rows) * 1000 / currows;
	return ctp_errf(e, CTP_DATAERR, l->path, "refused: %lld rows where the "
	    "list in force has %lld, %lld.%lld%% fewer (list_shrink_max is "
	    "%s%%); the list in force is kept; if the list really shrank, "
	    "use --force", rows, currows, drop / 10, drop % 10, pct);
}

/* The refusal, in the audit log though nothing else is written. */
static void
shrink_audit(struct ctp_ctx *c, const struct ctp_load *l,
    const struct loader *ld, const char *file, const char *sha)
{
	struct ctp_error ae;
	json_t *d;

	d = json_pack("{s:s, s:s, s:s?, s:I, s:I, s:s}", "source", ld->source,
	    "kind", kind_name(l->kind), "file", file, "rows",
	    (json_int_t)l->rows, "rows_in_force", (json_int_t)l->rows_in_force,
	    "sha256", sha);
	ctp_audit(c, "screen.load.refused", "list", ld->source, d, &ae);
	json_decref(d);
}

/* The list's source (its PSV source), and a custom list's map. */
static int
source_of(struct loader *ld)
{
	struct ctp_load *l = ld->l;

	switch (l->kind) {
	case CTP_LIST_SAM:
		ld->source = CTP_SRC_SAM;
		return 0;
	case CTP_LIST_CUSTOM:
		ld->source = l->list;
		if (l->list == NULL || *l->list == '\0' ||
		    strcasecmp(l->list, CTP_SRC_LEIE) == 0 ||
		    strcasecmp(l->list, CTP_SRC_SAM) == 0)
			return ctp_errf(ld->e, CTP_USAGE, NULL, "--list needs "
			    "a name other than \"OIG LEIE\" and \"SAM\"");
		return ctp_screen_rows_map(&ld->reader, l->map, ld->e);
	default:
		ld->source = CTP_SRC_LEIE;
		return 0;
	}
}

/* The file's date: its Last-Modified when fetched, else its mtime. */
static void
file_date(const struct ctp_load *l, char out[CTP_DATE_LEN])
{
	struct stat sb;
	time_t t;

	out[0] = '\0';
	if (stat(l->path, &sb) == 0)
		ctp_date_format((long)(sb.st_mtime / 86400), out);
	if (l->last_modified && (t = curl_getdate(l->last_modified, NULL)) > 0)
		ctp_date_format((long)(t / 86400), out);
}

/* The same bytes as the version in force: keep it, refresh what fetch
 * keeps. */
static int
keep_unchanged(struct loader *ld, long long curid)
{
	struct ctp_load *l = ld->l;
	sqlite3_stmt *st;
	int k;

	if (l->etag == NULL && l->last_modified == NULL)
		return 0;
	if (ctp_db_prepare(ld->c->db, &st, "UPDATE screen_lists SET etag = "
	    "?1, last_modified = ?2 WHERE id = ?3", ld->e))
		return ld->e->code;
	bind_or_null(st, 1, l->etag);
	bind_or_null(st, 2, l->last_modified);
	sqlite3_bind_int64(st, 3, curid);
	k = sqlite3_step(st);
	sqlite3_finalize(st);
	return k == SQLITE_DONE ? 0 : ctp_db_err(ld->c->db, k, "screen lists",
	    ld->e);
}

/* The new version's row, not yet active (a supplement's parent is
 * curid): ld->version. */
static int
new_version(struct loader *ld, long long curid, const char *base,
    const char *fdate, const char *sha)
{
	struct ctp_load *l = ld->l;
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN];
	int k;

	ctp_timestamp(ts);
	if (ctp_db_prepare(ld->c->db, &st, "INSERT INTO screen_lists (source,"
	    " kind, parent_id, file_name, file_date, sha256, rows, loaded_at,"
	    " loaded_by, active, url, etag, last_modified, map) VALUES (?1,?2,"
	    "?3,?4,?5,?6,0,?7,?8,0,?9,?10,?11,?12)", ld->e))
		return ld->e->code;
	ctp_bind_text(st, 1, ld->source);
	ctp_bind_text(st, 2, kind_name(l->kind));
	if (curid)
		sqlite3_bind_int64(st, 3, curid);
	ctp_bind_text(st, 4, base);
	bind_or_null(st, 5, fdate);
	ctp_bind_text(st, 6, sha);
	ctp_bind_text(st, 7, ts);
	ctp_bind_text(st, 8, ld->c->user);
	bind_or_null(st, 9, l->url);
	bind_or_null(st, 10, l->etag);
	bind_or_null(st, 11, l->last_modified);
	bind_or_null(st, 12, l->map);
	k = sqlite3_step(st);
	sqlite3_finalize(st);
	if (k != SQLITE_DONE)
		return ctp_db_err(ld->c->db, k, "screen lists", ld->e);
	ld->version = sqlite3_last_insert_rowid(ld->c->db);
	return 0;
}

/* The statements store and store_rein step. */
static int
prepare(struct loader *ld)
{
	sqlite3 *db = ld->c->db;
	struct ctp_error *e = ld->e;

	if (ctp_db_prepare(db, &ld->ins, "INSERT INTO screen_entries "
	    "(version_id, source, entity, ident, last_name, first_name, "
	    "middle_name, bus_name, npi, dob, state, excl_type, excl_date, "
	    "rein_date, end_date, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,"
	    "?10,?11,?12,?13,?14,?15,?16)", e) ||
	    ctp_db_prepare(db, &ld->name_ins, "INSERT OR IGNORE INTO "
	    "screen_names (last_key, first_key, entry_id, dob, state) VALUES "
	    "(?1,?2,?3,?4,upper(?5))", e) ||
	    ctp_db_prepare(db, &ld->rein_upd, "UPDATE screen_entries "
	    "SET rein_date = ?1 WHERE id IN (SELECT entry_id FROM screen_names "
	    "WHERE last_key = ?3 AND first_key = ?4) AND source = 'OIG LEIE' "
	    "AND ident = ?2", e) ||
	    ctp_db_prepare(db, &ld->rein_scan, "UPDATE screen_entries "
	    "SET rein_date = ?1 WHERE source = 'OIG LEIE' AND ident = ?2", e) ||
	    ctp_db_prepare(db, &ld->rein_ins, "INSERT INTO "
	    "screen_reinstatements (version_id, ident, last_name, first_name,"
	    " bus_name, npi, dob, excl_date, rein_date, applied) VALUES (?1,"
	    "?2,?3,?4,?5,?6,?7,?8,?9,?10)", e))
		return e->code;
	return 0;
}

/*
 * Retire the versions of the source in force and their rows, before the
 * new rows go in: the scans are shorter and the new rows take the freed
 * pages; a file that fails to load rolls the whole transaction back,
 * these deletes with it.
 */
static int
retire(struct loader *ld)
{
	sqlite3 *db = ld->c->db;
	int rc;

	if ((rc = exec_bind(db, "DELETE FROM screen_names WHERE entry_id IN "
	    "(SELECT id FROM screen_entries WHERE source = ?1 AND version_id "
	    "IN (SELECT id FROM screen_lists WHERE active = 1))", ld->source, 0,
	    ld->e)) != 0 ||
	    (rc = exec_bind(db, "DELETE FROM screen_entries WHERE source = ?1 "
	    "AND version_id IN (SELECT id FROM screen_lists WHERE active = 1)",
	    ld->source, 0, ld->e)) != 0)
		return rc;
	return exec_bind(db, "UPDATE screen_lists SET active = 0 WHERE "
	    "source = ?1 AND active = 1", ld->source, 0, ld->e);
}

/*
 * The new version in force, and its "screen.load" event.  A list taken
 * with --force though it shrank may be a cut download: its ETag and
 * Last-Modified are not kept, so the next fetch asks for the whole list
 * again rather than hear "not modified".
 */
static int
activate(struct loader *ld, const char *base, const char *sha)
{
	struct ctp_load *l = ld->l;
	sqlite3_stmt *st;
	json_t *d;
	int k, rc;

	if (ctp_db_prepare(ld->c->db, &st, "UPDATE screen_lists SET active = "
	    "1, rows = ?1, etag = iif(?3, NULL, etag), last_modified = "
	    "iif(?3, NULL, last_modified) WHERE id = ?2", ld->e))
		return ld->e->code;
	sqlite3_bind_int64(st, 1, ld->rows);
	sqlite3_bind_int64(st, 2, ld->version);
	sqlite3_bind_int(st, 3, l->shrunk);
	k = sqlite3_step(st);
	sqlite3_finalize(st);
	if (k != SQLITE_DONE)
		return ctp_db_err(ld->c->db, k, "screen lists", ld->e);
	d = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}", "source", ld->source,
	    "kind", kind_name(l->kind), "file", base, "rows",
	    (json_int_t)ld->rows, "version", (json_int_t)ld->version,
	    "sha256", sha);
	if (d && l->kind == CTP_LIST_LEIE_REIN)
		json_object_set_new(d, "reinstated",
		    json_integer(ld->reinstated));
	if (d && l->shrunk)	/* taken with --force */
		json_object_set_new(d, "rows_in_force",
		    json_integer(l->rows_in_force));
	rc = ctp_audit(ld->c, "screen.load", "list", ld->source, d, ld->e);
	json_decref(d);
	return rc;
}

int
ctp_screen_load(struct ctp_ctx *c, struct ctp_load *l, struct ctp_error *e)
{
	struct loader ld;
	struct ctp_screen_file ls;
	char sha[CTP_SHA256_HEX], cursha[CTP_SHA256_HEX], fdate[CTP_DATE_LEN];
	const char *base = NULL;
	long long curid, currows, size;
	int rc, full, journal = 0;

	memset(&ld, 0, sizeof(ld));
	ld.c = c;
	ld.l = l;
	ld.e = e;
	ld.name = l->path;
	l->version_id = l->rows = l->rows_in_force = 0;
	l->unchanged = l->shrunk = 0;
	full = l->kind == CTP_LIST_LEIE || l->kind == CTP_LIST_SAM ||
	    l->kind == CTP_LIST_CUSTOM;
	if ((rc = source_of(&ld)) != 0)
		goto done;
	if (l->sha256 != NULL)
		snprintf(sha, sizeof(sha), "%s", l->sha256);
	else if ((rc = ctp_sha256_file(l->path, sha, &size, e)) != 0)
		goto done;
	file_date(l, fdate);
	if ((rc = ctp_screen_file_open(&ls, l->path, l->kind == CTP_LIST_SAM,
	    e)) != 0)
		goto done;
	/* A first load writes new pages only; a reload frees as many, and
	 * measured slower under a rollback journal than in WAL. */
	if (full && first_load(c->db, ld.source))
		journal = ctp_db_bulk_journal(c->db);
	/* A cache of 32 MB, not SQLite's 2 MB: see the opening comment. */
	sqlite3_exec(c->db, "PRAGMA cache_size=-32000", NULL, NULL, NULL);
	if ((rc = ctp_db_begin(c->db, e)) != 0) {
		ctp_screen_file_close(&ls);
		goto done;
	}
	if ((rc = current(c->db, ld.source, &curid, &currows, cursha, e)) != 0)
		goto fail;
	if (full && curid && strcmp(cursha, sha) == 0) {
		l->unchanged = 1;
		l->version_id = curid;
		l->rows = currows;
		if ((rc = keep_unchanged(&ld, curid)) != 0)
			goto fail;
		ctp_screen_file_close(&ls);
		if ((rc = ctp_db_commit(c->db, e)) != 0)
			ctp_db_rollback(c->db);
		goto done;
	}
	if (!full && curid == 0) {
		rc = ctp_errf(e, CTP_DATAERR, l->path, "load the full LEIE "
		    "file (UPDATED.csv) before a supplement");
		goto fail;
	}
	base = l->file_name ? l->file_name : strrchr(l->path, '/') ?
	    strrchr(l->path, '/') + 1 : l->path;
	if ((rc = new_version(&ld, full ? 0 : curid, base, fdate, sha)) != 0 ||
	    (rc = prepare(&ld)) != 0 ||
	    (full && curid && (rc = retire(&ld)) != 0))
		goto fail;
	ld.reader.kind = l->kind;
	ld.reader.source = ld.source;
	ld.reader.name = l->path;
	ld.reader.fn = store;
	ld.reader.arg = &ld;
	ld.reader.e = e;
	if ((rc = ctp_screen_file_records(&ls, l->path, l->kind ==
	    CTP_LIST_SAM, ctp_screen_rows_record, &ld.reader, e)) != 0)
		goto fail;
	if (!ld.reader.header_done) {
		rc = ctp_errf(e, CTP_DATAERR, l->path, "empty file");
		goto fail;
	}
	if (full && ld.rows == 0) {
		rc = ctp_errf(e, CTP_DATAERR, l->path, "no rows after the "
		    "header");
		goto fail;
	}
	if ((full && (rc = shrink_check(c, l, ld.rows, currows, e)) != 0) ||
	    (rc = activate(&ld, base, sha)) != 0 ||
	    (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	l->version_id = ld.version;
	l->rows = ld.rows;
	goto close;
fail:
	ctp_db_rollback(c->db);
	if (l->shrunk && !l->force)
		shrink_audit(c, l, &ld, base, sha);
close:
	sqlite3_finalize(ld.ins);
	sqlite3_finalize(ld.name_ins);
	sqlite3_finalize(ld.rein_upd);
	sqlite3_finalize(ld.rein_scan);
	sqlite3_finalize(ld.rein_ins);
	ctp_screen_file_close(&ls);
done:
	ctp_db_wal_again(c->db, journal);
	ctp_screen_rows_free(&ld.reader);
	return rc;
}
