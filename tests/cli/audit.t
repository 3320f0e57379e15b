#!/bin/sh
# ctp-audit: listing, export, verify, head; tampering; concurrent writers.
. "$(dirname "$0")/lib.sh"
new_org
ctp-user add alice --role coordinator
ctp-user add aud --role auditor
ctp-org set recred_months 24

run env CTP_USER=aud ctp-audit list --csv
is "$rc" 0 "an auditor lists"
like "$T/out" "^seq,ts,actor,action,object_type,object_id,detail$" "list header"
run env CTP_USER=aud ctp-audit export
like "$T/out" "^seq,ts,actor,action,object_type,object_id,detail,prev_hash,hash$" \
	"export has the hashes"
like "$T/out" "^1,.*,0000000000000000000000000000000000000000000000000000000000000000,[0-9a-f]{64}$" \
	"first row chains from zeros"
run ctp-audit export --json
like "$T/out" '^\{"seq":1,"ts":"[0-9T:Z-]+","actor":"root","action":"user.add"' "JSON Lines export"
run ctp-audit list --action org.set --csv
like "$T/out" "org.set,setting,recred_months" "--action filter"
unlike "$T/out" "user.add" "filters others out"
run ctp-audit list --action user --csv
like "$T/out" "user.add" "--action user matches user.*"
run ctp-audit list --actor aud --csv
unlike "$T/out" ",root," "--actor filter"
run ctp-audit list --since 2000-01-01 --until 2999-12-31 --csv
like "$T/out" "user.add" "date range"
run ctp-audit list --until 2000-01-01 --csv
is "$(wc -l <"$T/out")" 1 "nothing before 2000, header only"
run ctp-audit list --since yesterday
is "$rc" 2 "--since needs a date"
run ctp-audit verify --actor x
is "$rc" 2 "verify takes no filters"

a0=$(count audit)
run env CTP_USER=alice ctp-audit export
is "$rc" 77 "a coordinator cannot export"
is "$(count audit)" $((a0 + 1)) "only the refusal is written"
run env CTP_USER=nobody1 ctp-audit verify
is "$rc" 77 "an unknown user cannot verify"

run ctp-audit verify
is "$rc" 0 "chain verifies"
like "$T/out" "^ok [0-9]+ events" "says ok"
run ctp-audit head
like "$T/out" "^[0-9]+ [0-9a-f]{64}$" "head prints sequence and hash"

# The triggers refuse UPDATE and DELETE through the sqlite3 shell.
run sqlite3 "$CTP_DB" "UPDATE audit SET actor='x' WHERE seq=2"
ok "UPDATE fails" test "$rc" -ne 0
like "$T/err" "append-only" "with the trigger's message"
run sqlite3 "$CTP_DB" "DELETE FROM audit WHERE seq=2"
ok "DELETE fails" test "$rc" -ne 0
is "$(sqlite3 "$CTP_DB" "SELECT actor FROM audit WHERE seq=2")" root "row intact"

# The triggers as ctp made them, to put back after a change.
sqlite3 "$CTP_DB" "SELECT sql || ';' FROM sqlite_master
  WHERE type = 'trigger' AND tbl_name = 'audit'" >"$T/triggers.sql"
copy() { # copy NAME: the organization as $T/NAME.db, WAL checkpointed
	sqlite3 "$CTP_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	cp "$CTP_DB" "$T/$1.db"
	rm -f "$T/$1.db-wal" "$T/$1.db-shm"
}
edit() { # edit NAME SQL: copy, drop the triggers, apply, put them back
	copy "$1"
	sqlite3 "$T/$1.db" "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; $2"
	sqlite3 "$T/$1.db" <"$T/triggers.sql"
}
# With the triggers dropped and put back, tampering is found and named.
tamper() { # tamper NAME SQL: edit, then verify
	edit "$@"
	run ctp-audit --db "$T/$1.db" verify
}
tamper changed "UPDATE audit SET detail='{\"key\":\"recred_months\",\"new\":\"48\",\"old\":\"36\"}' WHERE action='org.set'"
is "$rc" 1 "a changed row: exit 1"
bad=$(sqlite3 "$CTP_DB" "SELECT seq FROM audit WHERE action='org.set'")
like "$T/err" "broken at sequence $bad: row changed" "names the changed row"
unlike "$T/err" "trigger|table" "triggers put back as they were: only the row"
tamper removed "DELETE FROM audit WHERE seq=4"
is "$rc" 1 "a removed row: exit 1"
like "$T/err" "broken at sequence 4: row removed" "names the removed row"
tamper swapped "UPDATE audit SET seq=-1 WHERE seq=5; UPDATE audit SET seq=5 WHERE seq=6; UPDATE audit SET seq=6 WHERE seq=-1"
is "$rc" 1 "two swapped rows: exit 1"
like "$T/err" "broken at sequence 5" "names the first swapped row"
tamper inserted "INSERT INTO audit SELECT seq+1000, ts, actor, action, obj_type, obj_id, detail, prev_hash, hash FROM audit WHERE seq=3"
is "$rc" 1 "a row inserted out of order: exit 1"
tamper rehashed "UPDATE audit SET actor='eve' WHERE seq=3"
like "$T/err" "broken at sequence 3" "a changed actor is found"

