/*
 * cli.c - what every program does the same way: messages, usage,
 * --version, --org, the final write check, the progress line (cli.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "date.h"
#include "orgs.h"
#include "priv.h"
#include "version.h"

const char *ctp_progname = "ctp";

void
ctp_cli_init(int argc, char **argv)
{
	struct ctp_error e;
	const char *p;

	if (argc > 0 && argv[0] != NULL && *argv[0] != '\0') {
		p = strrchr(argv[0], '/');
		ctp_progname = p ? p + 1 : argv[0];
	}
	/* A team install's group: dropped before anything is opened. */
	if (ctp_priv_init() != 0) {
		ctp_warnx("cannot give up the group ctp runs with");
		exit(CTP_SOFTWARE);
	}
	/* --org NAME is --db DATA_DIR/NAME.db for every program (orgs.h). */
	ctp_error_clear(&e);
	if (ctp_org_args(argc, argv, &e) != 0)
		exit(ctp_cli_fail(&e));
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

void
ctp_cli_progress(void *arg, const char *what, enum ctp_progress_unit unit,
    long long done, long long total, int end)
{
	static int tty = -1, drawn;
	static struct timespec last;
	struct timespec now;
	char name[96], line[160], shown[4 * sizeof(line)], bar[31];
	size_t k, w = sizeof(bar) - 1;

	(void)arg;
	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	if (!tty)
		return;
	if (end) {
		if (drawn)
			fprintf(stderr, "\r%*s\r", 79, "");
		drawn = 0;
		fflush(stderr);
		return;
	}
	/* The last count is always drawn: the work is seen to finish. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (drawn && (total <= 0 || done < total) &&
	    (now.tv_sec - last.tv_sec) * 1000000000L +
	    (now.tv_nsec - last.tv_nsec) < 200000000L)
		return;
	last = now;
	/* "prog: what: ...", or "prog: ..." for work without a name. */
	snprintf(name, sizeof(name), "%s: %s%s", ctp_progname,
	    what ? what : "", what ? ": " : "");
	if (unit == CTP_PROGRESS_BYTES && total > 0)
		snprintf(line, sizeof(line), "%s%.1f of %.1f MB", name,
		    done / 1e6, total / 1e6);
	else if (unit == CTP_PROGRESS_BYTES)
		snprintf(line, sizeof(line), "%s%.1f MB", name, done / 1e6);
	else if (total > 0) {
		k = done >= total ? w : (size_t)(done * (long long)w / total);
		memset(bar, '=', k);
		memset(bar + k, ' ', w - k);
		bar[w] = '\0';
		snprintf(line, sizeof(line), "%s[%s] %lld/%lld", name, bar,
		    done, total);
	} else
		snprintf(line, sizeof(line), "%s%lld", name, done);
	ctp_vis(shown, sizeof(shown), line, CTP_VIS_SPACE);
	fprintf(stderr, "\r%-79.79s", shown);
	fflush(stderr);
	drawn = 1;
}
