/*
 * psv.h - the primary-source verification log: per provider (and
 * credential), every verification: source, method, result, reference,
 * who, when.  Automated checks (screening, the NPI refresh) write it
 * themselves.  Every entry is written here, through one writer.
 */
#ifndef CTP_PSV_H
#define CTP_PSV_H

#include <jansson.h>
#include <sqlite3.h>

#include "err.h"
#include "hash.h"

struct ctp_psv_writer;

struct ctp_psv_entry {
	long long provider_id;
	long long credential_id; /* 0 when not about one credential */
	const char *source;	/* "NPPES", "OIG LEIE", "SAM", ... */
	const char *result;	/* "clear", "potential_match", ... */
	const char *reference;	/* list version, registry date; or NULL */
	const char *detail;	/* from ctp_psv_detail, or NULL */
	const char *verified_on; /* YYYY-MM-DD the check was done; NULL:
				    the day of the entry's ts */
	const char *note;	/* the coordinator's, or NULL */
	long long corrects;	/* the id of the entry this corrects, or 0 */
};

/*
 * A writer of entries by actor with method ("api", "bulk", "list
 * file", ...), stamped ts (RFC 3339 UTC; NULL: the time each batch is
 * written).  The strings are copied.  Free with ctp_psv_close.
 */
int	ctp_psv_open(struct ctp_psv_writer **out, sqlite3 *db,
	    const char *actor, const char *ts, const char *method,
	    struct ctp_error *e);
/*
 * Queue one entry, its strings copied, writing a full queue first.
 * Call inside the caller's write transaction, and ctp_psv_flush before
 * its commit.
 */
int	ctp_psv_add(struct ctp_psv_writer *w, const struct ctp_psv_entry *p,
	    struct ctp_error *e);
/* Write the queued entries. */
int	ctp_psv_flush(struct ctp_psv_writer *w, struct ctp_error *e);
/* Free w (NULL is fine); entries still queued are dropped. */
void	ctp_psv_close(struct ctp_psv_writer *w);

/*
 * Sealing, for a run that names what it wrote (screening's screen.run
 * event).  ctp_psv_seal_start, inside the write transaction and before
 * the entries to seal, notes the next id and starts their digest:
 * SHA-256 over one "provider_id|source|result" line per entry in id
 * order, as `sqlite3 DB "SELECT provider_id, source, result FROM psv_log
 * WHERE id BETWEEN FIRST AND LAST ORDER BY id" | sha256sum` reads them.
 * ctp_psv_seal writes what is queued, checks that the entries are the
 * rows first .. last, and fills s.
 */
struct ctp_psv_seal {
	long long first, last;		/* ids; both 0 when no entry */
	long long rows;
	char sha256[CTP_SHA256_HEX];
};

int	ctp_psv_seal_start(struct ctp_psv_writer *w, struct ctp_error *e);
int	ctp_psv_seal(struct ctp_psv_writer *w, struct ctp_psv_seal *s,
	    struct ctp_error *e);

/*
 * d as an entry's detail: compact JSON, keys sorted.  A new string the
 * caller frees; NULL when out of memory.
 */
char	*ctp_psv_detail(const json_t *d);

/*
 * The words of a verification done by hand or by a verifier: methods
 * (api, web, phone, letter, email, file) and results (verified,
 * discrepancy, not_found, excluded, error), each list ending in NULL.
 */
extern const char *const ctp_psv_methods[];
extern const char *const ctp_psv_results[];
/*
 * The mark a result puts on the credential it verifies: "verified" for
 * verified; "failed" for discrepancy, not_found and excluded; NULL (the
 * mark stays) for error and any other word.
 */
const char *ctp_psv_mark(const char *result);

#endif
