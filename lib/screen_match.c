/*
 * screen_match.c - ctp-screen's matching rules (screen_match.h).
 */
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "db.h"
#include "metaphone.h"
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

/* One of the last-name keys of a and of b: the same (or, with fn,
 * related by fn). */
static int
any_last(const struct ctp_screen_name *a, const struct ctp_screen_name *b,
    int (*fn)(const char *, const char *))
{
	int i, j;

	for (i = 0; i < a->nkeys; i++)
		for (j = 0; j < b->nkeys; j++)
			if (fn ? fn(a->last_keys[i], b->last_keys[j]) :
			    strcmp(a->last_keys[i], b->last_keys[j]) == 0)
				return 1;
	return 0;
}

/* Is k one of n's last-name keys? */
static int
is_last(const struct ctp_screen_name *n, const char *k)
{
	int i;

	for (i = 0; i < n->nkeys; i++)
		if (strcmp(n->last_keys[i], k) == 0)
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

int
ctp_screen_dob_typo(const char *a, const char *b)
{
	int i, diff = 0;

	if (strlen(a) != 10 || strlen(b) != 10 || strcmp(a, b) == 0)
		return 0;
	/* YYYY-MM-DD and YYYY-DD-MM */
	if (strncmp(a, b, 5) == 0 && strncmp(a + 5, b + 8, 2) == 0 &&
	    strncmp(a + 8, b + 5, 2) == 0)
		return 1;
	for (i = 0; i < 10; i++)
		diff += a[i] != b[i];
	if (diff == 1)
		return 1;
	/* two adjacent digits swapped: 1985 for 1958, 21 for 12 */
	for (i = 0; diff == 2 && i < 9; i++)
		if (a[i] != b[i])
			return a[i + 1] != '-' && a[i] == b[i + 1] &&
			    a[i + 1] == b[i];
	return 0;
}

int
ctp_screen_one_edit(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0;

	if (la < lb)
		return ctp_screen_one_edit(b, a);
	if (lb < 3 || la - lb > 1 || strcmp(a, b) == 0)
		return 0;
	while (i < lb && a[i] == b[i])
		i++;
	if (la > lb)		/* one letter more in a, at i */
		return strcmp(a + i + 1, b + i) == 0;
	/* one letter other, or two adjacent ones swapped */
	if (strcmp(a + i + 1, b + i + 1) == 0)
		return 1;
	return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
	    strcmp(a + i + 2, b + i + 2) == 0;
}

static int
sounds_alike(const char *a, const char *b)
{
	char pa[CTP_METAPHONE_LEN], aa[CTP_METAPHONE_LEN];
	char pb[CTP_METAPHONE_LEN], ab[CTP_METAPHONE_LEN];

	if (!ctp_metaphone(a, pa, aa) || !ctp_metaphone(b, pb, ab))
		return 0;
	return strcmp(pa, pb) == 0 || strcmp(pa, ab) == 0 ||
	    strcmp(aa, pb) == 0 || strcmp(aa, ab) == 0;
}

/* The key of the second part of s, "" when none. */
static void
second_part(const char *s, char key[CTP_NAME_KEY])
{
	char norm[256], *sp;

	*key = '\0';
	if (ctp_name_norm(s, norm, sizeof(norm)) >= 2 &&
	    (sp = strchr(norm, ' ')) != NULL)
		ctp_name_first_key(sp + 1, key);
}

void
ctp_screen_middle_key(const char *middle, const char *first,
    char key[CTP_NAME_KEY])
{
	if (empty(middle) || ctp_name_first_key(middle, key) != 0)
		second_part(first ? first : "", key);
	if (strlen(key) < 2)
		*key = '\0';
}

/* A generational suffix among the words of s: 1 JR, 2 SR, 3 II, 4 III,
 * 5 IV; 0 none. */
static int
suffix_of(const char *s)
{
	static const char *const sfx[] = { "JR", "SR", "II", "III", "IV" };
	char f[256], *w, *save = NULL;
	size_t i;

	if (empty(s))
		return 0;
	ctp_name_fold(s, f, sizeof(f));
	for (w = strtok_r(f, " ,.-\t", &save); w != NULL;
	    w = strtok_r(NULL, " ,.-\t", &save))
		for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
			if (strcasecmp(w, sfx[i]) == 0)
				return (int)i + 1;
	return 0;
}

/* What the dates of birth, else the states, leave possible. */
enum basis { B_NONE, B_DOB, B_DOB_TYPO, B_STATE, B_NAME_ONLY };

static enum basis
basis(const struct ctp_screen_provider *p, const struct ctp_screen_entry *en)
{
	if (!empty(en->dob) && !empty(p->dob)) {
		if (strcmp(en->dob, p->dob) == 0)
			return B_DOB;
		return ctp_screen_dob_typo(p->dob, en->dob) ? B_DOB_TYPO :
		    B_NONE;
	}
	if (!empty(en->state) && !empty(p->state))
		return strcasecmp(en->state, p->state) == 0 ? B_STATE : B_NONE;
	return B_NAME_ONLY;
}

/* The listed person's keys, and the provider's middle name's. */
struct listed {
	struct ctp_screen_name n;
	char middle[CTP_NAME_KEY];	/* "" when none */
	char p_middle[CTP_NAME_KEY];	/* the provider's */
	int other_suffix;		/* the suffixes differ */
};

/* The rule name n of the provider gives against the listed l. */
static enum ctp_screen_rule
judge(const struct ctp_nicknames *nick, const struct ctp_screen_name *n,
    const struct listed *l, enum basis b)
{
	int last = any_last(n, &l->n, NULL);
	int first = strcmp(n->first_key, l->n.first_key) == 0;
	int loose = !l->other_suffix;
	int nickname = loose && last && nick != NULL &&
	    ctp_nicknames_same(nick, n->first_key, l->n.first_key);
	int middle = loose && last && ((*l->p_middle && strcmp(l->p_middle,
	    l->n.first_key) == 0) || (*l->middle && strcmp(n->first_key,
	    l->middle) == 0));

	switch (b) {
	case B_DOB:
		if (first && last)
			return CTP_MATCH_NAME_DOB;
		if (nickname)
			return CTP_MATCH_NICKNAME;
		if (middle)
			return CTP_MATCH_MIDDLE_AS_FIRST;
		if (!loose)
			return CTP_MATCH_NONE;
		if (is_last(&l->n, n->first_key) && is_last(n, l->n.first_key))
			return CTP_MATCH_SWAPPED_NAMES;
		if (first && any_last(n, &l->n, ctp_screen_one_edit))
			return CTP_MATCH_LAST_NAME_TYPO;
		if (first && any_last(n, &l->n, sounds_alike))
			return CTP_MATCH_PHONETIC;
		return CTP_MATCH_NONE;
	case B_DOB_TYPO:
		return first && last && loose ? CTP_MATCH_DOB_TYPO :
		    CTP_MATCH_NONE;
	case B_STATE:
		if (first && last)
			return CTP_MATCH_NAME_STATE;
		if (nickname)
			return CTP_MATCH_NICKNAME_STATE;
		return middle ? CTP_MATCH_MIDDLE_STATE : CTP_MATCH_NONE;
	case B_NAME_ONLY:
		return first && last ? CTP_MATCH_NAME_ONLY : CTP_MATCH_NONE;
	default:
		return CTP_MATCH_NONE;
	}
}

enum ctp_screen_rule
ctp_screen_match(const struct ctp_nicknames *nick,
    const struct ctp_screen_provider *p, const struct ctp_screen_entry *en,
    const char *as_of, struct ctp_screen_why *why)
{
	struct ctp_screen_name nm;
	struct listed l;
	enum ctp_screen_rule best = CTP_MATCH_NONE, r;
	enum basis b;
	size_t pos = 0;
	int ps, ls;

	memset(why, 0, sizeof(*why));
	if (!en->person || !in_force(en, as_of))
		return CTP_MATCH_NONE;
	if (!empty(p->npi) && !empty(en->npi) && strcmp(p->npi, en->npi) == 0)
		return why->rule = CTP_MATCH_NPI;
	if ((b = basis(p, en)) == B_NONE || !name_keys(&l.n, en->first,
	    en->last))
		return CTP_MATCH_NONE;
	ctp_screen_middle_key(en->middle, en->first, l.middle);
	ctp_screen_middle_key(p->middle, p->first, l.p_middle);
	ps = suffix_of(p->suffix);
	if (ps == 0)
		ps = suffix_of(p->last);
	ls = suffix_of(en->last);
	if (ls == 0)
		ls = suffix_of(en->first);
	l.other_suffix = ps != 0 && ls != 0 && ps != ls;
	while (ctp_screen_next_name(p, &pos, &nm))
		if ((r = judge(nick, &nm, &l, b)) > best) {
			best = r;
			why->name = nm;
		}
	return why->rule = best;
}

static const char *const rule_names[CTP_MATCH_NRULES] = {
	"", "name_only", "middle_state", "nickname_state", "name_state",
	"phonetic", "last_name_typo", "swapped_names", "middle_as_first",
	"nickname", "dob_typo", "name_dob", "npi"
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
