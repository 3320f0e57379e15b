#!/bin/sh
# make deb's package (scripts/deb): lintian finds no error; dpkg -i makes
# a team install a non-root user can use at once; installing again
# changes nothing; dpkg -r takes it away.  Root only, on a machine
# without ctp installed; what the test made is removed at the end.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	skip "the .deb round trip" "not root"
	done_testing
	exit
fi
if ! command -v dpkg-deb >/dev/null || ! command -v runuser >/dev/null; then
	skip "the .deb round trip" "dpkg-deb or runuser missing"
	done_testing
	exit
fi
if dpkg -s ctp >/dev/null 2>&1 || [ -e /usr/bin/ctp ]; then
	skip "the .deb round trip" "ctp is installed on this machine"
	done_testing
	exit
fi
if python3 -c 'import os, sys
sys.exit(0 if os.statvfs(sys.argv[1]).f_flag & os.ST_NOSUID else 1)' /usr/bin
then
	skip "the .deb round trip" "/usr/bin is mounted nosuid"
	done_testing
	exit
fi

U=ctpd$$
had_group=$(getent group ctp >/dev/null && echo 1 || echo 0)
had_timer=$(getent passwd ctp-timer >/dev/null && echo 1 || echo 0)
had_lib=$([ -e /var/lib/ctp ] && echo 1 || echo 0)
cleanup() {
	rm -f /var/lib/ctp/debtest$$.db*
	dpkg -s ctp >/dev/null 2>&1 && dpkg --purge ctp >/dev/null 2>&1
	userdel "$U" 2>/dev/null
	[ "$had_timer" = 1 ] || userdel ctp-timer 2>/dev/null
	[ "$had_group" = 1 ] || groupdel ctp 2>/dev/null
	[ "$had_lib" = 1 ] || rmdir /var/lib/ctp 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
chmod 755 "$T"

# The package, from the programs as they are built.
B=$(cd "$CTP_BIN/.." && pwd)
cp -a "$B" "$T/build"
rc=0
deb=$(B="$T/build" OUT="$T" "$top/scripts/deb" 2>"$T/err") || rc=$?
is "$rc" 0 "scripts/deb builds the package"
ok "named ctp_VERSION_ARCH.deb" test -f "$T/ctp_$(sed -n \
    's/^#define CTP_VERSION "\(.*\)"$/\1/p' "$top/lib/version.h")_$(dpkg \
    --print-architecture).deb"
dpkg-deb -c "$deb" >"$T/contents"
for f in ./usr/bin/ctp-import ./usr/libexec/ctp/ctp-verify-npi \
    ./usr/share/man/man1/ctp-import.1.gz ./usr/share/man/man7/ctp.7.gz \
    ./usr/share/bash-completion/completions/ctp-import \
    ./usr/share/doc/ctp/examples/cron.d-ctp \
    ./lib/systemd/system/ctp-screen@.timer \
    ./lib/systemd/system/ctp-inbox@.service; do
	like "$T/contents" " $f$" "holds $f"
done
if command -v lintian >/dev/null; then
	run lintian --fail-on error "$deb"
	is "$rc" 0 "lintian: no errors"
	unlike "$T/out" '^E: ' "none listed"
else
	skip "lintian: no errors" "lintian missing"
fi

# Installed: a team install.
run dpkg -i "$deb"
is "$rc" 0 "dpkg -i"
ok "the group ctp" getent group ctp
ok "the user ctp-timer" getent passwd ctp-timer
is "$(stat -c '%a %U %G' /var/lib/ctp)" "2770 root ctp" "/var/lib/ctp: 2770 root:ctp"
is "$(stat -c '%a %U %G' /var/cache/ctp/lists)" "2770 root ctp" "/var/cache/ctp/lists"
is "$(stat -c '%a %U %G' /usr/bin/ctp-import)" "2755 root ctp" "programs setgid ctp"
is "$(stat -c '%a' /usr/libexec/ctp/ctp-verify-npi)" 755 "verifiers not"
run dpkg -i "$deb"
is "$rc" 0 "installing again"
is "$(stat -c '%a %U %G' /usr/bin/ctp-import)" "2755 root ctp" "changes nothing"

# A person, not in the group, uses it at once.
useradd -M -d "$T/home" -s /bin/sh "$U"
mkdir -p "$T/home"
cp "$FIXTURES/import/clean.csv" "$T/home/"
chown -R "$U" "$T/home"
DB=/var/lib/ctp/debtest$$.db
cd "$T/home" || exit 1
as() {
	rc=0
	runuser -u "$U" -- env -i PATH=/usr/bin:/bin HOME="$T/home" "$@" \
	    >"$T/out" 2>"$T/err" </dev/null || rc=$?
}
as ctp-init --name "Deb Clinic" --db "$DB"
is "$rc" 0 "ctp-init as a user"
is "$(stat -c '%a %G' "$DB")" "660 ctp" "the database: 0660, group ctp"
as ctp-import --db "$DB" --as-of 2026-12-01 clean.csv
is "$rc" 0 "ctp-import as that user"
as ctp-roster --db "$DB" list --csv
is "$(($(wc -l <"$T/out") - 1))" "$(($(wc -l <clean.csv) - 1))" "every row in"
as sqlite3 "$DB" "SELECT 1"
is "$([ "$rc" -ne 0 ] && echo refused)" refused "sqlite3 cannot open it"
rm -f "$DB" "$DB"-*

# Removed.
run dpkg -r ctp
is "$rc" 0 "dpkg -r"
ok "the programs are gone" test ! -e /usr/bin/ctp-import
run dpkg-statoverride --list /usr/bin/ctp-import
is "$rc" 1 "and their setgid overrides"
ok "the databases' directory stays" test -d /var/lib/ctp

done_testing
