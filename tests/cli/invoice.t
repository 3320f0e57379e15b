#!/bin/sh
# ctp-invoice: the seat rule over the status history (added and
# terminated mid-month), monthly and annual sums in cents, the same
# numbers every time, the month refused when malformed or to come, the
# combined CSV over several organizations, and the PDF.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/import
new_org "Valley Medical"
ctp-user add alice --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null
ctp-import --as-of 2026-05-01 "$F/clean.csv" 2>/dev/null

# The roster's story, as history rows with the days they were recorded
# (the programs write them with today's date): everyone added on
# 2026-01-05 but Baker (2026-05-20); Hill made inactive on 2026-05-03,
# Jones on 2026-04-30; Sanchez pending all along; Torres excluded on
# 2026-03-10 and active again on 2026-05-31.
sqlite3 "$CTP_DB" "
UPDATE providers SET created_at = '2026-01-05T14:00:00Z';
UPDATE providers SET created_at = '2026-05-20T09:00:00Z' WHERE last_name = 'Baker';
UPDATE providers SET status = 'inactive' WHERE last_name IN ('Hill', 'Jones');
UPDATE providers SET status = 'pending' WHERE last_name = 'Sanchez';
INSERT INTO history (provider_id, field, old_value, new_value, actor, ts)
  SELECT id, 'status', 'active', 'inactive', 'root', '2026-05-03T17:00:00Z'
  FROM providers WHERE last_name = 'Hill';
INSERT INTO history (provider_id, field, old_value, new_value, actor, ts)
  SELECT id, 'status', 'active', 'inactive', 'root', '2026-04-30T23:59:00Z'
  FROM providers WHERE last_name = 'Jones';
INSERT INTO history (provider_id, field, old_value, new_value, actor, ts)
  SELECT id, 'status', 'active', 'excluded', 'root', '2026-03-10T08:00:00Z'
  FROM providers WHERE last_name = 'Torres';
INSERT INTO history (provider_id, field, old_value, new_value, actor, ts)
  SELECT id, 'status', 'excluded', 'active', 'root', '2026-05-31T08:00:00Z'
  FROM providers WHERE last_name = 'Torres';"

seats() { # seats MONTH [--annual]: the NPIs billed, by name
	ctp-invoice --as-of 2026-11-15 --month "$@" --json |
	    python3 -c 'import json,sys
o=json.loads(sys.stdin.read())
print(" ".join(p["last_name"] for p in o["billed_providers"]))'
}
is "$(seats 2026-05)" "Anderson Baker Hill Torres" \
	"May: added on the 20th, inactive from the 3rd, active on the 31st"
is "$(seats 2026-04)" "Anderson Hill Jones" \
	"April: inactive on the 30th still counts; not yet added does not"
is "$(seats 2026-06)" "Anderson Baker Torres" \
	"June: made inactive before the month began does not count"
is "$(seats 2025-12)" "" "December: nobody added yet"

run ctp-invoice --as-of 2026-11-15 --month 2026-05 --csv
is "$rc" 0 "exits 0"
is "$(cat "$T/out")" "organization,database,month,plan,seats,base_fee,seat_price,base_amount,seats_amount,subtotal,total
Valley Medical,$CTP_DB,2026-05,monthly,4,99.00,15.00,99.00,60.00,159.00,159.00" \
	"monthly: 99.00 + 4 x 15.00"
run ctp-invoice --as-of 2026-11-15 --month 2026-05 --annual --csv
is "$(tail -1 "$T/out")" \
	"Valley Medical,$CTP_DB,2026-05,annual,4,99.00,12.00,1188.00,576.00,1764.00,1764.00" \
	"annual: 12 x 99.00 + 4 x 12 x 12.00"
run ctp-invoice --as-of 2026-11-15 --month 2026-05 --json
like "$T/out" '"lines":\[\{"item":"base","quantity":1,"unit":"99.00","amount":"99.00"\},\{"item":"seats","quantity":4,"unit":"15.00","amount":"60.00"\}\],"subtotal":"159.00","total":"159.00","total_cents":15900' \
	"JSON: the lines, subtotal and total"
unlike "$T/out" "alice|sam" "coordinator and auditor users are never billed"

# Prices in cents, never floating point: 0.10 + 0.20 three times over.
ctp-org set price_base 0.10
ctp-org set price_seat 0.20
run ctp-invoice --as-of 2026-11-15 --month 2026-05 --csv
is "$(tail -1 "$T/out" | cut -d, -f5-)" "4,0.10,0.20,0.10,0.80,0.90,0.90" \
	"cents add up exactly"
ctp-org set price_seat 15.5
ctp-org set price_base 99
run ctp-invoice --as-of 2026-11-15 --month 2026-05 --csv
is "$(tail -1 "$T/out" | cut -d, -f5-)" "4,99.00,15.50,99.00,62.00,161.00,161.00" \
	"the organization's own prices"
ctp-org set price_seat 15.00

