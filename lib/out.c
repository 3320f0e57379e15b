/*
 * out.c - CSV, JSON Lines and the aligned table on a terminal, with
 * spreadsheet formulas and control characters made harmless (out.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "mem.h"
#include "out.h"

struct ctp_out {
	FILE *f;
	enum ctp_fmt fmt;
	const struct ctp_col *cols;
	size_t ncols;
	int flags;
	int tty;		/* f is a terminal: control characters shown */
	int header_done;
	/* ctp_out_new_lead: the columns with the lead first, its value */
	struct ctp_col *own_cols;
	const char *lead;
	int capture;		/* ctp_out_new_capture */
	/* CSV mode: one record is built here, then written by one fwrite */
	char *line;
	size_t linecap;
	/* table mode: rows kept until close, to measure the widths */
	char **cells;
	size_t nrows, cap;
};

enum ctp_fmt
ctp_out_choose(int json, int csv, FILE *f)
{
	if (json)
		return CTP_FMT_JSON;
	if (csv)
		return CTP_FMT_CSV;
	return isatty(fileno(f)) ? CTP_FMT_TABLE : CTP_FMT_CSV;
}

struct ctp_out *
ctp_out_new(FILE *f, enum ctp_fmt fmt, const struct ctp_col *cols,
    size_t ncols, int flags)
{
	struct ctp_out *o;

	if ((o = ctp_calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->f = f;
	o->fmt = fmt;
	o->cols = cols;
	o->ncols = ncols;
	o->flags = flags;
	o->tty = isatty(fileno(f));
	o->header_done = (flags & CTP_OUT_NOHEADER) != 0;
	return o;
}

struct ctp_out *
ctp_out_new_lead(FILE *f, enum ctp_fmt fmt, const char *lead,
    const struct ctp_col *cols, size_t ncols, int flags)
{
	struct ctp_out *o;
	struct ctp_col *c;

	if (ncols + 1 > 64 || (c = ctp_calloc(ncols + 1, sizeof(*c))) == NULL)
		return NULL;
	c[0].name = lead;
	c[0].type = CTP_COL_STR;
	memcpy(c + 1, cols, ncols * sizeof(*c));
	if ((o = ctp_out_new(f, fmt, c, ncols + 1, flags)) == NULL) {
		free(c);
		return NULL;
	}
	o->own_cols = c;
	o->lead = "";
	return o;
}

size_t
ctp_out_ncols(const struct ctp_out *o)
{
	return o->own_cols ? o->ncols - 1 : o->ncols;
}

struct ctp_out *
ctp_out_new_capture(FILE *f, size_t ncols)
{
	struct ctp_out *o;

	if (ncols > 64 || (o = ctp_out_new(f, CTP_FMT_CSV, NULL, ncols,
	    CTP_OUT_NOHEADER)) == NULL)
		return NULL;
	o->capture = 1;
	return o;
}

/* A captured row: its column count, then each value's length and bytes
 * (UINT32_MAX for NULL), in this machine's byte order. */
static int
capture_row(struct ctp_out *o, const char *const *vals, struct ctp_error *e)
{
	uint32_t n = (uint32_t)o->ncols, len;
	size_t i;

	if (fwrite(&n, sizeof(n), 1, o->f) != 1)
		return ctp_errf(e, CTP_IOERR, "output", "write error");
	for (i = 0; i < o->ncols; i++) {
		len = vals[i] ? (uint32_t)strlen(vals[i]) : UINT32_MAX;
		if (fwrite(&len, sizeof(len), 1, o->f) != 1 ||
		    (vals[i] && fwrite(vals[i], 1, len, o->f) != len))
			return ctp_errf(e, CTP_IOERR, "output", "write error");
	}
	return 0;
}

int
ctp_out_replay(struct ctp_out *o, FILE *f, struct ctp_error *e)
{
	const char *v[64];
	char *buf[64];
	uint32_t n, len, i, k;
	int rc = 0;

	while (rc == 0 && fread(&n, sizeof(n), 1, f) == 1) {
		if (n > 64)
			return ctp_errf(e, CTP_SOFTWARE, "output", "bad capture");
		for (i = 0; i < n; i++)
			buf[i] = NULL;
		for (i = 0; i < n && rc == 0; i++) {
			if (fread(&len, sizeof(len), 1, f) != 1)
				rc = ctp_errf(e, CTP_SOFTWARE, "output",
				    "capture cut short");
			else if (len == UINT32_MAX)
				v[i] = NULL;
			else if ((buf[i] = ctp_malloc((size_t)len + 1)) == NULL)
				rc = ctp_err_nomem(e, "output");
			else if (fread(buf[i], 1, len, f) != len)
				rc = ctp_errf(e, CTP_SOFTWARE, "output",
				    "capture cut short");
			else {
				buf[i][len] = '\0';
				v[i] = buf[i];
			}
		}
		if (rc == 0)
			rc = ctp_out_row(o, v, e);
		for (k = 0; k < n; k++)
			free(buf[k]);
	}
	return rc;
}

void
ctp_out_lead(struct ctp_out *o, const char *value)
{
	if (o->own_cols != NULL)
		o->lead = value ? value : "";
}

int
ctp_csv_formula(const char *s)
{
	s += strspn(s, "'");
	return *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
}

/* The bytes that make a CSV field quoted (besides space at either end). */
static const char csv_special[] = ",\"\r\n";

/*
 * One field, quoted only when needed; with guard, a value that reads as a
 * formula gets its apostrophe first (inside the quotes when quoted).
 */
static int
put_field(FILE *f, const char *s, int guard)
{
	size_t n;
	int q;

	if (s == NULL)
		return 0;
	n = strlen(s);
	guard = guard && ctp_csv_formula(s);
	q = n && (strpbrk(s, csv_special) != NULL ||
	    (!guard && isspace((unsigned char)s[0])) ||
	    isspace((unsigned char)s[n - 1]));
	if ((q && putc('"', f) == EOF) || (guard && putc('\'', f) == EOF))
		return -1;
	if (!q)
		return fwrite(s, 1, n, f) == n ? 0 : -1;
	for (; *s; s++)
		if ((*s == '"' && putc('"', f) == EOF) || putc(*s, f) == EOF)
			return -1;
	return putc('"', f) == EOF ? -1 : 0;
}

int
ctp_csv_put_field(FILE *f, const char *s)
{
	return put_field(f, s, 1);
}

/* A record; cols (NULL: every field is text) says which fields to guard. */
static int
put_record(FILE *f, const struct ctp_col *cols, const char *const *vals,
    size_t n, int crlf)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i && putc(',', f) == EOF)
			return -1;
		if (put_field(f, vals[i], cols == NULL ||
		    cols[i].type == CTP_COL_STR) < 0)
			return -1;
	}
	return fputs(crlf ? "\r\n" : "\n", f) == EOF ? -1 : 0;
}

