#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# A CGI script that answers 503 with its own Strict-Transport-Security.
print "Status: 503 Service Unavailable\r\n";
print "Content-Type: text/plain\r\n";
print "Strict-Transport-Security: max-age=3; from-cgi\r\n";
print "\r\n";
print "cgi unavailable\n";
