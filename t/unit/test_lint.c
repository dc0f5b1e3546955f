/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the startup lint's rules (hsts_lint.c, hsts_probes.c,
 * hsts_vhosts.c, hsts_rules.c; README: The startup lint), as tables:
 *
 * - lint_cases: a host set, written one host a line the way
 *   mod_hsts_hosts.c reads them from httpd's configuration, and the
 *   findings and summaries hsts_lint_run makes of it. For every code
 *   there is a set that triggers it and a closely similar one that must
 *   not.
 * - select_cases: which host httpd would select for a name on an
 *   address:port (hsts_vhosts.c).
 * - rule_cases: what mod_rewrite, mod_alias and mod_proxy rules answer
 *   to "GET /" (hsts_rules.c).
 *
 * The certificates are made at run time (pki.c).
 */
#include "hsts_lint.h"
#include "hsts_rules.h"
#include "hsts_vhosts.h"
#include "pki.h"
#include "tap.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <apr_lib.h>
#include <apr_fnmatch.h>

#include <regex.h>
#include <stdlib.h>

static apr_pool_t *pool;
static const psl_ctx_t *psl;

#define YEAR APR_UINT64_C(31536000)

/* ------------------------------------------------------------------ */
/* A host set from text                                                 */

/*
 * One host a line: "KIND NAME [ADDRESS...] [OPTION...]", in
 * configuration-file order (a host's index is its line's, from 0).
 *
 *   KIND     main (the main server, not linted), main! (linted: no
 *            virtual hosts), plain, tls
 *   ADDRESS  as the glue keys them: *:80, 192.0.2.1:443, [2001:db8::1]:80,
 *            *:* (the main server has none)
 *   alias=a,b,*.c          ServerAlias names and patterns
 *   ssl                    SSLEngine on (for the main server)
 *   unnamed                ServerName not set in the host (inherited)
 *   port=N                 the port it is known by (default: its first)
 *   hsts=AGE[,sub][,preload]   HSTS On in the host (AGE: 1y, 2y, seconds)
 *   inherited=AGE[,sub][,preload]  HSTS On from the server config
 *   policy=TEXT            HSTSPolicy "TEXT" ('~' for a space)
 *   redirect, redirect-inherited, redirect-port=N
 *   proxy                  HSTSTrustedProxy set
 *   [always-]ACTION[@SCOPE]=VALUE  a Header ACTION Strict-Transport-Security
 *            VALUE ('~' for a space); SCOPE a section path ("3/5"), "R"
 *            for <Location "/">; ACTION set, add, append, merge, setifempty
 *   rule=Directive|arg|arg|arg  a host-level rule ('~' for a space)
 *   loc=Directive|arg|arg  the same in <Location "/">
 *   opaque=Directive       one the lint cannot place (in a <Directory>)
 *   cert=FILE[,FILE]       certificate files made by the test (else mod_md
 *            manages it: it covers the host's own names); nocert: none
 *   md=a,b                 the names of its MDomain
 *
 * A line "listen ADDRESS..." gives the Listen directives (else every
 * virtual host address is listened on, and the main server on none).
 */

static apr_array_header_t *hosts;     /* hsts_lint_host_t */
static apr_array_header_t *listens;   /* const char *, or NULL */

#define H(i) (&APR_ARRAY_IDX(hosts, (i), hsts_lint_host_t))

/* "test.conf:N" for a directive of host h: the host's <VirtualHost> is
 * at line (index + 1) * 10, HSTS at +1, Header directives from +2,
 * rules from +5. */
static const char *where_in(const hsts_lint_host_t *h, int offset)
{
    return apr_psprintf(pool, "test.conf:%d",
                        atoi(strchr(h->where, ':') + 1) + offset);
}

static char *untilde(const char *s)
{
    char *out = apr_pstrdup(pool, s), *c;

    for (c = out; *c; c++) {
        if (*c == '~') {
            *c = ' ';
        }
    }
    return out;
}

static apr_array_header_t *list_of(const char *csv)
{
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(const char *));
    char *copy = apr_pstrdup(pool, csv), *state, *w;

    for (w = apr_strtok(copy, ",", &state); w;
         w = apr_strtok(NULL, ",", &state)) {
        APR_ARRAY_PUSH(out, const char *) = w;
    }
    return out;
}

static apr_uint64_t max_age_of(const char *s)
{
    apr_size_t n = strlen(s);

    if (n && s[n - 1] == 'y') {
        return YEAR * (apr_uint64_t)apr_atoi64(s);
    }
    return (apr_uint64_t)apr_atoi64(s);
}

static void set_hsts(hsts_lint_host_t *h, const char *spec, int here)
{
    apr_array_header_t *parts = list_of(spec);
    int j;

    h->hsts = 1;
    h->hsts_explicit = here;
    h->policy_where = here ? where_in(h, 1) : NULL;
    h->policy.has_max_age = 1;
    h->policy.max_age = max_age_of(APR_ARRAY_IDX(parts, 0, const char *));
    for (j = 1; j < parts->nelts; j++) {
        const char *w = APR_ARRAY_IDX(parts, j, const char *);
        h->policy.include_subdomains |= !strcmp(w, "sub");
        h->policy.preload |= !strcmp(w, "preload");
    }
}

static void set_policy(hsts_lint_host_t *h, const char *text)
{
    apr_array_header_t *issues = apr_array_make(pool, 2,
                                                sizeof(hsts_issue_t));

    h->hsts = h->hsts_explicit = 1;
    h->policy_text = untilde(text);
    h->policy_where = where_in(h, 1);
    hsts_policy_parse(pool, h->policy_text, &h->policy, issues);
}

/* "[always-]action[@scope]=value" */
static int set_header(hsts_lint_host_t *h, const char *key, const char *value)
{
    hsts_header_rule_t r;
    const char *at = strchr(key, '@');
    char *action;

    memset(&r, 0, sizeof(r));
    r.always = !strncmp(key, "always-", 7);
    action = apr_pstrndup(pool, key + (r.always ? 7 : 0),
                          (apr_size_t)((at ? at : key + strlen(key)) - key)
                          - (r.always ? 7 : 0));
    r.scope = at ? at + 1 : "";
    r.root = !at || !strcmp(at + 1, "R");
    r.value = untilde(value);
    r.where = where_in(h, 2 + h->header_rules->nelts);
    if (!hsts_header_action_of(action, &r.action)) {
        return 0;
    }
    APR_ARRAY_PUSH(h->header_rules, hsts_header_rule_t) = r;
    return 1;
}

/* "Directive|arg|arg|arg" into rules. */
static void add_rule(const hsts_lint_host_t *h, apr_array_header_t **rules,
                     const char *spec, int in_location, int opaque)
{
    char *copy = untilde(spec), *state, *w;
    hsts_rule_t *r;
    int n = 0;

    if (!*rules) {
        *rules = apr_array_make(pool, 2, sizeof(hsts_rule_t));
    }
    r = apr_array_push(*rules);
    memset(r, 0, sizeof(*r));
    r->directive = apr_strtok(copy, "|", &state);
    if (!hsts_rule_kind_of(r->directive, &r->kind)) {
        printf("# unknown rule %s\n", r->directive);
        exit(2);
    }
    if (opaque) {
        r->kind = HSTS_RULE_OPAQUE;
    }
    while (n < 3 && (w = apr_strtok(NULL, "|", &state)) != NULL) {
        r->arg[n++] = w;
    }
    r->in_location = in_location;
    r->where = where_in(h, 4 + (*rules)->nelts);
}

static int add_host(const char *kind, const char *name)
{
    hsts_lint_host_t *h = apr_array_push(hosts);

    memset(h, 0, sizeof(*h));
    h->name = name;
    h->name_set = 1;
    h->is_main = !strncmp(kind, "main", 4);
    h->linted = !h->is_main || !strcmp(kind, "main!");
    h->is_tls = !strcmp(kind, "tls");
    h->where = apr_psprintf(pool, "test.conf:%d", hosts->nelts * 10);
    h->names = apr_array_make(pool, 1, sizeof(const char *));
    h->wild_names = apr_array_make(pool, 1, sizeof(const char *));
    h->addrs = apr_array_make(pool, 1, sizeof(const char *));
    h->header_rules = apr_array_make(pool, 1, sizeof(hsts_header_rule_t));
    h->cert_by_md = h->is_tls;
    h->port = h->is_tls ? 443 : 80;
    return hosts->nelts - 1;
}

