#!/bin/sh
# Whole-process benchmark of tilebragg against a reference nanoBragg (NB_REF_BIN).
# See bench/compare.py for the options; this wrapper runs it with the system Python.
exec /usr/bin/python3 "$(dirname "$0")/compare.py" "$@"
