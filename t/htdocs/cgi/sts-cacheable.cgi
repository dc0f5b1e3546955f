#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# A cacheable CGI response that sends its own Strict-Transport-Security.
print "Content-Type: text/plain\r\n";
print "Cache-Control: public, max-age=300\r\n";
print "Last-Modified: Mon, 02 Jan 2006 15:04:05 GMT\r\n";
print "Strict-Transport-Security: max-age=3; from-cgi\r\n";
print "\r\n";
print "cacheable cgi body\n";
