#!/bin/sh
# ctp-psv: verifications entered by hand, the log, the queue of what to
# verify; corrections; the log append-only; refusals write nothing; the
# migration of an older database.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/import
new_org
ctp-user add alice --role coordinator >/dev/null
ctp-user add aud --role auditor >/dev/null
ctp-import --as-of 2026-12-01 "$F/clean.csv" 2>/dev/null
N=1000005011	# MD Torres, WI: state license 5, dea 6, board 7, malpractice 8
J=1000005003	# Jones: credentials 1 to 4
TODAY=$(date -u +%Y-%m-%d)
AS_OF=2026-12-02	# the queue's day; the test's entries are of 2026-11-30

# The queue before any verification: every active credential.
run ctp-psv queue --as-of $AS_OF
is "$rc" 0 "queue exits 0"
is "$(head -1 "$T/out")" "npi,last_name,first_name,credential_id,kind,state,number,last_verified,reason,days" "queue header"
like "$T/out" "^$N,Torres,Elizabeth,5,state_license,WI,WI3455413,,never_verified,$" \
	"a license never verified"
is "$(sed 1d "$T/out" | wc -l | tr -d ' ')" "$(count credentials)" "every credential is due"
run ctp-psv queue --as-of $AS_OF --fail-if-any
is "$rc" 1 "--fail-if-any: exit 1 when something is due"
CTP_USER=aud run ctp-psv queue --as-of $AS_OF --json
is "$rc" 0 "an auditor may read the queue"
like "$T/out" '^\{"npi":"1000005003","last_name":"Jones","first_name":"Sandra","credential_id":3,.*"reason":"never_verified","days":null\}$' \
	"queue as JSON Lines"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'psv.queue'")" 3 "each queue read is audit-logged"

# A call to the board, entered the next day.
CTP_USER=alice run ctp-psv add $N --source "Wisconsin DSPS" --method phone \
	--result verified --credential 5 --reference "call 42" \
	--note "spoke to the licensing desk" --date 11/30/2026
is "$rc" 0 "add by phone exits 0"
is "$(cat "$T/out")" 1 "prints the entry id"
is "$(sqlite3 "$CTP_DB" "SELECT provider_id, credential_id, source, method, result, reference, note, verified_on, corrects IS NULL, actor FROM psv_log WHERE id = 1")" \
	"2|5|Wisconsin DSPS|phone|verified|call 42|spoke to the licensing desk|2026-11-30|1|alice" \
	"the entry, actor the caller"
is "$(sqlite3 "$CTP_DB" "SELECT obj_type, obj_id, detail FROM audit WHERE action = 'psv.add'")" \
	'psv_entry|1|{"credential_id":5,"method":"phone","npi":"1000005011","result":"verified","source":"Wisconsin DSPS","verified_on":"2026-11-30"}' \
	"a psv.add event"
is "$(sqlite3 "$CTP_DB" "SELECT verification FROM credentials WHERE id = 5")" verified "the credential is marked verified"
is "$(sqlite3 "$CTP_DB" "SELECT field, old_value, new_value, source, note FROM history WHERE credential_id = 5 ORDER BY id DESC LIMIT 1")" \
	"state_license.verification|unverified|verified|ctp-psv|psv entry 1: verified" \
	"a history row says why"

run ctp-psv list $N
is "$rc" 0 "list exits 0"
is "$(cat "$T/out")" "entry_id,verified_on,npi,last_name,first_name,credential_id,kind,source,method,result,reference,note,corrects,actor,ts
1,2026-11-30,$N,Torres,Elizabeth,5,state_license,Wisconsin DSPS,phone,verified,call 42,spoke to the licensing desk,,alice,$(sqlite3 "$CTP_DB" "SELECT ts FROM psv_log WHERE id = 1")" \
	"list as CSV"
CTP_USER=aud run ctp-psv list --format jsonl
is "$rc" 0 "an auditor may read the log"
like "$T/out" '^\{"entry_id":1,"verified_on":"2026-11-30","npi":"1000005011","last_name":"Torres","first_name":"Elizabeth","credential_id":5,"kind":"state_license","source":"Wisconsin DSPS","method":"phone","result":"verified","reference":"call 42","note":"spoke to the licensing desk","corrects":null,"actor":"alice","ts":"[0-9T:Z-]+"\}$' \
	"list as JSON Lines (--format jsonl)"
run ctp-psv list --json --credential 5
like "$T/out" '"entry_id":1,' "--json, --credential"
is "$(sqlite3 "$CTP_DB" "SELECT detail FROM audit WHERE action = 'psv.list' ORDER BY seq DESC LIMIT 1")" \
	'{"credential_id":5,"npi":null,"rows":1,"since":null,"source":null}' \
	"each read is audit-logged with its filter"
run ctp-psv list --format table
is "$rc" 0 "--format table"
like "$T/out" "^entry_id +verified_on +npi" "an aligned table"

