/*
 * import_check.h - the checks of one row of the roster file: functions
 * of the row's values, the day of the import and what the roster holds.
 * They ask the roster through struct ctp_import_ask (ctp-import answers
 * from the database, a test from a table) and touch no database
 * themselves.  Every problem of a row is found and said, and the values
 * are left in their normal forms for the write.
 */
#ifndef CTP_IMPORT_CHECK_H
#define CTP_IMPORT_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"
#include "import_map.h"

/* The roster's record of a row's NPI; its strings are the asker's. */
struct ctp_import_old {
	long long pid;		/* 0: not on the roster */
	char *v[NCANON];	/* provider fields, NULL when null */
	/* Of each group's kind, the lowest-numbered active credential. */
	struct ctp_import_oldcred {
		long long id;	/* 0: none */
		char *v[4];	/* number, state, issuer, expires */
		char *verification;
	} oc[NGROUPS];
	int held;		/* read from the roster: strings to free */
};

/* One row of the file: its values, and its problems. */
struct ctp_import_row {
	const int *col;		/* the header's: col[k] >= 0 when given */
	char v[NCANON][1024];	/* trimmed, then in normal form */
	/* Where problems are said: "prog: file:line: column: what". */
	FILE *msg;
	const char *prog, *file;
	size_t line;
	/* By the checks. */
	const char *ptype;	/* v[C_TYPE] when valid, else NULL */
	int valid_npi, valid_names;
	struct ctp_buf errs;	/* "column: what; ...": caller frees */
	int nerr;		/* problems */
	uint64_t said;		/* a bit per column said */
};

/* Before a row's checks (of physical line line): no problem yet. */
void	ctp_import_row_start(struct ctp_import_row *r, size_t line);
/* A problem of the row, said unless its column has said one. */
void	ctp_import_row_err(struct ctp_import_row *r, const char *col,
	    const char *what);
/* 1 when the row gives a value in a column of group g. */
int	ctp_import_group_used(const struct ctp_import_row *r,
	    const struct ctp_import_group *g);

struct ctp_import_check;

/* A taxonomy code against the loaded NUCC code set. */
enum {
	CTP_IMPORT_TAX_OK,	/* current, or no code set loaded */
	CTP_IMPORT_TAX_UNKNOWN,	/* not in the code set */
	CTP_IMPORT_TAX_RETIRED
};

/*
 * What the checks ask of the roster.  Each returns 0, or an error code
 * with e set, which ends the run.
 */
struct ctp_import_ask {
	void *arg;		/* each function's first argument */
	/* The record of npi into *old (pid 0: none); npi NULL: none. */
	int (*provider)(void *arg, const char *npi, struct ctp_import_old *old,
	    struct ctp_error *e);
	/* Code in the loaded NUCC code set: *known CTP_IMPORT_TAX_*. */
	int (*taxonomy)(void *arg, const char *code, int *known,
	    struct ctp_error *e);
	/* The status rule (ctp_status_check): CTP_DATAERR, the reason in
	 * e->what, when the row may not make the change. */
	int (*status)(void *arg, long long pid, const char *npi,
	    const char *old, const char *nw, struct ctp_error *e);
	/* Does provider pid hold an active license in state? */
	int (*licensed)(void *arg, long long pid, const char *state, int *yes,
	    struct ctp_error *e);
	/* The credential kinds ptype requires (ctp_kind_bit). */
	int (*required)(void *arg, const char *ptype, unsigned *kinds,
	    struct ctp_error *e);
	/* Every active DEA number and its holder's NPI, each given to
	 * ctp_import_check_dea_held; asked once, before the first. */
	int (*deas)(void *arg, struct ctp_import_check *k,
	    struct ctp_error *e);
};

/* Keys (an NPI, a DEA number) to values (a line, an NPI). */
struct ctp_import_seen {
	uint64_t *key;		/* 0 = empty */
	size_t *line;
	size_t cap, n;
};

/* The checks of one file, and what they remember from row to row. */
struct ctp_import_check {
	const struct ctp_import_ask *ask;
	long as_of;		/* day number: "today" for the age check */
	struct ctp_import_seen npis;	/* NPI -> its first line */
	struct ctp_import_seen deas;	/* DEA number -> the holder's NPI */
	int deas_loaded;
};

/*
 * Check row r (read, trimmed, started) completely, old set to what the
 * roster holds for its NPI; each problem through ctp_import_row_err.
 * Returns 0, or the error that ends the run.
 */
int	ctp_import_check_row(struct ctp_import_check *k,
	    struct ctp_import_row *r, struct ctp_import_old *old,
	    struct ctp_error *e);
/* For ask->deas: the roster's DEA number dea is npi's.  -1: no memory. */
int	ctp_import_check_dea_held(struct ctp_import_check *k, const char *dea,
	    const char *npi);
/* Free what k remembers (k itself is the caller's). */
void	ctp_import_check_free(struct ctp_import_check *k);

#endif
