/* Replay the saved fuzz inputs of tests/fuzz/corpus/input: none may crash. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/input.c"
#include "tap.h"

int
main(void)
{
	char dir[512], rel[512];
	const char *top = getenv("CTP_TOP");
	DIR *d;
	struct dirent *de;
	char *buf;
	unsigned char *exact;
	size_t n;
	int replayed = 0;

	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/input",
	    top ? top : ".");
	if ((d = opendir(dir)) == NULL) {
		ok(0, "corpus directory %s", dir);
		return done_testing();
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "tests/fuzz/corpus/input/%s",
		    de->d_name);
		if ((buf = fixture(rel, &n)) == NULL)
			continue;
		/* Exactly n bytes, so a read past the end is caught. */
		if ((exact = malloc(n ? n : 1)) == NULL) {
			ok(0, "out of memory");
			free(buf);
			break;
		}
		memcpy(exact, buf, n);
		free(buf);
		LLVMFuzzerTestOneInput(exact, n);
		free(exact);
		ok(1, "replayed %s", de->d_name);
		replayed++;
	}
	closedir(d);
	if (replayed == 0)
		ok(0, "corpus directory %s holds no input", dir);
	return done_testing();
}
