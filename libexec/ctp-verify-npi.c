/*
 * ctp-verify-npi - a verifier (verify.h), run by ctp-verify: the provider's
 * NPI at NPPES (the registry API). Reads the request on stdin, prints the
 * reply on stdout; a failure of its own goes to stderr with its exit code.
 */
#include "verifier.h"

int
main(int argc, char **argv)
{
	return ctp_verifier_main(argc, argv, ctp_verifier_npi_check, NULL);
}
