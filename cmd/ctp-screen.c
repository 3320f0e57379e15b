/* ctp-screen - OIG LEIE and SAM.gov exclusion screening. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "auth.h"
#include "cli.h"
#include "db.h"
#include "screen.h"
#include "input.h"
#include "mem.h"
#include "org.h"
#include "out.h"

static const char synopsis[] =
    "ctp-screen [--db FILE] [--json|--csv] [-v] fetch [--force]"
    " [--leie-url URL] [--retries N] [--sam-api-key KEY] [--sam-url URL]"
    " [--timeout SECONDS]\n"
    "       ctp-screen [--db FILE] load [--force] --leie FILE |"
    " --leie-supplement FILE | --leie-reinstatements FILE | --sam FILE |"
    " --list NAME --map MAP FILE\n"
    "       ctp-screen [--db FILE] [--json|--csv] lists [--all]\n"
    "       ctp-screen [--db FILE] [--json|--csv] run [--as-of DATE]"
    " [NPI ... | -]\n"
    "       ctp-screen [--db FILE] [--json|--csv] matches"
    " [--status pending|confirmed|cleared|reinstated]\n"
    "       ctp-screen [--db FILE] review ID --confirm|--clear|--reinstate"
    " --note TEXT";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  fetch      download the OIG LEIE and the SAM extract, load them\n"
	    "  load       load a list from a file\n"
	    "  lists      the loaded list versions\n"
	    "  run        screen the roster (or these NPIs) against every list;\n"
	    "             exit 1 when a match needs review\n"
	    "  matches    potential matches and their review status\n"
	    "  review     confirm (provider becomes excluded) or clear a\n"
	    "             match; reinstate a confirmed one (admin)\n"
	    "\n"
	    "  -a, --all              lists: every version, not only current\n"
	    "      --as-of DATE       run: screen as of DATE (default: today in"
	    " the\n"
	    "                         organization's time zone)\n"
	    "      --clear            review: not the listed person\n"
	    "      --confirm          review: the listed person\n"
	    "      --csv              CSV output even on a terminal\n"
	    "  -d, --db FILE          organization database\n"
	    "  -f, --force            fetch, load: accept a full list that"
	    " shrank\n"
	    "                         more than list_shrink_max percent\n"
	    "  -h, --help             this help\n"
	    "  -j, --json             JSON Lines output\n"
	    "      --leie FILE        load: the full LEIE (UPDATED.csv)\n"
	    "      --leie-reinstatements FILE  load: an LEIE REIN supplement\n"
	    "      --leie-supplement FILE      load: an LEIE EXCL supplement\n"
	    "      --leie-url URL     fetch: LEIE address (setting leie_url)\n"
	    "      --list NAME        load: another list under this name\n"
	    "      --map MAP          load: its column mapping file\n"
	    "  -n, --note TEXT        review: why\n"
	    "      --reinstate        review: end a confirmed exclusion\n"
	    "      --retries N        fetch: retries after the first try (3)\n"
	    "      --sam FILE         load: a SAM exclusions extract (ZIP/CSV)\n"
	    "      --sam-api-key KEY  fetch: SAM.gov key ($CTP_SAM_API_KEY)\n"
	    "      --sam-url URL      fetch: SAM extract address (sam_url)\n"
	    "  -s, --status STATUS    matches: pending, confirmed, cleared or\n"
	    "                         reinstated\n"
	    "      --timeout SECONDS  fetch: whole-download limit (900)\n"
	    "  -v, --verbose          say what was done\n"
	    "  -V, --version          print the version\n", synopsis);
}

/* What fetch did with one list: a failure, or with -v what was loaded. */
static void
fetch_said(const struct ctp_fetch_list *l, int verbose)
{
	if (!l->tried)
		return;
	if (l->rc != 0)
		ctp_error_print(ctp_progname, &l->e);
	else if (!verbose)
		return;
	else if (l->not_modified)
		fprintf(stderr, "%s: not modified since the last download\n",
		    l->what);
	else
		fprintf(stderr, "%s: %s, %lld %s\n", l->what, l->unchanged ?
		    "unchanged" : "loaded", l->rows,
		    ctp_plural(l->rows, "row", "rows"));
}

