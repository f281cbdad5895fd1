package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * Reliability suite, case 7: the nightly rebuild (the lab Jenkinsfile, ACTION=rebuild, both
 * partitions, ABAC) five times in a row on one twin without a reset, each build the next of the
 * same job in the same workspace. After each one the twin's inventory is what it was before the
 * first (deleted Entra users aside: LabJobTeardownEndToEndTest.withoutDeletedUsers), so an orphan
 * left by an intermittent defect shows up in the build that left it.
 */
@Tag('e2e')
class RepeatedRebuildEndToEndTest {
    static final int REBUILDS = 5

    @Test
    void fiveNightlyRebuildsInARowLeaveNothingEachTime() {
        LifecycleEndToEndTest.twinRuns()
        Map baseline = LabJobTeardownEndToEndTest.withoutDeletedUsers(Twin.inventory())
        PipelineHarness build = null
        List<String> failures = []
        for (int n = 1; n <= REBUILDS; n++) {
            build = build == null ? LifecycleEndToEndTest.harness() : build.nextBuild()
            build.params = [ACTION: 'rebuild', PARTITIONS: 'both', PLAN_ONLY: false, ABAC: true]
            long started = System.currentTimeMillis()
            build.runJenkinsfile(new File(LifecycleEndToEndTest.ROOT, 'Jenkinsfile'))
            long seconds = (System.currentTimeMillis() - started).intdiv(1000)
            assertEquals('SUCCESS', build.currentBuild.currentResult, "rebuild ${n}:\n${build.log.text}")
            assertTrue(build.junitResults.every { it.failCount == 0 } && build.junitResults.sum { it.totalCount } > 0,
                    "rebuild ${n}: failed checks ${build.junitResults}")
            Map left = LabJobTeardownEndToEndTest.withoutDeletedUsers(Twin.inventory())
            if (left != baseline) {
                failures << "rebuild ${n} left objects behind: ${difference(baseline, left)}".toString()
            }
            println "checked: rebuild ${n} of ${REBUILDS} (build #${build.buildNumber}) SUCCESS in ${seconds} s, " +
                    "${build.junitResults.sum { it.totalCount }} checks passed, " +
                    (left == baseline ? 'the twin\'s inventory back to the baseline' : 'OBJECTS LEFT BEHIND')
        }
        assertEquals([], failures)
    }

    /** What differs, kind by kind, for the message (the whole inventory is too long to read). */
    static Map difference(Map before, Map after) {
        Map found = [:]
        (before.keySet() + after.keySet()).each { account ->
            Map b = (Map) before[account] ?: [:]
            Map a = (Map) after[account] ?: [:]
            (b.keySet() + a.keySet()).each { kind ->
                if (b[kind] != a[kind]) {
                    found["${account}.${kind}"] = [before: b[kind], after: a[kind]]
                }
            }
        }
        return found
    }
}
