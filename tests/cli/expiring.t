#!/bin/sh
# ctp-expiring: buckets at their boundaries, leap days, a 24-month
# organization, CAQH, filters, cross-organization runs, audit, bad input.
. "$(dirname "$0")/lib.sh"

AS_OF=2026-12-01
HDR='org,npi,last_name,first_name,coordinator,kind,detail,due,days_left,bucket'
NOW=2026-01-01T00:00:00Z

q() { if [ "$1" = - ]; then echo NULL; else echo "'$1'"; fi; }

# prov DB ID NPI LAST FIRST STATUS COORD CAQH_ID CAQH_ATTESTED INITIAL LAST
prov() {
	sqlite3 "$1" "INSERT INTO providers (id, npi, last_name, first_name,
	    provider_type, status, coordinator, caqh_id, caqh_attested,
	    initial_cred_date, last_recred_date, created_at, updated_at)
	    VALUES ($2, '$3', '$4', '$5', 'MD', '$6', $(q "$7"), $(q "$8"),
	    $(q "$9"), $(q "${10}"), $(q "${11}"), '$NOW', '$NOW')"
}

# cred DB PROVIDER_ID KIND STATE NUMBER EXPIRES [STATUS]
cred() {
	sqlite3 "$1" "INSERT INTO credentials (provider_id, kind, state,
	    number, expires, status, created_at, updated_at)
	    VALUES ($2, '$3', $(q "$4"), $(q "$5"), $(q "$6"),
	    '${7:-active}', '$NOW', '$NOW')"
}

audits() { sqlite3 "${1:-$CTP_DB}" "SELECT count(*) FROM audit"; }
reads() {
	sqlite3 "${1:-$CTP_DB}" \
	    "SELECT count(*) FROM audit WHERE action = 'expiring.read'"
}
# $T/out (CSV) as rows of fields separated by |, header dropped.
rows() {
	python3 -c 'import csv, sys
for r in list(csv.reader(sys.stdin))[1:]: print("|".join(r))' <"$T/out"
}
# The row of NPI $1 whose kind or detail holds $2.
row() { rows | grep -F "|$1|" | grep -F "$2" | head -1; }
# Fields $1 of every row.
col() { rows | cut -d'|' -f"$1"; }

# --- organization A: 36 months, default thresholds ----------------------
A=$T/a.db
CTP_DB=$A
ctp-init --name "Alpha Clinic" >/dev/null
ctp-user add alice --role coordinator >/dev/null
ctp-user add bob --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null
# Required credentials are organization D's subject, below.
ctp-org require MD none >/dev/null
# 1: boundaries on credentials; CAQH due in 12 days; recred far off
prov "$A" 1 1000000001 Adams Ann active alice 11111111 2026-08-15 \
    2025-06-01 -
cred "$A" 1 state_license CA A123456 2026-12-31	# 30 days: bucket 30
cred "$A" 1 dea - FA1234563 2027-01-01		# 31 days: bucket 60
cred "$A" 1 board_cert - ABIM-77 2026-11-30	# yesterday: overdue
cred "$A" 1 malpractice - POL-9 2026-12-01	# today: bucket 30
cred "$A" 1 cme - - 2027-03-31			# 120 days: bucket 120
sqlite3 "$A" "UPDATE credentials SET issuer = 'ACCME' WHERE kind = 'cme'"
cred "$A" 1 cds TX C-1 2027-04-01		# 121 days: not listed
cred "$A" 1 hospital_privileges - HP-1 2027-01-30	# 60 days: 60
cred "$A" 1 state_license NV B-2 2027-01-31	# 61 days: 90
cred "$A" 1 state_license AZ R-3 2026-12-05 retired
cred "$A" 1 board_cert - LIFETIME ""		# no expiration: not listed
# 2 inactive, 3 excluded: left out
prov "$A" 2 1000000002 Baker Bill inactive alice - - 2023-01-01 -
cred "$A" 2 state_license CA I-1 2026-12-10
prov "$A" 3 1000000003 Clark Cara excluded alice - - 2023-01-01 -
cred "$A" 3 state_license CA X-1 2026-12-10
# 4 pending: listed
prov "$A" 4 1000000004 Diaz Dora pending alice - - - -
cred "$A" 4 state_license CA P-1 2026-12-15
# 5: re-credentialed on a leap day: 2024-02-29 + 36 months = 2027-02-28
prov "$A" 5 1000000005 Evans Eve active bob - - 2020-01-10 2024-02-29
# 6: CAQH attested long ago, but a later attestation record wins
prov "$A" 6 1000000006 Fox Finn active bob 66666666 2026-06-01 - -
cred "$A" 6 caqh_attestation - - 2027-01-15
# 7: initial credentialing only, overdue re-credentialing
prov "$A" 7 1000000007 Gray Gus active - - - 2023-11-15 -

