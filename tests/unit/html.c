/* Unit tests for lib/html.c: the one HTML escaping. */
#include <stdio.h>
#include <stdlib.h>

#include "html.h"
#include "tap.h"

static const char *
esc(const char *s)
{
	static char out[256];

	ctp_html_escape(out, sizeof(out), s);
	return out;
}

/* ctp_html_put's bytes, through a memory stream. */
static char *
put(const char *s)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	if (f == NULL)
		return NULL;
	ctp_html_put(f, s);
	fclose(f);
	return buf;
}

int
main(void)
{
	char small[8], *p;

	is_str(esc("<script>alert(1)</script>"),
	    "&lt;script&gt;alert(1)&lt;/script&gt;", "a script tag is text");
	is_str(esc("O'Brien & \"Sons\""), "O&#39;Brien &amp; &quot;Sons&quot;",
	    "quotes and ampersand");
	is_str(esc("plain"), "plain", "plain text unchanged");
	is_str(esc(""), "", "empty");
	is_str(esc("Jos\xc3\xa9 M\xc3\xbcller"), "Jos\xc3\xa9 M\xc3\xbcller",
	    "UTF-8 letters pass");
	is_str(esc("a\x1b[31mb"), "a&#xFFFD;[31mb", "an escape is replaced");
	is_str(esc("a\x7f" "b"), "a&#xFFFD;b", "DEL is replaced");
	is_str(esc("a\xc2\x9b" "b"), "a&#xFFFD;b", "a C1 control is replaced");
	is_str(esc("a\tb\nc"), "a\tb\nc", "tab and newline kept");
	is_str(esc("&amp;"), "&amp;amp;", "an entity is escaped again");
	is_int(ctp_html_escape(small, sizeof(small), "<<<<"), 16,
	    "returns the whole length");
	is_str(small, "&lt;&lt", "cut to the buffer, NUL-terminated");
	is_int(ctp_html_escape(NULL, 0, "<a>"), 9, "n 0: only the length");
	p = put("<b>&'\"\x01");
	is_str(p, "&lt;b&gt;&amp;&#39;&quot;&#xFFFD;",
	    "ctp_html_put escapes as ctp_html_escape does");
	free(p);
	return done_testing();
}
