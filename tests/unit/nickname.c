/*
 * nickname: the shipped table (share/ctp/nicknames.csv, read from
 * $CTP_TOP) and pairs of an organization's own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nickname.h"
#include "tap.h"

int
main(void)
{
	struct ctp_nicknames *nk;
	struct ctp_error e;
	const unsigned *ids;
	char path[1024], bad[] = "/tmp/ctp-nick-XXXXXX";
	const char *top = getenv("CTP_TOP");
	size_t groups, names;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/share/ctp/nicknames.csv",
	    top ? top : ".");
	ok(ctp_nicknames_new(&nk, &e) == 0, "an empty table");
	is_int(ctp_nicknames_read(nk, path, &e), 0, "the shipped table reads");
	ctp_nicknames_count(nk, &groups, &names);
	ok(groups > 1000 && names > 1500, "%zu groups, %zu names", groups,
	    names);

	ok(ctp_nicknames_same(nk, "ROBERT", "BOB"), "Robert, Bob");
	ok(ctp_nicknames_same(nk, "BOB", "ROBERT"), "both ways");
	ok(ctp_nicknames_same(nk, "ROBERT", "BOBBY"), "Robert, Bobby");
	ok(ctp_nicknames_same(nk, "ROB", "BOB"), "Rob, Bob");
	ok(ctp_nicknames_same(nk, "ELIZABETH", "LIZ"), "Elizabeth, Liz");
	ok(ctp_nicknames_same(nk, "LIZ", "BETH"),
	    "Liz, Beth: two nicknames of one group");
	ok(ctp_nicknames_same(nk, "MARGARET", "PEGGY"), "Margaret, Peggy");
	ok(ctp_nicknames_same(nk, "WILLIAM", "BILL"), "William, Bill");
	ok(ctp_nicknames_same(nk, "JOSE", "PEPE"), "Jose, Pepe");
	ok(ctp_nicknames_same(nk, "FRANCISCO", "PACO"), "Francisco, Paco");
	ok(ctp_nicknames_same(nk, "FRANCISCO", "PANCHO"),
	    "Francisco, Pancho");
	ok(ctp_nicknames_same(nk, "GUADALUPE", "LUPE"), "Guadalupe, Lupe");
	ok(ctp_nicknames_same(nk, "JESUS", "CHUY"), "Jesus, Chuy");
	ok(ctp_nicknames_same(nk, "IGNACIO", "NACHO"), "Ignacio, Nacho");
	ok(ctp_nicknames_same(nk, "GUILLERMO", "MEMO"), "Guillermo, Memo");
	ok(ctp_nicknames_same(nk, "CONCEPCION", "CONCHA"),
	    "Concepcion, Concha");
	ok(!ctp_nicknames_same(nk, "ROBERT", "ROBERT"),
	    "a name is not its own nickname");
	ok(!ctp_nicknames_same(nk, "ROBERT", "ROBERTA"),
	    "Robert, Roberta: look alike, no nickname");
	ok(!ctp_nicknames_same(nk, "JOHN", "JOAN"), "John, Joan: no");
	ok(!ctp_nicknames_same(nk, "MARK", "MARY"), "Mark, Mary: no");
	ok(!ctp_nicknames_same(nk, "ZORBLAX", "BOB"), "an unknown name: no");
	ok(ctp_nicknames_groups(nk, "ROBERT", &ids) >= 2 && ids[0] < ids[1],
	    "Robert's groups, ascending");
	is_int(ctp_nicknames_groups(nk, "ZORBLAX", &ids), 0, "no groups");

	ok(!ctp_nicknames_same(nk, "KIMO", "JAMES"), "not yet a pair");
	is_int(ctp_nicknames_add(nk, "Kimo", "James", &e), 0,
	    "an organization's pair");
	ok(ctp_nicknames_same(nk, "KIMO", "JAMES") &&
	    ctp_nicknames_same(nk, "JAMES", "KIMO"), "a pair, both ways");
	ok(!ctp_nicknames_same(nk, "KIMO", "JIM"), "a pair is a group alone");
	ctp_nicknames_free(nk);

	ctp_nicknames_new(&nk, &e);
	is_int(ctp_nicknames_read(nk, "/nonexistent/nicknames.csv", &e),
	    66, "a missing table: 66");
	fd = mkstemp(bad);
	f = fdopen(fd, "w");
	fputs("# comment\n\nann,annie\nbob\n", f);
	fclose(f);
	is_int(ctp_nicknames_read(nk, bad, &e), 65, "a one-name group: 65");
	ok(strstr(e.where, ":4") != NULL, "names the line (%s)", e.where);
	unlink(bad);
	ctp_nicknames_free(nk);

	setenv("CTP_SHAREDIR", "/x/y", 1);
	is_str(ctp_nicknames_path(), "/x/y/nicknames.csv",
	    "CTP_SHAREDIR names the directory");
	unsetenv("CTP_SHAREDIR");
	ok(strstr(ctp_nicknames_path(), "nicknames.csv") != NULL,
	    "else the installed or source tree's table");
	return done_testing();
}
