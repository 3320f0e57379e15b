#!/bin/sh
# A coordinator with many clients: a directory of three organizations
# fetched, screened, refreshed and verified in one command each, against
# loopback servers that count their requests (tests/cli/screen-httpd.py,
# tests/cli/npi-httpd.py): each list downloaded once, each NPI asked
# once, per-organization results and exit status, nothing of one
# organization written to another's file.
. "$(dirname "$0")/lib.sh"
S=$FIXTURES/screen
D=$T/clients
mkdir -p "$D"
unset CTP_DB
now=2026-01-01T00:00:00Z
# add DB 'npi','first','last','dob','type','state' ...: providers
add() {
	_db=$1
	shift
	for _p in "$@"; do
		sqlite3 "$_db" "INSERT INTO providers (npi, first_name, last_name,
		  dob, provider_type, practice_state, created_at, updated_at)
		  VALUES ($_p, '$now', '$now')"
	done
}
SMITH="'1851713903','John','Smith Jr.','1970-01-15','MD','TX'"
JONES="'1376543212','Mary','Jones','1991-09-09','MD','WA'"
CLEAR="'1417013938','Ima','Clear','1990-01-01','NP','WA'"
for o in acme beta cedar; do
	CTP_DB=$D/$o.db ctp-init --name "Org $o" >/dev/null
done
add "$D/acme.db" "$SMITH" "$CLEAR"
add "$D/beta.db" "$SMITH" "$JONES"
add "$D/cedar.db" "$CLEAR"
CTP_DB=$D/acme.db ctp-user add alice --role coordinator >/dev/null
CTP_DB=$D/beta.db ctp-user add alice --role coordinator >/dev/null
# What each file holds of the others: nothing (no NPI it does not list).
own_npis() {
	sqlite3 "$D/$1.db" "SELECT npi FROM providers
	  UNION SELECT p.npi FROM screen_matches m JOIN providers p ON p.id = m.provider_id
	  UNION SELECT obj_id FROM audit WHERE obj_type = 'provider'" | sort | tr '\n' ' '
}
roster_npis() { sqlite3 "$D/$1.db" "SELECT npi FROM providers ORDER BY npi" | tr '\n' ' '; }

# --- fetch: each list downloaded once, loaded into every organization
W=$T/www
mkdir -p "$W"
cp "$S/leie.csv" "$W/UPDATED.csv"
cp "$S/sam.zip" "$W/sam.zip"
serve python3 "$here/screen-httpd.py" "$T/port" "$W"
U=http://127.0.0.1:$(cat "$T/port")
export CTP_SAM_API_KEY=test-key
fetch() { run ctp-screen -v fetch --retries 0 --timeout 5 \
    --leie-url "$U/ok/UPDATED.csv" --sam-url "$U/ok/sam.zip" "$@"; }
fetch --db "$D"
is "$rc" 0 "fetch --db DIR: exit 0"
is "$(grep -c . "$W/requests.log")" 2 "two lists, two requests for three organizations"
is "$(grep -c '^GET /ok/UPDATED.csv - -' "$W/requests.log")/$(grep -c '^GET /ok/sam.zip - -' "$W/requests.log")" "1/1" "each list downloaded once"
for o in acme beta cedar; do
	is "$(sqlite3 "$D/$o.db" "SELECT count(*) FROM screen_lists WHERE active = 1")" 2 "$o: both lists loaded"
	like "$T/err" "^$o: leie: loaded, 13 rows\$" "$o: named in what fetch said"
done
ls "$XDG_CACHE_HOME/ctp/lists" >"$T/cached"
is "$(grep -c '\.list$' "$T/cached")/$(grep -c '\.meta$' "$T/cached")" "2/2" "the cache holds each list and its meta file"
unlike "$T/cached" 'test-key' "never the API key"
ok "nor in a meta file" sh -c "! grep -q test-key '$XDG_CACHE_HOME'/ctp/lists/*.meta"
: >"$W/requests.log"
fetch --db "$D"
is "$rc" 0 "fetch again: exit 0"
is "$(grep -c . "$W/requests.log")" 2 "one conditional request a list"
like "$W/requests.log" '^GET /ok/UPDATED.csv "[0-9a-f]+"' "with the cached ETag"
like "$T/err" '^beta: sam: not modified since the last download$' "each organization holding it is skipped"
is "$(sqlite3 "$D/beta.db" "SELECT count(*) FROM screen_lists")" 2 "and nothing loaded again"
# A new client: loaded from the cache.
CTP_DB=$D/delta.db ctp-init --name "Org delta" >/dev/null
: >"$W/requests.log"
fetch --db "$D/acme.db" --db "$D/delta.db"
is "$rc" 0 "fetch --db FILE --db FILE: exit 0"
is "$(grep -c . "$W/requests.log")" 2 "still one request a list"
like "$T/err" '^delta: leie: loaded, 13 rows$' "the new organization loads it from the cache"
like "$T/err" '^acme: leie: not modified' "the other is skipped"
rm "$D/delta.db"*
# A failure is each organization's.
fetch --db "$D" --leie-url "$U/404/UPDATED.csv" --sam-url ""
is "$rc" 69 "a list that cannot be had: exit 69"
is "$(grep -c 'HTTP 404' "$T/err")" 3 "said for each organization"
like "$T/err" '^ctp-screen: cedar: leie: server answered HTTP 404$' "naming it"

