/*
 * db.c - the organization's SQLite file: open, create, migrate, and
 * the helpers every statement goes through (db.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "db.h"
#include "mem.h"
#include "orgs.h"
#include "out.h"
#include "priv.h"
#include "schema.h"

int
ctp_db_resolve(const char *opt, char **out, struct ctp_error *e)
{
	const char *s;
	char *dir;
	int rc;

	*out = NULL;
	if (opt != NULL && *opt != '\0')
		*out = ctp_strdup(opt);
	else if ((s = ctp_env("CTP_DB")) != NULL && *s != '\0')
		*out = ctp_strdup(s);
	else {
		if ((rc = ctp_data_dir(&dir, e)) != 0)
			return rc;
		*out = ctp_asprintf("%s/ctp.db", dir);
		free(dir);
	}
	if (*out == NULL)
		return ctp_err_nomem(e, "database path");
	return 0;
}

/* Only the data directory (orgs.h) is created for the user. */
static void
make_data_dir(const char *dir)
{
	struct ctp_error e;
	char *data;

	if (access(dir, F_OK) == 0 || ctp_data_dir(&data, &e) != 0)
		return;
	if (strcmp(dir, data) == 0)
		ctp_mkdirs(dir);
	free(data);
}

int
ctp_db_err(sqlite3 *db, int rc, const char *where, struct ctp_error *e)
{
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	int code;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ctp_errf(e, CTP_TEMPFAIL, where,
		    "database busy, try again later");
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		code = CTP_DATAERR;
		break;
	case SQLITE_FULL:
	case SQLITE_IOERR:
		code = CTP_IOERR;
		/* A file that cannot grow: SQLite says only "disk I/O error". */
		if (db && sqlite3_system_errno(db) == ENOSPC)
			msg = sqlite3_errstr(SQLITE_FULL);
		break;
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		code = CTP_CANTCREAT;
		break;
	case SQLITE_NOMEM:
		code = CTP_SOFTWARE;
		break;
	case SQLITE_CONSTRAINT:
		code = CTP_DATAERR;
		break;
	default:
		code = CTP_SOFTWARE;
		break;
	}
	return ctp_errf(e, code, where, "%s", msg);
}

int
ctp_db_exec(sqlite3 *db, const char *sql, struct ctp_error *e)
{
	int rc;

	if ((rc = sqlite3_exec(db, sql, NULL, NULL, NULL)) != SQLITE_OK)
		return ctp_db_err(db, rc, "database", e);
	return 0;
}

int
ctp_db_prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql,
    struct ctp_error *e)
{
	int rc;

	if ((rc = sqlite3_prepare_v2(db, sql, -1, st, NULL)) != SQLITE_OK)
		return ctp_db_err(db, rc, "database", e);
	return 0;
}

int
ctp_db_begin(sqlite3 *db, struct ctp_error *e)
{
	return ctp_db_exec(db, "BEGIN IMMEDIATE", e);
}

int
ctp_db_commit(sqlite3 *db, struct ctp_error *e)
{
	return ctp_db_exec(db, "COMMIT", e);
}

void
ctp_db_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

int
ctp_db_join(sqlite3 *db, int *own, struct ctp_error *e)
{
	*own = sqlite3_get_autocommit(db);
	return *own ? ctp_db_begin(db, e) : 0;
}

int
ctp_db_leave(sqlite3 *db, int own, int rc, struct ctp_error *e)
{
	if (!own)
		return rc;
	if (rc == 0)
		rc = ctp_db_commit(db, e);
	if (rc != 0)
		ctp_db_rollback(db);
	return rc;
}

int
ctp_db_int(sqlite3 *db, const char *sql, long long *v, const char *where,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	*v = 0;
	if ((rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL)) != SQLITE_OK)
		return ctp_db_err(db, rc, where, e);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, where, e);
	return 0;
}

int
ctp_db_step_done(sqlite3_stmt *st, const char *where, struct ctp_error *e)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(sqlite3_db_handle(st), rc, where, e);
	return 0;
}

int
ctp_db_prepare_rows(sqlite3 *db, sqlite3_stmt **st, const char *head,
    const char *row, size_t n, int first, struct ctp_error *e)
{
	struct ctp_buf q = CTP_BUF_INIT;
	const char *t;
	size_t i;
	int rc = 0, p = first;

	rc |= ctp_buf_puts(&q, head);
	for (i = 0; i < n; i++) {
		if (i > 0)
			rc |= ctp_buf_putc(&q, ',');
		for (t = row; *t; t++)
			rc |= *t == '#' ? ctp_buf_printf(&q, "?%d", p++) :
			    ctp_buf_putc(&q, *t);
	}
	if (rc != 0) {
		ctp_buf_free(&q);
		return ctp_err_nomem(e, "database");
	}
	rc = ctp_db_prepare(db, st, q.s, e) ? e->code : 0;
	ctp_buf_free(&q);
	return rc;
}

