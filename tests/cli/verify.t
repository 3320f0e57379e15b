#!/bin/sh
# ctp-verify and ctp-org verifier: the verifiers the organization chose,
# run as programs (test verifiers in tests/cli/verifiers, on PATH: good,
# discrepancy, fail, hang, garbage, not executable, missing), the
# built-in npi (against tests/cli/npi-httpd.py), oig and sam (against
# the lists of tests/fixtures/screen); PSV entries, audit events,
# credential marks, exit codes, and "error" never marking verified.
. "$(dirname "$0")/lib.sh"

PATH=$PATH:$here/verifiers
export PATH
start_server "$here/npi-httpd.py" --dir "$FIXTURES/npi/api" \
    --control "$T/control"
set_mode() { printf 'mode=%s\n' "$1" >"$T/control.new"; mv "$T/control.new" "$T/control"; }
sql() { sqlite3 "$CTP_DB" "$1"; }
mark() { sql "SELECT c.verification FROM credentials c JOIN providers p ON p.id = c.provider_id WHERE p.npi = '$1' AND c.kind = 'state_license'"; }
results() { sed 1d "$T/out" | cut -d, -f1,4,8 | tr '\n' ' '; }

A=1588817837	# Dapaah: registry agrees; NY license
B=1457485542	# Darr: registry's last name differs; CA license
C=1234567893	# not in the registry
D=1851713903	# deactivated in the registry; no license

# ---- usage ----
run ctp-verify --help
is "$rc" 0 "--help exits 0"
like "$T/out" '^usage: ctp-verify' "--help prints the synopsis"
run ctp-verify --version
like "$T/out" '^ctp-verify [0-9]' "--version"
run ctp-verify --kind passport
is "$rc" 2 "--kind unknown: usage error"
like "$T/err" 'npi, oig, sam or a credential kind' "says which kinds"
run ctp-verify --as-of 2026-02-30
is "$rc" 2 "--as-of not a date: usage error"

new_org
sqlite3 "$CTP_DB" <"$FIXTURES/npi/roster.sql"
ctp-user add alice --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null
ctp-org set nppes_api_url "http://127.0.0.1:$PORT/api/"
set_mode normal

# ---- ctp-org verifier ----
run ctp-org verifiers
is "$rc" 0 "verifiers: exit 0"
is "$(cat "$T/out")" "kind,state,program,config,set_by,set_at
npi,,ctp-verify-npi,{},default,
oig,,ctp-verify-oig,{},default,
sam,,ctp-verify-sam,{},default," "by default the provider checks only"
run ctp-org verifier state_license NY ctp-verify-good
is "$rc" 0 "set a verifier for NY licenses"
is "$(cat "$T/err")" "" "found on PATH: no warning"
run ctp-org verifier state_license CA ctp-verify-discrepancy
run ctp-org verifier state_license - ctp-verify-fail url=https://board.example/{number} note=a=b
is "$rc" 0 "set one for any state, with its config"
is "$(sql "SELECT program, config FROM verifiers WHERE kind = 'state_license' AND state = ''")" \
    'ctp-verify-fail|{"note":"a=b","url":"https://board.example/{number}"}' "config kept as a JSON object of strings"
is "$(sql "SELECT json_extract(detail, '\$.program') || ' ' || json_extract(detail, '\$.state') FROM audit WHERE action = 'org.verifier' ORDER BY seq DESC LIMIT 1")" \
    "ctp-verify-fail -" "audit event org.verifier"
run ctp-org --json verifier
is "$rc" 0 "verifier without arguments lists them"
like "$T/out" '^\{"kind":"state_license","state":"CA","program":"ctp-verify-discrepancy","config":\{\},"set_by":"root","set_at":"' "JSON Lines, config an object"
run ctp-org verifier dea - ctp-verify-nowhere
is "$rc" 0 "a program not found now is set"
like "$T/err" '^ctp-org: warning: ctp-verify-nowhere: not found' "with a warning"
run ctp-org verifier dea - --remove
is "$rc" 0 "remove"
is "$(sql "SELECT count(*) FROM verifiers WHERE kind = 'dea'")" 0 "removed"
is "$(sql "SELECT json_extract(detail, '\$.old') FROM audit WHERE action = 'org.verifier' ORDER BY seq DESC LIMIT 1")" \
    "ctp-verify-nowhere" "the removal is audited with what it was"
