"""entra-idc automation: Microsoft Entra ID as SAML + SCIM identity provider of AWS IAM Identity Center.

The parts the aws and azurerm Terraform providers cannot express (see README.md).
Entry point: ``python3 -m entraidc <command> ...``.
"""

OWNER_MARKER = "entra-idc"
