/*
 * tap.h - a minimal TAP producer for the C unit tests.
 *   ok(cond, "what");  is_str(a, b, "what");  is_int(a, b, "what");
 *   return done_testing();
 */
#ifndef CTP_TAP_H
#define CTP_TAP_H

#include <stdarg.h>
#include <stdio.h>
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

static int __attribute__((unused))
done_testing(void)
{
	printf("1..%d\n", tap_n);
	fflush(stdout);
	return tap_fail ? 1 : 0;
}

#endif
