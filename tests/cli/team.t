#!/bin/sh
# A team install (make install-team): the programs setgid to a group that
# holds the databases, used only for them.  Throw-away users show that
# the group reaches nothing else and that each role holds.  Root only,
# on a filesystem that honours setgid; installs into a scratch prefix
# with a scratch group, so a real team install is left alone.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	skip "team install" "not root"
	done_testing
	exit
fi
if ! command -v useradd >/dev/null || ! command -v runuser >/dev/null; then
	skip "team install" "useradd or runuser missing"
	done_testing
	exit
fi
if python3 -c 'import os, sys
sys.exit(0 if os.statvfs(sys.argv[1]).f_flag & os.ST_NOSUID else 1)' "$T"
then
	skip "team install" "$T is mounted nosuid"
	done_testing
	exit
fi

G=ctpt$$
OWN=ctpo$$ COO=ctpc$$ AUD=ctpa$$ OUT=ctpn$$ TIM=ctpr$$
cleanup() {
	for u in $OWN $COO $AUD $OUT $TIM; do userdel "$u" 2>/dev/null; done
	groupdel "$G" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
chmod 755 "$T"

# The programs as they are built, linked again for the scratch team
# directories and installed setgid.
P=$T/usr D=$T/var/lib/ctp W=$T/work
B=$(cd "$CTP_BIN/.." && pwd)
SAN=
case $B in *-asan) SAN=1 ;; esac	# make asan's build, linked alike
mkdir "$T/build"
cp -a "$B/lib" "$B/bin" "$B/libexec" "$T/build/"
rc=0
make -s -C "$top" B="$T/build" ${SAN:+"SANITIZE=address,undefined"} \
    ${SAN:+"CFLAGS=-O1 -g"} TEAMGROUP=$G TIMERUSER=$TIM TEAMDIR="$D" \
    TEAMCACHEDIR="$T/var/cache/ctp" PREFIX="$P" install-team \
    >"$T/make.log" 2>&1 || rc=$?
is "$rc" 0 "make install-team into a scratch prefix"
is "$(stat -c '%a %G' "$D")" "2770 $G" "the data directory: 2770, the group"
is "$(stat -c '%a %G' "$P/bin/ctp-import")" "2755 $G" "programs setgid"
is "$(stat -c '%a' "$P/libexec/ctp/ctp-verify-npi")" 755 \
	"verifiers are not setgid"
ok "the timers' user" getent passwd "$TIM"
like "$P/lib/systemd/system/ctp-screen@.service" "^ExecStart=$P/bin/ctp-screen --db $D/%i.db fetch$" \
	"timer units for this prefix and team directory"
like "$P/lib/systemd/system/ctp-npi@.service" "^User=$TIM$" "run as the timers' user"
like "$P/share/doc/ctp/examples/cron.d-ctp" "^#0 2 \* \* \*	$TIM	ctp-npi --db $D/ORG.db refresh$" \
	"and the cron example"
is "$(id -Gn "$TIM" | grep -cw "$G")" 0 "and it is not in the group"

for u in $OWN $COO $AUD $OUT; do
	useradd -M -d "$T/home/$u" -s /bin/sh "$u"
	mkdir -p "$T/home/$u"
	chown "$u" "$T/home/$u"
	chmod 700 "$T/home/$u"
done
mkdir -p "$W"
cp "$FIXTURES/import/clean.csv" "$FIXTURES/import/errors.csv" \
    "$FIXTURES/screen/leie.csv" "$W/"
