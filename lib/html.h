/*
 * html.h - text made safe to put in an HTML page: the one escaping every
 * page ctp writes goes through.  & < > " ' become entities, and a control
 * character (C0 but tab and newline, DEL, C1) becomes U+FFFD, so that a
 * provider named <script> shows as text and a stored escape sequence is
 * seen, never obeyed.  Bytes of valid or invalid UTF-8 otherwise pass as
 * they are (the page is UTF-8).
 */
#ifndef CTP_HTML_H
#define CTP_HTML_H

#include <stddef.h>
#include <stdio.h>

/*
 * s escaped into dst (at most n bytes, the NUL included; n may be 0);
 * returns the length of the whole result, as snprintf does.
 */
size_t	ctp_html_escape(char *dst, size_t n, const char *s);
/* s escaped onto f: 0, or -1 on a write error. */
int	ctp_html_put(FILE *f, const char *s);

#endif
