/*
 * expiring_int.h - what the files of the inbox (lib/expiring*.c) share;
 * programs use expiring.h.
 */
#ifndef CTP_EXPIRING_INT_H
#define CTP_EXPIRING_INT_H

#include <sqlite3.h>

#include "date.h"
#include "expiring.h"

#define CTP_EXP_NKINDS 11
/* Bit i of the kind mask is ctp_exp_kind_names[i]. */
extern const char *const ctp_exp_kind_names[CTP_EXP_NKINDS];
#define CTP_EXP_CRED_KINDS (CTP_EXP_RECRED - 1u)
#define CTP_EXP_ALL_KINDS ((CTP_EXP_ENROLLMENT << 1) - 1u)

#define CTP_EXP_RECRED_INDEX 7	/* ctp_exp_kind_names[7] is "recred" */
#define CTP_EXP_CAQH_INDEX 8	/* ctp_exp_kind_names[8] is "caqh" */
#define CTP_EXP_MISSING_INDEX 9	/* ctp_exp_kind_names[9] is "missing" */
#define CTP_EXP_ENROLL_INDEX 10	/* ctp_exp_kind_names[10]: "enrollment" */

/* A hint that memory will be read soon; nothing where there is none. */
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/*
 * A provider of some organization; rank orders them by name (key: "Last,
 * First Middle Suffix").  Kept in the list's storage with its strings
 * right after it, so that a row of the listing finds the person and its
 * strings in one place.
 */
struct ctp_exp_person {
	const char *org, *npi, *key, *last, *first, *coordinator;
	size_t rank;
	long as_of;		/* the organization's as_of */
};

/* What one organization contributes, settled before its rows are read. */
struct ctp_exp_org {
	const char *name;
	struct ctp_exp_rules rules;
	long within;
	long thr[CTP_EXP_MAX_THRESHOLDS];	/* as stored */
	const char *label[CTP_EXP_MAX_THRESHOLDS];	/* "120", "90", ... */
	int nthr;
	unsigned kinds;
	const char *coordinator;
};

/* The providers that count (active or pending), by id. */
struct ctp_exp_prov {
	long long id;
	struct ctp_exp_person *who;
	const char *type;	/* provider type, in the list's storage */
	unsigned need, held;	/* credential kinds (ctp_kind_bit) */
};

/* A provider type met, and what the organization requires of it. */
struct ctp_exp_ptype {
	const char *name;	/* in the list's storage */
	size_t len;
	unsigned need;
};

#define CTP_EXP_MAX_PTYPES 64	/* beyond: asked of the database each time */

struct ctp_exp_roster {
	struct ctp_exp_prov *v;
	size_t n, cap;
	/* When ids are dense: map[id - base] is the person, NULL for none. */
	struct ctp_exp_person **map;
	long long base;
	size_t nmap;
	struct ctp_exp_ptype types[CTP_EXP_MAX_PTYPES];
	int ntypes;
};

/*
 * Where ctp_exp_credentials() puts an item: into the list (emit), or
 * into a streaming merge.  iso: the expiration was stored as YYYY-MM-DD, in
 * date order with the rows before it.  Returns 0, or -1 to stop the scan
 * (e set, or out of memory).
 */
typedef int (*ctp_exp_sink_fn)(void *arg, struct ctp_exp_list *l,
    const struct ctp_exp_org *o, const struct ctp_exp_person *who,
    unsigned kind, const struct ctp_exp_due *d, int iso);

/*
 * The due date and days left written last: a listing in date order
 * formats each date once per organization (its as_of).
 */
struct ctp_exp_rowdate {
	int have;
	long day, as_of;
	char due[CTP_DATE_LEN], left[24];
};

/* expiring.c */
unsigned ctp_exp_kind_index(unsigned bit);

/*
 * expiring_list.c.  What ctp_exp_reserve, ctp_exp_keepn and ctp_exp_keep
 * return is in l's storage, freed with l (NULL when out of memory).
 */
