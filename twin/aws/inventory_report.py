"""Every object the AWS side holds, per account nickname (for `twin inventory`)."""
from typing import Any

from moto.iam.models import iam_backends
from moto.secretsmanager.models import secretsmanager_backends
from moto.ssoadmin.models import ssoadmin_backends

from twin.aws.external_ids import get_external_id
from twin.aws.state import AwsState, Directory, identity_store


def _loaded(backend_dict, account_id: str):
    try:
        return list(backend_dict[account_id].items())
    except KeyError:
        return []


def _identity_center(state: AwsState, directory: Directory) -> dict[str, Any]:
    account_id = directory.account.account_id
    permission_sets, assignments = [], []
    for region, backend in _loaded(ssoadmin_backends, account_id):
        permission_sets += [{"Name": p.name, "PermissionSetArn": p.permission_set_arn, "Region": region}
                            for p in backend.permission_sets]
        assignments += [{"PermissionSetArn": a.permission_set_arn, "PrincipalType": a.principal_type,
                         "PrincipalId": a.principal_id, "TargetId": a.target_id}
                        for a in backend.account_assignments]
    store = identity_store(directory)
    store_id = directory.identity_store_id
    return {
        "identity_center_instance": {"InstanceArn": directory.instance_arn, "IdentityStoreId": store_id,
                                     "IdentitySource": directory.identity_source},
        "permission_sets": permission_sets,
        "access_control_attributes": state.access_control_attributes.get(directory.instance_arn, []),
        "account_assignments": assignments,
        "identity_store_users": [{"UserId": u.UserId, "UserName": u.UserName,
                                  "ExternalId": get_external_id(state, store_id, u.UserId)}
                                 for u in store.users.values()],
        "identity_store_groups": [{"GroupId": g.GroupId, "DisplayName": g.DisplayName}
                                  for g in store.groups.values()],
        "identity_store_group_memberships": [{"MembershipId": m["MembershipId"], "GroupId": m["GroupId"],
                                              "UserId": m["MemberId"]["UserId"]}
                                             for m in store.group_memberships.values()],
        "external_idp_configurations": [{"IdPId": i.idp_id, "IdPEntityId": i.entity_id, "Status": i.status}
                                        for i in directory.external_idps.values()],
        "provisioning_tenants": [{"TenantId": t.tenant_id, "BearerTokenIds": sorted(t.tokens)}
                                 for t in directory.tenants.values()],
    }


def _secrets(account_id: str) -> list[dict[str, Any]]:
    found = []
    for region, backend in _loaded(secretsmanager_backends, account_id):
        for secret in backend.secrets.values():
            found.append({"Name": secret.name, "ARN": secret.arn, "Region": region,
                          "Deleted": bool(getattr(secret, "deleted_date", None))})
    return found


def _iam(account_id: str, partition: str) -> dict[str, Any]:
    try:
        backend = iam_backends[account_id][partition]
    except KeyError:
        return {}
    return {
        "iam_roles": sorted(r.name for r in backend.roles.values()
                            if not r.path.startswith("/aws-service-role/")),
        "iam_users": sorted(backend.users),
        "iam_saml_providers": sorted(backend.saml_providers),
        "iam_customer_managed_policies": sorted(p.arn for p in backend.managed_policies.values()
                                                if f":{account_id}:" in p.arn),
    }


def inventory(state: AwsState) -> dict[str, dict[str, Any]]:
    grouped = {}
    with state.lock:
        for account in state.accounts:
            directory = state.directory(account.account_id)
            grouped[account.nickname] = {"account_id": account.account_id, "partition": account.partition,
                                         **_identity_center(state, directory),
                                         "secrets": _secrets(account.account_id),
                                         **_iam(account.account_id, account.partition)}
    return grouped
