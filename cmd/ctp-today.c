/* ctp-today - the morning dashboard of one or several organizations. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "expiring.h"
#include "outfile.h"
#include "today.h"

static const char synopsis[] =
    "ctp-today [--db FILE ...|--db DIR] [--as-of DATE]"
    " [--json | --html FILE [--force]]";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "What needs doing today, organization by organization: items due\n"
	    "in 30, 60 and 90 days, the PSV queue, new and stalled "
	    "enrollments,\n"
	    "the last screening run, open NPI mismatches, documents of the "
	    "last\n"
	    "24 hours and the review queue.\n\n"
	    "      --as-of DATE       today (default: today in each "
	    "organization's\n"
	    "                         time zone)\n"
	    "  -d, --db FILE|DIR      organization database, repeatable; a\n"
	    "                         directory means its *.db files\n"
	    "  -f, --force            --html: replace an existing file\n"
	    "  -h, --help             this help\n"
	    "      --html FILE        write one HTML page instead\n"
	    "  -j, --json             JSON Lines: one object per "
	    "organization\n"
	    "  -V, --version          print the version\n", synopsis);
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
		{ "db", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "html", required_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_today_run r;
	struct ctp_exp_dbs dbs = { NULL, 0, 0 };
	struct ctp_error e;
	int ch, json = 0, rc = -1;

	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	memset(&r, 0, sizeof(r));
	r.as_of = CTP_EXP_TODAY;
	while (rc < 0 && (ch = getopt_long(argc, argv, "d:fhjV", opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (ctp_parse_as_of(optarg, &r.as_of) < 0)
				rc = ctp_cli_usage(synopsis, "--as-of: not a "
				    "date");
			break;
		case 'd':
			if (*optarg == '\0')
				rc = ctp_cli_usage(synopsis, "--db: empty path");
			else if (ctp_expiring_dbs_add(&dbs, optarg, &e) != 0)
				rc = ctp_cli_fail(&e);
			break;
		case 'f':
			r.html_flags |= CTP_OUTFILE_FORCE;
			break;
		case 'h':
			help();
			rc = ctp_cli_finish(0);
			break;
		case 'H':
			if (*optarg == '\0')
				rc = ctp_cli_usage(synopsis, "--html: empty "
				    "path");
			r.html = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'V':
			rc = ctp_cli_version();
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
	if (json && r.html) {
		rc = ctp_cli_usage(synopsis, "--json and --html exclude each "
		    "other");
		goto out;
	}
	r.fmt = r.html ? CTP_TODAY_HTML : json ? CTP_TODAY_JSON :
	    CTP_TODAY_TEXT;
	r.prog = ctp_progname;
	r.warn = warn;
	rc = ctp_today_run(&r, &dbs, stdout, &e);
	rc = e.code != 0 ? ctp_cli_fail(&e) : ctp_cli_finish(rc);
out:
	ctp_expiring_dbs_free(&dbs);
	return rc;
}
