# tests/fuzz — rules come with its code
