/*
 * npi_record.c - a registry record: its fields and their names, set
 * from the API's JSON (npi_api.c) or a row of the dissemination file
 * (npi_bulk.c).  See npi_record.h.
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "mem.h"
#include "npi_record.h"

const struct ctp_col ctp_npi_rec_columns[] = {
	{ "npi", CTP_COL_STR },
	{ "entity_type", CTP_COL_STR },
	{ "status", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "middle_name", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "organization_name", CTP_COL_STR },
	{ "credential", CTP_COL_STR },
	{ "taxonomy", CTP_COL_STR },
	{ "taxonomy_desc", CTP_COL_STR },
	{ "license", CTP_COL_STR },
	{ "license_state", CTP_COL_STR },
	{ "practice_address", CTP_COL_STR },
	{ "practice_address_2", CTP_COL_STR },
	{ "practice_city", CTP_COL_STR },
	{ "practice_state", CTP_COL_STR },
	{ "practice_zip", CTP_COL_STR },
	{ "practice_phone", CTP_COL_STR },
	{ "enumeration_date", CTP_COL_STR },
	{ "last_updated", CTP_COL_STR },
	{ "deactivation_date", CTP_COL_STR },
};

void
ctp_npi_rec_clear(struct ctp_npi_rec *r)
{
	int i;

	for (i = 0; i < CTP_NPI_NFIELDS; i++)
		free(r->buf_[i]);
	memset(r, 0, sizeof(*r));
}

/* Every field absent, the storage kept for the next row. */
void
ctp_npi_rec_reset(struct ctp_npi_rec *r)
{
	memset(r->f, 0, sizeof(r->f));
}

/* Set field k to s (n bytes), NULL for an empty value; -1 on no memory. */
int
ctp_npi_rec_setn(struct ctp_npi_rec *r, int k, const char *s, size_t n)
{
	char *p;
	size_t cap;

	r->f[k] = NULL;
	if (s == NULL || n == 0)
		return 0;
	if (r->cap_[k] < n + 1) {
		cap = n + 1 < 32 ? 32 : n + 1;
		if ((p = ctp_realloc(r->buf_[k], cap)) == NULL)
			return -1;
		r->buf_[k] = p;
		r->cap_[k] = cap;
	}
	/* s may be this field's own storage (rec_set_date). */
	memmove(r->buf_[k], s, n);
	r->buf_[k][n] = '\0';
	r->f[k] = r->buf_[k];
	return 0;
}

int
ctp_npi_rec_set(struct ctp_npi_rec *r, int k, const char *s)
{
	return ctp_npi_rec_setn(r, k, s, s ? strlen(s) : 0);
}

/* A date in any accepted form as YYYY-MM-DD; other text kept as is. */
int
ctp_npi_rec_set_date(struct ctp_npi_rec *r, int k, const char *s)
{
	char d[CTP_DATE_LEN];

	if (s && *s && ctp_date_normalize(s, d) == 0)
		return ctp_npi_rec_set(r, k, d);
	return ctp_npi_rec_set(r, k, s);
}

const char *
ctp_npi_rec_str(const struct ctp_npi_rec *r, int k)
{
	return r->f[k] ? r->f[k] : "";
}

/*
 * The first field of r that holds a control character (C0 or DEL), or
 * -1.  A registry answer with one is refused, as one that is not JSON
 * is: an escape sequence in a name would reach the mismatch queue, and
 * through accept the roster.  An address may span lines (LF or CRLF),
 * as a roster address may.
 */
int
ctp_npi_rec_control(const struct ctp_npi_rec *r)
{
	const unsigned char *p;
	int k, lines;

	for (k = 0; k < CTP_NPI_NFIELDS; k++) {
		lines = k == CTP_NPI_PRACTICE_ADDRESS ||
		    k == CTP_NPI_PRACTICE_ADDRESS_2;
		for (p = (const unsigned char *)r->f[k]; p && *p; p++)
			if ((*p < 0x20 || *p == 0x7f) && !(lines &&
			    (*p == '\n' || (*p == '\r' && p[1] == '\n'))))
				return k;
	}
	return -1;
}
