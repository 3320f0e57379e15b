#include "schema.h"

/* v2: exclusion screening (OIG LEIE, SAM.gov, other lists). */
const char ctp_schema_screen[] =
"SELECT 1;";
