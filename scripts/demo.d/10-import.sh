# step: maria imports the clinic's roster (75 providers and credentials)
set -eu
echo '$ ctp-import --dry-run roster.csv && ctp-import roster.csv'
CTP_USER=maria ctp-import --as-of 2026-12-01 --dry-run "$FIXTURES/demo/roster.csv"
CTP_USER=maria ctp-import --as-of 2026-12-01 "$FIXTURES/demo/roster.csv"
echo '$ ctp-import roster.csv   # again: nothing changes'
CTP_USER=maria ctp-import --as-of 2026-12-01 "$FIXTURES/demo/roster.csv"
echo '$ ctp-roster list | head'
CTP_USER=maria ctp-roster list --csv | head
echo '$ ctp-roster show 1000042006'
CTP_USER=maria ctp-roster show --csv 1000042006
echo '$ ctp-roster set 1000042006 phone 217-555-0142 --note "new clinic line"'
CTP_USER=maria ctp-roster set 1000042006 phone 217-555-0142 \
	--note "new clinic line"
echo '$ ctp-roster history 1000042006'
CTP_USER=maria ctp-roster history --csv 1000042006
