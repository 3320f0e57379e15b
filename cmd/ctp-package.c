/*
 * ctp-package - credential packages for payers: build one ZIP per
 * provider, verify a package, set what a package must hold.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "cli.h"
#include "date.h"
#include "input.h"
#include "org.h"
#include "out.h"
#include "package.h"
#include "tune.h"

static const char synopsis[] =
    "ctp-package [--db FILE] --payer NAME [-o PATH] [--as-of DATE] "
    "[--allow-incomplete] [--allow-excluded] [--force] [build] NPI...|- | "
    "verify FILE.zip... | require [--payer NAME] [--type TYPE] "
    "[KIND...|none|default]";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  [build] NPI...|-       one package a provider (coordinator);\n"
	    "                         - reads CSV or JSON Lines with an npi "
	    "column\n"
	    "  verify FILE.zip...     check every file against the manifest\n"
	    "  require [KIND...]      what a package must hold (coordinator);"
	    "\n"
	    "                         without KIND: the requirements\n\n"
	    "      --allow-excluded   package a provider with a confirmed "
	    "exclusion\n"
	    "      --allow-incomplete package anyway, listing the gaps\n"
	    "  -a, --as-of DATE       the day the package speaks for "
	    "(default today)\n"
	    "      --csv              require: CSV output even on a terminal\n"
	    "  -d, --db FILE          organization database\n"
	    "  -f, --force            replace existing packages\n"
	    "  -h, --help             this help\n"
	    "  -j, --json             require: JSON Lines output\n"
	    "  -o, --output PATH      FILE.zip for one provider, or DIR\n"
	    "  -p, --payer NAME       the payer the package is for\n"
	    "  -t, --type TYPE        require: the provider type (default "
	    "any)\n"
	    "  -V, --version          print the version\n", synopsis);
}

struct opts {
	const char *db, *payer, *output, *type, *as_of;
	int force, incomplete, excluded, json, csv;
};

static void
warn(void *arg, const char *msg)
{
	const char *file = arg;

	if (file)
		ctp_msgf(stderr, "%s: %s: %s", ctp_progname, file, msg);
	else
		ctp_msgf(stderr, "%s: %s", ctp_progname, msg);
}

static int
cmd_verify(int n, char **files)
{
	struct ctp_error e;
	long long nf, bad;
	int i, rc = 0;

	for (i = 0; i < n; i++) {
		ctp_error_clear(&e);
		if (ctp_package_verify(files[i], warn, files[i], &nf, &bad,
		    &e) != 0) {
			ctp_error_print(ctp_progname, &e);
			if (rc == 0 || rc == CTP_ATTN)
				rc = e.code;
			continue;
		}
		if (bad && rc == 0)
			rc = CTP_ATTN;
	}
	return ctp_cli_finish(rc);
}

/*
 * When every entry is dated: SOURCE_DATE_EPOCH, else noon (UTC) of the
 * as-of day.  A ZIP holds local time, which libzip reaches through
 * mktime: noon is never skipped by a change of clocks in any zone,
 * midnight is in a few, so noon gives the same bytes everywhere.
 */
static time_t
entry_time(long as_of)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	long v;

	if (s && *s && ctp_parse_long(s, 0, 0x7fffffffL, &v) == 0)
		return (time_t)v;
	return (time_t)as_of * 86400 + 12 * 3600;
}

static int
cmd_build(struct ctp_ctx *c, const struct opts *op, int n, char **args,
    struct ctp_error *e)
{
	struct ctp_package_opts o;
	char **list = NULL;
	size_t nl = 0;
	int rc;

	memset(&o, 0, sizeof(o));
	o.payer = op->payer;
	o.output = op->output;
	o.force = op->force;
	o.allow_incomplete = op->incomplete;
	o.allow_excluded = op->excluded;
	o.warn = warn;
	o.progress.fn = ctp_cli_progress;
	if (op->as_of) {
		if (ctp_parse_as_of(op->as_of, &o.as_of) != 0)
			return ctp_errf(e, CTP_USAGE, "--as-of", "not a date");
	} else if ((rc = ctp_org_today(c->db, &o.as_of, e)) != 0)
		return rc;
	o.when = entry_time(o.as_of);
	if (n == 1 && strcmp(args[0], "-") == 0) {
		if ((rc = ctp_input_read_npis("-", &list, &nl, e)) != 0) {
			ctp_input_free_list(list, nl);
			return rc;
		}
		rc = ctp_package_run(c, &o, list, nl, e);
		ctp_input_free_list(list, nl);
		return rc;
	}
	return ctp_package_run(c, &o, args, (size_t)n, e);
}

