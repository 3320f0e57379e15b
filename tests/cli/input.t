#!/bin/sh
# What programs read: a JSON Lines value that is not text where text
# belongs, JSON Lines after blank lines, a NUL byte, malformed CSV said
# once, a value far too long said once.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/import
new_org
ctp-import --as-of 2026-12-01 "$F/clean.csv" 2>/dev/null
ctp-roster export --json >"$T/roster.jsonl"
N=1000005011
snap() { db_dump >"$T/before.sql"; }
unchanged() { # DESC: the database is as snap left it
	db_dump >"$T/after.sql"
	if cmp -s "$T/before.sql" "$T/after.sql"; then ok_ 0 "$1"; else
		ok_ 1 "$1"; diff "$T/before.sql" "$T/after.sql" | head -5 |
		    sed 's/^/#   /'; fi
}
# jline N SED: line N of the JSON Lines export, changed by SED
jline() { sed -n "$1p" "$T/roster.jsonl" | sed "$2"; }

# ---- a NUL byte ----
printf 'npi,first_name,last_name,provider_type\n%s,Eliza\000beth,Torres,MD\n' $N >"$T/nul.csv"
snap
run ctp-import "$T/nul.csv"
is "$rc" 65 "import: a NUL byte exits 65"
like "$T/err" '^ctp-import: .*nul.csv:2: NUL byte: not a text file$' "names it and its line"
unchanged "nothing written"
head -3 "$FIXTURES/screen/leie.csv" >"$T/leie-nul.csv"
printf '"A","B","","","X","Y","","0000000000","","1 ST","C","NY","10001","1128a1","20200101","00000000","00000000",\000""\n' \
	>>"$T/leie-nul.csv"
snap
run ctp-screen load --leie "$T/leie-nul.csv"
is "$rc" 65 "list: a NUL byte exits 65"
like "$T/err" '^ctp-screen: .*leie-nul.csv:4: NUL byte: not a text file$' \
	"says NUL byte, not a stray quote"
unchanged "nothing written: the list in force stays"
head -2 "$FIXTURES/screen/leie.csv" >"$T/leie-nul2.csv"
printf '"A","B\000C","","","X","Y","","0000000000","","1 ST","C","NY","10001","1128a1","20200101","00000000","00000000",""\n' \
	>>"$T/leie-nul2.csv"
run ctp-screen load --leie "$T/leie-nul2.csv"
is "$rc" 65 "list: a NUL byte inside quotes exits 65 too"
like "$T/err" 'leie-nul2.csv:3: NUL byte: not a text file$' "with its line"

# ---- malformed CSV, said once ----
head -3 "$FIXTURES/screen/leie.csv" >"$T/leie-q.csv"
printf '"A","B"x,"","","X","Y","","0000000000","","1 ST","C","NY","10001","1128a1","20200101","00000000","00000000",""\n' \
	>>"$T/leie-q.csv"
run ctp-screen load --leie "$T/leie-q.csv"
is "$rc" 65 "a stray quote exits 65"
like "$T/err" '^ctp-screen: .*leie-q.csv:4: malformed CSV: stray or unbalanced quote$' \
	"malformed CSV said once"
printf 'npi,first_name,last_name,provider_type\n%s,"A"x,B,MD\n' $N >"$T/q.csv"
run ctp-import "$T/q.csv"
like "$T/err" '^ctp-import: .*q.csv:2: malformed CSV: stray or unbalanced quote$' \
	"import: the same words"

# ---- a value far too long: too long, not also required ----
awk -v n=$N 'BEGIN { printf "npi,first_name,last_name,provider_type\n%s,", n;
	for (i = 0; i < 100000; i++) printf "A"; print ",Torres,MD" }' >"$T/long.csv"
snap
run ctp-import "$T/long.csv"
is "$rc" 1 "a 100 KB name: the row is rejected"
like "$T/err" 'long.csv:2: first_name: too long$' "too long"
unlike "$T/err" 'required' "and not also required"
is "$(grep -c 'long.csv:2:' "$T/err")" 1 "one message for the row"
unchanged "nothing written"

done_testing
