#!/bin/sh
# ctp-doc: add (type from content, stored once per hash, limits), list,
# show, get (through the safe-output helper), intake of a drop folder
# with hostile names, roles.
. "$(dirname "$0")/lib.sh"

new_org
ctp-user add alice --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null
ctp-import --as-of 2026-12-01 "$FIXTURES/import/clean.csv" 2>/dev/null
N=1000005011	# MD Torres
M=1000005003	# DO Jones
D=$T/files
mkdir "$D"
printf '%%PDF-1.4\n%% a license\n%%%%EOF\n' >"$D/license.pdf"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' >"$D/scan.pdf"	# PNG bytes
printf '\377\330\377\340\0\020JFIF' >"$D/dea.jpg"
printf 'II*\0\010\0\0\0' >"$D/board.tif"
printf 'Medical license\tWI\r\nExpires 2028-03-23 \303\251\n' >"$D/note.txt"
printf 'text\0with a NUL\n' >"$D/binary.txt"
printf 'GIF89a\001\0\001\0' >"$D/photo.gif"
: >"$D/empty.pdf"
docs() { count documents; }
contents() { count doc_contents; }

# add: the type comes from the content, not the name.
CTP_USER=alice run ctp-doc add $N "$D/license.pdf" "$D/scan.pdf" "$D/dea.jpg" \
	"$D/board.tif" "$D/note.txt" --kind license
is "$rc" 0 "add exits 0"
is "$(tr '\n' ' ' <"$T/out")" "1 2 3 4 5 " "one id a file"
is "$(sqlite3 "$CTP_DB" "SELECT c.mime FROM documents d
	JOIN doc_contents c ON c.sha256 = d.sha256 ORDER BY d.id" | tr '\n' ' ')" \
	"application/pdf image/png image/jpeg image/tiff text/plain " \
	"types from the content (a .pdf holding PNG bytes is PNG)"
is "$(sqlite3 "$CTP_DB" "SELECT sha256, size FROM doc_contents WHERE
	sha256 = (SELECT sha256 FROM documents WHERE id = 1)")" \
	"$(sha256sum <"$D/license.pdf" | cut -d' ' -f1)|$(wc -c <"$D/license.pdf" | tr -d ' ')" \
	"keyed by the file's SHA-256, with its size"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'doc.add'
	AND obj_type = 'document' AND json_extract(detail, '$.sha256') =
	(SELECT sha256 FROM documents WHERE id = 1)")" 1 "a doc.add event with the hash"
is "$(sqlite3 "$CTP_DB" "SELECT added_by, review, name FROM documents WHERE id = 1")" \
	"alice|pending|license.pdf" "who added it, pending review, the name"

# The same bytes: once for the same provider and kind, a new row otherwise.
d=$(docs); c=$(contents)
CTP_USER=alice run ctp-doc add $N "$D/license.pdf" --kind license
is "$rc" 0 "the same file again exits 0"
is "$(cat "$T/out")" 1 "it reports the existing document"
like "$T/err" "^ctp-doc: .*license.pdf: already stored as document 1$" "and says so"
is "$(docs)/$(contents)" "$d/$c" "nothing added"
cp "$D/license.pdf" "$D/copy.pdf"
CTP_USER=alice run ctp-doc add $M "$D/copy.pdf" --kind license
is "$rc" 0 "the same bytes for another provider"
is "$(docs)/$(contents)" "$((d + 1))/$c" "a new document, the content stored once"
CTP_USER=alice run ctp-doc add $N "$D/license.pdf" --kind dea
is "$(docs)/$(contents)" "$((d + 2))/$c" "another kind: a new document, content once"

# Refusals: message, exit code, nothing written.
d=$(docs); c=$(contents); a=$(count audit)
for bad in "empty.pdf|empty file" \
    "binary.txt|unknown type" \
    "photo.gif|unknown type \(not PDF, PNG, JPEG, TIFF or plain text\)"; do
	f=${bad%%|*}
	CTP_USER=alice run ctp-doc add $N "$D/$f" --kind cv
	is "$rc" 65 "$f refused"
	like "$T/err" "^ctp-doc: .*$f: ${bad#*|}" "$f: ${bad#*|}"
