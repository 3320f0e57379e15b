/*
 * today_out.c - the dashboard shown (today.h): a text screen of 80
 * columns, one HTML page, both drawn from the JSON object of each
 * organization, and the run over several organizations.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "out.h"
#include "outfile.h"
#include "today.h"

#define COLS 80

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static long long
num(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* "Last, First" of an item, for a person to read. */
static const char *
who(json_t *it)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s, %s", str(it, "last_name"),
	    str(it, "first_name"));
	return buf;
}

static json_t *
sec(json_t *org, const char *key)
{
	return json_object_get(org, key);
}

/* One line: formatted, controls shown (ctp_vis), cut to COLS chars. */
static void
line(FILE *f, const char *fmt, ...)
{
	char buf[1024], vis[2048];
	size_t i, chars = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ctp_vis(vis, sizeof(vis), buf, CTP_VIS_SPACE);
	for (i = 0; vis[i]; i++) {
		if (((unsigned char)vis[i] & 0xc0) != 0x80 && ++chars > COLS)
			break;
	}
	vis[i] = '\0';
	fprintf(f, "%s\n", vis);
}

/* s padded or cut to width characters (not bytes) into out. */
static const char *
fit(char *out, size_t n, const char *s, size_t width)
{
	size_t i = 0, chars = 0;

	for (; s[i] && i + 1 < n; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == width)
			break;
		out[i] = s[i];
	}
	for (; chars < width && i + 1 < n; chars++)
		out[i++] = ' ';
	out[i] = '\0';
	return out;
}

static const char *
plural(long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void
text_lists(char *out, size_t n, json_t *run)
{
	json_t *lists = json_object_get(run, "lists"), *l;
	size_t i, k = 0;

	out[0] = '\0';
	json_array_foreach(lists, i, l)
		k += (size_t)snprintf(out + k, k < n ? n - k : 0, "%s%s v%lld",
		    i ? ", " : "", str(l, "source"), num(l, "version"));
}

static void
text_org(FILE *f, json_t *o)
{
	json_t *s, *it, *run;
	char lists[256], nm[128];
	size_t i;

	line(f, "== %s, %s ==", str(o, "organization"), str(o, "as_of"));
	s = sec(o, "due");
	line(f, "Due in 90 days: %lld (overdue %lld | 30d %lld | 60d %lld | "
	    "90d %lld | no date %lld)", num(s, "total"),
	    num(s, "overdue"), num(s, "30"), num(s, "60"), num(s, "90"),
	    num(s, "no_date"));
	json_array_foreach(json_object_get(s, "first"), i, it) {
		if (json_is_null(json_object_get(it, "days_left")))
			line(f, "  %-10s %5s  %s %s", "no date", "",
			    fit(nm, sizeof(nm), who(it), 20),
			    str(it, "detail"));
		else
			line(f, "  %-10s %5lld  %s %s", str(it, "due"),
			    num(it, "days_left"), fit(nm, sizeof(nm),
			    who(it), 20), str(it, "detail"));
	}
	s = sec(o, "psv_queue");
	line(f, "PSV queue: %lld %s to verify", num(s, "count"),
	    plural(num(s, "count"), "credential", "credentials"));
	json_array_foreach(json_object_get(s, "first"), i, it)
		line(f, "  %s %-20s %s", fit(nm, sizeof(nm), who(it),
		    20), str(it, "kind"), str(it, "reason"));
	s = sec(o, "enrollments");
	line(f, "Enrollments: %lld new, %lld stalled, %lld open",
	    num(s, "new"), num(s, "stalled"), num(s, "open"));
	json_array_foreach(json_object_get(s, "first"), i, it)
		line(f, "  #%-4lld %s %s, %lld days%s: %s %s", num(it, "id"),
		    fit(nm, sizeof(nm), who(it), 20),
		    str(it, "status"), num(it, "days"),
		    json_is_true(json_object_get(it, "stalled")) ?
		    " (stalled)" : "", str(it, "payer"), str(it, "line"));
	s = sec(o, "screening");
	run = json_object_get(s, "last_run");
	if (json_is_object(run)) {
		text_lists(lists, sizeof(lists), run);
		line(f, "Screening: last run %s (%s), %lld pending %s",
		    str(run, "as_of"), lists, num(s, "pending_matches"),
		    plural(num(s, "pending_matches"), "match", "matches"));
	} else
		line(f, "Screening: never run, %lld pending %s",
		    num(s, "pending_matches"), plural(num(s,
		    "pending_matches"), "match", "matches"));
	s = sec(o, "npi_mismatches");
	line(f, "NPI mismatches: %lld open", num(s, "open"));
	json_array_foreach(json_object_get(s, "first"), i, it)
		line(f, "  %s %s: roster \"%s\", registry \"%s\"",
		    fit(nm, sizeof(nm), who(it), 20), str(it, "field"),
		    str(it, "roster_value"), str(it, "registry_value"));
	s = sec(o, "documents");
	if (json_is_true(json_object_get(s, "available"))) {
		line(f, "Documents, last 24 hours: %lld", num(s, "count"));
		json_array_foreach(json_object_get(s, "first"), i, it)
			line(f, "  %s %-12s %s", fit(nm, sizeof(nm),
			    who(it), 20), str(it, "kind"),
			    str(it, "file"));
	} else
		line(f, "Documents, last 24 hours: not available");
	s = sec(o, "review");
	if (json_is_true(json_object_get(s, "available")))
		line(f, "Review queue: %lld pending (%lld %s, %lld %s)",
		    num(s, "pending"), num(s, "documents"), plural(num(s,
		    "documents"), "document", "documents"), num(s,
		    "suggestions"), plural(num(s, "suggestions"), "suggestion",
		    "suggestions"));
	else
		line(f, "Review queue: not available");
}

int
ctp_today_text(FILE *f, json_t *const *orgs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			putc('\n', f);
		text_org(f, orgs[i]);
	}
	return ferror(f) ? -1 : 0;
}

