#!/bin/sh
# ctp-package: a payer's package of one provider (contents against the
# database, PDFs read back with poppler, byte-identical runs, verify on a
# good and a tampered package), many providers from a pipeline, the
# requirements, and refusals (incomplete, excluded, unknown NPI, output).
. "$(dirname "$0")/lib.sh"

new_org "Lakeside Clinic"
ctp-user add alice --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null
ctp-import --as-of 2026-12-01 "$FIXTURES/import/clean.csv" 2>/dev/null
N=1000005011	# MD Torres, WI
M=1000005003	# DO Jones, no documents
D=$T/files
mkdir "$D" "$T/pk"
gen() { "$top/scripts/gen-pdf" "$@"; }
# Hostile file names: they name the document in the database only.
gen "$D/..\\..\\CON.pdf" "License WI Torres" --pages 2
gen "$D/mal:pr|ac?tice<x>.pdf" "Malpractice MagMutual"
gen "$D/-rf \$(id).pdf" "Curriculum vitae Torres"
gen "$D/dea.pdf" "DEA registration"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' >"$D/board.png"
add() { CTP_USER=alice ctp-doc add $N "$1" --kind "$2"; }
for f in "..\\..\\CON.pdf:license" "mal:pr|ac?tice<x>.pdf:malpractice" \
    "-rf \$(id).pdf:cv" "dea.pdf:dea" "board.png:board_cert"; do
	id=$(add "$D/${f%:*}" "${f##*:}") || echo "# add failed: $f"
	CTP_USER=alice ctp-review approve "$id" >/dev/null
done
pkg() { CTP_USER=alice run ctp-package --payer "Acme Health" \
    --as-of 2026-12-01 "$@"; }

# One provider.
pkg -o "$T/p1.zip" $N
is "$rc" 0 "build exits 0"
is "$(cat "$T/out" "$T/err")" "" "quiet on success"
is "$(stat -c %a "$T/p1.zip")" 600 "mode 0600"
is "$(unzip -Z1 "$T/p1.zip" | tr '\n' ' ')" "credentials.csv \
documents/board_cert/board_cert-5.png documents/cv/cv-3.pdf \
documents/dea/dea-4.pdf documents/license/license-1.pdf \
documents/malpractice/malpractice-2.pdf manifest.json packet.pdf \
profile.csv profile.json psv_log.csv screening.csv summary.pdf \
summary.txt " "every file, names made by ctp, sorted"
unzip -Z1 "$T/p1.zip" >"$T/names"
unlike "$T/names" "CON|\\(id|[^a-z0-9_./-]" "no stored name reaches the ZIP"
mkdir "$T/x"
(cd "$T/x" && unzip -q "$T/p1.zip")
for id in 1 2 3 4 5; do
	ctp-doc get $id -o "$T/doc$id" 2>/dev/null
done
ok "license is the stored document" cmp "$T/doc1" "$T/x/documents/license/license-1.pdf"
ok "malpractice is the stored document" cmp "$T/doc2" "$T/x/documents/malpractice/malpractice-2.pdf"
ok "cv is the stored document" cmp "$T/doc3" "$T/x/documents/cv/cv-3.pdf"
ok "dea is the stored document" cmp "$T/doc4" "$T/x/documents/dea/dea-4.pdf"
ok "board certificate (PNG) is the stored document" cmp "$T/doc5" "$T/x/documents/board_cert/board_cert-5.png"
python3 - "$T/x" >"$T/mf" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
bad = [f["path"] for f in m["files"]
       if hashlib.sha256(open(os.path.join(d, f["path"]), "rb").read()).hexdigest() != f["sha256"]
       or os.path.getsize(os.path.join(d, f["path"])) != f["size"]]
print(len(m["files"]), bad, m["organization"], m["provider"]["npi"], m["payer"],
      m["as_of"], m["complete"], ",".join(m["required"]), m["packet"]["pages"])
PY
is "$(cat "$T/mf")" "13 [] Lakeside Clinic $N Acme Health 2026-12-01 True license,dea,malpractice,cv 6" \
	"manifest: every other file with its size and sha256; who, for whom, when"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["Provider_NPI"], d["Provider_Last_Name"], d["Provider_Type"])' "$T/x/profile.json")" \
	"$N Torres MD" "profile.json under CAQH ProView's names"
