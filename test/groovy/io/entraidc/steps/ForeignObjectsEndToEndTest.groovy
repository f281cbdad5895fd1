package io.entraidc.steps

import groovy.json.JsonSlurper
import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * Reliability case 4 (issue 14) through the steps: with someone else's Entra NikkiWolf and app
 * named like ours, an identity-store RichRoe not created by SCIM, an instance federated with
 * another IdP and a token secret of our name without our tags (test/support/foreign_objects.py),
 * entraSamlSetup stops in preflight naming every one of them, before any plan; the twin's
 * inventory is unchanged; entraTeardown leaves each object exactly as it was (read in full before
 * and after). No apply runs, so it is short enough for ./lab test.
 */
class ForeignObjectsEndToEndTest {
    @Test
    void setupRefusesEveryForeignObjectInPreflightAndTeardownLeavesThemAsTheyWere() {
        LifecycleEndToEndTest.twinRuns()
        try {
            Map<String, String> names = (Map<String, String>) new JsonSlurper().parseText(Twin.support('foreign_objects.py', 'create'))
            String before = Twin.support('foreign_objects.py', 'read')
            Map inventory = Twin.liveInventory()

            PipelineHarness setup = LifecycleEndToEndTest.harness()
            Exception refused = assertThrows(Exception) { setup.runStep('entraSamlSetup', [:]) }
            assertTrue(refused.message.startsWith('entraSamlSetup: preflight failed'), refused.message)
            // A refused preflight changed nothing: its advice must not send anyone to a teardown.
            assertTrue(refused.message.contains('Next: nothing was changed: fix what preflight names above, then run the step again'),
                    refused.message)
            String error = setup.log.outputLines.find { it.contains('5 conflicts found before anything changed') }
            assertNotNull(error, setup.log.text)
            names.each { String kind, String name ->
                assertTrue(error.contains(name), "${kind} ${name} is not named: ${error}")
                println "case 4: preflight named the foreign ${kind} ${name}"
            }
            assertEquals([], setup.log.outputLines.findAll { it ==~ /^\[entraSamlSetup › (plan|apply|sweep) .*/ },
                    'nothing may run after a refused preflight')
            assertEquals(inventory, Twin.liveInventory(), 'a refused preflight changed something')
            println 'case 4: entraSamlSetup stopped in preflight, before any plan; the twin inventory is unchanged'

            PipelineHarness teardown = LifecycleEndToEndTest.harness()
            teardown.runStep('entraTeardown', [:])
            assertEquals(new JsonSlurper().parseText(before), new JsonSlurper().parseText(Twin.support('foreign_objects.py', 'read')),
                    'entraTeardown changed a foreign object')
            assertEquals(inventory, Twin.liveInventory(), 'entraTeardown changed the inventory')
            println "case 4: entraTeardown left all ${names.size()} foreign objects exactly as they were (read in full) and the inventory unchanged"
        } finally {
            Twin.reset()
        }
    }
}
