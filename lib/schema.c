/*
 * schema.c - the migrations of the organization database, in order
 * (schema.h); the screening and registry tables are in schema_screen.c
 * and schema_npi.c, the board rosters in schema_board.c.
 */
#include <stdio.h>

#include "db.h"
#include "schema.h"

/*
 * v1: organization settings, users and roles, the audit log, the roster
 * (providers, credentials, their history), the PSV log, the NUCC code set
 * and the required credentials per provider type.
 */
/*
 * CHECKs are written with OR, not IN: SQLite builds an IN list's
 * ephemeral table again on every execution of an INSERT, which cost a
 * bulk import more than the rest of the row.
 */
/*
 * The roster's secondary indexes, each written once: the schema below
 * and ctp_schema_roster_indexes (a bulk import into an empty roster drops
 * them and builds them again at the end of its transaction).  v1 created
 * five; v4 keeps only what a program's figure needs, because each index
 * is a sort of the whole table at every bulk import (see v4 below).
 */
#define IDX_PROVIDERS_COORDINATOR \
"CREATE INDEX providers_coordinator ON providers(coordinator);"
#define IDX_PROVIDERS_LAST_NAME \
"CREATE INDEX providers_last_name ON providers(last_name);"
#define IDX_CREDENTIALS_PROVIDER \
"CREATE INDEX credentials_provider ON credentials(provider_id);"
/* v1 only; v4 drops them (providers_* too: a roster is read whole). */
#define IDX_CREDENTIALS_DUE_V1 \
"CREATE INDEX credentials_due ON credentials(status, expires, kind," \
"  provider_id, state, number);"
#define IDX_CREDENTIALS_KIND_V1 \
"CREATE INDEX credentials_kind ON credentials(kind, status, provider_id," \
"  expires);"
/*
 * ctp-expiring: what expires by a date without touching the table (the
 * inbox reads every column it needs from the index, which holds only
 * active credentials: status is last only so that SQLite 3.40 sees the
 * index covers the query's own status = 'active'; provider_id second,
 * an integer, settles most ties of a date in the import's sort), and the
 * latest CAQH attestation record per provider (a handful of rows: no
 * import pays for sorting the rest).
 */
#define IDX_CREDENTIALS_DUE \
"CREATE INDEX credentials_due ON credentials(expires, provider_id, kind," \
"  state, number, status) WHERE status = 'active';"
#define IDX_CREDENTIALS_CAQH \
"CREATE INDEX credentials_caqh ON credentials(provider_id, expires)" \
"  WHERE kind = 'caqh_attestation' AND status = 'active';"

/*
 * The audit log, each statement written once: the schema below and
 * ctp_schema_audit, which ctp-audit verify holds the database to.  Each
 * is the text sqlite_master keeps (the statement without its ';'), byte
 * for byte what every version since v1 created.  seq is assigned by
 * ctp_audit (last + 1) inside the writer's transaction; hash = SHA-256
 * over prev_hash and the row.
 */
#define AUDIT_TABLE \
"CREATE TABLE audit (" \
"  seq INTEGER PRIMARY KEY," \
"  ts TEXT NOT NULL," \
"  actor TEXT NOT NULL," \
"  action TEXT NOT NULL," \
"  obj_type TEXT NOT NULL DEFAULT ''," \
"  obj_id TEXT NOT NULL DEFAULT ''," \
"  detail TEXT NOT NULL DEFAULT '{}'," \
"  prev_hash TEXT NOT NULL," \
"  hash TEXT NOT NULL" \
")"
#define AUDIT_NO_UPDATE \
"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit" \
"  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
#define AUDIT_NO_DELETE \
"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit" \
"  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"

