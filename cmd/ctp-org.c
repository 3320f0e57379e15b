/* ctp-org - show and change organization settings. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "board.h"
#include "cli.h"
#include "credential.h"
#include "org.h"
#include "out.h"
#include "taxonomy.h"
#include "verify_config.h"
#include "verify_exec.h"

static const char synopsis[] =
    "ctp-org [--db FILE] [--json|--csv] show | set KEY VALUE | "
    "taxonomy load FILE | require [TYPE KIND...]\n"
    "       ctp-org [--db FILE] [--json|--csv] verifiers\n"
    "       ctp-org [--db FILE] verifier KIND STATE|- PROGRAM "
    "[KEY=VALUE ...]\n"
    "       ctp-org [--db FILE] verifier KIND STATE|- --remove\n"
    "       ctp-org [--db FILE] board load NAME FILE --state ST [--map MAP]"
    "\n       ctp-org [--db FILE] [--json|--csv] board list";

static void
help(void)
{
	size_t i, n;
	const struct ctp_setting *s = ctp_org_settings(&n);

	printf("usage: %s\n\n"
	    "  show             every setting and its value (any role)\n"
	    "  set KEY VALUE    change a setting (owner or admin)\n"
	    "  taxonomy load FILE  load the NUCC taxonomy CSV (owner or "
	    "admin)\n"
	    "  require          credentials required per provider type\n"
	    "  require TYPE KIND...  set them for TYPE (none, default)\n"
	    "  verifiers        the verifier of each check and credential\n"
	    "                   kind\n"
	    "  verifier KIND STATE|- PROGRAM [KEY=VALUE ...]\n"
	    "                   set the verifier of KIND in STATE (- any state;"
	    "\n"
	    "                   owner or admin); --remove removes it\n"
	    "  board load NAME FILE  load a state board's license roster\n"
	    "                   (CSV) as NAME, replacing NAME's (coordinator)\n"
	    "  board list       the board rosters loaded\n\n"
	    "  -d, --db FILE    organization database\n"
	    "  -j, --json       JSON Lines output\n"
	    "  -m, --map MAP    board load: the roster's columns, as\n"
	    "                   KEY=Column,... or a file of KEY = Column\n"
	    "  -r, --remove     verifier: remove it\n"
	    "  -s, --state ST   board load: the board's state\n"
	    "      --csv        CSV output even on a terminal\n"
	    "  -h, --help       this help\n"
	    "  -V, --version    print the version\n\nSettings:\n", synopsis);
	for (i = 0; i < n; i++)
		printf("  %-18s %s (default %s)\n", s[i].key, s[i].help,
		    *s[i].def ? s[i].def : "none");
}

/* Set, but not found now: it is looked up again each time it runs. */
static void
warn_missing(const char *program)
{
	struct ctp_error le;
	char *path = NULL;
	int builtin;

	ctp_error_clear(&le);
	if (ctp_verify_locate(program, &path, &builtin, &le) != 0)
		ctp_warnx("warning: %s: %s (ctp's libexec directory, then "
		    "PATH); it is looked up again when it runs", program,
		    le.what);
	free(path);
}

