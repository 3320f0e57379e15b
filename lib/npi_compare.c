/*
 * npi_compare.c - the comparison of a roster provider with its registry
 * record: which differences are mismatches.  A pure function of its
 * inputs, no database.  See npi_compare.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "address.h"
#include "names.h"
#include "npi_compare.h"

/* Upper-case letters and digits only: "O'Brien" and "OBRIEN" agree. */
static void
fold(const char *s, char *out, size_t n, int strip_zeros)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	for (; *p && o + 1 < n; p++) {
		if (!isalnum(*p) && *p < 0x80)
			continue;
		if (strip_zeros && o == 0 && *p == '0')
			continue;
		out[o++] = (char)toupper(*p);
	}
	out[o] = '\0';
}

/*
 * Name parts transliterated to ASCII (names.h), spaces dropped.  Non-ASCII
 * goes through the one iconv descriptor of the process (names.c), which
 * is not for two threads at once: names are compared on one thread.
 */
static void
name_key(const char *s, char *out, size_t n)
{
	char tmp[256];

	ctp_name_norm(s ? s : "", tmp, sizeof(tmp));
	fold(tmp, out, n, 0);
}

int
ctp_npi_name_same(const char *a, const char *b)
{
	char fa[256], fb[256];

	/*
	 * The common case first: the same text but for case (fold keeps
	 * the same bytes upper-cased), or the same letters and digits.
	 */
	if (a != NULL && b != NULL && strcasecmp(a, b) == 0)
		return 1;
	fold(a, fa, sizeof(fa), 0);
	fold(b, fb, sizeof(fb), 0);
	if (strcmp(fa, fb) == 0)
		return 1;
	name_key(a, fa, sizeof(fa));
	name_key(b, fb, sizeof(fb));
	return strcmp(fa, fb) == 0;
}

int
ctp_npi_license_same(const char *a, const char *b)
{
	char fa[128], fb[128];

	/* Equal but for case: equal folded too (the usual case). */
	if (a != NULL && b != NULL && strcasecmp(a, b) == 0)
		return 1;
	fold(a, fa, sizeof(fa), 1);
	fold(b, fb, sizeof(fb), 1);
	return strcmp(fa, fb) == 0;
}

static struct ctp_npi_diff *
add_diff(struct ctp_npi_diffs *ds, const char *field, const char *rv,
    const char *gv)
{
	struct ctp_npi_diff *d = &ds->d[ds->n++];

	d->field = field;
	snprintf(d->roster, sizeof(d->roster), "%s", rv ? rv : "");
	snprintf(d->registry, sizeof(d->registry), "%s", gv ? gv : "");
	d->apply = NULL;
	return d;
}

void
ctp_npi_diffs_clear(struct ctp_npi_diffs *ds)
{
	int i;

	for (i = 0; i < ds->n; i++)
		json_decref(ds->d[i].apply);
	ds->n = 0;
}

static void
fmt_addr(char *out, size_t n, const char *l1, const char *l2,
    const char *city, const char *st, const char *zip)
{
	char z[10];

	ctp_addr_norm_zip(zip, z);
	snprintf(out, n, "%s%s%s, %s, %s %.5s%s%s", l1 ? l1 : "",
	    l2 && *l2 ? " " : "", l2 && *l2 ? l2 : "", city ? city : "",
	    st ? st : "", z, strlen(z) == 9 ? "-" : "",
	    strlen(z) == 9 ? z + 5 : "");
}

/* Append n bytes of s at out + len as far as they fit; the new length. */
static size_t
put(char *out, size_t size, size_t len, const char *s, size_t n)
{
	if (n > size - 1 - len)
		n = size - 1 - len;
	memcpy(out + len, s, n);
	len += n;
	out[len] = '\0';
	return len;
}

/* s, or "" for NULL. */
static const char *
str(const char *s)
{
	return s ? s : "";
}

/* A legal name part: a difference when the names are not the same. */
static int
diff_name(struct ctp_npi_diffs *ds, const char *field, const char *rv,
    const char *gv)
{
	struct ctp_npi_diff *d;

	if (ctp_npi_name_same(rv, gv))
		return 0;
	d = add_diff(ds, field, rv, gv);
	if (gv != NULL && (d->apply = json_pack("{s:s}", field, gv)) == NULL)
		return -1;
	return 0;
}

