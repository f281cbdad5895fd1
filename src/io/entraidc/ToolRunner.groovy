package io.entraidc

/**
 * Runs Terraform and the Python automation on the agent, every output line passed through
 * label_lines.py so that it sits under "step › phase › account". Scripts start with a
 * shebang, so Jenkins runs them as they are (no "sh -x" echo of commands).
 */
class ToolRunner implements Serializable {
    private final def steps
    private final StageLog log
    private final String workDir

    ToolRunner(def steps, StageLog log, String workDir) {
        this.steps = steps
        this.log = log
        this.workDir = workDir
    }

    /**
     * Runs {@code command} (bash) in the work directory; on failure throws PhaseFailure naming the
     * account, and whether the Terraform state was locked by another run (label_lines.py tells).
     */
    void run(String phase, String account, String command) {
        String errorFile = "${workDir}/.last-error-account"
        String lockedFile = "${workDir}/.state-locked"
        String script = """#!/usr/bin/env bash
set -euo pipefail
cd '${workDir}'
rm -f .last-error-account .state-locked
( ${command} ) 2>&1 | python3 -u python/label_lines.py --step '${log.step}' --phase '${phase}' \\
    --account '${account ?: StageLog.ALL_ACCOUNTS}' --error-account-file .last-error-account --state-locked-file .state-locked
"""
        int status = steps.sh(script: script, returnStatus: true, label: "${log.step} › ${phase}")
        if (status != 0) {
            String failed = (steps.fileExists(errorFile) ? steps.readFile(errorFile).trim() : account) ?: StageLog.ALL_ACCOUNTS
            if (steps.fileExists(lockedFile)) {
                throw new PhaseFailure(phase, failed, 'the Terraform state is locked by another run (its lock is shown above)', true)
            }
            throw new PhaseFailure(phase, failed, "exit code ${status}")
        }
    }
}
