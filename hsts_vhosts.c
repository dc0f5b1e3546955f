/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: which virtual host answers a name, the way httpd selects it
 * (pure; hsts_vhosts.h). Modelled on server/vhost.c: IP-based address
 * groups first, then the wildcard (* and _default_) ones, a port "*"
 * group only where no group has the exact port, and the main server
 * where no group claims the address.
 */
#include <apr_strings.h>

#include <stdlib.h>
#include <apr_hash.h>

#include "hsts_vhosts.h"

static int is_pattern(const char *name)
{
    return strpbrk(name, "*?") != NULL;
}

/* ------------------------------------------------------------------ */
/* The index.                                                           */

/* The hosts of one address:port, the first its default. */
typedef struct {
    int first;
    apr_hash_t *exact;              /* name -> int * (first host naming it) */
    hsts_wild_t *wild;
} group_t;

struct hsts_vhosts_t {
    apr_pool_t *p;
    const hsts_lint_input_t *in;
    const apr_array_header_t *hosts;
    int main;                       /* the main server, or -1 */
    apr_hash_t *groups;             /* "ip:port" -> group_t */
    int listens_known;
    apr_hash_t *listen;             /* "ip:port" -> "" */
    apr_hash_t *listen_port;        /* "port" -> "" */
    apr_array_header_t *ports;      /* apr_port_t, each once */
    apr_hash_t *port_seen;
    apr_hash_t *naming;             /* name -> apr_array of int: hosts that
                                     * name it themselves (exists) */
    apr_hash_t *tls_naming;         /* name -> apr_array of int: TLS hosts
                                     * whose ServerName or alias it is */
    hsts_wild_t *wild;              /* every host's patterns */
    apr_hash_t *main_names;         /* the main server's aliases, when
                                     * naming does not hold them */
    hsts_wild_t **own_wild;         /* per host with many patterns: them */
    apr_hash_t *resolved;           /* name -> apr_array of ips (cache) */
};

/* Hosts with more patterns than this get an index of their own. */
#define FEW_PATTERNS 4

#define HOST(v, i) (&APR_ARRAY_IDX((v)->hosts, (i), hsts_lint_host_t))

const char *hsts_vhosts_split(apr_pool_t *p, const char *addr,
                              apr_port_t *port)
{
    const char *colon = strrchr(addr, ':');

    if (!colon) {
        *port = 0;
        return addr;
    }
    *port = colon[1] == '*' ? 0 : (apr_port_t)atoi(colon + 1);
    return apr_pstrmemdup(p, addr, (apr_size_t)(colon - addr));
}

/* "ip:port" ("ip:*" for port 0) in buf, or from p when it is too long:
 * the queries look keys up thousands of times and keep none. */
#define KEY_SIZE 80

/* The decimal digits of port into buf (at least 6 bytes), NUL ended. */
static char *port_text(char *buf, apr_port_t port)
{
    char digits[6];
    int n = 0;

    do {
        digits[n++] = (char)('0' + port % 10);
        port = (apr_port_t)(port / 10);
    } while (port);
    while (n) {
        *buf++ = digits[--n];
    }
    *buf = '\0';
    return buf;
}

static const char *addr_key(char *buf, apr_pool_t *p, const char *ip,
                            apr_port_t port)
{
    apr_size_t n = strlen(ip);

    if (n + 8 > KEY_SIZE) {
        return port ? apr_psprintf(p, "%s:%u", ip, (unsigned int)port)
                    : apr_pstrcat(p, ip, ":*", NULL);
    }
    memcpy(buf, ip, n + 1);
    buf[n] = ':';
    if (port) {
        port_text(buf + n + 1, port);
    }
    else {
        memcpy(buf + n + 1, "*", 2);
    }
    return buf;
}

static void note_port(hsts_vhosts_t *v, apr_port_t port)
{
    const char *key;

    if (!port) {
        return;
    }
    key = apr_psprintf(v->p, "%u", (unsigned int)port);
    if (!apr_hash_get(v->port_seen, key, APR_HASH_KEY_STRING)) {
        apr_hash_set(v->port_seen, key, APR_HASH_KEY_STRING, "");
        APR_ARRAY_PUSH(v->ports, apr_port_t) = port;
    }
}

