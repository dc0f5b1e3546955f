/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: configuration. The per-server records with their create and
 * merge functions, the module-wide record they share, the directives, and
 * the values requests read, derived once at startup.
 */
#include <apr_strings.h>
#include <apr_lib.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"

#include "mod_hsts_private.h"
#include "hsts_request.h"
#include "hsts_proxy.h"

APLOG_USE_MODULE(hsts);

/* ------------------------------------------------------------------ */
/* Records                                                             */

void *hsts_create_server_config(apr_pool_t *p, server_rec *s)
{
    hsts_server_conf *conf = apr_pcalloc(p, sizeof(*conf));

    /* The main server's record is made first; every virtual host's
     * record gets the module-wide one by merging with it. */
    if (!s->is_virtual) {
        conf->mc = apr_pcalloc(p, sizeof(*conf->mc));
        conf->mc->lint_mode = HSTS_UNSET;
    }
    conf->enabled = HSTS_UNSET;
    conf->include_subdomains = HSTS_UNSET;
    conf->preload = HSTS_UNSET;
    conf->redirect = HSTS_UNSET;
    return conf;
}

#define MERGE_SET(field, unset) \
    merged->field = (add->field != (unset)) ? add->field : base->field

/*
 * The virtual host's own record becomes the merged one: httpd replaces
 * the record with what this returns and keeps no other reference, and a
 * copy per virtual host would stay in the parent for nothing. Each field
 * is read from add before it is written.
 */
