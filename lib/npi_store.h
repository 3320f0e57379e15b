/*
 * npi_store.h - the mismatch store of a refresh: each provider's check
 * written as mismatches and a PSV entry, the new mismatches printed.
 */
#ifndef CTP_NPI_STORE_H
#define CTP_NPI_STORE_H

#include "auth.h"
#include "err.h"
#include "npi.h"
#include "npi_roster.h"
#include "out.h"

struct ctp_npi_store;

/*
 * A store for a refresh by method ("api" or "bulk") found on as_of,
 * counting into s; *out is freed with ctp_npi_store_close.
 */
int	ctp_npi_store_open(struct ctp_npi_store **out, struct ctp_ctx *c,
	    const char *method, long as_of, struct ctp_npi_summary *s,
	    struct ctp_error *e);
/*
 * One provider's check: its record compared with it (g NULL: not in
 * the registry), the differences stored, its PSV entry queued.
 */
int	ctp_npi_store_check(struct ctp_npi_store *w, struct ctp_npi_entry *x,
	    const struct ctp_npi_rec *g, struct ctp_error *e);
/* Write the queued PSV entries. */
int	ctp_npi_store_flush(struct ctp_npi_store *w, struct ctp_error *e);
/* The mismatches opened or changed, as ctp-npi mismatches shows them. */
int	ctp_npi_store_print(const struct ctp_npi_store *w, struct ctp_out *o,
	    struct ctp_error *e);
void	ctp_npi_store_close(struct ctp_npi_store *w);

#endif