static void list_add(apr_pool_t *p, apr_hash_t *hash, const char *name,
                     int host)
{
    apr_array_header_t *list = apr_hash_get(hash, name, APR_HASH_KEY_STRING);

    if (!list) {
        list = apr_array_make(p, 1, sizeof(int));
        apr_hash_set(hash, name, APR_HASH_KEY_STRING, list);
    }
    if (!list->nelts || APR_ARRAY_IDX(list, list->nelts - 1, int) != host) {
        APR_ARRAY_PUSH(list, int) = host;
    }
}

static void group_name(apr_pool_t *p, group_t *g, const char *name, int host)
{
    if (is_pattern(name)) {
        hsts_wild_add(g->wild, name, host);
        return;
    }
    if (!apr_hash_get(g->exact, name, APR_HASH_KEY_STRING)) {
        int *first = apr_palloc(p, sizeof(*first));
        *first = host;
        apr_hash_set(g->exact, name, APR_HASH_KEY_STRING, first);
    }
}

/* Every name host i answers to, into group g. */
static void group_add(hsts_vhosts_t *v, group_t *g, int i)
{
    const hsts_lint_host_t *h = HOST(v, i);
    int j;

    group_name(v->p, g, h->name, i);
    for (j = 0; h->names && j < h->names->nelts; j++) {
        group_name(v->p, g, APR_ARRAY_IDX(h->names, j, const char *), i);
    }
    for (j = 0; h->wild_names && j < h->wild_names->nelts; j++) {
        group_name(v->p, g, APR_ARRAY_IDX(h->wild_names, j, const char *), i);
    }
}

/* Whether address j of h is one it lists before (the same address
 * twice in one <VirtualHost>). */
static int listed_before(const hsts_lint_host_t *h, int j)
{
    const char *key = APR_ARRAY_IDX(h->addrs, j, const char *);
    int k;

    for (k = 0; k < j; k++) {
        if (!strcmp(APR_ARRAY_IDX(h->addrs, k, const char *), key)) {
            return 1;
        }
    }
    return 0;
}

static void index_addrs(hsts_vhosts_t *v, int i)
{
    const hsts_lint_host_t *h = HOST(v, i);
    int j;

    for (j = 0; h->addrs && j < h->addrs->nelts; j++) {
        const char *key = APR_ARRAY_IDX(h->addrs, j, const char *);
        group_t *g = apr_hash_get(v->groups, key, APR_HASH_KEY_STRING);
        apr_port_t port;

        hsts_vhosts_split(v->p, key, &port);
        note_port(v, port);
        if (!g) {
            g = apr_pcalloc(v->p, sizeof(*g));
            g->first = i;
            g->exact = apr_hash_make(v->p);
            g->wild = hsts_wild_make(v->p);
            apr_hash_set(v->groups, key, APR_HASH_KEY_STRING, g);
        }
        else if (listed_before(h, j)) {
            continue;
        }
        group_add(v, g, i);
    }
}

/* The names host i names itself (and, for TLS hosts, the ServerName
 * httpd gave it, for the redirect's port), and its patterns. */
static void index_names(hsts_vhosts_t *v, int i)
{
    const hsts_lint_host_t *h = HOST(v, i);
    int j;

    if (h->name_set || (h->is_main && h->linted)) {
        list_add(v->p, v->naming, h->name, i);
    }
    if (h->is_tls) {
        list_add(v->p, v->tls_naming, h->name, i);
    }
    for (j = 0; h->names && j < h->names->nelts; j++) {
        const char *n = APR_ARRAY_IDX(h->names, j, const char *);
        list_add(v->p, v->naming, n, i);
        if (h->is_tls) {
            list_add(v->p, v->tls_naming, n, i);
        }
    }
    for (j = 0; h->wild_names && j < h->wild_names->nelts; j++) {
        hsts_wild_add(v->wild, APR_ARRAY_IDX(h->wild_names, j, const char *),
                      i);
    }
}

