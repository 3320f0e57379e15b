/* ctp-npi - check the roster against the NPPES NPI registry. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"
#include "date.h"
#include "db.h"
#include "expiring.h"	/* ctp_expiring_dbs_add: --db FILE or DIR */
#include "input.h"
#include "mem.h"
#include "npi.h"
#include "org.h"
#include "orgs.h"
#include "out.h"
#include "tune.h"

static const char synopsis[] =
    "ctp-npi [--db FILE] [--json|--csv] lookup [--api URL]"
    " [--timeout SECONDS] NPI\n"
    "       ctp-npi [--db FILE|DIR ...] [--json|--csv] [-v] refresh"
    " [--api URL]"
    " [--as-of DATE] [--bulk FILE] [--parallel N] [--rate N]"
    " [--retries N] [--timeout SECONDS] [NPI ... | -]\n"
    "       ctp-npi [--db FILE] [--json|--csv] mismatches"
    " [--status open|accepted|dismissed|resolved|all]\n"
    "       ctp-npi [--db FILE] accept [--note TEXT] ID\n"
    "       ctp-npi [--db FILE] dismiss --note TEXT ID";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  lookup      the registry's record for one NPI\n"
	    "  refresh     compare the roster (or these NPIs) with the registry;\n"
	    "              exit 1 when new mismatches were found\n"
	    "  mismatches  differences found, by status (default open)\n"
	    "  accept      write the registry value into the roster\n"
	    "  dismiss     keep the roster value; not reopened until the\n"
	    "              registry value changes\n"
	    "\n"
	    "      --api URL          registry API (setting nppes_api_url)\n"
	    "      --as-of DATE       refresh: date of the check (today)\n"
	    "  -b, --bulk FILE        refresh: read the dissemination file\n"
	    "      --csv              CSV output even on a terminal\n"
	    "  -d, --db FILE          organization database; refresh: again, or\n"
	    "                         a directory of them (--db DIR)\n"
	    "  -h, --help             this help\n"
	    "  -j, --json             JSON Lines output\n"
	    "  -n, --note TEXT        accept, dismiss: why\n"
	    "      --org NAME         the organization NAME.db in the data"
	    " directory\n"
	    "      --parallel N       refresh: requests in flight (8)\n"
	    "      --rate N           refresh: requests per second at most (10)\n"
	    "      --retries N        retries after a failed request (3)\n"
	    "  -s, --status STATUS    mismatches: open, accepted, dismissed,\n"
	    "                         resolved or all\n"
	    "      --timeout SECONDS  limit for one request (30)\n"
	    "  -v, --verbose          say what was checked\n"
	    "  -V, --version          print the version\n", synopsis);
}

enum {
	O_API = 256, O_ASOF, O_CSV, O_PARALLEL, O_RATE, O_RETRIES, O_TIMEOUT
};

static struct ctp_out *
new_out(int json, int csv, const struct ctp_col *cols, size_t n,
    struct ctp_error *e)
{
	struct ctp_out *o;

	o = ctp_out_new(stdout, ctp_out_choose(json, csv, stdout), cols, n, 0);
	if (o == NULL)
		ctp_err_nomem(e, "output");
	return o;
}

/* A provider the registry could not answer for, named on stderr. */
static void
name_failed(void *arg, const struct ctp_error *e)
{
	(void)arg;
	ctp_error_print(ctp_progname, e);
}

static int
parse_id(const char *s, long long *id)
{
	long v;

	if (ctp_parse_long(s, 1, 2000000000L, &v) < 0)
		return -1;
	*id = v;
	return 0;
}

