/*
 * mod_hsts: HTTP Strict Transport Security (RFC 6797) for Apache httpd 2.4.
 *
 * - an output filter puts exactly one Strict-Transport-Security header on
 *   every response served over TLS and removes it from plain-HTTP ones;
 * - plain-HTTP virtual hosts with HSTSRedirect answer with a redirect to
 *   the same URL over HTTPS, on a host name the configuration names;
 * - a startup lint checks every virtual host against the HSTS preload
 *   requirements (hsts_lint.c).
 *
 * This file is the httpd glue: directives, per-server configuration,
 * hooks, the filter and the redirect. The policy, redirect and lint rules
 * themselves are pure functions declared in mod_hsts.h.
 */
#include <apr_strings.h>
#include <apr_lib.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_main.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_ssl.h"
#include "util_filter.h"
#include "ap_mmn.h"

#include "mod_hsts.h"
#include "hsts_glue.h"

#if !AP_MODULE_MAGIC_AT_LEAST(20120211, 102)
#error "mod_hsts needs Apache httpd 2.4.48 or newer (ap_ssl_conn_is_ssl)"
#endif


/* ------------------------------------------------------------------ */
/* Per-server configuration                                            */

static void *hsts_create_server_config(apr_pool_t *p, server_rec *s)
{
    hsts_server_conf *conf = apr_pcalloc(p, sizeof(*conf));

    (void)s;
    conf->enabled = HSTS_UNSET;
    conf->include_subdomains = HSTS_UNSET;
    conf->preload = HSTS_UNSET;
    conf->redirect = HSTS_UNSET;
    conf->lint = HSTS_UNSET;
    return conf;
}

#define MERGE_SET(field, unset) \
    merged->field = (add->field != (unset)) ? add->field : base->field

static void *hsts_merge_server_config(apr_pool_t *p, void *basev, void *addv)
{
    const hsts_server_conf *base = basev, *add = addv;
    hsts_server_conf *merged = apr_pcalloc(p, sizeof(*merged));

    MERGE_SET(enabled, HSTS_UNSET);
    /* Where a setting was made is kept only for this host's own settings:
     * the lint tells explicit settings from inherited ones by it. */
    merged->enabled_where = add->enabled_where;
    merged->max_age_set = add->max_age_set || base->max_age_set;
    merged->max_age = add->max_age_set ? add->max_age : base->max_age;
    MERGE_SET(include_subdomains, HSTS_UNSET);
    MERGE_SET(preload, HSTS_UNSET);
    merged->policy_value = add->policy_set ? add->policy_value
                                           : base->policy_value;
    merged->policy_set = add->policy_set || base->policy_set;
    merged->policy_where = add->policy_set ? add->policy_where
                                           : base->policy_where;
    MERGE_SET(redirect, HSTS_UNSET);
    merged->redirect_where = add->redirect_where;
    merged->redirect_port = add->redirect_port ? add->redirect_port
                                               : base->redirect_port;
    if (add->excludes) {
        merged->excludes = add->excludes;
        merged->excludes_no_default = add->excludes_no_default;
    }
    else {
        merged->excludes = base->excludes;
        merged->excludes_no_default = base->excludes_no_default;
    }
    merged->trusted_proxies = add->trusted_proxies ? add->trusted_proxies
                                                   : base->trusted_proxies;
    if (add->lint_ignore && base->lint_ignore) {
        merged->lint_ignore = apr_array_append(p, base->lint_ignore,
                                               add->lint_ignore);
    }
    else {
        merged->lint_ignore = add->lint_ignore ? add->lint_ignore
                                               : base->lint_ignore;
    }
    merged->lint = base->lint; /* server config only */
    return merged;
}

void hsts_conf_policy(const hsts_server_conf *conf, hsts_policy_t *policy)
{
    policy->has_max_age = 1;
    policy->max_age = conf->max_age_set ? conf->max_age : HSTS_ONE_YEAR;
    policy->include_subdomains = conf->include_subdomains == 1;
    policy->preload = conf->preload == 1;
}

