/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: the "hsts-report" handler. Like server-status does for the
 * workers, it shows, for every virtual host, the policy and the header it
 * sends, its redirect, its certificate with its expiry, the preload
 * verdict and every lint finding with its fix: as an HTML page, only the
 * hosts that need attention with "?problems", as JSON with "?json" (both:
 * "?problems&json"), and as Prometheus metrics with "?metrics".
 *
 *     <Location "/hsts-report">
 *         SetHandler hsts-report
 *         Require ip 127.0.0.1 ::1
 *     </Location>
 *
 * What it shows is what the lint found when the server (re)started, so a
 * request costs no certificate parsing; what depends on the time (days
 * until a certificate expires, and so which hosts are problems) is worked
 * out per request from the stored dates. A request's work grows with what
 * it writes only: counts, the hosts with findings and the expiries in
 * date order are prepared once per start (hsts_report_prepare), and the
 * response is written straight into buffers of 64 KiB that go down the
 * filter chain as they fill (half the time of ap_rprintf per piece at
 * 10,000 hosts, and nothing escaped into the request's pool).
 */
#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include <stdarg.h>
#include <stdlib.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_main.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "mod_hsts_private.h"

#define DAY APR_INT64_C(86400)
#define SOON apr_time_from_sec(HSTS_THIRTY_DAYS)
#define HOST(report, i) \
    (&APR_ARRAY_IDX((report)->hosts, (i), hsts_report_host_t))

/* ------------------------------------------------------------------ */
/* Once per start or restart.                                          */

/* The certificate findings of a host: "tls.cert.*" and "domain.tls.*",
 * but for domain.tls.cannot_connect, which is about the port. */
static int is_certificate_code(hsts_code_e code)
{
    const char *name = hsts_code_name(code);

    return code != HSTS_C_DOMAIN_TLS_CANNOT_CONNECT
           && (!strncmp(name, "tls.cert.", 9)
               || !strncmp(name, "domain.tls.", 11));
}

/* The findings about a certificate's expiry: requests judge the date. */
static int is_expiry_code(hsts_code_e code)
{
    return code == HSTS_C_TLS_CERT_EXPIRED
           || code == HSTS_C_TLS_CERT_EXPIRES_SOON;
}

static int watched(const hsts_report_host_t *h, hsts_code_e code)
{
    return (h->ignores & HSTS_CODE_BIT(code)) == 0;
}

static void prepare_host(apr_pool_t *p, hsts_report_t *report,
                         hsts_report_host_t *h)
{
    const hsts_report_finding_t *f = (const hsts_report_finding_t *)
                                     report->findings->elts;
    int j;

    for (j = h->first; j < h->first + h->count; j++) {
        if (f[j].ignored || f[j].severity == HSTS_INFO) {
            continue;
        }
        h->errors += f[j].severity == HSTS_ERROR;
        h->warnings += f[j].severity == HSTS_WARNING;
        h->cert_problem |= is_certificate_code(f[j].code)
                           && !is_expiry_code(f[j].code);
    }
    report->errors += h->errors;
    report->warnings += h->warnings;
    report->https_hosts += h->is_tls != 0;
    report->http_hosts += !h->is_tls;
    if (h->cert_expiry) {
        apr_time_exp_t tm;

        apr_time_exp_gmt(&tm, h->cert_expiry);
        h->cert_expiry_iso = apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02dZ",
                                          tm.tm_year + 1900, tm.tm_mon + 1,
                                          tm.tm_mday, tm.tm_hour, tm.tm_min,
                                          tm.tm_sec);
    }
}

/*
 * Metrics are labelled with ServerName:port, which two <VirtualHost>
 * blocks may share (one per address, say): the first of them carries the
 * series, with the soonest expiry and the worst preload verdict of all,
 * so that a scrape never holds the same series twice.
 */
static void prepare_series(apr_pool_t *tmp, apr_hash_t *carriers,
                           hsts_report_t *report, int i)
{
    hsts_report_host_t *h = HOST(report, i), *c;
    const char *key = apr_psprintf(tmp, "%s:%u", h->name,
                                   (unsigned int)h->port);
    int *carrier = apr_hash_get(carriers, key, APR_HASH_KEY_STRING);

    if (!carrier) {
        carrier = apr_palloc(tmp, sizeof(*carrier));
        *carrier = i;
        apr_hash_set(carriers, key, APR_HASH_KEY_STRING, carrier);
        h->series_ready = -1;
    }
    h->series = *carrier;
    c = HOST(report, *carrier);
    if (h->cert_expiry
        && (!c->series_expiry || h->cert_expiry < c->series_expiry)) {
        c->series_expiry = h->cert_expiry;
    }
    if (h->preload != HSTS_PRELOAD_NONE) {
        int ready = h->preload == HSTS_PRELOAD_READY;

        c->series_ready = c->series_ready < 0 ? ready
                                              : c->series_ready && ready;
    }
}

