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

#include "buf.h"
#include "err.h"
#include "import.h"
#include "input.h"

/*
 * The canonical columns in export order, each X(index, name): the
 * indexes below, ctp_import_columns and ctp_roster_export_columns are
 * made from this one list.
 */
#define CTP_IMPORT_COLUMN_LIST(X) \
	X(C_NPI, "npi") X(C_FIRST, "first_name") \
	X(C_MIDDLE, "middle_name") X(C_LAST, "last_name") \
	X(C_SUFFIX, "suffix") X(C_DOB, "dob") X(C_TYPE, "provider_type") \
	X(C_TAX, "taxonomy") X(C_ADDR, "practice_address") \
	X(C_CITY, "practice_city") X(C_STATE, "practice_state") \
	X(C_ZIP, "practice_zip") X(C_PHONE, "phone") X(C_EMAIL, "email") \
	X(C_COORD, "coordinator") X(C_CAQH, "caqh_id") \
	X(C_CAQH_ATT, "caqh_attested") X(C_INIT, "initial_cred_date") \
	X(C_RECRED, "last_recred_date") X(C_LIC_NUM, "license_number") \
	X(C_LIC_ST, "license_state") X(C_LIC_EXP, "license_expires") \
	X(C_DEA_NUM, "dea_number") X(C_DEA_ST, "dea_state") \
	X(C_DEA_EXP, "dea_expires") X(C_BOARD, "board_name") \
	X(C_BOARD_EXP, "board_expires") X(C_MAL_CAR, "malpractice_carrier") \
	X(C_MAL_POL, "malpractice_policy") \
	X(C_MAL_EXP, "malpractice_expires") X(C_STATUS, "status") \
	X(C_OTHER, "other_names")

/* Indexes into ctp_import_columns. */
enum {
#define CTP_IMPORT_INDEX(k, name) k,
	CTP_IMPORT_COLUMN_LIST(CTP_IMPORT_INDEX)
#undef CTP_IMPORT_INDEX
	NCANON
};

/* Index of a canonical column name (exactly as written), or -1. */
int	ctp_import_column_index(const char *name);

/*
 * The provider columns in the order of ctp_roster_fields (every field
 * but the NPI), as the import selects and inserts them.
 */
#define NPCOLS 20
extern const int ctp_import_pcols[NPCOLS];
/* Append ", first_name, middle_name, ..." (those columns) to b; -1 when
 * out of memory. */
int	ctp_import_pcols_list(struct ctp_buf *b);
/*
 * Append the INSERT of n providers to b: ?1 the time (created_at and
 * updated_at), then each row's npi and values of ctp_import_pcols, from
 * ?2 on; -1 when out of memory.
 */
int	ctp_import_providers_insert(struct ctp_buf *b, size_t n);

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
