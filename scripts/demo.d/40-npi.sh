# step: maria checks the roster against the NPPES registry file; accepts one change, dismisses one
set -eu
if [ ! -f "$FIXTURES/demo/roster.csv" ] ||
    [ "$(sqlite3 "$CTP_DB" 'SELECT count(*) FROM providers')" = 0 ]; then
	echo "(no sample roster imported: NPI step skipped)"
	exit 0
fi
# This month's registry file for the clinic's providers: what the roster
# says, except that the registry knows two changes the roster does not.
reg=$DEMO/npidata_pfile_20050523-20261208.csv
sqlite3 -csv "$CTP_DB" "SELECT p.npi, p.first_name, p.last_name,
    p.taxonomy, p.practice_address, p.practice_city, p.practice_state,
    p.practice_zip, coalesce(c.number, ''), coalesce(c.state, '')
    FROM providers p LEFT JOIN credentials c ON c.provider_id = p.id
    AND c.kind = 'state_license' AND c.status = 'active'
    GROUP BY p.id ORDER BY p.id" |
python3 -c '
import csv, sys, unicodedata
header = open(sys.argv[1]).readline()
cols = next(csv.reader([header]))
ix = {c: i for i, c in enumerate(cols)}
fold = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE",
                      "ß": "ss", "ł": "l", "Ł": "L", "đ": "d"})
up = lambda s: unicodedata.normalize("NFKD", s.translate(fold)).encode(
    "ascii", "ignore").decode().upper()
sys.stdout.write(header)
for n, (npi, first, last, tax, addr, city, st, zip5, lic, lst) in \
        enumerate(csv.reader(sys.stdin)):
    if n == 0:
        addr, zip5 = "1200 N Walnut St Ste 300", zip5[:5] + "1234"
    if n == 1:
        last = "Okafor-" + last
    v = [""] * len(cols)
    v[0], v[ix["Entity Type Code"]] = npi, "1"
    v[ix["Provider First Name"]] = up(first)
    v[ix["Provider Last Name (Legal Name)"]] = up(last)
    for k, x in (("First Line", addr), ("City Name", city),
                 ("State Name", st), ("Postal Code", zip5)):
        name = [c for c in cols if "Practice Location" in c and k in c][0]
        v[ix[name]] = up(x)
    v[ix["Last Update Date"]] = "11/30/2026"
    v[ix["Healthcare Provider Taxonomy Code_1"]] = tax
    v[ix["Provider License Number_1"]] = lic
    v[ix["Provider License Number State Code_1"]] = lst
    v[ix["Healthcare Provider Primary Taxonomy Switch_1"]] = "Y"
    sys.stdout.write(",".join("\"%s\"" % x for x in v) + "\n")
' "$FIXTURES/npi/npidata_pfile_small.csv" >"$reg"
echo '$ ctp-npi refresh --bulk npidata_pfile_20050523-20261208.csv'
CTP_USER=maria ctp-npi -v refresh --as-of 2026-12-08 --bulk "$reg" --csv ||
	[ $? -eq 1 ]
echo '$ ctp-npi mismatches'
CTP_USER=maria ctp-npi mismatches --csv
addr=$(CTP_USER=maria ctp-npi mismatches --csv |
	awk -F, '$5 == "practice_address" { print $1; exit }')
name=$(CTP_USER=maria ctp-npi mismatches --csv |
	awk -F, '$5 == "last_name" { print $1; exit }')
echo "\$ ctp-npi accept --note \"moved in November\" $addr"
CTP_USER=maria ctp-npi accept --note "moved in November" "$addr"
echo "\$ ctp-npi dismiss --note \"...\" $name"
CTP_USER=maria ctp-npi dismiss --note "married name not yet on her license; keep the legal name we verified" "$name"
echo '$ ctp-npi mismatches --status all'
CTP_USER=maria ctp-npi mismatches --status all --csv
echo '$ ctp-npi refresh --bulk ...   # again: the dismissed one stays closed'
CTP_USER=maria ctp-npi refresh --as-of 2026-12-08 --bulk "$reg" --csv
echo "exit $?"
