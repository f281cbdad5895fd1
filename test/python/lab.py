"""The end-to-end lab against the twin: what the Terraform module would have created around the
Python commands (Key Vault, Identity Center user and permission sets, secret containers), and
helpers that run the commands exactly as the provisioners and steps do."""

import json
import os

import boto3
import requests
from azure.identity import EnvironmentCredential
from entraidc.aws import ACCOUNTS
from entraidc.keyvault import KeyVault
from entraidc_cli import last_json, run

MARKER = "entra-idc"
APP_TEMPLATE = "AWS IAM Identity Center (successor to AWS Single Sign-On)"
VAULT_NAME = "entraidc-testlab01"
CERTIFICATES_ACTION = "sso-directory:ListExternalIdPCertificates"
USERS = {"NikkiWolf": ("Nikki", "Wolf"), "RichRoe": ("Richard", "Roe")}
REGIONAL_ADMIN_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Statement1",
                "Effect": "Allow",
                "Resource": ["*"],
                "Action": [
                    "account:ListRegions",
                    "account:DisableRegion",
                    "account:EnableRegion",
                    "account:GetRegionOptStatus",
                ],
            }
        ],
    }
)


class Lab:
    def __init__(self, twin_env: dict, run_env: dict | None = None):
        """``run_env``: the environment the commands run with (e.g. an Azure CLI login without any
        client secret); the lab's own set-up and checks use the twin's service principal."""
        self.env = dict(twin_env)
        self.run_env = run_env
        self.outputs: list[str] = []
        self.results: dict = {}
        self.env.update(
            {
                "ENTRAIDC_OWNER_MARKER": MARKER,
                "ENTRAIDC_RETRY_BASE_DELAY": "0.2",
                "ENTRAIDC_NOT_FOUND_BUDGET": "30",
            }
        )
        with _environ(self.env):
            self.credential = EnvironmentCredential()
            self.tenant_id = self.env["AZURE_TENANT_ID"]
            self.env["ENTRAIDC_TENANT_ID"] = self.tenant_id
            self.env["ENTRAIDC_KEY_VAULT_URI"] = self.create_vault(VAULT_NAME)

    # -- running the commands -------------------------------------------------------------------
    def run(self, args: list[str], expect: int | None = 0, timeout: float = 600, **extra) -> dict:
        """``expect``: the exit code required (None: any, kept in last_returncode)."""
        env = {**self.env, **extra}
        if self.run_env is not None:
            secret_free = {
                k: v for k, v in env.items() if k not in self.run_env and not k.startswith(("AZURE_", "ARM_"))
            }
            env = {**secret_free, **self.run_env, **extra}
        done = run(args, env, timeout=timeout)
        self.outputs += [done.stdout, done.stderr]
        assert expect in (None, done.returncode), f"{args}: exit {done.returncode}\n{done.stderr[-3000:]}"
        self.last_stdout, self.last_stderr, self.last_returncode = done.stdout, done.stderr, done.returncode
        try:
            return last_json(done.stdout)
        except (ValueError, IndexError):
            return {}

    def users(self, action: str, name: str, expect: int = 0) -> dict:
        given, family = USERS[name]
        return self.run(
            ["entra-users", action],
            expect=expect,
            ENTRAIDC_USER_NAME=name,
            ENTRAIDC_GIVEN_NAME=given,
            ENTRAIDC_FAMILY_NAME=family,
            ENTRAIDC_DISPLAY_NAME=name,
            ENTRAIDC_RESULT_SECRET_NAME=f"entraidc-user-{name.lower()}",
        )

    def app(self, action: str, nickname: str) -> dict:
        return self.run(
            ["entra-app", action],
            ENTRAIDC_ACCOUNT_NICKNAME=nickname,
            ENTRAIDC_APP_TEMPLATE_NAME=APP_TEMPLATE,
            ENTRAIDC_APP_DISPLAY_NAME=f"AWS IAM Identity Center ({nickname})",
            ENTRAIDC_RESULT_SECRET_NAME=f"entraidc-app-{nickname}",
        )

    def assign(self, action: str, name: str, nickname: str) -> dict:
        user, app = (
            self.result_tags(f"entraidc-user-{name.lower()}"),
            self.result_tags(f"entraidc-app-{nickname}"),
        )
        return self.run(
            ["entra-assign", action],
            ENTRAIDC_SERVICE_PRINCIPAL_ID=app["servicePrincipalId"],
            ENTRAIDC_USER_OBJECT_ID=user["objectId"],
            ENTRAIDC_USER_PRINCIPAL_NAME=user["upn"],
        )

    def federate(self, action: str, nickname: str, expect: int | None = 0, timeout: float = 600,
                 **extra) -> dict:
        app = self.result_tags(f"entraidc-app-{nickname}")
        instance = self.instance(nickname)
        acct = ACCOUNTS[nickname]
        return self.run(
            ["saml-federate", action],
            expect=expect,
            timeout=timeout,
            ENTRAIDC_ACCOUNT_NICKNAME=nickname,
            ENTRAIDC_APP_ID=app["appId"],
            ENTRAIDC_SERVICE_PRINCIPAL_ID=app["servicePrincipalId"],
            ENTRAIDC_AWS_PROFILE=acct.profile,
            ENTRAIDC_AWS_REGION=acct.region,
            ENTRAIDC_AWS_PARTITION=acct.partition,
            ENTRAIDC_ACCOUNT_ID=instance["AccountId"],
            ENTRAIDC_INSTANCE_ARN=instance["InstanceArn"],
            ENTRAIDC_IDENTITY_STORE_ID=instance["IdentityStoreId"],
            ENTRAIDC_RESULT_SECRET_NAME=f"entraidc-saml-{nickname}",
            **extra,
        )

    def saml_phase(self, nicknames, with_rich: bool = False) -> dict:
        """What entraSamlSetup's apply does (plus RichRoe and his assignments for the SCIM phase)."""
        nikki = self.users("create", "NikkiWolf")
        rich = self.users("create", "RichRoe") if with_rich else None
        for nickname in nicknames:
            self.app("create", nickname)
            self.assign("create", "NikkiWolf", nickname)
            if with_rich:
                self.assign("create", "RichRoe", nickname)
            self.terraform_aws_side(nickname, nikki["user"])
            self.federate("create", nickname)
        return {"nikki": nikki, "rich": rich}

    # -- reading state ----------------------------------------------------------------------------
    def vault(self) -> KeyVault:
        from entraidc.azure_auth import TokenSource

        return KeyVault(self.env["ENTRAIDC_KEY_VAULT_URI"], TokenSource(self.credential))

    def result_tags(self, secret_name: str) -> dict:
        found = self.vault().get_secret(secret_name)
        assert found, f"no result secret {secret_name}"
        return found["tags"]

    def secret_value(self, secret_name: str) -> str:
        return self.vault().get_secret(secret_name)["value"]

    def session(self, nickname: str) -> boto3.Session:
        with _environ(self.env):
            return boto3.Session(profile_name=nickname, region_name=ACCOUNTS[nickname].region)

    def instance(self, nickname: str) -> dict:
        sess = self.session(nickname)
        found = sess.client("sso-admin").list_instances()["Instances"][0]
        return {**found, "AccountId": sess.client("sts").get_caller_identity()["Account"]}

    def idp_certificates(self, nickname: str) -> list[dict]:
        """The certificates of the instance's external IdP, read by the test itself: the library never
        lists them, so the documented policy lacks the action; the profile holds it for this call only
        (the twin enforces that policy)."""
        from entraidc.aws_console_api import ConsoleApi

        from twin.core import admin_client

        store = self.instance(nickname)["IdentityStoreId"]
        console = ConsoleApi(ACCOUNTS[nickname], self.session(nickname))
        idp = console.list_external_identity_providers(store)[0]
        body = {"IdentityStoreId": store, "IdPId": idp["IdPId"]}
        granted = admin_client.call("PUT", f"/aws/iam/{nickname}", {"with": [CERTIFICATES_ACTION]})
        assert granted[0] == 200, granted
        try:
            return console.call("ListExternalIdPCertificates", body, "read the IdP certificates")[
                "Certificates"
            ]
        finally:
            admin_client.call("DELETE", f"/aws/iam/{nickname}")

    # -- what Terraform would have done ------------------------------------------------------------
    def terraform_aws_side(self, nickname: str, nikki_upn: str) -> None:
        sess, instance = self.session(nickname), self.instance(nickname)
        store, arn = instance["IdentityStoreId"], instance["InstanceArn"]
        nikki = sess.client("identitystore").create_user(
            IdentityStoreId=store,
            UserName=nikki_upn,
            DisplayName="NikkiWolf",
            Name={"GivenName": "Nikki", "FamilyName": "Wolf"},
            Emails=[{"Value": nikki_upn, "Type": "work", "Primary": True}],
        )["UserId"]
        sso = sess.client("sso-admin")
        ours = [{"Key": "ManagedBy", "Value": MARKER}]  # the module tags them (locals.tf)
        regional = sso.create_permission_set(InstanceArn=arn, Name="RegionalAdmin", Tags=ours)[
            "PermissionSet"
        ]["PermissionSetArn"]
        sso.put_inline_policy_to_permission_set(
            InstanceArn=arn, PermissionSetArn=regional, InlinePolicy=REGIONAL_ADMIN_POLICY
        )
        sso.create_account_assignment(
            InstanceArn=arn,
            TargetId=instance["AccountId"],
            TargetType="AWS_ACCOUNT",
            PermissionSetArn=regional,
            PrincipalType="USER",
            PrincipalId=nikki,
        )
        sso.create_permission_set(InstanceArn=arn, Name="AdministratorAccess", Tags=ours)
        sess.client("secretsmanager").create_secret(
            Name=f"entraidc/{nickname}/scim-access-token", Tags=[{"Key": "ManagedBy", "Value": MARKER}]
        )

    def terraform_scim_admin(self, nickname: str, rich_upn: str) -> None:
        """The second SCIM-phase apply: RichRoe (created by SCIM) gets AdministratorAccess."""
        sess, instance = self.session(nickname), self.instance(nickname)
        store, arn = instance["IdentityStoreId"], instance["InstanceArn"]
        rich = sess.client("identitystore").list_users(
            IdentityStoreId=store, Filters=[{"AttributePath": "UserName", "AttributeValue": rich_upn}]
        )["Users"][0]["UserId"]
        sso = sess.client("sso-admin")
        arns = sso.list_permission_sets(InstanceArn=arn)["PermissionSets"]
        admin = next(
            a
            for a in arns
            if sso.describe_permission_set(InstanceArn=arn, PermissionSetArn=a)["PermissionSet"]["Name"]
            == "AdministratorAccess"
        )
        sso.create_account_assignment(
            InstanceArn=arn,
            TargetId=instance["AccountId"],
            TargetType="AWS_ACCOUNT",
            PermissionSetArn=admin,
            PrincipalType="USER",
            PrincipalId=rich,
        )

    def terraform_abac(self, nickname: str) -> None:
        """enable_abac = true: the access-control attribute Department on the instance."""
        arn = self.instance(nickname)["InstanceArn"]
        self.session(nickname).client("sso-admin").create_instance_access_control_attribute_configuration(
            InstanceArn=arn,
            InstanceAccessControlAttributeConfiguration={
                "AccessControlAttributes": [
                    {"Key": "Department", "Value": {"Source": ["${path:enterprise.department}"]}}
                ]
            },
        )

    def arm(self, method: str, path: str, api_version: str, body=None) -> requests.Response:
        """One ARM request with the twin's service principal (the lab's own set-up and checks)."""
        token = self.credential.get_token("https://management.azure.com/.default").token
        return requests.request(
            method,
            f"https://management.azure.com{path}?api-version={api_version}",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    def graph(self):
        from entraidc.azure_auth import TokenSource
        from entraidc.graph import GraphClient

        return GraphClient(base_url=self.env["ENTRAIDC_GRAPH_URL"], tokens=TokenSource(self.credential))

    def create_vault(self, name: str, rbac: bool = False) -> str:
        """The vault's URI. ``rbac``: an RBAC vault as the module creates it (no access policies;
        data-plane roles are role assignments), else one with access policies for the callers."""
        from twin.azure import ids

        subscription = f"/subscriptions/{self.env['ARM_SUBSCRIPTION_ID']}"
        group = f"{subscription}/resourceGroups/rg-entraidc"
        response = self.arm("PUT", group, "2021-04-01", {"location": "eastus"})
        assert response.status_code in (200, 201), response.text
        # A fresh subscription has Microsoft.KeyVault unregistered; the module registers it the same way
        # (azurerm resource_providers_to_register).
        response = self.arm("POST", f"{subscription}/providers/Microsoft.KeyVault/register", "2022-09-01")
        assert response.status_code == 200, response.text
        body = {
            "location": "eastus",
            "properties": {
                "tenantId": self.tenant_id,
                "sku": {"family": "A", "name": "standard"},
                "enableRbacAuthorization": rbac,
                "softDeleteRetentionInDays": 7,
                # The caller, as the module grants it: the service principal, or the test admin
                # when the commands run on the Azure CLI's user login.
                "accessPolicies": [
                    {
                        "tenantId": self.tenant_id,
                        "objectId": caller,
                        "permissions": {"secrets": ["get", "list", "set", "delete", "purge", "recover"]},
                    }
                    for caller in (ids.AUTOMATION_SP_OBJECT_ID, ids.ADMIN_OBJECT_ID)
                    if not rbac
                ],
            },
        }
        response = self.arm("PUT", f"{group}/providers/Microsoft.KeyVault/vaults/{name}", "2023-07-01", body)
        assert response.status_code in (200, 201), response.text
        return response.json()["properties"]["vaultUri"]


class _environ:
    def __init__(self, env):
        self.env, self.saved = env, None

    def __enter__(self):
        self.saved = dict(os.environ)
        os.environ.update(self.env)

    def __exit__(self, *exc):
        os.environ.clear()
        os.environ.update(self.saved)