int
ctp_csv_put_record(FILE *f, const char *const *vals, size_t n, int crlf)
{
	return put_record(f, NULL, vals, n, crlf);
}

/* Make room for need more bytes after used in o->line; -1 when out of memory. */
static int
line_room(struct ctp_out *o, size_t used, size_t need)
{
	size_t cap = o->linecap ? o->linecap : 4096;
	char *p;

	if (need <= o->linecap - used)
		return 0;
	while (cap - used < need)
		cap *= 2;
	if ((p = ctp_realloc(o->line, cap)) == NULL)
		return -1;
	o->line = p;
	o->linecap = cap;
	return 0;
}

/*
 * What a byte is to a CSV field: STOP ends the scan of an unquoted field
 * (the end of the string, and the bytes that make it quoted:
 * csv_special); SPACE is isspace() in the C locale, which ctp never
 * leaves (a space at either end makes it quoted); LEAD may start a
 * formula (ctp_csv_formula: its first bytes, and the apostrophe).
 */
enum { STOP = 1, SPACE = 2, LEAD = 4 };
static const unsigned char csv_class[256] = {
	[0] = STOP, [','] = STOP, ['"'] = STOP, ['\r'] = STOP | SPACE | LEAD,
	['\n'] = STOP | SPACE, [' '] = SPACE, ['\t'] = SPACE | LEAD,
	['\v'] = SPACE, ['\f'] = SPACE, ['='] = LEAD, ['+'] = LEAD,
	['-'] = LEAD, ['@'] = LEAD, ['\''] = LEAD
};

