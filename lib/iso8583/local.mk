# lib/iso8583 — rules come with its code
