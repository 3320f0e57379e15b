#!/usr/bin/env python3
"""audit-rehash.py DB [SQL] - rewrite an audit log as an attacker with the
sqlite3 shell and ctp's source would: drop the append-only triggers, run
SQL (the change to hide), recompute every row's previous hash and hash
with ctp's encoding (SHA-256 over "LENGTH:bytes\\n" for prev_hash, seq, ts,
actor, action, obj_type, obj_id and detail), and put the triggers back as
they were.  The chain then verifies on its own; only anchors kept
elsewhere (ctp-audit verify --anchor) can tell.  For tests/cli/audit.t.
"""
import hashlib
import sqlite3
import sys


def field(value):
    b = str(value).encode("utf-8")
    return str(len(b)).encode() + b":" + b + b"\n"


def main():
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    triggers = [r[0] for r in db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name = 'audit'")]
    db.execute("BEGIN")
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("DROP TRIGGER audit_no_delete")
    if len(sys.argv) > 2:
        db.execute(sys.argv[2])
    prev = "0" * 64
    rows = db.execute("SELECT seq, ts, actor, action, obj_type, obj_id, "
                      "detail FROM audit ORDER BY seq").fetchall()
    for row in rows:
        h = hashlib.sha256(field(prev) + b"".join(field(v) for v in row))
        h = h.hexdigest()
        db.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?",
                   (prev, h, row[0]))
        prev = h
    for sql in triggers:
        db.execute(sql)
    db.execute("COMMIT")
    db.close()


main()
