/*
 * ctp_import (lib/import.c): a roster file, its rows checked and the good
 * ones written (partial), against a scratch organization.  Whatever the
 * file holds, the run ends in an answer (0, 1 rows rejected, 65 bad
 * file), the database stays whole, the audit chain verifies, the counts
 * add up, and importing the same file again changes nothing.
 */
#include <stdint.h>

#include "fuzz.h"
#include "import.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctp_import_stats s, again;
	struct ctp_ctx *c;
	const char *path;
	int rc;

	if ((c = fuzz_org()) == NULL)
		return 0;
	if ((path = fuzz_file("roster.csv", data, size)) == NULL) {
		fuzz_org_close(c);
		return 0;
	}
	rc = fuzz_import(c, path, NULL, 0, &s);
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
		rc = fuzz_import(c, path, NULL, 1, &again);
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
