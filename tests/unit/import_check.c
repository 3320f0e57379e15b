/*
 * Unit tests for lib/import_check.c: the checks of a roster-file row,
 * run without a database.  The roster is a table here, answering
 * through struct ctp_import_ask.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "credential.h"
#include "import_check.h"
#include "import_map.h"
#include "tap.h"

/* The roster: one known provider (excluded), licensed in WI, whose DEA
 * number ML1234563 is also on the roster, held by 1000009864. */
#define KNOWN "1000009872"

static int
ask_provider(void *arg, const char *npi, struct ctp_import_old *old,
    struct ctp_error *e)
{
	static char excluded[] = "excluded";

	(void)arg;
	(void)e;
	memset(old, 0, sizeof(*old));
	if (npi && strcmp(npi, KNOWN) == 0) {
		old->pid = 7;
		old->v[C_STATUS] = excluded;
		old->oc[0].id = 11;	/* a state license */
		old->oc[3].id = 12;	/* malpractice insurance */
	}
	return 0;
}

static int
ask_taxonomy(void *arg, const char *code, int *known, struct ctp_error *e)
{
	(void)arg;
	(void)e;
	*known = strcmp(code, "363L00000X") == 0 ? CTP_IMPORT_TAX_OK :
	    CTP_IMPORT_TAX_UNKNOWN;
	return 0;
}

static int
ask_status(void *arg, long long pid, const char *npi, const char *old,
    const char *nw, struct ctp_error *e)
{
	(void)arg;
	(void)pid;
	(void)npi;
	if (old && strcmp(old, "excluded") == 0 && strcmp(nw, old) != 0)
		return ctp_errf(e, CTP_DATAERR, "status", "provider is "
		    "excluded");
	return 0;
}

static int
ask_licensed(void *arg, long long pid, const char *state, int *yes,
    struct ctp_error *e)
{
	(void)arg;
	(void)e;
	*yes = pid == 7 && strcmp(state, "WI") == 0;
	return 0;
}

static int
ask_required(void *arg, const char *ptype, unsigned *kinds,
    struct ctp_error *e)
{
	(void)arg;
	(void)e;
	*kinds = ctp_required_default(ptype);
	return 0;
}

static int deas_asked;

static int
ask_deas(void *arg, struct ctp_import_check *k, struct ctp_error *e)
{
	(void)arg;
	(void)e;
	deas_asked++;
	return ctp_import_check_dea_held(k, "ML1234563", "1000009864");
}

static const struct ctp_import_ask ask = {
	.arg = NULL, .provider = ask_provider, .taxonomy = ask_taxonomy,
	.status = ask_status, .licensed = ask_licensed,
	.required = ask_required, .deas = ask_deas
};

static struct ctp_import_check chk = { .ask = &ask, .as_of = 20788 };
static struct ctp_import_row r;
static struct ctp_import_old old;
static int col[NCANON];
static size_t line = 1;

/* A nurse practitioner's good row, then name, value pairs over it. */
static const char *
check(const char *name, ...)
{
	static const char *const good[] = {
		"npi", "1000009856", "first_name", "Ann", "last_name", "Lee",
		"dob", "05/06/1980", "provider_type", "np",
		"taxonomy", "363L00000X", "practice_state", "IL",
		"license_number", "il00985", "license_state", "IL",
		"license_expires", "2027-06-30",
		"malpractice_carrier", "MedPro Group",
		"malpractice_expires", "2027-01-31", NULL
	};
	struct ctp_error e;
	va_list ap;
	const char *v;
	int i, k;

	for (k = 0; k < NCANON; k++) {
		col[k] = -1;
		r.v[k][0] = '\0';
	}
	for (i = 0; good[i]; i += 2) {
		k = ctp_import_column_index(good[i]);
		col[k] = k;
		snprintf(r.v[k], sizeof(r.v[k]), "%s", good[i + 1]);
	}
	va_start(ap, name);
	for (; name; name = va_arg(ap, const char *)) {
		v = va_arg(ap, const char *);
		k = ctp_import_column_index(name);
		col[k] = v ? k : -1;
		snprintf(r.v[k], sizeof(r.v[k]), "%s", v ? v : "");
	}
	va_end(ap);
	ctp_import_row_start(&r, ++line);
	if (ctp_import_check_row(&chk, &r, &old, &e) != 0)
		return "(error)";
	return r.errs.s ? r.errs.s : "";
}