void *hsts_merge_server_config(apr_pool_t *p, void *basev, void *addv)
{
    const hsts_server_conf *base = basev, *add = addv;
    hsts_server_conf *merged = addv;

    (void)p;
    merged->mc = base->mc;
    MERGE_SET(enabled, HSTS_UNSET);
    /* Where a setting was made is kept only for this host's own settings:
     * the lint tells explicit settings from inherited ones by it. */
    merged->enabled_where = add->enabled_where;
    merged->max_age = add->max_age_set ? add->max_age : base->max_age;
    merged->max_age_set = add->max_age_set || base->max_age_set;
    MERGE_SET(include_subdomains, HSTS_UNSET);
    MERGE_SET(preload, HSTS_UNSET);
    merged->policy_where = add->policy_value ? add->policy_where
                                             : base->policy_where;
    merged->policy_value = add->policy_value ? add->policy_value
                                             : base->policy_value;
    MERGE_SET(redirect, HSTS_UNSET);
    merged->redirect_where = add->redirect_where;
    merged->redirect_port = add->redirect_port ? add->redirect_port
                                               : base->redirect_port;
    merged->excludes_no_default = add->excludes ? add->excludes_no_default
                                                : base->excludes_no_default;
    merged->excludes = add->excludes ? add->excludes : base->excludes;
    merged->trusted_proxies = add->trusted_proxies ? add->trusted_proxies
                                                   : base->trusted_proxies;
    /* codes silenced in the server config are silenced everywhere */
    merged->lint_ignore = base->lint_ignore | add->lint_ignore;
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
/* Directives. All of them belong to the server config or a virtual    */
/* host (RSRC_CONF); mod_hsts_hosts.c explains a use anywhere else.    */

static const ap_directive_t *where_of(cmd_parms *cmd)
{
    return cmd->directive;
}

static const char *cmd_hsts(cmd_parms *cmd, void *dc, int on)
{
    hsts_server_conf *conf = hsts_conf_of(cmd->server);

    (void)dc;
    conf->enabled = on;
    conf->enabled_where = where_of(cmd);
    return NULL;
}

static const char *cmd_max_age(cmd_parms *cmd, void *dc, const char *arg)
{
    hsts_server_conf *conf = hsts_conf_of(cmd->server);
    apr_uint64_t seconds;
    const char *err;

    (void)dc;
    if ((err = hsts_duration_parse(arg, &seconds)) != NULL) {
        return apr_psprintf(cmd->pool, "HSTSMaxAge: \"%s\" is not a valid "
                            "duration: %s. Give seconds or a number with "
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
    hsts_server_conf *conf = hsts_conf_of(cmd->server);

    (void)dc;
    *(int *)((char *)conf + (apr_size_t)cmd->info) = on;
    return NULL;
}

/* HSTSPolicy: the checker's parse errors are configuration errors. */
static const char *policy_error(cmd_parms *cmd, const char *arg,
                                const hsts_policy_t *policy,
                                const apr_array_header_t *issues)
{
    const hsts_issue_t *all = (const hsts_issue_t *)issues->elts;
    int i;

    for (i = 0; i < issues->nelts; i++) {
        if (all[i].severity == HSTS_ERROR) {
            return apr_psprintf(cmd->pool, "HSTSPolicy: \"%s\" is not a "
                                "valid Strict-Transport-Security value "
                                "[%s]: %s Example: \"max-age=31536000; "
                                "includeSubDomains\".", arg,
                                hsts_code_name(all[i].code), all[i].message);
        }
    }
    if (!policy->has_max_age) {
        return apr_psprintf(cmd->pool, "HSTSPolicy: \"%s\" has no max-age "
                            "directive, which RFC 6797 (6.1.1) requires. "
                            "Write e.g. \"max-age=31536000; "
                            "includeSubDomains\".", arg);
    }
    return NULL;
}

static const char *cmd_policy(cmd_parms *cmd, void *dc, const char *arg)
{
    hsts_server_conf *conf = hsts_conf_of(cmd->server);
    apr_array_header_t *issues;
    hsts_policy_t policy;
    apr_pool_t *scratch;
    const char *err;

    (void)dc;
    /* one per host: what the parsing takes goes at once, not with ptemp
     * (whose allocator the parent keeps at its peak) */
    apr_pool_create(&scratch, cmd->temp_pool);
    issues = apr_array_make(scratch, 4, sizeof(hsts_issue_t));
    hsts_policy_parse(scratch, arg, &policy, issues);
    err = policy_error(cmd, arg, &policy, issues);
    apr_pool_destroy(scratch);
    if (err) {
        return err;
    }
    conf->policy_value = arg;       /* the directive's, in cmd->pool */
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
    hsts_server_conf *conf = hsts_conf_of(cmd->server);

    (void)dc;
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
        return apr_psprintf(cmd->pool, "HSTSRedirect: \"%s\" is not "
                            "allowed. Use Off, On (the same as Permanent: "
                            "301/308), Permanent or Temporary (302/307).",
                            arg);
    }
    conf->redirect_where = where_of(cmd);
    return NULL;
}

static const char *cmd_redirect_port(cmd_parms *cmd, void *dc,
                                     const char *arg)
{
    hsts_server_conf *conf = hsts_conf_of(cmd->server);
    apr_int64_t port = 0;
    char *end = NULL;

    (void)dc;
    if (apr_isdigit(arg[0]) && strlen(arg) <= 5) {
        port = apr_strtoi64(arg, &end, 10);
    }
    if (port < 1 || port > 65535 || !end || *end) {
        return apr_psprintf(cmd->pool, "HSTSRedirectPort: \"%s\" is not a "
                            "port. Give a number from 1 to 65535, e.g. "
                            "8443.", arg);
    }
    conf->redirect_port = (apr_port_t)port;
    return NULL;
}

static const char *cmd_redirect_exclude(cmd_parms *cmd, void *dc,
                                        const char *arg)
{
    hsts_server_conf *conf = hsts_conf_of(cmd->server);
    const char *prefix, *err;

    (void)dc;
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
        return apr_psprintf(cmd->pool, "HSTSRedirectExclude: \"%s\" is not "
                            "allowed: %s. Give URL path prefixes such as "
                            "/healthz, or none.", arg, err);
    }
    APR_ARRAY_PUSH(conf->excludes, const char *) = prefix;
    return NULL;
}

static const char *cmd_trusted_proxy(cmd_parms *cmd, void *dc,
                                     const char *arg)
{
    hsts_server_conf *conf = hsts_conf_of(cmd->server);
    apr_ipsubnet_t *block;
    const char *err;

    (void)dc;
    if ((err = hsts_proxy_block_parse(cmd->pool, arg, &block)) != NULL) {
        return apr_psprintf(cmd->pool, "HSTSTrustedProxy: \"%s\" is not "
                            "allowed: %s. Give the addresses of your load "
                            "balancers, e.g. 10.0.0.0/8 or 2001:db8::/32.",
                            arg, err);
    }
    if (!conf->trusted_proxies) {
        conf->trusted_proxies = apr_array_make(cmd->pool, 2,
                                               sizeof(apr_ipsubnet_t *));
    }
    APR_ARRAY_PUSH(conf->trusted_proxies, apr_ipsubnet_t *) = block;
    return NULL;
}

static const char *cmd_lint(cmd_parms *cmd, void *dc, const char *arg)
{
    hsts_module_conf *mc = hsts_conf_of(cmd->server)->mc;

    (void)dc;
    if (cmd->server->is_virtual) {
        return "HSTSLint: it applies to the whole server. Set it in the "
               "server config, outside <VirtualHost>.";
    }
    if (!strcasecmp(arg, "Off")) {
        mc->lint_mode = HSTS_LINT_OFF;
    }
    else if (!strcasecmp(arg, "On")) {
        mc->lint_mode = HSTS_LINT_ON;
    }
    else if (!strcasecmp(arg, "Strict")) {
        mc->lint_mode = HSTS_LINT_STRICT;
    }
    else {
        return apr_psprintf(cmd->pool, "HSTSLint: \"%s\" is not allowed. "
                            "Use Off, On (log findings) or Strict (errors "
                            "stop configtest and the first start).", arg);
    }
    return NULL;
}

static const char *cmd_lint_ignore(cmd_parms *cmd, void *dc, const char *arg)
{
    hsts_server_conf *conf = hsts_conf_of(cmd->server);
    hsts_code_e code;

    (void)dc;
    if (!hsts_code_from_name(arg, &code)) {
        return apr_psprintf(cmd->pool, "HSTSLintIgnore: \"%s\" is not a "
                            "mod_hsts lint code. Give codes as they appear "
                            "in brackets in the findings, e.g. "
                            "tls.cert.expires_soon.", arg);
    }
    conf->lint_ignore |= HSTS_CODE_BIT(code);
    return NULL;
}

const command_rec hsts_cmds[] = {
    AP_INIT_FLAG("HSTS", cmd_hsts, NULL, RSRC_CONF,
                 "On to send Strict-Transport-Security on every HTTPS "
                 "response of this host"),
    AP_INIT_TAKE1("HSTSMaxAge", cmd_max_age, NULL, RSRC_CONF,
                  "max-age as seconds or with a unit s, m, h, d, w, y"),
    AP_INIT_FLAG("HSTSIncludeSubDomains", cmd_policy_flag,
                 (void *)APR_OFFSETOF(hsts_server_conf, include_subdomains),
                 RSRC_CONF, "On to add includeSubDomains"),
    AP_INIT_FLAG("HSTSPreload", cmd_policy_flag,
                 (void *)APR_OFFSETOF(hsts_server_conf, preload),
                 RSRC_CONF, "On to add preload"),
    AP_INIT_TAKE1("HSTSPolicy", cmd_policy, NULL, RSRC_CONF,
                  "a whole Strict-Transport-Security value; turns HSTS on"),
    AP_INIT_TAKE1("HSTSRedirect", cmd_redirect, NULL, RSRC_CONF,
                  "Off, On, Permanent or Temporary: redirect plain HTTP to "
                  "HTTPS on the same host"),
    AP_INIT_TAKE1("HSTSRedirectPort", cmd_redirect_port, NULL, RSRC_CONF,
                  "the HTTPS port redirects point to"),
    AP_INIT_ITERATE("HSTSRedirectExclude", cmd_redirect_exclude, NULL,
                    RSRC_CONF, "URL path prefixes served over plain HTTP, "
                    "or none"),
    AP_INIT_ITERATE("HSTSTrustedProxy", cmd_trusted_proxy, NULL, RSRC_CONF,
                    "addresses (ip[/bits]) whose X-Forwarded-Proto is "
                    "believed"),
    AP_INIT_TAKE1("HSTSLint", cmd_lint, NULL, RSRC_CONF,
                  "Off, On or Strict: check the configuration against the "
                  "HSTS preload requirements at startup (server config "
                  "only)"),
    AP_INIT_ITERATE("HSTSLintIgnore", cmd_lint_ignore, NULL, RSRC_CONF,
                    "lint codes to silence"),
    { NULL }
};

/* ------------------------------------------------------------------ */
/* What requests read, derived once at startup.                        */

/* What hosts share of the derived values: thousands of hosts have the
 * same header and the same exclusions, and the parent keeps them all. */
typedef struct {
    hsts_policy_t policy;           /* of value */
    const char *value;              /* the last header value made */
    apr_array_header_t *excludes;   /* the default exclusions */
} derived_t;

static const char *header_value(apr_pool_t *pconf, derived_t *d,
                                const hsts_policy_t *policy)
{
    if (!d->value || d->policy.max_age != policy->max_age
        || d->policy.include_subdomains != policy->include_subdomains
        || d->policy.preload != policy->preload) {
        d->policy = *policy;
        d->value = hsts_policy_format(pconf, policy);
    }
    return d->value;
}

/* The exclusions of a host: its own when configured, else the default
 * ones, shared (they are only read). */
static apr_array_header_t *redirect_excludes(apr_pool_t *pconf, derived_t *d,
                                             const hsts_server_conf *conf)
{
    apr_array_header_t *all;
    const char *err;

    if (!conf->excludes && !conf->excludes_no_default && d->excludes) {
        return d->excludes;
    }
    all = apr_array_make(pconf, 1, sizeof(const char *));
    if (!conf->excludes_no_default) {
        APR_ARRAY_PUSH(all, const char *) =
            hsts_exclude_prefix_normalize(pconf, HSTS_ACME_PREFIX, &err);
    }
    if (conf->excludes) {
        apr_array_cat(all, conf->excludes);
    }
    else if (!conf->excludes_no_default) {
        d->excludes = all;
    }
    return all;
}

/* The ServerName in lower case (itself when it is). */
static const char *lower_host(apr_pool_t *pconf, const char *name)
{
    const char *c;
    char *lower;

    for (c = name; *c && !apr_isupper(*c); c++) {
    }
    if (!*c) {
        return name;
    }
    lower = apr_pstrdup(pconf, name);
    ap_str_tolower(lower);
    return lower;
}

static void derive_server(apr_pool_t *pconf, const hsts_module_conf *mc,
                          server_rec *s, hsts_server_conf *conf, int tls,
                          derived_t *d)
{
    hsts_policy_t policy;

    if (conf->enabled == 1) {
        hsts_conf_policy(conf, &policy);
        conf->header_value = header_value(pconf, d, &policy);
    }
    /* no plain-HTTP request can arrive at a TLS host */
    conf->redirect_mode = conf->redirect == HSTS_UNSET || tls
                          ? HSTS_REDIRECT_OFF : (hsts_redirect_e)conf->redirect;
    conf->owns_header = conf->enabled == 1
                        || (conf->redirect != HSTS_UNSET
                            && conf->redirect != HSTS_REDIRECT_OFF);
    conf->redirect_excludes = redirect_excludes(pconf, d, conf);
    conf->canonical_host = lower_host(pconf, s->server_hostname);
    conf->canonical_tls_port = hsts_tls_port_for(mc->tls_ports,
                                                 conf->canonical_host);
}

void hsts_conf_derive(apr_pool_t *pconf, server_rec *main_server)
{
    hsts_module_conf *mc = hsts_conf_of(main_server)->mc;
    const hsts_lint_host_t *hosts = (const hsts_lint_host_t *)mc->hosts->elts;
    server_rec *const *servers = (server_rec *const *)mc->servers->elts;
    derived_t d;
    int i;

    memset(&d, 0, sizeof(d));
    mc->tls_ports = hsts_tls_ports_make(pconf, mc->hosts, mc->servers);
    mc->cache_may_answer = ap_find_linked_module("mod_cache.c") != NULL;
    mc->guard_every_response = hsts_conftree_touches_headers(mc->tree);
    mc->report_configured = hsts_conftree_has_report(mc->tree);
    for (i = 0; i < mc->hosts->nelts; i++) {
        derive_server(pconf, mc, servers[i], hsts_conf_of(servers[i]),
                      hosts[i].is_tls, &d);
    }
}
