#!/usr/bin/perl
# Builds the VM-stage table of docs/reliability.md from xunit v3 result files (one per run of the reliability tests):
# per test, how many runs, how many passed and failed, the time each took, and what the latest run reported (its
# output lines) or, for a failure, its message. Called by tests/reliability/report.sh; prints the table on stdout.
use strict;
use warnings;

# require looks a relative path up in @INC, not here: anchor it.
my $here = $0 =~ m{^(.*)/} ? $1 : '.';
$here = "./$here" unless $here =~ m{^[./]};
require($here . '/../xunit-xml.pl');

# A table cell: one line, pipes escaped, bounded.
sub cell {
    my ($s, $max) = @_;
    $s =~ s/\s*\n\s*/; /g;
    $s =~ s/\|/\\|/g;
    $s =~ s/^\s+|[\s;]+$//g;
    $s = substr($s, 0, $max - 1) . "…" if length($s) > $max;
    return $s;
}

my %tests;    # name -> { runs, pass, fail, times[], last_date, last_text, last_fail }
my @order;
for my $file (sort @ARGV) {
    my $date = xunit_date($file);
    for my $test (xunit_tests($file)) {
        my ($attrs, $body) = @$test;
        my ($name) = $attrs =~ /\bname="([^"]*)"/;
        my ($result) = $attrs =~ /\bresult="([^"]*)"/;
        my ($time) = $attrs =~ /\btime="([^"]*)"/;
        next unless defined $name && defined $result;
        $name = unxml($name);
        $name =~ s/^IscsiNative\.VmTests\.//;
        my $t = $tests{$name} //= do { push @order, $name; { runs => 0, pass => 0, fail => 0, times => [] } };
        $t->{runs}++;
        push @{ $t->{times} }, $time // 0;
        my ($output) = $body =~ /<output>(.*?)<\/output>/s;
        $output = defined $output ? unxml($output) : '';
        if ($result eq 'Pass') {
            $t->{pass}++;
            $t->{last_text} = $output;
            $t->{last_pass_date} = $date;
        } else {
            $t->{fail}++;
            my ($message) = $body =~ /<message>(.*?)<\/message>/s;
            $t->{last_fail} = "$date: " . ($result eq 'Fail' ? unxml($message // 'failed') : lc $result);
        }
        $t->{dates}{$date} = 1;
    }
}

print "| test | runs (dates) | passed | failed | time per run (s) | what the latest passing run measured | latest failure |\n";
print "|---|---|---:|---:|---|---|---|\n";
for my $name (sort @order) {
    my $t = $tests{$name};
    my @times = sort { $a <=> $b } @{ $t->{times} };
    my $times = @times == 1 ? sprintf('%.1f', $times[0]) : sprintf('%.1f–%.1f', $times[0], $times[-1]);
    my $dates = join(', ', sort keys %{ $t->{dates} });
    (my $shown = $name) =~ s/_/ /g;
    printf "| %s | %d (%s) | %d | %d | %s | %s | %s |\n", cell($shown, 400), $t->{runs}, $dates, $t->{pass}, $t->{fail}, $times,
        cell($t->{last_text} // '', 700), cell($t->{last_fail} // '', 400);
}
