/*
 * schema_doc.c - the documents providers send (ctp-doc, doc.h) and their
 * migration step (schema.h).
 */
#include "schema.h"

/*
 * v10: doc_contents holds each distinct content once, keyed by its
 * SHA-256 (hex), with its size and the type sniffed from it; documents
 * says whose it is, of what kind, under what name and who added it, and
 * its review.  Both are evidence: a content row is never changed or
 * deleted (it is written once, through incremental blob I/O, in the
 * transaction that inserts it), and of a document only the review
 * columns change, once, from pending (doc.c's ctp_doc_review is their
 * one writer).
 */
const char ctp_schema_v10[] =
"CREATE TABLE doc_contents ("
"  sha256 TEXT PRIMARY KEY,"
"  size INTEGER NOT NULL CHECK (size > 0),"
"  mime TEXT NOT NULL,"
"  content BLOB NOT NULL"
");"
"CREATE TRIGGER doc_contents_no_update BEFORE UPDATE ON doc_contents"
"  BEGIN SELECT RAISE(ABORT, 'document content is kept as stored'); END;"
"CREATE TRIGGER doc_contents_no_delete BEFORE DELETE ON doc_contents"
"  BEGIN SELECT RAISE(ABORT, 'document content is kept'); END;"
"CREATE TABLE documents ("
"  id INTEGER PRIMARY KEY,"
"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
"  credential_id INTEGER REFERENCES credentials(id),"
"  kind TEXT NOT NULL CHECK (kind IN ('license', 'dea', 'malpractice',"
"    'board_cert', 'cv', 'attestation', 'other')),"
"  sha256 TEXT NOT NULL REFERENCES doc_contents(sha256),"
"  name TEXT NOT NULL,"
"  added_by TEXT NOT NULL,"
"  added_at TEXT NOT NULL,"
"  review TEXT NOT NULL DEFAULT 'pending' CHECK (review IN ('pending',"
"    'approved', 'rejected')),"
"  reviewed_by TEXT,"
"  reviewed_at TEXT,"
"  review_note TEXT"
");"
"CREATE INDEX documents_provider ON documents(provider_id, kind, review);"
"CREATE INDEX documents_sha256 ON documents(sha256);"
"CREATE INDEX documents_review ON documents(review);"
"CREATE TRIGGER documents_kept BEFORE UPDATE OF id, provider_id,"
"  credential_id, kind, sha256, name, added_by, added_at ON documents"
"  BEGIN SELECT RAISE(ABORT, 'a document is kept as added'); END;"
"CREATE TRIGGER documents_review_final BEFORE UPDATE OF review,"
"  reviewed_by, reviewed_at, review_note ON documents"
"  WHEN OLD.review <> 'pending'"
"  BEGIN SELECT RAISE(ABORT, 'a document review is final'); END;"
"CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents"
"  BEGIN SELECT RAISE(ABORT, 'documents are kept'); END;";
