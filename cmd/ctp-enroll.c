/* ctp-enroll - payer enrollments: add, set their status, list. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "cli.h"
#include "date.h"
#include "enroll.h"
#include "org.h"
#include "out.h"

static const char synopsis[] =
    "ctp-enroll [--db FILE] add NPI --payer NAME"
    " [--line medicare|medicaid|commercial] [--requested DATE]\n"
    "       ctp-enroll [--db FILE] set ID --status STATUS"
    " [--effective DATE] [--note TEXT]\n"
    "       ctp-enroll [--db FILE] [--json|--csv] list [--open]"
    " [--payer NAME] [--as-of DATE]";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  add    a provider's application to a payer, status requested;\n"
	    "         prints its id\n"
	    "  set    change an enrollment's status: requested, submitted,\n"
	    "         in_process, approved, denied, withdrawn\n"
	    "  list   enrollments, with days since their last change\n"
	    "\n"
	    "      --as-of DATE       today (default: today in the "
	    "organization's\n"
	    "                         time zone)\n"
	    "      --csv              CSV output even on a terminal\n"
	    "  -d, --db FILE          organization database\n"
	    "  -e, --effective DATE   set: the day the status took effect "
	    "(today)\n"
	    "  -h, --help             this help\n"
	    "  -j, --json             JSON Lines output\n"
	    "  -l, --line LINE        add: medicare, medicaid or commercial\n"
	    "                         (default commercial)\n"
	    "  -n, --note TEXT        set: what happened\n"
	    "  -o, --open             list: only requested, submitted and\n"
	    "                         in_process enrollments\n"
	    "  -p, --payer NAME       add: the payer; list: only this payer\n"
	    "  -r, --requested DATE   add: the day it was asked for (today)\n"
	    "  -s, --status STATUS    set: the new status\n"
	    "  -V, --version          print the version\n", synopsis);
}

struct opts {
	const char *db, *payer, *line, *requested, *status, *effective;
	const char *note, *as_of;
	int json, csv, open;
};

/* The day --as-of names, else today in c's organization. */
static int
today(struct ctp_ctx *c, const struct opts *op, long *day,
    struct ctp_error *e)
{
	if (op->as_of != NULL) {
		if (ctp_parse_as_of(op->as_of, day) < 0)
			return ctp_errf(e, CTP_USAGE, "--as-of", "not a date");
		return 0;
	}
	return ctp_org_today(c->db, day, e);
}

static int
add(const struct opts *op, int nargs, char **args)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	long long id = 0;
	long day, now;
	int rc;

	ctp_error_clear(&e);
	if (nargs != 1)
		return ctp_cli_usage(synopsis, "add needs one NPI");
	if (op->payer == NULL)
		return ctp_cli_usage(synopsis, "add needs --payer");
	if (op->requested && ctp_date_parse(op->requested, &day) < 0)
		return ctp_cli_usage(synopsis, "--requested: not a date");
	if (ctp_ctx_open(&c, ctp_progname, op->db, CTP_PERM_WORK, &e))
		return ctp_cli_fail(&e);
	if ((rc = today(c, op, &now, &e)) == 0 && op->requested == NULL)
		day = now;
	else if (rc == 0 && day > now)
		rc = ctp_errf(&e, CTP_DATAERR, "--requested", "after today");
	if (rc == 0)
		rc = ctp_enroll_add(c, args[0], op->payer,
		    op->line ? op->line : "commercial", day, &id, &e);
	ctp_ctx_close(c);
	if (rc != 0)
		return ctp_cli_fail(&e);
	printf("%lld\n", id);
	return ctp_cli_finish(0);
}

static int
set(const struct opts *op, int nargs, char **args)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	long id, day, eff = 0;
	int rc;

	ctp_error_clear(&e);
	if (nargs != 1 || ctp_parse_long(args[0], 1, 0x7fffffffL, &id) < 0)
		return ctp_cli_usage(synopsis, "set needs one enrollment ID "
		    "(from list)");
	if (op->status == NULL)
		return ctp_cli_usage(synopsis, "set needs --status");
	if (!ctp_enroll_status_ok(op->status))
		return ctp_cli_usage(synopsis, "--status: requested, "
		    "submitted, in_process, approved, denied or withdrawn");
	if (op->effective && ctp_date_parse(op->effective, &eff) < 0)
		return ctp_cli_usage(synopsis, "--effective: not a date");
	if (ctp_ctx_open(&c, ctp_progname, op->db, CTP_PERM_WORK, &e))
		return ctp_cli_fail(&e);
	if ((rc = today(c, op, &day, &e)) == 0)
		rc = ctp_enroll_set(c, id, op->status,
		    op->effective ? eff : day, day, op->note, &e);
	ctp_ctx_close(c);
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}

