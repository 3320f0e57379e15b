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

# A verification follows its value: an imported change unverifies.
lic=$(sqlite3 "$CTP_DB" "SELECT c.id FROM credentials c JOIN providers p ON p.id = c.provider_id WHERE p.npi = '1000005011' AND c.kind = 'state_license'")
ctp-credential set "$lic" verification verified
run ctp-import $AS "$T/changed.csv"
is "$(sqlite3 "$CTP_DB" "SELECT verification FROM credentials WHERE id = $lic")" verified \
	"the same values again: still verified"
sed 's/WI3455413,WI,2029-03-31/WI3455413,WI,2030-03-31/' "$T/changed.csv" >"$T/renewed.csv"
run ctp-import $AS "$T/renewed.csv"
is "$rc" 0 "a renewed license imports"
is "$(sqlite3 "$CTP_DB" "SELECT verification FROM credentials WHERE id = $lic")" unverified \
	"a verified license whose expiry changed is unverified"
is "$(sqlite3 "$CTP_DB" "SELECT field, old_value, new_value, source, note FROM history WHERE credential_id = $lic ORDER BY id DESC LIMIT 1" | sed 's|/.*/||')" \
	"state_license.verification|verified|unverified|renewed.csv|expires changed" \
	"with a history row saying why"

# Credential rules: a DEA number belongs to one provider (on the roster
# or in the file), a board certification expires, states are USPS codes.
# The coordinator column stays free text: trackers carry names that are
# not users.
torres=$(grep '^1000005011,' "$F/clean.csv")
row() { # NPI SED
	echo "$torres" | sed "s/^1000005011,/$1,/; s/,Torres,/,Tate,/; s/,priya,/,Pat Q. (old tracker),/; $2"
}
{
	head -1 "$F/clean.csv"
	row 1000009013 's/WI3455413/WI1000001/'
	row 1000009021 's/WI3455413/WI1000002/; s/BT5432315/BT1234563/'
	row 1000009039 's/WI3455413/WI1000003/; s/BT5432315/BT1234563/'
	row 1000009047 's/WI3455413/WI1000004/; s/BT5432315,WI,2028-06-11//; s/,American Board of Anesthesiology,2028-06-22,/,,,American Board of Anesthesiology,,/'
	row 1000009054 's/WI3455413,WI,/WI1000005,ZZ,/; s/BT5432315,WI,/BT7654325,ZZ,/'
} >"$T/rules.csv"
h=$(count history)
c=$(count credentials)
run ctp-import $AS "$T/rules.csv"
is "$rc" 1 "credential rules: rows rejected"
for m in "2: dea_number: held by another provider \(NPI 1000005011\)" \
    "4: dea_number: held by another provider \(NPI 1000009021\)" \
    "5: board_expires: required with board_name" \
    "6: license_state: not a USPS state code or state name \\(see ctp-import\\(1\\)\\)" \
    "6: dea_state: not a USPS state code or state name \\(see ctp-import\\(1\\)\\)"; do
	like "$T/err" "rules.csv:$m\$" "message: $m"
done
unlike "$T/err" "rules.csv:3:" "the first row with a new DEA number is good"
unlike "$T/err" "BT5432315|BT1234563|BT7654325" "no DEA number in the messages"
unlike "$T/err" "coordinator" "the coordinator column takes any name"
is "$(count providers)/$(count credentials)/$(count history)" "6/$c/$h" "nothing written"
run ctp-import $AS --partial "$T/rules.csv"
is "$(sqlite3 "$CTP_DB" "SELECT coordinator FROM providers WHERE npi = '1000009021'")" \
	"Pat Q. (old tracker)" "--partial: the good row is in, its coordinator as written"

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
like "$T/err" ": 1 would be added, 0 would be updated, 0 unchanged, 13 rejected \(nothing written: fix the rejected rows, or use --rejects FILE or --partial\)$" \
	"a run that writes nothing says what would be added, and why"
