/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the startup lint's certificate checks (hsts_cert.c).
 *
 * The certificates are made here, at run time, with OpenSSL: a test CA,
 * an intermediate, leaves signed by them with the names, validity periods
 * and digests each test needs, self-signed ones, and files in PEM, DER or
 * nothing at all. The checker gets a fixed "now", so the validity tests
 * do not depend on the clock.
 */
#include "hsts_cert.h"
#include "pki.h"
#include "tap.h"

#include <apr_general.h>
#include <apr_strings.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static apr_pool_t *pool;
static apr_time_t now;             /* the "now" of the checks */

/* A new store whose checks happen at t. */
static hsts_cert_store_t *store_at(apr_time_t t)
{
    now = t;
    return hsts_cert_store_make(pool, NULL);
}

/* ------------------------------------------------------------------ */
/* Checking                                                             */

/* The message of the first issue with code, or NULL. */
static const char *message_of(const apr_array_header_t *issues,
                              const char *code)
{
    const hsts_issue_t *all = (const hsts_issue_t *)issues->elts;
    int i;

    for (i = 0; i < issues->nelts; i++) {
        if (!strcmp(hsts_code_name(all[i].code), code)) {
            return all[i].message;
        }
    }
    return NULL;
}

static apr_array_header_t *run(hsts_cert_store_t *c, const char *cert,
                               const char *chain, const char *names,
                               int preload)
{
    apr_array_header_t *issues = apr_array_make(pool, 2, sizeof(hsts_issue_t));

    hsts_cert_check(c, hsts_cert_get(c, cert, chain), pool, now,
                    names_of(names), preload, issues);
    return issues;
}

/* Checks cert (and chain) with checker c and compares the issues found. */
static void check(hsts_cert_store_t *c, const char *cert, const char *chain,
                  const char *names, int preload, const char *want,
                  const char *name)
{
    apr_array_header_t *issues = run(c, cert, chain, names, preload);
    const hsts_issue_t *all = (const hsts_issue_t *)issues->elts;
    int i, messages = 1;

    is_str(issues_str(issues), want, name);
    for (i = 0; i < issues->nelts; i++) {
        messages &= all[i].message && strlen(all[i].message) > 20;
    }
    ok(messages, apr_psprintf(pool, "%s: every issue has a sentence", name));
}

static void set_trust(const char *ca_file, const char *ca_dir)
{
    setenv("SSL_CERT_FILE", ca_file, 1);
    setenv("SSL_CERT_DIR", ca_dir, 1);
}

/* ------------------------------------------------------------------ */
/* The dates of the chain above the leaf                                */

/* Whether the message of the host's invalid_cert_chain names who (the
 * certificate out of its dates), the file, the date and what is wrong
 * ("expired", or not valid yet). */
static int says_out_of_dates(const apr_array_header_t *issues,
                             const char *cert, const char *who,
                             const char *date, int expired)
{
    const char *m = message_of(issues, "domain.tls.invalid_cert_chain");
    int says = m && strstr(m, cert) && strstr(m, who) && strstr(m, date)
               && (expired ? strstr(m, "expired") != NULL
                           : strstr(m, "not valid before") != NULL
                             || strstr(m, "not yet valid") != NULL);

    if (m && !says) {
        printf("# message: %s\n", m);
    }
    return says;
}

/* With preload, the certificate file (and chain) of example.com gives
 * invalid_cert_chain only, for who, out of its dates since (expired) or
 * until date. */
static void check_out_of_dates(hsts_cert_store_t *c, const char *file,
                               const char *chain, const char *who,
                               const char *date, int expired,
                               const char *what)
{
    check(c, file, chain, "example.com", 1, "E:domain.tls.invalid_cert_chain",
          apr_psprintf(pool, "preload, %s: invalid_cert_chain", what));
    ok(says_out_of_dates(run(c, file, chain, "example.com", 1), file, who,
                         date, expired),
       apr_psprintf(pool, "... the message names the file, %s, its date "
                    "and says it %s", who,
                    expired ? "expired" : "is not valid yet"));
}

