/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: what a host's mod_rewrite, mod_alias and mod_proxy rules
 * answer to "GET /" (pure; hsts_rules.h). Modelled on modules/mappers/
 * mod_rewrite.c (server context) and mod_alias.c, for the one request
 * the preload checker sends: GET / with Host: H, no query, no other
 * header that matters.
 */
#include <apr_strings.h>

#include <stdlib.h>
#include <apr_lib.h>

#include "hsts_rules.h"

#define GROUPS 10

/* The request being evaluated, and what the rules did to it so far. */
typedef struct {
    apr_pool_t *p;
    const hsts_lint_input_t *in;
    const char *name;
    int tls;
    const char *uri;                /* "/", then as rewritten */
    const char *rule_groups[GROUPS];/* $0..$9 of the rule's pattern */
    const char *cond_groups[GROUPS];/* %0..%9 of the last matched cond */
} eval_t;

/* Tri-state results: a condition or rule may be unknown. */
#define UNKNOWN (-1)

/* ------------------------------------------------------------------ */
/* Variables and substitutions.                                         */

/* The value of %{var} for this request, or NULL when the lint does not
 * know it (the client's address, the environment, files...). */
static const char *variable(const eval_t *e, const char *var)
{
    static const struct {
        const char *name, *plain, *tls;
    } fixed[] = {
        { "HTTPS", "off", "on" },
        { "REQUEST_SCHEME", "http", "https" },
        { "SERVER_PORT", "80", "443" },
        { "REQUEST_URI", "/", "/" },
        { "SCRIPT_URL", "/", "/" },
        { "QUERY_STRING", "", "" },
        { "REQUEST_METHOD", "GET", "GET" },
        { "SERVER_PROTOCOL", "HTTP/1.1", "HTTP/1.1" },
        { "THE_REQUEST", "GET / HTTP/1.1", "GET / HTTP/1.1" },
    };
    apr_size_t i;

    if (!strcasecmp(var, "SERVER_NAME") || !strcasecmp(var, "HTTP_HOST")
        || !strcasecmp(var, "HTTP:Host")) {
        return e->name;
    }
    /* the checker sends no forwarding headers */
    if (!strncasecmp(var, "HTTP:X-Forwarded-", 17)) {
        return "";
    }
    for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (!strcasecmp(var, fixed[i].name)) {
            return e->tls ? fixed[i].tls : fixed[i].plain;
        }
    }
    return NULL;
}

/* Appends the value of the reference at *s ("%{VAR}", "$N", "%N") to
 * *out and moves *s past it; 0 when its value is not known. */
static int expand_ref(const eval_t *e, const char **s, const char **out)
{
    const char *in = *s, *value;

    if (in[0] == '%' && in[1] == '{') {
        const char *end = strchr(in + 2, '}');
        if (!end) {
            return 0;
        }
        value = variable(e, apr_pstrmemdup(e->p, in + 2,
                                           (apr_size_t)(end - in - 2)));
        *s = end + 1;
    }
    else {
        const char *const *groups = in[0] == '$' ? e->rule_groups
                                                 : e->cond_groups;
        value = groups[in[1] - '0'] ? groups[in[1] - '0'] : "";
        *s = in + 2;
    }
    if (!value) {
        return 0;
    }
    *out = apr_pstrcat(e->p, *out, value, NULL);
    return 1;
}

/* Which references a string has: mod_rewrite's %{VAR}, $N and %N, an
 * ap_expr string's %{VAR}, or RedirectMatch's $N. */
typedef enum { REFS_REWRITE, REFS_EXPR, REFS_MATCH } refs_e;

static int is_ref(refs_e refs, const char *s)
{
    if (s[0] == '%' && s[1] == '{') {
        return refs != REFS_MATCH;
    }
    if (s[0] == '$' && apr_isdigit(s[1])) {
        return refs != REFS_EXPR;
    }
    return s[0] == '%' && apr_isdigit(s[1]) && refs == REFS_REWRITE;
}

/* A substitution or test string with its references replaced; NULL
 * when one of them is not known (or a ${map:...} lookup). */