/* ------------------------------------------------------------------ */
/* Directives                                                          */

static const char *where_of(cmd_parms *cmd)
{
    return apr_psprintf(cmd->pool, "%s:%d", cmd->directive->filename,
                        cmd->directive->line_num);
}

/*
 * The policy belongs to the host, so no <Directory>, <Location>, <Files>,
 * <If> or .htaccess may change or drop it. The directives are declared
 * for every context only so that this message, rather than httpd's bare
 * "not allowed here", explains what to do.
 */
static const char *host_context_only(cmd_parms *cmd)
{
    if (cmd->path || ap_check_cmd_context(cmd, NOT_IN_HTACCESS
                                               | NOT_IN_DIR_CONTEXT)) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           " cannot be used inside <Directory>, <Location>, "
                           "<Files>, <If>, <Limit>, <Proxy> or .htaccess: the "
                           "HSTS policy belongs to the whole host. Move it "
                           "into the <VirtualHost> or the server config.",
                           NULL);
    }
    return NULL;
}

static hsts_server_conf *conf_of(cmd_parms *cmd)
{
    return ap_get_module_config(cmd->server->module_config, &hsts_module);
}

static const char *cmd_hsts(cmd_parms *cmd, void *dc, int on)
{
    const char *err = host_context_only(cmd);
    hsts_server_conf *conf = conf_of(cmd);

    (void)dc;
    if (err) {
        return err;
    }
    conf->enabled = on;
    conf->enabled_where = where_of(cmd);
    return NULL;
}

static const char *cmd_max_age(cmd_parms *cmd, void *dc, const char *arg)
{
    const char *err = host_context_only(cmd);
    hsts_server_conf *conf = conf_of(cmd);
    apr_uint64_t seconds;

    (void)dc;
    if (err) {
        return err;
    }
    if ((err = hsts_duration_parse(arg, &seconds)) != NULL) {
        return apr_psprintf(cmd->pool, "HSTSMaxAge: '%s' is not a valid "
                            "duration (%s). Give seconds or a number with "
                            "one unit s, m, h, d, w or y, e.g. 31536000 or "
                            "1y; 0 tells browsers to forget the host.",
                            arg, err);
    }
    conf->max_age = seconds;
    conf->max_age_set = 1;
    return NULL;
}

static const char *cmd_policy_flag(cmd_parms *cmd, void *dc, int on)
{
    const char *err = host_context_only(cmd);
    hsts_server_conf *conf = conf_of(cmd);

    (void)dc;
    if (err) {
        return err;
    }
    *(int *)((char *)conf + (apr_size_t)cmd->info) = on;
    return NULL;
}

static const char *cmd_policy(cmd_parms *cmd, void *dc, const char *arg)
{
    const char *err = host_context_only(cmd);
    hsts_server_conf *conf = conf_of(cmd);
    apr_array_header_t *issues;
    hsts_policy_t policy;

    (void)dc;
    if (err) {
        return err;
    }
    issues = apr_array_make(cmd->temp_pool, 4, sizeof(hsts_issue_t));
    if (hsts_policy_parse(cmd->temp_pool, arg, &policy, issues) > 0) {
        const hsts_issue_t *all = (const hsts_issue_t *)issues->elts;
        int i;
        for (i = 0; i < issues->nelts; i++) {
            if (all[i].severity == HSTS_ERROR) {
                return apr_psprintf(cmd->pool, "HSTSPolicy: \"%s\" is not a "
                                    "valid Strict-Transport-Security value "
                                    "[%s]: %s Example: \"max-age=31536000; "
                                    "includeSubDomains\".", arg, all[i].code,
                                    all[i].message);
            }
        }
    }
    if (!policy.has_max_age) {
        return apr_psprintf(cmd->pool, "HSTSPolicy: \"%s\" has no max-age "
                            "directive, which RFC 6797 (6.1.1) requires. "
                            "Write e.g. \"max-age=31536000; "
                            "includeSubDomains\".", arg);
    }
    conf->policy_value = apr_pstrdup(cmd->pool, arg);
    conf->policy_set = 1;
    conf->policy_where = where_of(cmd);
    conf->max_age = policy.max_age;
    conf->max_age_set = 1;
    conf->include_subdomains = policy.include_subdomains;
    conf->preload = policy.preload;
    conf->enabled = 1;
    conf->enabled_where = conf->policy_where;
    return NULL;
}

