#!/usr/bin/perl
# Prints every failed test of xunit v3 XML result files: its name, message, the top of its stack trace and the end of
# its output. build.sh prints this right above the summary, so a CI log that keeps only its tail still says what failed.
# (perl: part of every Debian install, unlike python3 or xmllint.)
use strict;
use warnings;

# require looks a relative path up in @INC, not here: anchor it.
my $here = $0 =~ m{^(.*)/} ? $1 : '.';
$here = "./$here" unless $here =~ m{^[./]};
require($here . '/xunit-xml.pl');

sub head_lines { my ($s, $n) = @_; my @l = split /\n/, $s; splice(@l, $n) if @l > $n; return @l; }
sub tail_lines { my ($s, $n) = @_; my @l = split /\n/, $s; return @l > $n ? @l[-$n .. -1] : @l; }

# Optional: --dmesg FILE --clock FILE (the VM's "epoch uptime" pair): the kernel's messages during a failed test.
my ($dmesg_file, $clock_file);
my @files;
while (@ARGV) {
    my $a = shift @ARGV;
    if ($a eq '--dmesg') { $dmesg_file = shift @ARGV; }
    elsif ($a eq '--clock') { $clock_file = shift @ARGV; }
    else { push @files, $a; }
}

# Days since 1970-01-01 of a civil date (no modules: perl-base has no Time::Local).
sub days_from_civil {
    my ($y, $m, $d) = @_;
    $y -= $m <= 2 ? 1 : 0;
    my $era = int(($y >= 0 ? $y : $y - 399) / 400);
    my $yoe = $y - $era * 400;
    my $doy = int((153 * ($m + ($m > 2 ? -3 : 9)) + 2) / 5) + $d - 1;
    my $doe = $yoe * 365 + int($yoe / 4) - int($yoe / 100) + $doy;
    return $era * 146097 + $doe - 719468;
}

# xunit's "2026-12-03T09:21:40.3508437+00:00" as epoch seconds.
sub epoch_of {
    my ($t) = @_;
    return undef unless defined $t && $t =~ /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+(?:\.\d+)?)(?:([+-])(\d+):(\d+)|Z)?/;
    my $e = days_from_civil($1, $2, $3) * 86400 + $4 * 3600 + $5 * 60 + $6;
    $e -= ($7 eq '+' ? 1 : -1) * ($8 * 3600 + $9 * 60) if defined $7;
    return $e;
}

my (@kmsg, $clock_epoch, $clock_uptime);
if (defined $dmesg_file && defined $clock_file && open(my $cf, '<', $clock_file)) {
    ($clock_epoch, $clock_uptime) = split ' ', scalar <$cf>;
    close $cf;
    if (open my $df, '<', $dmesg_file) {
        while (my $l = <$df>) {
            chomp $l;
            push @kmsg, [$1, $l] if $l =~ /^\[\s*(\d+\.\d+)\]/;
        }
        close $df;
    }
}

my $count = 0;
for my $file (@files) {
    for my $test (xunit_tests($file)) {
        my ($attrs, $body) = @$test;
        next unless $attrs =~ /\bresult="Fail"/;
        my ($name) = $attrs =~ /\bname="([^"]*)"/;
        my ($time) = $attrs =~ /\btime="([^"]*)"/;
        my ($start) = $attrs =~ /\bstart-rtf="([^"]*)"/;
        my ($finish) = $attrs =~ /\bfinish-rtf="([^"]*)"/;
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
        my ($s0, $s1) = (epoch_of($start), epoch_of($finish));
        if (@kmsg && defined $s0 && defined $s1) {
            # The test's window in the guest's uptime, one second either side.
            my ($u0, $u1) = ($s0 - $clock_epoch + $clock_uptime - 1, $s1 - $clock_epoch + $clock_uptime + 1);
            my @in = map { $_->[1] } grep { $_->[0] >= $u0 && $_->[0] <= $u1 } @kmsg;
            printf "    kernel messages during the test (uptime %.1f-%.1f s, %d lines, last 40):\n", $u0, $u1, scalar @in;
            @in = @in[-40 .. -1] if @in > 40;
            print "      $_\n" for @in;
        }
    }
}
exit 0;
