"""What the script commands work on, found without inputs: the hardcoded accounts, this library's
Entra application per account and its test users (names as in the Terraform module's locals.tf)."""

from dataclasses import dataclass

from . import aws
from .entra_apps import owned_application
from .entra_directory import default_domain, service_principal_of, user_by_upn
from .errors import EntraIdcError
from .marker import user_is_marked

APP_DISPLAY_NAME = "AWS IAM Identity Center ({nickname})"
NIKKI, RICH = "NikkiWolf", "RichRoe"


def selected_accounts(args) -> list[aws.AwsAccount]:
    names = getattr(args, "account", None) or list(aws.ACCOUNTS)
    return [aws.account(name) for name in dict.fromkeys(names)]


@dataclass
class EntraApp:
    display_name: str
    app: dict
    sp: dict


def entra_app(graph, nickname: str, marker: str, required: bool = True) -> EntraApp | None:
    name = APP_DISPLAY_NAME.format(nickname=nickname)
    # Teardown (required=False) passes over an application of the same name that is not ours.
    app = owned_application(graph, name, marker, refuse_foreign=required)
    if app is None:
        if required:
            raise EntraIdcError(
                f"Entra application {name!r} does not exist: run entraSamlSetup (the Terraform "
                "SAML phase) first.",
                account="azure-id",
            )
        return None
    sp = service_principal_of(graph, app["appId"], retry_not_found=True)
    return EntraApp(name, app, sp)


def entra_user(
    graph, name: str, marker: str, domain: str | None = None, required: bool = True
) -> dict | None:
    upn = f"{name}@{domain or default_domain(graph)}"
    user = user_by_upn(graph, upn)
    if user is not None and not user_is_marked(user, marker):
        raise EntraIdcError(f"user {upn} was not created by {marker}", account="azure-id")
    if user is None and required:
        raise EntraIdcError(
            f"Entra user {upn} does not exist: apply the Terraform module with enable_scim=true first.",
            account="azure-id",
        )
    return user
