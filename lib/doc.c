/*
 * doc.c - adding a document (doc.h): the kinds, the type sniffed from
 * the content, and the store.
 *
 * Memory does not grow with the document: the file is read twice in
 * CTP_DOC_CHUNK pieces, once to hash it, sniff its type and check its
 * text, then (only when its content is new) into a blob made its size
 * with zeroblob through sqlite3_blob_write, hashing again so that a file
 * changed between the passes is refused.  The content row is inserted
 * only once its hash is known, so it is never updated.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "doc.h"
#include "org.h"
#include "roster.h"
#include "validate.h"

const char *const ctp_doc_kinds[] = {
	"license", "dea", "malpractice", "board_cert", "cv", "attestation",
	"other", NULL
};

int
ctp_doc_kind_valid(const char *kind)
{
	return kind != NULL && ctp_str_index(ctp_doc_kinds, kind) >= 0;
}

static int
isalpha_c(char ch)
{
	return isalpha((unsigned char)ch);
}

/* 1 when word is in s (case-insensitive) not inside a longer word. */
static int
has_word(const char *s, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; s[i]; i++) {
		if (strncasecmp(s + i, word, n) != 0)
			continue;
		if ((i == 0 || !isalpha_c(s[i - 1])) && !isalpha_c(s[i + n]))
			return 1;
	}
	return 0;
}

const char *
ctp_doc_kind_guess(const char *name)
{
	static const struct {
		const char *word, *kind;
	} w[] = {
		{ "license", "license" }, { "licence", "license" },
		{ "dea", "dea" }, { "malpractice", "malpractice" },
		{ "board_cert", "board_cert" }, { "board", "board_cert" },
		{ "cv", "cv" }, { "attestation", "attestation" },
	};
	size_t i;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (has_word(name, w[i].word))
			return w[i].kind;
	return "other";
}

const char *
ctp_doc_sniff(const unsigned char *p, size_t n)
{
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return "image/jpeg";
	if (n >= 4 && (memcmp(p, "II*\0", 4) == 0 ||
	    memcmp(p, "MM\0*", 4) == 0))
		return "image/tiff";
	return NULL;
}

/*
 * Plain text, checked a chunk at a time: valid UTF-8 (no overlong form,
 * no surrogate, nothing past U+10FFFF) without control characters other
 * than tab, CR and LF.  need: continuation bytes still owed; lo, hi: the
 * range of the next one.
 */
struct text_check {
	int ok, need;
	unsigned char lo, hi;
};

static void
text_feed(struct text_check *t, const unsigned char *p, size_t n)
{
	size_t i;
	unsigned char b;

	for (i = 0; i < n && t->ok; i++) {
		b = p[i];
		if (t->need > 0) {
			if (b < t->lo || b > t->hi)
				t->ok = 0;
			t->lo = 0x80;
			t->hi = 0xbf;
			t->need--;
			continue;
		}
		if (b < 0x80) {
			if ((b < 0x20 && b != '\t' && b != '\r' && b != '\n') ||
			    b == 0x7f)
				t->ok = 0;
			continue;
		}
		t->lo = 0x80;
		t->hi = 0xbf;
		if (b >= 0xc2 && b <= 0xdf)
			t->need = 1;
		else if (b >= 0xe0 && b <= 0xef) {
			t->need = 2;
			if (b == 0xe0)
				t->lo = 0xa0;
			else if (b == 0xed)
				t->hi = 0x9f;
		} else if (b >= 0xf0 && b <= 0xf4) {
			t->need = 3;
			if (b == 0xf0)
				t->lo = 0x90;
			else if (b == 0xf4)
				t->hi = 0x8f;
		} else
			t->ok = 0;
	}
}

