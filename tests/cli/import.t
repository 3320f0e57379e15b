#!/bin/sh
# ctp-import: clean import, every rejection kind, all-or-nothing and
# --partial, --rejects round trip, encodings, header variants, idempotent
# re-import, export round trip, history, kill -9 mid-import.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/import
GEN=$top/scripts/gen-roster
AS="--as-of 2026-12-01"
new_org
ctp-user add sam --role auditor >/dev/null
roster_events() {
	sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action LIKE 'roster.%'"
}

# A clean import.
run ctp-import $AS "$F/clean.csv"
is "$rc" 0 "clean import exits 0"
is "$(count providers)" 6 "six providers"
is "$(count credentials)" 20 "their credentials"
is "$(cat "$T/out")" "" "nothing on stdout"
like "$T/err" "^ctp-import: .*clean.csv: 6 added, 0 updated, 0 unchanged, 0 rejected$" \
	"summary on stderr"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'roster.import'")" 1 \
	"one audit event for the run"
is "$(sqlite3 "$CTP_DB" "SELECT group_concat(value, ' ') FROM audit, json_each(audit.detail, '$.added_npis') WHERE action = 'roster.import'")" \
	"$(sqlite3 "$CTP_DB" "SELECT group_concat(npi, ' ') FROM (SELECT npi FROM providers ORDER BY id)")" \
	"it names every provider added, in file order"
is "$(sqlite3 "$CTP_DB" "SELECT json_extract(detail, '$.added') || ' ' || json_extract(detail, '$.source') FROM audit WHERE action = 'roster.import'")" \
	"6 $F/clean.csv" "with the count and the file"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action LIKE 'roster.%' AND action <> 'roster.import'")" 0 \
	"and no event per provider added"
is "$(sqlite3 "$CTP_DB" "SELECT practice_state, provider_type FROM providers WHERE npi = '1000005003'")" \
	"DC|DO" "DC is a practice state"

# Idempotent: a second run changes nothing.
ev=$(roster_events)
run ctp-import $AS "$F/clean.csv"
is "$rc" 0 "re-import exits 0"
like "$T/err" ": 0 added, 0 updated, 6 unchanged, 0 rejected$" "all unchanged"
is "$(count history)" 0 "no history written"
is "$(roster_events)" "$ev" "no audit event for an unchanged import"

# Export is the import format: a round trip changes nothing.
run ctp-roster export
is "$rc" 0 "export exits 0"
cp "$T/out" "$T/export.csv"
is "$(head -1 "$T/export.csv")" "$(head -1 "$F/clean.csv")" "export header is the import header"
run ctp-import $AS "$T/export.csv"
like "$T/err" ": 0 added, 0 updated, 6 unchanged, 0 rejected$" "export-import round trip"
is "$(count history)" 0 "round trip writes no history"

# JSON Lines in, as ctp-roster export --json writes it.
run ctp-roster export --json
cp "$T/out" "$T/export.jsonl"
run ctp-import $AS "$T/export.jsonl"
is "$rc" 0 "JSON Lines import"
like "$T/err" ": 0 added, 0 updated, 6 unchanged, 0 rejected$" "JSON Lines round trip"

# A change: one history row per field, one audit event per provider.
sed 's/^1000005011,\(.*\),761-555-1028,/1000005011,\1,761-555-9999,/; s/WI3455413,WI,2028-03-[0-9]*/WI3455413,WI,2029-03-31/' \
	"$F/clean.csv" >"$T/changed.csv"
run ctp-import $AS "$T/changed.csv"
is "$rc" 0 "changed file imports"
like "$T/err" ": 0 added, 1 updated, 5 unchanged, 0 rejected$" "one updated"
is "$(count history)" 2 "two history rows"
is "$(sqlite3 "$CTP_DB" "SELECT field, old_value, new_value, actor, source FROM history ORDER BY id" | sed 's|/.*/||')" \
"phone|761-555-1028|761-555-9999|root|changed.csv
state_license.expires|2028-03-23|2029-03-31|root|changed.csv" "history: old, new, who, source"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'roster.update' AND obj_id = '1000005011'")" 1 \
	"one roster.update event"
run ctp-roster history 1000005011 --csv
like "$T/out" "^[0-9T:Z-]+,root,phone,761-555-1028,761-555-9999,,.*changed.csv," "ctp-roster history shows it"

