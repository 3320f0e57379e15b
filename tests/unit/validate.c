/* validate.c - NPI, DEA, state codes, dates, taxonomy, and roster fields. */
#include <stdio.h>
#include <string.h>

#include "import.h"
#include "roster.h"
#include "tap.h"
#include "validate.h"

static const char *
ok_or(const char *why)
{
	return why ? why : "ok";
}

/* Each spelling [i][0] is accepted by check and read as [i][1]. */
static void
read_as(const char *(*check)(const char *, char *),
    const char *const (*t)[2], size_t n)
{
	char out[16];
	size_t i;

	for (i = 0; i < n; i++)
		ok(check(t[i][0], out) == NULL && strcmp(out, t[i][1]) == 0,
		    "%s -> %s", t[i][0], t[i][1]);
}

int
main(void)
{
	char out[64];
	const char *const *p;
	int n;

	/* NPI: known valid numbers (CMS example, FORMATS.md). */
	is_str(ok_or(ctp_check_npi("1234567893")), "ok", "CMS example NPI");
	is_str(ok_or(ctp_check_npi("1770626038")), "ok", "Inova NPI");
	is_str(ok_or(ctp_check_npi("1003000126")), "ok", "1003000126");
	is_str(ok_or(ctp_check_npi("1851713903")), "ok", "1851713903");
	is_int(ctp_npi_check_digit("123456789"), 3, "check digit of 123456789");
	is_str(ok_or(ctp_check_npi("1234567890")), "check digit fails",
	    "wrong check digit");
	is_str(ok_or(ctp_check_npi("1770626039")), "check digit fails",
	    "off by one");
	is_str(ok_or(ctp_check_npi("123456789")), "must be 10 digits",
	    "nine digits");
	is_str(ok_or(ctp_check_npi("12345678931")), "must be 10 digits",
	    "eleven digits");
	is_str(ok_or(ctp_check_npi("12345A7893")), "must be 10 digits",
	    "a letter");
	is_str(ok_or(ctp_check_npi("")), "must be 10 digits", "empty");
	is_str(ok_or(ctp_check_npi("3234567893")), "must start with 1 or 2",
	    "first digit 3");

	/* DEA */
	is_str(ok_or(ctp_check_dea("AP5836727", NULL, NULL, out)), "ok",
	    "AP5836727");
	is_str(ok_or(ctp_check_dea("AB1234563", "Brown", "MD", out)), "ok",
	    "AB1234563 for Dr Brown");
	is_str(ok_or(ctp_check_dea("ab1234563", "brown", "MD", out)), "ok",
	    "lower case accepted");
	is_str(out, "AB1234563", "normalized to upper case");
	is_str(ok_or(ctp_check_dea("AB1234564", NULL, NULL, out)),
	    "check digit fails", "bad check digit");
	is_str(ok_or(ctp_check_dea("AB1234563", "Smith", NULL, out)),
	    "second letter is not the initial of the last name",
	    "initial mismatch");
	is_str(ok_or(ctp_check_dea("A91234563", "Smith", "MD", out)), "ok",
	    "9 for a business address");
	is_str(ok_or(ctp_check_dea("MP1234563", "Peña", "NP", out)), "ok",
	    "mid-level M");
	is_str(ok_or(ctp_check_dea("ME1234563", "Éluard", "PA", out)), "ok",
	    "accented initial folded");
	is_str(ok_or(ctp_check_dea("AP1234563", "Peña", "NP", out)),
	    "registrant type must be M for a mid-level practitioner",
	    "NP with A");
	is_str(ok_or(ctp_check_dea("MB1234563", "Brown", "MD", out)),
	    "registrant type must be A, B, F or G for a practitioner",
	    "MD with M");
	ok(ctp_check_dea("FB1234563", "Brown", "DDS", out) == NULL, "F");
	ok(ctp_check_dea("GB1234563", "Brown", "DO", out) == NULL, "G");
	is_str(ok_or(ctp_check_dea("AB123456", NULL, NULL, out)),
	    "must be two letters and seven digits", "short");
	is_str(ok_or(ctp_check_dea("1B1234563", NULL, NULL, out)),
	    "must be two letters and seven digits", "digit first");
	is_str(ok_or(ctp_check_dea("AB12345X3", NULL, NULL, out)),
	    "must be two letters and seven digits", "letter in digits");

	/* Every state code, DC and the territories; nothing else. */
	for (n = 0, p = ctp_state_codes; *p; p++, n++)
		if (!ctp_state_valid(*p))
			break;
	is_int(n, 59, "59 codes: 50 states, DC, 8 territories");
	ok(*p == NULL, "every listed code is valid");
	ok(ctp_state_valid("DC"), "DC");
	ok(ctp_state_valid("PR") && ctp_state_valid("GU") &&
	    ctp_state_valid("VI") && ctp_state_valid("AS") &&
	    ctp_state_valid("MP"), "territories");
	ok(!ctp_state_valid("XX") && !ctp_state_valid("") &&
	    !ctp_state_valid("ILL") && !ctp_state_valid("il"),
	    "XX, empty, ILL, lower case");
	is_str(ok_or(ctp_check_state("il", out)), "ok", "il normalized");
	is_str(out, "IL", "to IL");
	is_str(ok_or(ctp_check_state("QQ", out)), "not a USPS state code "
	    "or state name (see ctp-import(1))", "QQ: says where to look");

	/* Full state names, as trackers write them. */
	{
		static const char *const names[][2] = {
			{ "Illinois", "IL" }, { "new york", "NY" },
			{ "NEW  YORK", "NY" }, { "District of Columbia", "DC" },
			{ "Washington, D.C.", "DC" }, { "D.C.", "DC" },
			{ "Washington", "WA" }, { " Puerto Rico ", "PR" },
			{ "West Virginia", "WV" }, { "virginia", "VA" },
			{ "U.S. Virgin Islands", "VI" }, { "N.Y.", "NY" },
		};

		read_as(ctp_check_state, names, sizeof(names) /
		    sizeof(names[0]));
	}
	ok(ctp_check_state("Ilinois", out) != NULL, "a misspelt state");
	ok(ctp_check_state("New", out) != NULL, "part of a name");
	ok(ctp_check_state("", out) != NULL, "empty state");
	ok(ctp_check_state("Illinois Illinois Illinois Illinois Illinois "
	    "Illinois", out) != NULL, "a long value");

	/* Dates */
	is_str(ok_or(ctp_check_date("2024-02-29", out)), "ok", "leap day");
	is_str(ok_or(ctp_check_date("2023-02-29", out)),
	    "not a real date (YYYY-MM-DD or MM/DD/YYYY)", "not a leap year");
	is_str(ok_or(ctp_check_date("03/04/2027", out)), "ok", "US form");
	is_str(out, "2027-03-04", "US form normalized");
	is_str(ok_or(ctp_check_date("20270304", out)), "ok", "YYYYMMDD");
	is_str(out, "2027-03-04", "YYYYMMDD normalized");
	ok(ctp_check_date("2027-13-01", out) != NULL, "month 13");
	ok(ctp_check_date("04/31/2027", out) != NULL, "April 31");
	ok(ctp_check_date("soon", out) != NULL, "words");
	/* Two-digit years: expirations only. */
	is_str(ok_or(ctp_check_date("1/2/58", out)), "two-digit year: write "
	    "the year in full (only expiration dates may use two digits)",
	    "M/D/YY date of birth: says why");
	is_str(ok_or(ctp_check_date("03/31/27", out)), "two-digit year: "
	    "write the year in full (only expiration dates may use two "
	    "digits)", "MM/DD/YY issue date: says why");
	is_str(ok_or(ctp_check_date("2/30/27", out)),
	    "not a real date (YYYY-MM-DD or MM/DD/YYYY)",
	    "not a real date, whatever the year");
	is_str(ok_or(ctp_check_expiry("3/31/27", out)), "ok", "M/D/YY expiry");
	is_str(out, "2027-03-31", "read as 2027");
	is_str(ok_or(ctp_check_expiry("12/01/30", out)), "ok",
	    "MM/DD/YY expiry");
	is_str(out, "2030-12-01", "read as 2030");
	is_str(ok_or(ctp_check_expiry("2027-03-31", out)), "ok", "ISO expiry");
	is_str(out, "2027-03-31", "kept");
	is_str(ok_or(ctp_check_expiry("03/31/2027", out)), "ok",
	    "MM/DD/YYYY expiry");
	is_str(ok_or(ctp_check_expiry("2/29/27", out)),
	    "not a real date (YYYY-MM-DD, MM/DD/YYYY or MM/DD/YY)",
	    "no Feb 29 in 2027");
	ok(ctp_check_expiry("2/29/28", out) == NULL &&
	    strcmp(out, "2028-02-29") == 0, "Feb 29 2028");
	ok(ctp_check_expiry("3-31-27", out) != NULL, "M-D-YY is not Excel's");
	ok(ctp_check_expiry("3/31/027", out) != NULL, "three-digit year");

	/* NPI that Excel put in scientific notation. */
	{
		static const char *const sci[] = { "1.77722E+09",
		    "1.234567893E9", "1.23457e+09", "1E+09", "1,77722E+09" };
		size_t i;

		for (i = 0; i < sizeof(sci) / sizeof(sci[0]); i++)
			ok(strcmp(ok_or(ctp_check_npi(sci[i])), "Excel wrote "
			    "it in scientific notation: format the column as "
			    "Text and paste the NPIs again") == 0, "%s: says "
			    "how to fix it", sci[i]);
	}
	is_str(ok_or(ctp_check_npi("1.77722E")), "must be 10 digits",
	    "an E without exponent is not notation");
	is_str(ok_or(ctp_check_npi("E+09")), "must be 10 digits",
	    "no mantissa");

	/* Taxonomy form and agreement with the type */
	is_str(ok_or(ctp_check_taxonomy_form("207q00000x", out)), "ok",
	    "lower case taxonomy");
	is_str(out, "207Q00000X", "upper-cased");
	ok(ctp_check_taxonomy_form("207Q00000", out) != NULL, "nine");
	ok(ctp_check_taxonomy_form("207Q00000Y", out) != NULL, "not X");
	ok(ctp_check_taxonomy_form("A07Q00000X", out) != NULL, "letter first");
	ok(ctp_ptype_taxonomy_agree("MD", "207Q00000X"), "MD family med");
	ok(!ctp_ptype_taxonomy_agree("MD", "363L00000X"), "MD with NP code");
	ok(ctp_ptype_taxonomy_agree("NP", "363LF0000X"), "NP family");
	ok(!ctp_ptype_taxonomy_agree("PA", "363L00000X"), "PA with NP code");
	ok(ctp_ptype_taxonomy_agree("CRNA", "367500000X"), "CRNA");
	ok(ctp_ptype_taxonomy_agree("DDS", "1223G0001X"), "DDS");

	/* Provider types, ZIP, phone */
	ok(ctp_check_ptype("np", out) == NULL && strcmp(out, "NP") == 0,
	    "np -> NP");
	is_str(ok_or(ctp_check_ptype("XYZ", out)), "unknown provider type "
	    "(one of MD, DO, NP, PA, CRNA, CNM, DDS, DMD, DPM, OD, DC, PHD, "
	    "PSYD, LCSW, LPC, LMFT, RD, PT, OT, SLP, AUD, RN, LPN; other "
	    "spellings: see ctp-import(1))", "unknown type lists the types");
	{
		const char *why = ctp_check_ptype("XYZ", out);

		for (p = ctp_ptypes; *p; p++) {
			char w[16];

			snprintf(w, sizeof(w), " %s%s", *p, p[1] ? "," : ";");
			if (strstr(why, w) == NULL)
				break;
		}
		ok(*p == NULL, "the message names every type, in order");
	}
	{
		static const char *const spell[][2] = {
			{ "Nurse Practitioner", "NP" }, { "N.P.", "NP" },
			{ "nurse-practitioner", "NP" }, { "FNP-BC", "NP" },
			{ "Physician Assistant", "PA" }, { "P.A.-C", "PA" },
			{ "PA-C", "PA" }, { "M.D.", "MD" }, { "m.d.", "MD" },
			{ "D.O.", "DO" }, { "Doctor of Osteopathy", "DO" },
			{ "CRNA", "CRNA" }, { "C.R.N.A.", "CRNA" },
			{ "Certified Nurse Midwife", "CNM" },
			{ "Certified Nurse-Midwife", "CNM" },
			{ "Ph.D.", "PHD" }, { "Psy.D.", "PSYD" },
			{ "D.D.S.", "DDS" }, { "Licensed Clinical Social Worker",
			    "LCSW" }, { "LVN", "LPN" }, { "Au.D.", "AUD" },
			{ " md ", "MD" },
		};

		read_as(ctp_check_ptype, spell, sizeof(spell) /
		    sizeof(spell[0]));
	}
	ok(ctp_check_ptype("APRN", out) != NULL, "APRN: which one?");
	ok(ctp_check_ptype("Physician", out) != NULL, "Physician: MD or DO?");
	ok(ctp_check_ptype("...", out) != NULL, "only dots");
	ok(ctp_check_ptype("Nurse Practitioner Nurse Practitioner Nurse "
	    "Practitioner", out) != NULL, "a long value");
	ok(ctp_check_zip("606011234", out) == NULL &&
	    strcmp(out, "60601-1234") == 0, "ZIP+4 without hyphen");
	ok(ctp_check_zip("6060", out) != NULL, "short ZIP");
	ok(ctp_check_phone("(312) 555-0100", out) == NULL &&
	    strcmp(out, "312-555-0100") == 0, "phone normalized");
	ok(ctp_check_phone("1-312-555-0100", out) == NULL, "leading 1");
	ok(ctp_check_phone("555-0100", out) != NULL, "seven digits");
	ok(ctp_check_email("a@b.org") == NULL, "e-mail");
	ok(ctp_check_email("a b@c.org") != NULL, "e-mail with a space");

	/* Roster fields */
	ok(ctp_roster_check("status", "Active", out, sizeof(out)) == NULL &&
	    strcmp(out, "active") == 0, "status folded");
	ok(ctp_roster_check("status", "gone", out, sizeof(out)) != NULL,
	    "unknown status");
	ok(ctp_roster_check("last_name", "  ", out, sizeof(out)) != NULL,
	    "blank last name");
	ok(ctp_roster_check("other_names", " Smith ;; Jones;", out,
	    sizeof(out)) == NULL && strcmp(out, "Smith; Jones") == 0,
	    "other names normalized");
	ok(ctp_roster_check("dob", "7/4/1976", out, sizeof(out)) == NULL &&
	    strcmp(out, "1976-07-04") == 0, "dob normalized");
	ok(ctp_roster_check("npi", "1234567893", out, sizeof(out)) != NULL,
	    "npi is not settable");
	ok(ctp_roster_check("practice_address", "1 Main\r\nSuite 2", out,
	    sizeof(out)) == NULL && strcmp(out, "1 Main\nSuite 2") == 0,
	    "multi-line address kept as LF");
	ok(ctp_roster_check("first_name", "A\tB", out, sizeof(out)) != NULL,
	    "tab in a name");
	ok(ctp_kind_valid("dea") && !ctp_kind_valid("passport"), "kinds");
	{
		static const char *const l[] = { "a", "bb", "c", NULL };

		is_int(ctp_str_index(l, "bb"), 1, "ctp_str_index: found");
		is_int(ctp_str_index(l, "b"), -1, "a prefix is not found");
		is_int(ctp_str_index(l + 3, "a"), -1, "an empty list");
	}

	/* Header variants */
	is_str(ctp_import_canonical("NPI Number"), "npi", "NPI Number");
	is_str(ctp_import_canonical("Last Name"), "last_name", "Last Name");
	is_str(ctp_import_canonical("DOB"), "dob", "DOB");
	is_str(ctp_import_canonical("License #"), "license_number",
	    "License #");
	is_str(ctp_import_canonical("License Exp"), "license_expires",
	    "License Exp");
	is_str(ctp_import_canonical(" zip code "), "practice_zip", "zip code");
	is_str(ctp_import_canonical("PRACTICE_STATE"), "practice_state",
	    "canonical in capitals");
	ok(ctp_import_canonical("Favourite Colour") == NULL, "unknown");
	return done_testing();
}