static void set_option(hsts_lint_host_t *h, const char *w)
{
    const char *eq = strchr(w, '='), *v = eq ? eq + 1 : "";
    char *key = eq ? apr_pstrmemdup(pool, w, (apr_size_t)(eq - w))
                   : apr_pstrdup(pool, w);
    int j;

    if (!strcmp(key, "alias")) {
        apr_array_header_t *names = list_of(v);
        for (j = 0; j < names->nelts; j++) {
            const char *n = APR_ARRAY_IDX(names, j, const char *);
            APR_ARRAY_PUSH(strpbrk(n, "*?") ? h->wild_names : h->names,
                           const char *) = n;
        }
    }
    else if (!strcmp(key, "ssl")) {
        h->is_tls = h->cert_by_md = 1;
    }
    else if (!strcmp(key, "unnamed")) {
        h->name_set = 0;
    }
    else if (!strcmp(key, "port")) {
        h->port = (apr_port_t)atoi(v);
    }
    else if (!strcmp(key, "hsts") || !strcmp(key, "inherited")) {
        set_hsts(h, v, !strcmp(key, "hsts"));
    }
    else if (!strcmp(key, "policy")) {
        set_policy(h, v);
    }
    else if (!strcmp(key, "redirect") || !strcmp(key, "redirect-inherited")) {
        h->redirect = 1;
        h->redirect_explicit = !strcmp(key, "redirect");
    }
    else if (!strcmp(key, "redirect-port")) {
        h->redirect_port = (apr_port_t)atoi(v);
    }
    else if (!strcmp(key, "proxy")) {
        h->behind_proxy = 1;
    }
    else if (!strcmp(key, "rule") || !strcmp(key, "loc")
             || !strcmp(key, "opaque")) {
        add_rule(h, &h->rules, v, !strcmp(key, "loc"),
                 !strcmp(key, "opaque"));
    }
    else if (!strcmp(key, "cert") || !strcmp(key, "nocert")) {
        apr_array_header_t *files = list_of(v);
        h->cert_by_md = 0;
        h->cert_files = files->nelts ? apr_array_make(pool, 1,
                                                      sizeof(const char *))
                                     : NULL;
        for (j = 0; j < files->nelts; j++) {
            APR_ARRAY_PUSH(h->cert_files, const char *) =
                path_of(APR_ARRAY_IDX(files, j, const char *));
        }
    }
    else if (!strcmp(key, "md")) {
        h->md_names = list_of(v);
    }
    else if (!set_header(h, key, v)) {
        printf("# unknown option %s\n", w);
        exit(2);
    }
}

static void parse_line(char *line)
{
    char *state, *kind = apr_strtok(line, " ", &state), *w;
    hsts_lint_host_t *h;
    int i;

    if (!kind) {
        return;
    }
    if (!strcmp(kind, "listen")) {
        listens = apr_array_make(pool, 2, sizeof(const char *));
        while ((w = apr_strtok(NULL, " ", &state)) != NULL) {
            APR_ARRAY_PUSH(listens, const char *) = w;
        }
        return;
    }
    /* the array may move when it grows: index it after the push */
    i = add_host(kind, apr_strtok(NULL, " ", &state));
    h = H(i);
    while ((w = apr_strtok(NULL, " ", &state)) != NULL) {
        if (strchr("*[0123456789", w[0]) && strchr(w, ':')) {
            APR_ARRAY_PUSH(h->addrs, const char *) = w;
            if (h->addrs->nelts == 1 && !strstr(w, ":*")) {
                h->port = (apr_port_t)atoi(strrchr(w, ':') + 1);
            }
        }
        else {
            set_option(h, w);
        }
    }
}

static void configure(const char *config)
{
    char *copy = apr_pstrdup(pool, config), *state, *line;

    hosts = apr_array_make(pool, 4, sizeof(hsts_lint_host_t));
    listens = NULL;
    for (line = apr_strtok(copy, "\n", &state); line;
         line = apr_strtok(NULL, "\n", &state)) {
        parse_line(line);
    }
}

/* ------------------------------------------------------------------ */
/* Running the lint and reading what it says                            */

static int alias_match(const char *pattern, const char *name)
{
    return apr_fnmatch(pattern, name, APR_FNM_CASE_BLIND) == APR_SUCCESS;
}

/* POSIX extended regular expressions stand in for httpd's PCRE. */
static int regex_match(void *ctx, apr_pool_t *p, const char *pattern,
                       int icase, const char *subject, const char **groups)
{
    regmatch_t m[10];
    regex_t re;
    int i, rc;

    (void)ctx;
    if (regcomp(&re, pattern, REG_EXTENDED | (icase ? REG_ICASE : 0))) {
        return -1;
    }
    rc = regexec(&re, subject, 10, m, 0);
    for (i = 0; rc == 0 && i < 10; i++) {
        groups[i] = m[i].rm_so < 0 ? NULL
                    : apr_pstrmemdup(p, subject + m[i].rm_so,
                                     (apr_size_t)(m[i].rm_eo - m[i].rm_so));
    }
    regfree(&re);
    return rc == 0;
}

static void input(hsts_lint_input_t *in)
{
    memset(in, 0, sizeof(*in));
    in->hosts = hosts;
    in->listens = listens;
    in->psl = psl;
    in->match = alias_match;
    in->regex = regex_match;
    in->certs = hsts_cert_store_make(pool, NULL);
    in->now = apr_time_from_sec(NOW);
}

/* What the run logged of a host: a finding, or its summary (code NULL),
 * in the order the glue logs them. */
typedef struct {
    int host;
    hsts_severity_e severity;
    const char *code;
    const char *message;
} entry_t;

static apr_array_header_t *entries;   /* entry_t, of the last run */

