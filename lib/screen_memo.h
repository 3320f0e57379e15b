/*
 * screen_memo.h - a run's few screen.check details, each built once:
 * the detail depends only on each list's result (the run and the date
 * are the run's), so 100,000 providers make a handful of distinct
 * strings.  Keyed by the results of up to CTP_SCREEN_MEMO_LISTS lists,
 * compared as strings; the key strings must outlive the memo (the run's
 * results are string constants).
 */
#ifndef CTP_SCREEN_MEMO_H
#define CTP_SCREEN_MEMO_H

#include <stddef.h>

#define CTP_SCREEN_MEMO_LISTS 8
#define CTP_SCREEN_MEMO_MAX 64

struct ctp_screen_memo_ent {
	const char *key[CTP_SCREEN_MEMO_LISTS];
	char *text;
};

struct ctp_screen_memo {
	size_t n;
	struct ctp_screen_memo_ent ent[CTP_SCREEN_MEMO_MAX];
};

/* The text kept for key[0..n-1], or NULL. */
const char *ctp_screen_memo_get(const struct ctp_screen_memo *m,
	    const char *const *key, size_t n);
/* Keep text (taken on success: 0) for key[0..n-1]; -1 when the memo
 * is full or n is too large (text stays the caller's). */
int	ctp_screen_memo_put(struct ctp_screen_memo *m, const char *const *key,
	    size_t n, char *text);
void	ctp_screen_memo_free(struct ctp_screen_memo *m);

#endif
