package io.entraidc.steps

import groovy.json.JsonSlurper
import io.entraidc.harness.AbortException
import io.entraidc.harness.FlowInterruptedException
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * The lifecycle report each step writes next to its JUnit file and archives (EntraRun.writeReport,
 * report.py), with the fake tools: after a run that passes, after a failed apply and after a
 * timeout, and never one left by an earlier build.
 */
class LifecycleReportTest {
    static final String OUTPUTS = '{"aws_accounts":{"sensitive":false,"type":"object","value":{"aws-commercial":' +
            '{"access_portal_url":"https://d-906700aaaa.awsapps.com/start","instance_arn":"arn:aws:sso:::instance/ssoins-1"}}}}'

    static String report(PipelineHarness h, String step) {
        File file = new File(h.workspace, ".entraidc/lifecycle-${step}.html")
        assertTrue(file.isFile(), "no report at ${file}:\n${h.log.text}")
        return file.text
    }

    static List<Map> phases(PipelineHarness h, String step) {
        return (List<Map>) new JsonSlurper().parse(new File(h.workspace, ".entraidc/lifecycle-${step}.json")).phases
    }

    @Test
    void aPassingSetupReportsPhasesChecksChangesAndPortals() {
        PipelineHarness h = StepResultsTest.harness(FAKE_OUTPUTS: OUTPUTS)
        h.runStep('entraSamlSetup', [:])
        String page = report(h, 'entraSamlSetup')
        assertTrue(h.archived.contains('.entraidc/lifecycle-entraSamlSetup.html'), "${h.archived}")
        assertEquals(['prepare', 'preflight', 'sweep', 'plan saml', 'apply saml', 'verify', 'outputs'],
                phases(h, 'entraSamlSetup')*.phase)
        assertTrue(phases(h, 'entraSamlSetup').every { it.result == 'passed' && it.durationMillis >= 0 }, "${phases(h, 'entraSamlSetup')}")
        assertTrue(page.contains('id="result">SUCCESS<'), page)
        assertTrue(page.contains('<td>apply saml</td>'), page)
        assertTrue(page.contains('<td>aws-commercial</td><td>a</td><td><span class="ok">passed</span>'), page)
        assertTrue(page.contains('<code>terraform_data.fake[&quot;aws-commercial&quot;]</code></td><td>created</td>'), page)
        assertTrue(page.contains('<h3>preflight: '), 'the Python command results are listed: ' + page)
        assertTrue(page.contains('<a href="https://d-906700aaaa.awsapps.com/start">'), page)
        assertTrue(h.log.lines.any { it.startsWith('[entraSamlSetup › report › all] lifecycle report: ../lifecycle-entraSamlSetup.html') }, h.log.text)
    }

    @Test
    void aFailedApplyStillWritesAndArchivesTheReport() {
        PipelineHarness h = StepResultsTest.harness(FAKE_FAIL: 'apply')
        assertThrows(AbortException) { h.runStep('entraSamlSetup', [:]) }
        String page = report(h, 'entraSamlSetup')
        assertTrue(h.archived.contains('.entraidc/lifecycle-entraSamlSetup.html'), "${h.archived}")
        Map apply = phases(h, 'entraSamlSetup').find { it.phase == 'apply saml' }
        assertEquals('failed', apply?.result, "${phases(h, 'entraSamlSetup')}")
        assertTrue(page.contains('id="result">FAILURE<'), page)
        assertTrue(page.contains('entraSamlSetup: apply saml failed in all'), 'the error is shown: ' + page)
        assertTrue(page.contains('No verification checks ran in this step.'), page)
    }

    @Test
    void aStepThatTimesOutReportsThePhaseItStoppedIn() {
        PipelineHarness h = StepResultsTest.harness(FAKE_SLOW: 'apply', FAKE_SLOW_SECONDS: '30')
        h.timeOutAt { call -> call.name == 'sh' && call.args[0] instanceof Map && call.args[0].label == 'entraScimEnable › apply scim' }
        assertThrows(FlowInterruptedException) { h.runStep('entraScimEnable', [:]) }
        String page = report(h, 'entraScimEnable')
        assertEquals('interrupted', phases(h, 'entraScimEnable').find { it.phase == 'apply scim' }?.result)
        assertTrue(page.contains('id="result">ABORTED<'), page)
        assertTrue(h.archived.contains('.entraidc/lifecycle-entraScimEnable.html'), "${h.archived}")
    }

