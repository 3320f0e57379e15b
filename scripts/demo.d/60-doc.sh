# step: maria stores a provider's license scan and approves it in review
set -eu
npi=$(sqlite3 "$CTP_DB" "SELECT npi FROM providers ORDER BY npi LIMIT 1" \
    2>/dev/null || true)
if [ -z "$npi" ]; then
	echo "(skipped: no roster imported yet)"
	exit 0
fi
printf 'State medical license\nLicensee: on file\nExpires: 2028-06-30\n' \
    >"$DEMO/license.txt"
echo "\$ ctp-doc add $npi license.txt --kind license"
id=$(CTP_USER=maria ctp-doc add "$npi" "$DEMO/license.txt" --kind license)
echo "$id"
echo '$ ctp-review list'
CTP_USER=maria ctp-review list --csv
echo "\$ ctp-review approve d$id --note \"matches the board\""
CTP_USER=maria ctp-review approve "d$id" --note "matches the board"
echo "\$ ctp-doc list $npi"
CTP_USER=maria ctp-doc list --csv "$npi"
