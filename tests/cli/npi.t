#!/bin/sh
# ctp-npi: registry lookups and refresh against a local fixture server
# (tests/cli/npi-httpd.py answering from tests/fixtures/npi/api, real
# NPPES sample records), the bulk file, the mismatch queue, bad input.
. "$(dirname "$0")/lib.sh"

pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

# One fixture server for the whole file; set_mode MODE [fail=..] [dir=..]
# switches what it does (tests/cli/npi-httpd.py --control).
python3 "$here/npi-httpd.py" --dir "$FIXTURES/npi/api" \
    --port-file "$T/port" --log "$T/requests" --control "$T/control" &
pids=$!
_i=0
while [ ! -s "$T/port" ] && [ $_i -lt 200 ]; do
	sleep 0.05
	_i=$((_i + 1))
done
URL=http://127.0.0.1:$(cat "$T/port")/api/
set_mode() {
	printf 'mode=%s\n' "$1" >"$T/control.new"
	shift
	for _kv in "$@"; do echo "$_kv" >>"$T/control.new"; done
	mv "$T/control.new" "$T/control"
}
open_count() {
	sqlite3 "$CTP_DB" "SELECT count(*) FROM npi_mismatches WHERE status = 'open'"
}
mm_id() { # NPI FIELD
	sqlite3 "$CTP_DB" "SELECT m.id FROM npi_mismatches m JOIN providers p
	    ON p.id = m.provider_id WHERE p.npi = '$1' AND m.field = '$2'
	    ORDER BY m.id DESC LIMIT 1"
}
sql() { sqlite3 "$CTP_DB" "$1"; }
# The rows a refresh printed ($T/out) are the queue's own rows, as
# ctp-npi mismatches shows them (the refresh prints them from memory).
as_queued() { # NAME
	tail -n +2 "$T/out" >"$T/printed"
	ctp-npi mismatches --status all | tail -n +2 >"$T/queued"
	is "$(grep -cvxFf "$T/queued" "$T/printed")" 0 "$1"
}

# ---- usage ----
run ctp-npi
is "$rc" 2 "no command: usage error"
like "$T/err" '^usage: ctp-npi' "usage on stderr"
run ctp-npi --help
is "$rc" 0 "--help exits 0"
like "$T/out" 'refresh' "--help lists the verbs"
run ctp-npi --version
like "$T/out" '^ctp-npi [0-9]' "--version"
run ctp-npi refresh --rate 0
is "$rc" 2 "--rate 0 refused"
run ctp-npi dismiss 3
is "$rc" 2 "dismiss without --note is a usage error"
like "$T/err" 'dismiss needs --note' "and says so"

new_org
sqlite3 "$CTP_DB" <"$FIXTURES/npi/roster.sql"
ctp-user add alice --role coordinator
ctp-user add sam --role auditor
set_mode normal

# ---- refresh through the API ----
run env CTP_USER=alice ctp-npi refresh --api "$URL" --as-of 2026-11-01
is "$rc" 1 "refresh: new mismatches exit 1"
is "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 7 "seven mismatches listed"
is "$(head -1 "$T/out")" "mismatch_id,npi,last_name,first_name,field,roster_value,registry_value,status,found_on,registry_updated,note" \
    "refresh: the columns every program names the same way"
as_queued "the rows printed are the queue's rows"
like "$T/out" '^[0-9]+,1457485542,Darr,Josefina,last_name,Darr,DAR,open' \
    "legal last name"
like "$T/out" ',1255782751,.*,taxonomy,207R00000X,207Q00000X,' \
    "primary taxonomy"
like "$T/out" ',1558827345,.*,practice_address,"9 Old Road, Portland, OR 97201","1500 NW BETHANY BLVD STE 320, BEAVERTON, OR 97006-5238"' \
    "practice address"
like "$T/out" ',1588513683,.*,license,F355076-01 NJ,F355076-01 NY,' \
    "license state for the primary taxonomy"
like "$T/out" ',1174270805,.*,entity_type,NPI-1,NPI-2,' \
    "a person's NPI registered as an organization"
like "$T/out" ',1851713903,.*,deactivated,active,deactivated 2025-06-30,' \
    "deactivated NPI"
like "$T/out" ',1234567893,.*,not_found,1234567893,,' "NPI not in the registry"
unlike "$T/out" '1588817837|1841008505|1073014460' \
    "Street/ST, Apt/APT.#, Rd./RD, Ste./STE, West/W, ZIP5/ZIP+4 all match"
is "$(sql "SELECT count(*) FROM psv_log WHERE source = 'NPPES' AND method = 'api'")" 10 \
    "one PSV entry per provider checked"
is "$(sql "SELECT result || ' ' || reference FROM psv_log p JOIN providers r ON r.id = p.provider_id WHERE r.npi = '1588817837'")" \
    "matched 2008-10-30" "PSV result and the registry's last-updated date"
