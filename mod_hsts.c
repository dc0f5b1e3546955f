/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: HTTP Strict Transport Security (RFC 6797) for Apache httpd 2.4.
 *
 * - exactly one Strict-Transport-Security header on every response served
 *   over TLS, and none on plain-HTTP ones;
 * - plain-HTTP virtual hosts with HSTSRedirect answer with a redirect to
 *   the same URL over HTTPS, on a host name the configuration names;
 * - a startup lint checks every virtual host against the HSTS preload
 *   requirements (mod_hsts_lint.c, hsts_lint.c).
 *
 * This file holds the module record, every hook registration, the header
 * and the redirect. The layers: mod_hsts*.c are httpd glue, hsts_*.c the
 * pure rules they call (README.md, "Hacking").
 */
#include <apr_strings.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_main.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_ssl.h"
#include "util_filter.h"
#include "ap_mmn.h"

#include "mod_hsts_private.h"
#include "hsts_request.h"
#include "hsts_proxy.h"

#if !AP_MODULE_MAGIC_AT_LEAST(20120211, 102)
#error "mod_hsts needs Apache httpd 2.4.48 or newer (ap_ssl_conn_is_ssl)"
#endif

/* ------------------------------------------------------------------ */
/* The header                                                          */

static ap_filter_rec_t *hsts_guard_handle;

/* What a TLS connection's slot in conn_config holds once it is known. */
static const char conn_is_tls;

/* Asks whether a connection is TLS, and remembers a yes in its conn_config
 * slot (a connection never stops being TLS; a plain one may yet be
 * upgraded, so a no is not kept). */
static int connection_is_tls(conn_rec *c)
{
    if (ap_get_module_config(c->conn_config, &hsts_module) == &conn_is_tls) {
        return 1;
    }
    if (!ap_ssl_conn_is_ssl(c)) {
        return 0;
    }
    ap_set_module_config(c->conn_config, &hsts_module, (void *)&conn_is_tls);
    return 1;
}

/* From an HSTSTrustedProxy address that says the client used https. */
static int proxy_says_https(request_rec *r, const hsts_server_conf *conf)
{
    const char *proto;

    if (!conf->trusted_proxies
        || !hsts_proxy_is_trusted(conf->trusted_proxies,
                                  r->connection->client_addr)) {
        return 0;
    }
    proto = apr_table_get(r->headers_in, "X-Forwarded-Proto");
    return proto && hsts_forwarded_proto_is_https(proto);
}

static APR_INLINE int request_is_secure(request_rec *r,
                                        const hsts_server_conf *conf)
{
    return connection_is_tls(r->connection) || proxy_says_https(r, conf);
}

/* What mod_hsts does with the header of a response. */
typedef enum {
    HEADER_LEAVE = 0,               /* HSTS off over TLS, or not engaged */
    HEADER_SET,                     /* secure: exactly the policy */
    HEADER_REMOVE                   /* plain HTTP: none */
} header_duty_e;

static APR_INLINE header_duty_e header_duty(request_rec *r,
                                            const hsts_server_conf *conf)
{
    if (!conf->owns_header) {
        return HEADER_LEAVE;
    }
    if (!request_is_secure(r, conf)) {
        return HEADER_REMOVE;
    }
    return conf->header_value ? HEADER_SET : HEADER_LEAVE;
}

/* LogLevel hsts:debug: what fix_headers is about to do, and why. */
static void log_header_change(request_rec *r, const hsts_server_conf *conf,
                              header_duty_e duty)
{
    const char *other = apr_table_get(r->err_headers_out, HSTS_HEADER_NAME);
    const char *why;

    if (!other || other == conf->header_value) {
        other = apr_table_get(r->headers_out, HSTS_HEADER_NAME);
    }
    if (duty == HEADER_REMOVE) {
        if (other) {
            ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "removing "
                          "Strict-Transport-Security \"%s\", set by another "
                          "module, from a plain-HTTP response", other);
        }
        return;
    }
    why = connection_is_tls(r->connection)
          ? "over TLS"
          : apr_psprintf(r->pool, "for trusted proxy %s, which says "
                         "X-Forwarded-Proto: https",
                         r->connection->client_ip);
    if (other && other != conf->header_value) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "replacing "
                      "Strict-Transport-Security \"%s\", set by another "
                      "module, with \"%s\" (%s)", other, conf->header_value,
                      why);
    }
    else {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "setting "
                      "Strict-Transport-Security \"%s\" (%s)",
                      conf->header_value, why);
    }
}