# The hash covers the bytes stored, and each column holds what ctp
# writes: an integer seq, text without a NUL byte everywhere else.  A
# value with a NUL after its text, or cast to a blob, hashes as it did
# when read as a C string.
for col in ts actor action obj_type obj_id detail prev_hash hash; do
	tamper "nul-$col" "UPDATE audit SET $col = $col || char(0) || 'x' WHERE seq=3"
	is "$rc" 1 "a NUL byte and more after $col: exit 1"
	like "$T/err" "^ctp-audit: audit log broken at sequence 3: row changed: $col holds a NUL byte$" \
		"names the row and $col"
	tamper "blob-$col" "UPDATE audit SET $col = CAST($col AS BLOB) WHERE seq=3"
	is "$rc" 1 "$col cast to a blob: exit 1"
	like "$T/err" "^ctp-audit: audit log broken at sequence 3: row changed: $col is a blob, not text$" \
		"names the row and $col"
done
# seq is the rowid and takes only integers; a table rebuilt without
# column types holds text there, and the same bytes hash the same.
# (Text sorts after every number: the walk finds the row missing where
# it was.  tests/unit/audit.c has the message for a type in each column.)
tamper untyped "ALTER TABLE audit RENAME TO old;
  CREATE TABLE audit (seq, ts, actor, action, obj_type, obj_id, detail, prev_hash, hash);
  INSERT INTO audit SELECT * FROM old; DROP TABLE old;
  UPDATE audit SET seq = CAST(seq AS TEXT) WHERE seq = 3"
is "$rc" 1 "seq stored as text: exit 1"
like "$T/err" "^ctp-audit: audit log broken at sequence 3: " "names the row"
like "$T/err" "^ctp-audit: audit log: table audit is not as ctp created it: its schema was changed$" \
	"and the rebuilt table"

# The append-only machinery: triggers and table as ctp made them.
machinery() { # machinery NAME SQL: copy, apply, verify
	copy "$1"
	sqlite3 "$T/$1.db" "$2"
	run ctp-audit --db "$T/$1.db" verify
}
machinery dropped "DROP TRIGGER audit_no_delete"
is "$rc" 1 "a dropped trigger: exit 1"
like "$T/err" "^ctp-audit: audit log: trigger audit_no_delete is missing$" \
	"names the trigger"
unlike "$T/err" "broken at" "the chain itself holds"
unlike "$T/out" "^ok" "no ok"
machinery replaced "DROP TRIGGER audit_no_update;
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit WHEN 0
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
is "$rc" 1 "a trigger replaced by a look-alike that never fires: exit 1"
like "$T/err" "^ctp-audit: audit log: trigger audit_no_update is not as ctp created it$" \
	"names the trigger"
is "$(wc -l <"$T/err")" 1 "and nothing else"
machinery column "ALTER TABLE audit ADD COLUMN note TEXT"
is "$rc" 1 "a column added: exit 1"
like "$T/err" "^ctp-audit: audit log: table audit is not as ctp created it: its schema was changed$" \
	"says the table changed"
copy swallow
sqlite3 "$T/swallow.db" "CREATE TRIGGER audit_quiet BEFORE INSERT ON audit
  BEGIN SELECT RAISE(IGNORE); END"
