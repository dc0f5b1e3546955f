/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the startup lint's rules (hsts_lint.c): hand-built host
 * sets, as mod_hsts_hosts.c would read them from httpd's configuration,
 * and the findings and verdicts hsts_lint_run makes of them (README: The
 * startup lint). The certificates are made at run time (pki.c).
 *
 * For every code of the contract's lint table there is a host set that
 * triggers it and a closely similar one that must not.
 */
#include "hsts_lint.h"
#include "pki.h"
#include "tap.h"

#include <apr_general.h>
#include <apr_strings.h>

#include <apr_fnmatch.h>

#include <stdarg.h>
#include <stdlib.h>

static apr_pool_t *pool;
static const psl_ctx_t *psl;
static apr_array_header_t *hosts;     /* hsts_lint_host_t */

/* What the last run logged of a host: a finding, or its summary line
 * (code NULL), in the order the glue logs them. */
typedef struct {
    int host;
    hsts_severity_e severity;
    const char *code;
    const char *message;
} entry_t;
static apr_array_header_t *findings;  /* entry_t, of the last run */

#define H(i) (&APR_ARRAY_IDX(hosts, (i), hsts_lint_host_t))
#define YEAR APR_UINT64_C(31536000)

/* ------------------------------------------------------------------ */
/* Building hosts                                                       */

static void reset(void)
{
    hosts = apr_array_make(pool, 4, sizeof(hsts_lint_host_t));
    findings = NULL;
}

/*
 * Adds a virtual host listening on addr ("*:80"; NULL: nowhere) and
 * returns its index. Everything else is off until a helper sets it.
 */
static int vhost(const char *name, apr_port_t port, int tls, const char *addr)
{
    hsts_lint_host_t *h = apr_array_push(hosts);

    memset(h, 0, sizeof(*h));
    h->name = name;
    h->port = port;
    h->where = apr_psprintf(pool, "test.conf:%d", hosts->nelts * 10);
    h->is_tls = tls;
    h->linted = 1;
    h->names = apr_array_make(pool, 1, sizeof(const char *));
    h->wild_names = apr_array_make(pool, 1, sizeof(const char *));
    h->addrs = apr_array_make(pool, 1, sizeof(const char *));
    if (addr) {
        APR_ARRAY_PUSH(h->addrs, const char *) = addr;
    }
    h->header_rules = apr_array_make(pool, 1, sizeof(hsts_header_rule_t));
    /* certificates are left out unless a test gives one (cert()) */
    h->cert_by_md = tls;
    return hosts->nelts - 1;
}

static int plain(const char *name, const char *addr)
{
    const char *colon = strrchr(addr, ':');
    return vhost(name, (apr_port_t)atoi(colon + 1), 0, addr);
}

static int tls(const char *name, const char *addr)
{
    const char *colon = strrchr(addr, ':');
    return vhost(name, (apr_port_t)atoi(colon + 1), 1, addr);
}

/* The main server, as hsts_hosts.c adds it first: linted only when there
 * is no virtual host; addrs are the listeners no virtual host claims. */
static int main_server(const char *name, int is_tls, const char *addr)
{
    int i = vhost(name, is_tls ? 443 : 80, is_tls, addr);
    H(i)->is_main = 1;
    H(i)->linted = 0;
    H(i)->where = "the server config";
    return i;
}

static void alias(int i, const char *name)
{
    if (strpbrk(name, "*?")) {
        APR_ARRAY_PUSH(H(i)->wild_names, const char *) = name;
    }
    else {
        APR_ARRAY_PUSH(H(i)->names, const char *) = name;
    }
}

/* HSTS On in the host itself, with this policy. */
static void hsts(int i, apr_uint64_t max_age, int sub, int pre)
{
    H(i)->hsts = 1;
    H(i)->hsts_explicit = 1;
    H(i)->policy_where = apr_psprintf(pool, "test.conf:%d", i * 10 + 1);
    H(i)->policy.has_max_age = 1;
    H(i)->policy.max_age = max_age;
    H(i)->policy.include_subdomains = sub;
    H(i)->policy.preload = pre;
}

/* HSTS On inherited from the main server. */
static void hsts_inherited(int i, apr_uint64_t max_age, int sub, int pre)
{
    hsts(i, max_age, sub, pre);
    H(i)->hsts_explicit = 0;
    H(i)->policy_where = NULL;
}

/* HSTSPolicy "text" in the host (the policy as httpd parsed it). */
static void hsts_policy(int i, const char *text, apr_uint64_t max_age,
                        int sub, int pre)
{
    hsts(i, max_age, sub, pre);
    H(i)->policy_text = text;
}

static void redirect(int i)
{
    H(i)->redirect = 1;
    H(i)->redirect_explicit = 1;
}

static void redirect_inherited(int i)
{
    H(i)->redirect = 1;
}

/* A mod_headers "Header [always] action Strict-Transport-Security value". */
static void header(int i, hsts_header_action_e action, int always,
                   const char *scope, const char *value)
{
    hsts_header_rule_t *r = apr_array_push(H(i)->header_rules);

    r->value = value;
    r->action = action;
    r->always = always;
    r->scope = scope;
    r->where = apr_psprintf(pool, "test.conf:%d",
                            i * 10 + 2 + H(i)->header_rules->nelts);
}

