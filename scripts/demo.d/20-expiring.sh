# step: the expiring-credential inbox: what expires, what is due, for whom
set -eu
n=$(sqlite3 "$CTP_DB" "SELECT count(*) FROM providers" 2>/dev/null || echo 0)
if [ "$n" -eq 0 ]; then
	echo "(skipped: no roster imported yet; scripts/demo.d/10-import.sh"
	echo " imports tests/fixtures/demo/roster.csv)"
	exit 0
fi
echo '$ CTP_USER=maria ctp-expiring --as-of 2026-12-01 | head -12'
CTP_USER=maria ctp-expiring --as-of 2026-12-01 --csv >"$DEMO/inbox.csv"
sed -n '1,12p' "$DEMO/inbox.csv"
echo "... $(($(wc -l <"$DEMO/inbox.csv") - 1)) items; by bucket (the last column):"
sed 1d "$DEMO/inbox.csv" | awk -F, '{ print $NF }' | sort | uniq -c |
    sort -k2 -n | sed 's/^ */  /'
echo '$ CTP_USER=maria ctp-expiring --as-of 2026-12-01 --mine --within 30'
CTP_USER=maria ctp-expiring --as-of 2026-12-01 --mine --within 30 --csv
echo '$ CTP_USER=maria ctp-expiring --as-of 2026-12-01 --mine --overdue --json'
CTP_USER=maria ctp-expiring --as-of 2026-12-01 --mine --overdue --json