/* The checks' memory of the file, forgotten. */
static void
fresh(void)
{
	ctp_import_check_free(&chk);
	chk = (struct ctp_import_check){ .ask = &ask, .as_of = 20788 };
}

int
main(void)
{
	r.col = col;
	r.msg = fopen("/dev/null", "w");
	r.prog = "unit";
	r.file = "t.csv";

	is_str(check(NULL), "", "a good row");
	is_str(r.v[C_DOB], "1980-05-06", "its date of birth in ISO form");
	is_str(r.v[C_TYPE], "NP", "its type in upper case");
	is_str(r.v[C_LIC_NUM], "IL00985", "its license number in upper case");
	is_str(check(NULL), "npi: repeats the NPI of line 2",
	    "the same NPI again");
	fresh();
	is_str(check(NULL), "", "forgotten with the file");
	fresh();
	is_str(check("npi", "1000009857", NULL), "npi: check digit fails",
	    "an NPI whose check digit fails");
	is_str(check("npi", "", "first_name", "", NULL),
	    "npi: required; first_name: required",
	    "every problem of a row, in column order");
	fresh();
	is_str(check("taxonomy", "363LF0000X", NULL),
	    "taxonomy: not in the loaded NUCC code set",
	    "a code the code set lacks");
	fresh();
	is_str(check("taxonomy", "207Q00000X", NULL),
	    "taxonomy: does not fit the provider type",
	    "a code of another type");
	fresh();
	is_str(check("dob", "2015-01-01", NULL),
	    "dob: age must be between 18 and 110", "too young");
	fresh();
	is_str(check("malpractice_carrier", "", "malpractice_expires", "",
	    NULL), "malpractice_carrier: missing: NP requires malpractice",
	    "a required credential missing");
	fresh();
	is_str(check("malpractice_expires", "", NULL),
	    "malpractice_expires: required with malpractice_carrier",
	    "a credential given in part");
	fresh();
	is_str(check("license_expires", "1979-12-31", NULL),
	    "license_expires: before the date of birth",
	    "an expiration before the birth");
	fresh();
	is_str(check("practice_state", "WI", NULL),
	    "license_state: no license in the practice state",
	    "a practice state without a license");
	fresh();
	deas_asked = 0;
	is_str(check("dea_number", "ML1234563", "dea_state", "IL",
	    "dea_expires", "2027-05-31", NULL),
	    "dea_number: held by another provider (NPI 1000009864)",
	    "a DEA number the roster gives another provider");
	is_str(check("npi", "1000009864", "dea_number", "ML1234563",
	    "dea_state", "IL", "dea_expires", "2027-05-31", NULL), "",
	    "its holder may give it");
	is_int(deas_asked, 1, "the roster's DEA numbers asked once");
	fresh();
	is_str(check("npi", KNOWN, "status", "active", NULL),
	    "status: provider is excluded", "the status rule, asked");
	fresh();
	is_str(check("npi", KNOWN, "practice_state", "WI", "license_number",
	    NULL, "license_state", NULL, "license_expires", NULL,
	    "malpractice_carrier", NULL, "malpractice_expires", NULL, NULL),
	    "", "the roster's license and insurance count");
	fresh();
	is_str(check("npi", KNOWN, "practice_state", "MN", "license_number",
	    NULL, "license_state", NULL, "license_expires", NULL, NULL),
	    "license_state: no license in the practice state",
	    "but not in another state");
	fresh();
	fclose(r.msg);
	ctp_buf_free(&r.errs);
	return done_testing();
}
