package io.entraidc

/**
 * What a teardown with the local state backend finds in its work directory. The local state
 * lives in the workspace of the agent that ran the setup; a teardown in another workspace
 * (another agent, a wiped workspace) finds none, and must say so rather than "destroy" nothing
 * in silence.
 */
class LocalState implements Serializable {
    static final String FILE = 'terraform/terraform.tfstate'

    /** How many resources the local state file in {@code workDir} records (0 without a readable one). */
    static int resourcesIn(def steps, String workDir) {
        String path = "${workDir}/${FILE}"
        if (!steps.fileExists(path)) {
            return 0
        }
        String text = steps.readFile(file: path)
        if (!text.trim()) {
            return 0
        }
        try {
            List resources = (List) ((Map) steps.readJSON(text: text, returnPojo: true)).resources
            return resources == null ? 0 : resources.size()
        } catch (Exception ignored) {
            return 0
        }
    }

    /** Null when the state records resources (or lives in S3); otherwise why there is nothing to destroy. */
    static String nothingRecorded(def steps, Map options) {
        if (options.stateBackend != 'local') {
            return null
        }
        String path = "${options.workDir}/${FILE}"
        if (!steps.fileExists(path)) {
            return "no Terraform state at ${path} (local state backend): this workspace never ran a setup, " +
                    'or the setup ran in another workspace or on another agent'
        }
        String text = steps.readFile(file: path)
        if (!text.trim()) {
            // The local backend creates the file when it takes its lock; an apply killed before its
            // first state write leaves it empty, which Terraform reads as an empty state.
            return "the Terraform state at ${path} is empty (an apply stopped before its first state write)"
        }
        Map state
        try {
            state = (Map) steps.readJSON(text: text, returnPojo: true)
        } catch (Exception ignored) {
            return null // not ours to judge: destroy runs and Terraform reports the damaged state
        }
        if (!state.resources) {
            return "the Terraform state at ${path} records no resources (already torn down)"
        }
        return null
    }
}