is "$(sed -n 2p "$T/x/profile.csv" | cut -d, -f1,4)" "$N,Torres" "profile.csv"
is "$(($(wc -l <"$T/x/credentials.csv") - 1))" \
	"$(sqlite3 "$CTP_DB" "SELECT count(*) FROM credentials c JOIN providers p ON p.id = c.provider_id WHERE p.npi = '$N'")" \
	"credentials.csv: every credential"
is "$(head -1 "$T/x/psv_log.csv")" "entry_id,verified_on,npi,last_name,first_name,credential_id,kind,source,method,result,reference,note,corrects,actor,ts" \
	"psv_log.csv: the PSV log's columns"
is "$(head -1 "$T/x/screening.csv")" "source,result,list_version,screened_on,match_status" "screening.csv"
run pdftotext "$T/x/summary.pdf" -
like "$T/out" "Torres, Elizabeth \(NPI $N\), MD" "summary.pdf: the provider (pdftotext)"
like "$T/out" "Acme Health" "summary.pdf: the payer"
like "$T/out" "^Complete:" "summary.pdf: complete"
ok "summary.txt: complete" grep -q "^Complete: *yes$" "$T/x/summary.txt"
ok "summary.txt says the same" grep -q "Torres, Elizabeth (NPI $N), MD" "$T/x/summary.txt"
is "$(pdfinfo "$T/x/summary.pdf" | awk '/^Pages:/ {print $2}')" 1 "summary.pdf: one page"
is "$(pdfinfo "$T/x/packet.pdf" | awk '/^Pages:/ {print $2}')" 6 \
	"packet.pdf: the summary and every PDF page (1 + 2 + 1 + 1 + 1)"
run pdftotext "$T/x/packet.pdf" -
like "$T/out" "License WI Torres - page 2" "packet.pdf: the documents' text"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'package.build' AND obj_id = '$N'")/$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'doc.download' AND json_extract(detail, '$.output') = '$T/p1.zip'")" \
	"1/5" "audit: one package event, one download a document"

# Reproducible: the same state and day give the same bytes.
pkg -o "$T/p2.zip" $N
ok "a second run is byte-identical" cmp "$T/p1.zip" "$T/p2.zip"
TZ=Pacific/Auckland pkg -o "$T/p3.zip" $N
ok "in another time zone too" cmp "$T/p1.zip" "$T/p3.zip"
SOURCE_DATE_EPOCH=1700000000 pkg -o "$T/p4.zip" $N
SOURCE_DATE_EPOCH=1700000000 pkg -o "$T/p5.zip" $N
ok "SOURCE_DATE_EPOCH: identical runs" cmp "$T/p4.zip" "$T/p5.zip"
like "$(zipinfo "$T/p4.zip" manifest.json >"$T/zi"; echo "$T/zi")" "23-Nov-14 22:13" \
	"SOURCE_DATE_EPOCH dates the entries"

# verify: good, tampered, hostile.
run ctp-package verify "$T/p1.zip"
is "$rc/$(cat "$T/out" "$T/err")" "0/" "verify: a good package exits 0, quiet"
CTP_DB=$T/none.db run ctp-package verify "$T/p1.zip"
is "$rc" 0 "verify needs no database (a payer runs it)"
tamper() { # tamper OUT: p1.zip rewritten by python's zipfile
	python3 - "$T/p1.zip" "$@" <<'PY'
import sys, zipfile
src, out, how = sys.argv[1], sys.argv[2], sys.argv[3]
zi = zipfile.ZipFile(src)
zo = zipfile.ZipFile(out, "w")
for n in zi.namelist():
    data = zi.read(n)
    if how == "change" and n == "summary.txt":
        data = data.replace(b"Torres", b"Torrez")
    if how == "drop" and n == "credentials.csv":
        continue
    zo.writestr(n, data)
if how == "extra":
    zo.writestr("../evil.sh", b"echo owned\n")
zo.close()
PY
}
tamper "$T/t1.zip" change
run ctp-package verify "$T/t1.zip"
is "$rc" 1 "verify: a changed file exits 1"
is "$(cat "$T/err")" "ctp-package: $T/t1.zip: summary.txt: sha256 differs" "names the file"
tamper "$T/t2.zip" drop
run ctp-package verify "$T/t2.zip"
is "$rc" 1 "verify: a file removed"
like "$T/err" "credentials.csv: missing from the package" "says so"
tamper "$T/t3.zip" extra
run ctp-package verify "$T/t3.zip"
is "$rc" 1 "verify: a file added with a hostile name"
like "$T/err" '\.\./evil\.sh: a "\.\." part' "the name is unsafe"
like "$T/err" '\.\./evil\.sh: not in the manifest' "and not in the manifest"
printf 'not a zip' >"$T/junk.zip"
run ctp-package verify "$T/junk.zip"
is "$rc" 65 "verify: not a ZIP"
run ctp-package verify "$T/nope.zip"
is "$rc" 66 "verify: no such file"

