# lib.sh - shared by the whole-program tests (tests/cli/*.t), POSIX sh.
#
#   . "$(dirname "$0")/lib.sh"
#   run ctp-org show            # sets $rc; stdout in $T/out, stderr in $T/err
#   is "$rc" 0 "show exits 0"
#   like "$T/err" 'pattern' "message names the file"   (grep -E)
#   unlike FILE PATTERN DESC;  ok DESC COMMAND... ;  done_testing
#   skip DESC WHY               # a test that cannot run here, and why
#   serve python3 "$here/x-httpd.py" "$T/port" ...   (a loopback server)
#
# Each test gets a scratch directory $T (removed at exit), a database path
# $CTP_DB in it, and $CTP_BIN first on PATH.  Tests run as root, so
# CTP_USER=name plays another user.

set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/ctp-t.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
FIXTURES=$top/tests/fixtures
: "${CTP_BIN:=$top/build/bin}"
PATH=$CTP_BIN:$PATH
CTP_DB=$T/org.db
# The list cache (ctp-screen fetch) of this test only, never the real one.
XDG_CACHE_HOME=$T/cache
export PATH CTP_DB XDG_CACHE_HOME
unset CTP_USER CTP_ORG XDG_DATA_HOME NO_COLOR 2>/dev/null || true
_n=0
_fail=0

ok_() { # ok_ STATUS DESCRIPTION
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_n - $2"
	else
		echo "not ok $_n - $2"
		_fail=$((_fail + 1))
	fi
}

# ok DESC COMMAND...: passes when COMMAND succeeds
ok() {
	_d=$1
	shift
	if "$@" >/dev/null 2>&1; then ok_ 0 "$_d"; else ok_ 1 "$_d"; fi
}

# skip DESC WHY: a test not run here ("ok N - DESC # SKIP WHY"), which
# scripts/runtests counts as skipped, never as passed.
skip() {
	_n=$((_n + 1))
	echo "ok $_n - $1 # SKIP $2"
}

# run COMMAND...: stdout to $T/out, stderr to $T/err, status to $rc
run() {
	rc=0
	"$@" >"$T/out" 2>"$T/err" </dev/null || rc=$?
}

# run_in FILE COMMAND...: the same with stdin from FILE
run_in() {
	_in=$1
	shift
	rc=0
	"$@" >"$T/out" 2>"$T/err" <"$_in" || rc=$?
}

is() {
	if [ "$1" = "$2" ]; then
		ok_ 0 "$3"
	else
		ok_ 1 "$3"
		echo "#   got '$1', expected '$2'"
		[ -s "$T/err" ] && sed 's/^/#   stderr: /' "$T/err" | head -5
	fi
	return 0
}

like() {
	if grep -Eq -- "$2" "$1"; then
		ok_ 0 "$3"
	else
		ok_ 1 "$3"
		echo "#   '$2' not in $1:"
		head -5 "$1" | sed 's/^/#   /'
	fi
}

unlike() {
	if grep -Eq -- "$2" "$1"; then
		ok_ 1 "$3"
		echo "#   '$2' unexpectedly in $1"
	else
		ok_ 0 "$3"
	fi
}

# Count rows of a table in the database (the sqlite3 shell, read-only).
count() {
	sqlite3 "${2:-$CTP_DB}" "SELECT count(*) FROM $1"
}

# The whole database but the audit log's auth events (each run writes
# one): two dumps the same mean nothing was written.
db_dump() {
	sqlite3 "${1:-$CTP_DB}" .dump |
	    grep -v "^INSERT INTO audit VALUES([0-9]*,'[^']*','[^']*','auth',"
}
# db_snap, then db_unchanged DESC: a test that nothing was written since.
db_snap() { db_dump >"$T/snap.sql"; }
db_unchanged() {
	db_dump >"$T/snap2.sql"
	if cmp -s "$T/snap.sql" "$T/snap2.sql"; then ok_ 0 "$1"; else
		ok_ 1 "$1"
		diff "$T/snap.sql" "$T/snap2.sql" | head -5 | sed 's/^/#   /'
	fi
}

# start_server SCRIPT ARG...: a loopback fixture server (tests/cli/*.py,
# each writes the port it listens on to --port-file), killed when the
# test ends; sets $PORT.
start_server() {
	serve python3 "$@" --port-file "$T/port"
	PORT=$(cat "$T/port")
}

# A fresh organization owned by root at $CTP_DB.
new_org() {
	ctp-init --name "${1:-Test Clinic}" >/dev/null
}

# serve COMMAND...: start a loopback server in the background (stopped at
# exit) and wait until it has written its port to $T/port.
serve() {
	rm -f "$T/port"
	"$@" &
	_servers="${_servers:-} $!"
	trap 'kill $_servers 2>/dev/null; rm -rf "$T"' EXIT INT TERM
	_i=0
	while [ ! -s "$T/port" ] && [ $_i -lt 300 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

done_testing() {
	echo "1..$_n"
	[ "$_fail" -eq 0 ]
}
