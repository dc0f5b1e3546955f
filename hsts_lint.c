/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: the startup lint's rules (pure). Plain host records in,
 * findings and verdicts out (hsts_lint.h).
 *
 * Every check is a lookup in hash tables built once, so the lint takes
 * time roughly linear in the number of hosts and names.
 */
#include <apr_strings.h>
#include <apr_hash.h>
#include <apr_lib.h>

#include <arpa/inet.h>

#include "hsts_lint.h"

/* ------------------------------------------------------------------ */
/* Indexes: which hosts name a host name, and where.                    */

/*
 * Wildcard names (ServerAlias *.example.com) indexed by the literal text
 * after their last '*': a host name is looked up by each of its suffixes.
 * Patterns without such a suffix (a trailing '*', or '?' after the last
 * '*') are few and scanned.
 */
typedef struct {
    const char *pattern;
    int host;
} wild_entry_t;

typedef struct {
    apr_hash_t *by_suffix;          /* suffix -> apr_array of wild_entry_t */
    apr_array_header_t *scanned;    /* wild_entry_t */
    hsts_name_match_fn match;
} wild_index_t;

static void wild_index_init(apr_pool_t *p, wild_index_t *w,
                            hsts_name_match_fn match)
{
    w->match = match;
    w->by_suffix = apr_hash_make(p);
    w->scanned = apr_array_make(p, 1, sizeof(wild_entry_t));
}

static void wild_index_add(apr_pool_t *p, wild_index_t *w,
                           const char *pattern, int host)
{
    const char *star = strrchr(pattern, '*');
    wild_entry_t *e;

    if (star && star[1] && !strchr(star + 1, '?')) {
        apr_array_header_t *list = apr_hash_get(w->by_suffix, star + 1,
                                                APR_HASH_KEY_STRING);
        if (!list) {
            list = apr_array_make(p, 1, sizeof(wild_entry_t));
            apr_hash_set(w->by_suffix, star + 1, APR_HASH_KEY_STRING, list);
        }
        e = apr_array_push(list);
    }
    else {
        e = apr_array_push(w->scanned);
    }
    e->pattern = pattern;
    e->host = host;
}

/* Calls found(host) for every pattern matching name; stops at non-zero. */
typedef int (*wild_found_fn)(void *ctx, int host);

static int wild_index_find(const wild_index_t *w, const char *name,
                           wild_found_fn found, void *ctx)
{
    const wild_entry_t *e;
    apr_size_t i, len = strlen(name);
    int j;

    for (i = 0; i < len; i++) {
        const apr_array_header_t *list = apr_hash_get(w->by_suffix, name + i,
                                                      len - i);
        if (!list) {
            continue;
        }
        e = (const wild_entry_t *)list->elts;
        for (j = 0; j < list->nelts; j++) {
            if (w->match(e[j].pattern, name) && found(ctx, e[j].host)) {
                return 1;
            }
        }
    }
    e = (const wild_entry_t *)w->scanned->elts;
    for (j = 0; j < w->scanned->nelts; j++) {
        if (w->match(e[j].pattern, name) && found(ctx, e[j].host)) {
            return 1;
        }
    }
    return 0;
}

static int found_stop(void *ctx, int host)
{
    *(int *)ctx = host;
    return 1;
}

/* The names of a set of hosts: exact names in a hash, patterns indexed. */
typedef struct {
    apr_hash_t *exact;              /* name -> apr_array of int (hosts) */
    wild_index_t wild;
} name_index_t;

static void name_index_init(apr_pool_t *p, name_index_t *n,
                            hsts_name_match_fn match)
{
    n->exact = apr_hash_make(p);
    wild_index_init(p, &n->wild, match);
}

static int is_pattern(const char *name)
{
    return strpbrk(name, "*?") != NULL;
}

static void name_index_add(apr_pool_t *p, name_index_t *n, const char *name,
                           int host)
{
    apr_array_header_t *list;

    if (is_pattern(name)) {
        wild_index_add(p, &n->wild, name, host);
        return;
    }
    list = apr_hash_get(n->exact, name, APR_HASH_KEY_STRING);
    if (!list) {
        list = apr_array_make(p, 1, sizeof(int));
        apr_hash_set(n->exact, name, APR_HASH_KEY_STRING, list);
    }
    if (list->nelts == 0 || APR_ARRAY_IDX(list, list->nelts - 1, int) != host) {
        APR_ARRAY_PUSH(list, int) = host;
    }
}

