#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# A CGI script that dies before sending headers: httpd answers 500.
exit 1;
