# SPDX-License-Identifier: Apache-2.0
# Unit tests of the pure parts (t/unit/test_cache.c), run inside the suite.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";
use HSTS::Unit;

HSTS::Unit::run_c_test('test_cache');