unlike "$T/err" "[0-9] (added|updated)" "it never says added or updated"
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
like "$T/err" ": 6 would be added, 0 would be updated, 0 unchanged, 0 rejected \(dry run: nothing written\)$" \
	"dry-run summary says would be added"
is "$(count providers)$(count history)$(roster_events)" 000 "dry run writes nothing"

# --partial writes the good rows and still exits 1.
run ctp-import $AS --partial "$F/errors.csv"
is "$rc" 1 "--partial with rejects exits 1"
is "$(count providers)" 1 "--partial wrote the good row"

# --rejects: the good rows in; fix the file, import it again, all in.
rm -f "$CTP_DB"*
new_org
ctp-user add sam --role auditor >/dev/null
sed -n '1p;13p' "$F/errors.csv" >"$T/two.csv"
sed -n '4p;5p' "$F/errors.csv" >>"$T/two.csv"
run ctp-import $AS --rejects "$T/rej.csv" "$T/two.csv"
is "$rc" 1 "two rejected"
is "$(count providers)" 1 "the good row is in, without --partial"
is "$(head -1 "$T/rej.csv")" "$(head -1 "$F/errors.csv"),errors" "rejects: original columns plus errors"
is "$(sed 1d "$T/rej.csv" | wc -l | tr -d ' ')" 2 "two rejected rows"
like "$T/rej.csv" "practice_state: not a USPS state code[^,]*\$" "errors column says why"
sed 's/,XX,/,IL,/; s|02/30/1980|02/28/1980|' "$T/rej.csv" >"$T/fixed.csv"
run ctp-import $AS "$T/fixed.csv"
is "$rc" 0 "fixed rejects import cleanly (errors column ignored)"
is "$(count providers)" 3 "all in"

# The fix-and-rerun flow exactly as README.md and ctp-import(1) show it,
# on an inherited Excel tracker (CRLF, rows of empty cells, types and
# states as people write them, M/D/YY expirations, and three rows to
# fix): every row of the tracker ends up on the roster.
readme1='ctp-import --dry-run tracker.csv'
readme2='ctp-import --rejects fix.csv tracker.csv'
readme3='ctp-import fix.csv'
for l in "$readme1" "$readme2" "$readme3"; do
	ok "README.md shows: $l" grep -q "^    $l  *#" "$top/README.md"
done
ok "ctp-import(1) shows: $readme2" grep -qx "\\$ $readme2" "$top/man/ctp-import.1"
ok "ctp-import(1) shows: vi fix.csv && $readme3" \
	grep -qx "\\$ vi fix.csv && $readme3" "$top/man/ctp-import.1"
outer_db=$CTP_DB
CTP_DB=$T/flow/org.db
mkdir "$T/flow"
new_org
cp "$F/tracker.csv" "$T/flow/"
cd "$T/flow"
run $readme1
is "$rc" 1 "flow 1: the dry run finds three rows to fix"
like "$T/err" "^ctp-import: tracker.csv: 4 would be added, 0 would be updated, 0 unchanged, 3 rejected, 2 empty rows skipped \(dry run: nothing written\)$" \
	"flow 1: what would be added, the empty rows skipped"
is "$(count providers)$(count history)" 00 "flow 1: nothing written"
for m in "6: npi: Excel wrote it in scientific notation: format the column as Text and paste the NPIs again" \
    "7: dob: two-digit year: write the year in full \(only expiration dates may use two digits\)" \
    "8: practice_state: not a USPS state code or state name \(see ctp-import\(1\)\)"; do
	like "$T/err" "^ctp-import: tracker.csv:$m$" "message: $m"
done
is "$(grep -c ':[49]: ' "$T/err")" 0 "empty rows are not rejected"
run $readme2
is "$rc" 1 "flow 2: rows rejected: exit 1"
like "$T/err" "^ctp-import: tracker.csv: 4 added, 0 updated, 0 unchanged, 3 rejected, 2 empty rows skipped \(rejected rows in fix.csv: fix them there and import that file\)$" \
	"flow 2: the good rows added, the rest in fix.csv"
