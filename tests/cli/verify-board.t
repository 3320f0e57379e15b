#!/bin/sh
# ctp-org board load/list and the board-file verifier (ctp-verify-board-file):
# a state board's roster loaded with its header or a map, refused whole
# when its header or a row is wrong, replaced by a new load of the same
# name; credentials looked up in it read-only.
. "$(dirname "$0")/lib.sh"

B=$FIXTURES/boards
V=$CTP_BIN/../libexec/ctp/ctp-verify-board-file
new_org
ctp-user add alice --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null

# Loading.
CTP_USER=alice run ctp-org board load WI-MD "$B/wi-medical.csv" --state wi
is "$rc" 0 "a coordinator loads a roster"
like "$T/err" 'wi-medical.csv: 7 licenses loaded as WI-MD' "says how many"
is "$(sqlite3 "$CTP_DB" "SELECT name, state, rows, file_name, loaded_by, active FROM board_rosters")" \
	"WI-MD|WI|7|wi-medical.csv|alice|1" "the roster, its state normalized"
is "$(sqlite3 "$CTP_DB" "SELECT number, number_key, last_name, first_name, license_type, status, issued, expires, line FROM board_licenses WHERE number = 'MD-0023456'")" \
	"MD-0023456|MD23456|O'BRIEN|PATRICK|Physician and Surgeon|EXPIRED|2011-07-01|2025-06-30|3" \
	"a row: columns found by header, dates normalized"
is "$(sqlite3 "$CTP_DB" "SELECT sha256 FROM board_rosters")" \
	"$(sha256sum "$B/wi-medical.csv" | cut -d' ' -f1)" "the file's SHA-256 kept"
is "$(sqlite3 "$CTP_DB" "SELECT obj_type, json_extract(detail, '$.name'), json_extract(detail, '$.rows') FROM audit WHERE action = 'board.load'")" \
	"board_roster|WI-MD|7" "audit event board.load"
CTP_USER=sam run ctp-org board list --csv
is "$rc" 0 "an auditor lists the rosters"
is "$(head -1 "$T/out")" "name,state,rows,file_name,file_date,sha256,loaded_at,loaded_by" "list header"
like "$T/out" '^WI-MD,WI,7,wi-medical.csv,' "list row"
run ctp-org board list --json
like "$T/out" '^\{"name":"WI-MD","state":"WI","rows":7,' "list as JSON Lines"

CTP_USER=sam run ctp-org board load WI-MD "$B/wi-medical.csv" --state WI
is "$rc" 77 "an auditor may not load"
db_snap
run ctp-org board load WI-MD "$B/wrong-header.csv" --state WI
is "$rc" 65 "a wrong header is refused"
like "$T/err" '^ctp-org: .*wrong-header.csv:1: required columns missing: number, status, expires; the header is "Credential ID","Licensee","Standing","Valid Through" \(name the columns with --map\): nothing loaded$' \
	"the message names the missing columns and the header seen"
run ctp-org board load WI-MD "$B/bad-date.csv" --state WI
is "$rc" 65 "a bad row is refused"
like "$T/err" '^ctp-org: .*bad-date.csv:3: expires: not a date$' "naming its line and field"
run ctp-org board load WI-MD "$B/wi-medical.csv"
is "$rc" 2 "--state is required"
like "$T/err" 'board load needs --state' "message"
run ctp-org board load WI-MD "$B/wi-medical.csv" --state XX
is "$rc" 2 "a state that is none"
run ctp-org board load WI-MD "$B/odd-columns.csv" --state WI --map 'number=Credential ID,colour=Standing'
is "$rc" 2 "a map with an unknown key"
like "$T/err" 'map: unknown key "colour"' "message"
run ctp-org board load WI-MD "$B/odd-columns.csv" --state WI --map 'number=Credential ID,name=Licensee,status=Standing,expires=Valid Thru'
is "$rc" 65 "a map naming a column the file lacks"
like "$T/err" 'required columns missing: expires \(mapped to "Valid Thru"\)' "message"
printf 'Lic No,Status,Expires\n1,ACTIVE,2027-01-01\n' >"$T/noname.csv"
run ctp-org board load WI-MD "$T/noname.csv" --state WI
is "$rc" 65 "a roster without names"
like "$T/err" 'required columns missing: last_name, first_name \(or name\); the header is "Lic No","Status","Expires"' \
	"message"