static const char *cmd_redirect(cmd_parms *cmd, void *dc, const char *arg)
{
    const char *err = host_context_only(cmd);
    hsts_server_conf *conf = conf_of(cmd);

    (void)dc;
    if (err) {
        return err;
    }
    if (!strcasecmp(arg, "Off")) {
        conf->redirect = HSTS_REDIRECT_OFF;
    }
    else if (!strcasecmp(arg, "On") || !strcasecmp(arg, "Permanent")) {
        conf->redirect = HSTS_REDIRECT_PERMANENT;
    }
    else if (!strcasecmp(arg, "Temporary")) {
        conf->redirect = HSTS_REDIRECT_TEMPORARY;
    }
    else {
        return apr_psprintf(cmd->pool, "HSTSRedirect: '%s' is not allowed; "
                            "use Off, On (the same as Permanent: 301/308), "
                            "Permanent or Temporary (302/307).", arg);
    }
    conf->redirect_where = where_of(cmd);
    return NULL;
}

static const char *cmd_redirect_port(cmd_parms *cmd, void *dc,
                                     const char *arg)
{
    const char *err = host_context_only(cmd);
    hsts_server_conf *conf = conf_of(cmd);
    unsigned long port = 0;
    const char *c;

    (void)dc;
    if (err) {
        return err;
    }
    for (c = arg; apr_isdigit(*c) && port <= 65535; c++) {
        port = port * 10 + (unsigned long)(*c - '0');
    }
    if (c == arg || *c || port < 1 || port > 65535) {
        return apr_psprintf(cmd->pool, "HSTSRedirectPort: '%s' is not a "
                            "port; give a number from 1 to 65535, e.g. "
                            "8443.", arg);
    }
    conf->redirect_port = (apr_port_t)port;
    return NULL;
}

static const char *cmd_redirect_exclude(cmd_parms *cmd, void *dc,
                                        const char *arg)
{
    const char *err = host_context_only(cmd);
    hsts_server_conf *conf = conf_of(cmd);
    const char *prefix;

    (void)dc;
    if (err) {
        return err;
    }
    if (!conf->excludes) {
        conf->excludes = apr_array_make(cmd->pool, 2, sizeof(const char *));
    }
    if (!strcasecmp(arg, "none")) {
        /* clears everything before it, the built-in default included */
        apr_array_clear(conf->excludes);
        conf->excludes_no_default = 1;
        return NULL;
    }
    prefix = hsts_exclude_prefix_normalize(cmd->pool, arg, &err);
    if (!prefix) {
        return apr_psprintf(cmd->pool, "HSTSRedirectExclude: '%s' is not "
                            "allowed: %s. Give URL path prefixes such as "
                            "/healthz, or none.", arg, err);
    }
    APR_ARRAY_PUSH(conf->excludes, const char *) = prefix;
    return NULL;
}

static const char *cmd_trusted_proxy(cmd_parms *cmd, void *dc,
                                     const char *arg)
{
    const char *err = host_context_only(cmd);
    hsts_server_conf *conf = conf_of(cmd);
    hsts_cidr_t cidr;

    (void)dc;
    if (err) {
        return err;
    }
    if ((err = hsts_cidr_parse(arg, &cidr)) != NULL) {
        return apr_psprintf(cmd->pool, "HSTSTrustedProxy: '%s' is not "
                            "allowed: %s. Give the addresses of your load "
                            "balancers, e.g. 10.0.0.0/8 or 2001:db8::/32.",
                            arg, err);
    }
    if (!conf->trusted_proxies) {
        conf->trusted_proxies = apr_array_make(cmd->pool, 2,
                                               sizeof(hsts_cidr_t));
    }
    APR_ARRAY_PUSH(conf->trusted_proxies, hsts_cidr_t) = cidr;
    return NULL;
}

