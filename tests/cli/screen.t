#!/bin/sh
# ctp-screen: loading OIG LEIE / SAM / other lists, screening, review,
# fetching from a local HTTP server.
. "$(dirname "$0")/lib.sh"
S=$FIXTURES/screen

new_org
ctp-user add alice --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null
now=2026-01-01T00:00:00Z
sqlite3 "$CTP_DB" "INSERT INTO providers (npi, first_name, last_name, dob,
  provider_type, practice_state, other_names, created_at, updated_at) VALUES
 ('1003000126','Pat','Other','1960-01-01','MD','TX',NULL,'$now','$now'),
 ('1851713903','John','Smith Jr.','1970-01-15','MD','TX',NULL,'$now','$now'),
 ('1770626038','Zoë','O''Brien','1980-02-02','MD','MA',NULL,'$now','$now'),
 ('1234567893','José','Lopez','1975-11-11','MD','FL',NULL,'$now','$now'),
 ('1245319599','Ray','Reinstated','1965-05-05','MD','CO',NULL,'$now','$now'),
 ('1376543212','Mary','Jones','1975-04-21','MD','WA',NULL,'$now','$now'),
 ('1588667638','Ned','Nodob','1970-01-01','MD','OR',NULL,'$now','$now'),
 ('1497758544','Nora','Nothing',NULL,'MD',NULL,NULL,'$now','$now'),
 ('1326063726','Carla','Baker',NULL,'NP','NV',NULL,'$now','$now'),
 ('1902809254','Tom','Expired',NULL,'NP','NV',NULL,'$now','$now'),
 ('1679576722','Anne','Newname','1990-09-09','NP','WA','Jones, Mary','$now','$now'),
 ('1417013938','Ima','Clear','1990-01-01','NP','WA',NULL,'$now','$now')"

# --- usage
run ctp-screen
is "$rc" 2 "no command: exit 2"
run ctp-screen --help
is "$rc" 0 "--help exits 0"
like "$T/out" 'usage: ctp-screen' "--help prints the synopsis"
run ctp-screen load --leie a --sam b
is "$rc" 2 "two list files: exit 2"
run ctp-screen review 1 --note x
is "$rc" 2 "review without a decision: exit 2"

# --- nothing loaded yet
run ctp-screen run
is "$rc" 66 "run with no list loaded: exit 66"
like "$T/err" 'no exclusion list loaded' "says no list is loaded"
is "$(count screen_runs)" 0 "no run written"

# --- loading
run ctp-screen load --leie "$S/leie.csv"
is "$rc" 0 "load LEIE"
run ctp-screen load --sam "$S/sam.zip"
is "$rc" 0 "load SAM ZIP (with the real sample's malformed-quote row)"
run ctp-screen lists --csv
is "$rc" 0 "lists"
is "$(head -1 "$T/out")" "list_id,list,kind,file,file_date,sha256,rows,loaded_at,loaded_by" \
	"lists: the list's name is the column run and matches call list"
like "$T/out" '^[0-9]+,OIG LEIE,leie,leie.csv,[0-9-]+,[0-9a-f]{64},13,' "LEIE version: 13 rows, SHA-256"
like "$T/out" '^[0-9]+,SAM,sam,sam.zip,[0-9-]+,[0-9a-f]{64},29,' "SAM version: 29 rows"
is "$(count screen_entries)" 42 "42 entries stored"
run ctp-screen load --leie "$S/leie.csv"
is "$rc" 0 "same file again"
is "$(count "screen_lists")" 2 "same SHA-256: no new version"
run env CTP_USER=sam ctp-screen load --leie "$S/leie.csv"
is "$rc" 77 "an auditor may not load"

# --- bad list files: refused, previous list in force
before=$(sqlite3 "$CTP_DB" "SELECT group_concat(id) FROM screen_lists WHERE active=1")
entries=$(count screen_entries)
check_kept() {
	is "$(sqlite3 "$CTP_DB" "SELECT group_concat(id) FROM screen_lists WHERE active=1")" "$before" "$1: previous lists still in force"
	is "$(count screen_entries)" "$entries" "$1: entries unchanged"
}
sed '1s/WVRSTATE/WAIVERSTATE/' "$S/leie.csv" > "$T/badhdr.csv"
run ctp-screen load --leie "$T/badhdr.csv"
is "$rc" 65 "wrong LEIE header: exit 65"
like "$T/err" 'badhdr.csv:1: not an LEIE file' "names the file and the header"
check_kept "wrong header"
head -c 1500 "$S/leie.csv" > "$T/trunc.csv"
run ctp-screen load --leie "$T/trunc.csv"
is "$rc" 65 "truncated LEIE: exit 65"
like "$T/err" 'trunc.csv:[0-9]+: ' "names the line"
check_kept "truncated"
printf 'x,y\n' > "$T/readme.txt"
python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); z.write(sys.argv[2],'README.TXT'); z.close()" "$T/nocsv.zip" "$T/readme.txt"
run ctp-screen load --sam "$T/nocsv.zip"
is "$rc" 65 "ZIP without a CSV: exit 65"
like "$T/err" 'no CSV file inside the ZIP' "says so"
check_kept "no CSV in ZIP"
head -c 2000 "$S/sam.zip" > "$T/trunc.zip"
run ctp-screen load --sam "$T/trunc.zip"
is "$rc" 65 "truncated ZIP: exit 65"
check_kept "truncated ZIP"
head -3 "$S/leie.csv" > "$T/small.csv"
run ctp-screen load --leie "$T/small.csv"
is "$rc" 65 "2 rows after 13: refused"
like "$T/err" 'refused: 2 rows where the list in force has 13' "says why"
check_kept "suspiciously small"
head -c 300 "$FIXTURES/samples/sam_exclusions_public_extract_v2_2023_sample.csv" > "$T/samtrunc.csv"
run ctp-screen load --sam "$T/samtrunc.csv"
is "$rc" 65 "truncated SAM CSV: exit 65"
check_kept "truncated SAM"

