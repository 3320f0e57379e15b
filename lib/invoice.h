/*
 * invoice.h - the invoice of one organization for one month (ctp-invoice):
 * a base fee and the provider seats, priced from the organization's
 * settings (price_base, price_seat, price_seat_annual) in whole cents.
 *
 * A seat is a provider whose status was active on any day of the month,
 * as the roster's status history tells it: from the day the provider was
 * added (created_at) with the status it had then, each status change
 * taking effect on the day it was recorded (UTC), the day of a change
 * counting for both the status before it and the one after.  A provider
 * added on the 20th counts, and so does one made inactive on the 3rd; one
 * made inactive before the month began, or added after it ended, does
 * not; pending, inactive and excluded are not active.  Users
 * (coordinators, auditors, admins, owners) are people who work in ctp,
 * not providers: never billed.
 *
 * Monthly plan: base fee once, each seat at price_seat.  Annual plan
 * (--annual): twelve months from the month given, billed at once: the
 * base fee twelve times, each seat counted in that month twelve times at
 * price_seat_annual.  No tax: the total is the subtotal.  The same month
 * of the same roster gives the same numbers every time.
 */
#ifndef CTP_INVOICE_H
#define CTP_INVOICE_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "auth.h"
#include "err.h"
#include "expiring.h"	/* ctp_exp_dbs: the organizations of a run */
#include "money.h"
#include "out.h"

/* A status change: from day on, the provider's status is status. */
struct ctp_invoice_change {
	long day;
	const char *status;
};

/*
 * The seat rule: a provider added on day created with status initial,
 * then the n changes (in order), was active on some day of first..last.
 * 1 or 0.
 */
int	ctp_invoice_billed(long created, const char *initial,
	    const struct ctp_invoice_change *ch, size_t n, long first,
	    long last);

/* "YYYY-MM" (exactly) into *year and *month: 0 or -1. */
int	ctp_invoice_month_parse(const char *s, int *year, int *month);

struct ctp_invoice_seat {
	char *npi, *last, *first;
};

struct ctp_invoice {
	char *org;		/* the organization's name (or file name) */
	char *db;		/* its database file */
	char month[8];		/* YYYY-MM */
	int annual;
	long months;		/* 1, or 12 for the annual plan */
	long long base, seat;	/* unit prices, cents */
	long long seats;
	long long base_amount, seats_amount, subtotal, total;	/* cents */
	struct ctp_invoice_seat *v;	/* the seats, by last, first name */
	size_t n, cap;
};

/*
 * c's invoice for month (year, mon): seats, prices and sums into inv,
 * then a "billing.invoice" audit event with the numbers.  Free inv with
 * ctp_invoice_free.
 */
int	ctp_invoice_make(struct ctp_ctx *c, int year, int mon, int annual,
	    struct ctp_invoice *inv, struct ctp_error *e);
void	ctp_invoice_free(struct ctp_invoice *inv);

/* The invoice as one JSON object (amounts as "D.CC" and in cents). */
json_t	*ctp_invoice_json(const struct ctp_invoice *inv);
/* The invoice as text for a terminal, 80 columns. */
int	ctp_invoice_text(FILE *f, const struct ctp_invoice *inv);
/* One row of the combined CSV (ctp_invoice_columns). */
int	ctp_invoice_row(struct ctp_out *o, const struct ctp_invoice *inv,
	    struct ctp_error *e);
extern const struct ctp_col ctp_invoice_columns[];
#define CTP_INVOICE_NCOLUMNS 11

/*
 * The invoice as a one-page PDF, DIR/invoice-YYYY-MM-NAME.pdf (NAME: the
 * database file's name without .db), through outfile.h (flags: its
 * CTP_OUTFILE_FORCE).  invoice_pdf.c, with libharu.
 */
int	ctp_invoice_pdf(const struct ctp_invoice *inv, const char *dir,
	    int flags, struct ctp_error *e);


/* One run of ctp-invoice over the organizations of dbs. */
struct ctp_invoice_run {
	int year, month, annual;
	enum ctp_fmt fmt;	/* table: text invoices; CSV: one row each */
	const char *pdf_dir;	/* NULL: no PDF */
	int pdf_flags;		/* outfile.h */
	const char *prog;
	/* Told each organization skipped, one line (NULL: nobody). */
	void	(*warn)(void *arg, const char *msg);
	void	*arg;
};

/*
 * Each organization of dbs opened in turn (an admin or owner: billing),
 * its invoice made and written to out, and its PDF; an organization
 * that cannot be read or refuses the caller is named to r->warn and
 * skipped.  Returns 0, or the code of an organization skipped (CTP_NOPERM
 * when every one refused); e->code set only when the output failed.
 */
int	ctp_invoice_run(const struct ctp_invoice_run *r,
	    const struct ctp_exp_dbs *dbs, FILE *out, struct ctp_error *e);

#endif
