#!/bin/sh
# ctp-today: --json on a fixture organization, section by section, each
# held to the program that owns its rule; the text screen within 80
# columns; the HTML page escaped, its numbers those of --json, opened in
# headless Chromium; an organization that refuses the caller.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/import
A=2026-05-01
new_org "Valley <Medical>"
ctp-import --as-of $A "$F/clean.csv" 2>/dev/null
B=1000005037	# Baker, renamed <script> below
H=1000005029	# Hill
ctp-roster set $B last_name '<script>alert(1)</script>'
# Enrollments: one asked for three days ago (new), one submitted 40
# days ago (stalled), one approved (neither).
ctp-enroll add $H --payer "Acme & Sons" --requested 2026-04-28 >/dev/null
ctp-enroll add $B --payer Medicare --line medicare --requested 2026-03-01 \
	>/dev/null
ctp-enroll set 2 --status submitted --effective 2026-03-22 --as-of $A
ctp-enroll add $H --payer Medicaid --line medicaid --requested 2026-01-02 \
	>/dev/null
ctp-enroll set 3 --status submitted --effective 2026-01-03 --as-of $A
ctp-enroll set 3 --status approved --effective 2026-02-01 --as-of $A
# An open NPI mismatch and a finished screening run, as their programs
# leave them (the rows only: no registry or list is fetched here).
sqlite3 "$CTP_DB" "
INSERT INTO npi_mismatches (provider_id, field, roster_value, registry_value,
  method, found_on, found_at, found_by)
  SELECT id, 'last_name', 'Hill', 'Hill-Smith', 'api', '2026-04-30',
  '2026-04-30T06:00:00Z', 'root' FROM providers WHERE npi = '$H';
INSERT INTO screen_runs (started_at, finished_at, as_of, actor, scope, lists,
  providers) VALUES ('2026-04-30T05:00:00Z', '2026-04-30T05:01:00Z',
  '2026-04-30', 'root', 'roster', '[{\"source\":\"OIG LEIE\",\"version\":3,
  \"reference\":\"v3\"},{\"source\":\"SAM\",\"version\":4,\"reference\":\"v4\"}]',
  6);"

run ctp-today --as-of $A --json
is "$rc" 0 "exits 0"
is "$(wc -l <"$T/out" | tr -d ' ')" 1 "one object for one organization"
cp "$T/out" "$T/today.json"
get() { # get PYTHON-EXPRESSION-ON-o
	python3 -c "import json,sys
o=json.load(open(sys.argv[1]))
print($1)" "$T/today.json"
}
is "$(get 'list(o.keys())')" \
	"['organization', 'database', 'as_of', 'due', 'psv_queue', 'enrollments', 'screening', 'npi_mismatches', 'documents', 'review']" \
	"a key per section, in the dashboard's order"
is "$(get 'sorted(o["due"]["first"][0].keys())')" \
	"['days_left', 'detail', 'due', 'first_name', 'kind', 'last_name', 'npi']" \
	"due: an item's fields, the name in two"
is "$(get 'o["organization"], o["as_of"]')" "Valley <Medical> $A" \
	"the organization and the day"

# Due: ctp-expiring's items within 90 days, by band.
ctp-expiring --as-of $A --within 90 --json >"$T/exp.json"
want=$(python3 -c 'import json,sys
b={"overdue":0,"30":0,"60":0,"90":0,"no_date":0}
for l in open(sys.argv[1]):
    d=json.loads(l)["days_left"]
    b["no_date" if d is None else "overdue" if d<0 else "30" if d<=30 else "60" if d<=60 else "90"]+=1
print(b, sum(b.values()))' "$T/exp.json")
is "$(get '{k:o["due"][k] for k in ["overdue","30","60","90","no_date"]}, o["due"]["total"]')" \
	"$want" "due: the counts of ctp-expiring's items by band"
is "$(get 'len(o["due"]["first"]) == min(5, o["due"]["total"]) > 0')" True \
	"due: the first few"
is "$(get 'o["due"]["first"][0]["npi"]')" \
	"$(head -1 "$T/exp.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["npi"])')" \
	"due: in ctp-expiring's order"
