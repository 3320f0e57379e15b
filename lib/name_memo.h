/*
 * name_memo.h - ctp_name_last_keys and ctp_name_first_key (names.h)
 * remembered by the name they were given: the screening index files
 * 230,000 list entries whose last and first names repeat (a few common
 * names make most of a list), and working a name's keys out costs far
 * more than finding them again.  The answers are exactly the functions'.
 * Out of memory, a memo just stops remembering.
 */
#ifndef CTP_NAME_MEMO_H
#define CTP_NAME_MEMO_H

#include "names.h"

struct ctp_name_memo;

struct ctp_name_memo *ctp_name_memo_new(void);	/* NULL: out of memory */
void	ctp_name_memo_free(struct ctp_name_memo *m);
/* As ctp_name_last_keys and ctp_name_first_key; m may be NULL. */
int	ctp_name_memo_last_keys(struct ctp_name_memo *m, const char *last,
	    char keys[CTP_NAME_MAXKEYS][CTP_NAME_KEY]);
int	ctp_name_memo_first_key(struct ctp_name_memo *m, const char *first,
	    char key[CTP_NAME_KEY]);

#endif