static int expiry_cmp(const void *a, const void *b)
{
    const hsts_report_expiry_t *x = a, *y = b;

    if (x->expiry != y->expiry) {
        return x->expiry < y->expiry ? -1 : 1;
    }
    return x->host - y->host;
}

void hsts_report_prepare(apr_pool_t *p, hsts_report_t *report)
{
    apr_pool_t *tmp;
    apr_hash_t *carriers;
    int i;

    apr_pool_create(&tmp, p);
    carriers = apr_hash_make(tmp);
    report->flagged = apr_array_make(p, 8, sizeof(int));
    report->expiries = apr_array_make(p, 8, sizeof(hsts_report_expiry_t));
    for (i = 0; i < report->hosts->nelts; i++) {
        hsts_report_host_t *h = HOST(report, i);

        prepare_host(p, report, h);
        prepare_series(tmp, carriers, report, i);
        if (h->errors || h->warnings) {
            APR_ARRAY_PUSH(report->flagged, int) = i;
        }
        if (h->cert_expiry && (watched(h, HSTS_C_TLS_CERT_EXPIRED)
                               || watched(h, HSTS_C_TLS_CERT_EXPIRES_SOON))) {
            hsts_report_expiry_t *e = apr_array_push(report->expiries);

            e->expiry = h->cert_expiry;
            e->host = i;
        }
    }
    qsort(report->expiries->elts, (size_t)report->expiries->nelts,
          sizeof(hsts_report_expiry_t), expiry_cmp);
    apr_pool_destroy(tmp);
}

/* ------------------------------------------------------------------ */
/* What depends on the time of the request.                            */

typedef enum {
    CERT_NONE = 0,                   /* no date known */
    CERT_VALID,
    CERT_SOON,                       /* expires within 30 days */
    CERT_EXPIRED
} cert_state_e;

/* As the lint judges it (hsts_cert.c), but at the time given. */
static cert_state_e cert_state(const hsts_report_host_t *h, apr_time_t now)
{
    return !h->cert_expiry ? CERT_NONE
           : h->cert_expiry < now ? CERT_EXPIRED
           : h->cert_expiry < now + SOON ? CERT_SOON : CERT_VALID;
}

/* Whole days until t, rounded down: negative once t has passed. */
static apr_int64_t days_until(apr_time_t t, apr_time_t now)
{
    apr_int64_t secs = apr_time_sec(t) - apr_time_sec(now);

    return secs >= 0 ? secs / DAY : -((-secs + DAY - 1) / DAY);
}

/* What a host needs now: HSTS_ERROR, HSTS_WARNING, or HSTS_INFO when
 * nothing (findings HSTSLintIgnore silences do not count, nor the
 * dates of a certificate when it silences theirs). */
static hsts_severity_e host_class(const hsts_report_host_t *h,
                                  apr_time_t now)
{
    cert_state_e state = cert_state(h, now);

    if (h->errors || (state == CERT_EXPIRED
                      && watched(h, HSTS_C_TLS_CERT_EXPIRED))) {
        return HSTS_ERROR;
    }
    if (h->warnings || (state >= CERT_SOON
                        && watched(h, HSTS_C_TLS_CERT_EXPIRES_SOON))) {
        return HSTS_WARNING;
    }
    return HSTS_INFO;
}

/* How many of the expiries come before t. */
static int expiries_before(const hsts_report_t *report, apr_time_t t)
{
    const hsts_report_expiry_t *e = (const hsts_report_expiry_t *)
                                    report->expiries->elts;
    int lo = 0, hi = report->expiries->nelts;

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;

        if (e[mid].expiry < t) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    return lo;
}

typedef struct {
    int host;
    hsts_severity_e class;
} problem_t;

/* Errors first, then in the configuration's order. */
static int problem_cmp(const void *a, const void *b)
{
    const problem_t *x = a, *y = b;

    if (x->class != y->class) {
        return x->class > y->class ? -1 : 1;
    }
    return x->host - y->host;
}

