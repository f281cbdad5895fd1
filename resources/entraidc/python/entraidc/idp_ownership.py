"""Which external IdP of an Identity Center instance is this library's: a record kept as tags on the
instance (public sso-admin TagResource/ListTagsForResource/UntagResource; instances are taggable,
botocore model sso-admin 2020-07-20), written when the library creates the IdP and removed when it
restores the identity source. It survives between builds and does not depend on what the console's
IdPCertificateIds mean (opaque IDs: AWS has separate ListExternalIdPCertificates actions).

An IdP is ours when its IdPId is the recorded one, the record names this Entra tenant (and, when
given, this app), and the IdP's entity ID is this tenant's (Entra's SAML issuer
https://sts.windows.net/<tenant>/, "Azure AD SAML token reference").
"""

KEYS = ("idp-id", "tenant-id", "app-id")


def tenant_entity_id(tenant_id: str) -> str:
    return f"https://sts.windows.net/{tenant_id}/"


def _key(marker: str, name: str) -> str:
    return f"{marker}:{name}"


def read(sso, instance_arn: str, marker: str) -> dict[str, str]:
    """The record ({idp-id, tenant-id, app-id}), or {} when there is none."""
    tags: dict[str, str] = {}
    kwargs = {"InstanceArn": instance_arn, "ResourceArn": instance_arn}
    while True:
        page = sso.list_tags_for_resource(**kwargs)
        tags.update({t["Key"]: t.get("Value", "") for t in page.get("Tags", [])})
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    record = {name: tags[_key(marker, name)] for name in KEYS if _key(marker, name) in tags}
    return record if len(record) == len(KEYS) else {}


def record(sso, instance_arn: str, marker: str, idp_id: str, tenant_id: str, app_id: str) -> None:
    values = {"idp-id": idp_id, "tenant-id": tenant_id, "app-id": app_id}
    sso.tag_resource(
        InstanceArn=instance_arn,
        ResourceArn=instance_arn,
        Tags=[{"Key": _key(marker, name), "Value": values[name]} for name in KEYS],
    )


def clear(sso, instance_arn: str, marker: str) -> None:
    sso.untag_resource(
        InstanceArn=instance_arn, ResourceArn=instance_arn, TagKeys=[_key(marker, name) for name in KEYS]
    )


def is_ours(idp: dict, found: dict[str, str], tenant_id: str, app_id: str | None = None) -> bool:
    return (
        bool(found)
        and idp.get("IdPId") == found["idp-id"]
        and found["tenant-id"] == tenant_id
        and (app_id is None or found["app-id"] == app_id)
        and idp.get("IdPEntityId") == tenant_entity_id(tenant_id)
    )

