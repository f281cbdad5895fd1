package io.entraidc.harness

/**
 * The currentBuild global (workflow-support's RunWrapper, Serializable): the result only ever
 * gets worse, as in Jenkins; getBuildCauses answers the causes as JSON-like maps with their
 * _class, as RunWrapper.getBuildCauses does.
 */
class CurrentBuild implements Serializable {
    private static final List<String> ORDER = ['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED']
    static final String USER_CAUSE = 'hudson.model.Cause$UserIdCause'
    static final String TIMER_CAUSE = 'hudson.triggers.TimerTrigger$TimerTriggerCause'
    static final String BRANCH_INDEXING_CAUSE = 'jenkins.branch.BranchIndexingCause'
    static final String BRANCH_EVENT_CAUSE = 'jenkins.branch.BranchEventCause'

    String result
    String displayName
    /** RunWrapper.setDescription/getDescription (jenkinsci/workflow-support, RunWrapper.java): the build's description, null until set. */
    String description
    final int number
    /** The previous completed build's result (WorkflowRun.getPreviousCompletedBuild), null for a first build. */
    String previousResult
    /** Started by hand unless a test says otherwise. */
    List<Map> causes = [[_class: USER_CAUSE, shortDescription: 'Started by user harness', userId: 'harness']]

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

    List<Map> getBuildCauses() { return causes.collect { new LinkedHashMap(it) } }

    List<Map> getBuildCauses(String className) { return buildCauses.findAll { it._class == className } }
}
