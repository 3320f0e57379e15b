/*
 * doc_text.h - the text of a document, read on this machine only: a PDF
 * with text through pdftotext; a PDF of page images rendered with
 * pdftoppm and read with tesseract; a PNG, JPEG or TIFF image through
 * tesseract; plain text as it is.  The tools run as programs (fork and
 * exec, no shell: verify_exec.h), found on PATH, each with a timeout and
 * its output kept up to CTP_TEXT_MAX bytes.
 */
#ifndef CTP_DOC_TEXT_H
#define CTP_DOC_TEXT_H

#include "err.h"

#define CTP_TEXT_MAX		(1024 * 1024)	/* text kept, at most */
#define CTP_TEXT_TIMEOUT	120	/* seconds each tool may run */
#define CTP_TEXT_PAGES		3	/* pages of a scanned PDF read */

enum ctp_text_status {
	CTP_TEXT_OK,
	CTP_TEXT_UNAVAILABLE,	/* a tool is missing */
	CTP_TEXT_FAILED		/* a tool could not read the content */
};

struct ctp_doc_text {
	enum ctp_text_status status;
	const char *source;	/* "pdftotext", "ocr", "plain" (static) */
	char *text;		/* NUL-terminated, the caller frees */
	char reason[512];	/* why not, when status is not OK */
};

/*
 * Read the file at path, whose content is of type mime (doc.h's
 * sniffed types), using dir (a private directory) for rendered pages.
 * Returns 0 with t filled (status says whether there is text), or an
 * error of the run itself (out of memory, fork failed).
 */
int	ctp_doc_text_file(const char *path, const char *mime, const char *dir,
	    struct ctp_doc_text *t, struct ctp_error *e);
void	ctp_doc_text_clear(struct ctp_doc_text *t);

#endif
