#!/usr/bin/env bash
# ./lab bench: speed and memory measurements (not built yet).
echo "lab bench: not available yet: there is nothing to measure until the lifecycle exists." >&2
exit 1
