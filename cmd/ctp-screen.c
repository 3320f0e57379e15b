/* ctp-screen - OIG LEIE and SAM.gov exclusion screening. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"
#include "expiring.h"	/* ctp_expiring_dbs_add: --db FILE or DIR */
#include "screen.h"
#include "screen_cache.h"
#include "input.h"
#include "mem.h"
#include "org.h"
#include "orgs.h"
#include "out.h"
#include "tune.h"

static const char synopsis[] =
    "ctp-screen [--db FILE|DIR ...] [--json|--csv] [-v] fetch [--force]"
    " [--leie-url URL] [--retries N] [--sam-api-key KEY] [--sam-url URL]"
    " [--timeout SECONDS]\n"
    "       ctp-screen [--db FILE] load [--force] --leie FILE |"
    " --leie-supplement FILE | --leie-reinstatements FILE | --sam FILE |"
    " --list NAME --map MAP FILE\n"
    "       ctp-screen [--db FILE] [--json|--csv] lists [--all]\n"
    "       ctp-screen [--db FILE|DIR ...] [--json|--csv] run [--as-of DATE]"
    " [--jobs N]"
    " [NPI ... | -]\n"
    "       ctp-screen [--db FILE] [--json|--csv] matches"
    " [--status pending|confirmed|cleared|reinstated]\n"
    "       ctp-screen [--db FILE] review ID --confirm|--clear|--reinstate"
    " --note TEXT\n"
    "       ctp-screen [--db FILE] [--json|--csv] nicknames"
    " [add NAME NICKNAME | list]";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  fetch      download the OIG LEIE and the SAM extract (once, into\n"
	    "             the cache), load them into each organization\n"
	    "  load       load a list from a file\n"
	    "  lists      the loaded list versions\n"
	    "  run        screen the roster (or these NPIs) against every list;\n"
	    "             exit 1 when a match needs review\n"
	    "  matches    potential matches and their review status\n"
	    "  review     confirm (provider becomes excluded) or clear a\n"
	    "             match; reinstate a confirmed one (admin)\n"
	    "  nicknames  the organization's own nickname pairs: add one, or\n"
	    "             list them\n"
	    "\n"
	    "  -a, --all              lists: every version, not only current\n"
	    "      --as-of DATE       run: screen as of DATE (default: today in"
	    " the\n"
	    "                         organization's time zone)\n"
	    "      --clear            review: not the listed person\n"
	    "      --confirm          review: the listed person\n"
	    "      --csv              CSV output even on a terminal\n"
	    "  -d, --db FILE          organization database; fetch and run: again,\n"
	    "                         or a directory of them (--db DIR)\n"
	    "  -f, --force            fetch, load: accept a full list that"
	    " shrank\n"
	    "                         more than list_shrink_max percent\n"
	    "  -h, --help             this help\n"
	    "      --jobs N           run: organizations at once (processors,"
	    " up to 4)\n"
	    "  -j, --json             JSON Lines output\n"
	    "      --leie FILE        load: the full LEIE (UPDATED.csv)\n"
	    "      --leie-reinstatements FILE  load: an LEIE REIN supplement\n"
	    "      --leie-supplement FILE      load: an LEIE EXCL supplement\n"
	    "      --leie-url URL     fetch: LEIE address (setting leie_url)\n"
	    "      --list NAME        load: another list under this name\n"
	    "      --map MAP          load: its column mapping file\n"
	    "  -n, --note TEXT        review: why\n"
	    "      --org NAME         the organization NAME.db in the data"
	    " directory\n"
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

/*
 * What fetch did with one list: a failure, or with -v what was loaded;
 * org (NULL for one organization) names the organization first.
 */
static void
fetch_said(const struct ctp_fetch_list *l, const char *org, int verbose)
{
	struct ctp_error e;
	char name[128] = "";

	if (!l->tried)
		return;
	if (org != NULL)
		ctp_org_short(org, name, sizeof(name) - 2);
	if (org != NULL)
		strcat(name, ": ");
	if (l->rc != 0) {
		e = l->e;
		if (org != NULL)
			ctp_org_where(&e, org);
		ctp_error_print(ctp_progname, &e);
	} else if (!verbose)
		return;
	else if (l->not_modified)
		ctp_msgf(stderr, "%s%s: not modified since the last download",
		    name, l->what);
	else
		ctp_msgf(stderr, "%s%s: %s, %lld %s", name, l->what,
		    l->unchanged ? "unchanged" : "loaded", l->rows,
		    ctp_plural(l->rows, "row", "rows"));
}

enum {
	O_ASOF = 256, O_CLEAR, O_CONFIRM, O_CSV, O_JOBS, O_LEIE, O_LEIE_REIN,
	O_LEIE_SUPP, O_LEIE_URL, O_LIST, O_MAP, O_REINSTATE, O_RETRIES, O_SAM,
	O_SAM_KEY, O_SAM_URL, O_TIMEOUT
};

/* What the options said. */
struct opts {
	const char *db, *status, *note, *list, *map, *file;
	struct ctp_exp_dbs dbs;		/* every --db: fetch, run */
	long as_of;
	int json, csv, all, decision, nfiles, kind, verbose, jobs;
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

/* A failure of one organization of a run, named (ctp_orgs_each). */
static void
org_failed(void *arg, const struct ctp_error *e)
{
	(void)arg;
	ctp_cli_fail(e);
}

/* Fetch into c's organization, and say what happened to each list. */
static int
fetch_org(struct ctp_ctx *c, struct ctp_out *o, void *arg,
    struct ctp_error *e)
{
	struct opts *op = arg;
	struct ctp_fetch_result fr;
	int rc;

	(void)o;
	rc = ctp_screen_fetch(c, &op->fo, &fr, e);
	fetch_said(&fr.leie, op->dbs.n > 1 ? c->path : NULL, op->verbose);
	fetch_said(&fr.sam, op->dbs.n > 1 ? c->path : NULL, op->verbose);
	/* A list's failure is said above. */
	if (rc != 0 && (fr.leie.rc != 0 || fr.sam.rc != 0))
		ctp_error_clear(e);
	return rc;
}

/* Each list downloaded once, loaded into every organization given. */
static int
fetch(struct opts *op, int nargs)
{
	struct ctp_orgs_run r = { NULL, CTP_PERM_WORK, NULL, fetch_org,
	    org_failed, NULL, 0, 0 };
	struct ctp_error e;
	int worst;

	ctp_error_clear(&e);
	if (nargs != 0)
		return ctp_cli_usage(synopsis, "fetch takes no arguments");
	if (ctp_screen_cache_new(&op->fo.cache, NULL, &e) != 0)
		return ctp_cli_fail(&e);
	r.prog = ctp_progname;
	r.arg = op;
	worst = ctp_orgs_each(&r, &op->dbs);
	ctp_screen_cache_free(op->fo.cache);
	op->fo.cache = NULL;
	return ctp_cli_finish(worst);
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

/* What a run needs in each organization. */
struct screening {
	const struct opts *op;
	char **npis;
	size_t n;
	struct ctp_screen_shared *shared;	/* the first one's index */
};

/*
 * The run in c's organization: its matches to o, its counts to stderr
 * with -v, the organization named with several.
 */
static int
screen(struct ctp_ctx *c, struct ctp_out *o, void *arg, struct ctp_error *e)
{
	struct screening *x = arg;
	const struct opts *op = x->op;
	struct ctp_screen_result r;
	long as_of = op->as_of;
	char name[128] = "";
	int rc;

	if (op->dbs.n > 1) {
		ctp_org_short(c->path, name, sizeof(name) - 2);
		strcat(name, ": ");
	}
	/* Today where the organization is, as for ctp-expiring. */
	if (as_of < 0 && (rc = ctp_org_today(c->db, &as_of, e)) != 0)
		return rc;
	if ((rc = ctp_screen_run_shared(c, op->dbs.n > 1 ? &x->shared : NULL,
	    (const char *const *)x->npis, x->n, as_of, o, &r, e)) != 0)
		return rc;
	if (r.providers == 0)
		ctp_warnx("%sno providers on the roster: nothing screened",
		    name);
	else if (op->verbose)
		fprintf(stderr, "%s: %srun %lld: %lld %s, %lld clear, %lld "
		    "potential, %lld insufficient data, %lld new %s, %lld "
		    "candidate %s examined\n", ctp_progname, name, r.run_id,
		    r.providers, ctp_plural(r.providers, "provider",
		    "providers"), r.clear, r.potential, r.insufficient,
		    r.new_matches, ctp_plural(r.new_matches, "match",
		    "matches"), r.examined, ctp_plural(r.examined, "pair",
		    "pairs"));
	return r.pending > 0 ? CTP_ATTN : 0;
}

/* The NPIs of run's operands (none: the roster): *npis new. */
static int
run_npis(int nargs, char **args, char ***npis, size_t *n,
    struct ctp_error *e)
{
	size_t i;

	*npis = NULL;
	*n = 0;
	if (nargs == 1 && strcmp(args[0], "-") == 0) {
		if (isatty(0))
			return ctp_cli_usage(synopsis, "run -: reading NPIs "
			    "from a terminal; pipe a CSV or JSON Lines stream "
			    "with an npi column");
		return ctp_input_read_npis("-", npis, n, e) ? ctp_cli_fail(e)
		    : 0;
	}
	if (nargs == 0)
		return 0;
	if ((*npis = ctp_calloc((size_t)nargs, sizeof(**npis))) == NULL)
		return ctp_cli_fail(e);
	for (i = 0; i < (size_t)nargs; i++)
		if (((*npis)[(*n)++] = ctp_strdup(args[i])) == NULL)
			return ctp_cli_fail(e);
	return 0;
}

/*
 * Screen every organization given (ctp_orgs_each), several into one
 * listing whose rows name their organization.
 */
static int
run(struct opts *op, int nargs, char **args)
{
	struct screening x = { op, NULL, 0, NULL };
	struct ctp_orgs_run r = { NULL, CTP_PERM_WORK, NULL, screen,
	    org_failed, NULL, 0, 1 };
	struct ctp_error e;
	int rc;

	ctp_error_clear(&e);
	if ((rc = run_npis(nargs, args, &x.npis, &x.n, &e)) != 0)
		goto done;
	if (nargs > 0 && x.n == 0) {
		ctp_warnx("no providers on standard input: nothing screened");
		goto done;
	}
	if (op->dbs.n > 1 && nargs > 0) {
		rc = ctp_cli_usage(synopsis, "run NPI ...: one organization "
		    "at a time");
		goto done;
	}
	if ((r.o = ctp_orgs_out(&op->dbs, stdout, ctp_out_choose(op->json,
	    op->csv, stdout), ctp_screen_match_columns,
	    CTP_SCREEN_MATCH_NCOLUMNS)) == NULL) {
		rc = ctp_cli_fail(&e);
		goto done;
	}
	r.prog = ctp_progname;
	r.arg = &x;
	/* Several at once, after the first (its index of the lists is
	 * shared: lib/screen_shared.c). */
	r.jobs = op->jobs ? op->jobs : ctp_orgs_jobs();
	rc = ctp_orgs_each(&r, &op->dbs);
	ctp_screen_shared_free(x.shared);
	/* One organization: no listing after a failure. */
	if (rc > CTP_ATTN && op->dbs.n <= 1)
		ctp_out_free(r.o);
	else if (ctp_out_close(r.o, &e) != 0)
		rc = ctp_cli_fail(&e);
	else
		rc = ctp_cli_finish(rc);
done:
	ctp_input_free_list(x.npis, x.n);
	return rc;
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

static int
nicknames_of(struct ctp_ctx *c, const struct opts *op, struct ctp_out *o,
    struct ctp_error *e)
{
	(void)op;
	return ctp_screen_nicknames_list(c, o, e);
}

/* nicknames [list] | nicknames add NAME NICKNAME */
static int
nicknames(struct opts *op, int nargs, char **args)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	int add = nargs > 0 && strcmp(args[0], "add") == 0;

	ctp_error_clear(&e);
	if (add && nargs != 3)
		return ctp_cli_usage(synopsis, "nicknames add needs a name and "
		    "a nickname");
	if (!add && (nargs > 1 || (nargs == 1 && strcmp(args[0], "list") !=
	    0)))
		return ctp_cli_usage(synopsis, "nicknames: add NAME NICKNAME, "
		    "or list");
	if (ctp_ctx_open(&c, ctp_progname, op->db, add ? CTP_PERM_WORK :
	    CTP_PERM_READ, &e))
		return ctp_cli_fail(&e);
	if (add)
		return finish(c, ctp_screen_nickname_add(c, args[1], args[2],
		    &e), &e);
	return finish(c, listing(c, op, ctp_screen_nicknames_columns,
	    CTP_SCREEN_NICKNAMES_NCOLUMNS, nicknames_of, &e), &e);
}

/* The option table and its switch, a case an option: -1 when the
 * options hold, else the exit status (op->dbs then freed by main). */
static int
parse(int argc, char **argv, struct opts *op)
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
		{ "jobs", required_argument, NULL, O_JOBS },
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
	long v;
	int ch;

	ctp_error_clear(&e);
	while ((ch = getopt_long(argc, argv, "ad:fhjn:s:vV", longopts, NULL))
	    != -1) {
		switch (ch) {
		case 'a':
			op->all = 1;
			break;
		case O_ASOF:
			if (ctp_parse_as_of(optarg, &op->as_of) < 0)
				return ctp_cli_usage(synopsis, "--as-of: not a "
				    "date");
			break;
		case O_CLEAR:
		case O_CONFIRM:
		case O_REINSTATE:
			if (op->decision >= 0)
				return ctp_cli_usage(synopsis, "one of "
				    "--confirm, --clear and --reinstate");
			op->decision = ch == O_CONFIRM ? 1 : ch == O_REINSTATE ?
			    2 : 0;
			break;
		case O_CSV:
			op->csv = 1;
			break;
		case 'd':
			if (*optarg == '\0')
				return ctp_cli_usage(synopsis, "--db: empty "
				    "path");
			if (ctp_expiring_dbs_add(&op->dbs, optarg, &e) != 0)
				return ctp_cli_fail(&e);
			break;
		case 'f':
			op->l.force = op->fo.force = 1;
			break;
		case 'h':
			help();
			return ctp_cli_finish(0);
		case 'j':
			op->json = 1;
			break;
		case O_JOBS:
			if (ctp_parse_long(optarg, 1, 16, &v) < 0)
				return ctp_cli_usage(synopsis, "--jobs: a "
				    "number from 1 to 16");
			op->jobs = (int)v;
			break;
		case O_LEIE:
		case O_LEIE_REIN:
		case O_LEIE_SUPP:
		case O_SAM:
			op->file = optarg;
			op->nfiles++;
			op->kind = ch == O_LEIE ? CTP_LIST_LEIE :
			    ch == O_LEIE_REIN ? CTP_LIST_LEIE_REIN :
			    ch == O_LEIE_SUPP ? CTP_LIST_LEIE_SUPP :
			    CTP_LIST_SAM;
			break;
		case O_LEIE_URL:
			op->fo.leie_url = optarg;
			break;
		case O_LIST:
			op->list = optarg;
			break;
		case O_MAP:
			op->map = optarg;
			break;
		case 'n':
			op->note = optarg;
			break;
		case O_RETRIES:
			if (ctp_parse_long(optarg, 0, 10, &v) < 0)
				return ctp_cli_usage(synopsis, "--retries: a "
				    "number from 0 to 10");
			op->fo.retries = (int)v;
			break;
		case O_SAM_KEY:
			op->fo.sam_key = optarg;
			break;
		case O_SAM_URL:
			op->fo.sam_url = optarg;
			break;
		case 's':
			op->status = optarg;
			break;
		case O_TIMEOUT:
			if (ctp_parse_long(optarg, 1, 86400, &v) < 0)
				return ctp_cli_usage(synopsis, "--timeout: "
				    "seconds from 1 to 86400");
			op->fo.timeout = v;
			break;
		case 'v':
			op->verbose = 1;
			break;
		case 'V':
			return ctp_cli_version();
		default:
			return ctp_cli_usage(synopsis, NULL);
		}
	}
	return -1;
}

/* The options, then one verb. */
int
main(int argc, char **argv)
{
	struct opts op;
	const char *verb;
	int nargs, rc;

	ctp_tune_bulk_writer(0);	/* before SQLite's first use */
	ctp_cli_init(argc, argv);
	memset(&op, 0, sizeof(op));
	op.as_of = -1;
	op.decision = -1;
	op.kind = -1;
	op.fo.retries = -1;
	op.fo.progress.fn = ctp_cli_progress;
	if ((rc = parse(argc, argv, &op)) >= 0) {
		ctp_expiring_dbs_free(&op.dbs);
		return rc;
	}
	if (optind >= argc) {
		ctp_expiring_dbs_free(&op.dbs);
		return ctp_cli_usage(synopsis, "missing command");
	}
	verb = argv[optind++];
	nargs = argc - optind;
	op.db = op.dbs.n ? op.dbs.v[0] : NULL;
	if (strcmp(verb, "fetch") == 0)
		rc = fetch(&op, nargs);
	else if (strcmp(verb, "run") == 0)
		rc = run(&op, nargs, argv + optind);
	else if (op.dbs.n > 1)
		rc = ctp_cli_usage(synopsis, "%s: one organization at a time "
		    "(one --db FILE)", verb);
	else if (strcmp(verb, "load") == 0)
		rc = load(&op, nargs, argv + optind);
	else if (strcmp(verb, "lists") == 0)
		rc = lists(&op, nargs);
	else if (strcmp(verb, "matches") == 0)
		rc = matches(&op, nargs);
	else if (strcmp(verb, "review") == 0)
		rc = review(&op, nargs, argv + optind);
	else if (strcmp(verb, "nicknames") == 0)
		rc = nicknames(&op, nargs, argv + optind);
	else
		rc = ctp_cli_usage(synopsis, "unknown command: %s", verb);
	ctp_expiring_dbs_free(&op.dbs);
	return rc;
}
