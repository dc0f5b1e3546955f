/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: what certificates say, kept across lint runs, and the cache
 * file that carries it from one process to the next (pure;
 * hsts_cert_int.h).
 *
 * Every entry is keyed by a digest of exactly what it was worked out
 * from, so it can never apply to anything else: a file's facts by its
 * content, a certificate's by its DER, a chain verdict by the leaf, the
 * configured chain and the trust store's identity, OpenSSL's answer to
 * whether a certificate covers a name by its DER and the name. Nothing
 * in it depends on the date. The memory is a pool of its own with its own allocator:
 * when a run ends, the entries it used are copied into a new one and the
 * old is destroyed, so what no run uses any more is returned.
 */
#include <apr_file_io.h>
#include <apr_strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <string.h>
#include <unistd.h>

#include "hsts_cert_int.h"

/* The answers for names are kept as entries of a kind of their own. */
#define NAMES HSTS_CACHE_KINDS
#define TABLES (HSTS_CACHE_KINDS + 1)

/* An entry: its key is a digest; an answer for a name's is the
 * certificate's DER digest followed by the name as asked (and a NUL, not
 * part of the key). */
typedef struct {
    apr_uint32_t used;              /* the run that last used it; 0: none */
    apr_uint32_t klen;
    const void *value;              /* a name's: NULL */
    unsigned char covers;           /* a name's answer */
    unsigned char key[];
} entry_t;

/* The entries of a kind: open addressing on the key's first bytes (a
 * digest's are as good as any hash), never more than half full. Nothing
 * is removed: a run's end makes new tables of what it used. */
typedef struct {
    entry_t **slots;
    apr_size_t mask;                /* the number of slots, less 1 */
    apr_size_t count;
} table_t;

/* The longest key kept: a longer name (no host name is) is asked of
 * OpenSSL each time. */
#define NAME_KEY_MAX 512

/* What says that a file is the one last read or written. */
typedef struct {
    apr_off_t size;
    apr_time_t mtime, ctime;
    apr_ino_t inode;
    apr_dev_t device;
} stamp_t;

struct hsts_cert_cache_t {
    apr_pool_t *parent;
    apr_pool_t *pool;               /* the entries' */
    table_t tables[TABLES];
    apr_uint32_t run;
    int changed;                    /* differs from the file as last read
                                     * or written */
    int stamp_known;
    stamp_t stamp;                  /* that file's */
};

apr_pool_t *hsts_own_pool(apr_pool_t *parent)
{
    apr_allocator_t *allocator;
    apr_pool_t *p;

    if (apr_allocator_create(&allocator) != APR_SUCCESS) {
        return NULL;
    }
    if (apr_pool_create_ex(&p, parent, NULL, allocator) != APR_SUCCESS) {
        apr_allocator_destroy(allocator);
        return NULL;
    }
    apr_allocator_owner_set(allocator, p);
    return p;
}

/* hsts_own_pool(), else one that shares the parent's allocator. */
static apr_pool_t *own_pool(apr_pool_t *parent)
{
    apr_pool_t *p = hsts_own_pool(parent);

    if (!p) {
        apr_pool_create(&p, parent);
    }
    return p;
}

/* ------------------------------------------------------------------ */
/* Tables                                                               */

static apr_size_t key_hash(const unsigned char *key, apr_size_t klen)
{
    apr_size_t h, i;

    memcpy(&h, key, sizeof(h));
    for (i = HSTS_DIGEST_LEN; i < klen; i++) {
        h = h * 31 + key[i];
    }
    return h;
}

/* An empty table with room for n entries. */
static void table_make(apr_pool_t *p, table_t *t, apr_size_t n)
{
    apr_size_t slots = 16;

    while (slots < 2 * n) {
        slots *= 2;
    }
    t->slots = apr_pcalloc(p, slots * sizeof(entry_t *));
    t->mask = slots - 1;
    t->count = 0;
}

static entry_t *table_find(const table_t *t, const unsigned char *key,
                           apr_size_t klen)
{
    apr_size_t i;

    for (i = key_hash(key, klen) & t->mask; t->slots[i];
         i = (i + 1) & t->mask) {
        entry_t *e = t->slots[i];
        if (e->klen == klen && !memcmp(e->key, key, klen)) {
            return e;
        }
    }
    return NULL;
}

