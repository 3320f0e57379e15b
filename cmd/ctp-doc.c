/* ctp-doc - documents providers send: add, intake, list, show, get. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "cli.h"
#include "doc.h"
#include "doc_intake.h"
#include "out.h"
#include "suggest.h"
#include "validate.h"

static const char synopsis[] =
    "ctp-doc [--db FILE] [--json|--csv] add NPI FILE... --kind KIND "
    "[--credential ID] | intake DIR | list [NPI] [--since DATE] | "
    "show ID | get ID [-o FILE [--force]] | extract ID";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  add NPI FILE...       store documents (coordinator)\n"
	    "  intake DIR            store a drop folder's files "
	    "(coordinator)\n"
	    "  list [NPI]            documents, oldest first\n"
	    "  show ID               one document's record\n"
	    "  get ID                a document's content (a download)\n"
	    "  extract ID            read a document's values again "
	    "(coordinator)\n\n"
	    "  -c, --credential ID   add: the credential it documents\n"
	    "      --csv             CSV output even on a terminal\n"
	    "  -d, --db FILE         organization database\n"
	    "  -f, --force           get: replace an existing FILE\n"
	    "  -h, --help            this help\n"
	    "  -j, --json            JSON Lines output\n"
	    "  -k, --kind KIND       add: license, dea, malpractice, "
	    "board_cert,\n"
	    "                        cv, attestation, other\n"
	    "  -o, --output FILE     get: write FILE, not standard output\n"
	    "  -s, --since DATE      list: added on or after DATE\n"
	    "  -V, --version         print the version\n", synopsis);
}

/*
 * What runs inside each add's transaction, for add and intake alike
 * (doc.h, ctp_doc_hook): extraction (suggest.h).
 */
static struct ctp_extract_result xr;
#define ADD_HOOK	ctp_extract_hook
#define ADD_HOOK_ARG	(&xr)

/* A word on stderr when a document was stored but could not be read. */
static void
tell_extraction(const char *file)
{
	if (xr.extraction_id && strcmp(xr.status, "ok") != 0)
		ctp_msgf(stderr, "%s: %s: extraction %s: %s", ctp_progname,
		    file, xr.status, xr.reason);
	else if (xr.extraction_id && xr.model[0] && strcmp(xr.model, "ok"))
		ctp_msgf(stderr, "%s: %s: model extractor: %s", ctp_progname,
		    file, xr.model);
}

struct opts {
	const char *db, *kind, *since, *output;
	long credential;
	int json, csv, force;
};

static int
cmd_add(struct ctp_ctx *c, const struct opts *op, int n, char **files,
    struct ctp_error *e)
{
	struct ctp_doc_add a;
	struct ctp_doc_added r;
	struct ctp_error fe;
	int i, rc = 0;

	memset(&a, 0, sizeof(a));
	a.npi = files[0];
	a.kind = op->kind;
	a.credential_id = op->credential;
	a.hook = ADD_HOOK;
	a.hook_arg = ADD_HOOK_ARG;
	for (i = 1; i < n; i++) {
		ctp_error_clear(&fe);
		memset(&xr, 0, sizeof(xr));
		a.name = strcmp(files[i], "-") == 0 ? "stdin" : NULL;
		if ((a.name ? ctp_doc_add_fd(c, &a, 0, &r, &fe) :
		    ctp_doc_add_path(c, &a, files[i], &r, &fe)) != 0) {
			ctp_error_print(ctp_progname, &fe);
			*e = fe;
			rc = fe.code;
			continue;
		}
		if (r.existing)
			ctp_msgf(stderr, "%s: %s: already stored as document "
			    "%lld", ctp_progname, files[i], r.id);
		else
			tell_extraction(files[i]);
		printf("%lld\n", r.id);
	}
	return rc;
}

static int
cmd_list(struct ctp_ctx *c, const struct opts *op, const char *verb,
    const char *arg, long long id, struct ctp_error *e)
{
	struct ctp_out *o;
	long long n = 0, stored = 0, rejected = 0;
	int rc;

	if (strcmp(verb, "list") == 0)
		o = ctp_out_new(stdout, ctp_out_choose(op->json, op->csv,
		    stdout), ctp_doc_columns, CTP_DOC_NCOLUMNS, 0);
	else if (strcmp(verb, "show") == 0)
		o = ctp_out_new(stdout, ctp_out_choose(op->json, op->csv,
		    stdout), ctp_doc_show_columns, CTP_DOC_SHOW_NCOLUMNS, 0);
	else
		o = ctp_out_new(stdout, ctp_out_choose(op->json, op->csv,
		    stdout), ctp_doc_intake_columns, CTP_DOC_INTAKE_NCOLUMNS,
		    0);
	if (o == NULL)
		return ctp_err_nomem(e, "output");
	if (strcmp(verb, "list") == 0)
		rc = ctp_doc_list(c, arg, op->since, o, &n, e);
	else if (strcmp(verb, "show") == 0)
		rc = ctp_doc_show(c, id, o, e);
	else
		rc = ctp_doc_intake(c, arg, ADD_HOOK, ADD_HOOK_ARG, o,
		    &stored, &rejected, e);
	if (rc != 0) {
		ctp_out_free(o);
		return rc;
	}
	if ((rc = ctp_out_close(o, e)) != 0)
		return rc;
	if (strcmp(verb, "intake") == 0 && (stored || rejected))
		ctp_msgf(stderr, "%s: %lld stored, %lld rejected", ctp_progname,
		    stored, rejected);
	return rejected ? CTP_ATTN : 0;
}

