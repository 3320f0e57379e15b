/*
 * buf.h - a growable byte buffer, always NUL-terminated.
 * The buffer owns b->s; ctp_buf_free releases it, ctp_buf_take hands it over.
 */
#ifndef CTP_BUF_H
#define CTP_BUF_H

#include <stddef.h>

struct ctp_buf {
	char *s;
	size_t len;
	size_t cap;
};

#define CTP_BUF_INIT { NULL, 0, 0 }

int	ctp_buf_grow(struct ctp_buf *, size_t extra);	/* 0 or -1 */
int	ctp_buf_add(struct ctp_buf *, const void *, size_t);
int	ctp_buf_puts(struct ctp_buf *, const char *);
int	ctp_buf_putc(struct ctp_buf *, int);
int	ctp_buf_printf(struct ctp_buf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	ctp_buf_reset(struct ctp_buf *);		/* len = 0, keeps memory */
void	ctp_buf_free(struct ctp_buf *);
char	*ctp_buf_take(struct ctp_buf *);		/* caller frees */
/* v in decimal as printf's "%lld" writes it, without its cost (a run
 * hashes a number per event): into out, NUL-ended; its length. */
#define CTP_LLD_LEN 24
size_t	ctp_lld(long long v, char out[CTP_LLD_LEN]);

#endif
