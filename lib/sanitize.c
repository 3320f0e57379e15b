/*
 * sanitize.c - the sanitizer builds' options (make asan).  A program that
 * runs setgid (a team install, tests/cli/team.t) cannot be stopped by
 * LeakSanitizer, which then ends it with a fatal error, and cannot read
 * its own /proc/self/environ for ASAN_OPTIONS; so such a run checks
 * memory errors but not leaks.  Every other run checks leaks too.  The
 * Makefile links this in only when SANITIZE is set.
 */
#include <sys/auxv.h>

const char *__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return getauxval(AT_SECURE) ? "detect_leaks=0" : "";
}
