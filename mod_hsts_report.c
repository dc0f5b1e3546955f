/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: the "hsts-report" handler. Like server-status does for the
 * workers, it shows, for every virtual host, the policy and the header it
 * sends, its redirect, its certificate and every lint finding with its
 * fix: as an HTML page, or as JSON with "?json".
 *
 *     <Location "/hsts-report">
 *         SetHandler hsts-report
 *         Require ip 127.0.0.1 ::1
 *     </Location>
 *
 * What it shows is what the lint found when the server (re)started, so a
 * request costs no certificate parsing; the page says when that was.
 */
#include <apr_strings.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_main.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "mod_hsts_private.h"

/* The certificate findings of a host: "tls.cert.*" and "domain.tls.*". */
static int is_certificate_code(hsts_code_e code)
{
    const char *name = hsts_code_name(code);

    return !strncmp(name, "tls.cert.", 9) || !strncmp(name, "domain.tls.", 11);
}

/* A JSON string literal: quotes, backslashes and control bytes escaped. */
static const char *json_str(apr_pool_t *p, const char *s)
{
    apr_size_t extra = 2;
    const unsigned char *c;
    char *out, *o;

    if (!s) {
        return "null";
    }
    for (c = (const unsigned char *)s; *c; c++) {
        extra += (*c == '"' || *c == '\\') ? 1 : (*c < 0x20 ? 5 : 0);
    }
    o = out = apr_palloc(p, strlen(s) + extra + 1);
    *o++ = '"';
    for (c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') {
            *o++ = '\\';
            *o++ = (char)*c;
        }
        else if (*c < 0x20) {
            apr_snprintf(o, 7, "\\u%04x", *c);
            o += 6;
        }
        else {
            *o++ = (char)*c;
        }
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

static const char *html(apr_pool_t *p, const char *s)
{
    return s ? ap_escape_html2(p, s, 1) : "";
}

/* What one host looks like in the report. */
typedef struct {
    const hsts_report_host_t *host;
    const char *redirect;           /* "to HTTPS", "off", "n/a (TLS)" */
    const char *certificate;        /* a one-word status */
    int errors, warnings;
} host_view_t;

static void host_view(const hsts_report_t *report,
                      const hsts_report_host_t *h, host_view_t *v)
{
    const hsts_report_finding_t *f = (const hsts_report_finding_t *)
                                     report->findings->elts;
    int j, cert_problem = 0;

    memset(v, 0, sizeof(*v));
    v->host = h;
    v->redirect = h->is_tls ? "n/a (TLS)" : h->redirect ? "to HTTPS" : "off";
    for (j = h->first; j < h->first + h->count; j++) {
        if (f[j].ignored) {
            continue;
        }
        v->errors += f[j].severity == HSTS_ERROR;
        v->warnings += f[j].severity == HSTS_WARNING;
        cert_problem |= is_certificate_code(f[j].code)
                        && f[j].severity != HSTS_INFO;
    }
    v->certificate = !h->is_tls ? "n/a (plain HTTP)"
                     : h->cert_by_md ? "managed by mod_md"
                     : !h->header ? "not checked"
                     : cert_problem ? "problems" : "ok";
}

static apr_array_header_t *host_views(apr_pool_t *p,
                                      const hsts_report_t *report)
{
    apr_array_header_t *views = apr_array_make(p, report->hosts->nelts,
                                               sizeof(host_view_t));
    int i;

    for (i = 0; i < report->hosts->nelts; i++) {
        host_view(report, &APR_ARRAY_IDX(report->hosts, i, hsts_report_host_t),
                  apr_array_push(views));
    }
    return views;
}

static const char *made_at(request_rec *r, const hsts_report_t *report)
{
    char *date = apr_palloc(r->pool, APR_RFC822_DATE_LEN);

    apr_rfc822_date(date, report->made);
    return date;
}

static const char *lint_mode_name(hsts_lint_mode_e mode)
{
    return mode == HSTS_LINT_OFF ? "Off"
           : mode == HSTS_LINT_STRICT ? "Strict" : "On";
}

static void json_host(request_rec *r, const hsts_report_t *report,
                      const host_view_t *v)
{
    const hsts_report_host_t *h = v->host;
    const hsts_report_finding_t *f = (const hsts_report_finding_t *)
                                     report->findings->elts;
    int j;

    ap_rprintf(r, "{\"name\":%s,\"port\":%u,\"tls\":%s,\"defined\":%s,"
               "\"aliases\":[", json_str(r->pool, h->name),
               (unsigned int)h->port, h->is_tls ? "true" : "false",
               json_str(r->pool, h->where));
    for (j = 0; j < h->aliases->nelts; j++) {
        ap_rprintf(r, "%s%s", j ? "," : "",
                   json_str(r->pool, APR_ARRAY_IDX(h->aliases, j,
                                                   const char *)));
    }
    ap_rprintf(r, "],\"header\":%s,\"preload\":%s,\"redirect\":%s,"
               "\"certificate\":%s,\"errors\":%d,\"warnings\":%d,"
               "\"findings\":[", json_str(r->pool, h->header),
               h->preload != HSTS_PRELOAD_NONE ? "true" : "false",
               json_str(r->pool, v->redirect),
               json_str(r->pool, v->certificate), v->errors, v->warnings);
    for (j = h->first; j < h->first + h->count; j++) {
        ap_rprintf(r, "%s{\"code\":%s,\"severity\":%s,\"ignored\":%s,"
                   "\"message\":%s}", j > h->first ? "," : "",
                   json_str(r->pool, hsts_code_name(f[j].code)),
                   json_str(r->pool, hsts_severity_name(f[j].severity)),
                   f[j].ignored ? "true" : "false",
                   json_str(r->pool, f[j].message));
    }
    ap_rputs("]}", r);
}

static void report_json(request_rec *r, const hsts_report_t *report,
                        const apr_array_header_t *views)
{
    int i;

    ap_set_content_type(r, "application/json");
    ap_rprintf(r, "{\"server\":%s,\"generated\":%s,\"lint\":%s,\"hosts\":[",
               json_str(r->pool, ap_get_server_description()),
               json_str(r->pool, made_at(r, report)),
               json_str(r->pool, lint_mode_name(report->lint_mode)));
    for (i = 0; i < views->nelts; i++) {
        ap_rputs(i ? "," : "", r);
        json_host(r, report, &APR_ARRAY_IDX(views, i, host_view_t));
    }
    ap_rputs("]}\n", r);
}

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

static void html_head(request_rec *r, const hsts_report_t *report,
                      const apr_array_header_t *views)
{
    int i, errors = 0, warnings = 0;

    for (i = 0; i < views->nelts; i++) {
        errors += APR_ARRAY_IDX(views, i, host_view_t).errors;
        warnings += APR_ARRAY_IDX(views, i, host_view_t).warnings;
    }
    ap_set_content_type(r, "text/html; charset=utf-8");
    ap_rprintf(r, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
               "<meta charset=\"utf-8\"><title>mod_hsts report</title>"
               "<style>%s</style></head><body>\n<h1>mod_hsts report</h1>\n"
               "<p id=\"summary\">%s, checked at start-up on %s (HSTSLint %s): "
               "<strong>%d host%s</strong>, <span class=\"%s\">%d error%s</span>, "
               "<span class=\"%s\">%d warning%s</span>. "
               "<a href=\"?json\">JSON</a></p>\n",
               report_style, html(r->pool, ap_get_server_description()),
               made_at(r, report), lint_mode_name(report->lint_mode),
               views->nelts, views->nelts == 1 ? "" : "s",
               errors ? "bad" : "ok", errors, errors == 1 ? "" : "s",
               warnings ? "warn" : "ok", warnings, warnings == 1 ? "" : "s");
}

static void html_table(request_rec *r, const apr_array_header_t *views)
{
    int i;

    ap_rputs("<table id=\"hosts\"><tr><th>Host</th><th>Protocol</th>"
             "<th>Strict-Transport-Security</th><th>Redirect</th>"
             "<th>Certificate</th><th>Findings</th></tr>\n", r);
    for (i = 0; i < views->nelts; i++) {
        const host_view_t *v = &APR_ARRAY_IDX(views, i, host_view_t);
        const hsts_report_host_t *h = v->host;
        ap_rprintf(r, "<tr class=\"host\"><td><a href=\"#host-%d\">%s:%u</a>"
                   "</td><td>%s</td><td><code>%s</code>%s</td><td>%s</td>"
                   "<td class=\"%s\">%s</td><td class=\"%s\">%d error%s, "
                   "%d warning%s</td></tr>\n", i, html(r->pool, h->name),
                   (unsigned int)h->port, h->is_tls ? "HTTPS" : "HTTP",
                   h->header ? html(r->pool, h->header) : "none",
                   h->preload != HSTS_PRELOAD_NONE ? " (preload)" : "",
                   v->redirect,
                   !strcmp(v->certificate, "problems") ? "bad" : "ok",
                   v->certificate, v->errors ? "bad" : v->warnings ? "warn"
                                                                   : "ok",
                   v->errors, v->errors == 1 ? "" : "s", v->warnings,
                   v->warnings == 1 ? "" : "s");
    }
    ap_rputs("</table>\n", r);
}

/* One host's section: where it is defined, its names, its findings. */
static void html_host(request_rec *r, const hsts_report_t *report,
                      const host_view_t *v, int i)
{
    const hsts_report_host_t *h = v->host;
    const hsts_report_finding_t *f = (const hsts_report_finding_t *)
                                     report->findings->elts;
    int j;

    ap_rprintf(r, "<h2 id=\"host-%d\">%s:%u</h2>\n<p>Defined at <code>%s"
               "</code>", i, html(r->pool, h->name), (unsigned int)h->port,
               html(r->pool, h->where));
    for (j = 0; j < h->aliases->nelts; j++) {
        ap_rprintf(r, "%s<code>%s</code>", j ? ", " : ". Also: ",
                   html(r->pool, APR_ARRAY_IDX(h->aliases, j, const char *)));
    }
    ap_rputs(".</p>\n<ul class=\"findings\">\n", r);
    for (j = h->first; j < h->first + h->count; j++) {
        ap_rprintf(r, "<li class=\"%s%s\"><code>[%s]</code> %s%s</li>\n",
                   hsts_severity_name(f[j].severity),
                   f[j].ignored ? " ignored" : "",
                   html(r->pool, hsts_code_name(f[j].code)),
                   html(r->pool, f[j].message),
                   f[j].ignored ? " (ignored by HSTSLintIgnore)" : "");
    }
    if (!h->count) {
        ap_rputs("<li class=\"info\">No findings.</li>\n", r);
    }
    ap_rputs("</ul>\n", r);
    if (h->header) {
        ap_rprintf(r, "<p class=\"verdict\">%s:%u %s</p>\n",
                   html(r->pool, h->name), (unsigned int)h->port,
                   html(r->pool, hsts_verdict_sentence(r->pool, h->header,
                                                       h->preload,
                                                       h->blocked_by)));
    }
}

static void report_html(request_rec *r, const hsts_report_t *report,
                        const apr_array_header_t *views)
{
    int i;

    html_head(r, report, views);
    html_table(r, views);
    for (i = 0; i < views->nelts; i++) {
        html_host(r, report, &APR_ARRAY_IDX(views, i, host_view_t), i);
    }
    ap_rputs("</body></html>\n", r);
}

int hsts_report_handler(request_rec *r)
{
    const hsts_report_t *report;
    const apr_array_header_t *views;

    if (!r->handler || strcmp(r->handler, HSTS_REPORT_HANDLER) != 0) {
        return DECLINED;
    }
    r->allowed |= (AP_METHOD_BIT << M_GET);
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    report = hsts_conf_of(r->server)->mc->report;
    if (!report) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    views = host_views(r->pool, report);
    /* it changes with the configuration, not with time */
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    if (r->args && !strcmp(r->args, "json")) {
        report_json(r, report, views);
    }
    else {
        report_html(r, report, views);
    }
    return OK;
}
