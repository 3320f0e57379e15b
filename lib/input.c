/*
 * input.c - records from a CSV file or a JSON Lines stream (input.h),
 * read a physical line at a time through the one line reader (lines.c)
 * over read(2), so that a pipeline is read as it comes, and split by
 * csvio.c.
 * JSON Lines through jansson; text that is not UTF-8 is decoded with
 * iconv(3), one conversion per field that needs it.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "csvio.h"
#include "input.h"
#include "lines.h"
#include "mem.h"
#include "out.h"

/*
 * Lines are read through lines.c in chunks of INPUT_CHUNK; a line of
 * INPUT_LINE_MAX bytes or more is an error, not a reason to grow.
 */
#define INPUT_CHUNK	65536
#define INPUT_LINE_MAX	(64 << 20)

struct ctp_input {
	FILE *f;
	int close_f;
	char *name;
	int json;
	int enc;
	size_t lineno;		/* physical lines read */
	struct ctp_lines lines;	/* the reader (lines.c) over in->f's fd */
	int rderr;		/* errno of a failed read */
	char *line;		/* the line read last, in lines' buffer */
	char *pending;		/* first line, read to detect the format */
	ssize_t pending_len;
	int eof;
	/* columns */
	char **cols;
	size_t ncols, capcols;
	/* current record */
	size_t recline;
	char **vals;		/* ncols (JSON) or nfields (CSV) values */
	unsigned char *own;	/* vals[i] is ours to free (else in rec) */
	unsigned char *nottext;	/* JSON: vals[i] NULL for a non-text value */
	size_t nvals, capvals;
	struct ctp_csvp *csv;
	struct ctp_csvrec *rec;
	char recerr[200];
	int has_recerr;
};

int
ctp_encoding_parse(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcasecmp(s, "auto") == 0)
		return CTP_ENC_AUTO;
	if (strcasecmp(s, "utf-8") == 0 || strcasecmp(s, "utf8") == 0)
		return CTP_ENC_UTF8;
	if (strcasecmp(s, "windows-1252") == 0 || strcasecmp(s, "cp1252") == 0)
		return CTP_ENC_CP1252;
	if (strcasecmp(s, "latin1") == 0 || strcasecmp(s, "latin-1") == 0 ||
	    strcasecmp(s, "iso-8859-1") == 0)
		return CTP_ENC_LATIN1;
	return -1;
}

int
ctp_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, need;
	unsigned cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			need = 1;
			cp = s[i] & 0x1f;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			need = 2;
			cp = s[i] & 0x0f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			need = 3;
			cp = s[i] & 0x07;
		} else
			return 0;
		if (i + need >= n)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 &&
		    cp <= 0xdfff))) || (need == 3 && (cp < 0x10000 ||
		    cp > 0x10ffff)))
			return 0;
		i += need + 1;
	}
	return 1;
}

static int
has_high(const char *s, size_t n)
{
	uint64_t w;
	size_t i = 0;

	/* Eight bytes at a time: asked of every field of every record. */
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		if (w & UINT64_C(0x8080808080808080))
			return 1;
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

int
ctp_decode(int enc, const char *s, size_t n, char **out)
{
	iconv_t cd;
	char *in, *o, *res;
	size_t inleft, outleft, cap;
	const char *from;

	*out = NULL;
	if (!has_high(s, n) || (enc == CTP_ENC_UTF8) ||
	    (enc == CTP_ENC_AUTO && ctp_utf8_valid(s, n))) {
		if (enc == CTP_ENC_UTF8 && !ctp_utf8_valid(s, n))
			return -1;
		*out = ctp_strndup(s, n);
		return *out ? 0 : -2;
	}
	from = enc == CTP_ENC_LATIN1 ? "ISO-8859-1" : "WINDOWS-1252";
	if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1)
		return -1;
	cap = n * 3 + 1;
	if ((res = ctp_malloc(cap)) == NULL) {
		iconv_close(cd);
		return -2;
	}
	in = (char *)s;
	inleft = n;
	o = res;
	outleft = cap - 1;
	/* Undefined Windows-1252 bytes (0x81 0x8D 0x8F 0x90 0x9D) fail here. */
	if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
		iconv_close(cd);
		free(res);
		return -1;
	}
	iconv_close(cd);
	*o = '\0';
	*out = res;
	return 0;
}

