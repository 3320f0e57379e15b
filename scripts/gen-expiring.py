#!/usr/bin/env python3
"""Fill an organization database (made by ctp-init) with a synthetic roster
for ctp-expiring benchmarks: N providers and M credentials, dates spread
around --as-of so that every bucket and some overdue items occur.

    ctp-init --name "Bench" && scripts/gen-expiring.py --db "$CTP_DB" \
        --providers 100000 --credentials 1000000 --as-of 2026-12-01

Deterministic for a given --seed.  Writes through SQLite only (the
python3 sqlite3 module), in one transaction.
"""
import argparse
import datetime
import random
import sqlite3
import sys

KINDS = ["state_license", "dea", "cds", "board_cert", "malpractice", "cme",
         "hospital_privileges", "caqh_attestation"]
# caqh_attestation is rare: most organizations track CAQH on the provider.
KIND_WEIGHTS = [30, 15, 10, 15, 15, 5, 9, 1]
STATES = ["CA", "TX", "NY", "FL", "IL", "PA", "OH", "GA", "NC", "MI"]
TYPES = ["MD", "DO", "NP", "PA", "CRNA", "DDS"]
FIRST = ["Ana", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hugo",
         "Ines", "Jamal", "Kira", "Luis", "Maya", "Nora", "Omar", "Priya"]
LAST = ["Garcia", "Smith", "Nguyen", "Patel", "Johnson", "Kim", "Lopez",
        "Brown", "Okafor", "Chen", "Rossi", "Murphy", "Haddad", "Silva"]


def npi_with_check(base9):
    """A valid NPI: Luhn over 80840 + the first nine digits."""
    digits = "80840" + base9
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return base9 + str((10 - total % 10) % 10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--providers", type=int, default=1000)
    ap.add_argument("--credentials", type=int, default=10000)
    ap.add_argument("--as-of", default="2026-12-01")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--npi-start", type=int, default=100000000,
                    help="first nine-digit NPI base (distinct per org)")
    ap.add_argument("--coordinators", type=int, default=20)
    a = ap.parse_args()

    rnd = random.Random(a.seed)
    as_of = datetime.date.fromisoformat(a.as_of)
    now = "2026-01-01T00:00:00Z"
    coords = ["coord%02d" % i for i in range(a.coordinators)]

    def day(lo, hi):
        return (as_of + datetime.timedelta(days=rnd.randint(lo, hi))).isoformat()

    db = sqlite3.connect(a.db)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    prov = []
    for i in range(a.providers):
        r = rnd.random()
        status = ("active" if r < 0.95 else "inactive" if r < 0.98 else
                  "pending" if r < 0.99 else "excluded")
        # Credentialed or re-credentialed within the last cycle (a few
        # are late); most have been through a re-credentialing already.
        if rnd.random() < 0.8:
            initial, last = day(-3650, -1130), day(-1120, -1)
        else:
            initial, last = day(-1120, -1), None
        prov.append((i + 1, npi_with_check("%09d" % (a.npi_start + i)),
                     rnd.choice(FIRST), rnd.choice(LAST),
                     rnd.choice(TYPES), rnd.choice(STATES),
                     rnd.choice(coords), "%08d" % (10000000 + i),
                     day(-130, 0), initial, last, status, now, now))
    db.executemany(
        "INSERT INTO providers (id, npi, first_name, last_name,"
        " provider_type, practice_state, coordinator, caqh_id,"
        " caqh_attested, initial_cred_date, last_recred_date, status,"
        " created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", prov)

    def creds():
        for i in range(a.credentials):
            pid = rnd.randint(1, a.providers)
            kind = rnd.choices(KINDS, KIND_WEIGHTS)[0]
            status = "active" if rnd.random() < 0.9 else "retired"
            # Renewed on time mostly: expirations up to two years out,
            # a few already past.
            yield (pid, kind, "%s%07d" % (kind[0].upper(), i),
                   rnd.choice(STATES), day(-700, -1), day(-20, 730),
                   status, now, now)
    db.executemany(
        "INSERT INTO credentials (provider_id, kind, number, state, issued,"
        " expires, status, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?)", creds())
    db.commit()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
