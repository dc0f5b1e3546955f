/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: the hosts as httpd's configuration describes them.
 *
 * server_rec knows names and addresses; what mod_ssl, mod_headers and
 * mod_md were told (SSLEngine, certificate files, Header directives,
 * MDomain, Listen, and the mod_rewrite, mod_alias and mod_proxy rules
 * that may redirect "/") only the configuration tree does. The tree is
 * read once per configuration pass, in pre_config, where it is complete
 * and no directive has run yet; check_config then matches its
 * <VirtualHost> sections to servers by file and line and makes plain
 * hsts_lint_host_t records, which the lint and the values requests use
 * are derived from.
 */
#include <apr_strings.h>
#include <apr_hash.h>

#include <arpa/inet.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "ap_regex.h"

#include "mod_hsts_private.h"
#include "hsts_rules.h"

APLOG_USE_MODULE(hsts);

/* ------------------------------------------------------------------ */
/* The configuration tree.                                             */

/* What one <VirtualHost> section (or the server config) says. */
typedef struct {
    int ssl_engine;                  /* HSTS_UNSET, 0 or 1 */
    int name_set;                    /* a ServerName of its own */
    apr_array_header_t *cert_files;  /* const char *, as written */
    const char *chain_file;
    apr_array_header_t *header_rules;/* hsts_header_rule_t */
    int rewrite_engine;              /* HSTS_UNSET, 0 or 1 */
    int rewrite_options;             /* REWRITE_* bits; HSTS_UNSET */
    apr_array_header_t *rewrite;     /* hsts_rule_t: RewriteCond and
                                      * RewriteRule at host level */
    apr_array_header_t *alias;       /* hsts_rule_t: Redirect*, ProxyPass*
                                      * at host level */
    apr_array_header_t *location;    /* hsts_rule_t: those in
                                      * <Location "/"> */
    apr_array_header_t *opaque;      /* hsts_rule_t: redirects in sections
                                      * that may or may not apply to "/" */
} section_t;

/* RewriteOptions that pass the server config's rules to a host. */
#define REWRITE_INHERIT 1
#define REWRITE_INHERIT_BEFORE 2
#define REWRITE_INHERIT_DOWN 4
#define REWRITE_INHERIT_DOWN_BEFORE 8
#define REWRITE_IGNORE_INHERIT 16

/* Where a directive sits, as far as a request for "/" goes. */
typedef enum {
    CTX_HOST = 0,                    /* host level: applies to every URL */
    CTX_ROOT,                        /* <Location "/">: applies too */
    CTX_MAYBE,                       /* <Directory>, <If>, <Files>...:
                                      * may or may not apply */
    CTX_NOT                          /* <Location "/app">, <Proxy>...: not */
} ctx_e;

struct hsts_conftree_t {
    apr_hash_t *vhosts;              /* "file:line" -> section_t */
    section_t main;                  /* outside every <VirtualHost> */
    apr_array_header_t *listens;     /* "ip:port" of Listen directives */
    apr_hash_t *md_names;            /* name in MDomain/MDomainSet -> the
                                      * apr_array of its directive's names */
    int section_ids;
    int touches_headers;             /* see may_touch_headers_later */
    int has_report;                  /* SetHandler/AddHandler hsts-report */
    int lint_off;                    /* HSTSLint Off in the server config */
    const ap_directive_t *misplaced; /* a mod_hsts directive out of place */
};

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
                        const char *scope, ctx_e ctx, section_t *sec)
{
    const char *args = d->args, *action, *name;
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
    if (strcasecmp(name, HSTS_HEADER_NAME) != 0
        || !hsts_header_action_of(action, &kind)) {
        return;
    }
    if (!sec->header_rules) {
        sec->header_rules = apr_array_make(p, 2, sizeof(hsts_header_rule_t));
    }
    rule = apr_array_push(sec->header_rules);
    rule->value = ap_getword_conf(p, &args);
    rule->action = kind;
    rule->always = always;
    rule->scope = scope;
    rule->root = ctx == CTX_HOST || ctx == CTX_ROOT;
    rule->where = section_key(p, d->filename, (unsigned int)d->line_num);
}

/* ------------------------------------------------------------------ */
/* Rules that may redirect "/": mod_rewrite, mod_alias, mod_proxy.     */