is "$(sqlite3 "$CTP_DB" "SELECT group_concat(npi || ' ' || provider_type || ' ' || practice_state, ', ') FROM (SELECT * FROM providers ORDER BY npi)")" \
	"1000009906 NP IL, 1000009914 PA IL, 1000009922 NP IL, 1000009963 PA NY" \
	"flow 2: the good rows are in, types and states as codes"
is "$(sqlite3 "$CTP_DB" "SELECT group_concat(kind || ' ' || coalesce(state, '-') || ' ' || expires, ', ') FROM (SELECT c.* FROM credentials c JOIN providers p ON p.id = c.provider_id WHERE p.npi IN ('1000009914', '1000009922') ORDER BY p.npi, c.kind)")" \
	"malpractice - 2027-01-31, state_license IL 2027-06-30, malpractice - 2027-01-31, state_license IL 2027-06-30" \
	"flow 2: M/D/YY and MM/DD/YY expirations read as 20YY"
is "$(head -1 fix.csv)" "$(head -1 tracker.csv | tr -d '\r'),errors" \
	"flow 2: fix.csv has the tracker's columns and errors"
is "$(sed 1d fix.csv | cut -d, -f2 | tr '\n' ' ')" "Dan Eve Fay " \
	"flow 2: fix.csv holds the three rejected rows"
like fix.csv ",npi: Excel wrote it in scientific notation: format the column as Text and paste the NPIs again$" \
	"flow 2: the errors column says why"
is "$(ls -l fix.csv | cut -c1-10)" "-rw-------" "flow 2: fix.csv is mode 0600"
is "$(ls -A | grep -c '^\.')" 0 "flow 2: no temporary file left behind"
cp fix.csv "$T/unfixed.csv"
# The coordinator fixes fix.csv (vi, or Excel): the NPI pasted as text,
# the year in full, the state spelt right.
sed 's/^1\.00001E+09,/1000009930,/; s|,5/6/80,|,5/6/1980,|; s/,Ilinois,/,Illinois,/' \
	fix.csv >fixing.csv
cat fixing.csv >fix.csv
rm fixing.csv
run $readme3
is "$rc" 0 "flow 3: the fixed rows import"
like "$T/err" "^ctp-import: fix.csv: 3 added, 0 updated, 0 unchanged, 0 rejected$" \
	"flow 3: the rest goes in"
is "$(sqlite3 "$CTP_DB" "SELECT group_concat(npi, ' ') FROM (SELECT npi FROM providers ORDER BY npi)")" \
	"1000009906 1000009914 1000009922 1000009930 1000009948 1000009955 1000009963" \
	"every row of the tracker is on the roster"
is "$(sqlite3 "$CTP_DB" "SELECT dob || ' ' || practice_state FROM providers WHERE npi = '1000009948'")" \
	"1980-05-06 IL" "the fixed values are stored"

# A rejects file imported again with rows still wrong: its errors column
# is replaced, not repeated; --dry-run writes the rejects file all the
# same, and nothing else.
ev=$(roster_events)
run ctp-import --dry-run --rejects fix2.csv fix.csv
is "$rc" 0 "dry run with --rejects, nothing rejected: exit 0"
like "$T/err" ": 0 would be added, 0 would be updated, 3 unchanged, 0 rejected \(dry run: nothing written\)$" \
	"the fixed rows are unchanged now"
ok "no row rejected: no rejects file" test ! -e fix2.csv
sed 's|^1000009948,Eve,Park,5/6/1980,|1000009948,Eve,Park,1/2/58,|; s/^1000009930,/1.00001E+09,/' \
	fix.csv >"$T/again.csv"
run ctp-import --dry-run --rejects fix2.csv "$T/again.csv"
is "$rc" 1 "dry run, rows rejected"
like "$T/err" ": 0 would be added, 0 would be updated, 1 unchanged, 2 rejected \(dry run: nothing written; rejected rows in fix2.csv\)$" \
	"dry run names the rejects file"
