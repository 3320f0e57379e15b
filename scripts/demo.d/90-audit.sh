# step: the audit log an inspector reads, and its chain check
set -eu
echo '$ ctp-audit list | tail -5'
CTP_USER=sam ctp-audit list --csv | tail -5
echo '$ ctp-audit verify'
CTP_USER=sam ctp-audit verify
