/*
 * invoice_pdf.c - an invoice as a one-page PDF (invoice.h), drawn with
 * libharu into memory and written through outfile.h.  Helvetica in
 * WinAnsi: a character outside printable ASCII is drawn as '?'.  No
 * creation date is set, so the same invoice gives the same file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "invoice.h"
#include "mem.h"
#include "outfile.h"

static void
on_error(HPDF_STATUS err, HPDF_STATUS detail, void *arg)
{
	int *failed = arg;

	(void)err;
	(void)detail;
	*failed = 1;
}

/* s as the font can draw it, cut at n - 1 bytes. */
static const char *
plain(const char *s, char *out, size_t n)
{
	size_t i = 0;
	const unsigned char *u = (const unsigned char *)s;

	for (; *u && i + 1 < n; u++) {
		if ((*u & 0xc0) == 0x80)
			continue;	/* a UTF-8 continuation byte */
		out[i++] = *u >= 0x20 && *u < 0x7f ? (char)*u : '?';
	}
	out[i] = '\0';
	return out;
}

static void
text(HPDF_Page p, HPDF_Font f, float size, float x, float y, const char *s)
{
	HPDF_Page_BeginText(p);
	HPDF_Page_SetFontAndSize(p, f, size);
	HPDF_Page_TextOut(p, x, y, s);
	HPDF_Page_EndText(p);
}

/* Right-aligned at x. */
static void
rtext(HPDF_Page p, HPDF_Font f, float size, float x, float y, const char *s)
{
	HPDF_Page_SetFontAndSize(p, f, size);
	text(p, f, size, x - HPDF_Page_TextWidth(p, s), y, s);
}

static void
draw(HPDF_Doc pdf, const struct ctp_invoice *inv)
{
	char a[5][CTP_MONEY_LEN], buf[256], q[2][32];
	HPDF_Page p = HPDF_AddPage(pdf);
	HPDF_Font f = HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding");
	HPDF_Font b = HPDF_GetFont(pdf, "Helvetica-Bold", "WinAnsiEncoding");
	float y = 720;

	HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT);
	text(p, b, 20, 72, y, "Invoice");
	y -= 28;
	text(p, f, 12, 72, y, plain(inv->org, buf, 90));
	y -= 18;
	snprintf(buf, sizeof(buf), "Month %s, %s plan", inv->month,
	    inv->annual ? "annual (12 months)" : "monthly");
	text(p, f, 12, 72, y, buf);
	y -= 40;
	text(p, b, 11, 72, y, "Item");
	rtext(p, b, 11, 380, y, "Quantity");
	rtext(p, b, 11, 460, y, "Unit");
	rtext(p, b, 11, 540, y, "Amount");
	y -= 6;
	HPDF_Page_MoveTo(p, 72, y);
	HPDF_Page_LineTo(p, 540, y);
	HPDF_Page_Stroke(p);
	y -= 18;
	text(p, f, 11, 72, y, inv->annual ? "Base fee, 12 months" :
	    "Base fee");
	snprintf(q[0], sizeof(q[0]), "%ld", inv->months);
	rtext(p, f, 11, 380, y, q[0]);
	rtext(p, f, 11, 460, y, ctp_cents_format(inv->base, a[0]));
	rtext(p, f, 11, 540, y, ctp_cents_format(inv->base_amount, a[1]));
	y -= 18;
	if (inv->annual)
		snprintf(buf, sizeof(buf), "Provider seats, %lld x 12 months",
		    inv->seats);
	else
		snprintf(buf, sizeof(buf), "Provider seats");
	text(p, f, 11, 72, y, buf);
	snprintf(q[1], sizeof(q[1]), "%lld", inv->seats * inv->months);
	rtext(p, f, 11, 380, y, q[1]);
	rtext(p, f, 11, 460, y, ctp_cents_format(inv->seat, a[2]));
	rtext(p, f, 11, 540, y, ctp_cents_format(inv->seats_amount, a[3]));
	y -= 8;
	HPDF_Page_MoveTo(p, 72, y);
	HPDF_Page_LineTo(p, 540, y);
	HPDF_Page_Stroke(p);
	y -= 18;
	text(p, f, 11, 72, y, "Subtotal");
	rtext(p, f, 11, 540, y, ctp_cents_format(inv->subtotal, a[4]));
	y -= 18;
	text(p, b, 12, 72, y, "Total (USD)");
	rtext(p, b, 12, 540, y, ctp_cents_format(inv->total, a[4]));
	y -= 40;
	text(p, f, 9, 72, y, "A seat is a provider active on any day of the "
	    "month; coordinator and auditor users are not billed.");
}

/* NAME of DIR/invoice-YYYY-MM-NAME.pdf: the database file, no .db. */
static char *
out_path(const struct ctp_invoice *inv, const char *dir)
{
	const char *base = strrchr(inv->db, '/');
	size_t n;

	base = base ? base + 1 : inv->db;
	n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".db") == 0)
		n -= 3;
	return ctp_asprintf("%s/invoice-%s-%.*s.pdf", dir, inv->month,
	    (int)n, base);
}

int
ctp_invoice_pdf(const struct ctp_invoice *inv, const char *dir, int flags,
    struct ctp_error *e)
{
	const char *inputs[1] = { inv->db };
	struct ctp_outfile *of = NULL;
	HPDF_Doc pdf;
	HPDF_BYTE buf[8192];
	HPDF_UINT32 n;
	HPDF_STATUS st;
	char *path;
	int failed = 0, rc;

	if ((path = out_path(inv, dir)) == NULL)
		return ctp_err_nomem(e, "pdf");
	if ((pdf = HPDF_New(on_error, &failed)) == NULL) {
		free(path);
		return ctp_err_nomem(e, "pdf");
	}
	draw(pdf, inv);
	if (failed || HPDF_SaveToStream(pdf) != HPDF_OK) {
		rc = ctp_errf(e, CTP_SOFTWARE, path, "cannot draw the PDF");
		goto done;
	}
	if ((rc = ctp_outfile_open(&of, path, flags, inputs, 1, e)) != 0)
		goto done;
	for (;;) {
		n = sizeof(buf);
		st = HPDF_ReadFromStream(pdf, buf, &n);
		if (n > 0 && fwrite(buf, 1, n, ctp_outfile_fp(of)) != n) {
			ctp_outfile_abort(of);
			rc = ctp_errf(e, CTP_IOERR, path, "write error");
			goto done;
		}
		if (st != HPDF_OK)
			break;
	}
	rc = ctp_outfile_commit(of, e);
done:
	HPDF_Free(pdf);
	free(path);
	return rc;
}