    /** What OpenTofu printed in a real apply saml stopped by LabDemoEndToEndTest's time limit (test_lifecycle_report.py). */
    static final File STOPPED_APPLY = new File(StepResultsTest.ROOT, 'test/fixtures/tofu-output/apply-saml-stopped.log')

    static void assertListsWhatTheStoppedApplyCreatedAndLeftUnfinished(String page) {
        assertFalse(page.contains('Terraform created, changed and removed nothing'), page)
        assertTrue(page.contains('<h3>Terraform: 3 created, 0 updated, 0 removed; 7 not finished</h3>'), page)
        assertTrue(page.contains('<code>azurerm_key_vault.this</code></td><td>created</td>'), page)
        assertTrue(page.contains('<code>module.aws_govcloud[0].aws_ssoadmin_permission_set.this[&quot;RegionalAdmin&quot;]</code></td>' +
                '<td><span class="warn">creating, not finished</span>: it may exist</td>'), page)
    }

    @Test
    void anApplyThatFailsMidwayReportsWhatItCreatedAndWhatItLeftUnfinished() {
        PipelineHarness h = StepResultsTest.harness(FAKE_FAIL: 'apply', FAKE_APPLY_LOG: STOPPED_APPLY.path)
        assertThrows(AbortException) { h.runStep('entraSamlSetup', [:]) }
        String page = report(h, 'entraSamlSetup')
        assertTrue(page.contains('id="result">FAILURE<'), page)
        assertListsWhatTheStoppedApplyCreatedAndLeftUnfinished(page)
    }

    @Test
    void anApplyStoppedByATimeoutReportsWhatItCreatedAndWhatItLeftUnfinished() {
        PipelineHarness h = StepResultsTest.harness(FAKE_SLOW: 'apply', FAKE_SLOW_SECONDS: '30', FAKE_APPLY_LOG: STOPPED_APPLY.path)
        h.timeOutAt { call -> call.name == 'sh' && call.args[0] instanceof Map && call.args[0].label == 'entraSamlSetup › apply saml' }
        assertThrows(FlowInterruptedException) { h.runStep('entraSamlSetup', [:]) }
        String page = report(h, 'entraSamlSetup')
        assertTrue(page.contains('id="result">ABORTED<'), page)
        assertListsWhatTheStoppedApplyCreatedAndLeftUnfinished(page)
    }

    @Test
    void aTeardownReportsWhatItRemoved() {
        PipelineHarness h = StepResultsTest.harness()
        new File(h.workspace, '.entraidc/terraform').mkdirs()
        new File(h.workspace, '.entraidc/terraform/terraform.tfstate').text = '{"resources":[{"type":"terraform_data"}]}'
        h.runStep('entraTeardown', [:])
        String page = report(h, 'entraTeardown')
        assertEquals(['prepare', 'teardown', 'destroy', 'sweep'], phases(h, 'entraTeardown')*.phase)
        assertTrue(page.contains('</code></td><td>removed</td>'), page)
        assertTrue(page.contains('<h3>teardown: '), page)
    }

    @Test
    void aReportOfAnEarlierBuildIsNeverArchivedAsThisOnes() {
        PipelineHarness first = StepResultsTest.harness()
        first.runStep('entraSamlSetup', [:])
        PipelineHarness second = first.nextBuild()
        // This build fails in prepare: its report is a new one, showing that, not build #1's.
        StepResultsTest.useFakeTools(second, [FAKE_FAIL: 'init'])
        assertThrows(AbortException) { second.runStep('entraSamlSetup', [:]) }
        String page = report(second, 'entraSamlSetup')
        assertTrue(page.contains('id="result">FAILURE<'), "build #1's report is still there: " + page)
        assertEquals(['prepare'], phases(second, 'entraSamlSetup')*.phase)
    }
}
