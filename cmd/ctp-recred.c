/* ctp-recred - re-credentialing cycles: start, requests, complete. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"
#include "date.h"
#include "input.h"
#include "mem.h"
#include "org.h"
#include "out.h"
#include "priv.h"
#include "recred.h"

static const char synopsis[] =
    "ctp-recred [--db FILE] [--json|--csv] start [--as-of DATE]"
    " NPI ... | -\n"
    "       ctp-recred [--db FILE] [--json|--csv] requests [--open]"
    " [--mail] [NPI]\n"
    "       ctp-recred [--db FILE] fulfil ID ... [--date DATE]"
    " [--note TEXT]\n"
    "       ctp-recred [--db FILE] [--json|--csv] list [--open]\n"
    "       ctp-recred [--db FILE] complete NPI --decision"
    " approved|denied --date DATE";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  start     open a cycle for each provider, run its verifiers,\n"
	    "            request the documents due; exit 1 when a document\n"
	    "            is requested or a check is not verified\n"
	    "  requests  document requests, one row per provider and "
	    "document\n"
	    "  fulfil    mark document requests fulfilled\n"
	    "  list      cycles\n"
	    "  complete  close the provider's open cycle with the decision\n"
	    "\n"
	    "      --as-of DATE       start: the day the cycle opens; fulfil,\n"
	    "                         complete: today (default: today in the\n"
	    "                         organization's time zone)\n"
	    "      --csv              CSV output even on a terminal\n"
	    "  -d, --db FILE          organization database\n"
	    "      --date DATE        complete: the decision's date; fulfil:\n"
	    "                         the day the document came (today)\n"
	    "      --decision WHAT    complete: approved or denied\n"
	    "  -h, --help             this help\n"
	    "  -j, --json             JSON Lines output\n"
	    "  -m, --mail             requests: mail each provider its open\n"
	    "                         requests through sendmail(1); exit 1\n"
	    "                         when one could not be mailed\n"
	    "  -n, --note TEXT        fulfil: how it came, or why it is "
	    "waived\n"
	    "  -o, --open             requests, list: only the open ones\n"
	    "  -V, --version          print the version\n", synopsis);
}

struct opts {
	const char *db, *note, *decision, *date, *as_of;
	int json, csv, open, mail;
};

static void
warn_line(void *arg, const char *msg)
{
	(void)arg;
	ctp_warnx("%s", msg);
}

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

static struct ctp_out *
new_out(const struct opts *op, const struct ctp_col *cols, size_t n,
    struct ctp_error *e)
{
	struct ctp_out *o;

	o = ctp_out_new(stdout, ctp_out_choose(op->json, op->csv, stdout),
	    cols, n, 0);
	if (o == NULL)
		ctp_err_nomem(e, "output");
	return o;
}

static int
start(const struct opts *op, int nargs, char **args)
{
	struct ctp_error e;
	struct ctp_ctx *c = NULL;
	struct ctp_out *o = NULL;
	char **npis = NULL;
	size_t n = 0, attn = 0;
	long day;
	int rc;

	ctp_error_clear(&e);
	if (nargs == 0)
		return ctp_cli_usage(synopsis, "start needs NPI ... or -");
	if (nargs == 1 && strcmp(args[0], "-") == 0) {
		if (isatty(0))
			return ctp_cli_usage(synopsis, "start -: reading NPIs "
			    "from a terminal; pipe a CSV or JSON Lines stream "
			    "with an npi column");
		if ((rc = ctp_input_read_npis("-", &npis, &n, &e)) != 0)
			goto done;
		if (n == 0) {
			ctp_warnx("no providers on standard input: no cycle "
			    "opened");
			goto done;
		}
	} else {
		npis = (char **)args;
		n = (size_t)nargs;
	}
	if ((rc = ctp_ctx_open(&c, ctp_progname, op->db, CTP_PERM_WORK, &e)))
		goto done;
	if ((rc = today(c, op, &day, &e)) != 0)
		goto done;
	if ((o = new_out(op, ctp_recred_start_columns,
	    CTP_RECRED_START_NCOLUMNS, &e)) == NULL) {
		rc = e.code;
		goto done;
	}
	rc = ctp_recred_start(c, (const char *const *)npis, n, day, warn_line,
	    NULL, o, &attn, &e);
	/* Refused before anything was written: no output at all. */
	if (rc == CTP_DATAERR)
		ctp_out_free(o);
	else if (ctp_out_close(o, rc ? NULL : &e) != 0 && rc == 0)
		rc = e.code;
	if (rc == 0 && attn > 0)
		rc = CTP_ATTN;