/* -v: what one organization's refresh did (name: "org: " or ""). */
static void
refresh_said(const struct ctp_npi_refresh *r, const struct ctp_npi_summary *s,
    const char *name)
{
	struct ctp_npi_stats st;

	ctp_npi_last_stats(&st);
	fprintf(stderr, "%s: %schecked %ld: %ld matched, %ld with "
	    "mismatches, %ld not in the registry, %ld deactivated; %ld new "
	    "%s; %ld not checked\n", ctp_progname, name, s->checked,
	    s->matched, s->mismatched, s->not_found, s->deactivated,
	    s->new_mismatches, ctp_plural(s->new_mismatches, "mismatch",
	    "mismatches"), s->failed);
	if (r->bulk)
		fprintf(stderr, "%s: %s%lld %s read\n", ctp_progname, name,
		    s->lines, ctp_plural(s->lines, "line", "lines"));
	else
		fprintf(stderr, "%s: %s%ld %s (%ld %s) in %.2f s, at most %.0f "
		    "started in one second\n", ctp_progname, name, st.requests,
		    ctp_plural(st.requests, "request", "requests"), st.retries,
		    ctp_plural(st.retries, "retry", "retries"), st.seconds,
		    st.max_rate);
}

/* What a refresh needs in each organization. */
struct refreshing {
	struct ctp_npi_refresh *r;
	long as_of;
	int several, verbose;
	int stored;		/* something was written to o */
};

/* Refresh c's organization, its new mismatches to o. */
static int
refresh_org(struct ctp_ctx *c, struct ctp_out *o, void *arg,
    struct ctp_error *e)
{
	struct refreshing *x = arg;
	struct ctp_npi_refresh *r = x->r;
	struct ctp_npi_summary s;
	char name[128] = "";
	int rc;

	memset(&s, 0, sizeof(s));
	if (x->several) {
		ctp_org_short(c->path, name, sizeof(name) - 2);
		strcat(name, ": ");
	}
	r->as_of = x->as_of;
	if (x->as_of < 0 && (rc = ctp_org_today(c->db, &r->as_of, e)) != 0)
		return rc;
	rc = ctp_npi_refresh(c, r, o, &s, e);
	x->stored |= rc == 0 || s.checked > 0;
	if (x->verbose)
		refresh_said(r, &s, name);
	return rc == 0 && s.new_mismatches > 0 ? CTP_ATTN : rc;
}

/* A failure of one organization of the run, named (ctp_orgs_each). */
static void
org_failed(void *arg, const struct ctp_error *e)
{
	(void)arg;
	ctp_cli_fail(e);
}

/*
 * Refresh each organization given (ctp_orgs_each), the registry asked
 * once for an NPI on several rosters (npi_cache.h); several
 * organizations' mismatches go to one listing, each row naming its own.
 */
