#!/bin/sh
# ctp-init, opening databases, and the dispatcher.
. "$(dirname "$0")/lib.sh"

run ctp-init --name "Acme Clinic"
is "$rc" 0 "init exits 0"
is "$(sqlite3 "$CTP_DB" "SELECT role||':'||status FROM users WHERE name='root'")" \
	"owner:active" "caller becomes the owner"
is "$(sqlite3 "$CTP_DB" "PRAGMA journal_mode")" wal "WAL mode"
is "$(sqlite3 "$CTP_DB" "PRAGMA user_version")" \
	"$(sed -n 's/#define CTP_SCHEMA_VERSION //p' "$top/lib/schema.h")" \
	"schema version stamped"
is "$(sqlite3 "$CTP_DB" "SELECT value FROM settings WHERE key='name'")" \
	"Acme Clinic" "name stored"

cp "$CTP_DB" "$T/before.db"
run ctp-init --name "Other"
is "$rc" 73 "refuses an existing database"
like "$T/err" "^ctp-init: .*org.db: already exists" "says so, with the path"
ok "database untouched" cmp -s "$CTP_DB" "$T/before.db"

run ctp-init --db "$T/h.db" --name "Hospital" --recred-months 24
is "$(sqlite3 "$T/h.db" "SELECT value FROM settings WHERE key='recred_months'")" \
	24 "--recred-months stored"
run ctp-init --db "$T/x.db" --name "X" --recred-months 0
is "$rc" 2 "bad --recred-months is a usage error"
ok "no file left behind" test ! -e "$T/x.db"
run ctp-init --db "$T/x.db"
is "$rc" 2 "--name is required"
like "$T/err" "usage: ctp-init" "usage hint"
run ctp-init --bogus
is "$rc" 2 "unknown option exits 2"
like "$T/err" "usage:" "one-line usage hint"
run ctp-init --db "$T/nodir/sub/y.db" --name Y
is "$rc" 73 "an explicit path in a missing directory: exit 73"
like "$T/err" "nodir/sub/y.db: No such file or directory" "names the path"

# Default location: $XDG_DATA_HOME/ctp/ctp.db
run env -u CTP_DB XDG_DATA_HOME="$T/xdg" ctp-init --name "Default"
is "$rc" 0 "default path under XDG_DATA_HOME"
ok "file is at XDG_DATA_HOME/ctp/ctp.db" test -f "$T/xdg/ctp/ctp.db"

# Opening: missing file, not SQLite, newer schema.
run ctp-org --db "$T/missing.db" show
is "$rc" 66 "missing database exits 66"
like "$T/err" "missing.db: no such database" "names the path"
printf 'not a database at all, just text\n' >"$T/text.db"
cp "$T/text.db" "$T/text.orig"
run ctp-org --db "$T/text.db" show
is "$rc" 65 "a file that is not SQLite exits 65"
like "$T/err" "text.db: not a ctp organization database" "says so"
ok "the file is untouched" cmp -s "$T/text.db" "$T/text.orig"
ok "no -wal or -shm created" test ! -e "$T/text.db-wal"
: >"$T/empty.db"
run ctp-org --db "$T/empty.db" show
is "$rc" 65 "an empty file exits 65"
ok "empty file stays empty" test ! -s "$T/empty.db"
sqlite3 "$T/plain.db" "CREATE TABLE t(x)"
run ctp-org --db "$T/plain.db" show
is "$rc" 65 "a SQLite file that is not ctp exits 65"
cp "$CTP_DB" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version=999"
run ctp-org --db "$T/newer.db" show
is "$rc" 65 "a newer schema is refused"
like "$T/err" "schema version 999 is newer than this program" "clear message"

# Identity: CTP_USER only for root.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	chmod 755 "$T"
	chmod 666 "$CTP_DB"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups \
		env CTP_USER=root ctp-org show
	is "$rc" 77 "CTP_USER is refused for a non-root caller"
	like "$T/err" "only root may act as another user" "says why"
else
	skip "CTP_USER is refused for a non-root caller" \
	    "cannot drop privileges here"
	skip "says why" "cannot drop privileges here"
fi

# The dispatcher.
run ctp org show
is "$rc" 0 "ctp org show runs ctp-org"
like "$T/out" "^name,Acme Clinic" "with its output"
run ctp --version
like "$T/out" "^ctp [0-9]+\.[0-9]+\.[0-9]+$" "ctp --version"
run ctp-org --version
like "$T/out" "^ctp-org [0-9]" "ctp-org --version"
run ctp help
is "$rc" 0 "ctp help"
like "$T/out" "audit" "lists commands"
if command -v man >/dev/null 2>&1; then
	run env MANPAGER=cat PAGER=cat ctp help audit
	like "$T/out" "ctp-audit" "ctp help audit shows the page beside the program"
