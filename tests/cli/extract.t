#!/bin/sh
# Extraction on ctp-doc add and intake and with ctp-doc extract; the
# suggestions in ctp-review (approve, correct, reject) and proof that no
# credential changes before a decision; bad input (a corrupt PDF, an
# empty file, one over the limit, an unknown type, tools missing, no
# date, two expiration dates, hostile names, a model that times out or
# answers garbage).  The documents come from scripts/gen-docs.
. "$(dirname "$0")/lib.sh"

new_org
ctp-user add alice --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null
ctp-import --as-of 2026-12-01 "$FIXTURES/import/clean.csv" 2>/dev/null
N=1000005011	# Elizabeth Torres, WI
K=1000005037	# Karen Baker, NC
G=$T/docs
"$top/scripts/gen-docs" "$G"
cred() {	# cred NPI KIND: the credential's id
	sqlite3 "$CTP_DB" "SELECT c.id FROM credentials c JOIN providers p ON
	    p.id = c.provider_id WHERE p.npi = '$1' AND c.kind = '$2'"
}
sugg() {	# sugg DOC: field=value:status of its suggestions
	sqlite3 "$CTP_DB" "SELECT group_concat(field || '=' || value || ':' ||
	    status, ' ') FROM (SELECT * FROM suggestions WHERE document_id = $1
	    ORDER BY id)"
}
creds() { sqlite3 "$CTP_DB" "SELECT * FROM credentials ORDER BY id"; }
L=$(cred $N state_license)
ctp-credential set "$L" verification verified >/dev/null 2>&1

# A text PDF: the values read, each beside the credential's.
creds >"$T/creds.before"
CTP_USER=alice run ctp-doc add $N "$G/torres-license.pdf" --kind license
is "$rc" 0 "add exits 0"
is "$(cat "$T/out")" 1 "it prints the document id"
is "$(sqlite3 "$CTP_DB" "SELECT status, source, name, name_match, actor
	FROM extractions WHERE document_id = 1")" \
	"ok|pdftotext|Elizabeth L. Torres|1|alice" \
	"an extraction: its source, the name read and that it is the provider's"
is "$(sugg 1)" \
	"number=WI3455413:confirmed state=WI:confirmed issued=2026-03-01:pending expires=2030-03-31:pending" \
	"values equal to the credential's confirmed, the others pending"
is "$(sqlite3 "$CTP_DB" "SELECT DISTINCT credential_id FROM suggestions
	WHERE document_id = 1")" "$L" "for the provider's license"
is "$(sqlite3 "$CTP_DB" "SELECT line, confidence FROM suggestions
	WHERE document_id = 1 AND field = 'expires'")" \
	"Expiration Date: 03/31/2030|90" "each with its line and confidence"
creds >"$T/creds.after"
ok "no credential changes on add" cmp -s "$T/creds.before" "$T/creds.after"
is "$(sqlite3 "$CTP_DB" "SELECT group_concat(action, ' ') FROM (SELECT
	action FROM audit WHERE obj_id = '1' AND obj_type = 'document'
	ORDER BY seq)")" "doc.add doc.extract" "doc.add, then doc.extract"
is "$(sqlite3 "$CTP_DB" "SELECT json_extract(detail, '$.sha256') =
	(SELECT sha256 FROM documents WHERE id = 1) FROM audit
	WHERE action = 'doc.extract'")" 1 "the extraction event names the hash"

# The queue: each suggestion beside the current value, mismatch marked.
run ctp-review list --csv
is "$rc" 0 "list exits 0"
like "$T/out" '^s4,1000005011,Elizabeth Torres,state_license.expires,torres-license.pdf,2030-03-31,2028-03-23,MISMATCH,' \
	"the expiration beside the current one, marked"
like "$T/out" '^s3,.*,state_license.issued,torres-license.pdf,2026-03-01,,new value,' \
	"a value the credential lacks"
unlike "$T/out" '^s1,' "a confirmed value is not queued"

# ctp-doc extract: read again, the values as rows; nothing queued twice.
CTP_USER=alice run ctp-doc extract 1 --json
is "$rc" 0 "extract exits 0"
is "$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    print(r["field"], r["value"], r["status"])' "$T/out" | tr '\n' ';')" \
	"name Elizabeth L. Torres match;number WI3455413 confirmed;state WI confirmed;issued 2026-03-01 already pending;expires 2030-03-31 already pending;" \
	"each value, its status"
is "$(count "suggestions WHERE status = 'pending'")" 2 "nothing queued twice"
CTP_USER=sam run ctp-doc extract 1
is "$rc" 77 "an auditor may not extract"
CTP_USER=sam run ctp-doc show 1 --csv
like "$T/out" "^extraction,ok \\(pdftotext\\)$" "show: the extraction"
like "$T/out" "^suggestions_pending,2$" "show: the suggestions pending"

