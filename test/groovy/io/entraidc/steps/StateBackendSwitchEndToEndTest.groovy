package io.entraidc.steps

import io.entraidc.harness.AbortException
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * One persistent workspace whose builds change STATE_BACKEND, as a lab job's do when someone tries
 * S3 and goes back: local → s3 → local, real OpenTofu against the twin's S3. A local setup leaves
 * resources in the local state, so the s3 build is refused in prepare, naming the migration, and
 * changes nothing; after a local teardown the s3 build runs; the next local build in the same
 * workspace re-initialises for the local backend (without the fix it kept the S3 backend block
 * and the recorded backend, and stopped at init).
 */
@Tag('e2e')
class StateBackendSwitchEndToEndTest {
    static final String BUCKET = 'entra-idc-switch-state'
    static final File JENKINSFILE = new File(LifecycleEndToEndTest.ROOT, 'Jenkinsfile')

    static Map params(String action, String backend, boolean planOnly) {
        return [ACTION: action, PARTITIONS: 'aws-govcloud', PLAN_ONLY: planOnly, ABAC: false, STATE_BACKEND: backend,
                STATE_BUCKET: backend == 's3' ? BUCKET : '']
    }

    static PipelineHarness build(PipelineHarness h, Map params) {
        return S3StateAcrossAgentsEndToEndTest.build(h, params)
    }

    @Test
    void localThenS3ThenLocalInOneWorkspace() {
        Twin.start()
        Twin.reset()
        Map before = Twin.liveInventory()
        S3StateAcrossAgentsEndToEndTest.s3("s3.create_bucket(Bucket='${BUCKET}')")

        PipelineHarness setup = build(LifecycleEndToEndTest.harness(), params('setup', 'local', false))
        File work = new File(setup.workspace, '.entraidc/terraform')
        assertTrue(new File(work, 'terraform.tfstate').text.contains('"resources"'), 'the local setup recorded nothing')

        PipelineHarness refused = setup.nextBuild()
        refused.params = params('setup', 's3', false)
        AbortException e = assertThrows(AbortException) { refused.runJenkinsfile(JENKINSFILE) }
        assertTrue(e.message.contains("records ") && e.message.contains("stateBackend 's3' would leave them behind"), e.message)
        assertTrue(e.message.contains('terraform init -migrate-state'), e.message)
        assertFalse(refused.log.lines.any { it.startsWith('[entraSamlSetup › preflight') }, 'it went on after prepare')
        assertFalse(new File(work, 'entraidc_backend.tf').exists())

        PipelineHarness teardown = build(refused.nextBuild(), params('teardown', 'local', false))
        assertEquals(before, Twin.liveInventory(), 'the local teardown left objects behind')

        PipelineHarness s3 = build(teardown.nextBuild(), params('setup', 's3', true))
        assertTrue(s3.log.lines.any { it.contains('this run uses s3 entra-idc-switch-state/entra-idc/terraform.tfstate: re-initialising') }, s3.log.text)
        assertTrue(new File(work, 'entraidc_backend.tf').exists())

        PipelineHarness local = build(s3.nextBuild(), params('setup', 'local', true))
        assertFalse(new File(work, 'entraidc_backend.tf').exists(), 'the S3 backend block stayed')
        assertTrue(local.log.lines.any { it.contains('backend, this run uses local: removing that record') }, local.log.text)
        assertTrue(local.log.lines.any { it.startsWith('[entraSamlSetup › plan saml › all] finished in') }, local.log.text)
        File record = new File(work, '.terraform/terraform.tfstate')
        assertFalse(record.exists() && record.text.contains('"s3"'), 'init still records the S3 backend')
        assertEquals(before, Twin.liveInventory())
    }
}
