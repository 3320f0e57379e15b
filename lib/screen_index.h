/*
 * screen_index.h - the list entries a provider could match, found
 * without judging every pair: the person entries of the lists in force,
 * read once into memory and filed under blocking keys that every rule of
 * ctp_screen_match (screen_match.h) needs one of:
 *   the NPI;
 *   a last-name key with a first-name token: the first name's key, the
 *     numbers of its nickname groups, the middle name's key (name_dob,
 *     dob_typo, nickname, middle_as_first and their _state forms);
 *   the date of birth with a first-name key (last_name_typo, phonetic)
 *     or, asked with the provider's last name, swapped_names.
 * ctp_screen_match still decides each candidate.
 *
 * ctp_screen_index_free frees what ctp_screen_index_build returns; the
 * entries handed to fn live as long as the index.
 */
#ifndef CTP_SCREEN_INDEX_H
#define CTP_SCREEN_INDEX_H

#include <sqlite3.h>

#include "err.h"
#include "nickname.h"
#include "screen_match.h"

struct ctp_screen_index;

/*
 * The person entries of the lists in force (of source only, when not
 * NULL), filed with nick's groups (nick may be NULL: no nickname
 * tokens).
 */
int	ctp_screen_index_build(sqlite3 *db, const char *source,
	    const struct ctp_nicknames *nick, struct ctp_screen_index **ix,
	    struct ctp_error *e);
void	ctp_screen_index_free(struct ctp_screen_index *ix);

/* Called once for each candidate entry of a provider, with its list
 * version; a value other than 0 stops the search and is returned. */
typedef int (*ctp_screen_cand_fn)(void *arg,
    const struct ctp_screen_entry *en, long long version);

int	ctp_screen_index_find(struct ctp_screen_index *ix,
	    const struct ctp_screen_provider *p, ctp_screen_cand_fn fn,
	    void *arg);

/* Entries held, and candidates handed to fn so far. */
long long ctp_screen_index_entries(const struct ctp_screen_index *ix);
long long ctp_screen_index_examined(const struct ctp_screen_index *ix);

#endif
