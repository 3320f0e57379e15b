/* ctp-roster - the providers: list, show, set a field, history, export. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "auth.h"
#include "cli.h"
#include "import.h"
#include "out.h"
#include "roster.h"
#include "status.h"

static const char synopsis[] =
    "ctp-roster [--db FILE] [--json|--csv] list [--coordinator U] "
    "[--state S] [--status S] [--type T] | show NPI | "
    "set NPI FIELD VALUE [--note TEXT] | reinstate NPI --note TEXT | "
    "history NPI | export";

static void
help(void)
{
	int i;

	printf("usage: %s\n\n"
	    "  list             providers, by name (any role)\n"
	    "  show NPI         one provider, its credentials and history "
	    "(--json: one\n"
	    "                   object, credentials and history as arrays)\n"
	    "  set NPI FIELD VALUE   change one field (coordinator)\n"
	    "  reinstate NPI    end an exclusion made by hand (admin)\n"
	    "  history NPI      every change to the provider\n"
	    "  export           every provider in the ctp-import format\n\n"
	    "      --coordinator U  list: assigned to user U\n"
	    "      --csv            CSV output even on a terminal\n"
	    "  -d, --db FILE        organization database\n"
	    "  -h, --help           this help\n"
	    "  -j, --json           JSON Lines output\n"
	    "      --note TEXT      set, reinstate: why, kept in the history\n"
	    "      --state S        list: practice state\n"
	    "      --status S       list: active, inactive, pending, "
	    "excluded\n"
	    "      --type T         list: provider type (MD, NP, ...)\n"
	    "  -V, --version        print the version\n\nFields:",
	    synopsis);
	for (i = 0; ctp_roster_fields[i]; i++)
		printf("%s%s", i % 5 ? " " : "\n  ", ctp_roster_fields[i]);
	printf("\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "coordinator", required_argument, NULL, 'c' },
		{ "csv", no_argument, NULL, 'C' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "note", required_argument, NULL, 'N' },
		{ "state", required_argument, NULL, 's' },
		{ "status", required_argument, NULL, 'S' },
		{ "type", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_roster_filter f;
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_out *o = NULL;
	const struct ctp_col *cols = NULL;
	size_t ncols = 0;
	const char *db = NULL, *verb, *note = NULL;
	int ch, json = 0, csv = 0, rc, nargs, filtered = 0;
	enum ctp_fmt fmt;
	json_t *one = NULL;

	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	memset(&f, 0, sizeof(f));
	while ((ch = getopt_long(argc, argv, "d:hjV", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			f.coordinator = optarg;
			filtered = 1;
			break;
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
		case 'N':
			note = optarg;
			break;
		case 's':
			f.state = optarg;
			filtered = 1;
			break;
		case 'S':
			f.status = optarg;
			filtered = 1;
			break;
		case 't':
			f.type = optarg;
			filtered = 1;
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
	if (filtered && strcmp(verb, "list") != 0)
		return ctp_cli_usage(synopsis, "filters apply to list only");
	if (note && strcmp(verb, "set") != 0 && strcmp(verb, "reinstate") != 0)
		return ctp_cli_usage(synopsis, "--note applies to set and "
		    "reinstate");
	if (strcmp(verb, "list") == 0) {
		if (nargs != 0)
			return ctp_cli_usage(synopsis, "list takes no "
			    "arguments");
		cols = ctp_roster_list_columns;
		ncols = CTP_ROSTER_LIST_NCOLUMNS;
	} else if (strcmp(verb, "show") == 0 || strcmp(verb, "history") == 0) {
		if (nargs != 1)
			return ctp_cli_usage(synopsis, "%s needs NPI", verb);
		/* show --json: one object, not field,value lines. */
		if (verb[0] == 's' && json) {
			cols = NULL;
		} else if (verb[0] == 's') {
			cols = ctp_roster_show_columns;
			ncols = CTP_ROSTER_SHOW_NCOLUMNS;
		} else {
			cols = ctp_roster_history_columns;
			ncols = CTP_ROSTER_HISTORY_NCOLUMNS;
		}
	} else if (strcmp(verb, "export") == 0) {
		if (nargs != 0)
			return ctp_cli_usage(synopsis, "export takes no "
			    "arguments");
		cols = ctp_roster_export_columns;
		ncols = CTP_ROSTER_EXPORT_NCOLUMNS;
	} else if (strcmp(verb, "set") == 0) {
		if (nargs != 3)
			return ctp_cli_usage(synopsis, "set needs NPI FIELD "
			    "VALUE");
	} else if (strcmp(verb, "reinstate") == 0) {
		if (nargs != 1)
			return ctp_cli_usage(synopsis, "reinstate needs NPI");
		if (note == NULL || *note == '\0')
			return ctp_cli_usage(synopsis, "reinstate needs "
			    "--note");
	} else
		return ctp_cli_usage(synopsis, "unknown command: %s", verb);
	if (ctp_ctx_open(&c, ctp_progname, db, strcmp(verb, "set") == 0 ||
	    strcmp(verb, "reinstate") == 0 ? CTP_PERM_WORK : CTP_PERM_READ, &e))
		return ctp_cli_fail(&e);
	if (cols) {
		/* export is the import format: CSV unless --json. */
		fmt = strcmp(verb, "export") == 0 ? (json ? CTP_FMT_JSON :
		    CTP_FMT_CSV) : ctp_out_choose(json, csv, stdout);
		if ((o = ctp_out_new(stdout, fmt, cols, ncols, 0)) == NULL) {
			ctp_ctx_close(c);
			ctp_err_nomem(&e, "output");
			return ctp_cli_fail(&e);
		}
	}
	if (strcmp(verb, "list") == 0)
		rc = ctp_roster_list(c, &f, o, &e);
	else if (strcmp(verb, "show") == 0 && json) {
		if ((rc = ctp_roster_show_json(c, argv[optind], &one,
		    &e)) == 0 && ctp_out_json_line(stdout, one) != 0)
			rc = ctp_errf(&e, CTP_IOERR, "stdout", "write error");
		json_decref(one);
	} else if (strcmp(verb, "show") == 0)
		rc = ctp_roster_show(c, argv[optind], o, &e);
	else if (strcmp(verb, "history") == 0)
		rc = ctp_roster_history(c, argv[optind], o, &e);
	else if (strcmp(verb, "export") == 0)
		rc = ctp_roster_export(c, o, &e);
	else if (strcmp(verb, "reinstate") == 0)
		rc = ctp_status_reinstate(c, argv[optind], note, NULL, &e);
	else
		rc = ctp_roster_set(c, argv[optind], argv[optind + 1],
		    argv[optind + 2], "ctp-roster", note, &e);
	if (o) {
		if (rc == 0)
			rc = ctp_out_close(o, &e);
		else
			ctp_out_free(o);
	}
	ctp_ctx_close(c);
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}
