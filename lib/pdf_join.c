/*
 * pdf_join.c - PDF files joined with qpdf's C API (pdf_join.h).
 *
 * Speed: in process, where running pdfunite once a package cost about
 * 85 ms of CPU (a process, poppler's full parse of every input and a
 * rewrite of every object).  qpdf reads each input lazily from its file,
 * copies its pages' objects into the first, and passes stream data that
 * it need not decode through as it is.  Memory is bounded by the
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

int
ctp_pdf_join(const char *const *in, size_t n, const char *out,
    int *skipped, long *pages, struct ctp_error *e)
{
	qpdf_data dst, *src;
	size_t i;
	long np;
	int rc = 0;

	*pages = 0;
	if ((src = ctp_calloc(n ? n : 1, sizeof(*src))) == NULL)
		return ctp_err_nomem(e, "pdf");
	dst = handle();
	if ((qpdf_read(dst, in[0], NULL) & QPDF_ERRORS) ||
	    (np = qpdf_get_num_pages(dst)) < 0) {
		rc = ctp_errf(e, CTP_DATAERR, in[0], "not a PDF that can be "
		    "read");
		goto out;
	}
	*pages = np;
	for (i = 0; i < n; i++)
		skipped[i] = 0;
	for (i = 1; i < n; i++) {
		src[i] = handle();
		if ((qpdf_read(src[i], in[i], NULL) & QPDF_ERRORS) ||
		    qpdf_is_encrypted(src[i]) ||
		    (np = add_pages(dst, src[i])) < 0) {
			skipped[i] = 1;
			continue;
		}
		*pages += np;
	}
	if ((qpdf_init_write(dst, out) & QPDF_ERRORS)) {
		rc = ctp_errf(e, CTP_IOERR, out, "cannot write");
		goto out;
	}
	qpdf_set_deterministic_ID(dst, QPDF_TRUE);
	qpdf_set_suppress_original_object_IDs(dst, QPDF_TRUE);
	if (qpdf_write(dst) & QPDF_ERRORS)
		rc = ctp_errf(e, CTP_IOERR, out, "cannot write the joined PDF");
out:
	for (i = 1; i < n; i++)
		if (src[i])
			qpdf_cleanup(&src[i]);
	qpdf_cleanup(&dst);
	free(src);
	return rc;
}