/* Read up to n bytes (fewer only at the end): the count, or -1. */
static ssize_t
read_full(int fd, unsigned char *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* What the first pass learns of the file. */
struct scan {
	off_t start;		/* where reading began */
	long long size;
	const char *mime;
	char sha256[CTP_SHA256_HEX];
};

/*
 * Pass over fd from s->start to its end, hashing; with blob, write each
 * chunk into it too.  sniff: also find the type.  0, or the error.
 */
static int
pass(int fd, struct scan *s, int sniff, sqlite3_blob *blob,
    unsigned char *buf, const char *name, char out[CTP_SHA256_HEX],
    struct ctp_error *e)
{
	struct ctp_sha256 *h;
	struct text_check t = { 1, 0, 0x80, 0xbf };
	long long total = 0;
	ssize_t n;
	int rc = 0, first = 1;

	if (lseek(fd, s->start, SEEK_SET) < 0)
		return ctp_errf(e, CTP_IOERR, name, "%s", strerror(errno));
	if ((h = ctp_sha256_new()) == NULL)
		return ctp_err_nomem(e, "sha256");
	for (;;) {
		if ((n = read_full(fd, buf, CTP_DOC_CHUNK)) < 0) {
			rc = ctp_errf(e, CTP_IOERR, name, "%s",
			    strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if (total + n > s->size) {
			rc = ctp_errf(e, CTP_DATAERR, name, "the file changed "
			    "while it was read");
			break;
		}
		if (sniff && first)
			s->mime = ctp_doc_sniff(buf, (size_t)n);
		if (sniff && s->mime == NULL)
			text_feed(&t, buf, (size_t)n);
		first = 0;
		ctp_sha256_update(h, buf, (size_t)n);
		if (blob != NULL && (rc = sqlite3_blob_write(blob, buf, (int)n,
		    (int)total)) != SQLITE_OK) {
			rc = ctp_errf(e, CTP_IOERR, name, "storing: %s",
			    sqlite3_errstr(rc));
			break;
		}
		total += n;
	}
	if (ctp_sha256_final(h, out) != 0 && rc == 0)
		rc = ctp_err_nomem(e, "sha256");
	if (rc == 0 && total != s->size)
		rc = ctp_errf(e, CTP_DATAERR, name, "the file changed while "
		    "it was read");
	if (rc == 0 && sniff && s->mime == NULL && t.ok && t.need == 0)
		s->mime = "text/plain";
	return rc;
}

/* Size, limit, hash and type of the file open on fd: 0 or the refusal. */
static int
scan_file(struct ctp_ctx *c, int fd, const char *name, struct scan *s,
    unsigned char *buf, struct ctp_error *e)
{
	struct stat sb;
	long max;
	int rc;

	if (fstat(fd, &sb) != 0)
		return ctp_errf(e, CTP_IOERR, name, "%s", strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return ctp_errf(e, CTP_DATAERR, name, "not a regular file");
	if ((s->start = lseek(fd, 0, SEEK_CUR)) < 0)
		return ctp_errf(e, CTP_IOERR, name, "%s", strerror(errno));
	s->size = sb.st_size > s->start ? (long long)(sb.st_size - s->start)
	    : 0;
	if (s->size == 0)
		return ctp_errf(e, CTP_DATAERR, name, "empty file");
	if ((rc = ctp_org_get_long(c->db, "doc_max_bytes", &max, e)) != 0)
		return rc;
	if (s->size > max)
		return ctp_errf(e, CTP_DATAERR, name, "%lld bytes, over the "
		    "limit of %ld (doc_max_bytes)", s->size, max);
	if ((rc = pass(fd, s, 1, NULL, buf, name, s->sha256, e)) != 0)
		return rc;
	if (s->mime == NULL)
		return ctp_errf(e, CTP_DATAERR, name, "unknown type (not PDF, "
		    "PNG, JPEG, TIFF or plain text)");
	return 0;
}

/* Look up a row's id by one query with (text, int) or (text) bound. */
static int
lookup(sqlite3 *db, const char *sql, long long pid, const char *kind,
    const char *sha, long long *id, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	if (ctp_db_prepare(db, &st, sql, e))
		return e->code;
	ctp_bind_text(st, 1, sha);
	if (pid)
		sqlite3_bind_int64(st, 2, pid);
	if (kind)
		ctp_bind_text(st, 3, kind);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return 0;
	return ctp_db_err(db, rc, "documents", e);
}

/* The credential must be one of provider pid's. */
static int
check_credential(sqlite3 *db, long long cid, long long pid,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc, mine = 0;

	if (ctp_db_prepare(db, &st, "SELECT provider_id = ?2 FROM "
	    "credentials WHERE id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_int64(st, 2, pid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		mine = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "credentials", e);
	if (!mine)
		return ctp_errf(e, CTP_DATAERR, "--credential", "%lld: not a "
		    "credential of this provider", cid);
	return 0;
}

/* Insert the content row and stream the file into it (second pass). */
static int
store_content(sqlite3 *db, int fd, struct scan *s, unsigned char *buf,
    const char *name, struct ctp_error *e)
{
	sqlite3_stmt *st;
	sqlite3_blob *blob = NULL;
	char again[CTP_SHA256_HEX];
	int rc;

	if (ctp_db_prepare(db, &st, "INSERT INTO doc_contents (sha256, size, "
	    "mime, content) VALUES (?1, ?2, ?3, ?4)", e))
		return e->code;
	ctp_bind_text(st, 1, s->sha256);
	sqlite3_bind_int64(st, 2, s->size);
	ctp_bind_text(st, 3, s->mime);
	sqlite3_bind_zeroblob64(st, 4, (sqlite3_uint64)s->size);
	rc = ctp_db_step_done(st, "doc_contents", e);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if ((rc = sqlite3_blob_open(db, "main", "doc_contents", "content",
	    sqlite3_last_insert_rowid(db), 1, &blob)) != SQLITE_OK)
		return ctp_db_err(db, rc, "doc_contents", e);
	rc = pass(fd, s, 0, blob, buf, name, again, e);
	sqlite3_blob_close(blob);
	if (rc == 0 && strcmp(again, s->sha256) != 0)
		rc = ctp_errf(e, CTP_DATAERR, name, "the file changed while "
		    "it was read");
	return rc;
}

static int
add_audit(struct ctp_ctx *c, const struct ctp_doc_add *a,
    const struct ctp_doc_added *r, const char *name, int fresh,
    struct ctp_error *e)
{
	char sid[32];
	json_t *d;
	int rc;

	snprintf(sid, sizeof(sid), "%lld", r->id);
	d = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:b}", "npi", a->npi,
	    "kind", a->kind, "sha256", r->sha256, "size", (json_int_t)r->size,
	    "mime", r->mime, "name", name, "new_content", fresh);
	if (d != NULL && a->credential_id)
		json_object_set_new(d, "credential_id",
		    json_integer(a->credential_id));
	if (d == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "doc.add", "document", sid, d, e);
	json_decref(d);
	return rc;
}

/* The rows, inside the open transaction. */
static int
add_rows(struct ctp_ctx *c, const struct ctp_doc_add *a, int fd,
    struct scan *s, unsigned char *buf, const char *name,
    struct ctp_doc_added *r, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN];
	long long have;
	int rc;

	if ((rc = ctp_roster_find(c->db, a->npi, &r->provider_id, e)) != 0)
		return rc;
	if (a->credential_id && (rc = check_credential(c->db,
	    a->credential_id, r->provider_id, e)) != 0)
		return rc;
	if ((rc = lookup(c->db, "SELECT id FROM documents WHERE sha256 = ?1 "
	    "AND provider_id = ?2 AND kind = ?3 ORDER BY id LIMIT 1",
	    r->provider_id, a->kind, s->sha256, &r->id, e)) != 0)
		return rc;
	if (r->id) {
		r->existing = 1;
		return 0;
	}
	if ((rc = lookup(c->db, "SELECT rowid FROM doc_contents WHERE "
	    "sha256 = ?1", 0, NULL, s->sha256, &have, e)) != 0)
		return rc;
	if (!have && (rc = store_content(c->db, fd, s, buf, name, e)) != 0)
		return rc;
	ctp_timestamp(ts);
	if (ctp_db_prepare(c->db, &st, "INSERT INTO documents (provider_id, "
	    "credential_id, kind, sha256, name, added_by, added_at) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7)", e))
		return e->code;
	sqlite3_bind_int64(st, 1, r->provider_id);
	if (a->credential_id)
		sqlite3_bind_int64(st, 2, a->credential_id);
	ctp_bind_text(st, 3, a->kind);
	ctp_bind_text(st, 4, s->sha256);
	ctp_bind_text(st, 5, name);
	ctp_bind_text(st, 6, c->user);
	ctp_bind_text(st, 7, ts);
	rc = ctp_db_step_done(st, "documents", e);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	r->id = sqlite3_last_insert_rowid(c->db);
	if ((rc = add_audit(c, a, r, name, !have, e)) != 0)
		return rc;
	if (a->hook != NULL)
		rc = a->hook(c, r, a->hook_arg, e);
	return rc;
}

int
ctp_doc_add_fd(struct ctp_ctx *c, const struct ctp_doc_add *a, int fd,
    struct ctp_doc_added *r, struct ctp_error *e)
{
	struct ctp_doc_added mine;
	struct scan s;
	unsigned char *buf;
	const char *name = a->name ? a->name : "-", *why;
	int rc;

	if (r == NULL)
		r = &mine;
	memset(r, 0, sizeof(*r));
	memset(&s, 0, sizeof(s));
	if (!ctp_doc_kind_valid(a->kind))
		return ctp_errf(e, CTP_DATAERR, "--kind", "%s",
		    CTP_DOC_KIND_UNKNOWN);
	if ((why = ctp_check_text(name, 255)) != NULL || *name == '\0')
		return ctp_errf(e, CTP_DATAERR, "name", "%s",
		    why ? why : "empty");
	if ((buf = malloc(CTP_DOC_CHUNK)) == NULL)
		return ctp_err_nomem(e, "document");
	if ((rc = scan_file(c, fd, name, &s, buf, e)) != 0)
		goto out;
	memcpy(r->sha256, s.sha256, sizeof(r->sha256));
	r->mime = s.mime;
	r->size = s.size;
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		goto out;
	if ((rc = add_rows(c, a, fd, &s, buf, name, r, e)) != 0 ||
	    r->existing)
		ctp_db_rollback(c->db);
	else
		rc = ctp_db_commit(c->db, e);
out:
	free(buf);
	return rc;
}

int
ctp_doc_add_path(struct ctp_ctx *c, const struct ctp_doc_add *a,
    const char *path, struct ctp_doc_added *r, struct ctp_error *e)
{
	struct ctp_doc_add b = *a;
	const char *slash;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) < 0) {
		if (errno == ELOOP)
			return ctp_errf(e, CTP_DATAERR, path, "a symbolic "
			    "link, not followed");
		return ctp_errf(e, errno == ENOENT ? CTP_NOINPUT : CTP_IOERR,
		    path, "%s", strerror(errno));
	}
	if (b.name == NULL) {
		slash = strrchr(path, '/');
		b.name = slash ? slash + 1 : path;
	}
	rc = ctp_doc_add_fd(c, &b, fd, r, e);
	close(fd);
	return rc;
}