int
ctp_db_bulk_journal(sqlite3 *db)
{
	sqlite3_stmt *st;
	int switched = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = DELETE", -1, &st,
	    NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		switched = strcmp(ctp_col_text(st, 0), "delete") == 0;
	sqlite3_finalize(st);
	return switched;
}

void
ctp_db_wal_again(sqlite3 *db, int switched)
{
	/* Failing here leaves a working database; the next open retries. */
	if (switched)
		sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
}

int
ctp_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

int
ctp_bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

int
ctp_bind_static(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);	/* NULL: null */
}

int
ctp_bind_static_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

const char *
ctp_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? (const char *)s : "";
}

static int
configure(sqlite3 *db, struct ctp_error *e)
{
	sqlite3_busy_timeout(db, CTP_BUSY_TIMEOUT_MS);
	/*
	 * A team database's temporary files would be the person's own
	 * (priv.h), with the database's rows in them: kept in memory.
	 */
	if (ctp_priv_team_path(sqlite3_db_filename(db, "main")) &&
	    ctp_db_exec(db, "PRAGMA temp_store=MEMORY", e))
		return e->code;
	if (ctp_db_exec(db, "PRAGMA journal_mode=WAL", e) ||
	    ctp_db_exec(db, "PRAGMA foreign_keys=ON", e) ||
	    ctp_db_exec(db, "PRAGMA synchronous=FULL", e))
		return e->code;
	return 0;
}

static int
user_version(sqlite3 *db, int *v, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st,
	    NULL)) != SQLITE_OK)
		return ctp_db_err(db, rc, "database", e);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = ctp_db_err(db, rc, "database", e);
		sqlite3_finalize(st);
		return rc;
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* A SQLite file is 100 bytes of header at least, starting with this. */
static int
looks_like_sqlite(const char *path, struct ctp_error *e)
{
	static const char magic[16] = "SQLite format 3";
	char hdr[16];
	int fd;
	ssize_t n;

	if ((fd = open(path, O_RDONLY)) < 0)
		return ctp_errf(e, errno == ENOENT ? CTP_NOINPUT : CTP_IOERR,
		    path, "%s", errno == ENOENT ?
		    "no such database (create one with ctp-init)" :
		    strerror(errno));
	n = read(fd, hdr, sizeof(hdr));
	close(fd);
	if (n != (ssize_t)sizeof(hdr) || memcmp(hdr, magic, sizeof(hdr)) != 0)
		return ctp_errf(e, CTP_DATAERR, path,
		    "not a ctp organization database");
	return 0;
}

/*
 * A connection to path, an existing file; 0 or e->code.  Each connection
 * is used by one thread at a time.
 */
static int
connect_to(sqlite3 **out, const char *path, struct ctp_error *e)
{
	int rc;

	*out = NULL;
	rc = sqlite3_open_v2(path, out, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ctp_db_err(*out, rc, path, e);
		sqlite3_close(*out);
		*out = NULL;
		return e->code;
	}
	return 0;
}

int
ctp_db_open(sqlite3 **out, const char *path, struct ctp_error *e)
{
	sqlite3 *db = NULL;
	int rc, v = 0;
	struct stat sb;
	int in;

	*out = NULL;
	in = ctp_priv_enter(path);
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		rc = ctp_errf(e, CTP_USAGE, path, "is a directory");
	else
		rc = looks_like_sqlite(path, e);
	ctp_priv_leave(in);
	if (rc != 0)
		return rc;
	if ((rc = connect_to(&db, path, e)) != 0)
		return rc;
	sqlite3_busy_timeout(db, CTP_BUSY_TIMEOUT_MS);
	/* Read before any write, so that a foreign file is left untouched. */
	if ((rc = user_version(db, &v, e)) != 0)
		goto fail;
	if (v == 0) {
		rc = ctp_errf(e, CTP_DATAERR, path,
		    "not a ctp organization database");
		goto fail;
	}
	if (v > CTP_SCHEMA_VERSION) {
		rc = ctp_errf(e, CTP_DATAERR, path, "database schema version %d "
		    "is newer than this program's (%d): upgrade ctp", v,
		    CTP_SCHEMA_VERSION);
		goto fail;
	}
	if ((rc = configure(db, e)) != 0 ||
	    (rc = ctp_schema_migrate(db, e)) != 0)
		goto fail;
	*out = db;
	return 0;
fail:
	if (e->where[0] == '\0' || strcmp(e->where, "database") == 0)
		snprintf(e->where, sizeof(e->where), "%s", path);
	sqlite3_close(db);
	return rc;
}

