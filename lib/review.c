/*
 * review.c - the review queue (review.h): the table of item kinds and
 * the dispatch of list, approve and reject by an item's prefix.  The
 * document items are here; a kind of its own module adds a row to
 * kinds[].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "doc.h"
#include "review.h"
#include "suggest.h"

const struct ctp_col ctp_review_columns[] = {
	{ "item", CTP_COL_STR },
	{ "npi", CTP_COL_STR },
	{ "provider", CTP_COL_STR },
	{ "kind", CTP_COL_STR },
	{ "name", CTP_COL_STR },
	{ "value", CTP_COL_STR },
	{ "current", CTP_COL_STR },
	{ "flag", CTP_COL_STR },
	{ "added", CTP_COL_STR },
};

/* Pending documents, oldest first. */
static int
doc_list(struct ctp_ctx *c, struct ctp_out *o, long long *count,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long n = 0;
	int rc;

	if (ctp_db_prepare(c->db, &st, "SELECT 'd' || d.id, p.npi, "
	    "p.first_name || ' ' || p.last_name, d.kind, d.name, '', '', "
	    "ltrim(CASE WHEN d.credential_id IS NOT NULL THEN 'credential ' "
	    "|| d.credential_id ELSE '' END || COALESCE((SELECT '; the name "
	    "on the document (' || x.name || ') is not the provider''s' FROM "
	    "extractions x WHERE x.document_id = d.id AND x.name_match = 0 "
	    "AND x.id = (SELECT max(id) FROM extractions WHERE document_id = "
	    "d.id)), ''), '; '), d.added_at FROM documents d JOIN "
	    "providers p ON p.id = d.provider_id WHERE d.review = 'pending' "
	    "ORDER BY d.id", e))
		return e->code;
	rc = ctp_db_out_rows(st, o, CTP_REVIEW_NCOLUMNS, &n, "review", e);
	*count += n;
	return rc;
}

static int
doc_approve(struct ctp_ctx *c, long long id, const char *note,
    struct ctp_error *e)
{
	return ctp_doc_review(c, id, "approved", note, e);
}

static int
doc_reject(struct ctp_ctx *c, long long id, const char *note,
    struct ctp_error *e)
{
	return ctp_doc_review(c, id, "rejected", note, e);
}

/* Every kind of item; the first is the kind of a bare number. */
static const struct ctp_review_kind kinds[] = {
	{ 'd', "document", doc_list, doc_approve, doc_reject, NULL },
	{ 's', "suggestion", ctp_suggest_list, ctp_suggest_approve,
	    ctp_suggest_reject, ctp_suggest_correct },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

int
ctp_review_parse(const char *item, const struct ctp_review_kind **k,
    long long *id, struct ctp_error *e)
{
	const char *p = item;
	char *end;
	size_t i;

	*k = &kinds[0];
	if (*p >= 'a' && *p <= 'z') {
		for (i = 0; i < NKINDS && kinds[i].prefix != *p; i++)
			;
		if (i == NKINDS)
			return ctp_errf(e, CTP_USAGE, item, "not an item of "
			    "ctp-review list (d12 or 12 a document, s12 a "
			    "suggestion)");
		*k = &kinds[i];
		p++;
	}
	if (*p < '1' || *p > '9' || strlen(p) > 15)
		goto bad;
	*id = strtoll(p, &end, 10);
	if (*end == '\0')
		return 0;
bad:
	return ctp_errf(e, CTP_USAGE, item, "not an item of ctp-review list "
	    "(d12 or 12 a document, s12 a suggestion)");
}

int
ctp_review_list(struct ctp_ctx *c, struct ctp_out *o, long long *count,
    struct ctp_error *e)
{
	size_t i;
	int rc;

	*count = 0;
	for (i = 0; i < NKINDS; i++)
		if ((rc = kinds[i].list(c, o, count, e)) != 0)
			return rc;
	return 0;
}

int
ctp_review_approve(struct ctp_ctx *c, const char *item, const char *note,
    struct ctp_error *e)
{
	const struct ctp_review_kind *k;
	long long id;
	int rc;

	if ((rc = ctp_review_parse(item, &k, &id, e)) != 0)
		return rc;
	return k->approve(c, id, note, e);
}

int
ctp_review_reject(struct ctp_ctx *c, const char *item, const char *note,
    struct ctp_error *e)
{
	const struct ctp_review_kind *k;
	long long id;
	int rc;

	if ((rc = ctp_review_parse(item, &k, &id, e)) != 0)
		return rc;
	return k->reject(c, id, note, e);
}

int
ctp_review_correct(struct ctp_ctx *c, const char *item, const char *value,
    const char *note, struct ctp_error *e)
{
	const struct ctp_review_kind *k;
	long long id;
	int rc;

	if ((rc = ctp_review_parse(item, &k, &id, e)) != 0)
		return rc;
	if (k->correct == NULL)
		return ctp_errf(e, CTP_USAGE, item, "a %s has no value to "
		    "correct: approve or reject it", k->name);
	return k->correct(c, id, value, note, e);
}
