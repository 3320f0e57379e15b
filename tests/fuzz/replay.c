/*
 * Replay the saved inputs of one fuzz entry point (make check): every
 * file of $CTP_TOP/tests/fuzz/corpus/FUZZ_NAME goes through
 * LLVMFuzzerTestOneInput once, in name order; none may crash or fail an
 * assertion.  One test for the corpus; an input that crashes is named
 * ("not ok") before the program dies.  Built with the normal compiler,
 * linked with tests/fuzz/NAME.c (make: build/tests/unit/fuzz_NAME).
 * File names as arguments replay those files, one test each.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "tap.h"

#ifndef FUZZ_NAME
#error "FUZZ_NAME: the corpus to replay"
#endif

int	LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* Called as a sanitizer reports an error and exits (no signal then). */
void	__sanitizer_set_death_callback(void (*)(void)) __attribute__((weak));

static char current[1100];

/* Name the input being replayed: the program is dying. */
static void
crashed(void)
{
	static const char a[] = "not ok - crashed on ", b[] = "\n";

	if (current[0] == '\0')
		return;
	(void)!write(1, a, sizeof(a) - 1);
	(void)!write(1, current, strlen(current));
	(void)!write(1, b, 1);
	current[0] = '\0';
}

static void
on_signal(int sig)
{
	crashed();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
replay(const char *path)
{
	unsigned char *buf;
	FILE *f;
	long n;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
		fclose(f);
		return -1;
	}
	rewind(f);
	if ((buf = malloc(n > 0 ? (size_t)n : 1)) == NULL) {
		fclose(f);
		return -1;
	}
	n = (long)fread(buf, 1, (size_t)n, f);
	fclose(f);
	snprintf(current, sizeof(current), "%s", path);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	current[0] = '\0';
	free(buf);
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	char dir[512], path[1024], **names = NULL;
	const char *top = getenv("CTP_TOP");
	struct dirent *de;
	size_t n = 0, i;
	DIR *d;

	size_t done = 0;
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], on_signal);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(crashed);
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (i = 1; i < (size_t)argc; i++)
			ok(replay(argv[i]) == 0, "replayed %s", argv[i]);
		return done_testing();
	}
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s",
	    top ? top : ".", FUZZ_NAME);
	if ((d = opendir(dir)) == NULL) {
		ok(0, "corpus directory %s", dir);
		return done_testing();
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((names = realloc(names, (n + 1) * sizeof(*names))) == NULL ||
		    (names[n] = strdup(de->d_name)) == NULL)
			abort();
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (replay(path) == 0)
			done++;
		else
			printf("# cannot read %s\n", path);
		free(names[i]);
	}
	free(names);
	ok(n > 0 && done == n, "corpus %s: %zu inputs replayed", FUZZ_NAME,
	    done);
	return done_testing();
}
