package io.entraidc.steps

import io.entraidc.harness.AbortException
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * The lab Jenkinsfile with stand-ins for the Terraform CLI and the automation
 * (test/fixtures/fake-tools, see StepResultsTest), so no cloud is needed: its job parameters are
 * checked before any stage acts, and every build ends with a description.
 */
class LabJobTest {
    static final File ROOT = new File(System.getProperty('entraidc.root', '.')).canonicalFile
    static final File JENKINSFILE = new File(ROOT, 'Jenkinsfile')
    static final String OUTPUTS = '{"aws_accounts":{"sensitive":false,"type":"object","value":{' +
            '"aws-commercial":{"access_portal_url":"https://d-1.awsapps.com/start"},' +
            '"aws-govcloud":{"access_portal_url":"https://start.us-gov-home.awsapps.com/directory/d-2"}}}}'

    static PipelineHarness harness(Map params, Map<String, String> fakes = [:]) {
        PipelineHarness h = StepResultsTest.harness([FAKE_OUTPUTS: OUTPUTS] + fakes)
        h.params = params
        return h
    }

    @Test
    void anUndeclaredOrUnknownJobParameterEndsTheBuildNamingItBeforeAnythingRuns() {
        // PARTITIONS as the job would read it if it did not declare it; STATE_BACKEND a typo.
        PipelineHarness h = harness([ACTION: 'rebuild', PARTITIONS: null, PLAN_ONLY: false, ABAC: 'yes',
                                     STATE_BACKEND: 'S3', STATE_BUCKET: ''])
        AbortException e = assertThrows(AbortException) { h.runJenkinsfile(JENKINSFILE) }
        assertTrue(e.message.contains("job parameter 'PARTITIONS' must be one of [both, aws-commercial, aws-govcloud], not unset (the job does not declare it)"), e.message)
        assertTrue(e.message.contains("job parameter 'STATE_BACKEND' must be one of [local, s3], not 'S3'"), e.message)
        assertTrue(e.message.contains("job parameter 'ABAC' must be true or false, not 'yes'"), e.message)
        assertEquals([e.message], h.stepCalls.findAll { it.step == 'error' }*.args, 'ended by the error step (no stack trace in Jenkins)')
        assertEquals([], h.stepCalls.findAll { it.step == 'sh' }, 'a shell ran before the parameters were checked')
        assertEquals('FAILURE', h.currentBuild.currentResult)
        assertEquals('parameters refused: nothing was run (see the log)', h.currentBuild.description)
    }

    @Test
    void theJobDeclaresExactlyTheChoicesItAccepts() {
        PipelineHarness h = harness([:])
        h.runJenkinsfile(JENKINSFILE)
        Map<String, List> choices = h.declarativeModel.parameters.findAll { it.type == 'choice' }
                .collectEntries { [(it.name): it.choices] }
        assertEquals([ACTION       : io.entraidc.LabParameters.ACTIONS, PARTITIONS: io.entraidc.LabParameters.PARTITIONS,
                      STATE_BACKEND: io.entraidc.LabParameters.STATE_BACKENDS], choices)
    }

    @Test
    void aRebuildDescribesActionAccountsChecksAndPortals() {
        PipelineHarness h = harness([:])
        h.runJenkinsfile(JENKINSFILE)
        assertEquals('SUCCESS', h.currentBuild.currentResult, h.log.text)
        // Each verify of the fake automation reports one passing check (SAML, then SCIM).
        assertEquals('rebuild: aws-commercial, aws-govcloud, azure-id\n' +
                'checks: 2/2 passed\n' +
                'aws-commercial access portal: https://d-1.awsapps.com/start\n' +
                'aws-govcloud access portal: https://start.us-gov-home.awsapps.com/directory/d-2',
                h.currentBuild.description)
    }

    /** junit's TestResultSummary.totalCount includes skipped tests: a skipped check is not a passed one. */
    @Test
    void skippedChecksAreNotCountedAsPassed() {
        PipelineHarness h = harness([ACTION: 'setup', PARTITIONS: 'aws-govcloud', PLAN_ONLY: false, ABAC: true,
                                     STATE_BACKEND: 'local', STATE_BUCKET: ''], [FAKE_VERIFY: 'skipped-check'])
        h.runJenkinsfile(JENKINSFILE)
        assertTrue(h.currentBuild.description.startsWith('setup: aws-govcloud, azure-id\nchecks: 1/2 passed, 1 skipped\n'),
                h.currentBuild.description)
    }

    @Test
    void aBuildThatStoppedBeforeTheParameterCheckIsNotDescribedAsRefused() {
        assertEquals('stopped before its parameters were checked: nothing was run (see the log)',
                io.entraidc.BuildDescription.of(null, [:], false))
        assertEquals('parameters refused: nothing was run (see the log)', io.entraidc.BuildDescription.of(null, [:], true))
    }

    @Test
    void planOnlyRebuildAndScimPlanTheScimPhaseToo() {
        ['rebuild', 'scim'].each { String action ->
            PipelineHarness h = harness([ACTION: action, PARTITIONS: 'both', PLAN_ONLY: true, ABAC: false,
                                         STATE_BACKEND: 'local', STATE_BUCKET: ''])
            h.runJenkinsfile(JENKINSFILE)
            assertEquals('SUCCESS', h.currentBuild.currentResult, h.log.text)
            assertTrue(h.log.lines.any { it.startsWith('[entraScimEnable › plan scim › all] finished in') }, "${action}:\n${h.log.text}")
            assertFalse(h.log.lines.any { it.startsWith('[entraScimEnable › apply') }, "${action} applied:\n${h.log.text}")
        }
    }

    @Test
    void aFailedBuildIsDescribedTooWithTheChecksThatFailed() {
        PipelineHarness h = harness([ACTION: 'setup', PARTITIONS: 'aws-govcloud', PLAN_ONLY: false, ABAC: true,
                                     STATE_BACKEND: 'local', STATE_BUCKET: ''], [FAKE_VERIFY: 'failed-checks'])
        h.runJenkinsfile(JENKINSFILE)
        assertEquals('UNSTABLE', h.currentBuild.currentResult, h.log.text)
        assertTrue(h.currentBuild.description.startsWith('setup: aws-govcloud, azure-id\nchecks: 1/2 passed\n'),
                h.currentBuild.description)
    }
}