enum {
	O_ASOF = 256, O_CLEAR, O_CONFIRM, O_CSV, O_LEIE, O_LEIE_REIN,
	O_LEIE_SUPP, O_LEIE_URL, O_LIST, O_MAP, O_REINSTATE, O_RETRIES, O_SAM,
	O_SAM_KEY, O_SAM_URL, O_TIMEOUT
};

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "as-of", required_argument, NULL, O_ASOF },
		{ "clear", no_argument, NULL, O_CLEAR },
		{ "confirm", no_argument, NULL, O_CONFIRM },
		{ "csv", no_argument, NULL, O_CSV },
		{ "db", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "leie", required_argument, NULL, O_LEIE },
		{ "leie-reinstatements", required_argument, NULL, O_LEIE_REIN },
		{ "leie-supplement", required_argument, NULL, O_LEIE_SUPP },
		{ "leie-url", required_argument, NULL, O_LEIE_URL },
		{ "list", required_argument, NULL, O_LIST },
		{ "map", required_argument, NULL, O_MAP },
		{ "note", required_argument, NULL, 'n' },
		{ "reinstate", no_argument, NULL, O_REINSTATE },
		{ "retries", required_argument, NULL, O_RETRIES },
		{ "sam", required_argument, NULL, O_SAM },
		{ "sam-api-key", required_argument, NULL, O_SAM_KEY },
		{ "sam-url", required_argument, NULL, O_SAM_URL },
		{ "status", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_error e;
	struct ctp_ctx *c = NULL;
	struct ctp_out *o = NULL;
	struct ctp_fetch_opts fo;
	struct ctp_fetch_result fr;
	struct ctp_load l;
	struct ctp_screen_result r;
	const char *db = NULL, *verb, *status = NULL, *note = NULL;
	const char *list = NULL, *map = NULL, *file = NULL;
	char **npis = NULL;
	size_t nnpis = 0, i;
	long as_of = -1, v;
	long long stays = 0;
	int ch, json = 0, csv = 0, rc = 0, nargs, all = 0, decision = -1;
	int nfiles = 0, kind = -1, verbose = 0;

	ctp_db_setup_bulk(0);	/* before SQLite's first use */
	ctp_cli_init(argv[0]);
	ctp_error_clear(&e);
	memset(&fo, 0, sizeof(fo));
	memset(&l, 0, sizeof(l));
	fo.retries = -1;
	fo.progress.fn = ctp_cli_progress;
	while ((ch = getopt_long(argc, argv, "ad:fhjn:s:vV", opts, NULL))
	    != -1) {
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case O_ASOF:
			if (ctp_parse_as_of(optarg, &as_of) < 0)
				return ctp_cli_usage(synopsis, "--as-of: not a "
				    "date");
			break;
		case O_CLEAR:
		case O_CONFIRM:
		case O_REINSTATE:
			if (decision >= 0)
				return ctp_cli_usage(synopsis, "one of "
				    "--confirm, --clear and --reinstate");
			decision = ch == O_CONFIRM ? 1 : ch == O_REINSTATE ?
			    2 : 0;
			break;
		case O_CSV:
			csv = 1;
			break;
		case 'd':
			db = optarg;
			break;
		case 'f':
			l.force = fo.force = 1;
			break;
		case 'h':
			help();
			return ctp_cli_finish(0);
		case 'j':
			json = 1;
			break;
		case O_LEIE:
		case O_LEIE_REIN:
		case O_LEIE_SUPP:
		case O_SAM:
			file = optarg;
			nfiles++;
			kind = ch == O_LEIE ? CTP_LIST_LEIE : ch == O_LEIE_REIN ?
			    CTP_LIST_LEIE_REIN : ch == O_LEIE_SUPP ?
			    CTP_LIST_LEIE_SUPP : CTP_LIST_SAM;
			break;
		case O_LEIE_URL:
			fo.leie_url = optarg;
			break;
		case O_LIST:
			list = optarg;
			break;
		case O_MAP:
			map = optarg;
			break;
		case 'n':
			note = optarg;
			break;
		case O_RETRIES:
			if (ctp_parse_long(optarg, 0, 10, &v) < 0)
				return ctp_cli_usage(synopsis, "--retries: a "
				    "number from 0 to 10");
			fo.retries = (int)v;
			break;
		case O_SAM_KEY:
			fo.sam_key = optarg;
			break;
		case O_SAM_URL:
			fo.sam_url = optarg;
			break;
		case 's':
			status = optarg;
			break;
		case O_TIMEOUT:
			if (ctp_parse_long(optarg, 1, 86400, &v) < 0)
				return ctp_cli_usage(synopsis, "--timeout: "
				    "seconds from 1 to 86400");
			fo.timeout = v;
			break;
		case 'v':
			verbose = 1;
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
	if (strcmp(verb, "fetch") == 0) {
		if (nargs != 0)
			return ctp_cli_usage(synopsis, "fetch takes no "
			    "arguments");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_WORK, &e))
			return ctp_cli_fail(&e);
		rc = ctp_screen_fetch(c, &fo, &fr, &e);
		fetch_said(&fr.leie, verbose);
		fetch_said(&fr.sam, verbose);
		if (rc != 0) {
			ctp_ctx_close(c);
			/* A list's failure is said above. */
			if (fr.leie.rc == 0 && fr.sam.rc == 0)
				ctp_cli_fail(&e);
			return rc;
		}
	} else if (strcmp(verb, "load") == 0) {
		if (list || map) {
			if (!list || !map || nfiles != 0 || nargs != 1)
				return ctp_cli_usage(synopsis, "load --list "
				    "NAME --map MAP FILE");
			kind = CTP_LIST_CUSTOM;
			file = argv[optind];
		} else if (nfiles != 1 || nargs != 0)
			return ctp_cli_usage(synopsis, "load needs exactly one "
			    "of --leie, --leie-supplement, --leie-reinstatements,"
			    " --sam, --list");
		l.kind = kind;
		l.path = file;
		l.list = list;
		l.map = map;
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_WORK, &e))
			return ctp_cli_fail(&e);
		rc = ctp_screen_load(c, &l, &e);
		if (rc == 0 && verbose)
			fprintf(stderr, "%s: %s: %s, %lld %s\n", ctp_progname,
			    file, l.unchanged ? "unchanged" : "loaded", l.rows,
			    ctp_plural(l.rows, "row", "rows"));
	} else if (strcmp(verb, "lists") == 0) {
		if (nargs != 0)
			return ctp_cli_usage(synopsis, "lists takes no "
			    "arguments");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_READ, &e))
			return ctp_cli_fail(&e);
		o = ctp_out_new(stdout, ctp_out_choose(json, csv, stdout),
		    ctp_screen_lists_columns, CTP_SCREEN_LISTS_NCOLUMNS, 0);
		if (o == NULL)
			rc = ctp_err_nomem(&e, "output");
		else if ((rc = ctp_screen_lists(c, all, o, &e)) == 0)
			rc = ctp_out_close(o, &e);
		else
			ctp_out_free(o);
	} else if (strcmp(verb, "run") == 0) {
		if (nargs == 1 && strcmp(argv[optind], "-") == 0) {
			if (isatty(0))
				return ctp_cli_usage(synopsis, "run -: reading "
				    "NPIs from a terminal; pipe a CSV or JSON "
				    "Lines stream with an npi column");
			if ((rc = ctp_input_read_npis("-", &npis, &nnpis, &e)) != 0)
				goto done;
			if (nnpis == 0) {
				ctp_warnx("no providers on standard input: "
				    "nothing screened");
				goto done;
			}
		} else if (nargs > 0) {
			npis = ctp_calloc((size_t)nargs, sizeof(*npis));
			if (npis == NULL)
				return ctp_cli_fail(&e);
			for (i = 0; i < (size_t)nargs; i++)
				if ((npis[nnpis++] = ctp_strdup(argv[optind +
				    (int)i])) == NULL)
					return ctp_cli_fail(&e);
		}
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_WORK, &e)) {
			rc = e.code;
			goto done;
		}
		/* Today where the organization is, as for ctp-expiring. */
		if (as_of < 0 && (rc = ctp_org_today(c->db, &as_of, &e)) != 0)
			goto done;
		o = ctp_out_new(stdout, ctp_out_choose(json, csv, stdout),
		    ctp_screen_match_columns, CTP_SCREEN_MATCH_NCOLUMNS, 0);
		if (o == NULL)
			rc = ctp_err_nomem(&e, "output");
		else if ((rc = ctp_screen_run(c, (const char *const *)npis,
		    nnpis, as_of, o, &r, &e)) == 0)
			rc = ctp_out_close(o, &e);
		else
			ctp_out_free(o);
		if (rc == 0 && r.providers == 0)
			ctp_warnx("no providers on the roster: nothing "
			    "screened");
		else if (rc == 0 && verbose)
			fprintf(stderr, "%s: run %lld: %lld %s, %lld "
			    "clear, %lld potential, %lld insufficient data, "
			    "%lld new %s\n", ctp_progname, r.run_id,
			    r.providers, ctp_plural(r.providers, "provider",
			    "providers"), r.clear, r.potential,
			    r.insufficient, r.new_matches,
			    ctp_plural(r.new_matches, "match", "matches"));
		if (rc == 0 && r.pending > 0)
			rc = CTP_ATTN;
	} else if (strcmp(verb, "matches") == 0) {
		if (nargs != 0)
			return ctp_cli_usage(synopsis, "matches takes no "
			    "arguments");
		if (status && strcmp(status, "pending") != 0 &&
		    strcmp(status, "confirmed") != 0 &&
		    strcmp(status, "cleared") != 0 &&
		    strcmp(status, "reinstated") != 0)
			return ctp_cli_usage(synopsis, "--status: pending, "
			    "confirmed, cleared or reinstated");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_READ, &e))
			return ctp_cli_fail(&e);
		o = ctp_out_new(stdout, ctp_out_choose(json, csv, stdout),
		    ctp_screen_match_columns, CTP_SCREEN_MATCH_NCOLUMNS, 0);
		if (o == NULL)
			rc = ctp_err_nomem(&e, "output");
		else if ((rc = ctp_screen_matches(c, status, o, &e)) == 0)
			rc = ctp_out_close(o, &e);
		else
			ctp_out_free(o);
	} else if (strcmp(verb, "review") == 0) {
		if (nargs != 1 || ctp_parse_long(argv[optind], 1, 0x7fffffffL,
		    &v) < 0)
			return ctp_cli_usage(synopsis, "review needs a match "
			    "ID");
		if (decision < 0)
			return ctp_cli_usage(synopsis, "review needs "
			    "--confirm, --clear or --reinstate");
		if (note == NULL || *note == '\0')
			return ctp_cli_usage(synopsis, "review needs --note");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_WORK, &e))
			return ctp_cli_fail(&e);
		if (decision == 2) {
			rc = ctp_screen_reinstate(c, v, note, &stays, &e);
			if (rc == 0 && stays)
				ctp_warnx("match %ld: reinstated; the provider "
				    "stays excluded by confirmed match %lld",
				    v, stays);
		} else
			rc = ctp_screen_review(c, v, decision, note, &e);
	} else
		return ctp_cli_usage(synopsis, "unknown command: %s", verb);
done:
	ctp_ctx_close(c);
	ctp_input_free_list(npis, nnpis);
	if (rc == CTP_ATTN)
		return ctp_cli_finish(rc);
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}
