/*
 * lines.c - the one buffered line reader (lines.h), under every bulk
 * reader: a list file (screen_file.c, plain or a ZIP member), the NPPES
 * dissemination file (npi_bulk.c) and a roster or pipeline (input.c).
 * Small files read a line at a time (a custom list's map, the audit
 * anchor file) use getline.
 *
 * Speed and memory: the source is read in chunks into one buffer and a
 * line is found with memchr, which looks at many bytes a step; a line is
 * handed out where it lies in the buffer, never copied.  Only the part
 * of a line left at the end of a chunk is moved to the front.  The buffer
 * is two chunks and grows (doubling) only while a line does not fit, up
 * to max plus a chunk, so memory does not grow with the size of the
 * source, and a chunk read is still warm in the cache when it is
 * searched.
 */
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "mem.h"

void
ctp_lines_init(struct ctp_lines *l, ctp_lines_read_fn rd, void *arg,
    size_t chunk, size_t max)
{
	memset(l, 0, sizeof(*l));
	l->rd = rd;
	l->arg = arg;
	l->chunk = chunk;
	l->max = max;
}

void
ctp_lines_free(struct ctp_lines *l)
{
	free(l->buf);
	l->buf = NULL;
	l->cap = l->len = l->pos = 0;
}

/* Read the next chunk after what the buffer holds: 0, or -1 (l->err). */
static int
fill(struct ctp_lines *l)
{
	size_t cap, most = l->max + l->chunk;
	ssize_t got;
	char *p;

	if (l->pos > 0) {
		memmove(l->buf, l->buf + l->pos, l->len - l->pos);
		l->len -= l->pos;
		l->pos = 0;
	}
	if (l->cap - l->len < l->chunk && l->cap < most) {
		cap = l->cap ? l->cap * 2 : 2 * l->chunk;
		if (cap > most)
			cap = most;
		if ((p = ctp_realloc(l->buf, cap)) == NULL) {
			l->err = CTP_LINES_NOMEM;
			return -1;
		}
		l->buf = p;
		l->cap = cap;
	}
	if ((got = l->rd(l->arg, l->buf + l->len, l->cap - l->len)) < 0) {
		l->err = CTP_LINES_IO;
		return -1;
	}
	if (got == 0)
		l->eof = 1;
	l->len += (size_t)got;
	return 0;
}

int
ctp_lines_next(struct ctp_lines *l, char **p, size_t *n)
{
	char *nl;

	for (;;) {
		if (l->pos < l->len && (nl = memchr(l->buf + l->pos, '\n',
		    l->len - l->pos)) != NULL) {
			*p = l->buf + l->pos;
			*n = (size_t)(nl + 1 - *p);
			if (*n >= l->max) {
				l->err = CTP_LINES_LONG;
				return -1;
			}
			l->pos += *n;
			l->lineno++;
			return 1;
		}
		if (l->len - l->pos >= l->max) {
			l->err = CTP_LINES_LONG;
			return -1;
		}
		if (l->eof) {
			if (l->pos >= l->len)
				return 0;
			*p = l->buf + l->pos;
			*n = l->len - l->pos;
			l->pos = l->len;
			l->lineno++;
			return 1;
		}
		if (fill(l) < 0)
			return -1;
	}
}