run ctp-expiring --db "$A" --as-of $AS_OF
is "$rc" 0 "listing exits 0"
is "$(head -1 "$T/out")" "$HDR" "header names the columns"
is "$(row 1000000001 state_license | cut -d'|' -f7-)" \
    "CA state_license A123456|2026-12-31|30|30" "exactly 30 days: bucket 30"
is "$(row 1000000001 dea | cut -d'|' -f7-)" \
    "dea FA1234563|2027-01-01|31|60" "31 days: bucket 60" 
is "$(row 1000000001 board_cert | cut -d'|' -f7-)" \
    "board_cert ABIM-77|2026-11-30|-1|overdue" "expired yesterday: overdue"
is "$(row 1000000001 malpractice | cut -d'|' -f7-)" \
    "malpractice POL-9|2026-12-01|0|30" "expires today: bucket 30"
is "$(row 1000000001 cme | cut -d'|' -f7-)" "cme ACCME|2027-03-31|120|120" \
    "120 days: bucket 120; without a number, the issuer"
is "$(row 1000000001 hospital_privileges | cut -d'|' -f7-)" \
    "hospital_privileges HP-1|2027-01-30|60|60" "60 days: bucket 60"
is "$(row 1000000001 B-2 | cut -d'|' -f8-)" "2027-01-31|61|90" \
    "61 days: bucket 90"
unlike "$T/out" 'cds' "121 days is past the default window"
unlike "$T/out" 'R-3' "retired credentials are left out"
unlike "$T/out" 'LIFETIME' "a credential without an expiration is left out"
is "$(cat "$T/err")" "" "nothing on stderr"
unlike "$T/out" '1000000002|1000000003' \
    "inactive and excluded providers are left out"
is "$(row 1000000004 state_license | cut -d'|' -f3-6)" \
    'Diaz|Dora|alice|state_license' "pending providers are listed"
is "$(row 1000000005 recred | cut -d'|' -f6-)" \
    'recred|recredentialed 2024-02-29 + 36 months|2027-02-28|89|90' \
    "leap day + 36 months is 2027-02-28"
is "$(row 1000000007 recred | cut -d'|' -f5-)" \
    '|recred|initial 2023-11-15 + 36 months|2026-11-15|-16|overdue' \
    "no re-credentialing yet: initial date + 36 months, overdue"
is "$(row 1000000004 recred | cut -d'|' -f6-)" \
    'recred|no initial or re-credentialing date|||unknown' \
    "neither date: a recred item with no date, bucket unknown"
is "$(row 1000000001 caqh | cut -d'|' -f6-)" \
    'caqh|CAQH 11111111 attested 2026-08-15 + 120 days|2026-12-13|12|30' \
    "CAQH due 120 days after the attestation"
is "$(row 1000000006 caqh | cut -d'|' -f6-)" \
    'caqh|CAQH 66666666 attestation record|2027-01-15|45|60' \
    "a later CAQH attestation record wins"
unlike "$T/out" 'caqh_attestation' \
    "attestation records are not listed twice"
is "$(col 6 | grep -c recred)" 4 "recred far off is not listed"
# Sorted by due date (none first), then provider.
col 8 >"$T/dues"
ok "sorted by due date" sort -c "$T/dues"
is "$(rows | sed -n 1,2p | cut -d'|' -f2,6,10 | tr '\n' ' ')" \
    "1000000004|recred|unknown 1000000006|recred|unknown " \
    "no date first, by provider"
is "$(rows | sed -n 3p | cut -d'|' -f2,6)" "1000000007|recred" \
    "then the earliest due"
is "$(rows | grep -F '|2026-12-01|' | cut -d'|' -f2 | tr '\n' ' ')" \
    "1000000001 " "one item due today"
is "$(rows | wc -l | tr -d " ")" 14 "14 items within 120 days"