/* The certificate files of host i (NULL-terminated), instead of none. */
static void cert(int i, ...)
{
    const char *file;
    va_list ap;

    H(i)->cert_by_md = 0;
    H(i)->cert_files = apr_array_make(pool, 1, sizeof(const char *));
    va_start(ap, i);
    while ((file = va_arg(ap, const char *)) != NULL) {
        APR_ARRAY_PUSH(H(i)->cert_files, const char *) = file;
    }
    va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Running and reading findings                                         */

static int alias_match(const char *pattern, const char *name)
{
    return apr_fnmatch(pattern, name, APR_FNM_CASE_BLIND) == APR_SUCCESS;
}

/* Runs the lint; findings become the host's lines, each host's summary
 * after its findings. */
static void lint(void)
{
    hsts_lint_input_t in;
    hsts_lint_result_t out;
    const hsts_finding_t *f;
    const hsts_verdict_t *v;
    int i = 0, j = 0;

    in.hosts = hosts;
    in.psl = psl;
    in.match = alias_match;
    in.certs = hsts_cert_store_make(pool);
    in.now = apr_time_from_sec(NOW);
    hsts_lint_run(pool, &in, &out);
    f = (const hsts_finding_t *)out.findings->elts;
    v = (const hsts_verdict_t *)out.verdicts->elts;
    findings = apr_array_make(pool, 4, sizeof(entry_t));
    while (i < out.findings->nelts || j < out.verdicts->nelts) {
        entry_t *e = apr_array_push(findings);
        if (j >= out.verdicts->nelts
            || (i < out.findings->nelts && f[i].host <= v[j].host)) {
            e->host = f[i].host;
            e->severity = f[i].issue.severity;
            e->code = hsts_code_name(f[i].issue.code);
            e->message = f[i++].issue.message;
        }
        else {
            e->host = v[j].host;
            e->severity = HSTS_INFO;
            e->code = NULL;
            e->message = hsts_verdict_sentence(pool, v[j].value, v[j].preload,
                                               v[j].blocked_by);
            j++;
        }
    }
}

static char sev_letter(hsts_severity_e s)
{
    return s == HSTS_ERROR ? 'E' : s == HSTS_WARNING ? 'W' : 'I';
}

/* The findings of host i, in order: "E:code W:code I:-" (- = summary). */
static const char *of(int i)
{
    const entry_t *f = (const entry_t *)findings->elts;
    const char *s = "";
    int j;

    for (j = 0; j < findings->nelts; j++) {
        if (f[j].host == i) {
            s = apr_psprintf(pool, "%s%s%c:%s", s, *s ? " " : "",
                             sev_letter(f[j].severity),
                             f[j].code ? f[j].code : "-");
        }
    }
    return s;
}

/* Every finding of the run as "host/S:code ...". */
static const char *all(void)
{
    const entry_t *f = (const entry_t *)findings->elts;
    const char *s = "";
    int j;

    for (j = 0; j < findings->nelts; j++) {
        s = apr_psprintf(pool, "%s%s%d/%c:%s", s, *s ? " " : "", f[j].host,
                         sev_letter(f[j].severity),
                         f[j].code ? f[j].code : "-");
    }
    return s;
}

/* How many findings with code (NULL: summaries) host i has. */
static int count(int i, const char *code)
{
    const entry_t *f = (const entry_t *)findings->elts;
    int j, n = 0;

    for (j = 0; j < findings->nelts; j++) {
        if (f[j].host == i && (code ? f[j].code
                                      && !strcmp(f[j].code, code)
                                    : !f[j].code)) {
            n++;
        }
    }
    return n;
}

/* Whether any host has a finding with code. */
static int anywhere(const char *code)
{
    int i, n = 0;

    for (i = 0; i < hosts->nelts; i++) {
        n += count(i, code);
    }
    return n;
}

/* The message of host i's first finding with code (NULL: summary). */
static const char *msg(int i, const char *code)
{
    const entry_t *f = (const entry_t *)findings->elts;
    int j;

    for (j = 0; j < findings->nelts; j++) {
        if (f[j].host == i && (code ? f[j].code
                                      && !strcmp(f[j].code, code)
                                    : !f[j].code)) {
            return f[j].message;
        }
    }
    return "";
}

/* The messages of all host i's findings with code, joined. */
static const char *msgs(int i, const char *code)
{
    const entry_t *f = (const entry_t *)findings->elts;
    const char *s = "";
    int j;

    for (j = 0; j < findings->nelts; j++) {
        if (f[j].host == i && f[j].code
            && !strcmp(f[j].code, code)) {
            s = apr_pstrcat(pool, s, f[j].message, "\n", NULL);
        }
    }
    return s;
}

/* The severity of the first finding with code anywhere; -1 if none. */
static int severity(const char *code)
{
    const entry_t *f = (const entry_t *)findings->elts;
    int j;

    for (j = 0; j < findings->nelts; j++) {
        if (f[j].code && !strcmp(f[j].code, code)) {
            return (int)f[j].severity;
        }
    }
    return -1;
}

/* No warning or error anywhere. */
static int clean(void)
{
    const entry_t *f = (const entry_t *)findings->elts;
    int j;

    for (j = 0; j < findings->nelts; j++) {
        if (f[j].severity != HSTS_INFO) {
            return 0;
        }
    }
    return 1;
}

#define contains(hay, needle, name) do {                                  \
        const char *h_ = (hay), *n_ = (needle);                           \
        if (!ok(h_ && strstr(h_, n_), (name))) {                          \
            printf("#   '%s'\n#   does not contain '%s'\n",               \
                   h_ ? h_ : "(null)", n_);                               \
        }                                                                 \
    } while (0)

/* ------------------------------------------------------------------ */
/* A compliant preload setup, the base of many tests                    */

/*
 * main server (listens nowhere), a plain vhost for example.com and
 * www.example.com with HSTSRedirect, a TLS vhost for both names with a
 * preloadable policy. Sets p (plain) and t (TLS).
 */
static void compliant(int *p, int *t)
{
    reset();
    main_server("localhost", 0, NULL);
    *p = plain("example.com", "*:80");
    alias(*p, "www.example.com");
    redirect(*p);
    *t = tls("example.com", "*:443");
    alias(*t, "www.example.com");
    hsts(*t, YEAR, 1, 1);
}

static void test_compliant(void)
{
    int p, t;

    compliant(&p, &t);
    lint();
    ok(clean(), "compliant preload setup: no warning, no error");
    is_str(all(), "2/I:-", "compliant preload setup: one summary line only");
    contains(msg(t, NULL), "sends \"max-age=31536000; includeSubDomains; "
             "preload\"", "summary names the header value");
    contains(msg(t, NULL), "meets every preload requirement",
             "summary says the host meets every preload requirement");

    /* the same with a longer max-age, mod_headers-free, two years */
    compliant(&p, &t);
    H(t)->policy.max_age = 2 * YEAR;
    lint();
    ok(clean(), "compliant with max-age 2y: clean");

    /* the same with HSTS and HSTSRedirect inherited from the main server */
    compliant(&p, &t);
    H(t)->hsts_explicit = 0;
    H(p)->redirect_explicit = 0;
    lint();
    ok(clean(), "compliant with inherited HSTS and HSTSRedirect: clean");

    /* no plain HTTP at all: nothing to redirect, no www over plain HTTP */
    reset();
    main_server("localhost", 0, NULL);
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 1, 1);
    lint();
    ok(clean(), "TLS-only preload host: clean");
}

/* ------------------------------------------------------------------ */
/* header.parse.* and header.preloadable.*                              */

