/* ctp-screen - OIG LEIE and SAM.gov exclusion screening. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"
#include "screen.h"
#include "input.h"
#include "mem.h"
#include "org.h"
#include "out.h"
#include "tune.h"

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

/* What the options said. */
struct opts {
	const char *db, *status, *note, *list, *map, *file;
	long as_of;
	int json, csv, all, decision, nfiles, kind, verbose;
	struct ctp_fetch_opts fo;
	struct ctp_load l;
};

/* The end of a verb: close, say the error, check stdout. */
static int
finish(struct ctp_ctx *c, int rc, const struct ctp_error *e)
{
	ctp_ctx_close(c);
	if (rc == CTP_ATTN)
		return ctp_cli_finish(rc);
	if (rc != 0)
		return ctp_cli_fail(e);
	return ctp_cli_finish(0);
}

/* Rows of one of the library's listings to stdout, as the options say. */
typedef int list_fn(struct ctp_ctx *, const struct opts *, struct ctp_out *,
    struct ctp_error *);

static int
listing(struct ctp_ctx *c, const struct opts *op, const struct ctp_col *cols,
    size_t ncols, list_fn *fn, struct ctp_error *e)
{
	struct ctp_out *o;
	int rc;

	o = ctp_out_new(stdout, ctp_out_choose(op->json, op->csv, stdout),
	    cols, ncols, 0);
	if (o == NULL)
		return ctp_err_nomem(e, "output");
	if ((rc = fn(c, op, o, e)) != 0) {
		ctp_out_free(o);
		return rc;
	}
	return ctp_out_close(o, e);
}

static int
fetch(struct opts *op, int nargs)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_fetch_result fr;
	int rc;

	ctp_error_clear(&e);
	if (nargs != 0)
		return ctp_cli_usage(synopsis, "fetch takes no arguments");
	if (ctp_ctx_open(&c, ctp_progname, op->db, CTP_PERM_WORK, &e))
		return ctp_cli_fail(&e);
	rc = ctp_screen_fetch(c, &op->fo, &fr, &e);
	fetch_said(&fr.leie, op->verbose);
	fetch_said(&fr.sam, op->verbose);
	if (rc != 0) {
		ctp_ctx_close(c);
		/* A list's failure is said above. */
		if (fr.leie.rc == 0 && fr.sam.rc == 0)
			ctp_cli_fail(&e);
		return rc;
	}
	return finish(c, 0, &e);
}

static int
load(struct opts *op, int nargs, char **args)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_load *l = &op->l;
	int rc;

	ctp_error_clear(&e);
	if (op->list || op->map) {
		if (!op->list || !op->map || op->nfiles != 0 || nargs != 1)
			return ctp_cli_usage(synopsis, "load --list NAME --map "
			    "MAP FILE");
		op->kind = CTP_LIST_CUSTOM;
		op->file = args[0];
	} else if (op->nfiles != 1 || nargs != 0)
		return ctp_cli_usage(synopsis, "load needs exactly one of "
		    "--leie, --leie-supplement, --leie-reinstatements, --sam, "
		    "--list");
	l->kind = op->kind;
	l->path = op->file;
	l->list = op->list;
	l->map = op->map;
	if (ctp_ctx_open(&c, ctp_progname, op->db, CTP_PERM_WORK, &e))
		return ctp_cli_fail(&e);
	rc = ctp_screen_load(c, l, &e);
	if (rc == 0 && op->verbose)
		fprintf(stderr, "%s: %s: %s, %lld %s\n", ctp_progname,
		    op->file, l->unchanged ? "unchanged" : "loaded", l->rows,
		    ctp_plural(l->rows, "row", "rows"));
	return finish(c, rc, &e);
}

static int
lists_of(struct ctp_ctx *c, const struct opts *op, struct ctp_out *o,
    struct ctp_error *e)
{
	return ctp_screen_lists(c, op->all, o, e);
}

static int
lists(struct opts *op, int nargs)
{
	struct ctp_error e;
	struct ctp_ctx *c;

	ctp_error_clear(&e);
	if (nargs != 0)
		return ctp_cli_usage(synopsis, "lists takes no arguments");
	if (ctp_ctx_open(&c, ctp_progname, op->db, CTP_PERM_READ, &e))
		return ctp_cli_fail(&e);
	return finish(c, listing(c, op, ctp_screen_lists_columns,
	    CTP_SCREEN_LISTS_NCOLUMNS, lists_of, &e), &e);
}

