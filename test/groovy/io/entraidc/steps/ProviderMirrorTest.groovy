package io.entraidc.steps

import io.entraidc.harness.PipelineHarness
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * providerMirror / ENTRAIDC_PROVIDER_MIRROR: the steps run Terraform with a CLI configuration
 * naming the provider network mirror as the only installation method
 * (developer.hashicorp.com/terraform/cli/config/config-file, "network_mirror"; the URL must be
 * https). A stand-in CLI shows the configuration `init` was given; that OpenTofu installs the
 * providers from such a mirror and checks its hashes is test/python/test_provider_network_mirror.py.
 */
class ProviderMirrorTest {
    static PipelineHarness harness() {
        PipelineHarness h = new PipelineHarness(libraryRoot: LifecycleEndToEndTest.ROOT)
        StepResultsTest.useFakeTools(h, [:])
        h.baseEnvironment.remove('ENTRAIDC_PROVIDER_MIRROR')
        return h
    }

    static List<String> cliConfig(PipelineHarness h) {
        return h.log.lines.findAll { it.contains('cli config') }.collect { it.substring(it.indexOf('cli config')) }
    }

    @Test
    void theStepParameterNamesTheMirrorInTheCliConfigurationOfInit() {
        PipelineHarness h = harness()
        h.runStep('entraSamlSetup', [planOnly: true, providerMirror: 'https://artifactory.example/api/terraform/providers'])
        String file = "${h.workspace.path}/.entraidc/terraform-cli.tfrc"
        assertEquals(["cli config: ${file}".toString(),
                      'cli config | # Written by entra-idc: providers only from the network mirror.',
                      'cli config | provider_installation {',
                      'cli config |   network_mirror {',
                      'cli config |     url = "https://artifactory.example/api/terraform/providers/"',
                      'cli config |   }',
                      'cli config | }'], cliConfig(h))
    }

    @Test
    void theAgentsVariableIsTheDefault() {
        PipelineHarness h = harness()
        h.baseEnvironment.ENTRAIDC_PROVIDER_MIRROR = 'https://nexus.example/repository/tf/'
        h.runStep('entraSamlSetup', [planOnly: true])
        assertTrue(cliConfig(h).contains('cli config |     url = "https://nexus.example/repository/tf/"'), cliConfig(h).join('\n'))
    }

    @Test
    void withoutAMirrorTheCliKeepsItsOwnConfiguration() {
        PipelineHarness h = harness()
        h.runStep('entraSamlSetup', [planOnly: true])
        assertEquals(['cli config: none'], cliConfig(h))
    }

    @Test
    void aMirrorThatIsNotHttpsIsRefusedBeforeAnyShellStep() {
        PipelineHarness h = harness()
        Exception e = assertThrows(Exception) {
            h.runStep('entraSamlSetup', [providerMirror: 'http://mirror.example/'])
        }
        assertTrue(e.message.contains("parameter 'providerMirror' must be an https:// URL"), e.message)
        assertFalse(h.log.lines.any { it.contains('cli config') }, h.log.text)
    }
}