/* Adds e, whose key is not there. */
static void table_add(apr_pool_t *p, table_t *t, entry_t *e)
{
    apr_size_t i;

    if (2 * (t->count + 1) > t->mask + 1) {
        table_t bigger;
        table_make(p, &bigger, 2 * (t->mask + 1));
        for (i = 0; i <= t->mask; i++) {
            if (t->slots[i]) {
                table_add(p, &bigger, t->slots[i]);
            }
        }
        *t = bigger;
    }
    for (i = key_hash(e->key, e->klen) & t->mask; t->slots[i];
         i = (i + 1) & t->mask) {
    }
    t->slots[i] = e;
    t->count++;
}

static void make_tables(hsts_cert_cache_t *c, const apr_size_t *counts)
{
    int k;

    for (k = 0; k < TABLES; k++) {
        table_make(c->pool, &c->tables[k], counts ? counts[k] : 0);
    }
}

/* Entries of every kind, names included. */
static apr_size_t entry_count(const hsts_cert_cache_t *c)
{
    apr_size_t n = 0;
    int k;

    for (k = 0; k < TABLES; k++) {
        n += c->tables[k].count;
    }
    return n;
}

int hsts_cert_cache_empty(const hsts_cert_cache_t *c)
{
    return entry_count(c) == 0;
}

hsts_cert_cache_t *hsts_cert_cache_make(apr_pool_t *p)
{
    hsts_cert_cache_t *c = apr_pcalloc(p, sizeof(*c));

    c->parent = p;
    c->pool = own_pool(p);
    make_tables(c, NULL);
    return c;
}

/* ------------------------------------------------------------------ */
/* Entries                                                              */

static const void *copy_value(apr_pool_t *p, int kind, const void *value)
{
    switch (kind) {
    case HSTS_CACHE_FILE:
        return hsts_file_facts_copy(p, value);
    case HSTS_CACHE_CERT:
        return hsts_cert_facts_copy(p, value);
    case HSTS_CACHE_VERDICT:
        return hsts_verdict_copy(p, value);
    default:
        return NULL;
    }
}

/* A new entry in c of a kind, its value copied into c's pool unless
 * owned (there already). */
static entry_t *insert(hsts_cert_cache_t *c, int kind,
                       const unsigned char *key, apr_size_t klen,
                       const void *value, int owned, apr_uint32_t used)
{
    entry_t *e = apr_palloc(c->pool, sizeof(*e) + klen + 1);

    e->used = used;
    e->klen = (apr_uint32_t)klen;
    e->value = owned ? value : copy_value(c->pool, kind, value);
    e->covers = 0;
    memcpy(e->key, key, klen);
    e->key[klen] = '\0';
    table_add(c->pool, &c->tables[kind], e);
    c->changed = 1;
    return e;
}

const void *hsts_cache_get(hsts_cert_cache_t *c, hsts_cache_kind_e kind,
                           const hsts_digest_t *key)
{
    entry_t *e = table_find(&c->tables[kind], key->b, HSTS_DIGEST_LEN);

    if (!e) {
        return NULL;
    }
    e->used = c->run;
    return e->value;
}

int hsts_cache_known(const hsts_cert_cache_t *c, hsts_cache_kind_e kind,
                     const hsts_digest_t *key)
{
    return table_find(&c->tables[kind], key->b, HSTS_DIGEST_LEN) != NULL;
}

const void *hsts_cache_put(hsts_cert_cache_t *c, hsts_cache_kind_e kind,
                           const hsts_digest_t *key, const void *value)
{
    entry_t *e = table_find(&c->tables[kind], key->b, HSTS_DIGEST_LEN);

    if (!e) {
        e = insert(c, kind, key->b, HSTS_DIGEST_LEN, value, 0, c->run);
    }
    e->used = c->run;
    return e->value;
}

/* The key of a name's entry into buf (NAME_KEY_MAX long): its length,
 * or 0 when it does not fit. */
static apr_size_t name_key(unsigned char *buf, const hsts_digest_t *cert,
                           const char *name)
{
    apr_size_t n = strlen(name);

    if (!n || n >= NAME_KEY_MAX - HSTS_DIGEST_LEN) {
        return 0;
    }
    memcpy(buf, cert->b, HSTS_DIGEST_LEN);
    memcpy(buf + HSTS_DIGEST_LEN, name, n + 1);
    return HSTS_DIGEST_LEN + n;
}

