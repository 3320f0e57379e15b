/*
 * screen_match.c - ctp-screen's matching rules (screen_match.h).
 */
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "db.h"
#include "screen_match.h"

/* The longest name part the roster holds (ctp_roster_check), and NUL. */
#define PART_MAX 1001

static int
empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/* Keys of the name first last into n: 1, or 0 when it gives none. */
static int
name_keys(struct ctp_screen_name *n, const char *first, const char *last)
{
	if (ctp_name_first_key(first ? first : "", n->first_key) < 0)
		return 0;
	n->nkeys = ctp_name_last_keys(last ? last : "", n->last_keys);
	return n->nkeys > 0;
}

/* s, n bytes, without the spaces and tabs around it; *n updated. */
static const char *
trim(const char *s, size_t *n)
{
	while (*n > 0 && (*s == ' ' || *s == '\t'))
		s++, (*n)--;
	while (*n > 0 && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	return s;
}

/* One former name: first and last (flen, llen bytes) keyed into n. */
static int
former_name(struct ctp_screen_name *n, const char *first, size_t flen,
    const char *last, size_t llen)
{
	char f[PART_MAX], l[PART_MAX];

	first = trim(first, &flen);
	last = trim(last, &llen);
	n->first = first;
	n->first_len = (int)flen;
	n->last = last;
	n->last_len = (int)llen;
	if (flen >= sizeof(f))
		flen = sizeof(f) - 1;
	if (llen >= sizeof(l))
		llen = sizeof(l) - 1;
	memcpy(f, first, flen);
	f[flen] = '\0';
	memcpy(l, last, llen);
	l[llen] = '\0';
	return name_keys(n, f, l);
}

int
ctp_screen_next_name(const struct ctp_screen_provider *p, size_t *pos,
    struct ctp_screen_name *n)
{
	const char *o = p->other_names ? p->other_names : "";
	const char *first = p->first ? p->first : "";
	const char *tok, *end, *comma;
	size_t len = strlen(o), at;

	memset(n, 0, sizeof(*n));
	if (*pos == 0) {
		/* The current name, as the roster holds it. */
		*pos = 1;
		n->first = first;
		n->first_len = (int)strlen(first);
		n->last = p->last ? p->last : "";
		n->last_len = (int)strlen(n->last);
		if (name_keys(n, n->first, n->last))
			return 1;
	}
	/* *pos - 1: where the next former name starts in other_names. */
	while ((at = *pos - 1) < len) {
		tok = o + at;
		end = tok + strcspn(tok, ";");
		*pos = (size_t)(end - o) + (*end == ';' ? 2 : 1);
		if ((comma = memchr(tok, ',', (size_t)(end - tok))) != NULL) {
			if (former_name(n, comma + 1, (size_t)(end - comma - 1),
			    tok, (size_t)(comma - tok)))
				return 1;
		} else if (former_name(n, first, strlen(first), tok,
		    (size_t)(end - tok)))
			return 1;
	}
	memset(n, 0, sizeof(*n));
	return 0;
}

/* The same name: the first-name key and one last-name key in common. */
static int
same_name(const struct ctp_screen_name *a, const struct ctp_screen_name *b)
{
	int i, j;

	if (strcmp(a->first_key, b->first_key) != 0)
		return 0;
	for (i = 0; i < a->nkeys; i++)
		for (j = 0; j < b->nkeys; j++)
			if (strcmp(a->last_keys[i], b->last_keys[j]) == 0)
				return 1;
	return 0;
}

/* Not reinstated, terminated or (SAM) not yet active on as_of. */
static int
in_force(const struct ctp_screen_entry *en, const char *as_of)
{
	if (!empty(en->rein_date) && strcmp(en->rein_date, as_of) <= 0)
		return 0;
	if (!empty(en->end_date) && strcmp(en->end_date, as_of) < 0)
		return 0;
	if (!empty(en->source) && strcmp(en->source, CTP_SRC_SAM) == 0 &&
	    !empty(en->excl_date) && strcmp(en->excl_date, as_of) > 0)
		return 0;
	return 1;
}

enum ctp_screen_rule
ctp_screen_match(const struct ctp_screen_provider *p,
    const struct ctp_screen_entry *en, const char *as_of,
    struct ctp_screen_why *why)
{
	struct ctp_screen_name listed;
	enum ctp_screen_rule rule;
	size_t pos = 0;

	memset(why, 0, sizeof(*why));
	if (!en->person || !in_force(en, as_of))
		return CTP_MATCH_NONE;
	if (!empty(p->npi) && !empty(en->npi) && strcmp(p->npi, en->npi) == 0)
		return why->rule = CTP_MATCH_NPI;
	/* What the name would prove: DOB decides, else the state. */
	if (!empty(en->dob) && !empty(p->dob))
		rule = strcmp(en->dob, p->dob) == 0 ? CTP_MATCH_NAME_DOB :
		    CTP_MATCH_NONE;
	else if (!empty(en->state) && !empty(p->state))
		rule = strcasecmp(en->state, p->state) == 0 ?
		    CTP_MATCH_NAME_STATE : CTP_MATCH_NONE;
	else
		rule = CTP_MATCH_NAME_ONLY;
	if (rule == CTP_MATCH_NONE || !name_keys(&listed, en->first, en->last))
		return CTP_MATCH_NONE;
	while (ctp_screen_next_name(p, &pos, &why->name))
		if (same_name(&why->name, &listed))
			return why->rule = rule;
	return CTP_MATCH_NONE;
}

static const char *const rule_names[] = {
	"", "name_only", "name_state", "name_dob", "npi"
};

const char *
ctp_screen_rule_name(enum ctp_screen_rule r)
{
	return r <= CTP_MATCH_NPI ? rule_names[r] : "";
}

const char *
ctp_screen_rule_result(enum ctp_screen_rule r)
{
	return r == CTP_MATCH_NAME_ONLY ? "insufficient_data" :
	    "potential_match";
}

void
ctp_screen_entry_row(sqlite3_stmt *st, struct ctp_screen_entry *en)
{
	memset(en, 0, sizeof(*en));
	en->source = ctp_col_text(st, 0);
	en->ident = ctp_col_text(st, 1);
	en->last = ctp_col_text(st, 3);
	en->first = ctp_col_text(st, 4);
	en->middle = ctp_col_text(st, 5);
	en->business = "";
	en->npi = ctp_col_text(st, 6);
	en->dob = ctp_col_text(st, 7);
	en->state = ctp_col_text(st, 8);
	en->type = ctp_col_text(st, 9);
	en->excl_date = ctp_col_text(st, 10);
	en->rein_date = ctp_col_text(st, 11);
	en->end_date = ctp_col_text(st, 12);
	en->person = strcmp(ctp_col_text(st, 13), "person") == 0;
}