/*
 * One record, byte for byte what put_record writes, built in o->line and
 * written with one fwrite.  One loop over csv_class finds a field's
 * length and whether it needs quotes; the inbox writes 3,000,000 fields
 * for a million credentials (scripts/bench/expiring), most of them a few
 * bytes long, and for those strcspn and isspace cost half again as much.
 * -1 on a write error, -2 when the line cannot grow (the caller falls
 * back on put_record).
 */
static int
csv_line(struct ctp_out *o, const char *const *vals, size_t n)
{
	const unsigned char *s, *p;
	size_t i, k, len, used = 0;
	char *q;
	int crlf = o->flags & CTP_OUT_CRLF, guard, special;

	for (i = 0; i < n; i++) {
		s = (const unsigned char *)(vals[i] ? vals[i] : "");
		for (p = s; !(csv_class[*p] & STOP); p++)
			;
		special = *p != '\0';
		len = (size_t)(p - s) + (special ? strlen((const char *)p) : 0);
		if (line_room(o, used, 2 * len + 6) < 0)
			return -2;
		q = o->line + used;
		if (i)
			*q++ = ',';
		guard = (csv_class[s[0]] & LEAD) &&
		    o->cols[i].type == CTP_COL_STR &&
		    ctp_csv_formula((const char *)s);
		if (len && (special || (!guard && (csv_class[s[0]] & SPACE)) ||
		    (csv_class[s[len - 1]] & SPACE))) {
			/* In quotes, quotes doubled. */
			*q++ = '"';
			if (guard)
				*q++ = '\'';
			for (k = 0; k < len; k++) {
				if (s[k] == '"')
					*q++ = '"';
				*q++ = (char)s[k];
			}
			*q++ = '"';
		} else {
			if (guard)
				*q++ = '\'';
			memcpy(q, s, len);
			q += len;
		}
		used = (size_t)(q - o->line);
	}
	if (line_room(o, used, 2) < 0)
		return -2;
	q = o->line + used;
	if (crlf)
		*q++ = '\r';
	*q++ = '\n';
	used = (size_t)(q - o->line);
	return fwrite(o->line, 1, used, o->f) == used ? 0 : -1;
}

static json_t *
json_value(const struct ctp_col *c, const char *v)
{
	char *end;
	long long ll;
	double d;

	if (v == NULL || *v == '\0')
		return json_null();
	switch (c->type) {
	case CTP_COL_INT:
		errno = 0;
		ll = strtoll(v, &end, 10);
		if (*end == '\0' && errno == 0)
			return json_integer(ll);
		break;
	case CTP_COL_NUM:
		d = strtod(v, &end);
		if (*end == '\0')
			return json_real(d);
		break;
	case CTP_COL_JSON: {
		json_t *j = json_loads(v, JSON_DECODE_ANY, NULL);
		if (j)
			return j;
		break;
	}
	case CTP_COL_STR:
		break;
	}
	return json_string(v);
}

/* s as ctp_vis shows it, in new memory; NULL when out of memory. */
static char *
vis_dup(const char *s, int flags)
{
	size_t n = ctp_vis(NULL, 0, s ? s : "", flags) + 1;
	char *p;

	if ((p = ctp_malloc(n)) != NULL)
		ctp_vis(p, n, s ? s : "", flags);
	return p;
}

