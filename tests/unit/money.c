/*
 * Unit tests for lib/money.c (prices in cents), the invoice's seat rule
 * and month parser (lib/invoice.c) and the enrollment transitions
 * (lib/enroll.c).
 */
#include <stdio.h>

#include "date.h"
#include "enroll.h"
#include "invoice.h"
#include "money.h"
#include "tap.h"

static long long
cents(const char *s)
{
	long long c;

	return ctp_cents_parse(s, &c) < 0 ? -1 : c;
}

static long
day(const char *s)
{
	long d = 0;

	ctp_date_parse(s, &d);
	return d;
}

/* Billed in May 2026? */
static int
may(const char *created, const char *initial,
    const struct ctp_invoice_change *ch, size_t n)
{
	return ctp_invoice_billed(day(created), initial, ch, n,
	    day("2026-05-01"), day("2026-05-31"));
}

int
main(void)
{
	static const char *const bad[] = { "", "-1", "+1", "1.", ".5",
	    "1.234", "1,000", "$5", " 5", "5 ", "1e3", "0x10", "1.2.3",
	    "99999999999999999999", "1000000001", "NaN", NULL };
	char buf[CTP_MONEY_LEN];
	struct ctp_invoice_change ch[3];
	int y, m;
	size_t i;

	is_int(cents("99"), 9900, "whole dollars");
	is_int(cents("99.00"), 9900, "dollars and cents");
	is_int(cents("99.5"), 9950, "one decimal is tens of cents");
	is_int(cents("0.05"), 5, "five cents");
	is_int(cents("0"), 0, "zero");
	is_int(cents("1000000000"), CTP_MONEY_MAX, "the largest amount");
	is_int(cents("007.10"), 710, "leading zeros");
	for (i = 0; bad[i]; i++)
		ok(cents(bad[i]) == -1, "refused: '%s'", bad[i]);
	is_str(ctp_cents_format(9900, buf), "99.00", "format 99.00");
	is_str(ctp_cents_format(5, buf), "0.05", "format 0.05");
	is_str(ctp_cents_format(0, buf), "0.00", "format 0.00");
	is_str(ctp_cents_format(-150, buf), "-1.50", "format a negative");
	is_str(ctp_cents_format(CTP_MONEY_MAX * 12, buf), "12000000000.00",
	    "format a large amount");
	/* 0.10 + 0.20 is 0.30 to the cent, as a double never quite is. */
	is_str(ctp_cents_format(cents("0.10") + cents("0.20"), buf), "0.30",
	    "0.10 + 0.20");

	ok(ctp_invoice_month_parse("2026-05", &y, &m) == 0 && y == 2026 &&
	    m == 5, "month 2026-05");
	ok(ctp_invoice_month_parse("2026-5", &y, &m) < 0, "2026-5 refused");
	ok(ctp_invoice_month_parse("2026-00", &y, &m) < 0, "month 00");
	ok(ctp_invoice_month_parse("2026-13", &y, &m) < 0, "month 13");
	ok(ctp_invoice_month_parse("2026-05-01", &y, &m) < 0, "a date");
	ok(ctp_invoice_month_parse("1969-12", &y, &m) < 0, "before 1970");

	ok(may("2026-01-01", "active", NULL, 0), "active all along");
	ok(!may("2026-01-01", "pending", NULL, 0), "pending all along");
	ok(may("2026-05-20", "active", NULL, 0), "added on the 20th");
	ok(may("2026-05-31", "active", NULL, 0), "added on the last day");
	ok(!may("2026-06-01", "active", NULL, 0), "added after the month");
	ch[0].day = day("2026-05-03");
	ch[0].status = "inactive";
	ok(may("2026-01-01", "active", ch, 1), "terminated on the 3rd");
	ch[0].day = day("2026-05-01");
	ok(may("2026-01-01", "active", ch, 1), "terminated on the 1st");
	ch[0].day = day("2026-04-30");
	ok(!may("2026-01-01", "active", ch, 1),
	    "terminated before the month began");
	ch[0].day = day("2026-03-10");
	ch[0].status = "excluded";
	ch[1].day = day("2026-05-31");
	ch[1].status = "active";
	ok(may("2026-01-01", "active", ch, 2), "reinstated on the last day");
	ch[1].day = day("2026-06-02");
	ok(!may("2026-01-01", "active", ch, 2), "excluded all month");
	ch[0].day = day("2026-05-10");
	ch[0].status = "active";
	ch[1].day = day("2026-05-12");
	ch[1].status = "inactive";
	ok(may("2026-05-01", "pending", ch, 2), "active two days mid-month");
	ch[0].day = day("2026-04-10");
	ch[0].status = "inactive";
	ch[1].day = day("2026-04-12");
	ch[1].status = "active";
	ch[2].day = day("2026-04-20");
	ch[2].status = "inactive";
	ok(!may("2026-01-01", "active", ch, 3), "back and forth in April");

	ok(ctp_enroll_transition("requested", "submitted") == NULL,
	    "requested -> submitted");
	ok(ctp_enroll_transition("submitted", "approved") == NULL,
	    "submitted -> approved");
	ok(ctp_enroll_transition("in_process", "withdrawn") == NULL,
	    "in_process -> withdrawn");
	ok(ctp_enroll_transition("denied", "requested") == NULL,
	    "denied -> requested");
	ok(ctp_enroll_transition("in_process", "in_process") == NULL,
	    "a follow-up on an open enrollment");
	ok(ctp_enroll_transition("approved", "requested") != NULL,
	    "approved -> requested refused");
	ok(ctp_enroll_transition("approved", "approved") != NULL,
	    "no follow-up on a closed one");
	ok(ctp_enroll_transition("withdrawn", "requested") != NULL,
	    "withdrawn is final");
	ok(ctp_enroll_transition("requested", "approved") != NULL,
	    "requested -> approved skips the submission");
	ok(ctp_enroll_transition("requested", "done") != NULL,
	    "an unknown status");
	is_int(ctp_enroll_revalidation(day("2024-02-29"), 5),
	    day("2029-02-28"), "revalidation five years on, clamped");
	return done_testing();
}