/* What hsts_vhosts_host_names() looks up besides naming: the patterns
 * of hosts with many. */
static void index_own_patterns(hsts_vhosts_t *v, int i)
{
    const hsts_lint_host_t *h = HOST(v, i);

    if (h->wild_names && h->wild_names->nelts > FEW_PATTERNS) {
        int j;
        v->own_wild[i] = hsts_wild_make(v->p);
        for (j = 0; j < h->wild_names->nelts; j++) {
            hsts_wild_add(v->own_wild[i],
                          APR_ARRAY_IDX(h->wild_names, j, const char *), 0);
        }
    }
}

static void index_listens(hsts_vhosts_t *v)
{
    int i;

    v->listens_known = v->in->listens != NULL;
    for (i = 0; v->in->listens && i < v->in->listens->nelts; i++) {
        const char *key = APR_ARRAY_IDX(v->in->listens, i, const char *);
        apr_port_t port;

        hsts_vhosts_split(v->p, key, &port);
        apr_hash_set(v->listen, key, APR_HASH_KEY_STRING, "");
        apr_hash_set(v->listen_port, apr_psprintf(v->p, "%u",
                                                  (unsigned int)port),
                     APR_HASH_KEY_STRING, "");
        note_port(v, port);
    }
}

hsts_vhosts_t *hsts_vhosts_make(apr_pool_t *p, const hsts_lint_input_t *in)
{
    hsts_vhosts_t *v = apr_pcalloc(p, sizeof(*v));
    int i, vhosts = 0;

    v->p = p;
    v->in = in;
    v->hosts = in->hosts;
    v->main = -1;
    v->groups = apr_hash_make(p);
    v->listen = apr_hash_make(p);
    v->listen_port = apr_hash_make(p);
    v->ports = apr_array_make(p, 4, sizeof(apr_port_t));
    v->port_seen = apr_hash_make(p);
    v->naming = apr_hash_make(p);
    v->tls_naming = apr_hash_make(p);
    v->resolved = apr_hash_make(p);
    v->wild = hsts_wild_make(p);
    v->own_wild = apr_pcalloc(p, sizeof(hsts_wild_t *)
                                 * (apr_size_t)(v->hosts->nelts + 1));
    index_listens(v);
    for (i = 0; i < v->hosts->nelts; i++) {
        const hsts_lint_host_t *h = HOST(v, i);
        index_own_patterns(v, i);
        if (h->is_main) {
            v->main = i;
            continue;
        }
        vhosts++;
        index_addrs(v, i);
        index_names(v, i);
    }
    /* without virtual hosts the main server answers every name */
    if (v->main >= 0 && !vhosts) {
        index_names(v, v->main);
    }
    else if (v->main >= 0 && HOST(v, v->main)->names) {
        const apr_array_header_t *names = HOST(v, v->main)->names;
        v->main_names = apr_hash_make(p);
        for (i = 0; i < names->nelts; i++) {
            apr_hash_set(v->main_names, APR_ARRAY_IDX(names, i, const char *),
                         APR_HASH_KEY_STRING, "");
        }
    }
    return v;
}

/* ------------------------------------------------------------------ */
/* Queries.                                                             */

static const group_t *group_at(const hsts_vhosts_t *v, const char *ip,
                               apr_port_t port)
{
    const group_t *g = NULL;
    char key[KEY_SIZE];

    if (strcmp(ip, HSTS_ANY_ADDRESS) != 0) {
        g = apr_hash_get(v->groups, addr_key(key, v->p, ip, port),
                         APR_HASH_KEY_STRING);
        if (!g) {
            g = apr_hash_get(v->groups, addr_key(key, v->p, ip, 0),
                             APR_HASH_KEY_STRING);
        }
    }
    if (!g) {
        g = apr_hash_get(v->groups,
                         addr_key(key, v->p, HSTS_ANY_ADDRESS, port),
                         APR_HASH_KEY_STRING);
    }
    if (!g) {
        g = apr_hash_get(v->groups, addr_key(key, v->p, HSTS_ANY_ADDRESS, 0),
                         APR_HASH_KEY_STRING);
    }
    return g;
}

