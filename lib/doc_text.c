/*
 * doc_text.c - the text of a document file (doc_text.h).  Each tool is
 * found on PATH and run through verify_exec.h (fork, exec, a deadline,
 * bounded output); a tool that is not there makes the text unavailable,
 * a tool that fails on the content makes it failed.  Tesseract is asked
 * to use one thread (OMP_THREAD_LIMIT): documents are read one at a
 * time, inside a transaction, on machines others share.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "doc_text.h"
#include "mem.h"
#include "verify_exec.h"

/* The Debian package of each tool, for the reason a tool is missing. */
static const char *
package_of(const char *tool)
{
	return strcmp(tool, "tesseract") == 0 ? "tesseract-ocr" :
	    "poppler-utils";
}

/*
 * Run argv (argv[0] a tool name found on PATH); its output into *out
 * (the caller frees).  0 ran: t->status OK, or UNAVAILABLE / FAILED with
 * t->reason; else an error of the run.
 */
static int
run_tool(char **argv, struct ctp_doc_text *t, char **out,
    struct ctp_error *e)
{
	struct ctp_verify_exec x;
	struct ctp_error le;
	char *path = NULL;
	int builtin, rc;

	*out = NULL;
	ctp_error_clear(&le);
	if ((rc = ctp_verify_locate(argv[0], &path, &builtin, &le)) != 0) {
		if (rc == CTP_SOFTWARE)
			return ctp_errf(e, rc, le.where, "%s", le.what);
		t->status = CTP_TEXT_UNAVAILABLE;
		snprintf(t->reason, sizeof(t->reason), "%s %s (install %s)",
		    argv[0], rc == CTP_NOINPUT ? "is not installed" :
		    "is not executable", package_of(argv[0]));
		return 0;
	}
	memset(&x, 0, sizeof(x));
	x.path = path;
	x.argv = argv;
	x.input = "";
	x.timeout = CTP_TEXT_TIMEOUT;
	x.outmax = CTP_TEXT_MAX;
	rc = ctp_verify_exec(&x, e);
	free(path);
	if (rc != 0)
		return rc;
	if (x.reason[0] != '\0') {
		t->status = CTP_TEXT_FAILED;
		snprintf(t->reason, sizeof(t->reason), "%s %.400s", argv[0],
		    x.reason);
		free(x.out);
		return 0;
	}
	t->status = CTP_TEXT_OK;
	*out = x.out;
	return 0;
}

/* Characters other than white space, up to 1000. */
static int
visible(const char *s)
{
	int n = 0;

	for (; *s && n < 1000; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' &&
		    *s != '\f')
			n++;
	return n;
}

/* tesseract FILE stdout: the text of one image, appended to b. */
static int
ocr(const char *image, struct ctp_doc_text *t, struct ctp_buf *b,
    struct ctp_error *e)
{
	char *argv[] = { "tesseract", (char *)image, "stdout", "-l", "eng",
	    NULL };
	char *out;
	int rc;

	setenv("OMP_THREAD_LIMIT", "1", 0);
	if ((rc = run_tool(argv, t, &out, e)) != 0 || t->status != CTP_TEXT_OK)
		return rc;
	if (b->len + strlen(out) <= CTP_TEXT_MAX && ctp_buf_puts(b, out) < 0)
		rc = ctp_err_nomem(e, "text");
	free(out);
	return rc;
}

/* The first pages of a PDF of images, rendered one by one and read. */
static int
ocr_pdf(const char *path, const char *dir, struct ctp_doc_text *t,
    struct ctp_buf *b, struct ctp_error *e)
{
	char page[16], *prefix, *img, *argv[13], *out;
	int i, rc = 0;

	prefix = ctp_asprintf("%s/page", dir);
	img = ctp_asprintf("%s/page.pgm", dir);
	if (prefix == NULL || img == NULL) {
		rc = ctp_err_nomem(e, "text");
		goto out;
	}
	for (i = 1; i <= CTP_TEXT_PAGES; i++) {
		snprintf(page, sizeof(page), "%d", i);
		argv[0] = "pdftoppm";
		argv[1] = "-q";
		argv[2] = "-r";
		argv[3] = "300";
		argv[4] = "-gray";	/* PGM: nothing to compress */
		argv[5] = "-singlefile";
		argv[6] = "-f";
		argv[7] = page;
		argv[8] = "-l";
		argv[9] = page;
		argv[10] = (char *)path;
		argv[11] = prefix;
		argv[12] = NULL;
		if ((rc = run_tool(argv, t, &out, e)) != 0)
			break;
		free(out);
		if (t->status != CTP_TEXT_OK) {
			/* Past the last page: what was read stands. */
			if (i > 1 && t->status == CTP_TEXT_FAILED) {
				t->status = CTP_TEXT_OK;
				t->reason[0] = '\0';
			}
			break;
		}
		rc = ocr(img, t, b, e);
		unlink(img);
		if (rc != 0 || t->status != CTP_TEXT_OK)
			break;
	}
out:
	free(prefix);
	free(img);
	return rc;
}

/* A plain-text document as it is, up to CTP_TEXT_MAX bytes. */
static int
plain(const char *path, struct ctp_doc_text *t, struct ctp_buf *b,
    struct ctp_error *e)
{
	char buf[65536];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return ctp_errf(e, CTP_IOERR, "text", "%s", strerror(errno));
	while (b->len < CTP_TEXT_MAX && (n = read(fd, buf, sizeof(buf))) > 0)
		if (ctp_buf_add(b, buf, b->len + (size_t)n > CTP_TEXT_MAX ?
		    CTP_TEXT_MAX - b->len : (size_t)n) < 0) {
			close(fd);
			return ctp_err_nomem(e, "text");
		}
	close(fd);
	t->status = CTP_TEXT_OK;
	return 0;
}

int
ctp_doc_text_file(const char *path, const char *mime, const char *dir,
    struct ctp_doc_text *t, struct ctp_error *e)
{
	struct ctp_buf b = CTP_BUF_INIT;
	char *argv[] = { "pdftotext", "-q", "-enc", "UTF-8", "-layout", "-l",
	    "20", (char *)path, "-", NULL };
	char *out = NULL;
	int rc;

	memset(t, 0, sizeof(*t));
	if (strcmp(mime, "text/plain") == 0) {
		t->source = "plain";
		rc = plain(path, t, &b, e);
	} else if (strcmp(mime, "application/pdf") == 0) {
		t->source = "pdftotext";
		if ((rc = run_tool(argv, t, &out, e)) == 0 &&
		    t->status == CTP_TEXT_OK && visible(out) < 16) {
			/* No text layer worth the name: pages of images. */
			t->source = "ocr";
			rc = ocr_pdf(path, dir, t, &b, e);
		} else if (rc == 0 && out != NULL && ctp_buf_puts(&b, out) < 0)
			rc = ctp_err_nomem(e, "text");
		free(out);
	} else {
		t->source = "ocr";
		rc = ocr(path, t, &b, e);
	}
	if (rc == 0 && t->status == CTP_TEXT_OK) {
		if (b.s == NULL && ctp_buf_puts(&b, "") < 0)
			rc = ctp_err_nomem(e, "text");
		else
			t->text = ctp_buf_take(&b);
	}
	ctp_buf_free(&b);
	return rc;
}

void
ctp_doc_text_clear(struct ctp_doc_text *t)
{
	free(t->text);
	t->text = NULL;
}