static const char *cmd_lint(cmd_parms *cmd, void *dc, const char *arg)
{
    const char *err = host_context_only(cmd);
    hsts_server_conf *conf = conf_of(cmd);

    (void)dc;
    if (err) {
        return err;
    }
    if (cmd->server->is_virtual) {
        return "HSTSLint applies to the whole server: set it in the server "
               "config, outside <VirtualHost>.";
    }
    if (!strcasecmp(arg, "Off")) {
        conf->lint = HSTS_LINT_OFF;
    }
    else if (!strcasecmp(arg, "On")) {
        conf->lint = HSTS_LINT_ON;
    }
    else if (!strcasecmp(arg, "Strict")) {
        conf->lint = HSTS_LINT_STRICT;
    }
    else {
        return apr_psprintf(cmd->pool, "HSTSLint: '%s' is not allowed; use "
                            "Off, On (log findings) or Strict (errors stop "
                            "configtest and the first start).", arg);
    }
    return NULL;
}

static const char *cmd_lint_ignore(cmd_parms *cmd, void *dc, const char *arg)
{
    const char *err = host_context_only(cmd);
    hsts_server_conf *conf = conf_of(cmd);

    (void)dc;
    if (err) {
        return err;
    }
    if (!hsts_lint_code_known(arg)) {
        return apr_psprintf(cmd->pool, "HSTSLintIgnore: '%s' is not a "
                            "mod_hsts lint code; give codes as they appear "
                            "in brackets in the findings, e.g. "
                            "tls.cert.expires_soon.", arg);
    }
    if (!conf->lint_ignore) {
        conf->lint_ignore = apr_array_make(cmd->pool, 2, sizeof(const char *));
    }
    APR_ARRAY_PUSH(conf->lint_ignore, const char *) = apr_pstrdup(cmd->pool,
                                                                  arg);
    return NULL;
}

/* Every directive is accepted everywhere so host_context_only can explain. */
#define HSTS_ANY_CONTEXT (RSRC_CONF | ACCESS_CONF | OR_ALL)

static const command_rec hsts_cmds[] = {
    AP_INIT_FLAG("HSTS", cmd_hsts, NULL, HSTS_ANY_CONTEXT,
                 "On to send Strict-Transport-Security on every HTTPS "
                 "response of this host"),
    AP_INIT_TAKE1("HSTSMaxAge", cmd_max_age, NULL, HSTS_ANY_CONTEXT,
                  "max-age as seconds or with a unit s, m, h, d, w, y"),
    AP_INIT_FLAG("HSTSIncludeSubDomains", cmd_policy_flag,
                 (void *)APR_OFFSETOF(hsts_server_conf, include_subdomains),
                 HSTS_ANY_CONTEXT, "On to add includeSubDomains"),
    AP_INIT_FLAG("HSTSPreload", cmd_policy_flag,
                 (void *)APR_OFFSETOF(hsts_server_conf, preload),
                 HSTS_ANY_CONTEXT, "On to add preload"),
    AP_INIT_TAKE1("HSTSPolicy", cmd_policy, NULL, HSTS_ANY_CONTEXT,
                  "a whole Strict-Transport-Security value; turns HSTS on"),
    AP_INIT_TAKE1("HSTSRedirect", cmd_redirect, NULL, HSTS_ANY_CONTEXT,
                  "Off, On, Permanent or Temporary: redirect plain HTTP to "
                  "HTTPS on the same host"),
    AP_INIT_TAKE1("HSTSRedirectPort", cmd_redirect_port, NULL,
                  HSTS_ANY_CONTEXT, "the HTTPS port redirects point to"),
    AP_INIT_ITERATE("HSTSRedirectExclude", cmd_redirect_exclude, NULL,
                    HSTS_ANY_CONTEXT, "URL path prefixes served over plain "
                    "HTTP, or none"),
    AP_INIT_ITERATE("HSTSTrustedProxy", cmd_trusted_proxy, NULL,
                    HSTS_ANY_CONTEXT, "addresses (ip[/bits]) whose "
                    "X-Forwarded-Proto is believed"),
    AP_INIT_TAKE1("HSTSLint", cmd_lint, NULL, HSTS_ANY_CONTEXT,
                  "Off, On or Strict: check the configuration against the "
                  "HSTS preload requirements at startup"),
    AP_INIT_ITERATE("HSTSLintIgnore", cmd_lint_ignore, NULL, HSTS_ANY_CONTEXT,
                    "lint codes to silence"),
    { NULL }
};

