/*
 * A state board's roster (ctp_board_load, lib/board.c): the input is
 * the board's CSV.  Either every row is loaded, each with a number key,
 * as the one roster in force, or the load is refused with a data error
 * and nothing is written.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "db.h"
#include "fuzz.h"

static long long
count(struct ctp_ctx *c, const char *sql)
{
	struct ctp_error e;
	long long n = -1;

	if (ctp_db_int(c->db, sql, &n, "count", &e) != 0)
		return -1;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctp_board_load l;
	struct ctp_error e;
	struct ctp_ctx *c;
	const char *path;
	int rc;

	if ((path = fuzz_file("board.csv", data, size)) == NULL ||
	    (c = fuzz_org()) == NULL)
		return 0;
	memset(&l, 0, sizeof(l));
	l.name = "WI-MD";
	l.state = "WI";
	l.path = path;
	/* Half the inputs read through a map naming columns of their own. */
	if (size > 0 && data[0] & 1)
		l.map = "number=Lic,name=Who,status=Standing,expires=Until";
	rc = ctp_board_load(c, &l, &e);
	if (rc == 0) {
		fuzz_assert(l.rows > 0, "a roster loaded without rows");
		fuzz_assert(count(c, "SELECT count(*) FROM board_licenses") ==
		    l.rows, "rows said and rows stored differ");
		fuzz_assert(count(c, "SELECT count(*) FROM board_rosters "
		    "WHERE active = 1 AND rows = (SELECT count(*) FROM "
		    "board_licenses)") == 1, "not one roster in force");
		fuzz_assert(count(c, "SELECT count(*) FROM board_licenses "
		    "WHERE number_key = '' OR last_name = ''") == 0,
		    "a row without a number or a name");
	} else {
		fuzz_assert(rc == CTP_DATAERR, "a file refused otherwise than "
		    "as bad data");
		fuzz_assert(count(c, "SELECT count(*) FROM board_rosters") ==
		    0 && count(c, "SELECT count(*) FROM board_licenses") == 0,
		    "a refused roster left rows");
	}
	fuzz_org_check(c);
	fuzz_org_close(c);
	return 0;
}