static const char *expand(const eval_t *e, const char *s, refs_e refs)
{
    const char *out = "";

    while (*s) {
        apr_size_t n = strcspn(s, "\\$%");
        out = apr_pstrcat(e->p, out, apr_pstrmemdup(e->p, s, n), NULL);
        s += n;
        if (!*s) {
            break;
        }
        if (s[0] == '\\' && s[1]) {
            out = apr_pstrcat(e->p, out, apr_pstrmemdup(e->p, s + 1, 1), NULL);
            s += 2;
        }
        else if (is_ref(refs, s)) {
            if (!expand_ref(e, &s, &out)) {
                return NULL;
            }
        }
        else if (s[0] == '$' && s[1] == '{' && refs == REFS_REWRITE) {
            return NULL;
        }
        else {
            out = apr_pstrcat(e->p, out, apr_pstrmemdup(e->p, s, 1), NULL);
            s++;
        }
    }
    return out;
}

/* Matches subject; the groups go to groups (may be NULL). */
static int regex_match(const eval_t *e, const char *pattern, int icase,
                       const char *subject, const char **groups)
{
    const char *g[GROUPS];
    int rc, i;

    if (!e->in->regex) {
        return UNKNOWN;
    }
    memset(g, 0, sizeof(g));
    rc = e->in->regex(e->in->regex_ctx, e->p, pattern, icase, subject, g);
    if (rc < 0) {
        return UNKNOWN;
    }
    for (i = 0; groups && rc == 1 && i < GROUPS; i++) {
        groups[i] = g[i];
    }
    return rc == 1;
}

/* ------------------------------------------------------------------ */
/* Flags: "R=301,L" (brackets removed).                                 */

typedef struct {
    int redirect;                   /* status, 0 without R */
    int last, nocase, ornext, forbidden, gone, proxy, complex;
} flags_t;

static int status_of(const char *value)
{
    if (!value || !*value || !strcasecmp(value, "temp")) {
        return 302;
    }
    if (!strcasecmp(value, "permanent")) {
        return 301;
    }
    if (!strcasecmp(value, "seeother")) {
        return 303;
    }
    if (!strcasecmp(value, "gone")) {
        return 410;
    }
    return apr_isdigit(*value) ? atoi(value) : 0;
}

static int flag_is(const char *flag, const char *a, const char *b)
{
    return !strcasecmp(flag, a) || (b && !strcasecmp(flag, b));
}

static void flags_parse(apr_pool_t *p, const char *text, flags_t *f)
{
    char *copy, *state, *flag;

    memset(f, 0, sizeof(*f));
    if (!text) {
        return;
    }
    copy = apr_pstrdup(p, text[0] == '[' ? text + 1 : text);
    if (*copy && copy[strlen(copy) - 1] == ']') {
        copy[strlen(copy) - 1] = '\0';
    }
    for (flag = apr_strtok(copy, ",", &state); flag;
         flag = apr_strtok(NULL, ",", &state)) {
        char *eq = strchr(flag, '=');
        const char *value = eq ? eq + 1 : NULL;
        if (eq) {
            *eq = '\0';
        }
        apr_collapse_spaces(flag, flag);
        if (flag_is(flag, "R", "redirect")) {
            f->redirect = status_of(value);
        }
        f->last |= flag_is(flag, "L", "last") || flag_is(flag, "END", NULL);
        f->nocase |= flag_is(flag, "NC", "nocase");
        f->ornext |= flag_is(flag, "OR", "ornext");
        f->forbidden |= flag_is(flag, "F", "forbidden");
        f->gone |= flag_is(flag, "G", "gone");
        f->proxy |= flag_is(flag, "P", "proxy");
        f->complex |= flag_is(flag, "C", "chain") || flag_is(flag, "N", "next")
                      || flag_is(flag, "S", "skip");
    }
}

static int is_redirect_status(int status)
{
    return status >= 300 && status < 400;
}

/* ------------------------------------------------------------------ */
/* RewriteCond                                                          */

