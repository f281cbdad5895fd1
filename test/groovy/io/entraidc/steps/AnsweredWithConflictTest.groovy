package io.entraidc.steps

import io.entraidc.EntraRun
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * EntraRun.createAnsweredWithConflict on the aws provider's own error messages for a create answered
 * twice, as OpenTofu printed them in test_duplicate_creates_twin.py's runs against the twin (aws
 * provider 6.48.0, max_retries 10): those are followed by one more sweep, plan and apply; other
 * failures are not.
 */
class AnsweredWithConflictTest {
    static final String POLICY = 'arn:aws-us-gov:iam::aws:policy/AdministratorAccess'
    static final String SET = 'arn:aws-us-gov:sso:::instance/ssoins-zdotj8ikaxj21tn6/ps-wbheufipcc1jagcu'
    static final String ATTEMPTS = 'exceeded maximum number of attempts, 10, https response error StatusCode: 400, ' +
            'RequestID: 6f5d04fc-b04e-4979-a65c-7dfa0d3976ba'

    @Test
    void anAttachAnsweredWithAConflictIsRecoveredFrom() {
        String output = """\
            |module.aws_govcloud[0].aws_ssoadmin_managed_policy_attachment.administrator_access: Creating...
            |╷
            |│ Error: attaching Managed Policy (${POLICY}) to SSO Permission Set (${SET}): operation error SSO Admin: AttachManagedPolicyToPermissionSet, ${ATTEMPTS}, ConflictException: Permission set with id ps-wbheufipcc1jagcu already has a typed link attachment to a manged policy with ${POLICY}
            |│
            |│   with module.aws_govcloud[0].aws_ssoadmin_managed_policy_attachment.administrator_access,
            |""".stripMargin()
        assertTrue(EntraRun.createAnsweredWithConflict(output))
    }

    @Test
    void aPermissionSetAnsweredWithAConflictIsRecoveredFrom() {
        String output = "│ Error: creating SSO Permission Set (RegionalAdmin): operation error SSO Admin: CreatePermissionSet, " +
                "${ATTEMPTS}, ConflictException: PermissionSet with name RegionalAdmin already exists."
        assertTrue(EntraRun.createAnsweredWithConflict(output))
    }

    @Test
    void anAttachFoundAttachedByThePlanIsNotAConflictOfThisApply() {
        // The provider's own check before attaching: nothing was answered twice in this apply.
        String output = "│ Error: attaching Managed Policy (${POLICY}) to SSO Permission Set (${SET}): already attached"
        assertFalse(EntraRun.createAnsweredWithConflict(output))
        assertFalse(EntraRun.createAnsweredWithConflict('│ Error: creating SSO Account Assignment for USER (u-1): AccessDeniedException'))
    }
}