/*
 * The hosts that need attention now (int), errors first: those with
 * findings, and those whose certificate expires within 30 days. Both
 * lists are ready-made, so this costs what it returns, not the number
 * of hosts.
 */
static apr_array_header_t *problem_hosts(apr_pool_t *p,
                                         const hsts_report_t *report,
                                         apr_time_t now)
{
    int soon = expiries_before(report, now + SOON);
    const hsts_report_expiry_t *e = (const hsts_report_expiry_t *)
                                    report->expiries->elts;
    apr_array_header_t *found = apr_array_make(p, report->flagged->nelts
                                                  + soon + 1,
                                               sizeof(problem_t));
    apr_array_header_t *hosts;
    problem_t *all;
    int i;

    for (i = 0; i < report->flagged->nelts + soon; i++) {
        int host = i < report->flagged->nelts
                   ? APR_ARRAY_IDX(report->flagged, i, int)
                   : e[i - report->flagged->nelts].host;
        hsts_severity_e class = host_class(HOST(report, host), now);

        if (class != HSTS_INFO) {
            problem_t *pr = apr_array_push(found);

            pr->host = host;
            pr->class = class;
        }
    }
    all = (problem_t *)found->elts;
    qsort(all, (size_t)found->nelts, sizeof(problem_t), problem_cmp);
    hosts = apr_array_make(p, found->nelts + 1, sizeof(int));
    for (i = 0; i < found->nelts; i++) {
        /* a host in both lists has the same class twice: side by side */
        if (!i || all[i].host != all[i - 1].host) {
            APR_ARRAY_PUSH(hosts, int) = all[i].host;
        }
    }
    return hosts;
}

/* ------------------------------------------------------------------ */
/* Output: straight into 64 KiB buffers, passed on as they fill.       */

#define OUT_SIZE 65536

typedef struct {
    apr_vformatter_buff_t vb;        /* first: apr_vformatter's view */
    request_rec *r;
    apr_bucket_brigade *bb;
    char *buf;
    apr_status_t rv;                 /* once the client is gone, the rest
                                      * is dropped */
} out_t;

static void out_buffer(out_t *o)
{
    o->buf = apr_bucket_alloc(OUT_SIZE, o->r->connection->bucket_alloc);
    o->vb.curpos = o->buf;
    o->vb.endpos = o->buf + OUT_SIZE;
}

static void out_init(out_t *o, request_rec *r)
{
    o->r = r;
    o->bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    o->rv = APR_SUCCESS;
    out_buffer(o);
}

/* Hands the buffer to the output filters (and with eos, the end). */
static void out_pass(out_t *o, int eos)
{
    apr_bucket_alloc_t *ba = o->r->connection->bucket_alloc;
    apr_size_t len = (apr_size_t)(o->vb.curpos - o->buf);

    if (len && o->rv == APR_SUCCESS) {
        APR_BRIGADE_INSERT_TAIL(o->bb, apr_bucket_heap_create(
                                    o->buf, len, apr_bucket_free, ba));
    }
    else {
        apr_bucket_free(o->buf);
    }
    if (eos) {
        APR_BRIGADE_INSERT_TAIL(o->bb, apr_bucket_eos_create(ba));
    }
    if (o->rv == APR_SUCCESS && !APR_BRIGADE_EMPTY(o->bb)) {
        o->rv = ap_pass_brigade(o->r->output_filters, o->bb);
    }
    apr_brigade_cleanup(o->bb);
    if (!eos) {
        out_buffer(o);
    }
}

/* apr_vformatter's flush: the buffer is full. */
static int out_flush(apr_vformatter_buff_t *vb)
{
    out_pass((out_t *)vb, 0);
    return 0;
}

static void out_write(out_t *o, const void *data, apr_size_t n)
{
    const char *s = data;

    while (n) {
        apr_size_t room = (apr_size_t)(o->vb.endpos - o->vb.curpos);

        if (!room) {
            out_pass(o, 0);
            continue;
        }
        if (room > n) {
            room = n;
        }
        memcpy(o->vb.curpos, s, room);
        o->vb.curpos += room;
        s += room;
        n -= room;
    }
}

static void out_puts(out_t *o, const char *s)
{
    out_write(o, s, strlen(s));
}

