/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: which virtual host answers a name, the way httpd selects it
 * (server/vhost.c), over the lint's plain host records (pure).
 *
 * On an address:port the host that names the requested name (ServerName,
 * ServerAlias, wildcards included) answers, else the first host of that
 * address:port (its default); an address that no virtual host claims is
 * answered by the main server, if something listens there at all. Names
 * are resolved from the configuration alone: a name that a virtual host
 * names resolves to that host's addresses; the lint cannot see DNS.
 *
 * Everything is a hash lookup over tables built once, so a query costs
 * the same with ten hosts or ten thousand.
 */
#ifndef HSTS_VHOSTS_H
#define HSTS_VHOSTS_H

#include "hsts_lint.h"

typedef struct hsts_vhosts_t hsts_vhosts_t;

/* Indexes the hosts of in (which must outlive the result). */
hsts_vhosts_t *hsts_vhosts_make(apr_pool_t *p, const hsts_lint_input_t *in);

/* "*" for an address no IP-based virtual host claims. */
#define HSTS_ANY_ADDRESS "*"

/* The ip of an "ip:port" address as the hosts give them, and its port
 * (0 for "*"). */
const char *hsts_vhosts_split(apr_pool_t *p, const char *addr,
                              apr_port_t *port);

/*
 * The host that answers a request for name arriving on ip:port (ip "*":
 * an address no IP-based virtual host claims), or -1 when nothing
 * listens there.
 */
int hsts_vhosts_select(const hsts_vhosts_t *v, const char *ip,
                       apr_port_t port, const char *name);

/* The default host of ip:port (the one whose settings decide whether the
 * address speaks TLS), or -1 when nothing listens there. */
int hsts_vhosts_default_at(const hsts_vhosts_t *v, const char *ip,
                           apr_port_t port);

/* Whether the host answering on ip:port speaks TLS there (its address's
 * default host, or the main server, is a TLS host); 0 when nothing
 * listens there. */
int hsts_vhosts_is_tls_at(const hsts_vhosts_t *v, const char *ip,
                          apr_port_t port);

/*
 * The addresses (const char *, specific ones first, then "*") that name
 * resolves to as far as the configuration says: those of the virtual
 * hosts that name it by their own ServerName or a ServerAlias (else those
 * of the first whose pattern matches it). NULL when no virtual host
 * names it: it may not exist at all.
 */
const apr_array_header_t *hsts_vhosts_resolve(const hsts_vhosts_t *v,
                                              const char *name);

/* hsts_vhosts_resolve(), or where host h listens (its addresses; "*"
 * for the main server) when no virtual host names name. */
const apr_array_header_t *hsts_vhosts_resolve_at(const hsts_vhosts_t *v,
                                                 const char *name, int h);

/* The ports something listens on or a virtual host is on, each once, in
 * the order the configuration gives them. */
const apr_array_header_t *hsts_vhosts_ports(const hsts_vhosts_t *v);

/*
 * The hosts (int, file order) that name name exactly: by a ServerName
 * given in the host itself, or a ServerAlias. A name only matched by a
 * pattern, or only the inherited ServerName of a default host, is not
 * there: the lint cannot know it exists. NULL when none.
 */
const apr_array_header_t *hsts_vhosts_naming(const hsts_vhosts_t *v,
                                             const char *name);

/* Whether host h answers to name by its ServerName (set or inherited),
 * a ServerAlias or a pattern. */
int hsts_vhosts_host_names(const hsts_vhosts_t *v, int h, const char *name);

/* The port HSTSRedirect sends name to without HSTSRedirectPort, as the
 * module derives it: that of the TLS host that names name (443 when one
 * on 443 does), else 443. */
apr_port_t hsts_vhosts_tls_port(const hsts_vhosts_t *v, const char *name);

/*
 * Whether host h presents a certificate that covers name: one of its
 * certificate files does, or, where the lint reads no certificate (mod_md
 * manages it, none is configured, or it cannot be read, which other
 * findings report), h names it (or its MDomain does).
 */
int hsts_vhosts_covers(const hsts_vhosts_t *v, int h, const char *name);

#endif /* HSTS_VHOSTS_H */
