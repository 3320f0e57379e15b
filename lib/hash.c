/*
 * hash.c - SHA-256 as lower-case hex through OpenSSL's libcrypto
 * (hash.h): of a buffer, streamed, or of a file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "hash.h"

static void
tohex(const unsigned char *md, unsigned int n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[md[i] >> 4];
		out[2 * i + 1] = hx[md[i] & 15];
	}
	out[2 * n] = '\0';
}

/*
 * The digest and a context are fetched once and reused: OpenSSL 3's
 * implicit fetch on every call costs more than hashing a short row.
 * So ctp_sha256_hex is for one thread: in every program, the one that
 * holds the database (ctp-npi's reader thread hashes nothing).
 */
static EVP_MD *sha256_md;
static EVP_MD_CTX *sha256_ctx;

int
ctp_sha256_hex(const void *p, size_t n, char out[CTP_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len;

	if (sha256_md == NULL &&
	    (sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		return -1;
	if (sha256_ctx == NULL && (sha256_ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (EVP_DigestInit_ex(sha256_ctx, sha256_md, NULL) != 1 ||
	    EVP_DigestUpdate(sha256_ctx, p, n) != 1 ||
	    EVP_DigestFinal_ex(sha256_ctx, md, &len) != 1)
		return -1;
	tohex(md, len, out);
	return 0;
}

struct ctp_sha256 *
ctp_sha256_new(void)
{
	EVP_MD_CTX *c;

	if ((c = EVP_MD_CTX_new()) == NULL)
		return NULL;
	if (EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		return NULL;
	}
	return (struct ctp_sha256 *)c;
}

int
ctp_sha256_update(struct ctp_sha256 *h, const void *p, size_t n)
{
	return EVP_DigestUpdate((EVP_MD_CTX *)h, p, n) == 1 ? 0 : -1;
}

int
ctp_sha256_final(struct ctp_sha256 *h, char out[CTP_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len;
	int rc;

	rc = EVP_DigestFinal_ex((EVP_MD_CTX *)h, md, &len) == 1 ? 0 : -1;
	EVP_MD_CTX_free((EVP_MD_CTX *)h);
	if (rc == 0)
		tohex(md, len, out);
	return rc;
}

int
ctp_sha256_file(const char *path, char out[CTP_SHA256_HEX], long long *size,
    struct ctp_error *e)
{
	FILE *f;
	struct ctp_sha256 *h;
	char buf[65536];
	size_t n;
	long long total = 0;

	if ((f = fopen(path, "rb")) == NULL)
		return ctp_errf(e, errno == ENOENT ? CTP_NOINPUT : CTP_IOERR,
		    path, "%s", strerror(errno));
	if ((h = ctp_sha256_new()) == NULL) {
		fclose(f);
		return ctp_errf(e, CTP_SOFTWARE, path, "cannot start sha-256");
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		ctp_sha256_update(h, buf, n);
		total += (long long)n;
	}
	if (ferror(f)) {
		ctp_sha256_final(h, out);
		fclose(f);
		return ctp_errf(e, CTP_IOERR, path, "read error");
	}
	fclose(f);
	if (ctp_sha256_final(h, out) < 0)
		return ctp_errf(e, CTP_SOFTWARE, path, "sha-256 failed");
	if (size)
		*size = total;
	return 0;
}
