/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: the startup lint's hooks. They run the pure rules of
 * hsts_lint.c over the hosts mod_hsts_hosts.c read, log every finding
 * once per start or restart (on the terminal under configtest), make
 * HSTSLint Strict stop configtest and a first start, and keep what the
 * report page shows.
 */
#include <apr_strings.h>
#include <apr_thread_proc.h>

#include <signal.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_main.h"
#include "ap_listen.h"
#include "ap_mpm.h"
#include "mpm_common.h"

#include "mod_hsts_private.h"

APLOG_USE_MODULE(hsts);




static hsts_lint_mode_e lint_mode(const hsts_module_conf *mc)
{
    return mc->lint_mode == HSTS_UNSET ? HSTS_LINT_ON
                                       : (hsts_lint_mode_e)mc->lint_mode;
}

static int configtest(void)
{
    return ap_state_query(AP_SQ_RUN_MODE) == AP_SQ_RM_CONFIG_TEST;
}

/*
 * apache2 -t exits as soon as the lint has run. The memory of the lint
 * and of the cache is then left to the exit, which gives it back at
 * once: destroyed pool by pool, block by block, it costs more than the
 * lint itself. Everything else (OpenSSL's objects, the cache file) is
 * done with as in any run.
 */
static apr_pool_t *exit_pool(void)
{
    apr_pool_t *p = NULL;

    apr_pool_create_unmanaged_ex(&p, NULL, NULL);
    return p;
}

/* What certificates say, kept for the life of httpd's parent (across
 * graceful restarts, and shared by the two configuration passes of a
 * start): httpd's retained data, as mod_ssl and mod_md keep theirs. */
typedef struct {
    hsts_cert_cache_t *cache;
} retained_t;

static hsts_cert_cache_t *cert_cache(server_rec *main_server)
{
    /* versioned: a graceful restart may load a newer module */
    static const char key[] = "mod_hsts-certificate-cache-"
                              APR_STRINGIFY(HSTS_CERT_CACHE_FORMAT);
    retained_t *r = ap_retained_data_get(key);

    if (!r) {
        apr_pool_t *p = configtest() ? exit_pool() : NULL;
        r = ap_retained_data_create(key, sizeof(*r));
        r->cache = hsts_cert_cache_make(p ? p : main_server->process->pool);
    }
    return r->cache;
}

/* The cache file: what a new process (apache2 -t, and the one that
 * apachectl graceful runs before it signals) finds of what the last one
 * learnt. */
static const char *cache_file(apr_pool_t *p)
{
    return ap_runtime_dir_relative(p, "mod_hsts-certificates.cache");
}

/* What loading the cache file found, logged. */
static void log_cache_file(hsts_cache_file_e r, const char *why,
                           apr_pool_t *p, server_rec *main_server)
{
    const char *path = cache_file(p);

    if (r == HSTS_CACHE_FILE_REFUSED) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, main_server,
                     "mod_hsts: The certificate cache file %s %s, so the lint "
                     "did not use it: it checked every certificate again "
                     "and replaces the file with one only its owner can "
                     "write. Check who else can write to httpd's runtime "
                     "directory (DefaultRuntimeDir).", path, why);
    }
    else if (r == HSTS_CACHE_FILE_IGNORED) {
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, main_server,
                     "mod_hsts: the certificate cache file %s %s: ignored, "
                     "and written anew", path, why);
    }
}

static void cache_loaded(hsts_cert_store_t *certs, apr_pool_t *p,
                         server_rec *main_server)
{
    const char *why = NULL;
    hsts_cache_file_e r = hsts_cert_store_loaded(certs, &why);

    log_cache_file(r, why, p, main_server);
}

static void cache_save(hsts_cert_cache_t *cache, apr_pool_t *p,
                       server_rec *main_server)
{
    const char *path = cache_file(p), *why = NULL;

    if (path && hsts_cert_cache_save(cache, path, p, &why)) {
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, main_server,
                     "mod_hsts: the certificate cache was not written: %s",
                     why);
    }
}

/* A pool whose memory goes back to the system when it is destroyed (not
 * to the free list of ptemp's allocator, which httpd's parent keeps). */
