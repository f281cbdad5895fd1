#!/usr/bin/env bash
# ./lab demo: the nightly rebuild-and-teardown job against the twin (not built yet).
echo "lab demo: not available yet: it needs the pipeline steps (vars/entraSamlSetup, entraScimEnable, entraTeardown)." >&2
exit 1