int
ctp_db_open_again(sqlite3 **out, const char *path, struct ctp_error *e)
{
	sqlite3 *db = NULL;
	int rc;

	*out = NULL;
	if ((rc = connect_to(&db, path, e)) != 0)
		return rc;
	if ((rc = configure(db, e)) != 0) {
		sqlite3_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

/* Why the new file could not be made. */
static int
create_failed(const char *path, struct ctp_error *e)
{
	if (errno == EEXIST)
		return ctp_errf(e, CTP_CANTCREAT, path,
		    "already exists; not overwriting it");
	return ctp_errf(e, CTP_CANTCREAT, path, "%s", strerror(errno));
}

/* The schema in the new, empty file; the file removed on failure. */
static int
create_schema(sqlite3 **out, const char *path, struct ctp_error *e)
{
	sqlite3 *db = NULL;
	int rc;

	if ((rc = connect_to(&db, path, e)) != 0)
		goto fail;
	if ((rc = configure(db, e)) != 0 ||
	    (rc = ctp_schema_migrate(db, e)) != 0)
		goto fail;
	*out = db;
	return 0;
fail:
	sqlite3_close(db);
	ctp_db_remove(path);
	return e->code ? e->code : CTP_SOFTWARE;
}

/*
 * A team database: NAME.db in the team directory, made with the group,
 * mode 0660 and group ctp whatever the person's umask, so that every
 * member of the team reaches it through ctp.
 */
static int
create_team(sqlite3 **out, const char *path, struct ctp_error *e)
{
	size_t n = strlen(path);
	int fd, in, rc = 0;

	if (n < 4 || strcmp(path + n - 3, ".db") != 0 ||
	    path[n - 4] == '/')
		return ctp_errf(e, CTP_USAGE, path, "a team database is "
		    "named NAME.db");
	in = ctp_priv_enter(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0660);
	if (fd < 0)
		rc = create_failed(path, e);
	else if (fchown(fd, (uid_t)-1, (gid_t)ctp_priv_gid()) != 0 ||
	    fchmod(fd, 0660) != 0) {
		rc = ctp_errf(e, CTP_CANTCREAT, path, "%s", strerror(errno));
		unlink(path);
	}
	if (fd >= 0)
		close(fd);
	ctp_priv_leave(in);
	return rc ? rc : create_schema(out, path, e);
}

int
ctp_db_create(sqlite3 **out, const char *path, struct ctp_error *e)
{
	int fd;
	char *dir, *slash;

	*out = NULL;
	if (ctp_priv_team_path(path))
		return create_team(out, path, e);
	if ((dir = ctp_strdup(path)) == NULL)
		return ctp_err_nomem(e, path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		/* Only the data directory is created for the user. */
		make_data_dir(dir);
	}
	free(dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
		return create_failed(path, e);
	close(fd);
	return create_schema(out, path, e);
}

void
ctp_db_close(sqlite3 *db)
{
	sqlite3_close(db);
}

void
ctp_db_remove(const char *path)
{
	char aux[4096];
	int in = ctp_priv_enter(path);

	unlink(path);
	snprintf(aux, sizeof(aux), "%s-wal", path);
	unlink(aux);
	snprintf(aux, sizeof(aux), "%s-shm", path);
	unlink(aux);
	ctp_priv_leave(in);
}

int
ctp_db_out_rows(sqlite3_stmt *st, struct ctp_out *o, int ncols,
    long long *count, const char *where, struct ctp_error *e)
{
	const char *v[64];
	long long n = 0;
	int rc, i;

	if (ncols > 64)
		ncols = 64;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < ncols; i++)
			v[i] = ctp_col_text(st, i);
		if (ctp_out_row(o, v, e)) {
			sqlite3_finalize(st);
			return e->code;
		}
		n++;
	}
	if (count)
		*count = n;
	if (rc != SQLITE_DONE) {
		ctp_db_err(sqlite3_db_handle(st), rc, where, e);
		sqlite3_finalize(st);
		return e->code;
	}
	sqlite3_finalize(st);
	return 0;
}

static void
each_row_final(sqlite3_context *cx)
{
	sqlite3_result_null(cx);
}

int
ctp_db_each_row(sqlite3 *db, const char *name, int nargs,
    void (*step)(sqlite3_context *, int, sqlite3_value **), void *arg,
    const char *sql, const char *p1, const char *where,
    struct ctp_error *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = sqlite3_create_function_v2(db, name, nargs, SQLITE_UTF8 |
	    SQLITE_DIRECTONLY, arg, NULL, step, each_row_final, NULL)) !=
	    SQLITE_OK)
		return ctp_db_err(db, rc, where, e);
	if ((rc = ctp_db_prepare(db, &st, sql, e)) == 0) {
		if (p1 != NULL)
			sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		rc = rc == SQLITE_DONE ? 0 : ctp_db_err(db, rc, where, e);
	}
	sqlite3_finalize(st);
	/* arg may live on the caller's stack: gone with this statement. */
	sqlite3_create_function_v2(db, name, nargs, SQLITE_UTF8 |
	    SQLITE_DIRECTONLY, NULL, NULL, NULL, NULL, NULL);
	return rc;
}
