package io.entraidc.demo

import io.entraidc.steps.SecretScan
import io.entraidc.steps.Twin
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test

import java.nio.file.Files

import static org.junit.jupiter.api.Assertions.*

/**
 * ./lab demo's code path (LabDemo.againstTwin) against the twin, with a create that stalls: every
 * CreatePermissionSet is throttled, so the aws provider's SDK keeps retrying it with back-off,
 * while the rest of `apply saml` goes on. The time limit stops the rebuild there, says so, the
 * lab job's post section tears down to the baseline, the demo exits non-zero, and the kept report
 * of entraSamlSetup lists what the stopped apply had created and what it had left unfinished.
 */
@Tag('e2e')
class LabDemoEndToEndTest {
    static final long LIMIT_MILLIS = Long.getLong('entraidc.demo.e2eLimitSeconds', 240L) * 1000

    @Test
    void aStalledCreateEndsByTheTimeLimitTearsDownAndTheKeptReportListsWhatWasCreated() {
        Twin.start()
        File keep = Files.createTempDirectory('lab-demo-kept-').toFile()
        ByteArrayOutputStream printed = new ByteArrayOutputStream()
        PrintStream both = new PrintStream(new TeeOutput(System.out, printed), true, 'UTF-8')
        LabDemo demo = new LabDemo(limits: new DemoLimits(rebuildMillis: LIMIT_MILLIS, teardownMillis: 10 * 60000L),
                out: both, keepUnder: keep)
        long started = System.currentTimeMillis()
        int exit
        try {
            exit = demo.againstTwin(true) { Twin.fault('sso-admin', 'CreatePermissionSet', 'throttle', 100000) }
        } finally {
            Twin.clearFaults()
        }
        long took = System.currentTimeMillis() - started
        String out = printed.toString('UTF-8')
        println "lab demo with a stalled CreatePermissionSet: exit ${exit} after ${took.intdiv(1000)} s"

        assertEquals(1, exit)
        String limit = DemoLimits.describe(LIMIT_MILLIS)
        assertTrue(out.contains("lab demo: TIME LIMIT: the rebuild ran out of its ${limit} in entraSamlSetup › apply saml › "), out)
        assertTrue(out.readLines().any { it ==~ /  f\d+ sso-admin CreatePermissionSet throttle: fired \d+, \d+ more/ }, out)
        // The SDK retries the throttled creates with back-off (up to 20 s apart): the error lines show them.
        String twinPart = out.substring(out.indexOf('twin: the last 12 lines of '))
        assertTrue(twinPart.readLines().any { it.contains('" 400 ') && it.contains('CreatePermissionSet') }, twinPart)
        assertTrue(demo.build.log.lines.contains("Aborted by the demo's time limit (${limit})".toString()), 'aborted')
        assertTrue(demo.build.log.lines.any { it.startsWith('[entraTeardown › sweep › all] finished in') }, 'the post teardown ran')
        LabDemo.ACCOUNTS.each { String account ->
            assertTrue(out.readLines().any { it ==~ /${account} +FAILED .*; after teardown: nothing left/ }, "${account}:\n${out}")
        }
        assertTrue(out.contains("lab demo: FAILED (stopped by its ${limit} time limit) in "), out)

        File setup = demo.kept.find { it.name == 'lifecycle-entraSamlSetup.html' }
        assertNotNull(setup, "kept: ${demo.kept}")
        String report = setup.text
        assertTrue(report.contains('id="result">ABORTED<'), report)
        assertFalse(report.contains('Terraform created, changed and removed nothing'), report)
        assertTrue(report.contains('<code>azurerm_resource_group.'), 'the resource group created before the stop: ' + report)
        assertTrue(report.contains('aws_ssoadmin_permission_set.') && report.contains('creating, not finished'),
                'the stalled permission sets: ' + report)

        Map<String, String> env = Twin.environment()
        Map<String, String> secrets = [AZURE_CLIENT_SECRET: env.AZURE_CLIENT_SECRET, admin: env.ENTRAIDC_TWIN_AZURE_ADMIN_PASSWORD]
        new File(env.AWS_SHARED_CREDENTIALS_FILE).readLines().findAll { it.startsWith('aws_secret_access_key') }.eachWithIndex { String line, int i ->
            secrets["aws secret key ${i}".toString()] = line.split('=', 2)[1].trim()
        }
        Map<String, Long> scanned = SecretScan.assertNowhere(secrets, out, [keep])
        println "kept reports: ${demo.kept*.path}; secret scan: ${scanned.files} files, ${scanned.bytes} bytes"
    }

    /** Writes to two streams. */
    static class TeeOutput extends OutputStream {
        final OutputStream a, b

        TeeOutput(OutputStream a, OutputStream b) { this.a = a; this.b = b }

        void write(int x) { a.write(x); b.write(x) }

        void write(byte[] bytes, int off, int len) { a.write(bytes, off, len); b.write(bytes, off, len) }

        void flush() { a.flush(); b.flush() }
    }
}