else
	skip "ctp help audit shows the page beside the program" "no man(1)"
fi
run ctp help nosuchthing
is "$rc" 2 "ctp help of an unknown command exits 2, not man's status"
like "$T/err" "'nosuchthing' is not a ctp command \(see 'ctp help'\)" \
    "ctp help nosuchthing: says so"
like "$T/err" "^usage: ctp " "ctp help nosuchthing: with the usage hint"
is "$(cat "$T/out")" "" "ctp help nosuchthing: nothing on stdout"
run ctp help ../etc/passwd
is "$rc" 2 "ctp help of a path exits 2"
like "$T/err" "not a command name" "ctp help of a path: says so"
run ctp nosuchthing
is "$rc" 2 "unknown command exits 2"
like "$T/err" "'nosuchthing' is not a ctp command" "says so"
run ctp
is "$rc" 2 "no command exits 2"
run ctp ../etc/passwd
is "$rc" 2 "no path tricks"
# A database made before v4 (five roster indexes, one of early v1's too,
# and none of the tables of later versions) is moved forward on open,
# its rows kept.
V3=$T/v3.db
ctp-init --db "$V3" --name Old >/dev/null
ctp-import --db "$V3" --as-of 2026-12-01 "$FIXTURES/import/clean.csv" 2>/dev/null
sqlite3 "$V3" "DROP TABLE verifiers;
DROP INDEX credentials_due; DROP INDEX credentials_caqh;
CREATE INDEX providers_coordinator ON providers(coordinator);
CREATE INDEX providers_last_name ON providers(last_name);
CREATE INDEX credentials_expires ON credentials(status, expires);
CREATE INDEX credentials_due ON credentials(status, expires, kind, provider_id, state, number);
CREATE INDEX credentials_kind ON credentials(kind, status, provider_id, expires);
INSERT INTO screen_lists (id, source, kind, sha256, rows, loaded_at, loaded_by)
  VALUES (1, 'OIG LEIE', 'leie', 'x', 1, 'now', 'root');
INSERT INTO screen_runs (id, started_at, as_of, actor, scope, lists)
  VALUES (1, 'now', '2026-01-01', 'root', 'roster', '[]');
INSERT INTO screen_matches (provider_id, source, ident, version_id, run_id,
  last_run_id, rule, result, status, note, created_at) VALUES
  (1, 'OIG LEIE', 'abc', 1, 1, 1, 'npi', 'potential_match', 'confirmed',
  'OIG letter', 'now');
DROP TABLE doc_requests; DROP TABLE recred_cycles;
PRAGMA user_version = 3;"
# Nor had it the tables of later versions.
sqlite3 "$V3" "DROP TABLE board_licenses; DROP TABLE board_rosters;"	# v9
sqlite3 "$V3" "DROP TABLE documents; DROP TABLE doc_contents;"	# v10
sqlite3 "$V3" "DROP TABLE enrollment_events; DROP TABLE enrollments;"	# v11
sqlite3 "$V3" "DROP TABLE screen_nicknames;"	# v12
sqlite3 "$V3" "DROP TABLE package_requirements;"	# v13
sqlite3 "$V3" "DROP TABLE suggestions; DROP TABLE extractions;"	# v14
run ctp-roster --db "$V3" list
is "$rc" 0 "a v3 database opens"
is "$(sqlite3 "$V3" "PRAGMA user_version")" \
	"$(sed -n 's/#define CTP_SCHEMA_VERSION //p' "$top/lib/schema.h")" \
	"and is at the current version"
is "$(sqlite3 "$V3" "SELECT status || '|' || note FROM screen_matches")" \
	"confirmed|OIG letter" "v5: its screening matches kept"
ok "v5: a match can be reinstated" sqlite3 "$V3" \
	"UPDATE screen_matches SET status = 'reinstated'"
ok "v12: a match can carry a new rule" sqlite3 "$V3" \
	"UPDATE screen_matches SET rule = 'nickname'"
is "$(sqlite3 "$V3" "SELECT count(*) FROM screen_nicknames")" 0 \
	"v12: the organization's nickname pairs, none yet"
is "$(sqlite3 "$V3" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('providers', 'credentials') AND sql IS NOT NULL ORDER BY name)")" \
	"credentials_caqh credentials_due credentials_provider" "with v4's indexes"
is "$(sqlite3 "$V3" "SELECT count(*) FROM credentials INDEXED BY credentials_due WHERE status = 'active' AND expires > ''")" \
	"$(sqlite3 "$V3" "SELECT count(*) FROM credentials WHERE status = 'active' AND expires > ''")" \
	"credentials_due built from the rows already there"
is "$(sqlite3 "$V3" "PRAGMA integrity_check")" ok "database intact"
done_testing