apr_pool_t *hsts_work_pool(apr_pool_t *parent)
{
    apr_allocator_t *allocator;
    apr_pool_t *p;

    if (configtest() && (p = exit_pool()) != NULL) {
        return p;
    }
    if (apr_allocator_create(&allocator) != APR_SUCCESS
        || apr_pool_create_ex(&p, parent, NULL, allocator) != APR_SUCCESS) {
        apr_pool_create(&p, parent);
        return p;
    }
    apr_allocator_owner_set(allocator, p);
    return p;
}

/* Of each HSTS host's certificate files (RSA and ECDSA, say), the one
 * that expires first: the date the report page watches. */
static hsts_cert_expiry_t *cert_expiries(apr_pool_t *p,
                                         const hsts_module_conf *mc,
                                         hsts_cert_store_t *certs,
                                         const hsts_lint_result_t *lint)
{
    hsts_cert_expiry_t *all = apr_pcalloc(p, sizeof(*all)
                                             * (apr_size_t)mc->hosts->nelts);
    int i, j;

    for (i = 0; i < lint->verdicts->nelts; i++) {
        int host = APR_ARRAY_IDX(lint->verdicts, i, hsts_verdict_t).host;
        const hsts_lint_host_t *h = &APR_ARRAY_IDX(mc->hosts, host,
                                                   hsts_lint_host_t);

        for (j = 0; h->is_tls && !h->cert_by_md && h->cert_files
                    && j < h->cert_files->nelts; j++) {
            const char *file = APR_ARRAY_IDX(h->cert_files, j, const char *);
            apr_time_t expiry = hsts_cert_expiry(hsts_cert_get(
                certs, file, h->chain_file));

            if (expiry && (!all[host].expiry || expiry < all[host].expiry)) {
                all[host].expiry = expiry;
                all[host].file = file;
            }
        }
    }
    return all;
}

/* What each host ignores (HSTSLintIgnore), unless the report page, which
 * shows ignored findings too, is configured: no message is made for
 * them. */
static const hsts_code_set_t *quiet_codes(apr_pool_t *p,
                                          const hsts_module_conf *mc)
{
    hsts_code_set_t *quiet;
    int i;

    if (hsts_conftree_has_report(mc->tree)) {
        return NULL;
    }
    quiet = apr_palloc(p, sizeof(*quiet) * (apr_size_t)mc->hosts->nelts);
    for (i = 0; i < mc->hosts->nelts; i++) {
        quiet[i] = hsts_conf_of(APR_ARRAY_IDX(mc->servers, i, server_rec *))
                       ->lint_ignore;
    }
    return quiet;
}

/*
 * The lint's pool, and its store of certificates, which starts loading
 * the cache file at once (on a thread of its own, while the hosts are
 * read). Only one hook of a configuration pass lints.
 */
static void lint_begin(apr_pool_t *ptemp, hsts_module_conf *mc,
                       server_rec *main_server, int threads)
{
    if (!mc->lint_pool) {
        mc->lint_pool = hsts_work_pool(ptemp);
        mc->lint_certs = hsts_cert_store_make(mc->lint_pool,
                                              cert_cache(main_server));
        if (!threads) {
            hsts_cert_store_no_threads(mc->lint_certs);
        }
    }
    hsts_cert_store_load(mc->lint_certs, cache_file(mc->lint_pool));
}

/*
 * configtest lints in check_config, after httpd has read the whole
 * configuration, for seconds at hosting scale, on one core: meanwhile
 * the certificate files are read on another. (A short-lived process:
 * its threads cost nothing later.)
 */
void hsts_lint_pre_config(apr_pool_t *ptemp, server_rec *main_server)
{
    hsts_module_conf *mc = hsts_conf_of(main_server)->mc;

    if (hsts_conftree_lint_off(mc->tree) || !configtest()) {
        return;
    }
    mc->lint_pool = hsts_work_pool(ptemp);
    mc->lint_certs = hsts_cert_store_make(mc->lint_pool,
                                          cert_cache(main_server));
    hsts_cert_read_ahead(mc->lint_certs,
                         hsts_conftree_cert_files(mc->lint_pool, mc->tree));
}

/*
 * Lints every host in the lint's pool, which lint_end() destroys as soon
 * as the hook that ran it has logged it (and made the report): the
 * parsed certificates and the rest of the working data do not stay in
 * httpd's parent. What certificates say stays, in the cache (and its
 * file).
 */
