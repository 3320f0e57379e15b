/*
 * screen_file.h - a list file read record by record, for ctp-screen load:
 * a plain file or the CSV inside a ZIP, strict RFC 4180 (with one
 * leniency for SAM files), within the limits screen_file.c states.
 *
 * Records are handed to a callback; their fields live until it returns.
 */
#ifndef CTP_SCREEN_FILE_H
#define CTP_SCREEN_FILE_H

#include <stdio.h>

#include <zip.h>

#include "err.h"
#include "lines.h"

/* The most fields a record may have. */
#define CTP_SCREEN_MAXF 64

struct ctp_screen_file {
	FILE *f;
	zip_t *za;
	zip_file_t *zf;
	struct ctp_lines lines;
	int err;		/* LINES_*: why lines_next failed */
	zip_uint64_t got;	/* bytes of the ZIP member read */
	zip_uint64_t limit;	/* the most it may expand to */
};


/*
 * Open path; a file starting "PK\3\4" is read as a ZIP holding a CSV
 * (CTP_DATAERR unless zip_ok).  ctp_screen_file_close frees what it holds.
 */
int	ctp_screen_file_open(struct ctp_screen_file *ls, const char *path,
	    int zip_ok, struct ctp_error *e);
void	ctp_screen_file_close(struct ctp_screen_file *ls);

/* A record: its fields, nf of them, and the line it starts on. */
typedef int (*ctp_screen_rec_fn)(void *arg, char **f, size_t nf,
    size_t line);

/*
 * Every record to fn, until fn returns non-zero (returned as it is).
 * name is the file in messages; lenient is SAM's leniency.  Bad data:
 * CTP_DATAERR naming name and line.
 */
int	ctp_screen_file_records(struct ctp_screen_file *ls, const char *name,
	    int lenient, ctp_screen_rec_fn fn, void *arg, struct ctp_error *e);

#endif
