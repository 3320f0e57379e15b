/*
 * today.h - the morning dashboard (ctp-today): for each organization, in
 * this order, what falls due in 30, 60 and 90 days, the verification
 * queue, new and stalled payer enrollments, the last screening run and
 * its pending matches, open NPI mismatches, the documents added in the
 * last 24 hours and the review queue.
 *
 * One organization's dashboard is one JSON object (ctp_today_read), a
 * key per section; the text screen and the HTML page are drawn from
 * that object (today_out.c), so their numbers are --json's.  Each
 * section gives its counts and its first CTP_TODAY_FEW items.
 */
#ifndef CTP_TODAY_H
#define CTP_TODAY_H

#include <stdio.h>

#include <jansson.h>

#include "auth.h"
#include "err.h"
#include "expiring.h"

#define CTP_TODAY_FEW 5		/* items shown per section */
#define CTP_TODAY_NEW_DAYS 7	/* an enrollment requested this recently */

/*
 * c's dashboard as of day as_of (CTP_EXP_TODAY: today in the
 * organization's time zone) into *out (a new object), and a
 * "today.read" audit event.  now_ts: the time "the last 24 hours" end
 * at (RFC 3339; NULL: now).
 */
int	ctp_today_read(struct ctp_ctx *c, long as_of, const char *now_ts,
	    json_t **out, struct ctp_error *e);

/* The dashboards of several organizations as text, 80 columns. */
int	ctp_today_text(FILE *f, json_t *const *orgs, size_t n);
/* One self-contained HTML page of them (inline CSS, no script). */
int	ctp_today_html(FILE *f, json_t *const *orgs, size_t n);

enum ctp_today_fmt { CTP_TODAY_TEXT, CTP_TODAY_JSON, CTP_TODAY_HTML };

struct ctp_today_run {
	long as_of;		/* or CTP_EXP_TODAY */
	const char *now_ts;	/* NULL: now */
	enum ctp_today_fmt fmt;
	const char *html;	/* the page's path (CTP_TODAY_HTML) */
	int html_flags;		/* outfile.h */
	const char *prog;
	void	(*warn)(void *arg, const char *msg);
	void	*arg;
};

/*
 * Each organization of dbs read in turn (any role), then shown to out
 * (text, JSON Lines) or written to r->html.  An organization that cannot
 * be read is named to r->warn and left out; returns 0 or its code
 * (CTP_NOPERM when every one refused the caller), e->code set only when
 * the output failed.
 */
int	ctp_today_run(const struct ctp_today_run *r,
	    const struct ctp_exp_dbs *dbs, FILE *out, struct ctp_error *e);

#endif