db_snap
n=0
for bad in "passport - ctp-verify-good|kind: unknown kind" \
    "state_license XX ctp-verify-good|state: must be a USPS state code" \
    "npi CA ctp-verify-good|state: npi checks the provider" \
    "state_license - /tmp/ctp-verify-good|program: must be ctp-verify-" \
    "state_license - ctp-verify-../x|program: must be ctp-verify-" \
    "state_license - verify-good|program: must be ctp-verify-" \
    "state_license - ctp-verify-good URL=x|setting 1: must be KEY=VALUE" \
    "state_license - ctp-verify-good novalue|setting 1: must be KEY=VALUE"; do
	n=$((n + 1))
	run ctp-org verifier ${bad%%|*}
	is "$rc" 65 "bad verifier $n refused"
	like "$T/err" "^ctp-org: ${bad#*|}" "message $n: ${bad#*|}"
done
run ctp-org verifier state_license - ctp-verify-good "x=$(printf 'a\tb')"
is "$rc" 65 "a control character in a value refused"
run ctp-org verifier dea - --remove
is "$rc" 65 "removing what is not set refused"
like "$T/err" 'no verifier set' "says so"
run ctp-org verifier state_license NY
is "$rc" 2 "no program: usage error"
db_unchanged "refused changes write nothing"
CTP_USER=alice run ctp-org verifier dea - ctp-verify-good
is "$rc" 77 "a coordinator may not set verifiers"
is "$(count verifiers)" 3 "nor is one set"
CTP_USER=sam run ctp-org verifiers
is "$rc" 0 "an auditor may list them"

# ---- a good verifier ----
psv0=$(count psv_log)
CTP_USER=alice run ctp-verify --kind state_license --as-of 2026-11-01 $A
is "$rc" 0 "all verified: exit 0"
is "$(head -1 "$T/out")" "npi,last_name,first_name,kind,state,credential_id,verifier,result,source,reference,detail,psv_id" "the columns"
like "$T/out" "^$A,Dapaah,Josephine,state_license,NY,[0-9]+,ctp-verify-good,verified,Test Board,lookup 552550,\"active, no discipline\",[0-9]+\$" "the row"
is "$(mark $A)" verified "the credential is marked verified"
is "$(sql "SELECT source, method, result, reference, actor, json_extract(detail, '\$.program'), json_extract(detail, '\$.source_date') FROM psv_log ORDER BY id DESC LIMIT 1")" \
    "Test Board|api|verified|lookup 552550|alice|ctp-verify-good|2026-11-30" "PSV entry"
is "$(count psv_log)" $((psv0 + 1)) "one PSV entry"
psv=$(sed -n 2p "$T/out" | awk -F, '{print $NF}')
is "$(sql "SELECT obj_id, json_extract(detail, '\$.result'), json_extract(detail, '\$.psv'), json_extract(detail, '\$.kind') FROM audit WHERE action = 'verify.result' ORDER BY seq DESC LIMIT 1")" \
    "$A|verified|$psv|state_license" "audit event verify.result names the PSV entry"
is "$(sql "SELECT old_value, new_value, source FROM history WHERE field = 'state_license.verification'")" \
    "unverified|verified|ctp-verify" "the mark's history row"

# ---- a discrepancy ----
CTP_USER=alice run ctp-verify --kind state_license $B
is "$rc" 1 "a discrepancy: exit 1"
like "$T/out" ",state_license,CA,[0-9]+,ctp-verify-discrepancy,discrepancy,Test Board,R-1," "discrepancy row"
is "$(mark $B)" failed "the credential is marked failed"
is "$(sql "SELECT method, json_extract(detail, '\$.detail.expires') FROM psv_log ORDER BY id DESC LIMIT 1")" \
    "file|board says 2026-01-31" "the verifier's method and detail object kept"

