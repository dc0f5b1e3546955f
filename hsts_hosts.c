/*
 * mod_hsts: the hosts as the configuration describes them, and the
 * startup lint's hooks.
 *
 * server_rec knows names and addresses; what mod_ssl, mod_headers and
 * mod_md were told (SSLEngine, certificate files, Header directives,
 * MDomain) only the configuration tree does. This file reads both into
 * plain hsts_lint_host_t records, matching <VirtualHost> sections to
 * servers by file and line, and hands them to the pure rules of
 * hsts_lint.c and hsts_cert.c.
 */
#include <apr_strings.h>
#include <apr_hash.h>

#include <signal.h>
#include <unistd.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_main.h"
#include "ap_mpm.h"
#include "mpm_common.h"

#include "hsts_glue.h"

APLOG_USE_MODULE(hsts);

/* ------------------------------------------------------------------ */
/* The configuration tree.                                             */

/* What one <VirtualHost> section (or the server config) says. */
typedef struct {
    int ssl_engine;                  /* HSTS_UNSET, 0 or 1 */
    apr_array_header_t *cert_files;  /* const char *, as written */
    const char *chain_file;
    apr_array_header_t *header_rules;/* hsts_header_rule_t */
} section_t;

typedef struct {
    section_t main;                  /* outside every <VirtualHost> */
    apr_hash_t *vhosts;              /* "file:line" -> section_t */
    apr_array_header_t *listen_ports;/* apr_port_t of Listen directives */
    apr_hash_t *md_names;            /* names in MDomain/MDomainSet */
    int section_ids;
    int others_may_set_sts;          /* see hsts_hosts_prepare */
} conftree_t;

static const char *section_key(apr_pool_t *p, const char *file,
                               unsigned int line)
{
    return apr_psprintf(p, "%s:%u", file, line);
}

/* "on" and address lists switch mod_ssl on; "off" and "optional" do not. */
static int ssl_engine_value(apr_pool_t *p, const char *args)
{
    const char *value = ap_getword_conf(p, &args);

    return strcasecmp(value, "off") != 0 && strcasecmp(value, "optional") != 0;
}

/* A Header directive that sends Strict-Transport-Security, if this is one. */
static void read_header(apr_pool_t *p, const ap_directive_t *d,
                        const char *scope, section_t *sec)
{
    const char *args = d->args, *action, *name, *value;
    hsts_header_rule_t *rule;
    hsts_header_action_e kind;
    int always = 0;

    action = ap_getword_conf(p, &args);
    if (!strcasecmp(action, "always")) {
        always = 1;
        action = ap_getword_conf(p, &args);
    }
    else if (!strcasecmp(action, "onsuccess")) {
        action = ap_getword_conf(p, &args);
    }
    name = ap_getword_conf(p, &args);
    if (strcasecmp(name, HSTS_HEADER_NAME) != 0) {
        return;
    }
    if (!strcasecmp(action, "set")) {
        kind = HSTS_HEADER_SET;
    }
    else if (!strcasecmp(action, "setifempty")) {
        kind = HSTS_HEADER_SETIFEMPTY;
    }
    else if (!strcasecmp(action, "add")) {
        kind = HSTS_HEADER_ADD;
    }
    else if (!strcasecmp(action, "append")) {
        kind = HSTS_HEADER_APPEND;
    }
    else if (!strcasecmp(action, "merge")) {
        kind = HSTS_HEADER_MERGE;
    }
    else {
        return; /* unset, edit, echo, note: sends no value of its own */
    }
    value = ap_getword_conf(p, &args);
    if (!sec->header_rules) {
        sec->header_rules = apr_array_make(p, 2, sizeof(hsts_header_rule_t));
    }
    rule = apr_array_push(sec->header_rules);
    rule->value = value;
    rule->action = kind;
    rule->always = always;
    rule->scope = scope;
    rule->where = section_key(p, d->filename, (unsigned int)d->line_num);
}

