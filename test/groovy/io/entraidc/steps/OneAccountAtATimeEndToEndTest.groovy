package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * Reliability case 6 of issue 14: a GovCloud-only and a commercial-only lifecycle (setup, SCIM with
 * ABAC, teardown, partitions: [one]) leave the other account untouched throughout: its inventory
 * is compared before, every 10 s while the steps run, and after each step, and no Entra
 * application of the other account appears. Each lifecycle ends at the baseline.
 */
@Tag('e2e')
class OneAccountAtATimeEndToEndTest {
    static final List<String> ACCOUNTS = ['aws-commercial', 'aws-govcloud']
    static Map baseline

    @BeforeAll
    static void twinRuns() {
        LifecycleEndToEndTest.twinRuns()
        baseline = Twin.liveInventory()
    }

    @Test
    void aGovCloudOnlyLifecycleLeavesCommercialUntouched() { lifecycleOf('aws-govcloud') }

    @Test
    void aCommercialOnlyLifecycleLeavesGovCloudUntouched() { lifecycleOf('aws-commercial') }

    static void lifecycleOf(String only) {
        String other = ACCOUNTS.find { it != only }
        Map before = Twin.liveInventory()
        assertEquals(baseline, before, 'each lifecycle starts at the baseline')
        List<String> changes = Collections.synchronizedList([])
        boolean[] running = [true]
        int[] samples = [0]
        Thread watch = Thread.start {
            while (running[0]) {
                Map now = Twin.liveInventory()
                samples[0]++
                if (now[other] != before[other]) {
                    changes << "${new Date()}: ${now[other]}".toString()
                }
                sleep(10000)
            }
        }
        PipelineHarness h = LifecycleEndToEndTest.harness()
        try {
            [entraSamlSetup: [:], entraScimEnable: [abac: true], entraTeardown: [:]].each { String step, Map args ->
                h.runStep(step, [partitions: [only]] + args)
                Map now = Twin.liveInventory()
                assertEquals(before[other], now[other], "${step} (partitions: [${only}]) changed ${other}")
                List<String> apps = ((Map) now['azure-id']).applications*.displayName
                assertFalse(apps.any { it.contains("(${other})") }, "${step} created an Entra app of ${other}: ${apps}")
                if (step != 'entraTeardown') {
                    assertNotEquals(before[only], now[only], "${step} did nothing in ${only}")
                }
                println "case 6: after ${step}(partitions: [${only}]): ${other} inventory unchanged, no Entra app of ${other}"
            }
        } finally {
            running[0] = false
            watch.join()
        }
        assertEquals([], changes, "${other} changed while the ${only} lifecycle ran")
        assertEquals(baseline, Twin.liveInventory(), "the ${only} lifecycle did not end at the baseline")
        println "case 6: ${only}-only lifecycle: ${other} unchanged in all ${samples[0]} samples taken while it ran; ended at the baseline"
    }
}
