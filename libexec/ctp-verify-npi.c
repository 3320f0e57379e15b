/*
 * ctp-verify-npi - a verifier (verify.h), run by ctp-verify: the provider's
 * NPI at NPPES (the registry API). Reads the request on stdin, prints the
 * reply on stdout; a failure of its own goes to stderr with its exit code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "screen.h"
#include "verifier.h"

int
main(int argc, char **argv)
{
	struct ctp_error e;
	sqlite3 *db = NULL;
	json_t *req = NULL, *reply = NULL;
	int rc;

	ctp_cli_init(argv[0]);
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
	    (rc = ctp_verifier_npi(db, req, &reply, &e)) == 0 &&
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