# A large document (over the 8 MB read into memory): streamed from its
# blob into the ZIP, packet.pdf made through temporary files.
H=1000005029	# NP Hill
gen "$D/big.pdf" "Hill license" --pages 3 --pad 9000000
id=$(CTP_USER=alice ctp-doc add $H "$D/big.pdf" --kind license)
CTP_USER=alice ctp-review approve "$id" >/dev/null
mkdir "$T/tmp"
TMPDIR=$T/tmp pkg -o "$T/big1.zip" --allow-incomplete $H
is "$rc" 0 "a package with a 9 MB document"
is "$(ls -A "$T/tmp")" "" "no temporary file left"
pkg -o "$T/big2.zip" --allow-incomplete $H
ok "byte-identical again" cmp "$T/big1.zip" "$T/big2.zip"
ok "it verifies" ctp-package verify "$T/big1.zip"
unzip -p "$T/big1.zip" "documents/license/license-$id.pdf" >"$T/big.out"
ok "the document as stored" cmp "$D/big.pdf" "$T/big.out"
unzip -p "$T/big1.zip" packet.pdf >"$T/bigpacket.pdf"
is "$(pdfinfo "$T/bigpacket.pdf" | awk '/^Pages:/ {print $2}')" 4 \
	"packet.pdf: the summary and the document's 3 pages"
unlike "$T/bigpacket.pdf" "31415926535897932384626433832795" \
	"packet.pdf: its own ID, not qpdf's placeholder"

# Output: never replaced without --force, never through a link.
pkg -o "$T/p1.zip" $N
is "$rc" 73 "an existing file is not replaced"
like "$T/err" "p1.zip: exists: use --force" "says so"
pkg -o "$T/p1.zip" --force $N
is "$rc" 0 "--force replaces it"
ln -s "$T/p1.zip" "$T/link.zip"
pkg -o "$T/link.zip" --force $N
is "$rc" 73 "a symbolic link is refused, even with --force"
: >"$T/file"
db_snap
pkg -o "$T/file/p.zip" $N
is "$rc" 73 "a path that cannot be created"
db_unchanged "nothing logged for a package not written"

# A full disk: exit 74, nothing left, nothing logged (root: a tmpfs).
FULL=$T/full
mkdir "$FULL"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=8k tmpfs "$FULL" 2>/dev/null
then
	db_snap
	pkg -o "$FULL/p.zip" $N
	is "$rc" 74 "a full disk exits 74"
	like "$T/err" "write error" "says so"
	is "$(ls -A "$FULL")" "" "no file left behind"
	db_unchanged "nothing logged"
	umount "$FULL"
else
	skip "a full disk" "needs root to mount a tmpfs"
fi

# Pipeline input: any CSV or JSON Lines with an npi column, -o DIR.
printf '{"npi":"%s","x":1}\n{"npi":"%s"}\n{"npi":"%s"}\n' $N $M $N >"$T/in.jsonl"
CTP_USER=alice run_in "$T/in.jsonl" ctp-package --payer "Acme Health" \
	--as-of 2026-12-01 --allow-incomplete -o "$T/pk" -
is "$rc" 0 "JSON Lines from stdin"
is "$(ls "$T/pk" | tr '\n' ' ')" \
	"1000005003-jones-acme-health-2026-12-01.zip 1000005011-torres-acme-health-2026-12-01.zip " \
	"one package a provider (a repeat once), named NPI-lastname-payer-DATE"