is "$(head -1 fix2.csv)" "$(head -1 tracker.csv | tr -d '\r'),errors" \
	"one errors column, the new one"
is "$(sed 1d fix2.csv | wc -l | tr -d ' ')" 2 "the two rows still wrong"
is "$(roster_events)/$(count history)" "$ev/0" "the dry run wrote nothing else"
rm -f fix2.csv

# The rejects file is safe to write, and checked before anything is
# imported: errors.csv has one good row, which a refusal keeps out.
cp "$F/errors.csv" in.csv
printf 'source,canonical\nnpi,npi\n' >map.csv
snap() {
	echo "$(count providers)/$(count credentials)/$(count history)/$(roster_events)/$(cksum <fix.csv)/$(ls -A | tr '\n' ' ')"
}
before=$(snap)
refused() { # refused DESC MESSAGE COMMAND...
	_d=$1 _m=$2
	shift 2
	run "$@"
	is "$rc" 73 "$_d: exit 73"
	like "$T/err" "^ctp-import: $_m$" "$_d: message"
	is "$(snap)" "$before" "$_d: nothing imported, nothing created"
}
refused "an existing file" "fix.csv: exists: use --force to replace it" \
	ctp-import $AS --rejects fix.csv in.csv
ln -s fix.csv link.csv
before=$(snap)
refused "a symbolic link" "link.csv: is a symbolic link: not followed" \
	ctp-import $AS --rejects link.csv in.csv
refused "a symbolic link, even with --force" "link.csv: is a symbolic link: not followed" \
	ctp-import $AS --force --rejects link.csv in.csv
ln -s nowhere.csv dangling.csv
before=$(snap)
refused "a dangling symbolic link" "dangling.csv: is a symbolic link: not followed" \
	ctp-import $AS --force --rejects dangling.csv in.csv
ok "nothing created through it" test ! -e nowhere.csv
refused "the input itself" "in.csv: is one of the input files" \
	ctp-import $AS --force --rejects in.csv in.csv
ln in.csv hard.csv
before=$(snap)
refused "a hard link to the input" "hard.csv: is one of the input files" \
	ctp-import $AS --force --rejects hard.csv in.csv
refused "the input read from stdin" "hard.csv: is one of the input files" \
	sh -c 'ctp-import $0 $1 --force --rejects hard.csv - <in.csv' --as-of 2026-12-01
refused "the --map file" "map.csv: is one of the input files" \
	ctp-import $AS --force --map map.csv --rejects map.csv in.csv
refused "the database" "$CTP_DB: is one of the input files" \
	ctp-import $AS --force --rejects "$CTP_DB" in.csv
refused "a directory" "$T/flow: is a directory" \
	ctp-import $AS --force --rejects "$T/flow" in.csv
refused "a device" "/dev/null: not a regular file" \
	ctp-import $AS --force --rejects /dev/null in.csv
refused "a missing directory" "no/fix.csv: cannot create: No such file or directory" \
	ctp-import $AS --rejects no/fix.csv in.csv
is "$(cksum <in.csv)" "$(cksum <"$F/errors.csv")" "the input untouched"
chmod 644 fix.csv
run sh -c 'umask 0; ctp-import --as-of 2026-12-01 --force --rejects fix.csv in.csv'
is "$rc" 1 "--force replaces an existing file"
is "$(count providers)" 8 "and the good row is in"
is "$(sed 1d fix.csv | wc -l | tr -d ' ')" 13 "with the rejected rows of in.csv"
is "$(ls -l fix.csv | cut -c1-10)" "-rw-------" "mode 0600 under umask 0, replacing a 0644 file"
run sh -c 'umask 0; ctp-import --as-of 2026-12-01 --rejects new.csv in.csv'
is "$(ls -l new.csv | cut -c1-10)" "-rw-------" "a new rejects file is mode 0600 under umask 0"
is "$(ls -A | grep -c '^\.')" 0 "no temporary file left behind"
cd "$top"
CTP_DB=$outer_db