static int
cmd_require(struct ctp_ctx *c, const struct opts *op, int n, char **kinds,
    struct ctp_error *e)
{
	struct ctp_out *o;
	int rc;

	if (n > 0)
		return ctp_package_require_set(c, op->payer, op->type, kinds, n,
		    e);
	if ((o = ctp_out_new(stdout, ctp_out_choose(op->json, op->csv,
	    stdout), ctp_package_require_columns,
	    CTP_PACKAGE_REQUIRE_NCOLUMNS, 0)) == NULL)
		return ctp_err_nomem(e, "output");
	if ((rc = ctp_package_require_list(c, op->payer, o, e)) != 0) {
		ctp_out_free(o);
		return rc;
	}
	return ctp_out_close(o, e);
}

/* Options apply to their verbs only; 0 or the usage error's code. */
static int
check_usage(const char *verb, int nargs, const struct opts *op)
{
	int build = strcmp(verb, "build") == 0,
	    require = strcmp(verb, "require") == 0;

	if ((op->json || op->csv || op->type) && !require)
		return ctp_cli_usage(synopsis, "--json, --csv and --type apply "
		    "to require only");
	if ((op->output || op->force || op->incomplete || op->excluded ||
	    op->as_of) && !build)
		return ctp_cli_usage(synopsis, "--output, --force, --as-of and "
		    "--allow-* apply to build only");
	if (build && op->payer == NULL)
		return ctp_cli_usage(synopsis, "build needs --payer NAME");
	if (!require && nargs < 1)
		return ctp_cli_usage(synopsis, "%s needs %s", verb, build ?
		    "NPI... or -" : "FILE.zip");
	if (!require && !build && op->payer)
		return ctp_cli_usage(synopsis, "--payer applies to build and "
		    "require only");
	return 0;
}

static int
parse(int argc, char **argv, struct opts *op)
{
	static const struct option lopts[] = {
		{ "allow-excluded", no_argument, NULL, 'X' },
		{ "allow-incomplete", no_argument, NULL, 'I' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "csv", no_argument, NULL, 'C' },
		{ "db", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "payer", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "a:d:fhjo:p:t:V", lopts, NULL))
	    != -1) {
		switch (ch) {
		case 'X':
			op->excluded = 1;
			break;
		case 'I':
			op->incomplete = 1;
			break;
		case 'a':
			op->as_of = optarg;
			break;
		case 'C':
			op->csv = 1;
			break;
		case 'd':
			op->db = optarg;
			break;
		case 'f':
			op->force = 1;
			break;
		case 'h':
			help();
			exit(ctp_cli_finish(0));
		case 'j':
			op->json = 1;
			break;
		case 'o':
			op->output = optarg;
			break;
		case 'p':
			op->payer = optarg;
			break;
		case 't':
			op->type = optarg;
			break;
		case 'V':
			exit(ctp_cli_version());
		default:
			return ctp_cli_usage(synopsis, NULL);
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts op;
	struct ctp_error e;
	struct ctp_ctx *c;
	const char *verb = "build";
	long d;
	int rc, nargs;

	ctp_cli_init(argc, argv);
	ctp_tune_packager();
	ctp_error_clear(&e);
	memset(&op, 0, sizeof(op));
	if ((rc = parse(argc, argv, &op)) != 0)
		return rc;
	if (optind < argc && (strcmp(argv[optind], "build") == 0 ||
	    strcmp(argv[optind], "verify") == 0 ||
	    strcmp(argv[optind], "require") == 0))
		verb = argv[optind++];
	nargs = argc - optind;
	if ((rc = check_usage(verb, nargs, &op)) != 0)
		return rc;
	if (op.as_of && ctp_parse_as_of(op.as_of, &d) != 0)
		return ctp_cli_usage(synopsis, "--as-of: not a date");
	if (strcmp(verb, "verify") == 0)
		return cmd_verify(nargs, argv + optind);
	if (ctp_ctx_open(&c, ctp_progname, op.db, strcmp(verb, "require") ==
	    0 && nargs == 0 ? CTP_PERM_READ : CTP_PERM_WORK, &e))
		return ctp_cli_fail(&e);
	if (strcmp(verb, "build") == 0)
		rc = cmd_build(c, &op, nargs, argv + optind, &e);
	else
		rc = cmd_require(c, &op, nargs, argv + optind, &e);
	ctp_ctx_close(c);
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}
