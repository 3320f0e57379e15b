/*
 * Unit tests for lib/outfile.c: refusals (existing file, symlink, input,
 * hard link to an input, directory, device), mode 0600 whatever the umask,
 * the temporary file renamed on commit and removed on abort or failure.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"
#include "outfile.h"
#include "tap.h"

static char dir[] = "/tmp/ctp-outfile.XXXXXX";

static char *
at(const char *name)
{
	static char p[2][256];
	static int k;

	k = !k;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static void
put(const char *name, const char *text)
{
	FILE *f = fopen(at(name), "w");

	fputs(text, f);
	fclose(f);
}

static const char *
get(const char *name)
{
	static char buf[256];
	FILE *f = fopen(at(name), "r");
	size_t n;

	if (f == NULL)
		return "(none)";
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Entries of the directory whose name starts with a dot (temporaries). */
static int
temporaries(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") &&
		    strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int
mode(const char *name)
{
	struct stat st;

	return lstat(at(name), &st) < 0 ? -1 : (int)(st.st_mode & 07777);
}

/* Write text to name through the helper; the exit code. */
static int
write_out(const char *name, int flags, const char *const *in, size_t n,
    const char *text, struct ctp_error *e)
{
	struct ctp_outfile *o;
	int rc;

	ctp_error_clear(e);
	if ((rc = ctp_outfile_open(&o, at(name), flags, in, n, e)) != 0)
		return rc;
	fputs(text, ctp_outfile_fp(o));
	return ctp_outfile_commit(o, e);
}

int
main(void)
{
	struct ctp_outfile *o;
	struct ctp_error e;
	const char *in[3];
	mode_t old;

	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp: cannot make a scratch directory\n");
		return 1;
	}

	/* A new file: written, 0600 even under umask 022 or 0277. */
	old = umask(022);
	is_int(write_out("a.csv", 0, NULL, 0, "one\n", &e), 0, "new file");
	is_str(get("a.csv"), "one\n", "its content");
	is_int(mode("a.csv"), 0600, "mode 0600 under umask 022");
	umask(0277);
	is_int(write_out("b.csv", 0, NULL, 0, "two\n", &e), 0,
	    "new file under umask 0277");
	is_int(mode("b.csv"), 0600, "mode 0600 under umask 0277");
	umask(0);
	is_int(write_out("c.csv", 0, NULL, 0, "three\n", &e), 0,
	    "new file under umask 0");
	is_int(mode("c.csv"), 0600, "mode 0600 under umask 0");
	umask(old);
	is_int(temporaries(), 0, "no temporary file left");

	/* An existing file: refused without force, replaced with it. */
	is_int(write_out("a.csv", 0, NULL, 0, "new\n", &e), 73,
	    "existing file refused: 73");
	is_str(e.what, "exists: use --force to replace it", "message says how");
	is_str(e.where, at("a.csv"), "and names the file");
	is_str(get("a.csv"), "one\n", "existing file untouched");
	is_int(temporaries(), 0, "nothing created");
	chmod(at("a.csv"), 0644);
	is_int(write_out("a.csv", CTP_OUTFILE_FORCE, NULL, 0, "new\n", &e), 0,
	    "replaced with force");
	is_str(get("a.csv"), "new\n", "new content");
	is_int(mode("a.csv"), 0600, "a replaced 0644 file is 0600");

	/* A symbolic link: never followed, even with force. */
	put("target", "secret\n");
	symlink(at("target"), at("link.csv"));
	is_int(write_out("link.csv", 0, NULL, 0, "x\n", &e), 73,
	    "symlink refused");
	is_str(e.what, "is a symbolic link: not followed", "link message");
	is_int(write_out("link.csv", CTP_OUTFILE_FORCE, NULL, 0, "x\n", &e),
	    73, "symlink refused with force");
	is_str(get("target"), "secret\n", "its target untouched");
	ok(mode("link.csv") >= 0 && readlink(at("link.csv"), (char[8]){ 0 },
	    8) > 0, "the link is still a link");
	symlink(at("nowhere"), at("dangling.csv"));
	is_int(write_out("dangling.csv", CTP_OUTFILE_FORCE, NULL, 0, "x\n", &e),
	    73, "dangling symlink refused");
	is_str(get("nowhere"), "(none)", "nothing created through it");

	/* One of the inputs, by device and inode, even with force. */
	put("in.csv", "input\n");
	put("map.csv", "map\n");
	in[0] = at("in.csv");
	in[1] = NULL;
	in[2] = at("map.csv");
	is_int(write_out("in.csv", CTP_OUTFILE_FORCE, in, 3, "x\n", &e), 73,
	    "the input itself refused");
	is_str(e.what, "is one of the input files", "input message");
	is_int(write_out("map.csv", CTP_OUTFILE_FORCE, in, 3, "x\n", &e), 73,
	    "the map refused");
	link(at("in.csv"), at("hard.csv"));
	is_int(write_out("hard.csv", CTP_OUTFILE_FORCE, in, 3, "x\n", &e), 73,
	    "a hard link to the input refused");
	is_str(e.what, "is one of the input files", "hard link message");
	is_str(get("in.csv"), "input\n", "the input untouched");
	is_str(get("map.csv"), "map\n", "the map untouched");
	in[0] = "../no/such/input";
	is_int(write_out("out.csv", 0, in, 1, "x\n", &e), 0,
	    "an input that cannot be read is no obstacle");

	/* Not a regular file. */
	is_int(write_out("", CTP_OUTFILE_FORCE, NULL, 0, "x\n", &e), 73,
	    "a directory (trailing slash)");
	mkdir(at("sub"), 0700);
	is_int(write_out("sub", CTP_OUTFILE_FORCE, NULL, 0, "x\n", &e), 73,
	    "a directory");
	is_str(e.what, "is a directory", "directory message");
	ctp_error_clear(&e);
	is_int(ctp_outfile_open(&o, "/dev/null", CTP_OUTFILE_FORCE, NULL, 0,
	    &e), 73, "/dev/null refused, even with force");
	is_str(e.what, "not a regular file", "device message");
	ok(o == NULL, "no outfile on a refusal");
	is_int(write_out("no/such/dir/x.csv", 0, NULL, 0, "x\n", &e), 73,
	    "a missing directory: 73");
	is_str(e.what, "cannot create: No such file or directory",
	    "with the reason");

	/* Abort: nothing left.  A file that appears meanwhile stays. */
	ctp_error_clear(&e);
	is_int(ctp_outfile_open(&o, at("gone.csv"), 0, NULL, 0, &e), 0,
	    "open");
	fputs("x\n", ctp_outfile_fp(o));
	is_int(temporaries(), 1, "a temporary file while it is written");
	ok(strncmp(ctp_outfile_path(o), dir, strlen(dir)) == 0, "path kept");
	ctp_outfile_abort(o);
	is_str(get("gone.csv"), "(none)", "abort: no file");
	is_int(temporaries(), 0, "abort: no temporary file");
	ctp_outfile_abort(NULL);
	is_int(ctp_outfile_open(&o, at("race.csv"), 0, NULL, 0, &e), 0,
	    "open");
	fputs("mine\n", ctp_outfile_fp(o));
	put("race.csv", "theirs\n");
	is_int(ctp_outfile_commit(o, &e), 73,
	    "a file that appeared meanwhile is not replaced");
	is_str(get("race.csv"), "theirs\n", "it is untouched");
	is_int(temporaries(), 0, "and the temporary file is removed");
	is_int(ctp_outfile_open(&o, at("race2.csv"), CTP_OUTFILE_FORCE, NULL,
	    0, &e), 0, "open with force");
	symlink(at("target"), at("race2.csv"));
	is_int(ctp_outfile_commit(o, &e), 73,
	    "a link that appeared meanwhile is refused, even with force");
	is_str(get("target"), "secret\n", "its target untouched");
	is_int(temporaries(), 0, "no temporary file");

	/* Out of memory: nothing created. */
	ctp_mem_fail_after(1);
	is_int(ctp_outfile_open(&o, at("oom.csv"), 0, NULL, 0, &e), 70,
	    "out of memory: 70");
	ctp_mem_fail_after(0);
	is_int(temporaries(), 0, "nothing created");

	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
	return done_testing();
}