/*
 * The one Strict-Transport-Security header of a response: the host's
 * policy when secure, and none over plain HTTP, whatever else set one.
 * httpd sends both header tables, so both are fixed. The decision is
 * logged where it is final: in the guard, when one follows.
 */
static void fix_headers(request_rec *r, const hsts_server_conf *conf,
                        header_duty_e duty, int final)
{
    if (final && APLOGrdebug(r)) {
        log_header_change(r, conf, duty);
    }
    if (apr_table_elts(r->err_headers_out)->nelts) {
        apr_table_unset(r->err_headers_out, HSTS_HEADER_NAME);
    }
    if (duty == HEADER_SET) {
        apr_table_setn(r->headers_out, HSTS_HEADER_NAME, conf->header_value);
    }
    else {
        apr_table_unset(r->headers_out, HSTS_HEADER_NAME);
    }
}

/*
 * The guard: fixes the header tables once more just before httpd writes
 * the response header, after handlers (CGI, proxy...) and content filters
 * (mod_headers...) have had their say. It sits right in front of the
 * protocol filters (HTTP_HEADER, and mod_http2's), and does its work on
 * the first brigade only.
 */
static apr_status_t hsts_guard_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    const hsts_server_conf *conf = hsts_conf_of(r->server);
    header_duty_e duty = header_duty(r, conf);

    if (duty != HEADER_LEAVE) {
        fix_headers(r, conf, duty, 1);
    }
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

static void add_guard(request_rec *r)
{
    ap_add_output_filter_handle(hsts_guard_handle, NULL, r, r->connection);
}

/*
 * Every response that reaches a handler passes here last, after
 * mod_headers' fixups. The header goes in now: for a file served by the
 * default handler nothing else touches it afterwards, so the guard is
 * only added when a handler or a configured filter might.
 */
static int hsts_fixups(request_rec *r)
{
    const hsts_server_conf *conf = hsts_conf_of(r->server);
    header_duty_e duty;
    int guard;

    if (r->main || (duty = header_duty(r, conf)) == HEADER_LEAVE) {
        return DECLINED;
    }
    guard = r->handler || conf->mc->guard_every_response;
    fix_headers(r, conf, duty, !guard);
    if (guard) {
        add_guard(r);
    }
    return DECLINED;
}

/*
 * httpd answers TRACE and OPTIONS * in its own map_to_storage hooks,
 * which end the request before the fixups phase: those answers get the
 * guard here.
 */
static int hsts_map_to_storage(request_rec *r)
{
    if ((r->method_number != M_TRACE
         && (r->method_number != M_OPTIONS || strcmp(r->uri, "*") != 0))
        || r->main) {
        return DECLINED;
    }
    if (header_duty(r, hsts_conf_of(r->server)) != HEADER_LEAVE) {
        add_guard(r);
    }
    return DECLINED;
}

/*
 * Error pages, redirects made by other modules, 304s: httpd swaps the
 * header tables and may add mod_headers' "always" headers on the way, so
 * these responses always get the guard.
 */
static void hsts_insert_error_filter(request_rec *r)
{
    if (!r->main && header_duty(r, hsts_conf_of(r->server)) != HEADER_LEAVE) {
        add_guard(r);
    }
}

/* ------------------------------------------------------------------ */
/* The redirect                                                        */

/*
 * The host a redirect points to: the request's, when the host names it
 * (httpd's own wildcard matching of ServerAlias), else the ServerName.
 * httpd has lower-cased r->hostname and stripped its port and brackets.
 */
static const char *redirect_host(const request_rec *r,
                                 const hsts_server_conf *conf)
{
    const server_rec *s = r->server;
    const char *host = r->hostname;
    int i;

    if (!host || !*host || !strcmp(host, conf->canonical_host)) {
        return conf->canonical_host;
    }
    /* Without HttpProtocolOptions Strict httpd lets '?', '#', '@' and
     * spaces through in a host name, and "evil.example?.a.example.com"
     * matches "*.a.example.com" but leads the browser to evil.example. */
    if (!hsts_host_is_valid(host)) {
        return conf->canonical_host;
    }
    for (i = 0; s->names && i < s->names->nelts; i++) {
        if (!strcasecmp(host, APR_ARRAY_IDX(s->names, i, const char *))) {
            return host;
        }
    }
    for (i = 0; s->wild_names && i < s->wild_names->nelts; i++) {
        if (hsts_alias_match(APR_ARRAY_IDX(s->wild_names, i, const char *),
                             host)) {
            return host;
        }
    }
    return conf->canonical_host;
}

