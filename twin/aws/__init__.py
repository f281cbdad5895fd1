"""The AWS side of the twin: aws-commercial and aws-govcloud (see twin/README.md)."""
from twin.aws.accounts import AWS_ENDPOINT_HOST, load, write_client_files
from twin.core.env import export
from twin.core.paths import ADMIN_HOST

HOME_REGIONS = {"us-east-1": "aws", "us-gov-west-1": "aws-us-gov"}


def _regional_hosts(region: str) -> list[str]:
    return [f"{name}.{region}.amazonaws.com"
            for name in ("sso", "up.sso", "identitystore", "sts", "secretsmanager", "organizations")]


GLOBAL_HOSTS = ("iam.amazonaws.com", "iam.us-gov.amazonaws.com", "sts.amazonaws.com",
                "organizations.us-east-1.amazonaws.com")


def register(router, context) -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from twin.aws import iam_principals, s3
    from twin.aws.gateway import AwsGateway
    from twin.aws.iam_admin import PREFIX, IamAdminApp
    from twin.aws.saml_acs import SamlAcsApp
    from twin.aws.scim.app import ScimApp
    from twin.aws.sp_config import acs_hosts, scim_host
    from twin.aws.state import AwsState, create_directories
    from twin.aws.token_admin import PREFIX as TOKEN_ADMIN_PREFIX
    from twin.aws.token_admin import TokenAdminApp

    state = AwsState(load(context.state_dir))
    create_directories(state)
    iam_principals.install_all(state.accounts)
    context.data["aws"] = state
    router.add(ADMIN_HOST, IamAdminApp(state), path_prefix=PREFIX)
    router.add(ADMIN_HOST, TokenAdminApp(state), path_prefix=TOKEN_ADMIN_PREFIX)
    s3.configure()
    moto_app = DomainDispatcherApplication(create_backend_app)
    gateway = s3.BucketHosts(AwsGateway(state, context.faults, moto_app), context)
    router.add(AWS_ENDPOINT_HOST, gateway)
    router.add(s3.BUCKET_HOSTS, gateway)
    for host in GLOBAL_HOSTS:
        router.add(host, gateway)
    scim = ScimApp(state, context.faults)
    acs = SamlAcsApp(state)
    context.data["aws-sign-ins"] = acs.sign_ins
    for region, partition in HOME_REGIONS.items():
        for host in acs_hosts(region, partition):
            router.add(host, acs)
        for host in _regional_hosts(region):
            router.add(host, gateway)
        router.add(scim_host(region, partition), scim)


def inventory(context) -> dict:
    from twin.aws.inventory_report import inventory as collect
    return collect(context.data["aws"])


def reset(context) -> None:
    from twin.aws.reset_state import reset as reset_state
    reset_state(context.data["aws"])


def env_lines(context) -> list[str]:
    config, credentials = write_client_files(context.state_dir, load(context.state_dir))
    bundle = str(context.state_dir / "ca-bundle.pem")
    return [export("AWS_CONFIG_FILE", str(config)), export("AWS_SHARED_CREDENTIALS_FILE", str(credentials)),
            export("AWS_CA_BUNDLE", bundle)]
