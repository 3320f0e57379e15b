/*
 * verifier.c - what ctp's own verifiers share (verifier.h): the request,
 * the database, the reply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "cli.h"
#include "verifier.h"

#define REQUEST_MAX (1024 * 1024)

int
ctp_verifier_read(FILE *f, json_t **req, struct ctp_error *e)
{
	struct ctp_buf b = CTP_BUF_INIT;
	char chunk[8192];
	size_t n;
	json_t *r;
	const char *npi;

	*req = NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > REQUEST_MAX) {
			ctp_buf_free(&b);
			return ctp_errf(e, CTP_DATAERR, "request", "longer "
			    "than 1 MB");
		}
		if (ctp_buf_add(&b, chunk, n) < 0) {
			ctp_buf_free(&b);
			return ctp_err_nomem(e, "request");
		}
	}
	if (ferror(f)) {
		ctp_buf_free(&b);
		return ctp_errf(e, CTP_IOERR, "request", "read error");
	}
	r = json_loadb(b.s ? b.s : "", b.len, JSON_REJECT_DUPLICATES, NULL);
	ctp_buf_free(&b);
	if (r == NULL || !json_is_object(r)) {
		json_decref(r);
		return ctp_errf(e, CTP_DATAERR, "request", "not one JSON "
		    "object");
	}
	npi = json_string_value(json_object_get(json_object_get(r,
	    "provider"), "npi"));
	if (npi == NULL) {
		json_decref(r);
		return ctp_errf(e, CTP_DATAERR, "request", "no provider npi");
	}
	*req = r;
	return 0;
}

const char *
ctp_verifier_db_path(void)
{
	/*
	 * Set by ctp-verify, which starts a verifier of ctp's own with the
	 * team group in a team install (priv.h): trusted even then, since
	 * nothing else starts one with that group.
	 */
	return getenv("CTP_DB");
}

int
ctp_verifier_db(sqlite3 **db, struct ctp_error *e)
{
	const char *path = ctp_verifier_db_path();
	int rc;

	*db = NULL;
	if (path == NULL || *path == '\0')
		return ctp_errf(e, CTP_USAGE, "CTP_DB", "not set: the "
		    "organization's database");
	rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		rc = ctp_errf(e, CTP_NOINPUT, "database", "%s",
		    *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
		sqlite3_close(*db);
		*db = NULL;
		return rc;
	}
	sqlite3_busy_timeout(*db, CTP_BUSY_TIMEOUT_MS);
	return 0;
}

json_t *
ctp_verifier_reply(const char *result, const char *source,
    const char *reference, json_t *detail, const char *source_date)
{
	json_t *r = json_pack("{s:s, s:s*, s:s*, s:s*}", "result", result,
	    "source", source, "reference", reference, "source_date",
	    source_date);

	if (r == NULL) {
		json_decref(detail);
		return NULL;
	}
	if (detail != NULL && json_object_set_new(r, "detail", detail) != 0) {
		json_decref(r);
		return NULL;
	}
	return r;
}

const char *
ctp_verifier_provider(const json_t *req, const char *key)
{
	return json_string_value(json_object_get(json_object_get(req,
	    "provider"), key));
}

int
ctp_verifier_npi_check(sqlite3 *db, const char *source, const json_t *req,
    json_t **reply, struct ctp_error *e)
{
	(void)source;
	return ctp_verifier_npi(db, req, reply, e);
}

int
ctp_verifier_main(int argc, char **argv, ctp_verifier_check check,
    const char *source)
{
	struct ctp_error e;
	sqlite3 *db = NULL;
	json_t *req = NULL, *reply = NULL;
	int rc;

	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	if (argc == 2 && strcmp(argv[1], "--version") == 0)
		return ctp_cli_version();
	if (argc != 1) {
		fprintf(stderr, "usage: %s < request.json (run by "
		    "ctp-verify)\n", ctp_progname);
		return CTP_USAGE;
	}
	if ((rc = ctp_verifier_read(stdin, &req, &e)) == 0 &&
	    (rc = ctp_verifier_db(&db, &e)) == 0 &&
	    (rc = check(db, source, req, &reply, &e)) == 0 &&
	    json_dumpf(reply, stdout, JSON_COMPACT) == 0 &&
	    putchar('\n') != EOF)
		rc = ctp_cli_finish(0);
	else if (rc == 0)
		rc = ctp_cli_finish(CTP_IOERR);
	json_decref(req);
	json_decref(reply);
	sqlite3_close(db);
	if (rc != 0 && e.code != 0)
		ctp_error_print(ctp_progname, &e);
	return rc;
}