# Excel's habits everywhere a value is read: ctp-roster set and list,
# ctp-credential add.
F2=$T/flow/org.db
h=$(count history "$F2")
run ctp-roster --db "$F2" set 1000009906 provider_type "Nurse Practitioner"
is "$rc" 0 "roster set: a provider type spelt out"
is "$(sqlite3 "$F2" "SELECT provider_type FROM providers WHERE npi = '1000009906'")/$(count history "$F2")" \
	"NP/$h" "read as NP, the type it has: no change"
run ctp-roster --db "$F2" set 1000009906 provider_type Wizard
is "$rc" 65 "roster set: unknown type"
like "$T/err" "provider_type: unknown provider type \(one of MD, DO, NP, PA, CRNA, CNM, DDS, DMD, DPM, OD, DC, PHD, PSYD, LCSW, LPC, LMFT, RD, PT, OT, SLP, AUD, RN, LPN; other spellings: see ctp-import\(1\)\)$" \
	"the message lists the types"
run ctp-roster --db "$F2" set 1000009906 dob 5/6/80
is "$rc" 65 "roster set: a date of birth with a two-digit year"
like "$T/err" "dob: two-digit year: write the year in full \(only expiration dates may use two digits\)$" \
	"the message says why"
is "$(sqlite3 "$F2" "SELECT dob FROM providers WHERE npi = '1000009906'")" 1980-05-06 "dob unchanged"
run ctp-roster --db "$F2" list --type "physician assistant" --state "New York" --csv
is "$(cut -d, -f1 "$T/out" | sed 1d)" 1000009963 "roster list: --type and --state spelt out"
run ctp-credential --db "$F2" add 1000009963 --kind state_license --number IL-77 --state Illinois --expires 3/31/27
is "$rc" 0 "credential add --state Illinois --expires 3/31/27"
is "$(sqlite3 "$F2" "SELECT state || ' ' || expires FROM credentials WHERE number = 'IL-77'")" "IL 2027-03-31" \
	"read as 2027-03-31, the state as IL"
run ctp-roster --db "$F2" set 1000009963 practice_state illinois
is "$rc" 0 "roster set practice_state illinois"
is "$(sqlite3 "$F2" "SELECT practice_state FROM providers WHERE npi = '1000009963'")" IL "stored as IL"
n=$(count credentials "$F2")
run ctp-credential --db "$F2" add 1000009906 --kind cme --issued 3/1/25 --expires 3/31/27
is "$rc" 65 "credential add --issued 3/1/25"
like "$T/err" "issued: two-digit year: write the year in full \(only expiration dates may use two digits\)$" \
	"refused, saying why"
run ctp-credential --db "$F2" add 1000009906 --kind bogus
is "$rc" 65 "credential add --kind bogus"
like "$T/err" "kind: unknown credential kind \(one of state_license, dea, cds, board_cert, malpractice, caqh_attestation, cme, hospital_privileges\)$" \
	"the message lists the kinds"
is "$(count credentials "$F2")" "$n" "nothing written"

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
printf 'Prov ID,npi\nGiven,given_name\n' >"$T/badmap.csv"
run ctp-import $AS --map "$T/badmap.csv" "$F/mapped.csv"
is "$rc" 65 "a map naming no canonical column: exit 65"
like "$T/err" "badmap.csv:2: second column must be a canonical column name or ignore \(the columns: ctp-import --help\)$" \
	"the message says where the columns are listed"
n=$(count providers)
run ctp-import $AS "$F/unknown-column.csv"
is "$rc" 65 "unknown column: exit 65"
like "$T/err" "column 14 \(Favourite Colour\): unknown column: map it with --map or name it ignore \(the columns: ctp-import --help\)$" \
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
ctp-org taxonomy load "$FIXTURES/samples/nucc_taxonomy_v23.0_sample.csv" 2>/dev/null
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