# ---- verifiers that fail: result error, the mark unchanged ----
# A's license is verified, C's (none) ... use the NE license (Davis,
# 1255782751, unverified) for a credential that stays unverified.
E=1255782751
try() { # PROGRAM REASON DESC
	ctp-org verifier state_license NE "$1" 2>/dev/null
	ctp-org verifier state_license NY "$1" 2>/dev/null
	p0=$(count psv_log)
	CTP_USER=alice run ctp-verify --kind state_license $E $A
	is "$rc" 1 "$3: exit 1"
	is "$(results)" "$E,state_license,error $A,state_license,error " "$3: result error"
	like "$T/out" ",error,$1,,\"?$1: $2" "$3: the reason"
	is "$(mark $E)/$(mark $A)" "unverified/verified" "$3: marks unchanged"
	is "$(count psv_log)" $((p0 + 2)) "$3: recorded in the PSV log"
	is "$(sql "SELECT result || ' ' || json_extract(detail, '\$.error') FROM psv_log ORDER BY id DESC LIMIT 1" | grep -c "^error $1: $2")" 1 "$3: the PSV entry keeps the reason"
}
try ctp-verify-fail "exited 2: board site returned HTTP 503" "exits non-zero"
try ctp-verify-garbage "printed no JSON object" "prints garbage"
try ctp-verify-noexec "not executable" "not executable"
try ctp-verify-missing "not found" "missing"
# The hanging verifier's sleepers, this test's own (ctp-verify-hang).
hangs() { ps -eo args | grep -F "hang:$CTP_DB" | grep -c '^sh -c'; }
ctp-org set verify_timeout 1
start=$(date +%s)
try ctp-verify-hang "timed out after 1 s" "hangs"
is "$(($(date +%s) - start < 8))" 1 "the timeout holds (two runs of 1 s)"
sleep 0.2
is "$(hangs)" 0 "what it started was killed with it"
ctp-org set verify_timeout 30
# Stopped while a verifier runs: it and what it started go too.
ctp-org verifier state_license NY ctp-verify-hang 2>/dev/null
p0=$(count psv_log)
CTP_USER=alice ctp-verify --kind state_license $A >/dev/null 2>&1 &
vpid=$!
_i=0
while [ "$(hangs)" -lt 2 ] && [ $_i -lt 50 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
is "$(hangs)" 2 "the verifier and what it started are running"
kill -TERM $vpid
wait $vpid
is "$?" 143 "ctp-verify stopped by TERM"
sleep 0.2
is "$(hangs)" 0 "the verifier's group was killed with it"
is "$(count psv_log)" "$p0" "nothing half-written"
is "$(sql "SELECT count(*) FROM psv_log WHERE result = 'error'")" \
    "$(sql "SELECT count(*) FROM audit WHERE action = 'verify.result' AND json_extract(detail, '\$.result') = 'error'")" \
    "every error is in the audit log too"
is "$(sql "SELECT count(*) FROM history WHERE field LIKE '%.verification' AND new_value = 'verified'")" 1 \
    "an error never marked anything verified"

# ---- the request a verifier reads ----
ctp-org verifier state_license NY ctp-verify-config url=https://x.example/{number} 2>/dev/null
CTP_USER=alice run ctp-verify --json --kind state_license --as-of 2026-10-15 $A
is "$rc" 0 "config verifier"
like "$T/out" '"detail":"\{\\"as_of\\":\\"2026-10-15\\",\\"config\\":\{\\"url\\":\\"https://x.example/\{number\}\\"\},\\"credential\\":[0-9]+,\\"db\\":\\"set\\",\\"npi\\":\\"1588817837\\"\}"' \
    "it gets its config, the date, the credential and CTP_DB"

# ---- no verifier for a kind: result none, nothing written ----
sql "INSERT INTO credentials (provider_id, kind, number, state, expires, created_at, updated_at) SELECT id, 'dea', 'BD1234563', 'NY', '2028-01-01', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM providers WHERE npi = '$A'"
db_snap
CTP_USER=alice run ctp-verify --kind dea $A
is "$rc" 1 "no verifier: not verified, exit 1"
like "$T/out" "^$A,Dapaah,Josephine,dea,NY,[0-9]+,,none,,,,\$" "result none"
db_unchanged "none writes nothing"

# ---- npi through the registry ----
CTP_USER=alice run ctp-verify --kind npi $A $B $C $D
is "$rc" 1 "npi: differences exit 1"
is "$(results)" "$A,npi,verified $B,npi,discrepancy $C,npi,not_found $D,npi,discrepancy " "npi results"
like "$T/out" "^$B,.*,NPPES,.NPI $B.*last_name.*registry.*DAR.*roster.*Darr" "the difference in the detail"
like "$T/out" "^$D,.*status" "deactivated"
is "$(sql "SELECT DISTINCT source || ' ' || method FROM psv_log WHERE credential_id IS NULL")" "NPPES api" "PSV: source NPPES, method api"
set_mode down
CTP_USER=alice run ctp-verify --kind npi $A
is "$rc" 1 "registry down: exit 1"
like "$T/out" ",npi,,,ctp-verify-npi,error,NPPES," "registry down: error"
set_mode normal

# ---- a pipeline stream, every provider, not on the roster ----
printf 'npi\n%s\n' $A | CTP_USER=alice ctp-verify --kind npi - >"$T/out" 2>"$T/err"
is "$?" 0 "a stream with an npi column"
is "$(results)" "$A,npi,verified " "the stream's provider"
printf 'npi\n' | CTP_USER=alice ctp-verify --kind npi - >"$T/out" 2>"$T/err"
is "$?" 0 "an empty stream"
like "$T/err" 'no providers on standard input: nothing verified' "verifies no one, and says so"
CTP_USER=alice run ctp-verify --kind npi
is "$(sed 1d "$T/out" | wc -l | tr -d ' ')" "$(sql "SELECT count(*) FROM providers WHERE status = 'active'")" \
    "no NPI: every active provider"
db_snap
CTP_USER=alice run ctp-verify 1999999999
is "$rc" 65 "an NPI not on the roster"
like "$T/err" '^ctp-verify: npi 1: not on the roster' "says which"
db_unchanged "a refused run writes nothing"
p0=$(count psv_log)
CTP_USER=sam run ctp-verify $A
is "$rc" 77 "an auditor may not verify"
is "$(count psv_log)" "$p0" "nor is anything verified"

# ---- oig and sam through the screening lists ----
now=2026-01-01T00:00:00Z
sql "INSERT INTO providers (npi, first_name, last_name, dob, provider_type,
  practice_state, created_at, updated_at) VALUES
 ('1003000126','Pat','Other','1960-01-01','MD','TX','$now','$now'),
 ('1770626038','Zoë','O''Brien','1980-02-02','MD','MA','$now','$now'),
 ('1417013938','Ima','Clear','1990-01-01','NP','WA','$now','$now')"
