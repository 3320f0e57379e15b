/*
 * schema_screen.c - the exclusion screening tables (ctp-screen) and
 * their migration steps (schema.h).
 */
#include "schema.h"

/*
 * screen_matches: its columns but the status, written once for v2 and
 * v5 (which builds the table again).
 */
#define MATCH_COLUMNS_HEAD \
	"  id INTEGER PRIMARY KEY," \
	"  provider_id INTEGER NOT NULL REFERENCES providers(id)," \
	"  source TEXT NOT NULL," \
	"  ident TEXT NOT NULL," \
	"  version_id INTEGER NOT NULL REFERENCES screen_lists(id)," \
	"  run_id INTEGER NOT NULL REFERENCES screen_runs(id)," \
	"  last_run_id INTEGER NOT NULL REFERENCES screen_runs(id)," \
	"  rule TEXT NOT NULL CHECK (rule = 'npi' OR rule = 'name_dob' OR" \
	"    rule = 'name_state' OR rule = 'name_only')," \
	"  result TEXT NOT NULL CHECK (result = 'potential_match' OR" \
	"    result = 'insufficient_data')," \
	"  name_used TEXT," \
	"  listed_name TEXT," \
	"  listed_npi TEXT," \
	"  listed_dob TEXT," \
	"  listed_state TEXT," \
	"  excl_type TEXT," \
	"  excl_date TEXT,"
#define MATCH_COLUMNS_TAIL \
	"  reviewed_by TEXT," \
	"  reviewed_at TEXT," \
	"  note TEXT," \
	"  created_at TEXT NOT NULL," \
	"  UNIQUE (provider_id, source, ident)"

/*
 * v2: exclusion screening (OIG LEIE, SAM.gov, other lists).
 *
 * screen_lists: every loaded version of every list (a full file, or an
 * LEIE supplement or reinstatement file applied on top of one); the
 * current version of a source is the one with active = 1.  Its ETag and
 * Last-Modified make the next fetch conditional.
 * screen_entries: the rows of the active versions; older versions' rows
 * are deleted when a new full file replaces them (matches keep a copy of
 * what they matched).  ident is the entry's identity (SHA-256 of the
 * fields that make it that exclusion): a cleared match stays cleared
 * until the entry changes.
 * screen_names: normalized name keys of person entries, one row per
 * last-name key, so name matching is an index lookup; with the entry's
 * date of birth and state, so a common name's other people are set aside
 * without reading their entries.  (No index on
 * entry_id or version_id: a load replaces a list by scanning, which costs
 * less than keeping those indexes up to date on every insert.)  CHECKs are
 * written with OR, not IN: SQLite evaluates a CHECK's IN list through a
 * temporary table built for every row written, which made each match
 * insert cost a millisecond inside a large screening transaction.
 * screen_reinstatements: LEIE reinstatement history, kept for good.
 */
const char ctp_schema_screen[] =
"CREATE TABLE screen_lists ("
"  id INTEGER PRIMARY KEY,"
"  source TEXT NOT NULL,"
"  kind TEXT NOT NULL CHECK (kind = 'leie' OR kind = 'leie-supplement'"
"    OR kind = 'leie-reinstatements' OR kind = 'sam' OR kind = 'custom'),"
"  parent_id INTEGER REFERENCES screen_lists(id),"
"  file_name TEXT,"
"  file_date TEXT,"
"  sha256 TEXT NOT NULL,"
"  rows INTEGER NOT NULL,"
"  loaded_at TEXT NOT NULL,"
"  loaded_by TEXT NOT NULL,"
"  active INTEGER NOT NULL DEFAULT 1,"
"  url TEXT,"
"  etag TEXT,"
"  last_modified TEXT,"
"  map TEXT"
");"
"CREATE INDEX screen_lists_source ON screen_lists(source, active);"
"CREATE TABLE screen_entries ("
"  id INTEGER PRIMARY KEY,"
"  version_id INTEGER NOT NULL REFERENCES screen_lists(id),"
"  source TEXT NOT NULL,"
"  entity TEXT NOT NULL CHECK (entity = 'person' OR entity = 'firm'),"
"  ident TEXT NOT NULL,"
"  last_name TEXT,"
"  first_name TEXT,"
"  middle_name TEXT,"
"  bus_name TEXT,"
"  npi TEXT,"
"  dob TEXT,"
"  state TEXT,"
"  excl_type TEXT,"
"  excl_date TEXT,"
"  rein_date TEXT,"
"  end_date TEXT,"
"  line INTEGER"
");"
"CREATE INDEX screen_entries_npi ON screen_entries(npi) WHERE npi IS NOT NULL;"
"CREATE TABLE screen_names ("
"  last_key TEXT NOT NULL,"
"  first_key TEXT NOT NULL,"
"  entry_id INTEGER NOT NULL,"
"  dob TEXT,"
"  state TEXT,"
"  PRIMARY KEY (last_key, first_key, entry_id)"
") WITHOUT ROWID;"
"CREATE TABLE screen_reinstatements ("
"  id INTEGER PRIMARY KEY,"
"  version_id INTEGER NOT NULL REFERENCES screen_lists(id),"
"  ident TEXT,"
"  last_name TEXT,"
"  first_name TEXT,"
"  bus_name TEXT,"
"  npi TEXT,"
"  dob TEXT,"
"  excl_date TEXT,"
"  rein_date TEXT NOT NULL,"
"  applied INTEGER NOT NULL DEFAULT 0"
");"
"CREATE TABLE screen_runs ("
"  id INTEGER PRIMARY KEY,"
"  started_at TEXT NOT NULL,"
"  finished_at TEXT,"
"  as_of TEXT NOT NULL,"
"  actor TEXT NOT NULL,"
"  scope TEXT NOT NULL,"
"  lists TEXT NOT NULL,"
"  providers INTEGER NOT NULL DEFAULT 0,"
"  clear INTEGER NOT NULL DEFAULT 0,"
"  potential INTEGER NOT NULL DEFAULT 0,"
"  insufficient INTEGER NOT NULL DEFAULT 0,"
"  new_matches INTEGER NOT NULL DEFAULT 0"
");"
"CREATE TABLE screen_matches ("
MATCH_COLUMNS_HEAD
"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR"
"    status = 'confirmed' OR status = 'cleared'),"
MATCH_COLUMNS_TAIL
");"
"CREATE INDEX screen_matches_status ON screen_matches(status);";