/* The names an MDomain, MDomainSet or <MDomainSet> directive manages. */
static void read_md_names(apr_pool_t *p, const char *args, apr_hash_t *names)
{
    while (*args) {
        char *w = ap_getword_conf(p, &args);
        apr_size_t len = strlen(w);
        if (len && w[len - 1] == '>') {
            w[len - 1] = '\0';
        }
        ap_str_tolower(w);
        if (*w && strcasecmp(w, "auto") != 0 && strcasecmp(w, "manual") != 0) {
            apr_hash_set(names, w, APR_HASH_KEY_STRING, w);
        }
    }
}

/* Whether a Header directive's arguments name Strict-Transport-Security
 * (any action: "unset" and "edit" change mod_hsts's header too). */
static int names_sts(apr_pool_t *p, const char *args)
{
    while (*args) {
        if (!strcasecmp(ap_getword_conf(p, &args), HSTS_HEADER_NAME)) {
            return 1;
        }
    }
    return 0;
}

/*
 * Whether a directive may make something change response headers after
 * the fixups phase for a file the default handler serves: configured
 * output filters (which may be mod_headers', mod_lua's, a Perl one...),
 * Lua and Perl hooks, and .htaccess files allowed to hold Header
 * directives. Conservative: then every response gets the guard filter.
 */
static int may_touch_headers_later(const char *name, const char *args)
{
    static const char *const filters[] = {
        "SetOutputFilter", "AddOutputFilter", "AddOutputFilterByType",
        "FilterChain", "FilterProvider", NULL
    };
    int i;

    for (i = 0; filters[i]; i++) {
        if (!strcasecmp(name, filters[i])) {
            return 1;
        }
    }
    if (!strncasecmp(name, "Lua", 3) || !strncasecmp(name, "Perl", 4)) {
        return 1;
    }
    if (!strcasecmp(name, "AllowOverride")) {
        return ap_strcasestr(args, "All") || ap_strcasestr(args, "FileInfo");
    }
    if (!strcasecmp(name, "AllowOverrideList")) {
        return ap_strcasestr(args, "Header") != NULL;
    }
    return 0;
}

/* Reads the directives of one level, descending into nested sections. */
static void read_level(apr_pool_t *p, conftree_t *tree,
                       const ap_directive_t *first, const char *scope,
                       section_t *sec)
{
    const ap_directive_t *d;

    for (d = first; d; d = d->next) {
        const char *name = d->directive;

        if (!strcasecmp(name, "SSLEngine")) {
            sec->ssl_engine = ssl_engine_value(p, d->args);
        }
        else if (!strcasecmp(name, "SSLCertificateFile")) {
            if (!sec->cert_files) {
                sec->cert_files = apr_array_make(p, 1, sizeof(const char *));
            }
            APR_ARRAY_PUSH(sec->cert_files, const char *) = d->args;
        }
        else if (!strcasecmp(name, "SSLCertificateChainFile")) {
            sec->chain_file = d->args;
        }
        else if (!strcasecmp(name, "Header")) {
            read_header(p, d, scope, sec);
            tree->others_may_set_sts |= names_sts(p, d->args);
        }
        else if (may_touch_headers_later(name, d->args)) {
            tree->others_may_set_sts = 1;
        }
        else if (!strcasecmp(name, "MDomain") || !strcasecmp(name, "MDomainSet")
                 || !strcasecmp(name, "ManagedDomain")
                 || !strcasecmp(name, "<MDomainSet")
                 || !strcasecmp(name, "<MDomain")
                 || !strcasecmp(name, "<ManagedDomain")) {
            read_md_names(p, d->args, tree->md_names);
        }
        else if (name[0] == '<' && d->first_child
                 && strcasecmp(name, "<VirtualHost") != 0) {
            /* <Directory>, <Location>, <Files>, <If>...: a scope of its own */
            const char *inner = apr_psprintf(p, "%s%s%d", scope,
                                             *scope ? "/" : "",
                                             ++tree->section_ids);
            read_level(p, tree, d->first_child, inner, sec);
        }
    }
}

