/*
 * validate.c - checks and normal forms of single provider and
 * credential values (validate.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "validate.h"

/* The 50 states, DC, and the territories and freely associated states. */
const char *const ctp_state_codes[] = {
	"AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DE", "FL", "GA",
	"HI", "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD",
	"ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE", "NH",
	"NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC",
	"SD", "TN", "TX", "UT", "VA", "VT", "WA", "WI", "WV", "WY",
	"DC",
	"AS", "GU", "MP", "PR", "VI", "FM", "MH", "PW",
	NULL
};

const char *const ctp_credential_kinds[] = {
	"state_license", "dea", "cds", "board_cert", "malpractice",
	"caqh_attestation", "cme", "hospital_privileges", NULL
};

const char *const ctp_ptypes[] = {
	"MD", "DO", "NP", "PA", "CRNA", "CNM", "DDS", "DMD", "DPM", "OD",
	"DC", "PHD", "PSYD", "LCSW", "LPC", "LMFT", "RD", "PT", "OT", "SLP",
	"AUD", "RN", "LPN", NULL
};

/* NUCC code prefixes that fit each provider type. */
static const struct {
	const char *ptype;
	const char *prefixes;	/* space-separated */
} type_tax[] = {
	{ "MD", "20" },
	{ "DO", "20" },
	{ "NP", "363L" },
	{ "PA", "363A" },
	{ "CRNA", "3675" },
	{ "CNM", "367A" },
	{ "DDS", "122" },
	{ "DMD", "122" },
	{ "DPM", "213E" },
	{ "OD", "152W" },
	{ "DC", "111N" },
	{ "PHD", "103T 103G" },
	{ "PSYD", "103T 103G" },
	{ "LCSW", "1041" },
	{ "LPC", "101Y" },
	{ "LMFT", "106H" },
	{ "RD", "133V 133N" },
	{ "PT", "2251" },
	{ "OT", "225X" },
	{ "SLP", "235Z" },
	{ "AUD", "231H" },
	{ "RN", "163W" },
	{ "LPN", "164W" },
};

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
ctp_npi_check_digit(const char *nine)
{
	int sum = 24, i, d, dbl = 1;

	if (strlen(nine) < 9 || !all_digits(nine, 9))
		return -1;
	/* From the rightmost of the nine, double every second digit. */
	for (i = 8; i >= 0; i--) {
		d = nine[i] - '0';
		if (dbl) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
		dbl = !dbl;
	}
	return (10 - sum % 10) % 10;
}

/*
 * Excel shows a long number in scientific notation and, saved as CSV,
 * writes it that way: 1.77722E+09, 1.234567893E9 (a comma where the
 * decimal mark is one).  Its lost digits cannot be recovered.
 */
static int
scientific(const char *s)
{
	size_t n;

	if ((n = strspn(s, "0123456789")) == 0)
		return 0;
	s += n;
	if (*s == '.' || *s == ',')
		s += 1 + strspn(s + 1, "0123456789");
	if (*s != 'E' && *s != 'e')
		return 0;
	s++;
	if (*s == '+')
		s++;
	return (n = strspn(s, "0123456789")) > 0 && s[n] == '\0';
}

const char *
ctp_check_npi(const char *s)
{
	if (scientific(s))
		return "Excel wrote it in scientific notation: format the "
		    "column as Text and paste the NPIs again";
	if (strlen(s) != 10 || !all_digits(s, 10))
		return "must be 10 digits";
	if (s[0] != '1' && s[0] != '2')
		return "must start with 1 or 2";
	if (ctp_npi_check_digit(s) != s[9] - '0')
		return "check digit fails";
	return NULL;
}

int
ctp_ptype_midlevel(const char *ptype)
{
	return ptype && (strcmp(ptype, "NP") == 0 || strcmp(ptype, "PA") == 0
	    || strcmp(ptype, "CRNA") == 0 || strcmp(ptype, "CNM") == 0);
}

const char *
ctp_dea_letters(const char *ptype)
{
	return ctp_ptype_midlevel(ptype) ? "M" : "ABFG";
}

