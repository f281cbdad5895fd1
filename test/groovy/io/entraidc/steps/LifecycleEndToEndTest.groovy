package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestMethodOrder

import static org.junit.jupiter.api.Assertions.*

/**
 * The three steps, end to end through the pipeline harness: real OpenTofu with the real
 * providers, the real Python automation, against the local cloud twin. After teardown the
 * twin's inventory must be what it was before setup. The tests run in order on one twin,
 * reset once: the nightly rebuild runs right after the previous teardown, as it does in the
 * lab, so names still reserved after a deletion (Key Vault, Secrets Manager) would fail it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation)
class LifecycleEndToEndTest {
    static final File ROOT = new File(System.getProperty('entraidc.root', '.')).canonicalFile
    static Map baseline

    @BeforeAll
    static void twinRuns() {
        Twin.start()
        Twin.reset()
        baseline = Twin.liveInventory()
    }

    static PipelineHarness harness() {
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT, echo: true)
        h.baseEnvironment.putAll(Twin.agentEnvironment())
        h.baseEnvironment.ENTRAIDC_AGENT_CACHE = Twin.AGENT_CACHE.path
        return h
    }

    static List<String> unlabelled(PipelineHarness h) {
        return h.log.outputLines.findAll { !(it ==~ /^\[entra\w+ › [^›]+ › [\w-]+\] .*/) }
    }

    /**
     * The whole service principal (client ID, secret, tenant, subscription) reaches the steps only
     * through withCredentials' azureServicePrincipal binding: the agent keeps none of it.
     */
    static String bindAzureCredential(PipelineHarness h) {
        Map<String, String> env = h.baseEnvironment
        h.credentials['azure-sp'] = [clientId      : env.remove('AZURE_CLIENT_ID'), clientSecret: env.remove('AZURE_CLIENT_SECRET'),
                                     tenantId      : env.remove('AZURE_TENANT_ID'),
                                     subscriptionId: env.remove('ARM_SUBSCRIPTION_ID')]
        ['ARM_CLIENT_ID', 'ARM_CLIENT_SECRET', 'ARM_TENANT_ID', 'AZURE_SUBSCRIPTION_ID'].each { env.remove(it) }
        return h.credentials['azure-sp'].clientSecret
    }

    /**
     * Managed resources a fresh plan would change, from `show -json` of a plan in the steps' work
     * directory. (`-detailed-exitcode` cannot tell: the check block's data source is re-read at
     * every apply, which counts as a change.)
     */
    static List<String> plannedChanges(PipelineHarness steps, String variables) {
        // A harness of its own on the same workspace, so the test's lines stay out of the steps' log.
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT, workspace: steps.workspace, echo: true)
        h.baseEnvironment.putAll(steps.baseEnvironment)
        h.credentials.putAll(steps.credentials)
        return (List<String>) h.runScript("""
          node {
            withCredentials([azureServicePrincipal(credentialsId: 'azure-sp', clientIdVariable: 'ARM_CLIENT_ID',
                    clientSecretVariable: 'ARM_CLIENT_SECRET', tenantIdVariable: 'ARM_TENANT_ID',
                    subscriptionIdVariable: 'ARM_SUBSCRIPTION_ID')]) {
                dir('.entraidc') {
                    String tf = 'ENTRAIDC_PYTHON="\$(cat .python-path)" "\$ENTRAIDC_TERRAFORM" -chdir=terraform'
                    sh(tf + ' plan -input=false -no-color -out=../second.bin ${variables}')
                    def plan = readJSON(returnPojo: true, text: sh(returnStdout: true, script: tf + ' show -json ../second.bin'))
                    List<String> changed = []
                    for (def change : plan.resource_changes) {
                        if (change.mode == 'managed' && change.change.actions != ['no-op']) {
                            changed.add(change.address + ' ' + change.change.actions)
                        }
                    }
                    return changed
                }
            }
          }
        """)
    }

    @Test
    @Order(2)
    void setupScimAndTeardownLeaveNothingBehind() {
        Map before = Twin.liveInventory()
        assertEquals(baseline, before)
        PipelineHarness h = harness()
        String clientSecret = bindAzureCredential(h)

        Map saml = (Map) h.runStep('entraSamlSetup', [azureCredentialsId: 'azure-sp'])
        assertEquals(0, saml.checks.failed, h.log.text)
        Map scim = (Map) h.runStep('entraScimEnable', [abac: true, azureCredentialsId: 'azure-sp'])
        assertEquals(0, scim.checks.failed, h.log.text)
        Map during = Twin.liveInventory()
        assertNotEquals(before, during)
        Map<String, String> secrets = Twin.secretValues(scim.outputs.azure_id.value.key_vault_uri as String)
        secrets['azure-sp client secret'] = clientSecret
        assertEquals(5, secrets.size(), "2 SCIM tokens, 2 passwords and the client secret: ${secrets.keySet()}")
        SecretScan.assertNowhere(secrets, h.log.text, h.workspace)
        assertEquals([], plannedChanges(h, '-var enable_scim=true -var enable_abac=true'),
                'a second plan after both phases must change nothing (SCIM owns NikkiWolf without drift)')

        h.runStep('entraTeardown', [azureCredentialsId: 'azure-sp'])
        assertEquals(before, Twin.liveInventory(), 'teardown left objects behind')
        assertEquals([], unlabelled(h), 'lines outside a stage label')
        assertTrue(h.log.lines.any { it ==~ /\[entraSamlSetup › apply saml › all\] finished in \d+\.\d s/ }, h.log.text)
    }

    @Test
    @Order(1)
    void failureInOneAccountNamesAccountAndPhaseAndChangesNothing() {
        Map before = Twin.liveInventory()
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
        assertEquals(before, Twin.liveInventory(), 'a failed preflight must change nothing')
    }

    @Test
    @Order(3)
    void nightlyJenkinsfileTearsDownInPostAfterAFailedStage() {
        Map before = Twin.liveInventory()
        assertEquals(baseline, before, 'starts right after the previous teardown, without a reset')
        PipelineHarness h = harness()
        h.params = [ACTION: 'rebuild', PARTITIONS: 'both', PLAN_ONLY: false, ABAC: false]
        Twin.fault('graph', 'provisionOnDemand', '5xx', 1000)
        try {
            assertThrows(Exception) { h.runJenkinsfile(new File(ROOT, 'Jenkinsfile')) }
        } finally {
            Twin.clearFaults()
        }
        assertEquals('FAILURE', h.currentBuild.currentResult)
        assertEquals(['Check parameters', 'SAML setup', 'SCIM provisioning'], h.stages.findAll { !it.contains(':') })
        assertEquals(['Drift check', 'Teardown'], h.skippedStages)
        assertTrue(h.log.outputLines.any { it.startsWith('[entraTeardown › destroy › all] finished in') }, h.log.text)
        assertEquals(before, Twin.liveInventory(), 'post { always { entraTeardown } } left objects behind')
        assertEquals("@Library('entra-idc') _", h.libraryAnnotation)
        assertEquals('H 2 * * *', h.declarativeModel.triggers[0].spec)
    }
}