static void name_index_add_host(apr_pool_t *p, name_index_t *n,
                                const hsts_lint_host_t *h, int host)
{
    int i;

    name_index_add(p, n, h->name, host);
    for (i = 0; h->names && i < h->names->nelts; i++) {
        name_index_add(p, n, APR_ARRAY_IDX(h->names, i, const char *), host);
    }
    for (i = 0; h->wild_names && i < h->wild_names->nelts; i++) {
        name_index_add(p, n, APR_ARRAY_IDX(h->wild_names, i, const char *),
                       host);
    }
}

/* The first host (in file order) that names name, or -1. A pattern
 * "names" a pattern it matches literally ("*.a.com" names "*.a.com"). */
static int name_index_first(const name_index_t *n, const char *name)
{
    const apr_array_header_t *list = apr_hash_get(n->exact, name,
                                                  APR_HASH_KEY_STRING);
    int host = -1;

    if (list) {
        return APR_ARRAY_IDX(list, 0, int);
    }
    wild_index_find(&n->wild, name, found_stop, &host);
    return host;
}

/* The hosts listening on one plain address:port, the first the default. */
typedef struct {
    int default_host;
    name_index_t names;
} plain_group_t;

typedef struct {
    apr_pool_t *p;
    const hsts_lint_input_t *in;
    const apr_array_header_t *hosts;
    const psl_ctx_t *psl;
    name_index_t tls;               /* TLS hosts */
    name_index_t plain;             /* plain hosts */
    apr_array_header_t *groups;     /* plain_group_t */
    apr_hash_t *under;              /* domain -> apr_array of names below */
    apr_array_header_t *findings;
    apr_array_header_t *verdicts;
} lint_t;

#define HOST(l, i) (&APR_ARRAY_IDX((l)->hosts, (i), hsts_lint_host_t))

/* Registers name under each of its parent domains. */
static void index_subdomains(lint_t *l, const char *name)
{
    const char *dot;

    for (dot = strchr(name, '.'); dot; dot = strchr(dot + 1, '.')) {
        apr_array_header_t *list = apr_hash_get(l->under, dot + 1,
                                                APR_HASH_KEY_STRING);
        if (!list) {
            list = apr_array_make(l->p, 2, sizeof(const char *));
            apr_hash_set(l->under, dot + 1, APR_HASH_KEY_STRING, list);
        }
        APR_ARRAY_PUSH(list, const char *) = name;
    }
}

/* Adds host i to the group of every plain address:port it listens on. */
static void index_plain_groups(lint_t *l, apr_hash_t *group_of, int i)
{
    const hsts_lint_host_t *h = HOST(l, i);
    int j;

    for (j = 0; j < h->addrs->nelts; j++) {
        const char *key = APR_ARRAY_IDX(h->addrs, j, const char *);
        int *gi = apr_hash_get(group_of, key, APR_HASH_KEY_STRING);
        plain_group_t *g;

        if (!gi) {
            gi = apr_palloc(l->p, sizeof(*gi));
            *gi = l->groups->nelts;
            apr_hash_set(group_of, key, APR_HASH_KEY_STRING, gi);
            g = apr_array_push(l->groups);
            g->default_host = i;
            name_index_init(l->p, &g->names, l->in->match);
        }
        g = &APR_ARRAY_IDX(l->groups, *gi, plain_group_t);
        name_index_add_host(l->p, &g->names, h, i);
    }
}

/* Registers each name of host h under its parent domains, once. */
static void index_names_below(lint_t *l, apr_hash_t *seen,
                              const hsts_lint_host_t *h)
{
    const apr_array_header_t *all[2];
    int j, k;

    all[0] = h->names;
    all[1] = h->wild_names;
    if (!apr_hash_get(seen, h->name, APR_HASH_KEY_STRING)) {
        apr_hash_set(seen, h->name, APR_HASH_KEY_STRING, h);
        index_subdomains(l, h->name);
    }
    for (k = 0; k < 2; k++) {
        for (j = 0; all[k] && j < all[k]->nelts; j++) {
            const char *n = APR_ARRAY_IDX(all[k], j, const char *);
            if (!apr_hash_get(seen, n, APR_HASH_KEY_STRING)) {
                apr_hash_set(seen, n, APR_HASH_KEY_STRING, h);
                index_subdomains(l, n);
            }
        }
    }
}

