/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of what the certificate checks keep from one run to the next
 * (hsts_cert_cache.c): in memory, as across graceful restarts, and in the
 * cache file that the next process (apache2 -t) reads.
 *
 * Each "run" is what the lint does with its store: get the certificates,
 * say what will be asked, prepare, check, end. Nothing cached may stand
 * for what changed since: a certificate file, a chain file, the trust
 * store, or the time (dates are judged at every run).
 */
#include "hsts_cert.h"
#include "pki.h"
#include "tap.h"

#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static apr_pool_t *pool;
static int no_threads;             /* the stores use no thread of their own */

/* One host: its certificate file, chain file, names; preload or not. */
typedef struct {
    const char *cert;
    const char *chain;
    const char *names;
    int preload;
} host_t;

/* What a run found, and what it did. */
typedef struct {
    const char *issues;             /* "E:code W:code ..." per host, "|" */
    const char *messages;           /* every message, joined */
    hsts_cert_stats_t stats;
} result_t;

/* The checks of a run over the hosts at time t (seconds), with store, as
 * hsts_lint.c makes them; the store is done with after. */
static result_t check_run(apr_pool_t *p, hsts_cert_store_t *store,
                          const host_t *hosts, int n, time_t t)
{
    result_t r = { "", "", { 0, 0, 0, 0, 0, 0, 0, 0 } };
    int i, j;

    for (i = 0; i < n; i++) {
        hsts_cert_want(store, hsts_cert_get(store, hosts[i].cert,
                                            hosts[i].chain),
                       names_of(hosts[i].names), hosts[i].preload);
    }
    hsts_cert_prepare(store);
    for (i = 0; i < n; i++) {
        apr_array_header_t *issues = apr_array_make(p, 2,
                                                    sizeof(hsts_issue_t));
        const hsts_issue_t *all;

        hsts_cert_check(store, hsts_cert_get(store, hosts[i].cert,
                                             hosts[i].chain),
                        p, apr_time_from_sec(t), names_of(hosts[i].names),
                        hosts[i].preload, issues);
        all = (const hsts_issue_t *)issues->elts;
        for (j = 0; j < issues->nelts; j++) {
            r.messages = apr_pstrcat(pool, r.messages, all[j].message, "\n",
                                     NULL);
        }
        r.issues = apr_pstrcat(pool, r.issues, i ? "|" : "",
                               issues_str(issues), NULL);
    }
    r.stats = *hsts_cert_store_stats(store);
    hsts_cert_store_done(store);
    return r;
}

/* A run with cache at time t. */
static result_t run_at(hsts_cert_cache_t *cache, const host_t *hosts, int n,
                       time_t t)
{
    apr_pool_t *p;
    hsts_cert_store_t *store;
    result_t r;

    apr_pool_create(&p, pool);
    store = hsts_cert_store_make(p, cache);
    if (no_threads) {
        hsts_cert_store_no_threads(store);
    }
    r = check_run(p, store, hosts, n, t);
    apr_pool_destroy(p);
    return r;
}

static result_t run(hsts_cert_cache_t *cache, const host_t *hosts, int n)
{
    return run_at(cache, hosts, n, NOW);
}

/*
 * A new process's run as mod_hsts makes it in apache2 -t: the files read
 * ahead and the cache file loaded on the store's thread while the hosts
 * are read, then the checks; the cache file written at its end.
 */
static result_t run_ahead(const char *file, const host_t *hosts, int n,
                          hsts_cache_file_e *how)
{
    hsts_cert_cache_t *cache = hsts_cert_cache_make(pool);
    apr_array_header_t *paths = apr_array_make(pool, n, sizeof(char *));
    apr_pool_t *p;
    hsts_cert_store_t *store;
    result_t r;
    const char *why = NULL;
    int i;

    for (i = 0; i < n; i++) {
        APR_ARRAY_PUSH(paths, const char *) = hosts[i].cert;
        if (hosts[i].chain) {
            APR_ARRAY_PUSH(paths, const char *) = hosts[i].chain;
        }
    }
    apr_pool_create(&p, pool);
    store = hsts_cert_store_make(p, cache);
    hsts_cert_read_ahead(store, paths);
    hsts_cert_store_load(store, file);
    r = check_run(p, store, hosts, n, NOW);
    *how = hsts_cert_store_loaded(store, &why);
    hsts_cert_cache_save(cache, file, p, &why);
    apr_pool_destroy(p);
    return r;
}

