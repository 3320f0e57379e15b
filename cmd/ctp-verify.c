/* ctp-verify - run the configured verifiers for providers' credentials. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"
#include "date.h"
#include "expiring.h"	/* ctp_expiring_dbs_add: --db FILE or DIR */
#include "input.h"
#include "mem.h"
#include "orgs.h"
#include "out.h"
#include "validate.h"
#include "verify.h"
#include "verify_config.h"

static const char synopsis[] =
    "ctp-verify [--db FILE|DIR ...] [--json|--csv] [--as-of DATE]"
    " [--kind KIND] [NPI ... | -]";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "Run the verifiers of the providers named (every active provider\n"
	    "when none is; - reads a CSV or JSON Lines stream with an npi\n"
	    "column): npi, oig and sam, then each active credential's\n"
	    "verifier (ctp-org verifier).  Exit 1 when any result is not\n"
	    "verified.\n\n"
	    "      --as-of DATE  the day the verifiers check for (default: "
	    "today)\n"
	    "      --csv         CSV output even on a terminal\n"
	    "  -d, --db FILE     organization database; again, or a directory"
	    "\n                    of them (--db DIR): each in turn\n"
	    "  -h, --help        this help\n"
	    "  -j, --json        JSON Lines output\n"
	    "  -k, --kind KIND   only this check (npi, oig, sam) or credential"
	    " kind\n"
	    "      --org NAME    the organization NAME.db in the data"
	    " directory\n"
	    "  -V, --version     print the version\n", synopsis);
}

struct printer {
	struct ctp_ctx *c;
	struct ctp_out *o;
	struct ctp_error *e;
};

static int
print_result(const struct ctp_verify_result *r, void *arg)
{
	struct printer *p = arg;

	return ctp_verify_row(p->c, p->o, r, p->e);
}

/* The NPIs of the operands: *npis new (ctp_input_free_list). */
static int
operands(int nargs, char **args, char ***npis, size_t *n,
    struct ctp_error *e)
{
	size_t i;

	*npis = NULL;
	*n = 0;
	if (nargs == 1 && strcmp(args[0], "-") == 0) {
		if (isatty(0))
			return ctp_cli_usage(synopsis, "-: reading NPIs from a "
			    "terminal; pipe a CSV or JSON Lines stream with an "
			    "npi column");
		return ctp_input_read_npis("-", npis, n, e);
	}
	if (nargs == 0)
		return 0;
	if ((*npis = ctp_calloc((size_t)nargs, sizeof(**npis))) == NULL)
		return ctp_err_nomem(e, "arguments");
	for (i = 0; i < (size_t)nargs; i++) {
		if (((*npis)[(*n)++] = ctp_strdup(args[i])) == NULL)
			return ctp_err_nomem(e, "arguments");
	}
	return 0;
}

/* What verifying needs in each organization. */
struct verifying {
	char **npis;
	size_t n;
	struct ctp_verify_opts *vo;
};

/* Verify in c's organization, its results to o. */
static int
verify(struct ctp_ctx *c, struct ctp_out *o, void *arg, struct ctp_error *e)
{
	struct verifying *x = arg;
	struct printer p;
	long long *pids = NULL;
	size_t npids = 0, unverified = 0;
	int rc;

	if ((rc = ctp_verify_providers(c, (const char *const *)x->npis, x->n,
	    &pids, &npids, e)) != 0)
		return rc;
	p.c = c;
	p.e = e;
	p.o = o;
	rc = ctp_verify_run(c, pids, npids, x->vo, print_result, &p,
	    &unverified, e);
	free(pids);
	if (rc != 0)
		return rc;
	return unverified > 0 ? CTP_ATTN : 0;
}

/* A failure of one organization of the run, named (ctp_orgs_each). */
static void
org_failed(void *arg, const struct ctp_error *e)
{
	(void)arg;
	ctp_cli_fail(e);
}

/*
 * Each organization given in turn (ctp_orgs_each), into one listing
 * whose rows name their organization when there are several.
 */
static int
verify_all(const struct ctp_exp_dbs *dbs, char **npis, size_t n,
    struct ctp_verify_opts *vo, enum ctp_fmt fmt)
{
	struct verifying x = { npis, n, vo };
	struct ctp_orgs_run r = { NULL, CTP_PERM_WORK, NULL, verify,
	    org_failed, NULL, 0, 0 };
	struct ctp_error e;
	int rc;

	ctp_error_clear(&e);
	if ((r.o = ctp_orgs_out(dbs, stdout, fmt, ctp_verify_columns,
	    CTP_VERIFY_NCOLUMNS)) == NULL)
		return ctp_cli_fail(&e);
	r.prog = ctp_progname;
	r.arg = &x;
	/* A provider on two rosters: the registry asked once. */
	if (dbs->n > 1 && (vo->memo = ctp_verify_memo_new()) == NULL) {
		ctp_out_free(r.o);
		return ctp_cli_fail(&e);
	}
	rc = ctp_orgs_each(&r, dbs);
	ctp_verify_memo_free(vo->memo);
	vo->memo = NULL;
	/* One organization: no listing after a failure. */
	if (rc > CTP_ATTN && dbs->n <= 1) {
		ctp_out_free(r.o);
		return rc;
	}
	if (ctp_out_close(r.o, &e) != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(rc);
}

int
main(int argc, char **argv)
{
	enum { O_ASOF = 256, O_CSV };
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, O_ASOF },
		{ "csv", no_argument, NULL, O_CSV },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "kind", required_argument, NULL, 'k' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_verify_opts vo = { NULL, NULL, NULL };
	struct ctp_error e;
	/* Static: a usage error returns at once; the list lives for the run. */
	static struct ctp_exp_dbs dbs;
	char **npis = NULL, as_of[16];
	size_t n = 0;
	long day;
	int ch, json = 0, csv = 0, rc;

	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	while ((ch = getopt_long(argc, argv, "d:hjk:V", opts, NULL)) != -1) {
		switch (ch) {
		case O_ASOF:
			if (ctp_parse_as_of(optarg, &day) < 0)
				return ctp_cli_usage(synopsis, "--as-of: not a "
				    "date");
			ctp_date_format(day, as_of);
			vo.as_of = as_of;
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
			break;
		case 'h':
			help();
			return ctp_cli_finish(0);
		case 'j':
			json = 1;
			break;
		case 'k':
			if (!ctp_verify_is_check(optarg) &&
			    !ctp_kind_valid(optarg))
				return ctp_cli_usage(synopsis, "--kind: npi, "
				    "oig, sam or a credential kind");
			vo.kind = optarg;
			break;
		case 'V':
			return ctp_cli_version();
		default:
			return ctp_cli_usage(synopsis, NULL);
		}
	}
	if ((rc = operands(argc - optind, argv + optind, &npis, &n, &e)) != 0)
		goto done;
	if (n == 0 && argc - optind > 0) {
		/* An empty stream is no one, not everyone. */
		ctp_warnx("no providers on standard input: nothing verified");
		goto done;
	}
	if (dbs.n > 1 && argc - optind > 0) {
		rc = ctp_cli_usage(synopsis, "NPI ...: one organization at a "
		    "time");
		goto done;
	}
	rc = verify_all(&dbs, npis, n, &vo, ctp_out_choose(json, csv, stdout));
	ctp_input_free_list(npis, n);
	ctp_expiring_dbs_free(&dbs);
	return rc;
done:
	ctp_input_free_list(npis, n);
	ctp_expiring_dbs_free(&dbs);
	if (rc == CTP_USAGE && e.code == 0)
		return rc;
	if (rc != 0 && rc != CTP_ATTN)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(rc);
}