const char ctp_schema_core[] =
"CREATE TABLE settings ("
"  key TEXT PRIMARY KEY,"
"  value TEXT NOT NULL"
");"
"CREATE TABLE users ("
"  name TEXT PRIMARY KEY,"
"  role TEXT NOT NULL CHECK (role = 'owner' OR role = 'admin' OR"
"    role = 'coordinator' OR role = 'auditor'),"
"  status TEXT NOT NULL CHECK (status = 'active' OR"
"    status = 'invited' OR status = 'disabled'),"
"  added_by TEXT,"
"  added_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL"
");"
AUDIT_TABLE ";"
"CREATE INDEX audit_ts ON audit(ts);"
AUDIT_NO_UPDATE ";"
AUDIT_NO_DELETE ";"
"CREATE TABLE providers ("
"  id INTEGER PRIMARY KEY,"
"  npi TEXT NOT NULL UNIQUE,"
"  first_name TEXT NOT NULL,"
"  middle_name TEXT,"
"  last_name TEXT NOT NULL,"
"  suffix TEXT,"
"  dob TEXT,"
"  provider_type TEXT NOT NULL,"
"  taxonomy TEXT,"
"  practice_address TEXT,"
"  practice_city TEXT,"
"  practice_state TEXT,"
"  practice_zip TEXT,"
"  phone TEXT,"
"  email TEXT,"
"  coordinator TEXT,"
"  caqh_id TEXT,"
"  caqh_attested TEXT,"
"  initial_cred_date TEXT,"
"  last_recred_date TEXT,"
"  status TEXT NOT NULL DEFAULT 'active' CHECK (status = 'active' OR"
"    status = 'inactive' OR status = 'pending' OR status = 'excluded'),"
"  other_names TEXT,"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL"
");"
IDX_PROVIDERS_COORDINATOR
IDX_PROVIDERS_LAST_NAME
"CREATE TABLE credentials ("
"  id INTEGER PRIMARY KEY,"
"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
"  kind TEXT NOT NULL CHECK (kind = 'state_license' OR kind = 'dea' OR"
"    kind = 'cds' OR kind = 'board_cert' OR kind = 'malpractice' OR"
"    kind = 'caqh_attestation' OR kind = 'cme' OR"
"    kind = 'hospital_privileges'),"
"  number TEXT,"
"  state TEXT,"
"  issuer TEXT,"
"  issued TEXT,"
"  expires TEXT,"
"  verification TEXT NOT NULL DEFAULT 'unverified',"
"  status TEXT NOT NULL DEFAULT 'active' CHECK (status = 'active' OR"
"    status = 'retired'),"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL"
");"
IDX_CREDENTIALS_PROVIDER
IDX_CREDENTIALS_DUE_V1
IDX_CREDENTIALS_KIND_V1
/* One history for providers and credentials: who changed what, when. */
"CREATE TABLE history ("
"  id INTEGER PRIMARY KEY,"
"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
"  credential_id INTEGER REFERENCES credentials(id),"
"  field TEXT NOT NULL,"
"  old_value TEXT,"
"  new_value TEXT,"
"  actor TEXT NOT NULL,"
"  ts TEXT NOT NULL,"
"  source TEXT,"
"  note TEXT"
");"
"CREATE INDEX history_provider ON history(provider_id);"
"CREATE TRIGGER history_no_update BEFORE UPDATE ON history"
"  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;"
"CREATE TRIGGER history_no_delete BEFORE DELETE ON history"
"  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;"
/* Primary-source verification log: every check, automated or by hand. */
"CREATE TABLE psv_log ("
"  id INTEGER PRIMARY KEY,"
"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
"  credential_id INTEGER REFERENCES credentials(id),"
"  source TEXT NOT NULL,"
"  method TEXT NOT NULL,"
"  result TEXT NOT NULL,"
"  reference TEXT,"
"  detail TEXT,"
"  actor TEXT NOT NULL,"
"  ts TEXT NOT NULL"
");"
"CREATE INDEX psv_log_provider ON psv_log(provider_id);"
"CREATE TABLE taxonomy_codes ("
"  code TEXT PRIMARY KEY,"
"  grouping TEXT,"
"  classification TEXT,"
"  specialization TEXT,"
"  retired INTEGER NOT NULL DEFAULT 0"
");"
"CREATE TABLE required_credentials ("
"  provider_type TEXT NOT NULL,"
"  kind TEXT NOT NULL,"
"  PRIMARY KEY (provider_type, kind)"
");";

