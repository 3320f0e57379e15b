/*
 * progress.h - how long work tells how far it has come.  Library code
 * never prints: a function that may run for more than a second takes a
 * struct ctp_progress and calls ctp_progress_tell as it goes; the program
 * gives ctp_cli_progress (cli.h), which draws one line on a terminal and
 * nothing elsewhere, or leaves fn NULL for silence.
 */
#ifndef CTP_PROGRESS_H
#define CTP_PROGRESS_H

enum ctp_progress_unit {
	CTP_PROGRESS_ITEMS,	/* "1,234/5,000" and a bar */
	CTP_PROGRESS_BYTES	/* "12.3 of 80.0 MB" */
};

/*
 * what names the work ("leie", "reading the registry file"); done and
 * total count units of unit, total 0 when unknown.  end is 1 on the last
 * call, when the work is over or has failed, so the line can be cleared.
 * The function is called often: it decides how often to draw.
 */
typedef void ctp_progress_fn(void *arg, const char *what,
    enum ctp_progress_unit unit, long long done, long long total, int end);

struct ctp_progress {
	ctp_progress_fn *fn;	/* NULL: nobody is told */
	void *arg;
};

/* Tell p, when it has a function. */
void	ctp_progress_tell(const struct ctp_progress *p, const char *what,
	    enum ctp_progress_unit unit, long long done, long long total,
	    int end);

#endif
