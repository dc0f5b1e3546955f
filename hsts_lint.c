/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: the startup lint's rules (pure). Plain host records in,
 * findings and verdicts out (hsts_lint.h).
 *
 * The preload checker's probes are in hsts_probes.c; which host answers
 * a name is hsts_vhosts.c's. Every check is a lookup in hash tables built
 * once, so the lint takes time linear in the number of hosts and names.
 */
#include <apr_strings.h>
#include <apr_hash.h>

#include <stdarg.h>

#include "hsts_lint_int.h"

/* ------------------------------------------------------------------ */
/* Hosts and their values.                                              */

int hsts_header_action_of(const char *action, hsts_header_action_e *kind)
{
    static const struct {
        const char *name;
        hsts_header_action_e kind;
    } actions[] = {
        { "set", HSTS_HEADER_SET }, { "setifempty", HSTS_HEADER_SETIFEMPTY },
        { "add", HSTS_HEADER_ADD }, { "append", HSTS_HEADER_APPEND },
        { "merge", HSTS_HEADER_MERGE }
    };
    apr_size_t i;

    for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
        if (!strcasecmp(action, actions[i].name)) {
            *kind = actions[i].kind;
            return 1;
        }
    }
    return 0;
}

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

const char *hsts_lint_host_id(const lint_t *l, int host, apr_port_t port)
{
    const hsts_lint_host_t *h = HOST(l, host);

    return apr_psprintf(l->p, "%s:%u", h->name,
                        (unsigned int)(h->is_main && port ? port : h->port));
}

static void finding_as(lint_t *l, int host, hsts_code_e code,
                       hsts_severity_e severity, const char *message)
{
    hsts_finding_t *f = apr_array_push(l->findings);

    f->host = host;
    f->issue.code = code;
    f->issue.severity = severity;
    f->issue.message = *message && l->p != l->keep
                       ? apr_pstrdup(l->keep, message) : message;
}

void hsts_lint_finding(lint_t *l, int host, hsts_code_e code,
                       const char *message)
{
    finding_as(l, host, code, hsts_code_severity(code, l->preload[host]),
               message);
}

void hsts_lint_findingf(lint_t *l, int host, hsts_code_e code,
                        const char *fmt, ...)
{
    const char *message = "";

    if (!l->in->quiet || !(l->in->quiet[host] & HSTS_CODE_BIT(code))) {
        va_list ap;
        va_start(ap, fmt);
        message = apr_pvsprintf(l->p, fmt, ap);
        va_end(ap);
    }
    hsts_lint_finding(l, host, code, message);
}

static void finding(lint_t *l, int host, hsts_code_e code,
                    const char *message)
{
    hsts_lint_finding(l, host, code, message);
}

int hsts_lint_is_hsts_host(const hsts_lint_host_t *h)
{
    return (h->is_tls && hsts_lint_host_sends_sts(h))
           || (h->behind_proxy && h->hsts);
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
            apr_psprintf(l->p, "The Header directive at %s sets "
                         "Strict-Transport-Security, but HSTS is on here, so "
                         "mod_hsts's policy replaces that value. Remove the "
                         "Header directive.",
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
                apr_psprintf(l->p, "The Header directives at %s can send more "
                             "than one Strict-Transport-Security header in "
                             "one response (both with and without always, "
                             "or add/append), and browsers and the preload "
                             "checker accept exactly one. Replace them with "
                             "HSTS On and the HSTS directives.",
                             multiple));
    }
    if (not_always) {
        finding(l, host, HSTS_C_CONFIG_HEADER_NOT_ALWAYS,
                apr_psprintf(l->p, "The Header directive at %s sends "
                             "Strict-Transport-Security without always, so "
                             "error pages and redirects go out without it. "
                             "Use HSTS On instead, which sends it on every "
                             "response.", not_always));
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
    v->value = hsts_lint_host_value(l->keep, h);
    v->preload = HSTS_PRELOAD_NONE;
    v->blocked_by = NULL;
    if (!l->preload[host]) {
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
    v->blocked_by = codes ? apr_pstrdup(l->keep, codes) : NULL;
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
        hsts_probes_redirect_targets(l, host);
    }
    return 1;
}

/* The names a host's certificate must cover: ServerName, ServerAlias. */
static apr_array_header_t *cert_names(const lint_t *l,
                                      const hsts_lint_host_t *h)
{
    apr_array_header_t *names = apr_array_make(l->p, 1 + h->names->nelts
                                                     + h->wild_names->nelts,
                                               sizeof(const char *));

    APR_ARRAY_PUSH(names, const char *) = h->name;
    apr_array_cat(names, h->names);
    apr_array_cat(names, h->wild_names);
    return names;
}