/* Whether a RewriteRule (its arguments) can answer with a redirect or
 * hand the request on: an R or P flag, or an absolute URL. */
static int rewrite_may_redirect(const char *const *arg)
{
    const char *flags = arg[2] ? arg[2] : "", *f;

    if (arg[1] && (!strncasecmp(arg[1], "http://", 7)
                   || !strncasecmp(arg[1], "https://", 8))) {
        return 1;
    }
    for (f = flags; *f; f++) {
        if ((f == flags || f[-1] == '[' || f[-1] == ',')
            && (*f == 'R' || *f == 'r' || *f == 'P' || *f == 'p')
            && (!f[1] || strchr("=,]", f[1])
                || !strncasecmp(f, "redirect", 8)
                || !strncasecmp(f, "proxy", 5))) {
            return 1;
        }
    }
    return 0;
}

/* A rule where it sits: at host level and in <Location "/"> as it is;
 * where it may or may not apply to "/", as an opaque one. */
static void read_rule(apr_pool_t *p, const ap_directive_t *d,
                      hsts_rule_kind_e kind, ctx_e ctx, section_t *sec)
{
    apr_array_header_t **list;
    const char *args = d->args;
    hsts_rule_t *r;
    int i, rewrite = kind == HSTS_RULE_REWRITE_COND
                     || kind == HSTS_RULE_REWRITE;
    const char *arg[3];

    for (i = 0; i < 3; i++) {
        arg[i] = *args ? ap_getword_conf(p, &args) : NULL;
    }
    if (ctx == CTX_NOT || (ctx != CTX_HOST && rewrite
                           && (kind == HSTS_RULE_REWRITE_COND
                               || !rewrite_may_redirect(arg)))) {
        return;
    }
    list = ctx == CTX_HOST ? (rewrite ? &sec->rewrite : &sec->alias)
           : ctx == CTX_ROOT && !rewrite ? &sec->location : &sec->opaque;
    if (!*list) {
        *list = apr_array_make(p, 2, sizeof(hsts_rule_t));
    }
    r = apr_array_push(*list);
    r->kind = list == &sec->opaque ? HSTS_RULE_OPAQUE : kind;
    r->directive = d->directive;
    memcpy(r->arg, arg, sizeof(arg));
    r->in_location = ctx == CTX_ROOT;
    r->where = section_key(p, d->filename, (unsigned int)d->line_num);
}

static int rewrite_options(apr_pool_t *p, const char *args)
{
    static const struct {
        const char *name;
        int bit;
    } options[] = {
        { "Inherit", REWRITE_INHERIT },
        { "InheritBefore", REWRITE_INHERIT_BEFORE },
        { "InheritDown", REWRITE_INHERIT_DOWN },
        { "InheritDownBefore", REWRITE_INHERIT_DOWN_BEFORE },
        { "IgnoreInherit", REWRITE_IGNORE_INHERIT }
    };
    int bits = 0;
    apr_size_t i;

    while (*args) {
        const char *w = ap_getword_conf(p, &args);
        for (i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
            bits |= strcasecmp(w, options[i].name) ? 0 : options[i].bit;
        }
    }
    return bits;
}

/* The names an MDomain, MDomainSet or <MDomainSet> directive manages:
 * each maps to all of them (its certificate's names). */