static int
matches_of(struct ctp_ctx *c, const struct opts *op, struct ctp_out *o,
    struct ctp_error *e)
{
	return ctp_screen_matches(c, op->status, o, e);
}

static int
matches(struct opts *op, int nargs)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	const char *st = op->status;

	ctp_error_clear(&e);
	if (nargs != 0)
		return ctp_cli_usage(synopsis, "matches takes no arguments");
	if (st && strcmp(st, "pending") != 0 && strcmp(st, "confirmed") != 0 &&
	    strcmp(st, "cleared") != 0 && strcmp(st, "reinstated") != 0)
		return ctp_cli_usage(synopsis, "--status: pending, confirmed, "
		    "cleared or reinstated");
	if (ctp_ctx_open(&c, ctp_progname, op->db, CTP_PERM_READ, &e))
		return ctp_cli_fail(&e);
	return finish(c, listing(c, op, ctp_screen_match_columns,
	    CTP_SCREEN_MATCH_NCOLUMNS, matches_of, &e), &e);
}

/* The run: its matches to o, its counts to stderr with -v. */
static int
screen(struct ctp_ctx *c, const struct opts *op, char **npis, size_t n,
    struct ctp_error *e)
{
	struct ctp_screen_result r;
	struct ctp_out *o;
	long as_of = op->as_of;
	int rc;

	/* Today where the organization is, as for ctp-expiring. */
	if (as_of < 0 && (rc = ctp_org_today(c->db, &as_of, e)) != 0)
		return rc;
	o = ctp_out_new(stdout, ctp_out_choose(op->json, op->csv, stdout),
	    ctp_screen_match_columns, CTP_SCREEN_MATCH_NCOLUMNS, 0);
	if (o == NULL)
		return ctp_err_nomem(e, "output");
	if ((rc = ctp_screen_run(c, (const char *const *)npis, n, as_of, o,
	    &r, e)) != 0) {
		ctp_out_free(o);
		return rc;
	}
	if ((rc = ctp_out_close(o, e)) != 0)
		return rc;
	if (r.providers == 0)
		ctp_warnx("no providers on the roster: nothing screened");
	else if (op->verbose)
		fprintf(stderr, "%s: run %lld: %lld %s, %lld clear, %lld "
		    "potential, %lld insufficient data, %lld new %s\n",
		    ctp_progname, r.run_id, r.providers,
		    ctp_plural(r.providers, "provider", "providers"), r.clear,
		    r.potential, r.insufficient, r.new_matches,
		    ctp_plural(r.new_matches, "match", "matches"));
	return r.pending > 0 ? CTP_ATTN : 0;
}

static int
run(struct opts *op, int nargs, char **args)
{
	struct ctp_error e;
	struct ctp_ctx *c = NULL;
	char **npis = NULL;
	size_t n = 0, i;
	int rc;

	ctp_error_clear(&e);
	if (nargs == 1 && strcmp(args[0], "-") == 0) {
		if (isatty(0))
			return ctp_cli_usage(synopsis, "run -: reading NPIs "
			    "from a terminal; pipe a CSV or JSON Lines stream "
			    "with an npi column");
		if ((rc = ctp_input_read_npis("-", &npis, &n, &e)) != 0)
			goto done;
		if (n == 0) {
			ctp_warnx("no providers on standard input: nothing "
			    "screened");
			goto done;
		}
	} else if (nargs > 0) {
		if ((npis = ctp_calloc((size_t)nargs, sizeof(*npis))) == NULL)
			return ctp_cli_fail(&e);
		for (i = 0; i < (size_t)nargs; i++)
			if ((npis[n++] = ctp_strdup(args[i])) == NULL) {
				ctp_input_free_list(npis, n);
				return ctp_cli_fail(&e);
			}
	}
	if ((rc = ctp_ctx_open(&c, ctp_progname, op->db, CTP_PERM_WORK,
	    &e)) == 0)
		rc = screen(c, op, npis, n, &e);
done:
	ctp_input_free_list(npis, n);
	return finish(c, rc, &e);
}