/* A new process: an empty cache, then the file. */
static hsts_cert_cache_t *loaded(const char *path, hsts_cache_file_e *how)
{
    hsts_cert_cache_t *cache = hsts_cert_cache_make(pool);
    const char *why = NULL;

    *how = hsts_cert_cache_load(cache, path, pool, &why);
    return cache;
}

static int save(hsts_cert_cache_t *cache, const char *path)
{
    const char *why = NULL;
    int rv = hsts_cert_cache_save(cache, path, pool, &why);

    if (rv) {
        printf("# save: %s\n", why);
    }
    return rv;
}

/* Whether a run asked OpenSSL nothing. */
static int reused(const result_t *r)
{
    return r->stats.files_parsed == 0 && r->stats.certs_parsed == 0
           && r->stats.chains_verified == 0 && r->stats.names_checked == 0;
}

static void show_stats(const char *what, const result_t *r)
{
    printf("# %s: files read %d parsed %d, certificates parsed %d, chains "
           "verified %d (%d short), names asked %d\n", what,
           r->stats.files_read, r->stats.files_parsed, r->stats.certs_parsed,
           r->stats.chains_verified, r->stats.chains_short,
           r->stats.names_checked);
}

/* The file's text, or NULL. */
static char *slurp(const char *path, apr_size_t *len)
{
    apr_file_t *f;
    apr_finfo_t fi;
    char *text;

    if (apr_file_open(&f, path, APR_FOPEN_READ, 0, pool) != APR_SUCCESS
        || apr_file_info_get(&fi, APR_FINFO_SIZE, f) != APR_SUCCESS) {
        return NULL;
    }
    text = apr_palloc(pool, (apr_size_t)fi.size + 1);
    apr_file_read_full(f, text, (apr_size_t)fi.size, len);
    apr_file_close(f);
    text[*len] = '\0';
    return text;
}

/* Writes text into path, mode 0600, as the module would find it. */
static void spit(const char *path, const char *text, apr_size_t len)
{
    FILE *fp;

    unlink(path);
    fp = fopen(path, "w");
    if (!fp || fwrite(text, 1, len, fp) != len) {
        perror(path);
        exit(2);
    }
    fclose(fp);
    chmod(path, 0600);
}

/* The file's content made again with a checksum that holds, whatever
 * its entries say: data is the content less the checksum. */
static const char *resealed(const char *data, apr_size_t len,
                            apr_size_t *out_len)
{
    char *out = apr_palloc(pool, len + 32);
    unsigned int n = 0;

    memcpy(out, data, len);
    EVP_Digest(data, len, (unsigned char *)out + len, &n, EVP_sha256(), NULL);
    *out_len = len + 32;
    return out;
}

/* Where the file's counts are: after its header (see hsts_cert_cache.c:
 * the magic line, the format, the byte order mark, OpenSSL's version). */
static apr_size_t counts_at(void)
{
    return strlen("mod_hsts certificate cache\n") + 4 + 4 + 2
           + strlen(OpenSSL_version(OPENSSL_VERSION));
}

static void check_ignored(const host_t *hosts, int n, const char *file,
                          const char *text, apr_size_t len, const char *what);

/* A damaged copy of data (len, its checksum included): its entries
 * changed by change(), then resealed. */
static void check_resealed(const host_t *hosts, int n, const char *file,
                           const char *data, apr_size_t len,
                           void (*change)(char *body, apr_size_t *len),
                           const char *what)
{
    char *body = apr_palloc(pool, len + 16);
    apr_size_t body_len = len - 32, out_len;
    const char *out;

    memcpy(body, data, body_len);
    change(body, &body_len);
    out = resealed(body, body_len, &out_len);
    check_ignored(hosts, n, file, out, out_len, what);
}

static void answer_2(char *body, apr_size_t *len)
{
    /* the answer for www.example.com: before its length and bytes */
    char *at = memmem(body, *len, "www.example.com", 15);

    if (at) {
        at[-3] = 2;
    }
}

static void trailing_byte(char *body, apr_size_t *len)
{
    body[(*len)++] = 0;
}

static void more_names(char *body, apr_size_t *len)
{
    apr_uint32_t n;

    (void)len;
    memcpy(&n, body + counts_at() + 12, 4);
    n++;
    memcpy(body + counts_at() + 12, &n, 4);
}

static void other_format(char *body, apr_size_t *len)
{
    (void)len;
    body[strlen("mod_hsts certificate cache\n")]--;
}