static void test_header_values(void)
{
    int t;

    /* HSTSPolicy parse warnings */
    reset();
    t = tls("example.com", "*:443");
    hsts_policy(t, "max-age=31536000; foo", YEAR, 0, 0);
    lint();
    is_str(of(t), "W:header.parse.unknown_directive I:-",
           "HSTSPolicy with an unknown directive: header.parse warning");
    contains(msg(t, "header.parse.unknown_directive"), "HSTSPolicy at",
             "the parse finding says where the value is");
    reset();
    t = tls("example.com", "*:443");
    hsts_policy(t, "max-age=31536000", YEAR, 0, 0);
    lint();
    is_str(of(t), "I:-", "clean HSTSPolicy: no header.parse finding");

    reset();
    t = tls("example.com", "*:443");
    hsts_policy(t, "max-age=031536000;;includeSubDomains", YEAR, 1, 0);
    lint();
    is_str(of(t), "W:header.parse.max_age.leading_zero "
           "W:header.parse.empty_directive I:-",
           "HSTSPolicy with a leading zero and an empty directive");

    /* parse errors in a mod_headers value keep the checker's class */
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=abc");
    lint();
    is_num(count(t, "header.parse.max_age.non_digit_characters"), 1,
           "mod_headers value max-age=abc: non_digit_characters");
    is_num(severity("header.parse.max_age.non_digit_characters"), HSTS_ERROR,
           "non_digit_characters is an error, as in the checker");
    contains(msg(t, "header.parse.max_age.non_digit_characters"),
             "Header directive at test.conf:",
             "the finding names the Header directive");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=300");
    lint();
    is_str(of(t), "I:-", "mod_headers value max-age=300, always: clean");

    /* header.preloadable.include_sub_domains.missing */
    reset();
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 0, 1);
    lint();
    is_num(count(t, "header.preloadable.include_sub_domains.missing"), 1,
           "preload without includeSubDomains: include_sub_domains.missing");
    is_num(severity("header.preloadable.include_sub_domains.missing"),
           HSTS_ERROR, "include_sub_domains.missing is an error");
    reset();
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 1, 1);
    lint();
    is_num(count(t, "header.preloadable.include_sub_domains.missing"), 0,
           "preload with includeSubDomains: not missing");
    reset();
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 0, 0);
    lint();
    is_str(of(t), "I:-", "no preload, no includeSubDomains: nothing to say");

    /* header.preloadable.max_age.missing: only mod_headers can omit it */
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "includeSubDomains; preload");
    lint();
    is_num(count(t, "header.preloadable.max_age.missing"), 1,
           "mod_headers value with preload, no max-age: max_age.missing");
    is_num(severity("header.preloadable.max_age.missing"), HSTS_ERROR,
           "max_age.missing is an error");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "",
           "max-age=31536000; includeSubDomains; preload");
    lint();
    is_num(count(t, "header.preloadable.max_age.missing"), 0,
           "mod_headers value with preload and max-age: not missing");
    ok(clean(), "a preloadable mod_headers value (always) on a TLS-only "
       "host: clean");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "includeSubDomains");
    lint();
    is_num(count(t, "header.preloadable.max_age.missing"), 0,
           "no max-age and no preload: not a preload finding");

    /* header.preloadable.max_age.zero */
    reset();
    t = tls("example.com", "*:443");
    hsts(t, 0, 1, 1);
    lint();
    is_num(count(t, "header.preloadable.max_age.zero"), 1,
           "preload with max-age=0: max_age.zero");
    is_num(severity("header.preloadable.max_age.zero"), HSTS_ERROR,
           "max_age.zero is an error");
    is_num(count(t, "header.preloadable.max_age.below_1_year"), 0,
           "max-age=0 is not also below_1_year");
    reset();
    t = tls("example.com", "*:443");
    hsts(t, 0, 1, 0);
    lint();
    is_num(count(t, "header.preloadable.max_age.zero"), 0,
           "max-age=0 without preload: no max_age.zero");

    /* header.preloadable.max_age.below_1_year, at the boundary */
    reset();
    t = tls("example.com", "*:443");
    hsts(t, YEAR - 1, 1, 1);
    lint();
    is_num(count(t, "header.preloadable.max_age.below_1_year"), 1,
           "preload with max-age=31535999: below_1_year");
    is_num(severity("header.preloadable.max_age.below_1_year"), HSTS_ERROR,
           "below_1_year is an error");
    contains(msg(t, "header.preloadable.max_age.below_1_year"),
             "but it is 31535999", "below_1_year says the value");
    reset();
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 1, 1);
    lint();
    is_num(count(t, "header.preloadable.max_age.below_1_year"), 0,
           "preload with max-age=31536000: not below_1_year");
    reset();
    t = tls("example.com", "*:443");
    hsts(t, 300, 1, 0);
    lint();
    is_num(count(t, "header.preloadable.max_age.below_1_year"), 0,
           "max-age=300 without preload: no below_1_year");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=300; includeSubDomains; "
           "preload");
    lint();
    is_num(count(t, "header.preloadable.max_age.below_1_year"), 1,
           "mod_headers value with preload and max-age=300: below_1_year");

    /* header.preloadable.max_age.over_10_years: any value, a warning */
    reset();
    t = tls("example.com", "*:443");
    hsts(t, APR_UINT64_C(315360001), 0, 0);
    lint();
    is_str(of(t), "W:header.preloadable.max_age.over_10_years I:-",
           "max-age=315360001 without preload: over_10_years warning");
    reset();
    t = tls("example.com", "*:443");
    hsts(t, APR_UINT64_C(315360000), 0, 0);
    lint();
    is_str(of(t), "I:-", "max-age=315360000: not over 10 years");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=400000000");
    lint();
    is_num(count(t, "header.preloadable.max_age.over_10_years"), 1,
           "mod_headers value over 10 years: over_10_years");
}

/* ------------------------------------------------------------------ */
/* Reachability and redirects.http.no_redirect                          */