/* board load NAME FILE --state ST [--map MAP] | board list */
static int
board(const char *db, char **argv, int nargs, const char *map,
    const char *state, int json, int csv)
{
	struct ctp_board_load l = { 0 };
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_out *o;
	int rc;

	ctp_error_clear(&e);
	if (nargs == 1 && strcmp(argv[0], "list") == 0 && !map && !state) {
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_READ, &e))
			return ctp_cli_fail(&e);
		o = ctp_out_new(stdout, ctp_out_choose(json, csv, stdout),
		    ctp_board_columns, CTP_BOARD_NCOLUMNS, 0);
		if (o == NULL)
			rc = ctp_err_nomem(&e, "output");
		else if ((rc = ctp_board_list(c, o, &e)) == 0)
			rc = ctp_out_close(o, &e);
		else
			ctp_out_free(o);
	} else if (nargs == 3 && strcmp(argv[0], "load") == 0) {
		if (state == NULL)
			return ctp_cli_usage(synopsis, "board load needs "
			    "--state");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_WORK, &e))
			return ctp_cli_fail(&e);
		l.name = argv[1];
		l.path = argv[2];
		l.state = state;
		l.map = map;
		rc = ctp_board_load(c, &l, &e);
		if (rc == 0)
			fprintf(stderr, "%s: %s: %lld %s loaded as %s\n",
			    ctp_progname, l.path, l.rows, ctp_plural(l.rows,
			    "license", "licenses"), l.name);
	} else
		return ctp_cli_usage(synopsis, "board load NAME FILE --state "
		    "ST [--map MAP] | board list");
	ctp_ctx_close(c);
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csv", no_argument, NULL, 'C' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "remove", no_argument, NULL, 'r' },
		{ "map", required_argument, NULL, 'm' },
		{ "state", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_out *o;
	const char *db = NULL, *verb, *map = NULL, *state = NULL;
	int ch, json = 0, csv = 0, rc, nargs, remove = 0;

	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	while ((ch = getopt_long(argc, argv, "d:hjm:rs:V", opts, NULL)) != -1) {
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
			remove = 1;
			break;
		case 'm':
			map = optarg;
			break;
		case 's':
			state = optarg;
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
	if ((map || state) && strcmp(verb, "board") != 0)
		return ctp_cli_usage(synopsis, "--map and --state are for "
		    "board load");
	if (strcmp(verb, "board") == 0)
		return board(db, argv + optind, nargs, map, state, json, csv);
	if (remove && strcmp(verb, "verifier") != 0)
		return ctp_cli_usage(synopsis, "--remove goes with verifier");
	if (strcmp(verb, "verifiers") == 0 || (strcmp(verb, "verifier") == 0 &&
	    nargs == 0 && !remove)) {
		if (nargs != 0)
			return ctp_cli_usage(synopsis, "verifiers takes no "
			    "arguments");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_READ, &e))
			return ctp_cli_fail(&e);
		o = ctp_out_new(stdout, ctp_out_choose(json, csv, stdout),
		    ctp_verifier_columns, CTP_VERIFIER_NCOLUMNS, 0);
		if (o == NULL)
			rc = ctp_err_nomem(&e, "output");
		else if ((rc = ctp_verifier_list(c, o, &e)) == 0)
			rc = ctp_out_close(o, &e);
		else
			ctp_out_free(o);
	} else if (strcmp(verb, "verifier") == 0) {
		if (remove ? nargs != 2 : nargs < 3)
			return ctp_cli_usage(synopsis, remove ? "verifier KIND "
			    "STATE|- --remove" : "verifier KIND STATE|- "
			    "PROGRAM [KEY=VALUE ...]");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_ADMIN, &e))
			return ctp_cli_fail(&e);
		if (remove)
			rc = ctp_verifier_remove(c, argv[optind],
			    argv[optind + 1], &e);
		else if ((rc = ctp_verifier_set(c, argv[optind],
		    argv[optind + 1], argv[optind + 2], argv + optind + 3,
		    nargs - 3, &e)) == 0)
			warn_missing(argv[optind + 2]);
	} else if (strcmp(verb, "show") == 0) {
		if (nargs != 0)
			return ctp_cli_usage(synopsis, "show takes no arguments");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_READ, &e))
			return ctp_cli_fail(&e);
		o = ctp_out_new(stdout, ctp_out_choose(json, csv, stdout),
		    ctp_org_columns, CTP_ORG_NCOLUMNS, 0);
		if (o == NULL)
			rc = ctp_err_nomem(&e, "output");
		else if ((rc = ctp_org_show(c, o, &e)) == 0)
			rc = ctp_out_close(o, &e);
		else
			ctp_out_free(o);
	} else if (strcmp(verb, "set") == 0) {
		if (nargs != 2)
			return ctp_cli_usage(synopsis, "set needs KEY VALUE");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_ADMIN, &e))
			return ctp_cli_fail(&e);
		rc = ctp_org_set(c, argv[optind], argv[optind + 1], &e);
	} else if (strcmp(verb, "taxonomy") == 0) {
		struct ctp_taxonomy_stats ts;

		if (nargs != 2 || strcmp(argv[optind], "load") != 0)
			return ctp_cli_usage(synopsis, "taxonomy load FILE");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_ADMIN, &e))
			return ctp_cli_fail(&e);
		rc = ctp_taxonomy_load(c, argv[optind + 1], &ts, &e);
		if (rc == 0)
			fprintf(stderr, "%s: %s: %lld %s, %lld retired\n",
			    ctp_progname, argv[optind + 1], ts.codes,
			    ctp_plural(ts.codes, "code", "codes"), ts.retired);
	} else if (strcmp(verb, "require") == 0 && nargs == 0) {
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_READ, &e))
			return ctp_cli_fail(&e);
		o = ctp_out_new(stdout, ctp_out_choose(json, csv, stdout),
		    ctp_required_columns, CTP_REQUIRED_NCOLUMNS, 0);
		if (o == NULL)
			rc = ctp_err_nomem(&e, "output");
		else if ((rc = ctp_required_list(c, o, &e)) == 0)
			rc = ctp_out_close(o, &e);
		else
			ctp_out_free(o);
	} else if (strcmp(verb, "require") == 0) {
		if (nargs < 2)
			return ctp_cli_usage(synopsis, "require TYPE KIND...");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_ADMIN, &e))
			return ctp_cli_fail(&e);
		rc = ctp_required_set(c, argv[optind], argv + optind + 1,
		    nargs - 1, &e);
	} else
		return ctp_cli_usage(synopsis, "unknown command: %s", verb);
	ctp_ctx_close(c);
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}