static void other_byte_order(char *body, apr_size_t *len)
{
    apr_uint32_t bom = 0x04030201u;

    (void)len;
    memcpy(body + strlen("mod_hsts certificate cache\n") + 4, &bom, 4);
}

static void other_openssl(char *body, apr_size_t *len)
{
    (void)len;
    body[counts_at() - 1] ^= 1;
}

static void subject_and_error(char *body, apr_size_t *len)
{
    /* the first certificate entry: after the files', whose count comes
     * first; each file entry is a digest, a count, digests and a string */
    apr_uint32_t files, count, i;
    apr_size_t at = counts_at() + 16;
    apr_uint16_t slen;

    memcpy(&files, body + counts_at(), 4);
    for (i = 0; i < files; i++) {
        memcpy(&count, body + at + 32, 4);
        at += 32 + 4 + 32 * (apr_size_t)count;
        memcpy(&slen, body + at, 2);
        at += 2 + (slen == 0xffff ? 0 : slen);
    }
    /* digest, two dates, flags: then the error, none */
    at += 32 + 8 + 8 + 4;
    memcpy(&slen, body + at, 2);
    if (slen == 0xffff && at + 2 < *len) {
        slen = 1;
        memcpy(body + at, &slen, 2);    /* an error "x", the subject kept */
        memmove(body + at + 3, body + at + 2, *len - at - 2);
        body[at + 2] = 'x';
        (*len)++;
    }
}

static void set_trust(const char *ca_file, const char *ca_dir)
{
    setenv("SSL_CERT_FILE", ca_file, 1);
    setenv("SSL_CERT_DIR", ca_dir, 1);
}

/* ------------------------------------------------------------------ */

static void test_round_trip(const host_t *hosts, int n, const char *file)
{
    hsts_cert_cache_t *cache = hsts_cert_cache_make(pool), *again;
    hsts_cache_file_e how;
    result_t first, second, third;
    const char *why = NULL;

    first = run(cache, hosts, n);
    show_stats("first run", &first);
    ok(first.stats.certs_parsed > 0 && first.stats.chains_verified > 0
       && first.stats.names_checked > 0,
       "a first run parses, verifies and asks OpenSSL about names");
    second = run(cache, hosts, n);
    show_stats("second run, same cache", &second);
    ok(reused(&second), "a second run with the same cache (a graceful "
       "restart) parses 0 certificates, verifies 0 chains, asks no name");
    is_num(second.stats.files_read, first.stats.files_read,
           "... but reads every file again");
    is_str(second.issues, first.issues, "... and finds the same");
    is_str(second.messages, first.messages, "... in the same words");

    ok(!save(cache, file), "the cache is written to its file");
    again = loaded(file, &how);
    is_num(how, HSTS_CACHE_FILE_LOADED, "a new process loads the file");
    third = run(again, hosts, n);
    show_stats("new process, from the file", &third);
    ok(reused(&third), "a new process with the file (a repeated apache2 -t) "
       "parses 0 certificates, verifies 0 chains, asks no name");
    is_str(third.issues, first.issues, "... and finds the same");
    is_str(third.messages, first.messages, "... in the same words");
    {
        struct stat st;
        ok(!stat(file, &st) && (st.st_mode & 0777) == 0600
           && st.st_uid == geteuid(),
           "the file is the effective user's, mode 0600");
    }
    is_num(hsts_cert_cache_load(again, file, pool, &why),
           HSTS_CACHE_FILE_UNCHANGED,
           "a process that read the file does not read it again unchanged");
}

static void test_refused(const host_t *hosts, int n, const char *file)
{
    hsts_cert_cache_t *cache = hsts_cert_cache_make(pool), *again;
    hsts_cache_file_e how;
    result_t r;
    const char *why = NULL;

    run(cache, hosts, n);
    save(cache, file);

    chmod(file, 0620);
    again = hsts_cert_cache_make(pool);
    how = hsts_cert_cache_load(again, file, pool, &why);
    is_num(how, HSTS_CACHE_FILE_REFUSED, "a group-writable file is refused");
    ok(why && strstr(why, "writable"), "... and the reason says why");
    r = run(again, hosts, n);
    ok(r.stats.certs_parsed > 0 && r.stats.chains_verified > 0,
       "... and nothing of it is used");

    chmod(file, 0602);
    again = loaded(file, &how);
    is_num(how, HSTS_CACHE_FILE_REFUSED, "an other-writable file is refused");

    chmod(file, 0600);
    if (geteuid() == 0) {
        if (chown(file, 65534, 65534)) {
            perror("chown");
        }
        again = hsts_cert_cache_make(pool);
        how = hsts_cert_cache_load(again, file, pool, &why);
        is_num(how, HSTS_CACHE_FILE_REFUSED,
               "a file of another user is refused");
        ok(why && strstr(why, "owned by uid 65534"),
           "... and the reason names its owner");
        ok(!save(again, file), "... and replaced when the cache is written");
        {
            struct stat st;
            ok(!stat(file, &st) && st.st_uid == 0,
               "... by one of the effective user");
        }
    }
    else {
        /* a file this user did not write: any of root's */
        again = hsts_cert_cache_make(pool);
        how = hsts_cert_cache_load(again, "/etc/passwd", pool, &why);
        is_num(how, HSTS_CACHE_FILE_REFUSED,
               "a file of another user (root's) is refused");
        ok(why && strstr(why, "owned by uid 0"),
           "... and the reason names its owner");
    }
}