is "$(sql "SELECT count(*) FROM psv_log WHERE result = 'mismatch'")" 5 \
    "PSV: five providers with mismatches"
is "$(sql "SELECT count(*) FROM psv_log WHERE result IN ('not_found', 'deactivated')")" 2 \
    "PSV: not found and deactivated"
# The PSV entries byte for byte (but for their time, one for the run).
psv_rows() {
	sql "SELECT provider_id, quote(credential_id), source, method, result,
	    quote(reference), quote(detail), actor FROM psv_log ORDER BY $1"
}
is "$(psv_rows id)" "$(cat <<'ROWS'
1|NULL|NPPES|api|matched|'2008-10-30'|NULL|alice
2|NULL|NPPES|api|mismatch|'2007-07-08'|'{"fields":["last_name"],"npi":"1457485542"}'|alice
3|NULL|NPPES|api|matched|'2024-12-26'|NULL|alice
4|NULL|NPPES|api|mismatch|'2019-10-31'|'{"fields":["taxonomy"],"npi":"1255782751"}'|alice
5|NULL|NPPES|api|mismatch|'2024-04-16'|'{"fields":["practice_address"],"npi":"1558827345"}'|alice
6|NULL|NPPES|api|mismatch|'2026-01-23'|'{"fields":["license"],"npi":"1588513683"}'|alice
7|NULL|NPPES|api|mismatch|'2024-05-20'|'{"fields":["entity_type"],"npi":"1174270805"}'|alice
8|NULL|NPPES|api|deactivated|'2014-01-16'|'{"fields":["deactivated"],"npi":"1851713903"}'|alice
9|NULL|NPPES|api|not_found|NULL|'{"fields":["not_found"],"npi":"1234567893"}'|alice
10|NULL|NPPES|api|matched|'2018-02-22'|NULL|alice
ROWS
)" "PSV: provider, no credential, source, method, result, reference, detail, actor"
is "$(sql "SELECT count(DISTINCT ts) FROM psv_log")" 1 "PSV: stamped with the run's time"
is "$(sql "SELECT count(*) FROM audit WHERE action = 'npi.verify' AND actor = 'alice'")" 10 \
    "one audit event per verification call"
is "$(sort "$T/requests" | uniq | wc -l | tr -d ' ')" 10 "ten NPIs asked"

run ctp-npi refresh --api "$URL" --as-of 2026-11-02
is "$rc" 0 "refresh again: nothing new, exit 0"
is "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 0 "nothing listed"
is "$(open_count)" 7 "the same seven stay open"

run ctp-npi refresh --api "$URL" 1457485542 1588817837
is "$rc" 0 "refresh of listed providers"
is "$(sql "SELECT count(*) FROM psv_log")" 22 "two more PSV entries"

# ---- lookup ----
run ctp-npi lookup --api "$URL" --json 1588817837
is "$rc" 0 "lookup exits 0"
like "$T/out" '"npi":"1588817837","entity_type":"NPI-1","status":"A","first_name":"JOSEPHINE"' \
    "lookup flattens to our field names"
like "$T/out" '"license":"552550","license_state":"NY","practice_address":"2160 BOLTON ST","practice_address_2":"APT.# 5G"' \
    "license and practice location"
run ctp-npi lookup --api "$URL" 1234567893
is "$rc" 1 "lookup of an NPI not in the registry exits 1"
like "$T/err" '1234567893: not in the registry' "and says so"
run ctp-npi lookup --api "$URL" 1234567890
is "$rc" 65 "lookup of a bad NPI exits 65"
like "$T/err" 'not a valid NPI' "names the problem"

# ---- the queue ----
run ctp-npi mismatches --json
is "$(wc -l <"$T/out" | tr -d ' ')" 7 "mismatches: seven open"
run env CTP_USER=sam ctp-npi mismatches --status all
is "$rc" 0 "an auditor may list mismatches"
run env CTP_USER=sam ctp-npi refresh --api "$URL"
is "$rc" 77 "an auditor may not refresh"
run env CTP_USER=sam ctp-npi accept "$(mm_id 1457485542 last_name)"
is "$rc" 77 "an auditor may not accept"

h0=$(count history)
run env CTP_USER=alice ctp-npi accept --note "married name" \
    "$(mm_id 1457485542 last_name)"
is "$rc" 0 "accept a name"
is "$(sql "SELECT last_name FROM providers WHERE npi = '1457485542'")" Dar \
    "the registry value is in the roster, in the roster's name case"
is "$(sql "SELECT other_names FROM providers WHERE npi = '1457485542'")" \
    "Darr, Josefina" "the former name is kept in other_names"