static void out_printf(out_t *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void out_printf(out_t *o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    apr_vformatter(out_flush, &o->vb, fmt, ap);
    va_end(ap);
}

/* Text for HTML, in element content and quoted attributes alike. */
static void out_html(out_t *o, const char *s)
{
    while (s && *s) {
        apr_size_t n = strcspn(s, "<>&\"'");

        out_write(o, s, n);
        s += n;
        if (*s) {
            out_puts(o, *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
                        : *s == '&' ? "&amp;" : *s == '"' ? "&quot;"
                        : "&#39;");
            s++;
        }
    }
}

/* The length of the UTF-8 character at s, or 0 when it is not one: JSON
 * and the metrics format need UTF-8, a configuration file may hold any
 * byte. */
static apr_size_t utf8_len(const unsigned char *s)
{
    apr_size_t n = s[0] >= 0xc2 && s[0] <= 0xdf ? 2
                   : s[0] >= 0xe0 && s[0] <= 0xef ? 3
                   : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
    apr_uint32_t cp = n == 2 ? s[0] & 0x1fu : n == 3 ? s[0] & 0x0fu
                      : s[0] & 0x07u;
    apr_size_t i;

    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0u) != 0x80u) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
        || (n == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
        return 0;
    }
    return n;
}

/*
 * s inside a JSON string or a metrics label value: both escape backslash,
 * double quote and newline alike; JSON escapes the other control bytes
 * too. Bytes that are not UTF-8 become U+FFFD.
 */
static void out_quoted(out_t *o, const char *str, int json)
{
    const unsigned char *s = (const unsigned char *)str;

    while (*s) {
        const unsigned char *run = s;
        apr_size_t n;

        while (*s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\') {
            s++;
        }
        out_write(o, run, (apr_size_t)(s - run));
        if (!*s) {
            break;
        }
        if (*s == '"' || *s == '\\' || *s == '\n') {
            out_puts(o, *s == '"' ? "\\\"" : *s == '\\' ? "\\\\" : "\\n");
            s++;
        }
        else if (*s < 0x80) {
            if (json) {
                out_printf(o, "\\u%04x", (unsigned int)*s);
            }
            else {
                out_write(o, s, 1);
            }
            s++;
        }
        else if ((n = utf8_len(s)) != 0) {
            out_write(o, s, n);
            s += n;
        }
        else {
            out_puts(o, json ? "\\ufffd" : "\xef\xbf\xbd");
            s++;
        }
    }
}

static void out_json(out_t *o, const char *s)
{
    if (!s) {
        out_puts(o, "null");
        return;
    }
    out_puts(o, "\"");
    out_quoted(o, s, 1);
    out_puts(o, "\"");
}

/* ------------------------------------------------------------------ */
/* The views.                                                          */

typedef struct {
    request_rec *r;
    const hsts_report_t *report;
    apr_time_t now;
    int problems;                    /* ?problems */
    const apr_array_header_t *shown; /* int: the hosts shown, in order;
                                      * NULL: all of them */
    out_t out;
} page_t;

static int shown_count(const page_t *pg)
{
    return pg->shown ? pg->shown->nelts : pg->report->hosts->nelts;
}

static int shown_host(const page_t *pg, int k)
{
    return pg->shown ? APR_ARRAY_IDX(pg->shown, k, int) : k;
}

static const char *lint_mode_name(hsts_lint_mode_e mode)
{
    return mode == HSTS_LINT_OFF ? "Off"
           : mode == HSTS_LINT_STRICT ? "Strict" : "On";
}

static const char *redirect_of(const hsts_report_host_t *h)
{
    return h->is_tls ? "n/a (TLS)" : h->redirect ? "to HTTPS" : "off";
}

/* The certificate in a word or two, as JSON gives it. */
static const char *cert_status(const hsts_report_host_t *h,
                               cert_state_e state)
{
    return !h->is_tls ? "n/a (plain HTTP)"
           : h->cert_by_md ? "managed by mod_md"
           : !h->header ? "not checked"
           : state == CERT_NONE ? "unreadable"
           : state == CERT_EXPIRED ? "expired"
           : h->cert_problem ? "problems"
           : state == CERT_SOON ? "expires soon" : "ok";
}

static const char *plural(apr_int64_t n)
{
    return n == 1 ? "" : "s";
}

