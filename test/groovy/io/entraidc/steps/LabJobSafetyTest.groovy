package io.entraidc.steps

import io.entraidc.harness.AbortException
import io.entraidc.harness.CurrentBuild
import io.entraidc.harness.FlowInterruptedException
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * The lab Jenkinsfile under Jenkins' real time limits and triggers, with the fake tools of
 * StepResultsTest (no cloud): a setup that runs out of time still gets a complete teardown in
 * post (no pipeline-wide timeout covers post; each stage and the post teardown have their own),
 * and only a build started by hand, or the nightly timer on the default branch, changes the
 * accounts. The same with the twin: LabJobTeardownEndToEndTest.
 */
class LabJobSafetyTest {
    static final Map NIGHTLY = [ACTION: 'rebuild', PARTITIONS: 'both', PLAN_ONLY: false, ABAC: false,
                                STATE_BACKEND: 'local', STATE_BUCKET: '']

    @Test
    void timeLimitsAreStagesAndPostTeardownsOwn() {
        PipelineHarness h = LabJobTest.harness(NIGHTLY)
        h.runJenkinsfile(LabJobTest.JENKINSFILE)
        assertEquals([], h.declaredOptions.findAll { it.option == 'timeout' }, 'a pipeline-wide timeout also covers post')
        List<String> stagesWithTimeouts = h.stepCalls.findAll { it.step == 'timeout' }*.args*.time
        assertTrue(h.stepCalls.any { it.step == 'timeout' && it.args.time == 90 }, "${stagesWithTimeouts}")
    }

    @Test
    void aSetupThatRunsOutOfTimeIsStillTornDownCompletely() {
        File signals = File.createTempFile('signals', '.txt')
        PipelineHarness h = LabJobTest.harness(NIGHTLY, [FAKE_SLOW: 'apply', FAKE_SLOW_SECONDS: '60',
                                                         FAKE_SIGNAL_FILE: signals.path])
        // The outermost limit around the SAML setup runs out while Terraform applies: the stage's
        // own (a pipeline-wide timeout, which would also cover post, in a Jenkinsfile that had one).
        h.timeOutAt(outermost: true) { call -> call.name == 'sh' && call.args[0] instanceof Map && call.args[0].label == 'entraSamlSetup › apply saml' }
        h.timeouts.graceMillis = 2000
        long started = System.currentTimeMillis()
        assertThrows(FlowInterruptedException) { h.runJenkinsfile(LabJobTest.JENKINSFILE) }
        assertEquals('ABORTED', h.currentBuild.currentResult)
        assertTrue(signals.text.contains('terraform apply: got SIGTERM'), 'the running apply was sent SIGTERM')
        assertEquals(['SCIM provisioning', 'Drift check', 'Teardown'], h.skippedStages)
        ['teardown', 'destroy', 'sweep'].each { String phase ->
            assertTrue(h.log.lines.any { it.startsWith("[entraTeardown › ${phase} › all] finished in") }, "${phase}:\n${h.log.text}")
        }
        assertTrue(System.currentTimeMillis() - started < 50000, 'the apply was interrupted, not waited for')
    }

    /**
     * Restart from Stage would rerun the Jenkinsfile from a later stage, skipping "Check
     * parameters": lab stays null and the next stage's when throws. The job disables it.
     */
    @Test
    void restartFromAStageIsRefused() {
        PipelineHarness h = LabJobTest.harness(NIGHTLY)
        h.restartFromStage = 'SAML setup'
        AbortException e = assertThrows(AbortException) { h.runJenkinsfile(LabJobTest.JENKINSFILE) }
        assertEquals('not allowed to restart', e.message)
        assertEquals([], h.stepCalls.findAll { it.step == 'sh' }, 'a restarted build ran')
    }

    @Test
    void branchIndexingOnlyPlans() {
        PipelineHarness h = LabJobTest.harness(NIGHTLY)
        h.baseEnvironment.BRANCH_NAME = 'feature-x'
        h.currentBuild.causes = [[_class: CurrentBuild.BRANCH_INDEXING_CAUSE, shortDescription: 'Branch indexing']]
        h.runJenkinsfile(LabJobTest.JENKINSFILE)
        assertEquals('', h.declarativeModel.triggers[0].spec, 'no nightly run on a branch')
        assertTrue(h.log.lines.contains('Branch indexing on branch feature-x: plan only (start the build by hand to change the accounts)'),
                h.log.text)
        assertFalse(h.log.lines.any { it.startsWith('[entraSamlSetup › apply saml') }, 'a branch build applied')
        assertFalse(h.log.lines.any { it.startsWith('[entraTeardown ') }, 'a plan-only build tore down')
    }

    @Test
    void theNightlyTimerRebuildsOnTheDefaultBranchOnly() {
        PipelineHarness main = LabJobTest.harness(NIGHTLY)
        main.baseEnvironment.putAll([BRANCH_NAME: 'main', BRANCH_IS_PRIMARY: 'true'])
        main.currentBuild.causes = [[_class: CurrentBuild.TIMER_CAUSE, shortDescription: 'Started by timer']]
        main.runJenkinsfile(LabJobTest.JENKINSFILE)
        assertEquals('H 2 * * *', main.declarativeModel.triggers[0].spec)
        assertTrue(main.log.lines.any { it.startsWith('[entraSamlSetup › apply saml › all] finished in') }, main.log.text)

        PipelineHarness branch = LabJobTest.harness(NIGHTLY)
        branch.baseEnvironment.BRANCH_NAME = 'feature-x'
        branch.currentBuild.causes = [[_class: CurrentBuild.TIMER_CAUSE, shortDescription: 'Started by timer']]
        branch.runJenkinsfile(LabJobTest.JENKINSFILE)
        assertFalse(branch.log.lines.any { it.startsWith('[entraSamlSetup › apply saml') }, branch.log.text)
    }

    @Test
    void aBranchBuildStartedByHandDoesWhatItIsAsked() {
        PipelineHarness h = LabJobTest.harness(NIGHTLY)
        h.baseEnvironment.BRANCH_NAME = 'feature-x'
        h.runJenkinsfile(LabJobTest.JENKINSFILE)
        assertTrue(h.log.lines.any { it.startsWith('[entraTeardown › destroy › all] finished in') }, h.log.text)
    }
}