/* A damaged file: ignored, its entries unused, and written anew. */
static void check_ignored(const host_t *hosts, int n, const char *file,
                          const char *text, apr_size_t len, const char *what)
{
    hsts_cert_cache_t *cache;
    hsts_cache_file_e how;
    result_t r;

    spit(file, text, len);
    cache = loaded(file, &how);
    is_num(how, HSTS_CACHE_FILE_IGNORED, apr_psprintf(pool, "%s: ignored",
                                                      what));
    r = run(cache, hosts, n);
    ok(r.stats.certs_parsed > 0 && r.stats.chains_verified > 0
       && r.stats.names_checked > 0,
       apr_psprintf(pool, "%s: nothing of it is used", what));
    ok(!save(cache, file), apr_psprintf(pool, "%s: written anew", what));
    cache = loaded(file, &how);
    is_num(how, HSTS_CACHE_FILE_LOADED,
           apr_psprintf(pool, "%s: the new file loads", what));
    r = run(cache, hosts, n);
    ok(reused(&r), apr_psprintf(pool, "%s: the new file serves", what));
}

/* Entries with a checksum that holds, but malformed. */
static const struct {
    void (*change)(char *body, apr_size_t *len);
    const char *what;
} malformed[] = {
    { answer_2, "an answer for a name that is neither 0 nor 1" },
    { trailing_byte, "a byte after the last entry" },
    { more_names, "an entry count larger than the entries" },
    { subject_and_error, "a certificate entry with an error and a subject" },
    { other_format, "a file of another format" },
    { other_byte_order, "a file of another byte order" },
    { other_openssl, "a file of another OpenSSL" },
};

static void test_damaged(const host_t *hosts, int n, const char *file)
{
    hsts_cert_cache_t *cache = hsts_cert_cache_make(pool);
    apr_size_t len = 0, i;
    char *data, *copy;

    run(cache, hosts, n);
    save(cache, file);
    data = slurp(file, &len);
    ok(data && len > 200, "a cache file to damage");
    if (!data) {
        return;
    }
    check_ignored(hosts, n, file, data, len / 2, "a file cut in half");
    check_ignored(hosts, n, file, data, len - 1, "a file without its last "
                  "byte");
    copy = apr_pmemdup(pool, data, len);
    copy[len / 2] ^= 0x10;
    check_ignored(hosts, n, file, copy, len, "a corrupted byte in an entry");
    copy = apr_pmemdup(pool, data, len);
    copy[len - 3] ^= 0x01;
    check_ignored(hosts, n, file, copy, len, "a wrong checksum");
    check_ignored(hosts, n, file, "", 0, "an empty file");
    copy = apr_pmemdup(pool, data, len);
    ok(memmem(copy, len, "www.example.com", 15) != NULL,
       "the file holds answers for names");

    /* entries with a checksum that holds, but malformed: the loader
     * takes all or nothing */
    for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
        check_resealed(hosts, n, file, data, len, malformed[i].change,
                       malformed[i].what);
    }
}

/*
 * The file "name" of host, replaced by other content (same path), then
 * put back: the new content's findings at once, in the same process and
 * in a new one with the cache file the old content left. Returns the
 * run after the change.
 */
