package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * Issue 19 point 5: the aws provider's destroy deletes the inline policy and the managed-policy
 * attachment after the last account assignment, and each delete re-provisions the permission set;
 * that request can end FAILED ("Received a 404 status error: Assignment not found.",
 * hashicorp/terraform-provider-aws#35158, #33337), stopping the destroy. The twin's overwrite fault
 * turns one DescribePermissionSetProvisioningStatus answer FAILED. entraTeardown must destroy once
 * more on that exact error, say why, and leave the baseline.
 */
@Tag('e2e')
class DestroyReprovisioningEndToEndTest {
    static final String FAILED = '{"Status": "FAILED", "FailureReason": "Received a 404 status error: Assignment not found."}'

    @Test
    void aFailedReprovisioningDuringDestroyIsDestroyedOnceMore() {
        LifecycleEndToEndTest.twinRuns()
        Map baseline = Twin.liveInventory()
        try {
            PipelineHarness setup = LifecycleEndToEndTest.harness()
            setup.runStep('entraSamlSetup', [:])
            assertEquals('SUCCESS', setup.currentBuild.currentResult, setup.log.text)

            String rule = Twin.fault('sso-admin', 'DescribePermissionSetProvisioningStatus', 'overwrite', 1,
                    [member: 'PermissionSetProvisioningStatus', value: FAILED])
            PipelineHarness teardown = setup.nextBuild()
            teardown.runStep('entraTeardown', [:])
            assertEquals('SUCCESS', teardown.currentBuild.currentResult, teardown.log.text)
            assertEquals(1, Twin.faults()[rule].fired, 'the FAILED status was never answered: this run proves nothing')
            List<String> lines = teardown.log.outputLines
            assertTrue(lines.any { it.startsWith('[entraTeardown › destroy › ') && it.contains("unexpected state 'FAILED'") },
                    "the first destroy did not meet the FAILED re-provisioning:\n${teardown.log.text}")
            String explained = lines.find { it.startsWith("[entraTeardown › destroy › all] the aws provider's re-provisioning") }
            assertNotNull(explained, teardown.log.text)
            println "checked: the failed re-provisioning is explained: ${explained}"
            int destroys = lines.count { it ==~ /^\[entraTeardown › destroy › all\] started/ }
            assertEquals(2, destroys, "expected one destroy and one more:\n${teardown.log.text}")
            assertEquals(baseline, Twin.liveInventory(), 'the teardown left something behind')
            println 'checked: entraTeardown destroyed once more and left the twin as it was before the setup'
        } finally {
            Twin.clearFaults()
            Twin.reset()
        }
    }
}
