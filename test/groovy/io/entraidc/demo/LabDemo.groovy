package io.entraidc.demo

import io.entraidc.harness.PipelineHarness
import io.entraidc.steps.Twin

import java.util.concurrent.FutureTask
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/**
 * ./lab demo: runs the Jenkinsfile's nightly "rebuild" path (setup, SCIM, verify, teardown in
 * post) through the pipeline harness against the running twin, within a time limit (DemoLimits,
 * DemoWatchdog), prints the stage-labelled log and one result line per account, keeps the steps'
 * lifecycle reports under build/demo/<run>/ (KeptReports), and exits non-zero if the time ran
 * out, a check failed or an object remains (deleted users excepted: Graph cannot purge them for
 * an application's login, see Twin.liveInventory).
 */
class LabDemo {
    static final List<String> ACCOUNTS = ['aws-commercial', 'aws-govcloud', 'azure-id']

    DemoLimits limits = new DemoLimits()
    PrintStream out = System.out
    /** How long the twin may take to answer the inventory after the build (a stalled twin must not hang the demo). */
    long inventoryTimeoutMillis = 120000
    /** Each run's reports go into a new directory under this one. */
    File keepUnder = new File(Twin.ROOT, 'build/demo')
    /** Set by run(), for the tests. */
    PipelineHarness build
    DemoWatchdog watchdog
    List<File> kept = []

    static void main(String[] args) {
        LabDemo demo = new LabDemo(limits: DemoLimits.fromSystemProperties())
        System.exit(demo.againstTwin(true, null))
    }

    /**
     * Resets the twin, calls {@code afterReset} (a test's fault rules), and runs the rebuild on an
     * agent whose Azure CLI is logged in as the automation's service principal, as on a real agent.
     */
    int againstTwin(boolean echo, Closure afterReset) {
        File root = Twin.ROOT
        Twin.reset()
        afterReset?.call()
        Map before = Twin.liveInventory()
        PipelineHarness h = new PipelineHarness(libraryRoot: root, echo: echo, jobName: 'entra-idc-lab', agent: Twin.agent())
        return run(h, new File(root, 'Jenkinsfile'), TwinActivity.ofLabTwin(root), before, { Twin.liveInventory() })
    }

    /** The rebuild of {@code jenkinsfile} under the time limit; {@code inventory} answers what exists now, per account. */
    int run(PipelineHarness h, File jenkinsfile, TwinActivity twin, Map before, Closure<Map> inventory) {
        long started = System.currentTimeMillis()
        build = h
        h.params = [ACTION: 'rebuild', PARTITIONS: 'both', PLAN_ONLY: false, ABAC: true]
        out.println("lab demo: time limit ${DemoLimits.describe(limits.rebuildMillis)} for the rebuild, then " +
                "${DemoLimits.describe(limits.teardownMillis)} for its teardown (--time-limit, --teardown-limit)")
        watchdog = new DemoWatchdog(h, limits, twin, out)
        watchdog.start()
        Throwable failure = null
        try {
            h.runJenkinsfile(jenkinsfile)
        } catch (Throwable e) {
            failure = e
        } finally {
            watchdog.stop()
        }
        Map after = inventoryWithin(inventory)
        if (KeptReports.written(h.workspace)) {
            kept = KeptReports.keep(h.workspace, KeptReports.runDirectory(keepUnder))
        }
        return summarise(h, before, after, failure, System.currentTimeMillis() - started)
    }

    /** What exists now, per account; null when the twin did not answer in time. */
    private Map inventoryWithin(Closure<Map> inventory) {
        FutureTask<Map> task = new FutureTask<>(inventory)
        Thread asking = new Thread(task, 'lab-demo-inventory')
        asking.daemon = true
        asking.start()
        try {
            return task.get(inventoryTimeoutMillis, TimeUnit.MILLISECONDS)
        } catch (TimeoutException ignored) {
            out.println("lab demo: the twin did not answer its inventory within ${DemoLimits.describe(inventoryTimeoutMillis)}; " +
                    'what the teardown left is unknown')
            return null
        }
    }

    int summarise(PipelineHarness h, Map before, Map after, Throwable failure, long tookMillis) {
        out.println ''
        out.println "build description:\n${h.currentBuild.description}"
        out.println(kept ? "lifecycle reports (kept; open in a browser):\n${kept.collect { '  ' + it.path }.join('\n')}"
                : 'lifecycle reports: none written')
        out.println "build result: ${h.currentBuild.currentResult}${failure ? ' (' + failure.message + ')' : ''}"
        if (watchdog.expired) {
            watchdog.expiry.each { out.println it }
        }
        out.println '== result per account'
        Map<String, Map> checks = checksPerAccount(h)
        boolean buildOk = failure == null && !watchdog.expired
        boolean allOk = buildOk && after != null && before == after
        for (String account : ACCOUNTS) {
            Map c = checks[account] ?: [passed: 0, failed: 0]
            boolean clean = after != null && before[account] == after[account]
            // verify checks each AWS account (its Entra application and users included); azure-id has none of its own.
            boolean checked = account == 'azure-id' || c.passed > 0
            boolean ok = buildOk && c.failed == 0 && checked && clean
            allOk = allOk && ok
            int lines = h.log.lines.count { it.contains("› ${account}]") } as int
            String counted = account == 'azure-id' && c.passed + c.failed == 0 ? 'no checks of its own (see the AWS accounts\')' :
                    String.format('checks passed %3d, failed %3d', c.passed, c.failed)
            String left = after == null ? 'unknown (no inventory)' : clean ? 'nothing left' : 'OBJECTS LEFT'
            out.println String.format('%-15s %-6s %s; log lines %4d; after teardown: %s',
                    account, ok ? 'OK' : 'FAILED', counted, lines, left)
            if (after != null && !clean) {
                out.println "  before: ${before[account]}"
                out.println "  after:  ${after[account]}"
            }
        }
        String why = watchdog.expired ? " (stopped by its ${DemoLimits.describe(limits.rebuildMillis)} time limit)" : ''
        out.println("lab demo: ${allOk ? 'OK' : 'FAILED' + why} in ${DemoLimits.describe(tookMillis)}")
        return allOk ? 0 : 1
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
