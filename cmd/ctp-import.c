/* ctp-import - validated, all-or-nothing bulk import of a roster file. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"
#include "date.h"
#include "import.h"
#include "input.h"
#include "tune.h"

static const char synopsis[] =
    "ctp-import [--as-of DATE] [--db FILE] [--dry-run] "
    "[--encoding utf-8|windows-1252|latin1] [--force] [--map FILE] "
    "[--partial] [--rejects FILE] FILE|-";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "Import providers and their credentials from a roster file\n"
	    "(CSV with a header row, or JSON Lines).  Nothing is written\n"
	    "unless every row is good, or with --partial or --rejects the\n"
	    "good rows.\n\n"
	    "      --as-of DATE      today, for the age check\n"
	    "  -d, --db FILE         organization database\n"
	    "  -n, --dry-run         validate and report, write nothing\n"
	    "  -e, --encoding ENC    utf-8, windows-1252 or latin1 "
	    "(default: detect)\n"
	    "  -f, --force           let --rejects replace an existing file\n"
	    "  -m, --map FILE        CSV of source header, canonical name\n"
	    "  -p, --partial         write the good rows even if some fail\n"
	    "  -r, --rejects FILE    write the good rows, and the rejected\n"
	    "                        ones to FILE with an errors column\n"
	    "  -h, --help            this help\n"
	    "  -V, --version         print the version\n\n"
	    "Columns:", synopsis);
	for (int i = 0; ctp_import_columns[i]; i++)
		printf("%s%s", i % 6 ? " " : "\n  ", ctp_import_columns[i]);
	printf("\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'A' },
		{ "db", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "map", required_argument, NULL, 'm' },
		{ "partial", no_argument, NULL, 'p' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctp_import_opts o;
	struct ctp_import_stats s;
	struct ctp_error e;
	struct ctp_ctx *c;
	const char *db = NULL;
	char line[512];
	int ch, rc;

	ctp_tune_bulk_writer(0);	/* before SQLite's first use */
	ctp_cli_init(argc, argv);
	ctp_error_clear(&e);
	memset(&o, 0, sizeof(o));
	o.enc = CTP_ENC_AUTO;
	o.as_of = -1;
	o.msg = stderr;
	while ((ch = getopt_long(argc, argv, "d:e:fhm:npr:V", opts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'A':
			if (ctp_parse_as_of(optarg, &o.as_of) < 0)
				return ctp_cli_usage(synopsis, "--as-of: not a "
				    "date");
			break;
		case 'd':
			db = optarg;
			break;
		case 'e':
			if ((o.enc = ctp_encoding_parse(optarg)) < 0)
				return ctp_cli_usage(synopsis, "--encoding: "
				    "utf-8, windows-1252 or latin1");
			break;
		case 'f':
			o.force = 1;
			break;
		case 'h':
			help();
			return ctp_cli_finish(0);
		case 'm':
			o.map = optarg;
			break;
		case 'n':
			o.dry_run = 1;
			break;
		case 'p':
			o.partial = 1;
			break;
		case 'r':
			o.rejects = optarg;
			break;
		case 'V':
			return ctp_cli_version();
		default:
			return ctp_cli_usage(synopsis, NULL);
		}
	}
	if (argc - optind > 1)
		return ctp_cli_usage(synopsis, "one file at a time");
	o.path = optind < argc ? argv[optind] : "-";
	if (strcmp(o.path, "-") == 0 && isatty(STDIN_FILENO))
		return ctp_cli_usage(synopsis, "standard input is a terminal: "
		    "name a file or pipe one in");
	if (ctp_ctx_open(&c, ctp_progname, db, CTP_PERM_WORK, &e))
		return ctp_cli_fail(&e);
	rc = ctp_import(c, &o, &s, &e);
	ctp_ctx_close(c);
	/* After a commit an error (the rejects file) does not hide it. */
	if (rc == 0 || rc == CTP_ATTN || s.written) {
		ctp_import_summary(&o, &s, line, sizeof(line));
		fprintf(stderr, "%s: %s: %s\n", ctp_progname,
		    strcmp(o.path, "-") ? o.path : "stdin", line);
	}
	if (rc != 0 && rc != CTP_ATTN)
		return ctp_cli_fail(&e);
	return ctp_cli_finish(rc);
}
