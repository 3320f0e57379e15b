/* ctp-expiring - what expires or falls due, in one organization or many. */
#include <dirent.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "auth.h"
#include "cli.h"
#include "date.h"
#include "expiring.h"
#include "mem.h"
#include "out.h"
#include "tune.h"

static const char synopsis[] =
    "ctp-expiring [--db FILE|DIR ...] [--as-of DATE] [--within DAYS]\n"
    "       [--overdue] [--mine|--coordinator USER] [--kind KIND ...]\n"
    "       [--fail-if-any] [--json|--csv]";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "  -a, --as-of DATE        count days from DATE (default: today in "
	    "the\n"
	    "                          organization's time zone)\n"
	    "  -c, --coordinator USER  only USER's providers\n"
	    "      --csv               CSV output even on a terminal\n"
	    "  -d, --db FILE|DIR       organization database; repeat, or name "
	    "a\n"
	    "                          directory of *.db, for every client at "
	    "once\n"
	    "  -f, --fail-if-any       exit 1 when anything is listed; print "
	    "nothing,\n"
	    "                          not even the header, when nothing is "
	    "(cron)\n"
	    "  -h, --help              this help\n"
	    "  -j, --json              JSON Lines output\n"
	    "  -k, --kind KIND         only KIND (repeatable):\n"
	    "                          state_license, dea, cds, board_cert,\n"
	    "                          malpractice, cme, hospital_privileges,\n"
	    "                          recred, caqh, missing\n"
	    "  -m, --mine              only the caller's providers\n"
	    "  -o, --overdue           only what is overdue (and what has no "
	    "date)\n"
	    "  -V, --version           print the version\n"
	    "  -w, --within DAYS       due within DAYS, 0 to %d (default: the "
	    "largest\n"
	    "                          inbox threshold, 120)\n\n"
	    "Columns: org, npi, last_name, first_name, coordinator, kind, "
	    "detail, due,\n"
	    "days_left, bucket; sorted by due date, then provider.  Items "
	    "without a date\n"
	    "(recred unknown, a required credential missing) come first; they "
	    "and overdue\n"
	    "items are always listed.  Exit 77 when an organization refuses "
	    "the caller.\n",
	    synopsis, CTP_EXP_MAX_WITHIN);
}

struct paths {
	char **v;
	size_t n, cap;
};

/* Same file already listed (named twice, or in a directory and alone)? */
static int
listed(const struct paths *p, const char *s)
{
	struct stat a, b;
	size_t i;

	if (*s == '\0' || stat(s, &a) != 0)
		return 0;
	for (i = 0; i < p->n; i++)
		if (stat(p->v[i], &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			return 1;
	return 0;
}

static int
add_path(struct paths *p, const char *s)
{
	char **v;
	size_t cap;

	/* Each organization is read, and audited, once. */
	if (listed(p, s))
		return 0;
	if (p->n == p->cap) {
		cap = p->cap ? p->cap * 2 : 8;
		if ((v = ctp_realloc(p->v, cap * sizeof(*v))) == NULL)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	if ((p->v[p->n] = ctp_strdup(s)) == NULL)
		return -1;
	p->n++;
	return 0;
}

static void
free_paths(struct paths *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.db file in dir, in name order. */
static int
add_dir(struct paths *p, const char *dir, struct ctp_error *e)
{
	DIR *d;
	struct dirent *de;
	struct stat sb;
	size_t first = p->n, found = 0, len;
	char *path;

	if ((d = opendir(dir)) == NULL)
		return ctp_errf(e, CTP_NOINPUT, dir, "cannot read directory");
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 3, ".db") != 0 ||
		    de->d_name[0] == '.')
			continue;
		if ((path = ctp_asprintf("%s/%s", dir, de->d_name)) == NULL) {
			closedir(d);
			return ctp_err_nomem(e, dir);
		}
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			found++;
			if (add_path(p, path) < 0) {
				free(path);
				closedir(d);
				return ctp_err_nomem(e, dir);
			}
		}
		free(path);
	}
	closedir(d);
	if (found == 0)
		return ctp_errf(e, CTP_NOINPUT, dir, "no *.db files");
	qsort(p->v + first, p->n - first, sizeof(p->v[0]), cmp_str);
	return 0;
}

static int
add_db(struct paths *p, const char *arg, struct ctp_error *e)
{
	struct stat sb;

	if (stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode))
		return add_dir(p, arg, e);
	if (add_path(p, arg) < 0)
		return ctp_err_nomem(e, arg);
	return 0;
}

