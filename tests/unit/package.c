/*
 * Unit tests for the pure rules of lib/package*.c: who prescribes, the
 * default requirement, the completeness rule, the names a package
 * makes and the names verify accepts, and the PDF joiner.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "package.h"
#include "pdf_join.h"
#include "tap.h"

static const char *
slug(const char *s, size_t n)
{
	static char out[64];

	ctp_package_slug(s, out, n);
	return out;
}

static const char *
gap(int has_doc, int credential, int has_cred, const char *expires,
    const char *as_of)
{
	static char buf[64];
	struct ctp_package_item it = { "license", has_doc, credential,
	    has_cred, -1 };
	long day;
	const char *r;

	if (expires)
		ctp_date_parse(expires, &it.expires);
	ctp_date_parse(as_of, &day);
	r = ctp_package_gap(&it, day, buf, sizeof(buf));
	return r ? r : "met";
}

/* The smallest PDF: one page, as text. */
static const char one_page[] =
    "%PDF-1.4\n"
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> "
    "endobj\n"
    "trailer << /Root 1 0 R >>\n%%EOF\n";

static void
join(void)
{
	struct ctp_pdf_in in[3];
	struct ctp_buf a = CTP_BUF_INIT, b = CTP_BUF_INIT;
	struct ctp_error e;
	int skipped[3];
	long pages;

	memset(in, 0, sizeof(in));
	in[0].p = one_page;
	in[0].n = sizeof(one_page) - 1;
	in[1] = in[0];
	in[2].p = "not a pdf";
	in[2].n = 9;
	is_int(ctp_pdf_join(in, 3, "seed", NULL, &a, skipped, &pages, &e), 0,
	    "join: in memory");
	is_int(pages, 2, "join: the pages of the inputs that are PDFs");
	is_int(skipped[1] * 10 + skipped[2], 1, "join: the other left out");
	ok(a.len > 8 && memcmp(a.s, "%PDF-", 5) == 0, "join: a PDF");
	ok(memmem(a.s, a.len, "/ID [<", 6) != NULL &&
	    memmem(a.s, a.len, "31415926535897932384626433832795", 32) == NULL,
	    "join: an ID, and not qpdf's placeholder");
	ctp_pdf_join(in, 3, "seed", NULL, &b, skipped, &pages, &e);
	ok(a.len == b.len && memcmp(a.s, b.s, a.len) == 0,
	    "join: the same inputs give the same bytes");
	b.len = 0;
	ctp_pdf_join(in, 3, "other seed", NULL, &b, skipped, &pages, &e);
	ok(a.len == b.len && memcmp(a.s, b.s, a.len) != 0,
	    "join: another seed, another ID");
	b.len = 0;
	is_int(ctp_pdf_join(in, 3, NULL, NULL, &b, skipped, &pages, &e), 0,
	    "join: no seed, qpdf's deterministic ID");
	in[0] = in[2];
	is_int(ctp_pdf_join(in, 1, "seed", NULL, &b, skipped, &pages, &e),
	    CTP_DATAERR, "join: the first input must be a PDF");
	ctp_buf_free(&a);
	ctp_buf_free(&b);
}

int
main(void)
{
	static const char *const rx[] = { "MD", "DO", "DDS", "DMD", "DPM",
	    "NP", "PA", "CRNA", "CNM", NULL };
	static const char *const no[] = { "LCSW", "RN", "PT", "OD", "PSYD",
	    "", NULL };
	unsigned lic = ctp_package_kind_bit("license"),
	    dea = ctp_package_kind_bit("dea"),
	    mal = ctp_package_kind_bit("malpractice"),
	    cv = ctp_package_kind_bit("cv");
	int i;

	for (i = 0; rx[i]; i++)
		ok(ctp_package_prescriber(rx[i]), "%s prescribes", rx[i]);
	for (i = 0; no[i]; i++)
		ok(!ctp_package_prescriber(no[i]), "%s does not", no[i]);
	ok(!ctp_package_prescriber(NULL), "no type: no prescriber");
	is_int(ctp_package_kind_bit("passport"), 0, "an unknown kind: no bit");
	is_int(ctp_package_default("MD"), lic | dea | mal | cv,
	    "default for a prescriber: license, dea, malpractice, cv");
	is_int(ctp_package_default("LCSW"), lic | mal | cv,
	    "default for others: license, malpractice, cv");

	is_str(gap(0, 1, 1, "2028-01-01", "2026-12-01"),
	    "no approved document", "no document");
	is_str(gap(1, 1, 0, NULL, "2026-12-01"), "no active credential",
	    "a document but no credential");
	is_str(gap(1, 1, 1, "2026-11-30", "2026-12-01"),
	    "expired 2026-11-30", "expired the day before");
	is_str(gap(1, 1, 1, "2026-12-01", "2026-12-01"), "met",
	    "expiring on the day is still good");
	is_str(gap(1, 0, 0, NULL, "2026-12-01"), "met",
	    "a CV needs no credential");

	is_str(slug("O'Brien-Smith", 64), "o-brien-smith", "slug: apostrophe");
	is_str(slug("Peña", 64), "pe-a", "slug: bytes outside ASCII");
	is_str(slug("../../etc/passwd", 64), "etc-passwd", "slug: a path");
	is_str(slug("\x1b[31m", 64), "31m", "slug: an escape sequence");
	is_str(slug("", 64), "x", "slug: nothing left");
	is_str(slug("Acme Health Plan", 8), "acme-he", "slug: cut to n - 1");

	ok(ctp_package_name_check("documents/cv/cv-3.pdf") == NULL,
	    "a name ctp makes is safe");
	ok(ctp_package_name_check("manifest.json") == NULL, "manifest.json");
	is_str(ctp_package_name_check("../evil"), "a \"..\" part", "..");
	is_str(ctp_package_name_check("a/../../b"), "a \"..\" part", "a/../..");
	is_str(ctp_package_name_check("/etc/passwd"), "an absolute path",
	    "absolute");
	is_str(ctp_package_name_check("a//b"), "an empty or \".\" part",
	    "an empty part");
	is_str(ctp_package_name_check("a\\..\\b"), "a backslash or colon",
	    "backslash");
	is_str(ctp_package_name_check("C:x"), "a backslash or colon", "drive");
	is_str(ctp_package_name_check("a\nb"), "a control character",
	    "newline");
	is_str(ctp_package_name_check("docs/CON.pdf"),
	    "a name Windows reserves", "CON.pdf");
	is_str(ctp_package_name_check("lpt1"), "a name Windows reserves",
	    "lpt1");
	is_str(ctp_package_name_check("x/file. "), "a name Windows reserves",
	    "a trailing space");
	ok(ctp_package_name_check("COM10") == NULL, "COM10 is a name");
	ok(ctp_package_name_check("console.txt") == NULL, "console.txt too");
	is_str(ctp_package_name_check(""), "an empty name", "empty");
	join();
	return done_testing();
}
