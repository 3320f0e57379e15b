/*
 * screen_match: ctp-screen's matching rules without a database, on the
 * labelled evaluation set in tests/fixtures/screen-eval (its README):
 * every labelled pair gives its expected rule or no match, and no pair
 * outside the labels matches.  The lists are read as ctp-screen load
 * reads them (screen_file.h, screen_entry.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "mem.h"
#include "screen_entry.h"
#include "screen_file.h"
#include "screen_match.h"
#include "tap.h"

#define AS_OF "2026-06-01"
#define EVAL "tests/fixtures/screen-eval"

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
	char *s[6];
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
	    "other_names", "dob", "practice_state" };
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
		for (i = 0; i < 6; i++)
			keep(&x->s[i], ctp_input_get(in, cols[i]));
		x->p.npi = x->s[0];
		x->p.first = x->s[1];
		x->p.last = x->s[2];
		x->p.other_names = x->s[3];
		x->p.dob = x->s[4];
		x->p.state = x->s[5];
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
	return ctp_screen_rule_name(ctp_screen_match(NULL, p, &x->en, AS_OF, w));
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
				seen[i * 2 * 64 + (strcmp(list, "SAM") == 0) *
				    64 + line] = 1;
		n++;
	}
	ctp_input_close(in);
	is_int(n, 32, "every labelled pair judged");
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
	size_t np = 0, i, j, k, pos, stray = 0;
	int *seen;

	ok(read_list(CTP_LIST_LEIE, CTP_SRC_LEIE, "leie.csv", &leie) == 0,
	    "leie.csv read as ctp-screen load reads it");
	ok(read_list(CTP_LIST_SAM, CTP_SRC_SAM, "sam.csv", &sam) == 0,
	    "sam.csv read");
	ok(read_roster(&pv, &np) == 0 && np == 32, "roster.csv: 32 providers");
	is_int(leie.n, 22, "22 LEIE entries");
	is_int(sam.n, 8, "8 SAM entries");
	if (leie.n != 22 || sam.n != 8 || np != 32)
		return done_testing();

	/* seen[provider][list][line]: the fixtures' lines stay under 64. */
	seen = calloc(np * 2 * 64, sizeof(*seen));
	labelled(pv, np, &leie, &sam, seen);

	/* Any pair not labelled is "not the same person": no match. */
	for (i = 0; i < np; i++)
		for (k = 0; k < 2; k++) {
			const struct list *l = k ? &sam : &leie;

			for (j = 0; j < l->n; j++) {
				if (seen[i * 2 * 64 + k * 64 + l->v[j].line])
					continue;
				if (ctp_screen_match(NULL, &pv[i].p, &l->v[j].en,
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
	is_int(ctp_screen_match(NULL, &p, &en, "2024-12-31", &w),
	    CTP_MATCH_NAME_DOB, "before its reinstatement, an entry counts");
	is_int(ctp_screen_match(NULL, &p, &en, "2025-01-01", &w), CTP_MATCH_NONE,
	    "reinstated on the day: no match");
	en.source = CTP_SRC_SAM;
	en.rein_date = "";
	en.excl_date = "2026-07-01";
	is_int(ctp_screen_match(NULL, &p, &en, AS_OF, &w), CTP_MATCH_NONE,
	    "SAM record active after the day: no match");
	en.excl_date = "2020-01-01";
	en.end_date = "2026-05-31";
	is_int(ctp_screen_match(NULL, &p, &en, AS_OF, &w), CTP_MATCH_NONE,
	    "SAM record terminated before the day: no match");
	en.end_date = AS_OF;
	is_int(ctp_screen_match(NULL, &p, &en, AS_OF, &w), CTP_MATCH_NAME_DOB,
	    "terminated on the day: still in force");
	en.person = 0;
	is_int(ctp_screen_match(NULL, &p, &en, AS_OF, &w), CTP_MATCH_NONE,
	    "an entity never matches a provider");
	en.person = 1;
	en.npi = "";
	p.npi = "";
	p.dob = "1971-02-03";
	is_int(ctp_screen_match(NULL, &p, &en, AS_OF, &w), CTP_MATCH_NONE,
	    "same name, other DOB; no NPI on either side: no match");
	en.npi = "1000010235";
	p.npi = "1000010235";
	is_int(ctp_screen_match(NULL, &p, &en, AS_OF, &w), CTP_MATCH_NPI,
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
		for (k = 0; k < 6; k++)
			free(pv[i].s[k]);
	free(leie.v);
	free(sam.v);
	free(pv);
	free(seen);
	return done_testing();
}
