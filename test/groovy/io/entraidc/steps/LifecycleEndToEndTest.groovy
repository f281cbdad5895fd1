package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * The three steps, end to end through the pipeline harness: real OpenTofu with the real
 * providers, the real Python automation, against the local cloud twin. After teardown the
 * twin's inventory must be what it was before setup.
 */
class LifecycleEndToEndTest {
    static final File ROOT = new File(System.getProperty('entraidc.root', '.')).canonicalFile

    @BeforeAll
    static void twinRuns() {
        Twin.start()
    }

    static PipelineHarness harness() {
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT, echo: true)
        h.baseEnvironment.putAll(Twin.agentEnvironment())
        h.baseEnvironment.ENTRAIDC_AGENT_CACHE = new File(Twin.CACHE, 'agent').path
        return h
    }

    static List<String> unlabelled(PipelineHarness h) {
        return h.log.outputLines.findAll { !(it ==~ /^\[entra\w+ › [^›]+ › [\w-]+\] .*/) }
    }

    /** The service principal's secret reaches the steps only through withCredentials. */
    static String bindAzureCredential(PipelineHarness h) {
        String secret = h.baseEnvironment.remove('AZURE_CLIENT_SECRET')
        h.baseEnvironment.remove('ARM_CLIENT_SECRET')
        h.credentials['azure-sp'] = [username: h.baseEnvironment.remove('AZURE_CLIENT_ID'), password: secret]
        h.baseEnvironment.remove('ARM_CLIENT_ID')
        return secret
    }

    @Test
    void setupScimAndTeardownLeaveNothingBehind() {
        Twin.reset()
        Map before = Twin.inventory()
        PipelineHarness h = harness()
        String clientSecret = bindAzureCredential(h)

        Map saml = (Map) h.runStep('entraSamlSetup', [azureCredentialsId: 'azure-sp'])
        assertEquals(0, saml.checks.failed, h.log.text)
        Map scim = (Map) h.runStep('entraScimEnable', [abac: true, azureCredentialsId: 'azure-sp'])
        assertEquals(0, scim.checks.failed, h.log.text)
        Map during = Twin.inventory()
        assertNotEquals(before, during)
        Map<String, String> secrets = Twin.secretValues(scim.outputs.azure_id.value.key_vault_uri as String)
        secrets['azure-sp client secret'] = clientSecret
        assertEquals(5, secrets.size(), "2 SCIM tokens, 2 passwords and the client secret: ${secrets.keySet()}")
        SecretScan.assertNowhere(secrets, h.log.text, h.workspace)

        h.runStep('entraTeardown', [azureCredentialsId: 'azure-sp'])
        assertEquals(before, Twin.inventory(), 'teardown left objects behind')
        assertEquals([], unlabelled(h), 'lines outside a stage label')
        assertTrue(h.log.lines.any { it ==~ /\[entraSamlSetup › apply saml › all\] finished in \d+\.\d s/ }, h.log.text)
    }

    @Test
    void failureInOneAccountNamesAccountAndPhaseAndChangesNothing() {
        Twin.reset()
        Map before = Twin.inventory()
        PipelineHarness h = harness()
        Twin.fault('sso-admin', 'ListInstances', '5xx', 1000)
        try {
            Exception e = assertThrows(Exception) { h.runStep('entraSamlSetup', [partitions: ['aws-govcloud']]) }
            assertTrue(e.message.startsWith('entraSamlSetup: preflight failed in aws-govcloud'), e.message)
            assertTrue(h.log.outputLines.any { it.startsWith('[entraSamlSetup › preflight › aws-govcloud] FAILED after ') },
                    h.log.text)
            assertTrue(h.log.outputLines.any { it.startsWith('[entraSamlSetup › preflight › aws-govcloud] next: ') },
                    h.log.text)
        } finally {
            Twin.clearFaults()
        }
        assertEquals(before, Twin.inventory(), 'a failed preflight must change nothing')
    }

    @Test
    void nightlyJenkinsfileTearsDownInPostAfterAFailedStage() {
        Twin.reset()
        Map before = Twin.inventory()
        PipelineHarness h = harness()
        h.params = [ACTION: 'rebuild', PARTITIONS: 'both', PLAN_ONLY: false, ABAC: false]
        Twin.fault('graph', 'provisionOnDemand', '5xx', 1000)
        try {
            assertThrows(Exception) { h.runJenkinsfile(new File(ROOT, 'Jenkinsfile')) }
        } finally {
            Twin.clearFaults()
        }
        assertEquals('FAILURE', h.currentBuild.currentResult)
        assertEquals(['SAML setup', 'SCIM provisioning'], h.stages.findAll { !it.contains(':') })
        assertEquals(['Teardown'], h.skippedStages)
        assertTrue(h.log.outputLines.any { it.startsWith('[entraTeardown › destroy › all] finished in') }, h.log.text)
        assertEquals(before, Twin.inventory(), 'post { always { entraTeardown } } left objects behind')
        assertEquals("@Library('entra-idc') _", h.libraryAnnotation)
        assertEquals('H 2 * * *', h.declarativeModel.triggers[0].spec)
    }
}
