/*
 * outfile.h - every file ctp writes for a person (an import's rejects,
 * and the packages, pages and documents to come) is written here, so
 * that writing one is safe and never leaves half a file.
 *
 * ctp_outfile_open refuses, before anything is written (CTP_CANTCREAT,
 * where = the path):
 *   - a symbolic link, even a dangling one: never followed, even with
 *     CTP_OUTFILE_FORCE;
 *   - one of the run's inputs: the same file by device and inode (a hard
 *     link to it too), even with CTP_OUTFILE_FORCE;
 *   - an existing directory, device, FIFO or other non-regular file;
 *   - an existing regular file, unless CTP_OUTFILE_FORCE.
 * It then creates a temporary file in the path's directory (".NAME.XXXXXX"),
 * mode 0600 whatever the umask (what ctp writes holds dates of birth and
 * license numbers); a directory it cannot create in is CTP_CANTCREAT too.
 * The caller writes through ctp_outfile_fp.  ctp_outfile_commit flushes
 * the file to disk and gives it its name in one step: without
 * CTP_OUTFILE_FORCE never over a file that appeared meanwhile, with it
 * only over a regular file that is none of the inputs.
 * ctp_outfile_abort removes the temporary file.
 *
 * Ownership: *out from ctp_outfile_open is the caller's, freed by exactly
 * one call of ctp_outfile_commit or ctp_outfile_abort, whatever they
 * return.  The path and the inputs are copied: they need not outlive the
 * call.  The FILE belongs to the outfile: never fclose it.
 */
#ifndef CTP_OUTFILE_H
#define CTP_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

struct ctp_outfile;

#define CTP_OUTFILE_FORCE 1	/* replace an existing regular file */

/*
 * Open path for writing.  inputs: the run's input files (n of them; "-"
 * is standard input, NULL entries and files that cannot be read are
 * skipped), which the output may not be.  On failure *out is NULL and
 * nothing was created.
 */
int	ctp_outfile_open(struct ctp_outfile **out, const char *path,
	    int flags, const char *const *inputs, size_t n,
	    struct ctp_error *e);
FILE	*ctp_outfile_fp(struct ctp_outfile *);
const char *ctp_outfile_path(const struct ctp_outfile *);

/*
 * Flush the temporary file to disk: a write error (CTP_IOERR) shows now,
 * before the caller commits anything else, and the commit after it only
 * names the file.  Optional: ctp_outfile_commit does it when needed.
 */
int	ctp_outfile_sync(struct ctp_outfile *, struct ctp_error *e);
/* Sync, close and rename to the path; on failure nothing is left. */
int	ctp_outfile_commit(struct ctp_outfile *, struct ctp_error *e);
/* Close and remove the temporary file.  NULL is fine. */
void	ctp_outfile_abort(struct ctp_outfile *);

#endif