# Every rejection kind; all-or-nothing.
rm -f "$CTP_DB"*
new_org
ctp-user add sam --role auditor >/dev/null
run ctp-import $AS "$F/errors.csv"
is "$rc" 1 "rejected rows: exit 1"
is "$(count providers)" 0 "all-or-nothing: nothing written"
is "$(roster_events)" 0 "no roster audit event"
for m in "2: npi: check digit fails" "3: npi: must be 10 digits" \
    "4: practice_state: not a USPS state code" "5: dob: not a real date" \
    "6: dob: age must be between 18 and 110" \
    "7: taxonomy: does not fit the provider type" \
    "7: board_name: missing: MD requires board_cert" \
    "8: taxonomy: not a NUCC taxonomy code" \
    "9: license_number: missing: NP requires state_license" \
    "10: license_state: no license in the practice state" \
    "11: license_expires: required with license_number" \
    "12: provider_type: unknown provider type" \
    "14: npi: repeats the NPI of line 13" "15: npi: must be 10 digits" \
    "15: first_name: required" "15: practice_state: not a USPS state code"; do
	like "$T/err" "^ctp-import: [^ ]*errors.csv:$m" "message: $m"
done
like "$T/err" ": 1 added, 0 updated, 0 unchanged, 13 rejected \(nothing written" \
	"summary says nothing was written"
unlike "$T/err" "Ann|Lee|Other" "no field values in messages"

run ctp-import $AS "$F/dea.csv"
is "$rc" 1 "DEA problems: exit 1"
like "$T/err" "dea.csv:3: dea_number: check digit fails" "DEA check digit"
like "$T/err" "dea.csv:4: dea_number: second letter is not the initial" "DEA initial"
like "$T/err" "dea.csv:5: dea_number: registrant type must be M" "DEA registrant type"
is "$(count providers)" 0 "nothing written"
sed -n '1,2p' "$F/dea.csv" | sed 's/,IL,2027-05-31$/,WI,2027-05-31/' >"$T/deastate.csv"
run ctp-import $AS "$T/deastate.csv"
is "$rc" 1 "DEA state neither practice nor license state"
like "$T/err" "deastate.csv:2: dea_state: not a practice or license state" "DEA state message"

# --dry-run: reports like the real run, writes nothing.
run ctp-import $AS --dry-run "$F/errors.csv"
is "$rc" 1 "dry run with rejects exits 1"
run ctp-import $AS --dry-run "$F/clean.csv"
is "$rc" 0 "clean dry run exits 0"
like "$T/err" "6 added, 0 updated, 0 unchanged, 0 rejected \(dry run" "dry-run summary"
is "$(count providers)$(count history)$(roster_events)" 000 "dry run writes nothing"

# --partial writes the good rows and still exits 1.
run ctp-import $AS --partial "$F/errors.csv"
is "$rc" 1 "--partial with rejects exits 1"
is "$(count providers)" 1 "--partial wrote the good row"

# --rejects: fix the file, import it again, all in.
rm -f "$CTP_DB"*
new_org
ctp-user add sam --role auditor >/dev/null
sed -n '1p;13p' "$F/errors.csv" >"$T/two.csv"
sed -n '4p;5p' "$F/errors.csv" >>"$T/two.csv"
run ctp-import $AS --partial --rejects "$T/rej.csv" "$T/two.csv"
is "$rc" 1 "two rejected"
is "$(count providers)" 1 "the good row is in"
is "$(head -1 "$T/rej.csv")" "$(head -1 "$F/errors.csv"),errors" "rejects: original columns plus errors"
is "$(sed 1d "$T/rej.csv" | wc -l | tr -d ' ')" 2 "two rejected rows"
like "$T/rej.csv" ",practice_state: not a USPS state code$" "errors column says why"
sed 's/,XX,/,IL,/; s|02/30/1980|02/28/1980|' "$T/rej.csv" >"$T/fixed.csv"
run ctp-import $AS "$T/fixed.csv"
is "$rc" 0 "fixed rejects import cleanly (errors column ignored)"
is "$(count providers)" 3 "all in"

# Encodings, BOM, CRLF, embedded newlines, spaces.
run ctp-import $AS "$F/cp1252.csv"
is "$rc" 0 "Windows-1252 with CRLF imports"
is "$(sqlite3 "$CTP_DB" "SELECT first_name || ' ' || last_name FROM providers WHERE npi = '1000009005'")" \
	"Zoë Peña" "Zoë Peña arrives intact"
