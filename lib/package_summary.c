/*
 * package_summary.c - the files a person reads first (package.h):
 * summary.txt, the same lines on one page as summary.pdf (libharu),
 * packet.pdf (that page and every PDF document, pdf_join.h), and
 * manifest.json, which names every other file with its size and
 * SHA-256.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "db.h"
#include "doc.h"
#include "mem.h"
#include "package.h"
#include "package_int.h"
#include "pdf.h"
#include "pdf_join.h"
#include "version.h"

/* The lines of the summary: one page of them at most. */
#define SUMMARY_LINES 58
#define SUMMARY_WIDTH 92

struct lines {
	char *v[SUMMARY_LINES];
	int n;
	int cut;	/* lines left out */
};

static int
line(struct lines *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
line(struct lines *l, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	if (l->n == SUMMARY_LINES - 1) {
		l->cut++;
		return 0;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if ((l->v[l->n] = ctp_strdup(buf)) == NULL)
		return -1;
	l->n++;
	return 0;
}

static void
lines_free(struct lines *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
}

static const char sql_active[] = "SELECT kind, state, number, expires, "
    "verification FROM credentials WHERE provider_id = ?1 AND status = "
    "'active' ORDER BY kind, id";
static const char sql_latest[] = "SELECT l.source, l.result, "
    "l.verified_on FROM psv_log l WHERE l.id IN (SELECT max(id) FROM "
    "psv_log WHERE provider_id = ?1 AND source IN (SELECT source FROM "
    "screen_lists) GROUP BY source) ORDER BY l.source";

static int
credential_lines(sqlite3 *db, const struct pkg *p, struct lines *l,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc, bad = 0, rows = 0;

	if ((rc = pkg_stmt(p->sc, sql_active, &st, e)) != 0)
		return rc;
	sqlite3_bind_int64(st, 1, p->pid);
	bad |= line(l, "Credentials (active)");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		bad |= line(l, "  %-20s %-3s %-16s expires %-10s %s",
		    ctp_col_text(st, 0), ctp_col_text(st, 1),
		    ctp_col_text(st, 2), ctp_col_text(st, 3),
		    ctp_col_text(st, 4));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "credentials", e);
	if ((rc = pkg_stmt(p->sc, sql_latest, &st, e)) != 0)
		return rc;
	sqlite3_bind_int64(st, 1, p->pid);
	bad |= line(l, "%s", "");
	bad |= line(l, "Latest screening");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && ++rows)
		bad |= line(l, "  %-20s %-16s on %s", ctp_col_text(st, 0),
		    ctp_col_text(st, 1), ctp_col_text(st, 2));
	sqlite3_reset(st);
	if (rows == 0)
		bad |= line(l, "  none on record");
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "screening", e);
	return bad ? ctp_err_nomem(e, "summary") : 0;
}

static int
summary_lines(sqlite3 *db, const struct pkg *p, struct lines *l,
    struct ctp_error *e)
{
	char day[CTP_DATE_LEN], req[128] = "";
	size_t i, len = 0;
	int bad = 0, rc;

	ctp_date_format(p->as_of, day);
	for (i = 0; ctp_doc_kinds[i]; i++)
		if (p->required & (1u << i))
			len += (size_t)snprintf(req + len, len < sizeof(req) ?
			    sizeof(req) - len : 0, "%s%s", len ? ", " : "",
			    ctp_doc_kinds[i]);
	bad |= line(l, "Organization: %s", p->org);
	bad |= line(l, "Provider:     %s, %s (NPI %s), %s", p->last, p->first,
	    p->npi, p->ptype);
	bad |= line(l, "Status:       %s", p->status);
	bad |= line(l, "Payer:        %s", p->payer);
	bad |= line(l, "As of:        %s", day);
	bad |= line(l, "Requires:     %s (%s)", *req ? req : "nothing",
	    p->required_source);
	bad |= line(l, "Complete:     %s", p->ngaps ? "no" : "yes");
	for (i = 0; i < p->ngaps; i++)
		bad |= line(l, "  missing %s", p->gaps[i]);
	bad |= line(l, "%s", "");
	bad |= line(l, "Documents");
	if (p->ndocs == 0)
		bad |= line(l, "  none");
	for (i = 0; i < p->ndocs; i++)
		bad |= line(l, "  %-40s %lld bytes", p->docs[i].path,
		    p->docs[i].size);
	bad |= line(l, "%s", "");
	if (bad)
		return ctp_err_nomem(e, "summary");
	if ((rc = credential_lines(db, p, l, e)) != 0)
		return rc;
	if (l->cut && line(l, "... %d more lines in the files", l->cut) != 0)
		return ctp_err_nomem(e, "summary");
	return 0;
}

