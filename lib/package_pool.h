/*
 * package_pool.h - work done beside the thread that holds the database,
 * results taken back in the order it was handed over (package_pool.c).
 * Speed only: a run gives the same packages with or without it.
 */
#ifndef CTP_PACKAGE_POOL_H
#define CTP_PACKAGE_POOL_H

struct pkg_pool;

/*
 * A pool of nthreads threads running work(job) on each job submitted,
 * at most depth jobs handed over and not yet taken back.  NULL when
 * threads cannot be had (the caller then works alone).
 */
struct pkg_pool *pkg_pool_new(int nthreads, int depth, void (*work)(void *));
/* 1 when a submit would not wait (fewer than depth jobs out). */
int	pkg_pool_room(struct pkg_pool *);
/* Hand job over (waits while depth jobs are out). */
void	pkg_pool_submit(struct pkg_pool *, void *job);
/*
 * The oldest job handed over, once its work is done (waits for it);
 * NULL when no job is out.
 */
void	*pkg_pool_take(struct pkg_pool *);
/* Wait for the threads to finish what they hold, then free; NULL fine. */
void	pkg_pool_free(struct pkg_pool *);

#endif
