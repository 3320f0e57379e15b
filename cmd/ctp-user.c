/* ctp-user - the organization's users, roles and invitations. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "cli.h"
#include "out.h"
#include "user.h"

static const char synopsis[] =
    "ctp-user [--db FILE] [--json|--csv] list | add USER --role ROLE |\n"
    "       invite USER --role ROLE | accept | role USER ROLE | disable USER";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  list                     users, roles and status\n"
	    "  add USER --role ROLE     add an active member (owner, admin)\n"
	    "  invite USER --role ROLE  invite a user, who then runs accept\n"
	    "  accept                   accept an invitation (the invited user)\n"
	    "  role USER ROLE           change a user's role\n"
	    "  disable USER             take a user's seat away\n\n"
	    "Roles: owner, admin, coordinator, auditor.\n\n"
	    "  -d, --db FILE    organization database\n"
	    "  -j, --json       JSON Lines output\n"
	    "      --csv        CSV output even on a terminal\n"
	    "  -r, --role ROLE  role for add and invite\n"
	    "  -h, --help       this help\n"
	    "  -V, --version    print the version\n", synopsis);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csv", no_argument, NULL, 'C' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "role", required_argument, NULL, 'r' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_out *o;
	const char *db = NULL, *role = NULL, *verb;
	enum ctp_perm perm;
	int ch, json = 0, csv = 0, rc, nargs, want;

	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	while ((ch = getopt_long(argc, argv, "d:hjr:V", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			csv = 1;
			break;
		case 'd':
			db = optarg;
			break;
		case 'h':
			help();
			return ctp_cli_finish(0);
		case 'j':
			json = 1;
			break;
		case 'r':
			role = optarg;
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
	perm = CTP_PERM_ADMIN;
	if (strcmp(verb, "list") == 0) {
		want = 0;
	} else if (strcmp(verb, "add") == 0 || strcmp(verb, "invite") == 0) {
		want = 1;
		if (role == NULL)
			return ctp_cli_usage(synopsis, "%s needs --role", verb);
	} else if (strcmp(verb, "accept") == 0) {
		want = 0;
		perm = CTP_PERM_SEATLESS;
	} else if (strcmp(verb, "role") == 0) {
		want = 2;
	} else if (strcmp(verb, "disable") == 0) {
		want = 1;
	} else
		return ctp_cli_usage(synopsis, "unknown command: %s", verb);
	if (nargs != want)
		return ctp_cli_usage(synopsis, "%s takes %d argument%s", verb,
		    want, want == 1 ? "" : "s");
	if (role != NULL && strcmp(verb, "add") != 0 &&
	    strcmp(verb, "invite") != 0)
		return ctp_cli_usage(synopsis, "--role goes with add or invite");
	if (ctp_ctx_open(&c, ctp_progname, db, perm, &e))
		return ctp_cli_fail(&e);
	if (strcmp(verb, "list") == 0) {
		o = ctp_out_new(stdout, ctp_out_choose(json, csv, stdout),
		    ctp_user_columns, CTP_USER_NCOLUMNS, 0);
		if (o == NULL)
			rc = ctp_err_nomem(&e, "output");
		else if ((rc = ctp_user_list(c, o, &e)) == 0)
			rc = ctp_out_close(o, &e);
		else
			ctp_out_free(o);
	} else if (strcmp(verb, "add") == 0 || strcmp(verb, "invite") == 0)
		rc = ctp_user_add(c, argv[optind], role,
		    strcmp(verb, "invite") == 0, &e);
	else if (strcmp(verb, "accept") == 0)
		rc = ctp_user_accept(c, &e);
	else if (strcmp(verb, "role") == 0)
		rc = ctp_user_set_role(c, argv[optind], argv[optind + 1], &e);
	else
		rc = ctp_user_disable(c, argv[optind], &e);
	ctp_ctx_close(c);
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}
