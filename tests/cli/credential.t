#!/bin/sh
# ctp-credential: list, add (validated), set with history, retire; roles.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/import
new_org
ctp-user add alice --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null
ctp-import --as-of 2026-12-01 "$F/clean.csv" 2>/dev/null
N=1000005011	# MD Torres, WI

run ctp-credential list $N
is "$rc" 0 "list exits 0"
is "$(head -1 "$T/out")" "credential_id,npi,kind,number,state,issuer,issued,expires,verification,status,updated_at" "header"
is "$(sed 1d "$T/out" | cut -d, -f3 | tr '\n' ' ')" "board_cert dea malpractice state_license " "imported credentials"
run ctp-credential list
is "$(sed 1d "$T/out" | wc -l | tr -d ' ')" 20 "every provider's"
CTP_USER=sam run ctp-credential list --json $N
is "$rc" 0 "an auditor may list"
like "$T/out" '^\{"credential_id":[0-9]+,"npi":"1000005011","kind":"board_cert"' "JSON Lines"

c=$(count credentials)
h=$(count history)
CTP_USER=alice run ctp-credential add $N --kind cds --number c-123 --state il --issued 01/15/2025 --expires 2027-01-31
is "$rc" 0 "add exits 0"
id=$(cat "$T/out")
is "$(sqlite3 "$CTP_DB" "SELECT kind, number, state, issued, expires, status FROM credentials WHERE id = $id")" \
	"cds|C-123|IL|2025-01-15|2027-01-31|active" "stored normalized"
is "$(sqlite3 "$CTP_DB" "SELECT field, new_value, actor FROM history WHERE credential_id = $id")" \
	"cds|C-123|alice" "history row"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'credential.add' AND obj_id = '$id'")" 1 "audit event"
