/*
 * verify.c - running verifiers (verify.h): for each provider, the
 * provider checks and then each active credential, the verifier the
 * organization chose (verify_config.h) run as a program (verify_exec.h)
 * outside any transaction, its output read strictly (verify_reply.h),
 * and then in one transaction the PSV entry (psv.c), the verify.result
 * audit event and the credential's mark (credential.c).  Anything that
 * goes wrong with a verifier is the result "error" with its reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "credential.h"
#include "date.h"
#include "db.h"
#include "mem.h"
#include "org.h"
#include "psv.h"
#include "verify.h"
#include "verify_config.h"
#include "verify_exec.h"
#include "verify_reply.h"

struct runner {
	struct ctp_ctx *c;
	const struct ctp_verify_opts *o;
	char as_of[CTP_DATE_LEN];
	long timeout;
	ctp_verify_fn fn;
	void *arg;
	size_t unverified;
};

/* One check in the making: what was asked, and what came of it. */
struct check {
	long long pid, cid;
	const char *npi, *kind, *state;
	json_t *provider, *credential;	/* borrowed; credential may be NULL */
	char *program, *config;
	struct ctp_verify_reply reply;
	char reason[640];		/* an error's, "" when none */
};

/* Column i of st into o under key (null when NULL); 0 or -1. */
static int
put_col(json_t *o, const char *key, sqlite3_stmt *st, int i)
{
	json_t *v = sqlite3_column_type(st, i) == SQLITE_NULL ? json_null() :
	    json_string(ctp_col_text(st, i));

	return json_object_set_new(o, key, v);
}

static const char *const prov_keys[] = {
	"npi", "last_name", "first_name", "middle_name", "dob",
	"provider_type", "practice_state", "other_names", "suffix", NULL
};

/* The provider as the verifier reads it (*out new). */
static int
load_provider(sqlite3 *db, long long pid, json_t **out, struct ctp_error *e)
{
	sqlite3_stmt *st;
	json_t *o;
	int i, rc, bad = 0;

	*out = NULL;
	if (ctp_db_prepare(db, &st, "SELECT npi, last_name, first_name, "
	    "middle_name, dob, provider_type, practice_state, other_names, "
	    "suffix FROM providers WHERE id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, pid);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc == SQLITE_DONE)
			return ctp_errf(e, CTP_DATAERR, "provider", "no "
			    "provider with id %lld", pid);
		return ctp_db_err(db, rc, "providers", e);
	}
	if ((o = json_object()) == NULL)
		bad = 1;
	for (i = 0; !bad && prov_keys[i]; i++)
		bad = put_col(o, prov_keys[i], st, i) != 0;
	sqlite3_finalize(st);
	if (bad) {
		json_decref(o);
		return ctp_err_nomem(e, "verify");
	}
	*out = o;
	return 0;
}

static const char *const cred_keys[] = {
	"kind", "number", "state", "issuer", "issued", "expires", NULL
};

/*
 * The provider's active credentials (of kind, when not NULL), in id
 * order, as an array of the objects a verifier reads (*out new).  Read
 * whole before any verifier runs: no statement stays open meanwhile.
 */
static int
load_credentials(sqlite3 *db, long long pid, const char *kind, json_t **out,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	json_t *a, *o;
	int i, rc = SQLITE_DONE, bad = 0;

	*out = NULL;
	if (ctp_db_prepare(db, &st, "SELECT id, kind, number, state, issuer, "
	    "issued, expires FROM credentials WHERE provider_id = ?1 AND "
	    "status = 'active' AND (?2 IS NULL OR kind = ?2) ORDER BY id", e))
		return e->code;
	sqlite3_bind_int64(st, 1, pid);
	ctp_bind_text_or_null(st, 2, kind);
	if ((a = json_array()) == NULL)
		bad = 1;
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((o = json_pack("{s:I}", "id", (json_int_t)
		    sqlite3_column_int64(st, 0))) == NULL ||
		    json_array_append_new(a, o) != 0) {
			bad = 1;
			break;
		}
		for (i = 0; !bad && cred_keys[i]; i++)
			bad = put_col(o, cred_keys[i], st, i + 1) != 0;
	}
	sqlite3_finalize(st);
	if (bad) {
		json_decref(a);
		return ctp_err_nomem(e, "verify");
	}
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return ctp_db_err(db, rc, "credentials", e);
	}
	*out = a;
	return 0;
}

