/*
 * expiring.h - the inbox of what expires or falls due: active credentials'
 * expirations, each provider's re-credentialing (last re-credentialing, or
 * initial credentialing, plus the organization's recred_months) and CAQH
 * re-attestation (last attestation plus caqh_attest_days), bucketed by the
 * organization's inbox thresholds; and what has no date at all: a
 * provider with neither credentialing date (a recred item in bucket
 * "unknown") and a credential the provider's type requires that the
 * provider does not hold (a missing item in bucket "missing").  Items
 * without a date come first.  A provider's open re-credentialing cycle
 * (recred.h) lists its recred item, with the open document requests.
 *
 * One list gathers the items of one or several organizations (one
 * ctp_expiring_collect per organization, each writing its own
 * "expiring.read" audit event); ctp_expiring_sort orders them by due date,
 * then provider; ctp_expiring_write prints them.  The list owns every
 * string its items point to; ctp_expiring_free releases them all.
 * ctp_expiring_run does all of it for a program, over the organizations
 * it names.
 */
#ifndef CTP_EXPIRING_H
#define CTP_EXPIRING_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "auth.h"
#include "err.h"
#include "out.h"

#define CTP_EXP_MAX_WITHIN 3650	/* ten years: anything larger is a typo */
#define CTP_EXP_MAX_THRESHOLDS 8
#define CTP_EXP_BUCKET_LEN 24
#define CTP_EXP_TODAY LONG_MIN	/* as_of: today in each org's time zone */
#define CTP_EXP_NODATE INT_MIN	/* due of an item without a date */

/*
 * Item kinds: the credential kinds, then recred, caqh, missing and
 * enrollment (a stalled application, or an approved one's revalidation).
 */
enum {
	CTP_EXP_STATE_LICENSE = 1u << 0,
	CTP_EXP_DEA = 1u << 1,
	CTP_EXP_CDS = 1u << 2,
	CTP_EXP_BOARD_CERT = 1u << 3,
	CTP_EXP_MALPRACTICE = 1u << 4,
	CTP_EXP_CME = 1u << 5,
	CTP_EXP_HOSPITAL_PRIVILEGES = 1u << 6,
	CTP_EXP_RECRED = 1u << 7,
	CTP_EXP_CAQH = 1u << 8,	/* also spelled caqh_attestation */
	CTP_EXP_MISSING = 1u << 9,	/* a required credential not held */
	CTP_EXP_ENROLLMENT = 1u << 10	/* a payer enrollment (enroll.h) */
};

/* The bit for a kind name, 0 when unknown. */
unsigned ctp_expiring_kind(const char *name);
/* Every kind name, comma-separated, for messages and help. */
const char *ctp_expiring_kind_names(void);

struct ctp_exp_query {
	long as_of;		/* day number, or CTP_EXP_TODAY */
	/* 0..CTP_EXP_MAX_WITHIN; -1: the largest threshold */
	long within;
	int overdue;		/* only what is overdue */
	unsigned kinds;		/* CTP_EXP_* bits; 0: every kind */
	const char *coordinator;	/* only this coordinator's; NULL: all */
};

/* One item, compact: the provider's fields are in the list's people. */
struct ctp_exp_item {
	const char *detail;	/* in the list's storage */
	const char *bucket;	/* "overdue", "30", ..., "later", "unknown",
				   "missing" */
	const struct ctp_exp_person *who;	/* in the list's storage */
	int due;		/* day number; days left: due - who's as_of;
				   CTP_EXP_NODATE: none */
	unsigned char kind;	/* the item: bit number of its CTP_EXP_* kind */
};

/* The output fields of one item; due CTP_EXP_NODATE: no date, no days. */
struct ctp_exp_row {
	const char *org, *npi, *last_name, *first_name, *coordinator, *kind;
	const char *detail;
	long due, days_left;
	const char *bucket;
};