static const hsts_lint_result_t *lint_run(hsts_module_conf *mc)
{
    apr_pool_t *p = mc->lint_pool;
    hsts_lint_result_t *result = apr_pcalloc(p, sizeof(*result));
    hsts_lint_input_t in;
    psl_ctx_t *psl;

    memset(&in, 0, sizeof(in));
    in.hosts = mc->hosts;
    in.certs = mc->lint_certs;
    /* the certificate files are read while the hosts are indexed */
    hsts_lint_read_ahead(p, &in);
    psl = psl_latest(NULL);
    in.listens = hsts_conftree_listens(mc->tree);
    in.psl = psl;
    in.match = hsts_alias_match;
    in.regex = hsts_regex_match;
    in.regex_ctx = apr_hash_make(p);
    in.now = apr_time_now();
    in.quiet = quiet_codes(p, mc);
    hsts_lint_run(p, &in, result);
    psl_free(psl);
    mc->lint = result;
    mc->cert_expiry = cert_expiries(p, mc, in.certs, result);
    return result;
}

/* The end of a configuration pass for the hosts as read. */
static void hosts_end(hsts_module_conf *mc)
{
    if (mc->hosts_pool && !configtest()) {
        apr_pool_destroy(mc->hosts_pool);
    }
    mc->hosts_pool = NULL;
    mc->hosts = NULL;
    mc->servers = NULL;
    if (mc->tree_pool && !configtest()) {
        apr_pool_destroy(mc->tree_pool);
    }
    /* a store begun for a lint that did not run */
    if (mc->lint_pool && !configtest()) {
        apr_pool_destroy(mc->lint_pool);
    }
    mc->lint_pool = NULL;
    mc->lint_certs = NULL;
    mc->tree_pool = NULL;
    mc->tree = NULL;
#ifdef __GLIBC__
    /* what was freed goes back to the system: httpd's parent lives long */
    malloc_trim(0);
#endif
}

static void lint_end(hsts_module_conf *mc, server_rec *main_server)
{
    const hsts_cert_stats_t *st = hsts_cert_store_stats(mc->lint_certs);

    /* what LogLevel hsts:debug shows of the reuse: on an unchanged
     * configuration, nothing parsed and nothing verified */
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, main_server,
                 "mod_hsts: certificates: %d files read, %d parsed, %d "
                 "certificates parsed, %d chains verified, %d names asked "
                 "of OpenSSL (the rest known from the certificate cache)",
                 st->files_read, st->files_parsed, st->certs_parsed,
                 st->chains_verified, st->names_checked);
    hsts_cert_store_done(mc->lint_certs);
    cache_save(cert_cache(main_server), mc->lint_pool, main_server);
    if (configtest()) {
        return;
    }
    apr_pool_destroy(mc->lint_pool);
    mc->lint_pool = NULL;
    mc->lint_certs = NULL;
    mc->lint = NULL;
    mc->cert_expiry = NULL;
}

static int ignored(const hsts_module_conf *mc, const hsts_finding_t *f)
{
    const hsts_server_conf *conf = hsts_conf_of(
        APR_ARRAY_IDX(mc->servers, f->host, server_rec *));

    return (conf->lint_ignore & HSTS_CODE_BIT(f->issue.code)) != 0;
}

/* The error-class findings that are not ignored. */
static int count_errors(const hsts_module_conf *mc)
{
    const hsts_finding_t *f = (const hsts_finding_t *)mc->lint->findings->elts;
    int i, errors = 0;

    for (i = 0; i < mc->lint->findings->nelts; i++) {
        errors += f[i].issue.severity == HSTS_ERROR && !ignored(mc, &f[i]);
    }
    return errors;
}

static void log_finding(const hsts_module_conf *mc, server_rec *main_server,
                        const hsts_finding_t *f, int strict)
{
    const hsts_lint_host_t *h = &APR_ARRAY_IDX(mc->hosts, f->host,
                                               hsts_lint_host_t);
    int level = f->issue.severity == HSTS_ERROR && strict ? APLOG_ERR
                : f->issue.severity == HSTS_INFO ? APLOG_INFO : APLOG_WARNING;

    ap_log_error(APLOG_MARK, level, 0, main_server, "mod_hsts: %s:%u [%s] %s",
                 h->name, (unsigned int)h->port,
                 hsts_code_name(f->issue.code), f->issue.message);
}