n0=$(count audit "$T/swallow.db")
run ctp-audit --db "$T/swallow.db" verify
is "$rc" 1 "a trigger that swallows new rows: exit 1"
like "$T/err" "^ctp-audit: audit log: trigger audit_quiet on table audit was not created by ctp$" \
	"names it"
is "$(count audit "$T/swallow.db")" "$n0" "(it swallowed the run's own rows)"
machinery other "CREATE TRIGGER settings_seen AFTER INSERT ON settings
  BEGIN SELECT 1; END"
is "$rc" 0 "a trigger on another table is none of the log's business"

# Anchors: lines of ctp-audit head kept elsewhere.
A=$T/anchors
printf '# nightly, by cron\n\n' >"$A"
ctp-audit head >>"$A"
ctp-org show >/dev/null
ctp-audit head >>"$A"
run ctp-audit verify --anchor "$A"
is "$rc" 0 "anchors in the chain: exit 0"
like "$T/out" "^ok [0-9]+ events, head [0-9]+ [0-9a-f]{64}, 2 anchors$" \
	"says how many anchors"
run_in "$A" ctp-audit verify --anchor -
is "$rc" 0 "anchors from standard input"
run ctp-audit head --anchor "$A"
is "$rc" 2 "--anchor is for verify"
run ctp-audit list --anchor "$A"
is "$rc" 2 "not for list"
run ctp-audit verify --anchor "$A" --anchor "$A"
is "$rc" 2 "one --anchor"
run ctp-audit verify --anchor "$T/nosuch"
is "$rc" 66 "a missing anchor file: exit 66"
like "$T/err" "^ctp-audit: $T/nosuch: No such file or directory$" "names it"
cp "$A" "$T/bad"
echo "12 0123456789abcdef" >>"$T/bad"
ctp-audit head >>"$T/bad"
a0=$(count audit)
run ctp-audit verify --anchor "$T/bad"
is "$rc" 65 "a malformed anchor line: exit 65"
like "$T/err" "^ctp-audit: $T/bad:5: not a line of ctp-audit head \(SEQUENCE HASH\)$" \
	"with its line number"
is "$(count audit)" "$a0" "nothing written"
last=$(tail -n 1 "$A" | cut -d' ' -f1)
first=$(grep -v '^#' "$A" | grep . | head -n 1 | cut -d' ' -f1)
# Rows removed from the end leave a chain that holds on its own.
edit cut "DELETE FROM audit WHERE seq >= $((last - 1))"
cp "$T/cut.db" "$T/cut2.db"
run ctp-audit --db "$T/cut.db" verify --anchor "$A"
is "$rc" 1 "rows removed from the end, against anchors: exit 1"
like "$T/err" "^ctp-audit: $A:4: sequence $last is beyond the end of the chain \(head $((last - 1))\): rows were removed$" \
	"names the anchor and says rows were removed"
run ctp-audit --db "$T/cut2.db" verify
is "$rc" 0 "(without anchors the cut chain holds)"
# A chain rewritten with recomputed hashes also holds on its own.
copy rewritten
python3 "$here/audit-rehash.py" "$T/rewritten.db" \
	"UPDATE audit SET actor = 'eve' WHERE seq = 3"
is "$(sqlite3 "$T/rewritten.db" "SELECT actor FROM audit WHERE seq = 3")" eve \
	"(row 3 rewritten)"
cp "$T/rewritten.db" "$T/rewritten2.db"
run ctp-audit --db "$T/rewritten.db" verify
is "$rc" 0 "(without anchors the rewritten chain holds)"
run ctp-audit --db "$T/rewritten2.db" verify --anchor "$A"
is "$rc" 1 "a rewritten chain, against anchors: exit 1"
like "$T/err" "^ctp-audit: $A:3: sequence $first has another hash: the chain was rewritten$" \
	"names the first anchor"
like "$T/err" "^ctp-audit: $A: 2 of 2 anchors are not in the chain$" \
	"and counts them"