struct ctp_exp_chunk;
struct ctp_exp_person;

struct ctp_exp_list {
	struct ctp_exp_item *v;
	size_t n, cap;
	size_t *order;		/* ctp_expiring_sort: v[order[i]] is i-th */
	struct ctp_exp_person **people;	/* every provider read */
	size_t npeople, cappeople;
	struct ctp_exp_chunk *chunks;	/* string storage */
	long bad_dates;		/* rows skipped: a date that is no date */
};

void	ctp_expiring_init(struct ctp_exp_list *);
void	ctp_expiring_free(struct ctp_exp_list *);

/*
 * Append the items of c's organization that q selects, then write the
 * "expiring.read" audit event (parameters and item count) to c's log.
 * Providers with status active or pending count; inactive and excluded
 * providers and retired credentials are left out.  Items without a date
 * are selected by kind alone: --within and --overdue keep them.
 */
int	ctp_expiring_collect(struct ctp_ctx *c, const struct ctp_exp_query *q,
	    struct ctp_exp_list *l, struct ctp_error *e);
/*
 * Order by due date (none first), then provider (last, first, middle,
 * suffix, then org and npi), then kind and detail.
 */
int	ctp_expiring_sort(struct ctp_exp_list *, struct ctp_error *e);
int	ctp_expiring_write(const struct ctp_exp_list *, struct ctp_out *,
	    struct ctp_error *e);
/* The i-th item (in order once sorted) as its output fields; borrowed. */
void	ctp_expiring_get(const struct ctp_exp_list *, size_t i,
	    struct ctp_exp_row *r);

extern const struct ctp_col ctp_expiring_columns[];
#define CTP_EXPIRING_NCOLUMNS 10

/*
 * The rules: which item is due when, in which bucket, pure functions of
 * their inputs.  Days are day numbers (date.h); dates as the roster
 * stores them are text, "" for none; a detail is cut at
 * CTP_EXP_DETAIL_LEN - 1 bytes.
 */
#define CTP_EXP_DETAIL_LEN 512

/* What one organization's rules depend on. */
struct ctp_exp_rules {
	long as_of;		/* day number */
	long hi;		/* listed: due within hi days; -1: overdue */
	long months;		/* re-credentialing period (recred_months) */
	long attest;		/* CAQH re-attestation days */
};

/* One item as a rule makes it. */
struct ctp_exp_due {
	long due;		/* day number; CTP_EXP_NODATE: none */
	const char *bucket;	/* of an item without a date; NULL: dated */
	int bad;		/* a stored date was no date, and is skipped */
	size_t len;		/* of detail */
	char detail[CTP_EXP_DETAIL_LEN];
};

/*
 * The bucket of an item due in days_left days with thresholds thr[0..n)
 * (any order): -1 ("overdue") when negative, else the index in thr of
 * the smallest threshold that holds it, else n ("later").
 * ctp_expiring_bucket writes its name into out and returns out.
 */
int	ctp_expiring_bucket_at(long days_left, const long *thr, int n);
const char *ctp_expiring_bucket(long days_left, const long *thr, int n,
	    char out[CTP_EXP_BUCKET_LEN]);
/* Whether an item due on due is listed: no date, or due within r->hi. */
int	ctp_expiring_listed(const struct ctp_exp_rules *r, long due);
/* Re-credentialing due date from the last (re)credentialing date. */
long	ctp_expiring_recred_due(long last, long months);
/*
 * A provider's re-credentialing: r->months after the last
 * re-credentialing date, or after the initial credentialing date when
 * there has been none; with neither, an item without a date in bucket
 * "unknown".  1 when listed; 0 when not (out of r's window, or d->bad:
 * the date it counts from is no date).
 */
int	ctp_expiring_recred(const struct ctp_exp_rules *r, const char *initial,
	    const char *last, struct ctp_exp_due *d);
