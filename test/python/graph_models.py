"""The Microsoft Graph SDK's model (msgraph-sdk on PyPI, kiota-generated) of each request body the
automation sends, and a check that a body has no property its model lacks, nested objects included.

A kiota model lists its JSON properties in get_field_deserializers(); each deserializer names the
nested model it reads (parse_node.get_object_value(Model) or get_collection_of_object_values(Model)),
which a probing parse node records, so nested bodies are checked against their own models.
"""

import importlib
import re

G = "msgraph.generated"
MODELS = {
    ("POST", "/users"): f"{G}.models.user.User",
    ("PATCH", "/users/{}"): f"{G}.models.user.User",
    ("POST", "/applicationTemplates/{}/instantiate"): (
        f"{G}.application_templates.item.instantiate.instantiate_post_request_body.InstantiatePostRequestBody"
    ),
    ("PATCH", "/applications/{}"): f"{G}.models.application.Application",
    ("PATCH", "/servicePrincipals/{}"): f"{G}.models.service_principal.ServicePrincipal",
    ("POST", "/servicePrincipals/{}/addTokenSigningCertificate"): (
        f"{G}.service_principals.item.add_token_signing_certificate."
        "add_token_signing_certificate_post_request_body.AddTokenSigningCertificatePostRequestBody"
    ),
    ("POST", "/servicePrincipals/{}/appRoleAssignedTo"): f"{G}.models.app_role_assignment.AppRoleAssignment",
    ("POST", "/policies/claimsMappingPolicies"): f"{G}.models.claims_mapping_policy.ClaimsMappingPolicy",
    ("PATCH", "/policies/claimsMappingPolicies/{}"): f"{G}.models.claims_mapping_policy.ClaimsMappingPolicy",
    (
        "POST",
        "/servicePrincipals/{}/claimsMappingPolicies/$ref",
    ): f"{G}.models.reference_create.ReferenceCreate",
    ("POST", "/servicePrincipals/{}/synchronization/jobs"): (
        f"{G}.models.synchronization_job.SynchronizationJob"
    ),
    ("PUT", "/servicePrincipals/{}/synchronization/secrets"): (
        f"{G}.service_principals.item.synchronization.secrets.secrets_put_request_body.SecretsPutRequestBody"
    ),
    ("POST", "/servicePrincipals/{}/synchronization/jobs/{}/validateCredentials"): (
        f"{G}.service_principals.item.synchronization.jobs.item.validate_credentials."
        "validate_credentials_post_request_body.ValidateCredentialsPostRequestBody"
    ),
    ("POST", "/servicePrincipals/{}/synchronization/jobs/{}/provisionOnDemand"): (
        f"{G}.service_principals.item.synchronization.jobs.item.provision_on_demand."
        "provision_on_demand_post_request_body.ProvisionOnDemandPostRequestBody"
    ),
}
# Actions whose request has no body (the client sends {}): "synchronizationJob: start", "pause".
EMPTY = {
    ("POST", "/servicePrincipals/{}/synchronization/jobs/{}/start"),
    ("POST", "/servicePrincipals/{}/synchronization/jobs/{}/pause"),
}


def operation(method: str, path: str) -> tuple[str, str] | None:
    """The (method, template) of MODELS or EMPTY that a concrete path matches."""
    path = re.sub(r"\(appId='[^']*'\)", "/{}", path)
    for key in [*MODELS, *EMPTY]:
        pattern = "^" + re.escape(key[1]).replace(re.escape("{}"), "[^/]+") + "$"
        if key[0] == method and re.match(pattern, path):
            return key
    return None


def model(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


class _Probe:
    """A parse node that records which nested model a deserializer asks for."""

    def __init__(self):
        self.nested = None

    def get_object_value(self, factory):
        self.nested = factory

    def get_collection_of_object_values(self, factory):
        self.nested = factory

    def __getattr__(self, _name):
        return lambda *args, **kwargs: None


def fields(cls) -> dict[str, type | None]:
    """JSON property name -> nested model class (None for a primitive or a collection of them)."""
    instance = cls()
    found = {}
    for name, deserialize in instance.get_field_deserializers().items():
        probe = _Probe()
        deserialize(probe)
        found[name] = probe.nested
    return found


def unknown_properties(body, cls, where: str = "") -> list[str]:
    """Properties of ``body`` (and of its nested objects) that ``cls`` does not define."""
    if isinstance(body, list):
        return [p for i, item in enumerate(body) for p in unknown_properties(item, cls, f"{where}[{i}]")]
    if not isinstance(body, dict):
        return []
    known = fields(cls)
    problems = []
    for key, value in body.items():
        if key == "@odata.type":
            continue
        if key not in known:
            problems.append(f"{where}.{key}".lstrip("."))
        elif known[key] is not None:
            problems += unknown_properties(value, known[key], f"{where}.{key}")
    return problems
