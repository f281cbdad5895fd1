"""Defects a first run against a real tenant would have hit, reproduced by the twin (issue 12).

- SAML mode before the identifier URI: Entra "Restrictions on identifier URIs of Microsoft Entra
  applications" (excludeSaml) and Microsoft's "Configure SAML-based single sign-on for your
  application using the Microsoft Graph API" (sets preferredSingleSignOnMode first).
- Gallery template lookup: "List applicationTemplates" ($filter on displayName with eq or
  contains; the tutorial's displayName eq '...' and template id).
- customKeyIdentifier is Edm.Binary (base64): Graph "keyCredential resource type".
"""

from urllib.parse import urlsplit

import pytest
from entraidc.saml_federation import sp_thumbprints
from lab import APP_TEMPLATE, Lab

from twin.azure import catalogue


@pytest.fixture
def lab(twin_environ, twin_reset):
    return Lab(twin_environ)


def test_saml_federate_sets_saml_mode_before_the_non_verified_identifier_uri(lab):
    lab.users("create", "NikkiWolf")
    lab.app("create", "aws-commercial")
    lab.terraform_aws_side("aws-commercial", lab.result_tags("entraidc-user-nikkiwolf")["upn"])
    assert lab.federate("create", "aws-commercial")["changed"] is True
    app = lab.result_tags("entraidc-app-aws-commercial")
    graph = lab.graph()
    sp = graph.get(f"/servicePrincipals/{app['servicePrincipalId']}")
    assert sp["preferredSingleSignOnMode"] == "saml"
    application = graph.get(f"/applications(appId='{app['appId']}')")
    (entity_id,) = application["identifierUris"]
    # Identity Center's entity ID, on no verified domain of the tenant
    assert urlsplit(entity_id).hostname.endswith(".amazon.com") and "/platform/saml/d-" in entity_id


def test_the_gallery_template_is_found_by_exact_name_or_id_and_a_prefix_is_refused(lab):
    env = {
        "ENTRAIDC_ACCOUNT_NICKNAME": "aws-commercial",
        "ENTRAIDC_APP_DISPLAY_NAME": "AWS IAM Identity Center (aws-commercial)",
        "ENTRAIDC_RESULT_SECRET_NAME": "entraidc-app-aws-commercial",
    }
    prefix = lab.run(
        ["entra-app", "create"], expect=1, ENTRAIDC_APP_TEMPLATE_NAME="AWS IAM Identity Center", **env
    )
    assert "expected one gallery template 'AWS IAM Identity Center'" in prefix["error"]
    assert APP_TEMPLATE in prefix["error"]  # names the exact gallery name to use
    by_id = lab.run(["entra-app", "create"], ENTRAIDC_APP_TEMPLATE_NAME=catalogue.AWS_TEMPLATE_ID, **env)
    assert by_id["changed"] is True


def test_certificates_are_recognised_by_their_base64_custom_key_identifier(lab):
    lab.app("create", "aws-commercial")
    app = lab.result_tags("entraidc-app-aws-commercial")
    graph = lab.graph()
    cert = graph.post(
        f"/servicePrincipals/{app['servicePrincipalId']}/addTokenSigningCertificate",
        {"displayName": "CN=entra-idc SAML signing"},
    )
    sp = graph.get(f"/servicePrincipals/{app['servicePrincipalId']}")
    assert sp["preferredTokenSigningKeyThumbprint"] is None  # only the key credentials name it
    assert sp_thumbprints(sp) == {cert["thumbprint"].upper()}
