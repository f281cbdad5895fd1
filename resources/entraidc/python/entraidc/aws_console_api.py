"""IAM Identity Center operations that have no public API, as the console performs them.

NOT PURE TERRAFORM: SigV4-signed JSON calls to the console's endpoints — neither the aws provider
nor the public sso-admin/identitystore APIs can change the identity source, read the
service-provider SAML metadata or manage automatic provisioning (hashicorp/terraform-provider-aws
#38736, closed without them).

Each function is named after the console action it replaces and, when the call fails for good,
raises ConsoleStepError that names the console step to perform by hand instead.

What is known and what is inferred (see also twin/README.md):
- Endpoint ``https://up.sso.<region>.amazonaws.com/identitystore/``, SigV4 service
  ``identitystore``, ``X-Amz-Target: AWSIdentityStoreService.<Operation>``, JSON 1.1 — seen in
  public code for ListProvisioningTenants/SearchUsers.
- Operation names: the IAM actions of the ``sso-directory`` namespace and the identity-store
  events CloudTrail documents (CreateExternalIdPConfigurationForDirectory,
  GetAWSSPConfigurationForDirectory, EnableExternalIdPConfigurationForDirectory, ...,
  CreateProvisioningTenant, CreateBearerToken, ...):
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsssodirectory.html and
  https://docs.aws.amazon.com/singlesignon/latest/userguide/logging-using-cloudtrail.html
- Request and response fields: inferred, kept in this module only (one dict per call).
"""

import json
import os
import urllib.parse

import botocore.auth
import botocore.awsrequest
import requests

from . import output
from .aws import AwsAccount
from .errors import ACCESS_DENIED, ConsoleStepError, EntraIdcError, InputError, permission_hint
from .retry import RetryPolicy, send

IDENTITY_SOURCE_WIZARD = (
    "IAM Identity Center console > Settings > Identity source > Actions > Change identity source"
)
PROVISIONING_BOX = "IAM Identity Center console > Settings > Identity source > Automatic provisioning"

_THROTTLING = (
    "ThrottlingException",
    "TooManyRequestsException",
    "ServiceUnavailableException",
    "InternalServerException",
)


def _error_type(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    kind = str(body.get("__type") or body.get("code") or "") if isinstance(body, dict) else ""
    return kind.rsplit("#", 1)[-1]


def _error_message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        return str(body.get("Message") or body.get("message") or "")[:300]
    return ""


def endpoint_variable(acct: AwsAccount) -> str:
    """The agent environment variable that replaces the console endpoint of one account (the default
    host is inferred, and GovCloud may need a FIPS host): ENTRAIDC_CONSOLE_ENDPOINT_AWS_GOVCLOUD."""
    return "ENTRAIDC_CONSOLE_ENDPOINT_" + acct.nickname.upper().replace("-", "_")


def configured_endpoint(acct: AwsAccount) -> str | None:
    """The console endpoint the agent's environment sets for this account (an https URL, or http on
    loopback for a local proxy; a bare host gets the path /identitystore/), or None for the default."""
    name = endpoint_variable(acct)
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    parts = urllib.parse.urlsplit(value if "://" in value else f"https://{value}")
    loopback = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "::1", "localhost")
    if (parts.scheme != "https" and not loopback) or not parts.hostname or parts.query or parts.fragment:
        raise InputError(
            f"{name}={value!r} is not an https URL of the console endpoint: set it to one such as "
            f"https://up.sso.{acct.region}.{acct.dns_suffix}/identitystore/ (or unset it for that "
            "default).",
            account=acct.nickname,
        )
    path = parts.path if parts.path not in ("", "/") else "/identitystore/"
    return f"{parts.scheme}://{parts.netloc}{path}"