CTP_USER=alice run ctp-credential add $N --kind dea --number BT1234563 --state WI --expires 2028-01-01
is "$rc" 0 "a valid DEA for Dr Torres"
c=$(count credentials)
h=$(count history)
for bad in "--kind passport --number 1|kind: unknown credential kind" \
    "--kind state_license --number 1 --state XX|state: not a USPS state code" \
    "--kind state_license --number 1|state: required for state_license" \
    "--kind cme --issued 2025-06-01 --expires 2025-01-01|expires: not after the issue date" \
    "--kind cme --expires 2025-02-30|expires: not a real date" \
    "--kind dea --number BT1234564 --state WI|number: check digit fails" \
    "--kind dea --number BS1234563 --state WI|number: second letter is not the initial" \
    "--kind dea --number MT1234563 --state WI|number: registrant type must be A, B, F or G" \
    "--kind state_license --number 1 --state WI|expires: required for state_license" \
    "--kind dea --number BT1234563 --state WI|expires: required for dea" \
    "--kind cds --number 1 --state WI|expires: required for cds" \
    "--kind board_cert --issuer ABIM|expires: required for board_cert" \
    "--kind malpractice --issuer MagMutual|expires: required for malpractice" \
    "--kind caqh_attestation|expires: required for caqh_attestation"; do
	args=${bad%%|*}
	msg=${bad#*|}
	CTP_USER=alice run ctp-credential add $N $args
	is "$rc" 65 "add $args refused"
	like "$T/err" "^ctp-credential: $msg" "message: $msg"
done
CTP_USER=alice run ctp-credential add 1234567893 --kind cme
is "$rc" 65 "NPI not on the roster"
is "$(count credentials)/$(count history)" "$c/$h" "refused adds write nothing"
CTP_USER=sam run ctp-credential add $N --kind cme --expires 2027-01-01
is "$rc" 77 "an auditor may not add"
is "$(count credentials)" "$c" "nothing written"
CTP_USER=alice run ctp-credential add $N --kind cme --issuer ACCME
is "$rc" 0 "a kind that does not expire needs no expiration date"

# A DEA number belongs to one provider.
CTP_USER=alice run ctp-credential add $N --kind dea --number A91234563 --state WI --expires 2028-01-01
is "$rc" 0 "a DEA number for Dr Torres"
c=$(count credentials)
h=$(count history)
B=1000005037	# MD Baker, NC
CTP_USER=alice run ctp-credential add $B --kind dea --number a91234563 --state NC --expires 2028-01-01
is "$rc" 65 "the same DEA number for another provider: exit 65"
is "$(cat "$T/err")" "ctp-credential: number: held by another provider (NPI $N)" \
	"the message names the other provider, never the number"
bdea=$(sqlite3 "$CTP_DB" "SELECT c.id FROM credentials c JOIN providers p ON p.id = c.provider_id WHERE p.npi = '$B' AND c.kind = 'dea'")
CTP_USER=alice run ctp-credential set "$bdea" number A91234563
is "$rc" 65 "set to another provider's DEA number: exit 65"
like "$T/err" "^ctp-credential: number: held by another provider \(NPI $N\)$" "the same message"
is "$(count credentials)/$(count history)" "$c/$h" "refused: nothing written"
tdea=$(sqlite3 "$CTP_DB" "SELECT max(id) FROM credentials WHERE kind = 'dea'")
CTP_USER=alice run ctp-credential retire "$tdea" --note "surrendered"
CTP_USER=alice run ctp-credential add $B --kind dea --number A91234563 --state NC --expires 2028-01-01
is "$rc" 0 "a retired registration's number is free"

# A credential's state is a USPS code on every path.
c=$(count credentials)
h=$(count history)
CTP_USER=alice run ctp-credential set "$bdea" state ZZ
is "$rc" 65 "set state ZZ: exit 65"
like "$T/err" "^ctp-credential: state: not a USPS state code or state name \\(see ctp-import\\(1\\)\\)$" "says so"
is "$(count credentials)/$(count history)" "$c/$h" "nothing written"

CTP_USER=alice run ctp-credential set $id expires 2028-01-31 --note "renewed"
is "$rc" 0 "set exits 0"
is "$(sqlite3 "$CTP_DB" "SELECT field, old_value, new_value, note FROM history WHERE credential_id = $id ORDER BY id DESC LIMIT 1")" \
	"cds.expires|2027-01-31|2028-01-31|renewed" "set history"
h=$(count history)
CTP_USER=alice run ctp-credential set $id expires 01/31/2028
is "$(count history)" "$h" "same date: no history"
CTP_USER=alice run ctp-credential set $id issued 2029-01-01
is "$rc" 65 "issue after expiry refused"
h=$(count history)
CTP_USER=alice run ctp-credential set $id expires ""
is "$rc" 65 "an expiring kind cannot lose its expiration date"
like "$T/err" "^ctp-credential: expires: required for cds$" "says so"
is "$(sqlite3 "$CTP_DB" "SELECT expires FROM credentials WHERE id = $id")|$(count history)" \
	"2028-01-31|$h" "nothing written"
CTP_USER=alice run ctp-credential set $id color blue
is "$rc" 65 "unknown field"
CTP_USER=alice run ctp-credential set $id verification verified
is "$(sqlite3 "$CTP_DB" "SELECT verification FROM credentials WHERE id = $id")" verified "verification"
# A verification follows its value: a changed value is unverified again.
h=$(count history)
CTP_USER=alice run ctp-credential set $id expires 2028-01-31
is "$(sqlite3 "$CTP_DB" "SELECT verification FROM credentials WHERE id = $id")|$(count history)" \
	"verified|$h" "the same value: still verified, nothing written"
CTP_USER=alice run ctp-credential set $id expires 2029-01-31 --note "renewal card"
is "$rc" 0 "a new expiration date"
is "$(sqlite3 "$CTP_DB" "SELECT verification FROM credentials WHERE id = $id")" unverified \
	"a verified credential whose expiry changed is unverified"
is "$(sqlite3 "$CTP_DB" "SELECT field, old_value, new_value, actor, source, note FROM history WHERE credential_id = $id ORDER BY id DESC LIMIT 1")" \
	"cds.verification|verified|unverified|alice|ctp-credential|expires changed" \
	"with a history row saying why"
for f in "number C-124" "state WI" "issuer IDFPR" "issued 2025-02-01"; do
	CTP_USER=alice run ctp-credential set $id verification failed
	CTP_USER=alice run ctp-credential set $id $f
	is "$rc|$(sqlite3 "$CTP_DB" "SELECT verification FROM credentials WHERE id = $id")" "0|unverified" \
		"a failed verification is reset too when ${f% *} changes"
	is "$(sqlite3 "$CTP_DB" "SELECT new_value || '|' || note FROM history WHERE credential_id = $id ORDER BY id DESC LIMIT 1")" \
		"unverified|${f% *} changed" "its history row names ${f% *}"
done
CTP_USER=alice run ctp-credential set $id verification verified
CTP_USER=alice run ctp-credential set 99999 expires 2028-01-01
is "$rc" 65 "no such credential"
like "$T/err" "credential 99999: no such credential" "message"

CTP_USER=alice run ctp-credential retire $id --note "moved"
is "$rc" 0 "retire exits 0"
is "$(sqlite3 "$CTP_DB" "SELECT status FROM credentials WHERE id = $id")" retired "retired, not deleted"
is "$(sqlite3 "$CTP_DB" "SELECT field, old_value, new_value, note FROM history WHERE credential_id = $id ORDER BY id DESC LIMIT 1")" \
	"cds.status|active|retired|moved" "retire history"
CTP_USER=alice run ctp-credential set $id expires 2029-01-01
is "$rc" 65 "a retired credential cannot be changed"
run ctp-roster history $N
like "$T/out" ",cds.status,active,retired,$id,ctp-credential,moved$" "ctp-roster history shows credential changes"

run ctp-credential retire abc
is "$rc" 2 "ID must be a number"
run ctp-credential list --kind dea
is "$rc" 2 "add options only with add"
done_testing
