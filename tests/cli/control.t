#!/bin/sh
# Control characters: refused on the way in (notes, registry answers),
# and, when one is already stored or given on the command line, shown as
# a visible escape (\x1b) in messages and on a terminal, never sent raw.
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/import
new_org
ctp-import --as-of 2026-12-01 "$F/clean.csv" 2>/dev/null
N=1000005011
ESC=$(printf '\033')
BEL=$(printf '\007')
noraw() { # FILE DESC: FILE holds no ESC and no BEL byte
	if LC_ALL=C grep -q "[$ESC$BEL]" "$1"; then ok_ 1 "$2"; else
		ok_ 0 "$2"; fi
}
snap() { db_dump >"$T/before.sql"; }
unchanged() { # DESC: the database is as snap left it
	db_dump >"$T/after.sql"
	if cmp -s "$T/before.sql" "$T/after.sql"; then ok_ 0 "$1"; else
		ok_ 1 "$1"; diff "$T/before.sql" "$T/after.sql" | head -5 |
		    sed 's/^/#   /'; fi
}

# ---- messages ----
run ctp-roster "$(printf 'x\033]0;owned\007')"
is "$rc" 2 "an unknown command is a usage error"
like "$T/err" '^ctp-roster: unknown command: x\\x1b\]0;owned\\x07$' \
	"the message shows the escape"
noraw "$T/err" "and sends no raw control character"

# A header name echoed by ctp-import.
printf 'npi,first_name,last_name,provider_type,x\033[2Jy\n' >"$T/hdr.csv"
printf '%s,A,B,MD,z\n' $N >>"$T/hdr.csv"
snap
run ctp-import "$T/hdr.csv"
is "$rc" 65 "an unknown column: exit 65"
like "$T/err" 'hdr.csv:1: column 5 \(x\\x1b\[2Jy\): unknown column' \
	"the header name is shown escaped"
noraw "$T/err" "no raw ESC on stderr"
unchanged "nothing written"

done_testing