/* The second leaf b (of name) of a chain whose first leaf was checked
 * with store c: verified against the intermediate the first verified
 * (one signature), and who is still out of date (it expired on date). */
static void check_second_leaf(hsts_cert_store_t *c, const char *b,
                              const char *name, const char *who,
                              const char *date, const char *what)
{
    apr_array_header_t *issues = run(c, b, NULL, name, 1);

    is_num(hsts_cert_store_stats(c)->chains_short, 1,
           apr_psprintf(pool, "another leaf of %s: verified against the "
                        "intermediate already verified", what));
    is_str(issues_str(issues), "E:domain.tls.invalid_cert_chain",
           "... and invalid_cert_chain too");
    ok(says_out_of_dates(issues, b, who, date, 1),
       apr_psprintf(pool, "... naming %s", who));
}

/* Two leaves of the expired intermediate old: the second is verified
 * against the intermediate the first verified (one signature), and the
 * dates still count. */
static void test_two_leaves(const pki_t *old)
{
    const char *a = write_pem("old-two-a.pem",
                              make_leaf("example.com", "DNS:example.com",
                                        old).crt, old->crt, NULL);
    const char *b = write_pem("old-two-b.pem",
                              make_leaf("example.org", "DNS:example.org",
                                        old).crt, old->crt, NULL);
    hsts_cert_store_t *c = store_at(apr_time_from_sec(NOW));
    apr_array_header_t *issues;

    issues = run(c, a, NULL, "example.com", 1);
    is_str(issues_str(issues), "E:domain.tls.invalid_cert_chain",
           "two leaves of one expired intermediate: the first, "
           "invalid_cert_chain");
    check_second_leaf(c, b, "example.org", "CN=Old Intermediate CA",
                      "Dec 31 00:00:00 2025 GMT",
                      "the expired intermediate");
}

/*
 * Chains verify dates aside, but the preload checker refuses a chain with
 * an intermediate out of its dates: invalid_cert_chain, at NOW, whatever
 * the verdict cached says. The CAs' names say neither "expired" nor
 * "valid", so that the messages' words are the checker's.
 */
static void test_intermediate_dates(const pki_t *ca, const pki_t *inter)
{
    pki_t old = make_cert("Old Intermediate CA", NULL, 1, NOW - 400 * DAY,
                          NOW - DAY, EVP_sha256(), ca);
    pki_t early = make_cert("Early Intermediate CA", NULL, 1, NOW + DAY,
                            NOW + 1000 * DAY, EVP_sha256(), ca);
    pki_t leaf = make_leaf("example.com", "DNS:example.com", &old);
    const char *old_chained = write_pem("old-chained.pem", leaf.crt, old.crt,
                                        NULL);
    const char *old_leaf = write_pem("old-leaf.pem", leaf.crt, NULL);
    const char *old_file = write_pem("old-inter.pem", old.crt, NULL);
    const char *early_chained = write_pem("early-chained.pem",
                                          make_leaf("example.com",
                                                    "DNS:example.com",
                                                    &early).crt,
                                          early.crt, NULL);
    const char *expired_leaf = write_pem("expired-leaf-chained.pem",
                                         make_cert("example.com",
                                                   "DNS:example.com", 0,
                                                   NOW - 400 * DAY, NOW - 60,
                                                   EVP_sha256(),
                                                   inter).crt,
                                         inter->crt, NULL);
    /* a stale certificate after the chain that verification does not use */
    const char *stale_extra = write_pem("stale-extra.pem",
                                        make_leaf("example.com",
                                                  "DNS:example.com",
                                                  inter).crt,
                                        inter->crt, old.crt, NULL);
    hsts_cert_store_t *c = store_at(apr_time_from_sec(NOW));

    check_out_of_dates(c, old_chained, NULL, "CN=Old Intermediate CA",
                       "Dec 31 00:00:00 2025 GMT", 1,
                       "intermediate after the leaf in SSLCertificateFile "
                       "expired a day ago");
    c = store_at(apr_time_from_sec(NOW));
    check_out_of_dates(c, old_leaf, old_file, "CN=Old Intermediate CA",
                       "Dec 31 00:00:00 2025 GMT", 1,
                       "expired intermediate in SSLCertificateChainFile");
    check_out_of_dates(c, early_chained, NULL, "CN=Early Intermediate CA",
                       "Jan  2 00:00:00 2026 GMT", 0,
                       "intermediate valid from a day after now");

    check(c, old_chained, NULL, "example.com", 0, "",
          "no preload, expired intermediate: no chain check");
    check(c, expired_leaf, NULL, "example.com", 1, "E:tls.cert.expired",
          "preload, expired leaf, valid intermediate: the leaf's date has "
          "its own finding only");
    check(c, stale_extra, NULL, "example.com", 1, "",
          "preload, an expired certificate configured but not in the "
          "verified chain: no finding");

    test_two_leaves(&old);
}