static const char redirect_body[] =
    "<!DOCTYPE html>\n<title>Moved to HTTPS</title>\n"
    "<p>This site is served over HTTPS only.</p>\n";

/* The path and query a plain-HTTP request is redirected with, or NULL
 * when it is not redirected. */
static const char *redirect_target(request_rec *r,
                                   const hsts_server_conf *conf,
                                   apr_size_t *len)
{
    const char *path_query;

    /* A tunnel has no URL to redirect, nor has OPTIONS * (httpd sets
     * r->uri to "*"), also in its absolute form "OPTIONS http://host"
     * (RFC 9112 3.2.4), which httpd before 2.4.49 does not recognise. */
    if (r->method_number == M_CONNECT || !strcmp(r->uri, "*")) {
        return NULL;
    }
    path_query = hsts_target_path_query(r->unparsed_uri, len);
    if (!path_query
        || (r->method_number == M_OPTIONS && path_query[0] != '/')) {
        return NULL;
    }
    if (hsts_path_excluded(path_query, *len, conf->redirect_excludes)) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "not redirecting %s: "
                      "its path is under an HSTSRedirectExclude prefix",
                      r->uri);
        return NULL;
    }
    return path_query;
}

/* Sends the redirect: a status, a Location and a constant body (cheaper
 * than httpd's error page machinery, and with nothing from the request
 * in it). */
static int redirect(request_rec *r, const hsts_server_conf *conf,
                    const char *path_query, apr_size_t len)
{
    const char *host = redirect_host(r, conf), *location;
    int permanent = conf->redirect_mode == HSTS_REDIRECT_PERMANENT;
    apr_port_t port = conf->redirect_port ? conf->redirect_port
                      : host == conf->canonical_host
                      ? conf->canonical_tls_port
                      : hsts_tls_port_for(conf->mc->tls_ports, host);

    location = hsts_location_build(r->pool, host, port, path_query, len);
    /* 308 and 307 keep the method and body, but HTTP/1.0 clients do not
     * know them */
    if (r->method_number == M_GET || r->proto_num < HTTP_VERSION(1, 1)) {
        r->status = permanent ? HTTP_MOVED_PERMANENTLY : HTTP_MOVED_TEMPORARILY;
    }
    else {
        r->status = permanent ? HTTP_PERMANENT_REDIRECT
                              : HTTP_TEMPORARY_REDIRECT;
    }
    apr_table_setn(r->headers_out, "Location", location);
    ap_set_content_type(r, "text/html; charset=utf-8");
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  "redirecting plain-HTTP request to %s (%d)", location,
                  r->status);
    if (!r->header_only) {
        apr_bucket_brigade *bb = apr_brigade_create(r->pool,
                                                    r->connection->bucket_alloc);
        APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_immortal_create(
            redirect_body, sizeof(redirect_body) - 1, bb->bucket_alloc));
        APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(bb->bucket_alloc));
        ap_pass_brigade(r->output_filters, bb);
    }
    return OK;
}

/*
 * The quick handler: the plain-HTTP redirect, answered before URL
 * translation, authentication and rewriting; the status it sets goes out
 * like any other response, keeping the connection for the next request.
 * Where mod_cache may answer next (without the fixups phase), its answer
 * gets the guard.
 */
static int hsts_quick_handler(request_rec *r, int lookup)
{
    const hsts_server_conf *conf = hsts_conf_of(r->server);
    const char *path_query;
    apr_size_t len;

    if (lookup || r->main) {
        return DECLINED;
    }
    if (conf->redirect_mode == HSTS_REDIRECT_OFF || r->prev) {
        if (conf->mc->cache_may_answer
            && header_duty(r, conf) != HEADER_LEAVE) {
            add_guard(r);
        }
        return DECLINED;
    }
    if (request_is_secure(r, conf)) {
        if (!connection_is_tls(r->connection)) {
            ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "not redirecting: "
                          "trusted proxy %s says X-Forwarded-Proto: https",
                          r->connection->client_ip);
        }
        return DECLINED;
    }
    path_query = redirect_target(r, conf, &len);
    return path_query ? redirect(r, conf, path_query, len) : DECLINED;
}

/* ------------------------------------------------------------------ */
/* Startup                                                             */