# --- run: every organization screened, one listing
run ctp-screen run --db "$D" --csv --as-of 2026-06-01
is "$rc" 1 "run --db DIR: exit 1 (matches wait for review)"
like "$T/out" '^org,match_id,' "the listing's first column is the organization"
for o in acme beta cedar; do
	is "$(sqlite3 "$D/$o.db" "SELECT count(*) FROM screen_runs")" 1 "$o: one run"
	is "$(grep -c "^$o," "$T/out")" "$(sqlite3 "$D/$o.db" "SELECT count(*) FROM screen_matches WHERE status = 'pending'")" "$o: its pending matches listed under its name"
	is "$(own_npis $o)" "$(roster_npis $o)" "$o: its file names its own providers only"
done
is "$(grep -c '^cedar,' "$T/out")" 0 "cedar: clear, no rows"
ok "acme and beta: a match each at least" sh -c "grep -q '^acme,' '$T/out' && grep -q '^beta,' '$T/out'"
# Several at once (the default) or one after the other: the same listing.
cp -r "$D" "$T/seq"
run ctp-screen run --db "$T/seq" --csv --as-of 2026-06-01 --jobs 1
is "$rc" 1 "--jobs 1: exit 1 too"
cut -d, -f1-16 "$T/out" >"$T/seq.csv"
run ctp-screen run --db "$T/seq" --csv --as-of 2026-06-01 --jobs 3
cut -d, -f1-16 "$T/out" >"$T/par.csv"
ok "--jobs 3 lists what --jobs 1 lists, in the same order" cmp -s "$T/seq.csv" "$T/par.csv"
run ctp-screen run --db "$T/seq" --jobs 0
is "$rc" 2 "--jobs 0: usage"
like "$T/err" 'jobs: a number from 1 to 16' "says so"
rm -rf "$T/seq"
# The organizations that hold the same lists use one index of them
# (lib/screen_shared.c), the first one's: each one's matches are those it
# gets on its own, under its own list versions; one whose versions have
# other ids (dshift) or that has nickname pairs of its own (enick) too.
mkdir "$T/sh" "$T/alone"
cp "$D/acme.db" "$D/beta.db" "$T/sh/"
cp "$D/beta.db" "$T/sh/dshift.db"
sqlite3 "$T/sh/dshift.db" "PRAGMA foreign_keys = OFF;
  UPDATE screen_entries SET version_id = version_id + 100;
  UPDATE screen_matches SET version_id = version_id + 100;
  UPDATE screen_lists SET id = id + 100, parent_id = parent_id + 100;"
cp "$D/beta.db" "$T/sh/enick.db"
CTP_DB=$T/sh/enick.db ctp-screen nicknames add johnny jon >/dev/null
cp "$T/sh/"*.db "$T/alone/"
matches() {
	sqlite3 "$1" "SELECT provider_id, source, ident, version_id, rule,
	  result, status FROM screen_matches ORDER BY id"
}
for j in 1 2; do
	rm -rf "$T/sh$j"
	cp -r "$T/sh" "$T/sh$j"
	run ctp-screen run --db "$T/sh$j" --csv --as-of 2026-06-01 --jobs $j
	is "$rc" 1 "four organizations, --jobs $j: exit 1"
done
for o in acme beta dshift enick; do
	run ctp-screen run --db "$T/alone/$o.db" --csv --as-of 2026-06-01
	for j in 1 2; do
		is "$(matches "$T/sh$j/$o.db")" "$(matches "$T/alone/$o.db")" 		    "$o, --jobs $j: the matches it gets on its own"
	done
done
is "$(sqlite3 "$T/sh2/dshift.db" "SELECT count(*) FROM screen_matches m
  WHERE version_id NOT IN (SELECT id FROM screen_lists)")/$(sqlite3   "$T/sh2/dshift.db" "SELECT count(*) FROM screen_matches WHERE version_id > 100")"     "0/$(sqlite3 "$T/sh2/dshift.db" "SELECT count(*) FROM screen_matches")"     "dshift: each match under a version of its own"
rm -rf "$T/sh" "$T/sh1" "$T/sh2" "$T/alone"
# One organization failing does not stop the others.
printf 'not a database\n' >"$D/broken.db"
run ctp-screen run --db "$D" --csv --as-of 2026-06-01
is "$rc" 65 "a broken organization: the worst status, 65"
like "$T/err" '^ctp-screen: broken: .*broken\.db: not a ctp organization database' "names it"
for o in acme beta cedar; do
	is "$(sqlite3 "$D/$o.db" "SELECT count(*) FROM screen_runs")" 2 "$o: screened all the same"