/*
 * List c's organization to stdout as it is read.  0, -1 (dates stored
 * in other forms: nothing written, l freed for ctp_expiring_collect) or
 * e->code.  SIGPIPE waits until the read is audited: a reader that stops
 * early ends the run as before, with what was listed in the log.
 */
static int
stream_org(struct ctp_ctx *c, const struct ctp_exp_query *q,
    struct ctp_exp_list *l, enum ctp_fmt fmt, struct ctp_error *e)
{
	static char outbuf[256 * 1024];
	struct ctp_out *o;
	sigset_t sigpipe, old;
	int rc;

	/* Nothing written yet: a listing of 25 MB in large writes. */
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if ((o = ctp_out_new(stdout, fmt, ctp_expiring_columns,
	    CTP_EXPIRING_NCOLUMNS, 0)) == NULL)
		return ctp_err_nomem(e, "output");
	sigemptyset(&sigpipe);
	sigaddset(&sigpipe, SIGPIPE);
	sigprocmask(SIG_BLOCK, &sigpipe, &old);
	/* One thread: the stream's lock held once, not per row. */
	flockfile(stdout);
	rc = ctp_expiring_stream(c, q, l, o, e);
	funlockfile(stdout);
	if (rc == 0)
		rc = ctp_out_close(o, e);
	else
		ctp_out_free(o);
	if (rc == 0 && (fflush(stdout) == EOF || ferror(stdout)))
		rc = ctp_errf(e, CTP_IOERR, "stdout", "write error");
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc < 0) {
		ctp_expiring_free(l);
		ctp_expiring_init(l);
		ctp_error_clear(e);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "coordinator", required_argument, NULL, 'c' },
		{ "csv", no_argument, NULL, 'C' },
		{ "db", required_argument, NULL, 'd' },
		{ "fail-if-any", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "kind", required_argument, NULL, 'k' },
		{ "mine", no_argument, NULL, 'm' },
		{ "overdue", no_argument, NULL, 'o' },
		{ "version", no_argument, NULL, 'V' },
		{ "within", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_exp_query q = { CTP_EXP_TODAY, -1, 0, 0, NULL };
	struct ctp_exp_list l;
	struct ctp_error e;
	struct ctp_ctx *c;
	static char outbuf[256 * 1024];
	struct ctp_out *o;
	enum ctp_fmt fmt;
	struct paths dbs = { NULL, 0, 0 };
	char *me = NULL;
	unsigned bit;
	size_t i, nread = 0;
	long bad;
	int ch, json = 0, csv = 0, mine = 0, fail_if_any = 0, rc = 0, rc2;
	int stream;

	ctp_tune_reader();	/* before SQLite's first use */
	ctp_cli_init(argv[0]);
	ctp_error_clear(&e);
	while ((ch = getopt_long(argc, argv, "a:c:d:fhjk:moVw:", opts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'a':
			if (ctp_parse_as_of(optarg, &q.as_of) < 0) {
				free_paths(&dbs);
				return ctp_cli_usage(synopsis,
				    "--as-of: not a date (YYYY-MM-DD)");
			}
			break;
		case 'c':
			q.coordinator = optarg;
			break;
		case 'C':
			csv = 1;
			break;
		case 'd':
			if (*optarg == '\0') {
				free_paths(&dbs);
				return ctp_cli_usage(synopsis,
				    "--db: empty path");
			}
			if (add_db(&dbs, optarg, &e) != 0) {
				free_paths(&dbs);
				return ctp_cli_fail(&e);
			}
			break;
		case 'f':
			fail_if_any = 1;
			break;
		case 'h':
			free_paths(&dbs);
			help();
			return ctp_cli_finish(0);
		case 'j':
			json = 1;
			break;
		case 'k':
			if ((bit = ctp_expiring_kind(optarg)) == 0) {
				free_paths(&dbs);
				return ctp_cli_usage(synopsis, "--kind: unknown "
				    "kind: %s (one of %s)", optarg,
				    ctp_expiring_kind_names());
			}
			q.kinds |= bit;
			break;
		case 'm':
			mine = 1;
			break;
		case 'o':
			q.overdue = 1;
			break;
		case 'V':
			free_paths(&dbs);
			return ctp_cli_version();
		case 'w':
			if (ctp_parse_long(optarg, 0, CTP_EXP_MAX_WITHIN,
			    &q.within) < 0) {
				free_paths(&dbs);
				return ctp_cli_usage(synopsis, "--within: must "
				    "be a whole number of days from 0 to %d",
				    CTP_EXP_MAX_WITHIN);
			}
			break;
		default:
			free_paths(&dbs);
			return ctp_cli_usage(synopsis, NULL);
		}
	}
	if (optind != argc) {
		free_paths(&dbs);
		return ctp_cli_usage(synopsis, "unexpected argument: %s",
		    argv[optind]);
	}
	if (mine && q.coordinator != NULL) {
		free_paths(&dbs);
		return ctp_cli_usage(synopsis,
		    "--mine and --coordinator exclude each other");
	}
	if (mine) {
		if (ctp_identity(&me, &e) != 0) {
			free_paths(&dbs);
			return ctp_cli_fail(&e);
		}
		q.coordinator = me;
	}
	/* No --db: the one default organization. */
	if (dbs.n == 0 && add_path(&dbs, "") < 0) {
		free(me);
		ctp_err_nomem(&e, "expiring");
		return ctp_cli_fail(&e);
	}

	/*
	 * One organization is written as it is read, with no list of every
	 * item to sort; several are merged from a list.  --fail-if-any must
	 * know first whether anything is listed, and a table must see every
	 * row before the first.
	 */
	fmt = ctp_out_choose(json, csv, stdout);
	stream = dbs.n == 1 && !fail_if_any && fmt != CTP_FMT_TABLE;
	ctp_expiring_init(&l);
	for (i = 0; i < dbs.n; i++) {
		ctp_error_clear(&e);
		if (ctp_ctx_open(&c, ctp_progname, *dbs.v[i] ? dbs.v[i] : NULL,
		    CTP_PERM_READ, &e) == 0) {
			bad = l.bad_dates;
			rc2 = -1;
			if (stream && (rc2 = stream_org(c, &q, &l, fmt,
			    &e)) < 0)
				stream = 0;
			if (rc2 < 0)
				rc2 = ctp_expiring_collect(c, &q, &l, &e);
			if (rc2 == 0) {
				nread++;
				if (l.bad_dates > bad)
					ctp_warnx("%s: %ld %s skipped: a date "
					    "that is not a date (see "
					    "ctp-roster)", c->path,
					    l.bad_dates - bad, ctp_plural(
					    l.bad_dates - bad, "row", "rows"));
			}
			ctp_ctx_close(c);
		}
		if (e.code == 0)
			continue;
		/*
		 * An organization that cannot be read is named and skipped;
		 * a refusal (no seat) is the expected case across clients.
		 */
		if (strstr(e.where, *dbs.v[i] ? dbs.v[i] : "\n") != NULL ||
		    !*dbs.v[i])
			ctp_cli_fail(&e);
		else
			ctp_warnx("%s: %s%s%s", dbs.v[i], e.where,
			    *e.where ? ": " : "", e.what);
		if (rc == 0 || (rc == CTP_NOPERM && e.code != CTP_NOPERM))
			rc = e.code;
	}
	free_paths(&dbs);
	if (nread == 0) {
		ctp_expiring_free(&l);
		free(me);
		return rc ? rc : CTP_NOPERM;
	}
	/*
	 * What could be read is listed; the status still says that an
	 * organization could not be (77 when it refused the caller), so
	 * that cron notices a client left out.
	 */

	ctp_error_clear(&e);
	if (stream) {
		ctp_expiring_free(&l);
		free(me);
		return ctp_cli_finish(rc);
	}
	/* For cron: nothing printed, nothing mailed. */
	if (fail_if_any && l.n == 0) {
		ctp_expiring_free(&l);
		free(me);
		return ctp_cli_finish(rc);
	}
	if (ctp_expiring_sort(&l, &e) != 0)
		goto fail;
	/*
	 * Nothing has been written to stdout yet: a large buffer makes a
	 * listing of 25 MB a hundred writes to the pipe, not six thousand.
	 */
	if (fmt != CTP_FMT_TABLE)
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	o = ctp_out_new(stdout, fmt, ctp_expiring_columns,
	    CTP_EXPIRING_NCOLUMNS, 0);
	if (o == NULL) {
		ctp_err_nomem(&e, "output");
		goto fail;
	}
	/*
	 * Hold the stream's lock for the whole listing: the per-call locks
	 * of a quarter of a million rows otherwise cost a tenth of a second.
	 */
	flockfile(stdout);
	rc2 = ctp_expiring_write(&l, o, &e);
	funlockfile(stdout);
	if (rc2 != 0) {
		ctp_out_free(o);
		goto fail;
	}
	if (ctp_out_close(o, &e) != 0)
		goto fail;
	if (rc == 0 && fail_if_any && l.n > 0)
		rc = CTP_ATTN;
	ctp_expiring_free(&l);
	free(me);
	return ctp_cli_finish(rc);
fail:
	ctp_expiring_free(&l);
	free(me);
	return ctp_cli_fail(&e);
}
