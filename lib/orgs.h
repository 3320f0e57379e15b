/*
 * orgs.h - organizations by short name: NAME.db in the data directory.
 * A coordinator with many clients keeps one database per client there
 * and names each with --org NAME (or $CTP_ORG) on any program; `ctp
 * orgs` lists the ones in which the caller has a role.
 */
#ifndef CTP_ORGS_H
#define CTP_ORGS_H

#include "auth.h"
#include "err.h"
#include "expiring.h"	/* struct ctp_exp_dbs: --db FILE or DIR */
#include "out.h"

/*
 * The data directory, where the default database and every NAME.db
 * live: $XDG_DATA_HOME/ctp when XDG_DATA_HOME is an absolute path, else
 * ~/.local/share/ctp.  *out is a new string.
 */
int	ctp_data_dir(char **out, struct ctp_error *e);
/*
 * The download cache of the exclusion lists: $XDG_CACHE_HOME/ctp/lists
 * when XDG_CACHE_HOME is an absolute path, else ~/.cache/ctp/lists.
 */
int	ctp_cache_dir(char **out, struct ctp_error *e);
/* Create dir and its missing parents, mode 0700: 0 or -1 (errno). */
int	ctp_mkdirs(const char *dir);

/*
 * NULL when name may name an organization (1 to 64 letters, digits,
 * '-', '_' and '.', not starting with '.' or '-'), else why not.
 */
const char *ctp_org_name_why(const char *name);
/* The database of organization name: DATA_DIR/NAME.db (new string). */
int	ctp_org_path(const char *name, char **out, struct ctp_error *e);
/* The short name of a database path: its base name without ".db". */
void	ctp_org_short(const char *path, char *out, size_t n);

/*
 * A run over several organizations (--db DIR, --db repeated): e's place
 * prefixed with the short name of the organization at path, "acme" or
 * "acme: where", so that each message names its organization.
 */
void	ctp_org_where(struct ctp_error *e, const char *path);
/*
 * The worse of two exit statuses of such a run: a failure over
 * CTP_ATTN over 0, the larger of two failures.
 */
int	ctp_status_worst(int a, int b);

/*
 * A run across clients (ctp-screen fetch and run, ctp-npi refresh,
 * ctp-verify): each organization of dbs in turn (none given: the
 * default database), opened with perm checked, its short name set as
 * o's lead column when there are several (o, when not NULL, made by
 * ctp_orgs_out), and fn called with it and the output its rows go to.  One organization's failure
 * (open, role, fn; not CTP_ATTN) goes to failed, with the organization
 * named in e when there are several (ctp_org_where), and the others
 * still run; fn clears e for a failure it has said itself.  Nothing of
 * one organization reaches another's connection.  Returns the worst
 * status (ctp_status_worst).
 */
struct ctp_orgs_run {
	const char *prog;
	enum ctp_perm perm;
	struct ctp_out *o;
	int	(*fn)(struct ctp_ctx *c, struct ctp_out *o, void *arg,
		    struct ctp_error *e);
	void	(*failed)(void *arg, const struct ctp_error *e);
	void	*arg;
	/*
	 * Organizations at once (ctp_orgs_jobs), each in a process of its
	 * own whose rows for o are replayed in organization order: for an
	 * fn that shares nothing between organizations but o.  0 or 1: one
	 * after the other, in this process.
	 */
	int	jobs;
	/*
	 * With jobs: the first organization is run in this process before
	 * the others start, so that what fn leaves in arg is theirs too.
	 */
	int	first_here;
};
int	ctp_orgs_each(const struct ctp_orgs_run *r,
	    const struct ctp_exp_dbs *dbs);
/* One organization of such a run, its rows to o: its status. */
int	ctp_orgs_one(const struct ctp_orgs_run *r, const char *path,
	    int several, struct ctp_out *o);
/* ctp_orgs_each with r->jobs processes (orgs_par.c). */
int	ctp_orgs_par(const struct ctp_orgs_run *r,
	    const struct ctp_exp_dbs *dbs);
/* How many organizations at once: the processors online, 1 to 4. */
int	ctp_orgs_jobs(void);
/*
 * The listing of such a run: cols, with a first column "org" when dbs
 * names several organizations.  NULL without memory.
 */
struct ctp_out *ctp_orgs_out(const struct ctp_exp_dbs *dbs, FILE *f,
	    enum ctp_fmt fmt, const struct ctp_col *cols, size_t ncols);

/*
 * What every program does with --org before its options are read:
 * "--org NAME" and "--org=NAME" in argv become "--db PATH" and
 * "--db=PATH" (up to a "--"), and $CTP_ORG, when set, becomes $CTP_DB
 * (used when no --db or --org is given) and is unset.  A bad name:
 * CTP_USAGE.  The strings put in argv live until the program ends.
 */
int	ctp_org_args(int argc, char **argv, struct ctp_error *e);

/*
 * `ctp orgs`: every NAME.db in the data directory in which the caller
 * has an active role, in name order, to o (ctp_orgs_columns: the short
 * name, the display name, the role, the file).  Nothing is written to
 * any database.  A data directory that does not exist lists nothing.
 */
int	ctp_orgs_list(struct ctp_out *o, struct ctp_error *e);
extern const struct ctp_col ctp_orgs_columns[];
#define CTP_ORGS_NCOLUMNS 4

#endif