head -1 "$B/wi-medical.csv" >"$T/empty.csv"
run ctp-org board load WI-MD "$T/empty.csv" --state WI
is "$rc/$(cat "$T/err")" "65/ctp-org: $T/empty.csv: no rows after the header" "a roster without rows"
printf 'License Number,Last Name,First Name,License Status,Expiration Date\nMD-1,DOE,JOHN,ACTIVE,2027-01-01\nMD-2,ROE,RI' >"$T/cut.csv"
run ctp-org board load WI-MD "$T/cut.csv" --state WI
is "$rc/$(cat "$T/err")" "65/ctp-org: $T/cut.csv:3: fields: 3 where the header has 5" "a roster cut short"
printf '{"number": "1"}\n' >"$T/roster.jsonl"
run ctp-org board load WI-MD "$T/roster.jsonl" --state WI
is "$rc/$(cat "$T/err")" "65/ctp-org: $T/roster.jsonl: a board roster is a CSV file with a header" "JSON Lines"
run ctp-org board load WI-MD "$T/none.csv" --state WI
is "$rc" 66 "a file that is not there"
run ctp-org board load WI-MD "$B/wi-medical.csv" --state WI --map "$T/none.map"
is "$rc" 66 "a map file that is not there"
run ctp-org show --state WI
is "$rc" 2 "--state belongs to board load"
db_unchanged "refused loads write nothing, the roster in force is kept"

# A map file, a map given inline, Windows-1252 text.
run ctp-org board load ODD "$B/odd-columns.csv" --state WI --map "$B/odd-columns.map"
is "$rc" 0 "a map file names the columns"
is "$(sqlite3 "$CTP_DB" "SELECT number_key, last_name, first_name, status, expires FROM board_licenses WHERE roster_id = (SELECT id FROM board_rosters WHERE name = 'ODD') ORDER BY line" | tr '\n' ' ')" \
	"A11111|DOE|JOHN|CLEAR|2027-05-31 A22222|ROE|RICHARD|LAPSED|2026-01-31 " \
	"a whole name split into last and first"
run ctp-org board load ODD2 "$B/odd-columns.csv" --state WI --map 'number=Credential ID, name = Licensee,status=Standing,expires=Valid Through'
is "$rc" 0 "a map given inline"
run ctp-org board load CP "$B/wi-cp1252.csv" --state WI
is "$rc" 0 "a Windows-1252 roster"
is "$(sqlite3 "$CTP_DB" "SELECT last_name || ' ' || first_name FROM board_licenses WHERE number = 'MD-0067890' AND roster_id = (SELECT id FROM board_rosters WHERE name = 'CP')")" \
	"MÜLLER JÜRGEN" "stored as UTF-8"

# A new load of the same name replaces the roster in force.
old=$(sqlite3 "$CTP_DB" "SELECT id FROM board_rosters WHERE name = 'WI-MD'")
CTP_USER=alice run ctp-org board load WI-MD "$B/wi-medical.csv" --state WI
is "$rc" 0 "a reload"
is "$(sqlite3 "$CTP_DB" "SELECT count(*), sum(active) FROM board_rosters WHERE name = 'WI-MD'")" "2|1" \
	"the old load kept as a record, one in force"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM board_licenses WHERE roster_id = $old")" 0 "the old rows gone"
