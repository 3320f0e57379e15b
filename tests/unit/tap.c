/*
 * tap.h itself: skip() and fixture() print what scripts/runtests reads
 * (a skip directive; a failed test naming a fixture it cannot read).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

static char out[4096];
static char *got;
static size_t got_n;
static const char *rel;

/*
 * Run fn with stdout in a scratch file; what it printed is left in out,
 * and the counters are put back, so a test it fails on purpose does not
 * count.  The number a test printed is the next one's.
 */
static int
capture(void (*fn)(void))
{
	char path[] = "/tmp/ctp-unit-tap.XXXXXX";
	int n0 = tap_n, f0 = tap_fail, fd, save;
	ssize_t k;

	out[0] = '\0';
	fflush(stdout);
	if ((fd = mkstemp(path)) < 0 || (save = dup(1)) < 0)
		return -1;
	unlink(path);
	dup2(fd, 1);
	fn();
	fflush(stdout);
	dup2(save, 1);
	close(save);
	lseek(fd, 0, SEEK_SET);
	k = read(fd, out, sizeof(out) - 1);
	out[k > 0 ? k : 0] = '\0';
	close(fd);
	tap_n = n0;
	tap_fail = f0;
	return 0;
}

static void
do_skip(void)
{
	skip("no thing here", "needs %s", "a thing");
}

static void
do_fixture(void)
{
	got = fixture(rel, &got_n);
}

int
main(void)
{
	char want[256];

	snprintf(want, sizeof(want),
	    "ok %d - needs a thing # SKIP no thing here\n", tap_n + 1);
	ok(capture(do_skip) == 0, "capture skip");
	is_str(out, want, "skip: ok, the description, the SKIP directive");

	rel = "tests/fixtures/samples/nppes_api_empty_result.json";
	ok(capture(do_fixture) == 0, "capture fixture");
	ok(got != NULL, "fixture: a file that is there is read");
	is_int(got_n, 51, "whole");
	ok(got != NULL && got[got_n] == '\0', "with a NUL after it");
	is_str(out, "", "silently");
	free(got);

	rel = "tests/fixtures/no-such-file";
	snprintf(want, sizeof(want), "not ok %d - fixture ", tap_n + 1);
	ok(capture(do_fixture) == 0, "capture missing fixture");
	ok(got == NULL && got_n == 0, "fixture: a missing file gives NULL");
	ok(strncmp(out, want, strlen(want)) == 0, "and a failed test");
	ok(strstr(out, "tests/fixtures/no-such-file: No such file or "
	    "directory\n") != NULL, "naming the file and the reason");
	ok(strstr(out, "#   at tests/unit/tap.c:") != NULL,
	    "at the caller's line");

	rel = "tests/fixtures";
	ok(capture(do_fixture) == 0, "capture directory");
	ok(got == NULL, "fixture: a directory gives NULL");
	ok(strstr(out, "tests/fixtures: Is a directory\n") != NULL,
	    "and says so");
	return done_testing();
}
