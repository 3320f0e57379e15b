#!/bin/sh
# Control characters: refused on the way in (notes, registry answers),
# and, when one is already stored or given on the command line, shown as
# a visible escape (\x1b) in messages and on a terminal, never sent raw.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/import
new_org
ctp-import --as-of 2026-12-01 "$F/clean.csv" 2>/dev/null
N=1000005011
ESC=$(printf '\033')
BEL=$(printf '\007')
noraw() { # FILE DESC: FILE holds no ESC and no BEL byte
	if LC_ALL=C grep -q "[$ESC$BEL]" "$1"; then ok_ 1 "$2"; else
		ok_ 0 "$2"; fi
}

# ---- messages ----
run ctp-roster "$(printf 'x\033]0;owned\007')"
is "$rc" 2 "an unknown command is a usage error"
like "$T/err" '^ctp-roster: unknown command: x\\x1b\]0;owned\\x07$' \
	"the message shows the escape"
noraw "$T/err" "and sends no raw control character"

# A header name echoed by ctp-import.
printf 'npi,first_name,last_name,provider_type,x\033[2Jy\n' >"$T/hdr.csv"
printf '%s,A,B,MD,z\n' $N >>"$T/hdr.csv"
db_snap
run ctp-import "$T/hdr.csv"
is "$rc" 65 "an unknown column: exit 65"
like "$T/err" 'hdr.csv:1: column 5 \(x\\x1b\[2Jy\): unknown column' \
	"the header name is shown escaped"
noraw "$T/err" "no raw ESC on stderr"
db_unchanged "nothing written"

# ---- notes: refused with a control character, nothing written ----
# bad_note DESC COMMAND...: COMMAND exits 65 naming --note, writes nothing
bad_note() {
	_d=$1
	shift
	db_snap
	run "$@"
	is "$rc" 65 "$_d: exit 65"
	like "$T/err" ': --note: contains control characters$' "$_d: says why"
	db_unchanged "$_d: nothing written"
}
ESCNOTE=$(printf 'ok\033[2Jgone')
CID=$(sqlite3 "$CTP_DB" "SELECT c.id FROM credentials c JOIN providers p ON p.id = c.provider_id WHERE p.npi = '$N' AND c.kind = 'dea'")
bad_note "roster set" ctp-roster set $N suffix Sr --note "$ESCNOTE"
bad_note "roster set, a tab" ctp-roster set $N suffix III --note "$(printf 'a\tb')"
bad_note "roster set, DEL" ctp-roster set $N suffix IV --note "$(printf 'a\177b')"
bad_note "credential set" ctp-credential set "$CID" expires 2029-01-31 --note "$ESCNOTE"
bad_note "credential retire" ctp-credential retire "$CID" --note "$ESCNOTE"
run ctp-roster set $N suffix Sr --note "an ordinary note, Zoë's"
is "$rc" 0 "an ordinary note is kept"

# ---- screening: a listed name already stored with an escape ----
now=2026-01-01T00:00:00Z
sqlite3 "$CTP_DB" "INSERT INTO providers (npi, first_name, last_name, dob,
  provider_type, practice_state, created_at, updated_at) VALUES
  ('1003000126','Pat','Other','1960-01-01','MD','TX','$now','$now')"
ctp-screen load --leie "$FIXTURES/screen/leie.csv" 2>/dev/null
ctp-screen run >/dev/null 2>&1
MID=$(sqlite3 "$CTP_DB" "SELECT id FROM screen_matches LIMIT 1")
sqlite3 "$CTP_DB" "UPDATE screen_matches SET listed_name = 'NPI' || char(27) || ']0;x' || char(7) || 'MATCH' WHERE id = $MID"
bad_note "screen review" ctp-screen review "$MID" --clear --note "$ESCNOTE"
is "$(sqlite3 "$CTP_DB" "SELECT status FROM screen_matches WHERE id = $MID")" \
	pending "the match is still pending"

# On a terminal (script(1) gives the program one): the table shows it.
tty_run() { # FILE COMMAND: COMMAND's output on a terminal, into FILE
	_f=$1
	shift
	script -qec "$*" /dev/null >"$_f" 2>&1 </dev/null || true
}
if command -v script >/dev/null 2>&1; then
	tty_run "$T/tty" ctp-screen matches
	like "$T/tty" 'NPI\\x1b\]0;x\\x07MATCH' "matches on a terminal: the escape shown"
	noraw "$T/tty" "matches on a terminal: nothing raw"
	like "$T/tty" "^match_id +npi +last_name" "it is the table"
	tty_run "$T/tty" ctp-screen matches --csv
	like "$T/tty" ',NPI\\x1b\]0;x\\x07MATCH,' "CSV on a terminal: shown too"
	noraw "$T/tty" "CSV on a terminal: nothing raw"
else
	for _i in 1 2 3 4 5; do ok_ 0 "# SKIP no script(1)"; done
fi
# C1 (CSI, U+009B) and DEL, which JSON may carry raw.
sqlite3 "$CTP_DB" "UPDATE screen_matches SET name_used = 'A' || char(155) || '2JB' || char(127) WHERE id = $MID"
if command -v script >/dev/null 2>&1; then
	tty_run "$T/tty" ctp-screen matches --json
	like "$T/tty" '"name_used":"A\\u009b2JB\\x7f"' "JSON on a terminal: C1 and DEL shown"
	like "$T/tty" '"listed_name":"NPI\\u001[bB]' "JSON's own escapes kept"
	ok "JSON on a terminal: no raw C1 or DEL" sh -c \
	    "! LC_ALL=C grep -q '$(printf '\302\233')\|$(printf '\177')' '$T/tty'"
	tty_run "$T/tty" ctp-screen matches
	like "$T/tty" 'A\\u009b2JB\\x7f' "the table: C1 and DEL shown"
