/*
 * import_map.h - the columns of the roster file, which ctp-import reads
 * and ctp-roster export writes: the canonical names (ctp_import_columns,
 * import.h), the provider fields and credential groups they fill, the
 * header variants recognized, and --map files that rename others.
 */
#ifndef CTP_IMPORT_MAP_H
#define CTP_IMPORT_MAP_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "input.h"

/* Indexes into ctp_import_columns. */
enum {
	C_NPI, C_FIRST, C_MIDDLE, C_LAST, C_SUFFIX, C_DOB, C_TYPE, C_TAX,
	C_ADDR, C_CITY, C_STATE, C_ZIP, C_PHONE, C_EMAIL, C_COORD, C_CAQH,
	C_CAQH_ATT, C_INIT, C_RECRED, C_LIC_NUM, C_LIC_ST, C_LIC_EXP,
	C_DEA_NUM, C_DEA_ST, C_DEA_EXP, C_BOARD, C_BOARD_EXP, C_MAL_CAR,
	C_MAL_POL, C_MAL_EXP, C_STATUS, C_OTHER, NCANON
};

/* Index of a canonical column name (exactly as written), or -1. */
int	ctp_import_column_index(const char *name);

/*
 * The provider columns in the order of ctp_roster_fields (every field
 * but the NPI), as the import selects and inserts them.
 */
#define NPCOLS 20
extern const int ctp_import_pcols[NPCOLS];

/* A credential the file carries in a group of columns. */
struct ctp_import_group {
	const char *kind;
	int num, st, issuer, exp;	/* canonical columns or -1 */
	int need[3];			/* required when the group is used */
};
#define NGROUPS 4
extern const struct ctp_import_group ctp_import_groups[NGROUPS];
/* Index of a credential kind in ctp_import_groups, or -1. */
int	ctp_import_group_index(const char *kind);

/* Where the file's columns go. */
struct ctp_import_header {
	int col[NCANON];	/* input column of each canonical one, or -1 */
	int *use;		/* per input column: canonical or -1 */
	size_t nuse;		/* input columns */
};

/*
 * Read in's header (its columns now), renamed by the map file map when
 * not NULL, into h: every problem (a column unknown, given twice, a
 * required one missing) said on msg as "prog: FILE:1: ...", then
 * CTP_DATAERR.  h->use is the caller's to free, and is freed here
 * before it is set again (h zeroed at first).
 */
int	ctp_import_header_read(struct ctp_import_header *h,
	    struct ctp_input *in, const char *map, FILE *msg,
	    const char *prog, struct ctp_error *e);

#endif
