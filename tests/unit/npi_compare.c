/*
 * Unit tests for lib/npi_compare.c: the comparison of a roster provider
 * with its registry record.
 */
#include <stdio.h>

#include "npi_compare.h"
#include "tap.h"

int
main(void)
{
	ok(ctp_npi_name_same("O'Brien-Smith", "OBRIENSMITH"),
	    "names: punctuation and case ignored");
	ok(!ctp_npi_name_same("Darr", "DAR"), "names: a letter differs");
	ok(ctp_npi_name_same("Zoë", "ZOE"), "names: accents transliterated");
	ok(ctp_npi_name_same("Dappah Colon", "DAPPAH-COLON"),
	    "names: hyphen or space");
	ok(ctp_npi_license_same("F-355076 01", "f35507601"),
	    "licenses: dashes, spaces, case");
	ok(ctp_npi_license_same("007744", "7744"), "licenses: leading zeros");
	ok(!ctp_npi_license_same("7744", "7745"), "licenses differ");
	ok(ctp_npi_license_same("m827036", "M827036"),
	    "licenses equal but for case");
	ok(!ctp_npi_license_same("M827036", "M827O36"),
	    "a letter O is not a zero");
	return done_testing();
}