is "$(sqlite3 "$CTP_DB" "SELECT last_name FROM providers WHERE npi = '1000009021'")" \
	"O’Hara" "Windows-1252 quote mark"
run ctp-import $AS --encoding utf-8 "$F/cp1252.csv"
is "$rc" 1 "--encoding utf-8 refuses Windows-1252 bytes"
like "$T/err" "cp1252.csv:2: first_name: bytes that are not UTF-8" "names row and column"
run ctp-import $AS "$F/bom.csv"
is "$rc" 0 "UTF-8 with BOM and CRLF"
is "$(sqlite3 "$CTP_DB" "SELECT last_name FROM providers WHERE npi = '1000009104'")" "Peña" "BOM file name intact"
run ctp-import $AS "$F/embedded.csv"
is "$rc" 0 "quoted commas and newlines, blank lines"
is "$(sqlite3 "$CTP_DB" "SELECT practice_address FROM providers WHERE npi = '1000009203'")" \
	"Suite 4, 12 Elm St
Building B" "embedded newline kept"
is "$(sqlite3 "$CTP_DB" "SELECT first_name || '|' || last_name || '|' || practice_state FROM providers WHERE npi = '1000009211'")" \
	"Bob|Stone|IL" "surrounding spaces dropped"
n=$(count providers)
run ctp-import $AS "$F/undecodable.csv"
is "$rc" 1 "undecodable bytes: exit 1"
like "$T/err" "undecodable.csv:3: last_name: bytes that are not UTF-8 or Windows-1252" \
	"undecodable: row and column named"
is "$(count providers)" "$n" "nothing written"

# Header variants, --map, unknown columns.
run ctp-import $AS "$F/variants.csv"
is "$rc" 0 "header variants recognized"
run ctp-import $AS "$F/mapped.csv"
is "$rc" 65 "unmapped headers: exit 65"
like "$T/err" "mapped.csv:1: column 1 \(Prov ID\): unknown column" "unknown column named"
like "$T/err" "mapped.csv:1: npi: required column missing" "missing npi column"
run ctp-import $AS --map "$F/map.csv" "$F/mapped.csv"
is "$rc" 0 "--map renames, ignore skips"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM providers WHERE npi = '1000009401'")" 1 "mapped row in"
n=$(count providers)
run ctp-import $AS "$F/unknown-column.csv"
is "$rc" 65 "unknown column: exit 65"
like "$T/err" "column 14 \(Favourite Colour\): unknown column: map it with --map or name it ignore" \
	"unknown column message"
is "$(count providers)" "$n" "nothing written"

# Standard input.
run_in "$F/clean.csv" ctp-import $AS -
is "$rc" 0 "reads standard input"
like "$T/err" "^ctp-import: stdin: 6 added" "stdin named in the summary"

# Required credentials are configurable; the NUCC code set is checked.
ctp-org require NP state_license malpractice dea
$GEN 3 --seed 3 --first-npi 7000 >"$T/np.csv"
sed -n '1p' "$F/bom.csv" >"$T/np2.csv"
printf '%s\n' "1000070015,Ann,Lee,1980-05-06,NP,363L00000X,1 Main St,IL,IL1,IL,2027-06-30,MedPro Group,2027-01-31" >>"$T/np2.csv"
run ctp-import $AS "$T/np2.csv"
is "$rc" 1 "NP without DEA when the organization requires it"
like "$T/err" "np2.csv:2: dea_number: missing: NP requires dea" "missing item named"
ctp-org require NP default
run ctp-import $AS "$T/np2.csv"
is "$rc" 0 "back to the default"
ctp-org taxonomy load "$REFERENCE/samples/nucc_taxonomy_v23.0_sample.csv" 2>/dev/null
sed 's/,363L00000X,/,363LA2200X,/; s/1000070015/1000070023/' "$T/np2.csv" >"$T/np3.csv"
run ctp-import $AS "$T/np3.csv"
is "$rc" 1 "taxonomy not in the loaded code set"
like "$T/err" "np3.csv:2: taxonomy: not in the loaded NUCC code set" "NUCC message"

# Roles: an auditor may not import.
n=$(count providers)
CTP_USER=sam run ctp-import $AS "$T/np.csv"
is "$rc" 77 "auditor refused"
is "$(count providers)" "$n" "nothing written"

