package io.entraidc.harness

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * lock as lockable-resources' LockStepExecution.java runs it (jenkinsci/lockable-resources-plugin):
 * a second build waits for the first one's resource ("[Resource: X] is not free, waiting for
 * execution ..."), and a build that asks again for a resource it holds is queued behind itself.
 */
class LockStepTest {
    @Test
    void aSecondBuildWaitsForTheFirstOnesResource() {
        PipelineHarness first = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        PipelineHarness second = first.concurrentBuild()
        List<String> events = Collections.synchronizedList([])
        Thread a = Thread.start {
            first.runScript("lock('tenant') { sleep(time: 2, unit: 'SECONDS') }")
            events << 'first released'
        }
        Thread.sleep(500)
        second.runScript("lock(resource: 'tenant') { echo 'second has it' }")
        events << 'second done'
        a.join()
        assertEquals(['first released', 'second done'], events)
        assertTrue(second.log.lines.contains('[Resource: tenant] is not free, waiting for execution ...'), second.log.text)
        assertTrue(second.log.lines.indexOf('Lock acquired on [Resource: tenant]') < second.log.lines.indexOf('second has it'))
    }

    @Test
    void askingAgainForAHeldResourceFailsNamingItInsteadOfHanging() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        LockReentryError e = assertThrows(LockReentryError) {
            h.runScript("lock('entra-idc-azure-identity-provider') { lock('entra-idc-azure-identity-provider') { echo 'never' } }")
        }
        assertEquals('entra-idc-azure-identity-provider', e.resource)
        assertTrue(e.message.contains('not re-entrant'), e.message)
        assertFalse(h.lockRegistry.isHeld('entra-idc-azure-identity-provider'), 'released on the way out')
    }

    @Test
    void askingAgainInsideATimeoutWaitsForItselfUntilTheTimeoutEndsIt() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        long started = System.currentTimeMillis()
        assertThrows(FlowInterruptedException) {
            h.runScript("lock('tenant') { timeout(time: 1, unit: 'SECONDS') { lock('tenant') { echo 'never' } } }")
        }
        assertTrue(System.currentTimeMillis() - started >= 1000, 'it waited for the timeout')
        assertTrue(h.log.lines.contains('[Resource: tenant] is not free, waiting for execution ...'), h.log.text)
        assertFalse(h.log.lines.contains('never'))
        assertFalse(h.lockRegistry.isHeld('tenant'), 'released on the way out')
    }

    @Test
    void aWaitForALockEndsWithTheEnclosingTimeout() {
        PipelineHarness first = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        PipelineHarness second = first.concurrentBuild()
        Thread a = Thread.start { first.runScript("lock('tenant') { sleep(time: 4, unit: 'SECONDS') }") }
        Thread.sleep(500)
        long started = System.currentTimeMillis()
        assertThrows(FlowInterruptedException) { second.runScript("timeout(time: 1, unit: 'SECONDS') { lock('tenant') { echo 'x' } }") }
        assertTrue(System.currentTimeMillis() - started < 3000)
        a.join()
    }
}
