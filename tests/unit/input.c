/* Unit tests for lib/input.c and lib/csvio.c: CSV and JSON Lines records. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "mem.h"
#include "tap.h"

static char path[64];

static void
write_file(const char *data, size_t n)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/ctp-unit-input.%ld", (long)getpid());
	f = fopen(path, "wb");
	fwrite(data, 1, n, f);
	fclose(f);
}

#define W(s) write_file((s), sizeof(s) - 1)

int
main(void)
{
	struct ctp_input *in;
	struct ctp_error e;
	int rc;

	W("npi,last_name,note\r\n1234567893,\"Smith, Jr\",\"two\r\nlines\"\r\n"
	    "\r\n1245319599, O'Brien ,\r\n");
	ok(ctp_input_open(&in, path, CTP_ENC_AUTO, &e) == 0, "open CRLF csv");
	ok(!ctp_input_is_json(in), "detected CSV");
	is_int(ctp_input_ncols(in), 3, "three columns");
	is_int(ctp_input_col(in, "LAST_NAME"), 1, "column by name, any case");
	is_int(ctp_input_next(in, &e), 1, "first record");
	is_str(ctp_input_get(in, "last_name"), "Smith, Jr", "quoted comma");
	is_str(ctp_input_get(in, "note"), "two\r\nlines", "embedded newline");
	is_int(ctp_input_line(in), 2, "record starts on line 2");
	is_int(ctp_input_next(in, &e), 1, "blank line skipped");
	is_str(ctp_input_get(in, "last_name"), " O'Brien ", "spaces kept");
	is_int(ctp_input_line(in), 5, "line counts the multi-line field");
	is_str(ctp_input_get(in, "note"), "", "empty last field");
	is_int(ctp_input_next(in, &e), 0, "end of input");
	ctp_input_close(in);

	/* Plain lines are split without libcsv: the same records as it. */
	W("a,b,c\n,\n  \nx,\"q\nr\",y\nlast,line\r\n\r\nno,newline");
	ctp_input_open(&in, path, CTP_ENC_AUTO, &e);
	is_int(ctp_input_next(in, &e), 1, "plain: a line of one comma");
	is_int(ctp_input_nfields(in), 2, "plain: two empty fields");
	is_str(ctp_input_value(in, 1), "", "plain: second empty");
	is_int(ctp_input_line(in), 2, "plain: its line");
	is_int(ctp_input_next(in, &e), 1, "plain: a line of spaces");
	is_int(ctp_input_nfields(in), 1, "plain: one field");
	is_str(ctp_input_value(in, 0), "  ", "plain: spaces kept");
	is_int(ctp_input_next(in, &e), 1, "quoted line after plain ones");
	is_str(ctp_input_value(in, 1), "q\nr", "plain: embedded newline");
	is_str(ctp_input_value(in, 2), "y", "plain: field after it");
	is_int(ctp_input_line(in), 4, "plain: multi-line record's line");
	is_int(ctp_input_next(in, &e), 1, "plain line after a quoted one");
	is_str(ctp_input_value(in, 1), "line", "plain: CRLF removed");
	is_int(ctp_input_line(in), 6, "plain: line after the quoted one");
	is_int(ctp_input_next(in, &e), 1, "last line without newline");
	is_str(ctp_input_value(in, 1), "newline", "plain: last field");
	is_int(ctp_input_line(in), 8, "plain: blank CRLF line skipped");
	is_int(ctp_input_next(in, &e), 0, "plain: end");
	ctp_input_close(in);
	W("h1,h2\na,b\rc,d\n");
	ctp_input_open(&in, path, CTP_ENC_AUTO, &e);
	ctp_input_next(in, &e);
	is_str(ctp_input_value(in, 1), "b", "bare CR ends a record");
	is_int(ctp_input_next(in, &e), 1, "record after a bare CR");
	is_str(ctp_input_value(in, 0), "c", "its first field");
	ctp_input_close(in);
	/* Where each record starts: after an escaped quote and a line end
	 * inside a quoted field, after a bare CR that opens a quoted field
	 * spanning lines, and on the plain lines after them. */
	W("h1,h2\n\"a\"\"\nb\",c\nd,\"e\r\nf\"\"\"\ng,h\n"
	    "x,y\r\"p\nq\",r\ns,t\n");
	ctp_input_open(&in, path, CTP_ENC_AUTO, &e);
	ctp_input_next(in, &e);
	is_str(ctp_input_value(in, 0), "a\"\nb", "escaped quote, newline");
	is_int(ctp_input_line(in), 2, "that record starts on line 2");
	ctp_input_next(in, &e);
	is_str(ctp_input_value(in, 1), "e\r\nf\"", "quote before the end");
	is_int(ctp_input_line(in), 4, "that record starts on line 4");
	ctp_input_next(in, &e);
	is_str(ctp_input_value(in, 0), "g", "a plain line after them");
	is_int(ctp_input_line(in), 6, "on line 6");
	ctp_input_next(in, &e);
	is_int(ctp_input_line(in), 7, "a record ended by a bare CR");
	ctp_input_next(in, &e);
	is_str(ctp_input_value(in, 0), "p\nq", "then a quoted field opens");
	is_int(ctp_input_line(in), 7, "on the same line");
	ctp_input_next(in, &e);
	is_str(ctp_input_value(in, 0), "s", "a plain line after it");
	is_int(ctp_input_line(in), 9, "on line 9");
	is_int(ctp_input_next(in, &e), 0, "and the end");
	ctp_input_close(in);

	W("\xef\xbb\xbfname\nPe\xc3\xb1" "a\n");
	ctp_input_open(&in, path, CTP_ENC_AUTO, &e);
	is_str(ctp_input_colname(in, 0), "name", "BOM stripped from header");
	ctp_input_next(in, &e);
	is_str(ctp_input_value(in, 0), "Pe\xc3\xb1" "a", "UTF-8 kept");
	ctp_input_close(in);

	W("name\nPe\xf1" "a\nZo\xeb\n\x93quoted\x94\n");
	ctp_input_open(&in, path, CTP_ENC_AUTO, &e);
	ctp_input_next(in, &e);
	is_str(ctp_input_value(in, 0), "Pe\xc3\xb1" "a", "cp1252 n-tilde");
	ok(ctp_input_record_error(in) == NULL, "no record error");
	ctp_input_next(in, &e);
	is_str(ctp_input_value(in, 0), "Zo\xc3\xab", "cp1252 e-diaeresis");
	ctp_input_next(in, &e);
	is_str(ctp_input_value(in, 0), "\xe2\x80\x9cquoted\xe2\x80\x9d",
	    "cp1252 curly quotes");
	ctp_input_close(in);

	W("name,x\nbad\x81" "byte,1\n");
	ctp_input_open(&in, path, CTP_ENC_AUTO, &e);
	is_int(ctp_input_next(in, &e), 1, "record with an undefined byte");
	ok(ctp_input_record_error(in) != NULL &&
	    strstr(ctp_input_record_error(in), "name") != NULL,
	    "flagged, naming the column");
	ctp_input_close(in);

	W("name\nPe\xf1" "a\n");
	ctp_input_open(&in, path, CTP_ENC_UTF8, &e);
	ctp_input_next(in, &e);
	ok(ctp_input_record_error(in) != NULL, "--encoding utf-8 refuses cp1252");
	ctp_input_close(in);

	W("a,b\n1,\"unclosed\n2,3\n");
	ctp_input_open(&in, path, CTP_ENC_AUTO, &e);
	rc = ctp_input_next(in, &e);
	is_int(rc, -1, "unclosed quote is an error");
	is_int(e.code, 65, "data error");
	is_str(e.where, (snprintf(e.what + 400, 100, "%s:2", path), e.what + 400),
	    "names the line where the record starts");
	ctp_input_close(in);

	W("a,b\n1,x\"y\n");
	ctp_input_open(&in, path, CTP_ENC_AUTO, &e);
	is_int(ctp_input_next(in, &e), -1, "stray quote is an error (strict)");
	ctp_input_close(in);

	W("\n \r\n{\"npi\": 1234567893, \"name\": \"Zo\xc3\xab\", \"x\": null}\n\n"
	    "{\"npi\": \"1245319599\", \"extra\": true, \"o\": {\"a\": 1},"
	    " \"a\": [], \"r\": 1.5, \"f\": false}\n[1]\n");
	ok(ctp_input_open(&in, path, CTP_ENC_AUTO, &e) == 0, "open JSON Lines");
	ok(ctp_input_is_json(in), "detected JSON Lines after blank lines");
	ctp_input_next(in, &e);
	is_str(ctp_input_get(in, "npi"), "1234567893", "integer as text");
	is_int(ctp_input_line(in), 3, "blank lines counted");
	ok(ctp_input_get(in, "x") == NULL, "null is absent");
	ok(!ctp_input_not_text(in, 0) && !ctp_input_not_text(in, 2),
	    "an integer and null are not type errors");
	is_int(ctp_input_next(in, &e), 1, "second object after blank line");
	is_str(ctp_input_get(in, "npi"), "1245319599", "string npi");
	ok(ctp_input_get(in, "name") == NULL, "key missing in this object");
	ok(ctp_input_get(in, "extra") == NULL &&
	    ctp_input_not_text(in, (size_t)ctp_input_col(in, "extra")),
	    "true is not text");
	ok(ctp_input_not_text(in, (size_t)ctp_input_col(in, "o")) &&
	    ctp_input_not_text(in, (size_t)ctp_input_col(in, "a")) &&
	    ctp_input_not_text(in, (size_t)ctp_input_col(in, "r")) &&
	    ctp_input_not_text(in, (size_t)ctp_input_col(in, "f")),
	    "an object, an array, a fraction, false: not text");
	ok(ctp_input_get(in, "o") == NULL, "never their JSON text");
	ok(!ctp_input_not_text(in, 0), "the npi string is text");
	is_int(ctp_input_line(in), 5, "line number");
	is_int(ctp_input_next(in, &e), -1, "array is not an object");
	is_int(e.code, 65, "data error");
	ctp_input_close(in);

	/* The formula apostrophe ctp_out writes is removed, nothing else. */
	W("a,b,c,d\n'=1+1,'+1,'-1,'@x\n\"'\tt\",\"'\rr\",\"'=a,b\",''=x\n"
	    "'x,O'Brien,'',' =x\n'=Pe\xf1" "a,=raw,'',x\n");
	ctp_input_open(&in, path, CTP_ENC_AUTO, &e);
	ctp_input_next(in, &e);
	ok(strcmp(ctp_input_value(in, 0), "=1+1") == 0 &&
	    strcmp(ctp_input_value(in, 1), "+1") == 0 &&
	    strcmp(ctp_input_value(in, 2), "-1") == 0 &&
	    strcmp(ctp_input_value(in, 3), "@x") == 0,
	    "apostrophe before = + - @ removed");
	ctp_input_next(in, &e);
	is_str(ctp_input_value(in, 0), "\tt", "apostrophe before TAB removed");
	is_str(ctp_input_value(in, 1), "\rr", "apostrophe before CR removed");
	is_str(ctp_input_value(in, 2), "=a,b", "in a quoted field too");
	is_str(ctp_input_value(in, 3), "'=x", "only one of two removed");
	ctp_input_next(in, &e);
	ok(strcmp(ctp_input_value(in, 0), "'x") == 0 &&
	    strcmp(ctp_input_value(in, 1), "O'Brien") == 0 &&
	    strcmp(ctp_input_value(in, 2), "''") == 0 &&
	    strcmp(ctp_input_value(in, 3), "' =x") == 0,
	    "any other apostrophe is data");
	ctp_input_next(in, &e);
	is_str(ctp_input_value(in, 0), "=Pe\xc3\xb1" "a",
	    "removed from a decoded Windows-1252 value");
	is_str(ctp_input_value(in, 1), "=raw", "a bare formula is read as is");
	ctp_input_close(in);
	W("{\"a\": \"'=x\"}\n");
	ctp_input_open(&in, path, CTP_ENC_AUTO, &e);
	ctp_input_next(in, &e);
	is_str(ctp_input_value(in, 0), "'=x", "JSON Lines: not touched");
	ctp_input_close(in);

	ok(ctp_input_open(&in, "/nonexistent/x.csv", CTP_ENC_AUTO, &e) == 66,
	    "missing file is 66");

	/* Allocation failures are reported, never crash. */
	W("a,b,c\n1,2,3\n4,5,6\n");
	{
		unsigned long n;
		int crashed = 0;
		for (n = 1; n < 40; n++) {
			ctp_mem_fail_after(n);
			if (ctp_input_open(&in, path, CTP_ENC_AUTO, &e) == 0) {
				while ((rc = ctp_input_next(in, &e)) == 1)
					;
				ctp_input_close(in);
			}
		}
		ctp_mem_fail_after(0);
		ok(!crashed, "allocation N fails for N = 1..39: no crash");
	}
	unlink(path);
	return done_testing();
}
