/* credential: which kinds expire (never added without a date). */
#include "credential.h"
#include "tap.h"

int
main(void)
{
	static const char *const expire[] = { "state_license", "dea", "cds",
	    "board_cert", "malpractice", "caqh_attestation", NULL };
	static const char *const keep[] = { "cme", "hospital_privileges",
	    "passport", "", NULL };
	int i;

	for (i = 0; expire[i]; i++)
		ok(ctp_kind_expires(expire[i]), "%s expires", expire[i]);
	for (i = 0; keep[i]; i++)
		ok(!ctp_kind_expires(keep[i]), "'%s' does not", keep[i]);
	return done_testing();
}