run ctp-expiring --db "$A" --as-of $AS_OF --within 121 --kind cds
is "$(rows | cut -d'|' -f6,9,10)" "cds|121|later" \
    "--within past the largest threshold: bucket later"

run ctp-expiring --db "$A" --as-of $AS_OF --overdue
is "$(rows | cut -d'|' -f10 | sort -u | tr '\n' ' ')" "overdue unknown " \
    "--overdue: what is overdue, and what has no date"
is "$(sed 1d "$T/out" | wc -l | tr -d ' ')" 4 "--overdue: four items"

run ctp-expiring --db "$A" --as-of $AS_OF --within 30
is "$(sed 1d "$T/out" | wc -l | tr -d ' ')" 8 "--within 30: eight items"
is "$(col 9 | sort -n | tail -1)" 30 "--within 30 leaves out day 31"

run ctp-expiring --db "$A" --as-of $AS_OF --within 0
is "$(rows | cut -d'|' -f9 | tr '\n' ' ')" "  -16 -1 0 " \
    "--within 0: no date, overdue and today"

run ctp-expiring --db "$A" --as-of $AS_OF --kind recred --kind caqh
is "$(rows | cut -d'|' -f6 | sort -u | tr '\n' ' ')" \
    "caqh recred " "--kind repeats"
run ctp-expiring --db "$A" --as-of $AS_OF --kind caqh_attestation
is "$(rows | cut -d'|' -f6 | sort -u)" caqh \
    "--kind caqh_attestation is the caqh item"
run ctp-expiring --db "$A" --as-of $AS_OF --kind dea --kind state_license
unlike "$T/out" 'unknown' "--kind without recred: no undated recred item"

CTP_USER=alice run ctp-expiring --db "$A" --as-of $AS_OF --mine
is "$rc" 0 "--mine as alice"
is "$(rows | cut -d'|' -f5 | sort -u)" alice "--mine: alice's only"
is "$(sed 1d "$T/out" | wc -l | tr -d ' ')" 10 "--mine: alice's ten items"
run ctp-expiring --db "$A" --as-of $AS_OF --coordinator bob
is "$(rows | cut -d'|' -f2 | sort -u | tr '\n' ' ')" \
    "1000000005 1000000006 " "--coordinator bob: bob's providers"
CTP_USER=sam run ctp-expiring --db "$A" --as-of $AS_OF
is "$rc" 0 "an auditor may read the inbox"

run ctp-expiring --db "$A" --as-of $AS_OF --json --kind board_cert
is "$(cat "$T/out")" \
    '{"org":"Alpha Clinic","npi":"1000000001","last_name":"Adams","first_name":"Ann","coordinator":"alice","kind":"board_cert","detail":"board_cert ABIM-77","due":"2026-11-30","days_left":-1,"bucket":"overdue"}' \
    "--json: JSON Lines, days_left a number"
run ctp-expiring --db "$A" --as-of $AS_OF --json --kind recred --coordinator alice
is "$(head -1 "$T/out")" \
    '{"org":"Alpha Clinic","npi":"1000000004","last_name":"Diaz","first_name":"Dora","coordinator":"alice","kind":"recred","detail":"no initial or re-credentialing date","due":null,"days_left":null,"bucket":"unknown"}' \
    "--json: an item without a date has null due and days_left"

run ctp-expiring --db "$A" --as-of $AS_OF --fail-if-any
is "$rc" 1 "--fail-if-any: exit 1 when anything is listed"
run ctp-expiring --db "$A" --as-of $AS_OF --fail-if-any --kind cds --within 30
is "$rc" 0 "--fail-if-any: exit 0 when nothing is listed"
is "$(cat "$T/out")" "" "--fail-if-any: nothing listed, nothing printed"
run ctp-expiring --db "$A" --as-of $AS_OF --kind cds --within 30
is "$(cat "$T/out")" "$HDR" "an empty listing is the header alone"

# Audit: one auth and one expiring.read per run, with the parameters.
n0=$(audits "$A")
run ctp-expiring --db "$A" --as-of $AS_OF --within 60 --kind dea
is "$(audits "$A")" $((n0 + 2)) "a run writes auth and expiring.read"
is "$(sqlite3 "$A" "SELECT detail FROM audit ORDER BY seq DESC LIMIT 1")" \
    '{"as_of":"2026-12-01","coordinator":null,"items":1,"kinds":"dea","overdue":false,"within":60}' \
    "expiring.read carries the parameters and the item count"