# --- the real samples load as they are
run ctp-screen load --sam "$FIXTURES/samples/sam_exclusions_public_extract_v2_2023_sample.csv" --force
is "$rc" 0 "real 2023 SAM sample loads (--force: fewer rows)"
run ctp-screen load --sam "$FIXTURES/samples/sam_exclusions_public_extract_v1_legacy_sample.csv" --force
is "$rc" 0 "real pre-2019 28-column SAM sample loads"
run ctp-screen load --sam "$S/sam.zip"
is "$rc" 0 "back to the test SAM list"

# --- screening
run ctp-screen run --as-of 2026-06-01 --csv
is "$rc" 1 "run: potential matches exit 1"
cp "$T/out" "$T/run1"
is "$(head -1 "$T/run1")" "match_id,npi,last_name,first_name,list,entry,rule,result,status,name_used,listed_name,listed_dob,listed_state,exclusion_type,exclusion_date,raised_at,reviewed_by,note" \
	"run: the columns every program names the same way"
is "$(grep -F ',1851713903,' "$T/run1" | cut -d, -f3,4 | sort -u)" "Smith Jr.,John" \
	"run: the provider's name is two columns (cut -d, -f3,4)"
has() { grep -q "^[0-9]*,$1,.*,$2,[0-9a-f]*,$3," "$T/run1"; }
ok "NPI rule (LEIE NPI equal)" has 1003000126 "OIG LEIE" npi
ok "name + DOB, suffix dropped (Smith Jr.)" has 1851713903 "OIG LEIE" name_dob
ok "transliteration and apostrophe (Zoë O'Brien)" has 1770626038 "OIG LEIE" name_dob
ok "two-part surname on either part (José Lopez / GARCIA LOPEZ)" has 1234567893 "OIG LEIE" name_dob
ok "maiden name from other_names" has 1679576722 "OIG LEIE" name_dob
ok "name + state when the list has no DOB" has 1588667638 "OIG LEIE" name_state
ok "hyphenated SAM surname, name + state" has 1326063726 SAM name_state
like "$T/run1" '^[0-9]+,1497758544,.*,[0-9a-f]{32},name_only,insufficient_data,pending,' "no DOB, no state: insufficient_data shown"
unlike "$T/run1" ',1245319599,' "reinstated LEIE entry: no match"
unlike "$T/run1" ',1902809254,' "SAM record no longer active: no match"
unlike "$T/run1" ',1376543212,' "same name, different DOB: no match"
unlike "$T/run1" ',1851713903,[^,]*,SAM,' "SAM firm SMITH JOHN never matches a person"
is "$(grep -c ',npi,potential_match,' "$T/run1")" 1 "zero LEIE NPIs never match"
is "$(count screen_runs)" 1 "one run row"
is "$(count psv_log)" 24 "one PSV entry per provider per list (12 x 2)"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM psv_log WHERE source='OIG LEIE' AND result='clear' AND reference LIKE 'version %'")" 5 "PSV: clear results carry the list version"
# One audit event per provider checked (screen.check: the run, the date
# and each list's result), the PSV entry per provider and list stamped
# with the run; the run's own event names those entries and seals them
# with a digest anyone can recompute; each new match is its own event.
is "$(sqlite3 "$CTP_DB" "SELECT count(DISTINCT obj_id) || '/' || count(*) FROM audit WHERE action='screen.check' AND obj_type='provider'")" \
	"12/12" "one screen.check audit event per provider checked"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit a JOIN providers p ON p.npi = a.obj_id JOIN psv_log l ON l.provider_id = p.id AND l.result = json_extract(a.detail, '\$.lists.\"' || l.source || '\"') WHERE a.action='screen.check' AND json_extract(a.detail, '\$.run') = 1 AND json_extract(a.detail, '\$.as_of') = '2026-06-01'")" \
	24 "each names the run, the date and every list's result, as the PSV entries say"
is "$(sqlite3 "$CTP_DB" "SELECT detail FROM audit WHERE action='screen.check' ORDER BY seq LIMIT 1")" \
	"$(sqlite3 "$CTP_DB" "SELECT json(detail) FROM audit WHERE action='screen.check' ORDER BY seq LIMIT 1")" \
	"in canonical JSON"
is "$(sqlite3 "$CTP_DB" "SELECT max(a.seq) < (SELECT seq FROM audit WHERE action='screen.run') FROM audit a WHERE a.action='screen.check'")" 1 \
	"before the run's own event"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM psv_log WHERE json_extract(detail, '\$.run') = 1")" 24 "every PSV entry names its run"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action='screen.run'")" 1 "one screen.run audit event"
