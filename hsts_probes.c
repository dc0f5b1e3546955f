/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: the preload checker's probes, answered by the configuration
 * (pure; contract 4.1).
 *
 * The checker asks https://H/ on port 443, http://H/ on port 80 (and
 * follows its first redirect) and opens www.H:443. Here each probe lands
 * on the virtual host httpd would select (hsts_vhosts.c), whose rules say
 * what it answers (hsts_rules.c). What the configuration cannot tell (DNS,
 * other servers, a rule the lint cannot evaluate) is at most a warning or
 * an info, never an error: HSTSLint Strict must not refuse what the
 * checker accepts.
 */
#include <apr_strings.h>

#include <stdlib.h>

#include <arpa/inet.h>

#include "hsts_lint_int.h"
#include "hsts_rules.h"

/* Where a probe lands: the host that answers, on which address:port. */
typedef struct {
    int host;                       /* -1: nothing answers */
    const char *ip;
    apr_port_t port;
} landing_t;

/* ------------------------------------------------------------------ */
/* What the probes look up.                                             */

static void index_below(lint_t *l, apr_hash_t *seen, const char *name)
{
    const char *dot;

    if (apr_hash_get(seen, name, APR_HASH_KEY_STRING)) {
        return;
    }
    apr_hash_set(seen, name, APR_HASH_KEY_STRING, "");
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

void hsts_probes_index(lint_t *l)
{
    apr_hash_t *seen = apr_hash_make(l->p);
    int i, j;

    l->under = apr_hash_make(l->p);
    l->preloaded = apr_hash_make(l->p);
    for (i = 0; i < l->hosts->nelts; i++) {
        const hsts_lint_host_t *h = HOST(l, i);
        int preloads = l->preload[i] && hsts_lint_is_hsts_host(h);

        if (h->is_main && !h->linted) {
            continue;
        }
        if (h->name_set || h->is_main) {
            index_below(l, seen, h->name);
        }
        if (preloads) {
            apr_hash_set(l->preloaded, h->name, APR_HASH_KEY_STRING, "");
        }
        for (j = 0; h->names && j < h->names->nelts; j++) {
            const char *n = APR_ARRAY_IDX(h->names, j, const char *);
            index_below(l, seen, n);
            if (preloads) {
                apr_hash_set(l->preloaded, n, APR_HASH_KEY_STRING, "");
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Landings and answers.                                                */

static const char *ip_at(const apr_array_header_t *ips, int i)
{
    return APR_ARRAY_IDX(ips, i, const char *);
}

/*
 * http://name/: port 80, where any host that answers counts (the checker
 * gets its answer); else another plain port where a host names name
 * (plain HTTP behind a port mapping), not a mere default host there.
 */
static void probe_plain(const lint_t *l, const char *name,
                        const apr_array_header_t *ips, landing_t *out)
{
    const apr_array_header_t *ports = hsts_vhosts_ports(l->v);
    int i, j;

    out->host = -1;
    for (j = -1; j < ports->nelts; j++) {
        apr_port_t port = j < 0 ? 80 : APR_ARRAY_IDX(ports, j, apr_port_t);
        if (j >= 0 && port == 80) {
            continue;
        }
        for (i = 0; i < ips->nelts; i++) {
            int s;
            if (hsts_vhosts_is_tls_at(l->v, ip_at(ips, i), port)) {
                continue;
            }
            s = hsts_vhosts_select(l->v, ip_at(ips, i), port, name);
            if (s >= 0 && (port == 80 || hsts_vhosts_host_names(l->v, s,
                                                                name))) {
                out->host = s;
                out->ip = ip_at(ips, i);
                out->port = port;
                return;
            }
        }
    }
}

/* Whether the plain side declares that clients use HTTPS on 443 behind
 * a port mapping: HSTSRedirectPort 443 in the plain host that answers
 * name (the server config's when none does). */
static int port_mapped(const lint_t *l, const landing_t *plain)
{
    int s = plain->host >= 0 ? plain->host : l->main;

    return s >= 0 && HOST(l, s)->redirect_port == 443;
}

/*
 * https://name/ on port 443: the host selected there; with a declared
 * port mapping and nothing on 443 in the configuration, the TLS host that
 * serves name on another port stands for it.
 */
static void probe_tls(const lint_t *l, const char *name,
                      const apr_array_header_t *ips, int mapped,
                      landing_t *out)
{
    const apr_array_header_t *ports = hsts_vhosts_ports(l->v);
    int i, j;

    out->host = -1;
    out->port = 443;
    for (j = -1; j < ports->nelts; j++) {
        apr_port_t port = j < 0 ? 443 : APR_ARRAY_IDX(ports, j, apr_port_t);
        if (j >= 0 && (port == 443 || !mapped)) {
            continue;
        }
        for (i = 0; i < ips->nelts; i++) {
            int s = hsts_vhosts_select(l->v, ip_at(ips, i), port, name);
            if (s >= 0 && (port == 443
                           || (hsts_vhosts_is_tls_at(l->v, ip_at(ips, i), port)
                               && hsts_vhosts_covers(l->v, s, name)))) {
                out->host = s;
                out->ip = ip_at(ips, i);
                out->port = port;
                return;
            }
        }
    }
}

/* Whether the landing is a TLS host whose certificate covers name. */
static int serves_tls(const lint_t *l, const landing_t *t, const char *name)
{
    return t->host >= 0 && hsts_vhosts_is_tls_at(l->v, t->ip, t->port)
           && hsts_vhosts_covers(l->v, t->host, name);
}

/* What host s answers to GET / for name, over TLS or plain HTTP. */
static void answer_of(const lint_t *l, int s, const char *name, int tls,
                      hsts_answer_t *out)
{
    const hsts_lint_host_t *h = HOST(l, s);

    if (!tls && h->redirect && !h->is_tls) {
        const char *host = hsts_vhosts_host_names(l->v, s, name) ? name
                                                                 : h->name;
        apr_port_t port = h->redirect_port
                          ? h->redirect_port : hsts_vhosts_tls_port(l->v, host);
        out->kind = HSTS_ANSWER_REDIRECT;
        out->location = port == 443
                        ? apr_psprintf(l->p, "https://%s/", host)
                        : apr_psprintf(l->p, "https://%s:%u/", host,
                                       (unsigned int)port);
        out->by = apr_psprintf(l->p, "HSTSRedirect in %s",
                               hsts_lint_host_id(l, s, 0));
        return;
    }
    hsts_rules_answer(l->p, l->in, h->rules, name, tls, out);
}

/* " (by the Redirect at f:12)", or "". */
static const char *by(const lint_t *l, const hsts_answer_t *a)
{
    return a->by ? apr_psprintf(l->p, " (by %s)", a->by) : "";
}

/*
 * Whether host s sends Strict-Transport-Security on its answer a: 1, 0,
 * or -1 when it depends on sections the lint does not follow. mod_hsts
 * sends it on every response; mod_headers without always only on
 * successful ones, not on a redirect.
 */
static int sends_on(const lint_t *l, int s, const hsts_answer_t *a,
                    const char **onsuccess)
{
    const hsts_lint_host_t *h = HOST(l, s);
    const hsts_header_rule_t *r;
    int i, root = 0;

    if (h->hsts) {
        return 1;
    }
    if (!h->header_rules || !h->header_rules->nelts) {
        return 0;
    }
    r = (const hsts_header_rule_t *)h->header_rules->elts;
    for (i = 0; i < h->header_rules->nelts; i++) {
        if (r[i].root && r[i].always) {
            return 1;
        }
        if (r[i].root) {
            root = 1;
            *onsuccess = r[i].where;
        }
    }
    if (!root || a->kind == HSTS_ANSWER_UNKNOWN) {
        return -1;
    }
    return a->kind != HSTS_ANSWER_REDIRECT;
}

/* ------------------------------------------------------------------ */
/* https://H/                                                           */

/* Whether https://H/ on port 443 gets a TLS answer with a certificate
 * for H (domain.tls.cannot_connect when not: the checker stops there). */
static int check_https_reachable(lint_t *l, int host, const landing_t *t)
{
    const hsts_lint_host_t *h = HOST(l, host);
    const char *H = h->name, *other;

    /* behind a proxy its TLS side is not here; its own certificate's
     * problems are the certificate findings */
    if (!h->is_tls || serves_tls(l, t, H)
        || (t->host == host && hsts_vhosts_is_tls_at(l->v, t->ip, t->port))) {
        return 1;
    }
    if (t->host < 0) {
        hsts_lint_findingf(l, host, HSTS_C_DOMAIN_TLS_CANNOT_CONNECT,
            "Nothing here answers https://%s/ on port "
            "443, the port browsers and the preload checker "
            "use (this host is on port %u). Serve %s on port "
            "443, or, if a port mapping publishes port %u as "
            "443, set HSTSRedirectPort 443 in the plain-HTTP "
            "host for %s.", H, (unsigned int)h->port, H,
            (unsigned int)h->port, H);
        return 0;
    }
    if (hsts_vhosts_is_tls_at(l->v, t->ip, t->port)) {
        hsts_lint_findingf(l, host, HSTS_C_DOMAIN_TLS_CANNOT_CONNECT,
            "The host answering https://%s/ on port %u is %s, whose "
            "certificate does not cover %s, so the TLS handshake fails for "
            "browsers and the preload checker. Name %s in a TLS virtual "
            "host on port %u whose certificate covers it (this host is on "
            "port %u).", H, (unsigned int)t->port,
            hsts_lint_host_id(l, t->host, t->port), H, H,
            (unsigned int)t->port, (unsigned int)h->port);
        return 0;
    }
    other = hsts_lint_host_id(l, hsts_vhosts_default_at(l->v, t->ip, t->port),
                              t->port);
    hsts_lint_findingf(l, host, HSTS_C_DOMAIN_TLS_CANNOT_CONNECT,
        "Port %u speaks plain HTTP where https://%s/ arrives (its default "
        "host %s has no SSLEngine on), so no TLS connection can be made. "
        "Serve %s from a TLS virtual host on port %u.", (unsigned int)t->port,
        H, other, H, (unsigned int)t->port);
    return 0;
}

/* The first HTTPS response: it must carry the header, and must not send
 * the client back to plain HTTP. */
static void check_https_answer(lint_t *l, int host, const landing_t *t)
{
    const char *H = HOST(l, host)->name, *onsuccess = NULL, *other;
    hsts_answer_t a;
    int sends;

    answer_of(l, t->host, H, 1, &a);
    sends = sends_on(l, t->host, &a, &onsuccess);
    other = hsts_lint_host_id(l, t->host, t->port);
    if (sends == 0 && onsuccess) {
        hsts_lint_findingf(l, host, HSTS_C_RESPONSE_NO_HEADER,
            "The answer to https://%s/ is a redirect%s "
            "without Strict-Transport-Security: mod_headers "
            "sends it only on successful responses (Header at "
            "%s, without always), and the preload checker "
            "reads the header on that first response. Use "
            "HSTS On, or add always to that Header "
            "directive.", H, by(l, &a), onsuccess);
    }
    else if (sends == 0) {
        hsts_lint_findingf(l, host, HSTS_C_RESPONSE_NO_HEADER,
            "The host answering https://%s/ is %s, which "
            "sends no Strict-Transport-Security, so browsers "
            "and the preload checker never see this host's "
            "policy. Set HSTS On in %s.", H, other, other);
    }
    if (a.kind == HSTS_ANSWER_REDIRECT
        && !strncasecmp(a.location, "http://", 7)) {
        hsts_lint_findingf(l, host, HSTS_C_REDIRECTS_INSECURE_INITIAL,
            "The answer to https://%s/ is a redirect to "
            "\"%s\"%s, a plain-HTTP URL: the preload checker "
            "refuses a redirect from HTTPS to HTTP, and "
            "browsers that hold the policy cannot follow it as "
            "written. Redirect to an https:// URL.", H,
            a.location, by(l, &a));
    }
}

/* ------------------------------------------------------------------ */
/* http://H/ and its first redirect                                     */

/* A same-host redirect to another HTTPS port: something must serve H
 * there (the checker fetches it). */
static void check_redirect_port(lint_t *l, int host,
                                const apr_array_header_t *ips,
                                const hsts_answer_t *a, apr_port_t port)
{
    const char *H = HOST(l, host)->name;
    int i;

    if (port == 443) {
        return;
    }
    for (i = 0; i < ips->nelts; i++) {
        landing_t t;
        t.ip = ip_at(ips, i);
        t.port = port;
        t.host = hsts_vhosts_select(l->v, t.ip, port, H);
        if (serves_tls(l, &t, H)) {
            return;
        }
    }
    hsts_lint_findingf(l, host, HSTS_C_DOMAIN_TLS_CANNOT_CONNECT,
            "The redirect of http://%s/ goes to \"%s\"%s, "
            "but nothing here serves %s over TLS on port %u, so "
            "browsers and the preload checker that follow it fail. "
            "Serve %s over TLS on port %u, or set HSTSRedirectPort "
            "443.", H, a->location, by(l, a), H,
            (unsigned int)port, H, (unsigned int)port);
}

/* http://H/ answered without a redirect. */
static void no_redirect(lint_t *l, int host, const landing_t *p,
                        const hsts_answer_t *a)
{
    const hsts_lint_host_t *h = HOST(l, host), *s = HOST(l, p->host);
    const char *other = hsts_lint_host_id(l, p->host, p->port);

    hsts_lint_finding(l, host, HSTS_C_REDIRECTS_HTTP_NO_REDIRECT,
        hsts_vhosts_host_names(l->v, p->host, h->name)
        ? apr_psprintf(l->p, "The plain-HTTP host %s answers http://%s/ "
                       "without a redirect to HTTPS%s; preloading requires "
                       "a redirect to https://%s/ first. Set HSTSRedirect "
                       "On in that host (%s).", other, h->name, by(l, a),
                       h->name, s->where)
        : apr_psprintf(l->p, "The default plain-HTTP host of port %u, %s, "
                       "answers http://%s/ (no plain host there names %s) "
                       "without a redirect to HTTPS%s; preloading requires "
                       "a redirect to https://%s/ first. Give %s a "
                       "plain-HTTP virtual host with HSTSRedirect On, or set "
                       "HSTSRedirect On in %s (%s).", (unsigned int)p->port,
                       other, h->name, h->name, by(l, a), h->name, h->name,
                       other, s->where));
}

/* http://H/ first redirected elsewhere than https://H/. */
static void wrong_first_redirect(lint_t *l, int host, const landing_t *p,
                                 const hsts_answer_t *a, const char *target)
{
    const hsts_lint_host_t *h = HOST(l, host), *s = HOST(l, p->host);
    const char *www = apr_pstrcat(l->p, "www.", h->name, NULL);
    const char *other = hsts_lint_host_id(l, p->host, p->port);

    if (target && !strcmp(target, www)) {
        hsts_lint_findingf(l, host, HSTS_C_REDIRECTS_HTTP_WWW_FIRST,
            "The first redirect of http://%s/ goes to "
            "\"%s\"%s, to %s instead of %s itself, so browsers "
            "never get %s's policy there; preloading requires a "
            "redirect to https://%s/ first. Set HSTSRedirect On "
            "in %s (%s) and redirect to %s from the TLS host "
            "for %s.", h->name, a->location, by(l, a), www,
            h->name, h->name, h->name, other, s->where, www,
            h->name);
        return;
    }
    hsts_lint_finding(l, host, HSTS_C_REDIRECTS_HTTP_FIRST_REDIRECT_INSECURE,
        s->redirect && !hsts_vhosts_host_names(l->v, p->host, h->name)
        ? apr_psprintf(l->p, "The default plain-HTTP host of port %u, %s, "
                       "answers http://%s/ with HSTSRedirect, which sends it "
                       "to its own name (\"%s\"), another host; preloading "
                       "requires the first redirect to go to https://%s/. "
                       "Add ServerAlias %s to %s (%s), or give %s a "
                       "plain-HTTP virtual host with HSTSRedirect On.",
                       (unsigned int)p->port, other, h->name, a->location,
                       h->name, h->name, other, s->where, h->name)
        : apr_psprintf(l->p, "The first redirect of http://%s/ goes to "
                       "\"%s\"%s, %s; preloading requires the first redirect "
                       "to go to https://%s/. Redirect it there first, e.g. "
                       "with HSTSRedirect On in %s (%s).", h->name,
                       a->location, by(l, a),
                       target && !strcmp(target, h->name)
                       ? "which is plain HTTP" : "another host",
                       h->name, other, s->where));
}

static void check_http_answer(lint_t *l, int host,
                              const apr_array_header_t *ips,
                              const landing_t *p)
{
    const char *H = HOST(l, host)->name, *scheme, *target = NULL;
    apr_port_t port = 0;
    hsts_answer_t a;

    if (p->host < 0) {
        hsts_lint_findingf(l, host, HSTS_C_REDIRECTS_HTTP_DOES_NOT_EXIST,
            "Nothing here answers http://%s/ on port 80, "
            "so clients that type %s without https:// get no "
            "answer (the preload checker warns about it). Add "
            "a plain-HTTP virtual host for %s on port 80 with "
            "HSTSRedirect On.", H, H, H);
        return;
    }
    answer_of(l, p->host, H, 0, &a);
    if (a.kind == HSTS_ANSWER_UNKNOWN) {
        hsts_lint_findingf(l, host, HSTS_C_REDIRECTS_HTTP_UNDECIDABLE,
            "The answer of %s to http://%s/ is decided "
            "by %s, which the lint cannot evaluate, so the "
            "preload checker's redirect rules are not checked "
            "here. Use HSTSRedirect On instead, or check by hand "
            "that http://%s/ first redirects to https://%s/.",
            hsts_lint_host_id(l, p->host, p->port), H, a.by, H,
            H);
        return;
    }
    if (a.kind == HSTS_ANSWER_CONTENT) {
        no_redirect(l, host, p, &a);
        return;
    }
    if (hsts_url_parse(l->p, a.location, &scheme, &target, &port)
        && !strcmp(scheme, "https") && !strcmp(target, H)) {
        check_redirect_port(l, host, ips, &a, port);
        return;
    }
    wrong_first_redirect(l, host, p, &a, target);
}

/* ------------------------------------------------------------------ */
/* www.H                                                                */

static void check_www(lint_t *l, int host, const landing_t *t)
{
    const char *H = HOST(l, host)->name;
    const char *www = apr_pstrcat(l->p, "www.", H, NULL);
    const apr_array_header_t *naming = hsts_vhosts_naming(l->v, www);
    landing_t w;
    const char *answers;

    w.ip = t->ip;
    w.port = t->port;
    w.host = hsts_vhosts_select(l->v, t->ip, t->port, www);
    if (w.host < 0 || serves_tls(l, &w, www)) {
        return;
    }
    answers = hsts_lint_host_id(l, w.host, w.port);
    if (naming) {
        int n = APR_ARRAY_IDX(naming, 0, int);
        hsts_lint_findingf(l, host, HSTS_C_DOMAIN_WWW_NO_TLS,
            "The name %s exists (%s names it, %s), but on "
            "port %u it is answered by %s, whose certificate "
            "does not cover it; the preload checker refuses %s "
            "when %s has no valid HTTPS. Name %s in a TLS "
            "virtual host on port %u whose certificate covers "
            "it.", www,
            hsts_lint_host_id(l, n, 0), HOST(l, n)->where,
            (unsigned int)t->port, answers, H, www, www,
            (unsigned int)t->port);
        return;
    }
    hsts_lint_findingf(l, host, HSTS_C_DOMAIN_WWW_UNVERIFIED,
            "No virtual host names %s, and on port %u the "
            "default host %s answers it with a certificate that "
            "does not cover it: if %s has a DNS record pointing "
            "here, the preload checker refuses %s "
            "(domain.www.no_tls). Get a certificate that also "
            "covers %s, or make sure %s has no DNS record.", www,
            (unsigned int)t->port, answers, www, H, www, www);
}

/* ------------------------------------------------------------------ */
/* The probes of a host with preload intent.                            */

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

/* The checker's format rules; 0 when one of them stops the rest. */
static int check_format(lint_t *l, int host, int *own_domain)
{
    const hsts_lint_host_t *h = HOST(l, host);
    const char *registrable;

    *own_domain = 1;
    if (is_ip_literal(l->p, h->name)) {
        hsts_lint_findingf(l, host, HSTS_C_DOMAIN_FORMAT_IS_IP_ADDRESS,
            "The ServerName %s is an IP address, for which "
            "browsers ignore HSTS and which cannot be "
            "preloaded. Give the host a DNS name.", h->name);
        return 0;
    }
    if (!l->preload[host]) {
        return 0;
    }
    if (psl_is_public_suffix(l->psl, h->name)) {
        hsts_lint_findingf(l, host, HSTS_C_DOMAIN_FORMAT_PUBLIC_SUFFIX,
            "The name %s is a public suffix, which "
            "cannot be preloaded. Remove preload from this "
            "host's policy.", h->name);
        return 0;
    }
    registrable = psl_registrable_domain(l->psl, h->name);
    if (registrable && strcmp(registrable, h->name) != 0) {
        *own_domain = 0;
        /* preloading the registrable domain from here covers this name:
         * the checker is never asked about it */
        if (apr_hash_get(l->preloaded, registrable, APR_HASH_KEY_STRING)) {
            return 0;
        }
        hsts_lint_findingf(l, host, HSTS_C_DOMAIN_IS_SUBDOMAIN,
            "The name %s is a subdomain; only a "
            "registrable domain (here %s) can be preloaded, and "
            "then covers its subdomains. Move preload to %s's "
            "policy and remove it here.", h->name, registrable,
            registrable);
    }
    return 1;
}

void hsts_probes_preload(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    const apr_array_header_t *ips;
    landing_t p, t;
    int own_domain;

    if (!check_format(l, host, &own_domain)) {
        return;
    }
    ips = hsts_vhosts_resolve_at(l->v, h->name, host);
    probe_plain(l, h->name, ips, &p);
    if (!h->is_tls) {
        /* behind a TLS-terminating proxy: its TLS side is the proxy's */
        t.host = host;
        t.ip = HSTS_ANY_ADDRESS;
        t.port = 443;
    }
    else {
        probe_tls(l, h->name, ips, port_mapped(l, &p), &t);
    }
    if (!check_https_reachable(l, host, &t)) {
        return;
    }
    check_https_answer(l, host, &t);
    check_http_answer(l, host, ips, &p);
    if (own_domain && h->is_tls) {
        check_www(l, host, &t);
    }
}

/* ------------------------------------------------------------------ */
/* Other hosts' names: subdomains, plain ports, HSTSRedirect targets.   */

/* The first port of host s's own addresses (other than skip) on which it
 * answers name, or 0. */
static apr_port_t answering_port(const lint_t *l, int s, const char *name,
                                 apr_port_t skip)
{
    const hsts_lint_host_t *h = HOST(l, s);
    int j;

    for (j = 0; h->addrs && j < h->addrs->nelts; j++) {
        apr_port_t port;
        const char *ip = hsts_vhosts_split(l->p, APR_ARRAY_IDX(h->addrs, j,
                                                               const char *),
                                           &port);
        if (port && port != skip
            && hsts_vhosts_select(l->v, ip, port, name) == s) {
            return port;
        }
    }
    return 0;
}

/* Whether host s was reported already; it is from now on. */
static int reported_before(const lint_t *l, apr_hash_t *reported, int s)
{
    if (apr_hash_get(reported, &s, sizeof(s))) {
        return 1;
    }
    apr_hash_set(reported, apr_pmemdup(l->p, &s, sizeof(s)), sizeof(s), "");
    return 0;
}

/* Whether a TLS host serves name on the port its browsers use (443). */
static int served_over_tls(const lint_t *l, const char *name)
{
    const apr_array_header_t *ips = hsts_vhosts_resolve(l->v, name);
    landing_t p, t;

    if (!ips) {
        return 0;
    }
    probe_plain(l, name, ips, &p);
    probe_tls(l, name, ips, port_mapped(l, &p), &t);
    return serves_tls(l, &t, name);
}

static void subdomain_http_only(lint_t *l, int host, const char *sub,
                                apr_hash_t *reported)
{
    const apr_array_header_t *naming = hsts_vhosts_naming(l->v, sub);
    const char *H = HOST(l, host)->name;
    int j, checked = 0;

    for (j = 0; naming && j < naming->nelts; j++) {
        int s = APR_ARRAY_IDX(naming, j, int);
        apr_port_t port;
        hsts_answer_t a;

        if (HOST(l, s)->is_tls || HOST(l, s)->is_main
            || apr_hash_get(reported, &s, sizeof(s))
            || !(port = answering_port(l, s, sub, 0))) {
            continue;
        }
        if (!checked++ && served_over_tls(l, sub)) {
            return;
        }
        answer_of(l, s, sub, 0, &a);
        if (a.kind != HSTS_ANSWER_CONTENT || reported_before(l, reported, s)) {
            continue;
        }
        hsts_lint_findingf(l, host, HSTS_C_SUBDOMAINS_HTTP_ONLY,
            "With includeSubDomains every subdomain of %s "
            "must use HTTPS, but %s is served only over plain "
            "HTTP here (by %s, %s): browsers that saw this "
            "policy can no longer reach it. Serve %s from a TLS "
            "virtual host, or drop includeSubDomains.", H, sub,
            hsts_lint_host_id(l, s, port), HOST(l, s)->where,
            sub);
    }
}

void hsts_probes_subdomains(lint_t *l, int host)
{
    const apr_array_header_t *below = apr_hash_get(l->under, HOST(l, host)->name,
                                                   APR_HASH_KEY_STRING);
    apr_hash_t *reported = apr_hash_make(l->p);
    int i;

    for (i = 0; below && i < below->nelts; i++) {
        subdomain_http_only(l, host, APR_ARRAY_IDX(below, i, const char *),
                            reported);
    }
}

/* A plain host naming name on a port other than 80 that redirects its
 * clients to an HTTPS port other than 443. */
static void plain_port(lint_t *l, int host, const char *name, int s,
                       apr_hash_t *reported)
{
    const hsts_lint_host_t *h = HOST(l, s);
    const char *scheme, *target;
    apr_port_t https = 0, port;
    hsts_answer_t a;

    answer_of(l, s, name, 0, &a);
    if (a.kind != HSTS_ANSWER_REDIRECT
        || !hsts_url_parse(l->p, a.location, &scheme, &target, &https)
        || strcmp(scheme, "https") != 0 || https == 443
        || !(port = answering_port(l, s, name, 80))
        || reported_before(l, reported, s)) {
        return;
    }
    hsts_lint_findingf(l, host, HSTS_C_CONFIG_HTTP_NONDEFAULT_PORT,
            "The name %s is served over plain HTTP on port %u "
            "by %s (%s), which redirects clients to HTTPS on port "
            "%u: browsers that hold this host's policy turn "
            "http://%s:%u/ into https://%s:%u/ (RFC 6797 8.3), "
            "which port %u cannot answer. Serve plain HTTP on port "
            "80, or, if a port mapping publishes port %u as 80 and "
            "%u as 443, set HSTSRedirectPort 443 in that host.",
            name, (unsigned int)port, hsts_lint_host_id(l, s, port),
            h->where, (unsigned int)https, name, (unsigned int)port,
            name, (unsigned int)port, (unsigned int)port,
            (unsigned int)port, (unsigned int)https);
}

void hsts_probes_plain_ports(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    apr_hash_t *reported = apr_hash_make(l->p);
    int i, j, n = h->names ? h->names->nelts : 0;

    for (i = -1; i < n; i++) {
        const char *name = i < 0 ? h->name
                                 : APR_ARRAY_IDX(h->names, i, const char *);
        const apr_array_header_t *naming = hsts_vhosts_naming(l->v, name);
        for (j = 0; naming && j < naming->nelts; j++) {
            int s = APR_ARRAY_IDX(naming, j, int);
            const hsts_lint_host_t *sh = HOST(l, s);
            if (!sh->is_tls && !sh->is_main && !sh->behind_proxy) {
                plain_port(l, host, name, s, reported);
            }
        }
    }
}

/* The TLS host that HSTSRedirect in plain host s sends name to. */
static int redirect_target(const lint_t *l, int s, const char *name)
{
    const hsts_lint_host_t *h = HOST(l, s);
    const apr_array_header_t *ips = hsts_vhosts_resolve_at(l->v, name, s);
    apr_port_t port = h->redirect_port ? h->redirect_port
                                       : hsts_vhosts_tls_port(l->v, name);
    landing_t t;
    int i;

    for (i = 0; i < ips->nelts; i++) {
        t.ip = ip_at(ips, i);
        t.port = port;
        t.host = hsts_vhosts_select(l->v, t.ip, port, name);
        if (t.host >= 0) {
            return serves_tls(l, &t, name) ? t.host : -1;
        }
    }
    if (port == 443 && h->redirect_port == 443) {
        probe_tls(l, name, ips, 1, &t);
        return serves_tls(l, &t, name) ? t.host : -1;
    }
    return -1;
}

void hsts_probes_redirect_targets(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    apr_hash_t *reported = apr_hash_make(l->p);
    int i, n = h->names ? h->names->nelts : 0;

    for (i = -1; i < n; i++) {
        const char *name = i < 0 ? h->name
                                 : APR_ARRAY_IDX(h->names, i, const char *);
        int t = redirect_target(l, host, name);
        const char *id;

        if (t < 0 || hsts_lint_host_sends_sts(HOST(l, t))
            || reported_before(l, reported, t)) {
            continue;
        }
        id = hsts_lint_host_id(l, t, 0);
        hsts_lint_findingf(l, host, HSTS_C_RESPONSE_NO_HEADER,
            "HSTSRedirect sends http://%s/ to HTTPS, "
            "where the TLS host %s (%s) sends no Strict-"
            "Transport-Security, so browsers keep using plain "
            "HTTP first. Set HSTS On in %s.", name, id,
            HOST(l, t)->where, id);
    }
}
