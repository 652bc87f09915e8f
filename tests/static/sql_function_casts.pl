#!/usr/bin/env perl
# sql_function_casts.pl FILE... — prints "FILE: function: item" for every
# column a PL/pgSQL function of FILE takes from a table without casting it
# to a fixed type, where a column type change under a running stack would
# break the function (docs/architecture.md, "A function's types do not
# follow the tables'"): an item of a RETURN QUERY SELECT list, or of a
# SELECT ... INTO a record variable.  An item is fine when it ends in a
# cast (`t.status::text`), names no table column or record field (a literal,
# a parameter, a scalar variable), is a call of a function with a fixed
# result type (encode, to_char, array_to_string, count), is a comparison
# (boolean), or is a CASE whose results are all fine.  `x.*` never is.
# The last line says how many items of how many functions it checked.
use strict;
use warnings;

sub split_top {    # the items of a list, split at commas outside parentheses
  my ($s) = @_;
  my ($depth, $cur, @items) = (0, '');
  for my $c (split //, $s) {
    $depth++ if $c eq '(';
    $depth-- if $c eq ')';
    if ($c eq ',' && $depth == 0) { push @items, $cur; $cur = ''; next; }
    $cur .= $c;
  }
  push @items, $cur;
  return map { s/^\s+|\s+$//gr } @items;
}
sub top_level {    # the text with what is inside parentheses and quotes blanked
  my ($s) = @_;
  $s =~ s/'(?:[^']|'')*'/''/g;
  1 while $s =~ s/\([^()]*\)/\x01/g;
  return $s =~ s/\x01/()/gr;
}
sub fine {
  my ($item) = @_;
  $item =~ s/\s+AS\s+\w+$//i;
  my $top = top_level($item);
  return 0 if $item =~ /^\w+\.\*$/;
  return 1 if $top =~ /::\s*[a-z][a-z ]*(\(\d+\))?(\[\])?$/i;           # ends in a cast
  my $noquotes = $item =~ s/'(?:[^']|'')*'/''/gr;
  return 1 if $noquotes !~ /\b[a-z_]\w*\.[a-z_]\w*/i;                   # no column, no record field
  return 1 if $item =~ /^(encode|to_char|array_to_string|count)\s*\(/i && $top =~ /^\w+\s*\(\)$/;
  if ($top =~ /^CASE\b.*\bEND$/is) {                                    # every result fine
    my @results = $item =~ /\b(?:THEN|ELSE)\s+(.+?)(?=\s+(?:WHEN|ELSE|END)\b)/gis;
    return !grep { !fine($_) } @results;
  }
  return 1 if $top =~ /(=|<>|<|>|\bIS\b|\bAND\b|\bOR\b|\bNOT\b)/i && $top !~ /^CASE\b/i;   # boolean
  return fine(substr($item, 1, -1)) if $top eq '()';                    # (expression)
  return 0;
}

my ($bad, $functions, $checked) = (0, 0, 0);
for my $file (@ARGV) {
  open my $fh, '<', $file or die "$file: $!";
  my $sql = do { local $/; <$fh> };
  while ($sql =~ /CREATE (?:OR REPLACE )?FUNCTION\s+([\w.]+)\s*\((.*?)\$\$(.*?)\$\$/gs) {
    my ($name, $head, $body) = ($1, $2, $3);
    next unless $head =~ /LANGUAGE\s+plpgsql/i;
    $functions++;
    $body =~ s/--[^\n]*//g;
    my %records = map { $_ => 1 } $body =~ /^\s*(\w+)\s+record\s*;/gim;
    for my $stmt (split /;/, $body) {
      my @items;
      if ($stmt =~ /RETURN\s+QUERY\s+SELECT\s+(.*)$/is) {
        my $list = $1;
        # the list ends at the first FROM outside parentheses (not IS DISTINCT FROM)
        my $depth = 0;
        for my $i (0 .. length($list) - 1) {
          my $c = substr($list, $i, 1);
          $depth++ if $c eq '(';
          $depth-- if $c eq ')';
          next unless $depth == 0 && substr($list, $i, 6) =~ /^\sFROM\b/i;
          next if substr($list, 0, $i) =~ /\bDISTINCT$/i;
          $list = substr($list, 0, $i);
          last;
        }
        @items = split_top($list);
      } elsif ($stmt =~ /\bSELECT\s+(.*?)\s+INTO\s+(\w+)\b/is && $records{lc $2}) {
        @items = split_top($1);
      }
      for my $item (@items) {
        $checked++;
        next if fine($item);
        print "$file: $name: ", $item =~ s/\s+/ /gr, "\n";
        $bad++;
      }
    }
  }
}
print "checked $checked items of $functions functions\n";
exit($bad ? 1 : 0);
