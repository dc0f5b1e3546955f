/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: every code a lint finding can carry, once.
 *
 * The preload checker's own codes (chromium/hstspreload) and the lint's,
 * each with the class it is reported with. hsts_issue.h makes the enum
 * and the name table from this list, HSTSLintIgnore accepts exactly
 * these names, and docs/check-docs.sh checks the code tables of the
 * README and the manual against it. Keep the order: the enum values are
 * not stored anywhere, but a stable order keeps diffs readable.
 *
 * HSTS_CODE(identifier, "name", class); a class of HSTS_ERROR_IF_PRELOAD
 * is an error for a host with preload intent and a warning otherwise.
 */
#ifndef HSTS_CODES_H
#define HSTS_CODES_H

#define HSTS_CODE_LIST(HSTS_CODE) \
    HSTS_CODE(HEADER_PARSE_EMPTY, "header.parse.empty", HSTS_WARNING) \
    HSTS_CODE(HEADER_PARSE_EMPTY_DIRECTIVE, "header.parse.empty_directive", HSTS_WARNING) \
    HSTS_CODE(HEADER_PARSE_UNKNOWN_DIRECTIVE, "header.parse.unknown_directive", HSTS_WARNING) \
    HSTS_CODE(HEADER_PARSE_REPEATED_PRELOAD, "header.parse.repeated.preload", HSTS_WARNING) \
    HSTS_CODE(HEADER_PARSE_INVALID_PRELOAD, "header.parse.invalid.preload", HSTS_WARNING) \
    HSTS_CODE(HEADER_PARSE_REPEATED_INCLUDE_SUB_DOMAINS, "header.parse.repeated.include_sub_domains", HSTS_WARNING) \
    HSTS_CODE(HEADER_PARSE_INVALID_INCLUDE_SUB_DOMAINS, "header.parse.invalid.include_sub_domains", HSTS_WARNING) \
    HSTS_CODE(HEADER_PARSE_REPEATED_MAX_AGE, "header.parse.repeated.max_age", HSTS_WARNING) \
    HSTS_CODE(HEADER_PARSE_INVALID_MAX_AGE_NO_VALUE, "header.parse.invalid.max_age.no_value", HSTS_ERROR) \
    HSTS_CODE(HEADER_PARSE_MAX_AGE_LEADING_ZERO, "header.parse.max_age.leading_zero", HSTS_WARNING) \
    HSTS_CODE(HEADER_PARSE_MAX_AGE_NON_DIGIT_CHARACTERS, "header.parse.max_age.non_digit_characters", HSTS_ERROR) \
    HSTS_CODE(HEADER_PARSE_MAX_AGE_PARSE_INT_ERROR, "header.parse.max_age.parse_int_error", HSTS_ERROR) \
    HSTS_CODE(HEADER_PRELOADABLE_INCLUDE_SUB_DOMAINS_MISSING, "header.preloadable.include_sub_domains.missing", HSTS_ERROR) \
    HSTS_CODE(HEADER_PRELOADABLE_MAX_AGE_MISSING, "header.preloadable.max_age.missing", HSTS_ERROR) \
    HSTS_CODE(HEADER_PRELOADABLE_MAX_AGE_ZERO, "header.preloadable.max_age.zero", HSTS_ERROR) \
    HSTS_CODE(HEADER_PRELOADABLE_MAX_AGE_BELOW_1_YEAR, "header.preloadable.max_age.below_1_year", HSTS_ERROR) \
    HSTS_CODE(HEADER_PRELOADABLE_MAX_AGE_OVER_10_YEARS, "header.preloadable.max_age.over_10_years", HSTS_WARNING) \
    HSTS_CODE(DOMAIN_FORMAT_IS_IP_ADDRESS, "domain.format.is_ip_address", HSTS_ERROR_IF_PRELOAD) \
    HSTS_CODE(DOMAIN_FORMAT_PUBLIC_SUFFIX, "domain.format.public_suffix", HSTS_ERROR) \
    HSTS_CODE(DOMAIN_IS_SUBDOMAIN, "domain.is_subdomain", HSTS_ERROR) \
    HSTS_CODE(DOMAIN_TLS_CANNOT_CONNECT, "domain.tls.cannot_connect", HSTS_ERROR) \
    HSTS_CODE(DOMAIN_TLS_INVALID_CERT_CHAIN, "domain.tls.invalid_cert_chain", HSTS_ERROR) \
    HSTS_CODE(DOMAIN_TLS_SHA1, "domain.tls.sha1", HSTS_ERROR) \
    HSTS_CODE(RESPONSE_NO_HEADER, "response.no_header", HSTS_ERROR) \
    HSTS_CODE(RESPONSE_MULTIPLE_HEADERS, "response.multiple_headers", HSTS_ERROR) \
    HSTS_CODE(REDIRECTS_INSECURE_INITIAL, "redirects.insecure.initial", HSTS_ERROR) \
    HSTS_CODE(REDIRECTS_HTTP_DOES_NOT_EXIST, "redirects.http.does_not_exist", HSTS_WARNING) \
    HSTS_CODE(REDIRECTS_HTTP_NO_REDIRECT, "redirects.http.no_redirect", HSTS_ERROR) \
    HSTS_CODE(REDIRECTS_HTTP_WWW_FIRST, "redirects.http.www_first", HSTS_ERROR) \
    HSTS_CODE(REDIRECTS_HTTP_FIRST_REDIRECT_INSECURE, "redirects.http.first_redirect.insecure", HSTS_ERROR) \
    HSTS_CODE(REDIRECTS_HTTP_UNDECIDABLE, "redirects.http.undecidable", HSTS_INFO) \
    HSTS_CODE(DOMAIN_WWW_NO_TLS, "domain.www.no_tls", HSTS_ERROR) \
    HSTS_CODE(DOMAIN_WWW_UNVERIFIED, "domain.www.unverified", HSTS_WARNING) \
    HSTS_CODE(TLS_CERT_UNREADABLE, "tls.cert.unreadable", HSTS_ERROR) \
    HSTS_CODE(TLS_CERT_SELF_SIGNED, "tls.cert.self_signed", HSTS_ERROR) \
    HSTS_CODE(TLS_CERT_EXPIRED, "tls.cert.expired", HSTS_ERROR) \
    HSTS_CODE(TLS_CERT_NOT_YET_VALID, "tls.cert.not_yet_valid", HSTS_ERROR) \
    HSTS_CODE(TLS_CERT_EXPIRES_SOON, "tls.cert.expires_soon", HSTS_WARNING) \
    HSTS_CODE(TLS_CERT_NAME_MISMATCH, "tls.cert.name_mismatch", HSTS_ERROR) \
    HSTS_CODE(SUBDOMAINS_HTTP_ONLY, "subdomains.http_only", HSTS_ERROR) \
    HSTS_CODE(CONFIG_HSTS_PLAIN_VHOST, "config.hsts.plain_vhost", HSTS_WARNING) \
    HSTS_CODE(CONFIG_REDIRECT_TLS_VHOST, "config.redirect.tls_vhost", HSTS_WARNING) \
    HSTS_CODE(CONFIG_HTTP_NONDEFAULT_PORT, "config.http.nondefault_port", HSTS_WARNING) \
    HSTS_CODE(CONFIG_HEADER_NOT_ALWAYS, "config.header.not_always", HSTS_WARNING) \
    HSTS_CODE(CONFIG_HEADER_OVERRIDDEN, "config.header.overridden", HSTS_WARNING) \
    HSTS_CODE(POLICY_MAX_AGE_ZERO, "policy.max_age.zero", HSTS_INFO)

#endif /* HSTS_CODES_H */
