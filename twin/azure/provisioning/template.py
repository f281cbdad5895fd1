"""The AWS IAM Identity Center provisioning template: its synchronization schema and mappings.

The attribute mappings are those of Microsoft's "Configure AWS IAM Identity Center for
automatic user provisioning" tutorial (learn.microsoft.com/entra/identity/saas-apps/
aws-single-sign-on-provisioning-tutorial, "Attribute mappings"): userPrincipalName ->
userName (matching), Switch([IsSoftDeleted]) -> active, displayName, jobTitle -> title,
mail -> emails[type eq "work"].value, givenName/surname/Join -> name.*, telephoneNumber and
mobile -> phoneNumbers[type eq "work"/"mobile"].value, mailNickname -> externalId, and the
enterprise extension's employeeNumber/department. The template id, rule id and directory
names are the twin's (not published by Microsoft): scripts read them from the API.
"""

from twin.azure import ids

TEMPLATE_ID = "AWSSingleSignOn"
RULE_ID = ids.stable_id("synchronizationRule/aws-user-outbound")
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def _attr(name: str) -> dict:
    return {"expression": f"[{name}]", "name": name, "type": "Attribute", "parameters": []}


def _mapping(target: str, source: dict, matching: int = 0) -> dict:
    return {
        "defaultValue": None,
        "exportMissingReferences": False,
        "flowBehavior": "FlowWhenChanged",
        "flowType": "Always",
        "matchingPriority": matching,
        "source": source,
        "targetAttributeName": target,
    }


ATTRIBUTE_MAPPINGS = [
    _mapping("userName", _attr("userPrincipalName"), matching=1),
    _mapping(
        "active",
        {
            "expression": 'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
            "name": "Switch",
            "type": "Function",
            "parameters": [{"key": "source", "value": _attr("IsSoftDeleted")}],
        },
    ),
    _mapping("displayName", _attr("displayName")),
    _mapping("title", _attr("jobTitle")),
    _mapping('emails[type eq "work"].value', _attr("mail")),
    _mapping("preferredLanguage", _attr("preferredLanguage")),
    _mapping("name.givenName", _attr("givenName")),
    _mapping("name.familyName", _attr("surname")),
    _mapping(
        "name.formatted",
        {
            "expression": 'Join(" ", [givenName], [surname])',
            "name": "Join",
            "type": "Function",
            "parameters": [
                {
                    "key": "separator",
                    "value": {"expression": '" "', "name": " ", "type": "Constant", "parameters": []},
                },
                {"key": "source1", "value": _attr("givenName")},
                {"key": "source2", "value": _attr("surname")},
            ],
        },
    ),
    _mapping('addresses[type eq "work"].locality', _attr("city")),
    _mapping('addresses[type eq "work"].country', _attr("country")),
    _mapping('phoneNumbers[type eq "work"].value', _attr("telephoneNumber")),
    _mapping('phoneNumbers[type eq "mobile"].value', _attr("mobile")),
    _mapping("externalId", _attr("mailNickname")),
    _mapping(f"{ENTERPRISE}:employeeNumber", _attr("employeeId")),
    _mapping(f"{ENTERPRISE}:department", _attr("department")),
]


def schema() -> dict:
    return {
        "id": TEMPLATE_ID,
        "version": "Date:2026-01-01",
        "directories": [
            {"id": "aad", "name": "Azure Active Directory", "objects": [{"name": "User"}]},
            {
                "id": "target",
                "name": "AWS IAM Identity Center",
                "objects": [{"name": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}],
            },
        ],
        "synchronizationRules": [
            {
                "id": RULE_ID,
                "name": "USER_OUTBOUND_USER",
                "editable": True,
                "priority": 1,
                "sourceDirectoryName": "Azure Active Directory",
                "targetDirectoryName": "AWS IAM Identity Center",
                "containerFilter": {"includedContainers": []},
                "groupFilter": {"includedGroups": []},
                "metadata": [],
                "objectMappings": [
                    {
                        "enabled": True,
                        "flowTypes": "Add, Update, Delete",
                        "metadata": [],
                        "name": "Provision Azure Active Directory Users",
                        "scope": None,
                        "sourceObjectName": "User",
                        "targetObjectName": ENTERPRISE,
                        "attributeMappings": ATTRIBUTE_MAPPINGS,
                    }
                ],
            }
        ],
    }


def template(application_id: str) -> dict:
    return {
        "id": TEMPLATE_ID,
        "applicationId": application_id,
        "default": True,
        "description": "AWS IAM Identity Center provisioning",
        "discoverable": True,
        "factoryTag": TEMPLATE_ID,
        "metadata": [{"key": "supportsProvisionOnDemand", "value": "true"}],
        "schema": schema(),
    }