/*
 * The same for a provider with an open re-credentialing cycle (opened
 * on day opened, requests of its documents still open): listed whatever
 * r's window but for an --overdue listing, the detail followed by
 * "; cycle open since DATE, N documents requested".
 */
int	ctp_expiring_recred_open(const struct ctp_exp_rules *r,
	    const char *initial, const char *last, long opened, long requests,
	    struct ctp_exp_due *d);
/*
 * A provider's CAQH re-attestation: r->attest days after the roster's
 * attestation date, or on record (the expiration of the latest active
 * attestation record; CTP_EXP_NODATE: none) when that is later.  1 when
 * listed, 0 when not (neither date, or out of r's window); d->bad when
 * the roster's date is no date, which then counts as none.
 */
int	ctp_expiring_caqh(const struct ctp_exp_rules *r, const char *caqh_id,
	    const char *attested, long record, struct ctp_exp_due *d);
/*
 * A credential due on expires: detail "STATE KIND NUMBER", each part
 * when there is one, and the issuer (NULL: none) when there is no number.
 */
void	ctp_expiring_credential(const char *kind, const char *state,
	    const char *number, const char *issuer, long expires,
	    struct ctp_exp_due *d);
/*
 * The name providers are listed by, "Last, First Middle Suffix" (middle
 * and suffix when there are), into out (n bytes, cut to fit); returns
 * its length.  Providers of one name: by organization, then NPI.
 */
size_t	ctp_expiring_name_key(const char *last, const char *first,
	    const char *middle, const char *suffix, char *out, size_t n);
/*
 * The credential kinds (ctp_kind_bit) the roster itself holds: its CAQH
 * attestation date holds a caqh_attestation.  A kind required
 * (ctp_required_kinds) and neither held so nor by an active credential,
 * expired or not, is missing.
 */
unsigned ctp_expiring_roster_holds(const char *caqh_attested);
/* A missing credential of kind for provider type: no date, bucket missing. */
void	ctp_expiring_missing(const char *kind, const char *type,
	    struct ctp_exp_due *d);

/*
 * The organizations of one run: ctp_expiring_dbs_add takes a file, or a
 * directory whose *.db files it adds in name order (CTP_NOINPUT when it
 * cannot be read or holds none); a file named twice, either way, is
 * read once.  None added: the default database (ctp_db_resolve).  The
 * strings are the list's; ctp_expiring_dbs_free releases them.
 */
struct ctp_exp_dbs {
	char **v;
	size_t n, cap;
};

int	ctp_expiring_dbs_add(struct ctp_exp_dbs *, const char *arg,
	    struct ctp_error *e);
void	ctp_expiring_dbs_free(struct ctp_exp_dbs *);

/* One run of the inbox, as ctp-expiring makes it. */
struct ctp_exp_run {
	struct ctp_exp_query q;
	int mine;		/* only the caller's (as q.coordinator) */
	int fail_if_any;	/* listed: CTP_ATTN; none: nothing written */
	enum ctp_fmt fmt;
	const char *prog;	/* the program, for the audit log */
	enum ctp_perm perm;	/* what the caller needs in each organization */
	/*
	 * Told each organization skipped (it refused the caller, or could
	 * not be read) and each count of rows skipped for a date that is no
	 * date: one line, without the program's name.  NULL: nobody.
	 */
	void	(*warn)(void *arg, const char *msg);
	void	*arg;
};

/*
 * Open each organization of dbs with r->perm checked, list what r->q
 * selects in each to out, in order across them all, and return the exit
 * status: 0, CTP_ATTN (r->fail_if_any), or the code of an organization
 * that was skipped (CTP_NOPERM when every one refused the caller) while
 * the others are listed.  e->code is set only when the listing itself
 * failed; the caller prints e then.
 */
int	ctp_expiring_run(const struct ctp_exp_run *r,
	    const struct ctp_exp_dbs *dbs, FILE *out, struct ctp_error *e);

#endif
