"""Someone else's objects under this library's names, in the twin (reliability case 4):

  create  makes them and prints {kind: name} — in Entra an unmarked NikkiWolf and an app named
          "AWS IAM Identity Center (aws-govcloud)"; in aws-govcloud an identity-store RichRoe@<domain>
          created by hand (no ExternalIds), an enabled external IdP of another issuer and a Secrets
          Manager secret entraidc/aws-govcloud/scim-access-token without our tags;
  read    prints each of them in full as JSON, for a before/after comparison.

Run with the twin's environment (AZURE_* of the twin's service principal, the AWS profiles).
"""

import json
import sys

import boto3
from entraidc.aws import ACCOUNTS
from entraidc.aws_console_api import ConsoleApi
from entraidc.azure_auth import TokenSource
from entraidc.graph import GraphClient

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "python"))
from metadata_fixture import foreign_idp_metadata  # noqa: E402

ACCOUNT = "aws-govcloud"
APP = f"AWS IAM Identity Center ({ACCOUNT})"
SECRET = f"entraidc/{ACCOUNT}/scim-access-token"
TEMPLATE = "AWS IAM Identity Center (successor to AWS Single Sign-On)"


def _graph() -> GraphClient:
    from azure.identity import EnvironmentCredential

    return GraphClient(tokens=TokenSource(EnvironmentCredential()))  # ENTRAIDC_GRAPH_URL


def _aws():
    sess = boto3.Session(profile_name=ACCOUNT, region_name=ACCOUNTS[ACCOUNT].region)
    store = sess.client("sso-admin").list_instances()["Instances"][0]["IdentityStoreId"]
    return sess, store


def _domain(graph) -> str:
    org = next(iter(graph.list("/organization")))
    return next(d["name"] for d in org["verifiedDomains"] if d["isDefault"])


def create() -> dict:
    graph = _graph()
    domain = _domain(graph)
    graph.post(
        "/users",
        {
            "accountEnabled": True,
            "displayName": "Nikki Wolf (HR)",
            "mailNickname": "NikkiWolf",
            "userPrincipalName": f"NikkiWolf@{domain}",
            "passwordProfile": {"password": "Foreign-Passw0rd!"},
        },
    )
    template = next(
        iter(graph.list("/applicationTemplates", params={"$filter": f"displayName eq '{TEMPLATE}'"}))
    )
    graph.post(f"/applicationTemplates/{template['id']}/instantiate", {"displayName": APP})
    sess, store = _aws()
    sess.client("identitystore").create_user(
        IdentityStoreId=store,
        UserName=f"RichRoe@{domain}",
        DisplayName="Rich Roe (created by hand)",
        Name={"GivenName": "Rich", "FamilyName": "Roe"},
    )
    console = ConsoleApi(ACCOUNTS[ACCOUNT], sess)
    idp = console.upload_idp_saml_metadata(store, foreign_idp_metadata())
    console.accept_change_identity_source(store, idp["IdPId"])
    sess.client("secretsmanager").create_secret(
        Name=SECRET,
        SecretString=json.dumps({"Token": "someone-elses-token"}),
        Tags=[{"Key": "Owner", "Value": "platform-team"}],
    )
    return {
        "entra-user": f"NikkiWolf@{domain}",
        "entra-app": APP,
        "identity-store-user": f"RichRoe@{domain}",
        "external-idp": idp["IdPId"],
        "secret": SECRET,
    }


def read() -> dict:
    graph = _graph()
    domain = _domain(graph)
    sess, store = _aws()
    identitystore = sess.client("identitystore")
    rich = identitystore.get_user_id(
        IdentityStoreId=store,
        AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": f"RichRoe@{domain}"}
        },
    )["UserId"]
    secrets = sess.client("secretsmanager")
    described = secrets.describe_secret(SecretId=SECRET)
    found = {
        "entra-user": graph.get(f"/users/NikkiWolf@{domain}"),
        "entra-app": list(graph.list("/applications", params={"$filter": f"displayName eq '{APP}'"})),
        "identity-store-user": identitystore.describe_user(IdentityStoreId=store, UserId=rich),
        "external-idp": ConsoleApi(ACCOUNTS[ACCOUNT], sess).list_external_identity_providers(store),
        "secret": {
            "value": secrets.get_secret_value(SecretId=SECRET)["SecretString"],
            **{k: described.get(k) for k in ("ARN", "Name", "Tags", "VersionIdsToStages", "Description")},
        },
    }
    found["identity-store-user"].pop("ResponseMetadata", None)
    return found


if __name__ == "__main__":
    print(json.dumps({"create": create, "read": read}[sys.argv[1]](), default=str, sort_keys=True))
