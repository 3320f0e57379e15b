/*
 * import_check.c - the checks of a row of the roster file (import_check.h):
 * each column's normal form, the rules across columns, a repeated NPI or
 * DEA number, and what the roster holds, asked through struct
 * ctp_import_ask.  No database here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "credential.h"
#include "date.h"
#include "import.h"
#include "import_check.h"
#include "import_map.h"
#include "mem.h"
#include "roster.h"
#include "validate.h"

/*
 * The checks' memory from row to row: a map of 64-bit keys (an NPI, a
 * DEA number) to a value (a line, an NPI), open addressing.  A key's
 * slot comes from the high bits of its product with 2^64 / phi: the low
 * bits of a DEA number's key are its last digits only.
 */
static size_t
slot(uint64_t k, size_t cap)
{
	uint64_t h = k * 11400714819323198485ull;

	return (size_t)(h ^ h >> 32) & (cap - 1);
}

static int
seen_grow(struct ctp_import_seen *s)
{
	struct ctp_import_seen t;
	size_t i, j;

	t.cap = s->cap ? s->cap * 2 : 1024;
	t.n = s->n;
	if ((t.key = ctp_calloc(t.cap, sizeof(*t.key))) == NULL)
		return -1;
	if ((t.line = ctp_calloc(t.cap, sizeof(*t.line))) == NULL) {
		free(t.key);
		return -1;
	}
	for (i = 0; i < s->cap; i++) {
		if (s->key[i] == 0)
			continue;
		for (j = slot(s->key[i], t.cap); t.key[j];
		    j = (j + 1) & (t.cap - 1))
			;
		t.key[j] = s->key[i];
		t.line[j] = s->line[i];
	}
	free(s->key);
	free(s->line);
	*s = t;
	return 0;
}

/* 0 and records it, >0 the earlier line, -1 out of memory. */
static long long
seen_add(struct ctp_import_seen *s, uint64_t k, size_t line)
{
	size_t j;

	if ((s->n + 1) * 2 > s->cap && seen_grow(s) < 0)
		return -1;
	for (j = slot(k, s->cap); s->key[j]; j = (j + 1) & (s->cap - 1))
		if (s->key[j] == k)
			return (long long)s->line[j];
	s->key[j] = k;
	s->line[j] = line;
	s->n++;
	return 0;
}

/* The earlier value recorded for k, or 0. */
static size_t
seen_find(const struct ctp_import_seen *s, uint64_t k)
{
	size_t j;

	if (s->cap == 0)
		return 0;
	for (j = slot(k, s->cap); s->key[j]; j = (j + 1) & (s->cap - 1))
		if (s->key[j] == k)
			return s->line[j];
	return 0;
}

static void
seen_free(struct ctp_import_seen *s)
{
	free(s->key);
	free(s->line);
	memset(s, 0, sizeof(*s));
}

/* A DEA number (two letters, seven digits) as a key: 7 bits a byte. */
static uint64_t
dea_key(const char *dea)
{
	uint64_t k = 0;
	int i;

	for (i = 0; i < 9; i++)
		k = k << 7 | ((unsigned char)dea[i] & 0x7f);
	return k;
}

void
ctp_import_row_start(struct ctp_import_row *r, size_t line)
{
	r->line = line;
	r->ptype = NULL;
	r->valid_npi = 0;
	r->valid_names = 1;
	ctp_buf_reset(&r->errs);
	r->nerr = 0;
	r->said = 0;
}

/*
 * One problem of this row.  A column's first problem is the only one
 * said: a value too long, or not text, is not also "required".
 */
_Static_assert(NCANON <= 64, "ctp_import_row.said has a bit per column");

void
ctp_import_row_err(struct ctp_import_row *r, const char *col,
    const char *what)
{
	int k = ctp_import_column_index(col);

	if (k >= 0 && (r->said & (UINT64_C(1) << k)))
		return;
	if (k >= 0)
		r->said |= UINT64_C(1) << k;
	ctp_msgf(r->msg, "%s: %s:%zu: %s: %s", r->prog, r->file, r->line,
	    col, what);
	if (r->errs.len)
		ctp_buf_puts(&r->errs, "; ");
	ctp_buf_printf(&r->errs, "%s: %s", col, what);
	r->nerr++;
}