printf '%%PDF-1.4\n%% a cv\n%%%%EOF\n' >"$W/cv.pdf"
chmod 755 "$W"
chmod 644 "$W"/*
cd "$W" || exit 1

# as USER COMMAND...: run as USER (own groups only), nothing inherited
# but what is given; stdout, stderr and status as run does.
as() {
	_u=$1
	shift
	rc=0
	runuser -u "$_u" -- env -i PATH="$P/bin:/usr/bin:/bin" \
	    HOME="$T/home/$_u" "$@" >"$T/out" 2>"$T/err" </dev/null || rc=$?
}
DB=$D/acme.db

# Team databases: made in the directory, 0660, the group, any umask.
as "$OWN" sh -c "umask 077; exec ctp-init --name Acme --db $DB"
is "$rc" 0 "the owner creates a team database"
is "$(stat -c '%a %G %U' "$DB")" "660 $G $OWN" "0660, group $G, whatever the umask"
as "$OUT" ctp-init --name Other --db "$D/other.db"
is "$rc" 0 "another user creates another organization"
as "$OWN" ctp-user --db "$DB" add "$COO" --role coordinator
is "$rc" 0 "the owner adds a coordinator"
as "$OWN" ctp-user --db "$DB" add "$AUD" --role auditor
is "$rc" 0 "and an auditor"
as "$OWN" ctp-init --name Bad --db "$D/acme"
is "$rc" 2 "a team database is NAME.db"
like "$T/err" "a team database is named NAME.db" "says so"
is "$(ls "$D" | grep -c '^acme$')" 0 "nothing made"

# Each role gets exactly its own.
as "$COO" sh -c "umask 077; exec ctp-import --db $DB --as-of 2026-12-01 clean.csv"
is "$rc" 0 "the coordinator imports"
for f in "$DB" "$DB"-*; do
	is "$(stat -c '%a %G' "$f")" "660 $G" "${f##*/}: 0660, the group, despite umask 077"
done
n=$(sqlite3 "$DB" "SELECT count(*) FROM providers")
as "$COO" ctp-audit --db "$DB" export
is "$rc" 77 "the coordinator cannot export the audit log"
as "$COO" ctp-user --db "$DB" add "$OUT" --role auditor
is "$rc" 77 "nor add users"
as "$AUD" ctp-roster --db "$DB" list --csv
is "$rc" 0 "the auditor reads the roster"
is "$(($(wc -l <"$T/out") - 1))" "$n" "all of it"
as "$AUD" ctp roster --db "$DB" list --csv
is "$rc" 0 "through the ctp dispatcher too"
as "$AUD" ctp-audit --db "$DB" export
is "$rc" 0 "the auditor exports the audit log"
as "$AUD" ctp-import --db "$DB" --as-of 2026-12-01 clean.csv
is "$rc" 77 "the auditor cannot import"
as "$AUD" ctp-user --db "$DB" add "$OUT" --role auditor
is "$rc" 77 "nor add users"
as "$OWN" ctp-user --db "$DB" role "$AUD" admin
is "$rc" 0 "the owner changes a role"
as "$OWN" ctp-user --db "$DB" role "$AUD" auditor
as "$OUT" ctp-roster --db "$DB" list
is "$rc" 77 "a user without a seat is refused"
is "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'auth.denied'
	AND actor = '$OUT'")" 1 "and the refusal is in the audit log"

# The group reaches nothing but the databases.
a0=$(sqlite3 "$DB" "SELECT count(*) FROM providers")
d0=$(sqlite3 "$DB" "SELECT count(*) FROM documents")
l0=$(sqlite3 "$DB" "SELECT count(*) FROM screen_lists")
for f in /etc/shadow "$D/other.db"; do
	as "$COO" ctp-import --db "$DB" "$f"
	is "$rc" 74 "ctp-import cannot read $f"
	like "$T/err" "Permission denied" "permission denied"
	as "$COO" ctp-doc --db "$DB" add 1000005011 "$f" --kind cv
	is "$([ "$rc" -ne 0 ] && echo refused)" refused \
		"ctp-doc add cannot read $f"
	like "$T/err" "Permission denied" "permission denied"
	as "$COO" ctp-screen --db "$DB" load --leie "$f"
	is "$([ "$rc" -ne 0 ] && echo refused)" refused \
		"ctp-screen load cannot read $f"
	like "$T/err" "Permission denied" "permission denied"
