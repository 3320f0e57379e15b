/* ctp-invoice - the month's invoice of each organization. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "date.h"
#include "expiring.h"
#include "invoice.h"
#include "outfile.h"

static const char synopsis[] =
    "ctp-invoice --month YYYY-MM [--annual] [--db FILE ...|--db DIR]"
    " [--json|--csv] [--pdf DIR [--force]] [--as-of DATE]";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "One invoice per organization for the month: the base fee and\n"
	    "the provider seats (a provider active on any day of the "
	    "month).\n"
	    "CSV (one row per organization) unless on a terminal.\n\n"
	    "      --annual           the annual plan: twelve months from "
	    "--month\n"
	    "      --as-of DATE       today: a later month is refused\n"
	    "      --csv              the combined CSV even on a terminal\n"
	    "  -d, --db FILE|DIR      organization database, repeatable; a\n"
	    "                         directory means its *.db files\n"
	    "  -f, --force            --pdf: replace existing files\n"
	    "  -h, --help             this help\n"
	    "  -j, --json             JSON Lines: one object per invoice\n"
	    "  -m, --month YYYY-MM    the month invoiced\n"
	    "  -p, --pdf DIR          also write invoice-YYYY-MM-NAME.pdf "
	    "there\n"
	    "  -V, --version          print the version\n", synopsis);
}

static void
warn(void *arg, const char *msg)
{
	(void)arg;
	ctp_warnx("%s", msg);
}

/* --month: malformed is a usage error, one to come bad data; else -1. */
static int
check_month(const char *month, const char *as_of, struct ctp_invoice_run *r)
{
	struct ctp_error e;
	char m[CTP_DATE_LEN];
	long today;

	if (month == NULL)
		return ctp_cli_usage(synopsis, "--month is required");
	if (ctp_invoice_month_parse(month, &r->year, &r->month) < 0)
		return ctp_cli_usage(synopsis, "--month: not a month "
		    "(YYYY-MM): %s", month);
	if (as_of == NULL)
		today = ctp_date_today(NULL);
	else if (ctp_parse_as_of(as_of, &today) < 0)
		return ctp_cli_usage(synopsis, "--as-of: not a date");
	if (ctp_date_from_ymd(r->year, r->month, 1) <= today)
		return -1;
	ctp_date_format(today, m);
	ctp_errf(&e, CTP_DATAERR, "--month", "%s has not begun (today is %s)",
	    month, m);
	return ctp_cli_fail(&e);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "annual", no_argument, NULL, 'A' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "csv", no_argument, NULL, 'C' },
		{ "db", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "month", required_argument, NULL, 'm' },
		{ "pdf", required_argument, NULL, 'p' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_invoice_run r;
	struct ctp_exp_dbs dbs = { NULL, 0, 0 };
	struct ctp_error e;
	const char *month = NULL, *as_of = NULL;
	int ch, json = 0, csv = 0, rc = -1;

	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	memset(&r, 0, sizeof(r));
	while (rc < 0 && (ch = getopt_long(argc, argv, "d:fhjm:p:V", opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'A':
			r.annual = 1;
			break;
		case 'a':
			as_of = optarg;
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
			r.pdf_flags |= CTP_OUTFILE_FORCE;
			break;
		case 'h':
			help();
			rc = ctp_cli_finish(0);
			break;
		case 'j':
			json = 1;
			break;
		case 'm':
			month = optarg;
			break;
		case 'p':
			r.pdf_dir = optarg;
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
	if (json && csv) {
		rc = ctp_cli_usage(synopsis, "--json and --csv exclude each "
		    "other");
		goto out;
	}
	if ((rc = check_month(month, as_of, &r)) >= 0)
		goto out;
	r.fmt = ctp_out_choose(json, csv, stdout);
	r.prog = ctp_progname;
	r.warn = warn;
	rc = ctp_invoice_run(&r, &dbs, stdout, &e);
	rc = e.code != 0 ? ctp_cli_fail(&e) : ctp_cli_finish(rc);
out:
	ctp_expiring_dbs_free(&dbs);
	return rc;
}
