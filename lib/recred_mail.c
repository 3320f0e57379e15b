/*
 * recred_mail.c - each provider's open document requests as one plain
 * text message handed to sendmail(1) -t -i (recred.h).  The program is
 * run with the caller's own group and no descriptor but its three, so
 * that a team install's group never reaches it.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "audit.h"
#include "buf.h"
#include "date.h"
#include "db.h"
#include "mem.h"
#include "org.h"
#include "recred.h"
#include "validate.h"

const struct ctp_col ctp_recred_mail_columns[] = {
	{ "npi", CTP_COL_STR },
	{ "email", CTP_COL_STR },
	{ "requests", CTP_COL_INT },
	{ "result", CTP_COL_STR },
	{ "detail", CTP_COL_STR },
};

/* One provider's message as it is built. */
struct letter {
	char npi[16];
	char *email, *name;
	struct ctp_buf list;	/* the body's lines of requests */
	json_t *ids;
	long long n;
};

struct mail_run {
	struct ctp_ctx *c;
	const char *sendmail;
	char *org, *from;
	struct ctp_out *o;
	size_t failed;
};

/* Run sendmail -t -i with msg on its standard input; 0 or why in why. */
static int
run_sendmail(const char *prog, const struct ctp_buf *msg, char *why,
    size_t n)
{
	int fd[2], status, fdn;
	size_t off = 0;
	ssize_t w;
	pid_t pid;

	if (pipe(fd) < 0) {
		snprintf(why, n, "pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) < 0) {
		snprintf(why, n, "fork: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		/*
		 * The caller's group, not ctp's; its output is not our data;
		 * SIGPIPE as a program expects it, not as the caller set it.
		 */
		if (setgid(getgid()) < 0 || dup2(fd[0], 0) < 0 ||
		    dup2(2, 1) < 0)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		for (fdn = 3; fdn < 1024; fdn++)
			close(fdn);
		execl(prog, "sendmail", "-t", "-i", (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	while (off < msg->len) {
		w = write(fd[1], msg->s + off, msg->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		off += (size_t)w;
	}
	close(fd[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(why, n, "waitpid: %s", strerror(errno));
			return -1;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		snprintf(why, n, "%s: cannot run", prog);
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		snprintf(why, n, "%s: exit status %d", prog,
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(why, n, "%s: killed by signal %d", prog,
		    WTERMSIG(status));
	else if (off < msg->len)
		snprintf(why, n, "%s: did not read the message", prog);
	else
		return 0;
	return -1;
}

static int
compose(struct mail_run *m, const struct letter *l, const char *due,
    struct ctp_buf *b)
{
	ctp_buf_reset(b);
	if (ctp_buf_printf(b, "To: %s\n", l->email) < 0 ||
	    (*m->from && ctp_buf_printf(b, "From: %s\n", m->from) < 0) ||
	    ctp_buf_printf(b, "Subject: Re-credentialing: %lld %s requested\n"
	    "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n", l->n,
	    ctp_plural(l->n, "document", "documents")) < 0 ||
	    ctp_buf_printf(b, "Dear %s,\n\nYour re-credentialing%s%s is due "
	    "on %s.\nPlease send us the following %s:\n\n%s\n"
	    "Please quote the request numbers in your reply.\n\n%s\n",
	    l->name, *m->org ? " with " : "", m->org, due,
	    ctp_plural(l->n, "document", "documents"), l->list.s,
	    *m->org ? m->org : "The credentialing office") < 0)
		return -1;
	return 0;
}

/* Send l's message (or say why not), write its row and audit event. */
static int
post(struct mail_run *m, struct letter *l, const char *due,
    struct ctp_error *e)
{
	struct ctp_buf b = CTP_BUF_INIT;
	const char *row[CTP_RECRED_MAIL_NCOLUMNS], *result = "sent";
	char why[256] = "", count[24];
	json_t *d;
	int rc;

	if (*l->email == '\0' || ctp_check_email(l->email) != NULL) {
		result = "no_address";
		snprintf(why, sizeof(why), "%s", *l->email ? "not an e-mail "
		    "address" : "no e-mail address on the roster");
	} else if (compose(m, l, due, &b) < 0) {
		ctp_buf_free(&b);
		return ctp_err_nomem(e, "mail");
	} else if (run_sendmail(m->sendmail, &b, why, sizeof(why)) < 0)
		result = "failed";
	ctp_buf_free(&b);
	if (strcmp(result, "sent") != 0)
		m->failed++;
	d = json_pack("{s:O, s:s, s:s?}", "requests", l->ids, "result",
	    result, "detail", *why ? why : NULL);
	if (d == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(m->c, "recred.mail", "provider", l->npi, d, e);
	json_decref(d);
	if (rc)
		return rc;
	snprintf(count, sizeof(count), "%lld", l->n);
	row[0] = l->npi;
	row[1] = l->email;
	row[2] = count;
	row[3] = result;
	row[4] = why;
	return ctp_out_row(m->o, row, e) ? e->code : 0;
}

static void
letter_clear(struct letter *l)
{
	free(l->email);
	free(l->name);
	ctp_buf_free(&l->list);
	json_decref(l->ids);
	memset(l, 0, sizeof(*l));
}

/* Start l for the provider of st's row. */
static int
letter_start(struct letter *l, sqlite3_stmt *st)
{
	letter_clear(l);
	snprintf(l->npi, sizeof(l->npi), "%s", ctp_col_text(st, 0));
	l->email = ctp_strdup(ctp_col_text(st, 3));
	l->name = ctp_asprintf("%s %s", ctp_col_text(st, 2),
	    ctp_col_text(st, 1));
	l->ids = json_array();
	return l->email && l->name && l->ids ? 0 : -1;
}

static int
mail_all(struct mail_run *m, const char *npi, struct ctp_error *e)
{
	sqlite3_stmt *st;
	struct letter l;
	char due[CTP_DATE_LEN] = "";
	int rc, prc = 0;

	memset(&l, 0, sizeof(l));
	if (ctp_db_prepare(m->c->db, &st, "SELECT p.npi, p.last_name,"
	    " p.first_name, p.email, y.due, r.id, r.kind, r.reason, r.detail"
	    " FROM doc_requests r JOIN recred_cycles y ON y.id = r.cycle_id"
	    " JOIN providers p ON p.id = r.provider_id"
	    " WHERE r.fulfilled IS NULL AND y.closed IS NULL"
	    " AND (?1 IS NULL OR p.npi = ?1) ORDER BY p.npi, r.id", e))
		return e->code;
	ctp_bind_text(st, 1, npi);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (strcmp(l.npi, ctp_col_text(st, 0)) != 0) {
			if (*l.npi && (prc = post(m, &l, due, e)) != 0)
				break;
			if (letter_start(&l, st) < 0) {
				prc = ctp_err_nomem(e, "mail");
				break;
			}
			snprintf(due, sizeof(due), "%s", ctp_col_text(st, 4));
		}
		l.n++;
		if (json_array_append_new(l.ids, json_integer(
		    sqlite3_column_int64(st, 5))) < 0 ||
		    ctp_buf_printf(&l.list, "  - request %lld: %s (%s)\n",
		    (long long)sqlite3_column_int64(st, 5), ctp_col_text(st, 8),
		    ctp_col_text(st, 7)) < 0) {
			prc = ctp_err_nomem(e, "mail");
			break;
		}
	}
	sqlite3_finalize(st);
	if (prc == 0 && rc != SQLITE_DONE)
		prc = ctp_db_err(m->c->db, rc, "recred", e);
	if (prc == 0 && *l.npi)
		prc = post(m, &l, due, e);
	letter_clear(&l);
	return prc;
}

int
ctp_recred_mail(struct ctp_ctx *c, const char *npi, const char *sendmail,
    struct ctp_out *o, size_t *failed, struct ctp_error *e)
{
	struct mail_run m;
	char *prog = NULL;
	int rc;

	memset(&m, 0, sizeof(m));
	m.c = c;
	m.o = o;
	*failed = 0;
	if ((rc = ctp_org_get(c->db, "name", &m.org, e)) != 0 ||
	    (rc = ctp_org_get(c->db, "mail_from", &m.from, e)) != 0)
		goto done;
	if (sendmail == NULL &&
	    (rc = ctp_org_get(c->db, "sendmail", &prog, e)) != 0)
		goto done;
	m.sendmail = sendmail ? sendmail : prog;
	rc = mail_all(&m, npi, e);
	*failed = m.failed;
done:
	free(m.org);
	free(m.from);
	free(prog);
	return rc;
}