# PSV queue: ctp-psv queue's rows.
n=$(ctp-psv queue --as-of $A --csv | tail -n +2 | wc -l | tr -d ' ')
is "$(get 'o["psv_queue"]["count"]')" "$n" "psv_queue: the count of ctp-psv queue"
is "$(get 'len(o["psv_queue"]["first"])')" 5 "psv_queue: the first five"
# Enrollments.
is "$(get 'o["enrollments"]["new"], o["enrollments"]["stalled"], o["enrollments"]["open"]')" \
	"1 1 2" "enrollments: one new, one stalled, two open"
is "$(get '[(x["id"], x["payer"], x["new"], x["stalled"], x["days"]) for x in o["enrollments"]["first"]]')" \
	"[(2, 'Medicare', False, True, 40), (1, 'Acme & Sons', True, False, 3)]" \
	"enrollments: the stalled first (longest without a change)"
# Screening.
is "$(get 'o["screening"]["last_run"]["as_of"], [l["source"] for l in o["screening"]["last_run"]["lists"]], o["screening"]["pending_matches"]')" \
	"2026-04-30 ['OIG LEIE', 'SAM'] 0" \
	"screening: the last run, its lists, no pending match"
# NPI mismatches.
is "$(get 'o["npi_mismatches"]["open"], o["npi_mismatches"]["first"][0]["registry_value"]')" \
	"1 Hill-Smith" "npi_mismatches: the open one"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'today.read'")" \
	1 "the read is audit-logged"

# Documents of the last 24 hours and the review queue: two documents
# added today, one of them approved; the license's expiration date, read
# from it, is a suggestion pending.
cp "$CTP_DB" "$T/docs.db"
npi=$(sqlite3 "$T/docs.db" "SELECT npi FROM providers ORDER BY id LIMIT 1")
printf 'State license\nExpires 2028-01-31\n' >"$T/license.txt"
printf 'Curriculum vitae <b>\n' >"$T/cv.txt"
ctp-doc --db "$T/docs.db" add "$npi" "$T/license.txt" --kind license \
    >/dev/null 2>&1
ctp-doc --db "$T/docs.db" add "$npi" "$T/cv.txt" --kind cv >/dev/null 2>&1
d=$(sqlite3 "$T/docs.db" "SELECT id FROM documents WHERE kind = 'cv'")
ctp-review --db "$T/docs.db" approve "d$d" >/dev/null 2>&1
run ctp-today --db "$T/docs.db" --json
is "$(python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
d, r = o["documents"], o["review"]
print(d["available"], d["count"], sorted(x["kind"] for x in d["first"]),
      r["available"], r["pending"], r["documents"], r["suggestions"])' \
      "$T/out")" \
	"True 2 ['cv', 'license'] True 2 1 1" \
	"documents: the two of the last 24 hours; review: a document and a suggestion pending"
run ctp-today --db "$T/docs.db" --as-of 2026-05-01 --json
is "$(python3 -c '
import json, sys
print(json.load(open(sys.argv[1]))["documents"]["count"])' "$T/out")" 0 \
	"documents: none in the 24 hours before an earlier day"

# The text screen: 80 columns, no control character.
run ctp-today --as-of $A
is "$rc" 0 "text exits 0"
is "$(python3 -c 'import sys
print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$T/out" |
	awk '{ print ($1 <= 80) ? "fits" : $1 }')" fits "every line fits 80 columns"
like "$T/out" "^== Valley <Medical>, $A ==$" "a heading per organization"
like "$T/out" "^Enrollments: 1 new, 1 stalled, 2 open$" "the enrollments line"

