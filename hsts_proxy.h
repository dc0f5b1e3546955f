/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: TLS-terminating proxies (pure): which peers are trusted, and
 * what their X-Forwarded-Proto says.
 */
#ifndef HSTS_PROXY_H
#define HSTS_PROXY_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_network_io.h>

/*
 * Parses an HSTSTrustedProxy block, "ip" or "ip/bits" (IPv4 or IPv6), into
 * an APR subnet. An IPv4-mapped IPv6 block of at least 96 bits
 * ("::ffff:10.0.0.0/104") is read as the IPv4 block it stands for
 * (10.0.0.0/8): APR matches IPv4-mapped peers against IPv4 blocks only.
 * Returns NULL on success, else a phrase saying what is wrong.
 */
const char *hsts_proxy_block_parse(apr_pool_t *p, const char *text,
                                   apr_ipsubnet_t **block);

/* Whether a peer address lies in one of the blocks (apr_ipsubnet_t *). */
int hsts_proxy_is_trusted(const apr_array_header_t *blocks,
                          apr_sockaddr_t *peer);

/*
 * Whether an X-Forwarded-Proto value says https. Proxies that append
 * rather than overwrite leave a list; its last element is the one the
 * trusted proxy itself added, so only that one counts.
 */
int hsts_forwarded_proto_is_https(const char *value);

#endif /* HSTS_PROXY_H */
