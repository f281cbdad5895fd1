package io.entraidc

import com.cloudbees.groovy.cps.NonCPS

/**
 * A terraform destroy that failed on the aws provider's re-provisioning of a permission set. Deleting
 * an inline policy or a managed-policy attachment re-provisions the permission set to every account it
 * is provisioned to (provisionPermissionSet in the provider's internal/service/ssoadmin/permission_set.go);
 * right after the last account assignment went, that request can end FAILED ("Received a 404 status
 * error: … not found"), and the destroy stops with the policy still in the state
 * (hashicorp/terraform-provider-aws#35158 and #33337, open; the depends_on order alone is reported not
 * to prevent it). A second destroy finds nothing left to re-provision and completes.
 */
class DestroyRecovery implements Serializable {
    static final String WHY = "the aws provider's re-provisioning of a permission set ended FAILED right after its " +
            'last account assignment was deleted (hashicorp/terraform-provider-aws#35158, #33337); nothing is ' +
            'provisioned any more, so destroying once more'

    /** True when {@code output}, what one destroy printed, failed on that re-provisioning. */
    @NonCPS
    static boolean reprovisioningFailed(String output) {
        return (output =~ /(?s)Error: waiting for SSO Permission Set \([^)]*\) provision: unexpected state 'FAILED'/).find()
    }
}