# A database made before these checks (tests/fixtures/audit) verifies
# with its hashes as they were, against an anchor taken then.
sqlite3 "$T/old.db" <"$FIXTURES/audit/pre-i12.sql"
echo "98 16c65ed21a7f91d06fec2371c8f5ce38354bd4a1426a0184148a50d090473d55" >"$T/old-anchor"
run env CTP_USER=aud ctp-audit --db "$T/old.db" verify --anchor "$T/old-anchor"
is "$rc" 0 "an organization made by an earlier ctp verifies"
like "$T/out" "^ok 100 events, head 100 [0-9a-f]{64}, 1 anchor$" \
	"every event, and the anchor taken then"

# Only root may act as another user; anyone else who sets CTP_USER is
# refused, and the refusal is logged under their own name.
run env CTP_USER="$(printf 'a\033b')" ctp-org show
is "$rc" 2 "root: CTP_USER with a control character is not a user name"
if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null ||
    ! command -v setpriv >/dev/null; then
	for d in "refused" "logged as the real user"; do
		skip "$d" "needs root, useradd and setpriv"
	done
else
	u=ctpt$$
	useradd -M -N -s /usr/sbin/nologin "$u"
	trap 'userdel "$u" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
	as_u() { setpriv --reuid="$(id -u "$u")" --regid="$(id -g "$u")" \
	    --clear-groups "$@"; }
	chmod 711 "$T"
	mkdir "$T/u"
	copy u/org
	chown -R "$u" "$T/u"
	UDB=$T/u/org.db
	if ! as_u test -x "$CTP_BIN/ctp-org"; then
		skip "CTP_USER refused and logged" \
		    "$u cannot run $CTP_BIN/ctp-org"
	else
		CTP_DB="$UDB" ctp-user add "$u" --role coordinator >/dev/null
		chown -R "$u" "$T/u"
		a0=$(count audit "$UDB")
		run as_u env CTP_DB="$UDB" CTP_USER=root ctp-org show
		is "$rc" 77 "a user who sets CTP_USER: exit 77"
		like "$T/err" "^ctp-org: CTP_USER: only root may act as another user$" \
			"says only root may"
		is "$(wc -c <"$T/out")" 0 "shows nothing"
		is "$(count audit "$UDB")" $((a0 + 1)) "one row written"
		is "$(sqlite3 "$UDB" "SELECT actor || '|' || action || '|' || obj_id
		  || '|' || detail FROM audit ORDER BY seq DESC LIMIT 1")" \
		  "$u|auth.denied|$u|{\"as\":\"root\",\"prog\":\"ctp-org\",\"reason\":\"only root may act as another user through CTP_USER\",\"request\":\"ctp-org\",\"role\":\"coordinator\"}" \
		  "auth.denied by the real user, the name asked for, the reason"
		run as_u env CTP_DB="$UDB" CTP_USER="x y" ctp-org show
		is "$rc" 77 "a name that is none: exit 77"
		sqlite3 "$UDB" "SELECT detail FROM audit ORDER BY seq DESC LIMIT 1" >"$T/d"
		like "$T/d" '^\{"prog":"ctp-org","reason":"only root' "logged without it"
		a0=$(count audit "$UDB")
		run as_u env CTP_USER=root ctp-expiring --db "$UDB" --mine
		is "$rc" 77 "ctp-expiring --mine with CTP_USER: exit 77"
		like "$T/err" "CTP_USER: only root may act as another user" \
			"ctp-expiring --mine says only root may"
		is "$(sqlite3 "$UDB" "SELECT count(*) FROM audit WHERE seq > $a0
		  AND action = 'auth.denied' AND actor = '$u'")" 1 \
			"ctp-expiring --mine: the refusal is logged"
		run env CTP_DB="$UDB" ctp-audit verify
		is "$rc" 0 "the chain holds"
	fi
fi

# Two writers at once lose nothing: 2 x 500 runs of ctp-org show.
n0=$(count audit)
( i=0; while [ $i -lt 500 ]; do ctp-org show >/dev/null || echo fail; i=$((i+1)); done ) >"$T/w1" 2>&1 &
( i=0; while [ $i -lt 500 ]; do CTP_USER=aud ctp-org show >/dev/null || echo fail; i=$((i+1)); done ) >"$T/w2" 2>&1 &
wait
is "$(cat "$T/w1" "$T/w2")" "" "no run failed"
is "$(count audit)" $((n0 + 2000)) "2 x 500 runs wrote 2000 rows (auth + read each)"
run ctp-audit verify
is "$rc" 0 "and the chain still verifies"
done_testing