else
	for _i in 1 2 3 4; do ok_ 0 "# SKIP no script(1)"; done
fi
run ctp-screen matches --csv
ok "CSV to a pipe: the bytes as stored" grep -q "NPI$ESC]0;x${BEL}MATCH" "$T/out"
run ctp-screen matches --json
like "$T/out" '"listed_name":"NPI\\u001[bB]\]0;x\\u0007MATCH"' \
	"JSON Lines: escaped as JSON escapes it"

# A provider name stored with an escape: the roster on a terminal.
sqlite3 "$CTP_DB" "UPDATE providers SET first_name = 'Eliza' || char(27) || '[31mbeth' WHERE npi = '$N'"
if command -v script >/dev/null 2>&1; then
	tty_run "$T/tty" ctp-roster list
	like "$T/tty" 'Torres +Eliza\\x1b\[31mbeth +MD' "roster list: shown, the columns aligned"
	noraw "$T/tty" "roster list: nothing raw"
	tty_run "$T/tty" ctp-roster show $N
	like "$T/tty" 'first_name +Eliza\\x1b\[31mbeth' "roster show"
	tty_run "$T/tty" ctp-roster export
	like "$T/tty" "^$N,Eliza\\\\x1b\\[31mbeth," "roster export on a terminal"
	noraw "$T/tty" "roster export on a terminal: nothing raw"
else
	for _i in 1 2 3 4 5; do ok_ 0 "# SKIP no script(1)"; done
fi

# ---- the NPI registry: an answer with a control character ----
CTP_DB=$T/npi.db
export CTP_DB
new_org
sqlite3 "$CTP_DB" <"$FIXTURES/npi/roster.sql"
mkdir "$T/api"
cp "$FIXTURES"/npi/api/*.json "$T/api/"
sed 's/"last_name": "DAPAAH"/"last_name": "DAP\\u001b[8mAAH"/' \
    "$FIXTURES/npi/api/1588817837.json" >"$T/api/1588817837.json"
start_server "$here/npi-httpd.py" --dir "$T/api"
URL=http://127.0.0.1:$PORT/api/
db_snap
run ctp-npi refresh --api "$URL" 1588817837 1841008505
is "$rc" 65 "a registry answer with a control character: exit 65"
like "$T/err" '^ctp-npi: 1588817837: registry answer: last_name: contains control characters$' \
	"names the NPI and the field"
like "$T/err" '1 of 2 providers not checked' "the provider is not checked"
is "$(count npi_mismatches)" 0 "no mismatch opened"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM psv_log p JOIN providers r ON r.id = p.provider_id WHERE r.npi = '1588817837'")" \
	0 "no PSV entry for it"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM psv_log p JOIN providers r ON r.id = p.provider_id WHERE r.npi = '1841008505'")" \
	1 "the other provider is checked"
run ctp-npi lookup --api "$URL" 1588817837
is "$rc" 65 "lookup: exit 65"
unlike "$T/out" 'DAP' "lookup prints nothing of it"

# The dissemination file: the row names its line and field.
BULK=$FIXTURES/npi/npidata_pfile_small.csv
sed '/^"1588817837"/s/"DAPAAH"/"DAP'"$ESC"'AAH"/' "$BULK" >"$T/bulk.csv"
db_snap
run ctp-npi refresh --bulk "$T/bulk.csv"
is "$rc" 65 "a bulk row with a control character: exit 65"
like "$T/err" '^ctp-npi: .*bulk.csv:10: last_name: contains control characters$' \
	"names the line and the field"
db_unchanged "nothing written"

# Mismatches already stored with an escape: shown on a terminal.
P=$(sqlite3 "$CTP_DB" "SELECT id FROM providers WHERE npi = '1588817837'")
sqlite3 "$CTP_DB" "INSERT INTO npi_mismatches (provider_id, field,
  roster_value, registry_value, method, found_on, found_at, found_by)
  VALUES ($P, 'last_name', 'Dapaah', 'DAP' || char(27) || '[8mAAH', 'api',
  '2026-11-01', '$now', 'root')"
MM=$(sqlite3 "$CTP_DB" "SELECT max(id) FROM npi_mismatches")
if command -v script >/dev/null 2>&1; then
	tty_run "$T/tty" ctp-npi mismatches
	like "$T/tty" 'Dapaah +DAP\\x1b\[8mAAH +open' "mismatches on a terminal: shown"
	noraw "$T/tty" "mismatches on a terminal: nothing raw"
else
	for _i in 1 2; do ok_ 0 "# SKIP no script(1)"; done
fi
bad_note "npi dismiss" ctp-npi dismiss --note "$ESCNOTE" "$MM"
bad_note "npi accept" ctp-npi accept --note "$ESCNOTE" "$MM"
is "$(sqlite3 "$CTP_DB" "SELECT status FROM npi_mismatches WHERE id = $MM")" \
	open "the mismatch is still open"

done_testing