/* First letter of a UTF-8 name, accents of Latin-1 letters folded. */
static int
initial(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	static const char fold[] =
	    /* U+00C0..U+00DF */
	    "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTs"
	    /* U+00E0..U+00FF */
	    "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTY";

	while (*p == ' ')
		p++;
	if (*p < 0x80)
		return toupper(*p);
	if (p[0] == 0xc3 && p[1] >= 0x80 && p[1] <= 0xbf)
		return fold[p[1] - 0x80 + 0];
	if (p[0] == 0xc5 && p[1] >= 0xa0 && p[1] <= 0xa1)
		return 'S';	/* S with caron */
	if (p[0] == 0xc5 && p[1] >= 0xbd && p[1] <= 0xbe)
		return 'Z';	/* Z with caron */
	return 0;
}

const char *
ctp_check_dea(const char *s, const char *last_name, const char *ptype,
    char out[10])
{
	const char *letters;
	int i, sum, init;

	if (strlen(s) != 9)
		return "must be two letters and seven digits";
	for (i = 0; i < 9; i++)
		out[i] = (char)toupper((unsigned char)s[i]);
	out[9] = '\0';
	if (!isupper((unsigned char)out[0]) ||
	    !(isupper((unsigned char)out[1]) || out[1] == '9') ||
	    !all_digits(out + 2, 7))
		return "must be two letters and seven digits";
	sum = (out[2] - '0') + (out[4] - '0') + (out[6] - '0') +
	    2 * ((out[3] - '0') + (out[5] - '0') + (out[7] - '0'));
	if (sum % 10 != out[8] - '0')
		return "check digit fails";
	if (last_name && *last_name && out[1] != '9') {
		init = initial(last_name);
		if (init && init != out[1])
			return "second letter is not the initial of the "
			    "last name";
	}
	if (ptype && *ptype) {
		letters = ctp_dea_letters(ptype);
		if (strchr(letters, out[0]) == NULL)
			return ctp_ptype_midlevel(ptype) ?
			    "registrant type must be M for a mid-level "
			    "practitioner" :
			    "registrant type must be A, B, F or G for a "
			    "practitioner";
	}
	return NULL;
}

int
ctp_state_valid(const char *s)
{
	const char *const *p;

	if (strlen(s) != 2)
		return 0;
	for (p = ctp_state_codes; *p; p++)
		if (s[0] == (*p)[0] && s[1] == (*p)[1])
			return 1;
	return 0;
}

/*
 * s in capitals without anything but letters and digits ("N.P.-C" and
 * "n p c" are "NPC"); 0, or -1 when it does not fit n bytes.
 */
static int
fold(const char *s, char *out, size_t n)
{
	size_t k = 0;

	for (; *s; s++) {
		if (!isalnum((unsigned char)*s))
			continue;
		if (k + 1 >= n)
			return -1;
		out[k++] = (char)toupper((unsigned char)*s);
	}
	out[k] = '\0';
	return 0;
}

/* A spelling, folded (see fold), and the code it stands for. */
struct alias {
	const char *from, *to;
};

/*
 * The code s stands for, in out (n bytes): s folded is one of codes or a
 * spelling in t (nt of them).  NULL when it is neither.
 */
static const char *
lookup(const char *s, const char *const *codes, const struct alias *t,
    size_t nt, char *out, size_t n)
{
	const char *to = NULL;
	char f[64];
	size_t i;

	if (fold(s, f, sizeof(f)) < 0 || *f == '\0')
		return NULL;
	if (ctp_str_index(codes, f) >= 0)
		to = f;
	/* First letters before the rest: each row of an import asks. */
	for (i = 0; to == NULL && i < nt; i++)
		if (t[i].from[0] == f[0] && strcmp(t[i].from, f) == 0)
			to = t[i].to;
	if (to == NULL || strlen(to) >= n)
		return NULL;
	memcpy(out, to, strlen(to) + 1);
	return out;
}

