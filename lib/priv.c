/*
 * priv.c - the team install's group, held only for the team's files,
 * and the environment of a setgid program (priv.h).
 */
#include <sys/auxv.h>
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "priv.h"

#ifndef CTP_TEAMDIR
#define CTP_TEAMDIR "/var/lib/ctp"
#endif
#ifndef CTP_TEAMCACHEDIR
#define CTP_TEAMCACHEDIR "/var/cache/ctp"
#endif

/* priv_vfs.c: SQLite's files of the team directory opened with the group. */
int	ctp_priv_vfs_register(void);

static int inited, team, secure;
static gid_t rgid, tgid;

int
ctp_priv_init(void)
{
	struct stat sb;
	gid_t egid;

	if (inited)
		return 0;
	inited = 1;
	secure = getauxval(AT_SECURE) != 0;
	rgid = getgid();
	egid = getegid();
	if (egid == rgid)
		return 0;
	/* Setgid to the group of the team directory: a team install. */
	if (stat(CTP_TEAMDIR, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    sb.st_gid == egid && egid != 0) {
		team = 1;
		tgid = egid;
	}
	if (setegid(rgid) != 0 || getegid() != rgid)
		return -1;
	if (team && ctp_priv_vfs_register() != 0)
		return -1;
	return 0;
}

int
ctp_team_install(void)
{
	return team;
}

int
ctp_secure(void)
{
	if (!inited)
		secure = getauxval(AT_SECURE) != 0;
	return secure;
}

const char *
ctp_env(const char *name)
{
	return ctp_secure() ? NULL : getenv(name);
}

unsigned
ctp_priv_gid(void)
{
	return (unsigned)tgid;
}

const char *
ctp_team_data_dir(void)
{
	return team ? CTP_TEAMDIR : NULL;
}

const char *
ctp_team_cache_dir(void)
{
	return team ? CTP_TEAMCACHEDIR : NULL;
}

/* The rest of path after dir and a '/', or NULL. */
static const char *
below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strncmp(path, dir, n) != 0 || path[n] != '/')
		return NULL;
	return path + n + 1;
}

/* An absolute path with no empty, "." or ".." component. */
static int
plain_path(const char *p)
{
	const char *c;
	size_t n;

	if (*p != '/')
		return 0;
	for (c = p + 1; ; c += n + 1) {
		n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		if (c[n] == '\0')
			return 1;
	}
}

/*
 * The check is on the name alone: nobody but ctp's programs may create
 * anything in the team directories (2770, group ctp, no members), and
 * they create no links, so a plain name inside is a file inside.
 */
int
ctp_priv_team_path(const char *path)
{
	char buf[PATH_MAX];
	int n;

	if (!team || path == NULL || *path == '\0')
		return 0;
	if (*path == '/')
		n = snprintf(buf, sizeof(buf), "%s", path);
	else {
		if (getcwd(buf, sizeof(buf)) == NULL)
			return 0;
		n = snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
		    "/%s", path);
	}
	if (n < 0 || (size_t)n >= sizeof(buf))
		return 0;
	return ctp_priv_inside(buf, CTP_TEAMDIR, CTP_TEAMCACHEDIR);
}

int
ctp_priv_inside(const char *path, const char *data, const char *cache)
{
	const char *rest;

	if (!plain_path(path))
		return 0;
	if (strcmp(path, data) == 0 || strcmp(path, cache) == 0)
		return 1;
	if ((rest = below(path, data)) != NULL)
		return strchr(rest, '/') == NULL;
	return below(path, cache) != NULL;
}

int
ctp_priv_enter(const char *path)
{
	/* Already raised (inside a load): the outer leave gives it back. */
	if (!ctp_priv_team_path(path) || getegid() == tgid)
		return 0;
	return setegid(tgid) == 0;
}

int
ctp_priv_raise(void)
{
	return team && getegid() != tgid && setegid(tgid) == 0;
}

void
ctp_priv_leave(int entered)
{
	/* Giving the group back cannot fail; if it did, stop at once. */
	if (entered && setegid(rgid) != 0)
		abort();
}

/* Root's, and writable by nobody else. */
static int
roots(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && sb.st_uid == 0 &&
	    (sb.st_mode & 022) == 0;
}

void
ctp_priv_for_helper(const char *path)
{
	char dir[PATH_MAX], *slash;

	if (!team || snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return;
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return;
	*slash = '\0';
	if (roots(path) && roots(dir) && setegid(tgid) != 0)
		_exit(126);
}