int
ctp_import_group_used(const struct ctp_import_row *r,
    const struct ctp_import_group *g)
{
	return (g->num >= 0 && *r->v[g->num]) ||
	    (g->st >= 0 && *r->v[g->st]) ||
	    (g->issuer >= 0 && *r->v[g->issuer]) ||
	    (g->exp >= 0 && *r->v[g->exp]);
}

/* The NPI and the provider fields, into their normal forms. */
static void
check_fields(struct ctp_import_row *r)
{
	const char *why;
	int i, k;

	if (*r->v[C_NPI] == '\0')
		ctp_import_row_err(r, "npi", "required");
	else if ((why = ctp_check_npi(r->v[C_NPI])) != NULL)
		ctp_import_row_err(r, "npi", why);
	else
		r->valid_npi = 1;
	for (i = 0; i < NPCOLS; i++) {
		k = ctp_import_pcols[i];
		if (r->col[k] < 0)
			continue;
		if (k == C_STATUS && *r->v[k] == '\0')
			continue;	/* keep (or default to active) */
		/* ctp_import_pcols follows ctp_roster_fields (import.c
		 * checks); the check reads its value before writing out. */
		why = ctp_roster_check_index(i, r->v[k], r->v[k],
		    sizeof(r->v[k]));
		if (why) {
			ctp_import_row_err(r, ctp_import_columns[k], why);
			if (k == C_FIRST || k == C_LAST)
				r->valid_names = 0;
			r->v[k][0] = '\0';
		}
	}
	if (*r->v[C_TYPE])
		r->ptype = r->v[C_TYPE];
}

/* The taxonomy against the type, then the loaded NUCC code set. */
static int
check_taxonomy(struct ctp_import_check *k, struct ctp_import_row *r,
    struct ctp_error *e)
{
	int known;

	if (*r->v[C_TAX] == '\0')
		return 0;
	if (r->ptype && !ctp_ptype_taxonomy_agree(r->ptype, r->v[C_TAX])) {
		ctp_import_row_err(r, "taxonomy",
		    "does not fit the provider type");
		return 0;
	}
	if (k->ask->taxonomy(k->ask->arg, r->v[C_TAX], &known, e) != 0)
		return e->code;
	if (known == CTP_IMPORT_TAX_UNKNOWN)
		ctp_import_row_err(r, "taxonomy",
		    "not in the loaded NUCC code set");
	else if (known == CTP_IMPORT_TAX_RETIRED)
		ctp_import_row_err(r, "taxonomy", "retired NUCC code");
	return 0;
}

/* The age on the day of the import, and the credentialing dates. */
static void
check_dates(struct ctp_import_row *r, long as_of)
{
	long dob, age;

	if (*r->v[C_DOB] && ctp_date_parse(r->v[C_DOB], &dob) == 0) {
		age = ctp_date_years_between(dob, as_of);
		if (age < 18 || age > 110)
			ctp_import_row_err(r, "dob",
			    "age must be between 18 and 110");
	}
	if (*r->v[C_INIT] && *r->v[C_RECRED] &&
	    strcmp(r->v[C_RECRED], r->v[C_INIT]) < 0)
		ctp_import_row_err(r, "last_recred_date",
		    "before initial_cred_date");
}

/* The credential columns, into their normal forms. */
static void
check_credential_values(struct ctp_import_row *r)
{
	char tmp[1024];
	const char *why;
	int k;

	for (k = C_LIC_NUM; k <= C_MAL_EXP; k++) {
		if (*r->v[k] == '\0')
			continue;
		why = NULL;
		switch (k) {
		case C_LIC_ST:
		case C_DEA_ST:
			why = ctp_check_state(r->v[k], tmp);
			break;
		case C_LIC_EXP:
		case C_DEA_EXP:
		case C_BOARD_EXP:
		case C_MAL_EXP:
			why = ctp_check_expiry(r->v[k], tmp);
			break;
		case C_DEA_NUM:
		case C_LIC_NUM:
		case C_MAL_POL:
			why = ctp_credential_number(k == C_DEA_NUM ? "dea" :
			    k == C_LIC_NUM ? "state_license" : "malpractice",
			    r->v[k], r->valid_names ? r->v[C_LAST] : NULL,
			    r->ptype, tmp);
			break;
		default:
			/* Kept as given. */
			if ((why = ctp_check_text(r->v[k], 200)) != NULL)
				ctp_import_row_err(r, ctp_import_columns[k],
				    why);
			continue;
		}
		if (why) {
			ctp_import_row_err(r, ctp_import_columns[k], why);
			continue;
		}
		strcpy(r->v[k], tmp);	/* a libc call: see read_row */
	}
}