is "$(sqlite3 "$CTP_DB" "SELECT json_extract(detail, '\$.psv.first')||'-'||json_extract(detail, '\$.psv.last')||'/'||json_extract(detail, '\$.psv.rows')||'/'||json_extract(detail, '\$.providers') FROM audit WHERE action='screen.run'")" \
    "$(sqlite3 "$CTP_DB" "SELECT min(id)||'-'||max(id)||'/24/12' FROM psv_log")" "screen.run names the PSV entries it wrote"
digest=$(sqlite3 "$CTP_DB" "SELECT provider_id, source, result FROM psv_log WHERE id BETWEEN 1 AND 24 ORDER BY id" | sha256sum | cut -d' ' -f1)
is "$(sqlite3 "$CTP_DB" "SELECT json_extract(detail, '\$.psv.sha256') FROM audit WHERE action='screen.run'")" "$digest" "its digest is the PSV entries' (sqlite3 | sha256sum)"
# The PSV entries byte for byte (but for their time): what a run writes.
is "$(sqlite3 "$CTP_DB" "SELECT provider_id, quote(credential_id), source, method, result, detail, actor FROM psv_log ORDER BY id")" \
    "$(cat <<'ROWS'
1|NULL|OIG LEIE|list file|potential_match|{"matches":[1],"rules":["npi"],"run":1}|root
1|NULL|SAM|list file|clear|{"run":1}|root
2|NULL|OIG LEIE|list file|potential_match|{"matches":[2],"rules":["name_dob"],"run":1}|root
2|NULL|SAM|list file|clear|{"run":1}|root
3|NULL|OIG LEIE|list file|potential_match|{"matches":[3],"rules":["name_dob"],"run":1}|root
3|NULL|SAM|list file|clear|{"run":1}|root
4|NULL|OIG LEIE|list file|potential_match|{"matches":[4],"rules":["name_dob"],"run":1}|root
4|NULL|SAM|list file|clear|{"run":1}|root
5|NULL|OIG LEIE|list file|clear|{"run":1}|root
5|NULL|SAM|list file|clear|{"run":1}|root
6|NULL|OIG LEIE|list file|clear|{"run":1}|root
6|NULL|SAM|list file|clear|{"run":1}|root
7|NULL|OIG LEIE|list file|potential_match|{"matches":[5],"rules":["name_state"],"run":1}|root
7|NULL|SAM|list file|clear|{"run":1}|root
8|NULL|OIG LEIE|list file|insufficient_data|{"matches":[6],"rules":["name_only"],"run":1}|root
8|NULL|SAM|list file|clear|{"run":1}|root
9|NULL|OIG LEIE|list file|clear|{"run":1}|root
9|NULL|SAM|list file|potential_match|{"matches":[7],"rules":["name_state"],"run":1}|root
10|NULL|OIG LEIE|list file|clear|{"run":1}|root
10|NULL|SAM|list file|clear|{"run":1}|root
11|NULL|OIG LEIE|list file|potential_match|{"matches":[8],"rules":["name_dob"],"run":1}|root
11|NULL|SAM|list file|clear|{"run":1}|root
12|NULL|OIG LEIE|list file|clear|{"run":1}|root
12|NULL|SAM|list file|clear|{"run":1}|root
ROWS
)" "the PSV entries: provider, no credential, list, method, result, detail, actor"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM psv_log p JOIN screen_lists l ON l.source = p.source AND l.active = 1 WHERE p.reference = 'version ' || l.id || ', ' || l.file_date || ', sha256 ' || substr(l.sha256, 1, 12)")" \
    24 "each names the list version, its date and SHA-256"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM psv_log WHERE ts GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z'")" \
    24 "each stamped with an RFC 3339 UTC time"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action='screen.match'")" "$(count screen_matches)" "one screen.match audit event per new match"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit a JOIN screen_matches m ON m.id = json_extract(a.detail, '\$.match') JOIN providers p ON p.id = m.provider_id AND p.npi = a.obj_id WHERE a.action='screen.match' AND json_extract(a.detail, '\$.entry') = m.ident AND json_extract(a.detail, '\$.list') = m.source")" "$(count screen_matches)" "each names the provider, list entry and match"
run env CTP_USER=sam ctp-audit list --action screen.run --csv
like "$T/out" 'screen\.run,screening_run,.*""providers"":12,.*""sha256"":""'"$digest"'""' "an auditor sees the run and its digest in ctp-audit"
is "$(sqlite3 "$CTP_DB" "SELECT providers||'/'||clear||'/'||potential||'/'||insufficient FROM screen_runs")" "12/4/7/1" "run counts"
m1=$(count screen_matches)

run ctp-screen run --as-of 2026-06-01
is "$rc" 1 "second run: still pending, exit 1"
is "$(count screen_matches)" "$m1" "no duplicate matches"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action='screen.match'")" "$m1" "no new match, no new screen.match event"
is "$(sqlite3 "$CTP_DB" "SELECT json_extract(detail, '\$.psv.first')||'-'||json_extract(detail, '\$.psv.last') FROM audit WHERE action='screen.run' ORDER BY seq DESC LIMIT 1")" 25-48 "the second run's event names its own PSV entries"