static result_t check_changed(const char *name, const host_t *host,
                              X509 *before, X509 *after, const char *want,
                              const char *what, const char *file)
{
    hsts_cert_cache_t *cache = hsts_cert_cache_make(pool);
    hsts_cache_file_e how;
    result_t r, changed;

    write_pem(name, before, NULL);
    r = run(cache, host, 1);
    is_str(r.issues, "", apr_psprintf(pool, "%s: clean before", what));
    save(cache, file);

    write_pem(name, after, NULL);
    changed = run(cache, host, 1);
    is_str(changed.issues, want, apr_psprintf(pool, "%s (same path): the "
                                              "new content's findings, in "
                                              "the same process", what));
    r = run(loaded(file, &how), host, 1);
    is_str(r.issues, want, apr_psprintf(pool, "%s: and in a new process "
                                        "with the old file", what));
    write_pem(name, before, NULL);
    r = run(cache, host, 1);
    is_str(r.issues, "", apr_psprintf(pool, "%s, then put back: clean "
                                      "again", what));
    return changed;
}

static void test_changed_cert(const char *path, X509 *good, X509 *other,
                              const char *file)
{
    host_t host = { path, NULL, "example.com", 0 };
    result_t r = check_changed("changing.pem", &host, good, other,
                               "E:tls.cert.self_signed E:tls.cert.expired "
                               "E:tls.cert.name_mismatch",
                               "the certificate file replaced", file);

    ok(r.stats.certs_parsed == 1 && r.stats.names_checked == 1,
       "... parsed, and its name asked, once");
}

static void test_changed_chain(const char *leaf, const char *chain,
                               X509 *inter, X509 *unrelated, const char *file)
{
    host_t host = { leaf, chain, "example.com", 1 };
    result_t r = check_changed("changing-chain.pem", &host, inter, unrelated,
                               "E:domain.tls.invalid_cert_chain",
                               "the chain file replaced by another "
                               "intermediate", file);

    is_num(r.stats.chains_verified, 1, "... verified again");
}

static void test_changed_trust(const host_t *hosts, int n, X509 *ca,
                               X509 *other_ca, const char *empty_dir,
                               const char *file)
{
    const char *trust = write_pem("trust.pem", ca, NULL);
    hsts_cert_cache_t *cache = hsts_cert_cache_make(pool);
    hsts_cache_file_e how;
    result_t r;
    int i;
    const char *clean = "";

    for (i = 1; i < n; i++) {
        clean = apr_pstrcat(pool, clean, "|", NULL);
    }
    set_trust(trust, empty_dir);
    r = run(cache, hosts, n);
    is_str(r.issues, clean, "the test CA trusted: every chain verifies");
    save(cache, file);

    write_pem("trust.pem", other_ca, NULL);
    r = run(cache, hosts, n);
    ok(strstr(r.issues, "invalid_cert_chain") != NULL
       && r.stats.chains_verified > 0,
       "SSL_CERT_FILE's content changed (same path): the chains are "
       "verified again and do not verify, in the same process");
    r = run(loaded(file, &how), hosts, n);
    ok(strstr(r.issues, "invalid_cert_chain") != NULL,
       "... and in a new process with the old file");
    ok(r.stats.certs_parsed == 0 && r.stats.names_checked == 0,
       "... which still serves the facts and names");

    write_pem("trust.pem", ca, NULL);
    r = run(cache, hosts, n);
    is_str(r.issues, clean, "the test CA trusted again: verifies");
}

static void test_time(const char *path, const char *file)
{
    host_t host = { path, NULL, "example.com", 0 };
    hsts_cert_cache_t *cache = hsts_cert_cache_make(pool);
    hsts_cache_file_e how;
    result_t r;

    /* the certificate expires at NOW + 40 days */
    r = run_at(cache, &host, 1, NOW);
    is_str(r.issues, "", "40 days before expiry: clean");
    save(cache, file);
    r = run_at(cache, &host, 1, NOW + 9 * DAY);
    is_str(r.issues, "", "31 days before expiry, same cache: clean");
    r = run_at(cache, &host, 1, NOW + 11 * DAY);
    is_str(r.issues, "W:tls.cert.expires_soon",
           "29 days before expiry, same cache: expires_soon");
    ok(r.stats.certs_parsed == 0, "... from the stored dates (nothing "
       "parsed)");
    ok(strstr(r.messages, "Feb 10 00:00:00 2026 GMT") != NULL,
       "... and the message gives the date");
    r = run_at(loaded(file, &how), &host, 1, NOW + 11 * DAY);
    is_str(r.issues, "W:tls.cert.expires_soon",
           "29 days before expiry, new process with the file: expires_soon");
    ok(r.stats.certs_parsed == 0, "... from the stored dates");
    r = run_at(cache, &host, 1, NOW + 41 * DAY);
    is_str(r.issues, "E:tls.cert.expired",
           "a day after expiry, same cache: expired");
    r = run_at(loaded(file, &how), &host, 1, NOW + 41 * DAY);
    is_str(r.issues, "E:tls.cert.expired",
           "a day after expiry, new process with the file: expired");
    r = run_at(cache, &host, 1, NOW - 2 * DAY);
    is_str(r.issues, "E:tls.cert.not_yet_valid",
           "before its start, same cache: not_yet_valid");
}