static void lint_index(lint_t *l)
{
    apr_hash_t *group_of = apr_hash_make(l->p);
    apr_hash_t *seen = apr_hash_make(l->p);
    int i;

    name_index_init(l->p, &l->tls, l->in->match);
    name_index_init(l->p, &l->plain, l->in->match);
    l->groups = apr_array_make(l->p, 4, sizeof(plain_group_t));
    l->under = apr_hash_make(l->p);

    for (i = 0; i < l->hosts->nelts; i++) {
        const hsts_lint_host_t *h = HOST(l, i);

        /* A host that listens nowhere (the main server, when virtual
         * hosts claim every listener) answers for no name. */
        if (!h->addrs || !h->addrs->nelts) {
            continue;
        }
        name_index_add_host(l->p, h->is_tls ? &l->tls : &l->plain, h, i);
        if (!h->is_tls && h->behind_proxy && h->hsts) {
            /* its TLS side is the proxy's */
            name_index_add_host(l->p, &l->tls, h, i);
        }
        if (!h->is_tls) {
            index_plain_groups(l, group_of, i);
        }
        index_names_below(l, seen, h);
    }
}

/* The TLS host that serves name (one that names it), or -1. */
static int tls_server(const lint_t *l, const char *name)
{
    return name_index_first(&l->tls, name);
}

static void push_unique(apr_array_header_t *list, int host)
{
    int i;

    for (i = 0; i < list->nelts; i++) {
        if (APR_ARRAY_IDX(list, i, int) == host) {
            return;
        }
    }
    APR_ARRAY_PUSH(list, int) = host;
}

static int found_collect(void *ctx, int host)
{
    push_unique(ctx, host);
    return 0;
}

/*
 * The hosts that answer http://name/: plain hosts that name it, and the
 * default host of every plain address:port where no host names it.
 */
static apr_array_header_t *plain_servers(const lint_t *l, const char *name)
{
    apr_array_header_t *out = apr_array_make(l->p, 2, sizeof(int));
    const apr_array_header_t *exact = apr_hash_get(l->plain.exact, name,
                                                   APR_HASH_KEY_STRING);
    int i;

    for (i = 0; exact && i < exact->nelts; i++) {
        push_unique(out, APR_ARRAY_IDX(exact, i, int));
    }
    wild_index_find(&l->plain.wild, name, found_collect, out);
    for (i = 0; i < l->groups->nelts; i++) {
        const plain_group_t *g = &APR_ARRAY_IDX(l->groups, i, plain_group_t);
        if (name_index_first(&g->names, name) < 0) {
            push_unique(out, g->default_host);
        }
    }
    return out;
}

