/*
 * screen_memo.c - a run's screen.check details, each built once
 * (screen_memo.h): building one through jansson and its canonical dump
 * cost about a ninth of a run's instructions when every provider had
 * its own; a lookup here is a few string compares.
 */
#include <stdlib.h>
#include <string.h>

#include "screen_memo.h"

static int
same(const struct ctp_screen_memo_ent *x, const char *const *key, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (strcmp(x->key[j], key[j]) != 0)
			return 0;
	return 1;
}

const char *
ctp_screen_memo_get(const struct ctp_screen_memo *m, const char *const *key,
    size_t n)
{
	size_t i;

	if (n > CTP_SCREEN_MEMO_LISTS)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (same(&m->ent[i], key, n))
			return m->ent[i].text;
	return NULL;
}

int
ctp_screen_memo_put(struct ctp_screen_memo *m, const char *const *key,
    size_t n, char *text)
{
	struct ctp_screen_memo_ent *x;

	if (n > CTP_SCREEN_MEMO_LISTS || m->n == CTP_SCREEN_MEMO_MAX)
		return -1;
	x = &m->ent[m->n++];
	memcpy(x->key, key, n * sizeof(*key));
	x->text = text;
	return 0;
}

void
ctp_screen_memo_free(struct ctp_screen_memo *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->ent[i].text);
	m->n = 0;
}
