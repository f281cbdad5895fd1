package io.entraidc.demo

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * The demo's time limit on a build that only logged (no step runs): where the limit found it
 * decides whether the build is aborted (setup, SCIM) or left to finish its teardown.
 */
class DemoWatchdogTest {
    static Map expire(String lastLine) {
        PipelineHarness h = new PipelineHarness(jobName: 'watchdog')
        h.log.add('[entraSamlSetup › prepare › all] started')
        h.log.add(lastLine)
        h.log.add('[Pipeline] sh (not a labelled line)')
        ByteArrayOutputStream printed = new ByteArrayOutputStream()
        TwinActivity twin = new TwinActivity(new File('/nonexistent/twin.log'), { [] })
        DemoWatchdog watchdog = new DemoWatchdog(h, new DemoLimits(rebuildMillis: 50, teardownMillis: 60000),
                twin, new PrintStream(printed, true, 'UTF-8'))
        watchdog.start()
        long end = System.currentTimeMillis() + 10000
        while (!watchdog.expired && System.currentTimeMillis() < end) {
            Thread.sleep(20)
        }
        watchdog.stop()
        return [printed: printed.toString('UTF-8'), aborted: h.timeouts.limit() == 0L, watchdog: watchdog]
    }

    @Test
    void aBuildSettingUpIsAbortedAndTheMessageNamesStepPhaseAccountAndLastLine() {
        Map r = expire('[entraSamlSetup › apply saml › aws-govcloud] module.aws.x: Still creating... [10s elapsed]')
        assertTrue(r.aborted, 'the build was not aborted')
        assertTrue(r.printed.contains('lab demo: TIME LIMIT: the rebuild ran out of its 0 s in entraSamlSetup › apply saml › aws-govcloud; ' +
                'its last line: module.aws.x: Still creating... [10s elapsed]'), r.printed)
        assertTrue(r.printed.contains('twin: the last 12 lines of /nonexistent/twin.log:\n  (no log)\ntwin: no active fault rule'), r.printed)
        assertTrue(r.printed.contains('lab demo: aborting the build'), r.printed)
        assertEquals(r.printed.readLines().findAll { it }, r.watchdog.expiry, 'the summary repeats what was printed')
    }

    @Test
    void aBuildTearingDownIsLeftToFinishWithinTheTeardownLimit() {
        Map r = expire('[entraTeardown › destroy › all] module.aws.x: Still destroying... [10s elapsed]')
        assertFalse(r.aborted, 'the teardown was aborted at the rebuild limit')
        assertTrue(r.printed.contains('in entraTeardown › destroy › all (post section); its last line: module.aws.x: Still destroying'), r.printed)
        assertTrue(r.printed.contains('lab demo: already tearing down; it may take up to 1 min more'), r.printed)
    }
}