/*
 * An intermediate's dates are judged at every run, as the leaf's are: a
 * verdict cached while it was valid does not stand once it has expired,
 * in the same process or in a new one with the cache file. Its leaves
 * start before it does, so that only its dates are out at NOW - 15 days.
 */
static void test_chain_time(const pki_t *ca, const char *file)
{
    pki_t inter = make_cert("Short-lived Intermediate CA", NULL, 1,
                            NOW - 10 * DAY, NOW + 10 * DAY, EVP_sha256(), ca);
    pki_t a = make_cert("example.com", "DNS:example.com", 0, NOW - 20 * DAY,
                        NOW + 365 * DAY, EVP_sha256(), &inter);
    pki_t b = make_cert("example.org", "DNS:example.org", 0, NOW - 20 * DAY,
                        NOW + 365 * DAY, EVP_sha256(), &inter);
    pki_t c = make_cert("example.net", "DNS:example.net", 0, NOW - 20 * DAY,
                        NOW + 365 * DAY, EVP_sha256(), &inter);
    host_t hosts[3];
    const char *invalid = "E:domain.tls.invalid_cert_chain|"
                          "E:domain.tls.invalid_cert_chain|"
                          "E:domain.tls.invalid_cert_chain";
    hsts_cert_cache_t *cache = hsts_cert_cache_make(pool);
    hsts_cache_file_e how;
    result_t r;

    hosts[0] = (host_t){ write_pem("short-a.pem", a.crt, inter.crt, NULL),
                         NULL, "example.com", 1 };
    hosts[1] = (host_t){ write_pem("short-b.pem", b.crt, NULL),
                         write_pem("short-chain.pem", inter.crt, NULL),
                         "example.org", 1 };
    hosts[2] = (host_t){ write_pem("short-c.pem", c.crt, inter.crt, NULL),
                         NULL, "example.net", 1 };

    r = run_at(cache, hosts, 3, NOW);
    is_str(r.issues, "||", "intermediate valid 10 more days: clean");
    ok(r.stats.chains_verified > 0, "... the chains verified");
    save(cache, file);

    r = run_at(cache, hosts, 3, NOW + 11 * DAY);
    is_str(r.issues, invalid, "a day after the intermediate expired, same "
           "cache: invalid_cert_chain for each of its leaves");
    is_num(r.stats.chains_verified, 0, "... from the cached verdicts (no "
           "chain verified)");
    ok(strstr(r.messages, "CN=Short-lived Intermediate CA")
       && strstr(r.messages, "Jan 11 00:00:00 2026 GMT")
       && strstr(r.messages, "expired"),
       "... the message names the intermediate, its date, and says it "
       "expired");

    r = run_at(loaded(file, &how), hosts, 3, NOW + 11 * DAY);
    is_str(r.issues, invalid, "... and in a new process with the file "
           "written while it was valid");
    ok(r.stats.chains_verified == 0 && r.stats.certs_parsed == 0,
       "... from the file (nothing parsed or verified)");
    ok(strstr(r.messages, "CN=Short-lived Intermediate CA")
       && strstr(r.messages, "Jan 11 00:00:00 2026 GMT"),
       "... in words that name the intermediate and its date");

    r = run_at(cache, hosts, 3, NOW);
    is_str(r.issues, "||", "back at NOW, same cache: clean again");

    r = run_at(cache, hosts, 3, NOW - 15 * DAY);
    is_str(r.issues, invalid, "before the intermediate's start, same "
           "cache: invalid_cert_chain");
    is_num(r.stats.chains_verified, 0, "... from the cached verdicts");
    ok(strstr(r.messages, "CN=Short-lived Intermediate CA")
       && strstr(r.messages, "Dec 22 00:00:00 2025 GMT")
       && (strstr(r.messages, "not valid before")
           || strstr(r.messages, "not yet valid")),
       "... the message names the intermediate and the date it is valid "
       "from");
}