/* Whether host h names name. */
static int host_names(const lint_t *l, const hsts_lint_host_t *h,
                      const char *name)
{
    int i;

    if (!strcmp(h->name, name)) {
        return 1;
    }
    for (i = 0; h->names && i < h->names->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(h->names, i, const char *), name)) {
            return 1;
        }
    }
    for (i = 0; h->wild_names && i < h->wild_names->nelts; i++) {
        if (l->in->match(APR_ARRAY_IDX(h->wild_names, i, const char *),
                         name)) {
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Hosts and their values.                                              */

int hsts_lint_host_sends_sts(const hsts_lint_host_t *host)
{
    return host->hsts || (host->header_rules && host->header_rules->nelts);
}

/* The mod_headers value that applies to the host as a whole, else any. */
static const hsts_header_rule_t *main_header_rule(const hsts_lint_host_t *h)
{
    const hsts_header_rule_t *rules;
    int i;

    if (!h->header_rules || !h->header_rules->nelts) {
        return NULL;
    }
    rules = (const hsts_header_rule_t *)h->header_rules->elts;
    for (i = 0; i < h->header_rules->nelts; i++) {
        if (!*rules[i].scope) {
            return &rules[i];
        }
    }
    return &rules[0];
}

const char *hsts_lint_host_value(apr_pool_t *p, const hsts_lint_host_t *host)
{
    const hsts_header_rule_t *rule;

    if (host->hsts) {
        return hsts_policy_format(p, &host->policy);
    }
    rule = main_header_rule(host);
    return rule ? rule->value : NULL;
}

/* The policy a mod_headers value describes (its issues are dropped). */
static void rule_policy(apr_pool_t *p, const hsts_header_rule_t *rule,
                        hsts_policy_t *policy)
{
    apr_array_header_t *issues = apr_array_make(p, 2, sizeof(hsts_issue_t));
    hsts_policy_parse(p, rule->value, policy, issues);
}

/* The policy a host sends (the module's, else its main mod_headers
 * value's); 0 when it sends none. */
static int host_policy(apr_pool_t *p, const hsts_lint_host_t *host,
                       hsts_policy_t *policy)
{
    const hsts_header_rule_t *rule;

    if (host->hsts) {
        *policy = host->policy;
        return 1;
    }
    rule = main_header_rule(host);
    if (!rule) {
        return 0;
    }
    rule_policy(p, rule, policy);
    return 1;
}

int hsts_lint_host_preload(apr_pool_t *p, const hsts_lint_host_t *host)
{
    const hsts_header_rule_t *rules;
    hsts_policy_t policy;
    int i;

    if (host->hsts) {
        return host->policy.preload;
    }
    rules = host->header_rules ? (const hsts_header_rule_t *)
                                 host->header_rules->elts : NULL;
    for (i = 0; rules && i < host->header_rules->nelts; i++) {
        rule_policy(p, &rules[i], &policy);
        if (policy.preload) {
            return 1;
        }
    }
    return 0;
}

/* "name:port", how every message names a host. */
static const char *host_id(apr_pool_t *p, const hsts_lint_host_t *h)
{
    return apr_psprintf(p, "%s:%u", h->name, (unsigned int)h->port);
}

static void finding_as(lint_t *l, int host, hsts_code_e code,
                       hsts_severity_e severity, const char *message)
{
    hsts_finding_t *f = apr_array_push(l->findings);

    f->host = host;
    f->issue.code = code;
    f->issue.severity = severity;
    f->issue.message = message;
}

/* A finding with its code's class. */
static void finding(lint_t *l, int host, hsts_code_e code,
                    const char *message)
{
    finding_as(l, host, code, hsts_code_severity(code, 0), message);
}

static int is_ip_literal(apr_pool_t *p, const char *name)
{
    unsigned char buf[16];
    apr_size_t len = strlen(name);

    if (len > 2 && name[0] == '[' && name[len - 1] == ']') {
        name = apr_pstrmemdup(p, name + 1, len - 2);
    }
    return inet_pton(AF_INET, name, buf) == 1
           || inet_pton(AF_INET6, name, buf) == 1;
}

/* ------------------------------------------------------------------ */
/* The checks.                                                          */

/* The checker's header rules for one STS value of a TLS host; where
 * says which directive sent the value. */
static void check_value(lint_t *l, int host, const char *text,
                        const hsts_policy_t *given, const char *where)
{
    apr_array_header_t *issues = apr_array_make(l->p, 4, sizeof(hsts_issue_t));
    const hsts_issue_t *all;
    hsts_policy_t parsed;
    int i;

    if (text) {
        hsts_policy_parse(l->p, text, &parsed, issues);
    }
    hsts_policy_check_preloadable(l->p, given ? given : &parsed, issues);
    all = (const hsts_issue_t *)issues->elts;
    for (i = 0; i < issues->nelts; i++) {
        finding_as(l, host, all[i].code, all[i].severity,
                   where ? apr_pstrcat(l->p, all[i].message, " ", where, NULL)
                         : all[i].message);
    }
}

static void check_values(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    const hsts_header_rule_t *rules;
    int i;

    if (h->hsts) {
        check_value(l, host, h->policy_text, &h->policy,
                    h->policy_text ? apr_psprintf(l->p, "(HSTSPolicy at %s.)",
                                                  h->policy_where)
                                   : NULL);
    }
    rules = h->header_rules ? (const hsts_header_rule_t *)h->header_rules->elts
                            : NULL;
    for (i = 0; rules && i < h->header_rules->nelts; i++) {
        check_value(l, host, rules[i].value, NULL,
                    apr_psprintf(l->p, "(The value is sent by the Header "
                                 "directive at %s: change it there, or let "
                                 "mod_hsts send the header with HSTS On.)",
                                 rules[i].where));
    }
}

/* Whether the rules of scope a apply inside scope b ("3" inside "3/7"). */
static int scope_within(const char *outer, const char *inner)
{
    apr_size_t n = strlen(outer);

    return n == 0 || (!strncmp(outer, inner, n)
                      && (inner[n] == '\0' || inner[n] == '/'));
}

static int action_adds(hsts_header_action_e action)
{
    return action == HSTS_HEADER_ADD || action == HSTS_HEADER_APPEND;
}

/* What the Header rules of one scope do, with those of the scopes around
 * it: how many send with and without "always", whether any adds. */
typedef struct {
    int onsuccess, always, adds;
    const char *where;              /* file:line of each, comma-separated */
} scope_rules_t;

static void scope_rules(lint_t *l, const apr_array_header_t *list,
                        const char *scope, scope_rules_t *out)
{
    const hsts_header_rule_t *rules = (const hsts_header_rule_t *)list->elts;
    int j;

    memset(out, 0, sizeof(*out));
    for (j = 0; j < list->nelts; j++) {
        if (!scope_within(rules[j].scope, scope)) {
            continue;
        }
        out->where = out->where ? apr_pstrcat(l->p, out->where, ", ",
                                              rules[j].where, NULL)
                                : rules[j].where;
        out->always += rules[j].always != 0;
        out->onsuccess += rules[j].always == 0;
        out->adds += action_adds(rules[j].action);
    }
}

static void check_header_overridden(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    const hsts_header_rule_t *rules = (const hsts_header_rule_t *)
                                      h->header_rules->elts;
    const char *where = rules[0].where;
    int i;

    for (i = 1; i < h->header_rules->nelts; i++) {
        where = apr_pstrcat(l->p, where, ", ", rules[i].where, NULL);
    }
    finding(l, host, HSTS_C_CONFIG_HEADER_OVERRIDDEN,
            apr_psprintf(l->p, "mod_headers sets Strict-Transport-Security "
                         "here (Header at %s), but HSTS is on, so mod_hsts's "
                         "policy replaces it. Remove the Header directive.",
                         where));
}

/* What mod_headers does with the header where mod_hsts does not send it:
 * every scope the rules sit in, with the rules of the scopes around it. */
static void check_header_rules(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    const hsts_header_rule_t *rules;
    const char *multiple = NULL, *not_always = NULL;
    int i;

    if (!h->header_rules || !h->header_rules->nelts) {
        return;
    }
    if (h->hsts) {
        check_header_overridden(l, host);
        return;
    }
    rules = (const hsts_header_rule_t *)h->header_rules->elts;
    for (i = 0; i < h->header_rules->nelts; i++) {
        scope_rules_t sr;
        scope_rules(l, h->header_rules, rules[i].scope, &sr);
        if (!multiple && ((sr.onsuccess && sr.always) || sr.adds)) {
            multiple = sr.where;
        }
        if (!not_always && !sr.always) {
            not_always = sr.where;
        }
    }
    if (multiple) {
        finding(l, host, HSTS_C_RESPONSE_MULTIPLE_HEADERS,
                apr_psprintf(l->p, "mod_headers can send more than one "
                             "Strict-Transport-Security header in one "
                             "response (Header at %s: both with and without "
                             "always, or add/append), and browsers and the "
                             "preload checker accept exactly one. Replace "
                             "them with HSTS On and the HSTS directives.",
                             multiple));
    }
    if (not_always) {
        finding(l, host, HSTS_C_CONFIG_HEADER_NOT_ALWAYS,
                apr_psprintf(l->p, "mod_headers sends Strict-Transport-"
                             "Security without always (Header at %s), so "
                             "error pages and redirects go out without it. "
                             "Use HSTS On instead, which sends it on every "
                             "response.", not_always));
    }
}

/*
 * A preload host's plain-HTTP side: a same-host redirect (preload list).
 * As the contract words it, the finding is for a host that is reachable
 * over plain HTTP while no plain-HTTP virtual host redirects it: one that
 * answers for it with HSTSRedirect, and names it (a default host that
 * redirects to its own name does not redirect it).
 */
static void check_redirects(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    apr_array_header_t *servers = plain_servers(l, h->name);
    int i;

    for (i = 0; i < servers->nelts; i++) {
        const hsts_lint_host_t *s = HOST(l, APR_ARRAY_IDX(servers, i, int));
        if (s->redirect && host_names(l, s, h->name)) {
            return;
        }
    }
    for (i = 0; i < servers->nelts; i++) {
        int si = APR_ARRAY_IDX(servers, i, int);
        const hsts_lint_host_t *s = HOST(l, si);
        if (!s->redirect) {
            finding(l, host, HSTS_C_REDIRECTS_HTTP_NO_REDIRECT,
                    apr_psprintf(l->p, "http://%s/ is answered by the plain-"
                                 "HTTP host %s, which does not redirect it to "
                                 "HTTPS; preloading requires a redirect to "
                                 "https://%s/ first. Set HSTSRedirect On in "
                                 "that host (%s).", h->name, host_id(l->p, s),
                                 h->name, s->where));
        }
        else if (!host_names(l, s, h->name)) {
            finding(l, host, HSTS_C_REDIRECTS_HTTP_NO_REDIRECT,
                    apr_psprintf(l->p, "http://%s/ is answered by the plain-"
                                 "HTTP host %s, which redirects it to "
                                 "https://%s/, another host; preloading "
                                 "requires a redirect to https://%s/ first. "
                                 "Add ServerAlias %s to that host (%s), or "
                                 "give %s a plain-HTTP virtual host with "
                                 "HSTSRedirect On.", h->name,
                                 host_id(l->p, s), s->name, h->name, h->name,
                                 s->where, h->name));
        }
    }
}

static void check_www(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    const char *www;
    apr_array_header_t *servers;

    if (!strncmp(h->name, "www.", 4)) {
        return;
    }
    www = apr_pstrcat(l->p, "www.", h->name, NULL);
    if (tls_server(l, www) >= 0) {
        return;
    }
    servers = plain_servers(l, www);
    if (servers->nelts) {
        const hsts_lint_host_t *s = HOST(l, APR_ARRAY_IDX(servers, 0, int));
        finding(l, host, HSTS_C_DOMAIN_WWW_NO_TLS,
                apr_psprintf(l->p, "%s is served over plain HTTP here (by %s) "
                             "but no TLS virtual host serves it; preloading "
                             "%s puts %s on HTTPS too. Add ServerAlias %s to "
                             "a TLS virtual host with a certificate for it.",
                             www, host_id(l->p, s), h->name, www, www));
    }
}

static void check_subdomains(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    const apr_array_header_t *below = apr_hash_get(l->under, h->name,
                                                   APR_HASH_KEY_STRING);
    apr_array_header_t *reported = apr_array_make(l->p, 2, sizeof(int));
    int i, j;

    for (i = 0; below && i < below->nelts; i++) {
        const char *sub = APR_ARRAY_IDX(below, i, const char *);
        apr_array_header_t *servers;

        if (tls_server(l, sub) >= 0) {
            continue;
        }
        servers = plain_servers(l, sub);
        for (j = 0; j < servers->nelts; j++) {
            int si = APR_ARRAY_IDX(servers, j, int);
            const hsts_lint_host_t *s = HOST(l, si);
            int k, done = 0;
            if (s->redirect) {
                continue;
            }
            for (k = 0; k < reported->nelts; k++) {
                done |= APR_ARRAY_IDX(reported, k, int) == si;
            }
            if (done) {
                continue;
            }
            APR_ARRAY_PUSH(reported, int) = si;
            finding(l, host, HSTS_C_SUBDOMAINS_HTTP_ONLY,
                    apr_psprintf(l->p, "includeSubDomains puts every "
                                 "subdomain of %s on HTTPS, but %s is served "
                                 "only over plain HTTP here (by %s, %s): "
                                 "browsers that saw this policy can no longer "
                                 "reach it. Serve %s from a TLS virtual host, "
                                 "or drop includeSubDomains.", h->name, sub,
                                 host_id(l->p, s), s->where, sub));
        }
    }
}

static void check_domain(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    const char *registrable;

    if (psl_is_public_suffix(l->psl, h->name)) {
        finding(l, host, HSTS_C_DOMAIN_FORMAT_PUBLIC_SUFFIX,
                apr_psprintf(l->p, "%s is a public suffix, which cannot be "
                             "preloaded. Remove preload from this host's "
                             "policy.", h->name));
        return;
    }
    registrable = psl_registrable_domain(l->psl, h->name);
    if (registrable && strcmp(registrable, h->name) != 0) {
        finding(l, host, HSTS_C_DOMAIN_IS_SUBDOMAIN,
                apr_psprintf(l->p, "%s is a subdomain; only a registrable "
                             "domain (here %s) can be preloaded, and then "
                             "covers its subdomains. Move preload to %s's "
                             "policy and remove it here.", h->name,
                             registrable, registrable));
    }
}

/* A plain host with HSTSRedirect: where it sends clients must send HSTS. */
static void check_redirect_targets(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    apr_array_header_t *reported = apr_array_make(l->p, 2, sizeof(int));
    int i, n = h->names ? h->names->nelts : 0;

    for (i = -1; i < n; i++) {
        const char *name = i < 0 ? h->name
                                 : APR_ARRAY_IDX(h->names, i, const char *);
        int ti = tls_server(l, name), k, done = 0;
        const hsts_lint_host_t *t;

        if (ti < 0) {
            continue;
        }
        t = HOST(l, ti);
        for (k = 0; k < reported->nelts; k++) {
            done |= APR_ARRAY_IDX(reported, k, int) == ti;
        }
        if (done || hsts_lint_host_sends_sts(t)) {
            continue;
        }
        APR_ARRAY_PUSH(reported, int) = ti;
        finding(l, host, HSTS_C_RESPONSE_NO_HEADER,
                apr_psprintf(l->p, "HSTSRedirect sends http://%s/ to HTTPS, "
                             "where the TLS host %s (%s) sends no Strict-"
                             "Transport-Security, so browsers keep using "
                             "plain HTTP first. Set HSTS On in %s.", name,
                             host_id(l->p, t), t->where, host_id(l->p, t)));
    }
}

/* The summary line of an HSTS host: what it sends, and with preload
 * intent whether error-class findings stand in the way. */
static void verdict(lint_t *l, int host, int first_finding)
{
    const hsts_lint_host_t *h = HOST(l, host);
    const hsts_finding_t *f = (const hsts_finding_t *)l->findings->elts;
    hsts_verdict_t *v = apr_array_push(l->verdicts);
    const char *codes = NULL;
    int i;

    v->host = host;
    v->value = hsts_lint_host_value(l->p, h);
    v->preload = HSTS_PRELOAD_NONE;
    v->blocked_by = NULL;
    if (!hsts_lint_host_preload(l->p, h)) {
        return;
    }
    for (i = first_finding; i < l->findings->nelts; i++) {
        const char *code = hsts_code_name(f[i].issue.code);
        if (f[i].issue.severity == HSTS_ERROR
            && !(codes && strstr(codes, code))) {
            codes = codes ? apr_pstrcat(l->p, codes, ", ", code, NULL) : code;
        }
    }
    v->preload = codes ? HSTS_PRELOAD_BLOCKED : HSTS_PRELOAD_READY;
    v->blocked_by = codes;
}

const char *hsts_verdict_sentence(apr_pool_t *p, const char *value,
                                  hsts_preload_e preload,
                                  const char *blocked_by)
{
    switch (preload) {
    case HSTS_PRELOAD_READY:
        return apr_psprintf(p, "sends \"%s\" and meets every preload "
                            "requirement this server can check.", value);
    case HSTS_PRELOAD_BLOCKED:
        return apr_psprintf(p, "sends \"%s\"; preloading is blocked by: %s.",
                            value, blocked_by);
    default:
        return apr_psprintf(p, "sends \"%s\"; without preload it is not held "
                            "to the preload list's requirements.", value);
    }
}

/* A host whose TLS side is not its own: a plain host. Behind a TLS-
 * terminating proxy a plain host with HSTS on is an HSTS host to its
 * clients (its header counts, its certificate is the proxy's). */
static int lint_plain_host(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);

    if (h->is_tls || (h->behind_proxy && h->hsts)) {
        return 0;
    }
    if (h->hsts && h->hsts_explicit && !h->is_main) {
        finding(l, host, HSTS_C_CONFIG_HSTS_PLAIN_VHOST,
                apr_psprintf(l->p, "HSTS is set on in this plain-HTTP "
                             "virtual host (%s), where the header can never "
                             "be sent. Remove it, or set HSTSRedirect On to "
                             "send clients to HTTPS.",
                             h->policy_where ? h->policy_where : h->where));
    }
    if (h->redirect) {
        check_redirect_targets(l, host);
    }
    return 1;
}

/* The certificate checks of an HSTS host, for each of its certificates. */
static void check_certificate(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    apr_array_header_t *issues, *names;
    const hsts_issue_t *all;
    int i, preload = hsts_lint_host_preload(l->p, h);

    if (!h->is_tls || h->cert_by_md) {
        return;
    }
    if (!h->cert_files || !h->cert_files->nelts) {
        finding(l, host, HSTS_C_TLS_CERT_UNREADABLE,
                "No SSLCertificateFile applies to this TLS host, so there is "
                "no certificate to check. Set SSLCertificateFile (or let "
                "mod_md manage it).");
        return;
    }
    names = apr_array_make(l->p, 1 + h->names->nelts + h->wild_names->nelts,
                           sizeof(const char *));
    APR_ARRAY_PUSH(names, const char *) = h->name;
    apr_array_cat(names, h->names);
    apr_array_cat(names, h->wild_names);
    issues = apr_array_make(l->p, 2, sizeof(hsts_issue_t));
    for (i = 0; i < h->cert_files->nelts; i++) {
        hsts_cert_t *cert = hsts_cert_get(l->in->certs,
                                          APR_ARRAY_IDX(h->cert_files, i,
                                                        const char *),
                                          h->chain_file);
        hsts_cert_check(l->in->certs, cert, l->p, l->in->now, names, preload,
                        issues);
    }
    all = (const hsts_issue_t *)issues->elts;
    for (i = 0; i < issues->nelts; i++) {
        finding_as(l, host, all[i].code, all[i].severity, all[i].message);
    }
}

/* The preload checker's domain and redirect rules. */
static void check_preload_site(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    int preload = hsts_lint_host_preload(l->p, h);

    if (is_ip_literal(l->p, h->name)) {
        finding_as(l, host, HSTS_C_DOMAIN_FORMAT_IS_IP_ADDRESS,
                   hsts_code_severity(HSTS_C_DOMAIN_FORMAT_IS_IP_ADDRESS,
                                      preload),
                   apr_psprintf(l->p, "The ServerName %s is an IP address, "
                                "for which browsers ignore HSTS and which "
                                "cannot be preloaded. Give the host a DNS "
                                "name.", h->name));
    }
    else if (preload) {
        check_domain(l, host);
        check_redirects(l, host);
        check_www(l, host);
    }
}

static void lint_host(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    int first = l->findings->nelts;
    hsts_policy_t sent;

    if (lint_plain_host(l, host)) {
        return;
    }
    if (h->is_tls && h->redirect && h->redirect_explicit && !h->is_main) {
        finding(l, host, HSTS_C_CONFIG_REDIRECT_TLS_VHOST,
                apr_psprintf(l->p, "HSTSRedirect is set on in this TLS "
                             "virtual host (%s), where requests already use "
                             "HTTPS, so it is ignored. Set it in the plain-"
                             "HTTP virtual host instead.", h->where));
    }
    if (!host_policy(l->p, h, &sent)) {
        return;
    }
    check_values(l, host);
    check_header_rules(l, host);
    check_preload_site(l, host);
    if (sent.include_subdomains) {
        check_subdomains(l, host);
    }
    check_certificate(l, host);
    if (sent.has_max_age && sent.max_age == 0) {
        finding(l, host, HSTS_C_POLICY_MAX_AGE_ZERO,
                "It sends max-age=0, which tells browsers to forget its HSTS "
                "policy. Raise HSTSMaxAge once HTTPS works everywhere.");
    }
    verdict(l, host, first);
}

void hsts_lint_run(apr_pool_t *p, const hsts_lint_input_t *in,
                   hsts_lint_result_t *out)
{
    lint_t l;
    int i;

    memset(&l, 0, sizeof(l));
    l.p = p;
    l.in = in;
    l.hosts = in->hosts;
    l.psl = in->psl;
    l.findings = out->findings = apr_array_make(p, 16, sizeof(hsts_finding_t));
    l.verdicts = out->verdicts = apr_array_make(p, in->hosts->nelts,
                                                sizeof(hsts_verdict_t));
    lint_index(&l);
    for (i = 0; i < in->hosts->nelts; i++) {
        if (HOST(&l, i)->linted) {
            lint_host(&l, i);
        }
    }
}
