"""The thin command-line layer: parse arguments, call one domain function, print."""