static int
add_col(struct ctp_input *in, const char *name)
{
	char **p;

	if (in->ncols == in->capcols) {
		size_t cap = in->capcols ? in->capcols * 2 : 32;
		if ((p = ctp_realloc(in->cols, cap * sizeof(*p))) == NULL)
			return -1;
		in->cols = p;
		in->capcols = cap;
	}
	if ((in->cols[in->ncols] = ctp_strdup(name)) == NULL)
		return -1;
	in->ncols++;
	return 0;
}

static void
clear_vals(struct ctp_input *in)
{
	size_t i;

	for (i = 0; i < in->nvals; i++) {
		if (in->own[i])
			free(in->vals[i]);
		in->vals[i] = NULL;
		in->own[i] = 0;
		in->nottext[i] = 0;
	}
	in->nvals = 0;
	in->has_recerr = 0;
	in->recerr[0] = '\0';
}

static int
ensure_vals(struct ctp_input *in, size_t n)
{
	char **p;
	unsigned char *o;
	size_t i;

	if (n <= in->capvals)
		return 0;
	if ((p = ctp_realloc(in->vals, n * sizeof(*p))) == NULL)
		return -1;
	in->vals = p;
	if ((o = ctp_realloc(in->own, n)) == NULL)
		return -1;
	in->own = o;
	if ((o = ctp_realloc(in->nottext, n)) == NULL)
		return -1;
	in->nottext = o;
	for (i = in->capvals; i < n; i++) {
		p[i] = NULL;
		in->own[i] = 0;
		in->nottext[i] = 0;
	}
	in->capvals = n;
	return 0;
}

/*
 * The line reader's source: read(2) on the stream's descriptor, which
 * returns what a pipe holds, so that a pipeline is read as it comes.
 * Nothing else reads in->f.
 */
static ssize_t
input_read(void *arg, char *buf, size_t want)
{
	struct ctp_input *in = arg;
	ssize_t r;

	do
		r = read(fileno(in->f), buf, want);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		in->rderr = errno;
	return r;
}

/* The next physical line at *p (not NUL-terminated): length, -1 at EOF. */
static ssize_t
get_line(struct ctp_input *in, char **p)
{
	size_t n;

	if (ctp_lines_next(&in->lines, p, &n) <= 0)
		return -1;
	return (ssize_t)n;
}

/*
 * The read error that ended the input, or 0 at a clean end; why the
 * read failed is said when why is set.
 */
static int
read_error(struct ctp_input *in, int why, struct ctp_error *e)
{
	char where[300];

	switch (in->lines.err) {
	case 0:
		return 0;
	case CTP_LINES_NOMEM:
		return ctp_err_nomem(e, in->name);
	case CTP_LINES_LONG:
		snprintf(where, sizeof(where), "%s:%zu", in->name,
		    in->lineno + 1);
		return ctp_errf(e, CTP_DATAERR, where, "a line longer than "
		    "%d MB: not a CSV or JSON Lines file?",
		    INPUT_LINE_MAX >> 20);
	default:
		if (!why)
			return ctp_errf(e, CTP_IOERR, in->name, "read error");
		return ctp_errf(e, CTP_IOERR, in->name, "read error: %s",
		    strerror(in->rderr));
	}
}

/* n bytes at p all white space (a NUL is not). */
static int
blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
		    p[i] != '\n')
			return 0;
	return 1;
}

/* One physical line into in->line; returns length, -1 at EOF. */
static ssize_t
read_line(struct ctp_input *in)
{
	ssize_t n;

	if (in->pending) {
		in->line = in->pending;
		in->pending = NULL;
		in->lineno++;
		return in->pending_len;
	}
	if (in->eof)
		return -1;
	n = get_line(in, &in->line);
	if (n < 0) {
		in->eof = 1;
		return -1;
	}
	in->lineno++;
	return n;
}

static const char *
colname_or_num(struct ctp_input *in, size_t i, char *buf, size_t n)
{
	if (i < in->ncols && in->cols[i][0] != '\0')
		return in->cols[i];
	snprintf(buf, n, "column %zu", i + 1);
	return buf;
}

/*
 * The apostrophe ctp_out puts before a CSV value a spreadsheet would
 * take for a formula: one apostrophe, then what ctp_csv_formula says is
 * a formula.  Anything else, other apostrophes included, is data.
 */
static int
guarded(const char *s)
{
	return s[0] == '\'' && ctp_csv_formula(s + 1);
}