static void read_md_names(apr_pool_t *p, const char *args, apr_hash_t *names)
{
    apr_array_header_t *all = apr_array_make(p, 2, sizeof(const char *));
    int i;

    while (*args) {
        char *w = ap_getword_conf(p, &args);
        apr_size_t len = strlen(w);
        if (len && w[len - 1] == '>') {
            w[len - 1] = '\0';
        }
        ap_str_tolower(w);
        if (*w && strcasecmp(w, "auto") != 0 && strcasecmp(w, "manual") != 0) {
            APR_ARRAY_PUSH(all, const char *) = w;
        }
    }
    for (i = 0; i < all->nelts; i++) {
        apr_hash_set(names, APR_ARRAY_IDX(all, i, const char *),
                     APR_HASH_KEY_STRING, all);
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

static int is_md_directive(const char *name)
{
    return !strcasecmp(name, "MDomain") || !strcasecmp(name, "MDomainSet")
           || !strcasecmp(name, "ManagedDomain")
           || !strcasecmp(name, "<MDomainSet") || !strcasecmp(name, "<MDomain")
           || !strcasecmp(name, "<ManagedDomain");
}

static int is_hsts_directive(const char *name)
{
    const command_rec *cmd;

    for (cmd = hsts_cmds; cmd->name; cmd++) {
        if (!strcasecmp(name, cmd->name)) {
            return 1;
        }
    }
    return 0;
}

/* The policy belongs to the host, so no <Directory>, <Location>, <Files>,
 * <If> or other section inside a host may change or drop it. */
static void check_context(hsts_conftree_t *tree, const ap_directive_t *d)
{
    if (!tree->misplaced && d->parent && is_hsts_directive(d->directive)) {
        tree->misplaced = d;
    }
}

/* What mod_rewrite, mod_alias, mod_proxy and core directives of a level
 * say about "/" and the host's name; 0 when d is none of them. */
static int read_mapping(apr_pool_t *p, const ap_directive_t *d, ctx_e ctx,
                        section_t *sec)
{
    const char *name = d->directive;
    hsts_rule_kind_e kind;

    if (hsts_rule_kind_of(name, &kind)) {
        read_rule(p, d, kind, ctx, sec);
        return 1;
    }
    if (ctx == CTX_HOST && !strcasecmp(name, "ServerName")) {
        sec->name_set = 1;
    }
    else if (ctx == CTX_HOST && !strcasecmp(name, "RewriteEngine")) {
        sec->rewrite_engine = !strcasecmp(d->args, "on");
    }
    else if (ctx == CTX_HOST && !strcasecmp(name, "RewriteOptions")) {
        sec->rewrite_options = rewrite_options(p, d->args);
    }
    else {
        return 0;
    }
    return 1;
}

/* One directive of a level (a section's own directives). */
static void read_directive(apr_pool_t *p, hsts_conftree_t *tree,
                           const ap_directive_t *d, const char *scope,
                           ctx_e ctx, section_t *sec)
{
    const char *name = d->directive;

    if (read_mapping(p, d, ctx, sec)) {
        return;
    }
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
    else if (!strcasecmp(name, "HSTSLint") && sec == &tree->main) {
        const char *args = d->args;
        tree->lint_off = !strcasecmp(ap_getword_conf(p, &args), "Off");
    }
    else if (!strcasecmp(name, "Header")) {
        read_header(p, d, scope, ctx, sec);
        tree->touches_headers |= names_sts(p, d->args);
    }
    else if (may_touch_headers_later(name, d->args)) {
        tree->touches_headers = 1;
    }
    else if (is_md_directive(name)) {
        read_md_names(p, d->args, tree->md_names);
    }
    else if ((!strcasecmp(name, "SetHandler") || !strcasecmp(name, "AddHandler"))
             && ap_strstr_c(d->args, HSTS_REPORT_HANDLER)) {
        tree->has_report = 1;
    }
}

/* Whether a section of the given kind (without '<') applies to "/". */
static ctx_e section_ctx(apr_pool_t *p, const ap_directive_t *d, ctx_e outer)
{
    const char *kind = d->directive + 1, *args = d->args;
    char *path;
    apr_size_t len;

    if (outer == CTX_NOT || !strncasecmp(kind, "Proxy", 5)
        || !strcasecmp(kind, "Macro") || !strncasecmp(kind, "MDomain", 7)
        || !strcasecmp(kind, "ManagedDomain")) {
        return CTX_NOT;
    }
    if (outer != CTX_HOST || strcasecmp(kind, "Location") != 0) {
        return CTX_MAYBE;
    }
    path = ap_getword_conf(p, &args);
    len = strlen(path);
    if (len && path[len - 1] == '>') {
        path[len - 1] = '\0';
    }
    if (!strcmp(path, "/")) {
        return CTX_ROOT;
    }
    /* a path under "/" applies to its own URLs only */
    return path[0] == '/' ? CTX_NOT : CTX_MAYBE;
}

/* Reads the directives of one level, descending into nested sections. */
static void read_level(apr_pool_t *p, hsts_conftree_t *tree,
                       const ap_directive_t *first, const char *scope,
                       section_t *sec, ctx_e ctx)
{
    const ap_directive_t *d;

    for (d = first; d; d = d->next) {
        if (ctx != CTX_HOST) {
            check_context(tree, d);
        }
        read_directive(p, tree, d, scope, ctx, sec);
        if (d->directive[0] == '<' && d->first_child
            && strcasecmp(d->directive, "<VirtualHost") != 0) {
            /* <Directory>, <Location>, <Files>, <If>...: a scope of its own */
            const char *inner = apr_psprintf(p, "%s%s%d", scope,
                                             *scope ? "/" : "",
                                             ++tree->section_ids);
            read_level(p, tree, d->first_child, inner, sec,
                       section_ctx(p, d, ctx));
        }
    }
}

/* An address as the lint keys it: "*" for the wildcard (and a name), a
 * literal in its canonical form, IPv6 in brackets. */
static const char *ip_key(apr_pool_t *p, const char *host)
{
    unsigned char buf[16];
    char text[64];

    if (!host || !strcmp(host, "*") || !strcasecmp(host, "_default_")) {
        return "*";
    }
    if (inet_pton(AF_INET6, host, buf) == 1) {
        static const unsigned char any[16];
        if (!memcmp(buf, any, sizeof(any))) {
            return "*";
        }
        inet_ntop(AF_INET6, buf, text, sizeof(text));
        return apr_psprintf(p, "[%s]", text);
    }
    if (inet_pton(AF_INET, host, buf) == 1) {
        inet_ntop(AF_INET, buf, text, sizeof(text));
        return strcmp(text, "0.0.0.0") ? apr_pstrdup(p, text) : "*";
    }
    /* a host name (Listen localhost:80): httpd resolves it, the lint does
     * not, so it may be any address */
    return "*";
}

static const char *addr_key(apr_pool_t *p, const char *ip, apr_port_t port)
{
    return port ? apr_psprintf(p, "%s:%u", ip_key(p, ip), (unsigned int)port)
                : apr_pstrcat(p, ip_key(p, ip), ":*", NULL);
}

static void read_listen(apr_pool_t *p, hsts_conftree_t *tree,
                        const ap_directive_t *d)
{
    const char *args = d->args;
    const char *addr = ap_getword_conf(p, &args);
    char *host = NULL, *scope = NULL;
    apr_port_t port = 0;

    if (apr_parse_addr_port(&host, &scope, &port, addr, p) == APR_SUCCESS
        && port) {
        APR_ARRAY_PUSH(tree->listens, const char *) = addr_key(p, host, port);
    }
}

static void section_init(section_t *sec)
{
    sec->ssl_engine = HSTS_UNSET;
    sec->rewrite_engine = HSTS_UNSET;
    sec->rewrite_options = HSTS_UNSET;
}

hsts_conftree_t *hsts_conftree_read(apr_pool_t *p)
{
    hsts_conftree_t *tree = apr_pcalloc(p, sizeof(*tree));
    const ap_directive_t *d;

    section_init(&tree->main);
    tree->vhosts = apr_hash_make(p);
    tree->listens = apr_array_make(p, 2, sizeof(const char *));
    tree->md_names = apr_hash_make(p);

    read_level(p, tree, ap_conftree, "", &tree->main, CTX_HOST);
    for (d = ap_conftree; d; d = d->next) {
        if (!strcasecmp(d->directive, "<VirtualHost")) {
            section_t *sec = apr_pcalloc(p, sizeof(*sec));
            section_init(sec);
            read_level(p, tree, d->first_child, "", sec, CTX_HOST);
            apr_hash_set(tree->vhosts,
                         section_key(p, d->filename, (unsigned int)d->line_num),
                         APR_HASH_KEY_STRING, sec);
        }
        else if (!strcasecmp(d->directive, "Listen")) {
            read_listen(p, tree, d);
        }
    }
    return tree;
}

const ap_directive_t *hsts_conftree_misplaced(const hsts_conftree_t *tree)
{
    return tree->misplaced;
}

int hsts_conftree_has_report(const hsts_conftree_t *tree)
{
    return tree->has_report;
}

int hsts_conftree_touches_headers(const hsts_conftree_t *tree)
{
    return tree->touches_headers;
}

int hsts_conftree_lint_off(const hsts_conftree_t *tree)
{
    return tree->lint_off;
}

static const char *file_arg(apr_pool_t *p, const char *args);

static void section_files(apr_pool_t *p, const section_t *sec,
                          apr_array_header_t *files)
{
    int i;

    for (i = 0; sec->cert_files && i < sec->cert_files->nelts; i++) {
        APR_ARRAY_PUSH(files, const char *) =
            file_arg(p, APR_ARRAY_IDX(sec->cert_files, i, const char *));
    }
    if (sec->chain_file) {
        APR_ARRAY_PUSH(files, const char *) = file_arg(p, sec->chain_file);
    }
}

apr_array_header_t *hsts_conftree_cert_files(apr_pool_t *p,
                                             const hsts_conftree_t *tree)
{
    apr_array_header_t *files = apr_array_make(
        p, (int)apr_hash_count(tree->vhosts) + 1, sizeof(const char *));
    apr_hash_index_t *hi;

    section_files(p, &tree->main, files);
    for (hi = apr_hash_first(p, tree->vhosts); hi; hi = apr_hash_next(hi)) {
        section_files(p, apr_hash_this_val(hi), files);
    }
    return files;
}

/* ------------------------------------------------------------------ */
/* The hosts.                                                          */

/* What a server's own section says; an empty one for a virtual host the
 * tree has no section for. */
static const section_t *section_of(apr_pool_t *p, const hsts_conftree_t *tree,
                                   const server_rec *s)
{
    static const section_t none = { HSTS_UNSET, 0, NULL, NULL, NULL,
                                    HSTS_UNSET, HSTS_UNSET, NULL, NULL, NULL,
                                    NULL };
    const section_t *sec;

    if (!s->is_virtual || !s->defn_name) {
        return &tree->main;
    }
    sec = apr_hash_get(tree->vhosts,
                       section_key(p, s->defn_name, s->defn_line_number),
                       APR_HASH_KEY_STRING);
    return sec ? sec : &none;
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

/* A virtual host's addresses as the lint keys them, each once ("*" and
 * _default_ give both 0.0.0.0 and ::). */
static apr_array_header_t *addr_keys(apr_pool_t *p, const server_rec *s)
{
    apr_array_header_t *keys = apr_array_make(p, 1, sizeof(const char *));
    const server_addr_rec *a;
    int i;

    for (a = s->addrs; a; a = a->next) {
        char ip[64] = "*";
        const char *key;
        if (a->host_addr) {
            apr_sockaddr_ip_getbuf(ip, sizeof(ip), a->host_addr);
        }
        key = addr_key(p, ip, a->host_port);
        for (i = 0; i < keys->nelts; i++) {
            if (!strcmp(APR_ARRAY_IDX(keys, i, const char *), key)) {
                break;
            }
        }
        if (i == keys->nelts) {
            APR_ARRAY_PUSH(keys, const char *) = key;
        }
    }
    return keys;
}

/* Whether mod_md manages the certificate of a host with these names;
 * the names of its MDomain go to h->md_names. */
static int managed_by_md(const hsts_conftree_t *tree, hsts_lint_host_t *h,
                         const section_t *sec)
{
    int i;

    h->md_names = apr_hash_get(tree->md_names, h->name, APR_HASH_KEY_STRING);
    for (i = 0; !h->md_names && i < h->names->nelts; i++) {
        h->md_names = apr_hash_get(tree->md_names,
                                   APR_ARRAY_IDX(h->names, i, const char *),
                                   APR_HASH_KEY_STRING);
    }
    if (h->md_names) {
        return 1;
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

/* The certificate files mod_ssl uses for a host: its own, else the server
 * config's. */
static void host_certificates(apr_pool_t *p, const hsts_conftree_t *tree,
                              const section_t *sec, hsts_lint_host_t *h)
{
    const apr_array_header_t *files = sec && sec->cert_files
                                      ? sec->cert_files : tree->main.cert_files;
    const char *chain = sec && sec->chain_file ? sec->chain_file
                                               : tree->main.chain_file;
    int i;

    h->cert_by_md = managed_by_md(tree, h, sec);
    h->cert_files = NULL;
    h->chain_file = chain ? file_arg(p, chain) : NULL;
    for (i = 0; files && i < files->nelts; i++) {
        if (!h->cert_files) {
            h->cert_files = apr_array_make(p, files->nelts,
                                           sizeof(const char *));
        }
        APR_ARRAY_PUSH(h->cert_files, const char *) =
            file_arg(p, APR_ARRAY_IDX(files, i, const char *));
    }
}

/* The port of the first listener no virtual host claims (the main server
 * answers there), or 0. */
static apr_port_t main_port(apr_pool_t *p, const hsts_conftree_t *tree,
                            const server_rec *main_server)
{
    apr_hash_t *claimed = apr_hash_make(p);
    const server_rec *s;
    int i;

    for (s = main_server->next; s; s = s->next) {
        const server_addr_rec *a;
        for (a = s->addrs; a; a = a->next) {
            if (!a->host_port) {
                return 0;
            }
            apr_hash_set(claimed, apr_pmemdup(p, &a->host_port,
                                              sizeof(a->host_port)),
                         sizeof(a->host_port), "");
        }
    }
    for (i = 0; i < tree->listens->nelts; i++) {
        const char *key = APR_ARRAY_IDX(tree->listens, i, const char *);
        apr_port_t port = (apr_port_t)atoi(strrchr(key, ':') + 1);
        if (!apr_hash_get(claimed, &port, sizeof(port))) {
            return port;
        }
    }
    return 0;
}

/* The arrays given (NULL for none) one after the other; NULL when they
 * are all empty (as most hosts' are: thousands of empty arrays add up). */
static apr_array_header_t *rules_join(apr_pool_t *p, apr_size_t size,
                                      const apr_array_header_t *const *in,
                                      int n)
{
    apr_array_header_t *out;
    int i, total = 0;

    for (i = 0; i < n; i++) {
        total += in[i] ? in[i]->nelts : 0;
    }
    if (!total) {
        return NULL;
    }
    out = apr_array_make(p, total, (int)size);
    for (i = 0; i < n; i++) {
        if (in[i]) {
            apr_array_cat(out, in[i]);
        }
    }
    return out;
}

static int rewrite_opts(const section_t *sec)
{
    return sec->rewrite_options == HSTS_UNSET ? 0 : sec->rewrite_options;
}

/*
 * The rules httpd consults for "/" in a host, in its order: server
 * context rewriting (with the server config's rules where RewriteOptions
 * passes them on), ProxyPass and Redirect of the host then of the server
 * config (mod_alias and mod_proxy merge them so), then per-directory.
 */
static apr_array_header_t *host_rules(apr_pool_t *p,
                                      const hsts_conftree_t *tree,
                                      const section_t *sec)
{
    const section_t *m = &tree->main;
    int engine = sec->rewrite_engine != HSTS_UNSET ? sec->rewrite_engine
                                                   : m->rewrite_engine;
    int opts = sec->rewrite_options != HSTS_UNSET ? sec->rewrite_options
                                                  : rewrite_opts(m);
    int down = sec != m && !(opts & REWRITE_IGNORE_INHERIT);
    int after = sec != m && ((opts & REWRITE_INHERIT)
                             || (down && (rewrite_opts(m)
                                          & REWRITE_INHERIT_DOWN)));
    int before = sec != m && !after
                 && ((opts & REWRITE_INHERIT_BEFORE)
                     || (down && (rewrite_opts(m)
                                  & REWRITE_INHERIT_DOWN_BEFORE)));

    const apr_array_header_t *in[9];

    in[0] = engine == 1 && before ? m->rewrite : NULL;
    in[1] = engine == 1 ? sec->rewrite : NULL;
    in[2] = engine == 1 && after ? m->rewrite : NULL;
    in[3] = sec->alias;
    in[4] = sec != m ? m->alias : NULL;
    in[5] = sec->opaque;
    in[6] = sec != m ? m->opaque : NULL;
    in[7] = sec->location;
    in[8] = sec != m ? m->location : NULL;
    return rules_join(p, sizeof(hsts_rule_t), in, 9);
}

/* "file:line" of a directive. */
static const char *where(apr_pool_t *p, const ap_directive_t *d)
{
    return apr_psprintf(p, "%s:%d", d->filename, d->line_num);
}

/* What a server's mod_hsts settings say, into its host record. */
static void host_settings(apr_pool_t *p, const hsts_server_conf *conf,
                          hsts_lint_host_t *h)
{
    h->hsts = conf->enabled == 1;
    h->hsts_explicit = h->hsts && conf->enabled_where != NULL;
    hsts_conf_policy(conf, &h->policy);
    h->policy_text = conf->policy_value;
    h->policy_where = conf->enabled_where ? where(p, conf->enabled_where)
                      : conf->policy_where ? where(p, conf->policy_where)
                      : NULL;
    h->redirect = conf->redirect != HSTS_UNSET
                  && conf->redirect != HSTS_REDIRECT_OFF;
    h->redirect_explicit = h->redirect && conf->redirect_where != NULL;
    h->redirect_port = conf->redirect_port;
    h->behind_proxy = conf->trusted_proxies != NULL;
}

static void host_from_server(apr_pool_t *p, const hsts_conftree_t *tree,
                             const server_rec *s, hsts_lint_host_t *h)
{
    const section_t *sec = section_of(p, tree, s);
    char *name = apr_pstrdup(p, s->server_hostname);

    memset(h, 0, sizeof(*h));
    ap_str_tolower(name);
    h->name = name;
    h->name_set = sec->name_set;
    h->rules = host_rules(p, tree, sec);
    h->is_main = !s->is_virtual;
    h->is_tls = server_is_tls(tree->main.ssl_engine, h->is_main ? NULL : sec);
    h->port = server_port(s, h->is_tls);
    h->where = s->is_virtual && s->defn_name
               ? section_key(p, s->defn_name, s->defn_line_number)
               : "the server config";
    h->names = lower_names(p, s->names);
    h->wild_names = lower_names(p, s->wild_names);
    h->addrs = addr_keys(p, s);
    host_settings(p, hsts_conf_of(s), h);

    /* mod_headers merges the server config's rules into every host's */
    {
        const apr_array_header_t *in[2];
        in[0] = tree->main.header_rules;
        in[1] = s->is_virtual ? sec->header_rules : NULL;
        h->header_rules = rules_join(p, sizeof(hsts_header_rule_t), in, 2);
    }
    if (h->is_tls) {
        host_certificates(p, tree, h->is_main ? NULL : sec, h);
    }
}

apr_array_header_t *hsts_hosts_read(apr_pool_t *p, const hsts_conftree_t *tree,
                                    server_rec *main_server,
                                    apr_array_header_t **servers)
{
    apr_array_header_t *hosts;
    server_rec *s;
    hsts_lint_host_t *h;
    int n = 0, i;

    for (s = main_server->next; s; s = s->next) {
        n++;
    }
    hosts = apr_array_make(p, n + 1, sizeof(hsts_lint_host_t));
    *servers = apr_array_make(p, n + 1, sizeof(server_rec *));
    h = apr_array_push(hosts);
    host_from_server(p, tree, main_server, h);
    h->linted = n == 0;
    /* it answers where no virtual host does (the lint works it out from
     * the Listen directives); without a port in its ServerName it is
     * named by the first listener it answers on */
    h->addrs = NULL;
    if (!main_server->port && main_port(p, tree, main_server)) {
        h->port = main_port(p, tree, main_server);
    }
    APR_ARRAY_PUSH(*servers, server_rec *) = main_server;
    /* httpd keeps the virtual hosts in reverse order of the file */
    for (i = 0; i < n; i++) {
        apr_array_push(hosts);
        apr_array_push(*servers);
    }
    for (s = main_server->next, i = n; s; s = s->next, i--) {
        h = &APR_ARRAY_IDX(hosts, i, hsts_lint_host_t);
        host_from_server(p, tree, s, h);
        h->linted = 1;
        APR_ARRAY_IDX(*servers, i, server_rec *) = s;
    }
    return hosts;
}

/* ------------------------------------------------------------------ */
/* Which port serves a name over TLS (for the redirect).               */

struct hsts_tls_ports_t {
    apr_hash_t *exact;               /* lower-case name -> apr_port_t * */
    hsts_wild_t *wild;               /* patterns -> index into ports */
    apr_array_header_t *ports;       /* apr_port_t of each pattern, in
                                      * file order */
};

/* 443 wins over any other port; otherwise the host first in the file. */
/* A name as the table keeps it for the configuration's life: the
 * server's own string when it is lower case already (nearly always),
 * not a copy per name. */
static const char *kept_name(apr_pool_t *p, const char *own,
                             const char *lower)
{
    return !strcmp(own, lower) ? own : apr_pstrdup(p, lower);
}

/* The port is the entry's value itself (never 0): no memory per name. */
static void port_note(apr_pool_t *p, apr_hash_t *exact, const char *own,
                      const char *name, apr_port_t port)
{
    apr_uintptr_t known = (apr_uintptr_t)apr_hash_get(exact, name,
                                                      APR_HASH_KEY_STRING);

    if (!known || port == 443) {
        apr_hash_set(exact, known ? name : kept_name(p, own, name),
                     APR_HASH_KEY_STRING, (void *)(apr_uintptr_t)port);
    }
}

const hsts_tls_ports_t *hsts_tls_ports_make(apr_pool_t *p,
                                            const apr_array_header_t *hosts,
                                            const apr_array_header_t *servers)
{
    hsts_tls_ports_t *ports = apr_palloc(p, sizeof(*ports));
    const hsts_lint_host_t *all = (const hsts_lint_host_t *)hosts->elts;
    int i, j;

    ports->exact = apr_hash_make(p);
    ports->wild = hsts_wild_make(p);
    ports->ports = apr_array_make(p, 1, sizeof(apr_port_t));
    for (i = 0; i < hosts->nelts; i++) {
        const hsts_lint_host_t *h = &all[i];
        const server_rec *s = APR_ARRAY_IDX(servers, i, server_rec *);
        /* the main server serves names only when there is no virtual host */
        if (!h->is_tls || (h->is_main && hosts->nelts > 1)) {
            continue;
        }
        port_note(p, ports->exact, s->server_hostname, h->name, h->port);
        for (j = 0; j < h->names->nelts; j++) {
            port_note(p, ports->exact, APR_ARRAY_IDX(s->names, j, char *),
                      APR_ARRAY_IDX(h->names, j, const char *), h->port);
        }
        for (j = 0; j < h->wild_names->nelts; j++) {
            hsts_wild_add(ports->wild,
                          kept_name(p, APR_ARRAY_IDX(s->wild_names, j, char *),
                                    APR_ARRAY_IDX(h->wild_names, j,
                                                  const char *)),
                          ports->ports->nelts);
            APR_ARRAY_PUSH(ports->ports, apr_port_t) = h->port;
        }
    }
    return ports;
}

int hsts_alias_match(const char *pattern, const char *name)
{
    return ap_strcasecmp_match(name, pattern) == 0;
}

const apr_array_header_t *hsts_conftree_listens(const hsts_conftree_t *tree)
{
    return tree->listens->nelts ? tree->listens : NULL;
}

/* httpd's regular expressions (PCRE), each pattern compiled once per
 * lint run: ctx is a hash of the compiled ones. */
int hsts_regex_match(void *ctx, apr_pool_t *p, const char *pattern,
                     int icase, const char *subject, const char **groups)
{
    apr_hash_t *compiled = ctx;
    /* compiled once, into the pool of the table that keeps them */
    apr_pool_t *cp = apr_hash_pool_get(compiled);
    const char *key = apr_pstrcat(p, icase ? "i" : "c", pattern, NULL);
    ap_regex_t *re = apr_hash_get(compiled, key, APR_HASH_KEY_STRING);
    ap_regmatch_t m[10];
    int i;

    if (!re) {
        key = apr_pstrdup(cp, key);
        re = ap_pregcomp(cp, pattern, AP_REG_EXTENDED
                                      | (icase ? AP_REG_ICASE : 0));
        if (!re) {
            return -1;
        }
        apr_hash_set(compiled, key, APR_HASH_KEY_STRING, re);
    }
    if (ap_regexec(re, subject, 10, m, 0) != 0) {
        return 0;
    }
    for (i = 0; i < 10; i++) {
        groups[i] = m[i].rm_so < 0 ? NULL
                    : apr_pstrmemdup(p, subject + m[i].rm_so,
                                     (apr_size_t)(m[i].rm_eo - m[i].rm_so));
    }
    return 1;
}

apr_port_t hsts_tls_port_for(const hsts_tls_ports_t *ports, const char *host)
{
    apr_uintptr_t port;
    int first;

    /* names are stored lower-case; httpd lower-cases request host names */
    port = (apr_uintptr_t)apr_hash_get(ports->exact, host,
                                       APR_HASH_KEY_STRING);
    if (port) {
        return (apr_port_t)port;
    }
    /* the first pattern in the file that matches */
    first = hsts_wild_first(ports->wild, host, hsts_alias_match);
    return first >= 0 ? APR_ARRAY_IDX(ports->ports, first, apr_port_t) : 443;
}
