/*
 * Unit tests for lib/doc.c: types from the first bytes, kinds from names,
 * and the extraction hook inside the add's transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "doc.h"
#include "tap.h"

/* The hook sees the document's content in the open transaction. */
static int
hook(struct ctp_ctx *c, const struct ctp_doc_added *d, void *arg,
    struct ctp_error *e)
{
	struct ctp_doc_reader *r;
	char buf[64];
	ssize_t n;
	int *fail = arg;

	if (ctp_doc_read_open(c->db, d->id, &r, e) != 0)
		return e->code;
	n = ctp_doc_read(r, buf, sizeof(buf) - 1, e);
	ctp_doc_read_close(r);
	buf[n > 0 ? n : 0] = '\0';
	if (strcmp(buf, "hello\n") != 0)
		return ctp_errf(e, CTP_SOFTWARE, "hook", "read '%s'", buf);
	if (*fail)
		return ctp_errf(e, CTP_DATAERR, "hook", "extraction failed");
	return 0;
}

static long long
rows(sqlite3 *db, const char *sql)
{
	long long v = -1;
	struct ctp_error e;

	ctp_db_int(db, sql, &v, "count", &e);
	return v;
}

static void
added(void)
{
	struct ctp_doc_add a;
	struct ctp_doc_added r;
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_doc d;
	sqlite3 *db;
	char path[128], file[128];
	int fail = 1, found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/ctp-unit-doc.%ld.db",
	    (long)getpid());
	snprintf(file, sizeof(file), "/tmp/ctp-unit-doc.%ld.txt",
	    (long)getpid());
	ctp_db_remove(path);
	setenv("CTP_USER", "tester", 1);
	ctp_error_clear(&e);
	if (!ok(ctp_db_create(&db, path, &e) == 0, "create database") ||
	    !ok(ctp_ctx_wrap(&c, "unit", path, db, &e) == 0, "wrap"))
		return;
	ctp_db_exec(c->db, "INSERT INTO providers (id, npi, last_name, "
	    "first_name, provider_type, created_at, updated_at) VALUES "
	    "(5, '1234567893', 'Zed', 'Zoe', 'MD', 't', 't')", &e);
	f = fopen(file, "w");
	fputs("hello\n", f);
	fclose(f);
	memset(&a, 0, sizeof(a));
	a.npi = "1234567893";
	a.kind = "license";
	a.hook = hook;
	a.hook_arg = &fail;
	is_int(ctp_doc_add_path(c, &a, file, &r, &e), CTP_DATAERR,
	    "a failing hook fails the add");
	is_str(e.what, "extraction failed", "with the hook's error");
	is_int(rows(c->db, "SELECT count(*) FROM documents") +
	    rows(c->db, "SELECT count(*) FROM doc_contents") +
	    rows(c->db, "SELECT count(*) FROM audit WHERE action = 'doc.add'"),
	    0, "and nothing of it is left");
	fail = 0;
	is_int(ctp_doc_add_path(c, &a, file, &r, &e), 0, "add");
	is_int(r.id, 1, "document 1");
	is_int(r.existing, 0, "new");
	is_str(r.mime, "text/plain", "text");
	is_int(r.size, 6, "6 bytes");
	is_int(ctp_doc_latest(c->db, 5, "license", "approved", &d, &found, &e),
	    0, "latest approved");
	is_int(found, 0, "none approved yet");
	is_int(ctp_doc_review(c, 1, "approved", NULL, &e), 0, "approve");
	is_int(ctp_doc_latest(c->db, 5, "license", "approved", &d, &found, &e),
	    0, "latest approved again");
	is_int(found, 1, "found");
	is_int(d.id, 1, "document 1");
	is_str(d.name, strrchr(file, '/') + 1, "its name");
	is_str(d.reviewed_by, "tester", "approved by");
	ctp_doc_clear(&d);
	is_int(ctp_doc_review(c, 1, "rejected", "late", &e), CTP_DATAERR,
	    "a decision is final");
	ctp_ctx_close(c);
	unlink(file);
	ctp_db_remove(path);
}

static const char *
sniff(const char *p, size_t n)
{
	const char *m = ctp_doc_sniff((const unsigned char *)p, n);

	return m ? m : "(none)";
}

int
main(void)
{
	is_str(sniff("%PDF-1.7\n", 9), "application/pdf", "PDF");
	is_str(sniff("%PDF", 4), "(none)", "a PDF header cut short");
	is_str(sniff("\x89PNG\r\n\x1a\n", 8), "image/png", "PNG");
	is_str(sniff("\x89PNG\r\n", 6), "(none)", "half a PNG signature");
	is_str(sniff("\xff\xd8\xff\xe0", 4), "image/jpeg", "JPEG");
	is_str(sniff("II*\0", 4), "image/tiff", "TIFF, little-endian");
	is_str(sniff("MM\0*", 4), "image/tiff", "TIFF, big-endian");
	is_str(sniff("GIF89a", 6), "(none)", "GIF is not taken");
	is_str(sniff("hello", 5), "(none)", "text is decided by the whole "
	    "content");
	is_str(sniff("", 0), "(none)", "nothing");
	is_str(ctp_doc_kind_guess("IL-License-2026.pdf"), "license",
	    "license, any case");
	is_str(ctp_doc_kind_guess("1234567893_DEA.png"), "dea", "DEA");
	is_str(ctp_doc_kind_guess("idea.pdf"), "other",
	    "dea inside a word is not DEA");
	is_str(ctp_doc_kind_guess("malpractice-dec-page.pdf"), "malpractice",
	    "malpractice");
	is_str(ctp_doc_kind_guess("board_cert.pdf"), "board_cert",
	    "board_cert");
	is_str(ctp_doc_kind_guess("ABIM board.tif"), "board_cert", "board");
	is_str(ctp_doc_kind_guess("cv.txt"), "cv", "cv");
	is_str(ctp_doc_kind_guess("CAQH attestation.pdf"), "attestation",
	    "attestation");
	is_str(ctp_doc_kind_guess("scan0001.pdf"), "other", "anything else");
	ok(ctp_doc_kind_valid("board_cert"), "board_cert is a kind");
	ok(!ctp_doc_kind_valid("passport"), "passport is not");
	ok(!ctp_doc_kind_valid(NULL), "NULL is not");
	added();
	return done_testing();
}
