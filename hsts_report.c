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

#include "hsts_glue.h"

/* The certificate findings of a host: "tls.cert.*" and "domain.tls.*". */
static int is_certificate_code(const char *code)
{
    return code && (!strncmp(code, "tls.cert.", 9)
                    || !strncmp(code, "domain.tls.", 11));
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
    const hsts_lint_host_t *host;
    const char *header;             /* the value it sends, or NULL */
    const char *redirect;           /* "301/308", "302/307", "off", "n/a" */
    const char *certificate;        /* a one-word status */
    int preload, errors, warnings;
    int first, count;               /* its findings: [first, first+count) */
} host_view_t;

static apr_array_header_t *host_views(apr_pool_t *p,
                                      const hsts_report_t *report)
{
    apr_array_header_t *views = apr_array_make(p, report->hosts->nelts,
                                               sizeof(host_view_t));
    const hsts_finding_t *f = (const hsts_finding_t *)report->findings->elts;
    int i, j = 0;

    for (i = 0; i < report->hosts->nelts; i++) {
        const hsts_lint_host_t *h = &APR_ARRAY_IDX(report->hosts, i,
                                                   hsts_lint_host_t);
        host_view_t *v;
        int cert_problem = 0;

        while (j < report->findings->nelts && f[j].host < i) {
            j++;
        }
        if (!h->linted) {
            continue;
        }
        v = apr_array_push(views);
        memset(v, 0, sizeof(*v));
        v->host = h;
        v->header = h->is_tls ? hsts_lint_host_value(p, h) : NULL;
        v->preload = v->header && hsts_lint_host_preload(p, h);
        v->redirect = h->is_tls ? "n/a (TLS)"
                      : h->redirect ? "to HTTPS" : "off";
        v->first = j;
        for (; j < report->findings->nelts && f[j].host == i; j++) {
            v->count++;
            if (hsts_report_ignored(report, j) || !f[j].issue.code) {
                continue;
            }
            v->errors += f[j].issue.severity == HSTS_ERROR;
            v->warnings += f[j].issue.severity == HSTS_WARNING;
            cert_problem |= is_certificate_code(f[j].issue.code)
                            && f[j].issue.severity != HSTS_INFO;
        }
        v->certificate = !h->is_tls ? "n/a (plain HTTP)"
                         : h->cert_by_md ? "managed by mod_md"
                         : !hsts_lint_host_sends_sts(h) ? "not checked"
                         : cert_problem ? "problems" : "ok";
    }
    return views;
}

static const char *made_at(request_rec *r, const hsts_report_t *report)
{
    char *date = apr_palloc(r->pool, APR_RFC822_DATE_LEN);

    apr_rfc822_date(date, report->made);
    return date;
}

static const char *lint_mode_name(int mode)
{
    return mode == HSTS_LINT_OFF ? "Off"
           : mode == HSTS_LINT_STRICT ? "Strict" : "On";
}

