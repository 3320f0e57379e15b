/*
 * screen_match: ctp-screen's matching rules without a database, on the
 * labelled evaluation set in tests/fixtures/screen-eval (its README):
 * every labelled pair gives its expected rule or no match, and no pair
 * outside the labels matches; then each rule at its boundary (one edit
 * matches, two do not; a nickname does, a look-alike name does not).
 * The lists are read as ctp-screen load reads them (screen_file.h,
 * screen_entry.h), the nickname table is the shipped one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "mem.h"
#include "nickname.h"
#include "screen_entry.h"
#include "screen_file.h"
#include "screen_match.h"
#include "tap.h"

#define AS_OF "2026-06-01"
#define EVAL "tests/fixtures/screen-eval"
#define NPROV 348
#define NLEIE 280
#define NSAM 66
#define MAXLINE 512		/* above the lists' last line */

static struct ctp_nicknames *nick;

/* An entry read from a list, with copies of its strings. */
struct ent {
	struct ctp_screen_entry en;
	size_t line;
	char *s[13];
};

struct list {
	struct ent *v;
	size_t n;
};

struct prov {
	struct ctp_screen_provider p;
	char *s[8];
};

static const char *
eval_path(const char *name)
{
	static char path[1024];
	const char *top = getenv("CTP_TOP");

	snprintf(path, sizeof(path), "%s/" EVAL "/%s", top ? top : ".", name);
	return path;
}

static const char *
keep(char **slot, const char *s)
{
	*slot = ctp_strdup(s ? s : "");
	return *slot;
}

static int
collect(void *arg, const struct ctp_screen_entry *en, size_t line)
{
	struct list *l = arg;
	struct ent *x;
	struct ent *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	l->v = v;
	x = &v[l->n++];
	memset(x, 0, sizeof(*x));
	x->line = line;
	x->en.person = en->person;
	x->en.source = keep(&x->s[0], en->source);
	x->en.last = keep(&x->s[1], en->last);
	x->en.first = keep(&x->s[2], en->first);
	x->en.middle = keep(&x->s[3], en->middle);
	x->en.business = keep(&x->s[4], en->business);
	x->en.npi = keep(&x->s[5], en->npi);
	x->en.dob = keep(&x->s[6], en->dob);
	x->en.state = keep(&x->s[7], en->state);
	x->en.type = keep(&x->s[8], en->type);
	x->en.excl_date = keep(&x->s[9], en->excl_date);
	x->en.rein_date = keep(&x->s[10], en->rein_date);
	x->en.end_date = keep(&x->s[11], en->end_date);
	x->en.ident = keep(&x->s[12], en->ident);
	return 0;
}

/* Read a list file into l, as ctp-screen load reads it. */
static int
read_list(enum ctp_list_kind kind, const char *source, const char *file,
    struct list *l)
{
	struct ctp_screen_file ls;
	struct ctp_screen_rows r;
	struct ctp_error e;
	const char *path = eval_path(file);
	int rc;

	memset(&r, 0, sizeof(r));
	ctp_error_clear(&e);
	r.kind = kind;
	r.source = source;
	r.name = path;
	r.fn = collect;
	r.arg = l;
	r.e = &e;
	if ((rc = ctp_screen_file_open(&ls, path, kind == CTP_LIST_SAM,
	    &e)) == 0) {
		rc = ctp_screen_file_records(&ls, path, kind == CTP_LIST_SAM,
		    ctp_screen_rows_record, &r, &e);
		ctp_screen_file_close(&ls);
	}
	ctp_screen_rows_free(&r);
	if (rc != 0)
		printf("# %s: %s: %s\n", path, e.where, e.what);
	return rc;
}

