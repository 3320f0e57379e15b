/*
 * pdf.c - libharu helpers shared by the PDFs ctp draws (pdf.h).
 */
#include <stdio.h>
#include <string.h>

#include "pdf.h"

static void
on_error(HPDF_STATUS err, HPDF_STATUS detail, void *arg)
{
	int *failed = arg;

	(void)err;
	(void)detail;
	*failed = 1;
}

HPDF_Doc
ctp_pdf_new(int *failed)
{
	*failed = 0;
	return HPDF_New(on_error, failed);
}

const char *
ctp_pdf_plain(const char *s, char *out, size_t n)
{
	size_t i = 0;
	const unsigned char *u = (const unsigned char *)(s ? s : "");

	for (; *u && i + 1 < n; u++) {
		if ((*u & 0xc0) == 0x80)
			continue;	/* a UTF-8 continuation byte */
		out[i++] = *u >= 0x20 && *u < 0x7f ? (char)*u : '?';
	}
	out[i] = '\0';
	return out;
}

void
ctp_pdf_text(HPDF_Page p, HPDF_Font f, float size, float x, float y,
    const char *s)
{
	HPDF_Page_BeginText(p);
	HPDF_Page_SetFontAndSize(p, f, size);
	HPDF_Page_TextOut(p, x, y, s);
	HPDF_Page_EndText(p);
}

void
ctp_pdf_rtext(HPDF_Page p, HPDF_Font f, float size, float x, float y,
    const char *s)
{
	HPDF_Page_SetFontAndSize(p, f, size);
	ctp_pdf_text(p, f, size, x - HPDF_Page_TextWidth(p, s), y, s);
}

int
ctp_pdf_bytes(HPDF_Doc pdf, int failed, struct ctp_buf *out,
    const char *where, struct ctp_error *e)
{
	HPDF_BYTE buf[8192];
	HPDF_UINT32 n;
	HPDF_STATUS st;

	if (failed || HPDF_SaveToStream(pdf) != HPDF_OK)
		return ctp_errf(e, CTP_SOFTWARE, where, "cannot draw the PDF");
	for (;;) {
		n = sizeof(buf);
		st = HPDF_ReadFromStream(pdf, buf, &n);
		if (n > 0 && ctp_buf_add(out, buf, n) != 0)
			return ctp_err_nomem(e, where);
		if (st != HPDF_OK)
			break;
	}
	return 0;
}