/* ------------------------------------------------------------------ */
/* Startup: everything a request needs is computed here, once.         */

static int hsts_redirect_handler(request_rec *r, int lookup);

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
    int redirect = 0, report;
    server_rec *s;

    if (late_hooks_registered) {
        return;
    }
    for (s = main_server; s && !redirect; s = s->next) {
        const hsts_server_conf *conf = ap_get_module_config(s->module_config,
                                                            &hsts_module);
        redirect = conf->redirect_mode != HSTS_REDIRECT_OFF
                   || (conf->guard_cached && conf->engaged);
    }
    report = hsts_report_configured();
    if (!redirect && !report) {
        return;
    }
    if (redirect) {
        ap_hook_quick_handler(hsts_redirect_handler, NULL, before_cache,
                              APR_HOOK_FIRST);
    }
    if (report) {
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
    int cache = ap_find_linked_module("mod_cache.c") != NULL;
    server_rec *s;

    (void)plog;
    for (s = main_server; s; s = s->next) {
        hsts_server_conf *conf = ap_get_module_config(s->module_config,
                                                      &hsts_module);
        hsts_policy_t policy;
        char *host;

        if (conf->enabled == 1) {
            hsts_conf_policy(conf, &policy);
            conf->header_value = hsts_policy_format(pconf, &policy);
        }
        conf->redirect_mode = conf->redirect == HSTS_UNSET
                              ? HSTS_REDIRECT_OFF : conf->redirect;
        conf->engaged = conf->enabled == 1
                        || conf->redirect_mode != HSTS_REDIRECT_OFF;
        conf->redirect_excludes = apr_array_make(pconf, 1,
                                                 sizeof(const char *));
        if (!conf->excludes_no_default) {
            const char *err;
            APR_ARRAY_PUSH(conf->redirect_excludes, const char *) =
                hsts_exclude_prefix_normalize(pconf, HSTS_ACME_PREFIX, &err);
        }
        if (conf->excludes) {
            apr_array_cat(conf->redirect_excludes, conf->excludes);
        }
        host = apr_pstrdup(pconf, s->server_hostname);
        ap_str_tolower(host);
        conf->canonical_host = host;
        conf->guard_cached = cache;
    }
    /* TLS hosts, redirect ports, and whether anything else may set the
     * header, from the configuration tree */
    hsts_hosts_prepare(pconf, ptemp, main_server);
    register_late_hooks(pconf, main_server);

    return hsts_lint_post_config(pconf, ptemp, main_server);
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */

static ap_filter_rec_t *hsts_guard_handle;

/* What a TLS connection's slot in conn_config holds once it is known. */
static const char conn_is_tls;

/* Asks whether a connection is TLS, and remembers a yes in its conn_config
 * slot (a connection never stops being TLS; a plain one may yet be
 * upgraded, so a no is not kept). */
static int connection_is_tls(conn_rec *c)
{
    if (!ap_ssl_conn_is_ssl(c)) {
        return 0;
    }
    ap_set_module_config(c->conn_config, &hsts_module, (void *)&conn_is_tls);
    return 1;
}

/* Over TLS, or from a trusted proxy that says the client used https. */
static APR_INLINE int request_is_secure(request_rec *r,
                                        const hsts_server_conf *conf)
{
    conn_rec *c = r->connection;
    const char *proto;

    if (ap_get_module_config(c->conn_config, &hsts_module) == &conn_is_tls
        || connection_is_tls(c)) {
        return 1;
    }
    if (!conf->trusted_proxies
        || !hsts_cidr_match(conf->trusted_proxies, c->client_addr->family,
                            (const unsigned char *)
                            c->client_addr->ipaddr_ptr)) {
        return 0;
    }
    proto = apr_table_get(r->headers_in, "X-Forwarded-Proto");
    return proto && hsts_forwarded_proto_is_https(proto);
}

/*
 * The one Strict-Transport-Security header of a response: the host's
 * policy over TLS, and none over plain HTTP, whatever else set one.
 * httpd sends both header tables, so both are fixed.
 */
static void fix_headers(request_rec *r, const hsts_server_conf *conf,
                        int secure)
{
    if (apr_table_elts(r->err_headers_out)->nelts) {
        apr_table_unset(r->err_headers_out, HSTS_HEADER_NAME);
    }
    if (secure) {
        apr_table_setn(r->headers_out, HSTS_HEADER_NAME, conf->header_value);
    }
    else {
        apr_table_unset(r->headers_out, HSTS_HEADER_NAME);
    }
}

/* Whether mod_hsts has the header to fix on this request: 1 secure, 0
 * plain, -1 nothing to do (HSTS off over TLS, or not engaged). */
static APR_INLINE int header_duty(request_rec *r, const hsts_server_conf *conf)
{
    int secure;

    if (!conf->engaged) {
        return -1;
    }
    secure = request_is_secure(r, conf);
    return secure && !conf->header_value ? -1 : secure;
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
    const hsts_server_conf *conf = ap_get_module_config(
        r->server->module_config, &hsts_module);
    int duty = header_duty(r, conf);

    if (duty >= 0) {
        fix_headers(r, conf, duty);
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
    const hsts_server_conf *conf = ap_get_module_config(
        r->server->module_config, &hsts_module);
    int duty;

    if (r->main || (duty = header_duty(r, conf)) < 0) {
        return DECLINED;
    }
    fix_headers(r, conf, duty);
    if (r->handler || conf->guard_always) {
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
    const hsts_server_conf *conf;

    if ((r->method_number != M_TRACE
         && (r->method_number != M_OPTIONS || strcmp(r->uri, "*") != 0))
        || r->main) {
        return DECLINED;
    }
    conf = ap_get_module_config(r->server->module_config, &hsts_module);
    if (header_duty(r, conf) >= 0) {
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
    const hsts_server_conf *conf;

    if (r->main) {
        return;
    }
    conf = ap_get_module_config(r->server->module_config, &hsts_module);
    if (header_duty(r, conf) >= 0) {
        add_guard(r);
    }
}

/*
 * The host a redirect points to: the request's, when the host names it.
 * httpd has lower-cased r->hostname and stripped its port and brackets.
 */
static const char *redirect_host(const request_rec *r,
                                 const hsts_server_conf *conf)
{
    const server_rec *s = r->server;
    const char *host = r->hostname;
    int i;

    if (!host || !*host) {
        return conf->canonical_host;
    }
    if (!strcmp(host, conf->canonical_host)) {
        return conf->canonical_host;
    }
    /* Without HttpProtocolOptions Strict httpd lets '?', '#', '@' and
     * spaces through in a host name, and "evil.example?.a.example.com"
     * matches "*.a.example.com" but leads the browser to evil.example. */
    if (!hsts_host_is_valid(host)) {
        return conf->canonical_host;
    }
    if (s->names) {
        const char *const *names = (const char *const *)s->names->elts;
        for (i = 0; i < s->names->nelts; i++) {
            if (!strcasecmp(host, names[i])) {
                return host;
            }
        }
    }
    if (s->wild_names) {
        const char *const *names = (const char *const *)s->wild_names->elts;
        for (i = 0; i < s->wild_names->nelts; i++) {
            if (hsts_host_match(names[i], host)) {
                return host;
            }
        }
    }
    return conf->canonical_host;
}

static const char redirect_body[] =
    "<!DOCTYPE html>\n<title>Moved to HTTPS</title>\n"
    "<p>This site is served over HTTPS only.</p>\n";

/*
 * The plain-HTTP redirect. A quick handler runs before URL translation,
 * authentication and rewriting, and the status it sets goes out like any
 * other response, keeping the connection for the next request.
 */
static int hsts_redirect_handler(request_rec *r, int lookup)
{
    const hsts_server_conf *conf;
    const char *path_query, *host, *location;
    apr_size_t len;
    apr_port_t port;
    int permanent;

    conf = ap_get_module_config(r->server->module_config, &hsts_module);
    if (conf->redirect_mode == HSTS_REDIRECT_OFF
        || lookup || r->main || r->prev) {
        /* mod_cache may answer next, without fixups: guard its answer */
        if (conf->guard_cached && !lookup && !r->main
            && header_duty(r, conf) >= 0) {
            add_guard(r);
        }
        return DECLINED;
    }
    if (request_is_secure(r, conf)) {
        return DECLINED;
    }
    /* A tunnel has no URL to redirect; and "OPTIONS http://host" without
     * a path is the absolute form of "OPTIONS *" (RFC 9112 3.2.4), which
     * httpd answers as such (r->uri "*"). */
    if (r->method_number == M_CONNECT || !strcmp(r->uri, "*")) {
        return DECLINED;
    }
    path_query = hsts_target_path_query(r->unparsed_uri, &len);
    if (!path_query
        || hsts_path_excluded(path_query, len, conf->redirect_excludes)) {
        return DECLINED;
    }

    host = redirect_host(r, conf);
    if (conf->redirect_port) {
        port = conf->redirect_port;
    }
    else if (host == conf->canonical_host) {
        port = conf->own_tls_port;
    }
    else {
        port = hsts_tls_port_for(conf->tls_ports, host);
    }
    location = hsts_location_build(r->pool, host, port, path_query, len);

    permanent = conf->redirect_mode == HSTS_REDIRECT_PERMANENT;
    if (r->method_number == M_GET || r->proto_num < HTTP_VERSION(1, 1)) {
        /* GET and HEAD, and any HTTP/1.0 request: 308 and 307 are unknown
         * to HTTP/1.0 clients */
        r->status = permanent ? HTTP_MOVED_PERMANENTLY : HTTP_MOVED_TEMPORARILY;
    }
    else {
        r->status = permanent ? HTTP_PERMANENT_REDIRECT
                              : HTTP_TEMPORARY_REDIRECT;
    }
    apr_table_setn(r->headers_out, "Location", location);
    ap_set_content_type(r, "text/html; charset=utf-8");

    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                  "redirecting plain-HTTP request to %s", location);

    /* A constant body: cheaper than httpd's error page machinery and with
     * nothing from the request in it. */
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

/* ------------------------------------------------------------------ */

static void hsts_register_hooks(apr_pool_t *p)
{
    (void)p;
    /* After every content filter, in front of the protocol filters. */
    hsts_guard_handle = ap_register_output_filter("HSTS", hsts_guard_filter,
                                                  NULL, AP_FTYPE_PROTOCOL - 1);
    /* The quick handler (the redirect) and the report handler are
     * registered in post_config, and only when the configuration needs
     * them: register_late_hooks. */
    ap_hook_map_to_storage(hsts_map_to_storage, NULL, NULL,
                           APR_HOOK_REALLY_FIRST);
    /* After every other fixup, mod_headers' included. */
    ap_hook_fixups(hsts_fixups, NULL, NULL, APR_HOOK_REALLY_LAST);
    ap_hook_insert_error_filter(hsts_insert_error_filter, NULL, NULL,
                                APR_HOOK_MIDDLE);
    ap_hook_check_config(hsts_lint_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(hsts_post_config, NULL, NULL, APR_HOOK_MIDDLE);
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