static int
read_roster(struct prov **out, size_t *n)
{
	static const char *const cols[] = { "npi", "first_name", "last_name",
	    "other_names", "dob", "practice_state", "middle_name", "suffix" };
	struct ctp_input *in;
	struct ctp_error e;
	struct prov *v = NULL, *x;
	size_t i;

	*n = 0;
	if (ctp_input_open(&in, eval_path("roster.csv"), CTP_ENC_UTF8, &e))
		return -1;
	while (ctp_input_next(in, &e) == 1) {
		if ((x = realloc(v, (*n + 1) * sizeof(*v))) == NULL)
			break;
		v = x;
		x = &v[(*n)++];
		for (i = 0; i < 8; i++)
			keep(&x->s[i], ctp_input_get(in, cols[i]));
		x->p.npi = x->s[0];
		x->p.first = x->s[1];
		x->p.last = x->s[2];
		x->p.other_names = x->s[3];
		x->p.dob = x->s[4];
		x->p.state = x->s[5];
		x->p.middle = x->s[6];
		x->p.suffix = x->s[7];
	}
	ctp_input_close(in);
	*out = v;
	return 0;
}

/*
 * Pairs the rules flag though the listed person is someone else: what
 * the rules allow (ctp-screen(1), ACCURACY), so the expected rule here.
 */
static const struct {
	const char *npi, *list;
	size_t line;
	const char *rule;
} allowed[] = {
	{ "1000010060", "SAM", 3, "name_state" },	/* name, state */
	{ "1000010318", "OIG LEIE", 23, "name_dob" },	/* name, DOB */
};

static const char *
expected(const char *npi, const char *list, size_t line, const char *rule)
{
	size_t i;

	if (*rule)
		return rule;
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (strcmp(allowed[i].npi, npi) == 0 &&
		    strcmp(allowed[i].list, list) == 0 &&
		    allowed[i].line == line)
			return allowed[i].rule;
	return "";
}

static const struct ctp_screen_provider *
find_prov(struct prov *v, size_t n, const char *npi)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].p.npi, npi) == 0)
			return &v[i].p;
	return NULL;
}

static const struct ent *
find_ent(const struct list *l, size_t line)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].line == line)
			return &l->v[i];
	return NULL;
}

/* The name the matcher says matched, "FIRST LAST", or "" (npi, none). */
static const char *
name_used(const struct ctp_screen_why *w)
{
	static char b[256];

	if (w->name.first == NULL)
		return "";
	snprintf(b, sizeof(b), "%.*s %.*s", w->name.first_len, w->name.first,
	    w->name.last_len, w->name.last);
	return b;
}

/* The rule for provider npi and the entry on line of list. */
static const char *
rule_of(struct prov *pv, size_t np, const struct list *l, const char *npi,
    size_t line, struct ctp_screen_why *w)
{
	const struct ctp_screen_provider *p = find_prov(pv, np, npi);
	const struct ent *x = find_ent(l, line);

	if (p == NULL || x == NULL)
		return "(not in the fixtures)";
	return ctp_screen_rule_name(ctp_screen_match(nick, p, &x->en, AS_OF, w));
}

/* Labelled pairs: each its expected rule or no match. */
static void
labelled(struct prov *pv, size_t np, const struct list *leie,
    const struct list *sam, int *seen)
{
	struct ctp_input *in;
	struct ctp_error e;
	struct ctp_screen_why w;
	const char *npi, *list, *exp, *got;
	char what[160];
	size_t line, n = 0, i;

	if (ctp_input_open(&in, eval_path("labels.csv"), CTP_ENC_UTF8, &e)) {
		ok(0, "labels.csv: %s", e.what);
		return;
	}
	while (ctp_input_next(in, &e) == 1) {
		npi = ctp_input_get(in, "npi");
		list = ctp_input_get(in, "list");
		line = (size_t)atol(ctp_input_get(in, "line"));
		exp = expected(npi, list, line, ctp_input_get(in,
		    "expected_rule"));
		got = rule_of(pv, np, strcmp(list, "SAM") == 0 ? sam : leie,
		    npi, line, &w);
		snprintf(what, sizeof(what), "%s %s line %zu, %s: %s", npi,
		    list, line, ctp_input_get(in, "case"),
		    *exp ? exp : "no match");
		is_str(got, exp, what);
		for (i = 0; i < np; i++)
			if (strcmp(pv[i].p.npi, npi) == 0)
				seen[(i * 2 + (strcmp(list, "SAM") == 0)) *
				    MAXLINE + line] = 1;
		n++;
	}
	ctp_input_close(in);
	is_int(n, NPROV, "every labelled pair judged");
}

