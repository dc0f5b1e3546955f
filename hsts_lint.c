/*
 * mod_hsts: the startup lint's rules. Pure functions over plain data.
 */
#include <apr_strings.h>

#include "mod_hsts.h"

/* Every code a finding can carry: the preload checker's and our own. */
static const char *const lint_codes[] = {
    "header.parse.empty",
    "header.parse.empty_directive",
    "header.parse.unknown_directive",
    "header.parse.repeated.preload",
    "header.parse.invalid.preload",
    "header.parse.repeated.include_sub_domains",
    "header.parse.invalid.include_sub_domains",
    "header.parse.repeated.max_age",
    "header.parse.invalid.max_age.no_value",
    "header.parse.max_age.leading_zero",
    "header.parse.max_age.non_digit_characters",
    "header.parse.max_age.parse_int_error",
    "header.preloadable.include_sub_domains.missing",
    "header.preloadable.max_age.missing",
    "header.preloadable.max_age.zero",
    "header.preloadable.max_age.below_1_year",
    "header.preloadable.max_age.over_10_years",
    "redirects.http.no_redirect",
    "response.no_header",
    "response.multiple_headers",
    "domain.format.is_ip_address",
    "domain.format.public_suffix",
    "domain.is_subdomain",
    "domain.www.no_tls",
    "domain.tls.invalid_cert_chain",
    "domain.tls.sha1",
    "tls.cert.unreadable",
    "tls.cert.self_signed",
    "tls.cert.expired",
    "tls.cert.not_yet_valid",
    "tls.cert.expires_soon",
    "tls.cert.name_mismatch",
    "subdomains.http_only",
    "config.hsts.plain_vhost",
    "config.redirect.tls_vhost",
    "config.header.not_always",
    "config.header.overridden",
    "policy.max_age.zero",
    NULL
};

int hsts_lint_code_known(const char *code)
{
    int i;

    for (i = 0; lint_codes[i]; i++) {
        if (!strcmp(lint_codes[i], code)) {
            return 1;
        }
    }
    return 0;
}