static conftree_t *conftree_read(apr_pool_t *p)
{
    conftree_t *tree = apr_pcalloc(p, sizeof(*tree));
    const ap_directive_t *d;

    tree->main.ssl_engine = HSTS_UNSET;
    tree->vhosts = apr_hash_make(p);
    tree->listen_ports = apr_array_make(p, 2, sizeof(apr_port_t));
    tree->md_names = apr_hash_make(p);

    read_level(p, tree, ap_conftree, "", &tree->main);
    for (d = ap_conftree; d; d = d->next) {
        if (!strcasecmp(d->directive, "<VirtualHost")) {
            section_t *sec = apr_pcalloc(p, sizeof(*sec));
            sec->ssl_engine = HSTS_UNSET;
            read_level(p, tree, d->first_child, "", sec);
            apr_hash_set(tree->vhosts,
                         section_key(p, d->filename, (unsigned int)d->line_num),
                         APR_HASH_KEY_STRING, sec);
        }
        else if (!strcasecmp(d->directive, "Listen")) {
            const char *args = d->args;
            const char *addr = ap_getword_conf(p, &args);
            const char *colon = strrchr(addr, ':');
            int port = atoi(colon ? colon + 1 : addr);
            if (port > 0 && port < 65536) {
                APR_ARRAY_PUSH(tree->listen_ports, apr_port_t) =
                    (apr_port_t)port;
            }
        }
    }
    return tree;
}

static const section_t *section_of(apr_pool_t *p, const conftree_t *tree,
                                   const server_rec *s)
{
    if (!s->is_virtual || !s->defn_name) {
        return &tree->main;
    }
    return apr_hash_get(tree->vhosts,
                        section_key(p, s->defn_name, s->defn_line_number),
                        APR_HASH_KEY_STRING);
}

/* A virtual host's own SSLEngine, else the server config's. */
static int server_is_tls(int main_engine, const section_t *sec)
{
    if (sec && sec->ssl_engine != HSTS_UNSET) {
        return sec->ssl_engine == 1;
    }
    return main_engine == 1;
}

static apr_port_t server_port(const server_rec *s, int tls)
{
    if (s->addrs && s->addrs->host_port) {
        return s->addrs->host_port;
    }
    return s->port ? s->port : (tls ? 443 : 80);
}

/* Virtual hosts in configuration-file order (httpd keeps them reversed). */
static apr_array_header_t *vhosts_in_file_order(apr_pool_t *p,
                                                server_rec *main_server)
{
    apr_array_header_t *list = apr_array_make(p, 16, sizeof(server_rec *));
    server_rec *s;
    int i, j;

    for (s = main_server->next; s; s = s->next) {
        APR_ARRAY_PUSH(list, server_rec *) = s;
    }
    for (i = 0, j = list->nelts - 1; i < j; i++, j--) {
        server_rec *tmp = APR_ARRAY_IDX(list, i, server_rec *);
        APR_ARRAY_IDX(list, i, server_rec *) = APR_ARRAY_IDX(list, j,
                                                             server_rec *);
        APR_ARRAY_IDX(list, j, server_rec *) = tmp;
    }
    return list;
}

/* ------------------------------------------------------------------ */
/* Which port serves a name over TLS (for the redirect).               */

struct hsts_tls_ports_t {
    apr_hash_t *exact;               /* lower-case name -> apr_port_t * */
    apr_array_header_t *wild;        /* wild_port_t, in file order */
};

typedef struct {
    const char *pattern;
    apr_port_t port;
} wild_port_t;

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
        *known = port;
        apr_hash_set(exact, key, APR_HASH_KEY_STRING, known);
    }
    else if (port == 443) {
        *known = port;
    }
}

