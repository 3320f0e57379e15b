/* ctp-audit - view, export and verify the audit log. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "auth.h"
#include "cli.h"
#include "date.h"
#include "out.h"

static const char synopsis[] =
    "ctp-audit [--db FILE] [--json|--csv] list [--since DATE] "
    "[--until DATE]\n"
    "       [--actor USER] [--action ACTION] | export [...] |\n"
    "       verify [--anchor FILE] | head";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  list     events, without their hashes\n"
	    "  export   events with previous hash and hash (CSV or JSON Lines)\n"
	    "  verify   check the triggers, the table and the hash chain;\n"
	    "           exit 1 naming what is wrong\n"
	    "  head     latest sequence number and hash, to anchor elsewhere\n\n"
	    "  -d, --db FILE        organization database\n"
	    "  -s, --since DATE     events on or after DATE\n"
	    "  -u, --until DATE     events on or before DATE\n"
	    "  -a, --actor USER     events by USER\n"
	    "      --anchor FILE    verify: lines saved by head must still be\n"
	    "                       in the chain\n"
	    "  -A, --action ACTION  events of ACTION (user matches user.*)\n"
	    "  -j, --json           JSON Lines output\n"
	    "      --csv            CSV output even on a terminal\n"
	    "  -h, --help           this help\n"
	    "  -V, --version        print the version\n\n"
	    "Owner, admin and auditor only.\n", synopsis);
}

static int
date_opt(const char *name, const char *arg, char out[CTP_DATE_LEN])
{
	if (ctp_date_normalize(arg, out) < 0)
		return ctp_cli_usage(synopsis, "%s: not a date (YYYY-MM-DD)",
		    name);
	return 0;
}

static void
report(const struct ctp_audit_check *r, const struct ctp_audit_anchors *a)
{
	int i;

	for (i = 0; i < r->nproblems && i < CTP_AUDIT_PROBLEMS; i++)
		ctp_warnx("audit log: %s", r->problem[i]);
	if (r->nproblems > CTP_AUDIT_PROBLEMS)
		ctp_warnx("audit log: %d more differences in its table and "
		    "triggers", r->nproblems - CTP_AUDIT_PROBLEMS);
	if (r->first_bad)
		ctp_warnx("audit log broken at sequence %lld: %s", r->first_bad,
		    r->reason);
	if (a && a->failed) {
		ctp_warnx("%s:%lld: %s", a->name, a->first_line, a->reason);
		if (a->failed > 1)
			ctp_warnx("%s: %zu of %zu anchors are not in the chain",
			    a->name, a->failed, a->n);
	}
}

/* verify, or head; a holds the anchors of --anchor, or is NULL. */
static int
verify(struct ctp_ctx *c, int head, struct ctp_audit_anchors *a,
    struct ctp_error *e)
{
	struct ctp_audit_check r;
	json_t *d;
	int rc;