done
CTP_USER=alice run ctp-doc add 1234567893 "$D/license.pdf" --kind cv
is "$rc" 65 "an NPI not on the roster"
like "$T/err" "^ctp-doc: 1234567893: not on the roster" "says so"
CTP_USER=alice run ctp-doc add $N "$D/license.pdf" --kind passport
is "$rc" 2 "an unknown kind is a usage error"
like "$T/err" "unknown document kind" "names the kinds"
CTP_USER=alice run ctp-doc add $N "$D" --kind cv
is "$rc" 65 "a directory"
like "$T/err" "not a regular file" "is not a regular file"
mkfifo "$D/fifo"
CTP_USER=alice run ctp-doc add $N "$D/fifo" --kind cv
is "$rc" 65 "a pipe is refused, not waited on"
like "$T/err" "fifo: not a regular file" "as not a regular file"
ln -s "$D/license.pdf" "$D/link.pdf"
CTP_USER=alice run ctp-doc add $N "$D/link.pdf" --kind cv
is "$rc" 65 "a symbolic link"
like "$T/err" "a symbolic link, not followed" "is not followed"
CTP_USER=alice run ctp-doc add $N "$D/none.pdf" --kind cv
is "$rc" 66 "a missing file"
CTP_USER=alice run ctp-doc add $N "$D/note.txt" --kind cv --credential 999
is "$rc" 65 "a credential that is not the provider's"
like "$T/err" "credential: 999: not a credential of this provider" "says so"
ctp-org set doc_max_bytes 20 >/dev/null
CTP_USER=alice run ctp-doc add $N "$D/note.txt" --kind cv
is "$rc" 65 "over doc_max_bytes"
like "$T/err" "note.txt: [0-9]+ bytes, over the limit of 20 \(doc_max_bytes\)" "says so"
ctp-org set doc_max_bytes 26214400 >/dev/null
is "$(docs)/$(contents)/$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'doc.add'")" \
	"$d/$c/$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'doc.add'")" \
	"refused adds write nothing"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'doc.add'")" "$d" \
	"one doc.add event a document"
run ctp-org set doc_max_bytes 0
is "$rc" 65 "doc_max_bytes must be at least 1"
CTP_USER=alice run ctp-doc add $N "$D/note.txt" --kind cv --credential \
	"$(sqlite3 "$CTP_DB" "SELECT c.id FROM credentials c JOIN providers p ON
	p.id = c.provider_id WHERE p.npi = '$N' AND c.kind = 'state_license'")"
is "$rc" 0 "a credential of the provider"
cid=$(cat "$T/out")

# list, show
run ctp-doc list $N --csv
is "$rc" 0 "list exits 0"
is "$(head -1 "$T/out")" "document_id,npi,kind,name,type,size,sha256,review,added_by,added_at" "header"
is "$(sed 1d "$T/out" | cut -d, -f1 | tr '\n' ' ')" "1 2 3 4 5 7 $cid " "the provider's documents"
run ctp-doc list --since 2999-01-01 --csv
is "$(wc -l <"$T/out" | tr -d ' ')" 1 "--since: none added after"
run ctp-doc list --since tomorrow
is "$rc" 2 "--since needs a date"
CTP_USER=sam run ctp-doc list --json
is "$rc" 0 "an auditor may list"
like "$T/out" '^\{"document_id":1,"npi":"1000005011","kind":"license","name":"license.pdf","type":"application/pdf"' "JSON Lines"
CTP_USER=sam run ctp-doc show 2 --csv
is "$rc" 0 "an auditor may show"
like "$T/out" '^type,image/png$' "show: type"
like "$T/out" '^review,pending$' "show: review"
run ctp-doc show 999
is "$rc" 65 "show: no such document"
like "$T/err" "^ctp-doc: 999: no such document" "says so"

# get: a round trip, audit-logged, through the safe-output helper.
for i in 1 2 3 4 5; do
	CTP_USER=sam run ctp-doc get $i -o "$T/got.$i"
	is "$rc" 0 "get $i"
done
ok "PDF round trip" cmp "$D/license.pdf" "$T/got.1"
ok "PNG round trip" cmp "$D/scan.pdf" "$T/got.2"
ok "text round trip" cmp "$D/note.txt" "$T/got.5"
run ctp-doc get 3
ok "get to standard output" cmp "$D/dea.jpg" "$T/out"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'doc.download'")" 6 \
	"a doc.download event each"
is "$(sqlite3 "$CTP_DB" "SELECT actor, obj_id, json_extract(detail, '$.sha256') FROM audit
	WHERE action = 'doc.download' ORDER BY seq LIMIT 1")" \
	"sam|1|$(sha256sum <"$D/license.pdf" | cut -d' ' -f1)" "with who and the hash"
