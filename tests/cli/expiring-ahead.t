#!/bin/sh
# ctp-expiring on an organization large enough to be read by two
# connections at once (lib/expiring_ahead.c, from 20,000 credentials)
# and its rows made on two threads (lib/expiring_render.c): what it
# lists is what one connection alone lists, in every format, filter and
# kind; a sparse roster, a reader that stops early, an output that
# cannot be written and writers committing meanwhile change nothing of
# that.
. "$(dirname "$0")/lib.sh"

AS_OF=2026-12-01
B=$T/big.db
CTP_DB=$B
export CTP_DB
ctp-init --name "Big Clinic" >/dev/null
ctp-user add alice --role coordinator >/dev/null
python3 "$CTP_TOP/scripts/gen-expiring.py" --db "$B" --providers 3000 \
    --credentials 30000 --as-of $AS_OF --seed 7 --coordinators 4
is "$(sqlite3 "$B" "SELECT count(*) FROM credentials")" 30000 \
    "the generated organization: 30,000 credentials"

# The audit log, read beside the writers of the last test: wait for them.
reads() {
	sqlite3 -cmd ".timeout 5000" "$B" \
	    "SELECT count(*) FROM audit WHERE action = 'expiring.read'"
}
listed() {
	sqlite3 -cmd ".timeout 5000" "$B" "SELECT json_extract(detail,
	    '\$.items') FROM audit WHERE action = 'expiring.read'
	    ORDER BY seq DESC LIMIT 1"
}

# same DESCRIPTION ARGS...: the listing read ahead (one organization,
# CSV or JSON, written as read) and the listing collected by one
# connection (--fail-if-any) give the same bytes.
same() {
	d=$1
	shift
	run ctp-expiring --as-of $AS_OF "$@"
	cp "$T/out" "$T/ahead"
	is "$rc" 0 "$d: read ahead, exit 0"
	run ctp-expiring --as-of $AS_OF --fail-if-any "$@"
	cp "$T/out" "$T/alone"
	ok_ "$(cmp -s "$T/ahead" "$T/alone" && echo 0 || echo 1)" \
	    "$d: the same bytes as one connection alone"
	ok_ "$([ -s "$T/ahead" ] && echo 0 || echo 1)" "$d: something listed"
}

same "CSV, every kind"
n=$(($(wc -l <"$T/ahead") - 1))
is "$(listed)" "$n" "the expiring.read event counts the rows listed"
ok_ "$([ "$n" -gt 5000 ] && echo 0 || echo 1)" "thousands of rows ($n)"
# Rows of every kind are in it.
for k in state_license dea board_cert malpractice missing recred; do
	like "$T/ahead" ",$k," "the listing has $k items"
done
same "JSON Lines" --json
same "--within 30" --within 30
same "--overdue" --overdue
same "--kind missing" --kind missing
same "--kind state_license --kind dea (nothing held read)" \
    --kind state_license --kind dea
same "--kind missing --kind board_cert" --kind missing --kind board_cert
same "--coordinator" --coordinator coord02

# Ids too far apart for one byte per id: what is held is read by the
# caller's connection, the same.
sqlite3 "$B" "INSERT INTO providers (id, npi, first_name, last_name,
    provider_type, status, created_at, updated_at) VALUES (90000000,
    '1999999996', 'Sparse', 'Zed', 'MD', 'active', '$AS_OF', '$AS_OF')"
same "a sparse roster"
like "$T/ahead" "Zed,Sparse,,missing" "the far provider's missing items"

# Credentials without a number are named by their issuer, read for those
# rows only.
set -- $(sqlite3 "$B" "SELECT id FROM providers WHERE status = 'active'
    ORDER BY id LIMIT 3")
sqlite3 "$B" "INSERT INTO credentials (provider_id, kind, number, state,
    issuer, expires, status, created_at, updated_at) VALUES
    ($1, 'board_cert', NULL, NULL, 'American Board of Zed Medicine',
     '2026-12-20', 'active', '$AS_OF', '$AS_OF'),
    ($2, 'malpractice', '', 'CA', 'Zed Mutual', '2027-01-05', 'active',
     '$AS_OF', '$AS_OF'),
    ($3, 'board_cert', NULL, NULL, NULL, '2027-01-06', 'active', '$AS_OF',
     '$AS_OF')"
same "credentials without a number"
like "$T/ahead" "American Board of Zed Medicine" "named by the issuer"
like "$T/ahead" "Zed Mutual" "an empty number too"

# A reader that stops early: the run ends, and the read is audited.
r0=$(reads)
ctp-expiring --as-of $AS_OF 2>"$T/err" | head -1 >"$T/out"
is "$(cat "$T/out")" \
    "org,npi,last_name,first_name,coordinator,kind,detail,due,days_left,bucket" \
    "| head -1: the header"
is "$(reads)" $((r0 + 1)) "| head -1: the read is audited"

# An output that cannot be written: exit 74, said once, and the rows
# handed to it before the error audited.
r0=$(reads)
run sh -c 'exec ctp-expiring --as-of "$1" >/dev/full' sh $AS_OF
is "$rc" 74 ">/dev/full: exit 74"
like "$T/err" "stdout: write error" "the write error said"
is "$(reads)" $((r0 + 1)) ">/dev/full: the read is audited"
ok_ "$([ "$(listed)" -gt 0 ] && [ "$(listed)" -lt "$n" ] && echo 0 ||
    echo 1)" ">/dev/full: with the rows handed over, not all ($(listed))"

# Writers committing while it reads: every run ends with exit 0, lists
# whole rows, and audits what it listed.
(
	i=0
	while [ $i -lt 40 ]; do
		sqlite3 -cmd ".timeout 5000" "$B" "
		    INSERT INTO credentials (provider_id, kind, state, number,
		    expires, created_at, updated_at) VALUES (1 + $i,
		    'dea', 'CA', 'X$i', '2026-12-15', '$AS_OF', '$AS_OF')" ||
		    exit 1
		i=$((i + 1))
	done
) &
w=$!
bad=0
j=0
while [ $j -lt 6 ]; do
	ctp-expiring --as-of $AS_OF >"$T/w.csv" 2>"$T/err" || {
		bad=1
		echo "# run $j: $(cat "$T/err")"
	}
	python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
sys.exit(any(len(r) != 10 for r in rows))' "$T/w.csv" || {
		bad=1
		echo "# run $j: a row not of 10 fields"
	}
	[ "$(listed)" = "$(($(wc -l <"$T/w.csv") - 1))" ] || {
		bad=1
		echo "# run $j: audited $(listed), listed $(wc -l <"$T/w.csv")"
	}
	j=$((j + 1))
done
wait $w
is "$?" 0 "the writers committed"
is "$bad" 0 "runs beside the writers: exit 0, whole rows, audited counts"
same "after the writers"

done_testing
