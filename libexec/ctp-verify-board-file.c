/*
 * ctp-verify-board-file - the board-file verifier (verify.h protocol):
 * a state license looked up in a board roster loaded into the
 * organization's database ($CTP_DB, opened read-only) by ctp-org board
 * load.  Config: board=NAME (required), active=WORD,WORD (the status
 * words of good standing).  Prints one answer and exits 0; 74 when the
 * answer cannot be written.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "board.h"
#include "board_check.h"
#include "buf.h"
#include "cli.h"
#include "err.h"
#include "verifier.h"

/* What the lookup found: the first row, or the first that agrees. */
struct pick {
	const struct ctp_vreq *r;
	const char *active;
	struct ctp_buf detail;
	const char *result;	/* NULL: nothing found yet */
	int nomem;
};

static int
consider(void *arg, const struct ctp_board_license *l)
{
	struct pick *p = arg;
	struct ctp_board_record b = { 0 };
	struct ctp_buf d = { 0 };
	const char *res;

	b.number = l->number;
	b.last = l->last;
	b.first = l->first;
	b.status = l->status;
	b.expires = l->expires;
	if ((res = ctp_board_compare(p->r, &b, p->active, &d)) == NULL) {
		ctp_buf_free(&d);
		p->nomem = 1;
		return 1;
	}
	if (p->result == NULL || strcmp(res, "verified") == 0) {
		ctp_buf_free(&p->detail);
		p->detail = d;
		p->result = res;
		/* Stop at a row that agrees. */
		return strcmp(res, "verified") == 0;
	}
	ctp_buf_free(&d);
	return 0;
}

static int
answer(const char *result, const char *source, const char *ref,
    const char *detail, const char *date)
{
	if (ctp_vanswer(stdout, result, "file", source, ref, detail, date) < 0) {
		fprintf(stderr, "ctp-verify-board-file: stdout: write error\n");
		return CTP_IOERR;
	}
	return 0;
}

static int
check(struct ctp_vreq *r, sqlite3 *db, const char *name)
{
	struct ctp_board_roster ro;
	struct ctp_error e;
	struct pick p;
	char source[200], ref[16], date[16], why[300];
	long long found = 0;
	int rc;

	ctp_error_clear(&e);
	memset(&p, 0, sizeof(p));
	if (ctp_board_roster(db, name, &ro, &e) != 0) {
		snprintf(why, sizeof(why), "board %.100s: %.180s", name,
		    e.what);
		return answer("error", NULL, NULL, why, NULL);
	}
	snprintf(date, sizeof(date), "%.10s", *ro.file_date ? ro.file_date :
	    ro.loaded_at);
	snprintf(source, sizeof(source), "%s board file (loaded %.10s)", name,
	    ro.loaded_at);
	snprintf(ref, sizeof(ref), "%.12s", ro.sha256);
	if (*r->state && strcasecmp(r->state, ro.state) != 0) {
		snprintf(why, sizeof(why), "the %s roster is %s's, the "
		    "license is %s's", name, ro.state, r->state);
		return answer("error", source, ref, why, date);
	}
	p.r = r;
	p.active = ctp_vreq_config(r, "active");
	rc = ctp_board_lookup(db, ro.id, r->number, consider, &p, &found, &e);
	/* 1: consider stopped at a row that agrees. */
	if (rc != 0 && rc != 1 && !p.nomem) {
		ctp_buf_free(&p.detail);
		return answer("error", source, ref, e.what, date);
	}
	if (p.nomem) {
		ctp_buf_free(&p.detail);
		return answer("error", source, ref, "out of memory", date);
	}
	if (p.result == NULL) {
		snprintf(why, sizeof(why), "license %s is not in the %s roster "
		    "(%lld %s)", r->number, name, ro.rows, ro.rows == 1 ?
		    "license" : "licenses");
		return answer("not_found", source, ref, why, date);
	}
	rc = answer(p.result, source, ref, p.detail.s ? p.detail.s : "",
	    date);
	ctp_buf_free(&p.detail);
	return rc;
}

int
main(int argc, char **argv)
{
	struct ctp_vreq r;
	struct ctp_error e;
	sqlite3 *db = NULL;
	const char *name;
	char why[600];
	int rc;

	ctp_cli_init(argc, argv);
	if (argc > 1) {
		fprintf(stderr, "usage: ctp-verify-board-file < REQUEST.json "
		    "(see ctp-verifiers(7))\n");
		return CTP_USAGE;
	}
	ctp_error_clear(&e);
	why[0] = '\0';
	if (ctp_vreq_read(stdin, &r, why, sizeof(why)) != 0)
		rc = answer("error", NULL, NULL, why, NULL);
	else if ((name = ctp_vreq_config(&r, "board")) == NULL || !*name)
		rc = answer("error", NULL, NULL, "config: board=NAME is "
		    "required (the roster's name in ctp-org board list)", NULL);
	else if (ctp_board_open(ctp_verifier_db_path(), &db, &e) != 0) {
		snprintf(why, sizeof(why), "%.250s%s%.300s", e.where,
		    *e.where ? ": " : "", e.what);
		rc = answer("error", NULL, NULL, why, NULL);
	} else
		rc = check(&r, db, name);
	sqlite3_close(db);
	ctp_vreq_free(&r);
	return rc;
}