# A number is checked and written as ctp-credential writes it: a policy
# number in capitals, one of over 40 characters refused.
CTP_DB=$T/pol.db
new_org
{ head -1 "$F/clean.csv"; sed -n 2p "$F/clean.csv" |
    sed 's/,MP-75893910,/,mp-75893910,/'; } >"$T/pol.csv"
run ctp-import $AS "$T/pol.csv"
is "$rc" 0 "a policy number in lower case: imported"
is "$(sqlite3 "$CTP_DB" "SELECT number FROM credentials
    WHERE kind = 'malpractice'")" "MP-75893910" "in capitals"
long=MP-0123456789012345678901234567890123456789
{ head -1 "$F/clean.csv"; sed -n 3p "$F/clean.csv" |
    sed "s/,MP-[0-9]*,/,$long,/"; } >"$T/pol2.csv"
run ctp-import $AS "$T/pol2.csv"
is "$rc" 1 "a policy number of 43 characters: rejected, exit 1"
like "$T/err" "pol2.csv:2: malpractice_policy: too long" "names the column"
is "$(count providers)" 1 "nothing written"
ctp-credential add "$(sed -n 2p "$F/clean.csv" | cut -d, -f1)" \
    --kind malpractice --number "$long" --expires 2028-01-01 \
    >/dev/null 2>"$T/err2"
like "$T/err2" "number: too long" "ctp-credential refuses it too"

# Into an empty roster the rows are read and checked on a second thread
# while the first writes them (lib/import_ahead.c).  Whichever thread
# fails first, the run ends with its message and writes nothing.
CTP_DB=$T/ahead.db
new_org
head -n 20001 "$T/big.csv" >"$T/ahead.csv"
# A NUL byte on line 1501: the reading thread fails after batches of the
# rows before it were written.
awk 'NR == 1501 { $0 = "\001" $0 } { print }' "$T/ahead.csv" |
    tr '\001' '\000' >"$T/nul.csv"
db_snap
run ctp-import $AS "$T/nul.csv"
is "$rc" 65 "a NUL byte on line 1501 of a first import: exit 65"
like "$T/err" "^ctp-import: .*nul.csv:1501: NUL byte: not a text file$" \
	"the reading thread's message"
is "$(wc -l <"$T/err")" 1 "and no other"
db_unchanged "nothing written"
# The database cannot grow past about half a megabyte: the writing thread
# fails while the other is still reading (SIGXFSZ ignored, so the write
# fails with EFBIG instead of killing the program).
run timeout 120 sh -c 'trap "" XFSZ; ulimit -f 1000 && exec "$@"' sh \
    ctp-import $AS "$T/ahead.csv"
is "$rc" 74 "the writer fails (file size limit): exit 74, not a hang"
like "$T/err" "^ctp-import: credentials: disk I/O error$" "the writer's message"
is "$(wc -l <"$T/err")" 1 "and no other"
db_unchanged "nothing written"
is "$(sqlite3 "$CTP_DB" "PRAGMA integrity_check")" ok "database intact"
run ctp-import $AS "$T/ahead.csv"
is "$rc" 0 "the same file imports once the database can grow"
is "$(count providers)" 20000 "every provider"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM providers WHERE id <> rowid OR id < 1 OR id > 20000")" \
	0 "ids 1 to 20000"
is "$(sqlite3 "$CTP_DB" "SELECT group_concat(npi) FROM (SELECT npi FROM providers ORDER BY id)")" \
	"$(sed 1d "$T/ahead.csv" | cut -d, -f1 | paste -sd, -)" "in file order"
for c in 20:state_license 23:dea 29:malpractice; do
	sqlite3 -csv "$CTP_DB" "SELECT p.npi, c.number FROM credentials c JOIN providers p ON p.id = c.provider_id WHERE c.kind = '${c#*:}' ORDER BY c.id" >"$T/got"
	sed 1d "$T/ahead.csv" | cut -d, -f"1,${c%%:*}" | grep -v ',$' >"$T/want"
	ok "each ${c#*:} with its provider, in file order" cmp "$T/got" "$T/want"
done

done_testing
