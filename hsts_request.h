/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: what the plain-HTTP redirect takes from a request (pure):
 * the host name it may use, the path and query it keeps, the Location it
 * builds and the paths it leaves alone.
 */
#ifndef HSTS_REQUEST_H
#define HSTS_REQUEST_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_network_io.h>

/* The ACME http-01 challenge path, excluded from the redirect by default. */
#define HSTS_ACME_PREFIX "/.well-known/acme-challenge/"

/*
 * Whether a request's host name, as httpd leaves it in r->hostname (no
 * port, no brackets), can go into a Location as it is: a DNS name of
 * letters, digits, '-', '_' and '.', or an IPv6 address. httpd checks
 * this itself only under HttpProtocolOptions Strict; without it a Host
 * such as "evil.example?.wild.example.com" would match a wildcard
 * ServerAlias and send the client to evil.example.
 */
int hsts_host_is_valid(const char *host);

/*
 * The part of a request target that a redirect keeps: its path and query
 * exactly as sent. For an origin-form target that is the target itself;
 * for an absolute-form target with the scheme http or https ("http://
 * host/p?q", also "http:/p" and "http:?q", which httpd serves as well)
 * the part after the scheme and authority, which may be empty or start
 * with '?' (hsts_location_build supplies the "/" then). Returns NULL when
 * there is nothing to redirect: "*", "", an authority-form CONNECT
 * target, a rootless path, or another scheme ("ftp://h/x", "x:/y"),
 * which is left to httpd whatever its version does with it.
 */
const char *hsts_target_path_query(const char *target, apr_size_t *len);

/*
 * Builds "https://" host [":" port] path-and-query. The port is left out
 * when it is 443; an IPv6 literal host is bracketed. Bytes that can never
 * appear in a header field value (controls, space, DEL) are percent-
 * encoded, so nothing a client sends can end the Location header.
 */
const char *hsts_location_build(apr_pool_t *p, const char *host,
                                apr_port_t port, const char *path_query,
                                apr_size_t len);

/*
 * Normalises an HSTSRedirectExclude prefix for matching by whole path
 * segments: drops trailing slashes ("/a/" -> "/a", "/" -> "").
 * Returns NULL with *error set when the prefix is not a path.
 */
const char *hsts_exclude_prefix_normalize(apr_pool_t *p, const char *prefix,
                                          const char **error);

/*
 * Whether the path of a request target (path_query, len bytes: the query,
 * if any, is ignored) lies under one of the normalised prefixes (an array
 * of const char *). A path with dot segments, plain or percent-encoded,
 * never matches, so "/prefix/../private" cannot leave HTTPS.
 */
int hsts_path_excluded(const char *path_query, apr_size_t len,
                       const apr_array_header_t *prefixes);

#endif /* HSTS_REQUEST_H */