/* A person listed on the LEIE, in force: names, DOB, state. */
static struct ctp_screen_entry
listed(const char *first, const char *middle, const char *last,
    const char *dob, const char *state)
{
	struct ctp_screen_entry en;

	memset(&en, 0, sizeof(en));
	en.source = CTP_SRC_LEIE;
	en.person = 1;
	en.first = first;
	en.middle = middle;
	en.last = last;
	en.business = en.npi = en.type = en.excl_date = en.rein_date =
	    en.end_date = en.ident = "";
	en.dob = dob;
	en.state = state;
	return en;
}

static struct ctp_screen_provider
provider(const char *first, const char *middle, const char *last,
    const char *dob, const char *state)
{
	struct ctp_screen_provider p;

	memset(&p, 0, sizeof(p));
	p.npi = "1000000004";
	p.first = first;
	p.middle = middle;
	p.last = last;
	p.dob = dob;
	p.state = state;
	return p;
}

/* The rule's name for p against en. */
static const char *
rule(const struct ctp_screen_provider *p, const struct ctp_screen_entry *en)
{
	struct ctp_screen_why w;

	return ctp_screen_rule_name(ctp_screen_match(nick, p, en, AS_OF, &w));
}

#define D "1970-03-15"

/* Each rule at its boundary. */
static void
boundaries(void)
{
	struct ctp_screen_provider p;
	struct ctp_screen_entry en;
	struct ctp_screen_why w;

	/* nickname: a nickname yes, a look-alike name no */
	p = provider("Bob", "", "Marsh", D, "TX");
	en = listed("ROBERT", "", "MARSH", D, "TX");
	is_str(rule(&p, &en), "nickname", "Bob for Robert, same DOB: nickname");
	p.first = "Roberta";
	is_str(rule(&p, &en), "", "Roberta for Robert: look-alike, no match");
	p.first = "Pepe";
	en.first = "JOS\xc3\x89";
	is_str(rule(&p, &en), "nickname", "Pepe for Jos\xc3\xa9: nickname");
	p.first = "Lupe";
	en.first = "GUADALUPE";
	is_str(rule(&p, &en), "nickname", "Lupe for Guadalupe: nickname");
	en.dob = "1981-09-02";
	is_str(rule(&p, &en), "", "a nickname with another DOB: no match");
	ok(ctp_screen_match(NULL, &p, &en, AS_OF, &w) == CTP_MATCH_NONE,
	    "no table, no nickname");

	/* last_name_typo: one edit matches, two do not */
	p = provider("Anna", "", "Kowalczyk", D, "TX");
	en = listed("ANNA", "", "KOWALCZIK", D, "TX");
	is_str(rule(&p, &en), "last_name_typo", "one substitution");
	en.last = "KOWALCYZK";
	is_str(rule(&p, &en), "last_name_typo", "adjacent letters swapped");
	en.last = "KOWALCZYKK";
	is_str(rule(&p, &en), "last_name_typo", "one insertion");
	en.last = "KOWALCZK";
	is_str(rule(&p, &en), "last_name_typo", "one deletion");
	en.last = "KOWALCZAB";
	is_str(rule(&p, &en), "", "two substitutions: no match");
	en.last = "KROWALCZYKI";
	is_str(rule(&p, &en), "", "two insertions: no match");
	en.last = "KOWALCZIK";
	en.dob = "1980-06-22";
	is_str(rule(&p, &en), "", "one typo, another DOB: no match");
	en.dob = "";
	en.state = "TX";
	is_str(rule(&p, &en), "", "one typo, no DOB on the list: no match");
	ok(ctp_screen_one_edit("LEE", "LEA") && !ctp_screen_one_edit("LI",
	    "LE"), "one edit counts from three letters");

	/* dob_typo: one typo in the DOB with both names the same */
	p = provider("Olga", "", "Marsh", "1970-03-05", "TX");
	en = listed("OLGA", "", "MARSH", "1970-05-03", "TX");
	is_str(rule(&p, &en), "dob_typo", "day and month swapped");
	en.dob = "1970-03-06";
	is_str(rule(&p, &en), "dob_typo", "one digit wrong");
	en.dob = "1907-03-05";
	is_str(rule(&p, &en), "dob_typo", "two adjacent digits swapped");
	en.dob = "1970-03-27";
	is_str(rule(&p, &en), "", "two digits wrong: no match");
	en.dob = "1970-04-06";
	is_str(rule(&p, &en), "", "two digits wrong apart: no match");
	en.dob = "1970-03-06";
	en.first = "OLIVIA";
	is_str(rule(&p, &en), "", "a DOB typo and another first name: no");
	en.first = "HELGA";
	is_str(rule(&p, &en), "", "a DOB typo needs both names exact");

	/* parents and children: JR and SR */
	p = provider("Charles", "", "Marsh", "1985-04-04", "TX");
	p.suffix = "Jr";
	en = listed("CHARLES", "", "MARSH SR", "1955-04-04", "TX");
	is_str(rule(&p, &en), "", "JR and SR, one digit of the year: no");
	en.last = "MARSH";
	is_str(rule(&p, &en), "dob_typo", "no suffix on the list: dob_typo");
	en.last = "MARSH JR";
	is_str(rule(&p, &en), "dob_typo", "the same suffix: dob_typo");

	/* middle_as_first, both ways */
	p = provider("J", "Robert", "Marsh", D, "TX");
	en = listed("ROBERT", "", "MARSH", D, "TX");
	is_str(rule(&p, &en), "middle_as_first",
	    "Robert Marsh for J Robert Marsh");
	p = provider("J Robert", "", "Marsh", D, "TX");
	is_str(rule(&p, &en), "middle_as_first", "J Robert in the first name");
	p = provider("Wade", "", "Lee", D, "TX");
	en = listed("JOHN", "WADE", "LEE", D, "TX");
	is_str(rule(&p, &en), "middle_as_first",
	    "Wade Lee for John Wade Lee");
	p = provider("John", "R", "Lee", D, "TX");
	en = listed("R", "", "LEE", D, "TX");
	is_str(rule(&p, &en), "", "an initial as first name: no match");

	/* swapped_names */
	p = provider("Lee", "", "Marsh", D, "TX");
	en = listed("MARSH", "", "LEE", D, "TX");
	is_str(rule(&p, &en), "swapped_names", "first and last swapped");
	en.dob = "1999-09-09";
	is_str(rule(&p, &en), "", "swapped, another DOB: no match");

	/* phonetic: sound-alike last names, same first name and DOB */
	p = provider("Nora", "", "Stephenson", D, "TX");
	en = listed("NORA", "", "STEVENSON", D, "TX");
	is_str(rule(&p, &en), "phonetic", "Stephenson, Stevenson");
	en.last = "STEINSON";
	is_str(rule(&p, &en), "", "Stephenson, Steinson: no match");
	en.last = "STEVENSON";
	en.first = "NORMA";
	is_str(rule(&p, &en), "", "sound-alike, another first name: no");

	/* SAM: no DOB, the name rules with the state */
	p = provider("Bill", "", "Marsh", D, "TX");
	en = listed("WILLIAM", "", "MARSH", "", "TX");
	en.source = CTP_SRC_SAM;
	is_str(rule(&p, &en), "nickname_state", "SAM, nickname, same state");
	en.state = "OK";
	is_str(rule(&p, &en), "", "SAM, nickname, other state: no");
	p = provider("Wade", "", "Lee", D, "TX");
	en = listed("JOHN", "WADE", "LEE", "", "TX");
	en.source = CTP_SRC_SAM;
	is_str(rule(&p, &en), "middle_state", "SAM, middle name, same state");
	en.first = "WADE";
	en.middle = "";
	en.last = "LEA";
	is_str(rule(&p, &en), "", "SAM, a typo: no rule without a DOB");
	en.first = "LEE";
	en.last = "WADE";
	is_str(rule(&p, &en), "", "SAM, swapped: no rule without a DOB");
	p = provider("Bill", "", "Marsh", "", "");
	en = listed("WILLIAM", "", "MARSH", "", "");
	is_str(rule(&p, &en), "", "nickname, nothing to decide: no match");

	/* former names go through the same rules */
	p = provider("Elizabeth", "", "Newman", D, "TX");
	p.other_names = "Marsh";
	en = listed("LIZ", "", "MARSH", D, "TX");
	is_str(rule(&p, &en), "nickname", "a former last name, a nickname");
	ctp_screen_match(nick, &p, &en, AS_OF, &w);
	ok(w.name.last_len == 5 && strncmp(w.name.last, "Marsh", 5) == 0,
	    "the former name is the one that matched");
	en.last = "MARCH";
	is_str(rule(&p, &en), "", "a nickname and a typo together: no match");

	/* the strongest rule of any name wins */
	p = provider("Bill", "", "Marsh", D, "TX");
	p.other_names = "Marsh, William";
	en = listed("WILLIAM", "", "MARSH", D, "TX");
	is_str(rule(&p, &en), "name_dob", "name_dob through a former name "
	    "beats nickname through the current one");
}

