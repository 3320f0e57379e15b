#!/bin/sh
# ctp-roster: list and its filters, show, set with history and audit,
# validation of set, roles, export.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/import
new_org
ctp-user add alice --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null
ctp-import --as-of 2026-12-01 "$F/clean.csv" 2>/dev/null
N=1000005011

run ctp-roster list
is "$rc" 0 "list exits 0"
is "$(head -1 "$T/out")" "npi,last_name,first_name,provider_type,practice_state,coordinator,status,caqh_id,last_recred_date" \
	"list header"
is "$(sed 1d "$T/out" | wc -l | tr -d ' ')" 6 "six providers"
run ctp-roster list --type np
is "$(sed 1d "$T/out" | cut -d, -f4 | sort -u)" NP "--type filters (case folded)"
run ctp-roster list --state dc
is "$(sed 1d "$T/out" | cut -d, -f1)" 1000005003 "--state filters"
run ctp-roster list --coordinator maria --status active
is "$(sed 1d "$T/out" | cut -d, -f6 | sort -u)" maria "--coordinator filters"
run ctp-roster list --type XYZ
is "$rc" 2 "unknown type is a usage error"
run ctp-roster list --status bogus
is "$rc" 2 "unknown status is a usage error"
like "$T/err" '^ctp-roster: --status: must be active, inactive, pending or excluded$' \
	"it says which are known"
is "$(cat "$T/out")" "" "and lists nothing"
run ctp-roster list --status ACTIVE
is "$(sed 1d "$T/out" | wc -l | tr -d ' ')" 6 "--status is case folded"
run ctp-roster list --json
like "$T/out" '^\{"npi":"[0-9]{10}","last_name":' "JSON Lines"
CTP_USER=sam run ctp-roster list
is "$rc" 0 "an auditor may list"

run ctp-roster show $N
is "$rc" 0 "show exits 0"
like "$T/out" "^last_name,Torres$" "show has the fields"
like "$T/out" '^credential\.[0-9]+,"?state_license WI3455413 WI expires' "show has the credentials"
run ctp-roster show 1234567893
is "$rc" 65 "show of an NPI not on the roster"
like "$T/err" "^ctp-roster: 1234567893: not on the roster$" "message"

# set: history row, audit event, normalization, no-op.
n=$(count audit)
CTP_USER=alice run ctp-roster set $N dob 10/21/1973 --note "from the application"
is "$rc" 0 "set to the same date in another form exits 0"
is "$(count history)" 0 "same value: no history"
CTP_USER=alice run ctp-roster set $N last_name Travis --note "married name"
is "$rc" 0 "set exits 0"
is "$(sqlite3 "$CTP_DB" "SELECT field, old_value, new_value, actor, source, note FROM history")" \
	"last_name|Torres|Travis|alice|ctp-roster|married name" "history row"
is "$(sqlite3 "$CTP_DB" "SELECT actor, obj_id, detail FROM audit WHERE action = 'roster.set'")" \
	'alice|1000005011|{"field":"last_name","source":"ctp-roster"}' "audit event without values"
run ctp-roster history $N
like "$T/out" ",alice,last_name,Torres,Travis,,ctp-roster,married name$" "history lists it"
CTP_USER=alice run ctp-roster set $N suffix ""
is "$(sqlite3 "$CTP_DB" "SELECT suffix IS NULL FROM providers WHERE npi = '$N'")" 1 "empty value clears"
CTP_USER=alice run ctp-roster set $N practice_state wi
is "$(count history)" 2 "state in lower case is the same state"
CTP_USER=alice run ctp-roster set $N status excluded
is "$rc" 0 "status excluded"
is "$(sqlite3 "$CTP_DB" "SELECT status FROM providers WHERE npi = '$N'")" excluded "status stored"

h=$(count history)
for bad in "status gone|status: must be active, inactive, pending or excluded" \
    "dob 1973-02-30|dob: not a real date" "npi 1234567893|npi: unknown field" \
    "taxonomy 363L00000X|taxonomy: does not fit the provider type" \
    "provider_type NP|provider_type: does not fit the provider's taxonomy" \
