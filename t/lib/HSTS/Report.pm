# SPDX-License-Identifier: Apache-2.0
package HSTS::Report;
# What the report page's tests share (t/report*.t): the metrics read back
# with a real parser of the Prometheus text format (the prometheus_client
# package's, from Debian's python3-prometheus-client), and the rows and
# dates of the page.
use strict;
use warnings FATAL => 'all';

use File::Temp qw(tempfile);
use JSON::PP ();
use POSIX qw(floor);

use parent 'Exporter';
our @EXPORT_OK = qw(parse_metrics sample table_hosts days_until);

my $parser = <<'PY';
import json, sys
from prometheus_client.parser import text_string_to_metric_families
with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
out = []
for fam in text_string_to_metric_families(text):
    out.append({"name": fam.name, "type": fam.type, "help": fam.documentation,
                "samples": [{"name": s.name, "labels": s.labels,
                             "value": s.value} for s in fam.samples]})
print(json.dumps(out))
PY

# The metric families in $text: { name => { type, help, samples => [{
# name, labels => {...}, value }] } }; dies with the parser's complaint
# when the text is not in the format.
sub parse_metrics {
    my ($text) = @_;
    my ($fh, $file) = tempfile('hsts-metrics-XXXXXX', TMPDIR => 1, UNLINK => 1);
    binmode $fh;
    print $fh $text;
    close $fh or die "$file: $!";
    my $json = qx{python3 -c '$parser' '$file' 2>&1};
    die "prometheus_client refused the metrics: $json" if $?;
    return { map { ($_->{name} => $_) } @{ JSON::PP::decode_json($json) } };
}

# The value of the sample of family $name whose labels are %labels, or
# undef; dies when there are several.
sub sample {
    my ($families, $name, %labels) = @_;
    my @found = grep {
        my $s = $_;
        keys %{ $s->{labels} } == keys %labels
            && !grep { ($s->{labels}{$_} // "\0") ne $labels{$_} } keys %labels
    } @{ $families->{$name}{samples} // [] };
    die "$name: " . scalar(@found) . " samples with the same labels" if @found > 1;
    return @found ? $found[0]{value} : undef;
}

# The hosts of the page's table, in order: ["name:port", ...].
sub table_hosts {
    my ($html) = @_;
    my %entity = (lt => '<', gt => '>', amp => '&', quot => '"', '#39' => "'");
    return [ map { s/&(lt|gt|amp|quot|#39);/$entity{$1}/gr }
             $html =~ m{<tr class="host"><td><a href="#host-\d+">([^<]*)</a>}g ];
}

# Whole days from $now until $t, rounded down, as the page counts them.
sub days_until {
    my ($t, $now) = @_;
    return floor(($t - $now) / 86400);
}

1;