# kill -9 in the middle of a large import leaves the roster as it was.
$GEN 40000 --seed 9 --first-npi 200000 >"$T/big.csv"
before=$(sqlite3 "$CTP_DB" "SELECT count(*) || '/' || (SELECT count(*) FROM credentials) || '/' || (SELECT count(*) FROM history) FROM providers")
# The file comes through a FIFO so that the kill lands at a known point,
# whatever the machine's speed: the import has read and written part of
# the rows in its transaction and waits for the rest.
mkfifo "$T/fifo"
for part in 10000 39999; do
	ctp-import $AS - <"$T/fifo" 2>/dev/null &
	pid=$!
	exec 3>"$T/fifo"
	head -n $((part + 1)) "$T/big.csv" >&3
	sleep 1
	ok "import still running after $part rows" kill -0 $pid
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	exec 3>&-
	after=$(sqlite3 "$CTP_DB" "SELECT count(*) || '/' || (SELECT count(*) FROM credentials) || '/' || (SELECT count(*) FROM history) FROM providers")
	is "$after" "$before" "roster exactly as before the import killed after $part rows"
done
is "$(sqlite3 "$CTP_DB" "PRAGMA integrity_check")" ok "database intact"
CTP_USER=sam run ctp-audit verify
is "$rc" 0 "audit chain intact"

# Into an empty roster the secondary indexes are dropped and built again
# inside the import's transaction, under a rollback journal rather than
# the WAL: a reader waits for the import (busy timeout) and then sees
# every index; a killed run leaves a hot journal that the next open rolls
# back before it returns to WAL; a finished run has every index, complete.
indexes() {
	sqlite3 -cmd ".timeout 30000" "$1" "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('providers', 'credentials') ORDER BY name)"
}
E=$T/empty.db
ctp-init --db "$E" --name Empty >/dev/null
want=$(indexes "$E")
ctp-import --db "$E" $AS - <"$T/fifo" 2>/dev/null &
pid=$!
exec 3>"$T/fifo"
head -n 20001 "$T/big.csv" >&3
sleep 1
ok "import into an empty roster still running" kill -0 $pid
ok "it runs under a rollback journal" test -s "$E-journal"
(indexes "$E" >"$T/reader"; echo done >>"$T/reader") &
reader=$!
sleep 1
is "$(cat "$T/reader")" "" "a reader waits for it"
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
exec 3>&-
wait $reader
is "$(cat "$T/reader")" "$want
done" "then sees every index, after kill -9"
is "$(indexes "$E")" "$want" "every index there after kill -9"
is "$(sqlite3 "$E" "SELECT count(*) FROM providers")" 0 "nothing written"
ctp-roster --db "$E" list >/dev/null
is "$(sqlite3 "$E" "PRAGMA journal_mode")" wal "the next program returns to WAL"
run ctp-import --db "$E" $AS "$T/big.csv"
is "$rc" 0 "import into an empty roster"
is "$(sqlite3 "$E" "PRAGMA journal_mode")" wal "WAL again after it"
ok "no journal left" test ! -e "$E-journal"
is "$(indexes "$E")" "$want" "indexes built again"
is "$(sqlite3 "$E" "PRAGMA integrity_check")" ok "indexes agree with the tables"
is "$(sqlite3 "$E" "SELECT count(*) FROM credentials INDEXED BY credentials_due WHERE status = 'active'")" \
	"$(sqlite3 "$E" "SELECT count(*) FROM credentials")" "credentials_due complete"
run ctp-audit --db "$E" verify
is "$rc" 0 "audit chain intact after a bulk import"

# A board expiry without the board's name names the column that was given
# (the message once read before the column list: found by tests/fuzz/import.c).
E=$T/board.db
ctp-init --db "$E" --name Board >/dev/null 2>&1
printf 'npi,first_name,last_name,dob,provider_type,practice_state,board_expires\n1000009401,Ann,Lee,1980-05-06,NP,IL,2027-06-30\n' >"$T/board.csv"
run ctp-import --db "$E" $AS "$T/board.csv"
is "$rc" 1 "board_expires without board_name: row rejected"
like "$T/err" "board.csv:2: board_name: required with board_expires$" \
	"names the column that was given"
is "$(sqlite3 "$E" "SELECT count(*) FROM providers")" 0 "nothing written"

done_testing
