/*
 * verify: a verifier's output read strictly (verify_reply.c), the names
 * a verifier may have (verify_config.c), and running a program with a
 * timeout (verify_exec.c).
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "mem.h"
#include "verify_config.h"
#include "verify_exec.h"
#include "verify_reply.h"
#include "tap.h"

/* Parse s: the reason when refused, "" when accepted. */
static const char *
why(const char *s)
{
	static char w[300];
	struct ctp_verify_reply r;

	w[0] = '\0';
	if (ctp_verify_reply_parse(s, strlen(s), &r, w, sizeof(w)) == 0)
		ctp_verify_reply_free(&r);
	return w;
}

static void
test_parse(void)
{
	struct ctp_verify_reply r;
	char w[300], big[5000];
	const char *s;

	s = "\n {\"result\":\"verified\",\"source\":\"CA Medical Board\","
	    "\"reference\":\"A12345\",\"detail\":\"active\","
	    "\"source_date\":\"2026-11-30\",\"method\":\"web\",\"x\":[1]}\n";
	ok(ctp_verify_reply_parse(s, strlen(s), &r, w, sizeof(w)) == 0,
	    "a full reply, unknown keys ignored");
	is_str(r.result, "verified", "result");
	is_str(r.source, "CA Medical Board", "source");
	is_str(r.reference, "A12345", "reference");
	is_str(r.detail, "active", "detail");
	is_str(r.source_date, "2026-11-30", "source_date");
	is_str(r.method, "web", "method");
	ctp_verify_reply_free(&r);

	s = "{\"result\":\"discrepancy\",\"detail\":{\"b\":1,\"a\":\"x\"},"
	    "\"source\":\"\",\"reference\":null}";
	ok(ctp_verify_reply_parse(s, strlen(s), &r, w, sizeof(w)) == 0,
	    "a detail object, an empty source, a null reference");
	is_str(r.detail, "{\"a\":\"x\",\"b\":1}", "detail as compact JSON, "
	    "keys sorted");
	ok(r.source == NULL && r.reference == NULL && r.method == NULL,
	    "empty and null are absent");
	ctp_verify_reply_free(&r);

	is_str(why(""), "printed no JSON object", "nothing");
	is_str(why("  \n"), "printed no JSON object", "blank");
	is_str(why("<html>"), "printed no JSON object", "HTML");
	is_str(why("[{\"result\":\"verified\"}]"), "printed no JSON object",
	    "an array");
	is_str(why("{\"result\":\"verified\""),
	    "printed no valid JSON object (malformed)", "cut short");
	is_str(why("{\"result\":\"verified\"}{\"result\":\"verified\"}"),
	    "printed no valid JSON object (more after the object)",
	    "two objects");
	is_str(why("{\"result\":\"verified\"} trailing"),
	    "printed no valid JSON object (more after the object)",
	    "text after it");
	is_str(why("{\"result\":\"verified\",\"result\":\"error\"}"),
	    "printed no valid JSON object (malformed)", "a key twice");
	is_str(why("{\"source\":\"x\"}"), "result: missing", "no result");
	is_str(why("{\"result\":\"ok\"}"), "result: not one of verified, "
	    "discrepancy, not_found, excluded, error", "an unknown result");
	is_str(why("{\"result\":\"clear\"}"), "result: not one of verified, "
	    "discrepancy, not_found, excluded, error", "screening's words "
	    "are not results");
	is_str(why("{\"result\":true}"), "result: not a string",
	    "result not a string");
	is_str(why("{\"result\":\"verified\",\"source\":\"a\\u001bb\"}"),
	    "source: holds a control character", "an escape in the source");
	is_str(why("{\"result\":\"verified\",\"detail\":\"a\\nb\"}"),
	    "detail: holds a control character", "a newline in the detail");
	is_str(why("{\"result\":\"verified\",\"detail\":\"a\\u0000b\"}"),
	    "printed no valid JSON object (malformed)", "a NUL");
	is_str(why("{\"result\":\"verified\",\"source_date\":\"11/30/2026\"}"),
	    "source_date: not a date (YYYY-MM-DD)", "a date in another form");
	is_str(why("{\"result\":\"verified\",\"source_date\":\"2026-02-30\"}"),
	    "source_date: not a date (YYYY-MM-DD)", "no such day");
	is_str(why("{\"result\":\"verified\",\"method\":\"fax\"}"),
	    "method: not one of api, web, phone, letter, email, file",
	    "an unknown method");
	is_str(why("{\"result\":\"verified\",\"reference\":7}"),
	    "reference: not a string", "a number for a string");
	memset(big, 'a', sizeof(big));
	memcpy(big, "{\"result\":\"verified\",\"source\":\"", 31);
	strcpy(big + 31 + CTP_VERIFY_SOURCE_MAX + 1, "\"}");
	is_str(why(big), "source: too long", "a source past its limit");
	big[31 + CTP_VERIFY_SOURCE_MAX] = '\0';
	strcat(big, "\"}");
	is_str(why(big), "", "a source at its limit");
	s = "{\"result\":\"verified\"}\0garbage";
	ok(ctp_verify_reply_parse(s, 30, &r, w, sizeof(w)) == -1,
	    "a NUL byte after the object refused");
}