/* The JSON text a verifier reads on stdin (new; NULL without memory). */
static char *
input_of(struct runner *r, const struct check *k)
{
	json_t *in, *config;
	char *s;

	if ((config = json_loads(k->config, 0, NULL)) == NULL ||
	    !json_is_object(config)) {
		json_decref(config);
		config = json_object();
	}
	in = json_pack("{s:O, s:O?, s:o, s:s}", "provider", k->provider,
	    "credential", k->credential, "config", config, "as_of",
	    r->as_of);
	if (in == NULL)
		return NULL;
	s = json_dumps(in, JSON_COMPACT);
	json_decref(in);
	return s;
}

struct ctp_verify_memo {
	json_t *answers;	/* key: {"out": text, "reason": text} */
};

struct ctp_verify_memo *
ctp_verify_memo_new(void)
{
	struct ctp_verify_memo *m;

	if ((m = ctp_calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if ((m->answers = json_object()) == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

void
ctp_verify_memo_free(struct ctp_verify_memo *m)
{
	if (m == NULL)
		return;
	json_decref(m->answers);
	free(m);
}

/*
 * The key of k's answer in the run's memo, when k is ctp's own npi
 * verifier (which reads the NPI, the first and last name, its config
 * and the registry address, and nothing else of the organization): the
 * registry address, the config, the day, the NPI and the names; NULL
 * for any other check (new string).
 */
static char *
memo_key(struct runner *r, const struct check *k, int builtin)
{
	char *url = NULL, *key;
	struct ctp_error le;
	const char *f[3];
	int i;

	if (r->o == NULL || r->o->memo == NULL || !builtin ||
	    strcmp(k->program, "ctp-verify-npi") != 0 || k->credential != NULL)
		return NULL;
	if (ctp_org_get(r->c->db, "nppes_api_url", &url, &le) != 0)
		return NULL;
	for (i = 0; i < 3; i++)
		f[i] = json_string_value(json_object_get(k->provider,
		    i == 0 ? "npi" : i == 1 ? "first_name" : "last_name"));
	key = ctp_asprintf("%s\n%s\n%s\n%s\n%s\n%s", url, k->config ?
	    k->config : "", r->as_of, f[0] ? f[0] : "", f[1] ? f[1] : "",
	    f[2] ? f[2] : "");
	free(url);
	return key;
}

static int reply_of(struct check *, struct ctp_verify_exec *,
    struct ctp_error *);

/* Run k's program; k->reply or k->reason.  0, or an error of the run. */
static int
run_program(struct runner *r, struct check *k, struct ctp_error *e)
{
	struct ctp_verify_exec x;
	struct ctp_error le;
	char *path = NULL, *key;
	json_t *kept, *keep = NULL;
	int builtin, rc;

	ctp_error_clear(&le);
	if ((rc = ctp_verify_locate(k->program, &path, &builtin, &le)) != 0) {
		if (rc == CTP_SOFTWARE)
			return ctp_errf(e, rc, le.where, "%s", le.what);
		snprintf(k->reason, sizeof(k->reason), "%s: %s", k->program,
		    le.what);
		return 0;
	}
	memset(&x, 0, sizeof(x));
	x.path = path;
	x.builtin = builtin;
	x.db = r->c->path;
	x.timeout = r->timeout;
	key = memo_key(r, k, builtin);
	if (key != NULL && (kept = json_object_get(r->o->memo->answers,
	    key)) != NULL) {
		/* Asked for another organization of this run. */
		free(path);
		free(key);
		snprintf(x.reason, sizeof(x.reason), "%s",
		    json_string_value(json_object_get(kept, "reason")));
		x.outlen = json_string_length(json_object_get(kept, "out"));
		if ((x.out = ctp_strndup(json_string_value(json_object_get(kept,
		    "out")), x.outlen)) == NULL)
			return ctp_err_nomem(e, "verify");
		return reply_of(k, &x, e);
	}
	if ((x.input = input_of(r, k)) == NULL) {
		free(path);
		free(key);
		return ctp_err_nomem(e, "verify");
	}
	rc = ctp_verify_exec(&x, e);
	free((char *)x.input);
	free(path);
	if (rc == 0 && key != NULL && x.reason[0] == '\0' && x.out != NULL &&
	    (keep = json_pack("{s:s%, s:s}", "out", x.out, x.outlen, "reason",
	    "")) == NULL)
		rc = ctp_err_nomem(e, "verify");
	if (rc == 0)
		rc = reply_of(k, &x, e);
	else
		free(x.out);
	/* Kept when the registry answered: a failure is asked again. */
	if (rc == 0 && keep != NULL && k->reason[0] == '\0' &&
	    k->reply.result != NULL && strcmp(k->reply.result, "error") != 0) {
		if (json_object_set_new(r->o->memo->answers, key, keep) != 0)
			rc = ctp_err_nomem(e, "verify");
	} else
		json_decref(keep);
	free(key);
	return rc;
}

/* k->reply or k->reason from what x said (x->out freed). */
static int
reply_of(struct check *k, struct ctp_verify_exec *x, struct ctp_error *e)
{
	char why[300];
	int rc;

	if (x->reason[0] != '\0')
		snprintf(k->reason, sizeof(k->reason), "%s: %s", k->program,
		    x->reason);
	else if ((rc = ctp_verify_reply_parse(x->out, x->outlen, &k->reply,
	    why, sizeof(why))) == -2) {
		free(x->out);
		return ctp_err_nomem(e, "verify");
	} else if (rc < 0)
		snprintf(k->reason, sizeof(k->reason), "%s: %s", k->program,
		    why);
	free(x->out);
	return 0;
}

/*
 * The PSV entry's detail: program, and the verifier's detail, the error
 * and source_date when there are; compact JSON, keys sorted (new, or
 * NULL without memory).
 */
static char *
psv_detail(const struct check *k)
{
	json_t *d, *inner = NULL;
	char *s = NULL;
	int bad = 0;

	if ((d = json_pack("{s:s}", "program", k->program)) == NULL)
		return NULL;
	if (k->reply.detail && k->reply.detail[0] == '{')
		inner = json_loads(k->reply.detail, 0, NULL);
	if (inner == NULL && k->reply.detail)
		inner = json_string(k->reply.detail);
	if (inner)
		bad |= json_object_set_new(d, "detail", inner);
	if (k->reason[0])
		bad |= json_object_set_new(d, "error", json_string(k->reason));
	if (k->reply.source_date)
		bad |= json_object_set_new(d, "source_date",
		    json_string(k->reply.source_date));
	if (!bad)
		s = ctp_psv_detail(d);
	json_decref(d);
	return s;
}

static int
audit_result(struct runner *r, const struct ctp_verify_result *v,
    struct ctp_error *e)
{
	json_t *d;
	int rc;

	d = json_pack("{s:s, s:s, s:s?, s:I, s:s, s:s, s:I}", "npi", v->npi,
	    "kind", v->kind, "state", v->state, "credential",
	    (json_int_t)v->credential_id, "result", v->result, "program",
	    v->verifier, "psv", (json_int_t)v->psv_id);
	if (d == NULL)
		return ctp_err_nomem(e, "verify");
	rc = ctp_audit(r->c, "verify.result", "provider", v->npi, d, e);
	json_decref(d);
	return rc;
}

/* v's PSV entry, audit event and mark, in one transaction. */
static int
record(struct runner *r, const struct check *k, struct ctp_verify_result *v,
    struct ctp_error *e)
{
	struct ctp_psv_writer *w = NULL;
	struct ctp_psv_entry p;
	const char *mark;
	char *detail, note[200];
	int rc;

	if ((detail = psv_detail(k)) == NULL)
		return ctp_err_nomem(e, "verify");
	memset(&p, 0, sizeof(p));
	p.provider_id = k->pid;
	p.credential_id = k->cid;
	p.source = v->source;
	p.result = v->result;
	p.reference = v->reference;
	p.detail = detail;
	if ((rc = ctp_db_begin(r->c->db, e)) != 0) {
		free(detail);
		return rc;
	}
	if ((rc = ctp_psv_open(&w, r->c->db, r->c->user, NULL,
	    k->reply.method ? k->reply.method : "api", e)) != 0 ||
	    (rc = ctp_psv_add(w, &p, e)) != 0 ||
	    (rc = ctp_psv_flush(w, e)) != 0)
		goto fail;
	v->psv_id = sqlite3_last_insert_rowid(r->c->db);
	if ((rc = audit_result(r, v, e)) != 0)
		goto fail;
	mark = ctp_psv_mark(v->result);
	snprintf(note, sizeof(note), "%s: %s (PSV entry %lld)", v->verifier,
	    v->result, v->psv_id);
	if (k->cid != 0 && mark != NULL && (rc = ctp_credential_set(r->c,
	    k->cid, "verification", mark, note, e)) != 0)
		goto fail;
	ctp_psv_close(w);
	free(detail);
	return ctp_db_commit(r->c->db, e);
fail:
	ctp_psv_close(w);
	free(detail);
	ctp_db_rollback(r->c->db);
	return rc;
}

/* One check: find its verifier, run it, record and report the result. */
static int
check_one(struct runner *r, struct check *k, struct ctp_error *e)
{
	struct ctp_verify_result v;
	int rc;

	if ((rc = ctp_verifier_find(r->c->db, k->kind, k->state, &k->program,
	    &k->config, e)) != 0)
		return rc;
	memset(&v, 0, sizeof(v));
	v.npi = k->npi;
	v.provider_id = k->pid;
	v.credential_id = k->cid;
	v.kind = k->kind;
	v.state = k->state;
	v.result = "none";
	if (k->program != NULL) {
		if ((rc = run_program(r, k, e)) != 0)
			goto out;
		v.verifier = k->program;
		if (k->reason[0] != '\0') {
			v.result = "error";
			v.source = k->program;
			v.detail = k->reason;
		} else {
			v.result = k->reply.result;
			v.source = k->reply.source ? k->reply.source :
			    k->program;
			v.reference = k->reply.reference;
			v.detail = k->reply.detail;
		}
		if ((rc = record(r, k, &v, e)) != 0)
			goto out;
	}
	if (strcmp(v.result, "verified") != 0)
		r->unverified++;
	if (r->fn != NULL)
		rc = r->fn(&v, r->arg);
out:
	free(k->program);
	free(k->config);
	k->program = k->config = NULL;
	ctp_verify_reply_free(&k->reply);
	k->reason[0] = '\0';
	return rc;
}

static int
wanted(const struct runner *r, const char *kind)
{
	return r->o == NULL || r->o->kind == NULL ||
	    strcmp(r->o->kind, kind) == 0;
}

static int
verify_provider(struct runner *r, long long pid, struct ctp_error *e)
{
	struct check k;
	json_t *prov = NULL, *creds = NULL, *cr;
	size_t i;
	int rc;

	memset(&k, 0, sizeof(k));
	if ((rc = load_provider(r->c->db, pid, &prov, e)) != 0 ||
	    (rc = load_credentials(r->c->db, pid, r->o ? r->o->kind : NULL,
	    &creds, e)) != 0)
		goto out;
	k.pid = pid;
	k.npi = json_string_value(json_object_get(prov, "npi"));
	k.provider = prov;
	for (i = 0; ctp_verify_checks[i]; i++) {
		if (!wanted(r, ctp_verify_checks[i]))
			continue;
		k.kind = ctp_verify_checks[i];
		if ((rc = check_one(r, &k, e)) != 0)
			goto out;
	}
	json_array_foreach(creds, i, cr) {
		k.cid = (long long)json_integer_value(json_object_get(cr,
		    "id"));
		k.kind = json_string_value(json_object_get(cr, "kind"));
		k.state = json_string_value(json_object_get(cr, "state"));
		k.credential = cr;
		if ((rc = check_one(r, &k, e)) != 0)
			goto out;
	}
out:
	json_decref(prov);
	json_decref(creds);
	return rc;
}

int
ctp_verify_run(struct ctp_ctx *c, const long long *pids, size_t n,
    const struct ctp_verify_opts *o, ctp_verify_fn fn, void *arg,
    size_t *unverified, struct ctp_error *e)
{
	struct runner r;
	long day;
	size_t i;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.o = o;
	r.fn = fn;
	r.arg = arg;
	if (unverified)
		*unverified = 0;
	/* A verifier runs for up to verify_timeout: never under a lock. */
	if (!sqlite3_get_autocommit(c->db))
		return ctp_errf(e, CTP_SOFTWARE, "verify", "called inside a "
		    "transaction");
	if (o != NULL && o->as_of != NULL) {
		if (ctp_date_normalize(o->as_of, r.as_of) != 0)
			return ctp_errf(e, CTP_USAGE, "--as-of", "not a date");
	} else {
		if ((rc = ctp_org_today(c->db, &day, e)) != 0)
			return rc;
		ctp_date_format(day, r.as_of);
	}
	if ((rc = ctp_org_get_long(c->db, "verify_timeout", &r.timeout, e))
	    != 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++)
		rc = verify_provider(&r, pids[i], e);
	if (unverified)
		*unverified = r.unverified;
	return rc;
}

int
ctp_verify_providers(struct ctp_ctx *c, const char *const *npis, size_t n,
    long long **pids, size_t *npids, struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long *v = NULL, *p;
	size_t cap = 0, k = 0, i = 0;
	char where[32];
	int rc;

	*pids = NULL;
	*npids = 0;
	if (ctp_db_prepare(c->db, &st, n ? "SELECT id FROM providers WHERE "
	    "npi = ?1" : "SELECT id FROM providers WHERE status = 'active' "
	    "ORDER BY id", e))
		return e->code;
	for (;;) {
		if (n) {
			if (i == n)
				break;
			sqlite3_reset(st);
			ctp_bind_text(st, 1, npis[i++]);
		}
		if ((rc = sqlite3_step(st)) == SQLITE_DONE && n) {
			snprintf(where, sizeof(where), "npi %zu", i);
			rc = ctp_errf(e, CTP_DATAERR, where, "not on the "
			    "roster");
			goto fail;
		}
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			rc = ctp_db_err(c->db, rc, "providers", e);
			goto fail;
		}
		if (k == cap) {
			cap = cap ? cap * 2 : 16;
			if ((p = ctp_realloc(v, cap * sizeof(*v))) == NULL) {
				rc = ctp_err_nomem(e, "verify");
				goto fail;
			}
			v = p;
		}
		v[k++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	*pids = v;
	*npids = k;
	return 0;
fail:
	sqlite3_finalize(st);
	free(v);
	return rc;
}

const struct ctp_col ctp_verify_columns[] = {
	{ "npi", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "kind", CTP_COL_STR },
	{ "state", CTP_COL_STR },
	{ "credential_id", CTP_COL_INT },
	{ "verifier", CTP_COL_STR },
	{ "result", CTP_COL_STR },
	{ "source", CTP_COL_STR },
	{ "reference", CTP_COL_STR },
	{ "detail", CTP_COL_STR },
	{ "psv_id", CTP_COL_INT },
};

int
ctp_verify_row(struct ctp_ctx *c, struct ctp_out *o,
    const struct ctp_verify_result *r, struct ctp_error *e)
{
	sqlite3_stmt *st;
	const char *v[CTP_VERIFY_NCOLUMNS];
	char cid[32], psv[32];
	int rc;

	if (ctp_db_prepare(c->db, &st, "SELECT last_name, first_name FROM "
	    "providers WHERE id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, r->provider_id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_finalize(st);
		return ctp_db_err(c->db, rc, "providers", e);
	}
	snprintf(cid, sizeof(cid), "%lld", r->credential_id);
	snprintf(psv, sizeof(psv), "%lld", r->psv_id);
	v[0] = r->npi;
	v[1] = rc == SQLITE_ROW ? ctp_col_text(st, 0) : NULL;
	v[2] = rc == SQLITE_ROW ? ctp_col_text(st, 1) : NULL;
	v[3] = r->kind;
	v[4] = r->state;
	v[5] = r->credential_id ? cid : NULL;
	v[6] = r->verifier;
	v[7] = r->result;
	v[8] = r->source;
	v[9] = r->reference;
	v[10] = r->detail;
	v[11] = r->psv_id ? psv : NULL;
	rc = ctp_out_row(o, v, e);
	sqlite3_finalize(st);
	return rc;
}
