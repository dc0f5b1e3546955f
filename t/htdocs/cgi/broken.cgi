#!/usr/bin/perl
# A CGI script that dies before sending headers: httpd answers 500.
exit 1;