static int listening(const hsts_vhosts_t *v, const char *ip, apr_port_t port,
                     const group_t *g)
{
    char key[KEY_SIZE];

    if (!v->listens_known) {
        return g != NULL;
    }
    if (apr_hash_get(v->listen, addr_key(key, v->p, HSTS_ANY_ADDRESS, port),
                     APR_HASH_KEY_STRING)) {
        return 1;
    }
    if (!strcmp(ip, HSTS_ANY_ADDRESS)) {
        port_text(key, port);
        return apr_hash_get(v->listen_port, key, APR_HASH_KEY_STRING) != NULL;
    }
    return apr_hash_get(v->listen, addr_key(key, v->p, ip, port),
                        APR_HASH_KEY_STRING) != NULL;
}

int hsts_vhosts_select(const hsts_vhosts_t *v, const char *ip,
                       apr_port_t port, const char *name)
{
    const group_t *g = group_at(v, ip, port);
    const int *exact;
    int wild;

    if (!listening(v, ip, port, g)) {
        return -1;
    }
    if (!g) {
        return v->main;
    }
    exact = apr_hash_get(g->exact, name, APR_HASH_KEY_STRING);
    wild = hsts_wild_first(g->wild, name, v->in->match);
    if (exact && (wild < 0 || *exact < wild)) {
        return *exact;
    }
    return wild >= 0 ? wild : g->first;
}

int hsts_vhosts_default_at(const hsts_vhosts_t *v, const char *ip,
                           apr_port_t port)
{
    const group_t *g = group_at(v, ip, port);

    if (!listening(v, ip, port, g)) {
        return -1;
    }
    return g ? g->first : v->main;
}

int hsts_vhosts_is_tls_at(const hsts_vhosts_t *v, const char *ip,
                          apr_port_t port)
{
    int d = hsts_vhosts_default_at(v, ip, port);

    return d >= 0 && HOST(v, d)->is_tls;
}

/* Whether ip is in list (a name's few addresses). */
static int listed(const apr_array_header_t *list, const char *ip)
{
    int i;

    for (i = 0; i < list->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(list, i, const char *), ip)) {
            return 1;
        }
    }
    return 0;
}

/* Adds the addresses of host i to out, each once. */
static void add_ips(const hsts_vhosts_t *v, int i,
                    apr_array_header_t *specific, int *any)
{
    const hsts_lint_host_t *h = HOST(v, i);
    int j;

    if (h->is_main) {
        *any = 1;
        return;
    }
    for (j = 0; h->addrs && j < h->addrs->nelts; j++) {
        apr_port_t port;
        const char *ip = hsts_vhosts_split(v->p, APR_ARRAY_IDX(h->addrs, j,
                                                        const char *), &port);
        if (!strcmp(ip, HSTS_ANY_ADDRESS)) {
            *any = 1;
        }
        else if (!listed(specific, ip)) {
            APR_ARRAY_PUSH(specific, const char *) = ip;
        }
    }
}

const apr_array_header_t *hsts_vhosts_resolve(const hsts_vhosts_t *v,
                                              const char *name)
{
    apr_array_header_t *ips = apr_hash_get(v->resolved, name,
                                           APR_HASH_KEY_STRING);
    const apr_array_header_t *hosts;
    int j, any = 0;

    if (ips) {
        return ips->nelts ? ips : NULL;
    }
    ips = apr_array_make(v->p, 2, sizeof(const char *));
    hosts = hsts_vhosts_naming(v, name);
    for (j = 0; hosts && j < hosts->nelts; j++) {
        add_ips(v, APR_ARRAY_IDX(hosts, j, int), ips, &any);
    }
    if (!hosts) {
        int w = hsts_wild_first(v->wild, name, v->in->match);
        if (w >= 0) {
            add_ips(v, w, ips, &any);
        }
    }
    if (any) {
        APR_ARRAY_PUSH(ips, const char *) = HSTS_ANY_ADDRESS;
    }
    apr_hash_set(v->resolved, apr_pstrdup(v->p, name), APR_HASH_KEY_STRING,
                 ips);
    return ips->nelts ? ips : NULL;
}

