/*
 * Unit tests for lib/progress.c and ctp_cli_progress: the library's
 * progress reaches the program's function, and nothing is drawn where
 * stderr is not a terminal.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"
#include "tap.h"

struct seen {
	int calls, ends;
	long long done, total;
	char what[32];
};

static void
record(void *arg, const char *what, enum ctp_progress_unit unit,
    long long done, long long total, int end)
{
	struct seen *s = arg;

	(void)unit;
	s->calls++;
	s->ends += end;
	s->done = done;
	s->total = total;
	snprintf(s->what, sizeof(s->what), "%s", what);
}

int
main(void)
{
	struct seen s = { 0 };
	struct ctp_progress p = { record, &s }, none = { NULL, NULL };
	FILE *f;
	char buf[64];
	int fd;

	ctp_progress_tell(&p, "leie", CTP_PROGRESS_BYTES, 10, 100, 0);
	ctp_progress_tell(&p, "leie", CTP_PROGRESS_BYTES, 100, 100, 1);
	ok(s.calls == 2 && s.ends == 1 && s.done == 100 && s.total == 100 &&
	    strcmp(s.what, "leie") == 0, "the program's function is told");
	ctp_progress_tell(&none, "x", CTP_PROGRESS_ITEMS, 1, 2, 0);
	ctp_progress_tell(NULL, "x", CTP_PROGRESS_ITEMS, 1, 2, 0);
	ok(1, "no function, or no progress at all: nothing happens");

	/* stderr a file: ctp_cli_progress draws nothing. */
	f = tmpfile();
	fd = dup(STDERR_FILENO);
	dup2(fileno(f), STDERR_FILENO);
	ctp_cli_progress(NULL, "providers", CTP_PROGRESS_ITEMS, 5, 10, 0);
	ctp_cli_progress(NULL, "providers", CTP_PROGRESS_ITEMS, 10, 10, 1);
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	close(fd);
	rewind(f);
	ok(fread(buf, 1, sizeof(buf), f) == 0,
	    "not a terminal: no progress line");
	fclose(f);
	return done_testing();
}
