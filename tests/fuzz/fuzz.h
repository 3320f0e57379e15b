/*
 * fuzz.h - what the fuzz entry points share: a scratch directory, input
 * written to a file there, and a scratch organization.
 *
 * Each tests/fuzz/NAME.c defines LLVMFuzzerTestOneInput for one parser.
 * Built with clang -fsanitize=fuzzer it is a libFuzzer target (make fuzz,
 * tests/fuzz/run); built with tests/fuzz/replay.c it replays the saved
 * inputs of tests/fuzz/corpus/NAME (make check).  An entry point aborts
 * (fuzz_assert) on a wrong answer, not only on a crash.
 *
 * Everything returned lives until the next call of the same function,
 * unless said.
 */
#ifndef CTP_FUZZ_H
#define CTP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "screen.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A private scratch directory, made on first use and removed at exit. */
const char *fuzz_dir(void);
/* Write size bytes to fuzz_dir()/name; its path (static), or NULL. */
const char *fuzz_file(const char *name, const void *data, size_t size);
/* The bytes as a NUL-terminated string (new; the caller frees). */
char	*fuzz_str(const uint8_t *data, size_t size);

/*
 * A fresh organization in fuzz_dir()/org.db, the caller its owner, with
 * the providers of a small roster and a small LEIE and SAM list in force
 * (fuzz.c).  Each call starts again from
 * the same copy, so an input does the same thing whatever ran before it.
 * NULL on error (the harness then does nothing).
 */
struct ctp_ctx *fuzz_org(void);
void	fuzz_org_close(struct ctp_ctx *);
/*
 * What must hold after any run, however bad its input: the database is
 * whole (integrity_check, foreign_key_check) and the audit chain verifies.
 */
void	fuzz_org_check(struct ctp_ctx *);

/*
 * Load a list file into c (force: no shrink guard), kind and, for a
 * custom list, its name and map as ctp-screen load takes them.  The load
 * succeeds or refuses the file (65) and then leaves the lists as they
 * were.  Returns the code.
 */
int	fuzz_load(struct ctp_ctx *c, enum ctp_list_kind kind, const char *path,
	    const char *list, const char *map);
/* Screen the whole roster against the lists in force: 0 or 1. */
void	fuzz_screen(struct ctp_ctx *c);
/*
 * A list entry point: the input written as file, loaded as each of n
 * kinds in turn into a fresh organization, the roster screened, the
 * organization checked (fuzz_org_check).
 */
void	fuzz_list(const uint8_t *data, size_t size, const char *file,
	    const enum ctp_list_kind *kinds, size_t n, const char *list,
	    const char *map);

/*
 * Import path into c (partial, with map when not NULL; dry_run as
 * asked): 0, 1 (rows rejected) or 65 (bad file, with a message), s
 * filled.  Returns the code.
 */
struct ctp_import_stats;
int	fuzz_import(struct ctp_ctx *c, const char *path, const char *map,
	    int dry_run, struct ctp_import_stats *s);

/*
 * The NPIs that start lines of d ("0123456789",), at most max, sorted
 * into set; their count.
 */
size_t	fuzz_line_npis(const uint8_t *d, size_t n, uint64_t *set, size_t max);
int	fuzz_cmp_u64(const void *, const void *);

/*
 * The header line of an NPPES dissemination file (330 quoted names, the
 * ones ctp reads where the real file has them, ending in CRLF).
 */
const char *fuzz_nppes_header(size_t *len);

/* Abort with a message when cond is false: a difference is a crash. */
#define fuzz_assert(cond, what) \
	((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, (what)))
void	fuzz_fail(const char *file, int line, const char *what)
	    __attribute__((noreturn));

#endif