/* Names of the states, DC and the territories. */
static const struct alias state_names[] = {
	{ "ALABAMA", "AL" }, { "ALASKA", "AK" }, { "ARIZONA", "AZ" },
	{ "ARKANSAS", "AR" }, { "CALIFORNIA", "CA" }, { "COLORADO", "CO" },
	{ "CONNECTICUT", "CT" }, { "DELAWARE", "DE" }, { "FLORIDA", "FL" },
	{ "GEORGIA", "GA" }, { "HAWAII", "HI" }, { "IDAHO", "ID" },
	{ "ILLINOIS", "IL" }, { "INDIANA", "IN" }, { "IOWA", "IA" },
	{ "KANSAS", "KS" }, { "KENTUCKY", "KY" }, { "LOUISIANA", "LA" },
	{ "MAINE", "ME" }, { "MARYLAND", "MD" }, { "MASSACHUSETTS", "MA" },
	{ "MICHIGAN", "MI" }, { "MINNESOTA", "MN" }, { "MISSISSIPPI", "MS" },
	{ "MISSOURI", "MO" }, { "MONTANA", "MT" }, { "NEBRASKA", "NE" },
	{ "NEVADA", "NV" }, { "NEWHAMPSHIRE", "NH" }, { "NEWJERSEY", "NJ" },
	{ "NEWMEXICO", "NM" }, { "NEWYORK", "NY" },
	{ "NORTHCAROLINA", "NC" }, { "NORTHDAKOTA", "ND" }, { "OHIO", "OH" },
	{ "OKLAHOMA", "OK" }, { "OREGON", "OR" }, { "PENNSYLVANIA", "PA" },
	{ "RHODEISLAND", "RI" }, { "SOUTHCAROLINA", "SC" },
	{ "SOUTHDAKOTA", "SD" }, { "TENNESSEE", "TN" }, { "TEXAS", "TX" },
	{ "UTAH", "UT" }, { "VERMONT", "VT" }, { "VIRGINIA", "VA" },
	{ "WASHINGTON", "WA" }, { "WESTVIRGINIA", "WV" },
	{ "WISCONSIN", "WI" }, { "WYOMING", "WY" },
	{ "DISTRICTOFCOLUMBIA", "DC" }, { "WASHINGTONDC", "DC" },
	{ "AMERICANSAMOA", "AS" }, { "GUAM", "GU" },
	{ "NORTHERNMARIANAISLANDS", "MP" },
	{ "COMMONWEALTHOFTHENORTHERNMARIANAISLANDS", "MP" },
	{ "PUERTORICO", "PR" }, { "VIRGINISLANDS", "VI" },
	{ "USVIRGINISLANDS", "VI" }, { "UNITEDSTATESVIRGINISLANDS", "VI" },
	{ "MICRONESIA", "FM" }, { "FEDERATEDSTATESOFMICRONESIA", "FM" },
	{ "MARSHALLISLANDS", "MH" }, { "PALAU", "PW" },
};

const char *
ctp_check_state(const char *s, char out[3])
{
	/* "il", "D.C.", "Illinois", "new york" */
	if (lookup(s, ctp_state_codes, state_names, sizeof(state_names) /
	    sizeof(state_names[0]), out, 3))
		return NULL;
	return "not a USPS state code or state name (see ctp-import(1))";
}

/* A real date in ISO form is its own normal form. */
static void
date_out(const char *s, long days, char out[11])
{
	if (strlen(s) == 10 && s[4] == '-')
		memcpy(out, s, 11);
	else
		ctp_date_format(days, out);
}

const char *
ctp_check_date(const char *s, char out[11])
{
	long days;

	if (ctp_date_parse(s, &days) < 0)
		return ctp_date_two_digit_year(s) ? "two-digit year: write "
		    "the year in full (only expiration dates may use two "
		    "digits)" : "not a real date (YYYY-MM-DD or MM/DD/YYYY)";
	date_out(s, days, out);
	return NULL;
}

const char *
ctp_check_expiry(const char *s, char out[11])
{
	long days;

	if (ctp_date_parse_expiry(s, &days) < 0)
		return "not a real date (YYYY-MM-DD, MM/DD/YYYY or MM/DD/YY)";
	date_out(s, days, out);
	return NULL;
}

const char *
ctp_check_taxonomy_form(const char *s, char out[11])
{
	int i;

	if (strlen(s) != 10)
		return "not a NUCC taxonomy code (10 characters ending in X)";
	for (i = 0; i < 10; i++)
		out[i] = (char)toupper((unsigned char)s[i]);
	out[10] = '\0';
	if (!all_digits(out, 3) || out[9] != 'X')
		return "not a NUCC taxonomy code (10 characters ending in X)";
	for (i = 3; i < 9; i++)
		if (!isdigit((unsigned char)out[i]) &&
		    !isupper((unsigned char)out[i]))
			return "not a NUCC taxonomy code (10 characters "
			    "ending in X)";
	return NULL;
}

