#!/bin/sh
# ctp-screen load and fetch: what a list file may hold (text, lines and
# ZIP members within limits, fields checked like roster fields), and a
# list that shrank (a download cut short) never replacing the one in
# force without --force.
. "$(dirname "$0")/lib.sh"
S=$FIXTURES/screen

new_org
lists() { ctp-screen lists --csv; }
# snapshot, then kept DESC: the lists in force and their entries unchanged
snapshot() {
	lists > "$T/lists0"
	entries=$(count screen_entries)
}
kept() {
	lists > "$T/lists"
	is "$(cat "$T/lists")" "$(cat "$T/lists0")" "$1: lists in force unchanged"
	is "$(count screen_entries)" "$entries" "$1: nothing written"
}
ctp-screen load --leie "$S/leie.csv"
ctp-screen load --sam "$S/sam.zip"
snapshot

# refuse DESC PATTERN ARG...: "ctp-screen load ARG... --force" exits 65,
# says PATTERN, and writes nothing
refuse() {
	_d=$1
	_p=$2
	shift 2
	run ctp-screen load "$@" --force
	is "$rc" 65 "$_d: exit 65"
	like "$T/err" "$_p" "$_d: says so"
	kept "$_d"
}

# --- UTF-16 (Excel's "Unicode text") is named as such, for every kind
u16() { python3 -c 'import sys; d = open(sys.argv[1], "rb").read().decode("utf-8"); open(sys.argv[2], "wb").write((b"\xff\xfe" if sys.argv[3] == "bom" else b"") + d.encode("utf-16-le"))' "$@"; }
msg16='UTF-16 text: save the file as CSV UTF-8 or CSV \(comma delimited\)$'
refuse "UTF-16 LEIE" "leie-utf16.txt: $msg16" --leie "$S/leie-utf16.txt"
unlike "$T/err" 'LASTNAME' "not a complaint about the header"
u16 "$S/sam.csv" "$T/sam16.csv" bom
refuse "UTF-16 SAM" "sam16.csv: $msg16" --sam "$T/sam16.csv"
python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED); z.write(sys.argv[2], "SAM.CSV"); z.close()' "$T/sam16.zip" "$T/sam16.csv"
refuse "UTF-16 inside a SAM ZIP" "sam16.zip: $msg16" --sam "$T/sam16.zip"
printf 'Last,First\nA,B\n' > "$T/own.csv"
printf 'last_name = Last\nfirst_name = First\n' > "$T/own.map"
u16 "$T/own.csv" "$T/own16.csv" nobom
refuse "UTF-16 list of its own, no byte order mark" "own16.csv: $msg16" \
	--list Own --map "$T/own.map" "$T/own16.csv"
printf 'LASTNAME\000,x\n' > "$T/nul.csv"
refuse "a NUL byte" 'nul.csv:1: NUL byte: not a text file' --leie "$T/nul.csv"

# --- lines and records have a limit; memory does not grow with them
python3 -c 'import sys; f = open(sys.argv[1], "wb"); f.write(open(sys.argv[2], "rb").readline()); f.write(b"\"" + b"A" * (1 << 20) + b"\"\r\n")' "$T/long.csv" "$S/leie.csv"
refuse "a line over 1 MB" 'long.csv:2: a line longer than 1 MB' --leie "$T/long.csv"
python3 -c 'import sys; f = open(sys.argv[1], "wb"); f.write(open(sys.argv[2], "rb").readline()); f.write(b"\"open\r\n"); [f.write(b"B" * 70 + b"\r\n") for i in range(20000)]' "$T/quote.csv" "$S/leie.csv"
refuse "a quote left open" 'quote.csv:2: a quoted field runs on past 1 MB' --leie "$T/quote.csv"

