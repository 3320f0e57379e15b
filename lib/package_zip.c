/*
 * package_zip.c - a package's entries as a ZIP (package_int.h), written
 * by libzip to the caller's FILE (the safe-output helper's temporary
 * file) through a source of our own, so that no other file is made.
 *
 * Documents are streamed from their blobs a chunk at a time
 * (doc.h's reader) as libzip asks for them, and hashed on the way: a
 * stored content that no longer matches its SHA-256 fails the package.
 * Content that is already compressed (PDF, PNG, JPEG, TIFF) is stored,
 * everything else deflated.  Every entry gets the same DOS time and
 * attributes, and no extra field.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <zip.h>

#include "doc.h"
#include "mem.h"
#include "package_int.h"

/* The archive itself: everything libzip writes goes to f. */
struct out_ctx {
	FILE *f;
	zip_error_t ze;
	int ioerr;
};

static zip_int64_t
out_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct out_ctx *o = ud;
	zip_source_args_seek_t *a;

	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_WRITABLE |
		    ZIP_SOURCE_MAKE_COMMAND_BITMASK(ZIP_SOURCE_ACCEPT_EMPTY);
	case ZIP_SOURCE_ACCEPT_EMPTY:
		return 1;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;

		zip_stat_init(st);
		st->size = 0;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof(*st);
	}
	case ZIP_SOURCE_OPEN:
	case ZIP_SOURCE_READ:
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_SEEK:
	case ZIP_SOURCE_TELL:
	case ZIP_SOURCE_BEGIN_WRITE:
	case ZIP_SOURCE_REMOVE:
	case ZIP_SOURCE_ROLLBACK_WRITE:
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_COMMIT_WRITE:
		if (fflush(o->f) != 0) {
			o->ioerr = 1;
			zip_error_set(&o->ze, ZIP_ER_WRITE, errno);
			return -1;
		}
		return 0;
	case ZIP_SOURCE_WRITE:
		if (fwrite(data, 1, len, o->f) != len) {
			o->ioerr = 1;
			zip_error_set(&o->ze, ZIP_ER_WRITE, errno);
			return -1;
		}
		return (zip_int64_t)len;
	case ZIP_SOURCE_SEEK_WRITE:
		if ((a = ZIP_SOURCE_GET_ARGS(zip_source_args_seek_t, data, len,
		    &o->ze)) == NULL)
			return -1;
		if (fseeko(o->f, (off_t)a->offset, a->whence) != 0) {
			o->ioerr = 1;
			zip_error_set(&o->ze, ZIP_ER_SEEK, errno);
			return -1;
		}
		return 0;
	case ZIP_SOURCE_TELL_WRITE:
		return (zip_int64_t)ftello(o->f);
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&o->ze, data, len);
	default:
		zip_error_set(&o->ze, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* One document, read from its blob while libzip writes it. */
struct doc_ctx {
	sqlite3 *db;
	const struct pkg_entry *en;
	struct ctp_doc_reader *r;
	struct ctp_sha256 *h;
	zip_error_t ze;
	struct ctp_error *err;	/* the first error, for the caller */
};

static zip_int64_t
doc_fail(struct doc_ctx *d, int zer)
{
	zip_error_set(&d->ze, zer, 0);
	return -1;
}

static zip_int64_t
doc_read(struct doc_ctx *d, void *data, zip_uint64_t len)
{
	char sha[CTP_SHA256_HEX];
	ssize_t n;

	if ((n = ctp_doc_read(d->r, data, len, d->err)) < 0)
		return doc_fail(d, ZIP_ER_READ);
	if (n > 0) {
		if (ctp_sha256_update(d->h, data, (size_t)n) != 0)
			return doc_fail(d, ZIP_ER_INTERNAL);
		return n;
	}
	if (d->h == NULL)
		return 0;
	ctp_sha256_final(d->h, sha);
	d->h = NULL;
	if (strcmp(sha, d->en->sha256) != 0) {
		ctp_errf(d->err, CTP_DATAERR, d->en->path, "stored content "
		    "does not match its sha256");
		return doc_fail(d, ZIP_ER_CRC);
	}
	return 0;
}

static zip_int64_t
doc_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct doc_ctx *d = ud;

	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_READABLE;
	case ZIP_SOURCE_OPEN:
		if (ctp_doc_read_open(d->db, d->en->doc_id, &d->r, d->err))
			return doc_fail(d, ZIP_ER_OPEN);
		if ((d->h = ctp_sha256_new()) == NULL)
			return doc_fail(d, ZIP_ER_MEMORY);
		return 0;
	case ZIP_SOURCE_READ:
		return doc_read(d, data, len);
	case ZIP_SOURCE_CLOSE:
		ctp_doc_read_close(d->r);
		d->r = NULL;
		if (d->h) {
			char sha[CTP_SHA256_HEX];

			ctp_sha256_final(d->h, sha);
			d->h = NULL;
		}
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;

		zip_stat_init(st);
		st->size = (zip_uint64_t)d->en->size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&d->ze, data, len);
	case ZIP_SOURCE_FREE:
		ctp_doc_read_close(d->r);
		free(d);
		return 0;
	default:
		return doc_fail(d, ZIP_ER_OPNOTSUPP);
	}
}