/*
 * A trusted root that expired: the preload checker refuses the chain.
 * The trust store is SSL_CERT_FILE's content, so a file with the test CA
 * and the old root makes both trusted for a new store.
 */
static void test_root_dates(const pki_t *ca, const char *ca_file,
                            const char *empty_dir)
{
    pki_t root = make_cert("Old Root CA", NULL, 1, NOW - 3650 * DAY,
                           NOW - DAY, EVP_sha256(), NULL);
    pki_t below = make_ca("Intermediate below the old root", &root);
    const char *a = write_pem("old-root-a.pem",
                              make_leaf("example.com", "DNS:example.com",
                                        &below).crt, below.crt, NULL);
    const char *b = write_pem("old-root-b.pem",
                              make_leaf("example.org", "DNS:example.org",
                                        &below).crt, below.crt, NULL);
    hsts_cert_store_t *c;

    setenv("SSL_CERT_FILE", write_pem("ca-and-old-root.pem", ca->crt,
                                      root.crt, NULL), 1);
    c = store_at(apr_time_from_sec(NOW));
    check_out_of_dates(c, a, NULL, "CN=Old Root CA",
                       "Dec 31 00:00:00 2025 GMT", 1,
                       "trusted root expired a day ago");
    /* verified against the intermediate alone: the root's dates come
     * with it */
    check_second_leaf(c, b, "example.org", "CN=Old Root CA",
                      "Dec 31 00:00:00 2025 GMT",
                      "the old root's intermediate");
    set_trust(ca_file, empty_dir);
}

/* ------------------------------------------------------------------ */