CTP_USER=alice run ctp-verify --kind oig 1417013938
is "$rc" 1 "no list loaded: exit 1"
like "$T/out" ',oig,,,ctp-verify-oig,error,OIG LEIE,,no OIG LEIE list loaded' "no list: error"
ctp-screen load --leie "$FIXTURES/screen/leie.csv"
ctp-screen load --sam "$FIXTURES/screen/sam.zip"
CTP_USER=alice run ctp-verify --kind oig --as-of 2026-06-01 1003000126 1770626038 1417013938
is "$rc" 1 "oig: an exclusion exits 1"
is "$(results)" "1003000126,oig,excluded 1770626038,oig,discrepancy 1417013938,oig,verified " "excluded by NPI, a name match for review, clear"
like "$T/out" '^1417013938,.*,OIG LEIE,"OIG LEIE version [0-9]+, [0-9-]+, sha256 [0-9a-f]{12}",' "the reference names the list version"
CTP_USER=alice run ctp-verify --kind sam --as-of 2026-06-01 1417013938
is "$rc" 0 "sam: clear"
like "$T/out" ',sam,,,ctp-verify-sam,verified,SAM,"SAM version' "sam verified"
is "$(sql "SELECT count(*) FROM screen_matches")" 0 "the checks write nothing to screening"
# A match a person confirmed excludes; one cleared no longer counts.
sql "INSERT INTO providers (npi, first_name, last_name, dob, provider_type,
  practice_state, other_names, created_at, updated_at) VALUES
 ('1679576722','Anne','Newname','1990-09-09','NP','WA','Jones, Mary','$now','$now')"
CTP_USER=alice ctp-screen run --as-of 2026-06-01 1770626038 1679576722 >/dev/null
zoe=$(sql "SELECT m.id FROM screen_matches m JOIN providers p ON p.id = m.provider_id WHERE p.npi = '1770626038' AND m.source = 'OIG LEIE'")
anne=$(sql "SELECT m.id FROM screen_matches m JOIN providers p ON p.id = m.provider_id WHERE p.npi = '1679576722' AND m.source = 'OIG LEIE'")
CTP_USER=alice ctp-screen review "$zoe" --confirm --note "OIG letter"
CTP_USER=alice ctp-screen review "$anne" --clear --note "DOB differs on the letter"
CTP_USER=alice run ctp-verify --kind oig --as-of 2026-06-01 1770626038 1679576722
is "$(results)" "1770626038,oig,excluded 1679576722,oig,verified " "confirmed: excluded; cleared: verified"
like "$T/out" '^1770626038,.*,excluded,.*confirmed' "the detail says the match was confirmed"

# ---- the log holds ----
is "$(sql "SELECT count(*) FROM psv_log WHERE json_extract(detail, '\$.program') IS NOT NULL")" \
    "$(sql "SELECT count(*) FROM audit a JOIN psv_log l ON l.id = json_extract(a.detail, '\$.psv') WHERE a.action = 'verify.result'")" \
    "one verify.result event per verifier's PSV entry, naming it"
run ctp-audit verify
is "$rc" 0 "the audit chain holds"

done_testing
