/*
 * import_map.c - the columns of the roster file: their canonical names,
 * the spellings of a header that mean them, and --map files.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "import.h"
#include "import_map.h"
#include "input.h"
#include "mem.h"

_Static_assert(NCANON == CTP_IMPORT_NCOLUMNS, "one list of columns");

const char *const ctp_import_columns[] = {
#define CTP_IMPORT_NAME(k, name) name,
	CTP_IMPORT_COLUMN_LIST(CTP_IMPORT_NAME)
#undef CTP_IMPORT_NAME
	NULL
};

/* Header variants, after folding (lower case, runs of other than a-z0-9
 * become one '_', trimmed). */
static const struct {
	const char *from, *to;
} variants[] = {
	{ "npi_number", "npi" }, { "npi_no", "npi" }, { "npi_num", "npi" },
	{ "individual_npi", "npi" }, { "provider_npi", "npi" },
	{ "first", "first_name" }, { "firstname", "first_name" },
	{ "fname", "first_name" }, { "given_name", "first_name" },
	{ "provider_first_name", "first_name" },
	{ "middle", "middle_name" }, { "middlename", "middle_name" },
	{ "middle_initial", "middle_name" }, { "mi", "middle_name" },
	{ "last", "last_name" }, { "lastname", "last_name" },
	{ "lname", "last_name" }, { "surname", "last_name" },
	{ "family_name", "last_name" }, { "provider_last_name", "last_name" },
	{ "name_suffix", "suffix" },
	{ "date_of_birth", "dob" }, { "birth_date", "dob" },
	{ "birthdate", "dob" }, { "birthday", "dob" },
	{ "type", "provider_type" }, { "degree", "provider_type" },
	{ "credential", "provider_type" }, { "prov_type", "provider_type" },
	{ "taxonomy_code", "taxonomy" }, { "primary_taxonomy", "taxonomy" },
	{ "address", "practice_address" }, { "street", "practice_address" },
	{ "street_address", "practice_address" },
	{ "practice_street", "practice_address" },
	{ "city", "practice_city" },
	{ "state", "practice_state" }, { "practice_st", "practice_state" },
	{ "zip", "practice_zip" }, { "zip_code", "practice_zip" },
	{ "zipcode", "practice_zip" }, { "postal_code", "practice_zip" },
	{ "practice_zip_code", "practice_zip" },
	{ "phone_number", "phone" }, { "telephone", "phone" },
	{ "practice_phone", "phone" },
	{ "e_mail", "email" }, { "email_address", "email" },
	{ "assigned_coordinator", "coordinator" },
	{ "caqh", "caqh_id" }, { "caqh_number", "caqh_id" },
	{ "caqh_provider_id", "caqh_id" }, { "caqh_no", "caqh_id" },
	{ "caqh_attestation", "caqh_attested" },
	{ "caqh_attestation_date", "caqh_attested" },
	{ "caqh_attested_date", "caqh_attested" },
	{ "last_attestation", "caqh_attested" },
	{ "initial_credentialing_date", "initial_cred_date" },
	{ "initial_cred", "initial_cred_date" },
	{ "last_recredentialing_date", "last_recred_date" },
	{ "recred_date", "last_recred_date" },
	{ "last_recred", "last_recred_date" },
	{ "license", "license_number" }, { "license_no", "license_number" },
	{ "license_num", "license_number" },
	{ "state_license", "license_number" },
	{ "license_exp", "license_expires" },
	{ "license_expiration", "license_expires" },
	{ "license_expiration_date", "license_expires" },
	{ "license_exp_date", "license_expires" },
	{ "dea", "dea_number" }, { "dea_no", "dea_number" },
	{ "dea_num", "dea_number" },
	{ "dea_exp", "dea_expires" }, { "dea_expiration", "dea_expires" },
	{ "dea_expiration_date", "dea_expires" },
	{ "board", "board_name" }, { "board_certification", "board_name" },
	{ "certifying_board", "board_name" },
	{ "board_exp", "board_expires" },
	{ "board_expiration", "board_expires" },
	{ "malpractice_insurer", "malpractice_carrier" },
	{ "malpractice", "malpractice_carrier" },
	{ "policy_number", "malpractice_policy" },
	{ "malpractice_policy_number", "malpractice_policy" },
	{ "malpractice_exp", "malpractice_expires" },
	{ "malpractice_expiration", "malpractice_expires" },
	{ "provider_status", "status" },
	{ "former_names", "other_names" }, { "aka", "other_names" },
	{ "maiden_name", "other_names" }, { "other_name", "other_names" },
};

