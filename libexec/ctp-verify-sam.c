/*
 * ctp-verify-sam - a verifier (verify.h), run by ctp-verify: the provider
 * against the SAM.gov exclusions in force. Reads the request on stdin,
 * prints the reply on stdout; a failure of its own goes to stderr with its
 * exit code.
 */
#include "screen.h"
#include "verifier.h"

int
main(int argc, char **argv)
{
	return ctp_verifier_main(argc, argv, ctp_verifier_screen, CTP_SRC_SAM);
}
