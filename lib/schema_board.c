/*
 * schema_board.c - the state board rosters a board-file verifier reads
 * (ctp-org board load) and their migration step (schema.h).
 */
#include "schema.h"

/*
 * v9: a board roster is a state board's whole license list, loaded from
 * its CSV with a column map.  board_rosters keeps every load (what file,
 * its SHA-256, how many rows, who and when), never deleted or rewritten:
 * only which load of a name is in force (active) and its count of rows
 * change.  board_licenses holds the rows of the loads in force only: a
 * new load of the same name deletes the old rows and retires the old
 * roster in its transaction.  number_key is the license number reduced
 * for comparison (ctp_board_number_key, board_check.h: letters and
 * digits in upper case, leading zeros dropped), which a verifier looks
 * up.
 */
const char ctp_schema_v9[] =
"CREATE TABLE board_rosters ("
"  id INTEGER PRIMARY KEY,"
"  name TEXT NOT NULL,"
"  state TEXT NOT NULL,"
"  file_name TEXT NOT NULL,"
"  file_date TEXT,"
"  sha256 TEXT NOT NULL,"
"  rows INTEGER NOT NULL DEFAULT 0,"
"  map TEXT,"
"  loaded_by TEXT NOT NULL,"
"  loaded_at TEXT NOT NULL,"
"  active INTEGER NOT NULL DEFAULT 0"
");"
"CREATE UNIQUE INDEX board_rosters_active ON board_rosters(name)"
"  WHERE active = 1;"
/* A PSV entry names a roster by its file's SHA-256: what was loaded,
 * when and by whom stays as it was written. */
"CREATE TRIGGER board_rosters_no_delete BEFORE DELETE ON board_rosters"
"  BEGIN SELECT RAISE(ABORT, 'board rosters are kept'); END;"
"CREATE TRIGGER board_rosters_no_change BEFORE UPDATE OF id, name, state,"
"  file_name, file_date, sha256, map, loaded_by, loaded_at ON board_rosters"
"  BEGIN SELECT RAISE(ABORT, 'a board roster''s load is kept as it was');"
"  END;"
"CREATE TABLE board_licenses ("
"  id INTEGER PRIMARY KEY,"
"  roster_id INTEGER NOT NULL REFERENCES board_rosters(id),"
"  number TEXT NOT NULL,"
"  number_key TEXT NOT NULL,"
"  last_name TEXT NOT NULL,"
"  first_name TEXT,"
"  middle_name TEXT,"
"  license_type TEXT,"
"  status TEXT,"
"  issued TEXT,"
"  expires TEXT,"
"  line INTEGER NOT NULL"
");"
"CREATE INDEX board_licenses_number ON board_licenses(roster_id,"
"  number_key);";
