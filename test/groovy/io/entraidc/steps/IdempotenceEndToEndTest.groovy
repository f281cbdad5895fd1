package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestMethodOrder

import java.nio.file.Files

import static org.junit.jupiter.api.Assertions.*

/**
 * Reliability cases 3 (idempotence) and 8 (secrets) of issue 14, on one twin in order: a teardown
 * with no setup at all is a no-op; entraSamlSetup twice and entraScimEnable(abac) twice change
 * nothing the second time (Terraform applies 0 resources, its plan shows none, the Python commands
 * report changed=false, the inventory stays); no SCIM token, password or client secret in the log,
 * the state, the plans, the archived artifacts or any file of the agent (workspaces, @tmp, the agent
 * cache), zip entries too; entraTeardown twice ends at the baseline, the second a no-op. The one
 * end-to-end test on the azureCredentialsId path: an agent without an Azure CLI login, the service
 * principal (client secret) bound by the step from a Jenkins credential.
 */
@Tag('e2e')
@TestMethodOrder(MethodOrderer.OrderAnnotation)
class IdempotenceEndToEndTest {
    static Map baseline
    static PipelineHarness h
    static File archive
    static int archivedSeen = 0
    static Map<String, String> secrets
    static Map lastResult

    @BeforeAll
    static void twinRuns() {
        LifecycleEndToEndTest.twinRuns()
        baseline = Twin.liveInventory()
        h = LifecycleEndToEndTest.harness('none')
        secrets = ['azure-sp client secret': LifecycleEndToEndTest.bindAzureCredential(h)]
        archive = Files.createTempDirectory('entraidc-archive-').toFile()
    }

    static List<String> run(String step, Map args) {
        int mark = h.log.outputLines.size()
        Map result = (Map) h.runStep(step, [azureCredentialsId: 'azure-sp'] + args)
        lastResult = result
        if (result?.checks) {
            assertEquals(0, result.checks.failed, h.log.text)
        }
        archivedSeen = StepRuns.keepArchived(h, archivedSeen, archive, "${step}-${mark}")
        return StepRuns.since(h, mark)
    }

    /** The plan the step applied (its archived summary) changes no managed resource. */
    static void unchangedPlan() {
        String summary = new File(h.workspace, '.entraidc/plan-summary.txt').text
        assertTrue((summary =~ /No changes\.|Plan: 0 to add, 0 to change, 0 to destroy\./).find(), summary)
    }

    static void appliedNothing(List<String> lines, String step, String phase) {
        assertTrue(StepRuns.phase(lines, step, phase).any { it.endsWith('Apply complete! Resources: 0 added, 0 changed, 0 destroyed.') },
                "${step} › ${phase} changed something:\n${lines.join('\n')}")
    }

    static Map<String, Integer> changedFlags(List<String> lines, String step, String phase) {
        List<String> own = StepRuns.phase(lines, step, phase)
        return [true : own.count { it.contains('"changed": true') } as Integer,
                false: own.count { it.contains('"changed": false') } as Integer]
    }

    @Test
    @Order(1)
    void teardownWithNoSetupAtAllIsANoOp() {
        PipelineHarness fresh = LifecycleEndToEndTest.harness('none')
        LifecycleEndToEndTest.bindAzureCredential(fresh)
        fresh.runStep('entraTeardown', [azureCredentialsId: 'azure-sp'])
        assertTrue(fresh.log.outputLines.any { it.contains('nothing to destroy') }, fresh.log.text)
        assertEquals(baseline, Twin.liveInventory(), 'a teardown without setup changed something')
        println 'case 3: entraTeardown with no setup at all succeeded and left the twin inventory unchanged'
    }

    @Test
    @Order(2)
    void setupTwiceAndScimTwiceChangeNothingTheSecondTime() {
        run('entraSamlSetup', [:])
        Map afterSetup = Twin.liveInventory()
        assertNotEquals(baseline, afterSetup)
        List<String> again = run('entraSamlSetup', [:])
        appliedNothing(again, 'entraSamlSetup', 'apply saml')
        assertEquals([], StepRuns.resourceActions(again))
        unchangedPlan()
        assertEquals([], StepRuns.phase(again, 'entraSamlSetup', 'sweep').findAll { it.contains('] deleted ') })
        assertEquals(afterSetup, Twin.liveInventory(), 'the second entraSamlSetup changed the inventory')
        println 'case 3: second entraSamlSetup: plan without changes, apply 0 added/changed/destroyed, sweep deleted nothing, inventory unchanged'

        List<String> scim = run('entraScimEnable', [abac: true])
        assertEquals([true: 2, false: 0], changedFlags(scim, 'entraScimEnable', 'scim-enable'))
        Map afterScim = Twin.liveInventory()
        List<String> scimAgain = run('entraScimEnable', [abac: true])
        appliedNothing(scimAgain, 'entraScimEnable', 'apply scim')
        appliedNothing(scimAgain, 'entraScimEnable', 'apply account access')
        assertEquals([], StepRuns.resourceActions(scimAgain))
        unchangedPlan()
        assertEquals([true: 0, false: 2], changedFlags(scimAgain, 'entraScimEnable', 'scim-enable'))
        assertEquals([true: 0, false: 2], changedFlags(scimAgain, 'entraScimEnable', 'abac'))
        assertEquals(afterScim, Twin.liveInventory(), 'the second entraScimEnable changed the inventory')
        println 'case 3: second entraScimEnable: both applies 0 added/changed/destroyed, plan without changes, ' +
                'scim-enable and abac changed=false in both accounts, inventory unchanged'

        secrets.putAll(Twin.secretValues(lastResult.outputs.azure_id.value.key_vault_uri as String))
    }

    @Test
    @Order(3)
    void noSecretInAnyLogStatePlanArtifactOrFileOfTheAgent() {
        scanEverything('after setup and SCIM, twice')
    }

    @Test
    @Order(4)
    void teardownTwiceEndsAtTheBaselineTheSecondAsANoOp() {
        run('entraTeardown', [:])
        assertEquals(baseline, Twin.liveInventory(), 'entraTeardown left objects behind')
        List<String> again = run('entraTeardown', [:])
        assertEquals([], StepRuns.resourceActions(again))
        assertEquals([], again.findAll { it ==~ /.*\] (deleted|removed|emptied) .*/ }, 'the second teardown removed something')
        assertEquals(baseline, Twin.liveInventory(), 'the second entraTeardown changed something')
        println 'case 3: entraTeardown twice: the twin inventory is the baseline; the second removed nothing'
        scanEverything('after teardown twice (the whole build log)')
    }

    static void scanEverything(String when) {
        assertEquals(5, secrets.size(), "2 SCIM tokens, 2 passwords and the client secret: ${secrets.keySet()}")
        File agentCache = new File(h.baseEnvironment.ENTRAIDC_AGENT_CACHE)
        List<File> roots = [h.agent.root, agentCache, archive]
        assertTrue(new File(h.workspace, '.entraidc/terraform/terraform.tfstate').exists())
        Map<String, Long> scanned = SecretScan.assertNowhere(secrets, h.log.text, roots)
        assertTrue(scanned.files > 50, "${scanned}")
        println "case 8 (${when}): none of ${secrets.keySet()} (raw, base64, URL-encoded) in ${h.log.lines.size()} log lines " +
                "or ${scanned.files} files (${scanned.bytes} bytes) under ${roots*.path}, zip entries included"
    }
}