n=$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'doc.download'")
run ctp-doc get 2 -o "$T/got.1"
is "$rc" 73 "get will not replace a file"
like "$T/err" "got.1" "names it"
ok "the file is as it was" cmp "$D/license.pdf" "$T/got.1"
run ctp-doc get 2 -o "$T/got.1" --force
is "$rc" 0 "--force replaces it"
ok "with the document" cmp "$D/scan.pdf" "$T/got.1"
echo keep >"$T/target"
ln -s "$T/target" "$T/lnk"
run ctp-doc get 1 -o "$T/lnk" --force
is "$rc" 73 "get will not follow a symbolic link, even with --force"
is "$(cat "$T/target")" keep "the link's target is untouched"
run ctp-doc get 999 -o "$T/none"
is "$rc" 65 "get: no such document"
ok "nothing written" test ! -e "$T/none"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action = 'doc.download'")" "$((n + 1))" \
	"only the download that happened is logged"

# Standard input when it is a regular file; text checked to its end.
d=$(docs); c=$(contents)
printf '%%PDF-1.4 from stdin\n' >"$D/in.pdf"
CTP_USER=alice run_in "$D/in.pdf" ctp-doc add $M - --kind cv
is "$rc" 0 "- reads standard input redirected from a file"
is "$(sqlite3 "$CTP_DB" "SELECT name FROM documents WHERE id = $(cat "$T/out")")" stdin \
	"recorded as stdin"
rc=0
printf '%%PDF-1.4 piped\n' | CTP_USER=alice ctp-doc add $M - --kind cv \
	>"$T/out" 2>"$T/err" || rc=$?
is "$rc" 65 "a pipe on standard input is refused"
like "$T/err" "stdin: not a regular file" "as not a regular file"
printf 'overlong \300\257 slash\n' >"$D/overlong.txt"
printf 'escape \033[2J here\n' >"$D/esc.txt"
printf 'cut short \342\202' >"$D/short.txt"
printf 'surrogate \355\240\200\n' >"$D/surr.txt"
for f in overlong esc short surr; do
	CTP_USER=alice run ctp-doc add $M "$D/$f.txt" --kind cv
	is "$rc" 65 "$f.txt: not plain text"
	like "$T/err" "$f.txt: unknown type" "$f.txt: unknown type"
done
is "$(docs)/$(contents)" "$((d + 1))/$((c + 1))" "only the redirected file was stored"

# Roles
CTP_USER=sam run ctp-doc add $N "$D/dea.jpg" --kind dea
is "$rc" 77 "an auditor may not add"
CTP_USER=sam run ctp-doc intake "$D"
is "$rc" 77 "an auditor may not take a drop folder"
CTP_USER=nobody run ctp-doc list
is "$rc" 77 "no seat, no list"

# The evidence is kept.
run sqlite3 "$CTP_DB" "UPDATE doc_contents SET mime = 'text/plain'"
like "$T/err" "kept as stored" "content rows are never changed"
run sqlite3 "$CTP_DB" "DELETE FROM documents WHERE id = 1"
like "$T/err" "documents are kept" "documents are never deleted"
run sqlite3 "$CTP_DB" "UPDATE documents SET sha256 = 'x' WHERE id = 1"
like "$T/err" "a document is kept as added" "nor their content changed"

# intake: a drop folder.
I=$T/drop
mkdir -p "$I/$M" "$I/other"
printf '%%PDF-1.4 dea\n' >"$I/$N-dea.pdf"
printf '%%PDF-1.4 malpractice\n' >"$I/${N}_Malpractice.pdf"
printf 'board certificate\n' >"$I/$M/board_cert.txt"
printf 'curriculum\n' >"$I/$M/cv.txt"
printf 'x\0y' >"$I/$M/license.txt"	# binary, refused
printf '%%PDF-1.4 z\n' >"$I/nonpi.pdf"
printf '%%PDF-1.4 a\n' >"$I/$N..license.pdf"
printf '%%PDF-1.4 b\n' >"$I/$N
license.pdf"
printf '%%PDF-1.4 c\n' >"$I/-$N.pdf"
printf '%%PDF-1.4 d\n' >"$I/1234567890-x.pdf"	# check digit fails
printf 'hidden\n' >"$I/.hidden"
printf 'other\n' >"$I/other/1000005011.txt"
ln -s "$D/license.pdf" "$I/$N-link.pdf"
ln -s /etc/passwd "$I/$M/passwd.txt"
d=$(docs)
CTP_USER=alice run ctp-doc intake "$I" --csv
is "$rc" 1 "intake exits 1 when it rejected files"
like "$T/err" "^ctp-doc: 4 stored, 8 rejected$" "counts"
is "$(docs)" "$((d + 4))" "four documents stored"
is "$(sqlite3 "$CTP_DB" "SELECT p.npi || ':' || d.kind FROM documents d JOIN
	providers p ON p.id = d.provider_id WHERE d.id > $d ORDER BY p.npi, d.kind" | tr '\n' ' ')" \
	"$M:board_cert $M:cv $N:dea $N:malpractice " "NPI from the folder or name, kind from the name"
