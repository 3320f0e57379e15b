/*
 * priv.c - the team install's rules that need no setgid program: which
 * paths get the group, and no team directory for a single user
 * (priv.h).  tests/cli/team.t runs the rest as an installed team.
 */
#include <stdlib.h>

#include "priv.h"
#include "tap.h"

#define D "/var/lib/ctp"
#define C "/var/cache/ctp"

int
main(void)
{
	ok(ctp_priv_init() == 0, "init: nothing to drop here");
	ok(ctp_priv_init() == 0, "init again: nothing happens");
	is_int(ctp_team_install(), 0, "not a team install (not setgid)");
	is_int(ctp_secure(), 0, "not a hostile environment");

	/* The paths that get the group. */
	is_int(ctp_priv_inside(D "/acme.db", D, C), 1, "a database");
	is_int(ctp_priv_inside(D "/acme.db-wal", D, C), 1, "its WAL");
	is_int(ctp_priv_inside(D "/sub/acme.db", D, C), 0,
	    "not a subdirectory of the data directory");
	is_int(ctp_priv_inside(D, D, C), 1, "the directory itself (a listing)");
	is_int(ctp_priv_inside(C, D, C), 1, "the cache itself");
	is_int(ctp_priv_inside(D "/", D, C), 0, "not with a slash");
	is_int(ctp_priv_inside(D "/../../etc/shadow", D, C), 0, "no ..");
	is_int(ctp_priv_inside(D "/./acme.db", D, C), 0, "no .");
	is_int(ctp_priv_inside(D "//acme.db", D, C), 0, "no empty component");
	is_int(ctp_priv_inside(D "x/acme.db", D, C), 0,
	    "not a directory whose name begins the same");
	is_int(ctp_priv_inside("/var/lib/ctpx/a.db", D, C), 0, "nor its sibling");
	is_int(ctp_priv_inside("var/lib/ctp/a.db", D, C), 0,
	    "only an absolute path");
	is_int(ctp_priv_inside(C "/lists/leie.csv", D, C), 1,
	    "the cache, any depth");
	is_int(ctp_priv_inside(C "/lists/../../../etc/shadow", D, C), 0,
	    "but no ..");
	is_int(ctp_priv_inside("/etc/shadow", D, C), 0, "nothing else");
	is_int(ctp_priv_team_path(D "/acme.db"), 0,
	    "outside a team install, nothing gets the group");
	is_int(ctp_priv_enter(D "/acme.db"), 0, "nor is it taken");
	ctp_priv_leave(0);

	/* A single user's directories are the user's own. */
	ok(ctp_team_data_dir() == NULL, "no team data directory");
	ok(ctp_team_cache_dir() == NULL, "no team cache");
	setenv("XDG_DATA_HOME", "/home/u/data", 1);
	is_str(ctp_env("XDG_DATA_HOME"), "/home/u/data",
	    "ctp_env reads the environment");
	return done_testing();
}