/*
 * v4: fewer, narrower roster indexes.  A bulk import sorts every table
 * once per index, and five indexes cost it more than the rows did
 * (scripts/bench/import).  A roster of any size is read whole by the
 * programs that list it, so the indexes on the provider's name and
 * coordinator went unused; credentials by kind served only the CAQH
 * attestations (credentials_caqh, a partial index of those rows, serves
 * them) and the NPPES license check (which reads licenses in table
 * order); credentials_due holds the active credentials only, so it does
 * not lead with status.
 */
const char ctp_schema_v4[] =
"DROP INDEX IF EXISTS credentials_expires;"	/* early v1 builds only */
"DROP INDEX providers_coordinator;"
"DROP INDEX providers_last_name;"
"DROP INDEX credentials_kind;"
"DROP INDEX credentials_due;"
IDX_CREDENTIALS_DUE
IDX_CREDENTIALS_CAQH;

/*
 * v6: the PSV log as a surveyor reads it.  verified_on is the day the
 * check was done (a call to a board may be entered days later; for the
 * entries written before, and for automated checks, the day of ts); note
 * is the coordinator's; corrects names the entry a correction replaces.
 * Entries are evidence: written once, never changed or removed (a
 * correction is an entry of its own), as the history is.  The table is
 * made anew and filled from the old one, so that verified_on is NOT NULL
 * (ALTER TABLE cannot add that); dropping the old table drops its
 * triggers before the rows.  The partial indexes serve the verification
 * queue, which reads the entries about a credential (a few among the
 * screening and NPI runs' many) and the corrections of each.
 */
const char ctp_schema_v6[] =
"CREATE TABLE psv_log_v6 ("
"  id INTEGER PRIMARY KEY,"
"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
"  credential_id INTEGER REFERENCES credentials(id),"
"  source TEXT NOT NULL,"
"  method TEXT NOT NULL,"
"  result TEXT NOT NULL,"
"  reference TEXT,"
"  detail TEXT,"
"  actor TEXT NOT NULL,"
"  ts TEXT NOT NULL,"
"  verified_on TEXT NOT NULL,"
"  note TEXT,"
"  corrects INTEGER REFERENCES psv_log(id)"
");"
"INSERT INTO psv_log_v6 (id, provider_id, credential_id, source, method,"
"  result, reference, detail, actor, ts, verified_on)"
"  SELECT id, provider_id, credential_id, source, method, result,"
"  reference, detail, actor, ts, substr(ts, 1, 10) FROM psv_log"
"  ORDER BY id;"
"DROP TABLE psv_log;"
"ALTER TABLE psv_log_v6 RENAME TO psv_log;"
"CREATE INDEX psv_log_provider ON psv_log(provider_id);"
"CREATE INDEX psv_log_credential ON psv_log(credential_id)"
"  WHERE credential_id IS NOT NULL;"
"CREATE INDEX psv_log_corrects ON psv_log(corrects)"
"  WHERE corrects IS NOT NULL;"
"CREATE TRIGGER psv_log_no_update BEFORE UPDATE ON psv_log"
"  BEGIN SELECT RAISE(ABORT, 'psv log is append-only'); END;"
"CREATE TRIGGER psv_log_no_delete BEFORE DELETE ON psv_log"
"  BEGIN SELECT RAISE(ABORT, 'psv log is append-only'); END;";

/*
 * v7: re-credentialing cycles (ctp-recred) and the documents each asks
 * of its provider.  A provider has at most one open cycle (a partial
 * unique index).  A closed cycle and a fulfilled request are final:
 * triggers refuse to change them or to delete either.
 */