/* Decode the fields of a CSV record into in->vals, guards removed. */
static int
take_csv(struct ctp_input *in, struct ctp_csvrec *r, struct ctp_error *e)
{
	size_t i;
	int rc;
	char nb[32];

	clear_vals(in);
	if (ensure_vals(in, r->nf) < 0)
		return ctp_err_nomem(e, in->name);
	in->nvals = r->nf;	/* so that clear_vals frees a partial record */
	for (i = 0; i < r->nf; i++) {
		/*
		 * ASCII, or UTF-8 where UTF-8 is wanted, is handed out as
		 * read: the record lives until the next one, as vals do.
		 */
		if (!has_high(r->f[i], r->len[i]) ||
		    ((in->enc == CTP_ENC_UTF8 || in->enc == CTP_ENC_AUTO) &&
		    ctp_utf8_valid(r->f[i], r->len[i]))) {
			in->vals[i] = r->f[i] + guarded(r->f[i]);
			continue;
		}
		in->own[i] = 1;
		if ((rc = ctp_decode(in->enc, r->f[i], r->len[i],
		    &in->vals[i])) == -2)
			return ctp_err_nomem(e, in->name);
		if (rc == 0 && guarded(in->vals[i]))
			memmove(in->vals[i], in->vals[i] + 1,
			    strlen(in->vals[i]));
		if (rc < 0) {
			if ((in->vals[i] = ctp_strndup(r->f[i], r->len[i])) ==
			    NULL)
				return ctp_err_nomem(e, in->name);
			if (!in->has_recerr)
				snprintf(in->recerr, sizeof(in->recerr),
				    "%s: bytes that are not %s",
				    colname_or_num(in, i, nb, sizeof(nb)),
				    in->enc == CTP_ENC_UTF8 ? "UTF-8" :
				    "UTF-8 or Windows-1252");
			in->has_recerr = 1;
		}
	}
	in->nvals = r->nf;
	in->recline = r->line;
	return 0;
}

static int
next_csv(struct ctp_input *in, struct ctp_error *e)
{
	struct ctp_csvrec *r;
	ssize_t n;
	char where[300];
	int rc;

	for (;;) {
		if (ctp_csvp_pop(in->csv, &r)) {
			free(in->rec);
			in->rec = r;
			if ((rc = take_csv(in, r, e)) != 0)
				return -1;
			return 1;
		}
		if ((n = read_line(in)) < 0) {
			if (read_error(in, 1, e) != 0)
				return -1;
			if (in->csv && ctp_csvp_finish(in->csv) < 0)
				goto bad;
			if (ctp_csvp_pop(in->csv, &r)) {
				free(in->rec);
				in->rec = r;
				return take_csv(in, r, e) ? -1 : 1;
			}
			return 0;
		}
		if (memchr(in->line, '\0', (size_t)n) != NULL) {
			snprintf(where, sizeof(where), "%s:%zu", in->name,
			    in->lineno);
			ctp_errf(e, CTP_DATAERR, where,
			    "NUL byte: not a text file");
			return -1;
		}
		if (ctp_csvp_feed(in->csv, in->line, (size_t)n, in->lineno) < 0)
			goto bad;
	}
bad:
	snprintf(where, sizeof(where), "%s:%zu", in->name,
	    ctp_csvp_error_line(in->csv));
	ctp_errf(e, strcmp(ctp_csvp_error(in->csv), "out of memory") == 0 ?
	    CTP_SOFTWARE : CTP_DATAERR, where, "%s", ctp_csvp_error(in->csv));
	return -1;
}

/*
 * A JSON string as is, an integer as its digits (an NPI or a ZIP written
 * as a number by a script); NULL for anything else (see
 * ctp_input_not_text) and when out of memory.
 */
static char *
json_to_text(json_t *v)
{
	char buf[64];

	if (json_is_string(v))
		return ctp_strndup(json_string_value(v), json_string_length(v));
	snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(v));
	return ctp_strdup(buf);
}

