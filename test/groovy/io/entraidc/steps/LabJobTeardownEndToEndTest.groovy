package io.entraidc.steps

import io.entraidc.harness.FlowInterruptedException
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * The nightly lab job against the twin when the SAML setup runs out of time while Terraform
 * applies (the outermost limit around it expires; Terraform gets SIGTERM, then SIGKILL): the
 * build ends ABORTED, the teardown in post still runs to the end, and the twin's inventory is
 * back to what it was. Short (about 40 s: the apply is cut off early), so in ./lab test.
 */
class LabJobTeardownEndToEndTest {
    @Test
    void aSetupThatRunsOutOfTimeIsTornDownToTheBaseline() {
        LifecycleEndToEndTest.twinRuns()
        Map baseline = Twin.inventory()
        PipelineHarness h = LifecycleEndToEndTest.harness()
        h.params = [ACTION: 'rebuild', PARTITIONS: 'both', PLAN_ONLY: false, ABAC: false]
        h.timeOutAt(outermost: true) { call ->
            call.name == 'sh' && call.args[0] instanceof Map && call.args[0].label == 'entraSamlSetup › apply saml'
        }
        assertThrows(FlowInterruptedException) { h.runJenkinsfile(new File(LifecycleEndToEndTest.ROOT, 'Jenkinsfile')) }
        assertEquals('ABORTED', h.currentBuild.currentResult)
        assertTrue(h.log.lines.contains('Sending interrupt signal to process'), h.log.text)
        ['teardown', 'destroy', 'sweep'].each { String phase ->
            assertTrue(h.log.outputLines.any { it.startsWith("[entraTeardown › ${phase} › all] finished in") }, "${phase}:\n${h.log.text}")
        }
        assertEquals(withoutDeletedUsers(baseline), withoutDeletedUsers(Twin.inventory()),
                'the teardown after a timed-out setup left objects behind')
    }

    /**
     * The inventory without deleted Entra users: Graph does not purge users for application
     * permissions ("Permanently delete an item (directory object)", learn.microsoft.com), so a
     * service principal login leaves them in the recycle bin (EntraContext.delete_permanently).
     */
    static Map withoutDeletedUsers(Map inventory) {
        Map copy = new LinkedHashMap(inventory)
        Map azure = new LinkedHashMap((Map) copy['azure-id'])
        azure.deletedItems = ((List) azure.deletedItems).findAll { it.type != '#microsoft.graph.user' }
        copy['azure-id'] = azure
        return copy
    }
}
