/*
 * extract_int.h - what extract.c and extract_date.c share.
 */
#ifndef CTP_EXTRACT_INT_H
#define CTP_EXTRACT_INT_H

#include <stddef.h>

#include "extract.h"

#define CTP_X_DATES 32

enum { CTP_X_ROLE_NONE, CTP_X_ROLE_ISSUED, CTP_X_ROLE_EXPIRES };

struct ctp_x_date {
	long day;
	int role;
	int conf;
	char line[CTP_X_LINE];
};

struct ctp_x_dates {
	struct ctp_x_date d[CTP_X_DATES];
	int n;
};

const char *ctp_x_find(const char *s, size_t n, const char *word);
void	ctp_x_copy(char *dst, size_t size, const char *s, size_t n);
int	ctp_x_blank(const char *s, size_t n);
/* Drop what OCR leaves at a value's edges ('|', '~', '_'). */
void	ctp_x_trim_marks(char *s);
/* A date at p (not past end): its length and *day, or 0. */
size_t	ctp_x_date_at(const char *p, const char *end, long *day);
/* The dates of one line, their roles from the words before each. */
void	ctp_x_dates_line(struct ctp_x_dates *d, const char *s, size_t n,
	    const char *prev, size_t pn);
/* The issue and expiration dates the lines' dates support. */
void	ctp_x_dates_decide(const struct ctp_x_dates *d, struct ctp_extract *x);
/* The issuing authority, when the line names it and none is yet. */
void	ctp_x_authority(const char *s, size_t n, const char *kind,
	    struct ctp_xvalue *v);

#endif
