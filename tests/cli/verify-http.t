#!/bin/sh
# ctp-verify-http against a loopback board (board-httpd.py): the URL
# template filled and escaped, the answer's fields read by dotted path,
# each result (verified, discrepancy, not_found, error) and its reason.
. "$(dirname "$0")/lib.sh"

V=$CTP_BIN/../libexec/ctp/ctp-verify-http
start_server "$here/board-httpd.py" --dir "$FIXTURES/boards/http" --log "$T/log"
URL="http://127.0.0.1:$PORT"
FIELDS='"status": "license.status", "expires": "license.expiration_date", "name": "license.name", "number": "license.number"'
DEF="\"url\": \"$URL/license/{number}\", \"source\": \"Wisconsin MEB\", $FIELDS"
today=$(date -u +%Y-%m-%d)

req() { # req LAST FIRST NUMBER EXPIRES [CONFIG]
	printf '{"provider": {"npi": "1000005011", "last_name": "%s", "first_name": "%s", "middle_name": null, "dob": null, "provider_type": "MD", "practice_state": "WI", "other_names": ""}, "credential": {"id": 7, "kind": "state_license", "number": "%s", "state": "WI", "issuer": null, "issued": null, "expires": "%s"}, "config": {%s}, "as_of": "2026-12-01"}\n' \
	    "$1" "$2" "$3" "$4" "${5:-$DEF}" >"$T/req"
}
jget() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("|".join(str(d.get(k, "")) for k in sys.argv[2:]))' "$T/out" "$@" 2>/dev/null
}
verify() {
	run_in "$T/req" "$V"
	result=$(jget result)
	detail=$(jget detail)
}

req Torres Elena MD-0012345 2028-01-31
verify
is "$rc/$result" "0/verified" "verified"
is "$(jget source reference source_date)" "Wisconsin MEB|MD-0012345|$today" \
	"source, reference (the board's number), date"
is "$detail" "license MD-0012345, status ACTIVE, expires 2028-01-31" "what was seen"
is "$(tail -1 "$T/log")" "/license/MD-0012345" "the URL filled in"
req Torres Elena md12345 2028-01-31 "\"url\": \"$URL/license/{number}\", $FIELDS"
verify
is "$result" verified "the number compared without case, punctuation or leading zeros; a US date; a name first name first"
is "$(jget source)" "127.0.0.1" "no source configured: the board's host"
req "O'Brien" Patrick MD-0023456 2025-06-30
verify
is "$result/$detail" "discrepancy/status: the board says EXPIRED (good standing: ACTIVE,CURRENT,CLEAR); expired: the board's expiry 2025-06-30 is before 2026-12-01" \
	"an expired license, each difference named"
req Garcia Maria MD-0045678 2027-01-31
verify
is "$result/$detail" "discrepancy/status: the board says SUSPENDED (good standing: ACTIVE,CURRENT,CLEAR); expires: the board says 2027-03-31, the credential 2027-01-31" \
	"a suspended license and an expiry that differs"
req Nguyen Tam MD-0099999 2027-06-30
verify
is "$result/$detail" "discrepancy/name: the board says NGUYEN, LINH, the provider is Nguyen, Tam" \
	"a name that differs"
req Nguyen Linh MD-0099999 2027-06-30 "\"url\": \"$URL/license/{number}\", $FIELDS, \"active\": \"CURRENT\""
verify
is "$result" discrepancy "active= chooses the words of good standing"
req Nguyen Linh MD-0099999 2027-06-30
verify
is "$result" verified "Active in any case"
req Torres Elena MD-0012345 2028-01-31 "\"url\": \"$URL/search?number={number}&last={last_name}&first={first_name}&npi={npi}&st={state}\", \"status\": \"license.status\", \"number\": \"license.number\""
verify
is "$result" verified "an array answer: the record with the number"
req "De La Cruz" "José" "A&B 1/2?" 2028-01-31 "\"url\": \"$URL/search?number={number}&last={last_name}&first={first_name}\", \"status\": \"license.status\", \"number\": \"license.number\""
verify
is "$result" not_found "an empty array is not found"
is "$(tail -1 "$T/log")" "/search?number=A%26B%201%2F2%3F&last=De%20La%20Cruz&first=Jos%C3%A9" \
	"every value URL-escaped"
