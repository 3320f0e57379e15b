/*
 * package_verify.c - ctp-package verify (package.h): every file of a
 * package against its manifest, read a chunk at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zip.h>

#include "hash.h"
#include "mem.h"
#include "package.h"

#define MANIFEST_MAX (16 << 20)

struct vctx {
	void (*warn)(void *, const char *);
	void *arg;
	long long bad;
};

static void
problem(struct vctx *v, const char *name, const char *what)
{
	char buf[600], vis[300];

	v->bad++;
	if (v->warn == NULL)
		return;
	ctp_vis(vis, sizeof(vis), name, CTP_VIS_SPACE);
	snprintf(buf, sizeof(buf), "%s: %s", vis, what);
	v->warn(v->arg, buf);
}

/* Entry i's SHA-256 and size: 0, or -1 when it cannot be read. */
static int
hash_entry(zip_t *za, zip_uint64_t i, char sha[CTP_SHA256_HEX],
    long long *size)
{
	struct ctp_sha256 *h;
	zip_file_t *zf;
	zip_int64_t n;
	char *buf;
	int rc = 0;

	*size = 0;
	if ((buf = ctp_malloc(65536)) == NULL)
		return -1;
	if ((zf = zip_fopen_index(za, i, 0)) == NULL || (h =
	    ctp_sha256_new()) == NULL) {
		if (zf)
			zip_fclose(zf);
		free(buf);
		return -1;
	}
	while ((n = zip_fread(zf, buf, 65536)) > 0) {
		ctp_sha256_update(h, buf, (size_t)n);
		*size += n;
	}
	if (n < 0)
		rc = -1;
	ctp_sha256_final(h, sha);
	if (zip_fclose(zf) != 0)	/* a CRC that does not match */
		rc = -1;
	free(buf);
	return rc;
}

static json_t *
read_manifest(zip_t *za, const char *path, struct ctp_error *e)
{
	zip_stat_t st;
	zip_file_t *zf;
	json_error_t je;
	json_t *m = NULL;
	char *s;
	zip_int64_t n;

	if (zip_stat(za, "manifest.json", 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE)) {
		ctp_errf(e, CTP_DATAERR, path, "no manifest.json");
		return NULL;
	}
	if (st.size > MANIFEST_MAX) {
		ctp_errf(e, CTP_DATAERR, path, "manifest.json too large");
		return NULL;
	}
	if ((s = ctp_malloc(st.size + 1)) == NULL) {
		ctp_err_nomem(e, "manifest.json");
		return NULL;
	}
	if ((zf = zip_fopen(za, "manifest.json", 0)) != NULL) {
		n = zip_fread(zf, s, st.size);
		if (zip_fclose(zf) == 0 && n == (zip_int64_t)st.size)
			m = json_loadb(s, st.size, 0, &je);
	}
	free(s);
	if (m == NULL || !json_is_array(json_object_get(m, "files"))) {
		json_decref(m);
		ctp_errf(e, CTP_DATAERR, path, "manifest.json: not a manifest");
		return NULL;
	}
	return m;
}

/* The manifest's record of name, or NULL. */
static json_t *
find(json_t *files, const char *name, size_t *at)
{
	size_t i;
	json_t *f;

	json_array_foreach(files, i, f) {
		const char *p = json_string_value(json_object_get(f, "path"));

		if (p && strcmp(p, name) == 0) {
			*at = i;
			return f;
		}
	}
	return NULL;
}

static void
check_entry(zip_t *za, zip_uint64_t i, json_t *files, char *seen,
    struct vctx *v, long long *nfiles)
{
	const char *name = zip_get_name(za, i, ZIP_FL_ENC_RAW), *why, *want;
	char sha[CTP_SHA256_HEX];
	long long size;
	json_t *f;
	size_t at;

	if (name == NULL) {
		problem(v, "?", "an entry without a name");
		return;
	}
	if ((why = ctp_package_name_check(name)) != NULL)
		problem(v, name, why);
	if (strcmp(name, "manifest.json") == 0)
		return;
	if ((f = find(files, name, &at)) == NULL) {
		problem(v, name, "not in the manifest");
		return;
	}
	if (seen[at]++) {
		problem(v, name, "in the package twice");
		return;
	}
	(*nfiles)++;
	want = json_string_value(json_object_get(f, "sha256"));
	if (hash_entry(za, i, sha, &size) != 0)
		problem(v, name, "cannot be read (damaged)");
	else if (want == NULL || strcmp(sha, want) != 0)
		problem(v, name, "sha256 differs");
	else if (size != json_integer_value(json_object_get(f, "size")))
		problem(v, name, "size differs");
}

int
ctp_package_verify(const char *path, void (*warn)(void *, const char *),
    void *arg, long long *nfiles, long long *bad, struct ctp_error *e)
{
	struct vctx v = { warn, arg, 0 };
	json_t *m, *files, *f;
	zip_int64_t n, i;
	size_t j;
	char *seen;
	zip_t *za;
	int zerr = 0;

	*nfiles = *bad = 0;
	if ((za = zip_open(path, ZIP_RDONLY, &zerr)) == NULL) {
		if (zerr == ZIP_ER_NOENT)
			return ctp_errf(e, CTP_NOINPUT, path, "no such file");
		if (zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ)
			return ctp_errf(e, CTP_NOINPUT, path, "cannot read");
		return ctp_errf(e, CTP_DATAERR, path, "not a ZIP archive");
	}
	if ((m = read_manifest(za, path, e)) == NULL) {
		zip_discard(za);
		return e->code;
	}
	files = json_object_get(m, "files");
	if ((seen = ctp_calloc(json_array_size(files) + 1, 1)) == NULL) {
		json_decref(m);
		zip_discard(za);
		return ctp_err_nomem(e, "verify");
	}
	n = zip_get_num_entries(za, 0);
	for (i = 0; i < n; i++)
		check_entry(za, (zip_uint64_t)i, files, seen, &v, nfiles);
	json_array_foreach(files, j, f)
		if (!seen[j]) {
			const char *p = json_string_value(json_object_get(f,
			    "path"));

			problem(&v, p ? p : "?", "missing from the package");
		}
	free(seen);
	json_decref(m);
	zip_discard(za);
	*bad = v.bad;
	return 0;
}