/* Forget l's items and strings, keeping one chunk of storage. */
void	ctp_exp_list_reset(struct ctp_exp_list *l);
char	*ctp_exp_reserve(struct ctp_exp_list *l, size_t n, size_t align);
const char *ctp_exp_keepn(struct ctp_exp_list *l, const char *s, size_t len);
const char *ctp_exp_keep(struct ctp_exp_list *l, const char *s);
struct ctp_exp_item *ctp_exp_add_item(struct ctp_exp_list *l);
int	ctp_exp_emit(struct ctp_exp_list *l, const struct ctp_exp_org *o,
	    const struct ctp_exp_person *who, unsigned kind,
	    const struct ctp_exp_due *d);
int	ctp_exp_put_item(struct ctp_out *o, struct ctp_exp_rowdate *d,
	    const struct ctp_exp_item *it, struct ctp_error *e);

/* expiring_read.c */
int	ctp_exp_settle(struct ctp_ctx *c, const struct ctp_exp_query *q,
	    struct ctp_exp_org *o, struct ctp_exp_list *l, struct ctp_error *e);
/* The providers that count, with their own items but the missing ones. */
int	ctp_exp_roster_read(struct ctp_ctx *c, const struct ctp_exp_org *o,
	    struct ctp_exp_roster *r, struct ctp_exp_list *l,
	    struct ctp_error *e);
/*
 * The missing items of r's providers, when o lists them; what they hold
 * from a, the reader ahead (expiring_ahead.c), or read here (a NULL).
 */
struct ctp_exp_ahead;
int	ctp_exp_missing(struct ctp_ctx *c, const struct ctp_exp_org *o,
	    struct ctp_exp_roster *r, struct ctp_exp_list *l,
	    struct ctp_exp_ahead *a, struct ctp_error *e);
void	ctp_exp_roster_free(struct ctp_exp_roster *r);
struct ctp_exp_prov *ctp_exp_find_slot(const struct ctp_exp_roster *r,
	    long long id);
int	ctp_exp_iso_shape(const char *s, size_t n);
int	ctp_exp_credentials(struct ctp_ctx *c, const struct ctp_exp_org *o,
	    const struct ctp_exp_roster *r, struct ctp_exp_list *l,
	    ctp_exp_sink_fn put, void *arg, struct ctp_error *e);

/*
 * The credentials due, a row at a time, in the order of the
 * credentials_due index (date order for dates stored as YYYY-MM-DD):
 * ctp_exp_credentials reads them so, and so does the reader ahead
 * (expiring_ahead.c) on its own connection.
 */
struct ctp_exp_dueread {
	sqlite3_stmt *st, *iss;
};
/* A credential due of a kind listed; its strings last until the next row. */
struct ctp_exp_crow {
	long long provider_id;
	unsigned bit;		/* its kind (ctp_expiring_kind) */
	const char *state, *number, *expires;
	const char *issuer;	/* NULL unless number is empty */
	size_t nexpires;
};
/* The date of the rows before, parsed once for a run of them. */
struct ctp_exp_duestate {
	char lastdate[16];
	size_t daten;		/* SIZE_MAX at first */
	long due;
	int datebad, iso;	/* iso 1 at first */
};
int	ctp_exp_due_open(sqlite3 *db, const struct ctp_exp_org *o,
	    struct ctp_exp_dueread *d, struct ctp_error *e);
/*
 * The next row into *row: 1, 0 at the end, or -e->code.  r: rows of
 * providers not in it are passed over; NULL: none is.
 */
int	ctp_exp_due_next(sqlite3 *db, const char *where,
	    const struct ctp_exp_org *o, const struct ctp_exp_roster *r,
	    struct ctp_exp_dueread *d, struct ctp_exp_crow *row,
	    struct ctp_error *e);
void	ctp_exp_due_close(struct ctp_exp_dueread *d);
/* The item of one row, if listed, to put; 0 or e->code. */
int	ctp_exp_due_put(const struct ctp_exp_org *o,
	    const struct ctp_exp_roster *r, struct ctp_exp_list *l,
	    const struct ctp_exp_crow *row, struct ctp_exp_duestate *s,
	    ctp_exp_sink_fn put, void *arg, struct ctp_error *e);
int	ctp_exp_audit_read(struct ctp_ctx *c, const struct ctp_exp_org *o,
	    long long items, struct ctp_error *e);
/* The person of provider id among the providers that count; NULL: none. */
const struct ctp_exp_person *ctp_exp_find_person(
	    const struct ctp_exp_roster *r, long long id);

