#!/bin/sh
# ctp-recred: a cycle from start to complete (requests, audit events,
# PSV entries, the new due date in ctp-expiring), the mail to a fake
# sendmail, and every refusal with nothing written.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/import
new_org
ctp-user add alice --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null
ctp-import --as-of 2026-05-01 "$F/clean.csv" 2>/dev/null
B=1000005037	# MD Baker, NC: last re-credentialed 2023-06-30
H=1000005029	# NP Hill, OH: re-credentialing overdue since 2024-01-30
W=1000005011	# MD Torres, WI
S=1000005052	# Sanchez: never given a cycle

# Baker: a CDS registration expired, the license expiring before the
# cycle's due date (2026-06-30), the board certification retired, so
# missing for an MD.  Hill: a CME record expired, and no e-mail address.
ctp-credential add $B --kind cds --number X1 --state NC \
	--expires 2026-04-01 >/dev/null
lic=$(sqlite3 "$CTP_DB" "SELECT c.id FROM credentials c JOIN providers p
  ON p.id = c.provider_id WHERE p.npi = '$B' AND kind = 'state_license'")
board=$(sqlite3 "$CTP_DB" "SELECT c.id FROM credentials c JOIN providers p
  ON p.id = c.provider_id WHERE p.npi = '$B' AND kind = 'board_cert'")
ctp-credential set "$lic" expires 2026-06-01
ctp-credential retire "$board"
ctp-credential add $H --kind cme --issuer ACCME --expires 2026-01-01 \
	>/dev/null
ctp-roster set $H email ""

# A verifier for every check when the runner can be given one: it logs
# what it was asked and says verified.
cat >"$T/ctp-verify-recredtest" <<EOF
#!/bin/sh
cat >>"$T/asked"
echo >>"$T/asked"
echo call >>"$T/calls"
echo '{"result":"verified","source":"test board","reference":"T-1",'\
'"detail":"","source_date":"2026-05-01"}'
EOF
chmod +x "$T/ctp-verify-recredtest"
PATH=$T:$PATH
runner=0
if ctp-org --help 2>/dev/null | grep -q 'verifier KIND'; then
	runner=1
	for k in npi oig sam; do
		ctp-org verifier $k - ctp-verify-recredtest
	done
	for st in NC OH WI; do
		ctp-org verifier state_license $st ctp-verify-recredtest
	done
fi

# Refusals of start: nothing written for anyone.
db_snap
CTP_USER=sam run ctp-recred start --as-of 2026-05-01 $B
is "$rc" 77 "an auditor may not start a cycle"
run ctp-recred start --as-of 2026-05-01 $B 1000000000 $B
is "$rc" 65 "an unknown NPI refuses the whole start"
like "$T/err" "^ctp-recred: 1000000000: not on the roster$" "names the NPI"
like "$T/err" "^ctp-recred: 1 of 2 NPIs refused: no cycle opened$" \
	"and says none was opened (an NPI named twice counts once)"
is "$(cat "$T/out")" "" "no output"
sqlite3 "$CTP_DB" "UPDATE providers SET initial_cred_date = NULL,
  last_recred_date = NULL WHERE npi = '$S'"
db_snap
run ctp-recred start --as-of 2026-05-01 $S
is "$rc" 65 "a provider never credentialed has no cycle to open"
like "$T/err" "^ctp-recred: $S: no initial or re-credentialing date" \
	"says which date is missing"
db_unchanged "nothing written by a refused start"
run ctp-recred start
is "$rc" 2 "start needs an NPI"

# The start.
CTP_USER=alice run ctp-recred start --as-of 2026-05-01 --csv $B $W
is "$rc" 1 "start exits 1: documents requested"
is "$(head -1 "$T/out")" "npi,cycle,step,id,kind,credential,result,detail,due" \
	"header"
is "$(grep -c '^[0-9]*,[0-9]*,cycle,' "$T/out")" 2 "one cycle row per provider"
like "$T/out" "^$B,1,cycle,1,,,opened,2026-05-01,2026-06-30$" \
	"due 36 months after the last re-credentialing"
like "$T/out" "^$B,1,request,1,cds,[0-9]+,expired,cds NC X1 expired 2026-04-01,2026-06-30$" \
	"the expired CDS requested"
like "$T/out" "^$B,1,request,2,state_license,$lic,expiring,state_license NC [^,]* expires 2026-06-01,2026-06-30$" \
	"the license expiring before the due date requested"
like "$T/out" "^$B,1,request,3,board_cert,,missing,\"board_cert required for MD, none held\",2026-06-30$" \
	"the missing board certification requested"
is "$(grep -c ",request," "$T/out")" 3 "nothing requested of Torres"
is "$(sqlite3 "$CTP_DB" "SELECT opened_by || ' ' || opened || ' ' || due
  FROM recred_cycles WHERE id = 1")" "alice 2026-05-01 2026-06-30" "cycle stored"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE
  action = 'recred.start' AND actor = 'alice'")" 2 "recred.start per cycle"
is "$(sqlite3 "$CTP_DB" "SELECT group_concat(obj_id || ':' ||
  json_extract(detail, '$.reason'), ' ') FROM audit
  WHERE action = 'recred.request'")" "1:expired 2:expiring 3:missing" \
	"recred.request per request"
if [ $runner = 1 ]; then
	# A check without a verifier (result none) is a row, not a call.
	is "$(grep ',verify,' "$T/out" | grep -vc ',none,')" \
		"$(wc -l <"$T/calls" | tr -d ' ')" "a verify row per check asked"
	like "$T/asked" "\"npi\": *\"$B\"" "the runner asked about Baker"
	like "$T/out" "^$B,1,verify,[0-9]+,state_license,$lic,verified," \
		"the license verified"
	is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM psv_log p JOIN providers r
	  ON r.id = p.provider_id WHERE r.npi = '$B'")" \
		"$(grep -Ec "^$B,1,verify,[0-9]+," "$T/out")" \
		"a PSV entry per check done"
else
	skip "a verify row per check asked" "verify runner is a placeholder"
	skip "the runner asked about Baker" "verify runner is a placeholder"
	skip "the license verified" "verify runner is a placeholder"
	skip "a PSV entry per check done" "verify runner is a placeholder"
	is "$(count psv_log)" 0 "the placeholder runner writes no PSV entry"
fi

# A second start, and start from a pipeline.
db_snap
run ctp-recred start --as-of 2026-05-02 $B
is "$rc" 65 "a second start refused"
like "$T/err" "^ctp-recred: $B: a cycle is open since 2026-05-01$" \
	"says since when"
db_unchanged "nothing written by a second start"
printf 'npi,last_name\n%s,Hill\n%s,Hill\n' $H $H >"$T/in.csv"
run_in "$T/in.csv" ctp-recred start --as-of 2026-05-01 --json -
is "$rc" 1 "start - reads a stream with an npi column"
like "$T/out" "^\{\"npi\":\"$H\",\"cycle\":3,\"step\":\"cycle\"" "JSON Lines"
is "$(grep -c '"step":"cycle"' "$T/out")" 1 "a provider named twice: one cycle"
like "$T/out" "\"kind\":\"cme\",\"credential\":[0-9]+,\"result\":\"expired\"" \
	"Hill's expired CME requested"

# The listings.
run ctp-recred requests 1000000000
is "$rc" 65 "requests of an unknown NPI"
like "$T/err" "^ctp-recred: 1000000000: not on the roster$" "says so"
CTP_USER=sam run ctp-recred requests --open
is "$rc" 0 "an auditor may list requests"
is "$(head -1 "$T/out")" \
	"npi,last_name,first_name,email,kind,credential,reason,detail,due,request,cycle,created,fulfilled,note" \
	"requests header: ready for a mail merge"
is "$(sed 1d "$T/out" | cut -d, -f1,4,5,7 | tr '\n' ' ')" \
	"$B,p503@example.org,cds,expired $B,p503@example.org,state_license,expiring $B,p503@example.org,board_cert,missing $H,,cme,expired " \
	"one row per provider and document"
run ctp-recred list --open
is "$(sed 1d "$T/out" | cut -d, -f1,2,5,6,7,9 | tr '\n' ' ')" \
	"1,$B,2026-05-01,2026-06-30,,3 2,$W,2026-05-01,2026-10-18,,0 3,$H,2026-05-01,2024-01-30,,1 " \
	"cycles with their open requests"
run ctp-expiring --as-of 2026-05-20 --kind recred --within 30
like "$T/out" "^Test Clinic,$B,Baker,Karen,maria,recred,\"recredentialed 2023-06-30 \+ 36 months; cycle open since 2026-05-01, 3 documents requested\",2026-06-30,41,60$" \
	"ctp-expiring: the open cycle and its requests"
like "$T/out" "^Test Clinic,$W,Torres,.*cycle open since 2026-05-01, 0 documents requested\",2026-10-18" \
	"an open cycle is listed beyond --within"
run ctp-expiring --as-of 2026-05-20 --kind recred --overdue
unlike "$T/out" "$B" "--overdue keeps to what is overdue"

# The mail.
cat >"$T/sendmail" <<EOF
#!/bin/sh
echo "argv: \$*" >>"$T/mail"
cat >>"$T/mail"
EOF
chmod +x "$T/sendmail"
CTP_USER=sam run env CTP_SENDMAIL="$T/sendmail" ctp-recred requests --mail
is "$rc" 77 "an auditor may not mail"
CTP_USER=alice run env CTP_SENDMAIL="$T/sendmail" ctp-recred requests --mail
is "$rc" 1 "--mail exits 1: a provider without an address"
like "$T/err" "^ctp-recred: 1 provider not mailed$" "says how many"
is "$(sed 1d "$T/out" | tr '\n' ' ')" \
	"$H,,1,no_address,no e-mail address on the roster $B,p503@example.org,3,sent, " \
	"a row per provider"
like "$T/mail" "^argv: -t -i$" "sendmail -t -i"
like "$T/mail" "^To: p503@example.org$" "addressed to Baker"
like "$T/mail" "^Subject: Re-credentialing: 3 documents requested$" "subject"
like "$T/mail" "^  - request 2: state_license NC .* expires 2026-06-01 \(expiring\)$" \
	"each request in the body"
is "$(grep -c '^To:' "$T/mail")" 1 "one message"
is "$(sqlite3 "$CTP_DB" "SELECT obj_id || ' ' || json_extract(detail,
  '$.result') FROM audit WHERE action = 'recred.mail' ORDER BY seq" |
  tr '\n' ' ')" "$H no_address $B sent " "recred.mail per provider"
printf '#!/bin/sh\ncat >/dev/null\nexit 75\n' >"$T/badmail"
chmod +x "$T/badmail"
run env CTP_SENDMAIL="$T/badmail" ctp-recred requests --mail $B
is "$rc" 1 "a sendmail that fails: exit 1"
like "$T/out" "^$B,p503@example.org,3,failed,.*badmail: exit status 75$" \
	"says why"
run env CTP_SENDMAIL="$T/no-such-sendmail" ctp-recred requests --mail $B
is "$rc" 1 "a sendmail that is not there: exit 1"
like "$T/out" "^$B,p503@example.org,3,failed,.*no-such-sendmail: cannot run$" \
	"says so"
run ctp-org set sendmail relative/sendmail
is "$rc" 65 "the sendmail setting is an absolute path"
ctp-org set sendmail "$T/sendmail"
rm -f "$T/mail"
run ctp-recred requests --mail $B
is "$rc" 0 "the sendmail setting"
like "$T/mail" "^To: p503@example.org$" "mailed through it"

# Fulfilling.
db_snap
run ctp-recred fulfil 99 --as-of 2026-05-20
is "$rc" 65 "an unknown request"
like "$T/err" "^ctp-recred: request 99: no such request$" "says so"
run ctp-recred fulfil 1 --as-of 2026-05-20 --date 2026-04-30
is "$rc" 65 "fulfilled before it was asked for"
like "$T/err" "request 1: --date: before the request was made \(2026-05-01\)$" \
	"says so"
run ctp-recred fulfil 1 --as-of 2026-05-20 --date 2026-05-21
is "$rc" 65 "fulfilled in the future"
run ctp-recred fulfil 1 2 99 --as-of 2026-05-20
is "$rc" 65 "one unknown request of three"
like "$T/err" "^ctp-recred: request 99: no such request$" "names it"
db_unchanged "nothing written by a refused fulfil"
CTP_USER=sam run ctp-recred fulfil 1 --as-of 2026-05-20
is "$rc" 77 "an auditor may not fulfil"

# Refusals of complete.
db_snap
run ctp-recred complete $S --decision approved --date 2026-05-20
is "$rc" 65 "complete with no open cycle"
like "$T/err" "^ctp-recred: $S: no open re-credentialing cycle" "says so"
run ctp-recred complete 1000000000 --decision approved --date 2026-05-20
is "$rc" 65 "complete of an unknown NPI"
like "$T/err" "^ctp-recred: 1000000000: not on the roster$" "says so"
run ctp-recred complete $B --decision approved --date 2026-04-30 \
	--as-of 2026-05-20
is "$rc" 65 "a date before the cycle started"
like "$T/err" "^ctp-recred: $B: --date: before the cycle opened \(2026-05-01\)$" \
	"says when it opened"
run ctp-recred complete $B --decision approved --date 2026-05-21 \
	--as-of 2026-05-20
is "$rc" 65 "a date in the future"
like "$T/err" "^ctp-recred: $B: --date: in the future$" "says so"
run ctp-recred complete $B --decision approved --date 2026-05-20 \
	--as-of 2026-05-20
is "$rc" 65 "an approval with documents still requested"
like "$T/err" "^ctp-recred: $B: 3 document requests still open" "says how many"
db_unchanged "nothing written by a refused complete"
run ctp-recred complete $B --date 2026-05-20
is "$rc" 2 "complete needs --decision"
run ctp-recred complete $B --decision maybe --date 2026-05-20
is "$rc" 2 "approved or denied"
run ctp-recred complete $B --decision approved
is "$rc" 2 "complete needs --date"

# The documents come; the committee approves.
CTP_USER=alice run ctp-recred fulfil 1 2 --as-of 2026-05-20 --note "by fax"
is "$rc" 0 "fulfil two requests"
CTP_USER=alice run ctp-recred fulfil 3 --as-of 2026-05-20 \
	--note "board certification not required by the committee"
is "$(sqlite3 "$CTP_DB" "SELECT group_concat(fulfilled || ' ' ||
  fulfilled_by, ',') FROM doc_requests WHERE cycle_id = 1")" \
	"2026-05-20 alice,2026-05-20 alice,2026-05-20 alice" "fulfilled, by whom"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit
  WHERE action = 'recred.fulfil'")" 3 "recred.fulfil per request"
run ctp-recred fulfil 2 --as-of 2026-05-20
is "$rc" 65 "fulfilled twice"
like "$T/err" "^ctp-recred: request 2: fulfilled on 2026-05-20$" "says when"
run ctp-recred requests --open $B
is "$(sed 1d "$T/out" | wc -l | tr -d ' ')" 0 "no open request left"
db_snap
run ctp-recred complete $B --decision approved --date 2026-05-19 \
	--as-of 2026-05-25
is "$rc" 65 "an approval before the documents came"
like "$T/err" "^ctp-recred: $B: --date: before the last document request was fulfilled \(2026-05-20\)$" \
	"says when the last came"
db_unchanged "nothing written"
CTP_USER=alice run ctp-recred complete $B --decision approved \
	--date 2026-05-22 --as-of 2026-05-25
is "$rc" 0 "complete exits 0"
is "$(sqlite3 "$CTP_DB" "SELECT closed || ' ' || decision || ' ' ||
  closed_by FROM recred_cycles WHERE id = 1")" "2026-05-22 approved alice" \
	"cycle closed"
is "$(sqlite3 "$CTP_DB" "SELECT last_recred_date FROM providers
  WHERE npi = '$B'")" 2026-05-22 "last re-credentialing date set"
is "$(sqlite3 "$CTP_DB" "SELECT old_value || ' ' || new_value || ' ' ||
  actor || ' ' || source FROM history h JOIN providers p
  ON p.id = h.provider_id WHERE p.npi = '$B'
  AND field = 'last_recred_date'")" "2023-06-30 2026-05-22 alice ctp-recred" \
	"with a history row"
is "$(sqlite3 "$CTP_DB" "SELECT obj_id || ' ' || detail FROM audit
  WHERE action = 'recred.complete'")" \
	"1 {\"date\":\"2026-05-22\",\"decision\":\"approved\",\"npi\":\"$B\"}" \
	"recred.complete event"
run ctp-expiring --as-of 2026-05-25 --kind recred --within 3650
like "$T/out" "^Test Clinic,$B,Baker,Karen,maria,recred,recredentialed 2026-05-22 \+ 36 months,2029-05-22," \
	"ctp-expiring: next due 36 months on"
run ctp-recred complete $B --decision approved --date 2026-05-25 \
	--as-of 2026-05-25
is "$rc" 65 "a closed cycle completes once"
run ctp-recred start --as-of 2026-05-26 $B
is "$rc" 1 "a new cycle may open after"
like "$T/out" "^$B,4,cycle,4,,,opened,2026-05-26,2029-05-22$" "due 2029"

# Denied: the cycle closes, the provider's record stays as it is.
CTP_USER=alice run ctp-recred complete $H --decision denied \
	--date 2026-05-20 --as-of 2026-05-20
is "$rc" 0 "a denial with a request still open"
is "$(sqlite3 "$CTP_DB" "SELECT status || ' ' || last_recred_date
  FROM providers WHERE npi = '$H'")" "active 2021-01-30" \
	"status and date untouched"
run ctp-recred requests --open $H
is "$(sed 1d "$T/out" | wc -l | tr -d ' ')" 0 \
	"a closed cycle's requests are no longer open"
run ctp-recred fulfil 4 --as-of 2026-05-20
like "$T/err" "^ctp-recred: request 4: its cycle is closed$" \
	"nor can they be fulfilled"
run ctp-recred list
is "$(sed 1d "$T/out" | cut -d, -f1,7,8 | tr '\n' ' ')" \
	"1,2026-05-22,approved 2,, 3,2026-05-20,denied 4,, " "every cycle"

# Closed cycles and fulfilled requests are final.
run sqlite3 "$CTP_DB" "UPDATE recred_cycles SET decision = 'denied'
  WHERE id = 1"
like "$T/err" "a closed cycle is final" "a closed cycle is final"
run sqlite3 "$CTP_DB" "DELETE FROM doc_requests WHERE id = 5"
like "$T/err" "requests are kept" "requests are never deleted"
run sqlite3 "$CTP_DB" "INSERT INTO recred_cycles (provider_id, opened, due,
  opened_by, ts) SELECT provider_id, opened, due, 'x', ts FROM recred_cycles
  WHERE id = 2"
like "$T/err" "UNIQUE" "one open cycle per provider"
run ctp-audit verify
is "$rc" 0 "the audit chain holds"
done_testing