void hsts_hosts_prepare(apr_pool_t *pconf, apr_pool_t *ptemp,
                        server_rec *main_server)
{
    hsts_tls_ports_t *ports = apr_palloc(pconf, sizeof(*ports));
    conftree_t *tree = conftree_read(ptemp);
    apr_array_header_t *vhosts = vhosts_in_file_order(ptemp, main_server);
    server_rec *s;
    int i, j;

    ports->exact = apr_hash_make(pconf);
    ports->wild = apr_array_make(pconf, 1, sizeof(wild_port_t));
    for (i = 0; i < vhosts->nelts; i++) {
        hsts_server_conf *conf;
        apr_port_t port;

        s = APR_ARRAY_IDX(vhosts, i, server_rec *);
        if (!server_is_tls(tree->main.ssl_engine, section_of(ptemp, tree, s))) {
            continue;
        }
        /* no plain-HTTP request can arrive here */
        conf = ap_get_module_config(s->module_config, &hsts_module);
        conf->redirect_mode = HSTS_REDIRECT_OFF;
        port = server_port(s, 1);
        port_note(pconf, ports->exact, s->server_hostname, port);
        for (j = 0; s->names && j < s->names->nelts; j++) {
            port_note(pconf, ports->exact, APR_ARRAY_IDX(s->names, j, char *),
                      port);
        }
        for (j = 0; s->wild_names && j < s->wild_names->nelts; j++) {
            wild_port_t *w = apr_array_push(ports->wild);
            w->pattern = apr_pstrdup(pconf, APR_ARRAY_IDX(s->wild_names, j,
                                                          char *));
            w->port = port;
        }
    }
    if (!vhosts->nelts && server_is_tls(tree->main.ssl_engine, NULL)) {
        port_note(pconf, ports->exact, main_server->server_hostname,
                  server_port(main_server, 1));
    }
    for (s = main_server; s; s = s->next) {
        hsts_server_conf *conf = ap_get_module_config(s->module_config,
                                                      &hsts_module);
        conf->tls_ports = ports;
        conf->own_tls_port = hsts_tls_port_for(ports, conf->canonical_host);
        conf->guard_always = tree->others_may_set_sts;
    }
}

apr_port_t hsts_tls_port_for(const hsts_tls_ports_t *ports, const char *host)
{
    const apr_port_t *port;
    const wild_port_t *wild = (const wild_port_t *)ports->wild->elts;
    int i;

    /* names are stored lower-case; httpd lower-cases request host names */
    port = apr_hash_get(ports->exact, host, APR_HASH_KEY_STRING);
    if (port) {
        return *port;
    }
    for (i = 0; i < ports->wild->nelts; i++) {
        if (hsts_host_match(wild[i].pattern, host)) {
            return wild[i].port;
        }
    }
    return 443;
}

/* ------------------------------------------------------------------ */
/* The hosts, for the lint.                                            */

static apr_array_header_t *lower_names(apr_pool_t *p,
                                       const apr_array_header_t *names)
{
    apr_array_header_t *out = apr_array_make(p, names ? names->nelts : 0,
                                             sizeof(const char *));
    int i;

    for (i = 0; names && i < names->nelts; i++) {
        char *n = apr_pstrdup(p, APR_ARRAY_IDX(names, i, char *));
        ap_str_tolower(n);
        APR_ARRAY_PUSH(out, const char *) = n;
    }
    return out;
}

static apr_array_header_t *addr_keys(apr_pool_t *p, const server_rec *s)
{
    apr_array_header_t *keys = apr_array_make(p, 1, sizeof(const char *));
    const server_addr_rec *a;

    for (a = s->addrs; a; a = a->next) {
        char ip[64] = "*";
        if (a->host_addr) {
            apr_sockaddr_ip_getbuf(ip, sizeof(ip), a->host_addr);
        }
        APR_ARRAY_PUSH(keys, const char *) =
            apr_psprintf(p, "%s:%u", ip, (unsigned int)a->host_port);
    }
    return keys;
}

