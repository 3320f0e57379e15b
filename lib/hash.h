/*
 * hash.h - SHA-256 through OpenSSL's libcrypto, as lower-case hex.
 */
#ifndef CTP_HASH_H
#define CTP_HASH_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

#define CTP_SHA256_HEX 65	/* 64 hex digits and NUL */

struct ctp_sha256;

/* One shot over a buffer; 0 or -1. */
int	ctp_sha256_hex(const void *p, size_t n, char out[CTP_SHA256_HEX]);

/* Streaming: new, update..., final (which frees).  NULL on failure. */
struct ctp_sha256 *ctp_sha256_new(void);
int	ctp_sha256_update(struct ctp_sha256 *, const void *, size_t);
int	ctp_sha256_final(struct ctp_sha256 *, char out[CTP_SHA256_HEX]);

/* Hash a whole file; also returns its size when size != NULL. */
int	ctp_sha256_file(const char *path, char out[CTP_SHA256_HEX],
	    long long *size, struct ctp_error *e);

#endif
