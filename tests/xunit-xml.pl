# Reading xunit v3 result XML without modules (perl-base only), shared by tests/print-failures.pl and
# tests/reliability/vm-table.pl: `require` this file.
use strict;
use warnings;

# The text of an XML attribute or element: CDATA unwrapped, entities decoded.
sub unxml {
    my ($s) = @_;
    $s =~ s/<!\[CDATA\[(.*?)\]\]>/$1/gs;
    $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&apos;/'/g; $s =~ s/&#x([0-9A-Fa-f]+);/chr(hex($1))/ge;
    $s =~ s/&amp;/&/g;
    return $s;
}

# Every <test> of a results file as [attributes, body] (body '' for a self-closing one); () if it cannot be read.
sub xunit_tests {
    my ($file) = @_;
    open my $fh, '<', $file or return ();
    my $xml = do { local $/; <$fh> };
    close $fh;
    my @tests;
    while ($xml =~ /<test\s([^>]*?)(?:\/>|>(.*?)<\/test>)/gs) {
        push @tests, [$1, $2 // ''];
    }
    return @tests;
}

# The assemblies' start date (YYYY-MM-DD) of a results file, or '?'.
sub xunit_date {
    my ($file) = @_;
    open my $fh, '<', $file or return '?';
    my $head = do { local $/ = \4096; <$fh> } // '';
    close $fh;
    return $head =~ /<assemblies[^>]*\bstart-rtf="(\d{4}-\d\d-\d\d)/ ? $1 : '?';
}

1;
