package io.entraidc.demo

import io.entraidc.harness.PipelineHarness

/**
 * Where a build of the lab job is: the stage, and the step, phase and account of the last line a
 * step logged under its "[step › phase › account]" label (StageLog, label_lines.py), with that line.
 */
class BuildPosition {
    private static final java.util.regex.Pattern LABELLED = ~/^\[(entra\w+) › (.+?) › ([^\]]+)\] ?(.*)$/

    String stage
    String step
    String phase
    String account
    String lastLine

    static BuildPosition of(PipelineHarness build) {
        BuildPosition position = new BuildPosition(stage: build.currentStage?.name as String)
        List<String> lines = build.log.lines
        for (int i = lines.size() - 1; i >= 0; i--) {
            java.util.regex.Matcher m = LABELLED.matcher(lines[i])
            if (m.matches()) {
                position.step = m.group(1)
                position.phase = m.group(2)
                position.account = m.group(3)
                position.lastLine = m.group(4)
                break
            }
        }
        return position
    }

    /** The lab job runs entraTeardown only in its post section, after the stages. */
    boolean isTearingDown() { return step == 'entraTeardown' }

    String toString() {
        if (step == null) {
            return "stage '${stage ?: 'none yet'}', before any step logged a line"
        }
        String where = tearingDown ? ' (post section)' : stage ? " (stage '${stage}')" : ''
        return "${step} › ${phase} › ${account}${where}; its last line: ${lastLine}"
    }
}
