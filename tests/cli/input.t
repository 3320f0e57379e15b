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
# jline N SED: line N of the JSON Lines export, changed by SED
jline() { sed -n "$1p" "$T/roster.jsonl" | sed "$2"; }

# ---- JSON Lines: an object, array or boolean where text belongs ----
{
	jline 1 's/^/ /'
	jline 2 's/"last_name":"[^"]*"/"last_name":{"a":1}/'
	jline 3 's/"middle_name":"[^"]*"/"middle_name":["A"]/'
	jline 4 's/"suffix":null/"suffix":true/; s/"practice_zip":"[^"]*"/"practice_zip":27678.0/'
} >"$T/types.jsonl"
db_snap
run ctp-import --as-of 2026-12-01 "$T/types.jsonl"
is "$rc" 1 "rejected rows: exit 1"
like "$T/err" '^ctp-import: .*types.jsonl:2: last_name: not a text value$' \
	"an object: line and field"
like "$T/err" 'types.jsonl:3: middle_name: not a text value$' "an array"
like "$T/err" 'types.jsonl:4: suffix: not a text value$' "a boolean"
like "$T/err" 'types.jsonl:4: practice_zip: not a text value$' \
	"a number with a fraction"
unlike "$T/err" 'required' "not also called missing"
like "$T/err" ': 0 would be added, 0 would be updated, 1 unchanged, 3 rejected \(nothing written' \
	"three rows rejected"
db_unchanged "nothing written"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM providers WHERE last_name LIKE '{%' OR middle_name LIKE '[%' OR suffix = 'true'")" \
	0 "no value stored as JSON text"

# An NPI (or a ZIP, a CAQH ID) written as a JSON number is taken as its digits.
jline 2 's/"npi":"\([0-9]*\)"/"npi":\1/; s/"caqh_id":"\([0-9]*\)"/"caqh_id":\1/' >"$T/num.jsonl"
run ctp-import --as-of 2026-12-01 "$T/num.jsonl"
is "$rc" 0 "an integer NPI: exit 0"
like "$T/err" ': 0 added, 0 updated, 1 unchanged, 0 rejected$' "the provider found, unchanged"

# A piped npi list: ctp-screen run -.
ctp-screen load --leie "$FIXTURES/screen/leie.csv" 2>/dev/null
printf '{"npi":"%s"}\n{"npi":{"a":1}}\n' $N >"$T/npis.jsonl"
db_snap
run_in "$T/npis.jsonl" ctp-screen run -
is "$rc" 65 "screen run -: a non-text npi exits 65"
like "$T/err" '^ctp-screen: stdin:2: npi: not a text value$' "line and field"
db_unchanged "nothing written"
printf '{"npi":%s,"detail":{"any":[1,true]},"ok":false}\n' $N >"$T/npis.jsonl"
run_in "$T/npis.jsonl" ctp-screen run -
is "$rc" 0 "an integer npi, and anything in the fields not read"
is "$(sqlite3 "$CTP_DB" "SELECT scope || providers FROM screen_runs ORDER BY id DESC LIMIT 1")" \
	providers1 "one listed provider screened"

# ---- JSON Lines after blank lines ----
{ printf '\n \r\n'; jline 2 's/"suffix":"Jr"/"suffix":"Sr"/'; } >"$T/blank.jsonl"
run ctp-import --as-of 2026-12-01 "$T/blank.jsonl"
is "$rc" 0 "blank lines first: still JSON Lines"
like "$T/err" ': 0 added, 1 updated, 0 unchanged, 0 rejected$' "the record read"
is "$(sqlite3 "$CTP_DB" "SELECT suffix FROM providers WHERE npi = '$N'")" Sr "and stored"
{ printf '\n\n'; jline 2 's/"last_name":"[^"]*"/"last_name":[]/'; } >"$T/blank2.jsonl"
run ctp-import --as-of 2026-12-01 "$T/blank2.jsonl"
like "$T/err" 'blank2.jsonl:3: last_name: not a text value$' "line numbers count the blank lines"
printf '\n\n{"npi":"%s"}\n' $N >"$T/b.jsonl"
run_in "$T/b.jsonl" ctp-screen run -
is "$rc" 0 "screen run -: blank lines then JSON Lines"

# ---- a NUL byte ----
printf 'npi,first_name,last_name,provider_type\n%s,Eliza\000beth,Torres,MD\n' $N >"$T/nul.csv"
db_snap
run ctp-import "$T/nul.csv"
is "$rc" 65 "import: a NUL byte exits 65"
like "$T/err" '^ctp-import: .*nul.csv:2: NUL byte: not a text file$' "names it and its line"
db_unchanged "nothing written"
jline 2 's/"Elizabeth"/"Eliza\x00beth"/' >"$T/nul.jsonl"
run ctp-import "$T/nul.jsonl"
is "$rc" 65 "JSON Lines: a NUL byte exits 65"
like "$T/err" '^ctp-import: .*nul.jsonl:1: NUL byte: not a text file$' "the same words"
printf '{"npi":"%s","last_name":Torres}\n' $N >"$T/bad.jsonl"
run ctp-import "$T/bad.jsonl"
is "$rc" 65 "invalid JSON exits 65"
like "$T/err" 'bad.jsonl:1: invalid JSON at column [0-9]+: invalid token$' \
	"says where, not what the data was"
unlike "$T/err" 'Torres' "the value is not quoted"
head -3 "$FIXTURES/screen/leie.csv" >"$T/leie-nul.csv"
printf '"A","B","","","X","Y","","0000000000","","1 ST","C","NY","10001","1128a1","20200101","00000000","00000000",\000""\n' \
	>>"$T/leie-nul.csv"
db_snap
run ctp-screen load --leie "$T/leie-nul.csv"
is "$rc" 65 "list: a NUL byte exits 65"
like "$T/err" '^ctp-screen: .*leie-nul.csv:4: NUL byte: not a text file$' \
	"says NUL byte, not a stray quote"
db_unchanged "nothing written: the list in force stays"
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
db_snap
run ctp-import "$T/long.csv"
is "$rc" 1 "a 100 KB name: the row is rejected"
like "$T/err" 'long.csv:2: first_name: too long$' "too long"
unlike "$T/err" 'required' "and not also required"
is "$(grep -c 'long.csv:2:' "$T/err")" 1 "one message for the row"
db_unchanged "nothing written"

done_testing
