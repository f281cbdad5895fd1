package io.entraidc.harness

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * Workspaces outlive builds (Jenkins core hudson.slaves.WorkspaceList: "<agent root>/workspace/<job>",
 * "@2" for a concurrent build) and junit reads every matching report, also an earlier build's,
 * unless skipOldReports (junit-plugin src/main/java/hudson/tasks/junit/TestResult.java,
 * JUnitResultArchiver.java: skipOldReports defaults to false).
 */
class WorkspaceAndJunitTest {
    static final String FAILED_REPORT = '<testsuite><testcase name="a"><failure message="x"/></testcase></testsuite>'

    static PipelineHarness firstBuild() {
        return new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB, jobName: 'lab')
    }

    @Test
    void nextBuildOnTheSameAgentFindsTheLastBuildsFiles() {
        PipelineHarness first = firstBuild()
        first.runScript("node { writeFile(file: 'left.txt', text: 'from #1') }")
        PipelineHarness second = first.nextBuild()
        assertEquals(first.workspace, second.workspace)
        assertEquals('2', second.baseEnvironment.BUILD_NUMBER)
        assertEquals('from #1', second.runScript("node { return readFile('left.txt') }"))
    }

    @Test
    void buildOnAnotherAgentStartsWithAnEmptyWorkspace() {
        PipelineHarness first = firstBuild()
        first.runScript("node { writeFile(file: 'left.txt', text: 'from #1') }")
        PipelineHarness second = first.nextBuild(onAnotherAgent: true)
        assertNotEquals(first.workspace, second.workspace)
        assertFalse(second.runScript("node { return fileExists('left.txt') }") as boolean)
    }

    @Test
    void concurrentBuildOfTheSameJobGetsItsOwnWorkspace() {
        PipelineHarness first = firstBuild()
        PipelineHarness other = first.concurrentBuild()
        assertEquals(first.workspace.path + '@2', other.workspace.path)
    }

    /** Build #2 of a job whose build #1 left a report with a failed test a minute ago. */
    static PipelineHarness buildAfterOneThatLeftAFailedReport() {
        PipelineHarness first = firstBuild()
        first.runScript("node { writeFile(file: 'reports/checks.xml', text: '${FAILED_REPORT}') }")
        new File(first.workspace, 'reports/checks.xml').lastModified = System.currentTimeMillis() - 60000
        return first.nextBuild()
    }

    @Test
    void junitPublishesAReportLeftByAnEarlierBuild() {
        PipelineHarness second = buildAfterOneThatLeftAFailedReport()
        def summary = second.runScript("node { return junit(testResults: 'reports/*.xml') }")
        assertEquals(1, summary.failCount, 'skipOldReports is false by default: the stale report counts')
        assertEquals('UNSTABLE', second.currentBuild.currentResult)
        // The build keeps what it published (its test result page), whatever happens to the file.
        new File(second.workspace, 'reports/checks.xml').delete()
        assertEquals(['failed'], second.publishedTestCases*.status)
    }

    @Test
    void skipOldReportsLeavesOutReportsOlderThanTheBuild() {
        PipelineHarness second = buildAfterOneThatLeftAFailedReport()
        AbortException e = assertThrows(AbortException) {
            second.runScript("node { junit(testResults: 'reports/*.xml', skipOldReports: true) }")
        }
        assertEquals('No test report files were found. Configuration error?', e.message)
    }

    /** JUnitResultArchiver.parseAndSummarize: "None of the test reports contained any result" (Messages.properties, ResultIsEmpty). */
    @Test
    void aReportWithoutATestCaseFailsJunitUnlessEmptyResultsAreAllowed() {
        PipelineHarness h = firstBuild()
        AbortException e = assertThrows(AbortException) {
            h.runScript("node { writeFile(file: 'empty.xml', text: '<testsuite name=\"none\"/>'); junit(testResults: 'empty.xml') }")
        }
        assertEquals('None of the test reports contained any result', e.message)
        PipelineHarness allowed = h.nextBuild()
        allowed.runScript("node { junit(testResults: 'empty.xml', allowEmptyResults: true) }")
        assertTrue(allowed.log.lines.contains('None of the test reports contained any result'), allowed.log.text)
    }

    /** workflow-basic-steps ReadFileStep: the text is decoded with the step's encoding. */
    @Test
    void readFileDecodesWithItsEncoding() {
        PipelineHarness h = firstBuild()
        new File(h.workspace, 'latin1.txt').bytes = [0x63, 0x61, 0x66, 0xE9] as byte[]
        assertEquals('caf\u00e9', h.runScript("node { return readFile(file: 'latin1.txt', encoding: 'ISO-8859-1') }"))
    }
}