"practice_state XX|practice_state: not a USPS state code" \
    "shoe_size 9|shoe_size: unknown field"; do
	args=${bad%%|*}
	msg=${bad#*|}
	CTP_USER=alice run ctp-roster set $N $args
	is "$rc" 65 "set $args refused"
	like "$T/err" "^ctp-roster: $msg" "message: $msg"
done
CTP_USER=alice run ctp-roster set $N last_name ""
is "$rc" 65 "empty last name refused"
is "$(count history)" "$h" "refused sets write nothing"
CTP_USER=sam run ctp-roster set $N phone 2175550100
is "$rc" 77 "an auditor may not set"
is "$(count history)" "$h" "nothing written"
CTP_USER=alice run ctp-roster set $N phone "(217) 555-0100"
is "$(sqlite3 "$CTP_DB" "SELECT phone FROM providers WHERE npi = '$N'")" 217-555-0100 "phone normalized"

# practice_state: the provider holds a license there, as ctp-import asks.
h=$(count history)
CTP_USER=alice run ctp-roster set $N practice_state IL
is "$rc" 65 "a practice state without a license there: exit 65"
like "$T/err" "^ctp-roster: practice_state: no active license in that state \(add it with ctp-credential add --kind state_license\)$" \
	"says what is missing"
is "$(sqlite3 "$CTP_DB" "SELECT practice_state FROM providers WHERE npi = '$N'")|$(count history)" \
	"WI|$h" "nothing written"
CTP_USER=alice ctp-credential add $N --kind state_license --number 036.123456 --state IL --expires 2028-11-30 >/dev/null
CTP_USER=alice run ctp-roster set $N practice_state IL
is "$rc|$(sqlite3 "$CTP_DB" "SELECT practice_state FROM providers WHERE npi = '$N'")" "0|IL" \
	"with an Illinois license it is accepted"

# coordinator: a user of the organization who works the roster.
ctp-user add olga --role admin >/dev/null
ctp-user invite nina --role coordinator >/dev/null
ctp-user add dora --role coordinator >/dev/null
ctp-user disable dora >/dev/null
h=$(count history)
for u in bob sam dora; do
	CTP_USER=alice run ctp-roster set $N coordinator $u
	is "$rc" 65 "coordinator $u refused"
	like "$T/err" "^ctp-roster: coordinator: not a user who works the roster \(a coordinator, admin or owner; see ctp-user list\)$" \
		"message for $u, without the name"
done
is "$(sqlite3 "$CTP_DB" "SELECT coordinator FROM providers WHERE npi = '$N'")|$(count history)" \
	"priya|$h" "refused: nothing written"
for u in alice olga nina root; do
	CTP_USER=alice run ctp-roster set $N coordinator $u
	is "$rc|$(sqlite3 "$CTP_DB" "SELECT coordinator FROM providers WHERE npi = '$N'")" "0|$u" \
		"coordinator $u accepted"
done
CTP_USER=alice run ctp-roster set $N coordinator ""
is "$rc|$(sqlite3 "$CTP_DB" "SELECT coordinator IS NULL FROM providers WHERE npi = '$N'")" "0|1" \
	"an empty value clears it"
CTP_USER=alice run ctp-roster set $N coordinator priya --note "back from ctp-import's names"
is "$rc" 65 "a tracker's name that is not a user is refused here"

# Usage
run ctp-roster
is "$rc" 2 "no command"
run ctp-roster show
is "$rc" 2 "show without NPI"
run ctp-roster show $N --type MD
is "$rc" 2 "filters only with list"

# export after changes imports back unchanged
run ctp-roster export
cp "$T/out" "$T/ex.csv"
h=$(count history)
run ctp-import --as-of 2026-12-01 "$T/ex.csv"
is "$rc" 0 "export imports"
like "$T/err" "0 added, 0 updated, 6 unchanged" "round trip after changes"
is "$(count history)" "$h" "no history"

# An exclusion by hand stays until an admin reinstates the provider.
P=1000005029
CTP_USER=alice run ctp-roster set $P status inactive --note "on leave"
CTP_USER=alice run ctp-roster set $P status excluded --note "state board action"
is "$rc" 0 "a coordinator may exclude by hand"
h=$(count history)
ev=$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action LIKE 'roster.%'")
same() { # DESC
	is "$(sqlite3 "$CTP_DB" "SELECT status FROM providers WHERE npi = '$P'")|$(count history)|$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action LIKE 'roster.%'")" \
	    "excluded|$h|$ev" "$1"
}
CTP_USER=alice run ctp-roster set $P status active
is "$rc" 65 "set status of an excluded provider: exit 65"
like "$T/err" "^ctp-roster: status: provider is excluded; an admin reinstates with ctp-roster reinstate $P --note TEXT$" \
	"says how it ends"