static int
summary_pdf(const struct pkg *p, struct ctp_buf *b, struct ctp_error *e)
{
	struct tm tm;
	HPDF_Date d;
	HPDF_Doc pdf;
	HPDF_Page pg;
	HPDF_Font f, fb;
	char buf[SUMMARY_WIDTH + 1];
	float y = 740;
	int failed, i, rc;

	if ((pdf = ctp_pdf_new(&failed)) == NULL)
		return ctp_err_nomem(e, "summary.pdf");
	gmtime_r(&p->when, &tm);
	memset(&d, 0, sizeof(d));
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	d.hour = tm.tm_hour;
	d.minutes = tm.tm_min;
	d.seconds = tm.tm_sec;
	d.ind = 'Z';
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, d);
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, d);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "ctp-package " CTP_VERSION);
	pg = HPDF_AddPage(pdf);
	HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT);
	f = HPDF_GetFont(pdf, "Courier", "WinAnsiEncoding");
	fb = HPDF_GetFont(pdf, "Helvetica-Bold", "WinAnsiEncoding");
	ctp_pdf_text(pg, fb, 16, 50, y, "Credential package");
	y -= 24;
	for (i = 0; i < p->nlines; i++, y -= 11.5f)
		ctp_pdf_text(pg, f, 8.5f, 50, y, ctp_pdf_plain(p->lines[i], buf,
		    sizeof(buf)));
	rc = ctp_pdf_bytes(pdf, failed, b, "summary.pdf", e);
	HPDF_Free(pdf);
	return rc;
}

/* The document as a temporary file; *path is new. */
static int
tmp_doc(sqlite3 *db, const struct pkg *p, const struct pkg_doc *d,
    char **path, struct ctp_error *e)
{
	FILE *f;
	int rc;

	if ((*path = ctp_asprintf("%s/doc-%lld.pdf", p->tmpdir, d->id)) ==
	    NULL)
		return ctp_err_nomem(e, "package");
	if ((f = fopen(*path, "wb")) == NULL)
		return ctp_errf(e, CTP_CANTCREAT, *path, "cannot create");
	rc = ctp_doc_copy(db, d->id, f, e);
	if (fclose(f) != 0 && rc == 0)
		rc = ctp_errf(e, CTP_IOERR, *path, "write error");
	return rc;
}

/* The entry of a document, by its path. */
static const struct pkg_entry *
doc_entry(const struct pkg *p, const struct pkg_doc *d)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].path, d->path) == 0)
			return &p->v[i];
	return NULL;
}

/*
 * packet.pdf: the summary (in[0]) and the PDF documents, those already
 * in memory read from there, the others from a temporary file each;
 * written to memory when the inputs are small, else to a file.
 */
static int
packet(sqlite3 *db, struct pkg *p, struct ctp_pdf_in *in, const char *sum_sha,
    char **tmp, struct ctp_error *e)
{
	const struct pkg_entry *de;
	struct pkg_entry *en;
	char seed[8 * CTP_SHA256_HEX];
	size_t n = 1, i, map[8];
	long long total = (long long)in[0].n;
	int skipped[8], rc = 0;

	for (i = 0; i < p->ndocs && rc == 0; i++) {
		if (strcmp(p->docs[i].mime, "application/pdf") != 0 ||
		    (de = doc_entry(p, &p->docs[i])) == NULL)
			continue;
		map[n] = i;
		total += p->docs[i].size;
		if (de->src == PKG_MEM) {
			in[n].p = de->mem.s;
			in[n++].n = de->mem.len;
		} else if ((rc = tmp_doc(db, p, &p->docs[i], &tmp[n], e)) == 0)
			in[n].path = tmp[n], n++;
	}
	if (rc != 0)
		return rc;
	if ((en = pkg_add(p, "packet.pdf", total <= PKG_MEM_BUDGET ? PKG_MEM :
	    PKG_FILE)) == NULL || (en->src == PKG_FILE && (en->file =
	    ctp_asprintf("%s/packet.pdf", p->tmpdir)) == NULL))
		return ctp_err_nomem(e, "packet.pdf");
	en->store = 1;
	/* The ID's seed: the inputs' SHA-256s, in order. */
	snprintf(seed, sizeof(seed), "%s", sum_sha);
	for (i = 1; i < n; i++)
		snprintf(seed + strlen(seed), sizeof(seed) - strlen(seed),
		    " %s", p->docs[map[i]].sha256);
	if ((rc = ctp_pdf_join(in, n, seed, en->file, &en->mem, skipped,
	    &p->packet_pages, e)) != 0)
		return rc;
	for (i = 1; i < n; i++)
		p->docs[map[i]].in_packet = !skipped[i];
	if (en->src == PKG_MEM)
		return pkg_mem_done(en, e);
	return ctp_sha256_file(en->file, en->sha256, &en->size, e);
}

