#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "date.h"
#include "version.h"

const char *ctp_progname = "ctp";

void
ctp_cli_init(const char *argv0)
{
	const char *p;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	p = strrchr(argv0, '/');
	ctp_progname = p ? p + 1 : argv0;
}

/* "prog: message" on stderr through ctp_msgf (control characters shown). */
static void
vwarnx(const char *fmt, va_list ap)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	ctp_msgf(stderr, "%s: %s", ctp_progname, msg);
}

void
ctp_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
}

int
ctp_cli_fail(const struct ctp_error *e)
{
	ctp_error_print(ctp_progname, e);
	return e->code ? e->code : CTP_SOFTWARE;
}

int
ctp_cli_usage(const char *synopsis, const char *fmt, ...)
{
	va_list ap;
	const char *nl;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vwarnx(fmt, ap);
		va_end(ap);
	}
	/* One line: the synopsis's first, and where to find the rest. */
	nl = strchr(synopsis, '\n');
	if (nl == NULL)
		fprintf(stderr, "usage: %s\n", synopsis);
	else
		fprintf(stderr, "usage: %.*s ... (see %s --help)\n",
		    (int)(nl - synopsis), synopsis, ctp_progname);
	return CTP_USAGE;
}

int
ctp_cli_version(void)
{
	printf("%s %s\n", ctp_progname, CTP_VERSION);
	return ctp_cli_finish(0);
}

int
ctp_cli_finish(int rc)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		ctp_warnx("stdout: write error: %s", strerror(errno));
		return CTP_IOERR;
	}
	return rc;
}

int
ctp_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
ctp_parse_as_of(const char *s, long *days)
{
	return ctp_date_parse(s, days);
}
