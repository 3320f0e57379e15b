/*
 * pdf_join.c - PDF files joined with qpdf's C API (pdf_join.h).
 *
 * Speed: in process, where running pdfunite once a package cost about
 * 85 ms of CPU (a process, poppler's full parse of every input and a
 * rewrite of every object).  qpdf reads each input lazily from its file,
 * copies its pages' objects into the first, and passes every stream's
 * data through as it is (no decoding, no compressing: a scanned page is
 * already compressed, and deflating it again cost more than the rest).  Memory is bounded by the
 * largest single stream, not by the size of the inputs.
 */
#include <stdlib.h>

#include <qpdf/qpdf-c.h>

#include "mem.h"
#include "pdf_join.h"

/* A new handle that reports through its return codes only. */
static qpdf_data
handle(void)
{
	qpdf_data q = qpdf_init();

	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	return q;
}

/* Add every page of src to dst: the pages added, or -1. */
static long
add_pages(qpdf_data dst, qpdf_data src)
{
	int np = qpdf_get_num_pages(src), i;

	if (np < 0)
		return -1;
	for (i = 0; i < np; i++) {
		qpdf_oh page = qpdf_get_page_n(src, (size_t)i);

		if (qpdf_add_page(dst, src, page, QPDF_FALSE) & QPDF_ERRORS)
			return -1;
	}
	return np;
}

/* Read input i into q: 0, or -1. */
static int
read_in(qpdf_data q, const struct ctp_pdf_in *in)
{
	if (in->path)
		return qpdf_read(q, in->path, NULL) & QPDF_ERRORS ? -1 : 0;
	return qpdf_read_memory(q, "document", in->p, (unsigned long long)in->n,
	    NULL) & QPDF_ERRORS ? -1 : 0;
}

static int
write_out(qpdf_data dst, const char *out, struct ctp_buf *mem,
    struct ctp_error *e)
{
	const char *where = out ? out : "packet";

	if (out ? qpdf_init_write(dst, out) & QPDF_ERRORS :
	    qpdf_init_write_memory(dst) & QPDF_ERRORS)
		return ctp_errf(e, CTP_IOERR, where, "cannot write");
	qpdf_set_deterministic_ID(dst, QPDF_TRUE);
	qpdf_set_decode_level(dst, qpdf_dl_none);
	qpdf_set_compress_streams(dst, QPDF_FALSE);
	qpdf_set_suppress_original_object_IDs(dst, QPDF_TRUE);
	if (qpdf_write(dst) & QPDF_ERRORS)
		return ctp_errf(e, CTP_IOERR, where, "cannot write the joined "
		    "PDF");
	if (out == NULL && ctp_buf_add(mem, qpdf_get_buffer(dst),
	    (size_t)qpdf_get_buffer_length(dst)) != 0)
		return ctp_err_nomem(e, where);
	return 0;
}

int
ctp_pdf_join(const struct ctp_pdf_in *in, size_t n, const char *out,
    struct ctp_buf *mem, int *skipped, long *pages, struct ctp_error *e)
{
	qpdf_data dst, *src;
	size_t i;
	long np;
	int rc = 0;

	*pages = 0;
	if ((src = ctp_calloc(n ? n : 1, sizeof(*src))) == NULL)
		return ctp_err_nomem(e, "pdf");
	dst = handle();
	if (read_in(dst, &in[0]) != 0 || (np = qpdf_get_num_pages(dst)) < 0) {
		rc = ctp_errf(e, CTP_DATAERR, in[0].path ? in[0].path :
		    "summary", "not a PDF that can be read");
		goto out;
	}
	*pages = np;
	for (i = 0; i < n; i++)
		skipped[i] = 0;
	for (i = 1; i < n; i++) {
		src[i] = handle();
		if (read_in(src[i], &in[i]) != 0 || qpdf_is_encrypted(src[i]) ||
		    (np = add_pages(dst, src[i])) < 0) {
			skipped[i] = 1;
			continue;
		}
		*pages += np;
	}
	rc = write_out(dst, out, mem, e);
out:
	for (i = 1; i < n; i++)
		if (src[i])
			qpdf_cleanup(&src[i]);
	qpdf_cleanup(&dst);
	free(src);
	return rc;
}