class ConsoleApi:
    """One account's console endpoints."""

    def __init__(
        self,
        acct: AwsAccount,
        session,
        policy: RetryPolicy | None = None,
        http: requests.Session | None = None,
        endpoint: str | None = None,
    ):
        self.account = acct
        self.endpoint = endpoint
        self.credentials = session.get_credentials()
        self.policy = policy or RetryPolicy.from_env()
        self.http = http or requests.Session()
        self.timeout = float(os.environ.get("ENTRAIDC_HTTP_TIMEOUT", "60"))

    @property
    def identitystore_url(self) -> str:
        if self.endpoint:
            return self.endpoint
        return configured_endpoint(self.account) or (
            f"https://up.sso.{self.account.region}.{self.account.dns_suffix}/identitystore/"
        )

    def call(self, operation: str, body: dict, console_step: str, retry_not_found: bool = False) -> dict:
        """One console operation; ``retry_not_found`` waits out replication of an object just created."""
        url = self.identitystore_url
        payload = json.dumps(body)

        def do_request():
            request = botocore.awsrequest.AWSRequest(
                method="POST",
                url=url,
                data=payload,
                headers={
                    "Content-Type": "application/x-amz-json-1.1",
                    "X-Amz-Target": f"AWSIdentityStoreService.{operation}",
                },
            )
            if self.credentials is None:
                raise ConsoleStepError(
                    operation,
                    self.account.nickname,
                    console_step,
                    f"no credentials for profile {self.account.profile}",
                )
            botocore.auth.SigV4Auth(
                self.credentials.get_frozen_credentials(), "identitystore", self.account.region
            ).add_auth(request)
            prepared = request.prepare()
            return self.http.post(
                url, data=prepared.body, headers=dict(prepared.headers), timeout=self.timeout
            )

        def on_retry(response, delay):
            status = response.status_code if response is not None else "connection error"
            output.log(self.account.nickname, f"{operation}: {status}, retrying in {delay:.1f}s")

        try:
            response = send(
                do_request,
                self.policy,
                on_retry=on_retry,
                transient=lambda r: _error_type(r) in _THROTTLING,
                retry_not_found=retry_not_found,
                not_found=lambda r: r.status_code >= 400 and _error_type(r) == "ResourceNotFoundException",
            )
        except requests.RequestException as exc:
            raise ConsoleStepError(
                operation, self.account.nickname, console_step, f"{url} unreachable: {type(exc).__name__}"
            ) from None
        if response.status_code >= 400:
            kind = _error_type(response) or "UnknownError"
            if kind in ACCESS_DENIED:
                raise EntraIdcError(
                    f"{operation} failed (HTTP {response.status_code} {kind}: {_error_message(response)})."
                    f"{permission_hint(kind)}",
                    account=self.account.nickname,
                )
            raise ConsoleStepError(
                operation,
                self.account.nickname,
                console_step,
                f"HTTP {response.status_code} {kind}: {_error_message(response)}",
                kind=kind,
            )
        try:
            answer = response.json() if response.content else {}
        except ValueError:
            answer = None
        wrong = answer_mismatches(operation, answer)
        if wrong:
            raise ConsoleStepError(
                operation,
                self.account.nickname,
                console_step,
                f"its answer is not shaped as this library expects: {'; '.join(wrong)} (the members "
                "are inferred, aws_console_api.RELIED_ON; AWS may have renamed them)",
            )
        return answer

    def create_or_adopt(self, operation: str, create, made_by_this_call) -> dict:
        """``create()``, for an object the caller has just found missing. When the service answers
        ConflictException, the object is the one this very call made: its first request was performed
        but its answer lost, and the retry (send() repeats a request after a connection error, as
        aws-sdk-go-v2 does since PR #2949; twin/README.md "Answers the client lost") met it. Then
        ``made_by_this_call()`` looks it up (None when it cannot tell it apart, and the error stands)."""
        try:
            return create()
        except ConsoleStepError as err:
            if err.kind != "ConflictException":
                raise
            found = made_by_this_call()
            if found is None:
                raise
            output.log(
                self.account.nickname,
                f"{operation} was answered with a conflict: its first attempt made the object and its "
                "answer was lost; using that object",
            )
            return found

    # Step 3.1: the service-provider side of the SAML connection.
    def download_service_provider_metadata(self, identity_store_id: str) -> dict:
        """Console: Change identity source > External identity provider > Service provider metadata.

        Answers {"EntityId", "AcsUrl", "SignInUrl", "MetadataXml"}."""
        answer = self.call(
            "GetAWSSPConfigurationForDirectory",
            {"IdentityStoreId": identity_store_id},
            f"{IDENTITY_SOURCE_WIZARD} > External identity provider > "
            "Service provider metadata > Download metadata file, and copy the "
            "AWS access portal sign-in URL",
        )
        return answer["SPConfiguration"]

    # Settings > Identity source: which identity source is in use.
    def list_external_identity_providers(self, identity_store_id: str) -> list[dict]:
        """Console: Settings > Identity source (shows the external IdP, if any).

        Each: {"IdPId", "IdPEntityId", "IdPLoginUrl", "Status", "IdPCertificateIds"}."""
        answer = self.call(
            "ListExternalIdPConfigurationsForDirectory",
            {"IdentityStoreId": identity_store_id},
            "IAM Identity Center console > Settings > Identity source: read the identity source",
        )
        return answer["ExternalIdPConfigurations"]

    # Step 3.3: give Identity Center the IdP's metadata and switch the identity source.
    def upload_idp_saml_metadata(self, identity_store_id: str, metadata_xml: str) -> dict:
        """Console: Change identity source > External identity provider > IdP SAML metadata > Choose file.

        Answers {"IdPId", "IdPCertificateIds", "SPConfiguration"}."""
        return self.call(
            "CreateExternalIdPConfigurationForDirectory",
            {"IdentityStoreId": identity_store_id, "IdPMetadataXml": metadata_xml},
            f"{IDENTITY_SOURCE_WIZARD} > External identity provider > IdP SAML metadata: "
            "upload the Entra app's Federation Metadata XML",
        )

    def update_idp_saml_metadata(self, identity_store_id: str, idp_id: str, metadata_xml: str) -> dict:
        """Console: Settings > Identity source > Actions > Manage authentication > Manage SAML 2.0
        authentication > Upload new IdP SAML metadata (after the Entra signing certificate changed).

        Answers {"IdPId", "IdPCertificateIds"}."""
        return self.call(
            "UpdateExternalIdPConfigurationForDirectory",
            {"IdentityStoreId": identity_store_id, "IdPId": idp_id, "IdPMetadataXml": metadata_xml},
            "IAM Identity Center console > Settings > Identity source > Actions > Manage authentication "
            "> Manage SAML 2.0 authentication: upload the Entra app's new Federation Metadata XML",
        )

    def accept_change_identity_source(self, identity_store_id: str, idp_id: str) -> dict:
        """Console: the wizard's last page, type ACCEPT and choose Change identity source."""
        return self.call(
            "EnableExternalIdPConfigurationForDirectory",
            {"IdentityStoreId": identity_store_id, "IdPId": idp_id},
            f"{IDENTITY_SOURCE_WIZARD}: type ACCEPT and choose Change identity source",
            retry_not_found=True,
        )

    def change_identity_source_to_identity_center_directory(
        self, identity_store_id: str, idp_id: str, enabled: bool = True
    ) -> None:
        """Console: Change identity source > Identity Center directory (restores the default)."""
        step = f"{IDENTITY_SOURCE_WIZARD} > Identity Center directory > ACCEPT"
        if enabled:
            self.call(
                "DisableExternalIdPConfigurationForDirectory",
                {"IdentityStoreId": identity_store_id, "IdPId": idp_id},
                step,
            )
        self.call(
            "DeleteExternalIdPConfigurationForDirectory",
            {"IdentityStoreId": identity_store_id, "IdPId": idp_id},
            step,
        )

    # Step 4.2: automatic provisioning.
    def automatic_provisioning_status(self, identity_store_id: str) -> list[dict]:
        """Console: Settings > Identity source > Provisioning method."""
        answer = self.call(
            "ListProvisioningTenants",
            {"IdentityStoreId": identity_store_id},
            "IAM Identity Center console > Settings > Identity source: read the Provisioning method",
        )
        return answer["ProvisioningTenants"]

    def enable_automatic_provisioning(self, identity_store_id: str) -> dict:
        """Console: Automatic provisioning > Enable (answers the tenant with its SCIM endpoint)."""
        answer = self.call(
            "CreateProvisioningTenant",
            {"IdentityStoreId": identity_store_id},
            f"{PROVISIONING_BOX} > Enable, then copy the SCIM endpoint",
        )
        return answer["ProvisioningTenant"]

    def generate_access_token(self, identity_store_id: str, tenant_id: str) -> dict:
        """Console: Automatic provisioning > Manage provisioning > Generate token.

        Answers {"TokenId", "Token", "ExpirationTime"}; the token is registered as a secret."""
        answer = self.call(
            "CreateBearerToken",
            {"IdentityStoreId": identity_store_id, "TenantId": tenant_id},
            f"{PROVISIONING_BOX} > Manage provisioning > Access tokens > Generate token",
            retry_not_found=True,
        )
        token = answer["BearerToken"]
        output.secret(token["Token"])
        return token

    def list_access_tokens(self, identity_store_id: str, tenant_id: str) -> list[dict]:
        """Console: Automatic provisioning > Manage provisioning > Access tokens."""
        answer = self.call(
            "ListBearerTokens",
            {"IdentityStoreId": identity_store_id, "TenantId": tenant_id},
            f"{PROVISIONING_BOX} > Manage provisioning > Access tokens",
            retry_not_found=True,
        )
        return answer["BearerTokens"]

    def delete_access_token(self, identity_store_id: str, tenant_id: str, token_id: str) -> None:
        """Console: Automatic provisioning > Manage provisioning > Access tokens > Delete."""
        self.call(
            "DeleteBearerToken",
            {"IdentityStoreId": identity_store_id, "TenantId": tenant_id, "TokenId": token_id},
            f"{PROVISIONING_BOX} > Manage provisioning > Access tokens > Delete",
        )

    def disable_automatic_provisioning(self, identity_store_id: str, tenant_id: str) -> None:
        """Console: Settings > Identity source > Actions > Manage provisioning > method Manual."""
        self.call(
            "DeleteProvisioningTenant",
            {"IdentityStoreId": identity_store_id, "TenantId": tenant_id},
            "IAM Identity Center console > Settings > Identity source > Actions > Manage "
            "provisioning > change the provisioning method to Manual",
        )