/*
 * Spellings of provider types found in trackers and on badges, folded
 * (see fold).  Only those that name one type: "APRN" (NP, CNM, CRNA or a
 * clinical nurse specialist) and "Physician" (MD or DO) are not here.
 */
static const struct alias ptype_alias[] = {
	{ "DOCTOROFMEDICINE", "MD" }, { "MEDICALDOCTOR", "MD" },
	{ "ALLOPATHICPHYSICIAN", "MD" },
	{ "DOCTOROFOSTEOPATHY", "DO" },
	{ "DOCTOROFOSTEOPATHICMEDICINE", "DO" },
	{ "OSTEOPATHICPHYSICIAN", "DO" },
	{ "NURSEPRACTITIONER", "NP" }, { "CERTIFIEDNURSEPRACTITIONER", "NP" },
	{ "ADVANCEDPRACTICENURSEPRACTITIONER", "NP" },
	{ "FAMILYNURSEPRACTITIONER", "NP" }, { "CNP", "NP" },
	{ "APRNNP", "NP" }, { "APRNCNP", "NP" }, { "APRNFNP", "NP" },
	{ "FNP", "NP" }, { "FNPC", "NP" }, { "FNPBC", "NP" },
	{ "ANP", "NP" }, { "ANPBC", "NP" }, { "AGNP", "NP" },
	{ "AGNPC", "NP" }, { "AGPCNP", "NP" }, { "AGPCNPBC", "NP" },
	{ "AGACNP", "NP" }, { "AGACNPBC", "NP" }, { "ACNP", "NP" },
	{ "PNP", "NP" }, { "PNPBC", "NP" }, { "PMHNP", "NP" },
	{ "PMHNPBC", "NP" }, { "WHNP", "NP" }, { "WHNPBC", "NP" },
	{ "NNP", "NP" }, { "NNPBC", "NP" },
	{ "PHYSICIANASSISTANT", "PA" }, { "PHYSICIANASSOCIATE", "PA" },
	{ "PAC", "PA" }, { "CERTIFIEDPHYSICIANASSISTANT", "PA" },
	{ "CERTIFIEDREGISTEREDNURSEANESTHETIST", "CRNA" },
	{ "NURSEANESTHETIST", "CRNA" }, { "APRNCRNA", "CRNA" },
	{ "CERTIFIEDNURSEMIDWIFE", "CNM" }, { "NURSEMIDWIFE", "CNM" },
	{ "APRNCNM", "CNM" },
	{ "DOCTOROFDENTALSURGERY", "DDS" },
	{ "DOCTOROFDENTALMEDICINE", "DMD" },
	{ "DOCTOROFPODIATRICMEDICINE", "DPM" }, { "PODIATRIST", "DPM" },
	{ "DOCTOROFOPTOMETRY", "OD" }, { "OPTOMETRIST", "OD" },
	{ "DOCTOROFCHIROPRACTIC", "DC" }, { "CHIROPRACTOR", "DC" },
	{ "DOCTOROFPHILOSOPHY", "PHD" },
	{ "DOCTOROFPSYCHOLOGY", "PSYD" },
	{ "LICENSEDCLINICALSOCIALWORKER", "LCSW" },
	{ "LICENSEDPROFESSIONALCOUNSELOR", "LPC" },
	{ "LICENSEDMARRIAGEANDFAMILYTHERAPIST", "LMFT" },
	{ "REGISTEREDDIETITIAN", "RD" }, { "RDN", "RD" },
	{ "REGISTEREDDIETITIANNUTRITIONIST", "RD" },
	{ "PHYSICALTHERAPIST", "PT" }, { "DPT", "PT" },
	{ "DOCTOROFPHYSICALTHERAPY", "PT" },
	{ "OCCUPATIONALTHERAPIST", "OT" }, { "OTR", "OT" }, { "OTRL", "OT" },
	{ "SPEECHLANGUAGEPATHOLOGIST", "SLP" }, { "CCCSLP", "SLP" },
	{ "SLPCCC", "SLP" },
	{ "AUDIOLOGIST", "AUD" }, { "DOCTOROFAUDIOLOGY", "AUD" },
	{ "REGISTEREDNURSE", "RN" },
	{ "LICENSEDPRACTICALNURSE", "LPN" }, { "LVN", "LPN" },
	{ "LICENSEDVOCATIONALNURSE", "LPN" },
};