/* expiring_enroll.c: the enrollment items of r's providers, into l. */
int	ctp_exp_enrollments(struct ctp_ctx *c, const struct ctp_exp_org *o,
	    const struct ctp_exp_roster *r, struct ctp_exp_list *l,
	    struct ctp_error *e);

/*
 * expiring_ahead.c: a second connection and thread reading what the
 * providers hold and the credentials due while the caller reads the
 * roster (speed only).  Start it inside the caller's BEGIN, before the
 * caller's first read; NULL: the caller reads alone (a small
 * organization, or no second reader to be had).
 */
struct ctp_exp_ahead *ctp_exp_ahead_start(struct ctp_ctx *c,
	    const struct ctp_exp_org *o);
/* What r's providers hold; 0, 1: not read ahead (read it), or e->code. */
int	ctp_exp_ahead_held(struct ctp_exp_ahead *a, struct ctp_exp_roster *r,
	    struct ctp_error *e);
/* As ctp_exp_credentials, from the rows read ahead. */
int	ctp_exp_ahead_credentials(struct ctp_exp_ahead *a,
	    const struct ctp_exp_org *o, const struct ctp_exp_roster *r,
	    struct ctp_exp_list *l, ctp_exp_sink_fn put, void *arg,
	    struct ctp_error *e);
/* Stop it and free it; NULL is nothing. */
void	ctp_exp_ahead_end(struct ctp_exp_ahead *a);

/*
 * expiring_render.c: the rows of a stream made into text on two threads
 * (speed only).  Start it once l's provider items are ordered; NULL: the
 * caller writes to out itself (a terminal, a table, no thread).  *written
 * counts the rows handed to out's stream.
 */
struct ctp_exp_render;
struct ctp_exp_render *ctp_exp_render_start(struct ctp_out *out,
	    const struct ctp_exp_list *l, long long *written);
/*
 * The next rows in order: l's provider items l->order[from..to), then
 * day's items in (*order)[0..day->n).  day and *order go with them; the
 * caller has empty ones back.  0 or e->code (a row not made, or not
 * written: the listing stops).
 */
int	ctp_exp_render_push(struct ctp_exp_render *r, size_t from, size_t to,
	    struct ctp_exp_list *day, size_t **order, size_t *caporder,
	    struct ctp_error *e);
/* Write what is left (unless a push failed), stop, free; NULL is 0. */
int	ctp_exp_render_end(struct ctp_exp_render *r, struct ctp_error *e);

/* expiring_held.c: what the providers hold, read from every active credential. */
/* Into r's providers; 0 or e->code. */
int	ctp_exp_read_held(struct ctp_ctx *c, struct ctp_exp_roster *r,
	    struct ctp_error *e);
/*
 * Into mark[id - base] for the ids in [base, base + n), one bit per kind
 * of ctp_credential_kinds; 0, 1 when some kind has no bit in a byte (read
 * into the roster instead), or e->code.
 */
int	ctp_exp_held_marks(sqlite3 *db, const char *where, long long base,
	    size_t n, unsigned char *mark, struct ctp_error *e);
/* The marks of ctp_exp_held_marks into r's providers. */
void	ctp_exp_held_apply(struct ctp_exp_roster *r, long long base,
	    size_t n, const unsigned char *mark);

/*
 * expiring_stream.c: read c's organization as ctp_expiring_collect does
 * and write its items in order to out as they are read (l holds the
 * providers and their own items meanwhile; free it after), then write
 * the "expiring.read" event.  -1 when an expiration is stored in a form
 * other than YYYY-MM-DD, so that the index would not give the rows in
 * date order: nothing is written, and the caller frees l and collects
 * instead.  Otherwise 0 or e->code.
 */
int	ctp_expiring_stream(struct ctp_ctx *c, const struct ctp_exp_query *q,
	    struct ctp_exp_list *l, struct ctp_out *out, struct ctp_error *e);

/* expiring_sort.c */
/*
 * ctp_expiring_sort in two steps: the people's ranks (0, or -1 when out
 * of memory), then the order of l's items.
 */
int	ctp_exp_rank_people(struct ctp_exp_list *l);
int	ctp_exp_order(struct ctp_exp_list *l, struct ctp_error *e);
int	ctp_exp_order_items(const struct ctp_exp_item *v, size_t n,
	    size_t *order);

#endif