/*
 * v5: a confirmed match can be reinstated (ctp-screen review --reinstate):
 * the provider's exclusion ends, and the same list entry, unchanged, is
 * not raised again.  SQLite cannot change a CHECK in place: the table is
 * built again with its rows (nothing refers to it).
 */
const char ctp_schema_screen_v5[] =
"CREATE TABLE screen_matches_v5 ("
MATCH_COLUMNS_HEAD
"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR"
"    status = 'confirmed' OR status = 'cleared' OR status = 'reinstated'),"
MATCH_COLUMNS_TAIL
");"
"INSERT INTO screen_matches_v5 SELECT * FROM screen_matches;"
"DROP TABLE screen_matches;"
"ALTER TABLE screen_matches_v5 RENAME TO screen_matches;"
"CREATE INDEX screen_matches_status ON screen_matches(status);";

/*
 * v12: matching beyond exact names (ctp-screen(1)).  screen_matches'
 * rule takes the new rule names: the table is built again with its rows,
 * as in v5.  screen_nicknames: the organization's own nickname pairs,
 * beside the table shipped with ctp; the keys (names.h) are what the
 * rules compare, and a pair is kept once in either order.
 */
const char ctp_schema_screen_v12[] =
"CREATE TABLE screen_matches_v12 ("
"  id INTEGER PRIMARY KEY,"
"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
"  source TEXT NOT NULL,"
"  ident TEXT NOT NULL,"
"  version_id INTEGER NOT NULL REFERENCES screen_lists(id),"
"  run_id INTEGER NOT NULL REFERENCES screen_runs(id),"
"  last_run_id INTEGER NOT NULL REFERENCES screen_runs(id),"
"  rule TEXT NOT NULL CHECK (rule = 'npi' OR rule = 'name_dob' OR"
"    rule = 'name_state' OR rule = 'name_only' OR rule = 'dob_typo' OR"
"    rule = 'nickname' OR rule = 'middle_as_first' OR"
"    rule = 'swapped_names' OR rule = 'last_name_typo' OR"
"    rule = 'phonetic' OR rule = 'nickname_state' OR"
"    rule = 'middle_state'),"
"  result TEXT NOT NULL CHECK (result = 'potential_match' OR"
"    result = 'insufficient_data'),"
"  name_used TEXT,"
"  listed_name TEXT,"
"  listed_npi TEXT,"
"  listed_dob TEXT,"
"  listed_state TEXT,"
"  excl_type TEXT,"
"  excl_date TEXT,"
"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR"
"    status = 'confirmed' OR status = 'cleared' OR status = 'reinstated'),"
MATCH_COLUMNS_TAIL
");"
"INSERT INTO screen_matches_v12 SELECT * FROM screen_matches;"
"DROP TABLE screen_matches;"
"ALTER TABLE screen_matches_v12 RENAME TO screen_matches;"
"CREATE INDEX screen_matches_status ON screen_matches(status);"
"CREATE TABLE screen_nicknames ("
"  id INTEGER PRIMARY KEY,"
"  name TEXT NOT NULL,"
"  nickname TEXT NOT NULL,"
"  key_a TEXT NOT NULL,"
"  key_b TEXT NOT NULL,"
"  added_by TEXT NOT NULL,"
"  added_at TEXT NOT NULL,"
"  UNIQUE (key_a, key_b),"
"  CHECK (key_a < key_b)"
");";