/* The practice location, compared normalized (address.h). */
static int
diff_address(struct ctp_npi_diffs *ds, const struct ctp_npi_provider *p,
    const struct ctp_npi_rec *g)
{
	struct ctp_addr ra, ga;
	struct ctp_npi_diff *d;
	char rv[CTP_NPI_VAL_MAX], gv[CTP_NPI_VAL_MAX], line[CTP_NPI_VAL_MAX];
	char z[12];

	ra.line1 = str(p->address);
	ra.line2 = NULL;
	ra.city = str(p->city);
	ra.state = str(p->state);
	ra.zip = str(p->zip);
	ga.line1 = g->f[CTP_NPI_PRACTICE_ADDRESS];
	ga.line2 = g->f[CTP_NPI_PRACTICE_ADDRESS_2];
	ga.city = g->f[CTP_NPI_PRACTICE_CITY];
	ga.state = g->f[CTP_NPI_PRACTICE_STATE];
	ga.zip = g->f[CTP_NPI_PRACTICE_ZIP];
	if (ctp_addr_same(&ra, &ga))
		return 0;
	fmt_addr(rv, sizeof(rv), ra.line1, NULL, ra.city, ra.state, ra.zip);
	fmt_addr(gv, sizeof(gv), ga.line1, ga.line2, ga.city, ga.state,
	    ga.zip);
	snprintf(line, sizeof(line), "%s%s%s", ga.line1, ga.line2 ? " " : "",
	    ga.line2 ? ga.line2 : "");
	ctp_addr_norm_zip(ga.zip, z);
	if (strlen(z) == 9) {
		memmove(z + 6, z + 5, 5);
		z[5] = '-';
	}
	d = add_diff(ds, "practice_address", rv, gv);
	if ((d->apply = json_pack("{s:s,s:s,s:s,s:s}", "practice_address",
	    line, "practice_city", str(ga.city), "practice_state",
	    str(ga.state), "practice_zip", z)) == NULL)
		return -1;
	return 0;
}

/*
 * The registry's license for the primary taxonomy against the active
 * state licenses: a difference when none has its number (and its state,
 * when the registry gives one).
 */
static int
diff_license(struct ctp_npi_diffs *ds, const struct ctp_npi_provider *p,
    const struct ctp_npi_rec *g)
{
	const char *num, *st, *gnum = g->f[CTP_NPI_LICENSE];
	const char *gst = g->f[CTP_NPI_LICENSE_STATE];
	struct ctp_npi_diff *d;
	char rv[CTP_NPI_VAL_MAX], gv[CTP_NPI_VAL_MAX];
	size_t i, len = 0;

	rv[0] = '\0';
	for (i = 0; i < p->nlicenses; i++) {
		num = str(p->licenses[i].number);
		st = str(p->licenses[i].state);
		if (ctp_npi_license_same(num, gnum) &&
		    (gst == NULL || strcasecmp(st, gst) == 0))
			return 0;
		/* "num st; num st", cut where the buffer ends. */
		if (len > 0)
			len = put(rv, sizeof(rv), len, "; ", 2);
		len = put(rv, sizeof(rv), len, num, strlen(num));
		len = put(rv, sizeof(rv), len, " ", 1);
		len = put(rv, sizeof(rv), len, st, strlen(st));
	}
	snprintf(gv, sizeof(gv), "%s %s", gnum, str(gst));
	d = add_diff(ds, "license", rv, gv);
	if ((d->apply = json_pack("{s:{s:s,s:s}}", "license", "number", gnum,
	    "state", str(gst))) == NULL)
		return -1;
	return 0;
}

/*
 * The differences between a roster provider and its registry record (g
 * NULL: the registry does not know the NPI), in the order ctp-npi(1)
 * gives; 0, or -1 without memory (ds then holds what was found).
 */
int
ctp_npi_compare(const struct ctp_npi_provider *p, const struct ctp_npi_rec *g,
    struct ctp_npi_diffs *ds)
{
	const char *tax;
	struct ctp_npi_diff *d;
	char gv[CTP_NPI_VAL_MAX];

	ds->n = 0;
	if (g == NULL) {
		add_diff(ds, "not_found", p->npi, "");
		return 0;
	}
	if (strcmp(ctp_npi_rec_str(g, CTP_NPI_STATUS), "A") != 0 &&
	    ctp_npi_rec_str(g, CTP_NPI_STATUS)[0] != '\0') {
		snprintf(gv, sizeof(gv), "deactivated%s%s",
		    g->f[CTP_NPI_DEACTIVATION_DATE] ? " " : "",
		    ctp_npi_rec_str(g, CTP_NPI_DEACTIVATION_DATE));
		d = add_diff(ds, "deactivated", p->status, gv);
		d->apply = json_pack("{s:s}", "status", "inactive");
		return d->apply ? 0 : -1;
	}
	if (strcmp(ctp_npi_rec_str(g, CTP_NPI_ENTITY_TYPE), "NPI-2") == 0) {
		add_diff(ds, "entity_type", "NPI-1", "NPI-2");
		return 0;
	}
	if (diff_name(ds, "first_name", str(p->first_name),
	    g->f[CTP_NPI_FIRST_NAME]) < 0 || diff_name(ds, "last_name",
	    str(p->last_name), g->f[CTP_NPI_LAST_NAME]) < 0)
		return -1;
	tax = g->f[CTP_NPI_TAXONOMY];
	if (tax != NULL && strcasecmp(str(p->taxonomy), tax) != 0) {
		d = add_diff(ds, "taxonomy", p->taxonomy, tax);
		if ((d->apply = json_pack("{s:s}", "taxonomy", tax)) == NULL)
			return -1;
	}
	if (g->f[CTP_NPI_PRACTICE_ADDRESS] && diff_address(ds, p, g) < 0)
		return -1;
	if (g->f[CTP_NPI_LICENSE] && diff_license(ds, p, g) < 0)
		return -1;
	return 0;
}
