/* ctp-init - create an organization database; the caller becomes owner. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "org.h"

static const char synopsis[] =
    "ctp-init --name NAME [--recred-months N] [--db FILE]";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "Create an organization database.  The caller becomes its owner.\n"
	    "  -d, --db FILE          database to create (default $CTP_DB, then\n"
	    "                         $XDG_DATA_HOME/ctp/ctp.db; in a team\n"
	    "                         install /var/lib/ctp/ctp.db)\n"
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
	const char *dbopt = NULL, *name = NULL;
	long months = 36;
	int ch;

	ctp_cli_init(argc, argv);
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
	if (ctp_org_create(ctp_progname, dbopt, name, months, &e) != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}