static void test_no_redirect(void)
{
    int p, t, d, x;

    /* a plain vhost naming H, without HSTSRedirect */
    compliant(&p, &t);
    H(p)->redirect = H(p)->redirect_explicit = 0;
    lint();
    is_num(count(t, "redirects.http.no_redirect"), 1,
           "plain vhost naming H without HSTSRedirect: no_redirect");
    is_num(count(p, "redirects.http.no_redirect"), 0,
           "... logged for the TLS host, not the plain one");
    is_num(severity("redirects.http.no_redirect"), HSTS_ERROR,
           "no_redirect is an error");
    contains(msg(t, "redirects.http.no_redirect"), "example.com:80",
             "no_redirect names the plain host as ServerName:port");
    contains(msg(t, "redirects.http.no_redirect"), "HSTSRedirect On",
             "no_redirect says how to fix it");

    /* a plain vhost naming H by a wildcard alias */
    compliant(&p, &t);
    H(p)->redirect = H(p)->redirect_explicit = 0;
    H(p)->name = "plain.example.org";
    apr_array_clear(H(p)->names);
    alias(p, "*.example.com");
    alias(p, "example.c?m");
    lint();
    is_num(count(t, "redirects.http.no_redirect"), 1,
           "plain vhost naming H by a wildcard alias: no_redirect");
    contains(msg(t, "redirects.http.no_redirect"), "plain.example.org:80",
             "... naming that host");

    /* the default vhost of a plain address where no vhost names H */
    reset();
    main_server("localhost", 0, NULL);
    d = plain("default.example.org", "*:80");
    t = tls("example.com", "*:443");
    alias(t, "www.example.com");
    hsts(t, YEAR, 1, 1);
    lint();
    is_num(count(t, "redirects.http.no_redirect"), 1,
           "H named by no plain vhost, a plain address exists: its default "
           "vhost answers, no_redirect");
    contains(msg(t, "redirects.http.no_redirect"), "default.example.org:80",
             "... naming the default vhost");

    /* ... the second vhost of that address is not its default */
    reset();
    main_server("localhost", 0, NULL);
    d = plain("default.example.org", "*:80");
    redirect(d);
    plain("other.example.org", "*:80");
    t = tls("example.com", "*:443");
    alias(t, "www.example.com");
    hsts(t, YEAR, 1, 1);
    lint();
    is_num(count(t, "redirects.http.no_redirect"), 1,
           "the default vhost redirects, but to its own name: no_redirect");
    contains(msg(t, "redirects.http.no_redirect"), "default.example.org:80",
             "... naming the default vhost, not the second one");
    ok(!strstr(msg(t, "redirects.http.no_redirect"), "other.example.org"),
       "... the second vhost of the address does not answer for H");

    /* a vhost on that address names H and redirects: the default does not
     * answer for H there */
    reset();
    main_server("localhost", 0, NULL);
    d = plain("default.example.org", "*:80");
    p = plain("example.com", "*:80");
    alias(p, "www.example.com");
    redirect(p);
    t = tls("example.com", "*:443");
    alias(t, "www.example.com");
    hsts(t, YEAR, 1, 1);
    lint();
    ok(clean(), "H named by a redirecting vhost on the plain address: the "
       "default vhost does not serve it, clean");

    /* addresses are separate: a vhost on another address does not name H
     * for this one (plain.example.org is the default of 127.0.0.1:80) */
    reset();
    main_server("localhost", 0, NULL);
    d = plain("plain.example.org", "127.0.0.1:80");
    p = plain("example.com", "127.0.0.2:80");
    alias(p, "www.example.com");
    redirect(p);
    t = tls("example.com", "*:443");
    alias(t, "www.example.com");
    hsts(t, YEAR, 1, 1);
    lint();
    is_num(count(t, "redirects.http.no_redirect"), 0,
           "H redirected by a plain vhost: no no_redirect, although another "
           "address's default vhost also answers for it");
    is_num(count(d, "redirects.http.no_redirect")
           + count(p, "redirects.http.no_redirect"), 0,
           "... and nothing on the plain hosts");

    /* no plain address at all: H is not reachable over plain HTTP */
    reset();
    main_server("localhost", 0, NULL);
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 1, 1);
    tls("other.example.org", "*:443");
    lint();
    is_num(anywhere("redirects.http.no_redirect"), 0,
           "no plain address: no no_redirect");

    /* without preload intent no redirect is required */
    compliant(&p, &t);
    H(p)->redirect = H(p)->redirect_explicit = 0;
    H(t)->policy.preload = 0;
    lint();
    is_num(anywhere("redirects.http.no_redirect"), 0,
           "no preload: no no_redirect");

    /* a main server that listens nowhere (virtual hosts claim every
     * address) answers nothing, whatever its ServerName */
    compliant(&p, &t);
    H(0)->name = "example.com";
    lint();
    ok(clean(), "main server named H, listening nowhere: it serves nothing, "
       "clean");
    reset();
    main_server("example.com", 0, NULL);
    t = tls("example.com", "*:443");
    alias(t, "www.example.com");
    hsts(t, YEAR, 1, 1);
    lint();
    ok(clean(), "TLS vhosts only, the plain main server named H listens "
       "nowhere: H is not reachable over plain HTTP, clean");
    reset();
    main_server("app.example.com", 0, NULL);
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 1, 0);
    lint();
    ok(clean(), "... nor is a subdomain it names (no subdomains.http_only)");
    /* ... but it answers on a listener no virtual host claims */
    compliant(&p, &t);
    APR_ARRAY_PUSH(H(0)->addrs, const char *) = "listen:8080";
    H(0)->port = 8080;
    lint();
    is_num(count(t, "redirects.http.no_redirect"), 0,
           "main server answering on an unclaimed port, H redirected by a "
           "vhost: no no_redirect");
    H(p)->redirect = 0;
    lint();
    is_num(count(t, "redirects.http.no_redirect"), 2,
           "no redirect anywhere: one no_redirect per plain host answering "
           "for H");
    contains(msgs(t, "redirects.http.no_redirect"), "localhost:8080",
             "... the main server is named as ServerName:port");

    /* the main server linted alone (no virtual host) */
    reset();
    x = main_server("example.com", 0, "listen:80");
    H(x)->linted = 1;
    redirect(x);
    lint();
    is_str(all(), "", "main server alone, plain, HSTSRedirect on itself: "
           "no finding (its own name has no TLS host)");
}

/* ------------------------------------------------------------------ */
/* response.no_header                                                   */