static zip_source_t *
source(zip_t *za, sqlite3 *db, const struct pkg_entry *en,
    struct ctp_error *e)
{
	struct doc_ctx *d;
	zip_source_t *s;

	switch (en->src) {
	case PKG_MEM:
		return zip_source_buffer(za, en->mem.s ? en->mem.s : "",
		    en->mem.len, 0);
	case PKG_FILE:
		return zip_source_file(za, en->file, 0, -1);
	case PKG_DOC:
		break;
	}
	if ((d = ctp_calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->db = db;
	d->en = en;
	d->err = e;
	zip_error_init(&d->ze);
	if ((s = zip_source_function(za, doc_cb, d)) == NULL)
		free(d);
	return s;
}

/* time as a DOS date and time (UTC, from 1980). */
static void
dos_time(time_t t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	if (tm.tm_year < 80) {
		tm.tm_year = 80;
		tm.tm_mon = 0;
		tm.tm_mday = 1;
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	}
	*ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) |
	    ((tm.tm_mon + 1) << 5) | tm.tm_mday);
	*dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) |
	    (tm.tm_sec / 2));
}

static int
add(zip_t *za, sqlite3 *db, const struct pkg_entry *en, zip_uint16_t dt,
    zip_uint16_t dd, struct ctp_error *e)
{
	zip_source_t *s;
	zip_int64_t i;

	if ((s = source(za, db, en, e)) == NULL)
		return ctp_err_nomem(e, en->path);
	if ((i = zip_file_add(za, en->path, s, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(s);
		return ctp_errf(e, CTP_SOFTWARE, en->path, "%s",
		    zip_strerror(za));
	}
	if (zip_set_file_compression(za, (zip_uint64_t)i, en->store ?
	    ZIP_CM_STORE : ZIP_CM_DEFLATE, en->store ? 0 : 6) != 0 ||
	    zip_file_set_dostime(za, (zip_uint64_t)i, dt, dd, 0) != 0 ||
	    zip_file_set_external_attributes(za, (zip_uint64_t)i, 0,
	    ZIP_OPSYS_UNIX, (zip_uint32_t)0100644 << 16) != 0)
		return ctp_errf(e, CTP_SOFTWARE, en->path, "%s",
		    zip_strerror(za));
	return 0;
}

int
pkg_zip(sqlite3 *db, const struct pkg *p, FILE *f, struct ctp_error *e)
{
	struct out_ctx o;
	struct ctp_error de;
	zip_source_t *src;
	zip_error_t ze;
	zip_uint16_t dt, dd;
	zip_t *za;
	size_t i;
	int rc = 0;

	memset(&o, 0, sizeof(o));
	o.f = f;
	zip_error_init(&o.ze);
	zip_error_init(&ze);
	ctp_error_clear(&de);
	if ((src = zip_source_function_create(out_cb, &o, &ze)) == NULL)
		return ctp_err_nomem(e, "zip");
	if ((za = zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE,
	    &ze)) == NULL) {
		zip_source_free(src);
		rc = ctp_errf(e, CTP_SOFTWARE, "zip", "%s",
		    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return rc;
	}
	dos_time(p->when, &dt, &dd);
	for (i = 0; i < p->n && rc == 0; i++)
		rc = add(za, db, &p->v[i], dt, dd, &de);
	if (rc == 0 && zip_close(za) == 0)
		za = NULL;
	else if (rc == 0) {
		if (de.code)
			rc = de.code;
		else if (o.ioerr)
			rc = ctp_errf(&de, CTP_IOERR, "output", "write error: "
			    "%s", zip_strerror(za));
		else
			rc = ctp_errf(&de, CTP_SOFTWARE, "zip", "%s",
			    zip_strerror(za));
	}
	if (za != NULL)
		zip_discard(za);
	zip_error_fini(&o.ze);
	zip_error_fini(&ze);
	if (rc != 0)
		*e = de;
	return rc;
}