# The queue after: the license is current, until the window passes.
run ctp-psv queue --as-of $AS_OF
unlike "$T/out" "^$N,[^,]*,[^,]*,5," "verified: not in the queue"
run ctp-psv queue --as-of 2027-03-30
unlike "$T/out" "^$N,[^,]*,[^,]*,5," "120 days on: still current"
run ctp-psv queue --as-of 2027-03-31
like "$T/out" "^$N,Torres,Elizabeth,5,state_license,WI,WI3455413,2026-11-30,stale,121$" \
	"at 121 days: stale"
ctp-org set verify_window_days 365 >/dev/null
run ctp-psv queue --as-of 2027-03-31
unlike "$T/out" "^$N,[^,]*,[^,]*,5," "a window of 365 days: current"
ctp-org set verify_window_days 120 >/dev/null
for bad in 0 3651 ten; do
	run ctp-org set verify_window_days $bad
	is "$rc" 65 "verify_window_days $bad refused"
done
like "$T/err" "^ctp-org: verify_window_days: must be a whole number from 1 to 3650$" \
	"the setting's range"

# A changed credential goes back to the queue, saying why.
CTP_USER=alice ctp-credential set 5 expires 2029-03-23 2>/dev/null
run ctp-psv queue --as-of $AS_OF
like "$T/out" "^$N,Torres,Elizabeth,5,state_license,WI,WI3455413,2026-11-30,changed,2$" \
	"after a change: reason changed"

# A correction is a new entry naming the one it corrects; the credential
# is the corrected entry's.
CTP_USER=alice run ctp-psv add $N --source "Wisconsin DSPS" --method web \
	--result discrepancy --corrects 1 --note "call 42 was about another license"
is "$rc" 0 "a correction"
is "$(cat "$T/out")" 2 "its id"
is "$(sqlite3 "$CTP_DB" "SELECT credential_id, corrects, verified_on FROM psv_log WHERE id = 2")" \
	"5|1|$TODAY" "names the entry it corrects, of today"
is "$(sqlite3 "$CTP_DB" "SELECT verification FROM credentials WHERE id = 5")" failed \
	"a discrepancy marks the credential failed"
run ctp-psv list $N
like "$T/out" "^2,$TODAY,$N,Torres,Elizabeth,5,state_license,Wisconsin DSPS,web,discrepancy,,call 42 was about another license,1,alice," \
	"the log shows the correction"
run ctp-psv queue --as-of $TODAY
like "$T/out" "^$N,Torres,Elizabeth,5,state_license,WI,WI3455413,,never_verified,$" \
	"a corrected verification does not count"
CTP_USER=alice run ctp-psv add $N -s "Wisconsin DSPS" -m web -r verified -c 5
is "$rc" 0 "verified again"
run ctp-psv queue --as-of $TODAY
unlike "$T/out" "^$N,[^,]*,[^,]*,5," "and out of the queue"
CTP_USER=alice run ctp-psv add $N -s "Wisconsin DSPS" -m web -r error -c 5 --note "site down"
is "$(sqlite3 "$CTP_DB" "SELECT verification FROM credentials WHERE id = 5")" verified \
	"an error leaves the mark"
CTP_USER=alice run ctp-psv add $J --source NPDB --method web --result verified
is "$rc" 0 "an entry about no credential"
JE=$(cat "$T/out")

# Filters.
run ctp-psv list --source "wisconsin dsps"
is "$(sed 1d "$T/out" | wc -l | tr -d ' ')" 4 "--source, any case"
run ctp-psv list --since $TODAY
is "$(sed 1d "$T/out" | cut -d, -f1 | tr '\n' ' ')" "2 3 4 5 " "--since: oldest first"
run ctp-psv list $J
is "$(sed 1d "$T/out" | cut -d, -f1)" "$JE" "one provider's"

# The log is append-only, even for the sqlite3 shell.
before=$(sqlite3 "$CTP_DB" "SELECT group_concat(id || result || coalesce(note, ''), ';') FROM psv_log")
rc=0
sqlite3 "$CTP_DB" "UPDATE psv_log SET result = 'verified' WHERE id = 2" 2>"$T/err" || rc=$?
ok "UPDATE refused" test "$rc" -ne 0
like "$T/err" "psv log is append-only" "says why"
rc=0
sqlite3 "$CTP_DB" "DELETE FROM psv_log WHERE id = 1" 2>"$T/err" || rc=$?
ok "DELETE refused" test "$rc" -ne 0
like "$T/err" "psv log is append-only" "says why"
is "$(sqlite3 "$CTP_DB" "SELECT group_concat(id || result || coalesce(note, ''), ';') FROM psv_log")" \
	"$before" "the log unchanged"

# Refusals: a message, the exit code, nothing written.
R=$(ctp-credential add $N --kind cme --issued 2025-01-01)
CTP_USER=alice ctp-credential retire "$R" 2>/dev/null
LONG=$(printf '%0201d' 0)
db_snap
while IFS='|' read -r code args msg; do
	eval "set -- $args"
	CTP_USER=alice run ctp-psv "$@"
	is "$rc" "$code" "refused: $args"
	like "$T/err" "^ctp-psv: $msg" "message: $msg"