static int compare(const char *op, const char *test, const char *value,
                   int icase)
{
    int c = icase ? strcasecmp(test, value) : strcmp(test, value);

    switch (op[0]) {
    case '=':
        return c == 0;
    case '<':
        return op[1] == '=' ? c <= 0 : c < 0;
    default:
        return op[1] == '=' ? c >= 0 : c > 0;
    }
}

#define REGEX (-2)

/* A pattern mod_rewrite compares without a regex ("=text", "<text",
 * ">=text"), REGEX for a regular expression; file tests and integer
 * comparisons ("-f", "-lt") are unknown. */
static int cond_compare(const char *pattern, const char *test, int icase)
{
    const char *value;
    int two;

    if (pattern[0] == '-') {
        return UNKNOWN;
    }
    if (pattern[0] != '=' && pattern[0] != '<' && pattern[0] != '>') {
        return REGEX;
    }
    two = pattern[0] != '=' && pattern[1] == '=';
    value = pattern + 1 + two;
    if (!strcmp(value, "\"\"")) {
        value = "";
    }
    return compare(pattern, test, value, icase);
}

static int cond_eval(eval_t *e, const hsts_rule_t *c)
{
    const char *pattern = c->arg[1] ? c->arg[1] : "", *test;
    flags_t f;
    int negate = 0, rc;

    flags_parse(e->p, c->arg[2], &f);
    if (!c->arg[0] || !strcasecmp(c->arg[0], "expr")) {
        return UNKNOWN;
    }
    test = expand(e, c->arg[0], REFS_REWRITE);
    if (!test) {
        return UNKNOWN;
    }
    if (pattern[0] == '!') {
        negate = 1;
        pattern++;
    }
    rc = cond_compare(pattern, test, f.nocase);
    if (rc == REGEX) {
        rc = regex_match(e, pattern, f.nocase, test,
                         negate ? NULL : e->cond_groups);
    }
    return rc == UNKNOWN ? UNKNOWN : negate ? !rc : rc;
}

static int or3(int a, int b)
{
    return a == 1 || b == 1 ? 1 : a == UNKNOWN || b == UNKNOWN ? UNKNOWN : 0;
}

static int and3(int a, int b)
{
    return a == 0 || b == 0 ? 0 : a == UNKNOWN || b == UNKNOWN ? UNKNOWN : 1;
}

/* The conditions rules[first..last-1] of a rule, with [OR] chains. */
static int conds_eval(eval_t *e, const hsts_rule_t *rules, int first,
                      int last)
{
    int i, all = 1;

    for (i = first; i < last; i++) {
        int chain = cond_eval(e, &rules[i]);
        flags_t f;

        flags_parse(e->p, rules[i].arg[2], &f);
        while (f.ornext && i + 1 < last) {
            i++;
            chain = or3(chain, cond_eval(e, &rules[i]));
            flags_parse(e->p, rules[i].arg[2], &f);
        }
        all = and3(all, chain);
    }
    return all;
}

/* ------------------------------------------------------------------ */
/* Answers.                                                             */

static const char *rule_name(const hsts_rule_t *r)
{
    if (r->directive) {
        return r->directive;
    }
    switch (r->kind) {
    case HSTS_RULE_REWRITE_COND:
    case HSTS_RULE_REWRITE:
        return "RewriteRule";
    case HSTS_RULE_REDIRECT:
        return "Redirect";
    case HSTS_RULE_REDIRECT_PERMANENT:
        return "RedirectPermanent";
    case HSTS_RULE_REDIRECT_TEMP:
        return "RedirectTemp";
    case HSTS_RULE_REDIRECT_MATCH:
        return "RedirectMatch";
    case HSTS_RULE_PROXY:
        return "ProxyPass";
    case HSTS_RULE_PROXY_MATCH:
        return "ProxyPassMatch";
    default:
        return "redirect";
    }
}

/* The outcome of one rule: not final (the next rule decides), or the
 * answer. */
typedef enum { NEXT = 0, FINAL } step_e;