# --- review
ned=$(sqlite3 "$CTP_DB" "SELECT m.id FROM screen_matches m JOIN providers p ON p.id=m.provider_id WHERE p.npi='1588667638'")
john=$(sqlite3 "$CTP_DB" "SELECT m.id FROM screen_matches m JOIN providers p ON p.id=m.provider_id WHERE p.npi='1851713903'")
run env CTP_USER=sam ctp-screen review "$ned" --clear --note "different person"
is "$rc" 77 "an auditor may not review"
is "$(sqlite3 "$CTP_DB" "SELECT status FROM screen_matches WHERE id=$ned")" pending "refused review changed nothing"
run env CTP_USER=alice ctp-screen review "$ned" --clear --note "different DOB per license board"
is "$rc" 0 "alice clears a match"
run env CTP_USER=alice ctp-screen review "$ned" --confirm --note "again"
is "$rc" 65 "reviewing twice: exit 65"
like "$T/err" "match $ned: already cleared" "says so"
run env CTP_USER=alice ctp-screen review 9999 --clear --note x
is "$rc" 65 "no such match: exit 65"
run env CTP_USER=alice ctp-screen review "$john" --confirm --note "OIG letter on file"
is "$rc" 0 "alice confirms a match"
is "$(sqlite3 "$CTP_DB" "SELECT status FROM providers WHERE npi='1851713903'")" excluded "confirmed: provider excluded"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM history WHERE field='status' AND new_value='excluded' AND source='ctp-screen'")" 1 "with a history row"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action='screen.review' AND actor='alice'")" 2 "reviews audit-logged"
run env CTP_USER=sam ctp-screen matches --status cleared --csv
is "$rc" 0 "an auditor reads matches"
like "$T/out" "^$ned,1588667638,Nodob,Ned,OIG LEIE,[0-9a-f]{32},name_state,potential_match,cleared,.*,alice,different DOB per license board" "cleared match listed with reviewer and note"
run ctp-screen matches --status bogus
is "$rc" 2 "bad --status: exit 2"

# --- a cleared match stays cleared for that entry
run ctp-screen run --as-of 2026-06-01 1588667638
is "$rc" 0 "cleared provider alone: exit 0"
is "$(sqlite3 "$CTP_DB" "SELECT result FROM psv_log p JOIN providers r ON r.id=p.provider_id WHERE r.npi='1588667638' AND source='OIG LEIE' ORDER BY p.id DESC LIMIT 1")" clear "PSV result clear after clearing"
is "$(count screen_matches)" "$m1" "not raised again"
sed 's/"NODOB","NED","","","NURSING PROFESSION","NURSE","","0000000000","","7 BAY","PORTLAND","OR","97201","1128b4","20220202"/"NODOB","NED","","","NURSING PROFESSION","NURSE","","0000000000","","7 BAY","PORTLAND","OR","97201","1128b4","20250909"/' "$S/leie.csv" > "$T/leie2.csv"
run ctp-screen load --leie "$T/leie2.csv"
is "$rc" 0 "new LEIE version where that entry changed"
run ctp-screen run --as-of 2026-06-01 1588667638
is "$rc" 1 "changed entry: raised again"

# --- run on selected providers
runs=$(count screen_runs)
run ctp-screen run 1417013938 1999999999
is "$rc" 65 "an NPI not on the roster: exit 65"
like "$T/err" 'npi 2: not on the roster' "names the argument, not the value"
is "$(count screen_runs)" "$runs" "nothing written"
printf 'npi,name\n1417013938,x\n' > "$T/sel.csv"
run_in "$T/sel.csv" ctp-screen run -
is "$rc" 0 "NPIs from a CSV stream on stdin"
printf '{"npi":"1417013938"}\n' > "$T/sel.jsonl"
run_in "$T/sel.jsonl" ctp-screen run - --json
is "$rc" 0 "NPIs from JSON Lines on stdin"
printf 'id\n1\n' > "$T/nonpi.csv"
run_in "$T/nonpi.csv" ctp-screen run -
is "$rc" 65 "stream without an npi column: exit 65"

# --- quoted lines are split without the strict parser; anything else
# (a field over two lines, unquoted fields) still reads as RFC 4180 says
q() { printf '%s\r\n' "$@" >> "$T/q.csv"; }
: > "$T/q.csv"
q '"LASTNAME","FIRSTNAME","MIDNAME","BUSNAME","GENERAL","SPECIALTY","UPIN","NPI","DOB","ADDRESS","CITY","STATE","ZIP","EXCLTYPE","EXCLDATE","REINDATE","WAIVERDATE","WVRSTATE"'
q '"PLAIN","ANN","","","","","","0000000000","19600101","1 MAIN ST","X","TX","1","1128a1","20200101","00000000","00000000",""'
q '"","","","THE ""BEST"" CARE, INC","","","","0000000000","","","","NY","","1128b5","20200202","","",""'
q '"TWO","LINES","","","","","","1234567893","19700101","APT 1' '2 ELM ST","X","TX","1","1128a1","20200303","00000000","00000000",""'
q 'BARE,BOB,,,,,,0000000000,19800101,3 OAK,X,TX,1,1128a1,20200404,00000000,00000000,'
q '"","","","""QUOTED"" FIRM","","","","0000000000","","","","CA","","1128a1","20200505","","",""'
(
	export CTP_DB="$T/q.db"
	new_org "Quotes"
	ctp-screen load --leie "$T/q.csv" >/dev/null 2>"$T/q.err"
	echo "rc=$?"
	sqlite3 "$CTP_DB" "SELECT line||':'||coalesce(last_name,'')||':'||coalesce(bus_name,'')||':'||coalesce(npi,'')||':'||coalesce(excl_date,'') FROM screen_entries ORDER BY line"
) > "$T/q.out"
is "$(cat "$T/q.out")" 'rc=0
2:PLAIN:::2020-01-01
3::THE "BEST" CARE, INC::2020-02-02
4:TWO::1234567893:2020-03-03
6:BARE:::2020-04-04
7::"QUOTED" FIRM::2020-05-05' "quoted, doubled-quote, two-line and unquoted records all read"
head -2 "$T/q.csv" > "$T/q3.csv"
printf '"STRAY"X,"","","","","","","","","","","","","","","","",""\r\n' >> "$T/q3.csv"
run env CTP_DB="$T/q.db" ctp-screen load --leie "$T/q3.csv" --force
is "$rc" 65 "a quote out of place: exit 65"
like "$T/err" 'q3.csv:3: malformed CSV' "the strict parser names the line"

