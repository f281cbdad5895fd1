package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * entraSamlSetup(driftCheck: true) on its own, fast: a stand-in for OpenTofu answers with the
 * exit codes of `plan -detailed-exitcode` (0 no changes, 1 error, 2 changes;
 * https://opentofu.org/docs/cli/commands/plan/) and a `show -json` plan. DriftCheckEndToEndTest
 * runs the same path with the real OpenTofu against the twin.
 */
class DriftCheckTest {
    static final File ROOT = LifecycleEndToEndTest.ROOT
    static final String PLAN = '''{"resource_changes": [
      {"address": "module.aws_govcloud[0].aws_ssoadmin_permission_set.this[\\"RegionalAdmin\\"]", "mode": "managed", "change": {"actions": ["update"]}},
      {"address": "azurerm_key_vault.this", "mode": "managed", "change": {"actions": ["no-op"]}},
      {"address": "module.entra_app.data.azurerm_key_vault_secrets.result[\\"entra-app/aws-govcloud\\"]", "mode": "data", "change": {"actions": ["read"]}}
    ]}'''

    /** A harness whose ENTRAIDC_TERRAFORM answers plan with {@code planExit}; calls are logged to tofu-calls. */
    static PipelineHarness harness(int planExit, String outputs) {
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT)
        File bin = new File(h.workspace, '../' + h.workspace.name + '-bin').canonicalFile
        bin.mkdirs()
        new File(bin, 'outputs.json').text = outputs
        new File(bin, 'plan.json').text = PLAN
        File tofu = new File(bin, 'tofu')
        tofu.text = """#!/bin/sh
[ "\$1" = version ] && { echo 'OpenTofu v1.12.6'; exit 0; }  # the steps' prerequisites probe
shift  # -chdir=terraform
echo "\$*" >> '${bin}/tofu-calls'
case "\$1" in
  output) cat '${bin}/outputs.json' ;;
  plan) exit ${planExit} ;;
  show) if [ "\$2" = -json ]; then cat '${bin}/plan.json'; else echo 'plan summary'; fi ;;
esac
"""
        tofu.setExecutable(true)
        StepResultsTest.useFakeTools(h, [:])
        h.baseEnvironment.ENTRAIDC_TERRAFORM = tofu.path
        return h
    }

    static List<String> calls(PipelineHarness h) {
        return new File(h.workspace, '../' + h.workspace.name + '-bin/tofu-calls').canonicalFile.readLines()
    }

    static final String SCIM_PHASE = '{"phases": {"value": {"saml": true, "scim": true, "abac": false}}}'

    @Test
    void unchangedLabIsNoDriftAndTheBuildStaysGreen() {
        PipelineHarness h = harness(0, SCIM_PHASE)
        Map result = (Map) h.runStep('entraSamlSetup', [driftCheck: true])
        assertEquals([drift: []], result)
        assertEquals('SUCCESS', h.currentBuild.currentResult)
        assertTrue(calls(h).contains('plan -input=false -detailed-exitcode -out=../plan.bin -var enable_scim=true -var enable_abac=false'),
                calls(h).join('\n'))
        assertFalse(calls(h).any { it.startsWith('apply') }, 'a drift check applies nothing')
        assertTrue(h.log.lines.contains('[entraSamlSetup › drift check › all] no drift: the lab is what the configuration says'), h.log.text)
    }

    @Test
    void driftIsUnstableAndNamesEachChangedManagedResource() {
        PipelineHarness h = harness(2, SCIM_PHASE)
        Map result = (Map) h.runStep('entraSamlSetup', [driftCheck: true, partitions: ['aws-govcloud']])
        String drifted = 'module.aws_govcloud[0].aws_ssoadmin_permission_set.this["RegionalAdmin"] [update]'
        assertEquals([drift: [drifted]], result)
        assertEquals('UNSTABLE', h.currentBuild.currentResult)
        assertTrue(h.log.lines.contains("[entraSamlSetup › drift check › all] drift: 1 resources differ from the configuration: ${drifted}".toString()),
                h.log.text)
        assertTrue(calls(h).any { it.startsWith('plan ') && it.endsWith('-var aws_accounts=["aws-govcloud"]') }, calls(h).join('\n'))
        assertFalse(new File(h.workspace, '.entraidc/plan.json').exists(), 'the JSON plan (sensitive values in clear) was left in the workspace')
    }

    /** workflow-basic-steps UnstableStep: the stage that found the drift shows UNSTABLE, not only the build. */
    @Test
    void driftMarksTheStageThatFoundItUnstable() {
        PipelineHarness h = harness(2, SCIM_PHASE)
        h.runScript("node { stage('Drift check') { entraSamlSetup(driftCheck: true, partitions: ['aws-govcloud']) } }")
        assertEquals([[stage: 'Drift check', result: 'UNSTABLE', message: 'drift: 1 resources differ from the configuration']],
                h.stageWarnings)
        assertEquals('UNSTABLE', h.currentBuild.currentResult)
    }

    @Test
    void aFailingPlanFailsTheStep() {
        PipelineHarness h = harness(1, SCIM_PHASE)
        Exception e = assertThrows(Exception) { h.runStep('entraSamlSetup', [driftCheck: true]) }
        assertTrue(e.message.startsWith('entraSamlSetup: drift check failed in all: exit code 1'), e.message)
    }

    @Test
    void nothingDeployedIsAClearError() {
        PipelineHarness h = harness(0, '{}')
        Exception e = assertThrows(Exception) { h.runStep('entraSamlSetup', [driftCheck: true]) }
        assertTrue(e.message.contains('no apply recorded in the Terraform state of .entraidc (set up first)'), e.message)
        assertFalse(calls(h).any { it.startsWith('plan') }, calls(h).join('\n'))
    }
}