const char ctp_schema_v7[] =
"CREATE TABLE recred_cycles ("
"  id INTEGER PRIMARY KEY,"
"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
"  opened TEXT NOT NULL,"
"  due TEXT NOT NULL,"
"  closed TEXT,"
"  decision TEXT CHECK (decision IS NULL OR decision = 'approved' OR"
"    decision = 'denied'),"
"  opened_by TEXT NOT NULL,"
"  closed_by TEXT,"
"  ts TEXT NOT NULL,"
"  CHECK ((closed IS NULL) = (decision IS NULL))"
");"
"CREATE UNIQUE INDEX recred_cycles_open ON recred_cycles(provider_id)"
"  WHERE closed IS NULL;"
"CREATE TRIGGER recred_cycles_final BEFORE UPDATE ON recred_cycles"
"  WHEN OLD.closed IS NOT NULL"
"  BEGIN SELECT RAISE(ABORT, 'a closed cycle is final'); END;"
"CREATE TRIGGER recred_cycles_no_delete BEFORE DELETE ON recred_cycles"
"  BEGIN SELECT RAISE(ABORT, 'cycles are kept'); END;"
"CREATE TABLE doc_requests ("
"  id INTEGER PRIMARY KEY,"
"  cycle_id INTEGER NOT NULL REFERENCES recred_cycles(id),"
"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
"  credential_id INTEGER REFERENCES credentials(id),"
"  kind TEXT NOT NULL,"
"  reason TEXT NOT NULL CHECK (reason = 'expired' OR"
"    reason = 'expiring' OR reason = 'missing'),"
"  detail TEXT NOT NULL DEFAULT '',"
"  created TEXT NOT NULL,"
"  fulfilled TEXT,"
"  fulfilled_by TEXT,"
"  note TEXT"
");"
"CREATE INDEX doc_requests_cycle ON doc_requests(cycle_id);"
"CREATE TRIGGER doc_requests_final BEFORE UPDATE ON doc_requests"
"  WHEN OLD.fulfilled IS NOT NULL"
"  BEGIN SELECT RAISE(ABORT, 'a fulfilled request is final'); END;"
"CREATE TRIGGER doc_requests_no_delete BEFORE DELETE ON doc_requests"
"  BEGIN SELECT RAISE(ABORT, 'requests are kept'); END;";

const struct ctp_schema_index ctp_schema_roster_indexes[] = {
	{ "credentials_provider", IDX_CREDENTIALS_PROVIDER },
	{ "credentials_due", IDX_CREDENTIALS_DUE },
	{ "credentials_caqh", IDX_CREDENTIALS_CAQH },
	{ NULL, NULL }
};

const struct ctp_schema_object ctp_schema_audit[] = {
	{ "table", "audit", AUDIT_TABLE },
	{ "trigger", "audit_no_update", AUDIT_NO_UPDATE },
	{ "trigger", "audit_no_delete", AUDIT_NO_DELETE },
	{ NULL, NULL, NULL }
};

/*
 * v8: the verifier of each credential kind (or provider check: npi,
 * oig, sam) and state ('' for any state), as ctp-org verifier sets it:
 * the program's name (looked up, never a path) and its configuration, a
 * JSON object of strings.  Settings, not evidence: a change is an
 * org.verifier audit event, the row is replaced.
 */
const char ctp_schema_v8[] =
"CREATE TABLE verifiers ("
"  id INTEGER PRIMARY KEY,"
"  kind TEXT NOT NULL,"
"  state TEXT NOT NULL DEFAULT '',"
"  program TEXT NOT NULL,"
"  config TEXT NOT NULL DEFAULT '{}',"
"  set_by TEXT NOT NULL,"
"  set_at TEXT NOT NULL,"
"  UNIQUE (kind, state)"
");";

/*
 * v11: payer enrollments (ctp-enroll, enroll.c).  One row per
 * application of a provider to a payer, its status as it stands and the
 * day of its last change (changed: the stale clock and, once approved,
 * the day revalidation counts from); a provider has at most one open
 * application per payer and line.  Every status change is an
 * enrollment_events row, evidence like the history: written once, never
 * changed or removed.
 */
