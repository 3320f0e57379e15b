/*
 * name_memo: a memo's answers are ctp_name_last_keys' and
 * ctp_name_first_key's, the first time and every time after, for
 * names of one part and many, particles, suffixes, nothing to key, and
 * more distinct names than the table starts with.
 */
#include <stdio.h>
#include <string.h>

#include "name_memo.h"
#include "tap.h"

static const char *const names[] = {
	"Smith", "SMITH", "de la Cruz", "Van der Berg-Jones", "O'Brien",
	"Smith Jr.", "Garcia Lopez", "", "  ", "123", "-", "Mc Donald",
	"José", "Nguyen", "St. John", "Al Hassan", "Jean-Luc", "MARY ANN",
	NULL
};

static int
same_last(struct ctp_name_memo *m, const char *s)
{
	char a[CTP_NAME_MAXKEYS][CTP_NAME_KEY], b[CTP_NAME_MAXKEYS][CTP_NAME_KEY];
	int na, nb, i;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	na = ctp_name_last_keys(s, a);
	nb = ctp_name_memo_last_keys(m, s, b);
	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return 1;
}

static int
same_first(struct ctp_name_memo *m, const char *s)
{
	char a[CTP_NAME_KEY], b[CTP_NAME_KEY];

	return ctp_name_first_key(s, a) == ctp_name_memo_first_key(m, s, b) &&
	    strcmp(a, b) == 0;
}

int
main(void)
{
	struct ctp_name_memo *m = ctp_name_memo_new();
	char buf[64];
	int i, round, bad = 0;

	ok(m != NULL, "a memo");
	for (round = 0; round < 3; round++)
		for (i = 0; names[i]; i++) {
			ok(same_last(m, names[i]), "last keys of \"%s\", "
			    "round %d", names[i], round);
			ok(same_first(m, names[i]), "first key of \"%s\", "
			    "round %d", names[i], round);
		}
	for (round = 0; round < 2; round++)
		for (i = 0; i < 20000; i++) {
			snprintf(buf, sizeof(buf), "Name%c%c%c Part%c", 'A' +
			    i % 26, 'A' + i / 26 % 26, 'A' + i / 676 % 26,
			    'A' + i % 7);
			bad += !same_last(m, buf) || !same_first(m, buf);
		}
	is_int(bad, 0, "20,000 distinct names, twice: the table grows");
	ok(same_last(NULL, "Smith") && same_first(NULL, "Smith"),
	    "without a memo, the functions themselves");
	ctp_name_memo_free(m);
	return done_testing();
}