ok "each verifies" ctp-package verify "$T"/pk/*.zip
mkdir "$T/pk3"
CTP_USER=alice run_in "$T/in.jsonl" ctp-package --payer "Acme Health" \
	--as-of 2026-12-01 --allow-incomplete -o "$T/pk3" -
ok "several at once: byte-identical to the run before" \
	diff -r "$T/pk" "$T/pk3"
ctp-expiring --as-of 2026-12-01 --within 900 --csv >"$T/exp.csv" 2>/dev/null
CTP_USER=alice run_in "$T/exp.csv" ctp-package --payer "Acme Health" \
	--as-of 2026-12-01 --allow-incomplete -o "$T/pk2/" -
is "$rc" 2 "several providers and a missing directory"
like "$T/err" "not a directory: several providers need -o DIR" "says so"
mkdir "$T/pk2"
CTP_USER=alice run_in "$T/exp.csv" ctp-package --payer "Acme Health" \
	--as-of 2026-12-01 --allow-incomplete -o "$T/pk2/" -
is "$rc/$(ls "$T/pk2" | wc -l)" "0/$(python3 -c 'import csv,sys; print(len({r["npi"] for r in csv.DictReader(open(sys.argv[1]))}))' "$T/exp.csv")" \
	"ctp-expiring --csv | ctp-package: one package a provider"
pkg -o "$T/one.zip" $N $M
is "$rc" 2 "several providers need -o DIR"

# Incomplete: nothing written unless --allow-incomplete.
db_snap
pkg -o "$T/pk" $M
is "$rc" 1 "a provider without documents exits 1"
like "$T/err" "$M: incomplete: license: no approved document; dea: no approved document; malpractice: no approved document; cv: no approved document" \
	"lists every gap"
like "$T/err" "nothing written" "and says nothing was written"
db_unchanged "nothing logged"
pkg -o "$T/inc.zip" --as-of 2029-01-01 $N
is "$rc" 1 "an expired credential as of the date"
like "$T/err" "license: expired 2028-03-23" "names it with its date"
pkg -o "$T/inc.zip" --as-of 2029-01-01 --allow-incomplete $N
is "$rc" 0 "--allow-incomplete builds it"
is "$(unzip -p "$T/inc.zip" manifest.json | python3 -c 'import json,sys; m=json.load(sys.stdin); print(m["complete"], m["gaps"][0])')" \
	"False license: expired 2028-03-23" "the manifest lists the gaps"
ok "the summary too" sh -c "unzip -p '$T/inc.zip' summary.txt | grep -q 'missing license: expired 2028-03-23'"

# Requirements per payer and type.
CTP_USER=alice run ctp-package require --payer "Acme Health" --type DO cv
is "$rc" 0 "require sets a payer's requirement for a type"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'package.require'")" 1 "audit-logged"
run ctp-package require --payer "acme health" --csv
like "$T/out" "^acme health,DO,cv,payer$" "listed (payers compare without case)"
like "$T/out" "^acme health,MD,\"license,dea,malpractice,cv\",default$" "the default for prescribers"
like "$T/out" "^acme health,LCSW,\"license,malpractice,cv\",default$" "and for others"
CTP_USER=sam run ctp-package require --csv
is "$rc" 0 "an auditor may read the requirements"
CTP_USER=sam run ctp-package require --type MD cv
is "$rc" 77 "but not set them"
CTP_USER=alice run ctp-package require --type MD passport
is "$rc" 65 "an unknown kind"
gen "$D/cvj.pdf" "Jones CV"
id=$(CTP_USER=alice ctp-doc add $M "$D/cvj.pdf" --kind cv)
CTP_USER=alice ctp-review approve "$id" >/dev/null
pkg -o "$T/jones.zip" $M
is "$rc" 0 "Jones is complete for Acme Health (cv only)"
CTP_USER=alice run ctp-package --payer "Other Plan" --as-of 2026-12-01 \
	-o "$T/jones2.zip" $M
is "$rc" 1 "but not for another payer"

# Refusals.
db_snap
pkg -o "$T/pk" 1234567893 $N
is "$rc" 65 "an NPI not on the roster"
like "$T/err" "^ctp-package: 1234567893: not on the roster$" "says so"
db_unchanged "nothing written, not even the other provider's"
pkg -o "$T/pk" 12345 
is "$rc" 65 "not an NPI"
ctp-roster set $N status excluded --note "confirmed LEIE match" >/dev/null 2>&1
pkg -o "$T/exc.zip" $N
is "$rc" 65 "an excluded provider is refused"
like "$T/err" "$N: excluded" "says so"
ok "nothing written" test ! -e "$T/exc.zip"
pkg -o "$T/exc.zip" --allow-excluded $N
is "$rc" 0 "--allow-excluded packages it"
is "$(unzip -p "$T/exc.zip" manifest.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["provider"]["status"])')" \
	excluded "the manifest says so"
CTP_USER=sam run ctp-package --payer X -o "$T/sam.zip" $M
is "$rc" 77 "an auditor may not build packages"
run ctp-package $N
is "$rc" 2 "--payer is required"
run ctp-package --payer X verify "$T/p1.zip"
is "$rc" 2 "--payer does not apply to verify"
done_testing