# Without --as-of: today in the organization's time zone.
ctp-org set timezone Pacific/Kiritimati >/dev/null
run ctp-expiring --db "$A" --kind cds --within 0
is "$rc" 0 "without --as-of"
is "$(sqlite3 "$A" "SELECT json_extract(detail, '$.as_of') FROM audit
    WHERE action = 'expiring.read' ORDER BY seq DESC LIMIT 1")" \
    "$(TZ=Pacific/Kiritimati date +%Y-%m-%d)" \
    "today is taken in the organization's time zone"

# --- organization B: 24 months, CAQH every 90 days ----------------------
B=$T/b.db
CTP_DB=$B
ctp-init --name "Bravo Hospital Group" >/dev/null
ctp-user add alice --role coordinator >/dev/null
ctp-org set recred_months 24 >/dev/null
ctp-org set caqh_attest_days 90 >/dev/null
prov "$B" 1 2000000001 Hall Hana active alice 22222222 2026-09-02 \
    2020-01-01 2024-12-31
prov "$B" 2 2000000002 Ives Ian active alice - - 2024-02-29 -
run ctp-expiring --db "$B" --as-of $AS_OF
is "$(row 2000000001 recred | cut -d'|' -f7-)" \
    'recredentialed 2024-12-31 + 24 months|2026-12-31|30|30' \
    "24-month organization: due 24 months on"
is "$(row 2000000002 recred | cut -d'|' -f8-)" "2026-02-28|-276|overdue" \
    "leap day + 24 months is 2026-02-28"
is "$(row 2000000001 caqh | cut -d'|' -f8-)" "2026-12-01|0|30" \
    "CAQH every 90 days: due on the 90th day"
ctp-org set inbox_thresholds 45,15 >/dev/null
run ctp-expiring --db "$B" --as-of $AS_OF
is "$(row 2000000001 recred | cut -d'|' -f9-)" "30|45" \
    "the organization's own thresholds make the buckets"
is "$(col 9 | sort -n | tail -1)" 30 "--within defaults to the largest"

# --- organization C: alice has no seat ----------------------------------
C=$T/c.db
CTP_DB=$C
ctp-init --name "Charlie Partners" >/dev/null
prov "$C" 1 3000000001 Jones Jo active - - - - -
cred "$C" 1 dea - X 2026-12-02
CTP_DB=$T/none.db

na=$(audits "$A") nb=$(audits "$B") nc=$(audits "$C")
ra=$(reads "$A") rb=$(reads "$B")
CTP_USER=alice run ctp-expiring --db "$A" --db "$C" --db "$B" --as-of $AS_OF
is "$rc" 77 "cross-organization: exit 77 with one organization refusing"
like "$T/err" "c\.db.*permission denied" "stderr names the refused organization"
is "$(rows | cut -d'|' -f1 | sort -u | tr '\n' '|')" \
    "Alpha Clinic|Bravo Hospital Group|" "rows from the readable organizations"
unlike "$T/out" "Charlie" "no rows from the refused organization"
col 8 >"$T/dues"
ok "cross-organization rows sorted by due date" sort -c "$T/dues"
is "$(reads "$A")" $((ra + 1)) "expiring.read written in A"
is "$(reads "$B")" $((rb + 1)) "expiring.read written in B"
is "$(audits "$A")" $((na + 2)) "A: auth and read, nothing else"
is "$(audits "$B")" $((nb + 2)) "B: auth and read, nothing else"
is "$(reads "$C")" 0 "no read event in the refused organization"
is "$(sqlite3 "$C" "SELECT action FROM audit ORDER BY seq DESC LIMIT 1")" \
    auth.denied "the refusal is logged in its own organization"
is "$(audits "$C")" $((nc + 1)) "C: the refusal only"

na=$(audits "$A")
run ctp-expiring --db "$A" --db "$A" --as-of $AS_OF --kind dea
is "$(rows | wc -l | tr -d ' ')" 1 "an organization named twice is read once"
is "$(audits "$A")" $((na + 2)) "... and audited once"

mkdir "$T/orgs"
cp "$A" "$T/orgs/a.db"
cp "$C" "$T/orgs/c.db"
echo not a database >"$T/orgs/notes.txt"
CTP_USER=alice run ctp-expiring --db "$T/orgs" --as-of $AS_OF
is "$rc" 77 "--db DIR, one organization without a seat: exit 77 (cron notices)"
is "$(rows | cut -d'|' -f1 | sort -u)" "Alpha Clinic" \
    "--db DIR: rows from the readable one"