is "$(sql "SELECT field || '|' || coalesce(old_value, '') || '|' || new_value || '|' || actor || '|' || source || '|' || note FROM history WHERE id > $h0 ORDER BY id")" \
    "other_names||Darr, Josefina|alice|NPPES|married name
last_name|Darr|Dar|alice|NPPES|married name" "with history rows"
# Screening still checks the former name.
printf 'Surname,Given,St\nDarr,Josefina,CA\n' >"$T/ca.csv"
printf 'last_name = Surname\nfirst_name = Given\nstate = St\n' >"$T/ca.map"
ctp-screen load --list "CA Medi-Cal" --map "$T/ca.map" "$T/ca.csv"
run ctp-screen run --csv 1457485542
is "$rc" 1 "screening the renamed provider"
like "$T/out" ',1457485542,Dar,Josefina,CA Medi-Cal,[0-9a-f]+,name_state,potential_match,pending,Josefina Darr,' \
    "matches the list on the former name"
is "$(sql "SELECT status FROM npi_mismatches WHERE id = $(mm_id 1457485542 last_name)")" \
    accepted "the mismatch is accepted"
run ctp-npi accept "$(mm_id 1255782751 taxonomy)"
is "$rc" 0 "accept a taxonomy"
is "$(sql "SELECT taxonomy FROM providers WHERE npi = '1255782751'")" 207Q00000X \
    "taxonomy written"
run ctp-npi accept "$(mm_id 1558827345 practice_address)"
is "$rc" 0 "accept an address"
is "$(sql "SELECT practice_address || '|' || practice_city || '|' || practice_zip FROM providers WHERE npi = '1558827345'")" \
    "1500 NW BETHANY BLVD STE 320|BEAVERTON|97006-5238" \
    "address, city and ZIP+4 written"
# The registry shows a license in a state where the roster has none: it
# gives no expiration date, so it is not added from there.
c0=$(count credentials)
h1=$(count history)
run ctp-npi accept "$(mm_id 1588513683 license)"
is "$rc" 65 "accepting a license of a state the roster lacks is refused"
like "$T/err" "^ctp-npi: license: no license of that state on the roster, and the registry gives no expiration date: add it with ctp-credential add --expires$" \
    "says why and what to do"
is "$(count credentials)|$(count history)|$(sql "SELECT status FROM npi_mismatches WHERE id = $(mm_id 1588513683 license)")" \
    "$c0|$h1|open" "nothing written, the mismatch still open"
# With a license of that state on the roster, verified, under an older
# number: accepting writes the registry's number and unverifies it.
ny=$(env CTP_USER=alice ctp-credential add 1588513683 --kind state_license \
    --state NY --number F355076 --expires 2028-04-30)
env CTP_USER=alice ctp-credential set "$ny" verification verified
h1=$(count history)
run ctp-npi accept --note "board renumbered" "$(mm_id 1588513683 license)"
is "$rc" 0 "accept a license"
is "$(sql "SELECT number || '|' || verification FROM credentials WHERE id = $ny")" \
    "F355076-01|unverified" "the registry's number, no longer verified"
is "$(sql "SELECT field || '|' || coalesce(old_value, '') || '|' || new_value || '|' || source || '|' || note FROM history WHERE id > $h1 ORDER BY id")" \
    "state_license.number|F355076|F355076-01|NPPES|board renumbered
state_license.verification|verified|unverified|NPPES|number changed" \
    "with history rows: the number, and why the verification went"
h1=$(count history)
run ctp-npi accept "$(mm_id 1174270805 entity_type)"
is "$rc" 65 "accepting an entity type mismatch is refused"
like "$T/err" 'entity_type: nothing in the registry to write' "and says why"
is "$(count history)" "$h1" "nothing written"
run ctp-npi accept 9999
is "$rc" 65 "accept of an unknown id"
like "$T/err" 'mismatch 9999: no such mismatch' "names the id"
run ctp-npi accept "$(mm_id 1457485542 last_name)"
is "$rc" 65 "accepting twice is refused"
like "$T/err" 'is accepted, not open' "and says why"

nf=$(mm_id 1234567893 not_found)
run ctp-npi dismiss --note "new graduate; NPI issued next week" "$nf"
is "$rc" 0 "dismiss with a note"
is "$(sql "SELECT status || '|' || note || '|' || closed_by FROM npi_mismatches WHERE id = $nf")" \
    "dismissed|new graduate; NPI issued next week|root" "dismissal and its note"
is "$(sql "SELECT count(*) FROM audit WHERE action IN ('npi.accept', 'npi.dismiss')")" \
    5 "accept and dismiss are audited"
run ctp-npi refresh --api "$URL"
is "$rc" 0 "refresh: accepted ones now agree, the dismissed one stays closed"
is "$(sql "SELECT count(*) FROM npi_mismatches WHERE field = 'not_found'")" 1 \
    "a dismissed mismatch is not reopened"