/* What a run does not use is dropped, and not written to the file. */
static void test_dropped(const host_t *hosts, const char *file)
{
    hsts_cert_cache_t *cache = hsts_cert_cache_make(pool);
    hsts_cache_file_e how;
    result_t r;

    run(cache, hosts, 2);
    run(cache, hosts, 1);
    save(cache, file);
    r = run(loaded(file, &how), hosts, 2);
    ok(r.stats.certs_parsed > 0,
       "a certificate the last run did not use is not in the file");
    r = run(cache, hosts, 2);
    ok(r.stats.certs_parsed > 0, "... nor in the cache");
    r = run(cache, hosts, 2);
    ok(reused(&r), "... until a run uses it again");
    r = run(cache, (host_t[]){ { hosts[0].cert, NULL,
                                 "example.com mail.example.com", 0 } }, 1);
    is_num(r.stats.names_checked, 1, "a name not asked before is asked");
    is_num(r.stats.certs_parsed, 0, "... without its facts parsed again");
    is_str(r.issues, "E:tls.cert.name_mismatch", "... and answered");
}

/* httpd's parent takes back the file its child wrote: the cache becomes
 * the file, what the child's run dropped goes. */
static void test_reload(const host_t *hosts, const char *file)
{
    hsts_cert_cache_t *parent = hsts_cert_cache_make(pool), *child;
    hsts_cache_file_e how;
    const char *why = NULL;
    result_t r;

    run(parent, hosts, 3);
    save(parent, file);
    child = loaded(file, &how);
    run(child, hosts, 1);
    save(child, file);
    is_num(hsts_cert_cache_reload(parent, file, pool, &why),
           HSTS_CACHE_FILE_LOADED, "the parent reloads the child's file");
    r = run(parent, hosts, 3);
    is_num(r.stats.certs_parsed, 2, "... and has what the child's run used "
           "(the first host's certificates), not what it dropped (the two "
           "other leaves)");
    is_num(hsts_cert_cache_reload(parent, file, pool, &why),
           HSTS_CACHE_FILE_UNCHANGED, "a file it read as it is: unchanged");
}

/* Many leaves of one intermediate, prepared on several threads. */
static void test_many(const pki_t *inter, const pki_t *other_ca,
                      const char *file)
{
    enum { N = 48 };
    host_t hosts[N];
    hsts_cert_cache_t *cache = hsts_cert_cache_make(pool);
    hsts_cache_file_e how;
    const char *want = "";
    result_t r;
    int i;

    for (i = 0; i < N; i++) {
        const char *name = apr_psprintf(pool, "site%d.example.com", i);
        pki_t leaf = make_leaf(name, apr_psprintf(pool, "DNS:%s", name),
                               i == 7 ? other_ca : inter);
        hosts[i].cert = write_pem(apr_psprintf(pool, "site%d.pem", i),
                                  leaf.crt, inter->crt, NULL);
        hosts[i].chain = NULL;
        hosts[i].names = i == 9 ? "other.example.com" : name;
        hosts[i].preload = 1;
        want = apr_pstrcat(pool, want, i ? "|" : "",
                           i == 7 ? "E:domain.tls.invalid_cert_chain"
                           : i == 9 ? "E:tls.cert.name_mismatch" : "", NULL);
    }
    r = run(cache, hosts, N);
    show_stats("48 leaves", &r);
    is_str(r.issues, want, "48 leaves of one intermediate: each judged right");
    is_num(r.stats.certs_parsed, N + 1, "... each certificate parsed once");
    ok(r.stats.chains_short >= N - 8, "... most leaves verified against the "
       "intermediate verified once");
    save(cache, file);
    r = run(loaded(file, &how), hosts, N);
    is_str(r.issues, want, "... and the same from the file");
    ok(reused(&r), "... with nothing parsed or verified");

    /* as in httpd's parent: no thread */
    no_threads = 1;
    r = run(hsts_cert_cache_make(pool), hosts, N);
    no_threads = 0;
    is_str(r.issues, want, "without threads: the same");
    is_num(r.stats.threads, 1, "... on the calling thread alone");
}

