#!/bin/sh
# ctp-enroll: add, the transitions allowed and refused (nothing written),
# the events and audit rows, the stalled follow-up and the revalidation
# in ctp-expiring, and the settings that move them.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/import
new_org
ctp-user add alice --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null
ctp-import --as-of 2026-05-01 "$F/clean.csv" 2>/dev/null
B=1000005037	# Baker
H=1000005029	# Hill

run ctp-enroll add $B --payer "Medicare" --line medicare --requested 2026-01-02
is "$rc" 0 "add exits 0"
is "$(cat "$T/out")" 1 "prints the new id"
is "$(sqlite3 "$CTP_DB" "SELECT status, requested, changed FROM enrollments")" \
	"requested|2026-01-02|2026-01-02" "stored as requested"
is "$(sqlite3 "$CTP_DB" "SELECT coalesce(old_status, '-'), new_status,
  effective FROM enrollment_events")" "-|requested|2026-01-02" \
	"its first event"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action =
  'enroll.add' AND obj_id = '1'")" 1 "audit-logged"

# Refusals of add: nothing written.
db_snap
run ctp-enroll add $B --payer "Medicare" --line medicare
is "$rc" 65 "a second open enrollment with the same payer and line"
like "$T/err" "^ctp-enroll: $B: an open medicare enrollment with Medicare is enrollment 1$" \
	"names the open one"
run ctp-enroll add 1000000000 --payer Aetna
is "$rc" 65 "an NPI not on the roster"
like "$T/err" "^ctp-enroll: 1000000000: not on the roster$" "says so"
run ctp-enroll add $B --payer "$(printf 'A\tB')"
is "$rc" 65 "a payer with a control character"
like "$T/err" "^ctp-enroll: --payer: must not contain control characters$" \
	"says why"
run ctp-enroll add $B --payer Aetna --line dental
is "$rc" 2 "an unknown line is a usage error"
run ctp-enroll add $B --payer Aetna --requested 2026-06-01 --as-of 2026-05-01
is "$rc" 65 "a request dated after today"
like "$T/err" "^ctp-enroll: --requested: after today$" "says so"
run ctp-enroll add $B
is "$rc" 2 "add needs --payer"
db_unchanged "nothing written by a refused add"
CTP_USER=sam run ctp-enroll add $B --payer Aetna
is "$rc" 77 "an auditor may not add"
is "$(count enrollments)" 1 "and adds nothing"

# The way through: submitted, in_process, approved.
CTP_USER=alice run ctp-enroll set 1 --status submitted --effective 2026-01-10 \
	--as-of 2026-05-01 --note "mailed 855I"
is "$rc" 0 "a coordinator submits"
run ctp-enroll set 1 --status in_process --effective 2026-02-01 --as-of 2026-05-01
is "$rc" 0 "in process"

# Refused transitions and dates: nothing written.
db_snap
run ctp-enroll set 1 --status requested --as-of 2026-05-01
is "$rc" 65 "in_process to requested refused"
like "$T/err" "^ctp-enroll: enrollment 1: in_process to requested refused: " \
	"names the enrollment and the change"
run ctp-enroll set 1 --status approved --effective 2026-01-15 --as-of 2026-05-01
is "$rc" 65 "an effective date before the last change"
like "$T/err" "^ctp-enroll: --effective: before the enrollment's last change \(2026-02-01\)$" \
	"names the last change"
run ctp-enroll set 1 --status approved --effective 2026-06-01 --as-of 2026-05-01
is "$rc" 65 "an effective date after today"
run ctp-enroll set 1 --status approved --as-of 2026-05-01 \
	--note "$(printf 'ok\033[2Jcleared')"
is "$rc" 65 "a note with a control character"
like "$T/err" "^ctp-enroll: --note: " "names --note"
run ctp-enroll set 9 --status approved
is "$rc" 65 "no such enrollment"
like "$T/err" "^ctp-enroll: enrollment 9: no such enrollment$" "says so"
run ctp-enroll set 1 --status done
is "$rc" 2 "an unknown status is a usage error"
run ctp-enroll set x --status approved
is "$rc" 2 "an ID that is no number"
db_unchanged "nothing written by a refused set"
CTP_USER=sam run ctp-enroll set 1 --status approved
is "$rc" 77 "an auditor may not set"
is "$(sqlite3 "$CTP_DB" "SELECT status FROM enrollments")" in_process \
	"and changes nothing"

# A stalled enrollment: in_process since 2026-02-01, 30 days by default.
run ctp-expiring --as-of 2026-03-02 --kind enrollment --csv
is "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 0 "not stalled after 29 days"
run ctp-expiring --as-of 2026-03-03 --kind enrollment --csv
like "$T/out" "^Test Clinic,$B,Baker,Karen,[^,]*,enrollment,\"Medicare medicare enrollment 1: in_process since 2026-02-01, no change in 30 days: follow up\",2026-03-03,0," \
	"stalled on day 30: listed as a follow-up"
