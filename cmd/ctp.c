/* ctp - run ctp-NAME: "ctp import x.csv" is "ctp-import x.csv". */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "err.h"
#include "orgs.h"
#include "out.h"

static const char synopsis[] =
    "ctp [--version] [--help] [--org NAME|--db FILE] COMMAND [ARGS...]"
    " | ctp help [COMMAND]\n"
    "       ctp orgs [--json|--csv|--names]";

static const char *const commands[][2] = {
	{ "audit", "view, export and verify the audit log" },
	{ "credential", "licenses, DEA, boards, malpractice and more" },
	{ "doc", "documents providers send: add, intake, get, extract" },
	{ "expiring", "what expires or falls due, and when" },
	{ "import", "bulk import of a roster file" },
	{ "init", "create an organization database" },
	{ "npi", "check the roster against the NPI registry" },
	{ "org", "organization settings" },
	{ "psv", "the primary-source verification log and queue" },
	{ "recred", "re-credentialing cycles and document requests" },
	{ "review", "the review queue: documents and values read from them" },
	{ "enroll", "payer enrollments and their follow-ups" },
	{ "invoice", "invoices of each organization for a month" },
	{ "today", "the morning dashboard" },
	{ "roster", "providers, their records and history" },
	{ "screen", "OIG LEIE and SAM.gov exclusion screening" },
	{ "user", "users, roles and invitations" },
	{ "verify", "run the verifiers of providers' credentials" },
	{ "package", "credential packages for payers, and their check" },
	{ "orgs", "the organizations in the data directory, your role" },
};

/* 1 when name is one of the commands. */
static int
known(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i][0], name) == 0)
			return 1;
	return 0;
}

static int
valid_name(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return 0;
	return 1;
}

static void
list(FILE *f)
{
	size_t i;

	fprintf(f, "usage: %s\n\ncommands:\n", synopsis);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-11s %s\n", commands[i][0], commands[i][1]);
	fprintf(f, "\n'ctp help COMMAND' shows a command's manual page;"
	    " 'man 7 ctp' the concepts.\n");
}

/*
 * ctp orgs: the organizations of the data directory in which the caller
 * has a role (--names: their short names only, for the completions).
 */
static int
orgs(int argc, char **argv)
{
	struct ctp_error e;
	struct ctp_out *o;
	int json = 0, csv = 0, names = 0, i;

	ctp_error_clear(&e);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0)
			json = 1;
		else if (strcmp(argv[i], "--csv") == 0)
			csv = 1;
		else if (strcmp(argv[i], "--names") == 0)
			names = 1;
		else
			return ctp_cli_usage(synopsis, "orgs: unknown "
			    "argument: %s", argv[i]);
	}
	if (json + csv + names > 1)
		return ctp_cli_usage(synopsis, "orgs: one of --json, --csv "
		    "and --names");
	/* --names: the first column alone, one a line. */
	o = ctp_out_new(stdout, names ? CTP_FMT_CSV : ctp_out_choose(json,
	    csv, stdout), ctp_orgs_columns, names ? 1 : CTP_ORGS_NCOLUMNS,
	    names ? CTP_OUT_NOHEADER : 0);
	if (o == NULL)
		return ctp_cli_fail(&e);
	if (ctp_orgs_list(o, &e) != 0) {
		ctp_out_free(o);
		return ctp_cli_fail(&e);
	}
	if (ctp_out_close(o, &e) != 0)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(0);
}

/* Run ctp-NAME from our own directory if it is there, else from PATH. */
static int
run(const char *name, char **argv)
{
	char self[PATH_MAX], prog[PATH_MAX + 80], *slash;
	ssize_t n;

	snprintf(prog, sizeof(prog), "ctp-%s", name);
	argv[0] = prog;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			char path[PATH_MAX + 100];
			snprintf(path, sizeof(path), "%s/ctp-%s", self, name);
			if (access(path, X_OK) == 0) {
				execv(path, argv);
				ctp_warnx("%s: %s", path, strerror(errno));
				return CTP_SOFTWARE;
			}
		}
	}
	execvp(prog, argv);
	if (errno == ENOENT) {
		ctp_warnx("'%s' is not a ctp command (see 'ctp help')", name);
		return CTP_USAGE;
	}
	ctp_warnx("%s: %s", prog, strerror(errno));
	return CTP_SOFTWARE;
}

/*
 * Open the page beside the program when there is one (a build tree:
 * bin/../../man, or an install: bin/../share/man), else ask man(1).
 */
static void
man_page(const char *page)
{
	static const char *const rel[] = { "../../man/%s.1",
	    "../share/man/man1/%s.1" };
	char self[PATH_MAX], path[PATH_MAX + 200], *slash;
	ssize_t n;
	size_t i;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL)
			slash[1] = '\0';
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(path, sizeof(path), "%s", self);
			snprintf(path + strlen(path), sizeof(path) -
			    strlen(path), rel[i], page);
			if (access(path, R_OK) == 0)
				execlp("man", "man", "-l", path, (char *)NULL);
		}
	}
	execlp("man", "man", page, (char *)NULL);
}

int
main(int argc, char **argv)
{
	char page[100];
	int k;

	ctp_cli_init(argc, argv);
	/* ctp --org NAME COMMAND (now --db PATH): for the command. */
	while (argc > 2 && (strcmp(argv[1], "--db") == 0 ||
	    strncmp(argv[1], "--db=", 5) == 0)) {
		k = argv[1][4] == '=' ? 1 : 2;
		setenv("CTP_DB", k == 1 ? argv[1] + 5 : argv[2], 1);
		argv += k;
		argc -= k;
	}
	if (argc < 2) {
		list(stderr);
		return CTP_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return ctp_cli_version();
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    (strcmp(argv[1], "help") == 0 && argc == 2)) {
		list(stdout);
		return ctp_cli_finish(0);
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc != 3)
			return ctp_cli_usage(synopsis, "help takes one command");
		/* man's own status (16, 1) would say nothing to a script. */
		if (!valid_name(argv[2]))
			return ctp_cli_usage(synopsis, "not a command name");
		if (!known(argv[2]))
			return ctp_cli_usage(synopsis, "'%s' is not a ctp command "
			    "(see 'ctp help')", argv[2]);
		/* ctp orgs is ctp's own: ctp(1). */
		snprintf(page, sizeof(page), strcmp(argv[2], "orgs") == 0 ?
		    "ctp" : "ctp-%s", argv[2]);
		man_page(page);
		ctp_warnx("cannot run man: %s (try 'ctp-%s --help')",
		    strerror(errno), argv[2]);
		return CTP_SOFTWARE;
	}
	if (strcmp(argv[1], "orgs") == 0)
		return orgs(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		return ctp_cli_usage(synopsis, "unknown option: %s", argv[1]);
	if (!valid_name(argv[1]))
		return ctp_cli_usage(synopsis, "not a command: %s", argv[1]);
	return run(argv[1], argv + 1);
}
