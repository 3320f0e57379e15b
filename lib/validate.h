/*
 * validate.h - checks of single provider and credential values.
 *
 * Each check returns NULL when the value is good, else a short message
 * (lower case, static storage, never quoting the value) such as
 * "check digit fails".  Normalizing checks write the normal form into a
 * caller buffer.  Nothing here allocates or touches the database.
 */
#ifndef CTP_VALIDATE_H
#define CTP_VALIDATE_H

#include <stddef.h>

/*
 * 10 digits, first 1 or 2, Luhn check digit over the 80840 prefix.  An
 * NPI in scientific notation (Excel's 1.77722E+09) says how to fix it.
 */
const char *ctp_check_npi(const char *s);
/* The Luhn check digit for the first 9 digits of an NPI; -1 if not digits. */
int	ctp_npi_check_digit(const char *nine);

/*
 * DEA registration number: two letters and seven digits, check digit
 * (d1+d3+d5 + 2*(d2+d4+d6)) mod 10 == d7.  The second letter is the
 * initial of last_name (accents folded) or 9; last_name NULL skips that.
 * ptype NULL skips the registrant-type check; else the first letter must
 * fit the provider type (ctp_dea_letters).  s may be lower case: out (10
 * bytes) gets the upper-case form.
 */
const char *ctp_check_dea(const char *s, const char *last_name,
	    const char *ptype, char out[10]);
/* Registrant-type letters accepted for a provider type ("ABFG" or "M"). */
const char *ctp_dea_letters(const char *ptype);

/* USPS code of a state, DC or territory (upper case only): 1 or 0. */
int	ctp_state_valid(const char *s);
/*
 * A state's USPS code in any case, or its name ("Illinois", "new york",
 * "District of Columbia"; case, spaces and dots folded): out[3] gets the
 * code; a message when it is neither.
 */
const char *ctp_check_state(const char *s, char out[3]);
/* Every accepted code, NULL-terminated (for tests and completions). */
extern const char *const ctp_state_codes[];

/*
 * A real calendar date in an accepted form (ctp_date_parse); out gets
 * YYYY-MM-DD.  A two-digit year has a message of its own.
 */
const char *ctp_check_date(const char *s, char out[11]);
/* An expiration date: also M/D/YY, read as 20YY (ctp_date_parse_expiry). */
const char *ctp_check_expiry(const char *s, char out[11]);

/* NUCC form: [0-9]{3}[0-9A-Z]{6}X; out (11 bytes) gets upper case. */
const char *ctp_check_taxonomy_form(const char *s, char out[11]);

/*
 * Provider types: MD, DO, NP, PA, CRNA, CNM, DDS, DMD, ... in any case,
 * or a common spelling ("Nurse Practitioner", "N.P.", "P.A.-C", "M.D.";
 * case, dots, spaces and hyphens folded): out gets the type.
 */
const char *ctp_check_ptype(const char *s, char out[8]);
extern const char *const ctp_ptypes[];
/* Does a NUCC code fit the provider type?  1 or 0 (1 for unknown types). */
int	ctp_ptype_taxonomy_agree(const char *ptype, const char *code);
/* Mid-level practitioners (NP, PA, CRNA, CNM): 1 or 0. */
int	ctp_ptype_midlevel(const char *ptype);

/* ZIP: 5 digits, ZIP+4 with or without the hyphen; out "NNNNN[-NNNN]". */
const char *ctp_check_zip(const char *s, char out[11]);
/* US phone: 10 digits (a leading 1 dropped), out "NNN-NNN-NNNN". */
const char *ctp_check_phone(const char *s, char out[13]);
const char *ctp_check_email(const char *s);
/* Text without control characters, at most max bytes. */
const char *ctp_check_text(const char *s, size_t max);
/* The same, of s known to be len bytes long. */
const char *ctp_check_text_len(const char *s, size_t len, size_t max);
/*
 * A note kept with a change or a decision (--note): NULL, or text without
 * control characters (C0 and DEL: a terminal or a log would obey them) of
 * at most 1000 bytes.
 */
const char *ctp_check_note(const char *s);
/* CAQH ProView ID: 1 to 10 digits. */
const char *ctp_check_caqh_id(const char *s);

/* s's index in a NULL-terminated list of names, or -1. */
int	ctp_str_index(const char *const *list, const char *s);

/* Credential kinds, NULL-terminated; ctp_kind_valid 1 or 0. */
extern const char *const ctp_credential_kinds[];
int	ctp_kind_valid(const char *s);

#endif
