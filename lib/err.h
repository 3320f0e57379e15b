/*
 * err.h - one way to report an error: a status code and a place.
 *
 * A function that can fail returns an int status (0 on success, else one of
 * the exit codes below) and fills the caller's struct ctp_error.  Programs
 * print it as "prog: where: what" and exit with e->code.
 */
#ifndef CTP_ERR_H
#define CTP_ERR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

enum {
	CTP_OK = 0,		/* done, nothing needs a person */
	CTP_ATTN = 1,		/* done, something needs a person */
	CTP_USAGE = 2,
	CTP_DATAERR = 65,
	CTP_NOINPUT = 66,
	CTP_UNAVAILABLE = 69,
	CTP_SOFTWARE = 70,
	CTP_CANTCREAT = 73,
	CTP_IOERR = 74,
	CTP_TEMPFAIL = 75,
	CTP_NOPERM = 77
};

struct ctp_error {
	int code;		/* exit code, 0 when no error */
	char where[256];	/* file:line, object, or "" */
	char what[512];		/* lower case, no full stop */
};

void	ctp_error_clear(struct ctp_error *);

/* Fill e (when non-NULL) and return code. where may be NULL. */
int	ctp_errf(struct ctp_error *e, int code, const char *where,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int	ctp_verrf(struct ctp_error *e, int code, const char *where,
	    const char *fmt, va_list ap);

/* "prog: where: what" (or "prog: what") on stderr, as ctp_msgf. */
void	ctp_error_print(const char *prog, const struct ctp_error *e);

/* Out of memory: always CTP_SOFTWARE. */
int	ctp_err_nomem(struct ctp_error *e, const char *where);

/*
 * s as a terminal may be shown it: every C0 control character and DEL
 * as \xNN, every C1 control (U+0080 to U+009F) as \u00NN, so that a
 * stored escape sequence is seen, never obeyed.  CTP_VIS_SPACE shows a
 * tab or line feed as a space, CTP_VIS_KEEP keeps them.  Writes at most
 * n bytes, the NUL included, into dst (n may be 0) and returns the
 * length of the whole result, as snprintf does.
 */
#define CTP_VIS_SPACE	1
#define CTP_VIS_KEEP	2
size_t	ctp_vis(char *dst, size_t n, const char *s, int flags);

/*
 * One message line on f: formatted, cut at about 2 KB, every control
 * character shown as ctp_vis shows it, then a newline.  Messages name
 * files and fields that a user or a hostile file chose.
 */
void	ctp_msgf(FILE *f, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	ctp_vmsgf(FILE *f, const char *fmt, va_list ap);

/*
 * The noun for a count in a message: one when n is 1, else many, so that
 * "%lld %s", n, ctp_plural(n, "provider", "providers") reads "1 provider".
 */
const char *ctp_plural(long long n, const char *one, const char *many);

#endif