# --- bulk writes run under a rollback journal only when alone; WAL after
is "$(sqlite3 "$CTP_DB" "PRAGMA journal_mode")" wal "WAL again after loads and runs"
psv=$(count psv_log)
python3 - "$CTP_DB" > "$T/reader" <<'PY'
import os, sqlite3, subprocess, sys
c = sqlite3.connect(sys.argv[1])
c.execute("SELECT count(*) FROM providers").fetchone()
r = subprocess.run(["ctp-screen", "run", "--as-of", "2026-06-01", "1417013938"],
    capture_output=True)
print(r.returncode, c.execute("PRAGMA journal_mode").fetchone()[0])
PY
is "$(cat "$T/reader")" "0 wal" "a run beside an open reader: done, in WAL"
is "$(count psv_log)" $((psv + 2)) "its PSV entries written"

# --- other lists with a mapping file
cat > "$T/state.csv" <<'CSV'
Surname,Given,Birth,St,Excluded
Clear,Ima,01/01/1990,WA,03/15/2021
CSV
printf 'last_name = Surname\nfirst_name = Given\ndob = Birth\nstate = St\nexclusion_date = Excluded\ndate_format = MM/DD/YYYY\n' > "$T/state.map"
run ctp-screen load --list "WA Medicaid" --map "$T/state.map" "$T/state.csv"
is "$rc" 0 "load a state list with a map"
run ctp-screen run 1417013938 --csv
is "$rc" 1 "matched on the state list"
like "$T/out" ',1417013938,Clear,Ima,WA Medicaid,[0-9a-f]+,name_dob,' "the list is its own source"
printf 'last_name = Nope\nfirst_name = Given\n' > "$T/bad.map"
run ctp-screen load --list "X" --map "$T/bad.map" "$T/state.csv"
is "$rc" 65 "mapped column missing: exit 65"
like "$T/err" 'mapped column "Nope"' "names the column"
# Two entries of one list matching one provider: one PSV entry naming
# both matches, in the order raised.
cat > "$T/two.csv" <<'CSV'
Surname,Given,Id,Excluded
Clear,Ima,1417013938,03/15/2021
Clear,Ima,1417013938,04/15/2022
CSV
printf 'last_name = Surname\nfirst_name = Given\nnpi = Id\nexclusion_date = Excluded\ndate_format = MM/DD/YYYY\n' > "$T/two.map"
CTP_DB=$T/two.db ctp-init --name Two >/dev/null
sqlite3 "$T/two.db" "INSERT INTO providers (npi, first_name, last_name,
  provider_type, created_at, updated_at) VALUES
 ('1417013938','Ima','Clear','NP','$now','$now')"
run env CTP_DB="$T/two.db" ctp-screen load --list "Two" --map "$T/two.map" "$T/two.csv"
is "$rc" 0 "a list with two entries for one provider"
run env CTP_DB="$T/two.db" ctp-screen run --as-of 2026-06-01
is "$rc" 1 "both match"
is "$(sqlite3 "$T/two.db" "SELECT provider_id, source, method, result, detail FROM psv_log")" \
    '1|Two|list file|potential_match|{"matches":[1,2],"rules":["npi","npi"],"run":1}' \
    "one PSV entry naming both matches"
# A run over more than one statement's worth of entries (64): every
# entry written once, in order, and the digest over all of them.
sqlite3 "$T/two.db" "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1
  FROM n WHERE x < 99) INSERT INTO providers (npi, first_name, last_name,
  provider_type, created_at, updated_at) SELECT printf('2%09d', x), 'Al',
  'Many' || x, 'MD', '$now', '$now' FROM n"
run env CTP_DB="$T/two.db" ctp-screen run --as-of 2026-06-01
is "$rc" 1 "a run of 100 providers"
is "$(sqlite3 "$T/two.db" "SELECT count(*) || '/' || count(DISTINCT provider_id) || '/' || min(id) || '-' || max(id) FROM psv_log WHERE json_extract(detail, '\$.run') = 2")" \
    "100/100/2-101" "one PSV entry each"
