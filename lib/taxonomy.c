/*
 * taxonomy.c - loading the NUCC taxonomy code set (taxonomy.h).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "db.h"
#include "input.h"
#include "taxonomy.h"
#include "validate.h"

int
ctp_taxonomy_load(struct ctp_ctx *c, const char *path,
    struct ctp_taxonomy_stats *s, struct ctp_error *e)
{
	struct ctp_input *in = NULL;
	sqlite3_stmt *up = NULL;
	char code[11], where[300];
	const char *why;
	json_t *d;
	int r, rc, ci, cg, cc, cs;

	memset(s, 0, sizeof(*s));
	if ((rc = ctp_input_open(&in, path, CTP_ENC_AUTO, e)) != 0)
		return rc;
	ci = ctp_input_col(in, "code");
	cg = ctp_input_col(in, "grouping");
	cc = ctp_input_col(in, "classification");
	cs = ctp_input_col(in, "specialization");
	if (ci < 0 || cg < 0 || cc < 0) {
		ctp_input_close(in);
		return ctp_errf(e, CTP_DATAERR, path, "not a NUCC taxonomy "
		    "file: needs Code, Grouping and Classification columns");
	}
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		goto out;
	/* Everything is retired unless the file names it again. */
	if ((rc = ctp_db_exec(c->db, "UPDATE taxonomy_codes SET retired = 2",
	    e)) != 0)
		goto fail;
	if ((rc = ctp_db_prepare(c->db, &up, "INSERT INTO taxonomy_codes "
	    "(code, grouping, classification, specialization, retired) "
	    "VALUES (?1, ?2, ?3, ?4, 0) ON CONFLICT (code) DO UPDATE SET "
	    "grouping = ?2, classification = ?3, specialization = ?4, "
	    "retired = 0", e)) != 0)
		goto fail;
	while ((r = ctp_input_next(in, e)) == 1) {
		snprintf(where, sizeof(where), "%s:%zu", ctp_input_name(in),
		    ctp_input_line(in));
		if (ctp_input_record_error(in)) {
			rc = ctp_errf(e, CTP_DATAERR, where, "%s",
			    ctp_input_record_error(in));
			goto fail;
		}
		why = ctp_check_taxonomy_form(ctp_input_value(in, (size_t)ci) ?
		    ctp_input_value(in, (size_t)ci) : "", code);
		if (why) {
			rc = ctp_errf(e, CTP_DATAERR, where, "Code: %s", why);
			goto fail;
		}
		ctp_bind_text(up, 1, code);
		ctp_bind_text(up, 2, ctp_input_value(in, (size_t)cg));
		ctp_bind_text(up, 3, ctp_input_value(in, (size_t)cc));
		ctp_bind_text_or_null(up, 4, cs >= 0 ?
		    ctp_input_value(in, (size_t)cs) : NULL);
		rc = sqlite3_step(up);
		sqlite3_reset(up);
		if (rc != SQLITE_DONE) {
			rc = ctp_db_err(c->db, rc, "taxonomy", e);
			goto fail;
		}
		s->codes++;
	}
	if (r < 0) {
		rc = e->code;
		goto fail;
	}
	if (s->codes == 0) {
		rc = ctp_errf(e, CTP_DATAERR, path, "no codes");
		goto fail;
	}
	if ((rc = ctp_db_int(c->db, "SELECT count(*) FROM taxonomy_codes "
	    "WHERE retired = 2", &s->retired, "taxonomy", e)) != 0)
		goto fail;
	if ((rc = ctp_db_exec(c->db, "UPDATE taxonomy_codes SET retired = 1 "
	    "WHERE retired = 2", e)) != 0)
		goto fail;
	d = json_pack("{s:s, s:I, s:I}", "source", ctp_input_name(in),
	    "codes", (json_int_t)s->codes, "retired", (json_int_t)s->retired);
	if (d == NULL) {
		rc = ctp_err_nomem(e, "taxonomy");
		goto fail;
	}
	rc = ctp_audit(c, "org.taxonomy_load", "taxonomy", "", d, e);
	json_decref(d);
	if (rc != 0 || (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	goto out;
fail:
	ctp_db_rollback(c->db);
out:
	sqlite3_finalize(up);
	ctp_input_close(in);
	return rc;
}