is "$(sqlite3 "$CTP_DB" "SELECT json_extract(detail, '$.replaced_rows') FROM audit WHERE action = 'board.load' ORDER BY seq DESC LIMIT 1")" \
	7 "the event says what it replaced"

run sqlite3 "$CTP_DB" "DELETE FROM board_rosters WHERE id = $old"
like "$T/err" 'board rosters are kept' "a load is never deleted"
run sqlite3 "$CTP_DB" "UPDATE board_rosters SET sha256 = 'x' WHERE id = $old"
like "$T/err" "a board roster's load is kept as it was" "nor rewritten"

# The verifier.
req() { # req LAST FIRST NUMBER EXPIRES BOARD [STATE [CONFIG]]
	printf '{"provider": {"npi": "1000005011", "last_name": "%s", "first_name": "%s", "middle_name": null, "dob": "1973-10-21", "provider_type": "MD", "practice_state": "WI", "other_names": ""}, "credential": {"id": 7, "kind": "state_license", "number": "%s", "state": "%s", "issuer": null, "issued": null, "expires": "%s"}, "config": {"board": "%s"%s}, "as_of": "2026-12-01"}\n' \
	    "$1" "$2" "$3" "${6:-WI}" "$4" "$5" "${7:-}" >"$T/req"
}
# jget KEY...: those fields of the answer in $T/out, joined by |
jget() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("|".join(str(d.get(k, "")) for k in sys.argv[2:]))' "$T/out" "$@" 2>/dev/null
}
verify() {
	run_in "$T/req" "$V"
	result=$(jget result)
	detail=$(jget detail)
}
ref=$(sha256sum "$B/wi-medical.csv" | cut -c1-12)
today=$(date -u +%Y-%m-%d)
db_snap
req Torres Elena md-12345 2028-01-31 WI-MD
verify
is "$rc/$result" "0/verified" "verified: the number written otherwise, name in any case"
is "$(jget source reference source_date)" \
	"WI-MD board file (loaded $today)|$ref|$today" "source, reference (the file's SHA-256), date"
is "$detail" "license MD-0012345, status ACTIVE, expires 2028-01-31" "what was seen"
req Muller Jurgen MD-0067890 2027-10-31 WI-MD
verify
is "$result" verified "accents and status case do not count"
req Patel Arjun MD-0078901 2027-01-31 WI-MD
verify
is "$result" verified "CURRENT is good standing"
req "O'Brien" Patrick MD-0023456 2025-06-30 WI-MD
verify
is "$result" discrepancy "an expired license"
is "$detail" "status: the board says EXPIRED (good standing: ACTIVE,CURRENT,CLEAR); expired: the board's expiry 2025-06-30 is before 2026-12-01" \
	"each difference named"
req Torres Elena MD-0012345 2028-02-29 WI-MD
verify
is "$result/$detail" "discrepancy/expires: the board says 2028-01-31, the credential 2028-02-29" \
	"an expiry that differs"
req Smith John MD-0012345 2028-01-31 WI-MD
verify
is "$result/$detail" "discrepancy/name: the board says TORRES, ELENA, the provider is Smith, John" \
	"a name that differs"
req Reyes Elena MD-0012345 2028-01-31 WI-MD
sed 's/"other_names": ""/"other_names": "Torres, Elena; Vega"/' "$T/req" >"$T/req2"
mv "$T/req2" "$T/req"
verify
is "$result/$detail" "verified/license MD-0012345, status ACTIVE, expires 2028-01-31, under the former name Torres, Elena" \
	"a license under a former name, said"
