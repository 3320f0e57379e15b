/*
 * audit-bench - append N audit events in one transaction, then verify
 * the chain; prints events per second for both.  Used by scripts/bench/audit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "auth.h"
#include "db.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	struct ctp_audit_check r;
	sqlite3 *db;
	long i, n = argc > 2 ? atol(argv[2]) : 100000;
	double t0, t1, t2;
	json_t *d;

	if (argc < 2) {
		fprintf(stderr, "usage: audit-bench DB [N]\n");
		return 2;
	}
	ctp_db_remove(argv[1]);
	if (ctp_db_create(&db, argv[1], &e) || ctp_ctx_wrap(&c, "bench",
	    argv[1], db, &e)) {
		ctp_error_print("audit-bench", &e);
		return 1;
	}
	t0 = now();
	ctp_db_begin(c->db, &e);
	for (i = 0; i < n; i++) {
		d = json_pack("{s:s, s:I, s:s}", "field", "license_expires",
		    "provider", (json_int_t)i, "source", "roster.csv");
		if (ctp_audit(c, "roster.set", "provider", "1234567893", d, &e)) {
			ctp_error_print("audit-bench", &e);
			return 1;
		}
		json_decref(d);
	}
	if (ctp_db_commit(c->db, &e)) {
		ctp_error_print("audit-bench", &e);
		return 1;
	}
	t1 = now();
	if (ctp_audit_verify(c->db, &r, &e) || r.first_bad) {
		fprintf(stderr, "audit-bench: verify failed\n");
		return 1;
	}
	t2 = now();
	printf("append: %ld events in %.3f s = %.0f events/s (one transaction)\n",
	    n, t1 - t0, n / (t1 - t0));
	printf("verify: %lld events in %.3f s = %.0f events/s (target >= 200000)\n",
	    r.rows, t2 - t1, r.rows / (t2 - t1));
	ctp_ctx_close(c);
	ctp_db_remove(argv[1]);
	return r.rows / (t2 - t1) >= 200000 ? 0 : 1;
}