static int
list(const struct opts *op, int nargs)
{
	struct ctp_enroll_filter f;
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_out *o = NULL;
	int rc;

	ctp_error_clear(&e);
	if (nargs != 0)
		return ctp_cli_usage(synopsis, "list takes no operand");
	if (ctp_ctx_open(&c, ctp_progname, op->db, CTP_PERM_READ, &e))
		return ctp_cli_fail(&e);
	memset(&f, 0, sizeof(f));
	f.open = op->open;
	f.payer = op->payer;
	if ((rc = today(c, op, &f.as_of, &e)) == 0) {
		o = ctp_out_new(stdout, ctp_out_choose(op->json, op->csv,
		    stdout), ctp_enroll_columns, CTP_ENROLL_NCOLUMNS, 0);
		if (o == NULL)
			rc = ctp_err_nomem(&e, "output");
		else
			rc = ctp_enroll_list(c, &f, o, &e);
	}
	ctp_ctx_close(c);
	if (o != NULL && rc != 0)
		ctp_out_free(o);
	else if (o != NULL && ctp_out_close(o, &e) != 0)
		rc = e.code;
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}

/* Options that belong to one verb only. */
static int
misplaced(const struct opts *op, const char *verb)
{
	int is_add = strcmp(verb, "add") == 0, is_set = strcmp(verb, "set") == 0;
	int is_list = strcmp(verb, "list") == 0;

	if ((op->line || op->requested) && !is_add)
		return ctp_cli_usage(synopsis, "--line and --requested apply "
		    "to add");
	if ((op->status || op->effective || op->note) && !is_set)
		return ctp_cli_usage(synopsis, "--status, --effective and "
		    "--note apply to set");
	if (op->open && !is_list)
		return ctp_cli_usage(synopsis, "--open applies to list");
	if (op->payer && !is_add && !is_list)
		return ctp_cli_usage(synopsis, "--payer applies to add and "
		    "list");
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'A' },
		{ "csv", no_argument, NULL, 'C' },
		{ "db", required_argument, NULL, 'd' },
		{ "effective", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "line", required_argument, NULL, 'l' },
		{ "note", required_argument, NULL, 'n' },
		{ "open", no_argument, NULL, 'o' },
		{ "payer", required_argument, NULL, 'p' },
		{ "requested", required_argument, NULL, 'r' },
		{ "status", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts op;
	const char *verb;
	long day;
	int ch, nargs, rc;

	ctp_cli_init(argc, argv);
	memset(&op, 0, sizeof(op));
	while ((ch = getopt_long(argc, argv, "d:e:hjl:n:op:r:s:V", opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'A':
			op.as_of = optarg;
			break;
		case 'C':
			op.csv = 1;
			break;
		case 'd':
			op.db = optarg;
			break;
		case 'e':
			op.effective = optarg;
			break;
		case 'h':
			help();
			return ctp_cli_finish(0);
		case 'j':
			op.json = 1;
			break;
		case 'l':
			op.line = optarg;
			break;
		case 'n':
			op.note = optarg;
			break;
		case 'o':
			op.open = 1;
			break;
		case 'p':
			op.payer = optarg;
			break;
		case 'r':
			op.requested = optarg;
			break;
		case 's':
			op.status = optarg;
			break;
		case 'V':
			return ctp_cli_version();
		default:
			return ctp_cli_usage(synopsis, NULL);
		}
	}
	if (optind >= argc)
		return ctp_cli_usage(synopsis, "missing command");
	verb = argv[optind++];
	nargs = argc - optind;
	if (op.as_of != NULL && ctp_parse_as_of(op.as_of, &day) < 0)
		return ctp_cli_usage(synopsis, "--as-of: not a date");
	if (op.line && !ctp_enroll_line_ok(op.line))
		return ctp_cli_usage(synopsis, "--line: medicare, medicaid or "
		    "commercial");
	if ((rc = misplaced(&op, verb)) != 0)
		return rc;
	if (strcmp(verb, "add") == 0)
		return add(&op, nargs, argv + optind);
	if (strcmp(verb, "set") == 0)
		return set(&op, nargs, argv + optind);
	if (strcmp(verb, "list") == 0)
		return list(&op, nargs);
	return ctp_cli_usage(synopsis, "unknown command: %s", verb);
}