digest=$(sqlite3 "$T/two.db" "SELECT provider_id, source, result FROM psv_log WHERE id BETWEEN 2 AND 101 ORDER BY id" | sha256sum | cut -d' ' -f1)
is "$(sqlite3 "$T/two.db" "SELECT json_extract(detail, '\$.psv.first') || '-' || json_extract(detail, '\$.psv.last') || '/' || json_extract(detail, '\$.psv.sha256') FROM audit WHERE action = 'screen.run' ORDER BY seq DESC LIMIT 1")" \
    "2-101/$digest" "the run's event names them and their digest"
is "$(sqlite3 "$T/two.db" "SELECT group_concat(provider_id, ' ') FROM (SELECT provider_id FROM psv_log WHERE id > 1 ORDER BY id)")" \
    "$(seq 1 100 | tr '\n' ' ' | sed 's/ $//')" "in the order of the roster"

# --- LEIE supplements and reinstatements
printf '%s\r\n' 'LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE' \
  '"CLEAR","IMA","","","NURSING PROFESSION","NURSE","","0000000000","19900101","1 X","SEATTLE","WA","98101","1128b4","20260301","00000000","00000000",""' > "$T/2603excl.csv"
run ctp-screen load --leie-supplement "$T/2603excl.csv"
is "$rc" 0 "monthly exclusions supplement"
sed 's/"20260301","00000000"/"20260301","20260501"/' "$T/2603excl.csv" > "$T/2605rein.csv"
run ctp-screen load --leie-reinstatements "$T/2605rein.csv"
is "$rc" 0 "monthly reinstatements"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM screen_reinstatements WHERE applied=1")" 1 "reinstatement kept in the history"
run ctp-screen run --as-of 2026-04-01 1417013938 --csv
like "$T/out" ',1417013938,Clear,Ima,OIG LEIE,[0-9a-f]+,name_dob,' "before reinstatement: match"
sqlite3 "$CTP_DB" "UPDATE screen_matches SET status='cleared' WHERE source='OIG LEIE' AND provider_id=(SELECT id FROM providers WHERE npi='1417013938')"
run ctp-screen run --as-of 2026-06-01 1417013938 --csv
unlike "$T/out" 'OIG LEIE' "after reinstatement: no LEIE match"

# --- a confirmed exclusion stays: only an admin's reinstatement ends it
J=1851713903
unchanged_j() { # DESC: John still excluded, nothing written
	is "$(sqlite3 "$CTP_DB" "SELECT status FROM providers WHERE npi='$J'")|$(count history)|$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action LIKE 'roster.%' OR action = 'screen.review'")" \
	    "excluded|$h|$ev" "$1"
}
h=$(count history)
ev=$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action LIKE 'roster.%' OR action = 'screen.review'")
run env CTP_USER=alice ctp-roster set $J status active
is "$rc" 65 "ctp-roster set status of a confirmed exclusion: exit 65"
like "$T/err" "^ctp-roster: status: provider is excluded \(confirmed match $john\); an admin reinstates with ctp-screen review $john --reinstate$" \
	"the message names the match and the way out"
unchanged_j "refused set: still excluded, nothing written"
ctp-org require MD none
h=$(count history)
printf 'npi,first_name,last_name,provider_type,status\n%s,John,Smith Jr.,MD,active\n' $J > "$T/tracker.csv"
run env CTP_USER=alice ctp-import "$T/tracker.csv"
is "$rc" 1 "re-importing an old tracker row with status active: rejected"
like "$T/err" "tracker.csv:2: status: provider is excluded \(confirmed match $john\); an admin reinstates with ctp-screen review $john --reinstate$" \
	"the row's message names the match"
unchanged_j "rejected row: still excluded, nothing written"
run env CTP_USER=alice ctp-import --partial "$T/tracker.csv"
is "$rc" 1 "--partial: the row is rejected all the same"
unchanged_j "--partial: still excluded, nothing written"
# A second list names him too: two confirmed matches.
printf 'Surname,Given,Birth,St,Excluded\nSmith,John,01/15/1970,TX,03/15/2021\n' > "$T/tx.csv"
run ctp-screen load --list "TX Medicaid" --map "$T/state.map" "$T/tx.csv"
is "$rc" 0 "a second list"
run ctp-screen run $J --csv
is "$rc" 1 "it raises a match"
tx=$(sqlite3 "$CTP_DB" "SELECT m.id FROM screen_matches m JOIN providers p ON p.id=m.provider_id WHERE p.npi='$J' AND m.source='TX Medicaid'")
run env CTP_USER=alice ctp-screen review "$tx" --confirm --note "state letter"
is "$rc" 0 "confirmed too"
h=$(count history)
ev=$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action LIKE 'roster.%' OR action = 'screen.review'")
denied=$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action='auth.denied' AND actor='alice'")
run env CTP_USER=alice ctp-screen review "$john" --reinstate --note "OIG letter"
is "$rc" 77 "a coordinator may not reinstate"
like "$T/err" 'permission denied: reinstate needs owner or admin, not coordinator' "says who may"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action='auth.denied' AND actor='alice'")" $((denied + 1)) \
	"the refusal is audit-logged"
