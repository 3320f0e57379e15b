/*
 * orgs_par.c - a run across clients with several organizations at once
 * (ctp_orgs_par, orgs.h), for ctp-screen run over a directory.
 *
 * Speed.  Screening twenty organizations one after the other spends
 * much of its extra time over one organization of the same providers
 * waiting on the disk: every organization opens its file, writes its
 * authentication event and its run, each commit synced, and
 * checkpoints its log on close, some 120 fdatasync calls for twenty
 * where the one makes 7.  With as many processes as processors, one
 * organization's waits overlap another's work.  Each process opens its
 * own organization only (no connection crosses a fork: this process
 * holds none while the workers run); what it lists goes to a temporary
 * file (ctp_out_new_capture) that this process replays into the listing
 * in organization order once all have ended, so the output is the same
 * as one after the other.  Messages go to standard error as each worker
 * says them, each naming its organization.  A run may ask for its first
 * organization in this process before the others start (first_here):
 * ctp-screen run keeps that one's index of the lists, and the workers,
 * forked after it, use it (screen_shared.c).  scripts/bench/screen-orgs
 * measures twenty organizations of 5,000 at 0.9 times the wall time of
 * one of 100,000 (1.35 times its processor time, two processes sharing
 * two cores), 2.7 times when each builds its own index, and 1.14 times
 * one after the other (--jobs 1).
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"
#include "orgs.h"

struct job {
	pid_t pid;
	FILE *cap;		/* its rows, when the run lists */
	int rc;
};

int
ctp_orgs_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 4 ? 4 : (int)n;
}

/* The worker of organization i: its rows to j->cap; exits with its
 * status. */
static void
worker(const struct ctp_orgs_run *r, const char *path, struct job *j)
{
	struct ctp_error e;
	struct ctp_out *o = NULL;
	int rc;

	if (j->cap != NULL && (o = ctp_out_new_capture(j->cap,
	    ctp_out_ncols(r->o))) == NULL)
		_exit(CTP_SOFTWARE);
	rc = ctp_orgs_one(r, path, 1, o);
	ctp_error_clear(&e);
	if (o != NULL && ctp_out_close(o, &e) != 0 && rc <= CTP_ATTN)
		rc = CTP_IOERR;
	fflush(stderr);
	_exit(rc);
}

/*
 * Start organization i's worker (or, when it cannot fork or here is set,
 * run it here).
 */
static void
start(const struct ctp_orgs_run *r, const char *path, struct job *j,
    int here)
{
	struct ctp_out *o;
	struct ctp_error e;

	if (r->o != NULL && (j->cap = tmpfile()) == NULL) {
		/* No file for its rows: list it now, in this process. */
		j->pid = 0;
		j->rc = -1;
		return;
	}
	fflush(stdout);
	fflush(stderr);
	j->pid = here ? -1 : fork();
	if (j->pid == 0)
		worker(r, path, j);
	if (j->pid > 0)
		return;
	j->pid = 0;
	/* Here, its rows captured as a worker's would be. */
	o = j->cap ? ctp_out_new_capture(j->cap, ctp_out_ncols(r->o)) : NULL;
	j->rc = ctp_orgs_one(r, path, 1, o);
	ctp_error_clear(&e);
	if (o != NULL)
		ctp_out_close(o, &e);
}

/* Wait for one worker: its status into its job.  0, or -1 when none. */
static int
reap(struct job *v, size_t n, const char *prog, const char *const *paths)
{
	char org[256];
	pid_t pid;
	size_t i;
	int st;

	while ((pid = waitpid(-1, &st, 0)) > 0) {
		for (i = 0; i < n && v[i].pid != pid; i++)
			;
		if (i == n)
			continue;
		v[i].pid = 0;
		if (WIFEXITED(st))
			v[i].rc = WEXITSTATUS(st);
		else {
			ctp_org_short(paths[i], org, sizeof(org));
			fprintf(stderr, "%s: %s: ended by signal %d\n", prog,
			    org, WIFSIGNALED(st) ? WTERMSIG(st) : 0);
			v[i].rc = CTP_SOFTWARE;
		}
		return 0;
	}
	return -1;
}

int
ctp_orgs_par(const struct ctp_orgs_run *r, const struct ctp_exp_dbs *dbs)
{
	struct ctp_error e;
	struct job *v;
	size_t n = dbs->n, next = 0, running = 0, i;
	char org[256];
	int worst = 0, rc;

	if ((v = ctp_calloc(n, sizeof(*v))) == NULL)
		return CTP_SOFTWARE;
	while (next < n || running > 0) {
		while (running < (size_t)r->jobs && next < n) {
			start(r, dbs->v[next], &v[next],
			    next == 0 && r->first_here);
			running += v[next].pid > 0;
			next++;
		}
		if (running > 0 && reap(v, n, r->prog,
		    (const char *const *)dbs->v) == 0)
			running--;
		else if (running > 0)
			break;		/* no child left to wait for */
	}
	/* The rows, in organization order. */
	for (i = 0; i < n; i++) {
		if (r->o != NULL) {
			ctp_org_short(dbs->v[i], org, sizeof(org));
			ctp_out_lead(r->o, org);
		}
		if (v[i].rc < 0)	/* not started: now, in this process */
			v[i].rc = ctp_orgs_one(r, dbs->v[i], 1, r->o);
		else if (v[i].cap != NULL) {
			rewind(v[i].cap);
			ctp_error_clear(&e);
			if ((rc = ctp_out_replay(r->o, v[i].cap, &e)) != 0) {
				if (r->failed != NULL)
					r->failed(r->arg, &e);
				v[i].rc = ctp_status_worst(v[i].rc, rc);
			}
		}
		if (v[i].cap != NULL)
			fclose(v[i].cap);
		worst = ctp_status_worst(worst, v[i].rc);
	}
	free(v);
	return worst;
}