same "refused: nothing written"
run ctp-roster export
sed "s/^\($P,.*\),excluded,/\1,active,/" "$T/out" >"$T/old.csv"
ev=$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action LIKE 'roster.%'")
run ctp-import --as-of 2026-12-01 "$T/old.csv"
is "$rc" 1 "an import row that would end the exclusion is rejected"
like "$T/err" "old.csv:4: status: provider is excluded; an admin reinstates with ctp-roster reinstate $P --note TEXT$" \
	"the row's message says how it ends"
same "rejected: nothing written"
for u in alice sam; do
	CTP_USER=$u run ctp-roster reinstate $P --note "board lifted it"
	is "$rc" 77 "$u may not reinstate"
done
same "refused reinstatements: nothing written"
run ctp-roster reinstate $P
is "$rc" 2 "reinstate without --note: usage error"
run ctp-roster reinstate $P --note "board order of 2026-11-30 lifts it"
is "$rc" 0 "the owner reinstates"
is "$(sqlite3 "$CTP_DB" "SELECT status FROM providers WHERE npi = '$P'")" inactive \
	"the status from before the exclusion is back"
is "$(sqlite3 "$CTP_DB" "SELECT field, old_value, new_value, actor, source, note FROM history WHERE id > (SELECT max(id) - 1 FROM history)")" \
	"status|excluded|inactive|root|ctp-roster|board order of 2026-11-30 lifts it" "a history row with the reason"
is "$(sqlite3 "$CTP_DB" "SELECT detail FROM audit WHERE action = 'roster.reinstate'")" \
	'{"source":"ctp-roster","status":"inactive"}' "a roster.reinstate audit event"
run ctp-roster reinstate $P --note again
is "$rc" 65 "reinstating a provider who is not excluded"
like "$T/err" "^ctp-roster: status: provider is not excluded$" "says so"
# show --json: one object, the credentials and the history as arrays.
J=1000005003
CTP_USER=alice ctp-roster set $J last_name Jonas --note "court order" >/dev/null
CTP_USER=alice ctp-roster set $J phone 2175550199 >/dev/null
n=$(count audit)
CTP_USER=sam run ctp-roster show $J --json
is "$rc" 0 "show --json exits 0"
is "$(wc -l <"$T/out" | tr -d ' ')" 1 "show --json: one line"
is "$(count audit)" $((n + 2)) "show --json: audited as show is"
cp "$T/out" "$T/show.json"
run python3 -c 'import json, sys
o = json.load(open(sys.argv[1]))
assert isinstance(o, dict), "not one object"
c, h = o["credentials"], o["history"]
assert isinstance(c, list) and isinstance(h, list)
assert all(isinstance(x, dict) for x in c + h)
assert all(isinstance(x["credential_id"], int) for x in c)
assert "id" not in o and "npi" not in c[0]
print(o["npi"], o["last_name"], o["middle_name"], len(c),
    " ".join(sorted(x["kind"] for x in c)),
    " ".join(x["field"] for x in h), h[0]["old_value"], h[0]["note"],
    h[1]["note"])' "$T/show.json"
is "$rc" 0 "show --json: json.load reads one object"
is "$(cat "$T/out")" \
	"1000005003 Jonas None 4 board_cert dea malpractice state_license last_name phone Jones court order None" \
	"show --json: the fields, credentials and history"
if command -v jq >/dev/null 2>&1; then
	is "$(jq -r '.credentials | map(.kind) | sort | join(" ")' "$T/show.json")" \
		"board_cert dea malpractice state_license" "jq .credentials works"
	is "$(jq -r '.history[0] | [.actor, .field, .old_value, .new_value] | join(",")' "$T/show.json")" \
		"alice,last_name,Jones,Jonas" "jq .history works"
else
	skip "jq .credentials works" "no jq"
	skip "jq .history works" "no jq"
fi
run ctp-roster show 1234567893 --json
is "$rc" 65 "show --json of an NPI not on the roster"
is "$(cat "$T/out")" "" "... prints nothing"
done_testing