/*
 * What the roster holds for the row's NPI, an NPI the file gave before,
 * and the status rule (status.h: no row ends an exclusion).
 */
static int
check_provider(struct ctp_import_check *k, struct ctp_import_row *r,
    struct ctp_import_old *old, struct ctp_error *e)
{
	const struct ctp_import_ask *ask = k->ask;
	struct ctp_error se;
	char msg[64];
	long long prev;
	int rc;

	if (!r->valid_npi)
		return ask->provider(ask->arg, NULL, old, e);
	if ((rc = ask->provider(ask->arg, r->v[C_NPI], old, e)) != 0)
		return rc;
	prev = seen_add(&k->npis, strtoull(r->v[C_NPI], NULL, 10), r->line);
	if (prev < 0)
		return ctp_err_nomem(e, "import");
	if (prev > 0) {
		snprintf(msg, sizeof(msg), "repeats the NPI of line %lld",
		    prev);
		ctp_import_row_err(r, "npi", msg);
	}
	if (old->pid == 0 || *r->v[C_STATUS] == '\0')
		return 0;
	ctp_error_clear(&se);
	rc = ask->status(ask->arg, old->pid, r->v[C_NPI], old->v[C_STATUS],
	    r->v[C_STATUS], &se);
	if (rc == CTP_DATAERR)
		ctp_import_row_err(r, "status", se.what);
	else if (rc != 0) {
		*e = se;
		return rc;
	}
	return 0;
}

/* The first column of group gr but k with a value (what made it used). */
static const char *
group_given(const struct ctp_import_row *r,
    const struct ctp_import_group *gr, int k)
{
	const int c[4] = { gr->num, gr->st, gr->issuer, gr->exp };
	int i;

	for (i = 0; i < 4; i++)
		if (c[i] >= 0 && c[i] != k && *r->v[c[i]])
			return ctp_import_columns[c[i]];
	return "the other columns of the credential";
}

/* A credential the row gives is given whole, or the roster has one. */
static void
check_groups(struct ctp_import_row *r, const struct ctp_import_old *old)
{
	char msg[96];
	int g, i, k;

	for (g = 0; g < NGROUPS; g++) {
		const struct ctp_import_group *gr = &ctp_import_groups[g];

		if (!ctp_import_group_used(r, gr))
			continue;
		for (i = 0; i < 3; i++) {
			k = gr->need[i];
			if (k >= 0 && *r->v[k] == '\0' &&
			    !(r->col[k] < 0 && old->oc[g].id)) {
				snprintf(msg, sizeof(msg), "required with %s",
				    group_given(r, gr, k));
				ctp_import_row_err(r, ctp_import_columns[k],
				    msg);
			}
		}
	}
}

/* The credentials the provider type requires, in the row or the roster. */
static int
check_required(struct ctp_import_check *k, struct ctp_import_row *r,
    const struct ctp_import_old *old, struct ctp_error *e)
{
	const char *ptype = r->ptype;
	char msg[96];
	unsigned req;
	int g;

	if (ptype == NULL || ctp_str_index(ctp_ptypes, ptype) < 0)
		return 0;
	if (k->ask->required(k->ask->arg, ptype, &req, e) != 0)
		return e->code;
	for (g = 0; g < NGROUPS; g++) {
		const struct ctp_import_group *gr = &ctp_import_groups[g];

		if (!(req & ctp_kind_bit(gr->kind)))
			continue;
		if (ctp_import_group_used(r, gr) || old->oc[g].id)
			continue;
		snprintf(msg, sizeof(msg), "missing: %.8s requires %s", ptype,
		    gr->kind);
		ctp_import_row_err(r, ctp_import_columns[gr->need[0]], msg);
	}
	if ((req & ctp_kind_bit("caqh_attestation")) &&
	    *r->v[C_CAQH_ATT] == '\0' && !(old->v[C_CAQH_ATT] &&
	    r->col[C_CAQH_ATT] < 0)) {
		snprintf(msg, sizeof(msg), "missing: %.8s requires "
		    "caqh_attestation", ptype);
		ctp_import_row_err(r, "caqh_attested", msg);
	}
	return 0;
}

