package io.entraidc.steps

import io.entraidc.harness.PipelineHarness

import java.nio.file.Files
import java.nio.file.StandardCopyOption

/** What the reliability cases read from a build after each step: its new log lines, its archived files. */
class StepRuns {
    /** The log lines the pipeline printed after {@code mark} (a size of h.log.outputLines). */
    static List<String> since(PipelineHarness h, int mark) {
        List<String> lines = h.log.outputLines
        return lines.subList(mark, lines.size())
    }

    static List<String> phase(List<String> lines, String step, String phase) {
        return lines.findAll { it.startsWith("[${step} › ${phase} › ".toString()) }
    }

    /** Terraform's resource actions (a second, unchanged run has none). */
    static List<String> resourceActions(List<String> lines) {
        return lines.findAll { it ==~ /.*: (Creating|Modifying|Destroying|Replacing)\.\.\.$/ }
    }

    /**
     * Copies what archiveArtifacts archived since {@code from} (an index into h.archived) into
     * {@code into}/{@code label}: Jenkins copies artifacts at archive time, so a later run that
     * overwrites them in the workspace does not change what was archived.
     */
    static int keepArchived(PipelineHarness h, int from, File into, String label) {
        List<String> paths = h.archived.subList(from, h.archived.size())
        paths.each { String path ->
            File target = new File(into, "${label}/${path}")
            target.parentFile.mkdirs()
            Files.copy(new File(h.workspace, path).toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING)
        }
        return h.archived.size()
    }
}