int
pkg_summary_lines(sqlite3 *db, struct pkg *p, struct ctp_error *e)
{
	struct lines l;
	int rc;

	memset(&l, 0, sizeof(l));
	if ((rc = summary_lines(db, p, &l, e)) != 0) {
		lines_free(&l);
		return rc;
	}
	if ((p->lines = ctp_calloc((size_t)l.n + 1, sizeof(*p->lines))) ==
	    NULL) {
		lines_free(&l);
		return ctp_err_nomem(e, "summary");
	}
	memcpy(p->lines, l.v, (size_t)l.n * sizeof(*p->lines));
	p->nlines = l.n;
	return 0;
}

int
pkg_summary_files(sqlite3 *db, struct pkg *p, struct ctp_error *e)
{
	struct pkg_entry *txt, *pdf;
	struct ctp_pdf_in in[8];
	char *tmp[8] = { NULL };
	int i, rc;

	memset(in, 0, sizeof(in));
	if ((txt = pkg_add(p, "summary.txt", PKG_MEM)) == NULL)
		return ctp_err_nomem(e, "summary.txt");
	for (i = 0; i < p->nlines; i++)
		if (ctp_buf_puts(&txt->mem, p->lines[i]) ||
		    ctp_buf_putc(&txt->mem, '\n'))
			return ctp_err_nomem(e, "summary.txt");
	if ((rc = pkg_mem_done(txt, e)) != 0)
		return rc;
	if ((pdf = pkg_add(p, "summary.pdf", PKG_MEM)) == NULL)
		return ctp_err_nomem(e, "summary.pdf");
	pdf->store = 1;
	if ((rc = summary_pdf(p, &pdf->mem, e)) != 0 ||
	    (rc = pkg_mem_done(pdf, e)) != 0)
		return rc;
	in[0].p = pdf->mem.s;
	in[0].n = pdf->mem.len;
	rc = packet(db, p, in, pdf->sha256, tmp, e);
	for (i = 0; i < 8; i++)
		if (tmp[i]) {
			unlink(tmp[i]);
			free(tmp[i]);
		}
	return rc;
}

static int
by_path(const void *a, const void *b)
{
	return strcmp(((const struct pkg_entry *)a)->path,
	    ((const struct pkg_entry *)b)->path);
}

static json_t *
manifest_json(const struct pkg *p)
{
	json_t *m, *files, *gaps, *req, *left;
	char day[CTP_DATE_LEN];
	size_t i;
	int bad = 0;

	ctp_date_format(p->as_of, day);
	files = json_array();
	gaps = json_array();
	req = json_array();
	left = json_array();
	m = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s}, s:s, s:s, "
	    "s:s, s:b, s:o, s:s, s:o, s:{s:I, s:o}, s:o}",
	    "format", "ctp-package 1", "organization", p->org,
	    "provider", "npi", p->npi, "last_name", p->last, "first_name",
	    p->first, "provider_type", p->ptype, "status", p->status,
	    "payer", p->payer, "as_of", day, "ctp_version", CTP_VERSION,
	    "complete", p->ngaps == 0, "required", req, "requirement_source",
	    p->required_source, "gaps", gaps, "packet", "pages",
	    (json_int_t)p->packet_pages, "left_out", left, "files", files);
	if (m == NULL)
		return NULL;
	for (i = 0; ctp_doc_kinds[i]; i++)
		if (p->required & (1u << i))
			bad |= json_array_append_new(req,
			    json_string(ctp_doc_kinds[i]));
	for (i = 0; i < p->ngaps; i++)
		bad |= json_array_append_new(gaps, json_string(p->gaps[i]));
	for (i = 0; i < p->ndocs; i++)
		if (!p->docs[i].in_packet &&
		    strcmp(p->docs[i].mime, "application/pdf") == 0)
			bad |= json_array_append_new(left,
			    json_string(p->docs[i].path));
	for (i = 0; i < p->n; i++)
		bad |= json_array_append_new(files, json_pack("{s:s, s:I, s:s}",
		    "path", p->v[i].path, "size", (json_int_t)p->v[i].size,
		    "sha256", p->v[i].sha256));
	if (bad) {
		json_decref(m);
		return NULL;
	}
	return m;
}

int
pkg_manifest(struct pkg *p, struct ctp_error *e)
{
	struct pkg_entry *en;
	json_t *m;
	char *s;
	int rc;

	qsort(p->v, p->n, sizeof(*p->v), by_path);
	if ((m = manifest_json(p)) == NULL)
		return ctp_err_nomem(e, "manifest.json");
	s = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(m);
	if (s == NULL || (en = pkg_add(p, "manifest.json", PKG_MEM)) == NULL) {
		free(s);
		return ctp_err_nomem(e, "manifest.json");
	}
	rc = ctp_buf_puts(&en->mem, s) || ctp_buf_putc(&en->mem, '\n');
	free(s);
	if (rc != 0)
		return ctp_err_nomem(e, "manifest.json");
	if ((rc = pkg_mem_done(en, e)) != 0)
		return rc;
	qsort(p->v, p->n, sizeof(*p->v), by_path);
	return 0;
}