static int
next_json(struct ctp_input *in, struct ctp_error *e)
{
	ssize_t n;
	json_t *obj, *v;
	json_error_t je;
	const char *key;
	char where[300], *p;
	int c;
	size_t i;

	for (;;) {
		if ((n = read_line(in)) < 0) {
			if (read_error(in, 0, e) != 0)
				return -1;
			return 0;
		}
		if (!blank(in->line, (size_t)n))
			break;
	}
	snprintf(where, sizeof(where), "%s:%zu", in->name, in->lineno);
	if (memchr(in->line, '\0', (size_t)n) != NULL) {
		ctp_errf(e, CTP_DATAERR, where, "NUL byte: not a text file");
		return -1;
	}
	obj = json_loadb(in->line, (size_t)n, JSON_REJECT_DUPLICATES, &je);
	if (obj == NULL) {
		/* jansson ends with " near '...'": the data, not said. */
		if ((p = strstr(je.text, " near ")) != NULL)
			*p = '\0';
		ctp_errf(e, CTP_DATAERR, where, "invalid JSON at column %d: %s",
		    je.column, je.text);
		return -1;
	}
	if (!json_is_object(obj)) {
		json_decref(obj);
		ctp_errf(e, CTP_DATAERR, where, "not a JSON object");
		return -1;
	}
	clear_vals(in);
	json_object_foreach(obj, key, v) {
		if ((c = ctp_input_col(in, key)) < 0) {
			if (add_col(in, key) < 0)
				goto nomem;
		}
	}
	if (ensure_vals(in, in->ncols) < 0)
		goto nomem;
	in->nvals = in->ncols;
	for (i = 0; i < in->ncols; i++) {
		v = json_object_get(obj, in->cols[i]);
		if (v == NULL || json_is_null(v))
			continue;
		if (!json_is_string(v) && !json_is_integer(v)) {
			/* Said when the field is read: an unrelated one
			 * (a ctp program's JSON detail) may be anything. */
			in->nottext[i] = 1;
			continue;
		}
		in->own[i] = 1;
		if ((in->vals[i] = json_to_text(v)) == NULL)
			goto nomem;
	}
	json_decref(obj);
	in->recline = in->lineno;
	return 1;
nomem:
	json_decref(obj);
	ctp_err_nomem(e, in->name);
	return -1;
}

/* A line read ahead into in->pending (NULL at the end); -1 on an error. */
static int
read_pending(struct ctp_input *in)
{
	if ((in->pending_len = get_line(in, &in->pending)) >= 0)
		return 0;
	in->pending = NULL;
	in->eof = 1;
	return in->lines.err ? -1 : 0;
}

int
ctp_input_open(struct ctp_input **out, const char *path, int enc,
    struct ctp_error *e)
{
	struct ctp_input *in;
	ssize_t n;
	size_t i;
	char *p;

	*out = NULL;
	if ((in = ctp_calloc(1, sizeof(*in))) == NULL)
		return ctp_err_nomem(e, path);
	in->enc = enc;
	if (path == NULL || strcmp(path, "-") == 0) {
		if (isatty(STDIN_FILENO)) {
			ctp_input_close(in);
			return ctp_errf(e, CTP_USAGE, "stdin", "is a terminal: "
			    "give a file, or pipe CSV or JSON Lines in");
		}
		in->f = stdin;
		in->name = ctp_strdup("stdin");
	} else {
		in->name = ctp_strdup(path);
		if ((in->f = fopen(path, "rb")) == NULL) {
			ctp_errf(e, errno == ENOENT ? CTP_NOINPUT : CTP_IOERR,
			    path, "%s", strerror(errno));
			ctp_input_close(in);
			return e->code;
		}
		in->close_f = 1;
	}
	if (in->name == NULL) {
		ctp_input_close(in);
		return ctp_err_nomem(e, path);
	}
	ctp_lines_init(&in->lines, input_read, in, INPUT_CHUNK, INPUT_LINE_MAX);
	if (read_pending(in) < 0)
		goto readerr;
	n = in->pending_len;
	p = in->pending;
	if (p && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		in->pending += 3;
		in->pending_len -= 3;
		if (in->enc == CTP_ENC_AUTO)
			in->enc = CTP_ENC_UTF8;
	} else if (p && n >= 2 && ((unsigned char)p[0] == 0xff ||
	    (unsigned char)p[0] == 0xfe) && ((unsigned char)p[1] == 0xfe ||
	    (unsigned char)p[1] == 0xff)) {
		ctp_errf(e, CTP_DATAERR, in->name, "UTF-16 text: save the file "
		    "as CSV UTF-8 or CSV (comma delimited)");
		ctp_input_close(in);
		return e->code;
	}
	/* Blank lines before the first record say nothing of the format. */
	while (in->pending && blank(in->pending, (size_t)in->pending_len)) {
		in->lineno++;
		if (read_pending(in) < 0)
			goto readerr;
	}
	p = in->pending;
	if (p)
		p += strspn(p, " \t");
	in->json = p && *p == '{';
	if (!in->json) {
		if ((in->csv = ctp_csvp_new(0)) == NULL) {
			ctp_input_close(in);
			return ctp_err_nomem(e, path);
		}
		/* The header names the columns. */
		switch (next_csv(in, e)) {
		case -1:
			ctp_input_close(in);
			return e->code;
		case 0:
			break;
		default:
			for (i = 0; i < in->nvals; i++)
				if (add_col(in, in->vals[i]) < 0) {
					ctp_input_close(in);
					return ctp_err_nomem(e, path);
				}
			if (in->has_recerr) {
				ctp_errf(e, CTP_DATAERR, in->name,
				    "header: bytes that fit no encoding");
				ctp_input_close(in);
				return e->code;
			}
			clear_vals(in);
		}
	}
	*out = in;
	return 0;
readerr:
	read_error(in, 0, e);
	ctp_input_close(in);
	return e->code;
}