static step_e final(const eval_t *e, const hsts_rule_t *r,
                    hsts_answer_e kind, const char *location,
                    hsts_answer_t *out)
{
    out->kind = kind;
    out->location = NULL;
    out->by = apr_psprintf(e->p, "the %s at %s", rule_name(r),
                           r->where);
    if (kind == HSTS_ANSWER_REDIRECT) {
        /* a path gets the request's scheme and host, as httpd does */
        out->location = location[0] == '/'
                        ? apr_pstrcat(e->p, e->tls ? "https://" : "http://",
                                      e->name, location, NULL)
                        : location;
    }
    return FINAL;
}

/* A substitution without R that names a host: an external redirect,
 * unless it is this host (then mod_rewrite keeps only the path). */
static step_e rewrite_absolute(eval_t *e, const hsts_rule_t *r,
                               const char *target, hsts_answer_t *out)
{
    const char *scheme, *host;
    apr_port_t port;

    if (!hsts_url_parse(e->p, target, &scheme, &host, &port)) {
        return final(e, r, HSTS_ANSWER_UNKNOWN, NULL, out);
    }
    if (strcmp(host, e->name) != 0
        || strcmp(scheme, e->tls ? "https" : "http") != 0) {
        return final(e, r, HSTS_ANSWER_REDIRECT, target, out);
    }
    target = strchr(target + strlen(scheme) + 3, '/');
    e->uri = target ? target : "/";
    return NEXT;
}

/* A RewriteRule whose pattern and conditions hold. */
static step_e rewrite_apply(eval_t *e, const hsts_rule_t *r,
                            hsts_answer_t *out)
{
    const char *target = r->arg[1] ? r->arg[1] : "-";
    flags_t f;

    flags_parse(e->p, r->arg[2], &f);
    if (f.proxy || f.complex) {
        return final(e, r, HSTS_ANSWER_UNKNOWN, NULL, out);
    }
    if (f.forbidden || f.gone
        || (f.redirect && !is_redirect_status(f.redirect))) {
        return final(e, r, HSTS_ANSWER_CONTENT, NULL, out);
    }
    if (!strcmp(target, "-")) {
        return f.last ? final(e, r, HSTS_ANSWER_CONTENT, NULL, out) : NEXT;
    }
    target = expand(e, target, REFS_REWRITE);
    if (!target) {
        return final(e, r, HSTS_ANSWER_UNKNOWN, NULL, out);
    }
    if (f.redirect) {
        return final(e, r, HSTS_ANSWER_REDIRECT, target, out);
    }
    if (!strncasecmp(target, "http://", 7)
        || !strncasecmp(target, "https://", 8)) {
        if (rewrite_absolute(e, r, target, out) == FINAL) {
            return FINAL;
        }
    }
    else {
        e->uri = apr_pstrndup(e->p, target, strcspn(target, "?"));
    }
    return f.last ? final(e, r, HSTS_ANSWER_CONTENT, NULL, out) : NEXT;
}

/* A RewriteRule (rules[last]) with its conditions rules[first..last-1]. */
static step_e rewrite_rule(eval_t *e, const hsts_rule_t *rules, int first,
                           int last, hsts_answer_t *out)
{
    const hsts_rule_t *r = &rules[last];
    const char *pattern = r->arg[0] ? r->arg[0] : "";
    flags_t f;
    int negate = pattern[0] == '!', matched, conds;

    flags_parse(e->p, r->arg[2], &f);
    memset(e->rule_groups, 0, sizeof(e->rule_groups));
    matched = regex_match(e, pattern + negate, f.nocase, e->uri,
                          negate ? NULL : e->rule_groups);
    if (matched == UNKNOWN) {
        return final(e, r, HSTS_ANSWER_UNKNOWN, NULL, out);
    }
    if (negate ? matched : !matched) {
        return f.complex ? final(e, r, HSTS_ANSWER_UNKNOWN, NULL, out) : NEXT;
    }
    memset(e->cond_groups, 0, sizeof(e->cond_groups));
    conds = conds_eval(e, rules, first, last);
    if (conds == UNKNOWN) {
        return final(e, r, HSTS_ANSWER_UNKNOWN, NULL, out);
    }
    return conds ? rewrite_apply(e, r, out) : NEXT;
}