static int
review(struct opts *op, int nargs, char **args)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	long long stays = 0;
	long v;
	int rc;

	ctp_error_clear(&e);
	if (nargs != 1 || ctp_parse_long(args[0], 1, 0x7fffffffL, &v) < 0)
		return ctp_cli_usage(synopsis, "review needs a match ID");
	if (op->decision < 0)
		return ctp_cli_usage(synopsis, "review needs --confirm, "
		    "--clear or --reinstate");
	if (op->note == NULL || *op->note == '\0')
		return ctp_cli_usage(synopsis, "review needs --note");
	if (ctp_ctx_open(&c, ctp_progname, op->db, CTP_PERM_WORK, &e))
		return ctp_cli_fail(&e);
	if (op->decision == 2) {
		rc = ctp_screen_reinstate(c, v, op->note, &stays, &e);
		if (rc == 0 && stays)
			ctp_warnx("match %ld: reinstated; the provider stays "
			    "excluded by confirmed match %lld", v, stays);
	} else
		rc = ctp_screen_review(c, v, op->decision, op->note, &e);
	return finish(c, rc, &e);
}

/* The option table and its switch, a case an option, then one verb. */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
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
	struct opts op;
	const char *verb;
	long v;
	int ch, nargs;

	ctp_tune_bulk_writer(0);	/* before SQLite's first use */
	ctp_cli_init(argc, argv);
	memset(&op, 0, sizeof(op));
	op.as_of = -1;
	op.decision = -1;
	op.kind = -1;
	op.fo.retries = -1;
	op.fo.progress.fn = ctp_cli_progress;
	while ((ch = getopt_long(argc, argv, "ad:fhjn:s:vV", longopts, NULL))
	    != -1) {
		switch (ch) {
		case 'a':
			op.all = 1;
			break;
		case O_ASOF:
			if (ctp_parse_as_of(optarg, &op.as_of) < 0)
				return ctp_cli_usage(synopsis, "--as-of: not a "
				    "date");
			break;
		case O_CLEAR:
		case O_CONFIRM:
		case O_REINSTATE:
			if (op.decision >= 0)
				return ctp_cli_usage(synopsis, "one of "
				    "--confirm, --clear and --reinstate");
			op.decision = ch == O_CONFIRM ? 1 : ch == O_REINSTATE ?
			    2 : 0;
			break;
		case O_CSV:
			op.csv = 1;
			break;
		case 'd':
			op.db = optarg;
			break;
		case 'f':
			op.l.force = op.fo.force = 1;
			break;
		case 'h':
			help();
			return ctp_cli_finish(0);
		case 'j':
			op.json = 1;
			break;
		case O_LEIE:
		case O_LEIE_REIN:
		case O_LEIE_SUPP:
		case O_SAM:
			op.file = optarg;
			op.nfiles++;
			op.kind = ch == O_LEIE ? CTP_LIST_LEIE :
			    ch == O_LEIE_REIN ? CTP_LIST_LEIE_REIN :
			    ch == O_LEIE_SUPP ? CTP_LIST_LEIE_SUPP :
			    CTP_LIST_SAM;
			break;
		case O_LEIE_URL:
			op.fo.leie_url = optarg;
			break;
		case O_LIST:
			op.list = optarg;
			break;
		case O_MAP:
			op.map = optarg;
			break;
		case 'n':
			op.note = optarg;
			break;
		case O_RETRIES:
			if (ctp_parse_long(optarg, 0, 10, &v) < 0)
				return ctp_cli_usage(synopsis, "--retries: a "
				    "number from 0 to 10");
			op.fo.retries = (int)v;
			break;
		case O_SAM_KEY:
			op.fo.sam_key = optarg;
			break;
		case O_SAM_URL:
			op.fo.sam_url = optarg;
			break;
		case 's':
			op.status = optarg;
			break;
		case O_TIMEOUT:
			if (ctp_parse_long(optarg, 1, 86400, &v) < 0)
				return ctp_cli_usage(synopsis, "--timeout: "
				    "seconds from 1 to 86400");
			op.fo.timeout = v;
			break;
		case 'v':
			op.verbose = 1;
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
	if (strcmp(verb, "fetch") == 0)
		return fetch(&op, nargs);
	if (strcmp(verb, "load") == 0)
		return load(&op, nargs, argv + optind);
	if (strcmp(verb, "lists") == 0)
		return lists(&op, nargs);
	if (strcmp(verb, "run") == 0)
		return run(&op, nargs, argv + optind);
	if (strcmp(verb, "matches") == 0)
		return matches(&op, nargs);
	if (strcmp(verb, "review") == 0)
		return review(&op, nargs, argv + optind);
	return ctp_cli_usage(synopsis, "unknown command: %s", verb);
}