# The HTML page.
run ctp-today --as-of $A --html "$T/today.html"
is "$rc" 0 "--html exits 0"
is "$(cat "$T/out")" "" "nothing on standard output"
is "$(stat -c %a "$T/today.html")" 600 "the page is mode 0600"
unlike "$T/today.html" "<script" "no script element: the name is text"
like "$T/today.html" "&lt;script&gt;alert\(1\)&lt;/script&gt;" \
	"the provider named <script> is escaped"
like "$T/today.html" "Valley &lt;Medical&gt;" "so is the organization"
like "$T/today.html" "Acme &amp; Sons" "and a payer"
unlike "$T/today.html" "(src|href)=" "no external asset"
is "$(python3 -c 'import json,re,sys
html=open(sys.argv[1]).read()
o=json.load(open(sys.argv[2]))
keys=re.findall(r"data-key=\"([a-z_]+)\.([a-z0-9_]+)\">(-?[0-9]+)<", html)
bad=[k for k in keys if str(o[k[0]][k[1]]) != k[2]]
print(len(keys) >= 12, bad)' "$T/today.html" "$T/today.json")" "True []" \
	"every number in the page is --json's"
run ctp-today --as-of $A --html "$T/today.html"
is "$rc" 73 "an existing page is not replaced"
run ctp-today --as-of $A --html "$T/today.html" --force
is "$rc" 0 "--force replaces it"
run ctp-today --json --html "$T/x.html"
is "$rc" 2 "--json and --html exclude each other"

if command -v chromium >/dev/null 2>&1; then
	mkdir "$T/home"
	HOME=$T/home timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--screenshot="$T/shot.png" --window-size=1024,2000 \
		"file://$T/today.html" >/dev/null 2>&1
	ok "Chromium takes a screenshot of the page" test -s "$T/shot.png"
	HOME=$T/home timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--dump-dom "file://$T/today.html" >"$T/dom.html" 2>/dev/null
	python3 -c 'import html.parser,sys
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.t=[]; s.tags=set()
    def handle_starttag(s,tag,a): s.tags.add(tag)
    def handle_data(s,d): s.t.append(d)
p=P(); p.feed(open(sys.argv[1]).read())
print(" ".join(" ".join(p.t).split()))
print("TAGS", " ".join(sorted(p.tags)))' "$T/dom.html" >"$T/dom.txt"
	like "$T/dom.txt" "<script>alert\(1\)</script>, Karen" \
		"the page text shows the name as written"
	unlike "$T/dom.txt" "^TAGS.* script( |$)" "and the browser made no script of it"
	like "$T/dom.txt" "Enrollments new stalled open 1 1 2" \
		"the page text has the enrollment counts"
	like "$T/dom.txt" "Pending matches: 0" "and the screening section"
else
	skip "Chromium screenshot" "chromium not installed (scripts/install-deps)"
	skip "page text" "chromium not installed"
	skip "no script element" "chromium not installed"
	skip "enrollment counts" "chromium not installed"
	skip "screening section" "chromium not installed"
fi

# Several organizations: one refuses the caller.
mkdir "$T/orgs"
cp "$CTP_DB" "$T/orgs/a-valley.db"
CTP_USER=alice ctp-init --db "$T/orgs/b-alice.db" --name "Alice Books" \
	>/dev/null
CTP_USER=alice run ctp-today --db "$T/orgs" --as-of $A --json
is "$rc" 77 "an organization that refuses the caller: exit 77"
like "$T/err" "a-valley.db" "named on stderr"
is "$(python3 -c 'import json,sys
print([json.loads(l)["organization"] for l in open(sys.argv[1])])' "$T/out")" \
	"['Alice Books']" "the others shown"
CTP_USER=alice ctp-user add root --role auditor --db "$T/orgs/b-alice.db"
run ctp-today --db "$T/orgs" --as-of $A
is "$rc" 0 "an auditor of both reads both"
is "$(grep -c '^== ' "$T/out")" 2 "a heading per organization"
done_testing