static entry_t *name_find(const hsts_cert_cache_t *c,
                          const hsts_digest_t *cert, const char *name)
{
    unsigned char key[NAME_KEY_MAX];
    apr_size_t klen = name_key(key, cert, name);

    return klen ? table_find(&c->tables[NAMES], key, klen) : NULL;
}

int hsts_cache_name_get(hsts_cert_cache_t *c, const hsts_digest_t *cert,
                        const char *name)
{
    entry_t *e = name_find(c, cert, name);

    if (!e) {
        return -1;
    }
    e->used = c->run;
    return e->covers;
}

int hsts_cache_name_known(const hsts_cert_cache_t *c,
                          const hsts_digest_t *cert, const char *name)
{
    return name_find(c, cert, name) != NULL;
}

void hsts_cache_name_put(hsts_cert_cache_t *c, const hsts_digest_t *cert,
                         const char *name, int covers)
{
    unsigned char key[NAME_KEY_MAX];
    apr_size_t klen = name_key(key, cert, name);
    entry_t *e;

    if (!klen) {
        return;
    }
    e = table_find(&c->tables[NAMES], key, klen);
    if (!e) {
        e = insert(c, NAMES, key, klen, NULL, 1, c->run);
        e->covers = covers != 0;
    }
    e->used = c->run;
}

/* Copies e (of a kind, from another cache) into c. */
static void copy_entry(hsts_cert_cache_t *c, int kind, const entry_t *e)
{
    entry_t *copy = insert(c, kind, e->key, e->klen, e->value, kind == NAMES,
                           e->used);

    copy->covers = e->covers;
}

void hsts_cache_run_begin(hsts_cert_cache_t *c)
{
    c->run++;
}

void hsts_cache_run_end(hsts_cert_cache_t *c)
{
    apr_pool_t *old = c->pool;
    table_t from[TABLES];
    apr_size_t used[TABLES], i;
    int k, unused = 0;

    for (k = 0; k < TABLES; k++) {
        used[k] = 0;
        for (i = 0; i <= c->tables[k].mask; i++) {
            const entry_t *e = c->tables[k].slots[i];
            used[k] += e && e->used == c->run;
        }
        unused += used[k] != c->tables[k].count;
    }
    if (!unused) {
        return;
    }
    memcpy(from, c->tables, sizeof(from));
    c->pool = own_pool(c->parent);
    make_tables(c, used);
    for (k = 0; k < TABLES; k++) {
        for (i = 0; i <= from[k].mask; i++) {
            const entry_t *e = from[k].slots[i];
            if (e && e->used == c->run) {
                copy_entry(c, k, e);
            }
        }
    }
    apr_pool_destroy(old);
    c->changed = 1;
}

/* ------------------------------------------------------------------ */
/* The cache file, binary: a header, the entries of each kind (files,
 * certificates, verdicts, names) after their counts, and the SHA-256 of
 * everything before it, so that a truncated or damaged file is seen as
 * such. Numbers are in this machine's byte order (the header says which:
 * a file from another machine is ignored); a string is its length (2
 * bytes; NO_STRING for none) and its bytes.                            */

#define MAGIC "mod_hsts certificate cache\n"
#define FORMAT HSTS_CERT_CACHE_FORMAT
#define BYTE_ORDER_MARK 0x01020304u
#define NO_STRING 0xffffu
#define MAX_FILE (APR_INT64_C(512) * 1024 * 1024)

typedef struct {
    apr_file_t *f;
    EVP_MD_CTX *md;
    apr_status_t rv;
} out_t;

static void put(out_t *o, const void *data, apr_size_t len)
{
    if (o->rv == APR_SUCCESS && len) {
        EVP_DigestUpdate(o->md, data, len);
        o->rv = apr_file_write_full(o->f, data, len, NULL);
    }
}

static void put_u32(out_t *o, apr_uint32_t v)
{
    put(o, &v, sizeof(v));
}

static void put_i64(out_t *o, apr_int64_t v)
{
    put(o, &v, sizeof(v));
}

/* A string (NULL: none); longer ones are cut (no message is that long). */
static void put_string(out_t *o, const char *s)
{
    apr_size_t n = s ? strlen(s) : 0;
    apr_uint16_t len = !s ? NO_STRING
                       : (apr_uint16_t)(n < NO_STRING ? n : NO_STRING - 1);

    put(o, &len, sizeof(len));
    put(o, s, s ? len : 0);
}

