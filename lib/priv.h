/*
 * priv.h - the team install: programs installed setgid ctp, the group
 * used only for the team's databases.
 *
 * A team install is a program whose effective group at start differs
 * from its real group (it is setgid) and equals the group of the team
 * data directory (CTP_TEAMDIR, /var/lib/ctp).  ctp_priv_init, called
 * by ctp_cli_init before anything else is opened, drops the effective
 * group to the real one at once; it comes back only while a path
 * inside the team directories is opened, created, removed or looked up
 * (ctp_priv_enter), and inside SQLite through a VFS of ours that does
 * the same for the database and its journal, WAL and shared-memory
 * files.  Every other file (inputs, outputs, documents, programs run)
 * is reached with the person's own permissions, and a program run by
 * ctp starts with the real group only.
 *
 * The environment is hostile in a setgid program (getauxval(AT_SECURE)):
 * ctp_env is secure_getenv, and every CTP_*, XDG_*, HOME and TMPDIR is
 * read through it.
 */
#ifndef CTP_PRIV_H
#define CTP_PRIV_H

/*
 * Drop the group at start (idempotent); call before anything else.
 * -1 when it cannot be dropped: the program must stop.
 */
int	ctp_priv_init(void);
/* 1 in a team install (see above), else 0. */
int	ctp_team_install(void);
/* 1 when the program runs with a hostile environment (AT_SECURE). */
int	ctp_secure(void);
/* getenv, but NULL for every variable when ctp_secure(). */
const char *ctp_env(const char *name);

/*
 * A team install's data directory, where its organizations live
 * (CTP_TEAMDIR, /var/lib/ctp), and its cache (CTP_TEAMCACHEDIR,
 * /var/cache/ctp, with lists/ for the exclusion lists); NULL when not
 * a team install, where the user's own directories serve ($XDG_DATA_HOME
 * and $XDG_CACHE_HOME, read through ctp_env).  Static strings.
 */
const char *ctp_team_data_dir(void);
const char *ctp_team_cache_dir(void);

/*
 * 1 when path names the team data directory or one of its entries (no
 * subdirectory), or the team cache directory or anything under it, in
 * a team install: an absolute path, or relative to the working
 * directory, without "." or ".." components.  Nothing else gets the
 * group.  (The directories themselves, so that a program may list
 * them: opendir inside ctp_priv_enter and ctp_priv_leave.)
 */
int	ctp_priv_team_path(const char *path);
/*
 * The rule of ctp_priv_team_path for an absolute path, given the two
 * directories: 1 for data, data/NAME, cache or cache/ANY/PATH, without
 * empty, "." or ".." components.
 */
int	ctp_priv_inside(const char *path, const char *data, const char *cache);
/*
 * Take the group for one operation on path when ctp_priv_team_path;
 * returns what ctp_priv_leave needs to give it back.
 */
int	ctp_priv_enter(const char *path);
void	ctp_priv_leave(int entered);
/* The same for a file already known to be the team's. */
int	ctp_priv_raise(void);
/*
 * In a child about to exec path, one of ctp's own helpers (a built-in
 * verifier): start it with the team group, which it drops in its turn;
 * only when path and its directory are root's and nobody else may
 * write them (not a copy beside a hard link to a setgid program).
 */
void	ctp_priv_for_helper(const char *path);
/* The team group's id (only meaningful in a team install). */
unsigned ctp_priv_gid(void);

#endif
