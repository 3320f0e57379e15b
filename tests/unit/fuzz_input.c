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
	char dir[512], path[1024];
	const char *top = getenv("CTP_TOP");
	DIR *d;
	struct dirent *de;
	FILE *f;
	unsigned char *buf;
	long n;

	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/input",
	    top ? top : ".");
	if ((d = opendir(dir)) == NULL) {
		ok(0, "corpus directory %s", dir);
		return done_testing();
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((f = fopen(path, "rb")) == NULL)
			continue;
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		buf = malloc(n ? (size_t)n : 1);
		n = (long)fread(buf, 1, (size_t)n, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, (size_t)n);
		free(buf);
		ok(1, "replayed %s", de->d_name);
	}
	closedir(d);
	return done_testing();
}