is "$(open_count)" 2 "open: entity type and deactivation"

# A deactivated NPI makes a provider inactive, but not one who is
# excluded: the exclusion stays until an admin reinstates.
env CTP_USER=alice ctp-roster set 1851713903 status excluded --note "board"
h1=$(count history)
run env CTP_USER=alice ctp-npi accept "$(mm_id 1851713903 deactivated)"
is "$rc" 65 "accepting a deactivation of an excluded provider is refused"
like "$T/err" "^ctp-npi: status: provider is excluded; an admin reinstates with ctp-roster reinstate 1851713903 --note TEXT$" \
    "says why and how the exclusion ends"
is "$(sql "SELECT status FROM providers WHERE npi = '1851713903'")|$(count history)|$(sql "SELECT status FROM npi_mismatches WHERE id = $(mm_id 1851713903 deactivated)")" \
    "excluded|$h1|open" "nothing written, the mismatch still open"
run ctp-roster reinstate 1851713903 --note "board order lifted"
is "$(sql "SELECT status FROM providers WHERE npi = '1851713903'")" active \
    "reinstated by the owner"

# The registry changes a dismissed value: it opens again.
ctp-npi dismiss --note "license moving to NY" \
    "$(mm_id 1174270805 entity_type)" >/dev/null
mkdir "$T/api2"
cp "$FIXTURES"/npi/api/*.json "$T/api2/"
sed 's/"number": "1234567893"//' "$T/api2/1588817837.json" |
    sed 's/"1588817837"/"1234567893"/; s/"DAPAAH"/"NOBODY"/; s/"JOSEPHINE"/"PAT"/' \
    >"$T/api2/1234567893.json"
set_mode normal dir="$T/api2"
run ctp-npi refresh --api "$URL" 1234567893 1174270805
is "$rc" 1 "a dismissed mismatch reopens when the registry value changes"
like "$T/out" ',1234567893,Nobody,Pat,practice_address,' \
    "the provider now in the registry shows its real differences"
as_queued "reopened: the rows printed are the queue's rows"
# An open mismatch whose registry value changes: the same row, updated.
ln=$(mm_id 1234567893 practice_address)
sed 's/2160 BOLTON ST/2170 BOLTON ST/' "$T/api2/1234567893.json" \
    >"$T/api2/x.json"
mv "$T/api2/x.json" "$T/api2/1234567893.json"
run ctp-npi refresh --api "$URL" 1234567893
is "$rc" 1 "an open mismatch with a new registry value is listed again"
like "$T/out" "^$ln,1234567893,Nobody,Pat,practice_address,.*2170 BOLTON" \
    "under its own id, with the new value"
as_queued "updated: the rows printed are the queue's rows"
is "$(sql "SELECT status FROM npi_mismatches WHERE field = 'not_found'")" \
    dismissed "the old dismissal is kept"
is "$(sql "SELECT count(*) FROM npi_mismatches WHERE field = 'entity_type' AND status = 'open'")" \
    0 "an unchanged dismissed value stays dismissed"

# A registry license without a USPS state is not written.
cp "$T/api2/1588513683.json" "$T/1588513683.json.orig"
sed 's/"license": "F355076-01"/"license": "Z999"/; 54s/"state": "NY"/"state": ""/' \
    "$T/1588513683.json.orig" >"$T/api2/1588513683.json"
sed -n '52,54p' "$T/api2/1588513683.json" | tr -d ' \n' >"$T/lic"
is "$(cat "$T/lic")" '"license":"Z999","primary":true,"state":"",' "fixture: a license without a state"
run ctp-npi refresh --api "$URL" 1588513683
c0=$(count credentials)
h1=$(count history)
run ctp-npi accept "$(mm_id 1588513683 license)"
is "$rc" 65 "a license without a USPS state code: refused"
like "$T/err" "license: the registry's license state is not a USPS state code$" "says so"
is "$(count credentials)/$(count history)" "$c0/$h1" "nothing written"
cp "$T/1588513683.json.orig" "$T/api2/1588513683.json"

# ---- bad answers: nothing half-written ----
# what unchanged compares with: PSV entries, mismatches and the last found
remember() {
	p0=$(count psv_log)
	m0=$(sql "SELECT count(*) || '/' || coalesce(max(found_at), '') FROM npi_mismatches")
}
remember
unchanged() {
	is "$(count psv_log)|$(sql "SELECT count(*) || '/' || coalesce(max(found_at), '') FROM npi_mismatches")" \
	    "$p0|$m0" "$1"
}

set_mode down
: >"$T/requests"
run ctp-npi refresh --api "$URL" --retries 2 1457485542 1255782751
is "$rc" 69 "HTTP 500 after retries: exit 69"
like "$T/err" '1457485542: registry answered HTTP 500 after 3 tries' \
    "names each provider not checked"
like "$T/err" '2 of 2 providers not checked' "and counts them"
is "$(grep -c 1457485542 "$T/requests")" 3 "asked three times"
unchanged "nothing written"

set_mode normal fail=1255782751
run ctp-npi refresh --api "$URL" --retries 1 1457485542 1255782751
is "$rc" 69 "one provider unreachable: exit 69"
like "$T/err" '1255782751: registry answered HTTP 500' "it is named"
unlike "$T/err" '1457485542' "the other is not"
is "$(count psv_log)" $((p0 + 1)) "the other one is stored"
p0=$(count psv_log)

set_mode flaky
: >"$T/requests"
run ctp-npi -v refresh --api "$URL" 1457485542 1255782751
is "$rc" 0 "HTTP 500 then success: retried"
is "$(wc -l <"$T/requests" | tr -d ' ')" 4 "each asked twice"
like "$T/err" '4 requests \(2 retries\)' "-v counts the retries"
is "$(count psv_log)" $((p0 + 2)) "both stored"
set_mode down
run ctp-npi refresh --api "$URL" --retries 1 1457485542
like "$T/err" ': 1 of 1 provider not checked' "a count of one reads 1 provider"
set_mode flaky
run ctp-npi -v refresh --api "$URL" 1457485542
is "$rc" 0 "one provider, retried once"
like "$T/err" ': 2 requests \(1 retry\) in ' "-v: a count of one reads 1 retry"
remember

set_mode stall
t0=$(date +%s)
run ctp-npi refresh --api "$URL" --timeout 1 --retries 1 1457485542
t1=$(date +%s)
is "$rc" 69 "a stalled registry: exit 69"
like "$T/err" '1457485542: registry unreachable: Timeout was reached after 2 tries' \
    "says it timed out"
ok "gives up within the timeouts" [ $((t1 - t0)) -lt 10 ]
unchanged "nothing written"

set_mode errors
run ctp-npi refresh --api "$URL" 1457485542
is "$rc" 65 "an Errors array (HTTP 200): exit 65"
like "$T/err" '1457485542: registry error 04: No valid search criteria provided' \
    "the registry's error is shown"
unchanged "nothing written"
run ctp-npi lookup --api "$URL" 1457485542
is "$rc" 65 "lookup: an Errors array exits 65"

set_mode invalid
run ctp-npi refresh --api "$URL" 1457485542
is "$rc" 65 "invalid JSON: exit 65"
like "$T/err" '1457485542: registry answer is not valid JSON' "says so"
unchanged "nothing written"

set_mode empty
run ctp-npi lookup --api "$URL" 1588817837
is "$rc" 1 "an empty result set: lookup exits 1"
like "$T/err" 'not in the registry' "and says so"
run ctp-npi refresh --api "$URL" 1588817837
is "$rc" 1 "an empty result set: refresh opens a not-in-registry mismatch"
like "$T/out" ',1588817837,.*,not_found,' "listed"

# ---- cut short: kill -9 while the registry stalls ----
set_mode stall
remember
ctp-npi refresh --api "$URL" --timeout 30 >/dev/null 2>&1 &
victim=$!
sleep 1
kill -9 "$victim" 2>/dev/null
wait "$victim" 2>/dev/null
unchanged "kill -9 mid-refresh: nothing written"
run sqlite3 "$CTP_DB" "PRAGMA integrity_check"
is "$(cat "$T/out")" ok "the database is intact"

# ---- a progress bar on a terminal only ----
set_mode normal
if command -v script >/dev/null 2>&1; then
	script -qec "ctp-npi refresh --api $URL 1588817837 1841008505" \
	    /dev/null >"$T/tty" 2>&1 </dev/null || true
	like "$T/tty" 'ctp-npi: \[=+\] 2/2' "progress bar on a terminal"
	run ctp-npi refresh --api "$URL" 1588817837 1841008505
	unlike "$T/err" '\[=' "none when stderr is not a terminal"
else
	skip "progress bar on a terminal" "no script(1)"
	skip "none when stderr is not a terminal" "no script(1)"
fi

# ---- the cap on requests per second ----
set_mode normal
run ctp-npi -v refresh --api "$URL" --rate 4 --parallel 8 \
    1588817837 1457485542 1841008505 1255782751 1558827345 1588513683 \
    1174270805 1851713903 1073014460
like "$T/err" 'at most [1-4] started in one second' "--rate 4 holds"
like "$T/err" 'in [2-9]\.[0-9]+ s' "nine requests at 4 a second take over 2 s"

# ---- listed providers from standard input ----
printf 'npi\n1588817837\n1841008505\n' >"$T/list.csv"
run_in "$T/list.csv" ctp-npi refresh --api "$URL" -
is "$rc" 0 "refresh - reads an npi column"
printf 'npi\n1111111112\n' >"$T/bad.csv"
p0=$(count psv_log)
run_in "$T/bad.csv" ctp-npi refresh --api "$URL" -
is "$rc" 65 "an NPI not on the roster: exit 65"
like "$T/err" '1111111112: not on the roster' "names it"
is "$(count psv_log)" "$p0" "nothing checked"
run ctp-npi refresh --api "$URL" 1588817836
is "$rc" 65 "a bad check digit: exit 65"

# ---- the dissemination file ----
CTP_DB=$T/bulk.db
export CTP_DB
new_org
sqlite3 "$CTP_DB" <"$FIXTURES/npi/roster.sql"
BULK=$FIXTURES/npi/npidata_pfile_small.csv
run ctp-npi -v refresh --bulk "$BULK" --as-of 2026-11-01
is "$rc" 1 "bulk: new mismatches exit 1"
is "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 7 "the same seven mismatches"
like "$T/out" ',1851713903,.*,deactivated,active,deactivated 2025-06-30,' \
    "deactivation from the file"
like "$T/out" ',1588513683,.*,license,F355076-01 NJ,F355076-01 NY,' \
    "license from the taxonomy slots"
is "$(sql "SELECT count(*) FROM psv_log WHERE method = 'bulk'")" 10 \
    "one PSV entry per provider"
is "$(psv_rows provider_id)" "$(cat <<'ROWS'
1|NULL|NPPES|bulk|matched|'2008-10-30'|NULL|root
2|NULL|NPPES|bulk|mismatch|'2007-07-08'|'{"fields":["last_name"],"npi":"1457485542"}'|root
3|NULL|NPPES|bulk|matched|'2024-12-26'|NULL|root
4|NULL|NPPES|bulk|mismatch|'2019-10-31'|'{"fields":["taxonomy"],"npi":"1255782751"}'|root
5|NULL|NPPES|bulk|mismatch|'2024-04-16'|'{"fields":["practice_address"],"npi":"1558827345"}'|root
6|NULL|NPPES|bulk|mismatch|'2026-01-23'|'{"fields":["license"],"npi":"1588513683"}'|root
7|NULL|NPPES|bulk|mismatch|'2024-05-20'|'{"fields":["entity_type"],"npi":"1174270805"}'|root
8|NULL|NPPES|bulk|deactivated|NULL|'{"fields":["deactivated"],"npi":"1851713903"}'|root
9|NULL|NPPES|bulk|not_found|NULL|'{"fields":["not_found"],"npi":"1234567893"}'|root
10|NULL|NPPES|bulk|matched|'2018-02-22'|NULL|root
ROWS
)" "PSV entries byte for byte (but for their time)"
is "$(sql "SELECT count(*) FROM audit WHERE action = 'npi.verify'")" 1 \
    "one audit event for the file"
like "$T/err" '12 lines read' "-v counts lines"

remember
head -c 20000 "$BULK" >"$T/trunc.csv"
run ctp-npi refresh --bulk "$T/trunc.csv"
is "$rc" 65 "a truncated file: exit 65"
like "$T/err" 'trunc.csv:[0-9]+: truncated file' "names the file and line"
unchanged "nothing written"
{ head -1 "$BULK"; sed -n 2p "$BULK" | cut -d, -f1-200; } >"$T/short.csv"
sed 's/^"[0-9]*"/"1588817837"/' "$T/short.csv" >"$T/short2.csv"
run ctp-npi refresh --bulk "$T/short2.csv"
is "$rc" 65 "a roster row with missing columns: exit 65"
like "$T/err" 'short2.csv:2: 200 columns, expected 330' "says so"
unchanged "nothing written"
cp "$FIXTURES/samples/leie_updated_sample.csv" "$T/other.csv"
run ctp-npi refresh --bulk "$T/other.csv"
is "$rc" 65 "a different header: exit 65"
like "$T/err" 'not an NPPES dissemination file: header has 18 columns, expected 330' \
    "says so"
sed '1s/"Provider First Name"/"Provider Given Name"/' "$BULK" >"$T/renamed.csv"
run ctp-npi refresh --bulk "$T/renamed.csv"
is "$rc" 65 "a renamed column: exit 65"
like "$T/err" 'no column "Provider First Name"' "names the column"
unchanged "nothing written"
printf 'PK\003\004junk\n' >"$T/x.zip"
run ctp-npi refresh --bulk "$T/x.zip"
is "$rc" 65 "a zip archive: exit 65"
like "$T/err" 'unzip it' "says what to do"
run ctp-npi refresh --bulk "$T/none.csv"
is "$rc" 66 "a missing file: exit 66"
run ctp-npi refresh --bulk "$BULK"
is "$rc" 0 "bulk again: nothing new"

# An off-roster row whose quoted field spans lines (two line breaks,
# one of them in a line without a quote) is skipped whole; the roster
# rows around it are read as before.
python3 - "$BULK" "$T/span.csv" <<'PY'
import sys
lines = open(sys.argv[1], "rb").read().splitlines(keepends=True)
f = lines[2].split(b'","')
f[0] = b'"1999999999'
f[5] = f[5] + b'\nsecond line\nthird "" line'
with open(sys.argv[2], "wb") as o:
    o.writelines(lines[:2] + [b'","'.join(f)] + lines[2:])
PY
run ctp-npi -v refresh --bulk "$T/span.csv" --as-of 2026-11-01
is "$rc" 0 "an off-roster row over three lines: read past, nothing new"
like "$T/err" '15 lines read' "every line counted"
remember
head -n 4 "$T/span.csv" >"$T/spantrunc.csv"
run ctp-npi refresh --bulk "$T/spantrunc.csv"
is "$rc" 65 "an off-roster quoted field that never ends: exit 65"
like "$T/err" 'spantrunc.csv:3: truncated file: the record does not end' \
    "names the line the row began on"
unchanged "nothing written"
{ head -n 2 "$BULK"; echo 'no NPI here'; tail -n +3 "$BULK"; } \
    >"$T/nonpi.csv"
run ctp-npi refresh --bulk "$T/nonpi.csv"
is "$rc" 65 "a line without an NPI after a roster row: exit 65"
like "$T/err" 'nonpi.csv:3: no NPI at the start of the line' "says so"
unchanged "nothing written"
{ head -n 5 "$BULK"; echo "no NPI here"; tail -n +6 "$BULK"; } \
    >"$T/nonpi2.csv"
run ctp-npi refresh --bulk "$T/nonpi2.csv"
is "$rc" 65 "a line without an NPI after an off-roster row: exit 65"
like "$T/err" 'nonpi2.csv:6: no NPI at the start of the line' \
    "the row before it ended: says so"
unchanged "nothing written"

# Without --as-of a check is dated today in the organization's time zone.
CTP_DB=$T/tz.db
new_org
sqlite3 "$CTP_DB" <"$FIXTURES/npi/roster.sql"
ctp-org set timezone Pacific/Kiritimati >/dev/null
run ctp-npi refresh --bulk "$BULK"
is "$(sql "SELECT DISTINCT found_on FROM npi_mismatches")" \
    "$(TZ=Pacific/Kiritimati date +%Y-%m-%d)" \
    "found on the organization's today"
CTP_DB=$T/bulk.db

# A roster in capitals keeps the registry's capitals.
sql "UPDATE providers SET first_name = upper(first_name),
    last_name = upper(last_name)"
run ctp-npi accept "$(mm_id 1457485542 last_name)"
is "$rc" 0 "accept a name on a roster in capitals"
is "$(sql "SELECT last_name || '|' || other_names FROM providers WHERE npi = '1457485542'")" \
    "DAR|DARR, JOSEFINA" "capitals, and the former name in capitals"

# A license added later is read with the provider's others, though the
# table holds another provider's license between them.
sql "INSERT INTO credentials (provider_id, kind, number, state, created_at,
  updated_at) SELECT id, 'state_license', 'X1', 'NV', '2026-02-01T00:00:00Z',
  '2026-02-01T00:00:00Z' FROM providers WHERE npi = '1558827345';
INSERT INTO credentials (provider_id, kind, number, state, created_at,
  updated_at) SELECT id, 'state_license', 'F355076-01', 'NY',
  '2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z' FROM providers
  WHERE npi = '1588513683';"
run ctp-npi refresh --bulk "$BULK"
is "$rc" 0 "bulk with the license added later: nothing new"
is "$(sql "SELECT m.status FROM npi_mismatches m JOIN providers p
    ON p.id = m.provider_id WHERE p.npi = '1588513683'
    AND m.field = 'license' ORDER BY m.id DESC LIMIT 1")" resolved \
    "the license mismatch is resolved by the later license"

# Long roster values: the roster's string table outgrows its first size
# and is copied into a bigger one; every value comes through whole.
CTP_DB=$T/long.db
new_org
sqlite3 "$CTP_DB" <"$FIXTURES/npi/roster.sql"
sql "UPDATE providers SET practice_address = printf('%.600c', 'A') || ' ' ||
    practice_address"
run ctp-npi refresh --bulk "$BULK" --as-of 2026-11-01
is "$rc" 1 "long roster values: the addresses differ"
is "$(sql "SELECT count(*) FROM npi_mismatches WHERE field = 'practice_address'
    AND roster_value LIKE printf('%.399c', 'A')")" \
    "$(sql "SELECT count(*) FROM npi_mismatches WHERE field = 'practice_address'")" \
    "long roster values: every one shown as the roster has it (to 399 bytes)"
is "$(sql "SELECT count(*) > 5 FROM npi_mismatches")" 1 \
    "long roster values: a mismatch per provider with an address"

# ---- a large file, read in two halves ----
# Over 64 MB the file is read by two threads from its middle on; the
# roster rows on either side give what the small file gives.
CTP_DB=$T/small.db
export CTP_DB
new_org
sqlite3 "$CTP_DB" <"$FIXTURES/npi/roster.sql"
run ctp-npi refresh --bulk "$BULK" --as-of 2026-11-01
tail -n +2 "$T/out" | cut -d, -f2- | sort >"$T/small.out"
CTP_DB=$T/split.db
new_org
sqlite3 "$CTP_DB" <"$FIXTURES/npi/roster.sql"
python3 - "$BULK" "$T/big.csv" <<'PY'
import sys
rows = open(sys.argv[1], "rb").read().split(b"\n")[:-1]
fill = b'"1000000004",' + b'"",' * 328 + b'""\n'
n = (72 << 20) // len(fill) // 2
with open(sys.argv[2], "wb") as f:
    f.write(rows[0] + b"\n")
    f.write(b"\n".join(rows[1:6]) + b"\n")
    f.write(fill * n)
    f.write(b"\n".join(rows[6:]) + b"\n")
    f.write(fill * n)
PY
big_lines=$(wc -l <"$T/big.csv" | tr -d ' ')
run ctp-npi -v refresh --bulk "$T/big.csv" --as-of 2026-11-01
is "$rc" 1 "two halves: new mismatches exit 1"
tail -n +2 "$T/out" | cut -d, -f2- | sort >"$T/big.out"
is "$(cat "$T/big.out")" "$(cat "$T/small.out")" \
    "two halves: the small file's seven mismatches"
is "$(sql "SELECT count(*) FROM psv_log WHERE method = 'bulk'")" 10 \
    "two halves: one PSV entry per provider"
like "$T/err" "$big_lines lines read" "two halves: every line counted"
remember
head -c -500 "$T/big.csv" >"$T/bigtrunc.csv"
run ctp-npi refresh --bulk "$T/bigtrunc.csv"
is "$rc" 65 "two halves, truncated: exit 65"
like "$T/err" "bigtrunc.csv:$big_lines: truncated file: the last line" \
    "two halves, truncated: the line counted from the top"
unchanged "two halves, truncated: nothing written"
rm -f "$T/big.csv" "$T/bigtrunc.csv"

# Many roster rows on both sides of the middle: the second half's
# reader finds a thousand at its start while the first half's still
# skips 35 MB, fills its ring of 256 and packs the rest into its
# overflow queue; every one comes out, in order, once.
CTP_DB=$T/many.db
new_org
"$top/scripts/gen-nppes-bulk" --size 70e6 --roster-size 2000 \
    --roster "$T/many.csv" "$T/many-gen.csv" 2>/dev/null
python3 - "$T/many.csv" "$T/many-gen.csv" "$T/many-bulk.csv" <<'PY'
import csv, sys
want = {r["npi"].encode() for r in csv.DictReader(open(sys.argv[1]))}
lines = open(sys.argv[2], "rb").read().splitlines(keepends=True)
ros = [l for l in lines[1:] if l[1:11] in want]
rest = [l for l in lines[1:] if l[1:11] not in want]
half = sum(map(len, lines)) // 2 - sum(map(len, ros)) // 2
k, at = 0, len(lines[0])
while at + len(rest[k]) < half:
    at += len(rest[k])
    k += 1
with open(sys.argv[3], "wb") as f:
    f.writelines([lines[0]] + rest[:k] + ros + rest[k:])
PY
rm -f "$T/many-gen.csv"
"$top/scripts/roster-sql" "$T/many.csv" | sqlite3 "$CTP_DB"
run ctp-npi -v refresh --bulk "$T/many-bulk.csv" --as-of 2026-11-01
is "$rc" 1 "many rows, two halves: new mismatches exit 1"
like "$T/err" "checked 2000: 1960 matched, 40 with mismatches" \
    "many rows, two halves: every roster row checked once"
is "$(sql "SELECT count(*) FROM npi_mismatches")" 40 \
    "many rows, two halves: one mismatch per changed provider"
is "$(sql "SELECT count(DISTINCT provider_id) FROM psv_log
    WHERE method = 'bulk'")" 2000 \
    "many rows, two halves: one PSV entry per provider"
is "$(sql "SELECT group_concat(field || ':' || n) FROM (SELECT field,
    count(*) AS n FROM npi_mismatches GROUP BY field ORDER BY field)")" \
    "last_name:10,license:10,practice_address:10,taxonomy:10" \
    "many rows, two halves: the four kinds the generator changed"
rm -f "$T/many-bulk.csv"

done_testing