# Approve: the credential changes through the history writer, unverified.
CTP_USER=sam run ctp-review approve s4
is "$rc" 77 "an auditor may not approve"
CTP_USER=alice run ctp-review approve s4
is "$rc" 0 "approve exits 0"
is "$(sqlite3 "$CTP_DB" "SELECT expires, verification FROM credentials
	WHERE id = $L")" "2030-03-31|unverified" \
	"the credential takes the value and is unverified until verified"
is "$(sqlite3 "$CTP_DB" "SELECT field, old_value, new_value, source, actor
	FROM history WHERE credential_id = $L ORDER BY id DESC LIMIT 2" |
	tr '\n' ';')" \
	"state_license.verification|verified|unverified|document 1|alice;state_license.expires|2028-03-23|2030-03-31|document 1|alice;" \
	"history rows from the document"
is "$(sqlite3 "$CTP_DB" "SELECT status, decided_value, decided_by FROM
	suggestions WHERE id = 4")" "approved|2030-03-31|alice" "the decision"
is "$(sqlite3 "$CTP_DB" "SELECT json_extract(detail, '$.sha256') = (SELECT
	sha256 FROM documents WHERE id = 1) FROM audit WHERE action =
	'suggestion.approve' AND obj_id = '4'")" 1 "audit-logged with the hash"
CTP_USER=alice run ctp-review approve s4
is "$rc" 65 "a decided suggestion is final"
like "$T/err" "^ctp-review: s4: already approved$" "and says so"

# Correct: the coordinator's value, checked as any credential value.
db_snap
CTP_USER=alice run ctp-review correct s3 2026-02-30
is "$rc" 65 "a correction that is not a date"
like "$T/err" "^ctp-review: issued: " "names the field"
db_unchanged "nothing written"
CTP_USER=alice run ctp-review correct s3 2026-03-02 --note "typo on the scan"
is "$rc" 0 "correct exits 0"
is "$(sqlite3 "$CTP_DB" "SELECT issued FROM credentials WHERE id = $L")" \
	2026-03-02 "the corrected value is written"
is "$(sqlite3 "$CTP_DB" "SELECT status, value, decided_value, note FROM
	suggestions WHERE id = 3")" \
	"corrected|2026-03-01|2026-03-02|typo on the scan" \
	"the suggestion kept, the value written beside it"
CTP_USER=alice run ctp-review correct d1 2026-03-02
is "$rc" 2 "a document has no value to correct"