const char *
ctp_check_ptype(const char *s, char out[8])
{
	/* "np", "M.D.", "P.A.-C", "Nurse Practitioner" */
	if (lookup(s, ctp_ptypes, ptype_alias, sizeof(ptype_alias) /
	    sizeof(ptype_alias[0]), out, 8))
		return NULL;
	return "unknown provider type (one of MD, DO, NP, PA, CRNA, CNM, "
	    "DDS, DMD, DPM, OD, DC, PHD, PSYD, LCSW, LPC, LMFT, RD, PT, OT, "
	    "SLP, AUD, RN, LPN; other spellings: see ctp-import(1))";
}

int
ctp_ptype_taxonomy_agree(const char *ptype, const char *code)
{
	const char *p, *q;
	size_t i, n;

	for (i = 0; i < sizeof(type_tax) / sizeof(type_tax[0]); i++) {
		if (strcmp(type_tax[i].ptype, ptype) != 0)
			continue;
		for (p = type_tax[i].prefixes; *p; p = q) {
			q = strchr(p, ' ');
			n = q ? (size_t)(q - p) : strlen(p);
			if (strncmp(code, p, n) == 0)
				return 1;
			q = q ? q + 1 : p + n;
		}
		return 0;
	}
	return 1;
}

const char *
ctp_check_zip(const char *s, char out[11])
{
	size_t n = strlen(s);

	if (n == 5 && all_digits(s, 5)) {
		memcpy(out, s, 6);
		return NULL;
	}
	if ((n == 9 && all_digits(s, 9)) ||
	    (n == 10 && all_digits(s, 5) && s[5] == '-' &&
	    all_digits(s + 6, 4))) {
		memcpy(out, s, 5);
		out[5] = '-';
		memcpy(out + 6, s + n - 4, 4);
		out[10] = '\0';
		return NULL;
	}
	return "not a ZIP code (NNNNN or NNNNN-NNNN)";
}

const char *
ctp_check_phone(const char *s, char out[13])
{
	char d[16];
	size_t n = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n >= 11)
				return "not a 10-digit phone number";
			d[n++] = *p;
		} else if (strchr(" ()-.+", *p) == NULL)
			return "not a 10-digit phone number";
	}
	if (n == 11 && d[0] == '1') {
		memmove(d, d + 1, 10);
		n = 10;
	}
	if (n != 10)
		return "not a 10-digit phone number";
	/* NNN-NNN-NNNN */
	memcpy(out, d, 3);
	out[3] = '-';
	memcpy(out + 4, d + 3, 3);
	out[7] = '-';
	memcpy(out + 8, d + 6, 4);
	out[12] = '\0';
	return NULL;
}

const char *
ctp_check_email(const char *s)
{
	const char *at = strchr(s, '@'), *p;

	if (at == NULL || at == s || strchr(at + 1, '@') ||
	    strchr(at + 1, '.') == NULL || at[1] == '.' ||
	    s[strlen(s) - 1] == '.' || strlen(s) > 254)
		return "not an e-mail address";
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return "not an e-mail address";
	return NULL;
}

const char *
ctp_check_text(const char *s, size_t max)
{
	return ctp_check_text_len(s, strlen(s), max);
}

const char *
ctp_check_text_len(const char *s, size_t len, size_t max)
{
	const unsigned char *p;

	if (len > max)
		return "too long";
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "contains control characters";
	return NULL;
}

const char *
ctp_check_note(const char *s)
{
	return s == NULL ? NULL : ctp_check_text(s, 1000);
}

const char *
ctp_check_caqh_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 10 || !all_digits(s, n))
		return "not a CAQH ProView ID (1 to 10 digits)";
	return NULL;
}

int
ctp_str_index(const char *const *list, const char *s)
{
	int i;

	/* First letters before the rest: each row of an import asks
	 * several times. */
	for (i = 0; list[i]; i++)
		if (list[i][0] == s[0] && strcmp(list[i], s) == 0)
			return i;
	return -1;
}

int
ctp_kind_valid(const char *s)
{
	return ctp_str_index(ctp_credential_kinds, s) >= 0;
}
