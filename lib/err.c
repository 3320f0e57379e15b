#include <stdio.h>
#include <string.h>

#include "err.h"

void
ctp_error_clear(struct ctp_error *e)
{
	if (e == NULL)
		return;
	e->code = 0;
	e->where[0] = '\0';
	e->what[0] = '\0';
}

int
ctp_verrf(struct ctp_error *e, int code, const char *where, const char *fmt,
    va_list ap)
{
	if (e == NULL)
		return code;
	e->code = code;
	snprintf(e->where, sizeof(e->where), "%s", where ? where : "");
	vsnprintf(e->what, sizeof(e->what), fmt, ap);
	return code;
}

int
ctp_errf(struct ctp_error *e, int code, const char *where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctp_verrf(e, code, where, fmt, ap);
	va_end(ap);
	return code;
}

void
ctp_error_print(const char *prog, const struct ctp_error *e)
{
	if (e->where[0] != '\0')
		fprintf(stderr, "%s: %s: %s\n", prog, e->where, e->what);
	else
		fprintf(stderr, "%s: %s\n", prog, e->what);
}

int
ctp_err_nomem(struct ctp_error *e, const char *where)
{
	return ctp_errf(e, CTP_SOFTWARE, where, "out of memory");
}

const char *
ctp_plural(long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}
