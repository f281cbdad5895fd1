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
 * The agents have what a real one has: the Azure CLI logged in as the automation's service
 * principal and no client secret in their environment (Twin.agent); azureCredentialsId:
 * IdempotenceEndToEndTest.
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

    /**
     * A build on an agent of Twin.agent: the Azure CLI logged in as the automation's service
     * principal by default, as on a real agent, with no client secret in its environment.
     */
    static PipelineHarness harness(String login = 'service-principal') {
        return new PipelineHarness(libraryRoot: ROOT, echo: true, agent: Twin.agent(login))
    }

    static List<String> unlabelled(PipelineHarness h) {
        return h.log.outputLines.findAll { !(it ==~ /^\[entra\w+ › [^›]+ › [\w-]+\] .*/) }
    }

    /**
     * The whole service principal (client ID, secret, tenant, subscription) as the Jenkins credential
     * 'azure-sp' for azureCredentialsId, on an agent that holds none of it (harness('none')).
     */
    static String bindAzureCredential(PipelineHarness h) {
        assertEquals([], Twin.LOGIN_VARIABLES.findAll { h.baseEnvironment.containsKey(it) })
        Map<String, String> twin = Twin.environment()
        h.credentials['azure-sp'] = [clientId      : twin.AZURE_CLIENT_ID, clientSecret: twin.AZURE_CLIENT_SECRET,
                                     tenantId      : twin.AZURE_TENANT_ID, subscriptionId: twin.ARM_SUBSCRIPTION_ID]
        return twin.AZURE_CLIENT_SECRET
    }

    /**
     * Managed resources a fresh plan would change, from `show -json` of a plan in the steps' work
     * directory. (`-detailed-exitcode` cannot tell: the check block's data source is re-read at
     * every apply, which counts as a change.)
     */
    static List<String> plannedChanges(PipelineHarness steps, String variables) {
        // A harness of its own on the same workspace, so the test's lines stay out of the steps' log.
        PipelineHarness h = new PipelineHarness(libraryRoot: ROOT, agent: steps.agent, workspace: steps.workspace, echo: true)
        h.baseEnvironment.putAll(steps.baseEnvironment)
        return (List<String>) h.runScript("""
          node {
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
        """)
    }

    /**
     * Issue 12, finding 2: with the agent's Azure CLI logged in as a user (the twin's test admin),
     * whose token has no Synchronization.* scope, entraScimEnable in the same workspace stops in its
     * preflight with the message naming `az login --service-principal`, before any sweep, plan or
     * apply, and the twin is exactly as it was (without that preflight, its first apply ran
     * saml-federate's destroy, which switched the identity source back, then failed). The agent is
     * then logged in as the service principal again.
     */
    static void aUserLoginStopsInTheScimPreflight(PipelineHarness h) {
        Map before = Twin.inventory()
        Twin.login(h.agent, 'user')
        try {
            PipelineHarness user = new PipelineHarness(libraryRoot: ROOT, agent: h.agent, workspace: h.workspace, echo: true)
            Exception refused = assertThrows(Exception) { user.runStep('entraScimEnable', [abac: true]) }
            assertTrue(refused.message.startsWith('entraScimEnable: preflight failed'), refused.message)
            String error = user.log.outputLines.find { it.contains('(`az login --service-principal`)') }
            assertNotNull(error, user.log.text)
            assertTrue(error.startsWith('[entraScimEnable › preflight › '), error)
            assertEquals([], user.log.outputLines.findAll { it ==~ /^\[entraScimEnable › (sweep|plan|apply|scim-enable|abac) .*/ },
                    'nothing may run after a refused preflight')
            assertEquals(before, Twin.inventory(), 'entraScimEnable on a user login changed something')
        } finally {
            Twin.login(h.agent, 'service-principal')
        }
    }

    @Test
    @Order(2)
    void setupScimAndTeardownLeaveNothingBehind() {
        Map before = Twin.liveInventory()
        assertEquals(baseline, before)
        PipelineHarness h = harness()
        assertEquals([], Twin.LOGIN_VARIABLES.findAll { h.baseEnvironment.containsKey(it) }, 'the agent has only its az login')

        Map saml = (Map) h.runStep('entraSamlSetup', [:])
        assertEquals(0, saml.checks.failed, h.log.text)
        aUserLoginStopsInTheScimPreflight(h)
        Map scim = (Map) h.runStep('entraScimEnable', [abac: true])
        assertEquals(0, scim.checks.failed, h.log.text)
        Map during = Twin.liveInventory()
        assertNotEquals(before, during)
        Map<String, String> secrets = Twin.secretValues(scim.outputs.azure_id.value.key_vault_uri as String)
        secrets['the agent\'s service principal client secret'] = Twin.environment().AZURE_CLIENT_SECRET
        assertEquals(5, secrets.size(), "2 SCIM tokens, 2 passwords and the client secret: ${secrets.keySet()}")
        SecretScan.assertNowhere(secrets, h.log.text, [h.workspace, new File(h.workspace.path + '@tmp')])
        assertEquals([], plannedChanges(h, '-var enable_scim=true -var enable_abac=true'),
                'a second plan after both phases must change nothing (SCIM owns NikkiWolf without drift)')

        h.runStep('entraTeardown', [:])
        assertEquals(before, Twin.liveInventory(), 'teardown left objects behind')
        // azure-cli logs each command it runs in the agent's AZURE_CONFIG_DIR: the steps took their tokens from it.
        List<String> azCommands = new File(h.agent.environment.AZURE_CONFIG_DIR, 'commands').list().toList()
        assertTrue(azCommands.any { it.contains('.account_get-access-token.') }, "${azCommands}")
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
