/*
 * doc_get.c - ctp-doc show and get (doc.h): a document's record, and
 * its content written out a chunk at a time through outfile.h, each
 * download audit-logged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "audit.h"
#include "db.h"
#include "doc.h"
#include "outfile.h"
#include "suggest.h"

const struct ctp_col ctp_doc_show_columns[] = {
	{ "field", CTP_COL_STR },
	{ "value", CTP_COL_STR },
};

static int
download_audit(struct ctp_ctx *c, const struct ctp_doc *d, const char *out,
    struct ctp_error *e)
{
	char sid[32];
	json_t *j;
	int rc;

	snprintf(sid, sizeof(sid), "%lld", d->id);
	j = json_pack("{s:s, s:s, s:s, s:s}", "npi", d->npi, "kind", d->kind,
	    "sha256", d->sha256, "output", out);
	if (j == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "doc.download", "document", sid, j, e);
	json_decref(j);
	return rc;
}

int
ctp_doc_download(struct ctp_ctx *c, long long id, const char *path,
    int force, struct ctp_error *e)
{
	struct ctp_outfile *of = NULL;
	struct ctp_doc d;
	int rc;

	if (path == NULL && isatty(STDOUT_FILENO))
		return ctp_errf(e, CTP_USAGE, "stdout", "a terminal: give -o "
		    "FILE, or redirect");
	if ((rc = ctp_doc_get(c->db, id, &d, e)) != 0)
		return rc;
	if (path != NULL && (rc = ctp_outfile_open(&of, path, force ?
	    CTP_OUTFILE_FORCE : 0, NULL, 0, e)) != 0)
		goto out;
	if (of != NULL) {
		if ((rc = ctp_doc_copy(c->db, id, ctp_outfile_fp(of), e)) != 0
		    || (rc = ctp_outfile_sync(of, e)) != 0 ||
		    (rc = download_audit(c, &d, path, e)) != 0) {
			ctp_outfile_abort(of);
			goto out;
		}
		rc = ctp_outfile_commit(of, e);
	} else if ((rc = download_audit(c, &d, "-", e)) == 0) {
		rc = ctp_doc_copy(c->db, id, stdout, e);
		if (rc == 0 && fflush(stdout) != 0)
			rc = ctp_errf(e, CTP_IOERR, "stdout", "write error");
	}
out:
	ctp_doc_clear(&d);
	return rc;
}

int
ctp_doc_show(struct ctp_ctx *c, long long id, struct ctp_out *o,
    struct ctp_error *e)
{
	struct ctp_doc d;
	char sid[32], cid[32] = "", size[32];
	const char *row[2];
	int rc = 0, i;

	if ((rc = ctp_doc_get(c->db, id, &d, e)) != 0)
		return rc;
	snprintf(sid, sizeof(sid), "%lld", d.id);
	if (d.credential_id)
		snprintf(cid, sizeof(cid), "%lld", d.credential_id);
	snprintf(size, sizeof(size), "%lld", d.size);
	{
		const char *f[][2] = {
			{ "document_id", sid }, { "npi", d.npi },
			{ "credential_id", cid }, { "kind", d.kind },
			{ "name", d.name }, { "type", d.mime },
			{ "size", size }, { "sha256", d.sha256 },
			{ "added_by", d.added_by }, { "added_at", d.added_at },
			{ "review", d.review },
			{ "reviewed_by", d.reviewed_by },
			{ "reviewed_at", d.reviewed_at },
			{ "review_note", d.review_note },
		};
		for (i = 0; rc == 0 && i < (int)(sizeof(f) / sizeof(f[0]));
		    i++) {
			row[0] = f[i][0];
			row[1] = f[i][1];
			rc = ctp_out_row(o, row, e);
		}
	}
	if (rc == 0)
		rc = ctp_extract_show(c->db, d.id, o, e);
	ctp_doc_clear(&d);
	return rc;
}
