package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * Issue 19 point 2: each step runs on AWS profiles that hold exactly the policies docs/permissions.md
 * names for it ("Which policies each step needs"), not all of them at once: a phase policy that misses
 * an action its step calls (the sweep before an apply, an attachment the apply makes) fails here with
 * AccessDenied naming it.
 */
@Tag('e2e')
class PhasePoliciesEndToEndTest {
    @Test
    void eachStepRunsOnTheDocumentedPoliciesOfItsPhasesOnly() {
        LifecycleEndToEndTest.twinRuns()
        Map baseline = Twin.liveInventory()
        try {
            PipelineHarness h = LifecycleEndToEndTest.harness()
            Twin.policies('prepare', 'saml')
            Map saml = (Map) h.runStep('entraSamlSetup', [:])
            assertEquals(0, saml.checks.failed, h.log.text)
            Twin.policies('prepare', 'saml', 'scim')
            Map scim = (Map) h.runStep('entraScimEnable', [abac: true])
            assertEquals(0, scim.checks.failed, h.log.text)
            Twin.policies('prepare', 'saml', 'scim', 'teardown')
            h.runStep('entraTeardown', [:])
            assertEquals(baseline, Twin.liveInventory(), 'teardown left objects behind')
            println 'checked: each step passed on the documented policies of its phases only'
        } finally {
            Twin.policies()
            Twin.reset()
        }
    }
}