/* The lines about a host that carry no code: mod_md, and the summary. */
static void log_verdict(apr_pool_t *p, const hsts_module_conf *mc,
                        server_rec *main_server, const hsts_verdict_t *v)
{
    const hsts_lint_host_t *h = &APR_ARRAY_IDX(mc->hosts, v->host,
                                               hsts_lint_host_t);

    if (h->is_tls && h->cert_by_md) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, main_server,
                     "mod_hsts: %s:%u Its certificate is managed by mod_md, "
                     "which renews it, so the certificate checks are left to "
                     "mod_md.", h->name, (unsigned int)h->port);
    }
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, main_server, "mod_hsts: %s:%u %s",
                 h->name, (unsigned int)h->port,
                 hsts_verdict_sentence(p, v->value, v->preload,
                                       v->blocked_by));
}

/*
 * Logs each finding not ignored, host by host, each host's summary after
 * its findings (to stderr before the error log is open, as in
 * configtest). Error-class findings are logged at error level under
 * HSTSLint Strict.
 */
static void log_lint(apr_pool_t *p, const hsts_module_conf *mc,
                     server_rec *main_server, int strict)
{
    const hsts_lint_result_t *lint = mc->lint;
    const hsts_finding_t *f = (const hsts_finding_t *)lint->findings->elts;
    const hsts_verdict_t *v = (const hsts_verdict_t *)lint->verdicts->elts;
    int i = 0, j = 0;

    while (i < lint->findings->nelts || j < lint->verdicts->nelts) {
        if (j >= lint->verdicts->nelts
            || (i < lint->findings->nelts && f[i].host <= v[j].host)) {
            if (!ignored(mc, &f[i])) {
                log_finding(mc, main_server, &f[i], strict);
            }
            i++;
        }
        else {
            log_verdict(p, mc, main_server, &v[j++]);
        }
    }
}

/* Copies what the report page shows of the lint into the configuration
 * pool; the rest of the lint's working data goes with lint_end(). */
static hsts_report_t *report_make(apr_pool_t *pconf, const hsts_module_conf *mc,
                                  hsts_lint_mode_e mode);

/* The lint of a start or restart, logged; with the report page, kept. */
static void lint_and_log(apr_pool_t *pconf, apr_pool_t *ptemp,
                         hsts_module_conf *mc, server_rec *main_server,
                         int threads)
{
    hsts_lint_mode_e mode = lint_mode(mc);

    lint_begin(ptemp, mc, main_server, threads);
    lint_run(mc);
    cache_loaded(mc->lint_certs, mc->lint_pool, main_server);
    if (mc->report_configured) {
        mc->report = report_make(pconf, mc, mode);
    }
    if (mode != HSTS_LINT_OFF) {
        log_lint(ptemp, mc, main_server, mode == HSTS_LINT_STRICT);
    }
    lint_end(mc, main_server);
}

/* Whether post_config lints: not in the first pass of a start, whose
 * error log is not yet the server's; in the next, and every restart. */
static int post_config_lints(const hsts_module_conf *mc)
{
    return (lint_mode(mc) != HSTS_LINT_OFF
            || hsts_conftree_has_report(mc->tree))
           && ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG;
}

/*
 * The first lint of httpd's parent (its cache empty: a start, or the
 * first restart with the lint or the report page on) parses and
 * verifies every certificate: seconds at hosting scale. So it is done in
 * a child process, forked in check_config, on another core while the
 * other modules' post_config hooks run in the parent (mod_ssl's reads
 * every key and certificate, on one core; the child keeps to one thread
 * too: on two cores more would slow the parent down by as much); the
 * child leaves what it learnt in the cache file, and post_config waits
 * for it, takes the file back and lints from it. The parent itself never
 * starts a thread: once a process has had a second one, glibc's malloc
 * locks on every call for the rest of its life, and mod_ssl's work at
 * every restart would pay for it. Once the cache knows the certificates
 * it does not fork either: after a fork every page the parent writes
 * faults once, which costs about what the lint then does.
 */
typedef struct {
    apr_proc_t proc;
    apr_file_t *found;              /* from the child: what its store found
                                     * of the cache file, "<code> <why>" */
} helper_t;

/* In the child: the certificates checked, the cache file written, what
 * loading it found told to the parent. */
