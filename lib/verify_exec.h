/*
 * verify_exec.h - finding and running one verifier program: its input
 * on stdin, its output read up to a limit, its stderr kept for the
 * reason of a failure, a timeout after which its process group is
 * killed.  Nothing here reads the output: verify_reply.h does.
 */
#ifndef CTP_VERIFY_EXEC_H
#define CTP_VERIFY_EXEC_H

#include <stddef.h>

#include "err.h"

#define CTP_VERIFY_OUT_MAX (64 * 1024)	/* stdout kept, at most */
#define CTP_VERIFY_ERR_MAX 4096		/* stderr kept, at most */

/*
 * Where program (a name, verify_config.h) is: in ctp's libexec directory
 * (dirname of /proc/self/exe, then ../libexec/ctp), then in each PATH
 * directory.  0 with *path (new, the caller frees) and *builtin 1 when it
 * is ctp's own; else CTP_NOINPUT "not found" or CTP_NOPERM "not
 * executable" (found, but not executable by the caller).
 */
int	ctp_verify_locate(const char *program, char **path, int *builtin,
	    struct ctp_error *e);

struct ctp_verify_exec {
	/* in */
	const char *path;	/* from ctp_verify_locate */
	int builtin;		/* keep the set-group-ID group (see .c) */
	const char *input;	/* written to its stdin */
	const char *db;		/* CTP_DB in its environment; NULL: unset */
	long timeout;		/* seconds */
	char *const *argv;	/* its arguments; NULL: the program alone */
	size_t outmax;		/* stdout kept; 0: CTP_VERIFY_OUT_MAX */
	/* out: the reason it failed, or its status and output */
	char reason[512];	/* "" when it ran and exited 0 */
	char *out;		/* stdout, NUL-ended (the caller frees) */
	size_t outlen;
};

/*
 * Run x->path with x->input.  Returns 0 when it ran (x->reason says
 * whether it failed: "exited 3: first line of stderr", "killed by signal
 * 9", "timed out after 30 s", "printed more than 65536 bytes"), or an
 * error of the run itself (out of memory, fork failed).
 */
int	ctp_verify_exec(struct ctp_verify_exec *x, struct ctp_error *e);

#endif
