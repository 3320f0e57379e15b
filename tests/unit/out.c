/*
 * Unit tests for lib/out.c: CSV quoting, JSON Lines types, the formula
 * apostrophe, control characters in the table.
 */
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

static char *
field(const char *s)
{
	static char buf[256];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	memset(buf, 0, sizeof(buf));
	ctp_csv_put_field(f, s);
	fclose(f);
	return buf;
}

static void
formulas(void)
{
	const char *eq[] = { "=1+1", "-3", "{\"a\":\"=x\"}" };
	const char *chars[] = { "+1", "-1", "@SUM(A1)", "\tx", "\rx" };
	const char *quoted[] = { "=a,b", "-1", "[1]" };
	const char *plain[] = { "O'Brien", "", "\"=x\"" };
	const char *twice[] = { "'=x", "", NULL };
	char want[64], desc[64];
	size_t i;

	is_str(render(CTP_FMT_CSV, eq), "name,days,detail\n'=1+1,-3,"
	    "\"{\"\"a\"\":\"\"=x\"\"}\"\n",
	    "CSV: a formula in a text column gets an apostrophe; a negative "
	    "number and JSON do not");
	is_str(render(CTP_FMT_JSON, eq), "{\"name\":\"=1+1\",\"days\":-3,"
	    "\"detail\":{\"a\":\"=x\"}}\n", "JSON Lines: the value as stored");
	for (i = 0; i < sizeof(chars) / sizeof(chars[0]); i++) {
		snprintf(want, sizeof(want), "%s'%s%s",
		    chars[i][0] == '\r' ? "\"" : "", chars[i],
		    chars[i][0] == '\r' ? "\"" : "");
		snprintf(desc, sizeof(desc), "ctp_csv_put_field guards %s",
		    i == 3 ? "TAB" : i == 4 ? "CR" : chars[i]);
		is_str(field(chars[i]), want, desc);
	}
	is_str(render(CTP_FMT_CSV, quoted), "name,days,detail\n\"'=a,b\",-1,"
	    "[1]\n", "the apostrophe goes inside the quotes");
	is_str(render(CTP_FMT_CSV, plain), "name,days,detail\nO'Brien,,"
	    "\"\"\"=x\"\"\"\n", "an apostrophe or a quote first is not a formula");
	is_str(render(CTP_FMT_CSV, twice), "name,days,detail\n''=x,,\n",
	    "a stored apostrophe before = gets one more");
	ok(ctp_csv_formula("=") && ctp_csv_formula("''@") &&
	    !ctp_csv_formula("'") && !ctp_csv_formula("") &&
	    !ctp_csv_formula(" =x") && !ctp_csv_formula("a=b"),
	    "ctp_csv_formula: after any apostrophes, first byte only");
}

static void
controls(void)
{
	const char *esc[] = { "a\x1b[31mb", "1", "x\ny\tz\rw" };

	is_str(render(CTP_FMT_TABLE, esc), "name        days  detail\n"
	    "a\\x1b[31mb  1     x y z\\x0dw\n",
	    "table: ESC and CR shown, LF and TAB as spaces, widths counted "
	    "shown");
	is_str(render(CTP_FMT_CSV, esc), "name,days,detail\na\x1b[31mb,1,"
	    "\"x\ny\tz\rw\"\n", "CSV to a file: the bytes as stored");
}

/*
 * The one-line CSV writer of ctp_out_row against the field-at-a-time
 * writer (ctp_csv_put_record) on random fields of the bytes that matter:
 * quotes, separators, every space of isspace(), formula leads.
 */
static void
differential(void)
{
	static const struct ctp_col cols[] = {
		{ "a", CTP_COL_STR }, { "b", CTP_COL_STR }, { "c", CTP_COL_STR },
	};
	static const char bytes[] = "a ,\"\t\v\f\r\n=+-@'x\x80";
	char v[3][8], line[160], want[128], got[256], first[512] = "";
	const char *row[3];
	struct ctp_out *o;
	struct ctp_error e;
	FILE *f;
	int i, k, n, bad = 0;
	unsigned seed = 1;

	for (i = 0; i < 20000; i++) {
		for (k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			n = (int)(seed >> 16) % 7;
			v[k][n] = '\0';
			while (n-- > 0) {
				seed = seed * 1103515245u + 12345u;
				v[k][n] = bytes[(seed >> 16) % (sizeof(bytes) - 1)];
			}
			row[k] = v[k];
		}
		memset(want, 0, sizeof(want));
		f = fmemopen(want, sizeof(want), "w");
		ctp_csv_put_record(f, row, 3, 0);
		fclose(f);
		memset(got, 0, sizeof(got));
		f = fmemopen(got, sizeof(got), "w");
		o = ctp_out_new(f, CTP_FMT_CSV, cols, 3, 0);
		ctp_out_row(o, row, &e);
		ctp_out_close(o, &e);
		fclose(f);
		snprintf(line, sizeof(line), "a,b,c\n%s", want);
		if (strcmp(line, got) != 0 && bad++ == 0)
			snprintf(first, sizeof(first), "%s", got);
	}
	is_int(bad, 0, "CSV: the one-line writer gives what the field "
	    "writer gives, on 20,000 random rows");
	is_str(first, "", "CSV: no row differs");
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
	formulas();
	controls();
	differential();
	return done_testing();
}