const apr_array_header_t *hsts_vhosts_resolve_at(const hsts_vhosts_t *v,
                                                 const char *name, int h)
{
    const apr_array_header_t *ips = hsts_vhosts_resolve(v, name);
    apr_array_header_t *own;
    int any = 0;

    if (ips) {
        return ips;
    }
    own = apr_array_make(v->p, 2, sizeof(const char *));
    add_ips(v, h, own, &any);
    if (any) {
        APR_ARRAY_PUSH(own, const char *) = HSTS_ANY_ADDRESS;
    }
    return own;
}

const apr_array_header_t *hsts_vhosts_ports(const hsts_vhosts_t *v)
{
    return v->ports;
}

const apr_array_header_t *hsts_vhosts_naming(const hsts_vhosts_t *v,
                                             const char *name)
{
    return apr_hash_get(v->naming, name, APR_HASH_KEY_STRING);
}

/* Whether the ascending list of hosts holds host i. */
static int holds(const apr_array_header_t *list, int i)
{
    const int *hosts = (const int *)list->elts;
    int lo = 0, hi = list->nelts;

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (hosts[mid] == i) {
            return 1;
        }
        if (hosts[mid] < i) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    return 0;
}

int hsts_vhosts_host_names(const hsts_vhosts_t *v, int i, const char *name)
{
    const hsts_lint_host_t *h = HOST(v, i);
    const apr_array_header_t *hosts;
    int j;

    if (!strcmp(h->name, name)) {
        return 1;
    }
    /* its aliases are in naming (the main server's in main_names when
     * there are virtual hosts) */
    if (i == v->main && v->main_names) {
        if (apr_hash_get(v->main_names, name, APR_HASH_KEY_STRING)) {
            return 1;
        }
    }
    else if ((hosts = hsts_vhosts_naming(v, name)) && holds(hosts, i)) {
        return 1;
    }
    if (v->own_wild[i]) {
        return hsts_wild_first(v->own_wild[i], name, v->in->match) >= 0;
    }
    for (j = 0; h->wild_names && j < h->wild_names->nelts; j++) {
        if (v->in->match(APR_ARRAY_IDX(h->wild_names, j, const char *),
                         name)) {
            return 1;
        }
    }
    return 0;
}

apr_port_t hsts_vhosts_tls_port(const hsts_vhosts_t *v, const char *name)
{
    const apr_array_header_t *hosts = apr_hash_get(v->tls_naming, name,
                                                   APR_HASH_KEY_STRING);
    int j;

    for (j = 0; hosts && j < hosts->nelts; j++) {
        if (HOST(v, APR_ARRAY_IDX(hosts, j, int))->port == 443) {
            return 443;
        }
    }
    return hosts ? HOST(v, APR_ARRAY_IDX(hosts, 0, int))->port : 443;
}

static int md_covers(const hsts_lint_host_t *h, const char *name)
{
    int j;

    for (j = 0; h->md_names && j < h->md_names->nelts; j++) {
        if (!strcmp(APR_ARRAY_IDX(h->md_names, j, const char *), name)) {
            return 1;
        }
    }
    return 0;
}

int hsts_vhosts_covers(const hsts_vhosts_t *v, int i, const char *name)
{
    const hsts_lint_host_t *h = HOST(v, i);
    int j;

    if (h->cert_by_md || !h->cert_files || !h->cert_files->nelts
        || !v->in->certs) {
        return hsts_vhosts_host_names(v, i, name) || md_covers(h, name);
    }
    for (j = 0; j < h->cert_files->nelts; j++) {
        hsts_cert_t *cert = hsts_cert_get(
            v->in->certs, APR_ARRAY_IDX(h->cert_files, j, const char *),
            h->chain_file);
        if (!hsts_cert_expiry(cert)) {
            return hsts_vhosts_host_names(v, i, name);
        }
        if (hsts_cert_covers(cert, name)) {
            return 1;
        }
    }
    return 0;
}