req Torres Elena "MD 004455" 2027-11-30 "\"url\": \"$URL/license/4455\", \"status\": \"results.0.licenseStatus\", \"number\": \"results.0.licenseNumber\", \"expires\": \"results.0.expires\", \"last_name\": \"results.0.lastName\", \"first_name\": \"results.0.firstName\""
verify
is "$result/$detail" "discrepancy/number: the board says 4455, the credential MD 004455" \
	"a path through an array; a number as a JSON number"
req Torres Elena "004455" 2027-11-30 "\"url\": \"$URL/license/4455\", \"status\": \"results.0.licenseStatus\", \"number\": \"results.0.licenseNumber\", \"expires\": \"results.0.expires\", \"last_name\": \"results.0.lastName\", \"first_name\": \"results.0.firstName\""
verify
is "$result/$detail" "verified/license 4455, status CLEAR, expires 2027-11-30" \
	"names in parts, a compact date"

# not_found
req Torres Elena MD-0000001 2028-01-31
verify
is "$rc/$result/$detail" "0/not_found/the board has no license MD-0000001 (HTTP 404)" "HTTP 404"
req Torres Elena EMPTY 2028-01-31
verify
is "$result/$detail" "not_found/the board answered nothing" "an empty answer"
req Torres Elena NULL 2028-01-31
verify
is "$result" not_found "a null answer"

# error
req Torres Elena BADJSON 2028-01-31
verify
is "$rc/$result" "0/error" "an answer that is not JSON"
like "$T/out" '"detail":"the answer is not JSON: line 1: ' "the reason"
req Torres Elena MD-0088888 2028-01-31 "\"url\": \"$URL/license/{number}\", \"status\": \"license.status\""
verify
is "$result/$detail" "error/the answer has no text at license.status (config status)" \
	"an answer without a configured field"
: >"$T/log"
req Torres Elena DOWN 2028-01-31 "\"url\": \"$URL/license/{number}\", $FIELDS, \"retries\": \"1\""
verify
is "$result/$detail" "error/server answered HTTP 500 (after 2 attempts)" "a server error, retried once"
is "$(wc -l <"$T/log" | tr -d ' ')" 2 "two requests"
req Torres Elena FORBIDDEN 2028-01-31
verify
is "$result/$detail" "error/server answered HTTP 403" "HTTP 403, not retried"
req Patel Arjun FLAKY 2027-06-30
verify
is "$result" verified "a 500 then the answer: the retry succeeds"
start=$(date +%s)
req Torres Elena SLOW 2028-01-31 "\"url\": \"$URL/license/{number}\", $FIELDS, \"timeout\": \"2\", \"retries\": \"0\""
verify
is "$result/$detail" "error/download timed out or stalled (after 1 attempt)" "a slow board"
ok "gave up after the timeout" test $(($(date +%s) - start)) -lt 10
req Torres Elena MD-0012345 2028-01-31 "\"url\": \"http://127.0.0.1:1/license/{number}\", $FIELDS, \"retries\": \"0\""
verify
is "$result" error "a board not reached"
like "$T/out" '"detail":"Couldn.t connect to server' "the reason"

# configuration
req Torres Elena MD-0012345 2028-01-31 "$FIELDS"
verify
is "$result/$detail" "error/config: url=TEMPLATE is required" "no url"
req Torres Elena MD-0012345 2028-01-31 "\"url\": \"$URL/license/{number}\""
verify
like "$T/out" '"detail":"config: status=PATH is required' "no status path"
req Torres Elena MD-0012345 2028-01-31 "\"url\": \"$URL/license/{licence}\", $FIELDS"
verify
like "$T/out" '"detail":"config: url: unknown placeholder at \\"\{licence\}\\"' "an unknown placeholder"
req Torres Elena MD-0012345 2028-01-31 "\"url\": \"file:///etc/passwd\", $FIELDS"
verify
is "$result/$detail" "error/config: url: not an http or https address" "only http and https"
req Torres Elena MD-0012345 2028-01-31 "\"url\": \"$URL/license/{number}\", $FIELDS, \"timeout\": \"soon\""
verify
is "$result/$detail" "error/config: timeout: a whole number from 1 to 600" "a bad timeout"
req Torres Elena "" 2028-01-31
verify
is "$result/$detail" "error/the credential has no number to look up" "a credential without a number"
printf '[1, 2]' >"$T/req"
verify
is "$result/$detail" "error/request: not one JSON object" "a request that is no object"
run "$V" --help
is "$rc" 2 "the verifier takes no arguments"
done_testing
