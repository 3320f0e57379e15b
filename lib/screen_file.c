/*
 * screen_file.c - a list file read record by record (screen_file.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <zip.h>

#include "buf.h"
#include "csvio.h"
#include "lines.h"
#include "mem.h"
#include "screen_file.h"

/* ------------------------------------------------------------------ */
/*
 * Lines from a plain file or from the CSV inside a ZIP, through the one
 * line reader (lines.c): memory stays the same for a list of any size.
 * A line of LIST_LINE_MAX bytes or more is an error, not a reason to
 * grow; a ZIP member may not expand past ZIP_RATIO_MAX times its
 * compressed size, nor past ZIP_SIZE_MAX, whatever its sizes say
 * (list_read counts it).
 */

#define LIST_LINE_MAX (1 << 20)
#define LINES_CHUNK 65536
#define ZIP_RATIO_MAX 200
#define ZIP_SIZE_MAX ((zip_uint64_t)2 << 30)

enum { LINES_IO = 1, LINES_NOMEM, LINES_ZIP, LINES_LONG, LINES_BOMB };

static ssize_t list_read(void *, char *, size_t);

void
ctp_screen_file_close(struct ctp_screen_file *ls)
{
	if (ls->zf)
		zip_fclose(ls->zf);
	if (ls->za)
		zip_discard(ls->za);
	if (ls->f)
		fclose(ls->f);
	ctp_lines_free(&ls->lines);
	memset(ls, 0, sizeof(*ls));
}

/*
 * The member's expansion limit, from the sizes the ZIP declares (its
 * compressed size no larger than the file): refused here when its
 * declared size is already past it.
 */
static int
zip_limit(struct ctp_screen_file *ls, zip_uint64_t i, const char *path,
    struct ctp_error *e)
{
	zip_stat_t zs;
	struct stat sb;
	zip_uint64_t comp;

	comp = stat(path, &sb) == 0 ? (zip_uint64_t)sb.st_size : 0;
	zip_stat_init(&zs);
	if (zip_stat_index(ls->za, i, 0, &zs) == 0 &&
	    (zs.valid & ZIP_STAT_COMP_SIZE) && zs.comp_size < comp)
		comp = zs.comp_size;
	ls->limit = comp > ZIP_SIZE_MAX / ZIP_RATIO_MAX ? ZIP_SIZE_MAX :
	    comp * ZIP_RATIO_MAX;
	if ((zs.valid & ZIP_STAT_SIZE) && zs.size > ls->limit)
		return ctp_errf(e, CTP_DATAERR, path, "refused: the CSV inside "
		    "the ZIP expands from %llu to %llu bytes (the limit is %d "
		    "times its compressed size, at most 2 GB)",
		    (unsigned long long)comp, (unsigned long long)zs.size,
		    ZIP_RATIO_MAX);
	return 0;
}

/* Open path; a file starting "PK\3\4" is read as a ZIP holding a CSV. */
int
ctp_screen_file_open(struct ctp_screen_file *ls, const char *path, int zip_ok,
    struct ctp_error *e)
{
	unsigned char magic[4] = { 0 };
	zip_int64_t i, n;
	const char *nm;
	size_t l;
	int zerr, rc;

	memset(ls, 0, sizeof(*ls));
	if ((ls->f = fopen(path, "rb")) == NULL)
		return ctp_errf(e, errno == ENOENT ? CTP_NOINPUT : CTP_IOERR,
		    path, "%s", strerror(errno));
	ctp_lines_init(&ls->lines, list_read, ls, LINES_CHUNK, LIST_LINE_MAX);
	if (fread(magic, 1, 4, ls->f) != 4 || memcmp(magic, "PK\3\4", 4) != 0) {
		rewind(ls->f);
		return 0;
	}
	fclose(ls->f);
	ls->f = NULL;
	if (!zip_ok)
		return ctp_errf(e, CTP_DATAERR, path, "a ZIP file, expected "
		    "CSV");
	if ((ls->za = zip_open(path, ZIP_RDONLY, &zerr)) == NULL)
		return ctp_errf(e, CTP_DATAERR, path, "not a readable ZIP file "
		    "(truncated or damaged)");
	n = zip_get_num_entries(ls->za, 0);
	for (i = 0; i < n; i++) {
		if ((nm = zip_get_name(ls->za, (zip_uint64_t)i, 0)) == NULL)
			continue;
		l = strlen(nm);
		if (l > 4 && strcasecmp(nm + l - 4, ".csv") == 0 &&
		    strchr(nm, '/') == NULL)
			break;
	}
	if (i >= n) {
		ctp_screen_file_close(ls);
		return ctp_errf(e, CTP_DATAERR, path, "no CSV file inside the "
		    "ZIP");
	}
	if ((rc = zip_limit(ls, (zip_uint64_t)i, path, e)) != 0) {
		ctp_screen_file_close(ls);
		return rc;
	}
	if ((ls->zf = zip_fopen_index(ls->za, (zip_uint64_t)i, 0)) == NULL) {
		ctp_screen_file_close(ls);
		return ctp_errf(e, CTP_DATAERR, path, "cannot read the CSV "
		    "inside the ZIP");
	}
	return 0;
}