static void
fold_header(const char *h, char *out, size_t n)
{
	size_t k = 0;
	int us = 0;

	for (; *h && k + 1 < n; h++) {
		if (isalnum((unsigned char)*h)) {
			if (us && k > 0)
				out[k++] = '_';
			us = 0;
			if (k + 1 < n)
				out[k++] = (char)tolower((unsigned char)*h);
		} else
			us = 1;
	}
	out[k] = '\0';
}

int
ctp_import_column_index(const char *name)
{
	int i;

	for (i = 0; i < NCANON; i++)
		if (strcmp(ctp_import_columns[i], name) == 0)
			return i;
	return -1;
}

const char *
ctp_import_canonical(const char *header)
{
	char f[128];
	size_t i;
	int k;

	fold_header(header, f, sizeof(f));
	if ((k = ctp_import_column_index(f)) >= 0)
		return ctp_import_columns[k];
	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
		if (strcmp(variants[i].from, f) == 0)
			return variants[i].to;
	return NULL;
}

const struct ctp_import_group ctp_import_groups[] = {
	{ "state_license", C_LIC_NUM, C_LIC_ST, -1, C_LIC_EXP,
	  { C_LIC_NUM, C_LIC_ST, C_LIC_EXP } },
	{ "dea", C_DEA_NUM, C_DEA_ST, -1, C_DEA_EXP,
	  { C_DEA_NUM, C_DEA_ST, C_DEA_EXP } },
	{ "board_cert", -1, -1, C_BOARD, C_BOARD_EXP,
	  { C_BOARD, C_BOARD_EXP, -1 } },
	{ "malpractice", C_MAL_POL, -1, C_MAL_CAR, C_MAL_EXP,
	  { C_MAL_CAR, C_MAL_EXP, -1 } },
};

int
ctp_import_pcols_list(struct ctp_buf *b)
{
	int i;

	for (i = 0; i < NPCOLS; i++)
		if (ctp_buf_printf(b, ", %s",
		    ctp_import_columns[ctp_import_pcols[i]]) < 0)
			return -1;
	return 0;
}

int
ctp_import_providers_insert(struct ctp_buf *b, size_t n)
{
	size_t r;
	int i, p = 2;

	if (ctp_buf_puts(b, "INSERT INTO providers (npi") < 0 ||
	    ctp_import_pcols_list(b) < 0 ||
	    ctp_buf_puts(b, ", created_at, updated_at) VALUES ") < 0)
		return -1;
	for (r = 0; r < n; r++) {
		if (ctp_buf_printf(b, "%s(?%d", r ? "," : "", p++) < 0)
			return -1;
		for (i = 0; i < NPCOLS; i++)
			if (ctp_buf_printf(b, ",?%d", p++) < 0)
				return -1;
		if (ctp_buf_puts(b, ",?1,?1)") < 0)
			return -1;
	}
	return 0;
}

int
ctp_import_group_index(const char *kind)
{
	int g;

	for (g = 0; g < NGROUPS; g++)
		if (strcmp(ctp_import_groups[g].kind, kind) == 0)
			return g;
	return -1;
}

const int ctp_import_pcols[] = {
	C_FIRST, C_MIDDLE, C_LAST, C_SUFFIX, C_DOB, C_TYPE, C_TAX, C_ADDR,
	C_CITY, C_STATE, C_ZIP, C_PHONE, C_EMAIL, C_COORD, C_CAQH, C_CAQH_ATT,
	C_INIT, C_RECRED, C_STATUS, C_OTHER
};

static int
read_map(const char *map, char ***from, char ***to, size_t *n,
    struct ctp_error *e)
{
	struct ctp_input *mi;
	const char *a, *b;
	char where[300];
	size_t cap = 0;
	int r, first = 1, rc = 0;