# Reject: a note is needed; nothing of the credential changes.
CTP_USER=alice ctp-doc add $K "$G/baker-dea.pdf" --kind dea >/dev/null 2>&1
s=$(sqlite3 "$CTP_DB" "SELECT id FROM suggestions WHERE document_id = 2
	AND field = 'expires'")
CTP_USER=alice run ctp-review reject "s$s"
is "$rc" 2 "reject needs --note"
creds >"$T/creds.before"
CTP_USER=alice run ctp-review reject "s$s" --note "old registration"
is "$rc" 0 "reject exits 0"
creds >"$T/creds.after"
ok "a rejection changes no credential" cmp -s "$T/creds.before" "$T/creds.after"
is "$(sqlite3 "$CTP_DB" "SELECT status || '|' || note FROM suggestions
	WHERE id = $s")" "rejected|old registration" "rejected with its note"

# A document whose name is not the provider's is flagged.
CTP_USER=alice run ctp-doc add $N "$G/baker-malpractice.pdf" --kind malpractice
d=$(cat "$T/out")
run ctp-review list --csv
like "$T/out" "^d$d,1000005011,.*the name on the document \\(Karen J. Baker\\) is not the provider's" \
	"the document flagged in the queue"
like "$T/out" "^s[0-9]+,1000005011,.*,malpractice.number,baker-malpractice.pdf,MP-53404922,.*the name on the document" \
	"and each of its suggestions"

# Scans: a PNG and a PDF of page images go through OCR.
CTP_USER=alice run ctp-doc add $K "$G/baker-board-scan.png" --kind board_cert
d=$(cat "$T/out")
is "$(sqlite3 "$CTP_DB" "SELECT status, source FROM extractions WHERE
	document_id = $d")" "ok|ocr" "a PNG scan is read by OCR"
is "$(sugg "$d")" \
	"number=ABA-22917:pending issuer=AMERICAN BOARD OF ANESTHESIOLOGY:pending issued=2017-01-23:pending expires=2027-01-22:confirmed" \
	"its values"
CTP_USER=alice run ctp-doc add $N "$G/torres-dea-scan.pdf" --kind dea
d=$(cat "$T/out")
is "$(sqlite3 "$CTP_DB" "SELECT status, source FROM extractions WHERE
	document_id = $d")" "ok|ocr" "a PDF of page images: rendered, then OCR"
is "$(cat "$T/err")" "" "no word on stderr"
is "$(sqlite3 "$CTP_DB" "SELECT value FROM suggestions WHERE document_id = $d
	AND field = 'number'")" BT5432315 "the DEA number, its check digit holding"

# Bad input.
B=$T/bad
mkdir "$B"
printf '%%PDF-1.4\nthis is not a PDF at all\n' >"$B/corrupt.pdf"
CTP_USER=alice run ctp-doc add $N "$B/corrupt.pdf" --kind license
d=$(cat "$T/out")
is "$rc" 0 "a corrupt PDF is stored"
is "$(sqlite3 "$CTP_DB" "SELECT status FROM extractions WHERE document_id = $d")" \
	failed "its extraction failed"
like "$T/err" "^ctp-doc: .*corrupt.pdf: extraction failed: pdftotext exited [0-9]+" \
	"and says why"
is "$(sugg "$d")" "" "no suggestion"

: >"$B/empty.pdf"
printf 'GIF89a\001\0\001\0' >"$B/photo.gif"
db_snap
CTP_USER=alice run ctp-doc add $N "$B/empty.pdf" --kind license
is "$rc" 65 "an empty file is refused"
like "$T/err" "empty.pdf: empty file$" "as empty"
CTP_USER=alice run ctp-doc add $N "$B/photo.gif" --kind license
is "$rc" 65 "an unknown type is refused"
like "$T/err" "photo.gif: unknown type" "as of unknown type"
db_unchanged "neither stored nor read"
ctp-org set doc_max_bytes 100 >/dev/null 2>&1
db_snap
CTP_USER=alice run ctp-doc add $N "$G/torres-board.pdf" --kind board_cert
is "$rc" 65 "a file over the limit is refused"
like "$T/err" "over the limit of 100 \\(doc_max_bytes\\)" "naming the limit"
db_unchanged "nothing stored, nothing read"
ctp-org set doc_max_bytes 26214400 >/dev/null 2>&1

# The tools missing: the document stored, the extraction unavailable.
CTP_USER=alice run env PATH="$CTP_BIN" ctp-doc add $N "$G/torres-board.pdf" \
	--kind board_cert
d=$(cat "$T/out")
is "$rc" 0 "without pdftotext the document is still stored"
is "$(sqlite3 "$CTP_DB" "SELECT status, reason FROM extractions WHERE
	document_id = $d")" \
	"unavailable|pdftotext is not installed (install poppler-utils)" \
	"extraction unavailable, with the reason"
like "$T/err" "extraction unavailable: pdftotext is not installed" "said on stderr"
CTP_USER=alice run env PATH="$CTP_BIN" ctp-doc add $N "$G/torres-board-scan.png" \
	--kind board_cert
is "$(sqlite3 "$CTP_DB" "SELECT reason FROM extractions WHERE document_id =
	$(cat "$T/out")")" "tesseract is not installed (install tesseract-ocr)" \
	"without tesseract an image is stored, unread"
CTP_USER=alice run ctp-doc extract "$d"
is "$rc" 0 "read again with the tools back"
is "$(sqlite3 "$CTP_DB" "SELECT status FROM extractions WHERE document_id = $d
	ORDER BY id DESC LIMIT 1")" ok "a new extraction, ok"
CTP_USER=alice run ctp-doc extract 999
is "$rc" 65 "extract of no document"
like "$T/err" "^ctp-doc: 999: no such document$" "says so"
CTP_USER=alice ctp-doc add $N "$G/torres-board.pdf" --kind cv >"$T/id" 2>&1
is "$(count "extractions WHERE document_id = $(cat "$T/id")")" 0 \
	"a CV is stored, not read"
CTP_USER=alice run ctp-doc extract "$(cat "$T/id")"
is "$rc" 65 "extract of a CV"
like "$T/err" "a document of kind cv has no credential values to read" "says why"

# Text with no date; text with two expiration dates.
printf 'Medical license of Elizabeth Torres\nLicense Number: WI3455413\n' \
	>"$B/nodate.txt"
CTP_USER=alice run ctp-doc add $N "$B/nodate.txt" --kind license
d=$(cat "$T/out")
is "$(sugg "$d")" "number=WI3455413:confirmed" "no date: no date suggested"
printf 'License Number: WI3455413\nExpiration Date: 03/31/2031\nDate Issued: 03/01/2026\nExpires: 03/31/2032\n' \
	>"$B/twodates.txt"
CTP_USER=alice run ctp-doc add $N "$B/twodates.txt" --kind license
d=$(cat "$T/out")
is "$(sqlite3 "$CTP_DB" "SELECT value, confidence < 60, flag FROM suggestions
	WHERE document_id = $d AND field = 'expires'")" \
	"2031-03-31|1|conflicting expiration dates (2031-03-31, 2032-03-31)" \
	"two expiration dates: a low confidence and a flag"
run ctp-review list --csv
like "$T/out" ",2031-03-31,2030-03-31,\"MISMATCH; conflicting expiration dates \\(2031-03-31, 2032-03-31\\); low confidence \\(40\\)\"," \
	"the queue shows both"

# Intake: extraction runs for each stored file; hostile names refused.
I=$T/drop
mkdir -p "$I/$K"
cp "$G/baker-license.pdf" "$I/$K/license.pdf"
cp "$G/baker-license.pdf" "$I/$K/-license.pdf"
cp "$G/baker-license.pdf" "$I/$K/a..license.pdf"
cp "$G/baker-license.pdf" "$I/$K/new
line-license.pdf"
CTP_USER=alice run ctp-doc intake "$I" --csv
is "$rc" 1 "intake with refusals exits 1"
like "$T/out" "^$K/-license.pdf,rejected,,the name begins with a dash$" "a leading dash"
like "$T/out" "^$K/a..license.pdf,rejected,,\"the name holds \"\"..\"\"\"$" "a .."
like "$T/out" "rejected,,the name holds a control character$" "a newline"
d=$(sqlite3 "$CTP_DB" "SELECT max(id) FROM documents")
is "$(sqlite3 "$CTP_DB" "SELECT d.name, x.status FROM documents d JOIN
	extractions x ON x.document_id = d.id WHERE d.id = $d")" \
	"license.pdf|ok" "the good file stored and read"
is "$(sqlite3 "$CTP_DB" "SELECT value FROM suggestions WHERE document_id = $d
	AND field = 'expires'")" 2027-03-13 "its values"

# The model extractor: off unless configured; the text only, the key
# never shown; its answer checked; a timeout or garbage recorded.
start_server "$here/model-httpd.py" --log "$T/model.log"
ctp-org set extract_model_url "http://127.0.0.1:$PORT/good/chat/completions" \
	>/dev/null 2>&1
ctp-org set extract_model test-model >/dev/null 2>&1
ctp-org set extract_model_key sekret-key-123 >/dev/null 2>&1
run ctp-org show
like "$T/out" "extract_model_key.*\\(set\\)" "ctp-org show masks the key"
unlike "$T/out" "sekret" "and never prints it"
CTP_USER=alice run ctp-doc add $K "$G/baker-dea-scan.png" --kind dea
d=$(cat "$T/out")
is "$(sqlite3 "$CTP_DB" "SELECT model FROM extractions WHERE document_id = $d")" \
	ok "the model was asked"
is "$(sqlite3 "$CTP_DB" "SELECT value || ':' || status FROM suggestions
	WHERE document_id = $d AND source = 'model' AND field = 'expires'")" \
	"2029-05-31:pending" "its values are suggestions like any other"
is "$(python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).readlines()[-1])
b = json.loads(r["body"])
print(r["auth"], b["model"], "AB7684269" in b["messages"][1]["content"],
      "PNG" in r["body"])' "$T/model.log")" "Bearer sekret-key-123 test-model True False" \
	"the key in the header, the text sent, not the file"
ok "the key is not in the audit log" sh -c \
	"! sqlite3 '$CTP_DB' 'SELECT detail FROM audit' | grep -q sekret"
ctp-org set extract_model_url "http://127.0.0.1:$PORT/garbage/chat/completions" \
	>/dev/null 2>&1
CTP_USER=alice run ctp-doc add $K "$G/baker-dea.pdf" --kind other
CTP_USER=alice run ctp-doc extract 2
is "$rc" 0 "a garbage answer: the extraction still stands"
like "$T/err" "model extractor: the answer is not JSON" "said on stderr"
is "$(sqlite3 "$CTP_DB" "SELECT model FROM extractions WHERE document_id = 2
	ORDER BY id DESC LIMIT 1")" "the answer is not JSON" "and recorded"
ctp-org set extract_model_url "http://127.0.0.1:$PORT/prose/chat/completions" \
	>/dev/null 2>&1
CTP_USER=alice run ctp-doc extract 2
like "$T/err" "model extractor: the message is not a JSON object" "prose refused"
ctp-org set extract_model_url "http://127.0.0.1:$PORT/slow/chat/completions" \
	>/dev/null 2>&1
ctp-org set extract_model_timeout 1 >/dev/null 2>&1
n=$(count "suggestions WHERE source = 'model'")
CTP_USER=alice run ctp-doc extract 2
is "$rc" 0 "a model that times out: the extraction still stands"
like "$T/err" "model extractor: .*timed out" "said on stderr"
is "$(count "suggestions WHERE source = 'model'")" "$n" "nothing from the model"
unlike "$T/err" "sekret" "the key in no message"

done_testing
