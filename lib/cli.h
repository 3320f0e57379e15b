/*
 * cli.h - what every program in cmd/ does the same way: its name in
 * messages, --version, usage errors, and checking stdout before exit 0.
 */
#ifndef CTP_CLI_H
#define CTP_CLI_H

#include "err.h"
#include "progress.h"

extern const char *ctp_progname;

/*
 * Set the program name from argv[0] (its base name), drop a team
 * install's group (priv.h), and turn --org NAME and $CTP_ORG into the
 * database they name (ctp_org_args, orgs.h); a bad name ends the program
 * with its message and CTP_USAGE.  The first call of every program,
 * after anything that calls sqlite3_config (tune.h).
 */
void	ctp_cli_init(int argc, char **argv);
/* "prog: message" on stderr. */
void	ctp_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print e and return its code (for "return ctp_cli_fail(&e);"). */
int	ctp_cli_fail(const struct ctp_error *e);
/*
 * "prog: message" and a one-line "usage: ..." hint (the synopsis's first
 * line) on stderr; returns CTP_USAGE.
 */
int	ctp_cli_usage(const char *synopsis, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* "prog X.Y.Z" on stdout; returns 0. */
int	ctp_cli_version(void);
/* Flush stdout; a write error turns rc into CTP_IOERR with a message. */
int	ctp_cli_finish(int rc);
/*
 * The progress line of every program (a ctp_progress_fn; arg unused):
 * "prog: what: [====    ] 1234/5000" or "prog: what: 12.3 of 80.0 MB"
 * ("prog: [====    ] 1234/5000" when what is NULL) on stderr, redrawn at
 * most five times a second but always at the last count, and only when
 * stderr is a terminal; cleared at the end.
 */
void	ctp_cli_progress(void *arg, const char *what,
	    enum ctp_progress_unit unit, long long done, long long total,
	    int end);
/* Parse a whole non-negative number within [min, max]; 0 or -1. */
int	ctp_parse_long(const char *s, long min, long max, long *out);
/* Parse --as-of: a date in any accepted form; 0 or -1. */
int	ctp_parse_as_of(const char *s, long *days);

#endif
