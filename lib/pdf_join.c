/*
 * pdf_join.c - PDF files joined with qpdf's C API (pdf_join.h).
 *
 * Speed: in process, where running pdfunite once a package cost about
 * 85 ms of CPU (a process, poppler's full parse of every input and a
 * rewrite of every object).  qpdf reads each input lazily from its file,
 * copies its pages' objects into the first, and passes every stream's
 * data through as it is (no decoding, no compressing: a scanned page is
 * already compressed, and deflating it again cost more than the rest).
 *
 * The file's ID: qpdf's deterministic ID is an MD5 of everything it
 * writes, a sixth of a package's CPU time.  The caller knows its inputs
 * by their SHA-256 already, so the file is written with qpdf's fixed
 * placeholder ID, which is then replaced, in place and at the same
 * length, by the first 16 bytes of the SHA-256 of the caller's seed.
 * Should the placeholder not be found, the file is written again with
 * qpdf's deterministic ID.  Memory is bounded by the
 * largest single stream, not by the size of the inputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include <qpdf/qpdf-c.h>

#include "hash.h"
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

/* qpdf's ID under qpdf_set_static_ID, twice in the trailer. */
#define PLACEHOLDER "<31415926535897932384626433832795>"
#define TAIL 4096

/* The placeholder pair's offset in the n bytes at p, or -1. */
static long
find_id(const char *p, size_t n)
{
	static const char pat[] = "/ID [" PLACEHOLDER PLACEHOLDER "]";
	size_t k = sizeof(pat) - 1, i;

	for (i = n >= k ? n - k + 1 : 0; i-- > 0;)
		if (memcmp(p + i, pat, k) == 0)
			return (long)i + 5;
	return -1;
}

/* The replacement: "<HEX32><HEX32>" from seed. */
static int
make_id(const char *seed, char id[2 * 34 + 1])
{
	struct ctp_sha256 *h;	/* not ctp_sha256_hex: any thread */
	char sha[CTP_SHA256_HEX];

	if ((h = ctp_sha256_new()) == NULL ||
	    ctp_sha256_update(h, seed, strlen(seed)) != 0 ||
	    ctp_sha256_final(h, sha) != 0)
		return -1;
	snprintf(id, 2 * 34 + 1, "<%.32s><%.32s>", sha, sha);
	return 0;
}

/* Replace the placeholder in the file or in mem (from start): 0 or -1. */
static int
patch_id(const char *out, struct ctp_buf *mem, size_t start,
    const char *seed)
{
	char id[2 * 34 + 1], tail[TAIL];
	long at;
	off_t size, from;
	ssize_t n;
	int fd, rc = -1;

	if (make_id(seed, id) != 0)
		return -1;
	if (out == NULL) {
		at = find_id(mem->s + start, mem->len - start);
		if (at < 0)
			return -1;
		memcpy(mem->s + start + at, id, 2 * 34);
		return 0;
	}
	if ((fd = open(out, O_RDWR)) < 0)
		return -1;
	size = lseek(fd, 0, SEEK_END);
	from = size > TAIL ? size - TAIL : 0;
	if (size > 0 && (n = pread(fd, tail, (size_t)(size - from), from)) ==
	    size - from && (at = find_id(tail, (size_t)n)) >= 0 &&
	    pwrite(fd, id, 2 * 34, from + at) == 2 * 34)
		rc = 0;
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

static int
write_out(qpdf_data dst, const char *seed, const char *out,
    struct ctp_buf *mem, struct ctp_error *e)
{
	const char *where = out ? out : "packet";
	size_t start = mem ? mem->len : 0;
	int det = seed == NULL;

	for (;;) {
		if (out ? qpdf_init_write(dst, out) & QPDF_ERRORS :
		    qpdf_init_write_memory(dst) & QPDF_ERRORS)
			return ctp_errf(e, CTP_IOERR, where, "cannot write");
		if (det)
			qpdf_set_deterministic_ID(dst, QPDF_TRUE);
		else
			qpdf_set_static_ID(dst, QPDF_TRUE);
		qpdf_set_decode_level(dst, qpdf_dl_none);
		qpdf_set_compress_streams(dst, QPDF_FALSE);
		qpdf_set_suppress_original_object_IDs(dst, QPDF_TRUE);
		if (qpdf_write(dst) & QPDF_ERRORS)
			return ctp_errf(e, CTP_IOERR, where, "cannot write the "
			    "joined PDF");
		if (out == NULL && ctp_buf_add(mem, qpdf_get_buffer(dst),
		    (size_t)qpdf_get_buffer_length(dst)) != 0)
			return ctp_err_nomem(e, where);
		if (det || patch_id(out, mem, start, seed) == 0)
			return 0;
		det = 1;	/* no placeholder: qpdf's own ID */
		if (mem)
			mem->len = start;
	}
}

int
ctp_pdf_join(const struct ctp_pdf_in *in, size_t n, const char *seed,
    const char *out, struct ctp_buf *mem, int *skipped, long *pages,
    struct ctp_error *e)
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
	rc = write_out(dst, seed, out, mem, e);
out:
	for (i = 1; i < n; i++)
		if (src[i])
			qpdf_cleanup(&src[i]);
	qpdf_cleanup(&dst);
	free(src);
	return rc;
}