# The same month again: the same numbers, each run a billing event.
n0=$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'billing.invoice'")
ctp-invoice --as-of 2026-11-15 --month 2026-05 --json >"$T/a"
ctp-invoice --as-of 2026-11-15 --month 2026-05 --json >"$T/b"
ok "the same month twice gives the same invoice" cmp -s "$T/a" "$T/b"
is "$(sqlite3 "$CTP_DB" "SELECT count(DISTINCT detail) || ' ' || count(*)
  FROM audit WHERE action = 'billing.invoice' AND seq > (SELECT seq FROM
  audit WHERE action = 'billing.invoice' LIMIT 1 OFFSET $((n0 - 1)))")" "1 2" \
	"each run is a billing event with the same numbers"
is "$(sqlite3 "$CTP_DB" "SELECT detail FROM audit WHERE action =
  'billing.invoice' ORDER BY seq DESC LIMIT 1")" \
	'{"base_fee":"99.00","month":"2026-05","plan":"monthly","seat_price":"15.00","seats":4,"subtotal":"159.00","total":"159.00"}' \
	"the event holds the numbers"

# Refusals: nothing written.
db_snap
for m in 2026-5 2026-13 26-05 2026-05-01 "" 2026/05 ２０２６-05; do
	run ctp-invoice --month "$m"
	is "$rc" 2 "malformed month '$m' refused"
done
like "$T/err" "^ctp-invoice: --month: not a month \(YYYY-MM\): " "says what a month is"
run ctp-invoice --as-of 2026-06-15 --month 2026-07
is "$rc" 65 "a month that has not begun is refused"
like "$T/err" "^ctp-invoice: --month: 2026-07 has not begun \(today is 2026-06-15\)$" \
	"says so"
run ctp-invoice --month 2099-01
is "$rc" 65 "a month years away"
run ctp-invoice
is "$rc" 2 "--month is required"
db_unchanged "nothing written by a refused month"
CTP_USER=alice run ctp-invoice --as-of 2026-11-15 --month 2026-05
is "$rc" 77 "a coordinator may not bill"
CTP_USER=sam run ctp-invoice --as-of 2026-11-15 --month 2026-05
is "$rc" 77 "nor an auditor"
is "$(cat "$T/out")" "" "and gets no invoice"
run ctp-invoice --as-of 2026-06-15 --month 2026-06 --csv
is "$rc" 0 "the month under way may be invoiced"

# The PDF, through the safe-output helper.
mkdir "$T/pdf"
run ctp-invoice --as-of 2026-11-15 --month 2026-05 --pdf "$T/pdf" --csv
is "$rc" 0 "--pdf"
P=$T/pdf/invoice-2026-05-org.pdf
ok "one PDF per invoice, named after the database" test -f "$P"
is "$(stat -c %a "$P")" 600 "mode 0600"
if command -v pdftotext >/dev/null 2>&1; then
	pdftotext -layout "$P" "$T/pdf.txt"
	like "$T/pdf.txt" "Valley Medical" "the PDF names the organization"
	like "$T/pdf.txt" "Month 2026-05, monthly plan" "and the month"
	like "$T/pdf.txt" "Provider seats +4 +15.00 +60.00" "the seats line"
	like "$T/pdf.txt" "Total \(USD\) +159.00" "the total"
	is "$(pdfinfo "$P" | sed -n 's/^Pages: *//p')" 1 "one page"
else
	skip "PDF text" "pdftotext not installed"
fi
run ctp-invoice --as-of 2026-11-15 --month 2026-05 --pdf "$T/pdf" --csv
is "$rc" 73 "an existing PDF is not replaced"
like "$T/err" "invoice-2026-05-org.pdf" "names it"
run ctp-invoice --as-of 2026-11-15 --month 2026-05 --pdf "$T/pdf" --force --csv
is "$rc" 0 "--force replaces it"

# Several organizations: one combined CSV, a row each.
mkdir "$T/orgs"
mv "$CTP_DB" "$T/orgs/valley.db"
ctp-init --db "$T/orgs/hill.db" --name "Hill Clinic" >/dev/null
head -2 "$F/clean.csv" >"$T/one.csv"
ctp-import --db "$T/orgs/hill.db" "$T/one.csv" 2>/dev/null
sqlite3 "$T/orgs/hill.db" "UPDATE providers SET created_at = '2026-02-01T00:00:00Z'"
run ctp-invoice --as-of 2026-11-15 --month 2026-05 --db "$T/orgs" --csv
is "$rc" 0 "a directory of organizations"
is "$(cut -d, -f1,3,5,11 "$T/out")" "organization,month,seats,total
Hill Clinic,2026-05,1,114.00
Valley Medical,2026-05,4,159.00" "one row per organization, in file order"
run ctp-invoice --as-of 2026-11-15 --month 2026-05 --db "$T/orgs" --json
is "$(wc -l <"$T/out" | tr -d ' ')" 2 "--json: one object per invoice"
# alice is a coordinator in valley and owns an organization of her own.
CTP_USER=alice ctp-init --db "$T/orgs/zz.db" --name "Alice Books" >/dev/null
CTP_USER=alice run ctp-invoice --as-of 2026-11-15 --month 2026-05 \
	--db "$T/orgs" --csv
is "$rc" 77 "an organization that refuses the caller: exit 77"
like "$T/err" "hill.db" "named on stderr"
like "$T/err" "valley.db" "each of them"
is "$(tail -n +2 "$T/out" | cut -d, -f1)" "Alice Books" "the others invoiced"
done_testing
