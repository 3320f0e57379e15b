/*
 * doc_intake.h - the drop folder ctp-doc intake takes documents from.
 *
 * Every file of DIR whose name begins with an NPI, and every file of a
 * subfolder DIR/NPI, is added (doc.h) with the kind its name suggests
 * (ctp_doc_kind_guess), then moved into DIR/.done/ (DIR/.done/NPI/ for a
 * subfolder's).  A file refused is moved into DIR/.rejected/ with
 * NAME.reason beside it.  Names beginning with a dot are left alone;
 * names with "..", a control character or a leading dash are refused;
 * symbolic links are refused, never followed; every file operation is
 * relative to DIR's descriptor (openat, linkat), so nothing is written
 * outside DIR.  A move never replaces a file: a name already taken gets
 * ".1", ".2" and on.  An error that is not the file's (the database, a
 * full disk) stops the run and leaves the file where it was.
 */
#ifndef CTP_DOC_INTAKE_H
#define CTP_DOC_INTAKE_H

#include "auth.h"
#include "doc.h"
#include "err.h"
#include "out.h"

/*
 * Take DIR's files; one row per file to o (ctp_doc_intake_columns):
 * the file (relative to DIR), stored, duplicate or rejected, the
 * document id, the reason.  *rejected counts the refused files.  hook
 * and arg (may be NULL) are each add's (doc.h: extraction); a hook's
 * CTP_DATAERR rejects the file like any other refusal.
 */
int	ctp_doc_intake(struct ctp_ctx *c, const char *dir, ctp_doc_hook hook,
	    void *arg, struct ctp_out *o, long long *stored,
	    long long *rejected, struct ctp_error *e);
extern const struct ctp_col ctp_doc_intake_columns[];
#define CTP_DOC_INTAKE_NCOLUMNS 4

#endif
