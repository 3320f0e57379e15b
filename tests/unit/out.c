/* Unit tests for lib/out.c: CSV quoting, JSON Lines types. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "tap.h"

static char *
render(enum ctp_fmt fmt, const char *const *row)
{
	static const struct ctp_col cols[] = {
		{ "name", CTP_COL_STR }, { "days", CTP_COL_INT },
		{ "detail", CTP_COL_JSON },
	};
	static char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct ctp_out *o = ctp_out_new(f, fmt, cols, 3, 0);
	struct ctp_error e;

	memset(buf, 0, sizeof(buf));
	ctp_out_row(o, row, &e);
	ctp_out_close(o, &e);
	fclose(f);
	return buf;
}

int
main(void)
{
	const char *r1[] = { "Smith, \"Jo\"", "-3", "{\"a\":1}" };
	const char *r2[] = { "plain", "", NULL };
	const char *r3[] = { " lead", "x12", "not json" };

	is_str(render(CTP_FMT_CSV, r1),
	    "name,days,detail\n\"Smith, \"\"Jo\"\"\",-3,\"{\"\"a\"\":1}\"\n",
	    "CSV quotes commas and quotes only where needed");
	is_str(render(CTP_FMT_CSV, r2), "name,days,detail\nplain,,\n",
	    "empty fields");
	is_str(render(CTP_FMT_JSON, r1),
	    "{\"name\":\"Smith, \\\"Jo\\\"\",\"days\":-3,\"detail\":{\"a\":1}}\n",
	    "JSON: number and embedded object, keys in column order");
	is_str(render(CTP_FMT_JSON, r2),
	    "{\"name\":\"plain\",\"days\":null,\"detail\":null}\n",
	    "JSON: empty is null");
	is_str(render(CTP_FMT_JSON, r3),
	    "{\"name\":\" lead\",\"days\":\"x12\",\"detail\":\"not json\"}\n",
	    "JSON: non-numbers stay strings");
	is_str(render(CTP_FMT_CSV, r3), "name,days,detail\n\" lead\",x12,"
	    "not json\n", "leading space is quoted");
	is_str(render(CTP_FMT_TABLE, r2), "name   days  detail\nplain        \n",
	    "table aligns columns");
	return done_testing();
}