CTP_USER=alice ctp-expiring --db "$A" --as-of $AS_OF >"$T/alone"
is "$(sed 1d "$T/out" | wc -l | tr -d ' ')" "$(sed 1d "$T/alone" | wc -l | tr -d ' ')" \
    "--db DIR: every row of the readable one, listed before the exit"
like "$T/err" "orgs/c\.db: .*permission denied" "--db DIR: the refused one named"
is "$(wc -l <"$T/err" | tr -d ' ')" 1 "--db DIR: one line on stderr"
CTP_USER=alice run ctp-expiring --db "$T/orgs" --as-of $AS_OF --fail-if-any
is "$rc" 77 "--db DIR --fail-if-any: the refusal wins over exit 1"

nc=$(audits "$C")
CTP_USER=alice run ctp-expiring --db "$C" --as-of $AS_OF
is "$rc" 77 "exit 77 when no organization could be read"
like "$T/err" "permission denied" "refusal explained"
is "$(cat "$T/out")" "" "nothing on stdout"
is "$(audits "$C")" $((nc + 1)) "the refusal is logged"
CTP_USER=mallory run ctp-expiring --db "$A" --db "$C" --as-of $AS_OF
is "$rc" 77 "exit 77 when every organization refuses"

# --- organization D: what the provider type requires, through the real
# programs; names in their own columns --------------------------------------
D=$T/d.db
CTP_DB=$D
ctp-init --name "Delta Care" >/dev/null
ctp-import --as-of $AS_OF "$FIXTURES/import/clean.csv" 2>/dev/null
ctp-roster set 1000005029 last_name "Peña" >/dev/null
ctp-roster set 1000005029 first_name "María" >/dev/null
run ctp-expiring --as-of $AS_OF --kind missing
is "$rc" 0 "an imported roster with every required credential"
is "$(cat "$T/out")" "$HDR" "... has nothing missing"
# A requirement added later applies to the providers already there.
ctp-org require DO state_license malpractice board_cert cds >/dev/null
# A credential retired leaves its kind missing.
mal=$(sqlite3 "$D" "SELECT c.id FROM credentials c JOIN providers p
    ON p.id = c.provider_id WHERE p.npi = '1000005011'
    AND c.kind = 'malpractice'")
ctp-credential retire "$mal" --note "carrier left the state" >/dev/null
# An inactive provider's gaps are nobody's business.
ctp-roster set 1000005037 status inactive >/dev/null
sqlite3 "$D" "UPDATE credentials SET status = 'retired' WHERE provider_id =
    (SELECT id FROM providers WHERE npi = '1000005037')"
run ctp-expiring --as-of $AS_OF
is "$rc" 0 "listing with missing credentials"
is "$(rows | grep -F '|missing|' | cut -d'|' -f2,6- | tr '\n' ' ')" \
    "1000005003|missing|cds required for DO|||missing 1000005011|missing|malpractice required for MD|||missing " \
    "a missing item per kind required and not held, no date, bucket missing"
is "$(rows | sed -n 1,2p | cut -d'|' -f6 | tr '\n' ' ')" "missing missing " \
    "missing items come first"
unlike "$T/out" "1000005037" "an inactive provider's gaps are left out"
run ctp-expiring --as-of $AS_OF --overdue
is "$(rows | grep -c '|missing$')" 2 "--overdue keeps the missing items"
run ctp-expiring --as-of $AS_OF --within 0 --kind missing
is "$(rows | wc -l | tr -d ' ')" 2 "--within 0 --kind missing: both"
run ctp-expiring --as-of $AS_OF --kind state_license --kind recred
unlike "$T/out" "missing" "--kind without missing: none"
run ctp-expiring --as-of $AS_OF --kind missing --fail-if-any
is "$rc" 1 "--fail-if-any counts missing items"
# The roster's own attestation date holds a required CAQH attestation.
ctp-org require LCSW state_license caqh_attestation >/dev/null
run ctp-expiring --as-of $AS_OF --kind missing
unlike "$T/out" "1000005052" "a CAQH attestation date on the roster holds it"
ctp-roster set 1000005052 caqh_attested "" >/dev/null
run ctp-expiring --as-of $AS_OF --kind missing
is "$(row 1000005052 missing | cut -d'|' -f7)" \
    "caqh_attestation required for LCSW" "without one, it is missing"
# Neither credentialing date: a recred item with no date, first.
ctp-roster set 1000005045 initial_cred_date "" >/dev/null
ctp-roster set 1000005045 last_recred_date "" >/dev/null
run ctp-expiring --as-of $AS_OF --kind recred --within 0
is "$(rows | sed -n 1p | cut -d'|' -f2,6-)" \
    "1000005045|recred|no initial or re-credentialing date|||unknown" \
    "a provider never credentialed is in the inbox, due with no date"
# One value per column: a name is two columns, and cut and awk see the
# same fields on every row as a CSV reader does.
run ctp-expiring --as-of $AS_OF
is "$(head -1 "$T/out" | cut -d, -f3,4)" "last_name,first_name" \
    "header: last_name, first_name"
is "$(grep -F 1000005029 "$T/out" | cut -d, -f3,4 | sort -u)" "Peña,María" \
    "cut -d, -f3,4 gives the name"
is "$(awk -F, '{ print NF }' "$T/out" | sort -u)" 10 \
    "awk -F, sees ten fields on every row"
is "$(rows | awk -F'|' '{ print NF }' | sort -u)" 10 \
    "as a CSV reader does"

# A date that is no date is skipped and counted, in the singular too.
sqlite3 "$D" "UPDATE providers SET last_recred_date = '2023-02-30'
    WHERE npi = '1000005003'"
run ctp-expiring --as-of $AS_OF --kind recred
is "$rc" 0 "a bad stored date: still listed"
like "$T/err" 'd\.db: 1 row skipped: a date that is not a date' \
    "a count of one reads 1 row"

# --- bad input: exit 2, the reason, nothing written ---------------------
CTP_DB=$A
n0=$(audits "$A")
run ctp-expiring --kind licence
is "$rc" 2 "unknown kind: exit 2"
like "$T/err" "--kind: unknown kind: licence" "unknown kind: the reason"
run ctp-expiring --within -5
is "$rc" 2 "negative --within: exit 2"
like "$T/err" "--within: must be a whole number of days from 0 to 3650" \
    "negative --within: the reason"
run ctp-expiring --within 3651
is "$rc" 2 "absurd --within: exit 2"
like "$T/err" "--within: must be" "absurd --within: the reason"
run ctp-expiring --within 12x
is "$rc" 2 "--within not a number: exit 2"
run ctp-expiring --as-of 2026-02-30
is "$rc" 2 "--as-of not a date: exit 2"
like "$T/err" "--as-of: not a date" "--as-of: the reason"
run ctp-expiring --mine --coordinator bob
is "$rc" 2 "--mine with --coordinator: exit 2"
like "$T/err" "exclude each other" "--mine with --coordinator: the reason"
run ctp-expiring extra
is "$rc" 2 "an operand: exit 2"
like "$T/err" "^usage: ctp-expiring" "usage shown"
is "$(audits "$A")" "$n0" "bad input writes nothing"
run ctp-expiring --db ""
is "$rc" 2 "an empty --db: exit 2"
like "$T/err" "--db: empty path" "an empty --db: the reason"
run ctp-expiring --db "$T/empty-dir-missing"
is "$rc" 66 "a missing database: exit 66"
mkdir "$T/empty"
run ctp-expiring --db "$T/empty"
is "$rc" 66 "a directory without *.db: exit 66"
like "$T/err" "no \*\.db files" "a directory without *.db: the reason"

cp "$A" "$T/new.db"
sqlite3 "$T/new.db" "PRAGMA user_version = 99"
n0=$(audits "$T/new.db")
run ctp-expiring --db "$T/new.db" --as-of $AS_OF
is "$rc" 65 "a newer schema: exit 65"
like "$T/err" "new\.db: database schema version 99 is newer" \
    "a newer schema: the same refusal as everywhere"
is "$(audits "$T/new.db")" "$n0" "a newer schema: nothing written"

run ctp-expiring --help
is "$rc" 0 "--help exits 0"
like "$T/out" "^usage: ctp-expiring" "--help on stdout"
run ctp-expiring --version
like "$T/out" "^ctp-expiring [0-9]" "--version"

done_testing
