/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: ServerAlias patterns ('*' and '?' wildcards) indexed so that
 * finding those that match a name costs the same with ten patterns or
 * ten thousand (pure).
 *
 * A pattern is filed under its text after the last '*' ("*.example.com"
 * under ".example.com"), and a name is looked up by its suffixes of the
 * lengths filed: one hash lookup per distinct length. Patterns without
 * such a suffix (a trailing '*', a '?' after the last '*') are few and
 * are scanned.
 */
#ifndef HSTS_WILD_H
#define HSTS_WILD_H

#include <apr_pools.h>

/* Whether name matches a wildcard ServerAlias pattern ('*' and '?'), the
 * way httpd matches them; the glue passes httpd's own matcher. */
typedef int (*hsts_name_match_fn)(const char *pattern, const char *name);

typedef struct hsts_wild_t hsts_wild_t;

hsts_wild_t *hsts_wild_make(apr_pool_t *p);

/* Files pattern (which must outlive the index) with a value >= 0. */
void hsts_wild_add(hsts_wild_t *w, const char *pattern, int value);

/* The smallest value of the patterns that match name, or -1. */
int hsts_wild_first(const hsts_wild_t *w, const char *name,
                    hsts_name_match_fn match);

#endif /* HSTS_WILD_H */
