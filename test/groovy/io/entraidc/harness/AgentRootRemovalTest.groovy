package io.entraidc.harness

import org.junit.jupiter.api.Test

import java.nio.file.Files
import java.nio.file.Path

import static org.junit.jupiter.api.Assertions.*

/**
 * An agent root is removed at JVM exit without following the links a workspace holds into shared
 * caches: OpenTofu links .terraform/providers/<host>/<ns>/<type>/<version>/<os_arch> to the plugin
 * cache directory (TF_PLUGIN_CACHE_DIR), which links to the toolchain's provider mirror.
 */
class AgentRootRemovalTest {
    @Test
    void removesTheRootButNotWhatItsLinksPointTo() {
        Path shared = Files.createTempDirectory('agent-removal-shared-')
        try {
            Path binary = Files.write(shared.resolve('terraform-provider-aws'), 'binary'.bytes)
            Path mirror = Files.createDirectories(shared.resolve('mirror/linux_amd64'))
            Path entry = Files.createSymbolicLink(mirror.resolve('terraform-provider-aws_v6.48.0_x5'), binary)
            Agent agent = new Agent('removal')
            Path providers = agent.allocate('job').toPath().resolve('.entraidc/terraform/.terraform/providers/aws/6.48.0')
            Files.createDirectories(providers)
            Files.createSymbolicLink(providers.resolve('linux_amd64'), mirror)
            Files.write(agent.root.toPath().resolve('workspace/job/left.txt'), 'x'.bytes)

            Agent.remove(agent.root)

            assertFalse(agent.root.exists(), 'the agent root is gone')
            assertTrue(Files.isSymbolicLink(entry), 'the mirror entry the workspace linked to is still there')
            assertEquals('binary', new String(Files.readAllBytes(binary)))
            Agent.remove(agent.root) // a second time: nothing left, no error
        } finally {
            Agent.remove(shared.toFile())
        }
    }
}