	if ((rc = ctp_audit_verify(c->db, &r, e)) != 0)
		return rc;
	if (head) {
		printf("%lld %s\n", r.head_seq, r.head_hash);
		return ctp_audit(c, "audit.head", "audit", "", NULL, e);
	}
	if (a && (rc = ctp_audit_anchors_check(c->db, &r, a, e)) != 0)
		return rc;
	d = json_pack("{s:I, s:I, s:i}", "rows", (json_int_t)r.rows,
	    "first_bad", (json_int_t)r.first_bad, "schema", r.nproblems);
	if (d && a && (json_object_set_new(d, "anchors",
	    json_integer((json_int_t)a->n)) || json_object_set_new(d,
	    "anchors_failed", json_integer((json_int_t)a->failed)))) {
		json_decref(d);
		d = NULL;
	}
	if (d == NULL)
		return ctp_err_nomem(e, "audit log");
	rc = ctp_audit(c, "audit.verify", "audit", "", d, e);
	json_decref(d);
	if (rc != 0)
		return rc;
	if (r.first_bad || r.nproblems || (a && a->failed)) {
		report(&r, a);
		return CTP_ATTN;
	}
	printf("ok %lld %s, head %lld %s", r.rows,
	    ctp_plural(r.rows, "event", "events"), r.head_seq,
	    r.head_hash);
	if (a)
		printf(", %zu %s", a->n, ctp_plural((long long)a->n, "anchor",
		    "anchors"));
	putchar('\n');
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "action", required_argument, NULL, 'A' },
		{ "actor", required_argument, NULL, 'a' },
		{ "anchor", required_argument, NULL, 'N' },
		{ "csv", no_argument, NULL, 'C' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_out *o;
	struct ctp_audit_filter f = { 0 };
	struct ctp_audit_anchors anchors;
	const struct ctp_col *cols;
	const char *db = NULL, *verb, *anchor = NULL;
	char since[CTP_DATE_LEN], until[CTP_DATE_LEN];
	size_t ncols;
	long long count;
	json_t *d;
	int ch, json = 0, csv = 0, rc, filtered = 0;

	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	while ((ch = getopt_long(argc, argv, "A:a:d:hjs:u:V", opts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'A':
			f.action = optarg;
			filtered = 1;
			break;
		case 'a':
			f.actor = optarg;
			filtered = 1;
			break;
		case 'C':
			csv = 1;
			break;
		case 'N':
			if (anchor != NULL)
				return ctp_cli_usage(synopsis,
				    "--anchor given twice");
			anchor = optarg;
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
		case 's':
			if (date_opt("--since", optarg, since))
				return CTP_USAGE;
			f.since = since;
			filtered = 1;
			break;
		case 'u':
			if (date_opt("--until", optarg, until))
				return CTP_USAGE;
			f.until = until;
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
	if (optind != argc)
		return ctp_cli_usage(synopsis, "unexpected argument: %s",
		    argv[optind]);
	if (strcmp(verb, "list") != 0 && strcmp(verb, "export") != 0 &&
	    strcmp(verb, "verify") != 0 && strcmp(verb, "head") != 0)
		return ctp_cli_usage(synopsis, "unknown command: %s", verb);
	if (filtered && (strcmp(verb, "verify") == 0 ||
	    strcmp(verb, "head") == 0))
		return ctp_cli_usage(synopsis, "%s takes no filters", verb);
	if (anchor && strcmp(verb, "verify") != 0)
		return ctp_cli_usage(synopsis, "--anchor is for verify only");
	/* A bad anchor file is refused before the log is touched. */
	if (anchor && ctp_audit_anchors_read(anchor, &anchors, &e) != 0)
		return ctp_cli_fail(&e);
	if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_AUDIT, &e)) {
		if (anchor)
			ctp_audit_anchors_free(&anchors);
		return ctp_cli_fail(&e);
	}
	if (strcmp(verb, "verify") == 0 || strcmp(verb, "head") == 0) {
		rc = verify(c, strcmp(verb, "head") == 0, anchor ? &anchors :
		    NULL, &e);
		if (anchor)
			ctp_audit_anchors_free(&anchors);
		ctp_ctx_close(c);
		if (rc != 0 && rc != CTP_ATTN)
			return ctp_cli_fail(&e);
		return ctp_cli_finish(rc);
	}
	f.with_hashes = strcmp(verb, "export") == 0;
	cols = ctp_audit_columns(f.with_hashes, &ncols);
	/* An export is data for another program: never a table. */
	o = ctp_out_new(stdout, f.with_hashes && !json ? CTP_FMT_CSV :
	    ctp_out_choose(json, csv, stdout), cols, ncols, 0);
	if (o == NULL)
		rc = ctp_err_nomem(&e, "output");
	else if ((rc = ctp_audit_list(c, &f, o, &count, &e)) != 0)
		ctp_out_free(o);
	else if ((rc = ctp_out_close(o, &e)) == 0) {
		d = json_pack("{s:s?, s:s?, s:s?, s:s?, s:I}", "since", f.since,
		    "until", f.until, "actor", f.actor, "action", f.action,
		    "rows", (json_int_t)count);
		rc = ctp_audit(c, f.with_hashes ? "audit.export" : "audit.list",
		    "audit", "", d, &e);
		json_decref(d);
	}
	ctp_ctx_close(c);
	if (rc != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}
