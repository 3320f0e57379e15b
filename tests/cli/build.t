#!/bin/sh
# The build's dependency check (make names the Debian package of a
# missing library, asks no apt) and scripts/install-deps waiting for
# another package manager.  make runs with -n and its own build
# directory: the real build is not touched, nothing is compiled.
. "$(dirname "$0")/lib.sh"

unset MAKEFLAGS MFLAGS MAKELEVEL 2>/dev/null || true
B=$T/build
mkdir "$T/empty" "$T/bin"

# apt-get, dpkg-query and sudo that only write down how they were called.
# apt-get update says the lists lock is held while $T/held exists.
cat >"$T/bin/apt-get" <<EOF
#!/bin/sh
echo "apt-get \$*" >>"$T/apt.log"
case " \$* " in
*" update "*)
	if [ -e "$T/held" ]; then
		echo "E: Could not get lock /var/lib/apt/lists/lock." \
		    "It is held by process 1 (apt-get)" >&2
		[ -e "$T/release" ] && rm -f "$T/held"
		exit 100
	fi
	if [ -e "$T/offline" ]; then
		echo "E: Failed to fetch http://deb.debian.org/debian/" >&2
		exit 100
	fi ;;
esac
exit 0
EOF
cat >"$T/bin/dpkg-query" <<EOF
#!/bin/sh
echo "dpkg-query \$*" >>"$T/apt.log"
for p; do :; done
[ "\$p" = libjansson-dev ] && exit 1
printf 'install ok installed'
EOF
cat >"$T/bin/sudo" <<EOF
#!/bin/sh
echo "sudo \$*" >>"$T/apt.log"
exec "\$@"
EOF
for c in apt dpkg; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/apt.log"\n' "$c" "$T" >"$T/bin/$c"
done
chmod +x "$T/bin"/*
# A pkg-config that has every module but jansson.
real_pc=$(command -v pkg-config)
cat >"$T/pc-nojansson" <<EOF
#!/bin/sh
for a; do [ "\$a" = jansson ] && exit 1; done
exec "$real_pc" "\$@"
EOF
chmod +x "$T/pc-nojansson"

# mk VAR=VALUE...: make -n with the fake apt first on PATH
mk() {
	run env PATH="$T/bin:$PATH" make --no-print-directory -C "$top" -n \
	    B="$B" "$@"
}
# hint WHAT PACKAGE: the line make should print
hint() {
	echo "ctp: missing $1 (Debian: apt-get install $2, or run" \
	    "scripts/install-deps)"
}
missing_lines() { grep -c '^ctp: missing' "$T/err"; }
# says LINE DESC: LINE is a whole line of stderr
says() { ok "$2" grep -qxF -- "$1" "$T/err"; }

mk
is "$rc" 0 "all present: make -n runs"
is "$(missing_lines)" 0 "all present: nothing missing"
like "$T/out" "-c -o $B/lib/db\.o lib/db\.c" "all present: it would compile"
like "$T/out" "scripts/install-deps --check-build" "the check runs before"
ok "plain make asks no apt or dpkg" test ! -e "$T/apt.log"

mk PKG_CONFIG=$T/pc-nojansson
is "$rc" 2 "no jansson: make fails"
is "$(grep '^ctp:' "$T/err")" "$(hint jansson libjansson-dev)" \
    "no jansson: its Debian package, and nothing else"
unlike "$T/out" '-c -o' "no jansson: before any compile"
unlike "$T/err" 'error:|fatal' "no jansson: no compiler error"

env PKG_CONFIG_PATH="$T/empty" PKG_CONFIG_LIBDIR="$T/empty" \
    PATH="$T/bin:$PATH" make --no-print-directory -C "$top" -n B="$B" \
    >"$T/out" 2>"$T/err"
is "$?" 2 "no module at all: make fails"
is "$(missing_lines)" 6 "no module at all: each one named"
says "$(hint sqlite3 libsqlite3-dev)" "sqlite3"
says "$(hint libcurl libcurl4-openssl-dev)" "libcurl"
says "$(hint libzip libzip-dev)" "libzip"
says "$(hint libcrypto libssl-dev)" "libcrypto"
says "$(hint libqpdf libqpdf-dev)" "libqpdf"
unlike "$T/out" '-c -o' "no module at all: before any compile"

mk CFLAGS=-nostdinc
is "$rc" 2 "no csv.h: make fails"
is "$(grep '^ctp:' "$T/err")" "$(hint "libcsv's csv.h" libcsv-dev)
$(hint "libharu's hpdf.h" libhpdf-dev)" \
    "no headers: libcsv-dev and libhpdf-dev"

mk PKG_CONFIG="$T/nope"
is "$rc" 2 "no pkg-config: make fails"
says "$(hint "$T/nope" pkg-config)" "no pkg-config: named"

mk CC="$T/nocc"
is "$rc" 2 "no compiler: make fails"
says "$(hint "the C compiler $T/nocc" build-essential)" \
    "no compiler: build-essential"
ok "still no apt or dpkg" test ! -e "$T/apt.log"
ok "nothing built" test ! -e "$B"

# install-deps: apt-get update while another apt-get holds the lists
# lock waits and asks again; install waits through apt's own timeout.
ID="env PATH=$T/bin:$PATH CTP_APT_POLL=1 $top/scripts/install-deps"
touch "$T/held" "$T/release"
run $ID --check
is "$rc" 1 "--check: something missing"
is "$(cat "$T/out")" "missing: libjansson-dev" "--check names it"
ok "--check installs nothing" sh -c "! grep -q '^apt-get' '$T/apt.log'"
run $ID
is "$rc" 0 "a held lists lock: install-deps waits, then installs"
like "$T/err" '^install-deps: waiting for another package manager$' \
    "says it waits"
is "$(grep -c '^apt-get -o DPkg::Lock::Timeout=600 -qq update$' \
    "$T/apt.log")" 2 "update asked again once the lock is free"
is "$(grep ' install ' "$T/apt.log")" "apt-get -o DPkg::Lock::Timeout=600 \
install -y -qq --no-install-recommends libjansson-dev" \
    "install waits for the dpkg lock (DPkg::Lock::Timeout), only the missing"

rm -f "$T/apt.log" "$T/release"
touch "$T/held"
run env CTP_APT_WAIT=1 $ID
is "$rc" 1 "a lock held past CTP_APT_WAIT: fails"
like "$T/err" 'Could not get lock' "with apt's message"
unlike "$T/apt.log" ' install ' "and installs nothing"

rm -f "$T/apt.log" "$T/held"
touch "$T/offline"
run $ID
is "$rc" 1 "update failing otherwise: fails at once"
is "$(grep -c ' update' "$T/apt.log")" 1 "without asking again"
like "$T/err" 'Failed to fetch' "with apt's message"

done_testing