done
rm "$D/broken.db"
run env CTP_USER=alice ctp-screen run --db "$D" --csv --as-of 2026-06-01
is "$rc" 77 "alice has no role in cedar: 77"
like "$T/err" '^ctp-screen: cedar: ' "says which"
is "$(sqlite3 "$D/acme.db" "SELECT count(*) FROM screen_runs")/$(sqlite3 "$D/cedar.db" "SELECT count(*) FROM screen_runs")" "3/2" "her two screened, not cedar"
run ctp-screen run --db "$D" 1851713903
is "$rc" 2 "run NPI with several organizations: usage"
run ctp-screen lists --db "$D"
is "$rc" 2 "lists takes one organization"
like "$T/err" 'one organization at a time' "says so"

# --- npi refresh: an NPI on two rosters asked once
start_server "$here/npi-httpd.py" --dir "$FIXTURES/npi/api" \
    --log "$T/npi.log" --control "$T/control"
API=http://127.0.0.1:$PORT/api/
run ctp-npi refresh --db "$D" --api "$API" --as-of 2026-11-01 --csv
is "$rc" 1 "refresh --db DIR: exit 1 (new mismatches)"
is "$(sort "$T/npi.log" | tr '\n' ' ')" "1376543212 1417013938 1851713903 " "five roster entries, three NPIs, each asked once"
like "$T/out" '^org,mismatch_id,' "the mismatches name their organization"
for o in acme beta cedar; do
	is "$(sqlite3 "$D/$o.db" "SELECT count(*) FROM audit WHERE action = 'npi.verify'")" \
	    "$(sqlite3 "$D/$o.db" "SELECT count(*) FROM providers")" "$o: an npi.verify event per provider"
	is "$(own_npis $o)" "$(roster_npis $o)" "$o: still its own providers only"
done
is "$(sqlite3 "$D/beta.db" "SELECT json_extract(detail, '\$.same_run') FROM audit WHERE action = 'npi.verify' AND obj_id = '1851713903'")" 1 "beta's answer for the shared NPI: from the same run"
is "$(grep -c '^beta,' "$T/out")" "$(sqlite3 "$D/beta.db" "SELECT count(*) FROM npi_mismatches WHERE status = 'open'")" "beta: its mismatches listed under its name"
printf 'mode=normal\nfail=1376543212\n' >"$T/control"
: >"$T/npi.log"
run ctp-npi refresh --db "$D" --api "$API" --as-of 2026-11-02 --retries 0
is "$rc" 69 "one NPI unanswered in beta: exit 69"
like "$T/err" '^ctp-npi: beta: refresh: 1 of 2 providers not checked' "names beta"
is "$(sqlite3 "$D/cedar.db" "SELECT count(*) FROM audit WHERE action = 'npi.verify'")" 2 "cedar refreshed all the same"

# --- verify: each organization in turn
run ctp-verify --db "$D" --kind oig --as-of 2026-06-01 --csv
is "$(sed 1d "$T/out" | cut -d, -f1 | sort | uniq -c | awk '{print $2 $1}' | tr '\n' ' ')" "acme2 beta2 cedar1 " "verify --db DIR: a row per provider, under its organization"
case $rc in 0|1) ok_ 0 "verify --db DIR: exit 0 or 1" ;; *) ok_ 1 "verify --db DIR: exit $rc" ;; esac
printf 'mode=normal\n' >"$T/control"
for o in acme beta cedar; do
	CTP_DB=$D/$o.db ctp-org set nppes_api_url "$API" >/dev/null
done
: >"$T/npi.log"
psv0=$(sqlite3 "$D/beta.db" "SELECT count(*) FROM psv_log")
run ctp-verify --db "$D" --kind npi --as-of 2026-06-01 --csv
is "$(sort "$T/npi.log" | tr '\n' ' ')" "1376543212 1417013938 1851713903 " "verify --kind npi: an NPI on two rosters asked of the registry once"
is "$(grep -c '^acme,1851713903,' "$T/out")/$(grep -c '^beta,1851713903,' "$T/out")" "1/1" "and its result in each organization"
is "$(grep '^acme,1851713903,' "$T/out" | cut -d, -f2- | sed 's/,[0-9]*$//')" "$(grep '^beta,1851713903,' "$T/out" | cut -d, -f2- | sed 's/,[0-9]*$//')" "the same result (each its own PSV entry)"
is "$(($(sqlite3 "$D/beta.db" "SELECT count(*) FROM psv_log") - psv0))" 2 "beta's PSV log has its own two entries"
printf 'mode=normal\nfail=1851713903\n' >"$T/control"
: >"$T/npi.log"
run ctp-verify --db "$D" --kind npi --as-of 2026-06-02 --csv
is "$(grep -c 1851713903 "$T/npi.log")" 4 "a failed answer is asked again for the next organization (2 tries each)"
printf 'mode=normal\n' >"$T/control"
run env CTP_USER=alice ctp-verify --db "$D" --kind oig --csv
is "$rc" 77 "verify: a refused organization is the worst status"
is "$(sed 1d "$T/out" | cut -d, -f1 | sort -u | tr '\n' ' ')" "acme beta " "the others verified"

done_testing
