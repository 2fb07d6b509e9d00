#!/usr/bin/perl
# Builds the VM-stage table of docs/reliability.md from xunit v3 result files (one per run of the reliability tests):
# per test, how many runs, how many passed and failed, the time each took, and what the latest run reported (its
# output lines) or, for a failure, its message. Called by tests/reliability/report.sh; prints the table on stdout.
use strict;
use warnings;

sub unxml {
    my ($s) = @_;
    $s =~ s/<!\[CDATA\[(.*?)\]\]>/$1/gs;
    $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&apos;/'/g; $s =~ s/&#x([0-9A-Fa-f]+);/chr(hex($1))/ge;
    $s =~ s/&amp;/&/g;
    return $s;
}

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
    open my $fh, '<', $file or next;
    local $/;
    my $xml = <$fh>;
    close $fh;
    my ($date) = $xml =~ /<assemblies[^>]*\bstart-rtf="(\d{4}-\d\d-\d\d)/;
    $date //= '?';
    while ($xml =~ /<test\s([^>]*?)(?:\/>|>(.*?)<\/test>)/gs) {
        my ($attrs, $body) = ($1, $2 // '');
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