static void
test_program_names(void)
{
	ok(ctp_verify_check_program("ctp-verify-npi") == NULL, "npi");
	ok(ctp_verify_check_program("ctp-verify-ca-board-2") == NULL,
	    "letters, digits, dashes");
	ok(ctp_verify_check_program("ctp-verify-") != NULL, "no name");
	ok(ctp_verify_check_program("ctp-verify-../x") != NULL, "a path");
	ok(ctp_verify_check_program("/bin/ctp-verify-x") != NULL, "absolute");
	ok(ctp_verify_check_program("ctp-verify-X") != NULL, "capitals");
	ok(ctp_verify_check_program("verify-x") != NULL, "another prefix");
	ok(ctp_verify_is_check("oig") && !ctp_verify_is_check("dea"),
	    "the provider checks");
}

/* A script in dir, mode 755, holding body. */
static char *
script(const char *dir, const char *name, const char *body)
{
	char *p = ctp_asprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(p, 0755);
	return p;
}

static void
test_exec(void)
{
	struct ctp_verify_exec x;
	struct ctp_error e;
	char dir[] = "/tmp/ctp-verify-unit.XXXXXX", *p, *found, *path;
	time_t t0;
	int builtin;

	if (mkdtemp(dir) == NULL) {
		skip("no temporary directory", "exec");
		return;
	}
	ctp_error_clear(&e);
	memset(&x, 0, sizeof(x));
	x.path = p = script(dir, "echo", "cat; echo \" $CTP_DB\"");
	x.input = "{\"in\":1}";
	x.db = "/x/org.db";
	x.timeout = 5;
	ok(ctp_verify_exec(&x, &e) == 0, "runs");
	is_str(x.reason, "", "exit 0: no reason");
	is_str(x.out, "{\"in\":1} /x/org.db\n", "stdin given, stdout read, "
	    "CTP_DB set");
	free(x.out);
	free(p);

	x.path = p = script(dir, "fail", "echo 'no \033 board' >&2; exit 3");
	ctp_verify_exec(&x, &e);
	is_str(x.reason, "exited 3: no ? board", "exit status and the first "
	    "stderr line, control characters masked");
	free(x.out);
	free(p);

	x.path = p = script(dir, "kill", "kill -9 $$");
	ctp_verify_exec(&x, &e);
	is_str(x.reason, "killed by signal 9", "killed");
	free(x.out);
	free(p);

	x.path = p = script(dir, "hang", "sleep 20 & sleep 20");
	x.timeout = 1;
	t0 = time(NULL);
	ctp_verify_exec(&x, &e);
	is_str(x.reason, "timed out after 1 s", "timed out");
	ok(time(NULL) - t0 < 5, "and stopped at the timeout");
	free(x.out);
	free(p);

	x.path = p = script(dir, "big", "head -c 70000 /dev/zero | tr '\\0' a");
	x.timeout = 5;
	ctp_verify_exec(&x, &e);
	is_str(x.reason, "printed more than 65536 bytes", "output past the "
	    "limit");
	free(x.out);
	free(p);

	x.path = p = script(dir, "noread", "exit 0");
	x.input = ctp_malloc(1 << 20);
	memset((char *)x.input, 'x', (1 << 20) - 1);
	((char *)x.input)[(1 << 20) - 1] = '\0';
	ok(ctp_verify_exec(&x, &e) == 0 && x.reason[0] == '\0',
	    "a program that reads nothing does not stop the caller");
	free((char *)x.input);
	free(x.out);
	free(p);

	path = ctp_strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", dir, 1);
	ok(ctp_verify_locate("echo", &found, &builtin, &e) == 0 && !builtin,
	    "found on PATH");
	free(found);
	p = script(dir, "ctp-verify-noexec", "exit 0");
	chmod(p, 0644);
	is_int(ctp_verify_locate("ctp-verify-noexec", &found, &builtin, &e),
	    CTP_NOPERM, "not executable");
	is_str(e.what, "not executable", "says so");
	is_int(ctp_verify_locate("ctp-verify-none", &found, &builtin, &e),
	    CTP_NOINPUT, "not found");
	free(p);
	setenv("PATH", path, 1);
	free(path);
	p = ctp_asprintf("rm -rf %s", dir);
	if (system(p) != 0)
		printf("# could not remove %s\n", dir);
	free(p);
}

int
main(void)
{
	test_parse();
	test_program_names();
	test_exec();
	return done_testing();
}
