/* Unit tests for lib/doc.c: types from the first bytes, kinds from names. */
#include <string.h>

#include "doc.h"
#include "tap.h"

static const char *
sniff(const char *p, size_t n)
{
	const char *m = ctp_doc_sniff((const unsigned char *)p, n);

	return m ? m : "(none)";
}

int
main(void)
{
	is_str(sniff("%PDF-1.7\n", 9), "application/pdf", "PDF");
	is_str(sniff("%PDF", 4), "(none)", "a PDF header cut short");
	is_str(sniff("\x89PNG\r\n\x1a\n", 8), "image/png", "PNG");
	is_str(sniff("\x89PNG\r\n", 6), "(none)", "half a PNG signature");
	is_str(sniff("\xff\xd8\xff\xe0", 4), "image/jpeg", "JPEG");
	is_str(sniff("II*\0", 4), "image/tiff", "TIFF, little-endian");
	is_str(sniff("MM\0*", 4), "image/tiff", "TIFF, big-endian");
	is_str(sniff("GIF89a", 6), "(none)", "GIF is not taken");
	is_str(sniff("hello", 5), "(none)", "text is decided by the whole "
	    "content");
	is_str(sniff("", 0), "(none)", "nothing");
	is_str(ctp_doc_kind_guess("IL-License-2026.pdf"), "license",
	    "license, any case");
	is_str(ctp_doc_kind_guess("1234567893_DEA.png"), "dea", "DEA");
	is_str(ctp_doc_kind_guess("idea.pdf"), "other",
	    "dea inside a word is not DEA");
	is_str(ctp_doc_kind_guess("malpractice-dec-page.pdf"), "malpractice",
	    "malpractice");
	is_str(ctp_doc_kind_guess("board_cert.pdf"), "board_cert",
	    "board_cert");
	is_str(ctp_doc_kind_guess("ABIM board.tif"), "board_cert", "board");
	is_str(ctp_doc_kind_guess("cv.txt"), "cv", "cv");
	is_str(ctp_doc_kind_guess("CAQH attestation.pdf"), "attestation",
	    "attestation");
	is_str(ctp_doc_kind_guess("scan0001.pdf"), "other", "anything else");
	ok(ctp_doc_kind_valid("board_cert"), "board_cert is a kind");
	ok(!ctp_doc_kind_valid("passport"), "passport is not");
	ok(!ctp_doc_kind_valid(NULL), "NULL is not");
	return done_testing();
}
