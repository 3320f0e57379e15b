/*
 * tap.h - a minimal TAP producer for the C unit tests.
 *   ok(cond, "what");  is_str(a, b, "what");  is_int(a, b, "what");
 *   skip("why", "what");  b = fixture("tests/fixtures/x", &n);
 *   return done_testing();
 */
#ifndef CTP_TAP_H
#define CTP_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_fail;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(a, b, ...) tap_is_str((a), (b), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(a, b, ...) \
	tap_is_int((long long)(a), (long long)(b), __FILE__, __LINE__, __VA_ARGS__)

static int __attribute__((format(printf, 4, 5), unused))
tap_ok(int c, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%s %d - ", c ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!c) {
		tap_fail++;
		printf("#   at %s:%d\n", file, line);
	}
	return c;
}

static int __attribute__((unused))
tap_is_str(const char *a, const char *b, const char *file, int line,
    const char *what)
{
	int c = (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);

	tap_ok(c, file, line, "%s", what);
	if (!c)
		printf("#   got '%s', expected '%s'\n", a ? a : "(null)",
		    b ? b : "(null)");
	return c;
}

static int __attribute__((unused))
tap_is_int(long long a, long long b, const char *file, int line,
    const char *what)
{
	tap_ok(a == b, file, line, "%s", what);
	if (a != b)
		printf("#   got %lld, expected %lld\n", a, b);
	return a == b;
}

/*
 * A test not run here, "ok N - what # SKIP why": scripts/runtests counts
 * it as skipped, never as passed or failed.
 */
#define skip(why, ...) tap_skip((why), __VA_ARGS__)

static void __attribute__((format(printf, 2, 3), unused))
tap_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("ok %d - ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
}

/*
 * The file rel of the repository ($CTP_TOP, else the current directory)
 * read whole, with a NUL after its n bytes; the caller frees it.  When it
 * cannot be read: a failed test naming the file and the reason, and NULL,
 * so the caller stops before anything depends on it.
 */
#define fixture(rel, n) tap_fixture((rel), (n), __FILE__, __LINE__)

static __attribute__((unused)) char *
tap_fixture(const char *rel, size_t *n, const char *file, int line)
{
	const char *top = getenv("CTP_TOP");
	char path[1024];
	FILE *f;
	char *b = NULL, *nb;
	size_t cap = 0, got;
	int err = 0;

	*n = 0;
	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	if ((f = fopen(path, "rb")) == NULL) {
		tap_ok(0, file, line, "fixture %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - *n < 4096) {
			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(b, cap + 1)) == NULL) {
				err = ENOMEM;
				break;
			}
			b = nb;
		}
		got = fread(b + *n, 1, cap - *n, f);
		*n += got;
		if (got == 0) {
			if (ferror(f))
				err = errno ? errno : EIO;
			break;
		}
	}
	fclose(f);
	if (err != 0) {
		tap_ok(0, file, line, "fixture %s: %s", path,
		    strerror(err));
		free(b);
		*n = 0;
		return NULL;
	}
	b[*n] = '\0';
	return b;
}

static int __attribute__((unused))
done_testing(void)
{
	printf("1..%d\n", tap_n);
	fflush(stdout);
	return tap_fail ? 1 : 0;
}

#endif