	*from = *to = NULL;
	*n = 0;
	if (map == NULL)
		return 0;
	if (ctp_input_open(&mi, map, CTP_ENC_AUTO, e))
		return e->code;
	/* The header row is a mapping too unless it names the columns. */
	for (;;) {
		if (first) {
			a = ctp_input_colname(mi, 0);
			b = ctp_input_colname(mi, 1);
			first = 0;
			if (a == NULL)
				break;
			if (b == NULL || (strcasecmp(b, "ignore") != 0 &&
			    ctp_import_column_index(b) < 0 &&
			    ctp_import_canonical(b) == NULL))
				continue;
		} else {
			r = ctp_input_next(mi, e);
			if (r < 0) {
				rc = e->code;
				break;
			}
			if (r == 0)
				break;
			a = ctp_input_value(mi, 0);
			b = ctp_input_value(mi, 1);
		}
		if (a == NULL || b == NULL || (strcasecmp(b, "ignore") != 0 &&
		    ctp_import_column_index(b) < 0)) {
			snprintf(where, sizeof(where), "%s:%zu", map,
			    ctp_input_line(mi));
			rc = ctp_errf(e, CTP_DATAERR, where, "second column "
			    "must be a canonical column name or ignore (the "
			    "columns: ctp-import --help)");
			break;
		}
		if (*n == cap) {
			char **f2, **t2;

			cap = cap ? cap * 2 : 16;
			f2 = ctp_realloc(*from, cap * sizeof(char *));
			if (f2)
				*from = f2;
			t2 = ctp_realloc(*to, cap * sizeof(char *));
			if (t2)
				*to = t2;
			if (f2 == NULL || t2 == NULL) {
				rc = ctp_err_nomem(e, map);
				break;
			}
		}
		(*from)[*n] = ctp_strdup(a);
		(*to)[*n] = ctp_strdup(b);
		if ((*from)[*n] == NULL || (*to)[*n] == NULL) {
			free((*from)[*n]);
			free((*to)[*n]);
			rc = ctp_err_nomem(e, map);
			break;
		}
		(*n)++;
	}
	ctp_input_close(mi);
	return rc;
}

int
ctp_import_header_read(struct ctp_import_header *hd, struct ctp_input *in,
    const char *map, FILE *msg, const char *prog, struct ctp_error *e)
{
	const char *file = ctp_input_name(in);
	char **from = NULL, **to = NULL, where[300];
	size_t nmap = 0, i, j, nc = ctp_input_ncols(in);
	const char *h, *cn;
	int k, bad = 0, rc;
	static const int required[] = { C_NPI, C_FIRST, C_LAST, C_TYPE };

	if ((rc = read_map(map, &from, &to, &nmap, e)) != 0)
		goto done;
	for (k = 0; k < NCANON; k++)
		hd->col[k] = -1;
	free(hd->use);
	if ((hd->use = ctp_calloc(nc ? nc : 1, sizeof(int))) == NULL) {
		rc = ctp_err_nomem(e, file);
		goto done;
	}
	hd->nuse = nc;
	snprintf(where, sizeof(where), "%s:1", file);
	for (i = 0; i < nc; i++) {
		h = ctp_input_colname(in, i);
		hd->use[i] = -1;
		cn = NULL;
		for (j = 0; j < nmap; j++)
			if (strcasecmp(from[j], h) == 0) {
				cn = to[j];
				break;
			}
		if (cn == NULL) {
			if (strcasecmp(h, "ignore") == 0 ||
			    strcasecmp(h, "errors") == 0)
				continue;
			cn = ctp_import_canonical(h);
		}
		if (cn && strcasecmp(cn, "ignore") == 0)
			continue;
		if (cn == NULL) {
			ctp_msgf(msg, "%s: %s: column %zu (%s): unknown "
			    "column: map it with --map or name it ignore (the "
			    "columns: ctp-import --help)",
			    prog, where, i + 1, h);
			bad++;
			continue;
		}
		k = ctp_import_column_index(cn);
		if (hd->col[k] >= 0) {
			ctp_msgf(msg, "%s: %s: column %zu (%s): %s "
			    "given twice (also column %d)", prog,
			    where, i + 1, h, cn, hd->col[k] + 1);
			bad++;
			continue;
		}
		hd->col[k] = (int)i;
		hd->use[i] = k;
	}
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (hd->col[required[i]] < 0) {
			ctp_msgf(msg, "%s: %s: %s: required column "
			    "missing", prog, where,
			    ctp_import_columns[required[i]]);
			bad++;
		}
	if (bad)
		rc = ctp_errf(e, CTP_DATAERR, file, "%d problem%s in the "
		    "header: nothing imported", bad, bad > 1 ? "s" : "");
done:
	for (j = 0; j < nmap; j++) {
		free(from[j]);
		free(to[j]);
	}
	free(from);
	free(to);
	return rc;
}