const char ctp_schema_v11[] =
"CREATE TABLE enrollments ("
"  id INTEGER PRIMARY KEY,"
"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
"  payer TEXT NOT NULL,"
"  line TEXT NOT NULL CHECK (line = 'medicare' OR line = 'medicaid' OR"
"    line = 'commercial'),"
"  status TEXT NOT NULL CHECK (status = 'requested' OR"
"    status = 'submitted' OR status = 'in_process' OR"
"    status = 'approved' OR status = 'denied' OR status = 'withdrawn'),"
"  requested TEXT NOT NULL,"
"  changed TEXT NOT NULL,"
"  added_by TEXT NOT NULL,"
"  added_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL"
");"
"CREATE INDEX enrollments_provider ON enrollments(provider_id);"
"CREATE UNIQUE INDEX enrollments_open ON enrollments(provider_id, payer,"
"  line) WHERE status = 'requested' OR status = 'submitted' OR"
"  status = 'in_process';"
"CREATE TABLE enrollment_events ("
"  id INTEGER PRIMARY KEY,"
"  enrollment_id INTEGER NOT NULL REFERENCES enrollments(id),"
"  old_status TEXT,"
"  new_status TEXT NOT NULL,"
"  effective TEXT NOT NULL,"
"  note TEXT,"
"  actor TEXT NOT NULL,"
"  ts TEXT NOT NULL"
");"
"CREATE INDEX enrollment_events_enrollment ON"
"  enrollment_events(enrollment_id);"
"CREATE TRIGGER enrollment_events_no_update BEFORE UPDATE ON"
"  enrollment_events"
"  BEGIN SELECT RAISE(ABORT, 'enrollment events are append-only'); END;"
"CREATE TRIGGER enrollment_events_no_delete BEFORE DELETE ON"
"  enrollment_events"
"  BEGIN SELECT RAISE(ABORT, 'enrollment events are append-only'); END;"
"CREATE TRIGGER enrollments_no_delete BEFORE DELETE ON enrollments"
"  BEGIN SELECT RAISE(ABORT, 'enrollments are kept'); END;";

struct migration {
	int version;
	const char *sql;
};

static const struct migration migrations[] = {
	{ 1, ctp_schema_core },
	{ 2, ctp_schema_screen },
	{ 3, ctp_schema_npi },
	{ 4, ctp_schema_v4 },
	{ 5, ctp_schema_screen_v5 },
	{ 6, ctp_schema_v6 },
	{ 7, ctp_schema_v7 },
	{ 8, ctp_schema_v8 },
	{ 9, ctp_schema_v9 },
	{ 10, ctp_schema_v10 },
	{ 11, ctp_schema_v11 },
	{ 12, ctp_schema_screen_v12 },
	{ 13, ctp_schema_v13 },
	{ 14, ctp_schema_v14 },
};

int
ctp_schema_migrate(sqlite3 *db, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int v = 0, rc;
	size_t i;
	char sql[64];

	if (ctp_db_begin(db, e))
		return e->code;
	/* Read the version inside the write lock: two openers migrate once. */
	if (ctp_db_prepare(db, &st, "PRAGMA user_version", e))
		goto fail;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (v >= CTP_SCHEMA_VERSION) {
		ctp_db_rollback(db);
		return 0;
	}
	for (i = 0; i < sizeof(migrations) / sizeof(migrations[0]); i++) {
		if (migrations[i].version <= v)
			continue;
		if ((rc = sqlite3_exec(db, migrations[i].sql, NULL, NULL,
		    NULL)) != SQLITE_OK) {
			ctp_db_err(db, rc, "schema migration", e);
			goto fail;
		}
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", CTP_SCHEMA_VERSION);
	if (ctp_db_exec(db, sql, e) || ctp_db_commit(db, e))
		goto fail;
	return 0;
fail:
	ctp_db_rollback(db);
	return e->code;
}
