# step: create the sample organization and its team
set -eu
echo '$ ctp-init --name "Sample Clinic"'
ctp-init --name "Sample Clinic"
ctp-user add maria --role coordinator
ctp-user add sam --role auditor
echo '$ ctp-user list'
ctp-user list --csv
echo '$ ctp-org show'
ctp-org show --csv
