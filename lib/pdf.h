/*
 * pdf.h - what the PDFs ctp draws with libharu share (the invoice, a
 * package's summary): text in Helvetica (WinAnsi), a document made with
 * an error handler that only notes the failure, and the finished
 * document taken as bytes.  A character outside printable ASCII is drawn
 * as '?'.
 */
#ifndef CTP_PDF_H
#define CTP_PDF_H

#include <stddef.h>

#include <hpdf.h>

#include "buf.h"
#include "err.h"

/*
 * A new document whose errors set *failed to 1 (never print, never
 * jump); NULL when out of memory.  Free with HPDF_Free.
 */
HPDF_Doc ctp_pdf_new(int *failed);
/* s as the font can draw it, cut at n - 1 bytes, into out; out. */
const char *ctp_pdf_plain(const char *s, char *out, size_t n);
/* s (printable ASCII) at x, y; rtext: right-aligned at x. */
void	ctp_pdf_text(HPDF_Page p, HPDF_Font f, float size, float x, float y,
	    const char *s);
void	ctp_pdf_rtext(HPDF_Page p, HPDF_Font f, float size, float x, float y,
	    const char *s);
/*
 * The document as bytes, appended to out: 0, or CTP_SOFTWARE (where)
 * when libharu failed (failed: the flag ctp_pdf_new set) or memory ran
 * out.
 */
int	ctp_pdf_bytes(HPDF_Doc pdf, int failed, struct ctp_buf *out,
	    const char *where, struct ctp_error *e);

#endif
