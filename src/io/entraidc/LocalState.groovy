package io.entraidc

/**
 * What a teardown with the local state backend finds in its work directory. The local state
 * lives in the workspace of the agent that ran the setup; a teardown in another workspace
 * (another agent, a wiped workspace) finds none, and must say so rather than "destroy" nothing
 * in silence.
 */
class LocalState implements Serializable {
    static final String FILE = 'terraform/terraform.tfstate'

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
        List resources = (List) steps.readJSON(file: path, returnPojo: true).resources
        if (!resources) {
            return "the Terraform state at ${path} records no resources (already torn down)"
        }
        return null
    }
}