static void put_entry(out_t *o, int kind, const entry_t *e)
{
    put(o, e->key, HSTS_DIGEST_LEN);
    if (kind == NAMES) {
        put(o, &e->covers, 1);
        put_string(o, (const char *)e->key + HSTS_DIGEST_LEN);
    }
    else if (kind == HSTS_CACHE_FILE) {
        const hsts_file_facts_t *f = e->value;
        put_u32(o, (apr_uint32_t)f->count);
        put(o, f->certs, sizeof(hsts_digest_t) * (apr_size_t)f->count);
        put_string(o, f->error);
    }
    else if (kind == HSTS_CACHE_CERT) {
        const hsts_cert_facts_t *f = e->value;
        put_i64(o, f->not_before);
        put_i64(o, f->not_after);
        put_u32(o, f->flags);
        put_string(o, f->error);
        put_string(o, f->subject);
    }
    else {
        const hsts_verdict_t *v = e->value;
        put_string(o, v->error);
        put_i64(o, v->issuers_from);
        put_i64(o, v->issuers_until);
        put_string(o, v->from_subject);
        put_string(o, v->until_subject);
    }
}

static void put_entries(out_t *o, const hsts_cert_cache_t *c)
{
    apr_size_t i;
    int k;

    for (k = 0; k < TABLES; k++) {
        put_u32(o, (apr_uint32_t)c->tables[k].count);
    }
    for (k = 0; k < TABLES; k++) {
        for (i = 0; i <= c->tables[k].mask; i++) {
            if (c->tables[k].slots[i]) {
                put_entry(o, k, c->tables[k].slots[i]);
            }
        }
    }
}

static void stamp_of(const apr_finfo_t *fi, stamp_t *s)
{
    memset(s, 0, sizeof(*s));
    s->size = fi->size;
    s->mtime = fi->mtime;
    s->ctime = fi->ctime;
    s->inode = fi->inode;
    s->device = fi->device;
}

static int same_stamp(const stamp_t *a, const stamp_t *b)
{
    return a->size == b->size && a->mtime == b->mtime && a->ctime == b->ctime
           && a->inode == b->inode && a->device == b->device;
}

#define STAMP_WANTED (APR_FINFO_SIZE | APR_FINFO_MTIME | APR_FINFO_CTIME \
                      | APR_FINFO_INODE | APR_FINFO_DEV)

/* Whether the file at path is the one this cache last read or wrote. */
static int unchanged(const hsts_cert_cache_t *c, const char *path,
                     apr_pool_t *p)
{
    apr_finfo_t fi;
    stamp_t now;

    if (!c->stamp_known
        || apr_stat(&fi, path, STAMP_WANTED, p) != APR_SUCCESS) {
        return 0;
    }
    stamp_of(&fi, &now);
    return same_stamp(&now, &c->stamp);
}