/* extract ID: read the document again; its values as rows. */
static int
cmd_extract(struct ctp_ctx *c, const struct opts *op, long long id,
    struct ctp_error *e)
{
	struct ctp_out *o;
	struct ctp_doc d;
	char sid[32];
	int rc;

	memset(&d, 0, sizeof(d));
	if ((rc = ctp_doc_get(c->db, id, &d, e)) != 0)
		return rc;
	snprintf(sid, sizeof(sid), "%lld", id);
	if (ctp_extract_credential_kind(d.kind) == NULL) {
		rc = ctp_errf(e, CTP_DATAERR, sid, "a document of kind %s has "
		    "no credential values to read", d.kind);
		ctp_doc_clear(&d);
		return rc;
	}
	memset(&xr, 0, sizeof(xr));
	if ((rc = ctp_extract_run(c, id, &xr, e)) != 0) {
		ctp_doc_clear(&d);
		return rc;
	}
	tell_extraction(sid);
	o = ctp_out_new(stdout, ctp_out_choose(op->json, op->csv, stdout),
	    ctp_extract_columns, CTP_EXTRACT_NCOLUMNS, 0);
	if (o == NULL)
		rc = ctp_err_nomem(e, "output");
	else if ((rc = ctp_extract_report(&xr, d.kind, o, e)) != 0)
		ctp_out_free(o);
	else
		rc = ctp_out_close(o, e);
	ctp_doc_clear(&d);
	if (rc == 0 && strcmp(xr.status, "ok") != 0)
		rc = CTP_ATTN;
	return rc;
}

/* Options apply to their verbs only; 0 or the usage error's code. */
static int
check_usage(const char *verb, int nargs, const struct opts *op)
{
	int add = strcmp(verb, "add") == 0, list = strcmp(verb, "list") == 0,
	    get = strcmp(verb, "get") == 0;

	if (!add && !list && !get && strcmp(verb, "intake") &&
	    strcmp(verb, "show") && strcmp(verb, "extract"))
		return ctp_cli_usage(synopsis, "unknown command: %s", verb);

	if ((op->kind || op->credential) && !add)
		return ctp_cli_usage(synopsis, "--kind and --credential apply "
		    "to add only");
	if (op->since && !list)
		return ctp_cli_usage(synopsis, "--since applies to list only");
	if ((op->output || op->force) && !get)
		return ctp_cli_usage(synopsis, "--output and --force apply to "
		    "get only");
	if (op->kind && !ctp_doc_kind_valid(op->kind))
		return ctp_cli_usage(synopsis, "--kind: %s",
		    CTP_DOC_KIND_UNKNOWN);
	if (add && (nargs < 2 || op->kind == NULL))
		return ctp_cli_usage(synopsis, "add needs NPI, FILE and "
		    "--kind");
	if (list && nargs > 1)
		return ctp_cli_usage(synopsis, "list takes at most one NPI");
	if (!add && !list && nargs != 1)
		return ctp_cli_usage(synopsis, "%s needs one argument", verb);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "credential", required_argument, NULL, 'c' },
		{ "csv", no_argument, NULL, 'C' },
		{ "db", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "kind", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ "since", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts op;
	struct ctp_error e;
	struct ctp_ctx *c;
	const char *verb;
	char since[11];
	long id = 0;
	int ch, rc, nargs;

	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	memset(&op, 0, sizeof(op));
	while ((ch = getopt_long(argc, argv, "c:d:fhjk:o:s:V", lopts, NULL))
	    != -1) {
		switch (ch) {
		case 'c':
			if (ctp_parse_long(optarg, 1, 0x7fffffffL,
			    &op.credential) < 0)
				return ctp_cli_usage(synopsis, "--credential: "
				    "a credential id from ctp-credential list");
			break;
		case 'C':
			op.csv = 1;
			break;
		case 'd':
			op.db = optarg;
			break;
		case 'f':
			op.force = 1;
			break;
		case 'h':
			help();
			return ctp_cli_finish(0);
		case 'j':
			op.json = 1;
			break;
		case 'k':
			op.kind = optarg;
			break;
		case 'o':
			op.output = optarg;
			break;
		case 's':
			if (ctp_check_date(optarg, since) != NULL)
				return ctp_cli_usage(synopsis, "--since: not "
				    "a date");
			op.since = since;
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
	if ((rc = check_usage(verb, nargs, &op)) != 0)
		return rc;
	if ((!strcmp(verb, "show") || !strcmp(verb, "get") ||
	    !strcmp(verb, "extract")) &&
	    ctp_parse_long(argv[optind], 1, 0x7fffffffL, &id) < 0)
		return ctp_cli_usage(synopsis, "ID: a document number from "
		    "list");
	if (ctp_ctx_open(&c, ctp_progname, op.db, !strcmp(verb, "add") ||
	    !strcmp(verb, "intake") || !strcmp(verb, "extract") ?
	    CTP_PERM_WORK : CTP_PERM_READ, &e))
		return ctp_cli_fail(&e);
	if (strcmp(verb, "add") == 0)
		rc = cmd_add(c, &op, nargs, argv + optind, &e);
	else if (strcmp(verb, "get") == 0)
		rc = ctp_doc_download(c, id, op.output, op.force, &e);
	else if (strcmp(verb, "extract") == 0)
		rc = cmd_extract(c, &op, id, &e);
	else
		rc = cmd_list(c, &op, verb, nargs ? argv[optind] : NULL, id,
		    &e);
	ctp_ctx_close(c);
	if (rc == CTP_ATTN)
		return ctp_cli_finish(rc);
	if (rc != 0 && strcmp(verb, "add") == 0)
		return ctp_cli_finish(rc);	/* each file's error is printed */
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}