static void helper_child(apr_pool_t *ptemp, hsts_module_conf *mc,
                         server_rec *main_server, apr_file_t *found)
{
    const char *why = NULL, *line;
    hsts_cache_file_e r;

    lint_begin(ptemp, mc, main_server, 0);
    lint_run(mc);
    r = hsts_cert_store_loaded(mc->lint_certs, &why);
    hsts_cert_store_done(mc->lint_certs);
    cache_save(cert_cache(main_server), mc->lint_pool, main_server);
    line = apr_psprintf(ptemp, "%d %s", (int)r, why ? why : "");
    apr_file_write_full(found, line, strlen(line), NULL);
}

static void lint_helper(apr_pool_t *ptemp, hsts_module_conf *mc,
                        server_rec *main_server)
{
    helper_t *h = apr_pcalloc(ptemp, sizeof(*h));
    apr_file_t *to_parent;
    pid_t parent = getpid();

    if (apr_file_pipe_create(&h->found, &to_parent, ptemp) != APR_SUCCESS) {
        return;
    }
    switch (apr_proc_fork(&h->proc, ptemp)) {
    case APR_INCHILD:
        /* it holds none of httpd's ports, and does not outlive httpd */
        ap_close_listeners();
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
        if (getppid() != parent) {
            _exit(0);
        }
        helper_child(ptemp, mc, main_server, to_parent);
        /* nothing of the parent's is to be cleaned up here */
        _exit(0);
    case APR_INPARENT:
        mc->lint_helper = h;
        break;
    default:
        apr_file_close(h->found);
        break;
    }
    apr_file_close(to_parent);
}