static int write_file(hsts_cert_cache_t *c, apr_file_t *f)
{
    out_t o;
    unsigned char md[EVP_MAX_MD_SIZE];

    o.f = f;
    o.rv = APR_SUCCESS;
    o.md = EVP_MD_CTX_new();
    if (!o.md || !EVP_DigestInit_ex(o.md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(o.md);
        return -1;
    }
    put(&o, MAGIC, strlen(MAGIC));
    put_u32(&o, FORMAT);
    put_u32(&o, BYTE_ORDER_MARK);
    put_string(&o, OpenSSL_version(OPENSSL_VERSION));
    put_entries(&o, c);
    if (!EVP_DigestFinal_ex(o.md, md, NULL)) {
        o.rv = APR_EGENERAL;
    }
    EVP_MD_CTX_free(o.md);
    if (o.rv == APR_SUCCESS) {
        o.rv = apr_file_write_full(f, md, HSTS_DIGEST_LEN, NULL);
    }
    return o.rv == APR_SUCCESS ? 0 : -1;
}

int hsts_cert_cache_save(hsts_cert_cache_t *c, const char *path,
                         apr_pool_t *p, const char **why)
{
    char *tmp = apr_pstrcat(p, path, ".XXXXXX", NULL);
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    char err[120];

    if (!c->changed && unchanged(c, path, p)) {
        return 0;
    }
    rv = apr_file_mktemp(&f, tmp, APR_FOPEN_CREATE | APR_FOPEN_WRITE
                                  | APR_FOPEN_EXCL | APR_FOPEN_BUFFERED, p);
    if (rv != APR_SUCCESS) {
        *why = apr_psprintf(p, "cannot create %s (%s)", tmp,
                            apr_strerror(rv, err, sizeof(err)));
        return -1;
    }
    if (write_file(c, f) || (rv = apr_file_close(f)) != APR_SUCCESS
        || (rv = apr_file_rename(tmp, path, p)) != APR_SUCCESS) {
        if (rv == APR_SUCCESS) {
            apr_file_close(f);
        }
        apr_file_remove(tmp, p);
        *why = apr_psprintf(p, "cannot write %s (%s)", path,
                            rv == APR_SUCCESS ? "write failed"
                            : apr_strerror(rv, err, sizeof(err)));
        return -1;
    }
    c->changed = 0;
    c->stamp_known = apr_stat(&fi, path, STAMP_WANTED, p) == APR_SUCCESS;
    if (c->stamp_known) {
        stamp_of(&fi, &c->stamp);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Reading it back: every byte accounted for, or nothing is taken.      */

typedef struct {
    const unsigned char *p, *end;
    apr_pool_t *pool;               /* where strings are copied */
    int ok;
} in_t;

static const unsigned char *get(in_t *in, apr_size_t len)
{
    const unsigned char *at = in->p;

    if (!in->ok || (apr_size_t)(in->end - in->p) < len) {
        in->ok = 0;
        return NULL;
    }
    in->p += len;
    return at;
}

/* The next len bytes into out (left as it is when they are not there). */
static void get_into(in_t *in, void *out, apr_size_t len)
{
    const unsigned char *at = get(in, len);

    if (at) {
        memcpy(out, at, len);
    }
}

static apr_uint32_t get_u32(in_t *in)
{
    apr_uint32_t v = 0;

    get_into(in, &v, sizeof(v));
    return v;
}

static apr_int64_t get_i64(in_t *in)
{
    apr_int64_t v = 0;

    get_into(in, &v, sizeof(v));
    return v;
}

static void get_digest(in_t *in, hsts_digest_t *d)
{
    get_into(in, d->b, HSTS_DIGEST_LEN);
}

/* A string, copied (NULL for none); one holding a NUL is no string. */
static const char *get_string(in_t *in)
{
    const unsigned char *at = get(in, sizeof(apr_uint16_t));
    apr_uint16_t len = NO_STRING;

    if (at) {
        memcpy(&len, at, sizeof(len));
    }
    if (!at || len == NO_STRING) {
        return NULL;
    }
    at = get(in, len);
    if (at && memchr(at, 0, len)) {
        in->ok = 0;
    }
    return at && in->ok ? apr_pstrmemdup(in->pool, (const char *)at, len)
                        : NULL;
}

static const void *get_file_entry(in_t *in)
{
    hsts_file_facts_t *f = apr_pcalloc(in->pool, sizeof(*f));
    apr_uint32_t count = get_u32(in);
    const unsigned char *at;

    /* the digests must be there before they are made room for */
    if (count > (apr_size_t)(in->end - in->p) / HSTS_DIGEST_LEN) {
        in->ok = 0;
        return NULL;
    }
    f->count = (int)count;
    at = get(in, HSTS_DIGEST_LEN * (apr_size_t)count);
    f->certs = count && at ? apr_pmemdup(in->pool, at, HSTS_DIGEST_LEN
                                                       * (apr_size_t)count)
                           : NULL;
    f->error = get_string(in);
    return f;
}

static const void *get_cert_entry(in_t *in)
{
    hsts_cert_facts_t *f = apr_pcalloc(in->pool, sizeof(*f));

    f->not_before = get_i64(in);
    f->not_after = get_i64(in);
    f->flags = get_u32(in);
    f->error = get_string(in);
    f->subject = get_string(in);
    /* either what went wrong, or what it says */
    if ((f->flags & ~(unsigned int)HSTS_CF_ALL)
        || (f->error ? f->subject || f->flags : !f->subject)) {
        in->ok = 0;
    }
    return f;
}

static const void *get_verdict_entry(in_t *in)
{
    hsts_verdict_t *v = apr_pcalloc(in->pool, sizeof(*v));

    v->error = get_string(in);
    v->issuers_from = get_i64(in);
    v->issuers_until = get_i64(in);
    v->from_subject = get_string(in);
    v->until_subject = get_string(in);
    /* a date that bounds the chain is someone's */
    if (!v->error || (v->issuers_from != APR_INT64_MIN && !v->from_subject)
        || (v->issuers_until != APR_INT64_MAX && !v->until_subject)) {
        in->ok = 0;
    }
    return v;
}

/* An answer for a name, after its certificate's digest: the entry's
 * key into key; its length, 0 if it is not one. */
static apr_size_t get_name(in_t *in, const hsts_digest_t *cert,
                           unsigned char *key, unsigned char *covers)
{
    const unsigned char *answer = get(in, 1);
    const char *name = get_string(in);
    apr_size_t klen;

    if (!in->ok || !name || *answer > 1
        || !(klen = name_key(key, cert, name))) {
        in->ok = 0;
        return 0;
    }
    *covers = *answer;
    return klen;
}

/* The n entries of a kind into c (the first of a key counts). */
static void get_entries(in_t *in, hsts_cert_cache_t *c, int kind,
                        apr_uint32_t n)
{
    static const void *(*const get_value[HSTS_CACHE_KINDS])(in_t *) = {
        get_file_entry, get_cert_entry, get_verdict_entry
    };
    unsigned char key[NAME_KEY_MAX];
    apr_uint32_t i;

    for (i = 0; i < n && in->ok; i++) {
        hsts_digest_t d;
        const void *value = NULL;
        unsigned char covers = 0;
        apr_size_t klen = HSTS_DIGEST_LEN;

        get_digest(in, &d);
        if (kind == NAMES) {
            klen = get_name(in, &d, key, &covers);
        }
        else {
            memcpy(key, d.b, HSTS_DIGEST_LEN);
            value = get_value[kind](in);
        }
        if (in->ok && !table_find(&c->tables[kind], key, klen)) {
            insert(c, kind, key, klen, value, 1, 0)->covers = covers;
        }
    }
}

/* The header: this format, this byte order, this OpenSSL. */
static void get_header(in_t *in)
{
    const unsigned char *magic = get(in, strlen(MAGIC));
    const char *version;

    if (!magic || memcmp(magic, MAGIC, strlen(MAGIC)) != 0
        || get_u32(in) != FORMAT || get_u32(in) != BYTE_ORDER_MARK) {
        in->ok = 0;
        return;
    }
    version = get_string(in);
    if (!version || strcmp(version, OpenSSL_version(OPENSSL_VERSION)) != 0) {
        in->ok = 0;
    }
}

/* The entries of the file's data into into (in its pool); 0 if it does
 * not check out: its checksum, its header, each entry, its length. */
static int parse_data(hsts_cert_cache_t *into, const unsigned char *data,
                      apr_size_t len)
{
    in_t in;
    hsts_digest_t sum;
    apr_size_t counts[TABLES];
    int k;

    if (len < HSTS_DIGEST_LEN) {
        return 0;
    }
    hsts_digest(NULL, data, len - HSTS_DIGEST_LEN, &sum);
    if (memcmp(sum.b, data + len - HSTS_DIGEST_LEN, HSTS_DIGEST_LEN) != 0) {
        return 0;
    }
    in.p = data;
    in.end = data + len - HSTS_DIGEST_LEN;
    in.pool = into->pool;
    in.ok = 1;
    get_header(&in);
    for (k = 0; k < TABLES; k++) {
        counts[k] = get_u32(&in);
        /* no more entries than bytes to hold them: no table is made for
         * a count that lies */
        if (counts[k] > (apr_size_t)(in.end - in.p) / HSTS_DIGEST_LEN) {
            in.ok = 0;
        }
    }
    if (!in.ok) {
        return 0;
    }
    make_tables(into, counts);
    for (k = 0; k < TABLES; k++) {
        get_entries(&in, into, k, (apr_uint32_t)counts[k]);
    }
    return in.ok && in.p == in.end;
}

/* The file's whole content, if it is one this process may trust. */
static hsts_cache_file_e read_data(const char *path, apr_pool_t *p,
                                   char **text, apr_size_t *len,
                                   stamp_t *stamp, const char **why)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    char err[120];

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, p);
    if (APR_STATUS_IS_ENOENT(rv)) {
        return HSTS_CACHE_FILE_ABSENT;
    }
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, STAMP_WANTED | APR_FINFO_TYPE
                                    | APR_FINFO_USER | APR_FINFO_PROT, f);
    }
    if (rv != APR_SUCCESS) {
        *why = apr_psprintf(p, "cannot be read (%s)",
                            apr_strerror(rv, err, sizeof(err)));
        return HSTS_CACHE_FILE_IGNORED;
    }
    stamp_of(&fi, stamp);
    /* only a file that no one else could have written proves anything */
    if (fi.filetype != APR_REG || fi.user != geteuid()
        || (fi.protection & (APR_GWRITE | APR_WWRITE))) {
        apr_file_close(f);
        *why = fi.filetype != APR_REG ? "is not a regular file"
               : fi.user != geteuid()
               ? apr_psprintf(p, "is owned by uid %ld, not by this process's "
                              "user (uid %ld)", (long)fi.user,
                              (long)geteuid())
               : "is writable by other users than its owner";
        return HSTS_CACHE_FILE_REFUSED;
    }
    if (fi.size > MAX_FILE) {
        apr_file_close(f);
        *why = "is too large to be one";
        return HSTS_CACHE_FILE_IGNORED;
    }
    *len = (apr_size_t)fi.size;
    *text = apr_palloc(p, *len + 1);
    rv = apr_file_read_full(f, *text, *len, len);
    apr_file_close(f);
    if (rv != APR_SUCCESS) {
        *why = apr_psprintf(p, "cannot be read (%s)",
                            apr_strerror(rv, err, sizeof(err)));
        return HSTS_CACHE_FILE_IGNORED;
    }
    (*text)[*len] = '\0';
    return HSTS_CACHE_FILE_LOADED;
}

