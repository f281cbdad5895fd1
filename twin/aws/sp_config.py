"""IAM Identity Center's own SAML service-provider values for one directory.

Pattern from public material (REFERENCES.md): entity ID
``https://<region>.signin.aws.amazon.com/platform/saml/<id>``, ACS ``…/platform/saml/acs/<id>``;
GovCloud uses the ``signin.amazonaws-us-gov.com`` domain. Which IDs fill <id>, and the
access-portal URL forms, are inferred.
"""
from twin.aws.saml_metadata import sp_metadata
from twin.aws.state import Directory


def signin_host(directory: Directory) -> str:
    account = directory.account
    domain = "signin.amazonaws-us-gov.com" if account.partition == "aws-us-gov" else "signin.aws.amazon.com"
    return f"{account.region}.{domain}"


def portal_url(directory: Directory) -> str:
    if directory.account.partition == "aws-us-gov":
        return f"https://start.us-gov-home.awsapps.com/directory/{directory.identity_store_id}"
    return f"https://{directory.identity_store_id}.awsapps.com/start"


def sp_configuration(directory: Directory) -> dict:
    base = f"https://{signin_host(directory)}/platform/saml"
    entity_id = f"{base}/{directory.identity_store_id}"
    acs_url = f"{base}/acs/{directory.acs_id}"
    return {"EntityId": entity_id, "AcsUrl": acs_url, "SignInUrl": portal_url(directory),
            "MetadataXml": sp_metadata(entity_id, acs_url)}
