"""/ServiceProviderConfig, /Schemas and /ResourceTypes (RFC 7643 sections 5-7; IAM Identity
Center's ServiceProviderConfig example in its SCIM developer guide)."""

from twin.aws.scim.common import ENTERPRISE_SCHEMA, GROUP_SCHEMA, MAX_PAGE, USER_SCHEMA

SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"


def service_provider_config() -> dict:
    return {
        "schemas": [SPC_SCHEMA],
        "documentationUri": "https://docs.aws.amazon.com/singlesignon/latest/userguide/manage-your-identity-source-idp.html",
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "Authentication scheme using the OAuth Bearer Token Standard",
                "specUri": "https://www.rfc-editor.org/info/rfc6750",
                "documentationUri": "https://docs.aws.amazon.com/singlesignon/latest/userguide/provision-automatically.html",
                "primary": True,
            }
        ],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 1, "maxPayloadSize": 1048576},
        "filter": {"supported": True, "maxResults": MAX_PAGE},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "meta": {"resourceType": "ServiceProviderConfig"},
    }


def _attr(
    name: str,
    type_: str = "string",
    *,
    required: bool = False,
    multi: bool = False,
    mutability: str = "readWrite",
    returned: str = "default",
    uniqueness: str = "none",
    sub: list | None = None,
    case_exact: bool = False,
) -> dict:
    data = {
        "name": name,
        "type": type_,
        "multiValued": multi,
        "description": name,
        "required": required,
        "mutability": mutability,
        "returned": returned,
        "uniqueness": uniqueness,
    }
    if type_ in ("string", "reference"):
        data["caseExact"] = case_exact
    if sub:
        data["subAttributes"] = sub
    return data


def _multi(name: str, value_names: tuple[str, ...]) -> dict:
    sub = [_attr(n) for n in value_names] + [_attr("type"), _attr("primary", "boolean")]
    return _attr(name, "complex", multi=True, sub=sub)


USER_ATTRIBUTES = [
    _attr("userName", required=True, uniqueness="server"),
    _attr(
        "name",
        "complex",
        required=True,
        sub=[
            _attr(n, required=n in ("givenName", "familyName"))
            for n in (
                "formatted",
                "familyName",
                "givenName",
                "middleName",
                "honorificPrefix",
                "honorificSuffix",
            )
        ],
    ),
    _attr("displayName", required=True),
    *[
        _attr(n)
        for n in ("nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale", "timezone")
    ],
    _attr("active", "boolean"),
    _multi("emails", ("value",)),
    _multi("phoneNumbers", ("value",)),
    _multi("addresses", ("formatted", "streetAddress", "locality", "region", "postalCode", "country")),
]
ENTERPRISE_ATTRIBUTES = [
    *[_attr(n) for n in ("employeeNumber", "costCenter", "organization", "division", "department")],
    _attr("manager", "complex", sub=[_attr("value"), _attr("$ref", "reference")]),
]
GROUP_ATTRIBUTES = [
    _attr("displayName", required=True, uniqueness="server"),
    _attr(
        "members",
        "complex",
        multi=True,
        returned="never",
        sub=[
            _attr("value", mutability="immutable"),
            _attr("$ref", "reference", mutability="immutable"),
            _attr("type", mutability="immutable"),
        ],
    ),
]


def schemas(base_url: str) -> list[dict]:
    found = []
    for schema_id, name, attributes in (
        (USER_SCHEMA, "User", USER_ATTRIBUTES),
        (ENTERPRISE_SCHEMA, "EnterpriseUser", ENTERPRISE_ATTRIBUTES),
        (GROUP_SCHEMA, "Group", GROUP_ATTRIBUTES),
    ):
        found.append(
            {
                "schemas": [SCHEMA_SCHEMA],
                "id": schema_id,
                "name": name,
                "description": name,
                "attributes": attributes,
                "meta": {"resourceType": "Schema", "location": f"{base_url}Schemas/{schema_id}"},
            }
        )
    return found


def resource_types(base_url: str) -> list[dict]:
    return [
        {
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "User Account",
            "schema": USER_SCHEMA,
            "schemaExtensions": [{"schema": ENTERPRISE_SCHEMA, "required": False}],
            "meta": {"resourceType": "ResourceType", "location": f"{base_url}ResourceTypes/User"},
        },
        {
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "Group",
            "schema": GROUP_SCHEMA,
            "schemaExtensions": [],
            "meta": {"resourceType": "ResourceType", "location": f"{base_url}ResourceTypes/Group"},
        },
    ]