/* Does the provider (row or roster) hold a license in state s? */
static int
licensed_in(struct ctp_import_check *k, const struct ctp_import_row *r,
    const struct ctp_import_old *old, const char *s, int *yes,
    struct ctp_error *e)
{
	*yes = 1;
	if (strcmp(r->v[C_LIC_ST], s) == 0)
		return 0;
	*yes = 0;
	if (old->pid == 0)
		return 0;
	/* The rule ctp-roster set applies too (credential.h). */
	return k->ask->licensed(k->ask->arg, old->pid, s, yes, e);
}

/* The practice state licensed; the DEA state a practice or license one. */
static int
check_states(struct ctp_import_check *k, struct ctp_import_row *r,
    const struct ctp_import_old *old, struct ctp_error *e)
{
	int yes;

	if (*r->v[C_STATE] && (*r->v[C_LIC_ST] || old->pid)) {
		if (licensed_in(k, r, old, r->v[C_STATE], &yes, e) != 0)
			return e->code;
		if (!yes)
			ctp_import_row_err(r, "license_state",
			    "no license in the practice state");
	}
	if (*r->v[C_DEA_ST] && strcmp(r->v[C_DEA_ST], r->v[C_STATE])) {
		if (licensed_in(k, r, old, r->v[C_DEA_ST], &yes, e) != 0)
			return e->code;
		if (!yes)
			ctp_import_row_err(r, "dea_state",
			    "not a practice or license state");
	}
	return 0;
}

/* The file carries no issue dates: an expiration is after the birth. */
static void
check_expirations(struct ctp_import_row *r)
{
	static const int ex[] = { C_LIC_EXP, C_DEA_EXP, C_BOARD_EXP,
	    C_MAL_EXP };
	long dob, exp;
	int i;

	if (*r->v[C_DOB] == '\0' || ctp_date_parse(r->v[C_DOB], &dob))
		return;
	for (i = 0; i < 4; i++)
		if (*r->v[ex[i]] &&
		    ctp_date_parse(r->v[ex[i]], &exp) == 0 && exp <= dob)
			ctp_import_row_err(r, ctp_import_columns[ex[i]],
			    "before the date of birth");
}

int
ctp_import_check_dea_held(struct ctp_import_check *k, const char *dea,
    const char *npi)
{
	if (strlen(dea) != 9)
		return 0;
	return seen_add(&k->deas, dea_key(dea), strtoull(npi, NULL, 10)) < 0 ?
	    -1 : 0;
}

/*
 * A DEA number belongs to one provider (credential.h): the roster's
 * active DEA numbers are read once, and each good row claims its own, so
 * two rows of one file cannot share one either.
 */
static int
check_dea(struct ctp_import_check *k, struct ctp_import_row *r,
    struct ctp_error *e)
{
	char dea[10], npi[24], msg[96];
	uint64_t mine;
	long long holder;

	if (!k->deas_loaded && k->ask->deas(k->ask->arg, k, e) != 0)
		return e->code;
	k->deas_loaded = 1;
	if (!r->valid_npi ||
	    ctp_check_dea(r->v[C_DEA_NUM], NULL, NULL, dea) != NULL)
		return 0;
	mine = strtoull(r->v[C_NPI], NULL, 10);
	holder = (long long)seen_find(&k->deas, dea_key(dea));
	if (holder == 0 && r->nerr == 0 &&
	    (holder = seen_add(&k->deas, dea_key(dea), mine)) < 0)
		return ctp_err_nomem(e, "import");
	if (holder > 0 && (uint64_t)holder != mine) {
		snprintf(npi, sizeof(npi), "%010lld", holder);
		snprintf(msg, sizeof(msg), CTP_DEA_HELD, npi);
		ctp_import_row_err(r, "dea_number", msg);
	}
	return 0;
}

int
ctp_import_check_row(struct ctp_import_check *k, struct ctp_import_row *r,
    struct ctp_import_old *old, struct ctp_error *e)
{
	check_fields(r);
	if (check_taxonomy(k, r, e) != 0)
		return e->code;
	check_dates(r, k->as_of);
	check_credential_values(r);
	if (check_provider(k, r, old, e) != 0)
		return e->code;
	check_groups(r, old);
	if (check_required(k, r, old, e) != 0 ||
	    check_states(k, r, old, e) != 0)
		return e->code;
	check_expirations(r);
	if (*r->v[C_DEA_NUM] && check_dea(k, r, e) != 0)
		return e->code;
	return 0;
}

void
ctp_import_check_free(struct ctp_import_check *k)
{
	seen_free(&k->npis);
	seen_free(&k->deas);
}