done
is "$(sqlite3 "$DB" "SELECT count(*) FROM providers")" "$a0" "no provider written"
is "$(sqlite3 "$DB" "SELECT count(*) FROM documents")" "$d0" "no document written"
is "$(sqlite3 "$DB" "SELECT count(*) FROM screen_lists")" "$l0" "no list written"
as "$COO" ctp-roster --db "$D/other.db" list
is "$rc" 77 "another organization only through its roles"

# Written files: the person's, and only where the person may write.
as "$COO" ctp-import --db "$DB" --as-of 2026-12-01 --rejects "$D/rejects.csv" errors.csv
is "$rc" 73 "--rejects into the team directory is refused"
is "$(ls "$D" | grep -c rejects)" 0 "nothing written there"
as "$COO" ctp-import --db "$DB" --as-of 2026-12-01 --rejects /etc/ctp-rejects.csv errors.csv
is "$rc" 73 "--rejects into a directory the person cannot write"
ok "nothing written" test ! -e /etc/ctp-rejects.csv
as "$COO" ctp-doc --db "$DB" add 1000005011 "$W/cv.pdf" --kind cv
is "$rc" 0 "the coordinator adds a document"
id=$(sqlite3 "$DB" "SELECT max(id) FROM documents")
as "$COO" ctp-doc --db "$DB" get "$id" -o "$D/cv.pdf"
is "$rc" 73 "a download into the team directory is refused"
ok "nothing written there" test ! -e "$D/cv.pdf"
as "$COO" ctp-doc --db "$DB" get "$id" -o "$T/home/$COO/cv.pdf"
is "$rc" 0 "a download where the person may write"
is "$(stat -c '%U %G' "$T/home/$COO/cv.pdf")" \
	"$COO $(id -gn "$COO")" "belongs to the person, not the group"
as "$COO" ctp-doc --db "$DB" get "$id" -o "$T/home/$OWN/cv.pdf"
is "$rc" 73 "nor into another person's directory"

as "$COO" ctp-today --db "$DB" --as-of 2026-12-01 --html "$D/today.html"
is "$rc" 73 "a page into the team directory is refused"
ok "nothing written there" test ! -e "$D/today.html"
as "$COO" ctp-today --db "$DB" --as-of 2026-12-01 --html "$T/home/$COO/today.html"
is "$rc" 0 "a page where the person may write"
is "$(stat -c '%U %G' "$T/home/$COO/today.html")" \
	"$COO $(id -gn "$COO")" "belongs to the person"

# The database itself only through ctp.
as "$COO" sqlite3 "$DB" "SELECT count(*) FROM audit"
is "$([ "$rc" -ne 0 ] && echo refused)" refused "sqlite3 cannot open the database"
like "$T/err" "unable to open" "unable to open"
as "$COO" cat "$DB"
is "$([ "$rc" -ne 0 ] && echo refused)" refused "nor can cat"

# A hostile environment: what names files is not read.
as "$COO" env CTP_DB="$DB" ctp-roster list
is "$rc" 66 "CTP_DB is not read by a setgid program"
like "$T/err" "$D/ctp.db: no such database" "the team default instead"
as "$COO" env CTP_USER="$OWN" ctp-roster --db "$DB" list
is "$rc" 77 "CTP_USER is for root only"
rc=0
env CTP_USER="$AUD" "$P/bin/ctp-import" --db "$DB" clean.csv \
    >"$T/out" 2>"$T/err" || rc=$?
is "$rc" 77 "root acts as another user through CTP_USER"

# ctp's own verifiers reach the database as ctp does; others do not.
as "$COO" ctp-screen --db "$DB" load --leie leie.csv
is "$rc" 0 "a list the person may read is loaded"
as "$COO" ctp-verify --db "$DB" --kind oig --as-of 2026-06-01 1000005011
is "$rc" 0 "a built-in verifier runs against the team database"
like "$T/out" '^1000005011,[^,]*,[^,]*,oig,.*,ctp-verify-oig,verified,' "and verifies"

# The team directory is listed with the group, each database then
# opened under its own roles.
as "$COO" ctp-today --db "$D" --as-of 2026-12-01 --json
cp "$T/out" "$T/today"; cp "$T/err" "$T/today.err"
like "$T/today" '"organization":"Acme"' "ctp-today --db DIR reads the team directory"
unlike "$T/today" '"organization":"Other"' "and shows nothing of another organization"
like "$T/today.err" 'other.db.*permission denied' "says it was refused there"

