/* board_check: license numbers, names, and a board's record against a
 * request (what the board verifiers share). */
#include <stdio.h>
#include <string.h>

#include "board_check.h"
#include "tap.h"

static const char *
key(const char *s)
{
	static char out[64];

	ctp_board_number_key(s, out, sizeof(out));
	return out;
}

/* A request read from text, as a verifier reads its standard input. */
static int
request(struct ctp_vreq *r, const char *json, char *why, size_t n)
{
	FILE *f = fmemopen((void *)json, strlen(json), "r");
	int rc;

	if (f == NULL)
		return -1;
	rc = ctp_vreq_read(f, r, why, n);
	fclose(f);
	return rc;
}

#define REQ(other, number, expires) \
	"{\"provider\": {\"npi\": \"1234567893\", \"last_name\": \"De la " \
	"Cruz\", \"first_name\": \"José\", \"other_names\": \"" other "\"}, " \
	"\"credential\": {\"kind\": \"state_license\", \"number\": \"" \
	number "\", \"state\": \"WI\", \"expires\": \"" expires "\"}, " \
	"\"config\": {\"board\": \"WI-MD\"}, \"as_of\": \"2026-12-01\"}"

/* The result of b against the request, and its detail, as "R: D". */
static const char *
judge(const struct ctp_vreq *r, const struct ctp_board_record *b,
    const char *active)
{
	static char out[600];
	struct ctp_buf d = { 0 };
	const char *res = ctp_board_compare(r, b, active, &d);

	snprintf(out, sizeof(out), "%s: %s", res ? res : "NULL",
	    d.s ? d.s : "");
	ctp_buf_free(&d);
	return out;
}

int
main(void)
{
	struct ctp_vreq r;
	struct ctp_board_record b;
	char why[300];

	is_str(key("MD-0012345"), "MD12345", "punctuation and leading zeros");
	is_str(key("md 12345"), "MD12345", "case and spaces");
	is_str(key("0012345"), "12345", "an all-digit number");
	is_str(key("A-100200"), "A100200", "inner zeros kept");
	is_str(key("12-0034"), "120034", "zeros after digits kept");
	is_str(key("A-0012/B-007"), "A12B7", "each run after a letter");
	is_str(key("0"), "0", "zero itself");
	is_str(key("000"), "0", "zeros");
	is_str(key(""), "", "empty");

	ok(ctp_board_name_agrees("Torres", "Elena", "TORRES", "ELENA", NULL),
	    "same name, other case");
	ok(ctp_board_name_agrees("Müller", "Jürgen", "MULLER", "JURGEN",
	    NULL), "accents folded");
	ok(ctp_board_name_agrees("Garcia", "Maria", "GARCIA-LOPEZ", "MARIA",
	    NULL), "one part of a hyphenated name");
	ok(ctp_board_name_agrees("Smith", "J", "SMITH", "JOHN", NULL),
	    "an initial");
	ok(!ctp_board_name_agrees("Smith", "Jane", "SMITH", "JOHN", NULL),
	    "another first name");
	ok(!ctp_board_name_agrees("Smith", "John", "SMYTH", "JOHN", NULL),
	    "another last name");
	ok(ctp_board_name_agrees("O'Brien", "Patrick", NULL, NULL,
	    "O'BRIEN, PATRICK J JR"), "a whole name, last first");
	ok(ctp_board_name_agrees("De la Cruz", "José", NULL, NULL,
	    "Jose M. de la Cruz"), "a whole name, first first, particles");
	ok(!ctp_board_name_agrees("Cruz", "Ana", NULL, NULL, "JOSE CRUZ"),
	    "a whole name with another first name");
	ok(!ctp_board_name_agrees("Torres", "Elena", NULL, NULL, ""),
	    "no name");

	ok(request(&r, "garbage", why, sizeof(why)) < 0 &&
	    strcmp(why, "request: not one JSON object") == 0, "not JSON: %s",
	    why);
	ctp_vreq_free(&r);
	ok(request(&r, "{\"provider\": {\"npi\": \"1234567893\"}, "
	    "\"credential\": null}", why,
	    sizeof(why)) < 0 && strstr(why, "no credential"), "no credential");
	ctp_vreq_free(&r);
	ok(request(&r, "{\"provider\": {\"npi\": 5}, \"credential\": {}}",
	    why, sizeof(why)) < 0, "a field of the wrong type");
	is_str(why, "request: no provider npi", "named");
	ctp_vreq_free(&r);
	ok(request(&r, REQ("", "MD-1", "2027-02-30"), why, sizeof(why)) < 0,
	    "an expiry that is no date");
	ctp_vreq_free(&r);

	if (request(&r, REQ("Vega, Ana; Ruiz", "MD-0012345", "01/31/2028"),
	    why, sizeof(why)) != 0) {
		ok(0, "a good request: %s", why);
		return done_testing();
	}
	is_str(ctp_vreq_config(&r, "board"), "WI-MD", "config");
	ok(ctp_vreq_config(&r, "url") == NULL, "config not given");
	memset(&b, 0, sizeof(b));
	b.number = "MD12345";
	b.last = "DE LA CRUZ";
	b.first = "JOSE";
	b.status = "Active";
	b.expires = "2028-01-31";
	is_str(judge(&r, &b, NULL), "verified: license MD12345, status "
	    "Active, expires 2028-01-31", "verified");
	is_str(judge(&r, &b, "current"), "discrepancy: status: the board "
	    "says Active (good standing: current)", "active words chosen");
	is_str(judge(&r, &b, " clear , active "), "verified: license "
	    "MD12345, status Active, expires 2028-01-31",
	    "spaces in the words");
	b.expires = "1/31/27";
	is_str(judge(&r, &b, NULL), "discrepancy: expires: the board says "
	    "2027-01-31, the credential 2028-01-31", "another expiry");
	b.expires = "2026-11-30";
	b.number = "MD-12346";
	b.status = "";
	b.last = "VEGA";
	b.first = "JOSE";
	is_str(judge(&r, &b, NULL), "discrepancy: number: the board says "
	    "MD-12346, the credential MD-0012345; status: the board says "
	    "nothing (good standing: ACTIVE,CURRENT,CLEAR); expires: the "
	    "board says 2026-11-30, the credential 2028-01-31; expired: the "
	    "board's expiry 2026-11-30 is before 2026-12-01; name: the board "
	    "says VEGA, JOSE, the provider is De la Cruz, José",
	    "every difference");
	b.number = NULL;
	b.status = "ACTIVE";
	b.expires = NULL;
	b.first = "ANA";
	is_str(judge(&r, &b, NULL), "verified: license MD-0012345, status "
	    "ACTIVE, under the former name Vega, Ana", "a former name");
	b.last = "RUIZ";
	b.first = "JOSE";
	is_str(judge(&r, &b, NULL), "verified: license MD-0012345, status "
	    "ACTIVE, under the former name Ruiz, José",
	    "a former last name alone");
	b.last = NULL;
	b.first = NULL;
	b.expires = "soon";
	is_str(judge(&r, &b, NULL), "discrepancy: expires: the board's date "
	    "is not a date (soon)", "a board date that is none");
	ctp_vreq_free(&r);
	return done_testing();
}