done <<EOF
65|add 1234567893 -s Board -m phone -r verified|1234567893: not on the roster
65|add $N -s Board -m phone -r verified -c 1|--credential: not this provider's credential\$
65|add $N -s Board -m phone -r verified -c 999|--credential: no such credential\$
65|add $N -s Board -m phone -r verified -c $R|--credential: credential is retired\$
65|add $N -s Board -m fax -r verified|--method: unknown method \\(one of api, web, phone, letter, email, file\\)\$
65|add $N -s Board -m phone -r ok|--result: unknown result \\(one of verified, discrepancy, not_found, excluded, error\\)\$
65|add $N -s Board -m phone -r verified --date 2099-01-01|--date: in the future\$
65|add $N -s Board -m phone -r verified --date 2026-02-30|--date: not a real date
65|add $N -s Board -m phone -r verified --date yesterday|--date: not a real date
65|add $N -s Board -m phone -r verified --date 1/2/26|--date: two-digit year
65|add $N -s '' -m phone -r verified|--source: empty\$
65|add $N -s $LONG -m phone -r verified|--source: too long\$
65|add $N -s "\$(printf 'Board\\033[2J')" -m phone -r verified|--source: contains control characters\$
65|add $N -s Board -m phone -r verified --reference "\$(printf 'a\\tb')"|--reference: contains control characters\$
65|add $N -s Board -m phone -r verified --note "\$(printf 'a\\rb')"|--note: contains control characters\$
65|add $N -s Board -m phone -r verified --corrects 999|--corrects: no such entry\$
65|add $N -s Board -m phone -r verified --corrects $JE|--corrects: an entry of another provider\$
65|list 1234567893|1234567893: not on the roster
65|list --since 2026-13-01|--since: not a real date
2|add $N -s Board -m phone|add needs --source, --method and --result
2|add -s Board -m phone -r verified|add needs NPI
2|add $N -s Board -m phone -r verified --corrects two|--corrects: a number from list
2|add $N -s Board -m phone -r verified --since 2026-01-01|an option that add does not take
2|list --as-of 2026-01-01|an option that list does not take
2|queue --as-of soon|--as-of: not a date
2|queue $N|queue takes no operand
2|list --format xml|--format: csv, jsonl or table
2|verify $N|unknown command: verify
EOF
db_unchanged "refusals wrote nothing but their auth events"
CTP_USER=aud run ctp-psv add $N -s Board -m phone -r verified -c 5
is "$rc" 77 "an auditor may not add"
is "$(count psv_log)" 5 "nothing written"

# A database made by an earlier ctp: its entries keep their values and
# get the day of their ts; the log becomes append-only.
V=$(sed -n 's/#define CTP_SCHEMA_VERSION //p' "$top/lib/schema.h")
for fx in "psv/v5.sql|12" "audit/pre-i12.sql|150"; do
	sql=${fx%|*}
	rm -f "$T/old.db"
	sqlite3 "$T/old.db" <"$FIXTURES/$sql"
	run env CTP_USER=alice ctp-psv --db "$T/old.db" list
	is "$rc" 0 "$sql: an older organization opens"
	is "$(sed 1d "$T/out" | wc -l | tr -d ' ')" "${fx#*|}" "$sql: every entry listed"
	is "$(sqlite3 "$T/old.db" "PRAGMA user_version")" "$V" "$sql: migrated to the current version"
	is "$(sqlite3 "$T/old.db" "SELECT count(*) FROM psv_log WHERE verified_on = substr(ts, 1, 10) AND note IS NULL AND corrects IS NULL")" \
		"${fx#*|}" "$sql: verified_on is the day of ts"
	rc=0
	sqlite3 "$T/old.db" "DELETE FROM psv_log" 2>/dev/null || rc=$?
	ok "$sql: append-only after the migration" test "$rc" -ne 0
	run ctp-audit --db "$T/old.db" verify
	is "$rc" 0 "$sql: the audit chain still verifies"
done
run env CTP_USER=alice ctp-psv --db "$T/old.db" queue --as-of 2026-12-02
is "$rc" 0 "the queue of an older organization"

# Nothing due: --fail-if-any prints nothing at all (cron mails nothing).
ctp-init --db "$T/empty.db" --name Empty >/dev/null
run ctp-psv --db "$T/empty.db" queue --fail-if-any
is "$rc/$(wc -c <"$T/out" | tr -d ' ')" "0/0" "nothing due: exit 0, no output"
run ctp-psv --db "$T/empty.db" queue
is "$(cat "$T/out")" "npi,last_name,first_name,credential_id,kind,state,number,last_verified,reason,days" \
	"without it, the header"
run ctp psv --db "$T/empty.db" list
is "$rc" 0 "ctp psv runs ctp-psv"
done_testing
