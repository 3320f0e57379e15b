/* ctp-psv - the primary-source verification log: add, list, queue. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"
#include "org.h"
#include "out.h"
#include "psv_log.h"

static const char synopsis[] =
    "ctp-psv [--db FILE] [--json|--csv|--format FMT] add NPI --source SOURCE\n"
    "       --method METHOD --result RESULT [--credential ID] "
    "[--reference TEXT]\n"
    "       [--note TEXT] [--date DATE] [--corrects ENTRY] |\n"
    "       list [NPI] [--since DATE] [--source SOURCE] [--credential ID] |\n"
    "       queue [--as-of DATE] [--fail-if-any]";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  add NPI                record a verification done by hand\n"
	    "                         (coordinator)\n"
	    "  list [NPI]             the log, oldest first\n"
	    "  queue                  credentials to verify: never_verified,\n"
	    "                         changed, failed, stale\n\n"
	    "  -a, --as-of DATE       queue: count days from DATE (default:\n"
	    "                         today)\n"
	    "      --corrects ENTRY   add: the entry this one corrects\n"
	    "  -c, --credential ID    add: the credential verified; list: "
	    "only its\n"
	    "      --csv              CSV output even on a terminal\n"
	    "  -d, --db FILE          organization database\n"
	    "      --date DATE        add: the day of the check (default: "
	    "today)\n"
	    "  -f, --fail-if-any      queue: exit 1 when anything is listed; "
	    "print\n"
	    "                         nothing when nothing is (cron)\n"
	    "      --format FMT       csv, jsonl or table\n"
	    "  -h, --help             this help\n"
	    "  -j, --json             JSON Lines output\n"
	    "  -m, --method M         add: api, web, phone, letter, email, "
	    "file\n"
	    "      --note TEXT        add: a note kept with the entry\n"
	    "      --reference TEXT   add: confirmation number, letter date\n"
	    "  -r, --result R         add: verified, discrepancy, not_found,\n"
	    "                         excluded, error\n"
	    "  -s, --source S         add: where it was verified; list: only "
	    "S\n"
	    "      --since DATE       list: checks done on DATE or after\n"
	    "  -V, --version          print the version\n", synopsis);
}

struct args {
	const char *db, *verb, *since, *format;
	struct ctp_psv_hand h;
	long as_of;
	int json, csv, fail_if_any, have_as_of;
	unsigned used;		/* ADD_ONLY, LIST_ONLY, QUEUE_ONLY bits */
};
#define ADD_ONLY	1u
#define LIST_ONLY	2u
#define QUEUE_ONLY	4u
#define ADD_OR_LIST	8u

static int
open_out(struct args *a, const struct ctp_col *cols, size_t n,
    struct ctp_out **o, struct ctp_error *e)
{
	enum ctp_fmt f = ctp_out_choose(a->json, a->csv, stdout);

	if (a->format && strcmp(a->format, "csv") == 0)
		f = CTP_FMT_CSV;
	else if (a->format && strcmp(a->format, "jsonl") == 0)
		f = CTP_FMT_JSON;
	else if (a->format)
		f = CTP_FMT_TABLE;
	if ((*o = ctp_out_new(stdout, f, cols, n, 0)) == NULL)
		return ctp_err_nomem(e, "output");
	return 0;
}

static int
do_add(struct ctp_ctx *c, struct args *a, struct ctp_error *e)
{
	long long id;
	int rc;

	if ((rc = ctp_psv_record(c, &a->h, &id, e)) == 0)
		printf("%lld\n", id);
	return rc;
}

static int
do_list(struct ctp_ctx *c, struct args *a, struct ctp_error *e)
{
	struct ctp_psv_filter f = { a->h.npi, a->since, a->h.source,
	    a->h.credential_id };
	struct ctp_out *o;
	int rc;

	if ((rc = open_out(a, ctp_psv_log_columns, CTP_PSV_LOG_NCOLUMNS, &o,
	    e)) != 0)
		return rc;
	if ((rc = ctp_psv_list(c, &f, o, e)) != 0) {
		ctp_out_free(o);
		return rc;
	}
	return ctp_out_close(o, e);
}

static int
do_queue(struct ctp_ctx *c, struct args *a, struct ctp_error *e)
{
	struct ctp_out *o;
	long long n;
	int rc;

	if (!a->have_as_of && ctp_org_today(c->db, &a->as_of, e))
		return e->code;
	if ((rc = open_out(a, ctp_psv_queue_columns, CTP_PSV_QUEUE_NCOLUMNS,
	    &o, e)) != 0)
		return rc;
	if ((rc = ctp_psv_queue(c, a->as_of, o, &n, e)) != 0 ||
	    (a->fail_if_any && n == 0)) {
		/* For cron: nothing printed when nothing is due. */
		ctp_out_free(o);
		return rc;
	}
	if ((rc = ctp_out_close(o, e)) != 0)
		return rc;
	return a->fail_if_any ? CTP_ATTN : 0;
}

