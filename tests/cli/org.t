#!/bin/sh
# ctp-org: settings and their validation.
. "$(dirname "$0")/lib.sh"
new_org "Valley Medical Group"
ctp-user add alice --role coordinator
ctp-user add aud --role auditor

run ctp-org show
is "$rc" 0 "show"
like "$T/out" "^recred_months,36$" "default recred_months 36"
like "$T/out" "^caqh_attest_days,120$" "default CAQH 120 days"
like "$T/out" '^inbox_thresholds,"120,90,60,30"$' "default thresholds"
like "$T/out" "^verify_window_days,120$" "default PSV window 120 days"
like "$T/out" "^price_base,99.00$" "default base fee 99.00"
like "$T/out" "^price_seat,15.00$" "default seat 15.00"
like "$T/out" "^price_seat_annual,12.00$" "default annual seat 12.00"
like "$T/out" "^enroll_stale_days,30$" "default enrollment follow-up 30 days"
run env CTP_USER=aud ctp-org show
is "$rc" 0 "an auditor may read settings"

for kv in "recred_months 24" "caqh_attest_days 90" "inbox_thresholds 90,60,30,14" \
	"timezone America/Chicago" "name Valley Medical"; do
	set -- $kv
	run ctp-org set "$1" "$2"
	is "$rc" 0 "set $1"
done
run ctp-org show --json
like "$T/out" '"key":"recred_months","value":"24"' "value stored"
is "$(sqlite3 "$CTP_DB" "SELECT detail FROM audit WHERE action='org.set' AND obj_id='recred_months'")" \
	'{"key":"recred_months","new":"24","old":"36"}' "audit keeps old and new"

a0=$(count audit)
for kv in "recred_months 0" "recred_months 12x" "caqh_attest_days -5" \
	"inbox_thresholds 30,60" "inbox_thresholds 90,,30" \
	"timezone Mars/Olympus" "timezone ../../etc/passwd"; do
	set -- $kv
	run ctp-org set -- "$1" "$2"
	is "$rc" 65 "rejects $1=$2"
done
like "$T/err" "^ctp-org: timezone: must be UTC or an IANA time zone" "names the setting"
is "$(count audit)" "$((a0 + 7))" "refused values write only auth rows"
run ctp-org set nosuch 1
is "$rc" 2 "unknown key"
for v in 99 99.5 0.99 120.00; do
	run ctp-org set price_base "$v"
	is "$rc" 0 "price_base $v accepted"
done
for v in -1 99.999 '$99' 1,000 .5 99. '9 9' 1e3; do
	run ctp-org set -- price_seat "$v"
	is "$rc" 65 "price_seat '$v' refused"
done
like "$T/err" "^ctp-org: price_seat: must be an amount in dollars" \
	"says what a price is"
ctp-org set price_base 99.00
run env CTP_USER=alice ctp-org set recred_months 12
is "$rc" 77 "a coordinator cannot change settings"
run ctp-org set recred_months
is "$rc" 2 "set needs a value"
run ctp-org show extra
is "$rc" 2 "show takes no arguments"
ctp-org set sam_api_key s3cret
run ctp-org show
like "$T/out" "^sam_api_key,\(set\)$" "secrets are masked"
unlike "$T/out" "s3cret" "the key is never printed"
ok "nor audit-logged" sh -c "! sqlite3 '$CTP_DB' 'SELECT detail FROM audit' | grep -q s3cret"
done_testing
