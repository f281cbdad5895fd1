package io.entraidc

/**
 * Lays the packaged Terraform module and Python automation out in the work directory with
 * libraryResource. Jenkins cannot list a library's resources, so the files to copy are named
 * in resources/entraidc/manifest.txt (kept in sync by a test).
 */
class AgentWorkspace implements Serializable {
    static final String MANIFEST = 'entraidc/manifest.txt'

    private final def steps
    final String workDir

    AgentWorkspace(def steps, String workDir) {
        this.steps = steps
        this.workDir = workDir
    }

    /** Copies every file of the manifest; returns how many. */
    int copyResources() {
        List<String> files = steps.libraryResource(MANIFEST).readLines().findAll { it.trim() && !it.startsWith('#') }
        for (String file : files) {
            String text = steps.libraryResource(resource: "entraidc/${file}", encoding: 'Base64')
            steps.writeFile(file: "${workDir}/${file}", text: text, encoding: 'Base64')
        }
        return files.size()
    }

    String path(String relative) {
        return "${steps.pwd()}/${workDir}/${relative}"
    }
}