unchanged_j "refused reinstatement: nothing written"
run ctp-screen review "$john" --reinstate
is "$rc" 2 "--reinstate without --note: usage error"
run ctp-screen review "$john" --reinstate --clear --note x
is "$rc" 2 "--reinstate with --clear: usage error"
run ctp-screen review "$ned" --reinstate --note x
is "$rc" 65 "only a confirmed match is reinstated"
like "$T/err" "match $ned: is cleared; only a confirmed match is reinstated" "says so"
run ctp-roster reinstate $J --note "letter"
is "$rc" 65 "ctp-roster reinstate of a provider with a confirmed match"
like "$T/err" "^ctp-roster: status: provider has a confirmed screening match \($john\); an admin reinstates with ctp-screen review $john --reinstate$" \
	"points to ctp-screen review --reinstate"
unchanged_j "refused: nothing written"
run ctp-screen review "$john" --reinstate --note "OIG reinstatement letter"
is "$rc" 0 "the owner reinstates the LEIE match"
like "$T/err" "match $john: reinstated; the provider stays excluded by confirmed match $tx" \
	"the other confirmed match keeps the exclusion, and it is said"
is "$(sqlite3 "$CTP_DB" "SELECT status FROM screen_matches WHERE id=$john")|$(sqlite3 "$CTP_DB" "SELECT status FROM providers WHERE npi='$J'")" \
	"reinstated|excluded" "match reinstated, provider still excluded"
run ctp-screen review "$tx" --reinstate --note "state reinstated the license"
is "$rc" 0 "the owner reinstates the second match"
is "$(sqlite3 "$CTP_DB" "SELECT status FROM providers WHERE npi='$J'")" active \
	"the provider has its status from before the exclusion back"
is "$(sqlite3 "$CTP_DB" "SELECT field, old_value, new_value, actor, source, note FROM history WHERE id > $h")" \
	"status|excluded|active|root|ctp-screen|state reinstated the license" "one history row naming the reason"
is "$(sqlite3 "$CTP_DB" "SELECT action, detail FROM audit WHERE action IN ('roster.reinstate', 'screen.review') AND json_extract(detail, '\$.decision') IS NOT 'confirmed' AND json_extract(detail, '\$.decision') IS NOT 'cleared'")" \
	"screen.review|{\"decision\":\"reinstated\",\"excluded_by\":$tx,\"match\":$john,\"npi\":\"$J\"}