static void lint(void)
{
    hsts_lint_input_t in;
    hsts_lint_result_t out;
    const hsts_finding_t *f;
    const hsts_verdict_t *v;
    int i = 0, j = 0;

    input(&in);
    hsts_lint_run(pool, &in, &out);
    f = (const hsts_finding_t *)out.findings->elts;
    v = (const hsts_verdict_t *)out.verdicts->elts;
    entries = apr_array_make(pool, 4, sizeof(entry_t));
    while (i < out.findings->nelts || j < out.verdicts->nelts) {
        entry_t *e = apr_array_push(entries);
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

/* Everything the run logged: "host/S:code ..." (S: E, W, I; code "-"
 * for a summary line). */
static const char *all(void)
{
    const entry_t *e = (const entry_t *)entries->elts;
    const char *s = "";
    int j;

    for (j = 0; j < entries->nelts; j++) {
        s = apr_psprintf(pool, "%s%s%d/%c:%s", s, *s ? " " : "", e[j].host,
                         severity_letter(e[j].severity),
                         e[j].code ? e[j].code : "-");
    }
    return s;
}

/* How many entries match "host/S:code" (or "!code": with that code on any
 * host, any class). */
static int count(const char *item)
{
    const entry_t *e = (const entry_t *)entries->elts;
    int j, n = 0;

    for (j = 0; j < entries->nelts; j++) {
        const char *code = e[j].code ? e[j].code : "-";
        if (item[0] == '!' ? !strcmp(code, item + 1)
            : !strcmp(item, apr_psprintf(pool, "%d/%c:%s", e[j].host,
                                         severity_letter(e[j].severity), code))) {
            n++;
        }
    }
    return n;
}

/*
 * want: "= ITEM..." (exactly what all() gives), or items that must each
 * be there once ("1/E:code"; "1/E:code*2" twice), and "!code": on no
 * host. Returns the items that do not hold.
 */
static const char *unmet(const char *want)
{
    char *copy = apr_pstrdup(pool, want), *state, *w;
    const char *bad = "";

    if (want[0] == '=') {
        const char *exact = want[1] == ' ' ? want + 2 : want + 1;
        return strcmp(all(), exact) ? exact : "";
    }
    for (w = apr_strtok(copy, " ", &state); w;
         w = apr_strtok(NULL, " ", &state)) {
        char *star = strchr(w, '*');
        int n = 1;
        if (star && w[0] != '!') {
            *star = '\0';
            n = atoi(star + 1);
        }
        if (count(w) != (w[0] == '!' ? 0 : n)) {
            bad = apr_pstrcat(pool, bad, " ", w, NULL);
        }
    }
    return bad;
}

/* says: lines "HOST CODE TEXT": host's first entry with CODE ("-": its
 * summary) contains TEXT. Returns the lines that do not hold. */
static const char *unsaid(const char *says)
{
    char *copy = apr_pstrdup(pool, says ? says : ""), *state, *line;
    const char *bad = "";

    for (line = apr_strtok(copy, "\n", &state); line;
         line = apr_strtok(NULL, "\n", &state)) {
        const entry_t *e = (const entry_t *)entries->elts;
        char *code = strchr(line, ' '), *text;
        int host = atoi(line), j, found = 0;
        text = code ? strchr(code + 1, ' ') : NULL;
        if (!text) {
            return line;
        }
        *text++ = '\0';
        code++;
        for (j = 0; j < entries->nelts && !found; j++) {
            if (e[j].host == host && !strcmp(e[j].code ? e[j].code : "-",
                                             code)) {
                found = 1;
                if (!strstr(e[j].message, text)) {
                    bad = apr_psprintf(pool, "%s\n#   %d %s: '%s' lacks '%s'",
                                       bad, host, code, e[j].message, text);
                }
            }
        }
        if (!found) {
            bad = apr_psprintf(pool, "%s\n#   %d %s: none", bad, host, code);
        }
    }
    return bad;
}

/* ------------------------------------------------------------------ */
/* The host sets                                                        */

typedef struct {
    const char *name;               /* what the case shows */
    const char *config;             /* the hosts */
    const char *want;               /* see unmet() */
    const char *says;               /* see unsaid(), or NULL */
} lint_case_t;

#define MAIN "main localhost\n"
#define PLAIN "plain example.com *:80 alias=www.example.com "
#define TLS "tls example.com *:443 alias=www.example.com "
#define PRELOAD "hsts=1y,sub,preload"
/* main server listening nowhere, plain host with HSTSRedirect, TLS host
 * with a preloadable policy */
#define COMPLIANT MAIN PLAIN "redirect\n" TLS PRELOAD "\n"

static const lint_case_t lint_cases[] = {
    /* ---- a compliant preload setup ---------------------------------- */
    { "compliant preload setup: one summary line, nothing else", COMPLIANT,
      "= 2/I:-",
      "2 - sends \"max-age=31536000; includeSubDomains; preload\" and meets "
      "every preload requirement this server can check." },
    { "compliant with max-age 2y",
      MAIN PLAIN "redirect\n" TLS "hsts=2y,sub,preload", "= 2/I:-", NULL },
    { "compliant with HSTS and HSTSRedirect inherited",
      MAIN PLAIN "redirect-inherited\n" TLS "inherited=1y,sub,preload",
      "= 2/I:-", NULL },
    { "no plain HTTP at all: the checker's warning, does_not_exist",
      MAIN TLS PRELOAD, "= 1/W:redirects.http.does_not_exist 1/I:-",
      "1 redirects.http.does_not_exist Nothing here answers "
      "http://example.com/ on port 80\n"
      "1 - meets every preload requirement" },

    /* ---- header.parse.* and header.preloadable.* --------------------- */
    { "HSTSPolicy with an unknown directive: a header.parse warning",
      "tls example.com *:443 policy=max-age=31536000;~foo",
      "= 0/W:header.parse.unknown_directive 0/I:-",
      "0 header.parse.unknown_directive HSTSPolicy at test.conf:11" },
    { "a clean HSTSPolicy: no header.parse finding",
      "tls example.com *:443 policy=max-age=31536000", "= 0/I:-", NULL },
    { "HSTSPolicy with a leading zero and an empty directive",
      "tls example.com *:443 policy=max-age=031536000;;includeSubDomains",
      "= 0/W:header.parse.max_age.leading_zero "
      "0/W:header.parse.empty_directive 0/I:-", NULL },
    { "mod_headers value max-age=abc: non_digit_characters, an error",
      "tls example.com *:443 always-set=max-age=abc",
      "0/E:header.parse.max_age.non_digit_characters",
      "0 header.parse.max_age.non_digit_characters Header directive at "
      "test.conf:12" },
    { "mod_headers value max-age=300, always: clean",
      "tls example.com *:443 always-set=max-age=300", "= 0/I:-", NULL },
    { "preload without includeSubDomains: include_sub_domains.missing",
      "tls example.com *:443 hsts=1y,preload",
      "0/E:header.preloadable.include_sub_domains.missing", NULL },
    { "preload with includeSubDomains: not missing",
      "tls example.com *:443 hsts=1y,sub,preload",
      "!header.preloadable.include_sub_domains.missing", NULL },
    { "no preload, no includeSubDomains: nothing to say",
      "tls example.com *:443 hsts=1y", "= 0/I:-", NULL },
    { "mod_headers value with preload, no max-age: max_age.missing",
      "tls example.com *:443 always-set=includeSubDomains;~preload",
      "0/E:header.preloadable.max_age.missing", NULL },
    { "mod_headers value with preload and max-age: not missing",
      "tls example.com *:443 "
      "always-set=max-age=31536000;~includeSubDomains;~preload",
      "!header.preloadable.max_age.missing", NULL },
    { "no max-age and no preload: not a preload finding",
      "tls example.com *:443 always-set=includeSubDomains",
      "!header.preloadable.max_age.missing", NULL },
    { "preload with max-age=0: max_age.zero, not also below_1_year",
      "tls example.com *:443 hsts=0,sub,preload",
      "0/E:header.preloadable.max_age.zero "
      "!header.preloadable.max_age.below_1_year", NULL },
    { "max-age=0 without preload: no max_age.zero",
      "tls example.com *:443 hsts=0,sub",
      "!header.preloadable.max_age.zero", NULL },
    { "preload with max-age=31535999: below_1_year",
      "tls example.com *:443 hsts=31535999,sub,preload",
      "0/E:header.preloadable.max_age.below_1_year",
      "0 header.preloadable.max_age.below_1_year but it is 31535999" },
    { "preload with max-age=31536000: not below_1_year",
      "tls example.com *:443 hsts=31536000,sub,preload",
      "!header.preloadable.max_age.below_1_year", NULL },
    { "max-age=300 without preload: no below_1_year",
      "tls example.com *:443 hsts=300,sub",
      "!header.preloadable.max_age.below_1_year", NULL },
    { "mod_headers value with preload and max-age=300: below_1_year",
      "tls example.com *:443 "
      "always-set=max-age=300;~includeSubDomains;~preload",
      "0/E:header.preloadable.max_age.below_1_year", NULL },
    { "max-age=315360001 without preload: over_10_years, a warning",
      "tls example.com *:443 hsts=315360001",
      "= 0/W:header.preloadable.max_age.over_10_years 0/I:-", NULL },
    { "max-age=315360000: not over 10 years",
      "tls example.com *:443 hsts=315360000", "= 0/I:-", NULL },
    { "mod_headers value over 10 years: over_10_years",
      "tls example.com *:443 always-set=max-age=400000000",
      "0/W:header.preloadable.max_age.over_10_years", NULL },

    /* ---- http://H/: redirects.http.* --------------------------------- */
    { "the plain host naming H does not redirect: no_redirect, an error",
      MAIN PLAIN "\n" TLS PRELOAD,
      "= 2/E:redirects.http.no_redirect 2/I:-",
      "2 redirects.http.no_redirect The plain-HTTP host example.com:80 "
      "answers http://example.com/ without a redirect to HTTPS\n"
      "2 redirects.http.no_redirect Set HSTSRedirect On in that host "
      "(test.conf:20)\n"
      "2 - preloading is blocked by: redirects.http.no_redirect." },
    { "a plain host naming H by a pattern, no redirect: no_redirect",
      MAIN "plain plain.example.org *:80 alias=*.example.com,example.c?m\n"
      TLS PRELOAD, "2/E:redirects.http.no_redirect",
      "2 redirects.http.no_redirect The plain-HTTP host plain.example.org:80 "
      "answers" },
    { "no plain host names H: the default host of port 80 answers",
      MAIN "plain default.example.org *:80\n" TLS PRELOAD,
      "2/E:redirects.http.no_redirect",
      "2 redirects.http.no_redirect The default plain-HTTP host of port 80, "
      "default.example.org:80, answers http://example.com/" },
    { "the default plain host redirects H to its own name: "
      "first_redirect.insecure",
      MAIN "plain static.example.com *:80 redirect\n"
      "plain other.example.org *:80\n" TLS PRELOAD,
      "3/E:redirects.http.first_redirect.insecure "
      "!redirects.http.no_redirect",
      "3 redirects.http.first_redirect.insecure The default plain-HTTP host "
      "of port 80, static.example.com:80, answers http://example.com/ with "
      "HSTSRedirect, which sends it to its own name "
      "(\"https://static.example.com/\")\n"
      "3 redirects.http.first_redirect.insecure Add ServerAlias example.com "
      "to static.example.com:80 (test.conf:20)" },
    { "... it names H too: a same-host redirect, clean",
      MAIN "plain static.example.com *:80 alias=example.com redirect\n"
      TLS PRELOAD, "= 2/I:-", NULL },
    { "a later host on port 80 names H and redirects: clean",
      MAIN "plain default.example.org *:80\n" PLAIN "redirect\n" TLS PRELOAD,
      "= 3/I:-", NULL },
    { "IP-based: the plain host on H's address redirects, clean",
      MAIN "plain default.example.org *:80\n"
      "plain example.com 192.0.2.1:80 alias=www.example.com redirect\n"
      "tls example.com 192.0.2.1:443 alias=www.example.com " PRELOAD,
      "= 3/I:-", NULL },
    { "IPv6: clean",
      "plain example.com [2001:db8::1]:80 alias=www.example.com redirect\n"
      "tls example.com [2001:db8::1]:443 alias=www.example.com " PRELOAD,
      "= 1/I:-", NULL },
    { "a *:* plain host answers port 80, the *:443 host port 443: clean",
      "plain example.com *:* alias=www.example.com redirect\n" TLS PRELOAD,
      "= 1/I:-", NULL },
    { "no preload: no redirect required",
      MAIN PLAIN "\n" TLS "hsts=1y,sub", "= 2/I:-", NULL },
    { "the main server named H listens nowhere: it answers nothing",
      "main example.com\n" PLAIN "redirect\n" TLS PRELOAD, "= 2/I:-", NULL },
    { "TLS hosts only, the main server named H listens nowhere",
      "main example.com\n" TLS PRELOAD,
      "= 1/W:redirects.http.does_not_exist 1/I:-", NULL },
    { "the main server answers port 80 (no virtual host there)",
      MAIN TLS PRELOAD "\nlisten *:80 *:443",
      "1/E:redirects.http.no_redirect",
      "1 redirects.http.no_redirect The default plain-HTTP host of port 80, "
      "localhost:80, answers" },
    { "the main server answers port 8080 only: port 80 decides, clean",
      COMPLIANT "listen *:80 *:443 *:8080", "= 2/I:-", NULL },
    { "nothing listens on port 80, a default host on 8080 not naming H: "
      "does_not_exist, not no_redirect",
      MAIN "plain other.example.org *:8080\n" TLS PRELOAD,
      "2/W:redirects.http.does_not_exist !redirects.http.no_redirect", NULL },
    { "the main server alone, plain, HSTSRedirect: no finding",
      "main! example.com redirect\nlisten *:80", "=", NULL },
    { "Redirect permanent / https://H/: a same-host redirect, clean",
      MAIN PLAIN "rule=Redirect|permanent|/|https://example.com/\n"
      TLS PRELOAD, "= 2/I:-", NULL },
    { "Redirect only for /app: / is served, no_redirect",
      MAIN PLAIN "rule=Redirect|permanent|/app|https://example.com/app\n"
      TLS PRELOAD, "2/E:redirects.http.no_redirect", NULL },
    { "RedirectMatch ^/(.*)$ https://H/$1: clean",
      MAIN PLAIN "rule=RedirectMatch|permanent|^/(.*)$|https://example.com/$1\n"
      TLS PRELOAD, "= 2/I:-", NULL },
    { "certbot's RewriteRule: clean",
      MAIN PLAIN "rule=RewriteCond|%{SERVER_NAME}|=example.com|[OR] "
      "rule=RewriteCond|%{SERVER_NAME}|=www.example.com "
      "rule=RewriteRule|^|https://%{SERVER_NAME}%{REQUEST_URI}|"
      "[END,NE,R=permanent]\n" TLS PRELOAD, "= 2/I:-", NULL },
    { "certbot's RewriteRule without H in its conditions: no_redirect",
      MAIN PLAIN "rule=RewriteCond|%{SERVER_NAME}|=www.example.com "
      "rule=RewriteRule|^|https://%{SERVER_NAME}%{REQUEST_URI}|"
      "[END,NE,R=permanent]\n" TLS PRELOAD,
      "2/E:redirects.http.no_redirect", NULL },
    { "RewriteCond %{HTTPS} off, https://%{HTTP_HOST}: clean",
      MAIN PLAIN "rule=RewriteCond|%{HTTPS}|off "
      "rule=RewriteRule|^(.*)$|https://%{HTTP_HOST}%{REQUEST_URI}|[L,R=301]\n"
      TLS PRELOAD, "= 2/I:-", NULL },
    { "Redirect in <Location \"/\">: clean",
      MAIN PLAIN "loc=Redirect|permanent|https://%{HTTP_HOST}/\n" TLS PRELOAD,
      "= 2/I:-", NULL },
    { "HSTSRedirect answers before a RewriteRule: clean",
      MAIN PLAIN "redirect rule=RewriteRule|^|-|[F]\n" TLS PRELOAD,
      "= 2/I:-", NULL },
    { "a RewriteRule [F]: no_redirect, naming the rule",
      MAIN PLAIN "rule=RewriteRule|^|-|[F]\n" TLS PRELOAD,
      "2/E:redirects.http.no_redirect",
      "2 redirects.http.no_redirect (by the RewriteRule at test.conf:25)" },
    { "a redirect to www first: www_first",
      MAIN PLAIN "rule=Redirect|permanent|/|https://www.example.com/\n"
      TLS PRELOAD,
      "2/E:redirects.http.www_first !redirects.http.no_redirect",
      "2 redirects.http.www_first The first redirect of http://example.com/ "
      "goes to \"https://www.example.com/\" (by the Redirect at "
      "test.conf:25)" },
    { "a redirect to http://www first: www_first too",
      MAIN PLAIN "rule=Redirect|permanent|/|http://www.example.com/\n"
      TLS PRELOAD, "2/E:redirects.http.www_first", NULL },
    { "a redirect to another host: first_redirect.insecure",
      MAIN PLAIN "rule=Redirect|permanent|/|https://shop.example.net/\n"
      TLS PRELOAD, "2/E:redirects.http.first_redirect.insecure",
      "2 redirects.http.first_redirect.insecure \"https://shop.example.net/\" "
      "(by the Redirect at test.conf:25), another host" },
    { "a redirect to plain HTTP on H: first_redirect.insecure",
      MAIN PLAIN "rule=Redirect|permanent|/|http://example.com/x\n"
      TLS PRELOAD, "2/E:redirects.http.first_redirect.insecure",
      "2 redirects.http.first_redirect.insecure which is plain HTTP" },
    { "a condition the lint cannot evaluate: undecidable, an info",
      MAIN PLAIN "rule=RewriteCond|%{REMOTE_ADDR}|!^10\\. "
      "rule=RewriteRule|^|https://example.com/|[R=301,L]\n" TLS PRELOAD,
      "= 2/I:redirects.http.undecidable 2/I:-",
      "2 redirects.http.undecidable The answer of example.com:80 to "
      "http://example.com/ is decided by the RewriteRule at test.conf:26\n"
      "2 - meets every preload requirement" },
    { "a redirect rule in a <Directory>: undecidable",
      MAIN PLAIN "opaque=RewriteRule\n" TLS PRELOAD,
      "= 2/I:redirects.http.undecidable 2/I:-", NULL },
    { "ProxyPass /: a backend answers, undecidable",
      MAIN PLAIN "rule=ProxyPass|/|http://127.0.0.1:8000/\n" TLS PRELOAD,
      "2/I:redirects.http.undecidable", NULL },
    { "ProxyPass /app: / is served here, no_redirect",
      MAIN PLAIN "rule=ProxyPass|/app|http://127.0.0.1:8000/\n" TLS PRELOAD,
      "2/E:redirects.http.no_redirect", NULL },

    /* ---- https://H/ on port 443: domain.tls.cannot_connect ------------ */
    { "HTTPS only on port 8443: cannot_connect, and nothing after it",
      PLAIN "redirect\ntls example.com *:8443 alias=www.example.com " PRELOAD,
      "= 1/E:domain.tls.cannot_connect 1/I:-",
      "1 domain.tls.cannot_connect Nothing here answers https://example.com/ "
      "on port 443\n"
      "1 domain.tls.cannot_connect set HSTSRedirectPort 443" },
    { "HTTPS on 443 and 8443: clean",
      PLAIN "redirect\n"
      "tls example.com *:443 *:8443 alias=www.example.com " PRELOAD,
      "= 1/I:-", NULL },
    { "HTTPS on 8443 with HSTSRedirectPort 443 (a port mapping): clean",
      PLAIN "redirect redirect-port=443\n"
      "tls example.com *:8443 alias=www.example.com " PRELOAD,
      "= 1/I:-", NULL },
    { "a container: plain 8080 and TLS 8443 with HSTSRedirectPort 443",
      "plain example.com *:8080 alias=www.example.com redirect "
      "redirect-port=443\n"
      "tls example.com *:8443 alias=www.example.com " PRELOAD,
      "= 1/I:-", NULL },
    { "... without HSTSRedirectPort: cannot_connect, nondefault_port",
      "plain example.com *:8080 alias=www.example.com redirect\n"
      "tls example.com *:8443 alias=www.example.com " PRELOAD,
      "= 1/E:domain.tls.cannot_connect 1/W:config.http.nondefault_port "
      "1/I:-", NULL },
    { "HSTSRedirectPort 8443, TLS on 443 and 8443: clean",
      PLAIN "redirect redirect-port=8443\n"
      "tls example.com *:443 *:8443 alias=www.example.com " PRELOAD,
      "= 1/I:-", NULL },
    { "HSTSRedirectPort 8443, TLS on 443 only: cannot_connect",
      PLAIN "redirect redirect-port=8443\n" TLS PRELOAD,
      "1/E:domain.tls.cannot_connect",
      "1 domain.tls.cannot_connect The redirect of http://example.com/ goes "
      "to \"https://example.com:8443/\" (by HSTSRedirect in example.com:80), "
      "but nothing here serves example.com over TLS on port 8443" },
    { "no Listen 443: cannot_connect",
      PLAIN "redirect\n" TLS PRELOAD "\nlisten *:80",
      "1/E:domain.tls.cannot_connect", NULL },
    { "a plain host on port 443 first: cannot_connect",
      PLAIN "redirect\nplain other.example.org *:443\n" TLS PRELOAD,
      "2/E:domain.tls.cannot_connect",
      "2 domain.tls.cannot_connect Port 443 speaks plain HTTP where "
      "https://example.com/ arrives (its default host other.example.org:443 "
      "has no SSLEngine on)" },
    { "H on 8443, the default host of 443 covers H: it answers https://H/ "
      "and sends no header",
      PLAIN "redirect\ntls default.example.org *:443 cert=wild.crt\n"
      "tls example.com *:8443 alias=www.example.com cert=wild.crt " PRELOAD,
      "2/E:response.no_header !domain.tls.cannot_connect",
      "2 response.no_header The host answering https://example.com/ is "
      "default.example.org:443, which sends no Strict-Transport-Security" },
    { "... its certificate does not cover H: cannot_connect",
      PLAIN "redirect\ntls default.example.org *:443 cert=other.crt\n"
      "tls example.com *:8443 alias=www.example.com cert=wild.crt " PRELOAD,
      "2/E:domain.tls.cannot_connect",
      "2 domain.tls.cannot_connect on port 443 is default.example.org:443, "
      "whose certificate does not cover example.com" },

    /* ---- https://H/: response.no_header, redirects.insecure.initial -- */
    { "Header set without always, and / redirects: no_header",
      MAIN PLAIN "redirect\n"
      "tls example.com *:443 "
      "set=max-age=31536000;~includeSubDomains;~preload "
      "rule=Redirect|permanent|/|https://www.example.com/\n"
      "tls www.example.com *:443 always-set=max-age=31536000",
      "2/E:response.no_header 2/W:config.header.not_always",
      "2 response.no_header The answer to https://example.com/ is a redirect "
      "(by the Redirect at test.conf:35) without Strict-Transport-Security\n"
      "2 response.no_header (Header at test.conf:32, without always)\n"
      "2 - blocked by: response.no_header" },
    { "... with always: clean of it",
      MAIN PLAIN "redirect\n"
      "tls example.com *:443 "
      "always-set=max-age=31536000;~includeSubDomains;~preload "
      "rule=Redirect|permanent|/|https://www.example.com/\n"
      "tls www.example.com *:443 always-set=max-age=31536000",
      "!response.no_header", NULL },
    { "... without always, but / is content: not_always only",
      MAIN PLAIN "redirect\n"
      "tls example.com *:443 alias=www.example.com "
      "set=max-age=31536000;~includeSubDomains;~preload",
      "= 2/W:config.header.not_always 2/I:-", NULL },
    { "... with HSTS On: clean",
      MAIN PLAIN "redirect\n"
      "tls example.com *:443 " PRELOAD " "
      "rule=Redirect|permanent|/|https://www.example.com/\n"
      "tls www.example.com *:443 hsts=1y,sub", "= 2/I:- 3/I:-", NULL },
    { "... the rule without always is in another section: not known",
      MAIN PLAIN "redirect\n"
      "tls example.com *:443 "
      "set@3=max-age=31536000;~includeSubDomains;~preload "
      "rule=Redirect|permanent|/|https://www.example.com/\n"
      "tls www.example.com *:443 hsts=1y,sub", "!response.no_header", NULL },
    { "https://H/ redirects to http://: insecure.initial",
      MAIN PLAIN "redirect\n"
      "tls example.com *:443 " PRELOAD " "
      "rule=Redirect|permanent|/|http://www.example.com/\n"
      "tls www.example.com *:443 hsts=1y,sub",
      "2/E:redirects.insecure.initial",
      "2 redirects.insecure.initial The answer to https://example.com/ is a "
      "redirect to \"http://www.example.com/\" (by the Redirect at "
      "test.conf:35)" },
    { "... to https://: clean",
      MAIN PLAIN "redirect\n"
      "tls example.com *:443 " PRELOAD " "
      "rule=RewriteRule|^/$|https://www.example.com/|[R=301,L]\n"
      "tls www.example.com *:443 hsts=1y,sub", "= 2/I:- 3/I:-", NULL },

    /* ---- domain.* ----------------------------------------------------- */
    { "an IPv4 address as ServerName with preload: is_ip_address, an error "
      "that stops the rest",
      "tls 192.0.2.1 *:443 " PRELOAD,
      "= 0/E:domain.format.is_ip_address 0/I:-",
      "0 - blocked by: domain.format.is_ip_address" },
    { "... without preload: a warning",
      "tls 192.0.2.1 *:443 hsts=1y,sub",
      "= 0/W:domain.format.is_ip_address 0/I:-", NULL },
    { "an IPv6 literal: is_ip_address",
      "tls [2001:db8::1] *:443 hsts=1y",
      "0/W:domain.format.is_ip_address", NULL },
    { "a DNS name that starts like an address: no is_ip_address",
      "tls 192.0.2.1.example.com *:443 hsts=1y",
      "!domain.format.is_ip_address", NULL },
    { "an IP-named TLS host without HSTS: nothing", "tls 192.0.2.1 *:443",
      "=", NULL },
    { "an IP-named plain host: nothing",
      "plain 192.0.2.1 *:80 inherited=1y", "=", NULL },
    { "preload on co.uk: public_suffix, which stops the rest",
      "tls co.uk *:443 " PRELOAD,
      "= 0/E:domain.format.public_suffix 0/I:-", NULL },
    { "preload on example.co.uk: no public_suffix",
      "tls example.co.uk *:443 " PRELOAD,
      "!domain.format.public_suffix !domain.is_subdomain", NULL },
    { "co.uk without preload: no public_suffix",
      "tls co.uk *:443 hsts=1y,sub", "!domain.format.public_suffix", NULL },
    { "preload on www.example.com alone: is_subdomain, and no www check",
      "tls www.example.com *:443 " PRELOAD,
      "0/E:domain.is_subdomain !domain.www.unverified",
      "0 domain.is_subdomain only a registrable domain (here example.com)" },
    { "preload on a.example.co.uk: is_subdomain",
      "tls a.example.co.uk *:443 " PRELOAD, "0/E:domain.is_subdomain", NULL },
    { "www.example.com without preload: no is_subdomain",
      "tls www.example.com *:443 hsts=1y,sub", "!domain.is_subdomain", NULL },
    { "preload from mod_headers on a subdomain: is_subdomain",
      "tls www.example.com *:443 "
      "always-set=max-age=31536000;~includeSubDomains;~preload",
      "0/E:domain.is_subdomain", NULL },
    { "the apex preloaded here, www repeating the token: no is_subdomain",
      MAIN PLAIN "redirect-inherited\n"
      "tls example.com *:443 inherited=1y,sub,preload "
      "rule=Redirect|permanent|/|https://www.example.com/\n"
      "tls www.example.com *:443 inherited=1y,sub,preload",
      "= 2/I:- 3/I:-",
      "3 - meets every preload requirement" },
    { "... only www has preload: is_subdomain",
      MAIN PLAIN "redirect-inherited\n"
      "tls example.com *:443 inherited=1y,sub "
      "rule=Redirect|permanent|/|https://www.example.com/\n"
      "tls www.example.com *:443 inherited=1y,sub,preload",
      "3/E:domain.is_subdomain", NULL },
    { "the apex preloaded here, plain www redirects to the apex: the "
      "checker never probes www, no finding for it",
      MAIN "plain example.com *:80 redirect\n"
      "plain www.example.com *:80 "
      "rule=Redirect|permanent|/|https://example.com/\n"
      TLS "inherited=1y,sub,preload\n"
      "tls www.example.com *:443 inherited=1y,sub,preload",
      "= 3/I:- 4/I:-", NULL },

    /* ---- www.H -------------------------------------------------------- */
    { "www.H named by a plain host, no certificate covers it: no_tls",
      MAIN PLAIN "redirect\ntls example.com *:443 " PRELOAD,
      "= 2/E:domain.www.no_tls 2/I:-",
      "2 domain.www.no_tls The name www.example.com exists (example.com:80 "
      "names it, test.conf:20), but on port 443 it is answered by example.com:443, "
      "whose certificate does not cover it" },
    { "... the TLS host names www.H: clean", COMPLIANT, "= 2/I:-", NULL },
    { "... a TLS catch-all for another name answers www.H: no_tls",
      MAIN PLAIN "redirect\ntls catchall.example.org *:443\n"
      "tls example.com *:443 " PRELOAD, "3/E:domain.www.no_tls",
      "3 domain.www.no_tls answered by catchall.example.org:443" },
    { "... a pattern of the TLS host matches www.H: clean",
      MAIN PLAIN "redirect\ntls catchall.example.org *:443\n"
      "tls example.com *:443 alias=*.example.com " PRELOAD, "= 3/I:-", NULL },
    { "... www.H has a TLS host of its own: clean",
      MAIN PLAIN "redirect\ntls example.com *:443 " PRELOAD "\n"
      "tls www.example.com *:443 hsts=1y,sub", "= 2/I:- 3/I:-", NULL },
    { "www.H named nowhere, the certificate does not cover it: unverified, "
      "a warning",
      MAIN "plain example.com *:80 redirect\ntls example.com *:443 " PRELOAD,
      "= 2/W:domain.www.unverified 2/I:-",
      "2 domain.www.unverified No virtual host names www.example.com, and on "
      "port 443 the default host example.com:443 answers it\n"
      "2 - meets every preload requirement" },
    { "www.H named nowhere, the default host's certificate covers it: clean",
      MAIN "plain example.com *:80 redirect\n"
      "tls example.com *:443 cert=good.crt " PRELOAD, "= 2/I:-", NULL },
    { "www.H named nowhere, mod_md's domain covers it: clean",
      MAIN "plain example.com *:80 redirect\n"
      "tls example.com *:443 md=example.com,www.example.com " PRELOAD,
      "= 2/I:-", NULL },
    { "no preload: no www check",
      MAIN PLAIN "redirect\ntls example.com *:443 hsts=1y,sub",
      "!domain.www.no_tls !domain.www.unverified", NULL },
    { "the TLS host names www.H, its certificate does not cover it: "
      "name_mismatch and no_tls",
      MAIN PLAIN "redirect\n" TLS "cert=apex.crt " PRELOAD,
      "2/E:tls.cert.name_mismatch 2/E:domain.www.no_tls", NULL },

    /* ---- subdomains.http_only ----------------------------------------- */
    { "includeSubDomains, a plain host names sub.H, no redirect: http_only",
      MAIN "tls example.com *:443 hsts=1y,sub\nplain app.example.com *:80",
      "1/E:subdomains.http_only",
      "1 subdomains.http_only app.example.com is served only over plain HTTP "
      "here (by app.example.com:80, test.conf:30)" },
    { "... without includeSubDomains: none",
      MAIN "tls example.com *:443 hsts=1y\nplain app.example.com *:80",
      "!subdomains.http_only", NULL },
    { "... sub.H redirects: none",
      MAIN "tls example.com *:443 hsts=1y,sub\n"
      "plain app.example.com *:80 redirect", "!subdomains.http_only", NULL },
    { "... a TLS host serves sub.H: none",
      MAIN "tls example.com *:443 hsts=1y,sub\nplain app.example.com *:80\n"
      "tls app.example.com *:443", "!subdomains.http_only", NULL },
    { "badexample.com is not below example.com",
      MAIN "tls example.com *:443 hsts=1y,sub\nplain badexample.com *:80",
      "!subdomains.http_only", NULL },
    { "sub.H as an alias, includeSubDomains from mod_headers: http_only",
      MAIN "tls example.com *:443 "
      "always-set=max-age=31536000;~includeSubDomains\n"
      "plain static.example.org *:80 alias=img.example.com",
      "1/E:subdomains.http_only",
      "1 subdomains.http_only img.example.com is served\n"
      "1 subdomains.http_only by static.example.org:80" },
    { "sub.H reached only through a default host: none",
      MAIN "tls example.com *:443 hsts=1y,sub\n"
      "plain default.example.org *:8080\nplain app.example.com *:80 redirect",
      "!subdomains.http_only", NULL },
    { "a default host whose ServerName is inherited (not named): none",
      "main host1.example.com\nplain host1.example.com *:80 unnamed\n"
      PLAIN "redirect\n" TLS PRELOAD, "= 3/I:-", NULL },
    { "... the same name given in the host: http_only",
      "main host1.example.com\nplain host1.example.com *:80\n"
      PLAIN "redirect\n" TLS PRELOAD, "3/E:subdomains.http_only", NULL },
    { "a pattern below H does not name a subdomain: none",
      MAIN "tls example.com *:443 hsts=1y,sub\n"
      "plain x.example.org *:80 alias=*.example.com",
      "!subdomains.http_only", NULL },
    { "sub.H on a port nothing listens on: none",
      MAIN "tls example.com *:443 hsts=1y,sub\nplain app.example.com *:80\n"
      "listen *:443", "!subdomains.http_only", NULL },

    /* ---- response.no_header from HSTSRedirect ------------------------- */
    { "HSTSRedirect to a TLS host without STS: no_header, for the plain host",
      MAIN PLAIN "redirect\n" TLS,
      "= 1/E:response.no_header",
      "1 response.no_header HSTSRedirect sends http://example.com/ to HTTPS, "
      "where the TLS host example.com:443 (test.conf:30) sends no "
      "Strict-Transport-Security" },
    { "... the TLS host sends STS with mod_headers: none",
      MAIN PLAIN "redirect\n" TLS "always-set=max-age=31536000",
      "!response.no_header", NULL },
    { "... no HSTSRedirect: none", MAIN PLAIN "\n" TLS, "=", NULL },
    { "... HSTSRedirect inherited: no_header",
      MAIN PLAIN "redirect-inherited\n" TLS, "1/E:response.no_header", NULL },
    { "... only a TLS catch-all for another name: it does not serve the "
      "name, none",
      MAIN "plain app.example.com *:80 redirect\n"
      "tls catchall.example.com *:443", "!response.no_header", NULL },
    { "... a TLS host naming it by alias: no_header",
      MAIN "plain app.example.com *:80 redirect\n"
      "tls catchall.example.com *:443 alias=app.example.com",
      "1/E:response.no_header",
      "1 response.no_header catchall.example.com:443" },
    { "... an alias of the plain host has a TLS host without STS",
      MAIN "plain example.com *:80 alias=app.example.com redirect\n"
      "tls example.com *:443 hsts=1y\ntls app.example.com *:443",
      "1/E:response.no_header", "1 response.no_header app.example.com:443" },

    /* ---- config.http.nondefault_port ---------------------------------- */
    { "plain 8080 names H and sends clients to 8443: nondefault_port",
      MAIN PLAIN "redirect\n"
      "tls example.com *:443 *:8443 alias=www.example.com " PRELOAD "\n"
      "plain example.com *:8080 redirect redirect-port=8443",
      "= 2/W:config.http.nondefault_port 2/I:-",
      "2 config.http.nondefault_port example.com is served over plain HTTP "
      "on port 8080 by example.com:8080 (test.conf:40), which redirects "
      "clients to HTTPS on port 8443\n"
      "2 config.http.nondefault_port http://example.com:8080/ into "
      "https://example.com:8080/" },
    { "... with HSTSRedirectPort 443 (a port mapping): none",
      MAIN PLAIN "redirect\n"
      "tls example.com *:443 *:8443 alias=www.example.com " PRELOAD "\n"
      "plain example.com *:8080 redirect redirect-port=443", "= 2/I:-", NULL },
    { "... the TLS port derived from a host on 8443 only: nondefault_port",
      "plain example.com *:8080 redirect\ntls example.com *:8443 hsts=1y",
      "= 1/W:config.http.nondefault_port 1/I:-", NULL },
    { "... a TLS host on 443 as well: none",
      "plain example.com *:8080 redirect\ntls example.com *:443 *:8443 "
      "hsts=1y", "= 1/I:-", NULL },
    { "... a default host on 8080 that does not name H: none",
      "plain other.example.org *:8080\ntls example.com *:8443 hsts=1y",
      "= 1/I:-", NULL },
    { "... a host on 8080 that names H but does not redirect: none",
      "plain example.com *:8080\ntls example.com *:8443 hsts=1y",
      "= 1/I:-", NULL },
    { "... a host on 8080 that redirects with a RewriteRule to 8443",
      "plain example.com *:8080 "
      "rule=RewriteRule|^|https://example.com:8443/|[R=301]\n"
      "tls example.com *:8443 hsts=1y",
      "= 1/W:config.http.nondefault_port 1/I:-", NULL },

    /* ---- config.*, policy.max_age.zero -------------------------------- */
    { "HSTS On in a plain vhost: plain_vhost",
      MAIN "plain example.com *:80 hsts=1y",
      "= 1/W:config.hsts.plain_vhost",
      "1 config.hsts.plain_vhost (test.conf:21)" },
    { "HSTS inherited by a plain vhost: nothing",
      MAIN "plain example.com *:80 inherited=1y", "=", NULL },
    { "HSTS On in a plain main server: not a virtual host",
      "main! example.com hsts=1y\nlisten *:80", "=", NULL },
    { "behind a trusted proxy, a compliant preload host: clean",
      MAIN "plain example.com *:80 alias=www.example.com hsts=2y,sub,preload "
      "redirect proxy", "= 1/I:-",
      "1 - meets every preload requirement" },
    { "... its header is checked",
      MAIN "plain example.com *:80 alias=www.example.com hsts=300,sub,preload "
      "redirect proxy", "1/E:header.preloadable.max_age.below_1_year", NULL },
    { "HSTSRedirect On in a TLS vhost: tls_vhost",
      MAIN "tls example.com *:443 redirect",
      "= 1/W:config.redirect.tls_vhost", NULL },
    { "HSTSRedirect inherited by a TLS vhost: nothing",
      MAIN "tls example.com *:443 redirect-inherited", "=", NULL },
    { "max-age=0: policy.max_age.zero, an info",
      "tls example.com *:443 hsts=0", "= 0/I:policy.max_age.zero 0/I:-",
      NULL },
    { "max-age=1: no policy.max_age.zero",
      "tls example.com *:443 hsts=1", "= 0/I:-", NULL },
    { "max-age=0 from mod_headers: policy.max_age.zero",
      "tls example.com *:443 always-set=max-age=0",
      "= 0/I:policy.max_age.zero 0/I:-", NULL },
    { "max-age=0 inherited by a plain host: nothing",
      "plain example.com *:80 inherited=0", "=", NULL },

    /* ---- mod_headers -------------------------------------------------- */
    { "Header set and Header always set in one scope: multiple_headers",
      "tls example.com *:443 set=max-age=31536000 "
      "always-set=max-age=31536000",
      "0/E:response.multiple_headers",
      "0 response.multiple_headers test.conf:12, test.conf:13" },
    { "two Header always set: one header", "tls example.com *:443 "
      "always-set=max-age=31536000 always-set=max-age=31536000",
      "= 0/I:-", NULL },
    { "Header always add: multiple_headers",
      "tls example.com *:443 always-add=max-age=31536000",
      "0/E:response.multiple_headers", NULL },
    { "Header always append: multiple_headers",
      "tls example.com *:443 always-append=max-age=31536000",
      "0/E:response.multiple_headers", NULL },
    { "Header always merge and setifempty: no multiple_headers",
      "tls example.com *:443 always-merge=max-age=31536000 "
      "always-setifempty=max-age=31536000",
      "!response.multiple_headers", NULL },
    { "always at host level, onsuccess in a section: multiple_headers",
      "tls example.com *:443 always-set=max-age=31536000 "
      "set@3=max-age=31536000", "0/E:response.multiple_headers", NULL },
    { "always and onsuccess in sibling sections: no multiple_headers",
      "tls example.com *:443 always-set@3=max-age=31536000 "
      "set@4=max-age=31536000", "!response.multiple_headers", NULL },
    { "onsuccess nested in an always section: multiple_headers",
      "tls example.com *:443 always-set@3=max-age=31536000 "
      "set@3/5=max-age=31536000", "0/E:response.multiple_headers", NULL },
    { "section 31 is not inside section 3",
      "tls example.com *:443 always-set@3=max-age=31536000 "
      "set@31=max-age=31536000", "!response.multiple_headers", NULL },
    { "HSTS on with mod_headers: config.header.overridden only",
      "tls example.com *:443 hsts=1y set=max-age=31536000 "
      "always-add=max-age=31536000",
      "= 0/W:config.header.overridden 0/I:-",
      "0 config.header.overridden test.conf:12, test.conf:13" },
    { "HSTS off with mod_headers: not overridden",
      "tls example.com *:443 always-set=max-age=31536000",
      "!config.header.overridden", NULL },
    { "Header set without always: not_always",
      "tls example.com *:443 set=max-age=31536000",
      "= 0/W:config.header.not_always 0/I:-",
      "0 config.header.not_always test.conf:12" },
    { "Header always set: no not_always",
      "tls example.com *:443 always-set=max-age=31536000",
      "!config.header.not_always", NULL },
    { "an always rule covers the scope: no not_always",
      "tls example.com *:443 always-set=max-age=31536000 "
      "set=max-age=31536000", "!config.header.not_always", NULL },
    { "a section with only an onsuccess rule: not_always",
      "tls example.com *:443 always-set@3=max-age=31536000 "
      "set@4=max-age=31536000", "0/W:config.header.not_always", NULL },
    { "mod_headers on a plain host: not an HSTS host",
      "plain example.com *:80 set=max-age=1;~preload", "=", NULL },

    /* ---- certificates ------------------------------------------------- */
    { "an expired certificate: tls.cert.expired",
      "tls example.com *:443 hsts=1y cert=expired.crt",
      "= 0/E:tls.cert.expired 0/I:-", NULL },
    { "a certificate expiring in 10 days: expires_soon",
      "tls example.com *:443 hsts=1y cert=soon.crt",
      "= 0/W:tls.cert.expires_soon 0/I:-", NULL },
    { "a certificate for other names: name_mismatch",
      "tls example.com *:443 hsts=1y cert=other.crt",
      "= 0/E:tls.cert.name_mismatch 0/I:-", NULL },
    { "a missing certificate file: unreadable",
      "tls example.com *:443 hsts=1y cert=missing.crt",
      "= 0/E:tls.cert.unreadable 0/I:-", NULL },
    { "... on TLS hosts without STS: nothing",
      "tls example.com *:443 cert=expired.crt\n"
      "tls example.org *:443 cert=missing.crt", "=", NULL },
    { "no SSLCertificateFile applies: unreadable",
      "tls example.com *:443 hsts=1y nocert",
      "= 0/E:tls.cert.unreadable 0/I:-",
      "0 tls.cert.unreadable No SSLCertificateFile" },
    { "the compliant setup with a good certificate: clean",
      MAIN PLAIN "redirect\n" TLS PRELOAD " cert=good.crt", "= 2/I:-", NULL },
    { "each certificate file of a host is checked",
      MAIN PLAIN "redirect\n" TLS PRELOAD " cert=expired.crt,soon.crt",
      "= 2/E:domain.www.no_tls 2/E:tls.cert.expired "
      "2/E:tls.cert.name_mismatch 2/W:tls.cert.expires_soon "
      "2/E:tls.cert.name_mismatch 2/I:-",
      "2 - blocked by: domain.www.no_tls, tls.cert.expired, "
      "tls.cert.name_mismatch.\n"
      "2 tls.cert.expired expired.crt" },
    { "mod_md manages the certificate: no certificate checks",
      MAIN PLAIN "redirect\n" TLS PRELOAD, "= 2/I:-", NULL },

    /* ---- which hosts are linted, summaries ---------------------------- */
    { "a main server that is not linted has no finding",
      "main localhost hsts=300,preload\n" PLAIN "redirect\n" TLS PRELOAD,
      "= 2/I:-", NULL },
    { "the main server alone is linted as a host",
      "main! example.com ssl hsts=300,preload port=443\nlisten *:443",
      "0/E:header.preloadable.include_sub_domains.missing "
      "0/E:header.preloadable.max_age.below_1_year", NULL },
    { "one summary per HSTS host, none for plain hosts or TLS hosts "
      "without STS",
      MAIN "plain example.com *:80 redirect\ntls example.com *:443 hsts=300\n"
      "tls other.example.org *:443", "= 2/I:-",
      "2 - sends \"max-age=300\"; without preload it is not held to the "
      "preload list's requirements." },
    { "a preload host's summary lists each error code once, in order",
      MAIN "plain a.example.org *:80\nplain b.example.org *:8080\n"
      "tls www.example.com *:443 hsts=300,preload",
      "3/E:redirects.http.no_redirect",
      "3 - sends \"max-age=300; preload\"; preloading is blocked by: "
      "header.preloadable.include_sub_domains.missing, "
      "header.preloadable.max_age.below_1_year, domain.is_subdomain, "
      "redirects.http.no_redirect." },
};

static void run_lint_cases(void)
{
    apr_size_t k;

    for (k = 0; k < sizeof(lint_cases) / sizeof(lint_cases[0]); k++) {
        const lint_case_t *c = &lint_cases[k];
        const char *bad;

        configure(c->config);
        lint();
        bad = unmet(c->want);
        if (!ok(!*bad, c->name)) {
            printf("#   want:%s\n#   got:  %s\n", bad, all());
        }
        if (c->says) {
            bad = unsaid(c->says);
            if (!ok(!*bad, apr_pstrcat(pool, c->name, ": the sentences",
                                       NULL))) {
                printf("#   %s\n", bad);
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* httpd's virtual host selection                                       */

typedef struct {
    const char *name;
    const char *config;
    const char *queries;            /* "ip port name host;..." */
} select_case_t;

static const select_case_t select_cases[] = {
    { "name-based: the host naming the name, else the first of the port",
      "plain a.example *:80 alias=www.a.example\nplain b.example *:80\n"
      "tls c.example *:443",
      "* 80 b.example 1;* 80 www.a.example 0;* 80 nowhere.example 0;"
      "* 443 b.example 2;* 8080 a.example -1" },
    { "patterns and exact names: the first host in file order wins",
      "plain a.example *:80\nplain b.example *:80 alias=*.x.example\n"
      "plain c.example *:80 alias=www.x.example",
      "* 80 www.x.example 1;* 80 y.x.example 1;* 80 x.example 0" },
    { "IP-based groups before the wildcard ones",
      "plain any.example *:80\nplain ip.example 192.0.2.1:80\n"
      "plain six.example [2001:db8::1]:80",
      "192.0.2.1 80 any.example 1;192.0.2.2 80 ip.example 0;"
      "* 80 ip.example 0;[2001:db8::1] 80 x 2" },
    { "a port * group only where no group has the port",
      "plain any.example *:*\nplain web.example *:80",
      "* 80 any.example 1;* 8080 web.example 0" },
    { "Listen: nothing where nothing listens, the main server where no "
      "virtual host is",
      "main main.example\nplain web.example *:80\n"
      "listen *:80 192.0.2.1:8080",
      "* 80 x 1;192.0.2.1 8080 x 0;192.0.2.2 8080 x -1;* 8080 x 0;"
      "* 443 x -1" },
};

static void run_select_cases(void)
{
    apr_size_t k;

    for (k = 0; k < sizeof(select_cases) / sizeof(select_cases[0]); k++) {
        const select_case_t *c = &select_cases[k];
        char *q = apr_pstrdup(pool, c->queries), *state, *one;
        const char *bad = "";
        hsts_lint_input_t in;
        const hsts_vhosts_t *v;

        configure(c->config);
        input(&in);
        v = hsts_vhosts_make(pool, &in);
        for (one = apr_strtok(q, ";", &state); one;
             one = apr_strtok(NULL, ";", &state)) {
            char ip[64], name[64];
            int port, want, got;
            if (sscanf(one, "%63s %d %63s %d", ip, &port, name, &want) != 4) {
                bad = apr_pstrcat(pool, bad, " (bad query ", one, ")", NULL);
                continue;
            }
            got = hsts_vhosts_select(v, ip, (apr_port_t)port, name);
            if (got != want) {
                bad = apr_psprintf(pool, "%s [%s: %d]", bad, one, got);
            }
        }
        if (!ok(!*bad, c->name)) {
            printf("#  %s\n", bad);
        }
    }
}

/* ------------------------------------------------------------------ */
/* What rules answer to GET /                                           */

typedef struct {
    const char *name;
    const char *rules;              /* options of one host line */
    const char *host;               /* the name asked for */
    int tls;
    const char *want;               /* "content", "unknown", or the URL */
} rule_case_t;

static const rule_case_t rule_cases[] = {
    { "no rule: content", "", "example.com", 0, "content" },
    { "Redirect / URL", "rule=Redirect|/|https://example.com/",
      "example.com", 0, "https://example.com/" },
    { "Redirect with a status word", "rule=Redirect|seeother|/|https://x/",
      "example.com", 0, "https://x/" },
    { "Redirect gone /: an error status, content",
      "rule=Redirect|gone|/", "example.com", 0, "content" },
    { "Redirect 410 /: content", "rule=Redirect|410|/", "example.com", 0,
      "content" },
    { "Redirect //: runs of slashes count as one",
      "rule=Redirect|//|https://x/", "example.com", 0, "https://x/" },
    { "Redirect /index.html does not cover /",
      "rule=Redirect|/index.html|https://x/", "example.com", 0, "content" },
    { "Redirect to a path: the request's scheme and host",
      "rule=Redirect|/|/start/", "example.com", 1,
      "https://example.com/start/" },
    { "RedirectPermanent", "rule=RedirectPermanent|/|https://x/",
      "example.com", 0, "https://x/" },
    { "RedirectTemp", "rule=RedirectTemp|/|https://x/", "example.com", 0,
      "https://x/" },
    { "the first Redirect that covers / decides",
      "rule=Redirect|/app|https://a/ rule=Redirect|/|https://b/ "
      "rule=Redirect|/|https://c/", "example.com", 0, "https://b/" },
    { "RedirectMatch with a group",
      "rule=RedirectMatch|^/(.*)$|https://x/$1index", "example.com", 0,
      "https://x/index" },
    { "RedirectMatch that does not match /",
      "rule=RedirectMatch|^/app|https://x/", "example.com", 0, "content" },
    { "RedirectMatch keeps a percent sign",
      "rule=RedirectMatch|^/$|https://x/%20", "example.com", 0,
      "https://x/%20" },
    { "Redirect in <Location \"/\">: an expression",
      "loc=Redirect|https://%{SERVER_NAME}/", "example.com", 0,
      "https://example.com/" },
    { "... with a function the lint does not know: unknown",
      "loc=Redirect|https://%{tolower:%{HTTP_HOST}}/", "example.com", 0,
      "unknown" },
    { "RewriteRule [R]: 302",
      "rule=RewriteRule|^/$|https://x/|[R]", "example.com", 0, "https://x/" },
    { "RewriteRule [redirect=permanent] with $0 and %{REQUEST_SCHEME}",
      "rule=RewriteRule|^(.*)$|https://%{HTTP_HOST}$1?via=%{REQUEST_SCHEME}|"
      "[redirect=permanent]", "example.com", 0,
      "https://example.com/?via=http" },
    { "RewriteRule with an absolute URL to another host, no R: a redirect",
      "rule=RewriteRule|^|https://x/", "example.com", 0, "https://x/" },
    { "... to this host: the path, then content",
      "rule=RewriteRule|^|http://example.com/app", "example.com", 0,
      "content" },
    { "RewriteRule with a negated pattern",
      "rule=RewriteRule|!^/app|https://x/|[R=301]", "example.com", 0,
      "https://x/" },
    { "RewriteRule [NC]",
      "rule=RewriteCond|%{HTTP_HOST}|^EXAMPLE\\.com$|[NC] "
      "rule=RewriteRule|^/$|https://x/|[R]", "example.com", 0,
      "https://x/" },
    { "RewriteRule [R=404]: content", "rule=RewriteRule|^|-|[R=404]",
      "example.com", 0, "content" },
    { "RewriteRule [G]: content", "rule=RewriteRule|^|-|[G]",
      "example.com", 0, "content" },
    { "RewriteRule [P]: unknown",
      "rule=RewriteRule|^(.*)$|http://backend$1|[P]", "example.com", 0,
      "unknown" },
    { "RewriteRule [C]: unknown", "rule=RewriteRule|^|-|[C] "
      "rule=RewriteRule|^|https://x/|[R]", "example.com", 0, "unknown" },
    { "an internal rewrite, then an R rule on its result",
      "rule=RewriteRule|^/$|/start "
      "rule=RewriteRule|^/start$|https://x/start|[R]",
      "example.com", 0, "https://x/start" },
    { "an internal rewrite with L: content",
      "rule=RewriteRule|^/$|/index.php|[L] "
      "rule=RewriteRule|^|https://x/|[R]", "example.com", 0, "content" },
    { "RewriteRule - without L: the next rule",
      "rule=RewriteRule|^|- rule=RewriteRule|^|https://x/|[R]",
      "example.com", 0, "https://x/" },
    { "conditions: =, OR, and, the %1 of the last match",
      "rule=RewriteCond|%{HTTPS}|=on|[OR] "
      "rule=RewriteCond|%{SERVER_PORT}|=80 "
      "rule=RewriteCond|%{HTTP_HOST}|^(.+)$ "
      "rule=RewriteRule|^|https://%1/|[R]", "example.com", 0,
      "https://example.com/" },
    { "a condition that fails: the rule does not apply",
      "rule=RewriteCond|%{HTTPS}|=on "
      "rule=RewriteRule|^|https://x/|[R]", "example.com", 0, "content" },
    { "... over TLS it applies",
      "rule=RewriteCond|%{HTTPS}|=on "
      "rule=RewriteRule|^|https://x/|[R]", "example.com", 1, "https://x/" },
    { "a negated condition, the checker sends no X-Forwarded-Proto",
      "rule=RewriteCond|%{HTTP:X-Forwarded-Proto}|!https "
      "rule=RewriteRule|^|https://%{HTTP_HOST}/|[R]", "example.com", 0,
      "https://example.com/" },
    { "lexical comparisons",
      "rule=RewriteCond|%{HTTP_HOST}|>a rule=RewriteCond|%{HTTP_HOST}|<=z "
      "rule=RewriteRule|^|https://x/|[R]", "example.com", 0, "https://x/" },
    { "an empty test with =\"\"",
      "rule=RewriteCond|%{QUERY_STRING}|=\"\" "
      "rule=RewriteRule|^|https://x/|[R]", "example.com", 0, "https://x/" },
    { "a file test: unknown", "rule=RewriteCond|%{REQUEST_FILENAME}|!-f "
      "rule=RewriteRule|^|https://x/|[R]", "example.com", 0, "unknown" },
    { "a variable the lint does not know: unknown",
      "rule=RewriteCond|%{REMOTE_ADDR}|^10\\. "
      "rule=RewriteRule|^|https://x/|[R]", "example.com", 0, "unknown" },
    { "... in a rule whose pattern does not match: the rule does not apply",
      "rule=RewriteCond|%{REMOTE_ADDR}|^10\\. "
      "rule=RewriteRule|^/app|https://x/|[R]", "example.com", 0, "content" },
    { "a RewriteMap: unknown", "rule=RewriteRule|^|${map:x}|[R]",
      "example.com", 0, "unknown" },
    { "a pattern that is not a regular expression: unknown",
      "rule=RewriteRule|(|https://x/|[R]", "example.com", 0, "unknown" },
    { "ProxyPass /: unknown", "rule=ProxyPass|/|http://b/", "example.com", 0,
      "unknown" },
    { "ProxyPass / ! then nothing: content",
      "rule=ProxyPass|/|!", "example.com", 0, "content" },
    { "ProxyPassMatch ^/$: unknown", "rule=ProxyPassMatch|^/$|http://b/",
      "example.com", 0, "unknown" },
    { "ProxyPass in <Location \"/\">: unknown", "loc=ProxyPass|http://b/",
      "example.com", 0, "unknown" },
    { "a rule before an opaque one decides",
      "rule=Redirect|/|https://x/ opaque=Redirect", "example.com", 0,
      "https://x/" },
    { "an opaque rule: unknown", "opaque=Redirect", "example.com", 0,
      "unknown" },
};

static void run_rule_cases(void)
{
    apr_size_t k;

    for (k = 0; k < sizeof(rule_cases) / sizeof(rule_cases[0]); k++) {
        const rule_case_t *c = &rule_cases[k];
        hsts_lint_input_t in;
        hsts_answer_t a;
        const char *got;

        configure(apr_pstrcat(pool, "plain example.com *:80 ", c->rules,
                              NULL));
        input(&in);
        hsts_rules_answer(pool, &in, H(0)->rules, c->host, c->tls, &a);
        got = a.kind == HSTS_ANSWER_CONTENT ? "content"
              : a.kind == HSTS_ANSWER_UNKNOWN ? "unknown" : a.location;
        is_str(got, c->want, c->name);
    }
}

/* URLs as the checker compares them: scheme and host, port apart. */
static void test_url_parse(void)
{
    const char *scheme, *host;
    apr_port_t port;

    ok(hsts_url_parse(pool, "HTTPS://Example.COM:8443/x", &scheme, &host,
                      &port) && !strcmp(scheme, "https")
       && !strcmp(host, "example.com") && port == 8443,
       "url: scheme and host lower case, the port apart");
    ok(hsts_url_parse(pool, "http://[2001:db8::1]/", &scheme, &host, &port)
       && !strcmp(host, "2001:db8::1") && port == 80,
       "url: an IPv6 literal without brackets, the default port");
    ok(!hsts_url_parse(pool, "/relative", &scheme, &host, &port)
       && !hsts_url_parse(pool, "ftp://x/", &scheme, &host, &port),
       "url: only absolute http and https URLs");
}

/* The certificates the cases name, signed by a CA the store trusts. */
static void make_certificates(void)
{
    pki_t ca = make_cert("lint unit CA", NULL, 1, NOW - 10 * DAY,
                         NOW + 3650 * DAY, EVP_sha256(), NULL);
    pki_t good = make_leaf("example.com",
                           "DNS:example.com,DNS:www.example.com", &ca);
    pki_t apex = make_leaf("example.com", "DNS:example.com", &ca);
    pki_t wild = make_leaf("example.com", "DNS:example.com,DNS:*.example.com",
                           &ca);
    pki_t expired = make_cert("example.com", "DNS:example.com", 0,
                              NOW - 400 * DAY, NOW - DAY, EVP_sha256(), &ca);
    pki_t soon = make_cert("example.com", "DNS:example.com", 0,
                           NOW - 10 * DAY, NOW + 10 * DAY, EVP_sha256(), &ca);
    pki_t other = make_leaf("other.example", "DNS:other.example", &ca);

    setenv("SSL_CERT_FILE", write_pem("ca.crt", ca.crt, NULL), 1);
    setenv("SSL_CERT_DIR", path_of("no-such-dir"), 1);
    write_pem("good.crt", good.crt, NULL);
    write_pem("apex.crt", apex.crt, NULL);
    write_pem("wild.crt", wild.crt, NULL);
    write_pem("expired.crt", expired.crt, NULL);
    write_pem("soon.crt", soon.crt, NULL);
    write_pem("other.crt", other.crt, NULL);
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
    make_certificates();
    run_lint_cases();
    run_select_cases();
    run_rule_cases();
    test_url_parse();

    pki_done();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
