/* Unit tests for lib/err.c: control characters shown, never sent raw. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "tap.h"

static char *
vis(const char *s, int flags)
{
	static char buf[256];

	ctp_vis(buf, sizeof(buf), s, flags);
	return buf;
}

static char *
msg(const char *where, const char *what)
{
	static char buf[512];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	memset(buf, 0, sizeof(buf));
	ctp_msgf(f, "prog: %s: %s", where, what);
	fclose(f);
	return buf;
}

int
main(void)
{
	char small[6];

	is_str(vis("Smith", 0), "Smith", "plain text unchanged");
	is_str(vis("Zo\xc3\xab O'Brien", 0), "Zo\xc3\xab O'Brien",
	    "UTF-8 letters unchanged");
	is_str(vis("a\x1b[31mb", 0), "a\\x1b[31mb", "ESC shown as \\x1b");
	is_str(vis("\x01\x7f\r", 0), "\\x01\\x7f\\x0d", "C0 and DEL shown");
	is_str(vis("a\tb\nc", 0), "a\\x09b\\x0ac", "tab and LF shown by default");
	is_str(vis("a\tb\nc\r", CTP_VIS_SPACE), "a b c\\x0d",
	    "CTP_VIS_SPACE: tab and LF as spaces, CR still shown");
	is_str(vis("a\tb\nc\r", CTP_VIS_KEEP), "a\tb\nc\\x0d",
	    "CTP_VIS_KEEP: tab and LF kept, CR still shown");
	is_str(vis("x\xc2\x9b" "31m\xc2\xa0y", 0), "x\\u009b31m\xc2\xa0y",
	    "C1 CSI shown, U+00A0 kept");
	is_int(ctp_vis(small, sizeof(small), "ab\x1b" "cd", 0), 8,
	    "returns the whole length");
	is_str(small, "ab\\x1", "cut to the buffer, NUL-terminated");
	is_int(ctp_vis(NULL, 0, "\x1b", 0), 4, "n 0 only measures");
	is_str(msg("roster.csv:3", "column 2 (\x1b]0;pwned\x07): unknown"),
	    "prog: roster.csv:3: column 2 (\\x1b]0;pwned\\x07): unknown\n",
	    "ctp_msgf: one line, escapes shown");
	is_str(msg("a\nb", "c"), "prog: a\\x0ab: c\n",
	    "a newline in a message cannot start a second line");
	return done_testing();
}
