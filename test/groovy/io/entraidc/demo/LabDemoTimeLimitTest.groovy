package io.entraidc.demo

import io.entraidc.harness.PipelineHarness
import io.entraidc.steps.LabJobTest
import io.entraidc.steps.LifecycleReportTest
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

import java.nio.file.Files

import static org.junit.jupiter.api.Assertions.*

/**
 * ./lab demo's own code path (LabDemo.run) with the fake tools of StepResultsTest and a stand-in
 * twin (a log file, a fault rule, a fixed inventory): a rebuild that stalls is stopped by the time
 * limit, which says where it was and what the twin answered, tears down, keeps the reports and
 * exits non-zero; a teardown that stalls is stopped by the teardown limit. LabDemoEndToEndTest
 * does the same against the twin.
 */
class LabDemoTimeLimitTest {
    static final Map INVENTORY = ['aws-commercial': [permissionSets: []], 'aws-govcloud': [permissionSets: []], 'azure-id': [apps: []]]
    /** Time enough for the fake tools to reach apply saml on a busy machine (they take about 5 s on an idle one). */
    static final long LIMIT = 45000
    static final List<Map> RULES = [[id: 'f1', service: 'sso-admin', operation: 'CreatePermissionSet', kind: 'throttle', fired: 9, count: null]]

    File tmp = Files.createTempDirectory('lab-demo-').toFile()
    ByteArrayOutputStream printed = new ByteArrayOutputStream()

    @AfterEach
    void removeTheKeptReports() {
        tmp.deleteDir()
    }

    LabDemo demo(long rebuildMillis, long teardownMillis) {
        return new LabDemo(limits: new DemoLimits(rebuildMillis: rebuildMillis, teardownMillis: teardownMillis),
                out: new PrintStream(printed, true, 'UTF-8'), keepUnder: new File(tmp, 'kept'))
    }

    /** A request line as the twin logs it; its 10th and 15th requests are throttled. */
    static String request(int n) {
        String status = n in [10, 15] ? '400' : '200'
        return "2026-12-08 03:44:01,498 werkzeug INFO 127.0.0.1 - - [08/Dec/2026 03:44:01] \"POST / HTTP/1.1\" ${status} - " +
                "conn=${n} aws.twin.internal SWBExternalService.CreatePermissionSet attempt=${n}; max=25 request ${n}"
    }

    TwinActivity twin() {
        File log = new File(tmp, 'twin.log')
        log.text = (1..30).collect { request(it) }.join('\n') + '\n'
        return new TwinActivity(log, { RULES })
    }

    @Test
    void aStalledSetupEndsByTheTimeLimitSayingWhereItWasTearsDownKeepsItsReportsAndExitsNonZero() {
        PipelineHarness h = LabJobTest.harness([:], [FAKE_SLOW: 'apply', FAKE_SLOW_SECONDS: '600',
                                                     FAKE_APPLY_LOG: LifecycleReportTest.STOPPED_APPLY.path])
        LabDemo demo = demo(LIMIT, 120000)
        long started = System.currentTimeMillis()
        int exit = demo.run(h, LabJobTest.JENKINSFILE, twin(), INVENTORY, { INVENTORY })
        long took = System.currentTimeMillis() - started
        String out = printed.toString('UTF-8')

        assertEquals(1, exit, out)
        assertTrue(took < LIMIT + 60000, "took ${took} ms")
        assertTrue(out.contains("lab demo: TIME LIMIT: the rebuild ran out of its 45 s in entraSamlSetup › apply saml › all " +
                "(stage 'SAML setup'); its last line: terraform apply: still running"), out + h.log.text)
        assertTrue(out.contains('twin: the last 12 lines of ' + new File(tmp, 'twin.log').path + ':\n  ' +
                (19..30).collect { request(it) }.join('\n  ') + '\ntwin: its last error answers before those:\n  ' +
                request(10) + '\n  ' + request(15) + '\n'), out)
        assertTrue(out.contains('twin: active fault rules:\n  f1 sso-admin CreatePermissionSet throttle: fired 9, no count: every request'), out)
        assertTrue(h.log.lines.contains("Aborted by the demo's time limit (45 s)"), h.log.text)
        assertEquals('ABORTED', h.currentBuild.currentResult)
        assertTrue(h.skippedStages.contains('SCIM provisioning'), "${h.skippedStages}")
        assertTrue(h.log.lines.any { it.startsWith('[entraTeardown › destroy › all] finished in') }, 'the post teardown ran:\n' + h.log.text)

        ['aws-commercial', 'aws-govcloud', 'azure-id'].each { String account ->
            assertEquals(1, out.readLines().count { it ==~ /${account} +FAILED .*; after teardown: nothing left/ }, "${account}:\n${out}")
        }
        assertTrue(out.readLines().last().startsWith('lab demo: FAILED (stopped by its 45 s time limit) in '), out)

        assertEquals(['lifecycle-entraSamlSetup.html', 'lifecycle-entraTeardown.html'], demo.kept*.name)
        demo.kept.each { File kept ->
            assertEquals(new File(tmp, 'kept'), kept.parentFile.parentFile)
            assertTrue(out.contains('\n  ' + kept.path + '\n'), "the kept path is printed: ${kept}\n${out}")
        }
        String report = demo.kept[0].text
        assertTrue(report.contains('id="result">ABORTED<'), report)
        LifecycleReportTest.assertListsWhatTheStoppedApplyCreatedAndLeftUnfinished(report)
        h.agent.release(h.workspace)
        assertTrue(demo.kept.every { it.isFile() }, 'the kept reports outlive the agent')
    }

    @Test
    void aTeardownThatStallsIsStoppedByTheTeardownLimitAndATwinThatStallsCannotHangTheSummary() {
        PipelineHarness h = LabJobTest.harness([:], [FAKE_SLOW: 'apply destroy', FAKE_SLOW_SECONDS: '600'])
        // A state with a resource, so that the teardown destroys (the fake apply writes none).
        new File(h.workspace, '.entraidc/terraform').mkdirs()
        new File(h.workspace, '.entraidc/terraform/terraform.tfstate').text = '{"resources":[{"type":"terraform_data"}]}'
        LabDemo demo = demo(LIMIT, 30000)
        demo.inventoryTimeoutMillis = 2000
        long started = System.currentTimeMillis()
        // A twin that no longer answers: the inventory after the build never comes.
        int exit = demo.run(h, LabJobTest.JENKINSFILE, twin(), INVENTORY, { Thread.sleep(600000); INVENTORY })
        String out = printed.toString('UTF-8')
        assertEquals(1, exit, out)
        assertTrue(System.currentTimeMillis() - started < LIMIT + 30000 + 30000, out)
        assertTrue(out.contains("lab demo: TIME LIMIT: the teardown did not end within 30 s in entraTeardown › destroy › all (post section); " +
                'its last line: terraform destroy: still running; aborting it'), out + h.log.text)
        assertTrue(h.log.lines.contains("Aborted by the demo's teardown time limit (30 s)"), h.log.text)
        assertTrue(out.contains('lab demo: the twin did not answer its inventory within 2 s; what the teardown left is unknown'), out)
        assertTrue(out.readLines().any { it ==~ /aws-govcloud +FAILED .*; after teardown: unknown \(no inventory\)/ }, out)
    }
}