/* HTML: every text through ctp_html_put, every number from the JSON. */
static void
h(FILE *f, const char *s)
{
	ctp_html_put(f, s);
}

/* <td data-key="KEY">N</td>: the tests find each number by its key. */
static void
cell(FILE *f, const char *section, const char *key, long long v)
{
	fprintf(f, "<td data-key=\"%s.%s\">%lld</td>", section, key, v);
}

static void
td(FILE *f, const char *s)
{
	fputs("<td>", f);
	h(f, s);
	fputs("</td>", f);
}

static void
html_due(FILE *f, json_t *o)
{
	static const char *const keys[] = { "overdue", "30", "60", "90",
	    "no_date", "total" };
	static const char *const heads[] = { "overdue", "30 days", "60 days",
	    "90 days", "no date", "total" };
	json_t *s = sec(o, "due"), *it;
	size_t i;

	fputs("<h3>Due within 90 days</h3>\n<table class=\"counts\"><tr>", f);
	for (i = 0; i < 6; i++)
		fprintf(f, "<th>%s</th>", heads[i]);
	fputs("</tr><tr>", f);
	for (i = 0; i < 6; i++)
		cell(f, "due", keys[i], num(s, keys[i]));
	fputs("</tr></table>\n", f);
	if (json_array_size(json_object_get(s, "first")) == 0)
		return;
	fputs("<table><tr><th>Due</th><th>Days</th><th>Provider</th>"
	    "<th>NPI</th><th>Item</th></tr>\n", f);
	json_array_foreach(json_object_get(s, "first"), i, it) {
		fputs("<tr>", f);
		td(f, json_is_null(json_object_get(it, "due")) ? "no date" :
		    str(it, "due"));
		if (json_is_null(json_object_get(it, "days_left")))
			fputs("<td></td>", f);
		else
			fprintf(f, "<td>%lld</td>", num(it, "days_left"));
		td(f, who(it));
		td(f, str(it, "npi"));
		td(f, str(it, "detail"));
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* The PSV queue and the enrollments. */
static void
html_queues(FILE *f, json_t *o)
{
	json_t *s, *it;
	size_t i;

	s = sec(o, "psv_queue");
	fputs("<h3>PSV queue</h3>\n<p>Credentials to verify: ", f);
	fprintf(f, "<span data-key=\"psv_queue.count\">%lld</span></p>\n",
	    num(s, "count"));
	json_array_foreach(json_object_get(s, "first"), i, it) {
		fputs(i ? "<tr>" : "<table><tr><th>Provider</th><th>NPI</th>"
		    "<th>Credential</th><th>Reason</th></tr>\n<tr>", f);
		td(f, who(it));
		td(f, str(it, "npi"));
		td(f, str(it, "kind"));
		td(f, str(it, "reason"));
		fputs("</tr>\n", f);
	}
	if (i)
		fputs("</table>\n", f);
	s = sec(o, "enrollments");
	fputs("<h3>Enrollments</h3>\n<table class=\"counts\"><tr><th>new</th>"
	    "<th>stalled</th><th>open</th></tr><tr>", f);
	cell(f, "enrollments", "new", num(s, "new"));
	cell(f, "enrollments", "stalled", num(s, "stalled"));
	cell(f, "enrollments", "open", num(s, "open"));
	fputs("</tr></table>\n", f);
	json_array_foreach(json_object_get(s, "first"), i, it) {
		fputs(i ? "<tr>" : "<table><tr><th>Id</th><th>Provider</th>"
		    "<th>Payer</th><th>Status</th><th>Since</th><th>Days</th>"
		    "</tr>\n<tr>", f);
		fprintf(f, "<td>%lld</td>", num(it, "id"));
		td(f, who(it));
		fputs("<td>", f);
		h(f, str(it, "payer"));
		fputs(" (", f);
		h(f, str(it, "line"));
		fputs(")</td>", f);
		fputs("<td>", f);
		h(f, str(it, "status"));
		if (json_is_true(json_object_get(it, "stalled")))
			fputs(" <strong>(stalled)</strong>", f);
		fputs("</td>", f);
		td(f, str(it, "changed"));
		fprintf(f, "<td>%lld</td></tr>\n", num(it, "days"));
	}
	if (i)
		fputs("</table>\n", f);
}

/* The screening run, NPI mismatches, documents and the review queue. */
static void
html_checks(FILE *f, json_t *o)
{
	json_t *s, *it, *run, *l;
	size_t i;

	s = sec(o, "screening");
	run = json_object_get(s, "last_run");
	fputs("<h3>Screening</h3>\n<p>", f);
	if (json_is_object(run)) {
		fputs("Last run ", f);
		h(f, str(run, "as_of"));
		fputs(" against ", f);
		json_array_foreach(json_object_get(run, "lists"), i, l) {
			if (i)
				fputs(", ", f);
			h(f, str(l, "source"));
			fprintf(f, " version %lld", num(l, "version"));
		}
		fputs(". ", f);
	} else
		fputs("Never run. ", f);
	fprintf(f, "Pending matches: <span data-key=\"screening."
	    "pending_matches\">%lld</span></p>\n", num(s, "pending_matches"));
	s = sec(o, "npi_mismatches");
	fprintf(f, "<h3>NPI mismatches</h3>\n<p>Open: <span data-key=\""
	    "npi_mismatches.open\">%lld</span></p>\n", num(s, "open"));
	json_array_foreach(json_object_get(s, "first"), i, it) {
		fputs(i ? "<tr>" : "<table><tr><th>Provider</th><th>NPI</th>"
		    "<th>Field</th><th>Roster</th><th>Registry</th></tr>\n<tr>",
		    f);
		td(f, who(it));
		td(f, str(it, "npi"));
		td(f, str(it, "field"));
		td(f, str(it, "roster_value"));
		td(f, str(it, "registry_value"));
		fputs("</tr>\n", f);
	}
	if (i)
		fputs("</table>\n", f);
	s = sec(o, "documents");
	fputs("<h3>Documents, last 24 hours</h3>\n", f);
	if (!json_is_true(json_object_get(s, "available")))
		fputs("<p>Not available.</p>\n", f);
	else {
		fprintf(f, "<p>Added: <span data-key=\"documents.count\">%lld"
		    "</span></p>\n", num(s, "count"));
		json_array_foreach(json_object_get(s, "first"), i, it) {
			fputs(i ? "<tr>" : "<table><tr><th>Provider</th>"
			    "<th>Kind</th><th>File</th><th>Added</th></tr>\n"
			    "<tr>", f);
			td(f, who(it));
			td(f, str(it, "kind"));
			td(f, str(it, "file"));
			td(f, str(it, "added_at"));
			fputs("</tr>\n", f);
		}
		if (i)
			fputs("</table>\n", f);
	}
	s = sec(o, "review");
	fputs("<h3>Review queue</h3>\n", f);
	if (!json_is_true(json_object_get(s, "available")))
		fputs("<p>Not available.</p>\n", f);
	else
		fprintf(f, "<p>Pending: <span data-key=\"review.pending\">%lld"
		    "</span> (documents: <span data-key=\"review.documents\">"
		    "%lld</span>, suggestions: <span data-key=\""
		    "review.suggestions\">%lld</span>)</p>\n", num(s, "pending"),
		    num(s, "documents"), num(s, "suggestions"));
}

static const char style[] =
    "body{font-family:system-ui,sans-serif;margin:2em;color:#111}"
    "h1{font-size:1.6em}h2{border-bottom:2px solid #333;margin-top:1.5em}"
    "h3{margin-bottom:.3em}table{border-collapse:collapse;margin:.3em 0}"
    "th,td{border:1px solid #bbb;padding:.2em .6em;text-align:left}"
    "th{background:#eee}td:first-child{white-space:nowrap}"
    "table.counts td{text-align:right;min-width:4em}"
    "section{page-break-after:always}section:last-child{"
    "page-break-after:auto}"
    "@media print{body{margin:0;font-size:10pt}th{background:none}}";

int
ctp_today_html(FILE *f, json_t *const *orgs, size_t n)
{
	size_t i;

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>ctp today</title>\n"
	    "<style>%s</style>\n</head>\n<body>\n<h1>Today</h1>\n", style);
	for (i = 0; i < n; i++) {
		fputs("<section class=\"org\">\n<h2>", f);
		h(f, str(orgs[i], "organization"));
		fputs(", as of ", f);
		h(f, str(orgs[i], "as_of"));
		fputs("</h2>\n", f);
		html_due(f, orgs[i]);
		html_queues(f, orgs[i]);
		html_checks(f, orgs[i]);
		fputs("</section>\n", f);
	}
	fputs("</body>\n</html>\n", f);
	return ferror(f) ? -1 : 0;
}
