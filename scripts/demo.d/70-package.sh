# step: maria sends that provider's credential package to a payer, who verifies it
set -eu
npi=$(sqlite3 "$CTP_DB" "SELECT npi FROM providers ORDER BY npi LIMIT 1" \
    2>/dev/null || true)
if [ -z "$npi" ]; then
	echo "(skipped: no roster imported yet)"
	exit 0
fi
# The scans a provider would send, as PDFs, each approved in review.
for k in license malpractice cv dea; do
	"$top/scripts/gen-pdf" "$DEMO/$k.pdf" "$k of provider $npi"
	id=$(CTP_USER=maria ctp-doc add "$npi" "$DEMO/$k.pdf" --kind "$k")
	CTP_USER=maria ctp-review approve "d$id" >/dev/null
done
echo "\$ ctp-package --payer \"Acme Health\" --allow-incomplete -o package.zip $npi"
CTP_USER=maria ctp-package --payer "Acme Health" --allow-incomplete \
    -o "$DEMO/package.zip" "$npi"
echo '$ unzip -l package.zip'
unzip -l "$DEMO/package.zip" | sed 's|'"$DEMO"'/||'
echo '$ unzip -p package.zip summary.txt'
unzip -p "$DEMO/package.zip" summary.txt
echo '$ ctp-package verify package.zip && echo verified'
ctp-package verify "$DEMO/package.zip" && echo verified
