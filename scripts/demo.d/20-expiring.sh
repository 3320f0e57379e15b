# step: the expiring-credential inbox: what expires, what is due, for whom
set -eu
n=$(sqlite3 "$CTP_DB" "SELECT count(*) FROM providers" 2>/dev/null || echo 0)
if [ "$n" -eq 0 ]; then
	echo "(skipped: no roster imported yet; scripts/demo.d/10-import.sh"
	echo " imports tests/fixtures/demo/roster.csv)"
	exit 0
fi
echo '$ CTP_USER=maria ctp-expiring --as-of 2026-12-01'
CTP_USER=maria ctp-expiring --as-of 2026-12-01 --csv
echo '$ CTP_USER=maria ctp-expiring --as-of 2026-12-01 --mine --within 60'
CTP_USER=maria ctp-expiring --as-of 2026-12-01 --mine --within 60 --csv
echo '$ CTP_USER=maria ctp-expiring --as-of 2026-12-01 --overdue --json'
CTP_USER=maria ctp-expiring --as-of 2026-12-01 --overdue --json
