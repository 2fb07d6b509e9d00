#!/usr/bin/perl
# Prints every failed test of xunit v3 XML result files: its name, message, the top of its stack trace and the end of
# its output. build.sh prints this right above the summary, so a CI log that keeps only its tail still says what failed.
# (perl: part of every Debian install, unlike python3 or xmllint.)
use strict;
use warnings;

sub unxml {
    my ($s) = @_;
    $s =~ s/<!\[CDATA\[(.*?)\]\]>/$1/gs;
    $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&apos;/'/g; $s =~ s/&#x([0-9A-Fa-f]+);/chr(hex($1))/ge;
    $s =~ s/&amp;/&/g;
    return $s;
}

sub head_lines { my ($s, $n) = @_; my @l = split /\n/, $s; splice(@l, $n) if @l > $n; return @l; }
sub tail_lines { my ($s, $n) = @_; my @l = split /\n/, $s; return @l > $n ? @l[-$n .. -1] : @l; }

my $count = 0;
for my $file (@ARGV) {
    open my $fh, '<', $file or next;
    local $/;
    my $xml = <$fh>;
    close $fh;
    while ($xml =~ /<test\s([^>]*?result="Fail"[^>]*)>(.*?)<\/test>/gs) {
        my ($attrs, $body) = ($1, $2);
        my ($name) = $attrs =~ /\bname="([^"]*)"/;
        my ($time) = $attrs =~ /\btime="([^"]*)"/;
        my ($type) = $body =~ /<failure exception-type="([^"]*)"/;
        my ($message) = $body =~ /<message>(.*?)<\/message>/s;
        my ($stack) = $body =~ /<stack-trace>(.*?)<\/stack-trace>/s;
        my ($output) = $body =~ /<output>(.*?)<\/output>/s;
        $count++;
        print "==> failed: ", unxml($name // '?'), " (", ($time // '?'), " s, $file)\n";
        print "    ", unxml($type // 'no exception type'), ": \n";
        print "      $_\n" for head_lines(unxml($message // ''), 25);
        print "    stack (top):\n";
        print "      $_\n" for head_lines(unxml($stack // ''), 25);
        if (defined $output) {
            print "    output (last 25 lines):\n";
            print "      $_\n" for tail_lines(unxml($output), 25);
        }
    }
}
exit 0;
