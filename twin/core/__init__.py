"""The twin's core: HTTPS server, host router, CA, /etc/hosts block, faults, plugins, CLI."""
