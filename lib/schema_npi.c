#include "schema.h"

/* v3: NPPES registry refresh and mismatches. */
const char ctp_schema_npi[] =
"SELECT 1;";
