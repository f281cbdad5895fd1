package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * With the local state backend, the state lives in the workspace of the build that ran the
 * setup. A teardown sent to another agent (the harness's empty workspace) finds none: it says
 * so, destroys nothing, and still runs the Python teardown and the sweep of marked objects.
 * Terraform and the automation are the fake-tools stand-ins (StepResultsTest).
 */
class TeardownWithoutStateTest {
    static final String SAYS_SO = '[entraTeardown › destroy › all] no Terraform state at .entraidc/terraform/terraform.tfstate ' +
            '(local state backend): this workspace never ran a setup, or the setup ran in another workspace or on another agent: nothing to destroy.'

    @Test
    void aTeardownOnAnotherAgentSaysItFoundNoStateAndStillSweeps() {
        PipelineHarness setup = StepResultsTest.harness()
        setup.runStep('entraSamlSetup', [:])
        File state = new File(setup.workspace, '.entraidc/terraform/terraform.tfstate')
        state.text = '{"version": 4, "resources": [{"type": "aws_ssoadmin_permission_set", "name": "regional_admin"}]}'

        PipelineHarness teardown = setup.nextBuild(onAnotherAgent: true)
        StepResultsTest.useFakeTools(teardown, [:])
        teardown.runStep('entraTeardown', [:])
        List<String> lines = teardown.log.lines
        assertTrue(lines.any { it.startsWith(SAYS_SO) }, teardown.log.text)
        assertFalse(lines.any { it.startsWith('[entraTeardown › destroy › all] terraform destroy') }, 'destroy ran without a state')
        assertTrue(lines.contains('[entraTeardown › teardown › all] entraidc teardown: done'), teardown.log.text)
        assertTrue(lines.contains('[entraTeardown › sweep › all] entraidc teardown: done'), teardown.log.text)
    }

    @Test
    void anEmptyStateFileLeftByAKilledApplyIsNothingToDestroyAndTheSweepStillRuns() {
        PipelineHarness setup = StepResultsTest.harness()
        setup.runStep('entraSamlSetup', [:])
        new File(setup.workspace, '.entraidc/terraform/terraform.tfstate').text = ''
        PipelineHarness teardown = setup.nextBuild()
        StepResultsTest.useFakeTools(teardown, [:])
        teardown.runStep('entraTeardown', [:])
        assertTrue(teardown.log.lines.contains('[entraTeardown › destroy › all] the Terraform state at .entraidc/terraform/terraform.tfstate ' +
                'is empty (an apply stopped before its first state write): nothing to destroy. The sweep next removes what carries the ' +
                'ownership marker entra-idc (Entra apps and users, permission sets, secrets, the resource group and Key Vault); untagged ' +
                'objects only that state knew of (Identity Center users, assignments) stay. Keep state across builds and agents with ' +
                "stateBackend: 's3'."), teardown.log.text)
        assertTrue(teardown.log.lines.contains('[entraTeardown › sweep › all] entraidc sweep: done'), teardown.log.text)
    }

    @Test
    void aTeardownWhereTheStateIsDestroysAsBefore() {
        PipelineHarness setup = StepResultsTest.harness()
        setup.runStep('entraSamlSetup', [:])
        new File(setup.workspace, '.entraidc/terraform/terraform.tfstate').text =
                '{"version": 4, "resources": [{"type": "aws_ssoadmin_permission_set", "name": "regional_admin"}]}'
        PipelineHarness teardown = setup.nextBuild()
        StepResultsTest.useFakeTools(teardown, [:])
        teardown.runStep('entraTeardown', [:])
        assertTrue(teardown.log.lines.contains('[entraTeardown › destroy › all] terraform destroy: done'), teardown.log.text)
        assertFalse(teardown.log.lines.any { it.startsWith(SAYS_SO) })
    }
}
