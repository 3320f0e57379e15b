/*
 * roster.h - the providers of an organization: one record per NPI, and
 * one history of every change (old value, new value, who, when, source).
 *
 * Every change is a history row plus an audit event in the same
 * transaction.  Messages never quote values; they name the field.
 */
#ifndef CTP_ROSTER_H
#define CTP_ROSTER_H

#include <stddef.h>

#include <jansson.h>
#include <sqlite3.h>

#include "auth.h"
#include "err.h"
#include "import.h"
#include "out.h"

/* Provider columns a person may set (every column but npi), in order. */
extern const char *const ctp_roster_fields[];
/* 1 when field is one of ctp_roster_fields. */
int	ctp_roster_field_valid(const char *field);
/* Its index in ctp_roster_fields, or -1. */
int	ctp_roster_field_index(const char *field);

/*
 * Check and normalize one provider field value (surrounding spaces
 * dropped, dates to ISO, codes to upper case, ...).  out gets the normal
 * form ("" for an empty value).  Returns NULL when good, else a message.
 * An empty value is refused for first_name, last_name, provider_type and
 * status.  Cross-field rules (taxonomy against type) are not checked here.
 */
const char *ctp_roster_check(const char *field, const char *value,
	    char *out, size_t n);
/* The same with the field given by ctp_roster_field_index (bulk use). */
const char *ctp_roster_check_index(int field, const char *value,
	    char *out, size_t n);

/* Provider row id by NPI: 0 and *id set, CTP_DATAERR "not on the roster"
 * when absent. */
int	ctp_roster_find(sqlite3 *db, const char *npi, long long *id,
	    struct ctp_error *e);

/*
 * Set one provider field with a history row (old, new, who, when, source,
 * note) and an audit event "roster.set", inside the caller's transaction
 * if any, else its own.  Validates the field name and value (and the
 * taxonomy against the provider type and the loaded NUCC code set).
 * Unchanged value: writes nothing, returns 0.  source and note may be
 * NULL.  The status goes through ctp_status_set (status.h) and its rule.
 */
int	ctp_roster_set(struct ctp_ctx *c, const char *npi, const char *field,
	    const char *value, const char *source, const char *note,
	    struct ctp_error *e);

/*
 * Taxonomy code check against the loaded NUCC code set: NULL when no code
 * set is loaded or the code is current, else a message.  ptype (may be
 * NULL) must agree with the code.  *err set on a database error.
 */
const char *ctp_roster_taxonomy_check(sqlite3 *db, const char *code,
	    const char *ptype, struct ctp_error *e, int *err);

struct ctp_roster_filter {
	const char *type;
	const char *state;
	const char *coordinator;
	const char *status;
};

/* One row per provider (ctp_roster_list_columns), ordered by name. */
int	ctp_roster_list(struct ctp_ctx *c, const struct ctp_roster_filter *f,
	    struct ctp_out *o, struct ctp_error *e);
extern const struct ctp_col ctp_roster_list_columns[];
#define CTP_ROSTER_LIST_NCOLUMNS 9

/* The provider as field,value rows (its credentials follow as fields). */
int	ctp_roster_show(struct ctp_ctx *c, const char *npi, struct ctp_out *o,
	    struct ctp_error *e);
extern const struct ctp_col ctp_roster_show_columns[];
#define CTP_ROSTER_SHOW_NCOLUMNS 2

/*
 * The provider as one JSON object: its fields (every column but the row
 * id), "credentials" (an array of objects, ctp_credential_columns but
 * npi) and "history" (an array of objects, ctp_roster_history_columns,
 * oldest first).  *out is the caller's (json_decref).  Audit-logged as
 * ctp_roster_show is.
 */
int	ctp_roster_show_json(struct ctp_ctx *c, const char *npi,
	    json_t **out, struct ctp_error *e);

/* History of one provider and its credentials, oldest first. */
int	ctp_roster_history(struct ctp_ctx *c, const char *npi,
	    struct ctp_out *o, struct ctp_error *e);
extern const struct ctp_col ctp_roster_history_columns[];
#define CTP_ROSTER_HISTORY_NCOLUMNS 8

/*
 * The roster as the file ctp-import reads: every provider, as one row of
 * ctp_import_columns, with the lowest-numbered active credential of each
 * kind the file carries.  Audit: "roster.export".
 */
int	ctp_roster_export(struct ctp_ctx *c, struct ctp_out *o,
	    struct ctp_error *e);
extern const struct ctp_col ctp_roster_export_columns[];
#define CTP_ROSTER_EXPORT_NCOLUMNS CTP_IMPORT_NCOLUMNS

#endif
