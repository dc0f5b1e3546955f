/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: ServerAlias patterns indexed by suffix (pure; hsts_wild.h).
 */
#include <apr_hash.h>
#include <apr_tables.h>

#include <string.h>

#include "hsts_wild.h"

typedef struct {
    const char *pattern;
    int value;
} entry_t;

/* Entries filed under one suffix, or scanned. */
typedef struct {
    apr_array_header_t *entries;    /* entry_t */
    int ascending;                  /* values added in order: the first
                                     * match is the smallest */
} list_t;

struct hsts_wild_t {
    apr_pool_t *p;
    apr_hash_t *by_suffix;          /* suffix -> list_t */
    apr_array_header_t *lengths;    /* apr_size_t: the suffix lengths
                                     * filed, each once */
    list_t scanned;
};

static void list_init(apr_pool_t *p, list_t *l)
{
    l->entries = apr_array_make(p, 1, sizeof(entry_t));
    l->ascending = 1;
}

static void list_add(list_t *l, const char *pattern, int value)
{
    entry_t *e;

    if (l->entries->nelts
        && APR_ARRAY_IDX(l->entries, l->entries->nelts - 1, entry_t).value
           > value) {
        l->ascending = 0;
    }
    e = apr_array_push(l->entries);
    e->pattern = pattern;
    e->value = value;
}

hsts_wild_t *hsts_wild_make(apr_pool_t *p)
{
    hsts_wild_t *w = apr_pcalloc(p, sizeof(*w));

    w->p = p;
    w->by_suffix = apr_hash_make(p);
    w->lengths = apr_array_make(p, 2, sizeof(apr_size_t));
    list_init(p, &w->scanned);
    return w;
}

static void note_length(hsts_wild_t *w, apr_size_t len)
{
    int i;

    for (i = 0; i < w->lengths->nelts; i++) {
        if (APR_ARRAY_IDX(w->lengths, i, apr_size_t) == len) {
            return;
        }
    }
    APR_ARRAY_PUSH(w->lengths, apr_size_t) = len;
}

void hsts_wild_add(hsts_wild_t *w, const char *pattern, int value)
{
    const char *star = strrchr(pattern, '*');
    list_t *l;

    if (!star || !star[1] || strchr(star + 1, '?')) {
        list_add(&w->scanned, pattern, value);
        return;
    }
    l = apr_hash_get(w->by_suffix, star + 1, APR_HASH_KEY_STRING);
    if (!l) {
        l = apr_palloc(w->p, sizeof(*l));
        list_init(w->p, l);
        apr_hash_set(w->by_suffix, star + 1, APR_HASH_KEY_STRING, l);
        note_length(w, strlen(star + 1));
    }
    list_add(l, pattern, value);
}

static int first_in(const list_t *l, const char *name,
                    hsts_name_match_fn match, int best)
{
    const entry_t *e = (const entry_t *)l->entries->elts;
    int j;

    for (j = 0; j < l->entries->nelts; j++) {
        if (best >= 0 && e[j].value >= best) {
            if (l->ascending) {
                break;
            }
            continue;
        }
        if (match(e[j].pattern, name)) {
            best = e[j].value;
            if (l->ascending) {
                break;
            }
        }
    }
    return best;
}

int hsts_wild_first(const hsts_wild_t *w, const char *name,
                    hsts_name_match_fn match)
{
    apr_size_t len = strlen(name);
    int i, best = -1;

    for (i = 0; i < w->lengths->nelts; i++) {
        apr_size_t n = APR_ARRAY_IDX(w->lengths, i, apr_size_t);
        const list_t *l;

        /* the '*' matches at least nothing: a suffix as long as the
         * name is the pattern "*suffix" */
        if (n > len) {
            continue;
        }
        l = apr_hash_get(w->by_suffix, name + len - n, (apr_ssize_t)n);
        if (l) {
            best = first_in(l, name, match, best);
        }
    }
    return first_in(&w->scanned, name, match, best);
}