/* Whether mod_md manages the certificate of a host with these names. */
static int managed_by_md(const conftree_t *tree, const hsts_lint_host_t *h,
                         const section_t *sec)
{
    int i;

    if (apr_hash_get(tree->md_names, h->name, APR_HASH_KEY_STRING)) {
        return 1;
    }
    for (i = 0; i < h->names->nelts; i++) {
        if (apr_hash_get(tree->md_names, APR_ARRAY_IDX(h->names, i,
                                                       const char *),
                         APR_HASH_KEY_STRING)) {
            return 1;
        }
    }
    /* no certificate file at all: mod_md supplies it, when loaded */
    return !(sec && sec->cert_files) && !tree->main.cert_files
           && ap_find_linked_module("mod_md.c") != NULL;
}

/* A file name as a directive's raw arguments give it: quotes removed,
 * relative to ServerRoot, as mod_ssl reads it. */
static const char *file_arg(apr_pool_t *p, const char *args)
{
    return ap_server_root_relative(p, ap_getword_conf(p, &args));
}

static void host_certificates(apr_pool_t *p, hsts_cert_checker_t *checker,
                              const conftree_t *tree, const section_t *sec,
                              hsts_lint_host_t *h)
{
    const apr_array_header_t *files = sec && sec->cert_files
                                      ? sec->cert_files : tree->main.cert_files;
    const char *chain = sec && sec->chain_file ? sec->chain_file
                                               : tree->main.chain_file;
    apr_array_header_t *names;
    int i, preload;

    h->cert_issues = apr_array_make(p, 2, sizeof(hsts_issue_t));
    if (managed_by_md(tree, h, sec)) {
        h->cert_by_md = 1;
        return;
    }
    if (!files) {
        hsts_issue_add(h->cert_issues, "tls.cert.unreadable", HSTS_ERROR,
                       "No SSLCertificateFile applies to this TLS host, so "
                       "there is no certificate to check. Set "
                       "SSLCertificateFile (or let mod_md manage it).");
        return;
    }
    names = apr_array_make(p, 1 + h->names->nelts + h->wild_names->nelts,
                           sizeof(const char *));
    APR_ARRAY_PUSH(names, const char *) = h->name;
    apr_array_cat(names, h->names);
    apr_array_cat(names, h->wild_names);
    preload = hsts_lint_host_preload(p, h);
    for (i = 0; i < files->nelts; i++) {
        hsts_cert_check(checker, p,
                        file_arg(p, APR_ARRAY_IDX(files, i, const char *)),
                        chain ? file_arg(p, chain) : NULL,
                        names, preload, h->cert_issues);
    }
}

/* Listeners no virtual host claims are answered by the main server. */
static apr_array_header_t *main_addrs(apr_pool_t *p, const conftree_t *tree,
                                      const apr_array_header_t *vhosts)
{
    apr_array_header_t *keys = apr_array_make(p, 1, sizeof(const char *));
    apr_hash_t *claimed = apr_hash_make(p);
    int i, any_port = 0;

    for (i = 0; i < vhosts->nelts; i++) {
        const server_addr_rec *a;
        for (a = APR_ARRAY_IDX(vhosts, i, server_rec *)->addrs; a; a = a->next) {
            apr_port_t *port = apr_palloc(p, sizeof(*port));
            *port = a->host_port;
            any_port |= a->host_port == 0;
            apr_hash_set(claimed, port, sizeof(*port), port);
        }
    }
    for (i = 0; !any_port && i < tree->listen_ports->nelts; i++) {
        apr_port_t port = APR_ARRAY_IDX(tree->listen_ports, i, apr_port_t);
        if (!apr_hash_get(claimed, &port, sizeof(port))) {
            APR_ARRAY_PUSH(keys, const char *) =
                apr_psprintf(p, "listen:%u", (unsigned int)port);
        }
    }
    return keys;
}

