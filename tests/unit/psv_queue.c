/*
 * psv_queue: the verification queue's rule (ctp_psv_due), without a
 * database: never verified, changed, failed, stale, and their order.
 */
#include <stdio.h>

#include "date.h"
#include "psv_log.h"
#include "tap.h"

static const char *
due(long last, const char *mark, int reset, long as_of, long window)
{
	struct ctp_psv_state s = { last, mark, reset };

	return ctp_psv_due(&s, as_of, window);
}

/* NULL as "-" for is_str. */
static const char *
str(const char *s)
{
	return s ? s : "-";
}

int
main(void)
{
	long d = ctp_date_from_ymd(2026, 11, 30);

	is_str(str(due(-1, "unverified", 0, d, 120)), "never_verified",
	    "no verification");
	is_str(str(due(-1, "verified", 0, d, 120)), "never_verified",
	    "marked verified by hand, no entry: never verified");
	is_str(str(due(-1, "failed", 1, d, 120)), "never_verified",
	    "never verified comes first");
	is_str(str(due(d, "verified", 0, d, 120)), "-", "verified today");
	is_str(str(due(d - 120, "verified", 0, d, 120)), "-",
	    "120 days on: current");
	is_str(str(due(d - 121, "verified", 0, d, 120)), "stale",
	    "121 days on: stale");
	is_str(str(due(d - 121, "verified", 0, d, 365)), "-",
	    "a window of 365 days");
	is_str(str(due(d - 1, "unverified", 1, d, 120)), "changed",
	    "a value changed after the verification");
	is_str(str(due(d - 200, "unverified", 1, d, 120)), "changed",
	    "changed comes before stale");
	is_str(str(due(d - 1, "verified", 1, d, 120)), "-",
	    "marked verified since the change");
	is_str(str(due(d - 1, "failed", 0, d, 120)), "failed",
	    "the last check failed");
	is_str(str(due(d - 1, "failed", 1, d, 120)), "changed",
	    "changed comes before failed");
	is_str(str(due(d - 1, "unverified", 0, d, 120)), "-",
	    "unmarked by hand, nothing changed: current");
	is_str(str(due(d + 5, "verified", 0, d, 120)), "-",
	    "a verification after the day (read as of it): not stale");
	return done_testing();
}
