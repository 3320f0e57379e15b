/* Unit tests for lib/address.c: USPS normalization and ZIP comparison. */
#include <string.h>

#include "address.h"
#include "tap.h"

static const char *
st(const char *s)
{
	static char out[256];

	ctp_addr_norm_street(s, out, sizeof(out));
	return out;
}

static int
same(const char *l1a, const char *l2a, const char *za, const char *l1b,
    const char *l2b, const char *zb)
{
	struct ctp_addr a = { l1a, l2a, "Bronx", "NY", za };
	struct ctp_addr b = { l1b, l2b, "BRONX", "ny", zb };

	return ctp_addr_same(&a, &b);
}

int
main(void)
{
	char small[8], z[10];

	is_str(st("2160 Bolton Street"), "2160 BOLTON ST", "Street -> ST");
	is_str(st("574 Azalea Rd., Ste. 105"), "574 AZALEA RD STE 105",
	    "punctuation dropped, Ste. -> STE");
	is_str(st("1 University Plaza, Suite 200"), "1 UNIVERSITY PLZ STE 200",
	    "Plaza -> PLZ, Suite -> STE");
	is_str(st("41521 West 11 Mile Road"), "41521 W 11 MILE RD",
	    "directional West -> W");
	is_str(st("70 E Horizon Ridge Parkway"), "70 E HORIZON RIDGE PKWY",
	    "Parkway -> PKWY");
	is_str(st("1708 w. rogers avenue"), "1708 W ROGERS AVE",
	    "lower case and Avenue -> AVE");
	is_str(st("2160 BOLTON ST APT.# 5G"), "2160 BOLTON ST APT 5G",
	    "'#' after a unit designator dropped");
	is_str(st("100 Main St #5"), "100 MAIN ST # 5", "a lone '#' kept");
	is_str(st("  1500   NW  Bethany Boulevard  "), "1500 NW BETHANY BLVD",
	    "spaces collapsed, Boulevard -> BLVD");
	is_str(st("Apartment 3, Building 2, Floor 4, Room 5"),
	    "APT 3 BLDG 2 FL 4 RM 5", "unit designators");
	is_str(st(""), "", "empty");
	is_str(st(NULL), "", "NULL");
	is_str(st("Calle Ñandú 5"), "CALLE ÑANDú 5",
	    "UTF-8 bytes kept (only ASCII is upper-cased)");
	ok(ctp_addr_norm_street("123 Long Street Name", small, sizeof(small)) ==
	    (size_t)-1, "too long: reported");
	is_str(small, "123", "cut at a word boundary");
	is_str(ctp_addr_abbrev("STREET"), "ST", "abbrev STREET");
	ok(ctp_addr_abbrev("MAIN") == NULL, "no abbreviation for MAIN");

	ctp_addr_norm_zip("19102-3824", z);
	is_str(z, "191023824", "ZIP+4 digits");
	ok(ctp_addr_zip_same("19102", "191023824"), "ZIP5 against ZIP+4");
	ok(ctp_addr_zip_same("19102-3824", "191023824"), "hyphen or not");
	ok(!ctp_addr_zip_same("19102-3824", "191023825"), "+4 differs");
	ok(!ctp_addr_zip_same("19103", "191023824"), "ZIP5 differs");
	ok(!ctp_addr_zip_same("", "19102"), "empty against a ZIP");

	ok(same("2160 Bolton Street, Apt 5G", NULL, "10462",
	    "2160 BOLTON ST", "APT.# 5G", "104621364"),
	    "line 2 joined, case, suffix, unit, ZIP");
	ok(!same("2160 Bolton Street", NULL, "10462", "2162 BOLTON ST", NULL,
	    "10462"), "house number differs");
	ok(!same("2160 Bolton Street", NULL, "10462", "2160 BOLTON ST", NULL,
	    "10463"), "ZIP differs");
	/* Equal but for case: settled without normalizing, same answer. */
	ok(same("574 azalea rd ste 105", NULL, "36609",
	    "574 AZALEA RD STE 105", NULL, "366091234"),
	    "equal but for case");
	ok(same("574 AZALEA RD", "STE 105", "36609",
	    "574 Azalea Road Suite 105", NULL, "36609"),
	    "line 2 joined, then normalized");
	ok(!same("574 AZALEA RD STE 105", NULL, "36609",
	    "574 AZALEA RD STE 105", NULL, "36610"),
	    "the same street, another ZIP");
	{
		struct ctp_addr a = { "1 Main St", NULL, "Mobile", "AL",
		    "36609" };
		struct ctp_addr b = { "1 MAIN ST", NULL, "Mobile", "AK",
		    "36609" };

		ok(!ctp_addr_same(&a, &b), "the same street, another state");
		b.state = "al";
		b.city = "Mobile City";
		ok(!ctp_addr_same(&a, &b), "the same street, another city");
	}
	return done_testing();
}