static void host_from_server(apr_pool_t *p, const conftree_t *tree,
                             server_rec *s, const hsts_server_conf *main_conf,
                             hsts_lint_host_t *h)
{
    const hsts_server_conf *conf = ap_get_module_config(s->module_config,
                                                        &hsts_module);
    const section_t *sec = section_of(p, tree, s);
    char *name = apr_pstrdup(p, s->server_hostname);
    /* Unless the module is flagged AP_MODULE_FLAG_ALWAYS_MERGE, a virtual
     * host without a mod_hsts directive of its own shares the main
     * server's configuration record (httpd merges nothing then): what
     * that says was set in the server config, not here. */
    int own = !s->is_virtual || conf != main_conf;

    memset(h, 0, sizeof(*h));
    ap_str_tolower(name);
    h->name = name;
    h->is_main = !s->is_virtual;
    h->is_tls = server_is_tls(tree->main.ssl_engine, h->is_main ? NULL : sec);
    h->port = server_port(s, h->is_tls);
    h->where = s->is_virtual && s->defn_name
               ? section_key(p, s->defn_name, s->defn_line_number)
               : "the server config";
    h->names = lower_names(p, s->names);
    h->wild_names = lower_names(p, s->wild_names);
    h->addrs = addr_keys(p, s);

    h->hsts = conf->enabled == 1;
    h->hsts_explicit = own && conf->enabled == 1
                       && conf->enabled_where != NULL;
    hsts_conf_policy(conf, &h->policy);
    h->policy_text = conf->policy_set ? conf->policy_value : NULL;
    h->policy_where = conf->enabled_where ? conf->enabled_where
                                          : conf->policy_where;
    h->redirect = conf->redirect != HSTS_UNSET
                  && conf->redirect != HSTS_REDIRECT_OFF;
    h->redirect_explicit = own && h->redirect
                           && conf->redirect_where != NULL;
    h->behind_proxy = conf->trusted_proxies != NULL;

    /* mod_headers merges the server config's rules into every host's */
    h->header_rules = apr_array_make(p, 2, sizeof(hsts_header_rule_t));
    if (tree->main.header_rules) {
        apr_array_cat(h->header_rules, tree->main.header_rules);
    }
    if (s->is_virtual && sec && sec->header_rules) {
        apr_array_cat(h->header_rules, sec->header_rules);
    }
}

/* Reads every host; the certificate checks need the trust store, and are
 * made only for the hosts that send HSTS over TLS. */
static apr_array_header_t *hosts_read(apr_pool_t *p, server_rec *main_server,
                                      apr_array_header_t **ignores)
{
    conftree_t *tree = conftree_read(p);
    apr_array_header_t *vhosts = vhosts_in_file_order(p, main_server);
    apr_array_header_t *hosts = apr_array_make(p, vhosts->nelts + 1,
                                               sizeof(hsts_lint_host_t));
    hsts_cert_checker_t *checker = hsts_cert_checker_make(p, apr_time_now());
    const hsts_server_conf *main_conf = ap_get_module_config(
        main_server->module_config, &hsts_module);
    hsts_lint_host_t *h;
    int i;

    *ignores = apr_array_make(p, vhosts->nelts + 1,
                              sizeof(apr_array_header_t *));
    h = apr_array_push(hosts);
    host_from_server(p, tree, main_server, main_conf, h);
    h->linted = vhosts->nelts == 0;
    h->addrs = main_addrs(p, tree, vhosts);
    /* Without a port in its ServerName, the main server is named by the
     * first listener it answers on. */
    if (!main_server->port && h->addrs->nelts) {
        h->port = (apr_port_t)atoi(APR_ARRAY_IDX(h->addrs, 0, const char *)
                                   + sizeof("listen:") - 1);
    }
    APR_ARRAY_PUSH(*ignores, apr_array_header_t *) =
        ((hsts_server_conf *)ap_get_module_config(main_server->module_config,
                                                  &hsts_module))->lint_ignore;
    for (i = 0; i < vhosts->nelts; i++) {
        server_rec *s = APR_ARRAY_IDX(vhosts, i, server_rec *);
        h = apr_array_push(hosts);
        host_from_server(p, tree, s, main_conf, h);
        h->linted = 1;
        APR_ARRAY_PUSH(*ignores, apr_array_header_t *) =
            ((hsts_server_conf *)ap_get_module_config(s->module_config,
                                                      &hsts_module))->lint_ignore;
    }
    for (i = 0; i < hosts->nelts; i++) {
        h = &APR_ARRAY_IDX(hosts, i, hsts_lint_host_t);
        if (h->linted && h->is_tls && hsts_lint_host_sends_sts(h)) {
            const section_t *sec = NULL;
            if (!h->is_main) {
                server_rec *s = APR_ARRAY_IDX(vhosts, i - 1, server_rec *);
                sec = section_of(p, tree, s);
            }
            host_certificates(p, checker, tree, sec, h);
        }
    }
    return hosts;
}

