package io.entraidc.steps

import io.entraidc.harness.AbortException
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * The steps' results, build results and published files, with stand-ins for the Terraform CLI
 * and the automation's interpreter (test/fixtures/fake-tools), so no cloud is needed: Terraform
 * nulls stay null, failed checks make the build UNSTABLE (automation failures FAILURE), nothing of
 * an earlier build is published, a failed apply still archives its plan, and a failed phase
 * reports its real elapsed time.
 */
class StepResultsTest {
    static final File ROOT = new File(System.getProperty('entraidc.root', '.')).canonicalFile
    static final File TOOLS = new File(ROOT, 'test/fixtures/fake-tools')

    static PipelineHarness harness(Map<String, String> fakes = [:]) {
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT, jobName: 'lab')
        useFakeTools(h, fakes)
        return h
    }

    static void useFakeTools(PipelineHarness h, Map<String, String> fakes) {
        h.baseEnvironment.ENTRAIDC_TERRAFORM = new File(TOOLS, 'terraform').path
        h.baseEnvironment.ENTRAIDC_PYTHON = new File(TOOLS, 'python').path
        h.baseEnvironment.ENTRAIDC_AGENT_CACHE = new File(h.agent.root, 'cache').path
        // The stand-in for the Azure CLI (az) that the steps' prerequisites check looks for.
        h.baseEnvironment.PATH = "${TOOLS.path}:${h.agent.environment.PATH}".toString()
        ['FAKE_FAIL', 'FAKE_LOCKED', 'FAKE_VERIFY', 'FAKE_OUTPUTS', 'FAKE_PREFLIGHT_FAIL', 'FAKE_PREFLIGHT_SECONDS'].each { h.baseEnvironment.remove(it) }
        h.baseEnvironment.putAll(fakes)
    }

    @Test
    void aFreshAgentCacheGetsThePluginCacheDirectoryTerraformIsToldToUse() {
        PipelineHarness h = harness()
        File cache = new File(h.agent.root, 'fresh-cache')
        h.baseEnvironment.ENTRAIDC_AGENT_CACHE = cache.path
        h.runStep('entraSamlSetup', [:])
        assertTrue(new File(cache, 'plugin-cache').isDirectory(), 'TF_PLUGIN_CACHE_DIR does not exist: Terraform ignores it')
    }

    @Test
    void terraformNullOutputIsNullInTheStepsResult() {
        PipelineHarness h = harness(FAKE_OUTPUTS: '{"portal":{"sensitive":false,"type":"string","value":null}}')
        Map result = (Map) h.runStep('entraSamlSetup', [:])
        assertTrue(result.outputs instanceof LinkedHashMap, "outputs are ${result.outputs.getClass()}")
        assertTrue(result.outputs.portal.containsKey('value'))
        assertNull(result.outputs.portal.value, 'a Terraform null must be null for the caller, not JSONNull')
    }

    @Test
    void failedChecksMakeTheBuildUnstableAndTheStepStillReturnsThem() {
        PipelineHarness h = harness(FAKE_VERIFY: 'failed-checks')
        Map result = (Map) h.runStep('entraSamlSetup', [:])
        assertEquals([total: 2, failed: 1, skipped: 0], result.checks)
        assertEquals('UNSTABLE', h.currentBuild.currentResult)
        assertTrue(h.log.lines.contains('[entraSamlSetup › verify › all] 1 of 2 checks failed; the build is UNSTABLE'), h.log.text)
    }

    @Test
    void aFailureOfTheAutomationItselfStaysAFailure() {
        PipelineHarness h = harness(FAKE_VERIFY: 'crash')
        AbortException e = assertThrows(AbortException) { h.runStep('entraSamlSetup', [:]) }
        assertTrue(e.message.startsWith('entraSamlSetup: verify failed in azure-id'), e.message)
        assertEquals([], h.junitResults, 'no report was written, so none may be published')
    }

    @Test
    void aReportLeftByAnEarlierBuildIsNeverPublished() {
        PipelineHarness first = harness(FAKE_VERIFY: 'failed-checks')
        first.runStep('entraSamlSetup', [:])
        PipelineHarness second = first.nextBuild()
        useFakeTools(second, [FAKE_VERIFY: 'crash'])
        assertThrows(AbortException) { second.runStep('entraSamlSetup', [:]) }
        assertEquals([], second.junitResults, "build #1's report was published as build #2's")
        assertFalse(new File(second.workspace, '.entraidc/outputs.json').exists(), "build #1's outputs are still there")
    }

    @Test
    void aFailedApplyStillArchivesItsPlan() {
        PipelineHarness h = harness(FAKE_FAIL: 'apply')
        AbortException e = assertThrows(AbortException) { h.runStep('entraSamlSetup', [:]) }
        assertTrue(e.message.startsWith('entraSamlSetup: apply saml failed'), e.message)
        assertEquals(['.entraidc/lifecycle-entraSamlSetup.html', '.entraidc/plan-summary.txt'], h.archived)
    }

    @Test
    void aPhaseThatFailsInAnotherAccountReportsItsRealElapsedTime() {
        PipelineHarness h = harness(FAKE_PREFLIGHT_FAIL: 'aws-govcloud', FAKE_PREFLIGHT_SECONDS: '1.2')
        assertThrows(AbortException) { h.runStep('entraSamlSetup', [:]) }
        String line = h.log.lines.find { it.startsWith('[entraSamlSetup › preflight › aws-govcloud] FAILED after ') }
        assertNotNull(line, h.log.text)
        double seconds = (line =~ /FAILED after (\d+\.\d) s/)[0][1] as double
        assertTrue(seconds >= 1.2, line)
    }

    @Test
    void aStateLockHeldByAnotherRunIsNamedAndTheNextStepIsToWaitForIt() {
        PipelineHarness h = harness(FAKE_LOCKED: 'plan')
        AbortException e = assertThrows(AbortException) { h.runStep('entraSamlSetup', [:]) }
        assertTrue(e.message.startsWith('entraSamlSetup: plan saml failed in all: the Terraform state is locked by another run'), e.message)
        String next = h.log.lines.find { it.startsWith('[entraSamlSetup › plan saml › all] next: ') }
        assertTrue(next?.contains('another Terraform run holds the state lock'), h.log.text)
        assertFalse(next.contains('entraTeardown'), 'tearing down under a running apply is no way out: ' + next)
    }
}