static int
refresh(const struct ctp_exp_dbs *dbs, struct ctp_npi_refresh *r,
    long as_of, int json, int csv, int verbose)
{
	struct refreshing x = { r, as_of, dbs->n > 1, verbose, 0 };
	struct ctp_orgs_run u = { NULL, CTP_PERM_WORK, NULL, refresh_org,
	    org_failed, NULL, 0, 0 };
	struct ctp_error e;
	int worst;

	ctp_error_clear(&e);
	u.o = ctp_orgs_out(dbs, stdout, ctp_out_choose(json, csv, stdout),
	    ctp_npi_mismatch_columns, CTP_NPI_MISMATCH_NCOLUMNS);
	if (u.o == NULL || (r->cache = ctp_npi_cache_new()) == NULL) {
		ctp_out_free(u.o);
		return ctp_cli_fail(&e);
	}
	u.prog = ctp_progname;
	u.arg = &x;
	worst = ctp_orgs_each(&u, dbs);
	ctp_npi_cache_free(r->cache);
	r->cache = NULL;
	/* Nothing stored: no header either. */
	if (!x.stored && worst > CTP_ATTN) {
		ctp_out_free(u.o);
		return worst;
	}
	if (ctp_out_close(u.o, &e) != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(worst);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "api", required_argument, NULL, O_API },
		{ "as-of", required_argument, NULL, O_ASOF },
		{ "bulk", required_argument, NULL, 'b' },
		{ "csv", no_argument, NULL, O_CSV },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "note", required_argument, NULL, 'n' },
		{ "parallel", required_argument, NULL, O_PARALLEL },
		{ "rate", required_argument, NULL, O_RATE },
		{ "retries", required_argument, NULL, O_RETRIES },
		{ "status", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_error e;
	struct ctp_ctx *c = NULL;
	struct ctp_out *o = NULL;
	struct ctp_npi_refresh r;
	struct ctp_npi_rec rec;
	/* Static: a usage error returns at once; the list lives for the run. */
	static struct ctp_exp_dbs dbs;
	const char *db = NULL, *verb, *note = NULL, *status = NULL;
	const char *v[CTP_NPI_NFIELDS];
	char **npis = NULL;
	size_t nnpis = 0;
	long as_of = -1, x;
	long long id;
	int ch, json = 0, csv = 0, verbose = 0, rc = 0, nargs, found, k;

	ctp_tune_bulk_writer(0);	/* before SQLite's first use */
	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	memset(&r, 0, sizeof(r));
	memset(&rec, 0, sizeof(rec));
	ctp_npi_opts_default(&r.api);
	r.api.api_url = NULL;
	while ((ch = getopt_long(argc, argv, "b:d:hjn:s:vV", opts,
	    NULL)) != -1) {
		switch (ch) {
		case O_API:
			if (strncmp(optarg, "http://", 7) != 0 &&
			    strncmp(optarg, "https://", 8) != 0)
				return ctp_cli_usage(synopsis, "--api: must be "
				    "an http:// or https:// address");
			r.api.api_url = optarg;
			break;
		case O_ASOF:
			if (ctp_parse_as_of(optarg, &as_of) < 0)
				return ctp_cli_usage(synopsis, "--as-of: not a "
				    "date");
			break;
		case 'b':
			r.bulk = optarg;
			break;
		case O_CSV:
			csv = 1;
			break;
		case 'd':
			if (*optarg == '\0')
				return ctp_cli_usage(synopsis, "--db: empty "
				    "path");
			if (ctp_expiring_dbs_add(&dbs, optarg, &e) != 0)
				return ctp_cli_fail(&e);
			db = dbs.v[0];
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
		case O_PARALLEL:
			if (ctp_parse_long(optarg, 1, 64, &x) < 0)
				return ctp_cli_usage(synopsis, "--parallel: "
				    "must be 1 to 64");
			r.api.parallel = x;
			break;
		case O_RATE:
			if (ctp_parse_long(optarg, 1, 10000, &x) < 0)
				return ctp_cli_usage(synopsis, "--rate: must "
				    "be 1 to 10000 requests per second");
			r.api.rate = (double)x;
			break;
		case O_RETRIES:
			if (ctp_parse_long(optarg, 0, 10, &x) < 0)
				return ctp_cli_usage(synopsis, "--retries: must "
				    "be 0 to 10");
			r.api.retries = x;
			break;
		case 's':
			status = optarg;
			break;
		case O_TIMEOUT:
			if (ctp_parse_long(optarg, 1, 3600, &x) < 0)
				return ctp_cli_usage(synopsis, "--timeout: "
				    "must be 1 to 3600 seconds");
			r.api.timeout_ms = x * 1000;
			if (r.api.connect_timeout_ms > r.api.timeout_ms)
				r.api.connect_timeout_ms = r.api.timeout_ms;
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
	if (dbs.n > 1 && strcmp(verb, "refresh") != 0)
		return ctp_cli_usage(synopsis, "%s: one organization at a time "
		    "(one --db FILE)", verb);
	if (dbs.n > 1 && nargs > 0)
		return ctp_cli_usage(synopsis, "refresh NPI ...: one "
		    "organization at a time");
	if (strcmp(verb, "lookup") == 0) {
		if (nargs != 1)
			return ctp_cli_usage(synopsis, "lookup needs one NPI");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_WORK, &e))
			return ctp_cli_fail(&e);
		rc = ctp_npi_lookup(c, &r.api, argv[optind], &rec, &found, &e);
		if (rc == 0 && !found) {
			ctp_errf(&e, CTP_ATTN, argv[optind],
			    "not in the registry");
			rc = CTP_ATTN;
		} else if (rc == 0) {
			if ((o = new_out(json, csv, ctp_npi_rec_columns,
			    CTP_NPI_NFIELDS, &e)) == NULL)
				rc = e.code;
			else {
				for (k = 0; k < CTP_NPI_NFIELDS; k++)
					v[k] = rec.f[k];
				if ((rc = ctp_out_row(o, v, &e)) == 0)
					rc = ctp_out_close(o, &e);
				else
					ctp_out_free(o);
			}
		}
		ctp_npi_rec_clear(&rec);
	} else if (strcmp(verb, "refresh") == 0) {
		if (nargs == 1 && strcmp(argv[optind], "-") == 0) {
			if (isatty(0))
				return ctp_cli_usage(synopsis, "refresh -: "
				    "reading NPIs from a terminal; pipe a CSV "
				    "or JSON Lines stream with an npi column");
			if ((rc = ctp_input_read_npis("-", &npis, &nnpis, &e)) != 0)
				goto done;
			if (nnpis == 0) {
				ctp_warnx("no providers on standard input: "
				    "nothing checked");
				goto done;
			}
			r.npis = (const char *const *)npis;
			r.nnpis = nnpis;
		} else if (nargs > 0) {
			r.npis = (const char *const *)(argv + optind);
			r.nnpis = (size_t)nargs;
		}
		r.progress.fn = ctp_cli_progress;
		r.failed = name_failed;
		rc = refresh(&dbs, &r, as_of, json, csv, verbose);
		ctp_input_free_list(npis, nnpis);
		ctp_expiring_dbs_free(&dbs);
		return rc;
	} else if (strcmp(verb, "mismatches") == 0) {
		if (nargs != 0)
			return ctp_cli_usage(synopsis, "mismatches takes no "
			    "arguments");
		if (status != NULL && strcmp(status, "open") != 0 &&
		    strcmp(status, "accepted") != 0 &&
		    strcmp(status, "dismissed") != 0 &&
		    strcmp(status, "resolved") != 0 &&
		    strcmp(status, "all") != 0)
			return ctp_cli_usage(synopsis, "--status: must be open, "
			    "accepted, dismissed, resolved or all");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_READ, &e))
			return ctp_cli_fail(&e);
		if ((o = new_out(json, csv, ctp_npi_mismatch_columns,
		    CTP_NPI_MISMATCH_NCOLUMNS, &e)) == NULL)
			rc = e.code;
		else if ((rc = ctp_npi_mismatches(c, status, o, &e)) == 0)
			rc = ctp_out_close(o, &e);
		else
			ctp_out_free(o);
	} else if (strcmp(verb, "accept") == 0 ||
	    strcmp(verb, "dismiss") == 0) {
		if (nargs != 1)
			return ctp_cli_usage(synopsis, "%s needs one ID", verb);
		if (parse_id(argv[optind], &id) < 0)
			return ctp_cli_usage(synopsis, "%s: not a mismatch id",
			    verb);
		if (verb[0] == 'd' && (note == NULL || *note == '\0'))
			return ctp_cli_usage(synopsis, "dismiss needs --note "
			    "TEXT");
		if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_WORK, &e))
			return ctp_cli_fail(&e);
		if (verb[0] == 'a')
			rc = ctp_npi_accept(c, id, note, &e);
		else
			rc = ctp_npi_dismiss(c, id, note, &e);
	} else
		return ctp_cli_usage(synopsis, "unknown command: %s", verb);
done:
	ctp_ctx_close(c);
	ctp_input_free_list(npis, nnpis);
	ctp_expiring_dbs_free(&dbs);
	if (rc == CTP_ATTN) {
		if (e.code == CTP_ATTN)
			ctp_cli_fail(&e);
		return ctp_cli_finish(CTP_ATTN);
	}
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}