/* What mod_hsts does in a new process: read ahead, load on a thread. */
static void test_ahead(const host_t *hosts, int n, const char *file)
{
    hsts_cache_file_e how;
    result_t first, again, changed;
    const char *path = path_of("ahead.pem");
    host_t *copy = apr_pmemdup(pool, hosts, sizeof(*hosts) * (apr_size_t)n);
    apr_size_t len = 0;
    char *data;

    unlink(file);
    copy[0].cert = path;
    data = slurp(hosts[0].cert, &len);
    spit(path, data, len);
    first = run_ahead(file, copy, n, &how);
    is_num(how, HSTS_CACHE_FILE_ABSENT, "read ahead, no cache file yet: absent");
    ok(first.stats.certs_parsed > 0, "... every certificate parsed");
    again = run_ahead(file, copy, n, &how);
    is_num(how, HSTS_CACHE_FILE_LOADED,
           "read ahead, the cache file loaded on the store's thread");
    ok(reused(&again), "... nothing parsed, verified or asked");
    is_num(again.stats.files_read, first.stats.files_read,
           "... every file read");
    is_num(again.stats.files_read_again, 0, "... once: ahead");
    is_str(again.issues, first.issues, "... the same findings");

    /* a file whose content the cache file does not know: read ahead for
     * its digest only, then read again and parsed */
    write_pem("ahead.pem", make_cert("example.org", "DNS:example.org", 0,
                                     NOW - DAY, NOW + 365 * DAY,
                                     EVP_sha256(), NULL).crt, NULL);
    changed = run_ahead(file, copy, n, &how);
    is_num(changed.stats.files_parsed, 1,
           "read ahead, a file changed since: parsed (the one)");
    is_num(changed.stats.files_read_again, 1,
           "... read again for its content (the one)");
    ok(!strncmp(changed.issues, "E:tls.cert.self_signed", 22),
       "... and its findings are the new content's");

    chmod(file, 0660);
    run_ahead(file, copy, n, &how);
    is_num(how, HSTS_CACHE_FILE_REFUSED,
           "read ahead, a group-writable cache file: refused");
    unlink(path);
}

int main(void)
{
    pki_t ca, other_ca, inter, other_inter;
    const char *empty_dir, *ca_file, *file, *changing, *soon;
    host_t hosts[3];

    apr_initialize();
    apr_pool_create(&pool, NULL);
    pki_init(pool);
    empty_dir = make_dir("empty.d");
    file = path_of("mod_hsts-certificates.cache");

    ca = make_ca("mod_hsts unit CA", NULL);
    other_ca = make_ca("some other CA", NULL);
    inter = make_ca("mod_hsts unit intermediate", &ca);
    other_inter = make_ca("another intermediate", &other_ca);
    ca_file = write_pem("ca.pem", ca.crt, NULL);
    set_trust(ca_file, empty_dir);
    {
        pki_t a = make_leaf("example.com", "DNS:example.com,"
                            "DNS:www.example.com", &inter);
        pki_t b = make_leaf("example.org", "DNS:example.org,"
                            "DNS:*.example.org", &inter);
        pki_t c = make_leaf("example.net", "DNS:example.net", &ca);
        hosts[0] = (host_t){ write_pem("a.pem", a.crt, inter.crt, NULL), NULL,
                             "example.com www.example.com", 1 };
        hosts[1] = (host_t){ write_pem("b.pem", b.crt, NULL),
                             write_pem("b-chain.pem", inter.crt, NULL),
                             "example.org *.example.org www.example.org", 1 };
        hosts[2] = (host_t){ write_pem("c.pem", c.crt, NULL), NULL,
                             "example.net www.example.net", 0 };
    }

    test_round_trip(hosts, 3, file);
    test_ahead(hosts, 3, file);
    test_refused(hosts, 3, file);
    unlink(file);
    test_damaged(hosts, 3, file);

    changing = path_of("changing.pem");
    test_changed_cert(changing,
                      make_leaf("example.com", "DNS:example.com", &ca).crt,
                      make_cert("example.org", "DNS:example.org", 0,
                                NOW - 400 * DAY, NOW - DAY, EVP_sha256(),
                                NULL).crt, file);
    {
        pki_t leaf = make_leaf("example.com", "DNS:example.com", &inter);
        test_changed_chain(write_pem("chain-leaf.pem", leaf.crt, NULL),
                           path_of("changing-chain.pem"), inter.crt,
                           other_inter.crt, file);
    }
    test_changed_trust(hosts, 2, ca.crt, other_ca.crt, empty_dir, file);
    set_trust(ca_file, empty_dir);
    soon = write_pem("soon40.pem", make_cert("example.com", "DNS:example.com",
                                             0, NOW, NOW + 40 * DAY,
                                             EVP_sha256(), &ca).crt, NULL);
    test_time(soon, file);
    test_chain_time(&ca, file);
    test_dropped(hosts, file);
    test_reload(hosts, file);
    test_many(&inter, &other_ca, file);

    unlink(file);
    remove_dir(empty_dir);
    pki_done();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
