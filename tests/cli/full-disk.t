#!/bin/sh
# ctp-import onto a full disk (a small tmpfs, so root only): exit 74, a
# message that says the disk is full, and the roster as it was, whether
# the disk is full from the start or fills up midway.  make stress does
# the same for a new organization too.
. "$(dirname "$0")/lib.sh"

M=$T/full
cleanup() {
	umount "$M" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
mkdir "$M"
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=2m tmpfs "$M" 2>/dev/null
then
	ok_ 0 "import onto a full disk # SKIP needs root to mount a tmpfs"
	done_testing
	exit
fi
AS="--as-of 2026-12-01"
python3 "$top/scripts/gen-roster" 2000 --seed 4 --first-npi 500000 \
    >"$T/big.csv"
state() {
	sqlite3 "$D" "SELECT count(*) || '/' || (SELECT count(*) FROM
	    credentials) || '/' || (SELECT count(*) FROM history) FROM providers"
}
for room in 0 100; do
	rm -f "$M"/*
	D=$M/org.db
	ctp-init --db "$D" --name Full >/dev/null
	ctp-import --db "$D" $AS "$FIXTURES/import/clean.csv" 2>/dev/null
	before=$(state)
	dd if=/dev/zero of="$M/fill" bs=4k >/dev/null 2>&1
	[ $room -gt 0 ] && truncate -s -${room}K "$M/fill"
	run ctp-import --db "$D" $AS "$T/big.csv"
	is "$rc" 74 "$room KB free: exit 74"
	like "$T/err" '^ctp-import: .*: database or disk is full$' \
	    "$room KB free: the message says the disk is full"
	rm -f "$M/fill"
	is "$(state)" "$before" "$room KB free: the roster as it was"
	run ctp-audit --db "$D" verify
	is "$rc" 0 "$room KB free: the audit chain verifies"
	is "$(sqlite3 "$D" "PRAGMA integrity_check")" ok \
	    "$room KB free: the database is whole"
done

done_testing
