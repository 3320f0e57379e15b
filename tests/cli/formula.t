#!/bin/sh
# Spreadsheet formulas: a text value that begins with = + - @ (TAB and CR
# cannot be stored) is written to every CSV with an apostrophe first;
# JSON Lines carry it unchanged; ctp-import removes the apostrophe, so an
# export imports back unchanged.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/import
new_org "=Clinic"
ctp-import --as-of 2026-12-01 "$F/clean.csv" 2>/dev/null
A=1000005003 B=1000005011 C=1000005029 D=1000005052
# (Last names stay: a DEA number's second letter is the last name's.)
set_() { ctp-roster set "$@" >/dev/null || echo "# set $* failed"; }
set_ --note '=cmd|'"'"'/C calc'"'"'!A0' -- $A first_name '=HYPERLINK("http://x","y")'
set_ -- $A practice_address '-2+3 Main St'
set_ $B first_name '+1 Elizabeth'
set_ $B practice_address '@SUM(A1)'
set_ $B other_names "'=already; -b"
set_ --note '@note' -- $C middle_name '-A'
set_ $D first_name '@Andre'

# Every CSV: roster export, list, show, history, the inbox, audit export.
run ctp-roster export
is "$rc" 0 "export exits 0"
cp "$T/out" "$T/export.csv"
like "$T/out" "^$A,\"'=HYPERLINK\(\"\"http://x\"\",\"\"y\"\"\)\",,Jones," \
	"export: = gets an apostrophe, inside the quotes"
like "$T/out" ",'-2\+3 Main St," "export: - in an address"
like "$T/out" "^$B,'\+1 Elizabeth,Lee,Torres," "export: +"
like "$T/out" ",'@SUM\(A1\)," "export: @"
like "$T/out" ",''=already; -b$" "export: a stored apostrophe before = gets one more"
like "$T/out" "^$C,Grace,'-A,Hill," "export: a middle name"
unlike "$T/out" ",[=+@-][^,]" "export: no cell begins with a formula character"
run ctp-roster list --csv
like "$T/out" "^$D,Sanchez,'@Andre," "list"
like "$T/out" "^$A,Jones,\"'=HYPERLINK" "list: quoted"
run ctp-roster show $B
like "$T/out" "^first_name,'\+1 Elizabeth$" "show"
run ctp-roster history $A
like "$T/out" ",first_name,Sandra,\"'=HYPERLINK.*,ctp-roster,'=cmd\|'/C calc'!A0$" \
	"history: the value and the note"
run ctp-roster history $C
like "$T/out" ",middle_name,A,'-A,,ctp-roster,'@note$" "history: a note"
run ctp-expiring --as-of 2026-12-01 --within 400
like "$T/out" "^'=Clinic,$D,Sanchez,'@Andre," "inbox: the organization, and the name guarded"
run ctp-audit export
like "$T/out" "^2,[^,]*,root,org.init,organization,'=Clinic," "audit export"
like "$T/out" ',"\{""name"":""=Clinic""' "audit export: JSON left alone"
run ctp-expiring --as-of 2026-12-01 --within 400 --csv
like "$T/out" ",-[0-9]+,overdue$" "a negative number is a number"

# JSON Lines: the values as stored.
run ctp-roster export --json
like "$T/out" "\"first_name\":\"=HYPERLINK\(\\\\\"http://x\\\\\",\\\\\"y\\\\\"\)\"" \
	"JSON: = unchanged"
like "$T/out" '"practice_address":"@SUM\(A1\)"' "JSON: @ unchanged"
like "$T/out" "\"other_names\":\"'=already; -b\"" "JSON: a stored apostrophe unchanged"
cp "$T/out" "$T/export.jsonl"
run ctp-roster history $A --json
like "$T/out" "\"note\":\"=cmd\|'/C calc'!A0\"" "JSON: a note unchanged"

# The round trip: the apostrophes come off again.
h=$(count history)
run ctp-import --as-of 2026-12-01 "$T/export.csv"
is "$rc" 0 "export | import exits 0"
like "$T/err" ": 0 added, 0 updated, 6 unchanged, 0 rejected$" "every provider unchanged"
is "$(count history)" "$h" "no history written"
run_in "$T/export.csv" ctp-import --as-of 2026-12-01 -
like "$T/err" ": 0 added, 0 updated, 6 unchanged, 0 rejected$" "the same from standard input"
run ctp-import --as-of 2026-12-01 "$T/export.jsonl"
like "$T/err" ": 0 added, 0 updated, 6 unchanged, 0 rejected$" "JSON Lines round trip"
is "$(sqlite3 "$CTP_DB" "SELECT first_name FROM providers WHERE npi = '$B'")" \
	"+1 Elizabeth" "stored without the apostrophe"

# A hand-made CSV: only the one apostrophe before a formula comes off.
{
	head -1 "$F/clean.csv"
	sed -n 2p "$F/clean.csv" | sed "s/^$A,Sandra,/$A,'@Sandra,/; s/,615 Oak Ave,/,'615 Oak Ave,/"
} >"$T/hand.csv"
run ctp-import --as-of 2026-12-01 "$T/hand.csv"
is "$rc" 0 "hand-made CSV imports"
is "$(sqlite3 "$CTP_DB" "SELECT first_name || '|' || practice_address FROM providers WHERE npi = '$A'")" \
	"@Sandra|'615 Oak Ave" "apostrophe before @ removed, before a digit kept"

done_testing
