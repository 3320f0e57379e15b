/*
 * screen_match.h - ctp-screen's matching rules: whether a list entry is
 * a provider, by which rule, and through which of the provider's names.
 * A pure function of its inputs (no database, no state but the
 * read-only nickname table it is handed), so the rules are tested on
 * tests/fixtures/screen-eval as they are; the run finds the entries
 * worth judging (screen_index.h) and judges each one here.
 *
 * Nothing returned needs freeing: names point into the caller's strings.
 */
#ifndef CTP_SCREEN_MATCH_H
#define CTP_SCREEN_MATCH_H

#include <stddef.h>

#include "names.h"
#include "nickname.h"
#include "screen_entry.h"

/*
 * The rules, weakest first: a higher value is a stronger match, so
 * reviewers sort by it.  What each one needs is at ctp_screen_match.
 */
enum ctp_screen_rule {
	CTP_MATCH_NONE,			/* no match */
	CTP_MATCH_NAME_ONLY,		/* the name alone: insufficient data */
	CTP_MATCH_MIDDLE_STATE,		/* a middle name as first, state */
	CTP_MATCH_NICKNAME_STATE,	/* a nickname, the state */
	CTP_MATCH_NAME_STATE,		/* the name and the state */
	CTP_MATCH_PHONETIC,		/* a last name that sounds alike, DOB */
	CTP_MATCH_LAST_NAME_TYPO,	/* one typing error in the last name */
	CTP_MATCH_SWAPPED_NAMES,	/* first and last swapped, DOB */
	CTP_MATCH_MIDDLE_AS_FIRST,	/* a middle name as first, DOB */
	CTP_MATCH_NICKNAME,		/* a nickname, DOB */
	CTP_MATCH_DOB_TYPO,		/* the name, a DOB one typo away */
	CTP_MATCH_NAME_DOB,		/* the name and the date of birth */
	CTP_MATCH_NPI			/* the NPI */
};
#define CTP_MATCH_NRULES (CTP_MATCH_NPI + 1)

/*
 * A provider as the rules see it.  NULL and "" are the same.  A middle
 * name never blocks a match; it matches a listed first name
 * (middle_as_first).  suffix (JR, SR, II, III, IV) tells a parent from a
 * child: the rules that allow a difference do not match a listed name
 * with another suffix.
 */
struct ctp_screen_provider {
	const char *npi;
	const char *first, *middle, *last, *suffix;
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
 * nick is the nickname table (NULL: no nickname rule).
 *
 * An entry matches only when it is a person's and in force on as_of:
 * not reinstated on or before it, not terminated before it and, for
 * SAM, active by then.  Then, the strongest rule that holds for one of
 * the provider's names (ctp_screen_next_name: the current one, then
 * each former one), where "the first name" and "the last name" are the
 * keys of names.h, a last name matching when one of its keys does:
 *   npi             the same NPI;
 *   name_dob        the same first and last name, the same DOB;
 *   dob_typo        the same first and last name, a DOB with day and
 *                   month swapped, one digit wrong or two adjacent
 *                   digits swapped;
 *   nickname        the same last name, first names of one nickname
 *                   group, the same DOB;
 *   middle_as_first the same last name, the provider's middle name as
 *                   the listed first name or the listed middle name as
 *                   the provider's first (two letters or more), the same
 *                   DOB;
 *   swapped_names   the provider's first name as the listed last name
 *                   and the last as the first, the same DOB;
 *   last_name_typo  the same first name, last names one insertion,
 *                   deletion, substitution or swap of adjacent letters
 *                   apart (three letters or more), the same DOB;
 *   phonetic        the same first name, last names sharing a Double
 *                   Metaphone code (metaphone.h), the same DOB;
 * and, with no date of birth on one side:
 *   name_state      the same first and last name, the same state;
 *   nickname_state, middle_state   as nickname and middle_as_first,
 *                   the same state;
 *   name_only       the same first and last name, and neither a date of
 *                   birth nor a state on both sides to decide.
 * Dates of birth on both sides that differ (past dob_typo), or states
 * that differ where no DOB decides, are no match.  The rules that allow
 * a difference (all but npi, name_dob, name_state and name_only) do not
 * match names with different suffixes (JR, SR, II, III, IV).  Returns
 * the rule and fills *why (the first of the provider's names that gave
 * it).
 */
enum ctp_screen_rule ctp_screen_match(const struct ctp_nicknames *nick,
	    const struct ctp_screen_provider *p,
	    const struct ctp_screen_entry *en, const char *as_of,
	    struct ctp_screen_why *why);

/* Is a date of birth one typo from b: day and month swapped, one
 * digit wrong, or two adjacent digits swapped?  (YYYY-MM-DD.) */
int	ctp_screen_dob_typo(const char *a, const char *b);
/*
 * The key of a middle name: middle's first part, else first's second
 * part ("J ROBERT"); "" when that is one letter or nothing.
 */
void	ctp_screen_middle_key(const char *middle, const char *first,
	    char key[CTP_NAME_KEY]);
/* Are keys a and b one typing error apart (see last_name_typo)? */
int	ctp_screen_one_edit(const char *a, const char *b);

/* "npi", "name_dob", "name_state", "name_only", "nickname" ... (as
 * above); "" for none. */
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
