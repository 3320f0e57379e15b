# step: monthly exclusion screening (OIG LEIE and SAM) and maria's review
set -eu
if [ ! -f "$FIXTURES/demo/roster.csv" ] ||
    [ "$(sqlite3 "$CTP_DB" 'SELECT count(*) FROM providers')" -eq 0 ]; then
	echo "(no sample roster imported: screening skipped)"
	exit 0
fi
S=$FIXTURES/screen
echo '$ ctp-screen load --leie UPDATED.csv; ctp-screen load --sam SAM_Exclusions_Public_Extract.csv'
CTP_USER=maria ctp-screen load --leie "$S/demo-leie.csv"
CTP_USER=maria ctp-screen load --sam "$S/demo-sam.csv"
echo '$ ctp-screen lists'
CTP_USER=maria ctp-screen lists --csv
echo '$ ctp-screen run --as-of 2026-12-01 -v   # exit 1: matches to review'
rc=0
CTP_USER=maria ctp-screen run --as-of 2026-12-01 -v --csv || rc=$?
echo "(exit $rc)"
id=$(sqlite3 "$CTP_DB" "SELECT id FROM screen_matches WHERE source = 'SAM' ORDER BY id LIMIT 1")
if [ -n "$id" ]; then
	echo "\$ ctp-screen review $id --clear --note \"SAM record is a Chicago contractor, not our pediatrician\""
	CTP_USER=maria ctp-screen review "$id" --clear \
		--note "SAM record is a Chicago contractor, not our pediatrician"
fi
echo '$ ctp-screen matches'
CTP_USER=maria ctp-screen matches --csv