done:
	if (npis != (char **)args)
		ctp_input_free_list(npis, n);
	ctp_ctx_close(c);
	if (rc != 0 && rc != CTP_ATTN)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(rc);
}

static int
requests(const struct opts *op, int nargs, char **args)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_out *o;
	size_t failed = 0;
	int rc;

	ctp_error_clear(&e);
	if (nargs > 1)
		return ctp_cli_usage(synopsis, "requests takes at most one "
		    "NPI");
	if (ctp_ctx_open(&c, ctp_progname, op->db, op->mail ? CTP_PERM_WORK :
	    CTP_PERM_READ, &e))
		return ctp_cli_fail(&e);
	if (op->mail) {
		/* A sendmail that quits early is its failure, not ours. */
		signal(SIGPIPE, SIG_IGN);
		if ((o = new_out(op, ctp_recred_mail_columns,
		    CTP_RECRED_MAIL_NCOLUMNS, &e)) == NULL)
			rc = e.code;
		else
			rc = ctp_recred_mail(c, nargs ? args[0] : NULL,
			    ctp_env("CTP_SENDMAIL"), o, &failed, &e);
	} else if ((o = new_out(op, ctp_recred_request_columns,
	    CTP_RECRED_REQUEST_NCOLUMNS, &e)) == NULL)
		rc = e.code;
	else
		rc = ctp_recred_requests(c, nargs ? args[0] : NULL, op->open,
		    o, &e);
	ctp_ctx_close(c);
	if (o != NULL && ctp_out_close(o, rc ? NULL : &e) != 0 && rc == 0)
		rc = e.code;
	if (rc != 0)
		return ctp_cli_fail(&e);
	if (failed > 0) {
		ctp_warnx("%zu %s not mailed", failed,
		    ctp_plural((long long)failed, "provider", "providers"));
		return ctp_cli_finish(CTP_ATTN);
	}
	return ctp_cli_finish(0);
}

static int
list(const struct opts *op, int nargs)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_out *o;
	int rc;

	ctp_error_clear(&e);
	if (nargs != 0)
		return ctp_cli_usage(synopsis, "list takes no operand");
	if (ctp_ctx_open(&c, ctp_progname, op->db, CTP_PERM_READ, &e))
		return ctp_cli_fail(&e);
	if ((o = new_out(op, ctp_recred_cycle_columns,
	    CTP_RECRED_CYCLE_NCOLUMNS, &e)) == NULL)
		rc = e.code;
	else
		rc = ctp_recred_list(c, op->open, o, &e);
	ctp_ctx_close(c);
	if (o != NULL && ctp_out_close(o, rc ? NULL : &e) != 0 && rc == 0)
		rc = e.code;
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}

static int
fulfil(const struct opts *op, int nargs, char **args)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	long long *ids;
	long day, date = 0, id;
	int i, rc = 0;

	ctp_error_clear(&e);
	if (nargs == 0)
		return ctp_cli_usage(synopsis, "fulfil needs ID ...");
	if ((ids = ctp_calloc((size_t)nargs, sizeof(*ids))) == NULL) {
		ctp_err_nomem(&e, "fulfil");
		return ctp_cli_fail(&e);
	}
	for (i = 0; i < nargs; i++) {
		if (ctp_parse_long(args[i], 1, 0x7fffffffL, &id) < 0) {
			free(ids);
			return ctp_cli_usage(synopsis, "ID: a request number "
			    "from requests");
		}
		ids[i] = id;
	}
	if (op->date != NULL && ctp_date_parse(op->date, &date) < 0) {
		free(ids);
		return ctp_cli_usage(synopsis, "--date: not a date");
	}
	if (ctp_ctx_open(&c, ctp_progname, op->db, CTP_PERM_WORK, &e)) {
		free(ids);
		return ctp_cli_fail(&e);
	}
	if ((rc = today(c, op, &day, &e)) == 0)
		rc = ctp_recred_fulfil(c, ids, (size_t)nargs,
		    op->date ? date : day, day, op->note, &e);
	free(ids);
	ctp_ctx_close(c);
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}

