/* ctp-expiring - what expires or falls due, in one organization or many. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "cli.h"
#include "expiring.h"
#include "out.h"
#include "tune.h"

static const char synopsis[] =
    "ctp-expiring [--db FILE|DIR ...] [--as-of DATE] [--within DAYS]\n"
    "       [--overdue] [--mine|--coordinator USER] [--kind KIND ...]\n"
    "       [--fail-if-any] [--json|--csv]";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  -a, --as-of DATE        count days from DATE (default: today in "
	    "the\n"
	    "                          organization's time zone)\n"
	    "  -c, --coordinator USER  only USER's providers\n"
	    "      --csv               CSV output even on a terminal\n"
	    "  -d, --db FILE|DIR       organization database; repeat, or name "
	    "a\n"
	    "                          directory of *.db, for every client at "
	    "once\n"
	    "  -f, --fail-if-any       exit 1 when anything is listed; print "
	    "nothing,\n"
	    "                          not even the header, when nothing is "
	    "(cron)\n"
	    "  -h, --help              this help\n"
	    "  -j, --json              JSON Lines output\n"
	    "  -k, --kind KIND         only KIND (repeatable):\n"
	    "                          state_license, dea, cds, board_cert,\n"
	    "                          malpractice, cme, hospital_privileges,\n"
	    "                          recred, caqh, missing,\n"
	    "                          enrollment\n"
	    "  -m, --mine              only the caller's providers\n"
	    "  -o, --overdue           only what is overdue (and what has no "
	    "date)\n"
	    "  -V, --version           print the version\n"
	    "  -w, --within DAYS       due within DAYS, 0 to %d (default: the "
	    "largest\n"
	    "                          inbox threshold, 120)\n\n"
	    "Columns: org, npi, last_name, first_name, coordinator, kind, "
	    "detail, due,\n"
	    "days_left, bucket; sorted by due date, then provider.  Items "
	    "without a date\n"
	    "(recred unknown, a required credential missing) come first; they "
	    "and overdue\n"
	    "items are always listed.  Exit 77 when an organization refuses "
	    "the caller.\n",
	    synopsis, CTP_EXP_MAX_WITHIN);
}

static void
warn(void *arg, const char *msg)
{
	(void)arg;
	ctp_warnx("%s", msg);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "coordinator", required_argument, NULL, 'c' },
		{ "csv", no_argument, NULL, 'C' },
		{ "db", required_argument, NULL, 'd' },
		{ "fail-if-any", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "kind", required_argument, NULL, 'k' },
		{ "mine", no_argument, NULL, 'm' },
		{ "overdue", no_argument, NULL, 'o' },
		{ "version", no_argument, NULL, 'V' },
		{ "within", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	static char outbuf[256 * 1024];
	struct ctp_exp_run r;
	struct ctp_exp_dbs dbs = { NULL, 0, 0 };
	struct ctp_error e;
	unsigned bit;
	int ch, json = 0, csv = 0, rc = -1;

	memset(&r, 0, sizeof(r));
	r.q.as_of = CTP_EXP_TODAY;
	r.q.within = -1;
	ctp_tune_reader();	/* before SQLite's first use */
	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	while (rc < 0 && (ch = getopt_long(argc, argv, "a:c:d:fhjk:moVw:",
	    opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (ctp_parse_as_of(optarg, &r.q.as_of) < 0)
				rc = ctp_cli_usage(synopsis,
				    "--as-of: not a date (YYYY-MM-DD)");
			break;
		case 'c':
			r.q.coordinator = optarg;
			break;
		case 'C':
			csv = 1;
			break;
		case 'd':
			if (*optarg == '\0')
				rc = ctp_cli_usage(synopsis, "--db: empty path");
			else if (ctp_expiring_dbs_add(&dbs, optarg, &e) != 0)
				rc = ctp_cli_fail(&e);
			break;
		case 'f':
			r.fail_if_any = 1;
			break;
		case 'h':
			help();
			rc = ctp_cli_finish(0);
			break;
		case 'j':
			json = 1;
			break;
		case 'k':
			if ((bit = ctp_expiring_kind(optarg)) == 0)
				rc = ctp_cli_usage(synopsis, "--kind: unknown "
				    "kind: %s (one of %s)", optarg,
				    ctp_expiring_kind_names());
			r.q.kinds |= bit;
			break;
		case 'm':
			r.mine = 1;
			break;
		case 'o':
			r.q.overdue = 1;
			break;
		case 'V':
			rc = ctp_cli_version();
			break;
		case 'w':
			if (ctp_parse_long(optarg, 0, CTP_EXP_MAX_WITHIN,
			    &r.q.within) < 0)
				rc = ctp_cli_usage(synopsis, "--within: must "
				    "be a whole number of days from 0 to %d",
				    CTP_EXP_MAX_WITHIN);
			break;
		default:
			rc = ctp_cli_usage(synopsis, NULL);
		}
	}
	if (rc >= 0)
		goto out;
	if (optind != argc) {
		rc = ctp_cli_usage(synopsis, "unexpected argument: %s",
		    argv[optind]);
		goto out;
	}
	if (r.mine && r.q.coordinator != NULL) {
		rc = ctp_cli_usage(synopsis,
		    "--mine and --coordinator exclude each other");
		goto out;
	}
	r.fmt = ctp_out_choose(json, csv, stdout);
	r.prog = ctp_progname;
	r.perm = CTP_PERM_READ;		/* any role may read the inbox */
	r.warn = warn;
	/*
	 * Nothing has been written to stdout yet: a large buffer makes a
	 * listing of 25 MB a hundred writes to the pipe, not six thousand.
	 */
	if (r.fmt != CTP_FMT_TABLE)
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	rc = ctp_expiring_run(&r, &dbs, stdout, &e);
	rc = e.code != 0 ? ctp_cli_fail(&e) : ctp_cli_finish(rc);
out:
	ctp_expiring_dbs_free(&dbs);
	return rc;
}
