#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# A CGI script that sends its own Strict-Transport-Security header.
print "Content-Type: text/plain\r\n";
print "Strict-Transport-Security: max-age=3; from-cgi\r\n";
print "\r\n";
print "cgi body\n";
