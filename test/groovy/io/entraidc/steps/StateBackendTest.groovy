package io.entraidc.steps

import io.entraidc.harness.AbortException
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * A workspace whose builds change stateBackend (StateBackend), with the fake tools of
 * StepResultsTest: the S3 backend block and the record of the S3 backend are gone in the next
 * local build, a switch to S3 is re-initialised with -reconfigure, and local → s3 is refused while
 * the local state records resources. Real OpenTofu against the twin's S3: StateBackendSwitchEndToEndTest.
 */
class StateBackendTest {
    static final Map S3 = [stateBackend: 's3', stateBucket: 'lab-state']
    /** What terraform init records for that S3 backend (the fake CLI records nothing). */
    static final String RECORD = '{"version":3,"backend":{"type":"s3","config":{"bucket":"lab-state","key":"entra-idc/terraform.tfstate"}}}'

    static List<String> initLines(PipelineHarness h) {
        return h.stepCalls.findAll { it.step == 'sh' && (it.args.script as String).contains(' init -input=false') }
                .collect { it.args.script as String }
    }

    @Test
    void aLocalBuildAfterAnS3OneDropsTheBackendBlockAndReinitialises() {
        PipelineHarness s3 = StepResultsTest.harness()
        s3.runStep('entraSamlSetup', S3 + [planOnly: true])
        File work = new File(s3.workspace, '.entraidc/terraform')
        assertTrue(new File(work, 'entraidc_backend.tf').exists())
        new File(work, '.terraform').mkdirs()
        new File(work, '.terraform/terraform.tfstate').text = RECORD

        PipelineHarness local = s3.nextBuild()
        local.runStep('entraSamlSetup', [planOnly: true])
        assertFalse(new File(work, 'entraidc_backend.tf').exists(), 'the S3 backend block stayed')
        assertFalse(new File(work, '.terraform/terraform.tfstate').exists(), 'the record of the S3 backend stayed')
        assertTrue(local.log.lines.contains('[entraSamlSetup › prepare › all] the work directory was initialised for the s3 ' +
                'lab-state/entra-idc/terraform.tfstate backend, this run uses local: removing that record ' +
                '(terraform/.terraform/terraform.tfstate; the state it points to stays where it is) and initialising afresh'),
                local.log.text)

        PipelineHarness s3Again = local.nextBuild()
        s3Again.runStep('entraSamlSetup', S3 + [planOnly: true])
        assertTrue(initLines(s3Again)[0].contains('init -input=false -reconfigure -backend-config=bucket=lab-state'), "${initLines(s3Again)}")
        new File(work, '.terraform/terraform.tfstate').text = RECORD

        PipelineHarness same = s3Again.nextBuild()
        same.runStep('entraSamlSetup', S3 + [planOnly: true])
        assertFalse(initLines(same)[0].contains('-reconfigure'), 'the same backend again needs no switch')
    }

    @Test
    void anS3BuildIsRefusedWhileTheLocalStateRecordsResources() {
        PipelineHarness local = StepResultsTest.harness()
        local.runStep('entraSamlSetup', [planOnly: true])
        File state = new File(local.workspace, '.entraidc/terraform/terraform.tfstate')
        state.text = '{"version":4,"resources":[{"mode":"managed","type":"azuread_user","name":"nikki"}]}'

        PipelineHarness s3 = local.nextBuild()
        AbortException e = assertThrows(AbortException) { s3.runStep('entraSamlSetup', S3) }
        assertTrue(e.message.startsWith("entraSamlSetup: prepare failed in all: the local Terraform state at " +
                ".entraidc/terraform/terraform.tfstate records 1 resources, and stateBackend 's3' would leave them behind"), e.message)
        assertTrue(e.message.contains('Next: nothing was changed.') && e.message.contains('terraform init -migrate-state ' +
                '-backend-config=bucket=lab-state'), e.message)
        assertEquals([], initLines(s3), 'init ran')
        assertFalse(new File(state.parentFile, 'entraidc_backend.tf').exists())
    }
}
