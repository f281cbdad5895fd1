package io.entraidc.demo

import io.entraidc.harness.PipelineHarness
import io.entraidc.steps.Twin

/**
 * ./lab demo: runs the Jenkinsfile's nightly "rebuild" path (setup, SCIM, verify, teardown in
 * post) through the pipeline harness against the running twin, prints the stage-labelled log
 * and a per-account summary, and exits non-zero if a check failed or an object remains (deleted
 * users excepted: Graph cannot purge them for an application's login, see Twin.liveInventory).
 */
class LabDemo {
    static void main(String[] args) {
        File root = Twin.ROOT
        Twin.reset()
        Map before = Twin.liveInventory()
        // As on a real agent: the Azure CLI logged in as the automation's service principal.
        PipelineHarness h = new PipelineHarness(libraryRoot: root, echo: true, jobName: 'entra-idc-lab', agent: Twin.agent())
        h.params = [ACTION: 'rebuild', PARTITIONS: 'both', PLAN_ONLY: false, ABAC: true]
        Throwable failure = null
        try {
            h.runJenkinsfile(new File(root, 'Jenkinsfile'))
        } catch (Throwable e) {
            failure = e
        }
        Map after = Twin.liveInventory()
        int exitCode = summarise(h, before, after, failure)
        System.exit(exitCode)
    }

    static int summarise(PipelineHarness h, Map before, Map after, Throwable failure) {
        println ''
        println '== summary per account'
        Map<String, Map> checks = checksPerAccount(h)
        List<String> accounts = ['aws-commercial', 'aws-govcloud', 'azure-id']
        int failedChecks = 0
        for (String account : accounts) {
            Map c = checks[account] ?: [passed: 0, failed: 0]
            failedChecks += c.failed as int
            int lines = h.log.lines.count { it.contains("› ${account}]") } as int
            boolean clean = before[account] == after[account]
            println String.format('%-15s checks passed %3d, failed %3d; log lines %4d; after teardown: %s',
                    account, c.passed, c.failed, lines, clean ? 'nothing left' : 'OBJECTS LEFT')
            if (!clean) {
                println "  before: ${before[account]}"
                println "  after:  ${after[account]}"
            }
        }
        println "build description:\n${h.currentBuild.description}"
        List<File> reports = lifecycleReports(h.workspace)
        println(reports ? "lifecycle reports (open in a browser):\n${reports.collect { '  ' + it.path }.join('\n')}"
                : 'lifecycle reports: none written')
        println "build result: ${h.currentBuild.currentResult}${failure ? ' (' + failure.message + ')' : ''}"
        boolean ok = failure == null && failedChecks == 0 && before == after && checks.size() > 0
        println(ok ? 'lab demo: OK' : 'lab demo: FAILED')
        return ok ? 0 : 1
    }

    /** The HTML lifecycle reports the steps wrote (EntraRun.reportName), oldest first. */
    static List<File> lifecycleReports(File workspace) {
        List<File> found = []
        workspace.eachFileRecurse { File f ->
            if (f.name ==~ /lifecycle-.+\.html/) {
                found << f
            }
        }
        return found.sort { it.lastModified() }
    }

    /**
     * Verification checks per account (classname entraidc.verify.<account>) from the test results
     * the build published with junit: the steps remove their report files from the workspace at
     * the start of the next step (no stale report is ever published), as the teardown does.
     */
    static Map<String, Map> checksPerAccount(PipelineHarness h) {
        Map<String, Map> result = [:]
        h.publishedTestCases.each { Map testcase ->
            String account = testcase.classname.tokenize('.').last()
            Map c = result.get(account, [passed: 0, failed: 0])
            if (testcase.status == 'failed') {
                c.failed++
            } else if (testcase.status == 'passed') {
                c.passed++
            }
        }
        return result
    }
}