ctp-org set enroll_stale_days 60
run ctp-expiring --as-of 2026-03-03 --kind enrollment --csv
is "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 0 "enroll_stale_days moves it"
ctp-org set enroll_stale_days 30
run ctp-enroll list --as-of 2026-03-03 --csv
is "$(tail -1 "$T/out")" \
	"1,$B,Baker,Karen,Medicare,medicare,in_process,2026-01-02,2026-02-01,30,stalled," \
	"list says stalled"
# A follow-up (the same status again) starts the clock again.
run ctp-enroll set 1 --status in_process --effective 2026-03-03 \
	--as-of 2026-03-03 --note "called: in review"
is "$rc" 0 "a follow-up on an open enrollment"
run ctp-expiring --as-of 2026-03-10 --kind enrollment --csv
is "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 0 "not stalled after the follow-up"

# Approved: the revalidation in 5 years (Medicare).
run ctp-enroll set 1 --status approved --effective 2026-04-01 --as-of 2026-05-01
is "$rc" 0 "approved"
run ctp-enroll set 1 --status requested --as-of 2026-05-01
is "$rc" 65 "approved to requested refused"
like "$T/err" "^ctp-enroll: enrollment 1: approved to requested refused: an approved enrollment is final: a new application is a new enrollment \(ctp-enroll add\)$" \
	"with a clear message"
run ctp-enroll set 1 --status approved --as-of 2026-05-01
is "$rc" 65 "a closed enrollment takes no follow-up"
run ctp-enroll list --as-of 2026-05-01 --csv
like "$T/out" ",approved,2026-01-02,2026-04-01,30,,2031-04-01$" \
	"list gives the revalidation date"
run ctp-expiring --as-of 2031-01-15 --kind enrollment --csv
like "$T/out" "enrollment,Medicare medicare enrollment 1: revalidation \(approved 2026-04-01\),2031-04-01,76,90$" \
	"the revalidation is due in ctp-expiring"
run ctp-expiring --as-of 2026-05-01 --kind enrollment --csv
is "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 0 "not before the window"
is "$(sqlite3 "$CTP_DB" "SELECT group_concat(coalesce(old_status, '-') || '>'
  || new_status, ' ') FROM enrollment_events WHERE enrollment_id = 1")" \
	"->requested requested>submitted submitted>in_process in_process>in_process in_process>approved" \
	"every change kept"
is "$(sqlite3 "$CTP_DB" "SELECT note FROM enrollment_events WHERE
  new_status = 'submitted'")" "mailed 855I" "with its note"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'enroll.set'")" \
	4 "each change audit-logged"
run sqlite3 "$CTP_DB" "DELETE FROM enrollment_events"
like "$T/err" "append-only" "events cannot be removed"

# Commercial: no revalidation unless set; denied, then requested again.
ctp-enroll add $H --payer "Acme Health" --requested 2026-01-05 >/dev/null
ctp-enroll set 2 --status submitted --effective 2026-01-06 --as-of 2026-05-01
ctp-enroll set 2 --status denied --effective 2026-02-01 --as-of 2026-05-01
run ctp-enroll set 2 --status requested --effective 2026-02-02 --as-of 2026-05-01
is "$rc" 0 "denied to requested: the application made again"
ctp-enroll set 2 --status submitted --effective 2026-02-03 --as-of 2026-05-01
ctp-enroll set 2 --status approved --effective 2026-03-01 --as-of 2026-05-01
run ctp-expiring --as-of 2036-01-01 --kind enrollment --csv
unlike "$T/out" "Acme Health" "a commercial enrollment has no revalidation by default"
ctp-org set enroll_revalidate_commercial 3
run ctp-expiring --as-of 2029-01-01 --kind enrollment --csv
like "$T/out" "Acme Health commercial enrollment 2: revalidation \(approved 2026-03-01\),2029-03-01," \
	"unless the organization sets one"
run ctp-org set enroll_revalidate_commercial 0
is "$rc" 65 "revalidation years of 0 refused"
ctp-org set enroll_revalidate_commercial ""
run ctp-enroll set 2 --status withdrawn --as-of 2026-05-01
is "$rc" 65 "an approved enrollment cannot be withdrawn"

# list filters; an auditor reads.
ctp-enroll add $H --payer Medicaid --line medicaid --requested 2026-04-01 >/dev/null
CTP_USER=sam run ctp-enroll list --open --json --as-of 2026-05-01
is "$rc" 0 "an auditor lists"
is "$(wc -l <"$T/out" | tr -d ' ')" 1 "--open: one open enrollment"
like "$T/out" '"id":3,.*"payer":"Medicaid","line":"medicaid","status":"requested".*"days":30' \
	"JSON Lines with numbers"
run ctp-enroll list --payer "Acme Health" --csv --as-of 2026-05-01
is "$(tail -n +2 "$T/out" | cut -d, -f1)" 2 "--payer"
run ctp-enroll list --open --payer x extra
is "$rc" 2 "list takes no operand"
run ctp-enroll list --note x
is "$rc" 2 "--note applies to set"
done_testing