/* ?json: every host (or the problems), with what the page shows. */
static void json_cert(page_t *pg, const hsts_report_host_t *h)
{
    out_t *o = &pg->out;

    out_puts(o, ",\"certificate\":");
    out_json(o, cert_status(h, cert_state(h, pg->now)));
    out_puts(o, ",\"certificate_file\":");
    out_json(o, h->cert_file);
    out_puts(o, ",\"certificate_expiry\":");
    out_json(o, h->cert_expiry_iso);
    if (h->cert_expiry) {
        out_printf(o, ",\"certificate_expiry_unix\":%" APR_INT64_T_FMT
                   ",\"days_left\":%" APR_INT64_T_FMT,
                   apr_time_sec(h->cert_expiry),
                   days_until(h->cert_expiry, pg->now));
    }
    else {
        out_puts(o, ",\"certificate_expiry_unix\":null,\"days_left\":null");
    }
}

static void json_host(page_t *pg, const hsts_report_host_t *h)
{
    const hsts_report_finding_t *f = (const hsts_report_finding_t *)
                                     pg->report->findings->elts;
    hsts_severity_e class = host_class(h, pg->now);
    out_t *o = &pg->out;
    int j;

    out_puts(o, "{\"name\":");
    out_json(o, h->name);
    out_printf(o, ",\"port\":%u,\"tls\":%s,\"defined\":",
               (unsigned int)h->port, h->is_tls ? "true" : "false");
    out_json(o, h->where);
    out_puts(o, ",\"aliases\":[");
    for (j = 0; j < h->aliases->nelts; j++) {
        out_puts(o, j ? "," : "");
        out_json(o, APR_ARRAY_IDX(h->aliases, j, const char *));
    }
    out_puts(o, "],\"header\":");
    out_json(o, h->header);
    out_printf(o, ",\"preload\":%s,\"preload_ready\":%s,\"verdict\":",
               h->preload != HSTS_PRELOAD_NONE ? "true" : "false",
               h->preload == HSTS_PRELOAD_NONE ? "null"
               : h->preload == HSTS_PRELOAD_READY ? "true" : "false");
    out_json(o, h->verdict);
    out_puts(o, ",\"redirect\":");
    out_json(o, redirect_of(h));
    json_cert(pg, h);
    out_printf(o, ",\"problem\":%s,\"errors\":%d,\"warnings\":%d,"
               "\"findings\":[", class == HSTS_ERROR ? "\"error\""
               : class == HSTS_WARNING ? "\"warning\"" : "null",
               h->errors, h->warnings);
    for (j = h->first; j < h->first + h->count; j++) {
        out_puts(o, j > h->first ? ",{\"code\":" : "{\"code\":");
        out_json(o, hsts_code_name(f[j].code));
        out_printf(o, ",\"severity\":\"%s\",\"ignored\":%s,\"message\":",
                   hsts_severity_name(f[j].severity),
                   f[j].ignored ? "true" : "false");
        out_json(o, f[j].message);
        out_puts(o, "}");
    }
    out_puts(o, "]}");
}

static void report_json(page_t *pg)
{
    const hsts_report_t *report = pg->report;
    char made[APR_RFC822_DATE_LEN];
    out_t *o = &pg->out;
    int k;

    apr_rfc822_date(made, report->made);
    out_puts(o, "{\"server\":");
    out_json(o, ap_get_server_description());
    out_printf(o, ",\"generated\":\"%s\",\"generated_unix\":%"
               APR_INT64_T_FMT ",\"now_unix\":%" APR_INT64_T_FMT
               ",\"lint\":\"%s\",\"view\":\"%s\",\"errors\":%d,"
               "\"warnings\":%d,\"hosts\":[", made, apr_time_sec(report->made),
               apr_time_sec(pg->now), lint_mode_name(report->lint_mode),
               pg->problems ? "problems" : "all", report->errors,
               report->warnings);
    for (k = 0; k < shown_count(pg); k++) {
        out_puts(o, k ? "," : "");
        json_host(pg, HOST(report, shown_host(pg, k)));
    }
    out_puts(o, "]}\n");
}