/* The verb's operands and which options it takes; a usage error or 0. */
static int
check_verb(struct args *a, int nargs, char **rest)
{
	static const struct { const char *verb; unsigned ok; } v[] = {
		{ "add", ADD_ONLY | ADD_OR_LIST },
		{ "list", LIST_ONLY | ADD_OR_LIST },
		{ "queue", QUEUE_ONLY },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (strcmp(a->verb, v[i].verb) == 0)
			break;
	if (i == sizeof(v) / sizeof(v[0]))
		return ctp_cli_usage(synopsis, "unknown command: %s", a->verb);
	if (a->used & ~v[i].ok)
		return ctp_cli_usage(synopsis, "an option that %s does not "
		    "take", a->verb);
	if (i == 0 && nargs != 1)
		return ctp_cli_usage(synopsis, "add needs NPI");
	if (i == 0 && (a->h.source == NULL || a->h.method == NULL ||
	    a->h.result == NULL))
		return ctp_cli_usage(synopsis, "add needs --source, --method "
		    "and --result");
	if (i == 1 && nargs > 1)
		return ctp_cli_usage(synopsis, "list takes at most one NPI");
	if (i == 2 && nargs > 0)
		return ctp_cli_usage(synopsis, "queue takes no operand");
	a->h.npi = nargs ? rest[0] : NULL;
	return 0;
}

/* An entry or credential id: a usage error names the option. */
static int
parse_id(const char *s, const char *opt, long long *id)
{
	long v;

	if (ctp_parse_long(s, 1, 0x7fffffffL, &v) < 0)
		return ctp_cli_usage(synopsis, "%s: a number from list", opt);
	*id = v;
	return 0;
}

static int
parse(struct args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "corrects", required_argument, NULL, 'X' },
		{ "credential", required_argument, NULL, 'c' },
		{ "csv", no_argument, NULL, 'C' },
		{ "date", required_argument, NULL, 'D' },
		{ "db", required_argument, NULL, 'd' },
		{ "fail-if-any", no_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "method", required_argument, NULL, 'm' },
		{ "note", required_argument, NULL, 'N' },
		{ "reference", required_argument, NULL, 'R' },
		{ "result", required_argument, NULL, 'r' },
		{ "since", required_argument, NULL, 'S' },
		{ "source", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "a:c:d:fhjm:r:s:V", opts, NULL))
	    != -1) {
		switch (ch) {
		case 'a':
			if (ctp_parse_as_of(optarg, &a->as_of) < 0)
				return ctp_cli_usage(synopsis,
				    "--as-of: not a date (YYYY-MM-DD)");
			a->have_as_of = 1;
			a->used |= QUEUE_ONLY;
			break;
		case 'c':
			if ((rc = parse_id(optarg, "--credential",
			    &a->h.credential_id)) != 0)
				return rc;
			a->used |= ADD_OR_LIST;
			break;
		case 'C':
			a->csv = 1;
			break;
		case 'd':
			a->db = optarg;
			break;
		case 'D':
			a->h.date = optarg;
			a->used |= ADD_ONLY;
			break;
		case 'f':
			a->fail_if_any = 1;
			a->used |= QUEUE_ONLY;
			break;
		case 'F':
			if (strcmp(optarg, "csv") && strcmp(optarg, "jsonl") &&
			    strcmp(optarg, "table"))
				return ctp_cli_usage(synopsis, "--format: csv, "
				    "jsonl or table");
			a->format = optarg;
			break;
		case 'h':
			help();
			return ctp_cli_finish(0) ? CTP_IOERR : -1;
		case 'j':
			a->json = 1;
			break;
		case 'm':
			a->h.method = optarg;
			a->used |= ADD_ONLY;
			break;
		case 'N':
			a->h.note = optarg;
			a->used |= ADD_ONLY;
			break;
		case 'R':
			a->h.reference = optarg;
			a->used |= ADD_ONLY;
			break;
		case 'r':
			a->h.result = optarg;
			a->used |= ADD_ONLY;
			break;
		case 'S':
			a->since = optarg;
			a->used |= LIST_ONLY;
			break;
		case 's':
			a->h.source = optarg;
			a->used |= ADD_OR_LIST;
			break;
		case 'V':
			ctp_cli_version();
			return -1;
		case 'X':
			if ((rc = parse_id(optarg, "--corrects",
			    &a->h.corrects)) != 0)
				return rc;
			a->used |= ADD_ONLY;
			break;
		default:
			return ctp_cli_usage(synopsis, NULL);
		}
	}
	if (optind >= argc)
		return ctp_cli_usage(synopsis, "missing command");
	a->verb = argv[optind++];
	return check_verb(a, argc - optind, argv + optind);
}

int
main(int argc, char **argv)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	struct args a;
	int rc;

	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	memset(&a, 0, sizeof(a));
	if ((rc = parse(&a, argc, argv)) != 0)
		return rc < 0 ? ctp_cli_finish(0) : rc;
	/* Coordinators write the log; every role may read it. */
	if (ctp_ctx_open(&c, ctp_progname, a.db, strcmp(a.verb, "add") == 0 ?
	    CTP_PERM_WORK : CTP_PERM_READ, &e))
		return ctp_cli_fail(&e);
	if (strcmp(a.verb, "add") == 0)
		rc = do_add(c, &a, &e);
	else if (strcmp(a.verb, "list") == 0)
		rc = do_list(c, &a, &e);
	else
		rc = do_queue(c, &a, &e);
	ctp_ctx_close(c);
	if (e.code != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(rc);
}