/* httpd's alias_matches(): the length of uri that the URL-path prefix
 * covers (whole segments, runs of '/' count as one), or 0. */
static apr_size_t alias_matches(const char *uri, const char *prefix)
{
    const char *a = prefix, *u = uri;

    if (!*a) {
        return 0;
    }
    while (*a) {
        if (*a == '/') {
            if (*u != '/') {
                return 0;
            }
            while (*a == '/') {
                a++;
            }
            while (*u == '/') {
                u++;
            }
        }
        else if (*u++ != *a++) {
            return 0;
        }
    }
    if (a[-1] != '/' && *u != '\0' && *u != '/') {
        return 0;
    }
    return (apr_size_t)(u - uri);
}

/* Whether a word is a Redirect status (permanent, temp, 301, gone...). */
static int is_status_word(const char *w)
{
    return w && (apr_isdigit(*w) || !strcasecmp(w, "permanent")
                 || !strcasecmp(w, "temp") || !strcasecmp(w, "seeother")
                 || !strcasecmp(w, "gone"));
}

/* What a Redirect* or RedirectMatch directive says: status, URL-path or
 * pattern (NULL: the whole <Location "/">), URL (NULL: none). */
static void redirect_args(const hsts_rule_t *r, int *status,
                          const char **path, const char **url)
{
    const char *const *a = r->arg;
    int n = a[2] ? 3 : a[1] ? 2 : a[0] ? 1 : 0, s = 0;

    *status = r->kind == HSTS_RULE_REDIRECT_PERMANENT ? 301 : 302;
    if (is_status_word(a[0]) && r->kind != HSTS_RULE_REDIRECT_PERMANENT
        && r->kind != HSTS_RULE_REDIRECT_TEMP) {
        *status = status_of(a[0]);
        s = 1;
    }
    *path = NULL;
    *url = NULL;
    if (n - s >= 2) {
        *path = a[s];
        *url = a[s + 1];
    }
    else if (n - s == 1) {
        if (r->in_location && r->kind != HSTS_RULE_REDIRECT_MATCH) {
            *url = a[s];           /* Redirect [status] URL in a Location */
        }
        else {
            *path = a[s];          /* Redirect gone /path */
        }
    }
}

static step_e redirect_rule(eval_t *e, const hsts_rule_t *r,
                            hsts_answer_t *out)
{
    const char *path, *url, *target;
    int status, matched;

    redirect_args(r, &status, &path, &url);
    if (r->kind == HSTS_RULE_REDIRECT_MATCH) {
        matched = path ? regex_match(e, path, 0, e->uri, e->rule_groups) : 0;
        if (matched == UNKNOWN) {
            return final(e, r, HSTS_ANSWER_UNKNOWN, NULL, out);
        }
        target = url && matched ? expand(e, url, REFS_MATCH) : url;
    }
    else {
        apr_size_t n = path ? alias_matches(e->uri, path) : 1;
        matched = n > 0;
        target = url && matched
                 ? (path ? apr_pstrcat(e->p, url, e->uri + n, NULL)
                         : expand(e, url, REFS_EXPR))
                 : url;
    }
    if (!matched) {
        return NEXT;
    }
    if (!is_redirect_status(status)) {
        return final(e, r, HSTS_ANSWER_CONTENT, NULL, out);
    }
    return final(e, r, target ? HSTS_ANSWER_REDIRECT : HSTS_ANSWER_UNKNOWN,
                 target, out);
}

static int is_exclusion(const char *arg)
{
    return arg && !strcmp(arg, "!");
}

/* ProxyPass and ProxyPassMatch that cover "/": a backend answers. */
static step_e proxy_rule(eval_t *e, const hsts_rule_t *r,
                         hsts_answer_t *out)
{
    const char *path = r->arg[0] ? r->arg[0] : "";
    int matched;

    if (r->in_location) {
        matched = !is_exclusion(r->arg[0]);
    }
    else if (is_exclusion(r->arg[1])) {
        matched = 0;
    }
    else if (r->kind == HSTS_RULE_PROXY_MATCH) {
        matched = regex_match(e, path, 0, e->uri, NULL);
    }
    else {
        matched = alias_matches(e->uri, path) > 0;
    }
    if (matched == 0) {
        return NEXT;
    }
    return final(e, r, HSTS_ANSWER_UNKNOWN, NULL, out);
}

