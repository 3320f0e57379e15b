/*
 * ctp-review - the review queue: documents and the values extraction
 * read from them, which a coordinator approves, corrects or rejects.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "cli.h"
#include "out.h"
#include "review.h"

static const char synopsis[] =
    "ctp-review [--db FILE] [--json|--csv] list | approve ITEM "
    "[--note TEXT] | correct ITEM VALUE [--note TEXT] | "
    "reject ITEM --note TEXT";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  list               pending items: d12 is document 12, s7 "
	    "suggestion 7\n"
	    "  approve ITEM       approve an item (coordinator)\n"
	    "  correct ITEM VALUE set a suggestion's credential field to "
	    "VALUE\n"
	    "  reject ITEM        reject an item, saying why (coordinator)\n\n"
	    "      --csv          CSV output even on a terminal\n"
	    "  -d, --db FILE      organization database\n"
	    "  -h, --help         this help\n"
	    "  -j, --json         JSON Lines output\n"
	    "  -n, --note TEXT    approve, reject: why, kept with the "
	    "decision\n"
	    "  -V, --version      print the version\n", synopsis);
}

static int
list(struct ctp_ctx *c, int json, int csv, long long *n, struct ctp_error *e)
{
	struct ctp_out *o;
	int rc;

	o = ctp_out_new(stdout, ctp_out_choose(json, csv, stdout),
	    ctp_review_columns, CTP_REVIEW_NCOLUMNS, 0);
	if (o == NULL)
		return ctp_err_nomem(e, "output");
	if ((rc = ctp_review_list(c, o, n, e)) != 0) {
		ctp_out_free(o);
		return rc;
	}
	return ctp_out_close(o, e);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csv", no_argument, NULL, 'C' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "note", required_argument, NULL, 'n' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_error e;
	struct ctp_ctx *c;
	const char *db = NULL, *verb, *note = NULL;
	long long n = 0;
	int ch, json = 0, csv = 0, rc, nargs;

	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	while ((ch = getopt_long(argc, argv, "d:hjn:V", opts, NULL)) != -1) {
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
		case 'n':
			note = optarg;
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
	if (strcmp(verb, "list") == 0) {
		if (nargs != 0 || note != NULL)
			return ctp_cli_usage(synopsis, "list takes no "
			    "arguments");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_READ, &e))
			return ctp_cli_fail(&e);
		rc = list(c, json, csv, &n, &e);
	} else if (strcmp(verb, "approve") == 0 ||
	    strcmp(verb, "reject") == 0) {
		if (nargs != 1)
			return ctp_cli_usage(synopsis, "%s needs one ITEM",
			    verb);
		if (verb[0] == 'r' && (note == NULL || *note == '\0'))
			return ctp_cli_usage(synopsis, "reject needs --note");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_WORK, &e))
			return ctp_cli_fail(&e);
		rc = verb[0] == 'a' ? ctp_review_approve(c, argv[optind], note,
		    &e) : ctp_review_reject(c, argv[optind], note, &e);
	} else if (strcmp(verb, "correct") == 0) {
		if (nargs != 2)
			return ctp_cli_usage(synopsis, "correct needs ITEM and "
			    "VALUE");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_WORK, &e))
			return ctp_cli_fail(&e);
		rc = ctp_review_correct(c, argv[optind], argv[optind + 1], note,
		    &e);
	} else
		return ctp_cli_usage(synopsis, "unknown command: %s", verb);
	ctp_ctx_close(c);
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}
