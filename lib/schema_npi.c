/*
 * schema_npi.c - the NPI registry refresh's tables (ctp-npi) and their
 * migration steps (schema.h).
 */
#include "schema.h"

/*
 * v3: NPPES registry refresh.  npi_mismatches holds every difference
 * found between the roster and the registry, one row per provider and
 * field while it lasts:
 *   open       found, waiting for a coordinator
 *   accepted   the registry value was written into the roster
 *   dismissed  kept as is, with a note; registry_value is what was
 *              dismissed, so the same difference is not reopened until
 *              the registry says something else
 *   resolved   a later check found roster and registry agreeing
 * At most one open row per provider and field (partial unique index).
 * apply is JSON saying what accepting writes (roster fields, a license
 * or the provider status); registry_updated the registry's last-updated
 * date when the difference was seen.
 */
const char ctp_schema_npi[] =
"CREATE TABLE npi_mismatches ("
"  id INTEGER PRIMARY KEY,"
"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
"  field TEXT NOT NULL CHECK (field = 'first_name' OR"
"    field = 'last_name' OR field = 'taxonomy' OR"
"    field = 'practice_address' OR field = 'license' OR"
"    field = 'deactivated' OR field = 'not_found' OR"
"    field = 'entity_type'),"
"  roster_value TEXT,"
"  registry_value TEXT,"
"  apply TEXT,"
"  status TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR"
"    status = 'accepted' OR status = 'dismissed' OR status = 'resolved'),"
"  note TEXT,"
"  method TEXT NOT NULL,"
"  registry_updated TEXT,"
"  found_on TEXT NOT NULL,"
"  found_at TEXT NOT NULL,"
"  found_by TEXT NOT NULL,"
"  closed_at TEXT,"
"  closed_by TEXT"
");"
"CREATE INDEX npi_mismatches_provider ON npi_mismatches(provider_id, field);"
"CREATE INDEX npi_mismatches_status ON npi_mismatches(status);"
"CREATE UNIQUE INDEX npi_mismatches_one_open ON npi_mismatches"
"  (provider_id, field) WHERE status = 'open';";