# What this module sends and reads of each console operation (member path -> JSON type; "[]" walks a
# list). Every answer is checked against it before it is used (answer_mismatches); members in OPTIONAL
# may be absent and are checked only for their type. `./lab fidelity har FILE` compares it with a
# browser recording of the real console.
S, N, L = "string", "number", "array"
_TYPES = {S: (str,), N: (int, float), L: (list,)}
RELIED_ON: dict[str, dict[str, dict[str, str]]] = {
    "GetAWSSPConfigurationForDirectory": {
        "request": {"IdentityStoreId": S},
        "response": {f"SPConfiguration.{k}": S for k in ("EntityId", "AcsUrl", "SignInUrl", "MetadataXml")},
    },
    "ListExternalIdPConfigurationsForDirectory": {
        "request": {"IdentityStoreId": S},
        "response": {"ExternalIdPConfigurations": L}
        | {f"ExternalIdPConfigurations[].{k}": S for k in ("IdPId", "IdPEntityId", "IdPLoginUrl", "Status")},
    },
    "CreateExternalIdPConfigurationForDirectory": {
        "request": {"IdentityStoreId": S, "IdPMetadataXml": S},
        "response": {"IdPId": S},
    },
    "UpdateExternalIdPConfigurationForDirectory": {
        "request": {"IdentityStoreId": S, "IdPId": S, "IdPMetadataXml": S},
        "response": {},
    },
    **{
        f"{verb}ExternalIdPConfigurationForDirectory": {
            "request": {"IdentityStoreId": S, "IdPId": S},
            "response": {},
        }
        for verb in ("Enable", "Disable", "Delete")
    },
    "ListProvisioningTenants": {
        "request": {"IdentityStoreId": S},
        "response": {
            "ProvisioningTenants": L,
            "ProvisioningTenants[].TenantId": S,
            "ProvisioningTenants[].ScimEndpoint": S,
        },
    },
    "CreateProvisioningTenant": {
        "request": {"IdentityStoreId": S},
        "response": {"ProvisioningTenant.TenantId": S, "ProvisioningTenant.ScimEndpoint": S},
    },
    "DeleteProvisioningTenant": {"request": {"IdentityStoreId": S, "TenantId": S}, "response": {}},
    "CreateBearerToken": {
        "request": {"IdentityStoreId": S, "TenantId": S},
        "response": {"BearerToken.TokenId": S, "BearerToken.Token": S, "BearerToken.ExpirationTime": N},
    },
    "ListBearerTokens": {
        "request": {"IdentityStoreId": S, "TenantId": S},
        "response": {"BearerTokens": L, "BearerTokens[].TokenId": S, "BearerTokens[].ExpirationTime": N},
    },
    "DeleteBearerToken": {"request": {"IdentityStoreId": S, "TenantId": S, "TokenId": S}, "response": {}},
}