static void test_no_header(void)
{
    int p, t, c;

    compliant(&p, &t);
    H(t)->hsts = H(t)->hsts_explicit = 0;
    lint();
    is_num(count(p, "response.no_header"), 1,
           "HSTSRedirect to a TLS vhost without STS: response.no_header");
    is_num(count(t, "response.no_header"), 0,
           "... logged for the redirecting plain host");
    is_num(severity("response.no_header"), HSTS_ERROR,
           "response.no_header is an error");
    contains(msg(p, "response.no_header"), "example.com:443",
             "response.no_header names the TLS host as ServerName:port");
    is_str(of(t), "", "the TLS host without STS has no finding and no "
           "summary");

    compliant(&p, &t);
    H(t)->hsts = H(t)->hsts_explicit = 0;
    header(t, HSTS_HEADER_SET, 1, "", "max-age=31536000");
    lint();
    is_num(anywhere("response.no_header"), 0,
           "TLS vhost sending STS with mod_headers: no response.no_header");

    compliant(&p, &t);
    H(t)->hsts = H(t)->hsts_explicit = 0;
    H(p)->redirect = H(p)->redirect_explicit = 0;
    lint();
    is_num(anywhere("response.no_header"), 0,
           "no HSTSRedirect: no response.no_header");

    compliant(&p, &t);
    H(t)->hsts = H(t)->hsts_explicit = 0;
    redirect_inherited(p);
    H(p)->redirect_explicit = 0;
    lint();
    is_num(count(p, "response.no_header"), 1,
           "inherited HSTSRedirect: response.no_header too");

    /* a TLS catch-all does not serve the redirected name */
    reset();
    main_server("localhost", 0, NULL);
    p = plain("app.example.com", "*:80");
    redirect(p);
    c = tls("catchall.example.com", "*:443");
    lint();
    is_num(anywhere("response.no_header"), 0,
           "only a TLS catch-all for another name: it does not serve the "
           "name, no response.no_header");
    /* ... but a TLS vhost naming it by alias does */
    alias(c, "app.example.com");
    lint();
    is_num(count(p, "response.no_header"), 1,
           "TLS vhost naming the redirected name by alias, no STS: "
           "response.no_header");
    contains(msg(p, "response.no_header"), "catchall.example.com:443",
             "... naming it");
    /* an alias of the plain host is redirected too */
    reset();
    main_server("localhost", 0, NULL);
    p = plain("example.com", "*:80");
    alias(p, "app.example.com");
    redirect(p);
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 0, 0);
    c = tls("app.example.com", "*:443");
    lint();
    is_num(count(p, "response.no_header"), 1,
           "a ServerAlias of the redirecting host has a TLS vhost without "
           "STS: response.no_header");
    contains(msg(p, "response.no_header"), "app.example.com:443",
             "... naming that TLS vhost");
}

/* ------------------------------------------------------------------ */
/* mod_headers                                                          */

static void test_header_rules(void)
{
    int t;

    /* response.multiple_headers */
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 0, "", "max-age=31536000");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=31536000");
    lint();
    is_num(count(t, "response.multiple_headers"), 1,
           "Header set and Header always set in one scope: "
           "multiple_headers");
    is_num(severity("response.multiple_headers"), HSTS_ERROR,
           "multiple_headers is an error");
    contains(msg(t, "response.multiple_headers"), "test.conf:3",
             "multiple_headers names the Header directives");

    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=31536000");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=31536000");
    lint();
    is_num(count(t, "response.multiple_headers"), 0,
           "two Header always set: one header, no multiple_headers");
    is_str(of(t), "I:-", "... and nothing else");

    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_ADD, 1, "", "max-age=31536000");
    lint();
    is_num(count(t, "response.multiple_headers"), 1,
           "Header always add: multiple_headers");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_APPEND, 1, "", "max-age=31536000");
    lint();
    is_num(count(t, "response.multiple_headers"), 1,
           "Header always append: multiple_headers");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_MERGE, 1, "", "max-age=31536000");
    header(t, HSTS_HEADER_SETIFEMPTY, 1, "", "max-age=31536000");
    lint();
    is_num(count(t, "response.multiple_headers"), 0,
           "Header always merge and setifempty: no multiple_headers");

    /* scopes: nested scopes add up, sibling scopes do not */
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=31536000");
    header(t, HSTS_HEADER_SET, 0, "3", "max-age=31536000");
    lint();
    is_num(count(t, "response.multiple_headers"), 1,
           "always at host level, onsuccess in a <Location>: "
           "multiple_headers");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "3", "max-age=31536000");
    header(t, HSTS_HEADER_SET, 0, "4", "max-age=31536000");
    lint();
    is_num(count(t, "response.multiple_headers"), 0,
           "always and onsuccess in two sibling sections: no "
           "multiple_headers");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "3", "max-age=31536000");
    header(t, HSTS_HEADER_SET, 0, "3/5", "max-age=31536000");
    lint();
    is_num(count(t, "response.multiple_headers"), 1,
           "onsuccess in a section nested in an always one: "
           "multiple_headers");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "3", "max-age=31536000");
    header(t, HSTS_HEADER_SET, 0, "31", "max-age=31536000");
    lint();
    is_num(count(t, "response.multiple_headers"), 0,
           "section 31 is not inside section 3");

    /* where HSTS is on, the module replaces them all */
    reset();
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 0, 0);
    header(t, HSTS_HEADER_SET, 0, "", "max-age=31536000");
    header(t, HSTS_HEADER_ADD, 1, "", "max-age=31536000");
    lint();
    is_str(of(t), "W:config.header.overridden I:-",
           "HSTS on with mod_headers: config.header.overridden only");
    contains(msg(t, "config.header.overridden"), "test.conf:3, test.conf:4",
             "overridden names every Header directive");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=31536000");
    lint();
    is_num(count(t, "config.header.overridden"), 0,
           "HSTS off with mod_headers: not overridden");

    /* config.header.not_always */
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 0, "", "max-age=31536000");
    lint();
    is_str(of(t), "W:config.header.not_always I:-",
           "Header set without always: config.header.not_always");
    contains(msg(t, "config.header.not_always"), "test.conf:3",
             "not_always names the Header directive");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=31536000");
    lint();
    is_num(count(t, "config.header.not_always"), 0,
           "Header always set: no not_always");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=31536000");
    header(t, HSTS_HEADER_SET, 0, "", "max-age=31536000");
    lint();
    is_num(count(t, "config.header.not_always"), 0,
           "an always rule covers the scope: no not_always (but "
           "multiple_headers)");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "3", "max-age=31536000");
    header(t, HSTS_HEADER_SET, 0, "4", "max-age=31536000");
    lint();
    is_num(count(t, "config.header.not_always"), 1,
           "a section with only an onsuccess rule: not_always");

    /* mod_headers on a plain host: not an HSTS host */
    reset();
    t = plain("example.com", "*:80");
    header(t, HSTS_HEADER_SET, 0, "", "max-age=1; preload");
    lint();
    is_str(all(), "", "STS from mod_headers on a plain host: not linted as "
           "an HSTS host");
}

