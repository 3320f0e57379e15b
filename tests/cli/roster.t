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
	ok_ 0 "# SKIP no jq"
	ok_ 0 "# SKIP no jq"
fi
run ctp-roster show 1234567893 --json
is "$rc" 65 "show --json of an NPI not on the roster"
is "$(cat "$T/out")" "" "... prints nothing"
done_testing