/* ------------------------------------------------------------------ */
/* Running the lint and logging what it finds.                         */

static int ignored(const apr_array_header_t *ignore, const char *code)
{
    int i;

    for (i = 0; code && ignore && i < ignore->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(ignore, i, const char *), code)) {
            return 1;
        }
    }
    return 0;
}

/* Lints every host: the hosts, their findings, what each ignores. */
static hsts_report_t *lint_collect(apr_pool_t *p, server_rec *main_server,
                                   int mode)
{
    hsts_report_t *report = apr_pcalloc(p, sizeof(*report));
    psl_ctx_t *psl;

    report->made = apr_time_now();
    report->lint_mode = mode;
    report->hosts = hosts_read(p, main_server, &report->ignores);
    report->findings = apr_array_make(p, 16, sizeof(hsts_finding_t));
    psl = psl_latest(NULL);
    hsts_lint_run(p, report->hosts, psl, report->findings);
    psl_free(psl);
    return report;
}

int hsts_report_ignored(const hsts_report_t *report, int i)
{
    const hsts_finding_t *f = &APR_ARRAY_IDX(report->findings, i,
                                             hsts_finding_t);

    return ignored(APR_ARRAY_IDX(report->ignores, f->host,
                                 apr_array_header_t *), f->issue.code);
}

/*
 * Logs each finding not ignored (to stderr before the error log is open,
 * as in configtest). Error-class findings are logged at error level under
 * HSTSLint Strict. With only_if_errors, nothing is logged unless there is
 * an error-class finding. Returns how many errors.
 */
static int log_findings(const hsts_report_t *report, server_rec *main_server,
                        int strict, int only_if_errors)
{
    const hsts_finding_t *f = (const hsts_finding_t *)report->findings->elts;
    int i, errors = 0;

    for (i = 0; i < report->findings->nelts; i++) {
        errors += f[i].issue.severity == HSTS_ERROR
                  && !hsts_report_ignored(report, i);
    }
    if (only_if_errors && !errors) {
        return 0;
    }
    for (i = 0; i < report->findings->nelts; i++) {
        const hsts_lint_host_t *h = &APR_ARRAY_IDX(report->hosts, f[i].host,
                                                   hsts_lint_host_t);
        int level;

        if (hsts_report_ignored(report, i)) {
            continue;
        }
        switch (f[i].issue.severity) {
        case HSTS_ERROR:
            level = strict ? APLOG_ERR : APLOG_WARNING;
            break;
        case HSTS_WARNING:
            level = APLOG_WARNING;
            break;
        default:
            level = APLOG_INFO;
        }
        if (f[i].issue.code) {
            ap_log_error(APLOG_MARK, level, 0, main_server,
                         "mod_hsts: %s:%u [%s] %s", h->name,
                         (unsigned int)h->port, f[i].issue.code,
                         f[i].issue.message);
        }
        else {
            ap_log_error(APLOG_MARK, level, 0, main_server,
                         "mod_hsts: %s:%u %s", h->name,
                         (unsigned int)h->port, f[i].issue.message);
        }
    }
    return errors;
}