/* ------------------------------------------------------------------ */
/* domain.*                                                             */

static void test_domain(void)
{
    int p, t;

    /* domain.format.is_ip_address */
    reset();
    t = tls("192.0.2.1", "*:443");
    hsts(t, YEAR, 1, 1);
    lint();
    is_num(count(t, "domain.format.is_ip_address"), 1,
           "HSTS on a host named by an IPv4 address: is_ip_address");
    is_num(severity("domain.format.is_ip_address"), HSTS_ERROR,
           "is_ip_address is an error with preload intent");
    contains(msg(t, NULL), "blocked by: domain.format.is_ip_address",
             "... which blocks preloading");
    H(t)->policy.preload = 0;
    lint();
    is_num(severity("domain.format.is_ip_address"), HSTS_WARNING,
           "is_ip_address is a warning without preload intent");
    H(t)->policy.preload = 1;
    is_num(count(t, "domain.format.public_suffix")
           + count(t, "domain.is_subdomain"), 0,
           "... and no domain name findings for it");
    reset();
    t = tls("[2001:db8::1]", "*:443");
    hsts(t, YEAR, 0, 0);
    lint();
    is_num(count(t, "domain.format.is_ip_address"), 1,
           "HSTS on a host named by an IPv6 literal: is_ip_address");
    reset();
    t = tls("192.0.2.1.example.com", "*:443");
    hsts(t, YEAR, 0, 0);
    lint();
    is_num(count(t, "domain.format.is_ip_address"), 0,
           "a DNS name that starts like an address: no is_ip_address");
    reset();
    t = tls("192.0.2.1", "*:443");
    lint();
    is_num(count(t, "domain.format.is_ip_address"), 0,
           "an IP-named TLS host without HSTS: no is_ip_address");
    reset();
    t = plain("192.0.2.1", "*:80");
    hsts_inherited(t, YEAR, 0, 0);
    lint();
    is_num(count(t, "domain.format.is_ip_address"), 0,
           "an IP-named plain host: no is_ip_address");

    /* domain.format.public_suffix */
    reset();
    t = tls("co.uk", "*:443");
    hsts(t, YEAR, 1, 1);
    lint();
    is_num(count(t, "domain.format.public_suffix"), 1,
           "preload on co.uk: public_suffix");
    is_num(severity("domain.format.public_suffix"), HSTS_ERROR,
           "public_suffix is an error");
    is_num(count(t, "domain.is_subdomain"), 0,
           "... and not also is_subdomain");
    reset();
    t = tls("example.co.uk", "*:443");
    hsts(t, YEAR, 1, 1);
    lint();
    ok(clean(), "preload on example.co.uk: its own registrable domain, "
       "clean");
    reset();
    t = tls("co.uk", "*:443");
    hsts(t, YEAR, 1, 0);
    lint();
    is_num(count(t, "domain.format.public_suffix"), 0,
           "co.uk without preload: no public_suffix");

    /* domain.is_subdomain */
    reset();
    t = tls("www.example.com", "*:443");
    hsts(t, YEAR, 1, 1);
    lint();
    is_num(count(t, "domain.is_subdomain"), 1,
           "preload on www.example.com: is_subdomain");
    is_num(severity("domain.is_subdomain"), HSTS_ERROR,
           "is_subdomain is an error");
    contains(msg(t, "domain.is_subdomain"), "example.com",
             "is_subdomain names the registrable domain");
    reset();
    t = tls("a.example.co.uk", "*:443");
    hsts(t, YEAR, 1, 1);
    lint();
    is_num(count(t, "domain.is_subdomain"), 1,
           "preload on a.example.co.uk: is_subdomain");
    reset();
    t = tls("www.example.com", "*:443");
    hsts(t, YEAR, 1, 0);
    lint();
    is_num(count(t, "domain.is_subdomain"), 0,
           "www.example.com without preload: no is_subdomain");
    reset();
    t = tls("www.example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=31536000; includeSubDomains; "
           "preload");
    lint();
    is_num(count(t, "domain.is_subdomain"), 1,
           "preload from mod_headers on a subdomain: is_subdomain");

    /* domain.www.no_tls */
    compliant(&p, &t);
    apr_array_clear(H(t)->names);
    lint();
    is_num(count(t, "domain.www.no_tls"), 1,
           "www.H served over plain HTTP, no TLS vhost names it: "
           "domain.www.no_tls");
    is_num(severity("domain.www.no_tls"), HSTS_ERROR,
           "www.no_tls is an error");
    contains(msg(t, "domain.www.no_tls"), "www.example.com",
             "www.no_tls names www.H");
    contains(msg(t, "domain.www.no_tls"), "example.com:80",
             "www.no_tls names the plain host as ServerName:port");
    is_num(count(p, "domain.www.no_tls"), 0,
           "... logged for the preload host");

    /* a TLS catch-all (first TLS vhost) does not serve www.H */
    reset();
    main_server("localhost", 0, NULL);
    p = plain("example.com", "*:80");
    alias(p, "www.example.com");
    redirect(p);
    tls("catchall.example.org", "*:443");
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 1, 1);
    lint();
    is_num(count(t, "domain.www.no_tls"), 1,
           "only a TLS catch-all for another name: www.no_tls");
    /* ... a TLS vhost naming www.H by a wildcard alias does */
    alias(t, "*.example.com");
    lint();
    is_num(count(t, "domain.www.no_tls"), 0,
           "TLS vhost with ServerAlias *.example.com serves www: no "
           "www.no_tls");
    /* ... as does another TLS vhost */
    reset();
    main_server("localhost", 0, NULL);
    p = plain("example.com", "*:80");
    alias(p, "www.example.com");
    redirect(p);
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 1, 1);
    hsts(tls("www.example.com", "*:443"), YEAR, 1, 0);
    lint();
    ok(clean(), "www.H in a TLS vhost of its own: clean");

    /* www.H named nowhere: the plain default vhost still answers it */
    reset();
    main_server("localhost", 0, NULL);
    p = plain("example.com", "*:80");
    redirect(p);
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 1, 1);
    lint();
    is_num(count(t, "domain.www.no_tls"), 1,
           "www.H named by no vhost, a plain address exists: its default "
           "vhost serves it, www.no_tls");
    /* ... not without a plain address */
    reset();
    main_server("localhost", 0, NULL);
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 1, 1);
    lint();
    is_num(count(t, "domain.www.no_tls"), 0,
           "no plain address: www.H is not served over plain HTTP");
    compliant(&p, &t);
    apr_array_clear(H(t)->names);
    H(t)->policy.preload = 0;
    lint();
    is_num(anywhere("domain.www.no_tls"), 0,
           "no preload: no www.no_tls");
}