roster.reinstate|{\"match\":$tx,\"source\":\"ctp-screen\",\"status\":\"active\"}
screen.review|{\"decision\":\"reinstated\",\"excluded_by\":0,\"match\":$tx,\"npi\":\"$J\"}" \
	"audit events: each reinstatement and the status it gave"
run ctp-screen review "$tx" --reinstate --note again
is "$rc" 65 "reinstating twice: exit 65"
m=$(count screen_matches)
run ctp-screen run $J --csv
is "$rc" 0 "the same list entries, unchanged, are not raised again"
is "$(count screen_matches)" "$m" "no new match"
run ctp-screen matches --status reinstated --csv
is "$(sed 1d "$T/out" | cut -d, -f1 | sort -n | tr '\n' ' ')" "$john $tx " "matches --status reinstated lists them"
run env CTP_USER=alice ctp-roster set $J status inactive
is "$rc" 0 "after the reinstatement the status is the roster's again"
# --- without --as-of: today in the organization's time zone.  A zone
# whose date differs from UTC's right now: 14 hours ahead from 10:00
# UTC, 11 hours behind before 11:00 UTC.
if [ "$(date -u +%H)" -ge 10 ]; then tz=Pacific/Kiritimati; else tz=Pacific/Pago_Pago; fi
ctp-org set timezone "$tz" >/dev/null
run ctp-screen -v run 1376543212
is "$rc" 0 "run without --as-of"
like "$T/err" 'run [0-9]+: 1 provider, 1 clear, 0 potential, 0 insufficient data, 0 new matches, [0-9]+ candidate pairs? examined$' \
	"-v: a count of one reads 1 provider"
is "$(sqlite3 "$CTP_DB" "SELECT as_of FROM screen_runs ORDER BY id DESC LIMIT 1")" \
	"$(TZ=$tz date +%Y-%m-%d)" "run without --as-of: today in the organization's time zone ($tz)"
is "$(sqlite3 "$CTP_DB" "SELECT json_extract(detail, '\$.as_of') FROM audit WHERE action='screen.run' ORDER BY seq DESC LIMIT 1")" \
	"$(TZ=$tz date +%Y-%m-%d)" "the screen.run event carries that date"
ctp-org set timezone UTC >/dev/null

# --- empty roster
CTP_DB=$T/empty.db ctp-init --name Empty >/dev/null
{ printf '\357\273\277'; cat "$S/leie.csv"; } > "$T/bom.csv"
run env CTP_DB="$T/empty.db" ctp-screen load --leie "$T/bom.csv"
is "$rc" 0 "a file starting with a UTF-8 byte order mark loads"
run env CTP_DB="$T/empty.db" ctp-screen run
is "$rc" 0 "empty roster: exit 0"
like "$T/err" 'no providers on the roster: nothing screened' "and says so"

# --- fetch from a local server
W=$T/www
mkdir -p "$W"
cp "$S/leie.csv" "$W/UPDATED.csv"
cp "$S/sam.zip" "$W/sam.zip"
serve python3 "$here/screen-httpd.py" "$T/port" "$W"
P=$(cat "$T/port")
U=http://127.0.0.1:$P
F=$T/fetch.db
CTP_DB=$F ctp-init --name Fetch >/dev/null
export CTP_SAM_API_KEY=test-key
fetch() { run env CTP_DB="$F" ctp-screen fetch --retries 1 --timeout 3 "$@"; }
fetch --leie-url "$U/ok/UPDATED.csv" --sam-url "$U/ok/sam.zip"
is "$rc" 0 "fetch both lists"
is "$(sqlite3 "$F" "SELECT count(*) FROM screen_lists WHERE active=1")" 2 "both loaded"
like "$W/requests.log" 'GET /ok/sam.zip - -' "first request unconditional"
is "$(sqlite3 "$F" "SELECT file_name FROM screen_lists WHERE source='SAM'")" SAM_Exclusions_Public_Extract_V2_26100.ZIP "file name from Content-Disposition"
unlike "$T/err" 'test-key' "the API key is never printed"
fetch --leie-url "$U/ok/UPDATED.csv" --sam-url "$U/ok/sam.zip"
is "$rc" 0 "fetch again"
like "$W/requests.log" 'GET /ok/UPDATED.csv "[0-9a-f]+" Mon,_10_Aug_2026' "conditional request with ETag and Last-Modified"
is "$(sqlite3 "$F" "SELECT count(*) FROM screen_lists")" 2 "304: nothing loaded again"
fkept() {
	is "$(sqlite3 "$F" "SELECT count(*) FROM screen_lists WHERE active=1")" 2 "$1: previous lists in force"
	is "$(sqlite3 "$F" "SELECT count(*) FROM screen_entries")" 42 "$1: entries kept"
}
fetch --leie-url "$U/404/UPDATED.csv" --sam-url ""
is "$rc" 69 "404: exit 69"
like "$T/err" 'leie: server answered HTTP 404' "says 404"
fkept "404"
: > "$W/requests.log"
fetch --leie-url "$U/500/UPDATED.csv" --sam-url ""
is "$rc" 69 "500: exit 69 after retries"
is "$(grep -c '/500/' "$W/requests.log")" 2 "one retry made"
like "$T/err" 'after 2 attempts' "says how many attempts"
fkept "500"
fetch --leie-url "$U/500/UPDATED.csv" --sam-url "" --retries 0
is "$rc" 69 "500 without retries: exit 69"
like "$T/err" '\(after 1 attempt\)$' "a count of one reads 1 attempt"
fetch --leie-url "$U/flaky/UPDATED.csv" --sam-url "" --force
is "$rc" 0 "500 then 200: fetched on retry"
fetch --leie-url "$U/trunc/UPDATED.csv" --sam-url "" --retries 0
is "$rc" 69 "truncated body: exit 69"
like "$T/err" 'truncated' "says truncated"
fkept "truncated"
start=$(date +%s)
fetch --leie-url "$U/stall/UPDATED.csv" --sam-url "" --retries 0 --timeout 2
is "$rc" 69 "stalled server: exit 69"
ok "gave up within the timeout" test $(( $(date +%s) - start )) -lt 10
fkept "stall"
printf 'not,a,list\n1,2,3\n' > "$W/junk.csv"
fetch --leie-url "$U/ok/junk.csv" --sam-url ""
is "$rc" 69 "a download that is not an LEIE file: exit 69"
like "$T/err" 'previous list kept' "previous list kept"
fkept "junk"
run env CTP_DB="$F" CTP_SAM_API_KEY= ctp-screen fetch --leie-url "" --sam-url "$U/ok/sam.zip"
is "$rc" 69 "SAM without an API key: exit 69"
like "$T/err" 'no API key' "says so"

# --- fetch -v: what happened to each list, in the order fetched
V=$T/fetch-v.db
CTP_DB=$V ctp-init --name FetchV >/dev/null
fetchv() { run env CTP_DB="$V" ctp-screen -v fetch --retries 0 --timeout 3 "$@"; }
fetchv --leie-url "$U/ok/UPDATED.csv" --sam-url "$U/ok/sam.zip"
is "$rc" 0 "fetch -v: both lists"
is "$(cat "$T/err")" "leie: loaded, 13 rows
sam: loaded, 29 rows" "fetch -v: each list loaded, with its rows"
fetchv --leie-url "$U/ok/UPDATED.csv" --sam-url "$U/ok/sam.zip"
is "$(cat "$T/err")" "leie: not modified since the last download
sam: not modified since the last download" "fetch -v: 304 said per list"
fetchv --leie-url "$U/cut100/UPDATED.csv" --sam-url ""
is "$(cat "$T/err")" "leie: unchanged, 13 rows" "fetch -v: the same bytes again"
fetchv --leie-url "$U/404/UPDATED.csv" --sam-url "$U/ok/sam.zip"
is "$rc" 69 "fetch -v: one list failed, exit 69"
is "$(cat "$T/err")" "ctp-screen: leie: server answered HTTP 404
sam: not modified since the last download" "fetch -v: the failure, then the other list"
fetch --leie-url "$U/404/UPDATED.csv" --sam-url "$U/404/sam.zip"
is "$(cat "$T/err")" "ctp-screen: leie: server answered HTTP 404
ctp-screen: sam: server answered HTTP 404" "both lists failed: each said once"

done_testing