static int lint_mode(server_rec *main_server)
{
    const hsts_server_conf *conf = ap_get_module_config(
        main_server->module_config, &hsts_module);

    return conf->lint == HSTS_UNSET ? HSTS_LINT_ON : conf->lint;
}

/* Whether a server already runs with this configuration's pid file: then
 * this process only signals it (apachectl graceful, restart, stop). */
static int server_running(apr_pool_t *p)
{
    pid_t pid;

    return ap_pid_fname
           && ap_read_pid(p, ap_server_root_relative(p, ap_pid_fname), &pid)
              == APR_SUCCESS
           && pid != getpid() && kill(pid, 0) == 0;
}

/*
 * check_config runs in configtest, in both configuration passes of a
 * start, in every restart, and in the process that `httpd -k` uses to
 * signal a running server. Findings go to the terminal in configtest;
 * otherwise post_config logs them, once per start or restart.
 * HSTSLint Strict stops configtest and a first start, never a running
 * server nor the signalling process.
 */
int hsts_lint_check_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *main_server)
{
    int mode = lint_mode(main_server), errors;
    int configtest = ap_state_query(AP_SQ_RUN_MODE) == AP_SQ_RM_CONFIG_TEST;
    int first_pass = ap_state_query(AP_SQ_MAIN_STATE)
                     == AP_SQ_MS_CREATE_PRE_CONFIG;

    (void)pconf;
    (void)plog;
    if (mode == HSTS_LINT_OFF) {
        return OK;
    }
    if (!configtest && !(mode == HSTS_LINT_STRICT && first_pass
                         && !server_running(ptemp))) {
        return OK;
    }
    /* A first start logs its findings in post_config, once the error
     * log is open; here only what stops it, so nothing is logged twice. */
    errors = log_findings(lint_collect(ptemp, main_server, mode), main_server,
                          mode == HSTS_LINT_STRICT, !configtest);
    if (mode == HSTS_LINT_STRICT && errors) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, NULL,
                     "mod_hsts: HSTSLint Strict: %d error finding%s above. "
                     "Fix %s, silence a code with HSTSLintIgnore, or set "
                     "HSTSLint On to start anyway.", errors,
                     errors == 1 ? "" : "s", errors == 1 ? "it" : "them");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return OK;
}

/* Whether a SetHandler or AddHandler anywhere names the report handler. */
static int report_configured(const ap_directive_t *d)
{
    for (; d; d = d->next) {
        if ((!strcasecmp(d->directive, "SetHandler")
             || !strcasecmp(d->directive, "AddHandler"))
            && ap_strstr_c(d->args, HSTS_REPORT_HANDLER)) {
            return 1;
        }
        if (d->first_child && report_configured(d->first_child)) {
            return 1;
        }
    }
    return 0;
}

int hsts_report_configured(void)
{
    return report_configured(ap_conftree);
}

int hsts_lint_post_config(apr_pool_t *pconf, apr_pool_t *ptemp,
                          server_rec *main_server)
{
    hsts_server_conf *main_conf = ap_get_module_config(
        main_server->module_config, &hsts_module);
    int mode = lint_mode(main_server);
    int report = hsts_report_configured();
    hsts_report_t *findings;

    /* The first pass of a start logs nothing: its error log is not yet
     * the server's. The next pass, and every restart, log once. */
    if ((mode == HSTS_LINT_OFF && !report)
        || ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }
    /* the report handler shows what the lint found at this start */
    findings = lint_collect(report ? pconf : ptemp, main_server, mode);
    if (report) {
        main_conf->report = findings;
    }
    if (mode != HSTS_LINT_OFF) {
        log_findings(findings, main_server, mode == HSTS_LINT_STRICT, 0);
    }
    return OK;
}
