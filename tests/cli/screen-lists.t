#!/bin/sh
# ctp-screen load: what a list file may hold (text, lines and ZIP members
# within limits, fields checked like roster fields).
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
refuse "a NUL byte" 'nul.csv:1: a NUL byte: not a CSV text file' --leie "$T/nul.csv"

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
refuse "a .CSV member that is not CSV" 'bin.zip:1: a NUL byte: not a CSV text file' --sam "$T/bin.zip"

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

done_testing