void
ctp_input_close(struct ctp_input *in)
{
	size_t i;

	if (in == NULL)
		return;
	if (in->close_f && in->f)
		fclose(in->f);
	clear_vals(in);
	free(in->vals);
	free(in->own);
	free(in->nottext);
	for (i = 0; i < in->ncols; i++)
		free(in->cols[i]);
	free(in->cols);
	ctp_lines_free(&in->lines);
	free(in->rec);
	ctp_csvp_free(in->csv);
	free(in->name);
	free(in);
}

const char *
ctp_input_name(const struct ctp_input *in)
{
	return in->name;
}

int
ctp_input_is_json(const struct ctp_input *in)
{
	return in->json;
}

size_t
ctp_input_ncols(const struct ctp_input *in)
{
	return in->ncols;
}

const char *
ctp_input_colname(const struct ctp_input *in, size_t i)
{
	return i < in->ncols ? in->cols[i] : NULL;
}

int
ctp_input_col(const struct ctp_input *in, const char *name)
{
	size_t i;

	for (i = 0; i < in->ncols; i++)
		if (strcasecmp(in->cols[i], name) == 0)
			return (int)i;
	return -1;
}

int
ctp_input_next(struct ctp_input *in, struct ctp_error *e)
{
	return in->json ? next_json(in, e) : next_csv(in, e);
}

size_t
ctp_input_line(const struct ctp_input *in)
{
	return in->recline;
}

size_t
ctp_input_nfields(const struct ctp_input *in)
{
	return in->nvals;
}

const char *
ctp_input_value(const struct ctp_input *in, size_t i)
{
	return i < in->nvals ? in->vals[i] : NULL;
}

int
ctp_input_not_text(const struct ctp_input *in, size_t i)
{
	return i < in->nvals && in->nottext[i];
}

const char *
ctp_input_get(const struct ctp_input *in, const char *name)
{
	int i = ctp_input_col(in, name);

	return i < 0 ? NULL : ctp_input_value(in, (size_t)i);
}

const char *
ctp_input_record_error(const struct ctp_input *in)
{
	return in->has_recerr ? in->recerr : NULL;
}

int
ctp_input_read_npis(const char *path, char ***out, size_t *n,
    struct ctp_error *e)
{
	struct ctp_input *in;
	char **v = NULL, **p, where[300];
	const char *npi;
	size_t cap = 0;
	int rc, c;

	*out = NULL;
	*n = 0;
	if ((rc = ctp_input_open(&in, path, CTP_ENC_AUTO, e)) != 0)
		return rc;
	if (!ctp_input_is_json(in) && ctp_input_col(in, "npi") < 0) {
		rc = ctp_errf(e, CTP_DATAERR, ctp_input_name(in),
		    "no npi column");
		goto out;
	}
	while ((rc = ctp_input_next(in, e)) == 1) {
		c = ctp_input_col(in, "npi");
		npi = c < 0 ? NULL : ctp_input_value(in, (size_t)c);
		if (npi == NULL || *npi == '\0') {
			snprintf(where, sizeof(where), "%s:%zu",
			    ctp_input_name(in), ctp_input_line(in));
			rc = ctp_errf(e, CTP_DATAERR, where, "npi: %s",
			    c >= 0 && ctp_input_not_text(in, (size_t)c) ?
			    "not a text value" : "empty");
			goto out;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((p = ctp_realloc(v, cap * sizeof(*p))) == NULL) {
				rc = ctp_err_nomem(e, "npi");
				goto out;
			}
			v = p;
		}
		if ((v[*n] = ctp_strdup(npi)) == NULL) {
			rc = ctp_err_nomem(e, "npi");
			goto out;
		}
		(*n)++;
	}
	rc = rc < 0 ? e->code : 0;
out:
	ctp_input_close(in);
	*out = v;
	return rc;
}

void
ctp_input_free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n && v; i++)
		free(v[i]);
	free(v);
}