void hsts_rules_answer(apr_pool_t *p, const hsts_lint_input_t *in,
                       const apr_array_header_t *rules, const char *name,
                       int tls, hsts_answer_t *out)
{
    const hsts_rule_t *r = rules ? (const hsts_rule_t *)rules->elts : NULL;
    eval_t e;
    int i, conds = 0, n = rules ? rules->nelts : 0;
    step_e step = NEXT;

    memset(&e, 0, sizeof(e));
    memset(out, 0, sizeof(*out));
    e.p = p;
    e.in = in;
    e.name = name;
    e.tls = tls;
    e.uri = "/";
    for (i = 0; i < n && step == NEXT; i++) {
        switch (r[i].kind) {
        case HSTS_RULE_REWRITE_COND:
            conds++;
            continue;
        case HSTS_RULE_REWRITE:
            step = rewrite_rule(&e, r, i - conds, i, out);
            break;
        case HSTS_RULE_PROXY:
        case HSTS_RULE_PROXY_MATCH:
            step = proxy_rule(&e, &r[i], out);
            break;
        case HSTS_RULE_OPAQUE:
            step = final(&e, &r[i], HSTS_ANSWER_UNKNOWN, NULL, out);
            break;
        default:
            step = redirect_rule(&e, &r[i], out);
            break;
        }
        conds = 0;
    }
    if (step == NEXT) {
        out->kind = HSTS_ANSWER_CONTENT;
    }
}

int hsts_rule_kind_of(const char *directive, hsts_rule_kind_e *kind)
{
    static const struct {
        const char *name;
        hsts_rule_kind_e kind;
    } kinds[] = {
        { "RewriteCond", HSTS_RULE_REWRITE_COND },
        { "RewriteRule", HSTS_RULE_REWRITE },
        { "Redirect", HSTS_RULE_REDIRECT },
        { "RedirectPermanent", HSTS_RULE_REDIRECT_PERMANENT },
        { "RedirectTemp", HSTS_RULE_REDIRECT_TEMP },
        { "RedirectMatch", HSTS_RULE_REDIRECT_MATCH },
        { "ProxyPass", HSTS_RULE_PROXY },
        { "ProxyPassMatch", HSTS_RULE_PROXY_MATCH }
    };
    apr_size_t i;

    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (!strcasecmp(directive, kinds[i].name)) {
            *kind = kinds[i].kind;
            return 1;
        }
    }
    return 0;
}

int hsts_url_parse(apr_pool_t *p, const char *url, const char **scheme,
                   const char **host, apr_port_t *port)
{
    const char *rest, *end;
    char *h, *lower;

    if (!strncasecmp(url, "https://", 8)) {
        *scheme = "https";
        *port = 443;
        rest = url + 8;
    }
    else if (!strncasecmp(url, "http://", 7)) {
        *scheme = "http";
        *port = 80;
        rest = url + 7;
    }
    else {
        return 0;
    }
    end = rest + strcspn(rest, "/?#");
    if (*rest == '[') {
        const char *close = memchr(rest, ']', (apr_size_t)(end - rest));
        if (!close) {
            return 0;
        }
        h = apr_pstrmemdup(p, rest + 1, (apr_size_t)(close - rest - 1));
        rest = close + 1;
    }
    else {
        const char *colon = memchr(rest, ':', (apr_size_t)(end - rest));
        h = apr_pstrmemdup(p, rest, (apr_size_t)((colon ? colon : end)
                                                 - rest));
        rest = colon ? colon : end;
    }
    if (*rest == ':' && rest + 1 < end) {
        *port = (apr_port_t)atoi(rest + 1);
    }
    for (lower = h; *lower; lower++) {
        *lower = (char)apr_tolower(*lower);
    }
    *host = h;
    return 1;
}
