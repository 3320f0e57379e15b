/*
 * verify_exec.c - running a verifier (verify_exec.h): fork, exec, pipes
 * polled together so neither side blocks the other, a deadline, and the
 * process group killed at the deadline so that whatever the verifier
 * started dies with it.
 *
 * The verifier's process group is not the terminal's, so an interrupt
 * (^C), a hangup or a TERM of the caller kills it from a handler that is
 * in place only while it runs, before the caller dies of the signal.
 *
 * A program installed set-group-ID (a team install, DESIGN.md) runs its
 * verifiers found on PATH with the caller's own group: a program a user
 * put on PATH never gets the group that opens every database.  ctp's own
 * verifiers (libexec) keep it, to read the database they are given.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "mem.h"
#include "priv.h"
#include "verify_exec.h"

/* The group of the verifier running (0: none), for the handler. */
static volatile sig_atomic_t running;

static void
on_signal(int sig)
{
	if (running > 0)
		kill(-(pid_t)running, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int stops[] = { SIGINT, SIGTERM, SIGHUP };
#define NSTOPS (sizeof(stops) / sizeof(stops[0]))

/* Catch the signals that end the caller (and not those it ignores). */
static void
catch_stops(struct sigaction old[NSTOPS])
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSTOPS; i++) {
		sigaction(stops[i], NULL, &old[i]);
		if (old[i].sa_handler == SIG_DFL)
			sigaction(stops[i], &sa, NULL);
	}
}

static void
release_stops(const struct sigaction old[NSTOPS])
{
	size_t i;

	running = 0;
	for (i = 0; i < NSTOPS; i++)
		sigaction(stops[i], &old[i], NULL);
}

/* Executable regular file: 1; exists but not executable: 0; absent: -1. */
static int
probe(const char *path)
{
	if (access(path, F_OK) != 0)
		return -1;
	return access(path, X_OK) == 0;
}

int
ctp_verify_locate(const char *program, char **path, int *builtin,
    struct ctp_error *e)
{
	char self[PATH_MAX], *slash, *p;
	const char *dirs, *end;
	ssize_t n;
	int seen = 0, k;

	*path = NULL;
	*builtin = 0;
	if (strchr(program, '/') != NULL)
		return ctp_errf(e, CTP_NOINPUT, program, "not found");
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			if ((p = ctp_asprintf("%s/../libexec/ctp/%s", self,
			    program)) == NULL)
				return ctp_err_nomem(e, "verifier");
			if ((k = probe(p)) == 1) {
				*path = p;
				*builtin = 1;
				return 0;
			}
			seen |= k == 0;
			free(p);
		}
	}
	if ((dirs = getenv("PATH")) == NULL)
		dirs = "/usr/bin:/bin";
	for (; ; dirs = end + 1) {
		end = strchr(dirs, ':');
		if (end == NULL)
			end = dirs + strlen(dirs);
		if (end > dirs) {
			if ((p = ctp_asprintf("%.*s/%s", (int)(end - dirs),
			    dirs, program)) == NULL)
				return ctp_err_nomem(e, "verifier");
			if ((k = probe(p)) == 1) {
				*path = p;
				return 0;
			}
			seen |= k == 0;
			free(p);
		}
		if (*end == '\0')
			break;
	}
	if (seen)
		return ctp_errf(e, CTP_NOPERM, program, "not executable");
	return ctp_errf(e, CTP_NOINPUT, program, "not found");
}

/* A pipe whose ends close on exec (the child's are dup2'd first). */
static int
cloexec_pipe(int p[2])
{
	if (pipe(p) < 0)
		return -1;
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* In the child: the pipes on 0, 1, 2, the environment, then exec. */
static void
child(const struct ctp_verify_exec *x, int in, int out, int err)
{
	struct sigaction sa;
	char *argv[2];

	setpgid(0, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGPIPE, &sa, NULL);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	if (!x->builtin && getegid() != getgid() && setgid(getgid()) != 0)
		_exit(126);
	/* ctp's own verifier opens a team database as ctp does (priv.h). */
	if (x->builtin)
		ctp_priv_for_helper(x->path);
	if (x->db != NULL)
		setenv("CTP_DB", x->db, 1);
	argv[0] = (char *)x->path;
	argv[1] = NULL;
	execv(x->path, x->argv != NULL ? x->argv : argv);
	_exit(errno == ENOENT ? 127 : 126);
}

/* The first line of stderr, cut to fit, control characters as '?'. */
static void
first_line(const struct ctp_buf *b, char *dst, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < b->len && b->s[i] != '\n' && k + 1 < n; i++)
		dst[k++] = (unsigned char)b->s[i] < 0x20 ||
		    b->s[i] == 0x7f ? '?' : b->s[i];
	dst[k] = '\0';
}

struct io {
	int fd[3];		/* stdin (write), stdout, stderr (read) */
	const char *in;
	size_t inlen, inoff;
	struct ctp_buf out, err;
	size_t outmax;
	int toolong;
};

/* Move what is ready; 0, or -1 when out of memory. */
static int
pump(struct io *io, struct pollfd *p, int np)
{
	char buf[4096];
	ssize_t n;
	int i, k;

	for (i = 0; i < np; i++) {
		if (p[i].revents == 0)
			continue;
		k = p[i].fd == io->fd[0] ? 0 : p[i].fd == io->fd[1] ? 1 : 2;
		if (k == 0) {
			n = write(io->fd[0], io->in + io->inoff,
			    io->inlen - io->inoff);
			if (n > 0)
				io->inoff += (size_t)n;
			if (n < 0 && errno == EAGAIN)
				continue;
			if (n < 0 || io->inoff == io->inlen) {
				close(io->fd[0]);
				io->fd[0] = -1;
			}
			continue;
		}
		n = read(io->fd[k], buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			close(io->fd[k]);
			io->fd[k] = -1;
			continue;
		}
		if (k == 1 && io->out.len + (size_t)n > io->outmax)
			io->toolong = 1;
		else if (k == 2 && io->err.len + (size_t)n > CTP_VERIFY_ERR_MAX)
			continue;
		else if (ctp_buf_add(k == 1 ? &io->out : &io->err, buf,
		    (size_t)n) < 0)
			return -1;
	}
	return 0;
}

