package io.entraidc.harness

/** The currentBuild global (RunWrapper): result only ever gets worse, as in Jenkins. */
class CurrentBuild {
    private static final List<String> ORDER = ['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED']
    String result
    String displayName
    /** RunWrapper.setDescription/getDescription (jenkinsci/workflow-support, RunWrapper.java): the build's description, null until set. */
    String description
    final int number

    CurrentBuild(int number = 1) {
        this.number = number
        this.displayName = "#${number}"
    }

    String getCurrentResult() { return result ?: 'SUCCESS' }

    void setResult(String value) {
        if (result == null || ORDER.indexOf(value) > ORDER.indexOf(result)) {
            result = value
        }
    }

    void setResultAtWorst(String value) { setResult(value) }
}
