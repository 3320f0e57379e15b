/*
 * extract.c - the values read off a document's text (lib/extract.h) and
 * the model's answer checked like any input (lib/extract_model.h).
 */
#include "tap.h"

#include "extract.h"
#include "extract_model.h"

static struct ctp_extract x;

static const char *
val(enum ctp_xfield f)
{
	return x.f[f].value;
}

static void
dates(void)
{
	ctp_extract_text("Issue Date: 03/01/2026\nExpiration Date: "
	    "03/31/2030\n", "license", &x);
	is_str(val(CTP_X_ISSUED), "2026-03-01", "issue date, M/D/YYYY");
	is_str(val(CTP_X_EXPIRES), "2030-03-31", "expiration date");
	ok(x.f[CTP_X_EXPIRES].confidence >= 80, "with a high confidence");
	is_str(x.f[CTP_X_EXPIRES].line, "Expiration Date: 03/31/2030",
	    "and the line it came from");

	ctp_extract_text("Certified: July 1, 2018\nValid Through: 31 Dec "
	    "2028\n", "board_cert", &x);
	is_str(val(CTP_X_ISSUED), "2018-07-01", "a month's name first");
	is_str(val(CTP_X_EXPIRES), "2028-12-31", "the day first");

	ctp_extract_text("Policy Period: 09/18/2026 to 09/18/2027\n"
	    "Retroactive Date: 10/01/2019\n", "malpractice", &x);
	is_str(val(CTP_X_ISSUED), "2026-09-18", "a period's start is issued");
	is_str(val(CTP_X_EXPIRES), "2027-09-18", "its end expires");

	ctp_extract_text("Expiration Date:\n2029-02-28\n", "license", &x);
	is_str(val(CTP_X_EXPIRES), "2029-02-28", "a label on the line above");

	ctp_extract_text("Provider license\nNo dates here at all.\n"
	    "Number of beds: 12\n", "license", &x);
	is_str(val(CTP_X_ISSUED), "", "no date: no issue date");
	is_str(val(CTP_X_EXPIRES), "", "no date: no expiration date");
	is_int(x.f[CTP_X_EXPIRES].confidence, 0, "nothing proposed");

	ctp_extract_text("Expires: 02/30/2027\nIssued: 13/01/2025\n",
	    "license", &x);
	is_str(val(CTP_X_EXPIRES), "", "February 30 is not a date");
	is_str(val(CTP_X_ISSUED), "", "nor month 13");

	ctp_extract_text("Expiration Date: 06/30/2028\nDate Issued: "
	    "06/12/2025\nExpires: 06/30/2029\n", "dea", &x);
	is_str(val(CTP_X_EXPIRES), "2028-06-30", "two expiration dates: the "
	    "first");
	ok(x.f[CTP_X_EXPIRES].confidence > 0 &&
	    x.f[CTP_X_EXPIRES].confidence < 60, "with a low confidence");
	is_str(x.f[CTP_X_EXPIRES].flag, "conflicting expiration dates "
	    "(2028-06-30, 2029-06-30)", "and a flag naming both");

	ctp_extract_text("Issued: 2027-05-01\nExpires: 2026-05-01\n",
	    "license", &x);
	is_int(x.f[CTP_X_EXPIRES].confidence, 0, "an expiration before the "
	    "issue date is not proposed");
	ok(strstr(x.f[CTP_X_EXPIRES].flag, "not after the issue date") !=
	    NULL, "and says why");
}

static void
numbers(void)
{
	ctp_extract_text("DEA Registration Number: BT5432315\n", "dea", &x);
	is_str(val(CTP_X_NUMBER), "BT5432315", "a DEA number whose check "
	    "digit holds");
	ctp_extract_text("DEA Registration Number: BT5432316\n", "dea", &x);
	is_str(val(CTP_X_NUMBER), "", "one whose check digit fails is not "
	    "taken");
	ok(strstr(x.f[CTP_X_NUMBER].flag, "check digit") != NULL,
	    "and is flagged");
	ctp_extract_text("License No. nc4822307\n", "license", &x);
	is_str(val(CTP_X_NUMBER), "NC4822307", "a license number, in "
	    "capitals");
	ctp_extract_text("Policy Number: MP-57390467\n", "malpractice", &x);
	is_str(val(CTP_X_NUMBER), "MP-57390467", "a policy number");
}

static void
authority_and_name(void)
{
	ctp_extract_text("STATE OF NEW YORK\nEDUCATION DEPARTMENT\n"
	    "Licensee: Jane Q. Public, M.D.\n", "license", &x);
	is_str(val(CTP_X_AUTHORITY), "NY", "a license's state from its "
	    "name");
	is_str(val(CTP_X_NAME), "Jane Q. Public", "the name, its degree "
	    "dropped");
	ctp_extract_text("North Carolina Medical Board\n", "license", &x);
	is_str(val(CTP_X_AUTHORITY), "NC", "a board's state");
	ctp_extract_text("Insurer: MagMutual Insurance Company\n",
	    "malpractice", &x);
	is_str(val(CTP_X_AUTHORITY), "MagMutual Insurance Company",
	    "an insurer");
	ctp_extract_text("American Board of Anesthesiology\n\nThis certifies "
	    "that\nElizabeth L. Torres, MD\n", "board_cert", &x);
	is_str(val(CTP_X_AUTHORITY), "American Board of Anesthesiology",
	    "a board");
	is_str(val(CTP_X_NAME), "Elizabeth L. Torres", "the name under "
	    "\"certifies that\"");
	ctp_extract_text("Name: Karen J. Baker; M.D.\n| AMERICAN BOARD OF "
	    "SURGERY ~\n", "board_cert", &x);
	is_str(val(CTP_X_NAME), "Karen J. Baker", "a comma read as ';' by "
	    "OCR");
	is_str(val(CTP_X_AUTHORITY), "AMERICAN BOARD OF SURGERY", "marks OCR "
	    "left at a line's edges dropped");
	ok(ctp_extract_same_name("Elizabeth L. Torres, MD",
	    "Elizabeth Torres"), "the same person");
	ok(!ctp_extract_same_name("Karen J. Baker", "Elizabeth Torres"),
	    "another person");
}

static void
model(void)
{
	struct ctp_extract m;

	ok(ctp_extract_model_parse("{\"name\": \"Karen J. Baker\", "
	    "\"number\": \"AB7684269\", \"authority\": null, \"issued\": "
	    "\"2025-05-01\", \"expires\": \"05/31/2028\"}", "dea", &m) == 0,
	    "a model's answer");
	is_str(m.f[CTP_X_NUMBER].value, "AB7684269", "its DEA number");
	is_str(m.f[CTP_X_EXPIRES].value, "2028-05-31", "its date, normalized");
	is_str(m.f[CTP_X_AUTHORITY].value, "", "null: nothing");
	ok(ctp_extract_model_parse("```json\n{\"number\": \"AB7684260\", "
	    "\"expires\": \"2028-02-30\"}\n```", "dea", &m) == 0,
	    "a fenced answer");
	is_str(m.f[CTP_X_NUMBER].value, "", "a DEA number failing its check "
	    "digit dropped");
	is_str(m.f[CTP_X_EXPIRES].value, "", "a date that is not one "
	    "dropped");
	ok(ctp_extract_model_parse("I think it expires next year.", "dea",
	    &m) != 0, "prose is refused");
	ok(ctp_extract_model_parse("[1, 2]", "dea", &m) != 0,
	    "so is JSON that is not an object");
}

int
main(void)
{
	dates();
	numbers();
	authority_and_name();
	model();
	return done_testing();
}
