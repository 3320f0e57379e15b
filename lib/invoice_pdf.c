/*
 * invoice_pdf.c - an invoice as a one-page PDF (invoice.h), drawn with
 * libharu into memory and written through outfile.h.  Helvetica in
 * WinAnsi: a character outside printable ASCII is drawn as '?'.  No
 * creation date is set, so the same invoice gives the same file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invoice.h"
#include "mem.h"
#include "outfile.h"
#include "pdf.h"

static void
draw(HPDF_Doc pdf, const struct ctp_invoice *inv)
{
	char a[5][CTP_MONEY_LEN], buf[256], q[2][32];
	HPDF_Page p = HPDF_AddPage(pdf);
	HPDF_Font f = HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding");
	HPDF_Font b = HPDF_GetFont(pdf, "Helvetica-Bold", "WinAnsiEncoding");
	float y = 720;

	HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT);
	ctp_pdf_text(p, b, 20, 72, y, "Invoice");
	y -= 28;
	ctp_pdf_text(p, f, 12, 72, y, ctp_pdf_plain(inv->org, buf, 90));
	y -= 18;
	snprintf(buf, sizeof(buf), "Month %s, %s plan", inv->month,
	    inv->annual ? "annual (12 months)" : "monthly");
	ctp_pdf_text(p, f, 12, 72, y, buf);
	y -= 40;
	ctp_pdf_text(p, b, 11, 72, y, "Item");
	ctp_pdf_rtext(p, b, 11, 380, y, "Quantity");
	ctp_pdf_rtext(p, b, 11, 460, y, "Unit");
	ctp_pdf_rtext(p, b, 11, 540, y, "Amount");
	y -= 6;
	HPDF_Page_MoveTo(p, 72, y);
	HPDF_Page_LineTo(p, 540, y);
	HPDF_Page_Stroke(p);
	y -= 18;
	ctp_pdf_text(p, f, 11, 72, y, inv->annual ? "Base fee, 12 months" :
	    "Base fee");
	snprintf(q[0], sizeof(q[0]), "%ld", inv->months);
	ctp_pdf_rtext(p, f, 11, 380, y, q[0]);
	ctp_pdf_rtext(p, f, 11, 460, y, ctp_cents_format(inv->base, a[0]));
	ctp_pdf_rtext(p, f, 11, 540, y, ctp_cents_format(inv->base_amount, a[1]));
	y -= 18;
	if (inv->annual)
		snprintf(buf, sizeof(buf), "Provider seats, %lld x 12 months",
		    inv->seats);
	else
		snprintf(buf, sizeof(buf), "Provider seats");
	ctp_pdf_text(p, f, 11, 72, y, buf);
	snprintf(q[1], sizeof(q[1]), "%lld", inv->seats * inv->months);
	ctp_pdf_rtext(p, f, 11, 380, y, q[1]);
	ctp_pdf_rtext(p, f, 11, 460, y, ctp_cents_format(inv->seat, a[2]));
	ctp_pdf_rtext(p, f, 11, 540, y, ctp_cents_format(inv->seats_amount, a[3]));
	y -= 8;
	HPDF_Page_MoveTo(p, 72, y);
	HPDF_Page_LineTo(p, 540, y);
	HPDF_Page_Stroke(p);
	y -= 18;
	ctp_pdf_text(p, f, 11, 72, y, "Subtotal");
	ctp_pdf_rtext(p, f, 11, 540, y, ctp_cents_format(inv->subtotal, a[4]));
	y -= 18;
	ctp_pdf_text(p, b, 12, 72, y, "Total (USD)");
	ctp_pdf_rtext(p, b, 12, 540, y, ctp_cents_format(inv->total, a[4]));
	y -= 40;
	ctp_pdf_text(p, f, 9, 72, y, "A seat is a provider active on any day of the "
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
	struct ctp_buf b = CTP_BUF_INIT;
	HPDF_Doc pdf;
	char *path;
	int failed = 0, rc;

	if ((path = out_path(inv, dir)) == NULL)
		return ctp_err_nomem(e, "pdf");
	if ((pdf = ctp_pdf_new(&failed)) == NULL) {
		free(path);
		return ctp_err_nomem(e, "pdf");
	}
	draw(pdf, inv);
	if ((rc = ctp_pdf_bytes(pdf, failed, &b, path, e)) != 0 ||
	    (rc = ctp_outfile_open(&of, path, flags, inputs, 1, e)) != 0)
		goto done;
	if (fwrite(b.s, 1, b.len, ctp_outfile_fp(of)) != b.len) {
		ctp_outfile_abort(of);
		rc = ctp_errf(e, CTP_IOERR, path, "write error");
		goto done;
	}
	rc = ctp_outfile_commit(of, e);
done:
	ctp_buf_free(&b);
	HPDF_Free(pdf);
	free(path);
	return rc;
}