/* ------------------------------------------------------------------ */
/* subdomains.http_only                                                 */

static void test_subdomains(void)
{
    int p, t, a, d;

    reset();
    main_server("localhost", 0, NULL);
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 1, 0);
    a = plain("app.example.com", "*:80");
    lint();
    is_num(count(t, "subdomains.http_only"), 1,
           "includeSubDomains, sub.H only over plain HTTP: "
           "subdomains.http_only");
    is_num(count(a, "subdomains.http_only"), 0,
           "... logged for the host with includeSubDomains");
    is_num(severity("subdomains.http_only"), HSTS_ERROR,
           "http_only is an error");
    contains(msg(t, "subdomains.http_only"), "app.example.com:80",
             "http_only names the plain host as ServerName:port");

    H(t)->policy.include_subdomains = 0;
    lint();
    is_num(anywhere("subdomains.http_only"), 0,
           "without includeSubDomains: no http_only");

    H(t)->policy.include_subdomains = 1;
    redirect(a);
    lint();
    is_num(anywhere("subdomains.http_only"), 0,
           "sub.H's plain vhost has HSTSRedirect: no http_only");

    H(a)->redirect = 0;
    tls("app.example.com", "*:443");
    lint();
    is_num(anywhere("subdomains.http_only"), 0,
           "a TLS vhost serves sub.H: no http_only");

    /* a name that only ends like H is not below it */
    reset();
    main_server("localhost", 0, NULL);
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 1, 0);
    plain("badexample.com", "*:80");
    lint();
    is_num(anywhere("subdomains.http_only"), 0,
           "badexample.com is not a subdomain of example.com");

    /* sub.H by alias; mod_headers includeSubDomains counts */
    reset();
    main_server("localhost", 0, NULL);
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=31536000; includeSubDomains");
    p = plain("static.example.org", "*:80");
    alias(p, "img.example.com");
    lint();
    is_num(count(t, "subdomains.http_only"), 1,
           "includeSubDomains from mod_headers, alias sub.H on a plain "
           "host: http_only");
    contains(msg(t, "subdomains.http_only"), "img.example.com",
             "... naming the subdomain");
    contains(msg(t, "subdomains.http_only"), "static.example.org:80",
             "... and the host that serves it");

    /* the default vhost of another plain address serves sub.H too */
    reset();
    main_server("localhost", 0, NULL);
    t = tls("example.com", "*:443");
    hsts(t, YEAR, 1, 0);
    d = plain("default.example.org", "*:8080");
    a = plain("app.example.com", "*:80");
    redirect(a);
    lint();
    is_num(count(t, "subdomains.http_only"), 1,
           "sub.H redirected on one address, served by the plain default "
           "vhost of another: http_only");
    contains(msg(t, "subdomains.http_only"), "default.example.org:8080",
             "... naming that default vhost");
    redirect(d);
    lint();
    is_num(anywhere("subdomains.http_only"), 0,
           "... which, redirecting, is no finding either");
}

/* ------------------------------------------------------------------ */
/* config.*, policy.max_age.zero, certificates, summaries               */

