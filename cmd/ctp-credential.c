/* ctp-credential - a provider's licenses, DEA, board and other credentials. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "cli.h"
#include "credential.h"
#include "out.h"

static const char synopsis[] =
    "ctp-credential [--db FILE] [--json|--csv] list [NPI] | "
    "add NPI --kind KIND [--expires DATE] [--issued DATE] "
    "[--issuer NAME] [--number N] [--state S] | "
    "set ID FIELD VALUE [--note TEXT] | retire ID [--note TEXT]";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  list [NPI]          credentials (active and retired)\n"
	    "  add NPI             add a credential (coordinator)\n"
	    "  set ID FIELD VALUE  change number, state, issuer, issued,\n"
	    "                      expires or verification\n"
	    "  retire ID           retire a credential (kept, not deleted)\n\n"
	    "      --csv           CSV output even on a terminal\n"
	    "  -d, --db FILE       organization database\n"
	    "  -e, --expires DATE  add: expiration date\n"
	    "  -h, --help          this help\n"
	    "  -i, --issued DATE   add: issue date\n"
	    "      --issuer NAME   add: issuing board, carrier or body\n"
	    "  -j, --json          JSON Lines output\n"
	    "  -k, --kind KIND     add: state_license, dea, cds, board_cert,\n"
	    "                      malpractice, caqh_attestation, cme,\n"
	    "                      hospital_privileges\n"
	    "      --note TEXT     set, retire: why, kept in the history\n"
	    "  -n, --number N      add: license, registration or policy "
	    "number\n"
	    "  -s, --state S       add: issuing state (USPS code)\n"
	    "  -V, --version       print the version\n", synopsis);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csv", no_argument, NULL, 'C' },
		{ "db", required_argument, NULL, 'd' },
		{ "expires", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "issued", required_argument, NULL, 'i' },
		{ "issuer", required_argument, NULL, 'I' },
		{ "json", no_argument, NULL, 'j' },
		{ "kind", required_argument, NULL, 'k' },
		{ "note", required_argument, NULL, 'N' },
		{ "number", required_argument, NULL, 'n' },
		{ "state", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_credential cr;
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_out *o;
	const char *db = NULL, *verb, *note = NULL;
	int ch, json = 0, csv = 0, rc, nargs, addopt = 0;
	long id = 0;
	long long newid;

	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	memset(&cr, 0, sizeof(cr));
	while ((ch = getopt_long(argc, argv, "d:e:hi:jk:n:s:V", opts, NULL))
	    != -1) {
		switch (ch) {
		case 'C':
			csv = 1;
			break;
		case 'd':
			db = optarg;
			break;
		case 'e':
			cr.expires = optarg;
			addopt = 1;
			break;
		case 'h':
			help();
			return ctp_cli_finish(0);
		case 'i':
			cr.issued = optarg;
			addopt = 1;
			break;
		case 'I':
			cr.issuer = optarg;
			addopt = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'k':
			cr.kind = optarg;
			addopt = 1;
			break;
		case 'N':
			note = optarg;
			break;
		case 'n':
			cr.number = optarg;
			addopt = 1;
			break;
		case 's':
			cr.state = optarg;
			addopt = 1;
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
	if (addopt && strcmp(verb, "add") != 0)
		return ctp_cli_usage(synopsis, "credential options apply to "
		    "add only");
	if (note && strcmp(verb, "set") != 0 && strcmp(verb, "retire") != 0)
		return ctp_cli_usage(synopsis, "--note applies to set and "
		    "retire");
	if (strcmp(verb, "list") == 0) {
		if (nargs > 1)
			return ctp_cli_usage(synopsis, "list takes at most "
			    "one NPI");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_READ, &e))
			return ctp_cli_fail(&e);
		o = ctp_out_new(stdout, ctp_out_choose(json, csv, stdout),
		    ctp_credential_columns, CTP_CREDENTIAL_NCOLUMNS, 0);
		if (o == NULL)
			rc = ctp_err_nomem(&e, "output");
		else if ((rc = ctp_credential_list(c, nargs ? argv[optind] :
		    NULL, o, &e)) == 0)
			rc = ctp_out_close(o, &e);
		else
			ctp_out_free(o);
	} else if (strcmp(verb, "add") == 0) {
		if (nargs != 1)
			return ctp_cli_usage(synopsis, "add needs NPI");
		if (cr.kind == NULL)
			return ctp_cli_usage(synopsis, "add needs --kind");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_WORK, &e))
			return ctp_cli_fail(&e);
		rc = ctp_credential_add(c, argv[optind], &cr, &newid, &e);
		if (rc == 0)
			printf("%lld\n", newid);
	} else if (strcmp(verb, "set") == 0 || strcmp(verb, "retire") == 0) {
		if (nargs != (verb[0] == 's' ? 3 : 1))
			return ctp_cli_usage(synopsis, verb[0] == 's' ?
			    "set needs ID FIELD VALUE" : "retire needs ID");
		if (ctp_parse_long(argv[optind], 1, 0x7fffffffL, &id) < 0)
			return ctp_cli_usage(synopsis, "ID: a credential "
			    "number from list");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_WORK, &e))
			return ctp_cli_fail(&e);
		if (verb[0] == 's')
			rc = ctp_credential_set(c, id, argv[optind + 1],
			    argv[optind + 2], note, &e);
		else
			rc = ctp_credential_retire(c, id, note, &e);
	} else
		return ctp_cli_usage(synopsis, "unknown command: %s", verb);
	ctp_ctx_close(c);
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}