# No proxy from the environment: the download goes where ctp says.
mkdir -p "$T/www"
cp "$FIXTURES/screen/leie.csv" "$T/www/UPDATED.csv"
serve python3 "$here/screen-httpd.py" "$T/port" "$T/www"
trap 'kill $_servers 2>/dev/null; cleanup' EXIT INT TERM
as "$COO" env http_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
    ctp-screen --db "$DB" fetch --retries 0 --timeout 5 --force \
    --leie-url "http://127.0.0.1:$(cat "$T/port")/ok/UPDATED.csv" --sam-url ""
is "$rc" 0 "ctp-screen fetch ignores http_proxy"
like "$T/www/requests.log" '^GET /ok/UPDATED.csv' "and asks the server itself"

# A writer killed mid-way: the next person's run rolls its journal back
# (the journal is found, read and removed with the group).
"$top/scripts/gen-roster" --first-npi 1200000000 --as-of 2026-12-01 20000 \
    >"$W/big.csv"
chmod 644 "$W/big.csv"
n0=$(sqlite3 "$DB" "SELECT count(*) FROM providers")
runuser -u "$COO" -- env -i PATH="$P/bin:/usr/bin:/bin" ctp-import \
    --db "$DB" --as-of 2026-12-01 big.csv >/dev/null 2>&1 </dev/null &
bg=$!
sleep 0.5
for pid in $(pgrep -u "$COO" -x ctp-import); do kill -9 "$pid"; done
wait "$bg"
as "$AUD" ctp-audit --db "$DB" verify
is "$rc" 0 "after kill -9, the next run opens the database; the chain holds"
n=$(sqlite3 "$DB" "SELECT count(*) FROM providers")
is "$([ "$n" = "$n0" ] || [ "$n" = $((n0 + 20000)) ] && echo whole)" whole \
	"and the import is all or nothing ($n0 -> $n)"
ok "no journal left" test ! -e "$DB-journal"

# The default database of a team install is in the team directory.
as "$OWN" ctp-init --name Default
is "$rc" 0 "ctp-init without --db"
is "$(stat -c '%a %G' "$D/ctp.db")" "660 $G" "makes the team directory's ctp.db"

# A personal database in a team install: as ever, 0600, the person's.
as "$COO" ctp-init --name Mine --db "$T/home/$COO/mine.db"
is "$rc" 0 "a personal database beside the team's"
is "$(stat -c '%a %G' "$T/home/$COO/mine.db")" "600 $(id -gn "$COO")" \
	"0600, the person's own group"
as "$COO" ctp-import --db "$T/home/$COO/mine.db" --as-of 2026-12-01 clean.csv
is "$rc" 0 "and works as ever"

# A large organization's inbox is read by two connections at once
# (lib/expiring_ahead.c), both through the team's files.
BIG=$D/big.db
as "$OWN" ctp-init --name Big --db "$BIG"
as "$OWN" ctp-user --db "$BIG" add "$COO" --role coordinator
python3 "$top/scripts/gen-expiring.py" --db "$BIG" --providers 3000 \
    --credentials 30000 --as-of 2026-12-01 --seed 5
as "$COO" ctp-expiring --db "$BIG" --as-of 2026-12-01
is "$rc" 0 "the coordinator lists a 30,000-credential team organization"
cp "$T/out" "$T/ahead"
ok "thousands of rows" test "$(wc -l <"$T/ahead")" -gt 5000
as "$COO" ctp-expiring --db "$BIG" --as-of 2026-12-01 --fail-if-any
is "$rc" 1 "collected by one connection: exit 1, items listed"
ok "the same rows either way" cmp -s "$T/ahead" "$T/out"
for f in "$BIG" "$BIG"-*; do
	is "$(stat -c '%a %G' "$f")" "660 $G" "${f##*/}: still 0660, the group"
done

done_testing
