package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * The lab job's drift-check action against the twin, with real OpenTofu, providers and Python:
 * quiet on an unchanged lab; UNSTABLE, naming the resource, after a change made behind
 * Terraform's back (`plan -detailed-exitcode` answers 2, https://opentofu.org/docs/cli/commands/plan/).
 */
@Tag('e2e')
class DriftCheckEndToEndTest {
    static final File ROOT = LifecycleEndToEndTest.ROOT
    static final String DRIFTED = 'module.aws_govcloud[0].aws_ssoadmin_permission_set.this["RegionalAdmin"] [update]'

    /** RegionalAdmin's description changed in the console, say. */
    static void changeRegionalAdminByHand() {
        String script = '''
import boto3
admin = boto3.Session(profile_name="aws-govcloud").client("sso-admin")
instance = admin.list_instances()["Instances"][0]["InstanceArn"]
for arn in admin.list_permission_sets(InstanceArn=instance)["PermissionSets"]:
    if admin.describe_permission_set(InstanceArn=instance, PermissionSetArn=arn)["PermissionSet"]["Name"] == "RegionalAdmin":
        admin.update_permission_set(InstanceArn=instance, PermissionSetArn=arn, Description="changed by hand",
                                    SessionDuration="PT1H")
'''
        ProcessBuilder builder = new ProcessBuilder(new File(Twin.CACHE, 'venv/bin/python').path, '-c', script)
        builder.environment().putAll(Twin.environment())
        Process process = builder.redirectErrorStream(true).start()
        String out = process.inputStream.text
        assertEquals(0, process.waitFor(), out)
    }


    /**
     * The twin's inventory without Entra's recycle bin: a deleted user stays there when the
     * login is app-only, which may not purge it (the twin answers 403 as Graph documents;
     * test/python/test_azure_findings_twin.py).
     */
    static Map liveObjects() {
        Map inventory = Twin.inventory()
        ((Map) inventory['azure-id']).remove('deletedItems')
        return inventory
    }

    @Test
    void driftCheckIsQuietOnAnUnchangedLabAndUnstableNamingWhatDrifted() {
        Twin.start()
        Twin.reset()
        Map before = liveObjects()
        PipelineHarness h = LifecycleEndToEndTest.harness()
        try {
            h.runStep('entraSamlSetup', [partitions: ['aws-govcloud']])
            Map quiet = (Map) h.runStep('entraSamlSetup', [partitions: ['aws-govcloud'], driftCheck: true])
            assertEquals([], quiet.drift, h.log.text)
            assertEquals('SUCCESS', h.currentBuild.currentResult, h.log.text)

            changeRegionalAdminByHand()
            h.params = [ACTION: 'drift-check', PARTITIONS: 'aws-govcloud', PLAN_ONLY: false, ABAC: false]
            h.runJenkinsfile(new File(ROOT, 'Jenkinsfile'))
            assertEquals('UNSTABLE', h.currentBuild.currentResult, h.log.text)
            assertEquals(['Check parameters', 'Drift check'], h.stages.findAll { !it.contains(':') }, h.log.text)
            assertTrue(h.log.lines.any {
                it.startsWith('[entraSamlSetup › drift check › all] drift: 1 resources differ') && it.contains(DRIFTED)
            }, h.log.text)
        } finally {
            h.runStep('entraTeardown', [partitions: ['aws-govcloud']])
        }
        assertEquals(before, liveObjects(), 'teardown left objects behind')
    }
}