int
main(void)
{
	struct list leie = { NULL, 0 }, sam = { NULL, 0 };
	struct prov *pv = NULL;
	struct ctp_screen_why w;
	struct ctp_screen_provider p;
	struct ctp_screen_entry en;
	struct ctp_screen_name nm;
	struct ctp_error e;
	char path[1024];
	size_t np = 0, i, j, k, pos, stray = 0;
	int *seen;

	snprintf(path, sizeof(path), "%s/share/ctp/nicknames.csv",
	    getenv("CTP_TOP") ? getenv("CTP_TOP") : ".");
	ok(ctp_nicknames_new(&nick, &e) == 0 &&
	    ctp_nicknames_read(nick, path, &e) == 0, "the nickname table");
	boundaries();

	ok(read_list(CTP_LIST_LEIE, CTP_SRC_LEIE, "leie.csv", &leie) == 0,
	    "leie.csv read as ctp-screen load reads it");
	ok(read_list(CTP_LIST_SAM, CTP_SRC_SAM, "sam.csv", &sam) == 0,
	    "sam.csv read");
	ok(read_roster(&pv, &np) == 0 && np == NPROV, "roster.csv: %d "
	    "providers", NPROV);
	is_int(leie.n, NLEIE, "LEIE entries");
	is_int(sam.n, NSAM, "SAM entries");
	if (leie.n != NLEIE || sam.n != NSAM || np != NPROV)
		return done_testing();

	/* seen[provider][list][line] */
	seen = calloc(np * 2 * MAXLINE, sizeof(*seen));
	labelled(pv, np, &leie, &sam, seen);

	/* Any pair not labelled is "not the same person": no match. */
	for (i = 0; i < np; i++)
		for (k = 0; k < 2; k++) {
			const struct list *l = k ? &sam : &leie;

			for (j = 0; j < l->n; j++) {
				if (seen[(i * 2 + k) * MAXLINE + l->v[j].line])
					continue;
				if (ctp_screen_match(nick, &pv[i].p, &l->v[j].en,
				    AS_OF, &w) == CTP_MATCH_NONE)
					continue;
				printf("# %s and %s line %zu: %s\n",
				    pv[i].p.npi, k ? "SAM" : "OIG LEIE",
				    l->v[j].line, ctp_screen_rule_name(w.rule));
				stray++;
			}
		}
	is_int(stray, 0, "no pair outside the labels matches");

	/* The explanation: which rule, which of the provider's names. */
	rule_of(pv, np, &leie, "1000010011", 2, &w);
	is_str(name_used(&w), "", "npi: no name");
	rule_of(pv, np, &leie, "1000010151", 10, &w);
	is_str(name_used(&w), "Laura Wilson",
	    "a maiden name is worn with the current first name");
	rule_of(pv, np, &leie, "1000010169", 11, &w);
	is_str(name_used(&w), "Katherine Park", "a former whole name");
	rule_of(pv, np, &leie, "1000010086", 5, &w);
	is_str(name_used(&w), "Jos\xc3\xa9 Hern\xc3\xa1ndez",
	    "the roster's name, as written");
	rule_of(pv, np, &leie, "1000010219", 16, &w);
	is_str(ctp_screen_rule_result(w.rule), "insufficient_data",
	    "name_only is insufficient data");
	rule_of(pv, np, &leie, "1000010037", 4, &w);
	is_str(ctp_screen_rule_result(w.rule), "potential_match",
	    "name_dob is a potential match");

	/* In force on the day: reinstated, terminated, not yet active. */
	memset(&p, 0, sizeof(p));
	p.npi = "1000010235";
	p.first = "Peter";
	p.last = "Hale";
	p.dob = "1963-08-08";
	en = find_ent(&leie, 18)->en;		/* reinstated 2025-01-01 */
	is_int(ctp_screen_match(nick, &p, &en, "2024-12-31", &w),
	    CTP_MATCH_NAME_DOB, "before its reinstatement, an entry counts");
	is_int(ctp_screen_match(nick, &p, &en, "2025-01-01", &w), CTP_MATCH_NONE,
	    "reinstated on the day: no match");
	en.source = CTP_SRC_SAM;
	en.rein_date = "";
	en.excl_date = "2026-07-01";
	is_int(ctp_screen_match(nick, &p, &en, AS_OF, &w), CTP_MATCH_NONE,
	    "SAM record active after the day: no match");
	en.excl_date = "2020-01-01";
	en.end_date = "2026-05-31";
	is_int(ctp_screen_match(nick, &p, &en, AS_OF, &w), CTP_MATCH_NONE,
	    "SAM record terminated before the day: no match");
	en.end_date = AS_OF;
	is_int(ctp_screen_match(nick, &p, &en, AS_OF, &w), CTP_MATCH_NAME_DOB,
	    "terminated on the day: still in force");
	en.person = 0;
	is_int(ctp_screen_match(nick, &p, &en, AS_OF, &w), CTP_MATCH_NONE,
	    "an entity never matches a provider");
	en.person = 1;
	en.npi = "";
	p.npi = "";
	p.dob = "1971-02-03";
	is_int(ctp_screen_match(nick, &p, &en, AS_OF, &w), CTP_MATCH_NONE,
	    "same name, other DOB; no NPI on either side: no match");
	en.npi = "1000010235";
	p.npi = "1000010235";
	is_int(ctp_screen_match(nick, &p, &en, AS_OF, &w), CTP_MATCH_NPI,
	    "the same NPI wins over another DOB");

	/* Former names: semicolons, spaces, empty parts. */
	memset(&p, 0, sizeof(p));
	p.first = "Ann";
	p.last = "Lee";
	p.other_names = " Park ;; Smith,  Mary ;;";
	pos = 0;
	ok(ctp_screen_next_name(&p, &pos, &nm) && nm.first_len == 3 &&
	    strncmp(nm.last, "Lee", 3) == 0, "the current name first");
	ok(ctp_screen_next_name(&p, &pos, &nm) && nm.first_len == 3 &&
	    nm.last_len == 4 && strncmp(nm.last, "Park", 4) == 0,
	    "a maiden name, trimmed, with the first name");
	ok(ctp_screen_next_name(&p, &pos, &nm) && nm.first_len == 4 &&
	    strncmp(nm.first, "Mary", 4) == 0 && nm.last_len == 5,
	    "LAST, FIRST, trimmed");
	ok(!ctp_screen_next_name(&p, &pos, &nm), "then the end");
	p.other_names = "";
	p.first = "";
	pos = 0;
	ok(!ctp_screen_next_name(&p, &pos, &nm),
	    "no first name: no name to match");

	for (i = 0; i < leie.n; i++)
		for (k = 0; k < 13; k++)
			free(leie.v[i].s[k]);
	for (i = 0; i < sam.n; i++)
		for (k = 0; k < 13; k++)
			free(sam.v[i].s[k]);
	for (i = 0; i < np; i++)
		for (k = 0; k < 8; k++)
			free(pv[i].s[k]);
	free(leie.v);
	free(sam.v);
	free(pv);
	free(seen);
	ctp_nicknames_free(nick);
	return done_testing();
}
