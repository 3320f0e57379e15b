# step: maria runs one provider's re-credentialing cycle, start to approval
set -eu
n=$(sqlite3 "$CTP_DB" "SELECT count(*) FROM providers" 2>/dev/null || echo 0)
if [ "$n" -eq 0 ]; then
	echo "(skipped: no roster imported yet)"
	exit 0
fi
# The first provider due for re-credentialing within 120 days who has a
# credential expiring by then: its cycle has documents to request.
npi=$(sqlite3 "$CTP_DB" "SELECT p.npi FROM providers p
    JOIN credentials c ON c.provider_id = p.id AND c.status = 'active'
    WHERE p.status = 'active' AND c.expires <= date(coalesce(
      p.last_recred_date, p.initial_cred_date), '+36 months')
    AND date(coalesce(p.last_recred_date, p.initial_cred_date),
      '+36 months') BETWEEN '2026-12-01' AND '2027-03-31'
    ORDER BY date(coalesce(p.last_recred_date, p.initial_cred_date),
      '+36 months'), p.npi LIMIT 1")
if [ -z "$npi" ]; then
	echo "(skipped: no re-credentialing due in the sample)"
	exit 0
fi
# The NPPES registry's answer for this provider, served on the loopback
# (the demo needs no network): ctp-org points the npi verifier at it.
mkdir -p "$DEMO/nppes"
sqlite3 -json "$CTP_DB" "SELECT p.npi, p.first_name, p.last_name,
    p.taxonomy, p.practice_address, p.practice_city, p.practice_state,
    p.practice_zip, c.number AS license, c.state AS license_state
    FROM providers p LEFT JOIN credentials c ON c.provider_id = p.id
    AND c.kind = 'state_license' AND c.status = 'active'
    WHERE p.npi = '$npi' LIMIT 1" | python3 -c '
import json, sys, unicodedata
p = json.load(sys.stdin)[0]
up = lambda s: unicodedata.normalize("NFKD", s or "").encode(
    "ascii", "ignore").decode().upper()
a = {"address_1": up(p["practice_address"]), "address_purpose": "LOCATION",
     "address_type": "DOM", "city": up(p["practice_city"]),
     "country_code": "US", "state": p["practice_state"],
     "postal_code": p["practice_zip"]}
r = {"number": p["npi"], "enumeration_type": "NPI-1",
     "basic": {"first_name": up(p["first_name"]),
               "last_name": up(p["last_name"]), "status": "A",
               "last_updated": "2026-11-30"},
     "addresses": [a, dict(a, address_purpose="MAILING")],
     "taxonomies": [{"code": p["taxonomy"], "primary": True,
                     "license": p["license"], "state": p["license_state"]}]}
json.dump({"result_count": 1, "results": [r]}, sys.stdout)
' >"$DEMO/nppes/api.json"
python3 -u -m http.server --bind 127.0.0.1 --directory "$DEMO/nppes" 0 \
    >"$DEMO/nppes.log" 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null' EXIT
i=0
until port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$DEMO/nppes.log") &&
    [ -n "$port" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "demo: no loopback registry" >&2; exit 1; }
	sleep 0.1
done
ctp-org set nppes_api_url "http://127.0.0.1:$port/api.json" \
    >/dev/null
echo "\$ ctp-recred start $npi   # exit 1: documents requested"
rc=0
CTP_USER=maria ctp-recred start --as-of 2026-12-01 --csv "$npi" || rc=$?
[ "$rc" -le 1 ]
echo '$ ctp-recred list --open'
CTP_USER=maria ctp-recred list --open --csv
echo "\$ ctp-recred requests --open --mail $npi   # sendmail: print it here"
cat >"$DEMO/sendmail" <<'EOS'
#!/bin/sh
sed 's/^/    | /'
EOS
chmod +x "$DEMO/sendmail"
CTP_USER=maria CTP_SENDMAIL=$DEMO/sendmail ctp-recred requests --open \
    --mail --csv "$npi" || true
# The provider sends the renewed documents: each credential gets its new
# expiration, each request is fulfilled.
CTP_USER=maria ctp-recred requests --open --json "$npi" >"$DEMO/req.json"
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["credential"] is not None:
        print(r["credential"])' "$DEMO/req.json" |
while read -r cred; do
	echo "\$ ctp-credential set $cred expires 2027-12-31 --note \"renewal\""
	CTP_USER=maria ctp-credential set "$cred" expires 2027-12-31 \
	    --note "renewal"
done
ids=$(python3 -c '
import json, sys
print(" ".join(str(json.loads(l)["request"]) for l in open(sys.argv[1])))
' "$DEMO/req.json")
if [ -n "$ids" ]; then
	echo "\$ ctp-recred fulfil $ids --note \"received\""
	# shellcheck disable=SC2086
	CTP_USER=maria ctp-recred fulfil $ids --as-of 2026-12-01 \
	    --note "received"
fi
echo "\$ ctp-recred complete $npi --decision approved --date 2026-12-01"
CTP_USER=maria ctp-recred complete "$npi" --decision approved \
    --date 2026-12-01 --as-of 2026-12-01
echo '$ ctp-recred list'
CTP_USER=maria ctp-recred list --csv
echo "\$ ctp-expiring --kind recred --within 3650 | grep $npi   # next one"
CTP_USER=maria ctp-expiring --as-of 2026-12-01 --kind recred --within 3650 \
    --csv | grep "$npi"
# The board was called about the license: a verification by hand, and
# the log a surveyor reads for this provider.
lic=$(sqlite3 "$CTP_DB" "SELECT c.id FROM credentials c JOIN providers p
    ON p.id = c.provider_id WHERE p.npi = '$npi'
    AND c.kind = 'state_license' AND c.status = 'active' LIMIT 1")
if [ -n "$lic" ]; then
	echo "\$ ctp-psv add $npi --source \"Illinois IDFPR\" --method phone" \
	    "--result verified --credential $lic --reference \"call 5521\""
	CTP_USER=maria ctp-psv add "$npi" --source "Illinois IDFPR" \
	    --method phone --result verified --credential "$lic" \
	    --reference "call 5521" --note "license in good standing"
fi
echo "\$ ctp-psv list $npi"
CTP_USER=maria ctp-psv list --csv "$npi" | cut -d, -f1-10
echo '$ ctp-psv queue | head -4   # credentials due for verification'
CTP_USER=maria ctp-psv queue --as-of 2026-12-01 --csv | head -4
