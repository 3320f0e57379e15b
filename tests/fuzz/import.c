/*
 * ctp_import (lib/import.c): a roster file, its rows checked and the good
 * ones written (partial), against a scratch organization.  Whatever the
 * file holds, the run ends in an answer (0, 1 rows rejected, 65 bad
 * file), the database stays whole, the audit chain verifies, the counts
 * add up, and importing the same file again changes nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "import.h"
#include "input.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct ctp_import_opts o;
	struct ctp_import_stats s, again;
	struct ctp_error e;
	struct ctp_ctx *c;
	char rejects[512];
	const char *path;
	int rc;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		return 0;
	if ((c = fuzz_org()) == NULL)
		return 0;
	if ((path = fuzz_file("roster.csv", data, size)) == NULL) {
		fuzz_org_close(c);
		return 0;
	}
	snprintf(rejects, sizeof(rejects), "%s/rejects.csv", fuzz_dir());
	remove(rejects);
	memset(&o, 0, sizeof(o));
	o.path = path;
	o.enc = CTP_ENC_AUTO;
	o.partial = 1;
	o.rejects = rejects;
	o.as_of = 20605;	/* 2026-06-01 */
	o.msg = devnull;
	ctp_error_clear(&e);
	rc = ctp_import(c, &o, &s, &e);
	fuzz_assert(rc == 0 || rc == 1 || rc == 65, "import: another code");
	fuzz_assert(rc == 0 || rc == 1 || e.what[0] != '\0',
	    "import: an error without a message");
	fuzz_assert(rc != 0 || s.rejected == 0, "0 with rows rejected");
	fuzz_assert(rc != 1 || s.rejected > 0, "1 without rows rejected");
	if (rc != 65) {
		fuzz_assert(s.rows == s.added + s.updated + s.unchanged +
		    s.rejected, "import: counts do not add up");
		fuzz_assert(s.written == (s.added + s.updated > 0),
		    "import: written, or not, against the counts");
	}
	fuzz_org_check(c);
	if (rc != 65) {
		/* The same file again, as a dry run: it is all there. */
		o.rejects = NULL;
		o.dry_run = 1;
		rc = ctp_import(c, &o, &again, &e);
		fuzz_assert(rc == 0 || rc == 1, "again: another code");
		fuzz_assert(again.rows == s.rows, "again: other rows");
		fuzz_assert(again.added == 0 && again.updated == 0,
		    "again: rows written are not the same when read again");
		fuzz_assert(again.rejected == s.rejected,
		    "again: other rows rejected");
	}
	fuzz_org_close(c);
	return 0;
}