/* Takes the entries of file (a cache read from the file) into c: by
 * taking its pool when c has none (a new process), else by copying. */
static void merge_file(hsts_cert_cache_t *c, hsts_cert_cache_t *file,
                       int replace)
{
    apr_size_t kept = 0, total = entry_count(c), i;
    int k;

    if (!total || replace) {
        apr_pool_destroy(c->pool);
        c->pool = file->pool;
        memcpy(c->tables, file->tables, sizeof(c->tables));
        c->changed = 0;
        return;
    }
    for (k = 0; k < TABLES; k++) {
        for (i = 0; i <= file->tables[k].mask; i++) {
            const entry_t *e = file->tables[k].slots[i];
            if (!e) {
                continue;
            }
            if (table_find(&c->tables[k], e->key, e->klen)) {
                kept++;
            }
            else {
                copy_entry(c, k, e);
            }
        }
    }
    apr_pool_destroy(file->pool);
    /* the file now differs from the cache only if the cache held more */
    c->changed = kept != total;
}

static hsts_cache_file_e load(hsts_cert_cache_t *c, const char *path,
                              apr_pool_t *p, const char **why, int replace)
{
    hsts_cert_cache_t file;
    hsts_cache_file_e result;
    apr_pool_t *scratch;
    stamp_t stamp;
    apr_size_t len = 0;
    char *data = NULL;
    int ok;

    *why = NULL;
    if (unchanged(c, path, p)) {
        return HSTS_CACHE_FILE_UNCHANGED;
    }
    /* read into a cache of its own, which is all or nothing; the file's
     * content goes once it is read */
    memset(&file, 0, sizeof(file));
    file.parent = c->parent;
    file.pool = own_pool(c->parent);
    scratch = own_pool(p);
    result = read_data(path, scratch, &data, &len, &stamp, why);
    ok = result == HSTS_CACHE_FILE_LOADED
         && parse_data(&file, (const unsigned char *)data, len);
    *why = *why ? apr_pstrdup(p, *why)
           : result == HSTS_CACHE_FILE_LOADED && !ok
           ? "is damaged, truncated, or from another version or OpenSSL"
           : NULL;
    apr_pool_destroy(scratch);
    if (!ok) {
        apr_pool_destroy(file.pool);
        c->changed = 1;
        return result == HSTS_CACHE_FILE_LOADED ? HSTS_CACHE_FILE_IGNORED
                                                : result;
    }
    merge_file(c, &file, replace);
    c->stamp = stamp;
    c->stamp_known = 1;
    return HSTS_CACHE_FILE_LOADED;
}

hsts_cache_file_e hsts_cert_cache_load(hsts_cert_cache_t *c, const char *path,
                                       apr_pool_t *p, const char **why)
{
    return load(c, path, p, why, 0);
}

hsts_cache_file_e hsts_cert_cache_reload(hsts_cert_cache_t *c,
                                         const char *path, apr_pool_t *p,
                                         const char **why)
{
    return load(c, path, p, why, 1);
}
