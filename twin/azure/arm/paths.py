"""ARM paths are case-insensitive: fixed segments are folded to one spelling before routing."""

CANONICAL = {
    s.lower(): s
    for s in (
        "subscriptions",
        "resourceGroups",
        "providers",
        "Microsoft.KeyVault",
        "vaults",
        "deletedVaults",
        "locations",
        "purge",
        "checkNameAvailability",
        "Microsoft.Authorization",
        "roleAssignments",
        "roleDefinitions",
        "resources",
        "Microsoft.Resources",
    )
}


def canonical_path(path: str) -> str:
    parts = path.split("/")
    return "/".join(CANONICAL.get(p.lower(), p) for p in parts)


class CanonicalPaths:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        environ["PATH_INFO"] = canonical_path(environ.get("PATH_INFO", "/"))
        return self.app(environ, start_response)
