/*
 * review.h - the review queue of ctp-review: items a coordinator
 * approves or rejects, each kind of item with its own id space, shown
 * with a one-letter prefix ("d12" a document; a bare number is a
 * document too; "s34" a value suggestion, suggest.h).  Each kind is one
 * entry of the table in review.c: its prefix, a lister writing rows of
 * ctp_review_columns, its approve and reject, and its correct when its
 * items carry a value.
 */
#ifndef CTP_REVIEW_H
#define CTP_REVIEW_H

#include "auth.h"
#include "err.h"
#include "out.h"

/* One kind of queue item. */
struct ctp_review_kind {
	char prefix;		/* 'd' */
	const char *name;	/* "document" */
	/* Pending items as rows of ctp_review_columns; *count added to. */
	int	(*list)(struct ctp_ctx *c, struct ctp_out *o, long long *count,
		    struct ctp_error *e);
	/* note may be NULL for approve; reject gets a note. */
	int	(*approve)(struct ctp_ctx *c, long long id, const char *note,
		    struct ctp_error *e);
	int	(*reject)(struct ctp_ctx *c, long long id, const char *note,
		    struct ctp_error *e);
	/* The item with the reviewer's value; NULL: no value to correct. */
	int	(*correct)(struct ctp_ctx *c, long long id, const char *value,
		    const char *note, struct ctp_error *e);
};

/*
 * Columns of ctp-review list: item (prefixed id), npi, provider (name),
 * kind (document or credential kind), name (document file), value and
 * current (a suggestion's value and the credential's, empty for a
 * document), flag (what a reviewer should notice), added.
 */
extern const struct ctp_col ctp_review_columns[];
#define CTP_REVIEW_NCOLUMNS 9

/*
 * "d12", "12" (a document) or another kind's prefixed id: *k its kind
 * and *id the number, or CTP_USAGE naming the item.
 */
int	ctp_review_parse(const char *item, const struct ctp_review_kind **k,
	    long long *id, struct ctp_error *e);
/* Every kind's pending items, documents first; *count the rows. */
int	ctp_review_list(struct ctp_ctx *c, struct ctp_out *o, long long *count,
	    struct ctp_error *e);
/* Approve, or reject (note required), one item. */
int	ctp_review_approve(struct ctp_ctx *c, const char *item,
	    const char *note, struct ctp_error *e);
int	ctp_review_reject(struct ctp_ctx *c, const char *item,
	    const char *note, struct ctp_error *e);
/* Approve an item with the reviewer's value instead of its own. */
int	ctp_review_correct(struct ctp_ctx *c, const char *item,
	    const char *value, const char *note, struct ctp_error *e);

#endif
