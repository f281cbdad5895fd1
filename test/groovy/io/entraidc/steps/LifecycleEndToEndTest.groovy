package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * The three steps, end to end through the pipeline harness: real OpenTofu with the real
 * providers, the real Python automation, against the local cloud twin. After teardown the
 * twin's inventory must be what it was before setup.
 */
class LifecycleEndToEndTest {
    static final File ROOT = new File(System.getProperty('entraidc.root', '.')).canonicalFile

    @BeforeAll
    static void twinRuns() {
        Twin.start()
    }

    static PipelineHarness harness() {
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT, echo: true)
        h.baseEnvironment.putAll(Twin.agentEnvironment())
        h.baseEnvironment.ENTRAIDC_AGENT_CACHE = new File(Twin.CACHE, 'agent').path
        return h
    }

    static List<String> unlabelled(PipelineHarness h) {
        return h.log.outputLines.findAll { !(it ==~ /^\[entra\w+ › [^›]+ › [\w-]+\] .*/) }
    }

    @Test
    void setupScimAndTeardownLeaveNothingBehind() {
        Twin.reset()
        Map before = Twin.inventory()
        PipelineHarness h = harness()

        Map saml = (Map) h.runStep('entraSamlSetup', [:])
        assertEquals(0, saml.checks.failed, h.log.text)
        Map scim = (Map) h.runStep('entraScimEnable', [abac: true])
        assertEquals(0, scim.checks.failed, h.log.text)
        Map during = Twin.inventory()
        assertNotEquals(before, during)

        h.runStep('entraTeardown', [:])
        assertEquals(before, Twin.inventory(), 'teardown left objects behind')
        assertEquals([], unlabelled(h), 'lines outside a stage label')
        assertTrue(h.log.lines.any { it ==~ /\[entraSamlSetup › apply saml › all\] finished in \d+\.\d s/ }, h.log.text)
    }
}