/* Waits for the child of lint_helper(), and takes its cache file. */
static void lint_helper_wait(apr_pool_t *ptemp, hsts_module_conf *mc,
                             server_rec *main_server)
{
    helper_t *h = mc->lint_helper;
    const char *why = NULL, *path = cache_file(ptemp);
    char found[1024];
    apr_size_t n = 0;
    apr_exit_why_e how;
    int code;

    if (!h) {
        return;
    }
    apr_file_read_full(h->found, found, sizeof(found) - 1, &n);
    apr_file_close(h->found);
    apr_proc_wait(&h->proc, &code, &how, APR_WAIT);
    mc->lint_helper = NULL;
    found[n] = '\0';
    if (n > 2 && found[0] >= '0' && found[0] <= '9' && found[1] == ' ') {
        log_cache_file((hsts_cache_file_e)(found[0] - '0'), found + 2, ptemp,
                       main_server);
    }
    if (path) {
        hsts_cert_cache_reload(cert_cache(main_server), path, ptemp, &why);
    }
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
    hsts_module_conf *mc = hsts_conf_of(main_server)->mc;
    hsts_lint_mode_e mode = lint_mode(mc);
    int test = configtest();
    int first_pass = ap_state_query(AP_SQ_MAIN_STATE)
                     == AP_SQ_MS_CREATE_PRE_CONFIG;
    int lint = mode != HSTS_LINT_OFF
               && (test || (mode == HSTS_LINT_STRICT && first_pass
                            && !server_running(ptemp)));
    int errors;

    (void)pconf;
    (void)plog;
    if (lint) {
        lint_begin(ptemp, mc, main_server, test);
    }
    /* the hosts as read are needed until post_config: a pool of their
     * own, so that what thousands of them take is given back then */
    mc->hosts_pool = hsts_work_pool(ptemp);
    mc->hosts = hsts_hosts_read(mc->hosts_pool, mc->tree, main_server,
                                &mc->servers);
    if (!lint) {
        /* a pass that lints in post_config, the parent's first */
        if (!first_pass && post_config_lints(mc)
            && hsts_cert_cache_empty(cert_cache(main_server))) {
            lint_helper(ptemp, mc, main_server);
        }
        return OK;
    }
    lint_run(mc);
    cache_loaded(mc->lint_certs, mc->lint_pool, main_server);
    errors = count_errors(mc);
    /* A first start logs its findings in post_config, once the error
     * log is open; here only what stops it, so nothing is logged twice. */
    if (test || errors) {
        log_lint(ptemp, mc, main_server, mode == HSTS_LINT_STRICT);
    }
    lint_end(mc, main_server);
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

int hsts_lint_post_config(apr_pool_t *pconf, apr_pool_t *ptemp,
                          server_rec *main_server)
{
    hsts_module_conf *mc = hsts_conf_of(main_server)->mc;

    if (post_config_lints(mc)) {
        lint_helper_wait(ptemp, mc, main_server);
        lint_and_log(pconf, ptemp, mc, main_server, 0);
    }
    /* post_config is the last to need the hosts as read */
    hosts_end(mc);
    return OK;
}

/* ------------------------------------------------------------------ */
/* What the report page keeps.                                         */

static const apr_array_header_t *aliases_of(apr_pool_t *p,
                                            const hsts_lint_host_t *h)
{
    apr_array_header_t *all = apr_array_make(p, h->names->nelts
                                                + h->wild_names->nelts,
                                             sizeof(const char *));
    int i;

    for (i = 0; i < h->names->nelts; i++) {
        APR_ARRAY_PUSH(all, const char *) =
            apr_pstrdup(p, APR_ARRAY_IDX(h->names, i, const char *));
    }
    for (i = 0; i < h->wild_names->nelts; i++) {
        APR_ARRAY_PUSH(all, const char *) =
            apr_pstrdup(p, APR_ARRAY_IDX(h->wild_names, i, const char *));
    }
    return all;
}

static void report_host(apr_pool_t *pconf, const hsts_cert_expiry_t *cert,
                        const hsts_lint_host_t *h, const hsts_verdict_t *v,
                        hsts_report_host_t *rh)
{
    memset(rh, 0, sizeof(*rh));
    rh->name = apr_pstrdup(pconf, h->name);
    rh->port = h->port;
    rh->where = apr_pstrdup(pconf, h->where);
    rh->is_tls = h->is_tls;
    rh->aliases = aliases_of(pconf, h);
    rh->redirect = h->redirect;
    rh->cert_by_md = h->cert_by_md;
    if (v) {
        rh->header = apr_pstrdup(pconf, v->value);
        rh->preload = v->preload;
        rh->blocked_by = v->blocked_by ? apr_pstrdup(pconf, v->blocked_by)
                                       : NULL;
        rh->verdict = hsts_verdict_sentence(pconf, v->value, v->preload,
                                            v->blocked_by);
        if (h->is_tls && !h->cert_by_md && cert->expiry) {
            rh->cert_expiry = cert->expiry;
            rh->cert_file = apr_pstrdup(pconf, cert->file);
        }
    }
}

static hsts_report_t *report_make(apr_pool_t *pconf, const hsts_module_conf *mc,
                                  hsts_lint_mode_e mode)
{
    hsts_report_t *report = apr_pcalloc(pconf, sizeof(*report));
    const hsts_finding_t *f = (const hsts_finding_t *)mc->lint->findings->elts;
    const hsts_verdict_t *v = (const hsts_verdict_t *)mc->lint->verdicts->elts;
    int i, fi = 0, vi = 0;

    report->made = apr_time_now();
    report->lint_mode = mode;
    report->hosts = apr_array_make(pconf, mc->hosts->nelts,
                                   sizeof(hsts_report_host_t));
    report->findings = apr_array_make(pconf, mc->lint->findings->nelts,
                                      sizeof(hsts_report_finding_t));
    for (i = 0; i < mc->hosts->nelts; i++) {
        const hsts_lint_host_t *h = &APR_ARRAY_IDX(mc->hosts, i,
                                                   hsts_lint_host_t);
        hsts_report_host_t *rh;

        while (vi < mc->lint->verdicts->nelts && v[vi].host < i) {
            vi++;
        }
        if (!h->linted) {
            continue;
        }
        rh = apr_array_push(report->hosts);
        report_host(pconf, &mc->cert_expiry[i], h,
                    vi < mc->lint->verdicts->nelts && v[vi].host == i
                    ? &v[vi] : NULL, rh);
        rh->ignores = hsts_conf_of(APR_ARRAY_IDX(mc->servers, i,
                                                 server_rec *))->lint_ignore;
        rh->first = report->findings->nelts;
        for (; fi < mc->lint->findings->nelts && f[fi].host <= i; fi++) {
            hsts_report_finding_t *rf = apr_array_push(report->findings);
            rf->code = f[fi].issue.code;
            rf->severity = f[fi].issue.severity;
            rf->ignored = ignored(mc, &f[fi]);
            rf->message = apr_pstrdup(pconf, f[fi].issue.message);
        }
        rh->count = report->findings->nelts - rh->first;
    }
    hsts_report_prepare(pconf, report);
    return report;
}
