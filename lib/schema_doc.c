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

/*
 * v14: what extraction read from a document and what it proposes.  An
 * extractions row is one reading of a document (ctp-doc add, intake,
 * extract): ok with the source of its text (pdftotext, ocr, plain), or
 * unavailable or failed with the reason; the provider's name it read
 * and whether that name is the provider's.  A suggestions row is one
 * value it proposes for a field of a credential, with its confidence,
 * the line it came from and a flag for the reviewer; of a suggestion
 * only the decision columns change, once, from pending (suggest.c is
 * their one writer).  Both are evidence: never deleted.
 */
const char ctp_schema_v14[] =
"CREATE TABLE extractions ("
"  id INTEGER PRIMARY KEY,"
"  document_id INTEGER NOT NULL REFERENCES documents(id),"
"  status TEXT NOT NULL CHECK (status IN ('ok', 'unavailable', 'failed')),"
"  source TEXT CHECK (source IN ('pdftotext', 'ocr', 'plain', 'model')),"
"  reason TEXT,"
"  name TEXT,"
"  name_confidence INTEGER,"
"  name_line TEXT,"
"  name_match INTEGER,"
"  model TEXT,"
"  actor TEXT NOT NULL,"
"  ts TEXT NOT NULL"
");"
"CREATE INDEX extractions_document ON extractions(document_id);"
"CREATE TRIGGER extractions_no_update BEFORE UPDATE ON extractions"
"  BEGIN SELECT RAISE(ABORT, 'an extraction is kept as made'); END;"
"CREATE TRIGGER extractions_no_delete BEFORE DELETE ON extractions"
"  BEGIN SELECT RAISE(ABORT, 'extractions are kept'); END;"
"CREATE TABLE suggestions ("
"  id INTEGER PRIMARY KEY,"
"  extraction_id INTEGER NOT NULL REFERENCES extractions(id),"
"  document_id INTEGER NOT NULL REFERENCES documents(id),"
"  credential_id INTEGER REFERENCES credentials(id),"
"  field TEXT NOT NULL CHECK (field IN ('number', 'state', 'issuer',"
"    'issued', 'expires')),"
"  value TEXT NOT NULL,"
"  confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),"
"  line TEXT,"
"  source TEXT NOT NULL CHECK (source IN ('pdftotext', 'ocr', 'plain',"
"    'model')),"
"  flag TEXT,"
"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending',"
"    'confirmed', 'approved', 'corrected', 'rejected')),"
"  decided_value TEXT,"
"  decided_by TEXT,"
"  decided_at TEXT,"
"  note TEXT,"
"  created_at TEXT NOT NULL"
");"
"CREATE INDEX suggestions_status ON suggestions(status);"
"CREATE INDEX suggestions_document ON suggestions(document_id);"
"CREATE TRIGGER suggestions_kept BEFORE UPDATE OF id, extraction_id,"
"  document_id, credential_id, field, value, confidence, line, source,"
"  flag, created_at ON suggestions"
"  BEGIN SELECT RAISE(ABORT, 'a suggestion is kept as made'); END;"
"CREATE TRIGGER suggestions_decision_final BEFORE UPDATE OF status,"
"  decided_value, decided_by, decided_at, note ON suggestions"
"  WHEN OLD.status <> 'pending'"
"  BEGIN SELECT RAISE(ABORT, 'a suggestion decision is final'); END;"
"CREATE TRIGGER suggestions_no_delete BEFORE DELETE ON suggestions"
"  BEGIN SELECT RAISE(ABORT, 'suggestions are kept'); END;";