int
ctp_out_json_line(FILE *f, json_t *obj)
{
	int rc;

	if (isatty(fileno(f))) {
		/*
		 * jansson escapes C0 itself; DEL and C1 (CSI among them) it
		 * writes raw.  On a terminal they are shown as well.
		 */
		char *js = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
		char *shown = js ? vis_dup(js, 0) : NULL;

		rc = shown && fputs(shown, f) != EOF ? 0 : -1;
		free(js);
		free(shown);
	} else
		rc = json_dumpf(obj, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (rc < 0 || putc('\n', f) == EOF)
		return -1;
	return 0;
}

static int
write_json(struct ctp_out *o, const char *const *vals)
{
	json_t *obj;
	size_t i;
	int rc;

	if ((obj = json_object()) == NULL)
		return -1;
	for (i = 0; i < o->ncols; i++)
		json_object_set_new(obj, o->cols[i].name,
		    json_value(&o->cols[i], vals[i]));
	rc = ctp_out_json_line(o->f, obj);
	json_decref(obj);
	return rc;
}

/*
 * CSV on a terminal: each value with its control characters shown (tab
 * and line feed kept, as a quoted field may hold them).  Only a person
 * reads it there; a pipe or a file gets the bytes stored.
 */
static int
csv_shown(struct ctp_out *o, const char *const *vals)
{
	char **v;
	size_t i;
	int rc = -2;

	if ((v = ctp_calloc(o->ncols, sizeof(*v))) == NULL)
		return -2;
	for (i = 0; i < o->ncols; i++)
		if ((v[i] = vis_dup(vals[i], CTP_VIS_KEEP)) == NULL)
			goto out;
	rc = csv_line(o, (const char *const *)v, o->ncols);
out:
	for (i = 0; i < o->ncols; i++)
		free(v[i]);
	free(v);
	return rc;
}

/* A table row, kept with its control characters shown (see put_cell). */
static int
keep_row(struct ctp_out *o, const char *const *vals)
{
	size_t i, need = (o->nrows + 1) * o->ncols;
	char **p;

	if (need > o->cap) {
		size_t cap = o->cap ? o->cap * 2 : o->ncols * 64;
		while (cap < need)
			cap *= 2;
		if ((p = ctp_realloc(o->cells, cap * sizeof(*p))) == NULL)
			return -1;
		o->cells = p;
		o->cap = cap;
	}
	for (i = 0; i < o->ncols; i++) {
		p = &o->cells[o->nrows * o->ncols + i];
		if ((*p = vis_dup(vals[i], CTP_VIS_SPACE)) == NULL) {
			while (i-- > 0)
				free(o->cells[o->nrows * o->ncols + i]);
			return -1;
		}
	}
	o->nrows++;
	return 0;
}

static int out_row(struct ctp_out *, const char *const *,
    struct ctp_error *);

int
ctp_out_row(struct ctp_out *o, const char *const *vals, struct ctp_error *e)
{
	const char *v[64];

	if (o->capture)
		return capture_row(o, vals, e);
	if (o->own_cols == NULL)
		return out_row(o, vals, e);
	v[0] = o->lead;
	memcpy(v + 1, vals, (o->ncols - 1) * sizeof(*v));
	return out_row(o, v, e);
}

static int
out_row(struct ctp_out *o, const char *const *vals, struct ctp_error *e)
{
	int rc;

	switch (o->fmt) {
	case CTP_FMT_TABLE:
		if (keep_row(o, vals) < 0)
			return ctp_err_nomem(e, "output");
		return 0;
	case CTP_FMT_JSON:
		if (write_json(o, vals) < 0)
			return ctp_errf(e, CTP_IOERR, "stdout", "write error");
		return 0;
	case CTP_FMT_CSV:
		if (!o->header_done && ctp_out_header(o, e) != 0)
			return e->code;
		if (o->tty)
			rc = csv_shown(o, vals);
		else if ((rc = csv_line(o, vals, o->ncols)) == -2)
			rc = put_record(o->f, o->cols, vals, o->ncols,
			    o->flags & CTP_OUT_CRLF);
		if (rc == -2)
			return ctp_err_nomem(e, "output");
		if (rc < 0)
			return ctp_errf(e, CTP_IOERR, "stdout", "write error");
		return 0;
	}
	return 0;
}

/* Display width: count UTF-8 lead bytes, not continuation bytes. */
static size_t
width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * A cell as kept by keep_row: a line feed or tab, which would break the
 * table, is a space; any other control character is shown as \xNN.
 */
static void
put_cell(FILE *f, const char *s, size_t w, int last)
{
	size_t n;

	fputs(s, f);
	if (last)
		return;
	for (n = width(s); n < w + 2; n++)
		putc(' ', f);
}

static void
render_table(struct ctp_out *o)
{
	size_t *w, i, r;

	if ((w = ctp_calloc(o->ncols, sizeof(*w))) == NULL)
		return;
	for (i = 0; i < o->ncols; i++)
		w[i] = width(o->cols[i].name);
	for (r = 0; r < o->nrows; r++)
		for (i = 0; i < o->ncols; i++)
			if (width(o->cells[r * o->ncols + i]) > w[i])
				w[i] = width(o->cells[r * o->ncols + i]);
	for (i = 0; i < o->ncols; i++)
		put_cell(o->f, o->cols[i].name, w[i], i + 1 == o->ncols);
	putc('\n', o->f);
	for (r = 0; r < o->nrows; r++) {
		for (i = 0; i < o->ncols; i++)
			put_cell(o->f, o->cells[r * o->ncols + i], w[i],
			    i + 1 == o->ncols);
		putc('\n', o->f);
	}
	free(w);
}

void
ctp_out_free(struct ctp_out *o)
{
	size_t i;

	if (o == NULL)
		return;
	for (i = 0; i < o->nrows * o->ncols; i++)
		free(o->cells[i]);
	free(o->cells);
	free(o->line);
	free(o->own_cols);
	free(o);
}

int
ctp_out_header(struct ctp_out *o, struct ctp_error *e)
{
	const char *hdr[64];
	size_t i;

	if (o->fmt != CTP_FMT_CSV || o->header_done)
		return 0;
	for (i = 0; i < o->ncols && i < 64; i++)
		hdr[i] = o->cols[i].name;
	if (ctp_csv_put_record(o->f, hdr, i, o->flags & CTP_OUT_CRLF) < 0)
		return ctp_errf(e, CTP_IOERR, "stdout", "write error");
	o->header_done = 1;
	return 0;
}

struct ctp_out *
ctp_out_twin(const struct ctp_out *o, FILE *f)
{
	struct ctp_out *t;

	if (o->fmt == CTP_FMT_TABLE || o->tty || o->capture || o->own_cols)
		return NULL;
	if ((t = ctp_out_new(f, o->fmt, o->cols, o->ncols, o->flags |
	    CTP_OUT_NOHEADER)) != NULL)
		t->tty = 0;
	return t;
}

FILE *
ctp_out_file(const struct ctp_out *o)
{
	return o->f;
}

int
ctp_out_close(struct ctp_out *o, struct ctp_error *e)
{
	int rc = 0;
	const char *hdr[64];
	size_t i;

	if (o == NULL)
		return 0;
	if (o->fmt == CTP_FMT_TABLE && o->nrows)
		render_table(o);
	else if (o->fmt == CTP_FMT_CSV && !o->header_done) {
		/* An empty result still says what its columns are. */
		for (i = 0; i < o->ncols && i < 64; i++)
			hdr[i] = o->cols[i].name;
		ctp_csv_put_record(o->f, hdr, i, o->flags & CTP_OUT_CRLF);
	}
	if (fflush(o->f) == EOF || ferror(o->f))
		rc = ctp_errf(e, CTP_IOERR, "stdout", "write error");
	ctp_out_free(o);
	return rc;
}
