/*
 * screen_index: the candidates of a provider (screen_index.h): every
 * entry that shares a blocking key with one of the provider's names, once
 * each, and none that could match no rule; entries of the source asked
 * for only.  Entries are written straight into a scratch database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "nickname.h"
#include "screen_index.h"
#include "tap.h"

/* The candidates' identities, in the order found. */
struct seen {
	char ids[32][16];
	int n;
	long long version;
};

static int
collect(void *arg, const struct ctp_screen_entry *en, long long version)
{
	struct seen *s = arg;

	if (s->n < 32)
		snprintf(s->ids[s->n++], 16, "%s", en->ident);
	s->version = version;
	return 0;
}

static int
stop(void *arg, const struct ctp_screen_entry *en, long long version)
{
	(void)arg;
	(void)en;
	(void)version;
	return 7;
}

/* The candidates of p as "id id id" in sorted order. */
static const char *
cands(struct ctp_screen_index *ix, const struct ctp_screen_provider *p)
{
	static char out[512];
	struct seen s;
	int i, j;
	char t[16];

	memset(&s, 0, sizeof(s));
	ctp_screen_index_find(ix, p, collect, &s);
	for (i = 0; i < s.n; i++)
		for (j = i + 1; j < s.n; j++)
			if (strcmp(s.ids[i], s.ids[j]) > 0) {
				memcpy(t, s.ids[i], 16);
				memcpy(s.ids[i], s.ids[j], 16);
				memcpy(s.ids[j], t, 16);
			}
	*out = '\0';
	for (i = 0; i < s.n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s",
		    i ? " " : "", s.ids[i]);
	return out;
}

int
main(void)
{
	struct ctp_nicknames *nk;
	struct ctp_screen_index *ix;
	struct ctp_screen_provider p;
	struct ctp_error e;
	sqlite3 *db;
	char dir[64], path[128], tab[1024];
	const char *top = getenv("CTP_TOP");

	snprintf(dir, sizeof(dir), "/tmp/ctp-unit-index.%ld", (long)getpid());
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/org.db", dir);
	ctp_error_clear(&e);
	ok(ctp_db_create(&db, path, &e) == 0, "create database");
	ok(sqlite3_exec(db, "INSERT INTO screen_lists (id, source, kind, "
	    "sha256, rows, loaded_at, loaded_by) VALUES (1, 'OIG LEIE', "
	    "'leie', 'x', 1, 'x', 'x'), (2, 'SAM', 'sam', 'y', 1, 'x', 'x');"
	    "INSERT INTO screen_entries (version_id, source, entity, ident, "
	    "last_name, first_name, middle_name, npi, dob, state) VALUES "
	    "(1,'OIG LEIE','person','exact','MARSH','ROBERT','',NULL,"
	    "'1970-03-15','TX'),"
	    "(1,'OIG LEIE','person','nick','MARSH','BOB','',NULL,"
	    "'1981-01-01','TX'),"
	    "(1,'OIG LEIE','person','middle','MARSH','JOHN','ROBERT',NULL,"
	    "'1982-02-02','TX'),"
	    "(1,'OIG LEIE','person','swapped','ROBERT','MARSH','',NULL,"
	    "'1970-03-15','TX'),"
	    "(1,'OIG LEIE','person','typo','MARHS','ROBERT','',NULL,"
	    "'1970-03-15','TX'),"
	    "(1,'OIG LEIE','person','otherdob','MARHS','ROBERT','',NULL,"
	    "'1990-09-09','TX'),"
	    "(1,'OIG LEIE','person','npi','ZED','ZOE','','1003000126',"
	    "'1999-09-09','TX'),"
	    "(1,'OIG LEIE','person','other','MARSH','PETER','',NULL,"
	    "'1970-03-15','TX'),"
	    "(1,'OIG LEIE','firm','firm','MARSH','ROBERT','',NULL,"
	    "'1970-03-15','TX'),"
	    "(2,'SAM','person','sam','MARSH','BOBBY','',NULL,NULL,'TX')",
	    NULL, NULL, NULL) == SQLITE_OK, "entries written");

	snprintf(tab, sizeof(tab), "%s/share/ctp/nicknames.csv", top ? top :
	    ".");
	ok(ctp_nicknames_new(&nk, &e) == 0 && ctp_nicknames_read(nk, tab,
	    &e) == 0, "the nickname table");
	is_int(ctp_screen_index_build(db, NULL, nk, &ix, &e), 0, "index");
	is_int(ctp_screen_index_entries(ix), 9, "nine person entries, no firm");

	memset(&p, 0, sizeof(p));
	p.npi = "1003000126";
	p.first = "Robert";
	p.last = "Marsh";
	p.dob = "1970-03-15";
	p.state = "TX";
	/*
	 * exact and sam by name; nick by nickname group; middle by the
	 * listed middle name; swapped, typo and other by the DOB with the
	 * first or last name; npi by NPI; not otherdob (another DOB, another
	 * last name), not the firm.
	 */
	is_str(cands(ix, &p), "exact middle nick npi sam swapped typo",
	    "the candidates of Robert Marsh, each once");
	is_int(ctp_screen_index_examined(ix), 7, "seven examined");
	p.middle = "John";
	p.first = "J";
	is_str(cands(ix, &p), "middle npi swapped", "a middle name finds the "
	    "listed first name (and the last name the swapped entry)");
	p.first = "Robert";
	p.middle = "";
	p.last = "Newman";
	p.other_names = "Marsh";
	p.npi = "";
	p.dob = "";
	is_str(cands(ix, &p), "exact middle nick sam",
	    "a former name, no DOB: the name keys only");
	is_int(ctp_screen_index_find(ix, &p, stop, NULL), 7,
	    "a callback's value stops the search");
	ctp_screen_index_free(ix);

	is_int(ctp_screen_index_build(db, "SAM", NULL, &ix, &e), 0,
	    "index of SAM only, no nickname table");
	p.first = "Bobby";
	is_str(cands(ix, &p), "sam", "SAM entries only");
	p.first = "Robert";
	is_str(cands(ix, &p), "", "no table: no nickname group");
	ctp_screen_index_free(ix);

	ctp_nicknames_free(nk);
	sqlite3_close(db);
	unlink(path);
	snprintf(path, sizeof(path), "%s/org.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/org.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return done_testing();
}
