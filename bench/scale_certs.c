/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The certificates of bench/scale.sh: a test root, one intermediate it
 * signs, and N ECDSA P-256 leaves the intermediate signs, each written
 * with the intermediate after it as a Let's Encrypt fullchain.pem is.
 *
 *   scale_certs <dir> <n> <days>
 *
 * writes <dir>/root.pem, <dir>/siteI.pem (leaf for siteI.example.com and
 * www.siteI.example.com, then the intermediate) and <dir>/siteI.key for
 * I = 1..n, leaves valid <days> days from an hour ago. One process makes
 * them all: the openssl command line takes a process or two per leaf,
 * minutes at 10,000 hosts.
 */
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdio.h>
#include <stdlib.h>

static void die(const char *what)
{
    fprintf(stderr, "scale_certs: %s failed\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static EVP_PKEY *new_key(void)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");

    if (!key) {
        die("EVP_EC_gen");
    }
    return key;
}

static void add_ext(X509V3_CTX *ctx, X509 *x, int nid, const char *value)
{
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);

    if (!ext || !X509_add_ext(x, ext, -1)) {
        die(value);
    }
    X509_EXTENSION_free(ext);
}

/* A certificate for cn and key, signed by issuer/issuer_key (itself when
 * issuer is NULL); exts alternate NIDs and values, ending with 0. */
static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer,
                       EVP_PKEY *issuer_key, long serial, long days,
                       const int *nids, const char *const *values)
{
    X509 *x = X509_new();
    X509_NAME *name = X509_NAME_new();
    X509V3_CTX ctx;
    int i;

    if (!x || !name
        || !X509_set_version(x, 2)
        || !ASN1_INTEGER_set(X509_get_serialNumber(x), serial)
        || !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                       (const unsigned char *)cn, -1, -1, 0)
        || !X509_set_subject_name(x, name)
        || !X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer)
                                           : name)
        || !X509_gmtime_adj(X509_getm_notBefore(x), -3600)
        || !X509_gmtime_adj(X509_getm_notAfter(x), days * 86400)
        || !X509_set_pubkey(x, key)) {
        die(cn);
    }
    X509_NAME_free(name);
    X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
    for (i = 0; nids[i]; i++) {
        add_ext(&ctx, x, nids[i], values[i]);
    }
    if (!X509_sign(x, issuer_key, EVP_sha256())) {
        die("X509_sign");
    }
    return x;
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    return f;
}

int main(int argc, char **argv)
{
    static const int ca_nids[] = {
        NID_basic_constraints, NID_key_usage, NID_subject_key_identifier, 0
    };
    static const char *const root_values[] = {
        "critical,CA:TRUE", "critical,keyCertSign,cRLSign", "hash"
    };
    static const int int_nids[] = {
        NID_basic_constraints, NID_key_usage, NID_ext_key_usage,
        NID_subject_key_identifier, NID_authority_key_identifier, 0
    };
    static const char *const int_values[] = {
        "critical,CA:TRUE,pathlen:0", "critical,keyCertSign,cRLSign",
        "serverAuth", "hash", "keyid:always"
    };
    static const int leaf_nids[] = {
        NID_basic_constraints, NID_key_usage, NID_ext_key_usage,
        NID_subject_key_identifier, NID_authority_key_identifier,
        NID_subject_alt_name, 0
    };
    const char *leaf_values[] = {
        "critical,CA:FALSE", "critical,digitalSignature", "serverAuth",
        "hash", "keyid:always", NULL
    };
    EVP_PKEY *root_key, *int_key;
    X509 *root, *inter;
    FILE *f;
    long n, days, i;

    if (argc != 4 || (n = atol(argv[2])) < 1 || (days = atol(argv[3])) < 1) {
        fprintf(stderr, "usage: scale_certs <dir> <n> <days>\n");
        return 2;
    }
    root_key = new_key();
    root = make_cert("mod_hsts scale test root", root_key, NULL, root_key,
                     1, 3650, ca_nids, root_values);
    int_key = new_key();
    inter = make_cert("mod_hsts scale test intermediate", int_key, root,
                      root_key, 2, 1825, int_nids, int_values);
    f = open_out(argv[1], "root.pem");
    PEM_write_X509(f, root);
    fclose(f);

    for (i = 1; i <= n; i++) {
        char cn[64], san[160], name[64];
        EVP_PKEY *key = new_key();
        X509 *leaf;

        snprintf(cn, sizeof(cn), "site%ld.example.com", i);
        snprintf(san, sizeof(san), "DNS:%s,DNS:www.%s", cn, cn);
        leaf_values[5] = san;
        leaf = make_cert(cn, key, inter, int_key, 1000 + i, days, leaf_nids,
                         leaf_values);
        snprintf(name, sizeof(name), "site%ld.pem", i);
        f = open_out(argv[1], name);
        if (!PEM_write_X509(f, leaf) || !PEM_write_X509(f, inter)
            || fclose(f) != 0) {
            die(name);
        }
        snprintf(name, sizeof(name), "site%ld.key", i);
        f = open_out(argv[1], name);
        if (!PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL)
            || fclose(f) != 0) {
            die(name);
        }
        X509_free(leaf);
        EVP_PKEY_free(key);
    }
    X509_free(inter);
    X509_free(root);
    EVP_PKEY_free(int_key);
    EVP_PKEY_free(root_key);
    return 0;
}
