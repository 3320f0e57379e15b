/* ctp-init - create an organization database; the caller becomes owner. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "cli.h"
#include "db.h"
#include "org.h"
#include "user.h"

static const char synopsis[] =
    "ctp-init --name NAME [--recred-months N] [--db FILE]";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "Create an organization database.  The caller becomes its owner.\n"
	    "  -d, --db FILE          database to create (default $CTP_DB, then\n"
	    "                         $XDG_DATA_HOME/ctp/ctp.db)\n"
	    "  -n, --name NAME        organization name\n"
	    "  -r, --recred-months N  months between re-credentialings (36)\n"
	    "  -h, --help             this help\n"
	    "  -V, --version          print the version\n", synopsis);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "name", required_argument, NULL, 'n' },
		{ "recred-months", required_argument, NULL, 'r' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_error e;
	struct ctp_ctx *c = NULL;
	const char *dbopt = NULL, *name = NULL;
	char *path = NULL;
	long months = 36;
	sqlite3 *db;
	int ch, rc;

	ctp_cli_init(argv[0]);
	ctp_error_clear(&e);
	while ((ch = getopt_long(argc, argv, "d:hn:r:V", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dbopt = optarg;
			break;
		case 'h':
			help();
			return ctp_cli_finish(0);
		case 'n':
			name = optarg;
			break;
		case 'r':
			if (ctp_parse_long(optarg, 1, 120, &months) < 0)
				return ctp_cli_usage(synopsis, "--recred-months: "
				    "must be a whole number from 1 to 120");
			break;
		case 'V':
			return ctp_cli_version();
		default:
			return ctp_cli_usage(synopsis, NULL);
		}
	}
	if (optind != argc)
		return ctp_cli_usage(synopsis, "unexpected argument: %s",
		    argv[optind]);
	if (name == NULL)
		return ctp_cli_usage(synopsis, "--name is required");
	if (ctp_db_resolve(dbopt, &path, &e) ||
	    ctp_db_create(&db, path, &e) ||
	    ctp_ctx_wrap(&c, ctp_progname, path, db, &e)) {
		free(path);
		return ctp_cli_fail(&e);
	}
	if ((rc = ctp_db_begin(c->db, &e)) == 0 &&
	    (rc = ctp_user_add_owner(c, &e)) == 0 &&
	    (rc = ctp_org_init(c, name, months, &e)) == 0)
		rc = ctp_db_commit(c->db, &e);
	ctp_ctx_close(c);
	if (rc != 0) {
		ctp_db_remove(path);
		free(path);
		return ctp_cli_fail(&e);
	}
	free(path);
	return ctp_cli_finish(0);
}
