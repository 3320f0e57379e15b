# step: payer enrollments, the month's invoice, and the morning dashboard
set -eu
n=$(sqlite3 "$CTP_DB" "SELECT count(*) FROM providers" 2>/dev/null || echo 0)
if [ "$n" -gt 0 ]; then
	# Two providers apply to Medicare: one application moves, the
	# other has waited since October (a follow-up in the inbox).
	set -- $(sqlite3 "$CTP_DB" "SELECT npi FROM providers
	    WHERE status = 'active' ORDER BY npi LIMIT 2")
	echo "\$ ctp-enroll add $1 --payer \"Novitas Solutions\" --line medicare"
	id=$(CTP_USER=maria ctp-enroll add "$1" --payer "Novitas Solutions" \
	    --line medicare --requested 2026-11-02)
	echo "$id"
	echo "\$ ctp-enroll set $id --status submitted --note \"855I mailed\""
	CTP_USER=maria ctp-enroll set "$id" --status submitted \
	    --effective 2026-11-05 --as-of 2026-12-01 --note "855I mailed"
	CTP_USER=maria ctp-enroll add "$2" --payer "Blue Cross" \
	    --requested 2026-10-01 >/dev/null
	echo '$ ctp-enroll list --open'
	CTP_USER=maria ctp-enroll list --open --as-of 2026-12-01 --csv
	# The roster was imported today: this month's invoice bills it.
	m=$(date -u +%Y-%m)
	echo "\$ ctp-invoice --month $m"
	ctp-invoice --month "$m" --csv
fi
echo '$ ctp-today'
CTP_USER=maria ctp-today --as-of 2026-12-01
