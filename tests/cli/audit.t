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

# With the triggers dropped, tampering is found and named.
tamper() { # tamper NAME SQL: copy, drop triggers, apply, verify
	cp "$CTP_DB" "$T/$1.db"
	rm -f "$T/$1.db-wal" "$T/$1.db-shm"
	sqlite3 "$T/$1.db" "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; $2"
	run ctp-audit --db "$T/$1.db" verify
}
sqlite3 "$CTP_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
tamper changed "UPDATE audit SET detail='{\"key\":\"recred_months\",\"new\":\"48\",\"old\":\"36\"}' WHERE action='org.set'"
is "$rc" 1 "a changed row: exit 1"
bad=$(sqlite3 "$CTP_DB" "SELECT seq FROM audit WHERE action='org.set'")
like "$T/err" "broken at sequence $bad: row changed" "names the changed row"
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