ok "stored files moved to .done" test -f "$I/.done/$N-dea.pdf" -a -f "$I/.done/$M/cv.txt"
ok "and gone from the drop folder" test ! -e "$I/$N-dea.pdf" -a ! -e "$I/$M/cv.txt"
for f in "$M/license.txt|license.txt|unknown type" \
    "nonpi.pdf|nonpi.pdf|does not begin with an NPI" \
    "$N..license.pdf|$N..license.pdf|holds \"..\"" \
    "-$N.pdf|-$N.pdf|begins with a dash" \
    "1234567890-x.pdf|1234567890-x.pdf|does not begin with an NPI" \
    "$N-link.pdf|$N-link.pdf|symbolic link" \
    "$M/passwd.txt|passwd.txt|symbolic link"; do
	src=${f%%|*}; rest=${f#*|}; dst=${rest%%|*}; why=${rest#*|}
	ok "$src: moved to .rejected" test -e "$I/.rejected/$dst" -o -L "$I/.rejected/$dst"
	ok "$src: gone from the drop folder" test ! -e "$I/$src" -a ! -L "$I/$src"
	like "$I/.rejected/$dst.reason" "$why" "$src: reason file says: $why"
done
ok "the newline name is rejected" test -f "$I/.rejected/$N
license.pdf.reason"
like "$I/.rejected/$N
license.pdf.reason" "control character" "as holding a control character"
ok "a symbolic link is moved, not its target" test -L "$I/.rejected/$N-link.pdf"
ok "the link target is still there" cmp "$D/license.pdf" "$I/.rejected/$N-link.pdf"
ok "a hidden file is left alone" test -f "$I/.hidden"
ok "a folder not named by an NPI is left alone" test -f "$I/other/1000005011.txt"
ok "nothing written outside the folder" test ! -e "$T/.done" -a ! -e "$T/.rejected"
is "$(ls -A "$I" | sort | tr '\n' ' ')" ".done .hidden .rejected $M other " "what remains"
# Again: the same names get a suffix rather than replacing.
printf '%%PDF-1.4 dea\n' >"$I/$N-dea.pdf"
printf '%%PDF-1.4 q\n' >"$I/nonpi.pdf"
d=$(docs)
CTP_USER=alice run ctp-doc intake "$I" --csv
is "$rc" 1 "a second run"
like "$T/out" "^$N-dea.pdf,duplicate,[0-9]+," "the same file again is a duplicate"
is "$(docs)" "$d" "and stored no new document"
ok "moved beside the first, not over it" test -f "$I/.done/$N-dea.pdf.1"
ok "the rejected one too" test -f "$I/.rejected/nonpi.pdf.1" -a -f "$I/.rejected/nonpi.pdf.1.reason"
# A reason file already there is never written over.
printf 'keep\n' >"$I/.rejected/x.pdf.reason"
printf '%%PDF-1.4 x\n' >"$I/x.pdf"
CTP_USER=alice run ctp-doc intake "$I" --csv
is "$(cat "$I/.rejected/x.pdf.reason")" keep "an existing reason file is kept"
ok "the file and its reason go beside it" test -f "$I/.rejected/x.pdf.1" -a -f "$I/.rejected/x.pdf.1.reason"
# .done or .rejected a symbolic link: refused before anything moves.
J=$T/drop2
mkdir -p "$J" "$T/elsewhere"
ln -s "$T/elsewhere" "$J/.done"
printf '%%PDF-1.4 j\n' >"$J/$N-j.pdf"
d=$(docs)
CTP_USER=alice run ctp-doc intake "$J"
is "$rc" 73 ".done a symbolic link is refused"
like "$T/err" "not a directory" "says so"
is "$(ls -A "$T/elsewhere")" "" "nothing written through it"
ok "the file stays" test -f "$J/$N-j.pdf"
is "$(docs)" "$d" "and nothing stored"
run ctp-doc intake "$T/no-such-dir"
is "$rc" 66 "a missing folder"
done_testing