/*
 * The source under the line reader: the plain file, or the ZIP member
 * counted against its expansion limit.  -1 with ls->err saying why.
 */
static ssize_t
list_read(void *arg, char *buf, size_t want)
{
	struct ctp_screen_file *ls = arg;
	size_t got;
	zip_int64_t z;

	if (ls->f) {
		got = fread(buf, 1, want, ls->f);
		if (got == 0 && ferror(ls->f)) {
			ls->err = LINES_IO;
			return -1;
		}
		return (ssize_t)got;
	}
	if ((z = zip_fread(ls->zf, buf, want)) < 0) {
		ls->err = LINES_ZIP;
		return -1;
	}
	if ((ls->got += (zip_uint64_t)z) > ls->limit) {
		ls->err = LINES_BOMB;
		return -1;
	}
	return (ssize_t)z;
}

/* Next line with its ending: length, 0 at the end, -1 on error. */
static ssize_t
lines_next(struct ctp_screen_file *ls, char **out)
{
	size_t n;
	int r;

	if ((r = ctp_lines_next(&ls->lines, out, &n)) > 0)
		return (ssize_t)n;
	if (r < 0 && ls->lines.err == CTP_LINES_NOMEM)
		ls->err = LINES_NOMEM;
	else if (r < 0 && ls->lines.err == CTP_LINES_LONG)
		ls->err = LINES_LONG;
	return r;
}

/* ------------------------------------------------------------------ */
/* Records: strict RFC 4180 through ctp_csvp, with one documented
 * leniency for SAM files (ctp_csv_split_lenient). */

/*
 * UTF-16, as Excel's "Unicode text" writes it: a byte order mark, or
 * ASCII with every other byte NUL.
 */
static int
utf16(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n >= 2 && ((u[0] == 0xff && u[1] == 0xfe) ||
	    (u[0] == 0xfe && u[1] == 0xff)))
		return 1;
	return n >= 2 && (u[0] == 0) != (u[1] == 0);
}

static int
lines_error(const struct ctp_screen_file *ls, const char *name, size_t lineno,
    struct ctp_error *e)
{
	char where[300];

	switch (ls->err) {
	case LINES_NOMEM:
		return ctp_err_nomem(e, name);
	case LINES_ZIP:
		return ctp_errf(e, CTP_DATAERR, name, "the CSV inside the ZIP "
		    "is damaged or truncated");
	case LINES_LONG:
		snprintf(where, sizeof(where), "%s:%zu", name, lineno);
		return ctp_errf(e, CTP_DATAERR, where, "a line longer than "
		    "1 MB: not a list file?");
	case LINES_BOMB:
		return ctp_errf(e, CTP_DATAERR, name, "refused: the CSV inside "
		    "the ZIP expands past %d times its compressed size (or "
		    "2 GB), more than its stated size", ZIP_RATIO_MAX);
	default:
		return ctp_errf(e, CTP_IOERR, name, "read error");
	}
}

/*
 * What neither CSV parser would say of line (n bytes, line number
 * lineno): UTF-16 text; a NUL byte (a quoted field keeps the bytes after
 * it from the C string, libcsv calls it a stray quote).  A UTF-8 byte
 * order mark is skipped.
 */
static int
text_line(char **line, ssize_t *n, size_t lineno, const char *name,
    struct ctp_error *e)
{
	char where[300];

