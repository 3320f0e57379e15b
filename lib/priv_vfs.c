/*
 * priv_vfs.c - SQLite's files of the team directory opened with the
 * team group (priv.h): a VFS over the default one whose calls that
 * name a file (open, delete, access, full path name) take the group
 * for a team path only, and whose files take it again for the two
 * calls that open or remove a file of their own: the shared-memory
 * index of the WAL (map, unmap) and the directory synced after a
 * journal is made (sync).  Reads and writes go straight to the open
 * descriptor.  A file outside the team directories is the default
 * VFS's own file, untouched: nothing is added to its calls.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "priv.h"

int	ctp_priv_vfs_register(void);

struct tfile {
	sqlite3_file base;
	sqlite3_file *real;	/* the default VFS's file, after this */
};

static sqlite3_vfs *under;
static sqlite3_vfs vfs;

#define REAL(f)	(((struct tfile *)(f))->real)

static int
t_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int
t_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), b, n, off);
}

static int
t_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xWrite(REAL(f), b, n, off);
}

static int
t_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int
t_sync(sqlite3_file *f, int flags)
{
	int in = ctp_priv_raise(), rc;

	rc = REAL(f)->pMethods->xSync(REAL(f), flags);
	ctp_priv_leave(in);
	return rc;
}

static int
t_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int
t_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}

static int
t_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}

static int
t_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int
t_fcntl(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int
t_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int
t_devchar(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int
t_shmmap(sqlite3_file *f, int pg, int sz, int extend, void volatile **p)
{
	int in, rc;

	if (REAL(f)->pMethods->iVersion < 2)
		return SQLITE_IOERR;
	in = ctp_priv_raise();
	rc = REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, p);
	ctp_priv_leave(in);
	return rc;
}

static int
t_shmlock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void
t_shmbarrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
t_shmunmap(sqlite3_file *f, int del)
{
	int in = ctp_priv_raise(), rc;

	rc = REAL(f)->pMethods->xShmUnmap(REAL(f), del);
	ctp_priv_leave(in);
	return rc;
}

static int
t_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
	if (REAL(f)->pMethods->iVersion < 3) {
		*p = NULL;
		return SQLITE_OK;
	}
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, p);
}

static int
t_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	if (REAL(f)->pMethods->iVersion < 3)
		return SQLITE_OK;
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods methods = {
	3, t_close, t_read, t_write, t_truncate, t_sync, t_size, t_lock,
	t_unlock, t_reserved, t_fcntl, t_sector, t_devchar, t_shmmap,
	t_shmlock, t_shmbarrier, t_shmunmap, t_fetch, t_unfetch
};

/* A database of the team directory is NAME.db; nothing else opens as one. */
static int
db_name(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".db") == 0;
}

static int
t_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags,
    int *out)
{
	struct tfile *t = (struct tfile *)f;
	int in, rc;

	(void)v;
	if (name == NULL || !ctp_priv_team_path(name) ||
	    ((flags & SQLITE_OPEN_MAIN_DB) && !db_name(name)))
		return under->xOpen(under, name, f, flags, out);
	t->real = (sqlite3_file *)(t + 1);
	memset(t->real, 0, (size_t)under->szOsFile);
	in = ctp_priv_enter(name);
	rc = under->xOpen(under, name, t->real, flags, out);
	ctp_priv_leave(in);
	f->pMethods = t->real->pMethods != NULL ? &methods : NULL;
	return rc;
}

static int
t_delete(sqlite3_vfs *v, const char *name, int sync)
{
	int in = ctp_priv_enter(name), rc;

	(void)v;
	rc = under->xDelete(under, name, sync);
	ctp_priv_leave(in);
	return rc;
}

static int
t_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	int in = ctp_priv_enter(name), rc;

	(void)v;
	rc = under->xAccess(under, name, flags, out);
	ctp_priv_leave(in);
	return rc;
}

static int
t_fullpath(sqlite3_vfs *v, const char *name, int n, char *out)
{
	int in = ctp_priv_enter(name), rc;

	(void)v;
	rc = under->xFullPathname(under, name, n, out);
	ctp_priv_leave(in);
	return rc;
}

static void *
t_dlopen(sqlite3_vfs *v, const char *name)
{
	(void)v;
	(void)name;
	return NULL;		/* extensions are never loaded */
}

static void
t_dlerror(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	if (n > 0)
		snprintf(out, (size_t)n, "extensions are not loaded");
}

static void (*t_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	(void)v;
	(void)h;
	(void)sym;
	return NULL;
}

static void
t_dlclose(sqlite3_vfs *v, void *h)
{
	(void)v;
	(void)h;
}

static int
t_random(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return under->xRandomness(under, n, out);
}

static int
t_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return under->xSleep(under, us);
}

static int
t_time(sqlite3_vfs *v, double *out)
{
	(void)v;
	return under->xCurrentTime(under, out);
}

static int
t_lasterr(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return under->xGetLastError ? under->xGetLastError(under, n, out) : 0;
}

static int
t_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	(void)v;
	return under->xCurrentTimeInt64(under, out);
}

int
ctp_priv_vfs_register(void)
{
	if (under != NULL)
		return 0;
	if ((under = sqlite3_vfs_find(NULL)) == NULL || under->iVersion < 2)
		return -1;
	vfs.iVersion = 2;
	vfs.szOsFile = (int)sizeof(struct tfile) + under->szOsFile;
	vfs.mxPathname = under->mxPathname;
	vfs.zName = "ctp-team";
	vfs.xOpen = t_open;
	vfs.xDelete = t_delete;
	vfs.xAccess = t_access;
	vfs.xFullPathname = t_fullpath;
	vfs.xDlOpen = t_dlopen;
	vfs.xDlError = t_dlerror;
	vfs.xDlSym = t_dlsym;
	vfs.xDlClose = t_dlclose;
	vfs.xRandomness = t_random;
	vfs.xSleep = t_sleep;
	vfs.xCurrentTime = t_time;
	vfs.xGetLastError = t_lasterr;
	vfs.xCurrentTimeInt64 = t_time64;
	return sqlite3_vfs_register(&vfs, 1) == SQLITE_OK ? 0 : -1;
}