int main(void)
{
    const char *empty_dir;
    pki_t ca, other_ca, inter, inter_sha1, root_sha1;
    const char *ca_file, *other_ca_file, *inter_file, *inter_sha1_file;
    const char *good, *good_www, *self, *expired, *not_yet, *soon10, *soon29,
               *later31, *wrong, *wild, *ip, *ip6, *sha1_leaf, *chained,
               *leaf_only, *sha1_inter_chained, *sha1_inter_leaf,
               *with_sha1_root, *der, *empty, *missing, *garbage, *shared;
    hsts_cert_store_t *c;
    apr_array_header_t *issues, *first;
    const char *m;
    int i, same;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    pki_init(pool);
    empty_dir = make_dir("empty.d");

    /* the PKI */
    ca = make_ca("mod_hsts unit CA", NULL);
    other_ca = make_ca("some other CA", NULL);
    inter = make_ca("mod_hsts unit intermediate", &ca);
    inter_sha1 = make_cert("mod_hsts SHA-1 intermediate", NULL, 1,
                           NOW - 10 * DAY, NOW + 1000 * DAY, EVP_sha1(), &ca);
    root_sha1 = make_cert("old SHA-1 root", NULL, 1, NOW - 10 * DAY,
                          NOW + 3650 * DAY, EVP_sha1(), NULL);
    ca_file = write_pem("ca.pem", ca.crt, NULL);
    other_ca_file = write_pem("other-ca.pem", other_ca.crt, NULL);
    inter_file = write_pem("inter.pem", inter.crt, NULL);
    inter_sha1_file = write_pem("inter-sha1.pem", inter_sha1.crt, NULL);

    good = write_pem("good.pem", make_leaf("example.com",
                                           "DNS:example.com", &ca).crt, NULL);
    good_www = write_pem("good-www.pem",
                         make_leaf("example.com", "DNS:example.com,"
                                   "DNS:www.example.com", &ca).crt, NULL);
    self = write_pem("self.pem", make_cert("example.com", "DNS:example.com", 0,
                                           NOW - DAY, NOW + 365 * DAY,
                                           EVP_sha256(), NULL).crt, NULL);
    expired = write_pem("expired.pem",
                        make_cert("example.com", "DNS:example.com", 0,
                                  NOW - 400 * DAY, NOW - 60, EVP_sha256(),
                                  &ca).crt, NULL);
    not_yet = write_pem("not-yet.pem",
                        make_cert("example.com", "DNS:example.com", 0,
                                  NOW + 60, NOW + 365 * DAY, EVP_sha256(),
                                  &ca).crt, NULL);
    soon10 = write_pem("soon10.pem",
                       make_cert("example.com", "DNS:example.com", 0,
                                 NOW - 80 * DAY, NOW + 10 * DAY, EVP_sha256(),
                                 &ca).crt, NULL);
    soon29 = write_pem("soon29.pem",
                       make_cert("example.com", "DNS:example.com", 0,
                                 NOW - 80 * DAY, NOW + 30 * DAY - 60,
                                 EVP_sha256(), &ca).crt, NULL);
    later31 = write_pem("later31.pem",
                        make_cert("example.com", "DNS:example.com", 0,
                                  NOW - 80 * DAY, NOW + 30 * DAY + 60,
                                  EVP_sha256(), &ca).crt, NULL);
    wrong = write_pem("wrong.pem", make_leaf("other.org", "DNS:other.org",
                                             &ca).crt, NULL);
    wild = write_pem("wild.pem", make_leaf("*.example.com",
                                           "DNS:*.example.com", &ca).crt,
                     NULL);
    ip = write_pem("ip.pem", make_leaf("192.0.2.1", "IP:192.0.2.1",
                                       &ca).crt, NULL);
    ip6 = write_pem("ip6.pem", make_leaf("2001:db8::1", "IP:2001:db8::1",
                                         &ca).crt, NULL);
    sha1_leaf = write_pem("sha1-leaf.pem",
                          make_cert("example.com", "DNS:example.com", 0,
                                    NOW - DAY, NOW + 365 * DAY, EVP_sha1(),
                                    &ca).crt, NULL);
    {
        pki_t leaf = make_leaf("example.com", "DNS:example.com", &inter);
        chained = write_pem("chained.pem", leaf.crt, inter.crt, NULL);
        leaf_only = write_pem("leaf-only.pem", leaf.crt, NULL);
        with_sha1_root = write_pem("with-sha1-root.pem", leaf.crt, inter.crt,
                                   root_sha1.crt, NULL);
    }
    {
        pki_t leaf = make_leaf("example.com", "DNS:example.com", &inter_sha1);
        sha1_inter_chained = write_pem("sha1-inter-chained.pem", leaf.crt,
                                       inter_sha1.crt, NULL);
        sha1_inter_leaf = write_pem("sha1-inter-leaf.pem", leaf.crt, NULL);
    }
    der = write_der("good.der", make_leaf("example.com", "DNS:example.com",
                                          &ca).crt);
    empty = write_text("empty.pem", "");
    garbage = write_text("garbage.pem", "-----BEGIN CERTIFICATE-----\n"
                         "bm90IGEgY2VydGlmaWNhdGU=\n"
                         "-----END CERTIFICATE-----\n");
    missing = path_of("no-such-file.pem");

    /* No trust in the test CA until a test asks for it. */
    set_trust(other_ca_file, empty_dir);
    c = store_at(apr_time_from_sec(NOW));

    /* --- validity, names, self-signed: without preload, no chain check */
    check(c, good, NULL, "example.com", 0, "",
          "a CA-signed, valid certificate for the name: no issue");
    check(c, self, NULL, "example.com", 0, "E:tls.cert.self_signed",
          "self-signed certificate: tls.cert.self_signed");
    check(c, expired, NULL, "example.com", 0, "E:tls.cert.expired",
          "certificate that expired a minute ago: tls.cert.expired");
    check(c, not_yet, NULL, "example.com", 0, "E:tls.cert.not_yet_valid",
          "certificate valid from a minute on: tls.cert.not_yet_valid");
    check(c, soon10, NULL, "example.com", 0, "W:tls.cert.expires_soon",
          "certificate expiring in 10 days: tls.cert.expires_soon warning");
    check(c, soon29, NULL, "example.com", 0, "W:tls.cert.expires_soon",
          "certificate expiring a minute before 30 days: expires_soon");
    check(c, later31, NULL, "example.com", 0, "",
          "certificate expiring a minute after 30 days: no issue");
    issues = run(c, soon10, NULL, "example.com", 0);
    m = message_of(issues, "tls.cert.expires_soon");
    ok(m && strstr(m, soon10) && strstr(m, "Jan 11"),
       "expires_soon names the file and the date");
    issues = run(c, expired, NULL, "example.com", 0);
    m = message_of(issues, "tls.cert.expired");
    ok(m && strstr(m, expired) && strstr(m, "CN=example.com"),
       "expired names the file and the certificate's subject");

    check(c, wrong, NULL, "example.com", 0, "E:tls.cert.name_mismatch",
          "certificate for another name: tls.cert.name_mismatch");
    check(c, good, NULL, "example.com www.example.com", 0,
          "E:tls.cert.name_mismatch",
          "certificate without a ServerAlias: tls.cert.name_mismatch");
    issues = run(c, good, NULL, "example.com www.example.com a.example.com", 0);
    m = message_of(issues, "tls.cert.name_mismatch");
    ok(m && strstr(m, "www.example.com, a.example.com")
       && !strstr(m, "example.com, www"),
       "name_mismatch lists exactly the names not covered");
    check(c, good_www, NULL, "example.com www.example.com", 0, "",
          "certificate covering ServerName and ServerAlias: no issue");
    check(c, good, NULL, "EXAMPLE.COM", 0, "",
          "names compare case-insensitively");

    /* wildcards */
    check(c, wild, NULL, "a.example.com *.example.com", 0, "",
          "wildcard certificate covers a.example.com and alias *.example.com");
    check(c, wild, NULL, "a.example.com www.example.com b?.example.com", 0,
          "", "wildcard certificate covers a '?' alias pattern");
    check(c, wild, NULL, "example.com", 0, "E:tls.cert.name_mismatch",
          "wildcard certificate does not cover the bare domain");
    check(c, wild, NULL, "a.example.com *.b.example.com", 0,
          "E:tls.cert.name_mismatch",
          "wildcard certificate does not cover alias *.b.example.com");
    check(c, wild, NULL, "a.b.example.com", 0, "E:tls.cert.name_mismatch",
          "wildcard certificate does not cover a.b.example.com");
    check(c, good, NULL, "example.com *.example.com", 0,
          "E:tls.cert.name_mismatch",
          "alias *.example.com on a certificate without a wildcard: "
          "name_mismatch");

    /* IP addresses */
    check(c, ip, NULL, "192.0.2.1", 0, "",
          "IP SAN covers the IPv4 ServerName");
    check(c, ip, NULL, "192.0.2.2", 0, "E:tls.cert.name_mismatch",
          "IP SAN does not cover another address");
    check(c, good, NULL, "192.0.2.1", 0, "E:tls.cert.name_mismatch",
          "a DNS certificate does not cover an IP ServerName");
    check(c, ip6, NULL, "[2001:db8::1]", 0, "",
          "IP SAN covers the bracketed IPv6 ServerName");
    check(c, ip6, NULL, "2001:db8::1", 0, "",
          "IP SAN covers the IPv6 ServerName without brackets");
    check(c, ip6, NULL, "[2001:db8::2]", 0, "E:tls.cert.name_mismatch",
          "IPv6 SAN does not cover another address");

    /* several issues at once, in a stable order */
    check(c, wrong, NULL, "example.com", 1,
          "E:tls.cert.name_mismatch E:domain.tls.invalid_cert_chain",
          "wrong name, untrusted, preload: both findings");

    /* --- SHA-1 */
    check(c, sha1_leaf, NULL, "example.com", 0, "E:domain.tls.sha1",
          "leaf signed with SHA-1: domain.tls.sha1");
    issues = run(c, sha1_leaf, NULL, "example.com", 0);
    m = message_of(issues, "domain.tls.sha1");
    ok(m && strstr(m, "CN=example.com") && strstr(m, sha1_leaf),
       "domain.tls.sha1 names the certificate and the file");
    check(c, sha1_inter_chained, NULL, "example.com", 0, "E:domain.tls.sha1",
          "SHA-1 intermediate after the leaf in SSLCertificateFile: "
          "domain.tls.sha1");
    issues = run(c, sha1_inter_chained, NULL, "example.com", 0);
    m = message_of(issues, "domain.tls.sha1");
    ok(m && strstr(m, "SHA-1 intermediate"),
       "domain.tls.sha1 names the SHA-1 intermediate");
    check(c, sha1_inter_leaf, inter_sha1_file, "example.com", 0,
          "E:domain.tls.sha1",
          "SHA-1 intermediate in SSLCertificateChainFile: domain.tls.sha1");
    check(c, sha1_inter_leaf, NULL, "example.com", 0, "",
          "SHA-256 leaf of a SHA-1 intermediate that is not configured: "
          "no issue");
    check(c, chained, NULL, "example.com", 0, "",
          "SHA-256 leaf and intermediate: no domain.tls.sha1");
    check(c, with_sha1_root, NULL, "example.com", 0, "",
          "a self-signed SHA-1 root in the chain does not count");
    {
        const char *two = write_pem("chain-two.pem", inter.crt,
                                    inter_sha1.crt, NULL);
        check(c, leaf_only, two, "example.com", 0, "E:domain.tls.sha1",
              "SHA-1 certificate second in the chain file: domain.tls.sha1");
    }

    /* --- the chain, untrusted: the store holds another CA only */
    check(c, good, NULL, "example.com", 1, "E:domain.tls.invalid_cert_chain",
          "preload, CA not trusted: domain.tls.invalid_cert_chain");
    issues = run(c, good, NULL, "example.com", 1);
    m = message_of(issues, "domain.tls.invalid_cert_chain");
    ok(m && strstr(m, good) && strstr(m, "local issuer"),
       "invalid_cert_chain names the file and OpenSSL's reason");
    check(c, self, NULL, "example.com", 1,
          "E:tls.cert.self_signed E:domain.tls.invalid_cert_chain",
          "preload, self-signed: self_signed and invalid_cert_chain");
    check(c, good, NULL, "example.com", 0, "",
          "no preload: no chain check, untrusted CA or not");
    check(c, self, NULL, "example.com", 0, "E:tls.cert.self_signed",
          "no preload: a self-signed certificate has no chain finding");
    check(c, chained, NULL, "example.com", 1,
          "E:domain.tls.invalid_cert_chain",
          "preload, full chain in the file, root not trusted: "
          "invalid_cert_chain");

    /* --- the chain, trusted: SSL_CERT_FILE names the test CA. The store
     * is loaded when first needed, so a new checker sees the change. */
    set_trust(ca_file, empty_dir);
    c = store_at(apr_time_from_sec(NOW));
    check(c, good, NULL, "example.com", 1, "",
          "preload, signed by the trusted CA: no invalid_cert_chain");
    check(c, chained, NULL, "example.com", 1, "",
          "preload, intermediate after the leaf in SSLCertificateFile: "
          "chain verifies");
    check(c, leaf_only, inter_file, "example.com", 1, "",
          "preload, intermediate in SSLCertificateChainFile: chain verifies");
    check(c, leaf_only, NULL, "example.com", 1,
          "E:domain.tls.invalid_cert_chain",
          "preload, intermediate not configured: invalid_cert_chain");
    check(c, leaf_only, NULL, "example.com", 0, "",
          "no preload, intermediate not configured: no chain check");
    check(c, self, NULL, "example.com", 1,
          "E:tls.cert.self_signed E:domain.tls.invalid_cert_chain",
          "preload, self-signed, CA trusted: still invalid_cert_chain");
    check(c, expired, NULL, "example.com", 1, "E:tls.cert.expired",
          "preload, expired but trusted: the date has its own finding only");
    check(c, sha1_inter_chained, NULL, "example.com", 1, "E:domain.tls.sha1",
          "preload, SHA-1 intermediate, trusted: domain.tls.sha1 only");

    /* the store of a checker is loaded once, when first needed */
    set_trust(other_ca_file, empty_dir);
    check(c, leaf_only, inter_file, "example.com", 1, "",
          "the same checker keeps the store it loaded");
    {
        hsts_cert_store_t *late = store_at(apr_time_from_sec(NOW));
        set_trust(ca_file, empty_dir);
        check(late, chained, NULL, "example.com", 1, "",
              "a checker made before SSL_CERT_FILE was set loads the store "
              "when first needed");
    }

    /* --- the dates of the chain above the leaf (trusted: the test CA) */
    test_intermediate_dates(&ca, &inter);
    test_root_dates(&ca, ca_file, empty_dir);

    /* --- unreadable files */
    c = store_at(apr_time_from_sec(NOW));
    check(c, der, NULL, "example.com", 1, "E:tls.cert.unreadable",
          "DER file: tls.cert.unreadable and nothing else");
    check(c, empty, NULL, "example.com", 1, "E:tls.cert.unreadable",
          "empty file: tls.cert.unreadable");
    check(c, garbage, NULL, "example.com", 1, "E:tls.cert.unreadable",
          "PEM block that is no certificate: tls.cert.unreadable");
    check(c, missing, NULL, "example.com", 1, "E:tls.cert.unreadable",
          "missing file: tls.cert.unreadable");
    issues = run(c, missing, NULL, "example.com", 1);
    m = message_of(issues, "tls.cert.unreadable");
    ok(m && strstr(m, missing) && strstr(m, "No such file"),
       "unreadable names the file and why");
    check(c, leaf_only, path_of("no-such-chain.pem"), "example.com", 0,
          "E:tls.cert.unreadable", "missing chain file: tls.cert.unreadable");
    issues = run(c, leaf_only, path_of("no-such-chain.pem"), "example.com", 0);
    m = message_of(issues, "tls.cert.unreadable");
    ok(m && strstr(m, "no-such-chain.pem")
       && strstr(m, "SSLCertificateChainFile"),
       "an unreadable chain file is named as such");
    check(c, leaf_only, empty, "example.com", 0, "E:tls.cert.unreadable",
          "empty chain file: tls.cert.unreadable");
    check(c, good, NULL, "example.com", 0, "",
          "after unreadable files, a good one still checks clean");

    /* a block after the first certificate that does not parse: mod_ssl
     * refuses the whole file, so the lint says so (regression: it used
     * to read up to the bad block and say nothing) */
    {
        pki_t leaf = make_leaf("example.com", "DNS:example.com", &ca);
        const char *bad_after, *bad_chain, *cut_after, *junk_after,
                   *with_key;

        bad_after = append_text(write_pem("bad-after.pem", leaf.crt, NULL),
                                "-----BEGIN CERTIFICATE-----\n"
                                "not base64 at all!\n"
                                "-----END CERTIFICATE-----\n");
        check(c, bad_after, NULL, "example.com", 0, "E:tls.cert.unreadable",
              "a broken block after the certificate: tls.cert.unreadable");
        issues = run(c, bad_after, NULL, "example.com", 0);
        m = message_of(issues, "tls.cert.unreadable");
        ok(m && strstr(m, bad_after) && strstr(m, "after certificate 1")
           && strstr(m, "SSLCertificateFile"),
           "a broken block after the certificate: the message says where");
        cut_after = append_text(write_pem("cut-after.pem", leaf.crt,
                                          inter.crt, NULL),
                                "-----BEGIN CERTIFICATE-----\n"
                                "MIIBszCCAVmgAwIBAgICA+kwCgYIKoZIzj0EAwIw\n");
        issues = run(c, cut_after, NULL, "example.com", 0);
        m = message_of(issues, "tls.cert.unreadable");
        ok(m && strstr(m, "after certificate 2"),
           "a truncated third certificate: tls.cert.unreadable, after 2");
        bad_chain = append_text(write_pem("bad-chain.pem", inter.crt, NULL),
                                "-----BEGIN CERTIFICATE-----\n"
                                "!!!!\n-----END CERTIFICATE-----\n");
        check(c, leaf_only, bad_chain, "example.com", 0,
              "E:tls.cert.unreadable",
              "a broken block in the chain file: tls.cert.unreadable");
        issues = run(c, leaf_only, bad_chain, "example.com", 0);
        m = message_of(issues, "tls.cert.unreadable");
        ok(m && strstr(m, bad_chain) && strstr(m, "SSLCertificateChainFile"),
           "a broken block in the chain file: named as the chain file");
        junk_after = append_text(write_pem("junk-after.pem", leaf.crt, NULL),
                                 "some text that is no PEM at all\n\x01\xff");
        check(c, junk_after, NULL, "example.com", 0, "",
              "text after the certificate (no PEM block): no issue");
        with_key = append_key(write_pem("with-key.pem", leaf.crt, NULL),
                              leaf.key);
        check(c, with_key, NULL, "example.com", 0, "",
              "the key after the certificate in one file: no issue");
    }

    /* --- each file parsed once: many hosts, one checker */
    shared = write_pem("shared.pem", make_leaf("example.com",
                                               "DNS:example.com", &ca).crt,
                       NULL);
    c = store_at(apr_time_from_sec(NOW));
    first = run(c, shared, NULL, "example.com", 1);
    is_str(issues_str(first), "", "shared certificate, first host: clean");
    /* replace the file: a checker that parsed it keeps what it read */
    write_pem("shared.pem", make_cert("example.com", "DNS:example.com", 0,
                                      NOW - 400 * DAY, NOW - DAY,
                                      EVP_sha1(), NULL).crt, NULL);
    same = 1;
    for (i = 0; i < 100; i++) {
        issues = run(c, shared, NULL, "example.com", i % 2);
        same &= !strcmp(issues_str(issues), "");
    }
    ok(same, "100 more hosts with the same file: the file is parsed once, "
       "every result the same");
    issues = run(c, shared, NULL, "example.com www.example.com", 1);
    is_str(issues_str(issues), "E:tls.cert.name_mismatch",
           "a host with other names gets its own name check from the cached "
           "file");
    issues = run(store_at(apr_time_from_sec(NOW)),
                 shared, NULL, "example.com", 1);
    is_str(issues_str(issues), "E:tls.cert.self_signed E:tls.cert.expired "
           "E:domain.tls.sha1 E:domain.tls.invalid_cert_chain",
           "a new checker reads the file anew");
    check(c, shared, NULL, "example.com", 0, "",
          "the same checker still gives the same result");

    remove_dir(empty_dir);
    pki_done();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
