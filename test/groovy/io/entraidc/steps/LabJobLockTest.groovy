package io.entraidc.steps

import io.entraidc.harness.FlowInterruptedException
import io.entraidc.harness.LockRegistry
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * One lock for a whole rebuild (issue 10, point 6): the lab job holds the tenant lock from its
 * first stage through the teardown in post, as a pipeline-level lock option does in Declarative
 * (it wraps stages and post); the steps inside see it in ENTRAIDC_LOCK and do not ask again
 * (lockable-resources' lock is not re-entrant: the harness fails a second request with
 * LockReentryError); a step run on its own still takes the lock; and a second lab build waits
 * for the first one's whole rebuild. Fake tools (StepResultsTest), so no cloud is needed.
 */
class LabJobLockTest {
    static final String RESOURCE = io.entraidc.EntraRun.LOCK_RESOURCE
    static final String ASKED = "Trying to acquire lock on [Resource: ${RESOURCE}]"
    static final String RELEASED = "Lock released on resource [Resource: ${RESOURCE}]"

    @Test
    void aRebuildHoldsTheTenantLockFromTheFirstStageThroughTheTeardownInPost() {
        PipelineHarness h = LabJobTest.harness([:])
        h.runJenkinsfile(LabJobTest.JENKINSFILE)
        assertEquals('SUCCESS', h.currentBuild.currentResult, h.log.text)
        List<String> lines = h.log.lines
        assertEquals(1, lines.count { it == ASKED }, h.log.text)
        int acquired = lines.indexOf(ASKED)
        int released = lines.indexOf(RELEASED)
        assertTrue(acquired < lines.findIndexOf { it.startsWith('[entraSamlSetup › ') }, h.log.text)
        assertTrue(released > lines.findLastIndexOf { it.startsWith('[entraTeardown › ') }, h.log.text)
        ['entraSamlSetup', 'entraScimEnable', 'entraTeardown'].each { String step ->
            assertTrue(lines.contains("[${step} › lock › all] the build holds ${RESOURCE} already (ENTRAIDC_LOCK); not asking for it again".toString()),
                    "${step}:\n${h.log.text}")
        }
        assertFalse(h.lockRegistry.isHeld(RESOURCE))
    }

    @Test
    void aStepOnItsOwnStillTakesTheLock() {
        PipelineHarness h = StepResultsTest.harness()
        h.runStep('entraSamlSetup', [:])
        assertTrue(h.log.lines.contains("Lock acquired on [Resource: ${RESOURCE}]".toString()), h.log.text)
        assertFalse(h.log.lines.any { it.contains('not asking for it again') }, h.log.text)
    }

    /**
     * The natural Declarative lock of the lockable-resources README, without ENTRAIDC_LOCK: the step
     * asks for the lock its build holds and waits for itself (the lock is not re-entrant). The
     * step's time limit bounds that wait and the step names the cause. The limit is made to run
     * out one second into the wait (timeOutAt), as timeoutMinutes would after an hour.
     */
    @Test
    void aStepWaitingForALockItsOwnBuildHoldsStopsAtItsTimeLimitNamingTheCause() {
        PipelineHarness h = StepResultsTest.harness()
        h.timeOutAt { call -> call.name == 'lock' }
        h.timeouts.graceMillis = 2000
        String pipeline = """
pipeline {
    agent any
    options { lock('${RESOURCE}') }
    stages { stage('Teardown') { steps { script { entraTeardown() } } } }
}"""
        assertThrows(FlowInterruptedException) { h.runScript(pipeline) }
        assertEquals('ABORTED', h.currentBuild.currentResult)
        String cause = h.log.lines.find { it.startsWith('[entraTeardown › lock › all] stopped after waiting ') }
        assertNotNull(cause, h.log.text)
        assertTrue(cause.contains("lock(resource: '${RESOURCE}', variable: 'ENTRAIDC_LOCK')"), cause)
        assertFalse(h.log.lines.any { it.startsWith('[entraTeardown › prepare') }, 'the step ran without the lock')
        assertFalse(h.lockRegistry.isHeld(RESOURCE))
    }

    @Test
    void aSecondLabBuildWaitsForTheFirstOnesWholeRebuild() {
        RecordingLockRegistry registry = new RecordingLockRegistry()
        PipelineHarness first = labBuild('lab', registry, [FAKE_PREFLIGHT_SECONDS: '1.5'])
        PipelineHarness second = labBuild('lab-copy', registry, [:])
        Thread a = Thread.start { first.runJenkinsfile(LabJobTest.JENKINSFILE) }
        long deadline = System.currentTimeMillis() + 60_000
        while (!registry.isHeld(RESOURCE) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20)
        }
        assertTrue(registry.isHeld(RESOURCE), 'the first build never took the lock')
        second.runJenkinsfile(LabJobTest.JENKINSFILE)
        a.join()
        assertEquals(['lab acquired', 'lab released', 'lab-copy acquired', 'lab-copy released'], registry.events)
        assertTrue(second.log.lines.contains("[Resource: ${RESOURCE}] is not free, waiting for execution ...".toString()), second.log.text)
        assertTrue(first.log.lines.findLastIndexOf { it.startsWith('[entraTeardown › ') } < first.log.lines.indexOf(RELEASED), first.log.text)
        assertEquals('SUCCESS', first.currentBuild.currentResult, first.log.text)
        assertEquals('SUCCESS', second.currentBuild.currentResult, second.log.text)
    }

    private static PipelineHarness labBuild(String job, LockRegistry registry, Map<String, String> fakes) {
        PipelineHarness h = new PipelineHarness(libraryRoot: LabJobTest.ROOT, jobName: job, lockRegistry: registry)
        StepResultsTest.useFakeTools(h, [FAKE_OUTPUTS: LabJobTest.OUTPUTS] + fakes)
        h.params = [:]
        return h
    }
}
