/*
 * db.h - one organization is one SQLite file.  Opening it sets WAL, a busy
 * timeout, foreign keys and synchronous=FULL, and migrates the schema
 * forward (schema.h).  Statements are always prepared with bound values.
 */
#ifndef CTP_DB_H
#define CTP_DB_H

#include <sqlite3.h>

#include "err.h"

#define CTP_BUSY_TIMEOUT_MS 30000

/*
 * Resolve the database path: opt (from -d/--db, or --org) if given, else
 * $CTP_DB (or $CTP_ORG's), else ctp.db in the data directory (orgs.h).
 * *out is a new string the caller frees.
 */
int	ctp_db_resolve(const char *opt, char **out, struct ctp_error *e);

/*
 * Open an existing organization database and migrate it forward.
 * Missing file: CTP_NOINPUT; not SQLite or not ctp: CTP_DATAERR, file
 * untouched; newer schema than this program: CTP_DATAERR.
 */
int	ctp_db_open(sqlite3 **out, const char *path, struct ctp_error *e);
/*
 * Another connection to a database this process has open (by
 * ctp_db_open), set up the same way.  ctp_db_open itself must not be
 * used for it: it reads the file's header through a descriptor of its
 * own, and closing any descriptor of a file drops every POSIX lock the
 * process holds on it, the open connection's among them.
 */
int	ctp_db_open_again(sqlite3 **out, const char *path, struct ctp_error *e);
/*
 * Create a new database; refuses an existing file (CTP_CANTCREAT).  The
 * data directory (orgs.h) is created, mode 0700, when it is missing.
 */
int	ctp_db_create(sqlite3 **out, const char *path, struct ctp_error *e);
void	ctp_db_close(sqlite3 *);
/* Remove a database file with its -wal and -shm files (a failed create). */
void	ctp_db_remove(const char *path);

/* Map a SQLite result code to an exit code and message. */
int	ctp_db_err(sqlite3 *db, int rc, const char *where, struct ctp_error *e);

int	ctp_db_exec(sqlite3 *, const char *sql, struct ctp_error *e);
int	ctp_db_prepare(sqlite3 *, sqlite3_stmt **, const char *sql,
	    struct ctp_error *e);
/*
 * The one value of a query that returns one row (a count, a max), as an
 * integer in *v (0 when it is NULL or there is no row): 0, or the error
 * named by where.
 */
int	ctp_db_int(sqlite3 *, const char *sql, long long *v, const char *where,
	    struct ctp_error *e);
/*
 * Run sql once, name (nargs arguments) in it an aggregate whose step is
 * step, with arg as its user data: each row SQLite reads reaches step
 * without the copy of its strings that a row handed back through
 * sqlite3_step costs (a third of a row's cost on a million rows).  ?1 is
 * p1 unless NULL.  name exists for this statement only.  0 or e->code.
 */
int	ctp_db_each_row(sqlite3 *db, const char *name, int nargs,
	    void (*step)(sqlite3_context *, int, sqlite3_value **), void *arg,
	    const char *sql, const char *p1, const char *where,
	    struct ctp_error *e);
/* Step a statement that returns no rows, and reset it: 0, or its error. */
int	ctp_db_step_done(sqlite3_stmt *, const char *where,
	    struct ctp_error *e);
/* BEGIN IMMEDIATE: writers queue behind the busy timeout, never deadlock. */
int	ctp_db_begin(sqlite3 *, struct ctp_error *e);
int	ctp_db_commit(sqlite3 *, struct ctp_error *e);
void	ctp_db_rollback(sqlite3 *);
/*
 * A change made inside the caller's transaction when one is open, else in
 * its own: ctp_db_join begins one only when none is open (*own 1);
 * ctp_db_leave(db, own, rc, e) then commits it when rc is 0 and rolls it
 * back when not, and returns the result.  A joined transaction is the
 * caller's to end.
 */
int	ctp_db_join(sqlite3 *, int *own, struct ctp_error *e);
int	ctp_db_leave(sqlite3 *, int own, int rc, struct ctp_error *e);
/*
 * A bulk write that makes mostly new pages (a first import, a first list
 * load, a screening run), outside any transaction: under a rollback
 * journal, which keeps only the pages that existed before, instead of
 * the WAL, which writes every page twice (the log, then the checkpoint).
 * Only when no other connection has the file open: otherwise the switch
 * fails at once and the write stays in WAL.  Other programs wait for it
 * (busy timeout); kill -9 in the middle leaves a hot journal that the
 * next open rolls back before it returns to WAL (ctp_db_open).
 * ctp_db_bulk_journal returns 1 when it switched; ctp_db_wal_again(db,
 * switched) goes back to WAL after the commit or rollback.
 */
int	ctp_db_bulk_journal(sqlite3 *);
void	ctp_db_wal_again(sqlite3 *, int switched);

/*
 * Prepare "head" followed by n copies of row, comma-separated, for a
 * multi-row INSERT: each '#' in row becomes the next parameter, ?first,
 * ?first+1, ... across the rows (row i, its j-th '#': first + i * k + j
 * for k '#' a row); other text, such as ?1 for a value every row shares,
 * is copied as it is.  The caller finalizes *st.
 */
int	ctp_db_prepare_rows(sqlite3 *db, sqlite3_stmt **st, const char *head,
	    const char *row, size_t n, int first, struct ctp_error *e);

/* Bind text, NULL for NULL or "" when empty_is_null. SQLITE_TRANSIENT. */
int	ctp_bind_text(sqlite3_stmt *, int i, const char *s);
int	ctp_bind_text_or_null(sqlite3_stmt *, int i, const char *s);
/*
 * The same without a copy (SQLITE_STATIC), for a statement stepped once
 * a row of a bulk write: s must outlive the step that reads it.
 */
int	ctp_bind_static(sqlite3_stmt *, int i, const char *s);
int	ctp_bind_static_or_null(sqlite3_stmt *, int i, const char *s);
struct ctp_out;
/*
 * Step st to the end, writing each row's first ncols columns as text to o;
 * *count (when non-NULL) gets the number of rows.  Finalizes st.
 */
int	ctp_db_out_rows(sqlite3_stmt *st, struct ctp_out *o, int ncols,
	    long long *count, const char *where, struct ctp_error *e);
/* Column text as "" instead of NULL. */
const char *ctp_col_text(sqlite3_stmt *, int i);

#endif