static void report_json(request_rec *r, const hsts_report_t *report,
                        const apr_array_header_t *views)
{
    const hsts_finding_t *f = (const hsts_finding_t *)report->findings->elts;
    int i, j, k;

    ap_set_content_type(r, "application/json");
    ap_rprintf(r, "{\"server\":%s,\"generated\":%s,\"lint\":%s,\"hosts\":[",
               json_str(r->pool, ap_get_server_description()),
               json_str(r->pool, made_at(r, report)),
               json_str(r->pool, lint_mode_name(report->lint_mode)));
    for (i = 0; i < views->nelts; i++) {
        const host_view_t *v = &APR_ARRAY_IDX(views, i, host_view_t);
        const hsts_lint_host_t *h = v->host;
        const apr_array_header_t *lists[2] = { h->names, h->wild_names };

        ap_rprintf(r, "%s{\"name\":%s,\"port\":%u,\"tls\":%s,\"defined\":%s,"
                   "\"aliases\":[", i ? "," : "", json_str(r->pool, h->name),
                   (unsigned int)h->port, h->is_tls ? "true" : "false",
                   json_str(r->pool, h->where));
        for (k = 0, j = 0; k < 2; k++) {
            int n;
            for (n = 0; lists[k] && n < lists[k]->nelts; n++, j++) {
                ap_rprintf(r, "%s%s", j ? "," : "",
                           json_str(r->pool, APR_ARRAY_IDX(lists[k], n,
                                                           const char *)));
            }
        }
        ap_rprintf(r, "],\"header\":%s,\"preload\":%s,\"redirect\":%s,"
                   "\"certificate\":%s,\"errors\":%d,\"warnings\":%d,"
                   "\"findings\":[", json_str(r->pool, v->header),
                   v->preload ? "true" : "false",
                   json_str(r->pool, v->redirect),
                   json_str(r->pool, v->certificate), v->errors, v->warnings);
        for (j = v->first; j < v->first + v->count; j++) {
            ap_rprintf(r, "%s{\"code\":%s,\"severity\":%s,\"ignored\":%s,"
                       "\"message\":%s}", j > v->first ? "," : "",
                       json_str(r->pool, f[j].issue.code),
                       json_str(r->pool, hsts_severity_name(f[j].issue.severity)),
                       hsts_report_ignored(report, j) ? "true" : "false",
                       json_str(r->pool, f[j].issue.message));
        }
        ap_rputs("]}", r);
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

static void report_html(request_rec *r, const hsts_report_t *report,
                        const apr_array_header_t *views)
{
    const hsts_finding_t *f = (const hsts_finding_t *)report->findings->elts;
    int i, j, errors = 0, warnings = 0;

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

    ap_rputs("<table id=\"hosts\"><tr><th>Host</th><th>Protocol</th>"
             "<th>Strict-Transport-Security</th><th>Redirect</th>"
             "<th>Certificate</th><th>Findings</th></tr>\n", r);
    for (i = 0; i < views->nelts; i++) {
        const host_view_t *v = &APR_ARRAY_IDX(views, i, host_view_t);
        ap_rprintf(r, "<tr class=\"host\"><td><a href=\"#host-%d\">%s:%u</a>"
                   "</td><td>%s</td><td><code>%s</code>%s</td><td>%s</td>"
                   "<td class=\"%s\">%s</td><td class=\"%s\">%d error%s, "
                   "%d warning%s</td></tr>\n", i, html(r->pool, v->host->name),
                   (unsigned int)v->host->port,
                   v->host->is_tls ? "HTTPS" : "HTTP",
                   v->header ? html(r->pool, v->header) : "none",
                   v->preload ? " (preload)" : "", v->redirect,
                   !strcmp(v->certificate, "problems") ? "bad" : "ok",
                   v->certificate, v->errors ? "bad" : v->warnings ? "warn"
                                                                   : "ok",
                   v->errors, v->errors == 1 ? "" : "s", v->warnings,
                   v->warnings == 1 ? "" : "s");
    }
    ap_rputs("</table>\n", r);

    for (i = 0; i < views->nelts; i++) {
        const host_view_t *v = &APR_ARRAY_IDX(views, i, host_view_t);
        const hsts_lint_host_t *h = v->host;
        const apr_array_header_t *lists[2] = { h->names, h->wild_names };
        int k, n, any = 0;

        ap_rprintf(r, "<h2 id=\"host-%d\">%s:%u</h2>\n<p>Defined at <code>%s"
                   "</code>", i, html(r->pool, h->name), (unsigned int)h->port,
                   html(r->pool, h->where));
        for (k = 0; k < 2; k++) {
            for (n = 0; lists[k] && n < lists[k]->nelts; n++) {
                ap_rprintf(r, "%s<code>%s</code>", any++ ? ", " : ". Also: ",
                           html(r->pool, APR_ARRAY_IDX(lists[k], n,
                                                       const char *)));
            }
        }
        ap_rputs(".</p>\n<ul class=\"findings\">\n", r);
        for (j = v->first; j < v->first + v->count; j++) {
            const char *severity = hsts_severity_name(f[j].issue.severity);
            int silenced = hsts_report_ignored(report, j);
            /* a finding has a code; the summary line says whose it is */
            ap_rprintf(r, "<li class=\"%s%s\">%s%s%s%s%s</li>\n", severity,
                       silenced ? " ignored" : "",
                       f[j].issue.code ? "<code>[" : "",
                       f[j].issue.code ? html(r->pool, f[j].issue.code)
                                       : apr_psprintf(r->pool, "%s:%u ",
                                                      html(r->pool, h->name),
                                                      (unsigned int)h->port),
                       f[j].issue.code ? "]</code> " : "",
                       html(r->pool, f[j].issue.message),
                       silenced ? " (ignored by HSTSLintIgnore)" : "");
        }
        if (!v->count) {
            ap_rputs("<li class=\"info\">No findings.</li>\n", r);
        }
        ap_rputs("</ul>\n", r);
    }
    ap_rputs("</body></html>\n", r);
}

int hsts_report_handler(request_rec *r)
{
    const hsts_server_conf *main_conf;
    const apr_array_header_t *views;

    if (!r->handler || strcmp(r->handler, HSTS_REPORT_HANDLER) != 0) {
        return DECLINED;
    }
    r->allowed |= (AP_METHOD_BIT << M_GET);
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    main_conf = ap_get_module_config(ap_server_conf->module_config,
                                     &hsts_module);
    if (!main_conf->report) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    views = host_views(r->pool, main_conf->report);
    /* it changes with the configuration, not with time */
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    if (r->args && !strcmp(r->args, "json")) {
        report_json(r, main_conf->report, views);
    }
    else {
        report_html(r, main_conf->report, views);
    }
    return OK;
}