static void test_config(void)
{
    int p, t, m;

    /* config.hsts.plain_vhost */
    reset();
    main_server("localhost", 0, NULL);
    p = plain("example.com", "*:80");
    hsts(p, YEAR, 0, 0);
    lint();
    is_str(of(p), "W:config.hsts.plain_vhost",
           "HSTS On in a plain vhost: config.hsts.plain_vhost");
    contains(msg(p, "config.hsts.plain_vhost"), "test.conf:",
             "plain_vhost says where HSTS was set");
    reset();
    main_server("localhost", 0, NULL);
    p = plain("example.com", "*:80");
    hsts_inherited(p, YEAR, 0, 0);
    lint();
    is_str(all(), "", "HSTS inherited by a plain vhost: no finding");
    reset();
    m = main_server("example.com", 0, "listen:80");
    H(m)->linted = 1;
    hsts(m, YEAR, 0, 0);
    lint();
    is_num(count(m, "config.hsts.plain_vhost"), 0,
           "HSTS On in a plain main server: not a virtual host");

    /* behind a TLS-terminating proxy a plain host sends the header */
    reset();
    main_server("localhost", 0, NULL);
    p = plain("example.com", "*:80");
    alias(p, "www.example.com");
    hsts(p, 2 * YEAR, 1, 1);
    redirect(p);
    H(p)->behind_proxy = 1;
    lint();
    is_num(count(p, "config.hsts.plain_vhost"), 0,
           "HSTS On in a plain vhost behind a trusted proxy: no plain_vhost");
    ok(clean(), "a compliant preload host behind a trusted proxy: clean");
    contains(msg(p, NULL), "meets every preload requirement",
             "behind a trusted proxy: the summary says it meets them");
    H(p)->policy.max_age = 300;
    lint();
    is_num(count(p, "header.preloadable.max_age.below_1_year"), 1,
           "behind a trusted proxy the header is checked");

    /* config.redirect.tls_vhost */
    reset();
    main_server("localhost", 0, NULL);
    t = tls("example.com", "*:443");
    redirect(t);
    lint();
    is_str(of(t), "W:config.redirect.tls_vhost",
           "HSTSRedirect On in a TLS vhost: config.redirect.tls_vhost");
    reset();
    main_server("localhost", 0, NULL);
    t = tls("example.com", "*:443");
    redirect_inherited(t);
    lint();
    is_str(all(), "", "HSTSRedirect inherited by a TLS vhost: no finding");

    /* policy.max_age.zero */
    reset();
    t = tls("example.com", "*:443");
    hsts(t, 0, 0, 0);
    lint();
    is_str(of(t), "I:policy.max_age.zero I:-",
           "max-age=0: policy.max_age.zero, an info finding");
    reset();
    t = tls("example.com", "*:443");
    hsts(t, 1, 0, 0);
    lint();
    is_str(of(t), "I:-", "max-age=1: no policy.max_age.zero");
    reset();
    t = tls("example.com", "*:443");
    header(t, HSTS_HEADER_SET, 1, "", "max-age=0");
    lint();
    is_str(of(t), "I:policy.max_age.zero I:-",
           "max-age=0 sent with mod_headers: policy.max_age.zero");
    reset();
    t = plain("example.com", "*:80");
    hsts_inherited(t, 0, 0, 0);
    lint();
    is_str(all(), "", "max-age=0 inherited by a plain host: nothing");

    /* the certificate's issues are the host's findings, on an HSTS host
     * and on no other */
    {
        pki_t ca = make_cert("lint unit CA", NULL, 1, NOW - 10 * DAY,
                             NOW + 3650 * DAY, EVP_sha256(), NULL);
        pki_t good = make_leaf("example.com",
                               "DNS:example.com,DNS:www.example.com", &ca);
        pki_t expired = make_cert("example.com", "DNS:example.com", 0,
                                  NOW - 400 * DAY, NOW - DAY, EVP_sha256(),
                                  &ca);
        pki_t soon = make_cert("example.com", "DNS:example.com", 0,
                               NOW - 10 * DAY, NOW + 10 * DAY, EVP_sha256(),
                               &ca);
        pki_t other = make_leaf("other.example", "DNS:other.example", &ca);
        static const struct {
            const char *file;
            const char *want;
        } cases[] = {
            { "expired.crt", "E:tls.cert.expired" },
            { "soon.crt", "W:tls.cert.expires_soon" },
            { "other.crt", "E:tls.cert.name_mismatch" },
            { "missing.crt", "E:tls.cert.unreadable" },
        };
        apr_size_t k;

        setenv("SSL_CERT_FILE", write_pem("ca.crt", ca.crt, NULL), 1);
        setenv("SSL_CERT_DIR", path_of("no-such-dir"), 1);
        write_pem("good.crt", good.crt, NULL);
        write_pem("expired.crt", expired.crt, NULL);
        write_pem("soon.crt", soon.crt, NULL);
        write_pem("other.crt", other.crt, NULL);
        for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
            reset();
            t = tls("example.com", "*:443");
            hsts(t, YEAR, 0, 0);
            cert(t, path_of(cases[k].file), NULL);
            lint();
            is_str(of(t), apr_psprintf(pool, "%s I:-", cases[k].want),
                   apr_psprintf(pool, "%s of an HSTS host's certificate: its "
                                "finding", cases[k].file));
            H(t)->hsts = 0;
            lint();
            is_str(all(), "", apr_psprintf(pool, "%s on a TLS host without "
                                           "STS: no finding", cases[k].file));
        }
        reset();
        t = tls("example.com", "*:443");
        hsts(t, YEAR, 0, 0);
        H(t)->cert_by_md = 0;
        lint();
        is_str(of(t), "E:tls.cert.unreadable I:-",
               "no SSLCertificateFile applies: tls.cert.unreadable");
        contains(msg(t, "tls.cert.unreadable"), "No SSLCertificateFile",
                 "... which says so");

        compliant(&p, &t);
        cert(t, path_of("good.crt"), NULL);
        lint();
        ok(clean(), "the compliant setup with a good certificate: clean");
        compliant(&p, &t);
        cert(t, path_of("expired.crt"), path_of("soon.crt"), NULL);
        lint();
        is_str(of(t), "E:tls.cert.expired E:tls.cert.name_mismatch "
               "W:tls.cert.expires_soon E:tls.cert.name_mismatch I:-",
               "each certificate file of a host is checked");
        contains(msg(t, NULL), "blocked by: tls.cert.expired, "
                 "tls.cert.name_mismatch.",
                 "... and the summary lists the errors, not the warning");
        contains(msg(t, "tls.cert.expired"), "expired.crt",
                 "... with their sentence naming the file");
        H(t)->cert_by_md = 1;
        lint();
        is_str(of(t), "I:-", "mod_md manages the certificate: the "
               "certificate checks are left out");
        ok(clean(), "... and no warning");
    }

    /* which hosts are linted */
    compliant(&p, &t);
    H(0)->is_tls = 1;
    hsts(0, 300, 0, 1);
    lint();
    is_str(of(0), "", "a main server that is not linted has no finding");
    reset();
    m = main_server("example.com", 1, "listen:443");
    H(m)->linted = 1;
    hsts(m, 300, 0, 1);
    lint();
    is_str(of(m), "E:header.preloadable.include_sub_domains.missing "
           "E:header.preloadable.max_age.below_1_year I:-",
           "the main server alone is linted as a host");
}

static void test_summaries(void)
{
    int p, t, t2;

    /* one per HSTS host: TLS and sending STS */
    reset();
    main_server("localhost", 0, NULL);
    p = plain("example.com", "*:80");
    redirect(p);
    t = tls("example.com", "*:443");
    hsts(t, 300, 0, 0);
    t2 = tls("other.example.org", "*:443");
    lint();
    is_num(count(t, NULL), 1, "an HSTS host gets one summary line");
    is_num(count(p, NULL) + count(t2, NULL), 0,
           "plain hosts and TLS hosts without STS get none");
    contains(msg(t, NULL), "\"max-age=300\"", "summary names the value");
    contains(msg(t, NULL), "without preload", "... and says: no preload");

    /* a preload host's summary lists the codes in the way, once each */
    reset();
    main_server("localhost", 0, NULL);
    p = plain("a.example.org", "*:80");
    plain("b.example.org", "*:8080");
    t = tls("www.example.com", "*:443");
    hsts(t, 300, 0, 1);
    lint();
    is_num(count(t, "redirects.http.no_redirect"), 2,
           "two plain defaults answer for H: two no_redirect findings");
    is_str(msg(t, NULL), "sends \"max-age=300; preload\"; preloading is "
           "blocked by: header.preloadable.include_sub_domains.missing, "
           "header.preloadable.max_age.below_1_year, domain.is_subdomain, "
           "redirects.http.no_redirect.",
           "summary lists each error code once, in order");
    is_num(count(t, NULL), 1, "... in one line");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    pki_init(pool);
    psl = psl_builtin();
    if (!psl) {
        printf("1..0 # SKIP libpsl has no built-in list\n");
        return 0;
    }

    test_compliant();
    test_header_values();
    test_no_redirect();
    test_no_header();
    test_header_rules();
    test_domain();
    test_subdomains();
    test_config();
    test_summaries();

    pki_done();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
