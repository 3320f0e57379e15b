/*
 * package.h - a provider's credential package for a payer (ctp-package):
 * one ZIP holding manifest.json, profile.json and profile.csv,
 * credentials.csv, psv_log.csv, screening.csv, the latest approved
 * document of each kind (documents/KIND/KIND-ID.EXT), summary.txt,
 * summary.pdf and packet.pdf (the summary page, then every PDF document).
 *
 * The parts, one concern a file: requirements and their rule
 * (package_req.c), the contents read from the database (package_data.c),
 * the summary and manifest (package_summary.c), the ZIP written through
 * libzip with documents streamed from their blobs (package_zip.c), the
 * PDFs joined (pdf_join.c), a run over many providers (package_run.c)
 * and the check a payer runs (package_verify.c).
 *
 * Reproducible: every name is made by ctp and the entries are sorted;
 * each entry has the same time (the as-of day at 12:00 UTC, or
 * SOURCE_DATE_EPOCH), the same attributes (a regular file, mode 0644)
 * and no extra fields; the PDFs carry that time and a deterministic ID.
 * The same database state and the same as-of day give the same bytes.
 */
#ifndef CTP_PACKAGE_H
#define CTP_PACKAGE_H

#include <stddef.h>
#include <time.h>

#include <sqlite3.h>

#include "auth.h"
#include "err.h"
#include "out.h"
#include "progress.h"

/* The longest payer name, in bytes. */
#define CTP_PAYER_MAX 100

/*
 * Prescribers, who hold a DEA registration: MD, DO, DDS, DMD, DPM and
 * the mid-level practitioners NP, PA, CRNA, CNM.  1 or 0.
 */
int	ctp_package_prescriber(const char *ptype);

/* Bit (1u << i) stands for ctp_doc_kinds[i] (doc.h); 0 when unknown. */
unsigned ctp_package_kind_bit(const char *kind);
/*
 * The default requirement: license, malpractice and cv, and dea for a
 * prescriber.
 */
unsigned ctp_package_default(const char *ptype);
/*
 * What a package of provider type ptype for payer must hold: the
 * organization's row for (payer, type), else (payer, any type), else
 * (any payer, type), else (any payer, any type), else the default.
 * Payers compare without regard to ASCII case.  *source (when non-NULL)
 * gets "payer", "payer, any type", "organization", "organization, any
 * type" or "default" (static).
 */
int	ctp_package_required(sqlite3 *db, const char *payer, const char *ptype,
	    unsigned *mask, const char **source, struct ctp_error *e);
/*
 * Replace the requirement for (payer, ptype), each NULL for "any", with
 * kinds (document kinds; "none" alone: nothing; "default" alone: the row
 * removed).  Audit: "package.require".  A payer empty, too long or with
 * control characters, an unknown type or kind: CTP_DATAERR.
 */
int	ctp_package_require_set(struct ctp_ctx *c, const char *payer,
	    const char *ptype, char *const *kinds, int n, struct ctp_error *e);
/*
 * The requirement of every provider type for payer (NULL: any payer),
 * as ctp_package_require_columns, then the organization's rows for
 * other payers.
 */
int	ctp_package_require_list(struct ctp_ctx *c, const char *payer,
	    struct ctp_out *o, struct ctp_error *e);
extern const struct ctp_col ctp_package_require_columns[];
#define CTP_PACKAGE_REQUIRE_NCOLUMNS 4

/* What the completeness rule decides on, about one required kind. */
struct ctp_package_item {
	const char *kind;	/* a document kind */
	int has_doc;		/* an approved document of the kind */
	int credential;		/* the kind has a credential that expires */
	int has_cred;		/* the provider holds an active one */
	long expires;		/* its day, or -1 when it has none */
};
/*
 * The rule: why the item leaves the package incomplete on day as_of
 * ("no approved document", "no active credential", "expired
 * YYYY-MM-DD"), written into buf (n bytes), or NULL when it is met.
 */
const char *ctp_package_gap(const struct ctp_package_item *it, long as_of,
	    char *buf, size_t n);

/*
 * s as a part of a file name (a last name, a payer): lower-case ASCII
 * letters and digits, every other run of bytes one '-', none at either
 * end, at most n - 1 bytes; "x" when nothing is left.
 */
void	ctp_package_slug(const char *s, char *out, size_t n);
/*
 * A name inside a ZIP that is safe to extract anywhere: relative,
 * '/'-separated, no empty, "." or ".." part, no backslash, colon or
 * control character, no part a Windows unzip refuses (CON, PRN, AUX,
 * NUL, COM1-9, LPT1-9, with or without an extension; a trailing dot or
 * space).  NULL when safe, else why (static).
 */
const char *ctp_package_name_check(const char *name);

/* One run of ctp-package build. */
struct ctp_package_opts {
	const char *payer;
	long as_of;		/* day number */
	time_t when;		/* the time of every entry */
	const char *output;	/* FILE.zip (one provider) or DIR; NULL:
				   the current directory */
	int force;		/* replace existing packages */
	int allow_incomplete, allow_excluded;
	/* Told each provider refused and why, one line (NULL: nobody). */
	void	(*warn)(void *arg, const char *msg);
	void	*arg;
	/* Told each package written (its path). */
	void	(*done)(void *arg, const char *path);
	struct ctp_progress progress;	/* "packages": made of all */
};

/*
 * Packages for the providers npis (duplicates are made once).  First
 * every provider is checked and nothing is written unless all pass: an
 * NPI not on the roster (CTP_DATAERR), a provider with a confirmed
 * exclusion without allow_excluded (CTP_DATAERR), a package that misses
 * a requirement without allow_incomplete (CTP_ATTN), each problem told
 * to o->warn.  Then each package is built in a write transaction that
 * holds its "package.build" event and one "doc.download" event a
 * document, committed after the file is complete and before it is named.
 * Output problems: CTP_CANTCREAT, CTP_IOERR; several providers with an
 * output that is not a directory: CTP_USAGE.
 */
int	ctp_package_run(struct ctp_ctx *c, const struct ctp_package_opts *o,
	    char *const *npis, size_t n, struct ctp_error *e);

/*
 * Check a package: every file the manifest names is in the ZIP with its
 * size and SHA-256, every entry is in the manifest, and every name is
 * safe.  Each difference is told to warn ("PATH: sha256 differs"); *bad
 * gets their count and *files the files checked.  0 when the package
 * could be read (see *bad); CTP_NOINPUT, CTP_DATAERR (not a ZIP, no
 * manifest) otherwise.
 */
int	ctp_package_verify(const char *path, void (*warn)(void *, const char *),
	    void *arg, long long *files, long long *bad, struct ctp_error *e);

#endif