static int
complete(const struct opts *op, int nargs, char **args)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	long day, date;
	int rc;

	ctp_error_clear(&e);
	if (nargs != 1)
		return ctp_cli_usage(synopsis, "complete needs one NPI");
	if (op->decision == NULL || (strcmp(op->decision, "approved") != 0 &&
	    strcmp(op->decision, "denied") != 0))
		return ctp_cli_usage(synopsis, "complete needs --decision "
		    "approved or denied");
	if (op->date == NULL)
		return ctp_cli_usage(synopsis, "complete needs --date");
	if (ctp_date_parse(op->date, &date) < 0)
		return ctp_cli_usage(synopsis, "--date: not a date");
	if (ctp_ctx_open(&c, ctp_progname, op->db, CTP_PERM_WORK, &e))
		return ctp_cli_fail(&e);
	if ((rc = today(c, op, &day, &e)) == 0)
		rc = ctp_recred_complete(c, args[0], op->decision, date, day,
		    &e);
	ctp_ctx_close(c);
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'A' },
		{ "csv", no_argument, NULL, 'C' },
		{ "date", required_argument, NULL, 'D' },
		{ "db", required_argument, NULL, 'd' },
		{ "decision", required_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "mail", no_argument, NULL, 'm' },
		{ "note", required_argument, NULL, 'n' },
		{ "open", no_argument, NULL, 'o' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts op;
	const char *verb;
	long day;
	int ch, nargs;

	ctp_cli_init(argc, argv);
	memset(&op, 0, sizeof(op));
	while ((ch = getopt_long(argc, argv, "d:hjmn:oV", opts, NULL)) != -1) {
		switch (ch) {
		case 'A':
			op.as_of = optarg;
			break;
		case 'C':
			op.csv = 1;
			break;
		case 'D':
			op.date = optarg;
			break;
		case 'd':
			op.db = optarg;
			break;
		case 'X':
			op.decision = optarg;
			break;
		case 'h':
			help();
			return ctp_cli_finish(0);
		case 'j':
			op.json = 1;
			break;
		case 'm':
			op.mail = 1;
			break;
		case 'n':
			op.note = optarg;
			break;
		case 'o':
			op.open = 1;
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
	if ((op.decision || (op.date && strcmp(verb, "fulfil") != 0)) &&
	    strcmp(verb, "complete") != 0)
		return ctp_cli_usage(synopsis, "--decision and --date apply "
		    "to complete (and --date to fulfil)");
	if (op.note && strcmp(verb, "fulfil") != 0)
		return ctp_cli_usage(synopsis, "--note applies to fulfil");
	if (op.mail && strcmp(verb, "requests") != 0)
		return ctp_cli_usage(synopsis, "--mail applies to requests");
	if (op.open && strcmp(verb, "requests") != 0 &&
	    strcmp(verb, "list") != 0)
		return ctp_cli_usage(synopsis, "--open applies to requests "
		    "and list");
	if (op.as_of && (strcmp(verb, "requests") == 0 ||
	    strcmp(verb, "list") == 0))
		return ctp_cli_usage(synopsis, "--as-of applies to start, "
		    "fulfil and complete");
	if (strcmp(verb, "start") == 0)
		return start(&op, nargs, argv + optind);
	if (strcmp(verb, "requests") == 0)
		return requests(&op, nargs, argv + optind);
	if (strcmp(verb, "list") == 0)
		return list(&op, nargs);
	if (strcmp(verb, "fulfil") == 0)
		return fulfil(&op, nargs, argv + optind);
	if (strcmp(verb, "complete") == 0)
		return complete(&op, nargs, argv + optind);
	return ctp_cli_usage(synopsis, "unknown command: %s", verb);
}
