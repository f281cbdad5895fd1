"""Back to the state right after start: moto emptied, the same Identity Center instances."""
from moto.core.base_backend import BackendDict
from moto.ssoadmin.models import ssoadmin_backends

from twin.aws.iam_principals import install_all
from twin.aws.state import AwsState


def reset(state: AwsState) -> None:
    from moto.core.model_instances import reset_model_data
    with state.lock:
        BackendDict.reset()
        reset_model_data()
        for directory in state.directories.values():
            account = directory.account
            instance = ssoadmin_backends[account.account_id][account.region].instances[0]
            instance.instance_arn = directory.instance_arn
            instance.identity_store_id = directory.identity_store_id
            directory.external_idps.clear()
            directory.tenants.clear()
        state.external_ids.clear()
        state.scim_extras.clear()
        state.tags.clear()
        state.provisioning_requests.clear()
        state.access_control_attributes.clear()
        state.assignment_requests.clear()
        install_all(state.accounts)