/* pre_config: the configuration tree is read once per pass, here. */
static int hsts_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp)
{
    hsts_module_conf *mc = hsts_conf_of(ap_server_conf)->mc;
    const ap_directive_t *d;

    (void)pconf;
    (void)plog;
    /* the tree of thousands of hosts: given back at the end of
     * post_config, not kept by ptemp's allocator in the parent */
    mc->tree_pool = hsts_work_pool(ptemp);
    mc->tree = hsts_conftree_read(mc->tree_pool);
    hsts_lint_pre_config(ptemp, ap_server_conf);
    d = hsts_conftree_misplaced(mc->tree);
    if (d) {
        /* as httpd reports a directive that is not allowed here */
        ap_log_error(APLOG_MARK, APLOG_STARTUP, 0, NULL,
                     "Syntax error on line %d of %s:", d->line_num,
                     d->filename);
        ap_log_error(APLOG_MARK, APLOG_STARTUP, 0, NULL,
                     "%s: it cannot be used inside %s>: the HSTS policy "
                     "belongs to the whole host. Move it into the "
                     "<VirtualHost> or the server config.", d->directive,
                     d->parent->directive);
        return !OK;
    }
    return OK;
}

/*
 * A hook costs every request of every host a call, TLS ones included, so
 * the quick handler (the redirect) and the report handler are registered
 * only for a configuration that needs them: the quick handler with a
 * plain-HTTP redirect, or with mod_cache (whose answers skip the fixups
 * phase); the handler where SetHandler or AddHandler names hsts-report.
 * The quick handler must run before mod_cache's, so the hooks are sorted
 * again. Hooks and this flag both go with the configuration pool.
 */
static int late_hooks_registered;

static apr_status_t late_hooks_gone(void *data)
{
    (void)data;
    late_hooks_registered = 0;
    return APR_SUCCESS;
}

static void register_late_hooks(apr_pool_t *pconf, server_rec *main_server)
{
    static const char *const before_cache[] = { "mod_cache.c", NULL };
    const hsts_module_conf *mc = hsts_conf_of(main_server)->mc;
    int quick = 0;
    server_rec *s;

    if (late_hooks_registered) {
        return;
    }
    for (s = main_server; s && !quick; s = s->next) {
        const hsts_server_conf *conf = hsts_conf_of(s);
        quick = conf->redirect_mode != HSTS_REDIRECT_OFF
                || (mc->cache_may_answer && conf->owns_header);
    }
    if (!quick && !mc->report_configured) {
        return;
    }
    if (quick) {
        ap_hook_quick_handler(hsts_quick_handler, NULL, before_cache,
                              APR_HOOK_FIRST);
    }
    if (mc->report_configured) {
        ap_hook_handler(hsts_report_handler, NULL, NULL, APR_HOOK_MIDDLE);
    }
    apr_hook_sort_all();
    late_hooks_registered = 1;
    apr_pool_cleanup_register(pconf, NULL, late_hooks_gone,
                              apr_pool_cleanup_null);
}

static int hsts_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                            apr_pool_t *ptemp, server_rec *main_server)
{
    (void)plog;
    hsts_conf_derive(pconf, main_server);
    register_late_hooks(pconf, main_server);
    return hsts_lint_post_config(pconf, ptemp, main_server);
}

static void hsts_register_hooks(apr_pool_t *p)
{
    (void)p;
    /* After every content filter, in front of the protocol filters. */
    hsts_guard_handle = ap_register_output_filter("HSTS", hsts_guard_filter,
                                                  NULL, AP_FTYPE_PROTOCOL - 1);
    ap_hook_pre_config(hsts_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(hsts_lint_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    /* last: at a start the certificates are checked from check_config
     * on, while the other modules' post_config hooks run */
    ap_hook_post_config(hsts_post_config, NULL, NULL, APR_HOOK_REALLY_LAST);
    /* The quick handler (the redirect) and the report handler are
     * registered in post_config, and only when the configuration needs
     * them: register_late_hooks. */
    ap_hook_map_to_storage(hsts_map_to_storage, NULL, NULL,
                           APR_HOOK_REALLY_FIRST);
    /* After every other fixup, mod_headers' included. */
    ap_hook_fixups(hsts_fixups, NULL, NULL, APR_HOOK_REALLY_LAST);
    ap_hook_insert_error_filter(hsts_insert_error_filter, NULL, NULL,
                                APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(hsts) = {
    STANDARD20_MODULE_STUFF,
    NULL,                       /* create per-directory config */
    NULL,                       /* merge per-directory config */
    hsts_create_server_config,
    hsts_merge_server_config,
    hsts_cmds,
    hsts_register_hooks,
    /* every virtual host gets a record of its own, even without a
     * directive of ours: post_config derives per-host values into it */
    AP_MODULE_FLAG_ALWAYS_MERGE
};
