#!/bin/sh
# ctp-review: the queue of pending documents, approve and reject, each
# decision audit-logged with the document's hash and final; roles.
. "$(dirname "$0")/lib.sh"

new_org
ctp-user add alice --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null
ctp-import --as-of 2026-12-01 "$FIXTURES/import/clean.csv" 2>/dev/null
N=1000005011	# Elizabeth Torres
printf '%%PDF-1.4 license\n' >"$T/license.pdf"
printf '%%PDF-1.4 dea\n' >"$T/dea.pdf"
printf 'curriculum vitae\n' >"$T/cv.txt"
CTP_USER=alice ctp-doc add $N "$T/license.pdf" --kind license >/dev/null
CTP_USER=alice ctp-doc add $N "$T/dea.pdf" --kind dea >/dev/null
CTP_USER=alice ctp-doc add $N "$T/cv.txt" --kind cv >/dev/null
sha1=$(sha256sum <"$T/license.pdf" | cut -d' ' -f1)

CTP_USER=sam run ctp-review list --csv
is "$rc" 0 "an auditor may list the queue"
is "$(head -1 "$T/out")" "item,npi,provider,kind,name,value,current,flag,added" "header"
is "$(sed 1d "$T/out" | cut -d, -f1-5 | tr '\n' ' ')" \
	"d1,$N,Elizabeth Torres,license,license.pdf d2,$N,Elizabeth Torres,dea,dea.pdf d3,$N,Elizabeth Torres,cv,cv.txt " \
	"pending documents with the provider's name, kind and file"
run ctp-review list --json
like "$T/out" '^\{"item":"d1","npi":"1000005011","provider":"Elizabeth Torres"' "JSON Lines"

# Refusals: nothing written.
CTP_USER=sam run ctp-review approve d1
is "$rc" 77 "an auditor may not approve"
is "$(sqlite3 "$CTP_DB" "SELECT review FROM documents WHERE id = 1")" pending "still pending"
db_snap
CTP_USER=alice run ctp-review reject d1
is "$rc" 2 "a rejection needs a note"
like "$T/err" "reject needs --note" "says so"
CTP_USER=alice run ctp-review approve x1
is "$rc" 2 "an item of no known kind"
like "$T/err" "^ctp-review: x1: not an item of ctp-review list" "says so"
CTP_USER=alice run ctp-review approve d0
is "$rc" 2 "d0 is no item"
CTP_USER=alice run ctp-review approve d99
is "$rc" 65 "no such document"
like "$T/err" "^ctp-review: 99: no such document" "says so"
CTP_USER=alice run ctp-review approve d1 --note "$(printf 'bad\033[2J')"
is "$rc" 65 "a note with a control character"
db_unchanged "refused decisions write nothing (but their auth events)"

CTP_USER=alice run ctp-review approve d1 --note "matches the board"
is "$rc" 0 "approve d1"
is "$(sqlite3 "$CTP_DB" "SELECT review, reviewed_by, review_note FROM documents WHERE id = 1")" \
	"approved|alice|matches the board" "approved, by whom, why"
is "$(sqlite3 "$CTP_DB" "SELECT actor, obj_type, obj_id, json_extract(detail, '$.sha256')
	FROM audit WHERE action = 'doc.approve'")" "alice|document|1|$sha1" \
	"doc.approve event with the document's hash"
CTP_USER=alice run ctp-review reject 2 --note "expired copy"
is "$rc" 0 "a bare number is a document"
is "$(sqlite3 "$CTP_DB" "SELECT review, review_note FROM documents WHERE id = 2")" \
	"rejected|expired copy" "rejected with the note"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'doc.reject' AND obj_id = '2'
	AND json_extract(detail, '$.note') = 'expired copy'")" 1 "doc.reject event with the note"
run ctp-review list --csv
is "$(sed 1d "$T/out" | cut -d, -f1 | tr '\n' ' ')" "d3 " "decided documents leave the queue"

# A decision is final.
db_snap
CTP_USER=alice run ctp-review reject d1 --note "changed my mind"
is "$rc" 65 "a decided document cannot be decided again"
like "$T/err" "^ctp-review: d1: already approved" "says so"
db_unchanged "and nothing was written"
run sqlite3 "$CTP_DB" "UPDATE documents SET review = 'pending' WHERE id = 1"
like "$T/err" "a document review is final" "the database holds it final too"

run ctp-review frobnicate
is "$rc" 2 "an unknown command"
done_testing
