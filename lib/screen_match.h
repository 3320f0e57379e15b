/*
 * screen_match.h - ctp-screen's matching rules: whether a list entry is
 * a provider, by which rule, and through which of the provider's names.
 * A pure function of its inputs (no database, no state), so the rules
 * are tested on tests/fixtures/screen-eval as they are; the run finds
 * the entries worth judging with SQL and judges each one here.
 *
 * Nothing returned needs freeing: names point into the caller's strings.
 */
#ifndef CTP_SCREEN_MATCH_H
#define CTP_SCREEN_MATCH_H

#include <stddef.h>

#include "names.h"
#include "screen_entry.h"

/* The rules, weakest first: a higher value is a stronger match. */
enum ctp_screen_rule {
	CTP_MATCH_NONE,		/* no match */
	CTP_MATCH_NAME_ONLY,	/* the name alone: insufficient data */
	CTP_MATCH_NAME_STATE,	/* the name and the state */
	CTP_MATCH_NAME_DOB,	/* the name and the date of birth */
	CTP_MATCH_NPI		/* the NPI */
};

/*
 * A provider as the rules see it.  A middle name is not among them: it
 * never blocks a match, so no rule reads it.  NULL and "" are the same.
 */
struct ctp_screen_provider {
	const char *npi;
	const char *first, *last;
	const char *other_names;	/* the roster's former names (below) */
	const char *dob;		/* YYYY-MM-DD */
	const char *state;
};

/*
 * One of a provider's names, with its keys (names.h).  first and last
 * point into the provider's strings and are first_len and last_len
 * bytes long (not NUL-terminated).
 */
struct ctp_screen_name {
	const char *first, *last;
	int first_len, last_len;
	char first_key[CTP_NAME_KEY];
	char last_keys[CTP_NAME_MAXKEYS][CTP_NAME_KEY];
	int nkeys;
};

/*
 * The provider's names in order: the current one, then each former name
 * of other_names, separated by semicolons, where "LAST, FIRST" is a
 * whole name and a name without a comma is a former last (maiden) name
 * worn with the current first name.  A name that gives no key is left
 * out.  *pos is 0 for the first call; returns 1 with *n filled, 0 at the
 * end.  A part longer than the roster allows (1,000 bytes) is keyed on
 * its first 1,000 bytes.
 */
int	ctp_screen_next_name(const struct ctp_screen_provider *p,
	    size_t *pos, struct ctp_screen_name *n);

/* Why an entry matched. */
struct ctp_screen_why {
	enum ctp_screen_rule rule;
	/* The provider's name that matched; name.first NULL for npi. */
	struct ctp_screen_name name;
};

/*
 * Does entry en match provider p as of the day as_of (YYYY-MM-DD)?
 *
 * An entry matches only when it is a person's and in force on as_of:
 * not reinstated on or before it, not terminated before it and, for
 * SAM, active by then.  Then, the strongest rule that holds:
 *   npi         the same NPI;
 *   name_dob    a name of the provider (ctp_screen_next_name) with the
 *               entry's first-name key and one of its last-name keys,
 *               and the same date of birth;
 *   name_state  that name, no date of birth on one side, the same state;
 *   name_only   that name, and neither a date of birth nor a state on
 *               both sides to decide.
 * The same name with another date of birth, or (without one) in another
 * state, is no match.  Returns the rule and fills *why (the first of the
 * provider's names that matched, in ctp_screen_next_name's order).
 */
enum ctp_screen_rule ctp_screen_match(const struct ctp_screen_provider *p,
	    const struct ctp_screen_entry *en, const char *as_of,
	    struct ctp_screen_why *why);

/* "npi", "name_dob", "name_state", "name_only"; "" for none. */
const char *ctp_screen_rule_name(enum ctp_screen_rule r);
/* The PSV result of a match: "insufficient_data" for name_only, else
 * "potential_match". */
const char *ctp_screen_rule_result(enum ctp_screen_rule r);

/*
 * The list entry columns a query selects for the matcher ("SELECT "
 * CTP_SCREEN_ENTRY_COLS " FROM list_entries e ..."), and the entry at
 * a row of it, its strings borrowed from the statement until its next
 * step.
 */
#define CTP_SCREEN_ENTRY_COLS "e.source, e.ident, e.version_id, " \
	"e.last_name, e.first_name, e.middle_name, e.npi, e.dob, e.state, " \
	"e.excl_type, e.excl_date, e.rein_date, e.end_date, e.entity"

struct sqlite3_stmt;
void	ctp_screen_entry_row(struct sqlite3_stmt *st,
	    struct ctp_screen_entry *en);

#endif