	if (lineno == 1 && utf16(*line, (size_t)*n))
		return ctp_errf(e, CTP_DATAERR, name, "UTF-16 text: save the "
		    "file as CSV UTF-8 or CSV (comma delimited)");
	if (lineno == 1 && *n >= 3 && memcmp(*line, "\xef\xbb\xbf", 3) == 0) {
		*line += 3;
		*n -= 3;
	}
	if (memchr(*line, '\0', (size_t)*n) != NULL) {
		snprintf(where, sizeof(where), "%s:%zu", name, lineno);
		return ctp_errf(e, CTP_DATAERR, where,
		    "NUL byte: not a text file");
	}
	return 0;
}

/* Every record the parser has whole, to fn; raw is emptied. */
static int
pop_records(struct ctp_csvp *p, ctp_screen_rec_fn fn, void *arg,
    struct ctp_buf *raw)
{
	struct ctp_csvrec *rec;
	int rc = 0;

	while (ctp_csvp_pop(p, &rec) == 1) {
		if (rc == 0)
			rc = fn(arg, rec->f, rec->nf, rec->line);
		free(rec);
		ctp_buf_reset(raw);
	}
	return rc;
}

int
ctp_screen_file_records(struct ctp_screen_file *ls, const char *name,
    int lenient, ctp_screen_rec_fn fn, void *arg, struct ctp_error *e)
{
	struct ctp_csvp *p;
	struct ctp_buf raw = CTP_BUF_INIT;
	char *line, *f[CTP_SCREEN_MAXF];
	ssize_t n;
	size_t lineno = 0, start = 0, nf, i, recstart = 0, recbytes = 0;
	int rc = 0, inq = 0;
	char where[300];

	if ((p = ctp_csvp_new(0)) == NULL)
		return ctp_err_nomem(e, name);
	while ((n = lines_next(ls, &line)) > 0) {
		if ((rc = text_line(&line, &n, ++lineno, name, e)) != 0)
			goto out;
		if (raw.len == 0)
			start = lineno;
		if (!inq) {
			recstart = lineno;
			recbytes = 0;
		}
		for (i = 0; i < (size_t)n; i++)
			inq ^= line[i] == '"';
		if (n == 0 || line[n - 1] != '\n')
			inq = 1;	/* no newline: a record may go on */
		/* A quote out of place must not make the rest one record. */
		if ((recbytes += (size_t)n) > LIST_LINE_MAX) {
			snprintf(where, sizeof(where), "%s:%zu", name,
			    recstart);
			rc = ctp_errf(e, CTP_DATAERR, where, "a quoted field "
			    "runs on past 1 MB (a quote out of place?)");
			goto out;
		}
		if (lenient && ctp_buf_add(&raw, line, (size_t)n) < 0) {
			rc = ctp_err_nomem(e, name);
			goto out;
		}
		if (ctp_csvp_feed(p, line, (size_t)n, lineno) < 0) {
			snprintf(where, sizeof(where), "%s:%zu", name,
			    ctp_csvp_error_line(p));
			/* ctp_csvp_error says "malformed CSV: ..." itself. */
			if (!lenient) {
				rc = ctp_errf(e, CTP_DATAERR, where, "%s",
				    ctp_csvp_error(p));
				goto out;
			}
			/* The rest of the record may still be to come. */
			if (raw.len > 0 && raw.s[raw.len - 1] == '\n' &&
			    (nf = ctp_csv_split_lenient(raw.s, f,
			    CTP_SCREEN_MAXF)) > 0 && nf <= CTP_SCREEN_MAXF) {
				if ((rc = fn(arg, f, nf, start)) != 0)
					goto out;
			} else {
				rc = ctp_errf(e, CTP_DATAERR, where, "%s",
				    ctp_csvp_error(p));
				goto out;
			}
			ctp_csvp_free(p);
			if ((p = ctp_csvp_new(0)) == NULL) {
				rc = ctp_err_nomem(e, name);
				goto out;
			}
			ctp_buf_reset(&raw);
			inq = 0;
			continue;
		}
		if ((rc = pop_records(p, fn, arg, &raw)) != 0)
			goto out;
	}
	if (n < 0) {
		rc = lines_error(ls, name, lineno + 1, e);
		goto out;
	}
	if (ctp_csvp_finish(p) < 0) {
		snprintf(where, sizeof(where), "%s:%zu", name,
		    ctp_csvp_error_line(p));
		rc = ctp_errf(e, CTP_DATAERR, where, "file ends inside a "
		    "quoted field (truncated?)");
		goto out;
	}
	rc = pop_records(p, fn, arg, &raw);
out:
	ctp_buf_free(&raw);
	ctp_csvp_free(p);
	return rc;
}