/* The certificate checks of an HSTS host, for each of its certificates. */
static void check_certificate(lint_t *l, int host)
{
    const hsts_lint_host_t *h = HOST(l, host);
    apr_array_header_t *issues, *names;
    const hsts_issue_t *all;
    int i;

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
    names = cert_names(l, h);
    issues = apr_array_make(l->p, 2, sizeof(hsts_issue_t));
    for (i = 0; i < h->cert_files->nelts; i++) {
        hsts_cert_t *cert = hsts_cert_get(l->in->certs,
                                          APR_ARRAY_IDX(h->cert_files, i,
                                                        const char *),
                                          h->chain_file);
        hsts_cert_check(l->in->certs, cert, l->p, l->in->now, names,
                        l->preload[host], issues);
    }
    all = (const hsts_issue_t *)issues->elts;
    for (i = 0; i < issues->nelts; i++) {
        finding_as(l, host, all[i].code, all[i].severity, all[i].message);
    }
}

/* Whether check_certificate() reads the certificates of a host. */
static int checks_certificates(const hsts_lint_host_t *h)
{
    return h->linted && h->is_tls && !h->cert_by_md && h->cert_files
           && hsts_lint_host_sends_sts(h);
}

void hsts_lint_read_ahead(apr_pool_t *p, const hsts_lint_input_t *in)
{
    apr_array_header_t *paths = apr_array_make(p, in->hosts->nelts + 1,
                                               sizeof(const char *));
    int i;

    for (i = 0; in->certs && i < in->hosts->nelts; i++) {
        const hsts_lint_host_t *h = &APR_ARRAY_IDX(in->hosts, i,
                                                   hsts_lint_host_t);
        if (checks_certificates(h)) {
            apr_array_cat(paths, h->cert_files);
            if (h->chain_file) {
                APR_ARRAY_PUSH(paths, const char *) = h->chain_file;
            }
        }
    }
    if (in->certs) {
        hsts_cert_read_ahead(in->certs, paths);
    }
}

/*
 * Reads the certificates check_certificate() will check, and has the
 * store parse and verify at once what its cache does not know (on
 * several threads when much is new).
 */
static void prepare_certificates(lint_t *l)
{
    int i, j;

    for (i = 0; l->in->certs && i < l->hosts->nelts; i++) {
        const hsts_lint_host_t *h = HOST(l, i);
        const apr_array_header_t *names;

        if (!checks_certificates(h)) {
            continue;
        }
        names = cert_names(l, h);
        for (j = 0; j < h->cert_files->nelts; j++) {
            hsts_cert_t *cert = hsts_cert_get(l->in->certs,
                                              APR_ARRAY_IDX(h->cert_files, j,
                                                            const char *),
                                              h->chain_file);
            hsts_cert_want(l->in->certs, cert, names, l->preload[i]);
        }
    }
    if (l->in->certs) {
        hsts_cert_prepare(l->in->certs);
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
    hsts_probes_preload(l, host);
    if (sent.include_subdomains) {
        hsts_probes_subdomains(l, host);
    }
    hsts_probes_plain_ports(l, host);
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
    apr_pool_t *scratch;
    lint_t l;
    int i;

    memset(&l, 0, sizeof(l));
    l.p = l.keep = p;
    l.in = in;
    l.hosts = in->hosts;
    l.psl = in->psl;
    l.main = -1;
    l.findings = out->findings = apr_array_make(p, 16, sizeof(hsts_finding_t));
    l.verdicts = out->verdicts = apr_array_make(p, in->hosts->nelts,
                                                sizeof(hsts_verdict_t));
    l.preload = apr_pcalloc(p, sizeof(int) * (apr_size_t)(in->hosts->nelts
                                                          + 1));
    for (i = 0; i < in->hosts->nelts; i++) {
        l.preload[i] = hsts_lint_host_preload(p, HOST(&l, i));
        if (HOST(&l, i)->is_main) {
            l.main = i;
        }
    }
    l.v = hsts_vhosts_make(p, in);
    hsts_probes_index(&l);
    prepare_certificates(&l);
    /* what a host's checks make, but for its findings and verdict (copied
     * out), goes with the host: thousands of hosts' would add up */
    apr_pool_create(&scratch, p);
    for (i = 0; i < in->hosts->nelts; i++) {
        if (HOST(&l, i)->linted) {
            l.p = scratch;
            lint_host(&l, i);
            l.p = p;
            apr_pool_clear(scratch);
        }
    }
    apr_pool_destroy(scratch);
}
