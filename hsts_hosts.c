/*
 * mod_hsts: what the configuration tree tells about the virtual hosts
 * that server_rec does not: which hosts are TLS, and so which port serves
 * a name over HTTPS.
 */
#include <apr_strings.h>
#include <apr_hash.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"

#include "hsts_glue.h"

APLOG_USE_MODULE(hsts);

struct hsts_tls_ports_t {
    apr_hash_t *exact;               /* lower-case name -> apr_port_t * */
    apr_array_header_t *wild;        /* hsts_wild_port_t */
};

typedef struct {
    const char *pattern;
    apr_port_t port;
} hsts_wild_port_t;

/* "on" and address lists switch mod_ssl on; "off" and "optional" do not. */
static int ssl_engine_value(const char *args)
{
    return strcasecmp(args, "off") && strcasecmp(args, "optional");
}

/* The SSLEngine setting among a section's own directives, or HSTS_UNSET. */
static int section_ssl_engine(const ap_directive_t *first)
{
    const ap_directive_t *d;
    int engine = HSTS_UNSET;

    for (d = first; d; d = d->next) {
        if (!strcasecmp(d->directive, "SSLEngine")) {
            engine = ssl_engine_value(d->args);
        }
    }
    return engine;
}

static const char *section_key(apr_pool_t *p, const char *file,
                               unsigned int line)
{
    return apr_psprintf(p, "%s:%u", file, line);
}

/* Which servers are TLS: their <VirtualHost>, else the server config. */
static apr_hash_t *tls_servers(apr_pool_t *ptemp, server_rec *main_server,
                               int *main_tls)
{
    apr_hash_t *by_section = apr_hash_make(ptemp), *tls = apr_hash_make(ptemp);
    const ap_directive_t *d;
    server_rec *s;
    int main_engine = HSTS_UNSET;

    for (d = ap_conftree; d; d = d->next) {
        if (!strcasecmp(d->directive, "<VirtualHost")) {
            int *engine = apr_palloc(ptemp, sizeof(*engine));
            *engine = section_ssl_engine(d->first_child);
            apr_hash_set(by_section,
                         section_key(ptemp, d->filename,
                                     (unsigned int)d->line_num),
                         APR_HASH_KEY_STRING, engine);
        }
        else if (!strcasecmp(d->directive, "SSLEngine")) {
            main_engine = ssl_engine_value(d->args);
        }
    }
    *main_tls = main_engine == 1;
    for (s = main_server->next; s; s = s->next) {
        const int *engine = NULL;
        if (s->defn_name) {
            engine = apr_hash_get(by_section,
                                  section_key(ptemp, s->defn_name,
                                              s->defn_line_number),
                                  APR_HASH_KEY_STRING);
        }
        if (engine && *engine != HSTS_UNSET ? *engine == 1 : *main_tls) {
            apr_hash_set(tls, s, sizeof(s), s);
        }
    }
    return tls;
}

static apr_port_t server_port(const server_rec *s)
{
    if (s->addrs && s->addrs->host_port) {
        return s->addrs->host_port;
    }
    return s->port ? s->port : 443;
}

/* 443 wins over any other port; otherwise the host first in the file. */
static void port_note(apr_pool_t *p, apr_hash_t *exact, const char *name,
                      apr_port_t port)
{
    char *key = apr_pstrdup(p, name);
    apr_port_t *known;

    ap_str_tolower(key);
    known = apr_hash_get(exact, key, APR_HASH_KEY_STRING);
    if (!known) {
        known = apr_palloc(p, sizeof(*known));
        apr_hash_set(exact, key, APR_HASH_KEY_STRING, known);
    }
    else if (*known == 443) {
        return;
    }
    *known = port;
}

const hsts_tls_ports_t *hsts_tls_ports_build(apr_pool_t *p, apr_pool_t *ptemp,
                                             server_rec *main_server)
{
    hsts_tls_ports_t *ports = apr_palloc(p, sizeof(*ports));
    apr_hash_t *tls;
    server_rec *s;
    int main_tls, i;

    ports->exact = apr_hash_make(p);
    ports->wild = apr_array_make(p, 1, sizeof(hsts_wild_port_t));
    tls = tls_servers(ptemp, main_server, &main_tls);

    /* httpd keeps virtual hosts in reverse file order */
    for (s = main_server->next; s; s = s->next) {
        apr_port_t port;
        if (!apr_hash_get(tls, s, sizeof(s))) {
            continue;
        }
        port = server_port(s);
        port_note(p, ports->exact, s->server_hostname, port);
        if (s->names) {
            const char *const *names = (const char *const *)s->names->elts;
            for (i = 0; i < s->names->nelts; i++) {
                port_note(p, ports->exact, names[i], port);
            }
        }
        if (s->wild_names) {
            const char *const *names = (const char *const *)s->wild_names->elts;
            for (i = 0; i < s->wild_names->nelts; i++) {
                hsts_wild_port_t *w = apr_array_push(ports->wild);
                w->pattern = names[i];
                w->port = port;
            }
        }
    }
    if (main_tls && !main_server->next) {
        port_note(p, ports->exact, main_server->server_hostname,
                  server_port(main_server));
    }
    return ports;
}

apr_port_t hsts_tls_port_for(const hsts_tls_ports_t *ports, const char *host)
{
    const apr_port_t *port;
    const hsts_wild_port_t *wild = (const hsts_wild_port_t *)ports->wild->elts;
    int i;

    /* names are stored lower-case; httpd lower-cases request host names */
    port = apr_hash_get(ports->exact, host, APR_HASH_KEY_STRING);
    if (port) {
        return *port;
    }
    for (i = ports->wild->nelts - 1; i >= 0; i--) {
        if (hsts_host_match(wild[i].pattern, host)) {
            return wild[i].port;
        }
    }
    return 443;
}

/* ------------------------------------------------------------------ */
/* The startup lint's hooks.                                           */

int hsts_lint_check_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *main_server)
{
    (void)pconf;
    (void)plog;
    (void)ptemp;
    (void)main_server;
    return OK;
}

int hsts_lint_post_config(apr_pool_t *pconf, apr_pool_t *ptemp,
                          server_rec *main_server)
{
    (void)pconf;
    (void)ptemp;
    (void)main_server;
    return OK;
}
