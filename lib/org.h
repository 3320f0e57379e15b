/*
 * org.h - organization settings: a fixed table of keys, each with a
 * default and a validator.  Values are stored as text in the settings
 * table; a key never set reads as its default.
 */
#ifndef CTP_ORG_H
#define CTP_ORG_H

#include <stddef.h>

#include <sqlite3.h>

#include "auth.h"
#include "err.h"

#include "out.h"

struct ctp_setting {
	const char *key;
	const char *def;	/* default value, "" for none */
	/* 0 when v is acceptable, else -1 with why filled. */
	int (*check)(const char *v, char *why, size_t n);
	int secret;		/* shown masked by ctp-org show */
	const char *help;
};

const struct ctp_setting *ctp_org_settings(size_t *n);
const struct ctp_setting *ctp_org_setting(const char *key);

/* Value of key (or its default); *out is a new string. */
int	ctp_org_get(sqlite3 *db, const char *key, char **out,
	    struct ctp_error *e);
int	ctp_org_get_long(sqlite3 *db, const char *key, long *out,
	    struct ctp_error *e);
/* A percentage setting in hundredths of a percent (2.5 -> 250). */
int	ctp_org_get_percent(sqlite3 *db, const char *key, long *out,
	    struct ctp_error *e);

/*
 * Today in the organization's time zone (its timezone setting): the
 * default "as of" day of every program that depends on today.
 */
int	ctp_org_today(sqlite3 *db, long *day, struct ctp_error *e);
/* Inbox thresholds, descending; returns the count (at most max). */
int	ctp_org_thresholds(sqlite3 *db, long *out, int max,
	    struct ctp_error *e);

/* Validate and set, with an audit event carrying old and new values. */
int	ctp_org_set(struct ctp_ctx *c, const char *key, const char *value,
	    struct ctp_error *e);
/* Write key,value rows (every setting) to o; audit-logged as a read. */
int	ctp_org_show(struct ctp_ctx *c, struct ctp_out *o, struct ctp_error *e);
extern const struct ctp_col ctp_org_columns[];
#define CTP_ORG_NCOLUMNS 2

/*
 * ctp-init: create the database dbopt names (ctp_db_resolve; a file that
 * exists is refused), with the caller as its owner and its first
 * settings, in one transaction.  On failure after the file was created,
 * the file is removed.  prog names the program in the audit log.
 */
int	ctp_org_create(const char *prog, const char *dbopt, const char *name,
	    long recred_months, struct ctp_error *e);
/* Store the initial settings of a new organization (inside a transaction). */
int	ctp_org_init(struct ctp_ctx *c, const char *name, long recred_months,
	    struct ctp_error *e);

#endif