req Garcia-Lopez Maria MD-0045678 2027-03-31 WI-MD
verify
like "$T/out" '"detail":"status: the board says SUSPENDED' "a suspended license"
req Torres Elena MD-0000001 2028-01-31 WI-MD
verify
is "$result/$detail" "not_found/license MD-0000001 is not in the WI-MD roster (7 licenses)" "not found"
req Roe Richard "A 22222" 2026-01-31 ODD WI ', "active": "CLEAR, LAPSED"'
verify
is "$result" discrepancy "a past expiry is a discrepancy whatever the status"
req Doe John "A 11111" 2027-05-31 ODD WI ', "active": "clear"'
verify
is "$result" verified "active= chooses the words of good standing"
req Doe John "A 11111" 2027-05-31 ODD WI ', "active": "ACTIVE"'
verify
is "$result" discrepancy "and only those"
req Torres Elena MD-0012345 2028-01-31 WI-MD IL
verify
is "$result/$detail" "error/the WI-MD roster is WI's, the license is IL's" "a license of another state"
req Torres Elena MD-0012345 2028-01-31 NO-SUCH
verify
is "$rc/$result" "0/error" "no roster of that name"
like "$T/out" '"detail":"board NO-SUCH: no board roster of that name is loaded' "the reason"
req Torres Elena MD-0012345 2028-01-31 ""
verify
is "$result/$detail" "error/config: board=NAME is required (the roster's name in ctp-org board list)" "no board configured"
printf '{"provider": {"npi": "1000005011"}, "credential": null, "config": {"board": "WI-MD"}}' >"$T/req"
verify
is "$result" error "a check of a provider, not a license"
printf 'garbage\n' >"$T/req"
verify
is "$rc/$result" "0/error" "a request that is not JSON"
like "$T/out" '"detail":"request: not one JSON object' "the reason"
db_unchanged "the verifier writes nothing"
req Torres Elena MD-0012345 2028-01-31 WI-MD
CTP_DB=$T/none.db verify
is "$result" error "no database"
sqlite3 "$T/old.db" "PRAGMA user_version = 5; CREATE TABLE settings (key TEXT);"
CTP_DB=$T/old.db verify
is "$result/$detail" "error/$T/old.db: no board roster loaded (ctp-org board load)" \
	"a database without rosters"
run "$V" extra
is "$rc" 2 "the verifier takes no arguments"
# Through the runner: ctp-verify runs the board-file verifier the
# organization chose for Wisconsin licenses; the PSV entry says where
# and how the check was done, and the credential is marked.
export CTP_DB="$T/e2e.db"
new_org
cat >"$T/wi.csv" <<'CSV'
npi,first_name,last_name,provider_type,practice_state,initial_cred_date,license_number,license_state,license_expires,status
1000005003,Elena,Torres,MD,WI,2024-01-10,MD-0012345,WI,2028-01-31,active
1234567893,Patrick,O'Brien,MD,WI,2024-01-10,MD-0023456,WI,2027-06-30,active
CSV
ctp-org require MD none >/dev/null
ctp-import --as-of 2026-12-01 "$T/wi.csv" >/dev/null 2>&1
run ctp-org board load WI-MD "$B/wi-medical.csv" --state WI
is "$rc" 0 "e2e: the roster loads"
run ctp-org verifier state_license WI ctp-verify-board-file board=WI-MD
is "$rc" 0 "e2e: the verifier is chosen"
run ctp-verify --kind state_license --csv --as-of 2026-12-01 1000005003 1234567893
is "$rc" 1 "e2e: ctp-verify exits 1 (one licence expired at the board)"
is "$(sqlite3 "$CTP_DB" "SELECT p.npi || ':' || l.result || ':' || l.method FROM psv_log l JOIN providers p ON p.id = l.provider_id ORDER BY p.npi")" \
    "1000005003:verified:file
1234567893:discrepancy:file" "e2e: PSV entries, method file"
like "$T/out" 'WI-MD board file' "e2e: the source names the roster"
is "$(sqlite3 "$CTP_DB" "SELECT p.npi || ':' || c.verification FROM credentials c JOIN providers p ON p.id = c.provider_id WHERE c.kind = 'state_license' ORDER BY p.npi")" \
    "1000005003:verified
1234567893:failed" "e2e: the credentials are marked"
done_testing
