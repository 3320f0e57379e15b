# step: a renewed license arrives as a PDF; ctp reads it, maria approves
set -eu
row=$(sqlite3 -separator ' ' "$CTP_DB" "SELECT p.npi, c.id, p.first_name,
    p.last_name, c.number, c.state, c.expires FROM credentials c JOIN
    providers p ON p.id = c.provider_id WHERE c.kind = 'state_license' AND
    c.status = 'active' AND c.number IS NOT NULL AND c.state IS NOT NULL
    ORDER BY p.npi LIMIT 1" 2>/dev/null || true)
if [ -z "$row" ]; then
	echo "(skipped: no license on the roster)"
	exit 0
fi
set -- $row
npi=$1 cid=$2 first=$3 last=$4 number=$5 state=$6 expires=$7
renewed=$(($(echo "$expires" | cut -c1-4) + 2))$(echo "$expires" | cut -c5-)
"$top/scripts/gen-docs" --page "$DEMO/renewal.pdf" "MEDICAL BOARD" "" \
    "Physician License Renewal" "" "Licensee: $first $last, MD" \
    "License Number: $number" "State: $state" "Issue Date: 2026-11-20" \
    "Expiration Date: $renewed"
echo "\$ ctp-doc add $npi renewal.pdf --kind license --credential $cid"
id=$(CTP_USER=maria ctp-doc add "$npi" "$DEMO/renewal.pdf" --kind license \
    --credential "$cid")
echo "$id"
echo "\$ ctp-doc extract $id   # what was read, again"
CTP_USER=maria ctp-doc extract --csv "$id"
echo '$ ctp-review list | grep renewal.pdf'
CTP_USER=maria ctp-review list --csv | grep renewal.pdf || true
s=$(sqlite3 "$CTP_DB" "SELECT id FROM suggestions WHERE document_id = $id
    AND field = 'expires' AND status = 'pending'")
echo "\$ ctp-review approve s$s --note \"renewal on the board's site\""
CTP_USER=maria ctp-review approve "s$s" --note "renewal on the board's site"
echo "\$ ctp-credential list $npi   # the new date, unverified until verified"
CTP_USER=maria ctp-credential list --csv "$npi" | sed -n '1p;/state_license/p'