/* ?metrics: the Prometheus text format, version 0.0.4. */
static void metric_head(out_t *o, const char *name, const char *help)
{
    out_printf(o, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void metric_host(out_t *o, const char *name,
                        const hsts_report_host_t *h)
{
    out_puts(o, name);
    out_puts(o, "{host=\"");
    out_quoted(o, h->name, 0);
    out_printf(o, ":%u\"} ", (unsigned int)h->port);
}

static void report_metrics(page_t *pg)
{
    const hsts_report_t *report = pg->report;
    out_t *o = &pg->out;
    int i;

    metric_head(o, "hsts_hosts", "Virtual hosts at the last start or "
                "restart, by protocol.");
    out_printf(o, "hsts_hosts{protocol=\"https\"} %d\n"
               "hsts_hosts{protocol=\"http\"} %d\n",
               report->https_hosts, report->http_hosts);
    metric_head(o, "hsts_findings", "Lint findings at the last start or "
                "restart, by class, less those HSTSLintIgnore silences.");
    out_printf(o, "hsts_findings{severity=\"error\"} %d\n"
               "hsts_findings{severity=\"warning\"} %d\n",
               report->errors, report->warnings);
    metric_head(o, "hsts_certificate_expiry_seconds", "Seconds until the "
                "certificate of an HSTS host expires, negative once it has.");
    for (i = 0; i < report->hosts->nelts; i++) {
        const hsts_report_host_t *h = HOST(report, i);

        if (h->series == i && h->series_expiry) {
            metric_host(o, "hsts_certificate_expiry_seconds", h);
            out_printf(o, "%" APR_INT64_T_FMT "\n",
                       apr_time_sec(h->series_expiry) - apr_time_sec(pg->now));
        }
    }
    metric_head(o, "hsts_preload_ready", "1 when an HSTS host with preload "
                "intent meets every preload requirement this server can "
                "check, else 0.");
    for (i = 0; i < report->hosts->nelts; i++) {
        const hsts_report_host_t *h = HOST(report, i);

        if (h->series == i && h->series_ready >= 0) {
            metric_host(o, "hsts_preload_ready", h);
            out_printf(o, "%d\n", h->series_ready);
        }
    }
    metric_head(o, "hsts_lint_timestamp_seconds", "When the lint last ran, "
                "at the last start or restart (Unix time).");
    out_printf(o, "hsts_lint_timestamp_seconds %" APR_INT64_T_FMT "\n",
               apr_time_sec(report->made));
}

/* The page. */
static const char report_style[] =
    "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;"
    "vertical-align:top}th{background:#f0f0f0}"
    "code{font-size:.95em}.ok{color:#176f2c}.bad{color:#b00020}"
    ".warn{color:#8a5a00}ul{padding-left:1.2em}li{margin:.3em 0}"
    "li.error{color:#b00020}li.warning{color:#8a5a00}li.info{color:#555}"
    "li.ignored{opacity:.55}";

static void html_head(page_t *pg)
{
    const hsts_report_t *report = pg->report;
    int n = report->hosts->nelts;
    int expired = expiries_before(report, pg->now);
    int soon = expiries_before(report, pg->now + SOON) - expired;
    char made[APR_RFC822_DATE_LEN];
    out_t *o = &pg->out;

    apr_rfc822_date(made, report->made);
    out_printf(o, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
               "<meta charset=\"utf-8\"><title>mod_hsts report%s</title>"
               "<style>%s</style></head><body>\n<h1>mod_hsts report%s</h1>\n"
               "<p id=\"summary\">", pg->problems ? ": problems" : "",
               report_style, pg->problems ? ": problems" : "");
    out_html(o, ap_get_server_description());
    out_printf(o, ", checked at start-up on %s (HSTSLint %s): <strong>%d "
               "host%s</strong>, <span class=\"%s\">%d error%s</span>, "
               "<span class=\"%s\">%d warning%s</span>; certificates: <span "
               "class=\"%s\">%d host%s within 30 days of expiry</span>, "
               "<span class=\"%s\">%d expired</span>.</p>\n", made,
               lint_mode_name(report->lint_mode), n, plural(n),
               report->errors ? "bad" : "ok", report->errors,
               plural(report->errors), report->warnings ? "warn" : "ok",
               report->warnings, plural(report->warnings),
               soon ? "warn" : "ok", soon, plural(soon),
               expired ? "bad" : "ok", expired);
    out_printf(o, "<p id=\"views\">%s | %s | <a href=\"?json\">JSON</a> | "
               "<a href=\"?metrics\">Metrics</a></p>\n",
               pg->problems ? "<a href=\"?\">All hosts</a>" : "All hosts",
               pg->problems ? "Problems"
                            : "<a href=\"?problems\">Problems</a>");
    if (pg->problems) {
        out_printf(o, "<p id=\"shown\">%d of %d host%s need%s attention: "
                   "findings of the error or warning class, or a "
                   "certificate that expires within 30 days; errors "
                   "first.</p>\n", shown_count(pg), n, plural(n),
                   shown_count(pg) == 1 ? "s" : "");
    }
}

/* The certificate cell: its expiry and days left, as of now. */
static void html_cert_cell(page_t *pg, const hsts_report_host_t *h)
{
    cert_state_e state = cert_state(h, pg->now);
    const char *status = cert_status(h, state);
    apr_int64_t days;
    out_t *o = &pg->out;

    if (!h->cert_expiry || !h->header || !h->is_tls) {
        out_printf(o, "<td class=\"%s\">%s</td>",
                   !strcmp(status, "unreadable") ? "bad" : "ok", status);
        return;
    }
    days = days_until(h->cert_expiry, pg->now);
    if (state == CERT_EXPIRED) {
        out_printf(o, "<td class=\"bad\">expired %.10s (%" APR_INT64_T_FMT
                   " day%s ago)</td>", h->cert_expiry_iso, -days,
                   plural(-days));
        return;
    }
    out_printf(o, "<td class=\"%s\">%sexpires %.10s (%" APR_INT64_T_FMT
               " day%s left)</td>", h->cert_problem ? "bad"
               : state == CERT_SOON ? "warn" : "ok",
               h->cert_problem ? "problems; " : "", h->cert_expiry_iso,
               days, plural(days));
}

static void html_row(page_t *pg, int i)
{
    const hsts_report_host_t *h = HOST(pg->report, i);
    out_t *o = &pg->out;

    out_printf(o, "<tr class=\"host\"><td><a href=\"#host-%d\">", i);
    out_html(o, h->name);
    out_printf(o, ":%u</a></td><td>%s</td><td>", (unsigned int)h->port,
               h->is_tls ? "HTTPS" : "HTTP");
    if (h->header) {
        out_puts(o, "<code>");
        out_html(o, h->header);
        out_puts(o, "</code>");
    }
    else {
        out_puts(o, "none");
    }
    out_printf(o, "</td><td>%s</td>", redirect_of(h));
    html_cert_cell(pg, h);
    out_printf(o, "<td class=\"%s\">%s</td><td class=\"%s\">%d error%s, "
               "%d warning%s</td></tr>\n",
               h->preload == HSTS_PRELOAD_BLOCKED ? "bad" : "ok",
               h->preload == HSTS_PRELOAD_READY ? "ready"
               : h->preload == HSTS_PRELOAD_BLOCKED ? "blocked" : "no intent",
               h->errors ? "bad" : h->warnings ? "warn" : "ok", h->errors,
               plural(h->errors), h->warnings, plural(h->warnings));
}

static void html_table(page_t *pg)
{
    int k;

    out_puts(&pg->out, "<table id=\"hosts\"><tr><th>Host</th><th>Protocol"
             "</th><th>Strict-Transport-Security</th><th>Redirect</th>"
             "<th>Certificate</th><th>Preload</th><th>Findings</th></tr>\n");
    for (k = 0; k < shown_count(pg); k++) {
        html_row(pg, shown_host(pg, k));
    }
    out_puts(&pg->out, "</table>\n");
}

/* An HSTS host's certificate: when it expires, and what to do. */
static void html_cert(page_t *pg, const hsts_report_host_t *h)
{
    cert_state_e state = cert_state(h, pg->now);
    apr_int64_t days;
    out_t *o = &pg->out;

    if (!h->cert_file) {
        return;
    }
    days = days_until(h->cert_expiry, pg->now);
    out_printf(o, "<p class=\"cert%s\">The certificate <code>",
               state == CERT_EXPIRED ? " bad"
               : state == CERT_SOON ? " warn" : "");
    out_html(o, h->cert_file);
    if (state == CERT_EXPIRED) {
        out_printf(o, "</code> expired on %.10s %.8s UTC, and on an HSTS "
                   "host browsers give no way past that. Renew it.</p>\n",
                   h->cert_expiry_iso, h->cert_expiry_iso + 11);
    }
    else if (state == CERT_SOON) {
        out_printf(o, "</code> expires on %.10s %.8s UTC, in %"
                   APR_INT64_T_FMT " day%s; after that browsers lock users "
                   "out of this HSTS host. Renew it now.</p>\n",
                   h->cert_expiry_iso, h->cert_expiry_iso + 11, days,
                   plural(days));
    }
    else {
        out_printf(o, "</code> expires on %.10s %.8s UTC (%" APR_INT64_T_FMT
                   " day%s left).</p>\n", h->cert_expiry_iso,
                   h->cert_expiry_iso + 11, days, plural(days));
    }
}

/* One host's section: where it is defined, its names, its certificate,
 * its findings, its summary line. */
static void html_host(page_t *pg, int i)
{
    const hsts_report_host_t *h = HOST(pg->report, i);
    const hsts_report_finding_t *f = (const hsts_report_finding_t *)
                                     pg->report->findings->elts;
    out_t *o = &pg->out;
    int j;

    out_printf(o, "<h2 id=\"host-%d\">", i);
    out_html(o, h->name);
    out_printf(o, ":%u</h2>\n<p>Defined at <code>", (unsigned int)h->port);
    out_html(o, h->where);
    out_puts(o, "</code>");
    for (j = 0; j < h->aliases->nelts; j++) {
        out_puts(o, j ? ", <code>" : ". Also: <code>");
        out_html(o, APR_ARRAY_IDX(h->aliases, j, const char *));
        out_puts(o, "</code>");
    }
    out_puts(o, ".</p>\n");
    html_cert(pg, h);
    out_puts(o, "<ul class=\"findings\">\n");
    for (j = h->first; j < h->first + h->count; j++) {
        out_printf(o, "<li class=\"%s%s\"><code>[%s]</code> ",
                   hsts_severity_name(f[j].severity),
                   f[j].ignored ? " ignored" : "", hsts_code_name(f[j].code));
        out_html(o, f[j].message);
        out_printf(o, "%s</li>\n",
                   f[j].ignored ? " (ignored by HSTSLintIgnore)" : "");
    }
    if (!h->count) {
        out_puts(o, "<li class=\"info\">No findings.</li>\n");
    }
    out_puts(o, "</ul>\n");
    if (h->verdict) {
        out_printf(o, "<p class=\"verdict %s\">",
                   h->preload == HSTS_PRELOAD_BLOCKED ? "bad"
                   : h->preload == HSTS_PRELOAD_READY ? "ok" : "");
        out_html(o, h->name);
        out_printf(o, ":%u ", (unsigned int)h->port);
        out_html(o, h->verdict);
        out_puts(o, "</p>\n");
    }
}

static void report_html(page_t *pg)
{
    int k;

    html_head(pg);
    if (shown_count(pg)) {
        html_table(pg);
    }
    else {
        out_puts(&pg->out, "<p id=\"none\">No host needs attention.</p>\n");
    }
    for (k = 0; k < shown_count(pg); k++) {
        html_host(pg, shown_host(pg, k));
    }
    out_puts(&pg->out, "</body></html>\n");
}

/* ------------------------------------------------------------------ */

/* Whether the query names a view: "json" in "?problems&json". */
static int query_has(const char *args, const char *name)
{
    apr_size_t len = strlen(name);

    while (args && *args) {
        if (!strncmp(args, name, len)
            && (args[len] == '\0' || args[len] == '&' || args[len] == '=')) {
            return 1;
        }
        args = strchr(args, '&');
        args = args ? args + 1 : NULL;
    }
    return 0;
}

int hsts_report_handler(request_rec *r)
{
    page_t pg;
    int json, metrics;

    if (!r->handler || strcmp(r->handler, HSTS_REPORT_HANDLER) != 0) {
        return DECLINED;
    }
    /* the 405's Allow header: GET, and with it HEAD */
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, -1);
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    memset(&pg, 0, sizeof(pg));
    pg.report = hsts_conf_of(r->server)->mc->report;
    if (!pg.report) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    pg.r = r;
    pg.now = r->request_time;
    json = query_has(r->args, "json");
    metrics = !json && query_has(r->args, "metrics");
    pg.problems = !metrics && query_has(r->args, "problems");
    if (pg.problems) {
        pg.shown = problem_hosts(r->pool, pg.report, pg.now);
    }
    /* it changes with the configuration and with time */
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    if (json) {
        ap_set_content_type(r, "application/json");
    }
    else if (metrics) {
        ap_set_content_type(r, "text/plain; version=0.0.4");
    }
    else {
        ap_set_content_type(r, "text/html; charset=utf-8");
        /* the page loads nothing and runs no script */
        apr_table_setn(r->headers_out, "Content-Security-Policy",
                       "default-src 'none'; style-src 'unsafe-inline'");
    }
    if (r->header_only) {
        return OK;
    }
    out_init(&pg.out, r);
    if (json) {
        report_json(&pg);
    }
    else if (metrics) {
        report_metrics(&pg);
    }
    else {
        report_html(&pg);
    }
    out_pass(&pg.out, 1);
    return OK;
}
