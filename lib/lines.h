/*
 * lines.h - the one buffered line reader: physical lines from a source
 * (a file descriptor, a FILE, a ZIP member: anything a read callback
 * gives), through one buffer that grows only as far as the longest line
 * allowed.  Each line keeps its ending as read ("\n" or "\r\n"; the last
 * line of a source may have none): what a CSV parser needs to see.
 */
#ifndef CTP_LINES_H
#define CTP_LINES_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Read up to n bytes into buf: the count, 0 at the end, -1 on an error
 * (the source keeps why: errno, or a field of its own arg).
 */
typedef ssize_t (*ctp_lines_read_fn)(void *arg, char *buf, size_t n);

enum {
	CTP_LINES_IO = 1,	/* the source returned -1 */
	CTP_LINES_NOMEM,
	CTP_LINES_LONG		/* a line of max bytes or more */
};

struct ctp_lines {
	ctp_lines_read_fn rd;
	void *arg;
	char *buf;
	size_t cap, pos, len;
	size_t chunk;		/* bytes asked of the source at least */
	size_t max;		/* the longest line allowed, ending included */
	long long lineno;	/* lines returned so far */
	int eof;
	int err;		/* CTP_LINES_*: why ctp_lines_next failed */
};

/*
 * Set up l over rd(arg): reads of at least chunk bytes, lines shorter
 * than max bytes.  Nothing is allocated before the first line.
 */
void	ctp_lines_init(struct ctp_lines *l, ctp_lines_read_fn rd, void *arg,
	    size_t chunk, size_t max);
/*
 * The next line: 1 with *p and *n (valid until the next call), 0 at the
 * end, -1 on an error (l->err; the source's reason left where it put it).
 * A line of max bytes or more is CTP_LINES_LONG, not a reason to grow.
 */
int	ctp_lines_next(struct ctp_lines *l, char **p, size_t *n);
void	ctp_lines_free(struct ctp_lines *l);

#endif
