#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# A CGI script whose header has a control character: httpd's header filter
# refuses it and answers 500 after the response has started through the
# filter chain. (No body: httpd would count it in the error page's length.)
print "Content-Type: text/plain\r\n";
print "Strict-Transport-Security: max-age=3; from-cgi\r\n";
print "X-Bad: a\x01b\r\n";
print "\r\n";