OPTIONAL: dict[str, set[str]] = {
    # saml-federate builds the access-portal URL when the answer has none (report_sign_in_url).
    "GetAWSSPConfigurationForDirectory": {"SPConfiguration.SignInUrl"},
    # Read only to decide whether a stored token must be replaced before it expires (scim_enable).
    "CreateBearerToken": {"BearerToken.ExpirationTime"},
    "ListBearerTokens": {"BearerTokens[].ExpirationTime"},
}


_MISSING, _NOT_OBJECT = object(), object()


def _values(document, path: str) -> list:
    """The values at ``path`` ("a.b", "a[].b": every element of list a): _MISSING for a member that is
    not there, _NOT_OBJECT where a member on the way is not an object (or not a list, for "[]")."""
    head, _, rest = path.partition(".")
    name = head[:-2] if head.endswith("[]") else head
    if not isinstance(document, dict):
        return [_NOT_OBJECT]
    if name not in document:
        return [_MISSING]
    value = document[name]
    if head.endswith("[]"):
        if not isinstance(value, list):
            return [_NOT_OBJECT]
        return [found for item in value for found in _values(item, rest)]
    return _values(value, rest) if rest else [value]


def _mismatch(path: str, kind: str, value, optional: bool) -> str | None:
    if value is _NOT_OBJECT:
        return f"member {path} is not reachable (a member on its way has another type)"
    if value is _MISSING or value is None:
        return None if optional else f"member {path} is missing"
    if isinstance(value, bool) or not isinstance(value, _TYPES[kind]):
        return f"member {path} is not of type {kind}"
    return None


def answer_mismatches(operation: str, answer) -> list[str]:
    """How ``answer`` differs from what RELIED_ON says this library reads of ``operation`` (member
    names and JSON types only, never a value)."""
    if not isinstance(answer, dict):
        return ["the answer is not a JSON object"]
    wrong = []
    for path, kind in RELIED_ON.get(operation, {}).get("response", {}).items():
        optional = path in OPTIONAL.get(operation, set())
        found = (_mismatch(path, kind, value, optional) for value in _values(answer, path))
        first = next((m for m in found if m), None)
        if first:
            wrong.append(first)
    return wrong
