/*
 * package_int.h - what the files of package*.c share (package.h): one
 * provider's package as it is assembled, and the ZIP writer.
 */
#ifndef CTP_PACKAGE_INT_H
#define CTP_PACKAGE_INT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "auth.h"
#include "buf.h"
#include "doc.h"
#include "err.h"
#include "hash.h"

#define PKG_PATH_MAX 96
/*
 * Documents are read into memory (once, for the ZIP and packet.pdf
 * alike) while their sum stays within this; packet.pdf is made in
 * memory when its inputs do.  Beyond it, each is streamed from its
 * blob, and packet.pdf made from and to temporary files: memory stays
 * flat however large the documents.
 */
#define PKG_MEM_BUDGET (8 << 20)

enum pkg_src { PKG_MEM, PKG_DOC, PKG_FILE };

/* One file of the package. */
struct pkg_entry {
	char path[PKG_PATH_MAX];	/* made by ctp: see pkg_doc_path */
	enum pkg_src src;
	struct ctp_buf mem;		/* PKG_MEM */
	long long doc_id;		/* PKG_DOC */
	char *file;			/* PKG_FILE: a temporary file */
	long long size;
	char sha256[CTP_SHA256_HEX];
	int store;			/* already compressed: stored as is */
};

/*
 * The statements a run reads every provider with, prepared once (each
 * keyed by its SQL text's address; package_data.c), on the database's
 * thread.  Freed by pkg_stmts_free.
 */
#define PKG_STMTS 12
struct pkg_stmts {
	sqlite3 *db;
	const char *sql[PKG_STMTS];
	sqlite3_stmt *st[PKG_STMTS];
	int n;
};
/* *st ready for binding (reset, bindings cleared): 0 or the error. */
int	pkg_stmt(struct pkg_stmts *sc, const char *sql, sqlite3_stmt **st,
	    struct ctp_error *e);
void	pkg_stmts_free(struct pkg_stmts *sc);

/* One document of the package. */
struct pkg_doc {
	long long id;
	char kind[16];
	char mime[24];
	char sha256[CTP_SHA256_HEX];
	long long size;
	char path[PKG_PATH_MAX];
	int in_packet;		/* joined into packet.pdf */
};

struct pkg {
	struct pkg_stmts *sc;	/* the run's */
	/* The provider. */
	long long pid;
	char npi[11];
	char *first, *last, *ptype, *status;
	json_t *profile;	/* CAQH-named fields, in order */
	int excluded;		/* status excluded or a confirmed match */
	/* The request. */
	const char *org, *payer;
	long as_of;
	time_t when;
	/* The contents. */
	struct pkg_doc *docs;
	size_t ndocs;
	unsigned required;
	const char *required_source;
	char **gaps;		/* "kind: why" */
	size_t ngaps;
	long packet_pages;
	char **lines;		/* the summary, pkg_summary_lines */
	int nlines;
	int streamed;		/* a document is read from its blob while
				   the ZIP is written: the database's thread */
	struct pkg_entry *v;	/* the files, sorted by path at the end */
	size_t n, cap;
	const char *tmpdir;
};

void	pkg_free(struct pkg *p);
/* The entries' contents freed (their paths, sizes and hashes kept). */
void	pkg_release(struct pkg *p);
/* A new entry at the end of p->v, zeroed; NULL when out of memory. */
struct pkg_entry *pkg_add(struct pkg *p, const char *path, enum pkg_src src);
/* Hash and size of a memory entry. */
int	pkg_mem_done(struct pkg_entry *en, struct ctp_error *e);

/* package_data.c: the provider (NULL pid: CTP_DATAERR not on roster). */
int	pkg_load(sqlite3 *db, const char *npi, struct pkg *p,
	    struct ctp_error *e);
/* The documents, the requirement and the gaps (no file yet). */
int	pkg_check(sqlite3 *db, struct pkg *p, struct ctp_error *e);
/* profile.*, credentials.csv, psv_log.csv, screening.csv, documents/. */
int	pkg_tables(sqlite3 *db, struct pkg *p, struct ctp_error *e);

/* package_summary.c: the summary's lines, read from the database. */
int	pkg_summary_lines(sqlite3 *db, struct pkg *p, struct ctp_error *e);
/*
 * summary.txt, summary.pdf, packet.pdf: db is read only when p->streamed
 * (may be NULL otherwise, and then any thread may call it).
 */
int	pkg_summary_files(sqlite3 *db, struct pkg *p, struct ctp_error *e);
/* manifest.json, last: every other entry must be done. */
int	pkg_manifest(struct pkg *p, struct ctp_error *e);

/*
 * package_zip.c: the entries (sorted by path) as a ZIP written to f,
 * documents streamed from db, each entry dated when.
 */
int	pkg_zip(sqlite3 *db, const struct pkg *p, FILE *f, struct ctp_error *e);

#endif