# --- ZIP: expansion limit, declared and real; a member that is not CSV
# zipgen OUT bomb|lie SAMCSV: 3 MB of empty SAM rows (about 1000:1);
# lie: its sizes say it does not expand at all.  zipgen OUT bin FILE:
# FILE, binary, as the CSV.
zipgen() { python3 - "$@" <<'PY'
import struct, sys, zipfile
out, kind, src = sys.argv[1:4]
if kind == "bin":
    data = open(src, "rb").read()
else:
    hdr = open(src, "rb").readline()
    row = hdr.count(b",") * b'"",' + b'""\r\n'
    data = hdr + row * ((3 << 20) // len(row))
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("SAM.CSV", data)
if kind == "lie":
    # Claim the member expands to its compressed size only.
    b = bytearray(open(out, "rb").read())
    cd = b.rfind(b"PK\x01\x02")
    csize = struct.unpack_from("<I", b, cd + 20)[0]
    struct.pack_into("<I", b, cd + 24, csize)
    struct.pack_into("<I", b, 22, csize)
    open(out, "wb").write(bytes(b))
PY
}
zipgen "$T/bomb.zip" bomb "$S/sam.csv"
refuse "a member expanding over 200 times" \
	'bomb.zip: refused: the CSV inside the ZIP expands from [0-9]+ to [0-9]+ bytes \(the limit is 200 times its compressed size, at most 2 GB\)' \
	--sam "$T/bomb.zip"
zipgen "$T/lie.zip" lie "$S/sam.csv"
refuse "a member that lies about its size, stopped while reading" \
	'lie.zip: refused: the CSV inside the ZIP expands past 200 times its compressed size \(or 2 GB\), more than its stated size' \
	--sam "$T/lie.zip"
zipgen "$T/bin.zip" bin "$S/sam.zip"
refuse "a .CSV member that is not CSV" 'bin.zip:1: NUL byte: not a text file' --sam "$T/bin.zip"

# --- list fields checked like roster fields; a bad row refuses the file
refuse "a 9-digit NPI" 'leie-bad-npi.csv:10: NPI: not 10 digits$' --leie "$S/leie-bad-npi.csv"
refuse "a 101-byte last name" 'leie-bad-name.csv:7: last name: longer than 100 bytes$' \
	--leie "$S/leie-bad-name.csv"
refuse "an escape sequence in a first name" \
	'leie-bad-ctrl.csv:8: first name: contains control characters$' --leie "$S/leie-bad-ctrl.csv"
unlike "$T/err" "$(printf '\033')" "never echoes it"
refuse "DEL in a SAM address" 'sam-bad-ctrl.csv:3: column 8: contains control characters$' \
	--sam "$S/sam-bad-ctrl.csv"
# Line breaks and tabs are text in a column ctp does not keep (addresses)
sed '9s/"3 ELM RD"/"3 ELM\tRD"/' "$S/leie.csv" > "$T/tab.csv"
sed '9s/"JOSE"/"JO\tSE"/' "$S/leie.csv" > "$T/tabname.csv"
D2=$T/tab.db
CTP_DB=$D2 new_org
run env CTP_DB="$D2" ctp-screen load --leie "$T/tab.csv"
is "$rc" 0 "a tab in an address: loaded"
run env CTP_DB="$D2" ctp-screen load --leie "$T/tabname.csv" --force
is "$rc" 65 "a tab in a first name: exit 65"
like "$T/err" 'tabname.csv:9: first name: contains control characters' "says so"
sed '10s/"1003000126"/"0"/; 11s/"0000000000"/""/' "$S/leie.csv" > "$T/zero.csv"
run env CTP_DB="$D2" ctp-screen load --leie "$T/zero.csv"
is "$rc" 0 "NPI empty or all zeros (unknown): loaded"
is "$(sqlite3 "$D2" "SELECT count(*) FROM screen_entries WHERE npi IS NOT NULL")" 1 "stored as no NPI"
printf 'Last,First,NPI\nA,B,123456789X\n' > "$T/ownnpi.csv"
printf 'last_name = Last\nfirst_name = First\nnpi = NPI\n' > "$T/ownnpi.map"
refuse "a list of its own: NPI checked too" 'ownnpi.csv:2: NPI: not 10 digits' \
	--list Own --map "$T/ownnpi.map" "$T/ownnpi.csv"

# --- the setting
run ctp-org show --csv
like "$T/out" '^list_shrink_max,2$' "list_shrink_max: 2 by default"
for v in abc 101 2.555 .5 2. ''; do
	run ctp-org set list_shrink_max "$v"
	is "$rc" 65 "list_shrink_max '$v' refused"
done
like "$T/err" 'list_shrink_max: must be a percentage from 0 to 100' "says what it takes"
run ctp-org set list_shrink_max 2.5%
is "$rc" 0 "2.5% accepted"
run ctp-org set list_shrink_max 2
is "$rc" 0 "back to 2"

# --- load: a full list with fewer rows than the one in force
refused() { sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'screen.load.refused'"; }
run ctp-screen load --leie "$S/leie-200.csv"
is "$rc" 0 "200-row LEIE loaded"
snapshot
like "$T/lists0" ',OIG LEIE,leie,leie-200.csv,[0-9-]+,[0-9a-f]{64},200,' "200 rows in force"
writes() { sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action <> 'auth'"; }
audit=$(writes)
# keep PCT: the header and PCT percent of the 200 rows
keep() { head -n $((1 + 200 * $1 / 100)) "$S/leie-200.csv" > "$T/leie$1.csv"; }
for pct in 60 97; do
	keep $pct
	rows=$((200 * pct / 100))
	run ctp-screen load --leie "$T/leie$pct.csv"
	is "$rc" 65 "$pct% of the list: exit 65"
	like "$T/err" "leie$pct.csv: refused: $rows rows where the list in force has 200, $((100 - pct))\\.0% fewer \\(list_shrink_max is 2%\\); the list in force is kept; if the list really shrank, use --force" \
		"$pct%: says both row counts, the setting and --force"
	kept "$pct% (rows, SHA-256)"
done
is "$(refused)" 2 "each refusal audit-logged"
is "$(writes)" $((audit + 2)) "and nothing else written"
is "$(sqlite3 "$CTP_DB" "SELECT json_extract(detail, '\$.source') || '/' || json_extract(detail, '\$.file') || '/' || json_extract(detail, '\$.rows') || '/' || json_extract(detail, '\$.rows_in_force') || '/' || length(json_extract(detail, '\$.sha256')) FROM audit WHERE action = 'screen.load.refused' ORDER BY seq DESC LIMIT 1")" \
	"OIG LEIE/leie97.csv/194/200/64" "the event names the list, the file, both row counts and its SHA-256"
run ctp-screen load --leie "$T/leie60.csv" --force
is "$rc" 0 "--force takes the 60% list"
is "$(cat "$T/out" "$T/err")" "" "quietly"
lists > "$T/lists"
like "$T/lists" ',OIG LEIE,leie,leie60.csv,[0-9-]+,[0-9a-f]{64},120,' "120 rows in force"
is "$(sqlite3 "$CTP_DB" "SELECT json_extract(detail, '\$.rows_in_force') FROM audit WHERE action = 'screen.load' ORDER BY seq DESC LIMIT 1")" 200 \
	"the forced load's event says how many rows the list had"
run ctp-screen load --leie "$S/leie-200.csv"
is "$rc" 0 "a list that grew loads"
keep 99
run ctp-screen load --leie "$T/leie99.csv"
is "$rc" 0 "1% fewer rows: accepted"
lists > "$T/lists"
like "$T/lists" ',leie99.csv,[0-9-]+,[0-9a-f]{64},198,' "198 rows in force"
run ctp-screen load --leie "$S/leie-200.csv"
ctp-org set list_shrink_max 0
run ctp-screen load --leie "$T/leie99.csv"
is "$rc" 65 "list_shrink_max 0: 1% fewer refused"
like "$T/err" '198 rows where the list in force has 200, 1\.0% fewer \(list_shrink_max is 0%\)' "says so"
ctp-org set list_shrink_max 5
run ctp-screen load --leie "$T/leie97.csv"
is "$rc" 0 "list_shrink_max 5: 3% fewer accepted"
ctp-org set list_shrink_max 2

# SAM and other lists are full lists too; supplements add to the list
# (SAM: 29 rows in force)
head -n 16 "$S/sam.csv" > "$T/sam15.csv"
run ctp-screen load --sam "$T/sam15.csv"
is "$rc" 65 "a SAM list with 15 rows after 29: refused"
like "$T/err" 'refused: 15 rows where the list in force has 29, 48\.2% fewer' "says so"
printf 'Last,First\nA,B\nC,D\nE,F\n' > "$T/own.csv"
printf 'last_name = Last\nfirst_name = First\n' > "$T/own.map"
run ctp-screen load --list Own --map "$T/own.map" "$T/own.csv"
is "$rc" 0 "a list of its own"
head -n 3 "$T/own.csv" > "$T/own2.csv"
run ctp-screen load --list Own --map "$T/own.map" "$T/own2.csv"
is "$rc" 65 "a list of its own that shrank: refused"
run ctp-screen load --list Own --map "$T/own.map" "$T/own2.csv" --force
is "$rc" 0 "--force"
head -n 2 "$S/leie.csv" > "$T/excl.csv"
run ctp-screen load --leie-supplement "$T/excl.csv"
is "$rc" 0 "a one-row supplement after 194 rows: loaded"

# --- fetch: a download cut at a row boundary, no Content-Length
W=$T/www
mkdir -p "$W"
cp "$S/leie-200.csv" "$W/UPDATED.csv"
serve python3 "$here/screen-httpd.py" "$T/port" "$W"
U=http://127.0.0.1:$(cat "$T/port")
export CTP_DB=$T/fetch.db
new_org Fetch
fetch() { run ctp-screen fetch --retries 0 --timeout 5 --sam-url "" "$@"; }
fetch --leie-url "$U/ok/UPDATED.csv"
is "$rc" 0 "fetch the 200-row LEIE"
snapshot
for pct in 60 97; do
	fetch --leie-url "$U/cut$pct/UPDATED.csv"
	is "$rc" 65 "a download cut at $pct%: exit 65"
	like "$T/err" "leie: downloaded file refused, previous list kept: refused: $((200 * pct / 100)) rows where the list in force has 200, $((100 - pct))\\.0% fewer \\(list_shrink_max is 2%\\).*use --force" \
		"$pct%: says both row counts and --force"
	kept "cut at $pct%"
done
is "$(refused)" 2 "both refusals audit-logged"
fetch --leie-url "$U/cut60/UPDATED.csv" --force
is "$rc" 0 "--force takes the cut download"
lists > "$T/lists"
like "$T/lists" ',OIG LEIE,leie,UPDATED.csv,[0-9-]+,[0-9a-f]{64},120,' "120 rows in force"
: > "$W/requests.log"
fetch --leie-url "$U/ok/UPDATED.csv"
is "$rc" 0 "the next fetch"
# The cache holds the whole list of that address: asked whether it changed.
like "$W/requests.log" '^GET /ok/UPDATED.csv "' "asks the address of the whole list whether it changed"
: > "$W/requests.log"
fetch --leie-url "$U/cut60/UPDATED.csv" --force
fetch --leie-url "$U/cut60/UPDATED.csv" --force
like "$W/requests.log" '^GET /cut60/UPDATED.csv - -$' "a cut download taken: its address asked for the whole list next time"
unlike "$W/requests.log" '^GET /cut60/UPDATED.csv "' "never whether it changed"
fetch --leie-url "$U/ok/UPDATED.csv"
lists > "$T/lists"
is "$(cat "$T/lists" | cut -d, -f2-7)" "$(cut -d, -f2-7 "$T/lists0")" "the whole list in force again"
fetch --leie-url "$U/cut97/UPDATED.csv" --force
is "$rc" 0 "--force takes the 97% download too"
fetch --leie-url "$U/ok/UPDATED.csv"
fetch --leie-url "$U/cut99/UPDATED.csv"
is "$rc" 0 "a download with 1% fewer rows: accepted"
lists > "$T/lists"
like "$T/lists" ',UPDATED.csv,[0-9-]+,[0-9a-f]{64},198,' "198 rows in force"

done_testing