/* Until the pipes close, the output is too long or the deadline. */
static int
talk(struct io *io, double deadline, int *timedout)
{
	struct pollfd p[3];
	double left;
	int np, i;

	*timedout = 0;
	for (;;) {
		np = 0;
		for (i = 0; i < 3; i++)
			if (io->fd[i] >= 0) {
				p[np].fd = io->fd[i];
				p[np].events = i == 0 ? POLLOUT : POLLIN;
				p[np].revents = 0;
				np++;
			}
		if (np == 0 || io->toolong)
			return 0;
		if ((left = deadline - now()) <= 0) {
			*timedout = 1;
			return 0;
		}
		if (poll(p, (nfds_t)np, (int)(left * 1000) + 1) < 0) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		if (pump(io, p, np) < 0)
			return -1;
	}
}

/* Wait for pid until the deadline; 1 when it ended (*st), 0 when not. */
static int
reap(pid_t pid, double deadline, int *st)
{
	pid_t r;

	for (;;) {
		r = waitpid(pid, st, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return 1;
		if (now() >= deadline)
			return 0;
		usleep(10000);
	}
}

static void
say(struct ctp_verify_exec *x, int timedout, int ended, int st,
    const struct io *io)
{
	char line[256];

	if (timedout || !ended)
		snprintf(x->reason, sizeof(x->reason), "timed out after %ld s",
		    x->timeout);
	else if (io->toolong)
		snprintf(x->reason, sizeof(x->reason), "printed more than %zu "
		    "bytes", io->outmax);
	else if (WIFSIGNALED(st))
		snprintf(x->reason, sizeof(x->reason), "killed by signal %d",
		    WTERMSIG(st));
	else if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
		first_line(&io->err, line, sizeof(line));
		snprintf(x->reason, sizeof(x->reason), "exited %d%s%s",
		    WEXITSTATUS(st), *line ? ": " : "", line);
	}
}

int
ctp_verify_exec(struct ctp_verify_exec *x, struct ctp_error *e)
{
	struct sigaction ign, old, olds[NSTOPS];
	struct io io;
	int pin[2], pout[2], perr[2], i, st = 0, ended, timedout = 0, rc;
	double deadline;
	pid_t pid;

	x->reason[0] = '\0';
	x->out = NULL;
	x->outlen = 0;
	memset(&io, 0, sizeof(io));
	if (cloexec_pipe(pin) < 0)
		return ctp_errf(e, CTP_SOFTWARE, "verifier", "pipe: %s",
		    strerror(errno));
	if (cloexec_pipe(pout) < 0) {
		close(pin[0]);
		close(pin[1]);
		return ctp_errf(e, CTP_SOFTWARE, "verifier", "pipe: %s",
		    strerror(errno));
	}
	if (cloexec_pipe(perr) < 0) {
		close(pin[0]);
		close(pin[1]);
		close(pout[0]);
		close(pout[1]);
		return ctp_errf(e, CTP_SOFTWARE, "verifier", "pipe: %s",
		    strerror(errno));
	}
	/* A verifier that exits without reading must not kill us. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	catch_stops(olds);
	deadline = now() + (double)x->timeout;
	if ((pid = fork()) == 0) {
		release_stops(olds);
		child(x, pin[0], pout[1], perr[1]);
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	io.fd[0] = pin[1];
	io.fd[1] = pout[0];
	io.fd[2] = perr[0];
	io.in = x->input;
	io.inlen = strlen(x->input);
	io.outmax = x->outmax ? x->outmax : CTP_VERIFY_OUT_MAX;
	rc = 0;
	if (pid < 0) {
		rc = ctp_errf(e, CTP_SOFTWARE, "verifier", "fork: %s",
		    strerror(errno));
		goto out;
	}
	setpgid(pid, pid);	/* as the child does: no race either way */
	running = (sig_atomic_t)pid;
	for (i = 0; i < 3; i++)
		fcntl(io.fd[i], F_SETFL, fcntl(io.fd[i], F_GETFL) | O_NONBLOCK);
	if (talk(&io, deadline, &timedout) < 0)
		rc = ctp_err_nomem(e, "verifier");
	if (timedout || io.toolong || rc != 0)
		kill(-pid, SIGKILL);
	ended = reap(pid, deadline, &st);
	if (!ended) {
		kill(-pid, SIGKILL);
		waitpid(pid, &st, 0);
	} else if (!timedout && !io.toolong)
		kill(-pid, SIGKILL);	/* what it left behind */
	if (rc == 0) {
		say(x, timedout, ended, st, &io);
		if (ctp_buf_add(&io.out, "", 1) < 0)
			rc = ctp_err_nomem(e, "verifier");
		else {
			x->outlen = io.out.len - 1;
			x->out = ctp_buf_take(&io.out);
		}
	}
out:
	release_stops(olds);
	sigaction(SIGPIPE, &old, NULL);
	for (i = 0; i < 3; i++)
		if (io.fd[i] >= 0)
			close(io.fd[i]);
	ctp_buf_free(&io.out);
	ctp_buf_free(&io.err);
	return rc;
}
